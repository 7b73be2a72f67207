//! Ctrl-C: leave the terminal as it was, exit 130, and never in the middle of saving.
//!
//! In a terminal, Ctrl-C at a choice or during the live test raises SIGINT (the line
//! prompts read it as a key instead). The handler restores the cursor — and the terminal
//! settings, when the prompter registered a [restore hook](set_restore_hook) for a mode it
//! changed — and exits with 130: nothing has been saved before the live test passed, so
//! there is nothing to undo. Esc during the live test comes here too, through [`cancel`].
//! While the secret and the config are being written a [`CommitGuard`] is alive and the
//! interrupt waits for it, so a run never ends with the keyring and the config
//! disagreeing: a signal that arrives before the config is renamed into place makes the
//! save roll back (the keyring gets its old content back, the temporary file is removed)
//! and the run ends with 130; one that arrives after it lets the save finish and says so.
//! Both reach the command as a value ([`Interrupted`], from [`stop_if_interrupted`] and
//! [`CommitGuard::finish`]), so the run ends the ordinary way, never from a destructor.
//!
//! SIGTERM and SIGHUP (the `termination` feature of `ctrlc`) take the same way as Ctrl-C,
//! so a closed terminal window or a `kill` never leaves the terminal without echo.
//!
//! The words of the notice come from above ([`set_notice`]): this module knows no language.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

static COMMITTING: AtomicUsize = AtomicUsize::new(0);
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static ANNOUNCED: Once = Once::new();
static NOTICE: OnceLock<String> = OnceLock::new();

/// What is still on its way when the run is cancelled (a sent test message), said after
/// the notice; in the person's language, from above.
static NOTE: Mutex<Option<String>> = Mutex::new(None);

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

/// Whether an interrupt is waiting for a save to finish.
pub fn pending() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// `Err(BeforeSave)` when an interrupt is waiting: called by a save at its last point of
/// return, so that it rolls back instead of finishing.
pub fn stop_if_interrupted() -> Result<(), Interrupted> {
    if pending() {
        Err(Interrupted::BeforeSave)
    } else {
        Ok(())
    }
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

/// Sets (or with `None` clears) what a cancellation must say besides its notice: something
/// the run set in motion that a cancel cannot call back, such as a test message already
/// sent and not yet removed.
pub fn set_note(text: Option<String>) {
    *NOTE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = text;
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
        show_cursor();
        eprintln!("\n{}", NOTICE.get().map_or("cancelled", String::as_str));
        let note = NOTE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(note) = note {
            eprintln!("{note}");
        }
    });
}

/// Shows the cursor again (a spinner hides it); a dumb terminal gets no control sequence.
fn show_cursor() {
    if !crate::display_safe::terminal_is_dumb() {
        let _ = console::Term::stderr().show_cursor();
    }
}

/// While alive, Ctrl-C is held back; [`finish`](CommitGuard::finish) says whether one came.
pub struct CommitGuard(());

/// Ctrl-C (or another cancelling signal) arrived while a save was in progress.
#[derive(Debug, PartialEq, Eq)]
pub enum Interrupted {
    /// Before the last step: the save rolls back, nothing is saved.
    BeforeSave,
    /// After it: everything is saved, and the run stops there.
    AfterSave,
}

impl CommitGuard {
    pub fn new() -> CommitGuard {
        COMMITTING.fetch_add(1, Ordering::SeqCst);
        CommitGuard(())
    }

    /// Ends a save that completed. An interrupt that was held back is returned as a value
    /// ([`Interrupted::AfterSave`]), so the command ends with 130 and says the save is
    /// complete, rather than pretending the interrupt did not happen.
    pub fn finish(self) -> Result<(), Interrupted> {
        drop(self);
        if INTERRUPTED.load(Ordering::SeqCst) {
            Err(Interrupted::AfterSave)
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
        // Only the count: the command learns of a held-back interrupt as a value, from
        // `stop_if_interrupted` before the last step or from `finish` after it.
        COMMITTING.fetch_sub(1, Ordering::SeqCst);
    }
}
