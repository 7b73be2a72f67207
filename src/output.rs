//! Standard output, where results go (`status`, `settings`, `export`, `password`, `--help`):
//! a write that does not land is an error (exit 1), also when standard output was closed.
//!
//! A program started with standard output closed (`icloud-setup status >&-`) does not see
//! it closed: the Rust runtime puts `/dev/null`, opened read-write, in its place before
//! `main`, so every write "succeeds" into nothing. A shell's `>/dev/null` opens it
//! write-only, so the two are told apart by the access mode; only `1<>/dev/null` (read-write
//! on purpose) is taken for closed as well, which costs nothing a person relies on.

use std::io::{self, Write};

/// The process's standard output, refusing writes when it was closed at start.
#[derive(Debug)]
pub(crate) struct Stdout {
    closed: bool,
    inner: io::Stdout,
}

impl Stdout {
    pub(crate) fn new() -> Stdout {
        Stdout {
            closed: was_closed(),
            inner: io::stdout(),
        }
    }

    fn closed_error() -> io::Error {
        io::Error::from_raw_os_error(nix::errno::Errno::EBADF as i32)
    }
}

impl Default for Stdout {
    fn default() -> Stdout {
        Stdout::new()
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Err(Stdout::closed_error());
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Err(Stdout::closed_error());
        }
        self.inner.flush()
    }
}

/// Whether standard output was closed when the program started (see the module's note).
#[cfg(unix)]
fn was_closed() -> bool {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let stdout = io::stdout();
    let fd = stdout.as_fd();
    let Ok(flags) = fcntl(fd, FcntlArg::F_GETFL) else {
        // Not even a descriptor (a runtime that does not fill the gap).
        return true;
    };
    if OFlag::from_bits_truncate(flags) & OFlag::O_ACCMODE != OFlag::O_RDWR {
        return false;
    }
    let (Ok(own), Ok(null)) = (
        fd.try_clone_to_owned()
            .and_then(|owned| std::fs::File::from(owned).metadata()),
        std::fs::metadata("/dev/null"),
    ) else {
        return false;
    };
    (own.dev(), own.ino()) == (null.dev(), null.ino())
}

#[cfg(not(unix))]
fn was_closed() -> bool {
    false
}
