//! The keyboard while the live test runs.

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
