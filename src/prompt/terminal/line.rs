//! Reading one line in raw mode, echoed or hidden, with shell-like editing: the terminal
//! mode and its restoring, the reading loop, and the bytes read. Key decoding, editing and
//! rendering are modules of their own.

mod decode;
mod editing;
mod render;

use std::io;
use std::os::fd::{AsFd, BorrowedFd};

use console::Term;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::termios::{self, InputFlags, LocalFlags, SetArg, SpecialCharacterIndices, Termios};

use super::terminal_error;
use crate::prompt::PromptError;

pub(super) use decode::ESCAPE;
use decode::{read_escape_sequence, read_key};
use editing::Buffer;
use render::Screen;

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
    pub(crate) dumb: bool,
    /// Columns, for placing the cursor on lines that wrap.
    pub(crate) cols: usize,
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
