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

/// The one decision point between a cancelling signal and a save (see [`Gate`]).
static GATE: Gate = Gate::new();
static ANNOUNCED: Once = Once::new();
static NOTICE: OnceLock<String> = OnceLock::new();
static NOTICE_AFTER_SAVE: OnceLock<String> = OnceLock::new();

/// What is still on its way when the run is cancelled (a sent test message), said after
/// the notice; in the person's language, from above.
static NOTE: Mutex<Option<String>> = Mutex::new(None);

/// Puts the terminal back; set while the prompter has it in a mode of its own.
type RestoreHook = Box<dyn Fn() + Send>;
static RESTORE: Mutex<Option<RestoreHook>> = Mutex::new(None);

/// Installs the handler once; later calls do nothing.
pub(crate) fn install() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    // If another handler is already installed (embedding), keep the default behaviour.
    let _ = ctrlc::set_handler(cancel);
}

/// Whether an interrupt is waiting for a save to finish.
pub(crate) fn pending() -> bool {
    GATE.interrupted()
}

/// `Err(BeforeSave)` when an interrupt is waiting: called by a save at its last point of
/// return, so that it rolls back instead of finishing.
pub(crate) fn stop_if_interrupted() -> Result<(), Interrupted> {
    if pending() {
        Err(Interrupted::BeforeSave)
    } else {
        Ok(())
    }
}

/// Cancels the run: exits 130 now, or as soon as a save in progress has finished.
pub(crate) fn cancel() {
    match GATE.cancel(|| {}) {
        Cancel::Exit => exit_cancelled(),
        Cancel::HeldBack => {}
    }
}

/// What a cancelling signal does, decided in one atomic step against the saves in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cancel {
    /// No save is in progress, and none can start any more: the run ends now.
    Exit,
    /// A save is in progress: it sees the interrupt and ends the run when it is done.
    HeldBack,
}

/// A save may not start: a cancelling signal has already decided to end the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closing;

/// Saves in progress and the interrupt, in ONE word, so that "is a save in progress?" and
/// "then hold the interrupt back" (or "then end the run") are a single compare-and-swap.
/// With two separate flags, a signal could read "no save", the main thread start writing the
/// keyring, and the signal end the run half-saved; or a save could end between the signal's
/// read and its write, and the interrupt be lost.
///
/// The low bits count the saves in progress; [`INTERRUPTED`](Gate::INTERRUPTED) records a
/// held-back interrupt; [`CLOSING`](Gate::CLOSING) says a signal is ending the run, after
/// which no save may begin.
#[derive(Debug)]
pub(crate) struct Gate(AtomicUsize);

impl Gate {
    const CLOSING: usize = 1 << (usize::BITS - 1);
    const INTERRUPTED: usize = 1 << (usize::BITS - 2);
    const SAVED: usize = 1 << (usize::BITS - 3);
    const COUNT: usize = Gate::SAVED - 1;

    pub(crate) const fn new() -> Gate {
        Gate(AtomicUsize::new(0))
    }

    /// A cancelling signal: ends the run ([`Cancel::Exit`]) if no save is in progress, and
    /// then no save can begin; otherwise records the interrupt for the save to see.
    /// `between` runs after the state was read and before it is changed: nothing in a real
    /// run (an empty closure), and in tests the other thread's move at the worst moment.
    pub(crate) fn cancel(&self, mut between: impl FnMut()) -> Cancel {
        let mut seen = self.0.load(Ordering::SeqCst);
        loop {
            between();
            let (next, decision) = if seen & Gate::COUNT == 0 {
                (seen | Gate::CLOSING, Cancel::Exit)
            } else {
                (seen | Gate::INTERRUPTED, Cancel::HeldBack)
            };
            match self
                .0
                .compare_exchange(seen, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return decision,
                Err(now) => seen = now,
            }
        }
    }

    /// A save begins, unless a signal is already ending the run. `between` as in
    /// [`cancel`](Gate::cancel).
    pub(crate) fn enter(&self, mut between: impl FnMut()) -> Result<(), Closing> {
        let mut seen = self.0.load(Ordering::SeqCst);
        loop {
            between();
            if seen & Gate::CLOSING != 0 {
                return Err(Closing);
            }
            match self
                .0
                .compare_exchange(seen, seen + 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return Ok(()),
                Err(now) => seen = now,
            }
        }
    }

    /// A save ends; says whether an interrupt was held back, read in the same step that
    /// ends the save, so that no interrupt can slip in between and be lost.
    pub(crate) fn leave(&self) -> Result<(), Interrupted> {
        let before = self.0.fetch_sub(1, Ordering::SeqCst);
        debug_assert!(before & Gate::COUNT > 0, "a save left that never began");
        if before & Gate::INTERRUPTED == 0 {
            Ok(())
        } else {
            Err(Interrupted::AfterSave)
        }
    }

    /// A save ends complete: as [`leave`](Gate::leave), and in the same step the run is
    /// marked as having saved, so that a signal from now on does not say "nothing saved".
    pub(crate) fn leave_saved(&self) -> Result<(), Interrupted> {
        let before = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |state| {
                Some((state - 1) | Gate::SAVED)
            })
            .unwrap_or_else(|state| state);
        debug_assert!(before & Gate::COUNT > 0, "a save left that never began");
        if before & Gate::INTERRUPTED == 0 {
            Ok(())
        } else {
            Err(Interrupted::AfterSave)
        }
    }

    /// Whether a save of this run has completed.
    pub(crate) fn saved(&self) -> bool {
        self.0.load(Ordering::SeqCst) & Gate::SAVED != 0
    }

    /// Whether an interrupt was held back for a save.
    pub(crate) fn interrupted(&self) -> bool {
        self.0.load(Ordering::SeqCst) & Gate::INTERRUPTED != 0
    }
}

impl Default for Gate {
    fn default() -> Self {
        Gate::new()
    }
}

/// The line printed when a run is cancelled, in the person's language. Set once at start.
pub(crate) fn set_notice(text: String) {
    let _ = NOTICE.set(text);
}

/// The line printed instead when a run is cancelled after one of its saves completed (the
/// save stands: "nothing was saved" would be untrue). Set once at start.
pub(crate) fn set_notice_after_save(text: String) {
    let _ = NOTICE_AFTER_SAVE.set(text);
}

/// Sets (or with `None` clears) what a cancellation must say besides its notice: something
/// the run set in motion that a cancel cannot call back, such as a test message already
/// sent and not yet removed.
pub(crate) fn set_note(text: Option<String>) {
    *NOTE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = text;
}

/// Whether an interrupt was held back during a save: whatever the save's own outcome, the
/// run then ends as cancelled.
pub(crate) fn held_back() -> bool {
    GATE.interrupted()
}

/// Registers what puts the terminal back if the run is cancelled while the prompter has
/// changed its settings (the keyboard watch of the live test).
pub(crate) fn set_restore_hook(hook: RestoreHook) {
    *RESTORE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(hook);
}

/// The terminal is back as it was; nothing to restore any more.
pub(crate) fn clear_restore_hook() {
    RESTORE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
}

/// Prints the cancellation notice once, restores the cursor, and exits 130.
pub(crate) fn exit_cancelled() -> ! {
    announce_cancelled();
    std::process::exit(130)
}

/// Shows the cursor and says "cancelled" exactly once, whoever notices first. A second
/// caller waits until the first has finished: Ctrl-C at a choice reaches both the signal
/// handler and the main thread, and the main thread returning from `main` ends the process,
/// which must not happen half-way through the first caller's restoring and printing.
pub(crate) fn announce_cancelled() {
    ANNOUNCED.call_once(|| {
        if let Some(restore) = RESTORE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            restore();
        }
        show_cursor();
        let notice = if GATE.saved() {
            NOTICE_AFTER_SAVE.get().or(NOTICE.get())
        } else {
            NOTICE.get()
        };
        crate::streams::to_stderr(&format!("\n{}", notice.map_or("cancelled", String::as_str)));
        let note = NOTE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(note) = note {
            crate::streams::to_stderr(&note);
        }
    });
}

/// Puts the terminal back for a run that ends abnormally (a panic): the prompter's settings
/// if it changed them, and the cursor. Never waits: if the hook's lock is held (the panic
/// happened while holding it), the terminal is left to the shell rather than the run hang.
pub(crate) fn restore_terminal() {
    if let Ok(mut slot) = RESTORE.try_lock()
        && let Some(restore) = slot.take()
    {
        restore();
    }
    if console::Term::stderr().is_term() {
        show_cursor();
    }
}

/// Shows the cursor again (a spinner hides it); a dumb terminal gets no control sequence.
fn show_cursor() {
    if !crate::display_safe::terminal_is_dumb() {
        let _ = console::Term::stderr().show_cursor();
    }
}

/// While alive, Ctrl-C is held back; [`finish`](CommitGuard::finish) says whether one came.
pub(crate) struct CommitGuard {
    /// Whether [`finish`](CommitGuard::finish) has already ended the save.
    left: bool,
}

/// Ctrl-C (or another cancelling signal) arrived while a save was in progress.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Interrupted {
    /// Before the last step: the save rolls back, nothing is saved.
    BeforeSave,
    /// After it: everything is saved, and the run stops there.
    AfterSave,
}

impl CommitGuard {
    /// Begins a save. If a signal is already ending the run, nothing may be written: this
    /// waits for that exit (the signal's thread is restoring the terminal and printing the
    /// notice), and so never returns.
    pub(crate) fn new() -> CommitGuard {
        if GATE.enter(|| {}).is_err() {
            loop {
                std::thread::park();
            }
        }
        CommitGuard { left: false }
    }

    /// Ends a save that completed. An interrupt that was held back is returned as a value
    /// ([`Interrupted::AfterSave`]), so the command ends with 130 and says the save is
    /// complete, rather than pretending the interrupt did not happen.
    pub(crate) fn finish(mut self) -> Result<(), Interrupted> {
        self.left = true;
        GATE.leave_saved()
    }
}

impl Default for CommitGuard {
    fn default() -> Self {
        CommitGuard::new()
    }
}

impl Drop for CommitGuard {
    fn drop(&mut self) {
        // A save that returned early (an error, a roll-back): the command learns of a
        // held-back interrupt from `stop_if_interrupted`, and the run from `held_back`.
        if !self.left {
            let _ = GATE.leave();
        }
    }
}

#[cfg(test)]
mod tests {
    //! The race between a signal and a save, played out deterministically: the other side's move is made
    //! at the worst moment, between a side's read of the state and its change of it.
    use super::{Cancel, Closing, Gate, Interrupted};
    use std::cell::Cell;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn a_save_that_begins_while_the_signal_decides_holds_the_signal_back() {
        // The signal reads "no save"; the main thread then begins the save. Before, the
        // signal ended the run there: secret written, config not.
        let gate = Gate::new();
        let once = Cell::new(true);
        let decision = gate.cancel(|| {
            if once.replace(false) {
                gate.enter(|| {}).expect("no signal has decided yet");
            }
        });
        assert_eq!(decision, Cancel::HeldBack);
        assert!(gate.interrupted());
        assert_eq!(gate.leave(), Err(Interrupted::AfterSave));
    }

    #[test]
    fn a_save_that_ends_while_the_signal_decides_does_not_swallow_it() {
        // The signal reads "a save is running"; the save then ends. Before, the signal was
        // recorded after the save had looked for it: lost, and the run exited 0.
        let gate = Gate::new();
        gate.enter(|| {}).unwrap();
        let once = Cell::new(true);
        let decision = gate.cancel(|| {
            if once.replace(false) {
                assert_eq!(gate.leave(), Ok(()));
            }
        });
        assert_eq!(decision, Cancel::Exit);
    }

    #[test]
    fn a_save_cannot_begin_once_a_signal_has_decided_to_end_the_run() {
        let gate = Gate::new();
        let once = Cell::new(true);
        let entered = gate.enter(|| {
            if once.replace(false) {
                assert_eq!(gate.cancel(|| {}), Cancel::Exit);
            }
        });
        assert_eq!(entered, Err(Closing));
    }

    #[test]
    fn only_a_completed_save_marks_the_run_as_saved() {
        let gate = Gate::new();
        gate.enter(|| {}).unwrap();
        assert_eq!(gate.leave(), Ok(())); // rolled back
        assert!(!gate.saved());
        gate.enter(|| {}).unwrap();
        assert_eq!(gate.leave_saved(), Ok(()));
        assert!(gate.saved());
        // A later signal ends the run; its notice says the save stands.
        assert_eq!(gate.cancel(|| {}), Cancel::Exit);
        assert!(gate.saved());
    }

    #[test]
    fn nested_saves_hold_the_signal_until_the_last_reports_it() {
        let gate = Gate::new();
        gate.enter(|| {}).unwrap();
        gate.enter(|| {}).unwrap();
        assert_eq!(gate.cancel(|| {}), Cancel::HeldBack);
        assert_eq!(gate.leave(), Err(Interrupted::AfterSave));
        assert_eq!(gate.leave(), Err(Interrupted::AfterSave));
        // The save is over: a second signal ends the run.
        assert_eq!(gate.cancel(|| {}), Cancel::Exit);
    }

    #[test]
    fn stress_every_signal_either_ends_the_run_outside_a_save_or_is_reported_by_it() {
        // Two threads, a save and a signal, released together thousands of times. A signal
        // that ends the run must find no save inside; one held back must be reported by the
        // save; a save must never begin after the run was ended.
        for _ in 0..4000 {
            let gate = Arc::new(Gate::new());
            let inside = Arc::new(AtomicBool::new(false));
            let ended = Arc::new(AtomicBool::new(false));
            let start = Arc::new(std::sync::Barrier::new(2));
            let saver = {
                let (gate, inside, ended, start) =
                    (gate.clone(), inside.clone(), ended.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    if gate.enter(std::thread::yield_now).is_err() {
                        return (None, false);
                    }
                    // Begun after the signal had ended the run: a half-saved account.
                    let late = ended.load(Ordering::SeqCst);
                    inside.store(true, Ordering::SeqCst);
                    std::hint::spin_loop();
                    inside.store(false, Ordering::SeqCst);
                    (Some(gate.leave()), late)
                })
            };
            start.wait();
            // A yield between read and change widens the window the race needs.
            let decision = gate.cancel(std::thread::yield_now);
            if decision == Cancel::Exit {
                ended.store(true, Ordering::SeqCst);
            }
            let found_inside = inside.load(Ordering::SeqCst);
            let (outcome, began_late) = saver.join().unwrap();
            assert!(!began_late, "a save began after the signal ended the run");
            match decision {
                Cancel::Exit => assert!(!found_inside, "the run ended in the middle of a save"),
                Cancel::HeldBack => assert_eq!(
                    outcome,
                    Some(Err(Interrupted::AfterSave)),
                    "a held-back signal was not reported"
                ),
            }
            if outcome == Some(Ok(())) {
                assert_eq!(decision, Cancel::Exit, "the signal was swallowed");
            }
        }
    }
}
