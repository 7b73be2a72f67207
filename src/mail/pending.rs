//! [`Pending`]: a connection being opened on a helper thread ahead of the password, and
//! handed over to the check that needs it. Below both probes and [`live`], which only
//! start and take them, so no import runs in a circle.
//!
//! [`live`]: crate::mail::live

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::mail::endpoint::Deadline;
use crate::mail::{Detail, FailureKind, ProbeFailure, ServerAddress, Stage, TranscriptLine};

/// How much longer than its deadline a check waits for the connection opened ahead of time.
const HANDOVER_GRACE: Duration = Duration::from_millis(300);

/// What a connection opened ahead of time came to, and when.
type Opened<T> = (Result<T, ProbeFailure>, Vec<TranscriptLine>, Instant);

/// A connection being opened (or opened) on a helper thread, for one server. Dropping it
/// closes the connection; a thread still connecting closes its connection when it is done
/// (by its deadline).
pub(crate) struct Pending<T> {
    pub(crate) server: ServerAddress,
    receiver: mpsc::Receiver<Opened<T>>,
}

impl<T: Send + 'static> Pending<T> {
    pub(crate) fn start(
        server: &ServerAddress,
        open: impl FnOnce(&mut Vec<TranscriptLine>) -> Result<T, ProbeFailure> + Send + 'static,
    ) -> Pending<T> {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut transcript = Vec::new();
            let result = open(&mut transcript);
            // Nobody waits any more: the connection is dropped here, which closes it.
            let _ = sender.send((result, transcript, Instant::now()));
        });
        Pending {
            server: server.clone(),
            receiver,
        }
    }
}

impl<T> Pending<T> {
    /// The connection for a check that started at `started`, waiting for it until
    /// `deadline`. `None` when it must be opened again: it failed before the check began
    /// (the network may have changed since), or the server closed it while it waited.
    pub(crate) fn take(
        self,
        started: Instant,
        deadline: Deadline,
        transcript: &mut Vec<TranscriptLine>,
    ) -> Option<Result<T, ProbeFailure>>
    where
        T: Stale,
    {
        // The connection's own deadline came no later than this check's; the grace only
        // covers the helper thread's wake-up, so its own words (the stage that timed out)
        // are reported rather than a guess.
        let wait = deadline.remaining().unwrap_or(Duration::ZERO) + HANDOVER_GRACE;
        let (result, mut lines, finished) = match self.receiver.recv_timeout(wait) {
            Ok(opened) => opened,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Some(Err(ProbeFailure::new(
                    Stage::Connect,
                    FailureKind::TimedOut,
                    Detail::NoAnswerInTime,
                )));
            }
            // The helper is gone without a word: open the connection here instead.
            Err(mpsc::RecvTimeoutError::Disconnected) => return None,
        };
        transcript.append(&mut lines);
        match result {
            Ok(ready) if ready.is_stale() => {
                transcript.push(TranscriptLine::PreconnectionRedone);
                None
            }
            Ok(ready) => {
                transcript.push(TranscriptLine::UsingPreconnected);
                Some(Ok(ready))
            }
            Err(_) if finished < started => {
                transcript.push(TranscriptLine::PreconnectionRedone);
                None
            }
            Err(failure) => Some(Err(failure)),
        }
    }
}

/// A connection that can tell whether the server hung up while it waited.
pub(crate) trait Stale {
    fn is_stale(&self) -> bool;
}
