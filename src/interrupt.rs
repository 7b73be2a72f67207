//! Ctrl-C: leave the terminal as it was, exit 130, and never in the middle of saving.
//!
//! In a terminal, Ctrl-C at a dialoguer prompt or during the live test raises SIGINT.
//! The handler restores the cursor and exits with 130 — nothing has been saved before
//! the live test passed, so there is nothing to undo. While the secret and the config
//! are being written a [`CommitGuard`] is alive and the interrupt waits for it, so a
//! run never ends with the keyring and the config disagreeing.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static COMMITTING: AtomicUsize = AtomicUsize::new(0);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static ANNOUNCED: AtomicBool = AtomicBool::new(false);

/// Installs the handler once; later calls do nothing.
pub fn install() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    // If another handler is already installed (embedding), keep the default behaviour.
    let _ = ctrlc::set_handler(|| {
        if COMMITTING.load(Ordering::SeqCst) > 0 {
            INTERRUPTED.store(true, Ordering::SeqCst);
            return;
        }
        exit_cancelled();
    });
}

/// Prints the cancellation notice once, restores the cursor, and exits 130.
pub fn exit_cancelled() -> ! {
    announce_cancelled();
    std::process::exit(130)
}

/// Shows the cursor and says "cancelled" exactly once, whoever notices first.
pub fn announce_cancelled() {
    if !ANNOUNCED.swap(true, Ordering::SeqCst) {
        let term = console::Term::stderr();
        let _ = term.show_cursor();
        eprintln!("\n{}", crate::messages::cancelled());
    }
}

/// While alive, Ctrl-C is held back until the guard drops.
pub struct CommitGuard(());

impl CommitGuard {
    pub fn new() -> CommitGuard {
        COMMITTING.fetch_add(1, Ordering::SeqCst);
        CommitGuard(())
    }
}

impl Default for CommitGuard {
    fn default() -> Self {
        CommitGuard::new()
    }
}

impl Drop for CommitGuard {
    fn drop(&mut self) {
        if COMMITTING.fetch_sub(1, Ordering::SeqCst) == 1 && INTERRUPTED.load(Ordering::SeqCst) {
            // The save finished; honour the interrupt now rather than pretending it
            // did not happen.
            exit_cancelled();
        }
    }
}
