//! [`DeadlineStream`]: a TCP stream that re-arms the socket timeout before every read and
//! write, so no server behaviour (a byte a second) can stretch a conversation past its
//! deadline; a signal during a wait (EINTR) is not a dropped connection.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};

use crate::mail::endpoint::Deadline;

/// A TCP stream whose every read and write ends by the deadline.
#[derive(Debug)]
pub(crate) struct DeadlineStream {
    inner: TcpStream,
    deadline: Deadline,
}

impl DeadlineStream {
    pub(crate) fn new(inner: TcpStream, deadline: Deadline) -> DeadlineStream {
        DeadlineStream { inner, deadline }
    }

    /// Moves the deadline (a connection opened ahead of time gets the deadline of the
    /// check that uses it).
    pub(crate) fn set_deadline(&mut self, deadline: Deadline) {
        self.deadline = deadline;
    }

    /// Whether the server closed the connection or sent anything while we were not
    /// talking: an idle connection must have nothing to read. Does not block.
    pub(crate) fn is_stale(&self) -> bool {
        if self.inner.set_nonblocking(true).is_err() {
            return true;
        }
        let mut probe = [0u8; 1];
        let stale = match self.inner.peek(&mut probe) {
            Ok(_) => true,
            Err(e) => e.kind() != io::ErrorKind::WouldBlock,
        };
        stale || self.inner.set_nonblocking(false).is_err()
    }

    /// Closes without waiting for the server: what is written is on its way; the rest
    /// of the conversation is dropped.
    pub(crate) fn close(&self) {
        let _ = self.inner.shutdown(Shutdown::Both);
    }
}

// A signal (a resized terminal's SIGWINCH, a child's SIGCHLD) interrupts a blocked read or
// write with EINTR. That is not the server's doing: the call is made again, with the time
// that is left, so only the deadline or the server ends the wait. Done here, below TLS, so
// OpenSSL never sees it.
impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            self.inner
                .set_read_timeout(Some(self.deadline.remaining()?))?;
            match self.inner.read(buf) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                result => return result,
            }
        }
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            self.inner
                .set_write_timeout(Some(self.deadline.remaining()?))?;
            match self.inner.write(buf) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                result => return result,
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    extern "C" fn ignore_signal(_: nix::libc::c_int) {}

    /// A signal that arrives while a read waits (a resized terminal, a child process) must
    /// not end the conversation: on a socket with a receive timeout the kernel returns
    /// EINTR even with SA_RESTART, and the read is simply made again.
    #[cfg(unix)]
    #[test]
    #[allow(unsafe_code)] // installing a signal handler is unsafe in nix; the handler is empty
    fn a_signal_during_a_read_is_not_a_dropped_connection() {
        use nix::sys::pthread::{pthread_kill, pthread_self};
        use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

        let handler = SigAction::new(
            SigHandler::Handler(ignore_signal),
            SaFlags::empty(),
            SigSet::empty(),
        );
        // SAFETY: the handler does nothing, so it is async-signal-safe.
        unsafe { sigaction(Signal::SIGUSR2, &handler) }.expect("install the handler");

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut peer, _) = listener.accept().unwrap();
            std::thread::sleep(Duration::from_millis(600));
            peer.write_all(b"* OK late\r\n").unwrap();
        });
        let reader = pthread_self();
        let signaller = std::thread::spawn(move || {
            for _ in 0..5 {
                std::thread::sleep(Duration::from_millis(100));
                let _ = pthread_kill(reader, Signal::SIGUSR2);
            }
        });
        let tcp = TcpStream::connect(address).unwrap();
        let mut stream = DeadlineStream::new(tcp, Deadline::after(Duration::from_secs(5)));
        let mut buf = [0u8; 64];
        let read = stream.read(&mut buf);
        signaller.join().unwrap();
        server.join().unwrap();
        assert_eq!(
            &buf[..read.expect("the read outlasts the signals")],
            b"* OK late\r\n"
        );
    }
}
