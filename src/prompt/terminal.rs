//! The real prompter: line input, dialoguer choices, console styling and indicatif
//! spinners, all on standard error so that standard output stays clean for results.
//!
//! Typed answers (text and the hidden password) are not read with dialoguer: its `Input`
//! ignores Esc, and its `Password` reads in cooked mode with echo off, so Ctrl-C there kills
//! the process with echo still off. Instead `line::read_line` puts the terminal into raw
//! mode (no echo, no signals) *before* the prompt is printed and keeps it there until Enter,
//! then echoes typed text itself — never the password, not even what was typed ahead of its
//! prompt. Ctrl-C and Esc arrive as bytes and cancel; a guard restores the terminal on every
//! way out.
//!
//! While the live test runs no question is open, yet a person may press Esc or type. For as
//! long as a spinner turns, `keys::LiveTestKeys` turns echo off (so keys do not garble the
//! spinners) and watches for Esc, which cancels like Ctrl-C. Ctrl-C stays a signal there; the
//! interrupt handler puts the terminal back through the hook registered in
//! [`crate::interrupt`].

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use console::{Term, style};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use secrecy::SecretString;

use crate::prompt::PromptError;
use crate::prompt::{Progress, Prompter, Validator};

pub struct TerminalPrompter {
    term: Term,
    interactive: bool,
    colors: bool,
    spinners: MultiProgress,
    /// Watches the keyboard while spinners turn; shared with them so that the last one to
    /// finish stops it.
    live_keys: Arc<Mutex<keys::LiveTestKeys>>,
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
            live_keys: Arc::default(),
        }
    }

    fn prompt_text(&self, question: &str) -> String {
        if self.colors {
            format!("{} {question}: ", style("?").yellow().bold())
        } else {
            format!("{question}: ")
        }
    }

    /// One echoed line: the raw-mode reader, so that Esc and Ctrl-C cancel.
    fn read_text(&self, question: &str) -> Result<String, PromptError> {
        let typed = line::read_line(&self.term, &self.prompt_text(question), line::Echo::Shown);
        // A newline in every case, so whatever comes next starts on its own line.
        let _ = self.term.write_line("");
        typed
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

fn terminal_error(error: std::io::Error) -> PromptError {
    if error.kind() == std::io::ErrorKind::Interrupted {
        PromptError::Cancelled
    } else {
        PromptError::Terminal(error)
    }
}

fn dialoguer_error(error: dialoguer::Error) -> PromptError {
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

    fn ask_text(&mut self, question: &str, validate: Validator<'_>) -> Result<String, PromptError> {
        loop {
            let text = self.read_text(question)?;
            match validate(&text) {
                Ok(()) => return Ok(text),
                Err(problem) => {
                    let mark = if self.colors {
                        style("✘").red().bold().to_string()
                    } else {
                        "✘".to_string()
                    };
                    let _ = self.term.write_line(&format!("{mark} {problem}"));
                }
            }
        }
    }

    fn ask_optional_text(&mut self, question: &str) -> Result<Option<String>, PromptError> {
        let text = self.read_text(question)?;
        Ok(Some(text.trim().to_string()).filter(|t| !t.is_empty()))
    }

    fn ask_secret(&mut self, question: &str) -> Result<SecretString, PromptError> {
        let typed = line::read_line(&self.term, &self.prompt_text(question), line::Echo::Hidden);
        // A newline in every case, so whatever comes next starts on its own line.
        let _ = self.term.write_line("");
        Ok(SecretString::from(typed?))
    }

    fn choose(
        &mut self,
        question: &str,
        options: &[String],
        default: usize,
    ) -> Result<usize, PromptError> {
        let picked = dialoguer::Select::with_theme(&*self.theme())
            .with_prompt(question)
            .items(options)
            .default(default)
            .interact_on_opt(&self.term);
        let _ = self.term.show_cursor();
        picked
            .map_err(dialoguer_error)?
            .ok_or(PromptError::Cancelled)
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
        if self.interactive {
            lock(&self.live_keys).spinner_started();
        }
        Box::new(Spinner {
            bar,
            drawn: !self.spinners.is_hidden(),
            colors: self.colors,
            live_keys: self.interactive.then(|| Arc::clone(&self.live_keys)),
        })
    }
}

fn lock(keys: &Mutex<keys::LiveTestKeys>) -> std::sync::MutexGuard<'_, keys::LiveTestKeys> {
    // A panicking spinner thread must not take the keyboard watcher down with it.
    keys.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

struct Spinner {
    bar: ProgressBar,
    drawn: bool,
    colors: bool,
    /// Set while this spinner counts towards the keyboard watcher.
    live_keys: Option<Arc<Mutex<keys::LiveTestKeys>>>,
}

impl Spinner {
    fn release_keys(&mut self) {
        if let Some(keys) = self.live_keys.take() {
            lock(&keys).spinner_stopped();
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.release_keys();
    }
}

impl Progress for Spinner {
    fn finish(mut self: Box<Self>, succeeded: bool, text: &str) {
        // Before the result line: the last spinner hands the keyboard back first, so the
        // next question never competes with the watcher for a key.
        self.release_keys();
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

/// Reading one line in raw mode, echoed or hidden.
#[cfg(unix)]
mod line {
    use std::io::{self, Write};
    use std::os::fd::{AsFd, BorrowedFd};

    use console::Term;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use nix::sys::termios::{
        self, InputFlags, LocalFlags, SetArg, SpecialCharacterIndices, Termios,
    };

    use super::terminal_error;
    use crate::prompt::PromptError;

    const CTRL_C: u8 = 0x03;
    const CTRL_D: u8 = 0x04;
    const CTRL_U: u8 = 0x15;
    pub(super) const ESCAPE: u8 = 0x1b;
    const BACKSPACE: u8 = 0x08;
    const DELETE: u8 = 0x7f;

    /// Whether typed characters are shown.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub(super) enum Echo {
        Shown,
        Hidden,
    }

    /// Puts the terminal back as it was when dropped.
    pub(super) struct RawMode<'a> {
        fd: BorrowedFd<'a>,
        original: Termios,
    }

    impl RawMode<'_> {
        /// The settings the terminal had before.
        pub(super) fn original(&self) -> &Termios {
            &self.original
        }
    }

    impl Drop for RawMode<'_> {
        fn drop(&mut self) {
            let _ = termios::tcsetattr(self.fd, SetArg::TCSANOW, &self.original);
        }
    }

    /// Turns off echo and line editing, and signals too unless `keep_signals`; the guard
    /// puts everything back.
    pub(super) fn enter_raw(
        fd: BorrowedFd<'_>,
        keep_signals: bool,
    ) -> Result<RawMode<'_>, PromptError> {
        let original = termios::tcgetattr(fd).map_err(|e| terminal_error(e.into()))?;
        let mut raw = original.clone();
        raw.local_flags
            .remove(LocalFlags::ECHO | LocalFlags::ICANON | LocalFlags::IEXTEN);
        if !keep_signals {
            raw.local_flags.remove(LocalFlags::ISIG);
        }
        raw.input_flags.remove(InputFlags::IXON | InputFlags::ICRNL);
        raw.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
        raw.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
        // TCSANOW, not TCSAFLUSH: what was typed ahead must not be thrown away.
        termios::tcsetattr(fd, SetArg::TCSANOW, &raw).map_err(|e| terminal_error(e.into()))?;
        Ok(RawMode { fd, original })
    }

    pub(super) fn read_line(term: &Term, prompt: &str, echo: Echo) -> Result<String, PromptError> {
        let stdin = io::stdin();
        let fd = stdin.as_fd();
        let _restore = enter_raw(fd, false)?;
        term.write_str(prompt).map_err(terminal_error)?;

        let mut typed: Vec<u8> = Vec::new();
        loop {
            match read_byte(fd)? {
                b'\r' | b'\n' => break,
                CTRL_D if typed.is_empty() => break,
                CTRL_C => return Err(PromptError::Cancelled),
                ESCAPE => {
                    if !skip_escape_sequence(fd)? {
                        return Err(PromptError::Cancelled);
                    }
                }
                BACKSPACE | DELETE => {
                    // Remove a whole UTF-8 character, not just its last byte.
                    let mut removed = Vec::new();
                    while let Some(byte) = typed.pop() {
                        removed.insert(0, byte);
                        if byte & 0xc0 != 0x80 {
                            break;
                        }
                    }
                    if echo == Echo::Shown {
                        let width = console::measure_text_width(&String::from_utf8_lossy(&removed));
                        let _ = term.write_str(&"\x08 \x08".repeat(width));
                    }
                }
                CTRL_U => {
                    typed.clear();
                    if echo == Echo::Shown {
                        let _ = term.clear_line();
                        let _ = term.write_str(prompt);
                    }
                }
                byte if byte < 0x20 => {}
                byte => {
                    typed.push(byte);
                    if echo == Echo::Shown {
                        // Bytes of a multi-byte character go out as they come; the terminal
                        // draws the character once it is complete.
                        let _ = (&mut &*term).write_all(&[byte]);
                    }
                }
            }
        }
        Ok(String::from_utf8_lossy(&typed).into_owned())
    }

    pub(super) fn read_byte(fd: BorrowedFd<'_>) -> Result<u8, PromptError> {
        let mut byte = [0u8; 1];
        loop {
            match nix::unistd::read(fd, &mut byte) {
                Ok(1) => return Ok(byte[0]),
                // End of input: nobody is there to finish typing.
                Ok(_) => return Err(PromptError::Cancelled),
                Err(nix::errno::Errno::EINTR) => {}
                Err(e) => return Err(terminal_error(e.into())),
            }
        }
    }

    /// Whether a byte can be read within `wait_ms`.
    pub(super) fn ready(fd: BorrowedFd<'_>, wait_ms: u8) -> Result<bool, PromptError> {
        let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
        poll(&mut fds, PollTimeout::from(wait_ms))
            .map(|n| n > 0)
            .map_err(|e| terminal_error(e.into()))
    }

    /// After an ESC byte: true when it began an arrow-key or similar sequence (consumed
    /// and ignored), false when it was the Esc key alone.
    pub(super) fn skip_escape_sequence(fd: BorrowedFd<'_>) -> Result<bool, PromptError> {
        // A key's sequence arrives in one burst; a lone Esc has nothing after it.
        if !ready(fd, 30)? {
            return Ok(false);
        }
        let introducer = read_byte(fd)?;
        if introducer == b'[' || introducer == b'O' {
            while ready(fd, 30)? {
                if (0x40..=0x7e).contains(&read_byte(fd)?) {
                    break;
                }
            }
        }
        Ok(true)
    }
}

/// Reading one line where raw termios is not available.
#[cfg(not(unix))]
mod line {
    use console::{Key, Term};

    use super::terminal_error;
    use crate::prompt::PromptError;

    /// Whether typed characters are shown.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum Echo {
        Shown,
        Hidden,
    }

    pub fn read_line(term: &Term, prompt: &str, echo: Echo) -> Result<String, PromptError> {
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
}

/// The keyboard while the live test runs.
#[cfg(unix)]
mod keys {
    use std::io;
    use std::os::fd::AsFd;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread::JoinHandle;

    use super::line;

    /// While at least one spinner turns: echo off, and Esc cancels the run. Ctrl-C remains
    /// a signal, whose handler restores the terminal through the interrupt hook.
    #[derive(Default)]
    pub(super) struct LiveTestKeys {
        spinners: usize,
        watcher: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
    }

    impl LiveTestKeys {
        pub(super) fn spinner_started(&mut self) {
            self.spinners += 1;
            if self.watcher.is_none() {
                let stop = Arc::new(AtomicBool::new(false));
                let flag = Arc::clone(&stop);
                let thread = std::thread::Builder::new()
                    .name("live-test-keys".into())
                    .spawn(move || watch(&flag));
                if let Ok(thread) = thread {
                    self.watcher = Some((stop, thread));
                }
            }
        }

        pub(super) fn spinner_stopped(&mut self) {
            self.spinners = self.spinners.saturating_sub(1);
            if self.spinners == 0
                && let Some((stop, thread)) = self.watcher.take()
            {
                stop.store(true, Ordering::SeqCst);
                // Within one poll interval; afterwards the terminal is as it was.
                let _ = thread.join();
            }
        }
    }

    fn watch(stop: &AtomicBool) {
        let stdin = io::stdin();
        let fd = stdin.as_fd();
        let Ok(raw) = line::enter_raw(fd, true) else {
            return;
        };
        let original = raw.original().clone();
        crate::interrupt::set_restore_hook(Box::new(move || {
            let stdin = io::stdin();
            let _ = nix::sys::termios::tcsetattr(
                stdin.as_fd(),
                nix::sys::termios::SetArg::TCSANOW,
                &original,
            );
        }));
        while !stop.load(Ordering::SeqCst) {
            match line::ready(fd, 50) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
            // Keys other than Esc are dropped: there is no question to answer yet.
            match line::read_byte(fd) {
                Ok(line::ESCAPE) if !line::skip_escape_sequence(fd).unwrap_or(true) => {
                    drop(raw);
                    crate::interrupt::clear_restore_hook();
                    crate::interrupt::cancel();
                    return;
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        crate::interrupt::clear_restore_hook();
        drop(raw);
    }
}

/// Without raw termios there is no watching the keyboard during the live test.
#[cfg(not(unix))]
mod keys {
    #[derive(Default)]
    pub struct LiveTestKeys;

    impl LiveTestKeys {
        pub fn spinner_started(&mut self) {}
        pub fn spinner_stopped(&mut self) {}
    }
}
