//! The standard streams as they really are: standard error written without ever panicking,
//! and a standard output that was closed (`>&-`) told apart from one that works.
//!
//! `eprintln!` panics when standard error cannot be written ("failed printing to stderr",
//! exit 101): a closed terminal window, `2>&1 | head -1` after `head` has gone, `2>/dev/full`.
//! Standard error carries prompts, progress and the words of an error — if it is gone there
//! is nobody to tell, so the run goes on (or ends) with its own exit code and the failed
//! write is dropped. Every write to standard error in the program goes through here or
//! through a `console::Term` whose result is looked at.

use std::io::Write;

/// Writes `text` and a line break to standard error; a failure is ignored (see above).
pub(crate) fn to_stderr(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{text}").and_then(|()| stderr.flush());
}

/// Whether the program was started with file descriptor 1 closed (`status >&-`), so that a result written "successfully" would go nowhere and the run must say so
/// (exit 1, as coreutils do) instead of reporting success.
///
/// The standard library hides it: at start-up it puts `/dev/null`, opened read-write, on a
/// closed 0, 1 or 2 (and writes to a still-closed descriptor would count as written). So a
/// read-write `/dev/null` on 1 is taken as "was closed": a shell's `>/dev/null` opens it
/// write-only, as systemd's `StandardOutput=null` does, and those stay a success.
#[cfg(unix)]
pub(crate) fn stdout_is_closed() -> bool {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    use nix::sys::stat::{SFlag, fstat};
    use std::os::fd::AsFd;
    let stdout = std::io::stdout();
    let fd = stdout.as_fd();
    let Ok(flags) = fcntl(fd, FcntlArg::F_GETFL) else {
        return true; // EBADF: closed after all
    };
    let read_write = OFlag::from_bits_truncate(flags) & OFlag::O_ACCMODE == OFlag::O_RDWR;
    read_write
        && fstat(fd).is_ok_and(|st| {
            SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFCHR
                && nix::sys::stat::stat("/dev/null").is_ok_and(|null| null.st_rdev == st.st_rdev)
        })
}

/// Elsewhere the standard library reports a missing standard output itself.
#[cfg(not(unix))]
pub(crate) fn stdout_is_closed() -> bool {
    false
}

/// Standard output when it is closed: every write fails, as it does for any other program.
#[derive(Debug, Default)]
pub(crate) struct ClosedStdout;

impl Write for ClosedStdout {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(closed())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Err(closed())
    }
}

/// The error of a write to a closed standard output (EBADF where there is one).
pub(crate) fn closed() -> std::io::Error {
    #[cfg(unix)]
    return std::io::Error::from_raw_os_error(nix::errno::Errno::EBADF as i32);
    #[cfg(not(unix))]
    return std::io::Error::from(std::io::ErrorKind::NotConnected);
}
