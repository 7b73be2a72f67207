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
pub(crate) struct TerminalPrompter {
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
    pub(crate) fn new() -> TerminalPrompter {
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
mod line;

/// Reading one line where raw termios is not available.
#[cfg(not(unix))]
#[path = "terminal/line_plain.rs"]
mod line;

/// The keyboard while the live test runs.
#[cfg(unix)]
mod keys;

/// Without raw termios there is no watching the keyboard during the live test.
#[cfg(not(unix))]
#[path = "terminal/keys_plain.rs"]
mod keys;
