//! Stopping the daemons the harness starts (Dovecot, dbus-daemon, gnome-keyring-daemon).

use std::process::Child;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// Sends SIGTERM, so the daemon can stop its children and remove its sockets, waits up to
/// `grace`, then kills it. A child that has already exited is left alone: its pid may have
/// been reused by an unrelated process.
pub fn stop_gracefully(child: &mut Child, grace: Duration) {
    if !matches!(child.try_wait(), Ok(None)) {
        return;
    }
    let pid = i32::try_from(child.id()).expect("pids fit in i32");
    let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}
