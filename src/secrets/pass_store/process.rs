//! Running `pass` (and `gpg`) bounded: its output read on threads of its own and kept to
//! [`OUTPUT_LIMIT`] bytes, every call within the time limit, and on time-out its whole
//! process group killed; and the terminal handed over to gpg-agent's pinentry.

use std::io::Read;
use std::process::{Child, Command};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The most of `pass`'s output kept (a secret is one short line; errors a few lines).
const OUTPUT_LIMIT: usize = 64 * 1024;

/// Sets `GPG_TTY` to this program's terminal when it is unset, so pinentry can ask there.
/// Returns whether gpg-agent has a terminal to ask on.
pub(super) fn hand_over_terminal(command: &mut Command) -> bool {
    if std::env::var_os("GPG_TTY").is_some_and(|v| !v.is_empty()) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::io::IsTerminal;
        let stdin = std::io::stdin();
        let stderr = std::io::stderr();
        let name = if stdin.is_terminal() {
            nix::unistd::ttyname(&stdin).ok()
        } else if stderr.is_terminal() {
            nix::unistd::ttyname(&stderr).ok()
        } else {
            None
        };
        if let Some(name) = name {
            command.env("GPG_TTY", name);
            return true;
        }
    }
    false
}

/// What a pipe carried, read to its end on a thread of its own.
pub(super) struct Collected(mpsc::Receiver<Vec<u8>>);

impl Collected {
    /// Everything, once the pipe is closed — or `None` if it is still open at `deadline`.
    pub(super) fn within(self, deadline: Instant) -> Option<Vec<u8>> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.0.recv_timeout(left).ok()
    }
}

/// Reads a pipe to its end on a thread, keeping at most [`OUTPUT_LIMIT`] bytes.
pub(super) fn collect(pipe: impl Read + Send + 'static) -> Collected {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        // Room for everything kept, at once: the output may be the secret, and a growing
        // buffer would leave unwiped copies of it wherever it was moved from.
        let mut kept = Vec::with_capacity(OUTPUT_LIMIT);
        let mut pipe = pipe;
        let mut buffer = [0u8; 4096];
        loop {
            match pipe.read(&mut buffer) {
                // A signal is not the end of what `pass` says.
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = OUTPUT_LIMIT.saturating_sub(kept.len());
                    kept.extend_from_slice(&buffer[..n.min(room)]);
                }
            }
        }
        buffer.fill(0);
        let _ = sender.send(kept);
    });
    Collected(receiver)
}

/// Waits for `child` at most `limit`: `Some(success)`, or `None` after killing its whole
/// process group when time ran out.
pub(super) fn wait_within(child: &mut Child, limit: Duration) -> Option<bool> {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status.success()),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                kill_group(child);
                let _ = child.wait();
                return None;
            }
        }
    }
}

pub(super) fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        use nix::sys::signal::{Signal, killpg};
        use nix::unistd::Pid;
        if let Ok(id) = i32::try_from(child.id()) {
            // The group has the child's id (`process_group(0)`); it holds `pass` and its gpg.
            let _ = killpg(Pid::from_raw(id), Signal::SIGKILL);
        }
    }
    let _ = child.kill();
}
