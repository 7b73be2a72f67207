//! A prompter that plays a script: for tests of the whole flow in-process.
//!
//! Each answer names a fragment of the question it expects; a different question, a
//! different kind of question, or a question after the script ran out panics with what
//! was asked, so a test cannot silently pass through an unexpected prompt. Everything
//! asked and said is recorded for assertions; secrets are recorded as `****`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use secrecy::SecretString;

use crate::prompt::PromptError;
use crate::prompt::{Progress, Prompter, Validator};

/// One scripted reply.
#[derive(Clone, Debug)]
pub enum Answer {
    /// Typed text (also for optional questions; empty means skipped).
    Text(String),
    /// Typed into a hidden prompt.
    Secret(String),
    /// The option whose label contains this text.
    Choose(String),
    /// Enter alone: the option the flow offers as the default.
    Default,
    /// Ctrl-C or Esc.
    Cancel,
}

#[derive(Default)]
pub struct ScriptedPrompter {
    script: VecDeque<(String, Answer)>,
    log: Arc<Mutex<Vec<String>>>,
    /// Whether the flow may ask at all (false imitates a run without a terminal).
    pub(crate) interactive: bool,
    /// Whether standard input imitates a terminal (for `--password-stdin` typed by hand).
    pub stdin_terminal: bool,
}

impl ScriptedPrompter {
    /// `script`: pairs of (fragment of the expected question, answer).
    pub fn new(script: Vec<(&str, Answer)>) -> ScriptedPrompter {
        ScriptedPrompter {
            script: script
                .into_iter()
                .map(|(q, a)| (q.to_string(), a))
                .collect(),
            log: Arc::default(),
            interactive: true,
            stdin_terminal: false,
        }
    }

    /// A prompter for runs without a terminal: any question panics.
    pub fn non_interactive() -> ScriptedPrompter {
        ScriptedPrompter {
            interactive: false,
            ..ScriptedPrompter::default()
        }
    }

    /// Everything asked ("? …"), answered ("> …") and said, in order.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }

    /// Only the questions, in order.
    pub fn questions(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .filter_map(|l| l.strip_prefix("? ").map(str::to_string))
            .collect()
    }

    /// Panics unless every scripted answer was used.
    pub fn assert_finished(&self) {
        assert!(
            self.script.is_empty(),
            "the flow ended with scripted answers left: {:?}\nlog:\n{}",
            self.script,
            self.log().join("\n")
        );
    }

    fn record(&self, line: String) {
        self.log.lock().expect("log lock").push(line);
    }

    fn next(&mut self, question: &str) -> Answer {
        self.record(format!("? {question}"));
        let Some((expected, answer)) = self.script.pop_front() else {
            panic!(
                "unexpected question {question:?}: the script has no more answers\nlog:\n{}",
                self.log().join("\n")
            );
        };
        assert!(
            question.contains(&expected),
            "expected a question containing {expected:?}, but the flow asked {question:?}\nlog:\n{}",
            self.log().join("\n")
        );
        answer
    }
}

impl Prompter for ScriptedPrompter {
    fn can_prompt(&self) -> bool {
        self.interactive
    }

    fn stdin_is_terminal(&self) -> bool {
        self.stdin_terminal
    }

    fn say(&mut self, text: &str) {
        self.record(text.to_string());
    }

    fn ask_text(&mut self, question: &str, validate: Validator<'_>) -> Result<String, PromptError> {
        loop {
            match self.next(question) {
                Answer::Text(text) => {
                    self.record(format!("> {text}"));
                    match validate(&text) {
                        Ok(()) => return Ok(text),
                        Err(problem) => self.record(problem),
                    }
                }
                Answer::Cancel => return Err(PromptError::Cancelled),
                other => panic!("{question:?} is a text question, the script answered {other:?}"),
            }
        }
    }

    fn ask_optional_text(&mut self, question: &str) -> Result<Option<String>, PromptError> {
        match self.next(question) {
            Answer::Text(text) => {
                self.record(format!("> {text}"));
                Ok(Some(text).filter(|t| !t.trim().is_empty()))
            }
            Answer::Cancel => Err(PromptError::Cancelled),
            other => panic!("{question:?} is a text question, the script answered {other:?}"),
        }
    }

    fn ask_secret(&mut self, question: &str) -> Result<SecretString, PromptError> {
        match self.next(question) {
            Answer::Secret(text) => {
                self.record("> ****".into());
                Ok(SecretString::from(text))
            }
            Answer::Cancel => Err(PromptError::Cancelled),
            other => panic!("{question:?} is a hidden question, the script answered {other:?}"),
        }
    }

    fn choose(
        &mut self,
        question: &str,
        options: &[String],
        default: usize,
    ) -> Result<usize, PromptError> {
        match self.next(question) {
            Answer::Choose(label) => {
                let index = options
                    .iter()
                    .position(|o| o.contains(&label))
                    .unwrap_or_else(|| {
                        panic!("{question:?} offers {options:?}; none contains {label:?}")
                    });
                self.record(format!("> {}", options[index]));
                Ok(index)
            }
            Answer::Default => {
                self.record(format!("> {} (default)", options[default]));
                Ok(default)
            }
            Answer::Cancel => Err(PromptError::Cancelled),
            other => panic!("{question:?} is a choice, the script answered {other:?}"),
        }
    }

    fn progress(&mut self, label: &str) -> Box<dyn Progress> {
        self.record(format!("… {label}"));
        Box::new(RecordedProgress {
            log: Arc::clone(&self.log),
        })
    }
}

struct RecordedProgress {
    log: Arc<Mutex<Vec<String>>>,
}

impl Progress for RecordedProgress {
    fn finish(self: Box<Self>, succeeded: bool, text: &str) {
        let mark = if succeeded { "✓" } else { "✗" };
        self.log
            .lock()
            .expect("log lock")
            .push(format!("{mark} {text}"));
    }
}
