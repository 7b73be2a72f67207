//! Ctrl-C: leave the terminal as it was, exit 130, and never in the middle of saving.
//!
//! In a terminal, Ctrl-C at a choice or during the live test raises SIGINT (the line
//! prompts read it as a key instead). The handler restores the cursor — and the terminal
//! settings, when the prompter registered a [restore hook](set_restore_hook) for a mode it
//! changed — and exits with 130: nothing has been saved before the live test passed, so
//! there is nothing to undo. Esc during the live test comes here too, through [`cancel`].
//! While the secret and the config are being written a [`CommitGuard`] is alive and the
//! interrupt waits for it, so a run never ends with the keyring and the config
//! disagreeing; the guard's [`CommitGuard::finish`] then hands the interrupt to the command
//! as a value, which ends the run with 130 the ordinary way.
//!
//! The words of the notice come from above ([`set_notice`]): this module knows no language.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

static COMMITTING: AtomicUsize = AtomicUsize::new(0);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static ANNOUNCED: Once = Once::new();
static NOTICE: OnceLock<String> = OnceLock::new();

/// Puts the terminal back; set while the prompter has it in a mode of its own.
type RestoreHook = Box<dyn Fn() + Send>;
static RESTORE: Mutex<Option<RestoreHook>> = Mutex::new(None);

/// Installs the handler once; later calls do nothing.
pub fn install() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    // If another handler is already installed (embedding), keep the default behaviour.
    let _ = ctrlc::set_handler(cancel);
}

/// Cancels the run: exits 130 now, or as soon as a save in progress has finished.
pub fn cancel() {
    if COMMITTING.load(Ordering::SeqCst) > 0 {
        INTERRUPTED.store(true, Ordering::SeqCst);
        return;
    }
    exit_cancelled();
}

/// The line printed when a run is cancelled, in the person's language. Set once at start.
pub fn set_notice(text: String) {
    let _ = NOTICE.set(text);
}

/// Whether an interrupt was held back during a save: whatever the save's own outcome, the
/// run then ends as cancelled.
pub fn held_back() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Registers what puts the terminal back if the run is cancelled while the prompter has
/// changed its settings (the keyboard watch of the live test).
pub fn set_restore_hook(hook: RestoreHook) {
    *RESTORE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(hook);
}

/// The terminal is back as it was; nothing to restore any more.
pub fn clear_restore_hook() {
    RESTORE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
}

/// Prints the cancellation notice once, restores the cursor, and exits 130.
pub fn exit_cancelled() -> ! {
    announce_cancelled();
    std::process::exit(130)
}

/// Shows the cursor and says "cancelled" exactly once, whoever notices first. A second
/// caller waits until the first has finished: Ctrl-C at a choice reaches both the signal
/// handler and the main thread, and the main thread returning from `main` ends the process,
/// which must not happen half-way through the first caller's restoring and printing.
pub fn announce_cancelled() {
    ANNOUNCED.call_once(|| {
        if let Some(restore) = RESTORE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            restore();
        }
        let term = console::Term::stderr();
        let _ = term.show_cursor();
        eprintln!("\n{}", NOTICE.get().map_or("cancelled", String::as_str));
    });
}

/// While alive, Ctrl-C is held back; [`finish`](CommitGuard::finish) says whether one came.
pub struct CommitGuard(());

/// Ctrl-C (or another cancelling signal) arrived while a save was in progress.
#[derive(Debug, PartialEq, Eq)]
pub struct Interrupted;

impl CommitGuard {
    pub fn new() -> CommitGuard {
        COMMITTING.fetch_add(1, Ordering::SeqCst);
        CommitGuard(())
    }

    /// Ends the save. An interrupt that was held back is returned as a value, so the
    /// command ends with 130 after the save completed rather than pretending it did not
    /// happen.
    pub fn finish(self) -> Result<(), Interrupted> {
        drop(self);
        if INTERRUPTED.load(Ordering::SeqCst) {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }
}

impl Default for CommitGuard {
    fn default() -> Self {
        CommitGuard::new()
    }
}

impl Drop for CommitGuard {
    fn drop(&mut self) {
        // Only the count: a guard dropped on an error path ends the run with that error,
        // and `finish` reports a held-back interrupt on the success path.
        COMMITTING.fetch_sub(1, Ordering::SeqCst);
    }
}
