//! Reading one line where raw termios is not available.

use console::{Key, Term};

use super::terminal_error;
use crate::prompt::PromptError;

/// Whether typed characters are shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Echo {
    Shown,
    Hidden,
}

/// What the terminal can do (unused without raw termios).
#[derive(Clone, Copy)]
pub(crate) struct Style {
    pub(crate) dumb: bool,
    pub(crate) cols: usize,
}

pub(crate) fn read_line(
    term: &Term,
    prompt: &str,
    echo: Echo,
    _style: Style,
) -> Result<String, PromptError> {
    term.write_str(prompt).map_err(terminal_error)?;
    let mut typed = String::new();
    loop {
        match term.read_key_raw().map_err(terminal_error)? {
            Key::Enter => return Ok(typed),
            Key::Escape | Key::CtrlC => return Err(PromptError::Cancelled),
            Key::Backspace => {
                if typed.pop().is_some() && echo == Echo::Shown {
                    let _ = term.clear_chars(1);
                }
            }
            Key::Char(c) if !c.is_control() => {
                typed.push(c);
                if echo == Echo::Shown {
                    let _ = term.write_str(&c.to_string());
                }
            }
            _ => {}
        }
    }
}
