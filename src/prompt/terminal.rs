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
//!
//! The line reader edits like a shell: ← → Home End (and Ctrl-A Ctrl-E Ctrl-B Ctrl-F) move,
//! Backspace, Delete, Ctrl-W, Ctrl-U and Ctrl-K delete; Ctrl-D on an empty line cancels, as
//! Esc and Ctrl-C do. While it has the terminal in raw mode it registers the same restore
//! hook, so SIGTERM or SIGHUP at a question leave the terminal as they found it.
//!
//! Plain terminals: with `TERM=dumb` (or no `TERM`) nothing moves the cursor — no spinner
//! animation (each progress line is printed once when it starts and once when it ends), no
//! in-line editing beyond Backspace. Text is wrapped at word boundaries to the terminal's
//! width, and outside a UTF-8 locale the symbols are ASCII ([`crate::display_safe`]).
//! Finished progress lines are printed above the running ones and stay on screen.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use console::{Term, style};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use secrecy::SecretString;

use crate::display_safe::{self, Symbols};
use crate::prompt::PromptError;
use crate::prompt::wrap::{fit_lines, fit_lines_by, wrap_text};
use crate::prompt::{Progress, Prompter, Validator};

// Four independent facts about the terminal, each read once at start.
#[allow(clippy::struct_excessive_bools)]
pub struct TerminalPrompter {
    term: Term,
    interactive: bool,
    colors: bool,
    /// `TERM=dumb` or unset: no cursor movement at all.
    dumb: bool,
    /// The locale takes UTF-8 (else symbols are ASCII).
    utf8: bool,
    spinners: MultiProgress,
    /// Watches the keyboard while spinners turn; shared with them so that the last one to
    /// finish stops it.
    live_keys: Arc<Mutex<keys::LiveTestKeys>>,
}

impl TerminalPrompter {
    /// Asks only when standard input and standard error are both terminals.
    pub fn new() -> TerminalPrompter {
        let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        // Every run, not only interactive ones: SIGTERM during a scripted save must roll
        // back too.
        crate::interrupt::install();
        let dumb = display_safe::terminal_is_dumb();
        let draw_target = if std::io::stderr().is_terminal() && !dumb {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        TerminalPrompter {
            term: Term::stderr(),
            interactive,
            colors: console::colors_enabled_stderr(),
            dumb,
            utf8: display_safe::locale_is_utf8(),
            spinners: MultiProgress::with_draw_target(draw_target),
            live_keys: Arc::default(),
        }
    }

    /// The columns of the terminal, when standard error is one that says.
    fn cols(&self) -> Option<usize> {
        match self.term.size_checked() {
            Some((_, cols)) if self.term.is_term() && cols > 0 => Some(usize::from(cols)),
            _ => None,
        }
    }

    /// A question as it is drawn: broken between words to the width, all rows but the last
    /// printed here, the last returned as the line editor's prompt. The editor redraws its
    /// prompt row on every key and counts rows from the prompt's width, so the prompt must
    /// be one row that leaves room for the cursor.
    fn prompt_text(&self, question: &str) -> String {
        let question = display_safe::for_terminal(question, self.utf8);
        let mark = if self.colors { "? " } else { "" };
        let text = format!("{mark}{question}:");
        let mut rows = match self.cols() {
            Some(cols) => fit_lines(&text, cols.saturating_sub(1)),
            None => vec![text],
        };
        let last = rows.pop().unwrap_or_default();
        for row in &mut rows {
            let _ = self.term.write_line(&Self::colour_mark(row, self.colors));
        }
        format!(
            "{} ",
            Self::colour_mark(&last, self.colors && rows.is_empty())
        )
    }

    /// `row` with its leading `? ` in the question colour (only the question's first row).
    fn colour_mark(row: &str, first_with_mark: bool) -> String {
        match row.strip_prefix("? ") {
            Some(rest) if first_with_mark => format!("{} {rest}", style("?").yellow().bold()),
            _ => row.to_string(),
        }
    }

    /// A menu item as the choice list draws it: broken between words at the width less the
    /// selection mark, continuation rows under the text. Rows are measured in bytes as well
    /// as columns: dialoguer counts an item's rows from its byte length when it redraws,
    /// and a row it counts wrongly is a stale line (or an erased one) after each arrow key.
    fn menu_item(&self, item: &str) -> String {
        match self.cols() {
            Some(cols) => fit_lines_by(item, cols.saturating_sub(3).max(1), |row| {
                row.len().max(crate::prompt::wrap::width(row))
            })
            .join("\n  "),
            None => item.to_string(),
        }
    }

    /// Text as this terminal shows it: ASCII symbols outside UTF-8, wrapped at words to
    /// the width when standard error is a terminal.
    fn fit(&self, text: &str) -> String {
        let text = display_safe::for_terminal(text, self.utf8);
        match self.term.size_checked() {
            Some((_, cols)) if self.term.is_term() && cols > 0 => {
                wrap_text(&text, usize::from(cols))
            }
            _ => text,
        }
    }

    fn line_style(&self) -> line::Style {
        line::Style {
            dumb: self.dumb,
            // A terminal that does not say its width (0) is taken as one that never wraps.
            cols: self
                .term
                .size_checked()
                .map(|(_, cols)| usize::from(cols))
                .filter(|cols| *cols > 0)
                .unwrap_or(usize::MAX / 2),
        }
    }

    /// One echoed line: the raw-mode reader, so that Esc and Ctrl-C cancel.
    fn read_text(&self, question: &str) -> Result<String, PromptError> {
        let prompt = self.prompt_text(question);
        let typed = line::read_line(&self.term, &prompt, line::Echo::Shown, self.line_style());
        // A newline in every case, so whatever comes next starts on its own line.
        let _ = self.term.write_line("");
        typed
    }

    fn theme(&self) -> Box<dyn Theme> {
        // The colourful theme draws ❯ and ✔: only where the locale can show them.
        if self.colors && self.utf8 {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        }
    }
}

impl TerminalPrompter {
    /// A choice without cursor movement, for `TERM=dumb`: numbered options and a number
    /// typed (Enter alone takes the default).
    fn choose_by_number(
        &mut self,
        question: &str,
        options: &[String],
        default: usize,
    ) -> Result<usize, PromptError> {
        let mut listing = display_safe::for_terminal(question, self.utf8);
        for (i, option) in options.iter().enumerate() {
            listing.push_str(&format!("\n  {}) {option}", i + 1));
        }
        self.say(&listing);
        let count = options.len();
        // No words of its own (the prompter is below the message catalog): the range and
        // the default, as `1-3 [1]`.
        let range = format!("1-{count}");
        let question = format!("{range} [{}]", default + 1);
        let typed = self.ask_text(&question, &|text| {
            let text = text.trim();
            match text.parse::<usize>() {
                _ if text.is_empty() => Ok(()),
                Ok(n) if (1..=count).contains(&n) => Ok(()),
                _ => Err(range.clone()),
            }
        })?;
        Ok(typed.trim().parse::<usize>().map_or(default, |n| n - 1))
    }
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        TerminalPrompter::new()
    }
}

/// A terminal that has gone (its window closed, the SSH connection lost: reads end or fail
/// with EIO) is a cancelled run, as the SIGHUP that comes with it is: 130, nothing saved.
fn terminal_error(error: std::io::Error) -> PromptError {
    #[cfg(unix)]
    let hung_up = error.raw_os_error() == Some(nix::errno::Errno::EIO as i32);
    #[cfg(not(unix))]
    let hung_up = false;
    if hung_up
        || matches!(
            error.kind(),
            std::io::ErrorKind::Interrupted | std::io::ErrorKind::UnexpectedEof
        )
    {
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

    fn stdin_is_terminal(&self) -> bool {
        std::io::stdin().is_terminal()
    }

    fn say(&mut self, text: &str) {
        let text = self.fit(text);
        // Through the spinner group so a message never tears a spinner line.
        let _ = self.spinners.suspend(|| self.term.write_line(&text));
    }

    fn ask_text(&mut self, question: &str, validate: Validator<'_>) -> Result<String, PromptError> {
        loop {
            let text = self.read_text(question)?;
            match validate(&text) {
                Ok(()) => return Ok(text),
                Err(problem) => {
                    let symbol = Symbols::new(self.utf8).refused;
                    let mark = if self.colors {
                        style(symbol).red().bold().to_string()
                    } else {
                        symbol.to_string()
                    };
                    let problem = self.fit(&problem);
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
        let prompt = self.prompt_text(question);
        let typed = line::read_line(&self.term, &prompt, line::Echo::Hidden, self.line_style());
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
        let options: Vec<String> = options
            .iter()
            .map(|o| display_safe::for_terminal(o, self.utf8))
            .collect();
        if self.dumb {
            return self.choose_by_number(question, &options, default);
        }
        let items: Vec<String> = options.iter().map(|o| self.menu_item(o)).collect();
        // The question's rows are counted by its line breaks; the theme adds up to four
        // columns around it ("? " and " ›").
        let question = display_safe::for_terminal(question, self.utf8);
        let question = match self.cols() {
            Some(cols) => fit_lines_by(&question, cols.saturating_sub(5).max(1), |row| {
                row.len().max(crate::prompt::wrap::width(row))
            })
            .join("\n"),
            None => question,
        };
        let picked = dialoguer::Select::with_theme(&*self.theme())
            .with_prompt(question)
            .items(&items)
            .default(default)
            .interact_on_opt(&self.term);
        let _ = self.term.show_cursor();
        picked
            .map_err(dialoguer_error)?
            .ok_or(PromptError::Cancelled)
    }

    fn progress(&mut self, label: &str) -> Box<dyn Progress> {
        let label = display_safe::for_terminal(label, self.utf8);
        let bar = self.spinners.add(ProgressBar::new_spinner());
        let drawn = !self.spinners.is_hidden();
        if drawn {
            let ticks = if self.utf8 {
                "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "
            } else {
                "-\\|/ "
            };
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .expect("static spinner template is valid")
                    .tick_chars(ticks),
            );
            bar.set_message(label);
            bar.enable_steady_tick(Duration::from_millis(100));
        } else if self.dumb && self.term.is_term() {
            // A plain terminal sees the start as a line of its own: no animation.
            let _ = self.term.write_line(&self.fit(&format!("{label} ...")));
        }
        if self.interactive {
            lock(&self.live_keys).spinner_started();
        }
        Box::new(Spinner {
            bar,
            spinners: self.spinners.clone(),
            drawn,
            colors: self.colors,
            symbols: Symbols::new(self.utf8),
            utf8: self.utf8,
            width: self
                .term
                .size_checked()
                .filter(|(_, cols)| self.term.is_term() && *cols > 0)
                .map(|(_, cols)| usize::from(cols)),
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
    spinners: MultiProgress,
    drawn: bool,
    colors: bool,
    symbols: Symbols,
    utf8: bool,
    /// The terminal's width, when standard error is one.
    width: Option<usize>,
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
        let symbol = if succeeded {
            self.symbols.ok
        } else {
            self.symbols.failed
        };
        let mark = match (succeeded, self.colors) {
            (true, true) => style(symbol).green().bold().to_string(),
            (false, true) => style(symbol).red().bold().to_string(),
            (_, false) => symbol.to_string(),
        };
        let text = display_safe::for_terminal(text, self.utf8);
        let line = format!("{mark} {text}");
        let line = match self.width {
            Some(cols) => wrap_text(&line, cols),
            None => line,
        };
        if self.drawn {
            // The result goes above the spinners as a line of its own, which no later
            // redraw erases; the spinner line itself goes away.
            self.bar.finish_and_clear();
            self.spinners.remove(&self.bar);
            if self.spinners.println(&line).is_err() {
                crate::streams::to_stderr(&line);
            }
        } else {
            // No spinner was drawn (standard error is not a terminal): print the result.
            self.bar.finish_and_clear();
            crate::streams::to_stderr(&line);
        }
    }
}

/// Reading one line in raw mode, echoed or hidden, with shell-like editing.
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

    const CTRL_A: u8 = 0x01;
    const CTRL_B: u8 = 0x02;
    const CTRL_C: u8 = 0x03;
    const CTRL_D: u8 = 0x04;
    const CTRL_E: u8 = 0x05;
    const CTRL_F: u8 = 0x06;
    const CTRL_K: u8 = 0x0b;
    const CTRL_U: u8 = 0x15;
    const CTRL_W: u8 = 0x17;
    pub(super) const ESCAPE: u8 = 0x1b;
    const BACKSPACE: u8 = 0x08;
    const DELETE: u8 = 0x7f;

    /// Whether typed characters are shown.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub(super) enum Echo {
        Shown,
        Hidden,
    }

    /// What the terminal can do.
    #[derive(Clone, Copy)]
    pub(super) struct Style {
        /// No cursor movement (`TERM=dumb`): only appending and Backspace are drawn.
        pub dumb: bool,
        /// Columns, for placing the cursor on lines that wrap.
        pub cols: usize,
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

    /// Registers `original` as what the interrupt handler restores, until dropped: SIGTERM
    /// and SIGHUP reach the handler while a question has the terminal in raw mode. Dropping
    /// it restores the terminal before the hook goes, so no signal finds the terminal raw
    /// and nobody to put it back.
    struct RestoreOnSignal(Termios);

    impl RestoreOnSignal {
        fn register(original: &Termios) -> RestoreOnSignal {
            let kept = original.clone();
            crate::interrupt::set_restore_hook(Box::new(move || {
                let stdin = io::stdin();
                let _ = termios::tcsetattr(stdin.as_fd(), SetArg::TCSANOW, &kept);
            }));
            RestoreOnSignal(original.clone())
        }
    }

    impl Drop for RestoreOnSignal {
        fn drop(&mut self) {
            let stdin = io::stdin();
            let _ = termios::tcsetattr(stdin.as_fd(), SetArg::TCSANOW, &self.0);
            crate::interrupt::clear_restore_hook();
        }
    }

    /// An editing key, decoded from the bytes a terminal sends.
    #[derive(Debug, PartialEq, Eq)]
    pub(super) enum Key {
        Char(char),
        Enter,
        Cancel,
        /// Ctrl-D: cancels on an empty line, deletes under the cursor otherwise.
        EndOfInput,
        Left,
        Right,
        Home,
        End,
        Backspace,
        Delete,
        DeleteWordBefore,
        DeleteToStart,
        DeleteToEnd,
        Ignored,
    }

    /// The line being edited: characters and the cursor position among them. It may hold
    /// the password, so its characters are wiped when it is dropped, and room for a long
    /// line is taken up front so that growing does not leave copies behind.
    pub(super) struct Buffer {
        pub chars: Vec<char>,
        pub pos: usize,
    }

    impl Default for Buffer {
        fn default() -> Buffer {
            Buffer {
                chars: Vec::with_capacity(256),
                pos: 0,
            }
        }
    }

    impl Drop for Buffer {
        fn drop(&mut self) {
            zeroize::Zeroize::zeroize(&mut self.chars);
        }
    }

    impl Buffer {
        /// Applies one key; `Some(true)` when the line is done, `Some(false)` cancelled.
        pub(super) fn apply(&mut self, key: &Key) -> Option<bool> {
            match key {
                Key::Enter => return Some(true),
                Key::Cancel => return Some(false),
                Key::EndOfInput if self.chars.is_empty() => return Some(false),
                Key::EndOfInput | Key::Delete => {
                    if self.pos < self.chars.len() {
                        self.chars.remove(self.pos);
                    }
                }
                Key::Char(c) => {
                    self.chars.insert(self.pos, *c);
                    self.pos += 1;
                }
                Key::Left => self.pos = self.pos.saturating_sub(1),
                Key::Right => self.pos = (self.pos + 1).min(self.chars.len()),
                Key::Home => self.pos = 0,
                Key::End => self.pos = self.chars.len(),
                Key::Backspace => {
                    if self.pos > 0 {
                        self.pos -= 1;
                        self.chars.remove(self.pos);
                    }
                }
                Key::DeleteWordBefore => {
                    let mut start = self.pos;
                    while start > 0 && self.chars[start - 1].is_whitespace() {
                        start -= 1;
                    }
                    while start > 0 && !self.chars[start - 1].is_whitespace() {
                        start -= 1;
                    }
                    self.chars.drain(start..self.pos);
                    self.pos = start;
                }
                Key::DeleteToStart => {
                    self.chars.drain(..self.pos);
                    self.pos = 0;
                }
                Key::DeleteToEnd => self.chars.truncate(self.pos),
                Key::Ignored => {}
            }
            None
        }

        pub(super) fn text(&self) -> String {
            self.chars.iter().collect()
        }
    }

    /// Reads one key. Multi-byte UTF-8 characters are put together; escape sequences of
    /// the cursor keys are decoded, other sequences ignored; Esc alone cancels.
    fn read_key(fd: BorrowedFd<'_>) -> Result<Key, PromptError> {
        let byte = read_byte(fd)?;
        Ok(match byte {
            b'\r' | b'\n' => Key::Enter,
            CTRL_C => Key::Cancel,
            CTRL_D => Key::EndOfInput,
            CTRL_A => Key::Home,
            CTRL_E => Key::End,
            CTRL_B => Key::Left,
            CTRL_F => Key::Right,
            CTRL_K => Key::DeleteToEnd,
            CTRL_U => Key::DeleteToStart,
            CTRL_W => Key::DeleteWordBefore,
            BACKSPACE | DELETE => Key::Backspace,
            ESCAPE => match read_escape_sequence(fd)? {
                None => Key::Cancel,
                Some(sequence) => decode_sequence(&sequence),
            },
            byte if byte < 0x20 => Key::Ignored,
            byte if byte < 0x80 => Key::Char(char::from(byte)),
            first => {
                let len = match first {
                    0xc0..=0xdf => 2,
                    0xe0..=0xef => 3,
                    0xf0..=0xf7 => 4,
                    _ => return Ok(Key::Ignored),
                };
                let mut bytes = vec![first];
                while bytes.len() < len {
                    bytes.push(read_byte(fd)?);
                }
                match std::str::from_utf8(&bytes)
                    .ok()
                    .and_then(|s| s.chars().next())
                {
                    Some(c) if !c.is_control() => Key::Char(c),
                    _ => Key::Ignored,
                }
            }
        })
    }

    /// The cursor keys as xterm, the Linux console, VT100 in application mode and
    /// rxvt send them.
    pub(super) fn decode_sequence(sequence: &[u8]) -> Key {
        match sequence {
            b"[D" | b"OD" => Key::Left,
            b"[C" | b"OC" => Key::Right,
            b"[H" | b"OH" | b"[1~" | b"[7~" => Key::Home,
            b"[F" | b"OF" | b"[4~" | b"[8~" => Key::End,
            b"[3~" => Key::Delete,
            _ => Key::Ignored,
        }
    }

    /// After an ESC byte: the rest of the sequence, or `None` for the Esc key alone.
    fn read_escape_sequence(fd: BorrowedFd<'_>) -> Result<Option<Vec<u8>>, PromptError> {
        // A key's sequence arrives in one burst; a lone Esc has nothing after it.
        if !ready(fd, 30)? {
            return Ok(None);
        }
        let introducer = read_byte(fd)?;
        let mut sequence = vec![introducer];
        if introducer == b'[' || introducer == b'O' {
            while ready(fd, 30)? && sequence.len() < 16 {
                let byte = read_byte(fd)?;
                sequence.push(byte);
                if (0x40..=0x7e).contains(&byte) {
                    break;
                }
            }
        }
        Ok(Some(sequence))
    }

    /// Draws the line being edited.
    struct Screen<'t> {
        term: &'t Term,
        prompt: &'t str,
        echo: Echo,
        style: Style,
        /// Row of the cursor, counted from the row the prompt starts on.
        cursor_row: usize,
    }

    impl Screen<'_> {
        fn width(chars: &[char]) -> usize {
            console::measure_text_width(&chars.iter().collect::<String>())
        }

        /// Redraws prompt and text from the prompt's first row, then puts the cursor at
        /// its place, across wrapped rows.
        fn refresh(&mut self, buffer: &Buffer) {
            let cols = self.style.cols.max(1);
            let prompt_width = console::measure_text_width(self.prompt);
            let text = buffer.text();
            let total = prompt_width + console::measure_text_width(&text);
            let cursor = prompt_width + Self::width(&buffer.chars[..buffer.pos]);
            let mut out = String::new();
            if self.cursor_row > 0 {
                out.push_str(&format!("\x1b[{}A", self.cursor_row));
            }
            out.push_str("\r\x1b[J");
            out.push_str(self.prompt);
            out.push_str(&text);
            if total > 0 && total.is_multiple_of(cols) {
                // The end is in the last column: move on, so the row count is exact.
                out.push_str("\r\n");
            }
            let end_row = total / cols;
            let (row, col) = (cursor / cols, cursor % cols);
            if end_row > row {
                out.push_str(&format!("\x1b[{}A", end_row - row));
            }
            out.push('\r');
            if col > 0 {
                out.push_str(&format!("\x1b[{col}C"));
            }
            self.cursor_row = row;
            let _ = self.term.write_str(&out);
        }

        /// Shows the effect of `key`, which changed `before` into `after`.
        fn show(&mut self, key: &Key, before: &Buffer, after: &Buffer) {
            if self.echo == Echo::Hidden {
                return;
            }
            let appended = after.pos == after.chars.len()
                && before.pos == before.chars.len()
                && after.chars.len() == before.chars.len() + 1;
            let cols = self.style.cols.max(1);
            let prompt_width = console::measure_text_width(self.prompt);
            if appended {
                let end = prompt_width + Self::width(&after.chars);
                if self.style.dumb || !end.is_multiple_of(cols) {
                    if let Key::Char(c) = key {
                        let _ = (&mut &*self.term).write_all(c.to_string().as_bytes());
                    }
                    self.cursor_row = end / cols;
                    return;
                }
            }
            if self.style.dumb {
                // No cursor movement: only a shorter line at its end can be drawn, with
                // backspaces; moving keys leave the screen as it is.
                let removed = before.chars.len().saturating_sub(after.chars.len());
                if removed > 0 && after.pos == after.chars.len() {
                    let width = Self::width(&before.chars[after.chars.len()..]);
                    let _ = self.term.write_str(&"\x08 \x08".repeat(width));
                }
                return;
            }
            self.refresh(after);
        }
    }

    pub(super) fn read_line(
        term: &Term,
        prompt: &str,
        echo: Echo,
        style: Style,
    ) -> Result<String, PromptError> {
        let stdin = io::stdin();
        let fd = stdin.as_fd();
        let raw = enter_raw(fd, false)?;
        let _restore_on_signal = RestoreOnSignal::register(raw.original());
        term.write_str(prompt).map_err(terminal_error)?;
        let mut screen = Screen {
            term,
            prompt,
            echo,
            style,
            cursor_row: console::measure_text_width(prompt) / style.cols.max(1),
        };
        let mut buffer = Buffer::default();
        loop {
            let key = read_key(fd)?;
            let before = Buffer {
                chars: buffer.chars.clone(),
                pos: buffer.pos,
            };
            match buffer.apply(&key) {
                Some(true) => {
                    #[cfg(feature = "test-support")]
                    crate::panic_trigger::at(
                        if echo == Echo::Hidden {
                            "secret-entered"
                        } else {
                            "line-entered"
                        },
                        &buffer.text(),
                    );
                    break;
                }
                Some(false) => return Err(PromptError::Cancelled),
                None => screen.show(&key, &before, &buffer),
            }
        }
        if echo == Echo::Shown && !style.dumb && buffer.pos != buffer.chars.len() {
            // Enter in the middle of the line: the next output starts after all of it.
            buffer.pos = buffer.chars.len();
            screen.refresh(&buffer);
        }
        Ok(buffer.text())
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
        read_escape_sequence(fd).map(|sequence| sequence.is_some())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn typed(keys: &[Key]) -> (String, usize) {
            let mut buffer = Buffer::default();
            for key in keys {
                assert_eq!(buffer.apply(key), None, "{key:?}");
            }
            (buffer.text(), buffer.pos)
        }

        fn chars(text: &str) -> Vec<Key> {
            text.chars().map(Key::Char).collect()
        }

        #[test]
        fn a_typo_at_the_start_is_fixed_without_retyping() {
            let mut keys = chars("jhn@icloud.com");
            keys.extend([Key::Home, Key::Right]);
            keys.push(Key::Char('o'));
            keys.push(Key::End);
            keys.extend(chars("!"));
            keys.push(Key::Backspace);
            assert_eq!(typed(&keys), ("john@icloud.com".into(), 15));
        }

        #[test]
        fn words_and_ends_are_deleted() {
            let mut keys = chars("John  Q Appleseed");
            keys.push(Key::DeleteWordBefore);
            assert_eq!(typed(&keys).0, "John  Q ");
            keys.push(Key::DeleteWordBefore);
            assert_eq!(typed(&keys).0, "John  ");
            keys.extend([
                Key::Home,
                Key::Delete,
                Key::End,
                Key::Left,
                Key::DeleteToEnd,
            ]);
            assert_eq!(typed(&keys).0, "ohn ");
            keys.push(Key::DeleteToStart);
            assert_eq!(typed(&keys), (String::new(), 0));
        }

        #[test]
        fn ctrl_d_cancels_an_empty_line_and_deletes_otherwise() {
            assert_eq!(Buffer::default().apply(&Key::EndOfInput), Some(false));
            let mut keys = chars("ab");
            keys.extend([Key::Home, Key::EndOfInput]);
            assert_eq!(typed(&keys).0, "b");
        }

        #[test]
        fn cursor_keys_of_common_terminals_are_decoded() {
            assert_eq!(decode_sequence(b"[D"), Key::Left);
            assert_eq!(decode_sequence(b"OC"), Key::Right);
            assert_eq!(decode_sequence(b"[1~"), Key::Home);
            assert_eq!(decode_sequence(b"OF"), Key::End);
            assert_eq!(decode_sequence(b"[3~"), Key::Delete);
            assert_eq!(decode_sequence(b"[1;5D"), Key::Ignored);
        }
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

    /// What the terminal can do (unused without raw termios).
    #[derive(Clone, Copy)]
    pub struct Style {
        pub dumb: bool,
        pub cols: usize,
    }

    pub fn read_line(
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
