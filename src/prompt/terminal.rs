//! The real prompter: dialoguer questions, console styling and indicatif spinners, all
//! on standard error so that standard output stays clean for results.
//!
//! The hidden password prompt is not dialoguer's `Password`: that reads in cooked mode with
//! echo off, so Ctrl-C there kills the process with echo still off, and Esc cannot cancel.
//! Instead the terminal goes into raw mode (no echo, no signals) *before* the prompt is
//! printed and stays there until Enter, so nothing typed is ever echoed — not even typed
//! ahead — Ctrl-C and Esc arrive as bytes, and a guard restores the terminal on every way
//! out.

use std::io::IsTerminal;
use std::time::Duration;

use console::{Term, style};
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
        let typed = hidden::read_line(&self.term, &prompt);
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

/// Reading a line with nothing echoed.
#[cfg(unix)]
mod hidden {
    use std::io;
    use std::os::fd::{AsFd, BorrowedFd};

    use console::Term;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use nix::sys::termios::{
        self, InputFlags, LocalFlags, SetArg, SpecialCharacterIndices, Termios,
    };

    use super::terminal_error;
    use crate::error::Error;

    const CTRL_C: u8 = 0x03;
    const CTRL_D: u8 = 0x04;
    const CTRL_U: u8 = 0x15;
    const ESCAPE: u8 = 0x1b;
    const BACKSPACE: u8 = 0x08;
    const DELETE: u8 = 0x7f;

    /// Puts the terminal back as it was when dropped.
    struct RawMode<'a> {
        fd: BorrowedFd<'a>,
        original: Termios,
    }

    impl Drop for RawMode<'_> {
        fn drop(&mut self) {
            let _ = termios::tcsetattr(self.fd, SetArg::TCSANOW, &self.original);
        }
    }

    pub fn read_line(term: &Term, prompt: &str) -> Result<String, Error> {
        let stdin = io::stdin();
        let fd = stdin.as_fd();
        let original = termios::tcgetattr(fd).map_err(|e| terminal_error(e.into()))?;
        let mut raw = original.clone();
        raw.local_flags
            .remove(LocalFlags::ECHO | LocalFlags::ICANON | LocalFlags::ISIG | LocalFlags::IEXTEN);
        raw.input_flags.remove(InputFlags::IXON | InputFlags::ICRNL);
        raw.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
        raw.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
        // TCSANOW, not TCSAFLUSH: a password typed ahead must not be thrown away.
        termios::tcsetattr(fd, SetArg::TCSANOW, &raw).map_err(|e| terminal_error(e.into()))?;
        let _restore = RawMode { fd, original };
        term.write_str(prompt).map_err(terminal_error)?;

        let mut typed: Vec<u8> = Vec::new();
        loop {
            match read_byte(fd)? {
                b'\r' | b'\n' => break,
                CTRL_D if typed.is_empty() => break,
                CTRL_C => return Err(Error::Cancelled),
                ESCAPE => {
                    if !skip_escape_sequence(fd)? {
                        return Err(Error::Cancelled);
                    }
                }
                BACKSPACE | DELETE => {
                    // Remove a whole UTF-8 character, not just its last byte.
                    while let Some(byte) = typed.pop() {
                        if byte & 0xc0 != 0x80 {
                            break;
                        }
                    }
                }
                CTRL_U => typed.clear(),
                byte if byte < 0x20 => {}
                byte => typed.push(byte),
            }
        }
        Ok(String::from_utf8_lossy(&typed).into_owned())
    }

    fn read_byte(fd: BorrowedFd<'_>) -> Result<u8, Error> {
        let mut byte = [0u8; 1];
        loop {
            match nix::unistd::read(fd, &mut byte) {
                Ok(1) => return Ok(byte[0]),
                // End of input: nobody is there to finish typing.
                Ok(_) => return Err(Error::Cancelled),
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(terminal_error(e.into())),
            }
        }
    }

    /// After an ESC byte: true when it began an arrow-key or similar sequence (consumed
    /// and ignored), false when it was the Esc key alone.
    fn skip_escape_sequence(fd: BorrowedFd<'_>) -> Result<bool, Error> {
        let ready = |wait_ms: u8| -> Result<bool, Error> {
            let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
            poll(&mut fds, PollTimeout::from(wait_ms))
                .map(|n| n > 0)
                .map_err(|e| terminal_error(e.into()))
        };
        // A key's sequence arrives in one burst; a lone Esc has nothing after it.
        if !ready(30)? {
            return Ok(false);
        }
        let introducer = read_byte(fd)?;
        if introducer == b'[' || introducer == b'O' {
            while ready(30)? {
                if (0x40..=0x7e).contains(&read_byte(fd)?) {
                    break;
                }
            }
        }
        Ok(true)
    }
}

/// Reading a line with nothing echoed, where raw termios is not available.
#[cfg(not(unix))]
mod hidden {
    use console::{Key, Term};

    use super::terminal_error;
    use crate::error::Error;

    pub fn read_line(term: &Term, prompt: &str) -> Result<String, Error> {
        term.write_str(prompt).map_err(terminal_error)?;
        let mut typed = String::new();
        loop {
            match term.read_key_raw().map_err(terminal_error)? {
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
