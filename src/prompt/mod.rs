//! The prompter seam: everything the wizard asks a person, and the progress it shows.
//!
//! `terminal` is the real one (dialoguer, console and indicatif on standard error);
//! `scripted` plays a fixed script in tests and fails loudly when the flow asks
//! something the script did not expect.

#[cfg(any(test, feature = "test-support"))]
pub(crate) mod scripted;
pub(crate) mod terminal;
#[cfg(feature = "test-support")]
pub mod wrap;
#[cfg(not(feature = "test-support"))]
#[allow(unreachable_pub)]
pub(crate) mod wrap;

use secrecy::SecretString;

#[cfg(any(test, feature = "test-support"))]
pub use scripted::{Answer, ScriptedPrompter};
pub(crate) use terminal::TerminalPrompter;

/// Why a question got no answer.
#[derive(Debug)]
pub enum PromptError {
    /// The person cancelled (Ctrl-C, Esc).
    Cancelled,
    /// The terminal could not be read or written.
    Terminal(std::io::Error),
}

/// A check that accepts or refuses typed text with a sentence for the person.
pub(crate) type Validator<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// Asks questions and reports progress. Every question can end in [`PromptError::Cancelled`]
/// (Ctrl-C, Esc).
pub trait Prompter {
    /// Whether questions can be asked at all (standard input and error are terminals).
    fn can_prompt(&self) -> bool;

    /// Whether standard input is a terminal (then `--password-stdin` reads hidden, through
    /// [`Prompter::ask_secret`], instead of echoing the password into the scrollback).
    fn stdin_is_terminal(&self) -> bool {
        false
    }

    /// Tells the person something; goes to standard error.
    fn say(&mut self, text: &str);

    /// One line of text, asked again until `validate` accepts it.
    fn ask_text(&mut self, question: &str, validate: Validator<'_>) -> Result<String, PromptError>;

    /// One line of text that may be left empty.
    fn ask_optional_text(&mut self, question: &str) -> Result<Option<String>, PromptError>;

    /// Hidden input: nothing typed is shown.
    fn ask_secret(&mut self, question: &str) -> Result<SecretString, PromptError>;

    /// One of `options`; `default` is picked by Enter alone.
    fn choose(
        &mut self,
        question: &str,
        options: &[String],
        default: usize,
    ) -> Result<usize, PromptError>;

    /// Starts a progress line (a spinner in a terminal) for work done on another thread.
    fn progress(&mut self, label: &str) -> Box<dyn Progress>;
}

/// One progress line, finished from whichever thread did the work.
pub trait Progress: Send {
    fn finish(self: Box<Self>, succeeded: bool, text: &str);
}
