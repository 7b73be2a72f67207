//! The real prompter: dialoguer questions, console styling and indicatif spinners, all
//! on standard error so that standard output stays clean for results.
//!
//! The hidden password prompt is a small key loop on `console` in raw mode instead of
//! dialoguer's `Password`: the latter reads in cooked mode with echo off, so Ctrl-C there
//! kills the process with echo still off. Here Ctrl-C and Esc arrive as keys, the
//! terminal is restored after every key, and the flow ends as a normal cancellation.

use std::io::IsTerminal;
use std::time::Duration;

use console::{Key, Term, style};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use secrecy::SecretString;

use crate::error::Error;
use crate::prompt::{Progress, Prompter, Validator};

pub struct TerminalPrompter {
    term: Term,
    interactive: bool,
    colors: bool,
    spinners: MultiProgress,
}

impl TerminalPrompter {
    /// Asks only when standard input and standard error are both terminals.
    pub fn new() -> TerminalPrompter {
        let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if interactive {
            crate::interrupt::install();
        }
        let draw_target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        TerminalPrompter {
            term: Term::stderr(),
            interactive,
            colors: console::colors_enabled_stderr(),
            spinners: MultiProgress::with_draw_target(draw_target),
        }
    }

    fn theme(&self) -> Box<dyn Theme> {
        if self.colors {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        }
    }

    fn read_hidden_line(&self) -> Result<String, Error> {
        let mut typed = String::new();
        loop {
            match self.term.read_key_raw().map_err(terminal_error)? {
                Key::Enter => return Ok(typed),
                Key::Escape | Key::CtrlC => return Err(Error::Cancelled),
                Key::Backspace => {
                    typed.pop();
                }
                Key::Char(c) if !c.is_control() => typed.push(c),
                _ => {}
            }
        }
    }
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        TerminalPrompter::new()
    }
}

fn terminal_error(error: std::io::Error) -> Error {
    if error.kind() == std::io::ErrorKind::Interrupted {
        Error::Cancelled
    } else {
        Error::Terminal(error)
    }
}

fn dialoguer_error(error: dialoguer::Error) -> Error {
    match error {
        dialoguer::Error::IO(e) => terminal_error(e),
    }
}

impl Prompter for TerminalPrompter {
    fn can_prompt(&self) -> bool {
        self.interactive
    }

    fn say(&mut self, text: &str) {
        // Through the spinner group so a message never tears a spinner line.
        let _ = self.spinners.suspend(|| self.term.write_line(text));
    }

    fn ask_text(&mut self, question: &str, validate: Validator<'_>) -> Result<String, Error> {
        dialoguer::Input::<String>::with_theme(&*self.theme())
            .with_prompt(question)
            .validate_with(|text: &String| validate(text))
            .interact_text_on(&self.term)
            .map_err(dialoguer_error)
    }

    fn ask_optional_text(&mut self, question: &str) -> Result<Option<String>, Error> {
        let text = dialoguer::Input::<String>::with_theme(&*self.theme())
            .with_prompt(question)
            .allow_empty(true)
            .interact_text_on(&self.term)
            .map_err(dialoguer_error)?;
        Ok(Some(text.trim().to_string()).filter(|t| !t.is_empty()))
    }

    fn ask_secret(&mut self, question: &str) -> Result<SecretString, Error> {
        let prompt = if self.colors {
            format!("{} {question}: ", style("?").yellow().bold())
        } else {
            format!("{question}: ")
        };
        self.term.write_str(&prompt).map_err(terminal_error)?;
        let typed = self.read_hidden_line();
        // A newline in every case, so whatever comes next starts on its own line.
        let _ = self.term.write_line("");
        Ok(SecretString::from(typed?))
    }

    fn choose(
        &mut self,
        question: &str,
        options: &[String],
        default: usize,
    ) -> Result<usize, Error> {
        let picked = dialoguer::Select::with_theme(&*self.theme())
            .with_prompt(question)
            .items(options)
            .default(default)
            .interact_on_opt(&self.term);
        let _ = self.term.show_cursor();
        picked.map_err(dialoguer_error)?.ok_or(Error::Cancelled)
    }

    fn progress(&mut self, label: &str) -> Box<dyn Progress> {
        let bar = self.spinners.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .expect("static spinner template is valid")
                .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
        );
        bar.set_message(label.to_string());
        bar.enable_steady_tick(Duration::from_millis(100));
        Box::new(Spinner {
            bar,
            drawn: !self.spinners.is_hidden(),
            colors: self.colors,
        })
    }
}

struct Spinner {
    bar: ProgressBar,
    drawn: bool,
    colors: bool,
}

impl Progress for Spinner {
    fn finish(self: Box<Self>, succeeded: bool, text: &str) {
        let mark = match (succeeded, self.colors) {
            (true, true) => style("✓").green().bold().to_string(),
            (false, true) => style("✗").red().bold().to_string(),
            (true, false) => "✓".to_string(),
            (false, false) => "✗".to_string(),
        };
        let line = format!("{mark} {text}");
        if self.drawn {
            self.bar
                .set_style(ProgressStyle::with_template("{msg}").expect("static template"));
            self.bar.finish_with_message(line);
        } else {
            // No spinner was drawn (standard error is not a terminal): print the result.
            self.bar.finish_and_clear();
            eprintln!("{line}");
        }
    }
}
