//! [`LiveMailCheck`]: the real implementation of the [`MailCheck`] seam, over the network,
//! and [`Preconnected`]: connections opened ahead of the password.

use std::sync::{Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use crate::domain::{AppPassword, LoginLadder};
use crate::mail::endpoint::Deadline;
use crate::mail::tls::TrustAnchors;
use crate::mail::{
    Detail, FailureKind, MailCheck, ProbeFailure, ProbeReport, ServerAddress, Stage,
    TranscriptLine, imap_probe, smtp_probe,
};

/// Tests servers for real, trusting the system's CAs plus any `--ca-file`, each server
/// bounded by `timeout` in all. Clones of `anchors` share one TLS connector, so a run
/// loads the CA store once.
#[derive(Clone, Debug)]
pub struct LiveMailCheck {
    pub anchors: TrustAnchors,
    pub timeout: Duration,
}

/// How much longer than its deadline a check waits for the connection opened ahead of time.
const HANDOVER_GRACE: Duration = Duration::from_millis(300);

/// What a connection opened ahead of time came to, and when.
type Opened<T> = (Result<T, ProbeFailure>, Vec<TranscriptLine>, Instant);

/// A connection being opened (or opened) on a helper thread, for one server. Dropping it
/// closes the connection; a thread still connecting closes its connection when it is done
/// (by its deadline).
pub struct Pending<T> {
    server: ServerAddress,
    receiver: mpsc::Receiver<Opened<T>>,
}

impl<T: Send + 'static> Pending<T> {
    fn start(
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
    pub fn take(
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
pub trait Stale {
    fn is_stale(&self) -> bool;
}

impl Stale for imap_probe::Ready {
    fn is_stale(&self) -> bool {
        imap_probe::Ready::is_stale(self)
    }
}

impl Stale for smtp_probe::Ready {
    fn is_stale(&self) -> bool {
        smtp_probe::Ready::is_stale(self)
    }
}

/// Connections to both servers opened ahead of the password (see
/// [`MailCheck::preconnect`]); each is used at most once, by the first check of its server.
#[derive(Default)]
pub struct Preconnected {
    imap: Mutex<Option<Pending<imap_probe::Ready>>>,
    smtp: Mutex<Option<Pending<smtp_probe::Ready>>>,
}

impl Preconnected {
    /// Nothing opened ahead of time.
    pub fn none() -> Preconnected {
        Preconnected::default()
    }

    fn take_imap(&self, server: &ServerAddress) -> Option<Pending<imap_probe::Ready>> {
        let mut slot = self.imap.lock().unwrap_or_else(PoisonError::into_inner);
        slot.take().filter(|pending| pending.server == *server)
    }

    fn take_smtp(&self, server: &ServerAddress) -> Option<Pending<smtp_probe::Ready>> {
        let mut slot = self.smtp.lock().unwrap_or_else(PoisonError::into_inner);
        slot.take().filter(|pending| pending.server == *server)
    }
}

impl MailCheck for LiveMailCheck {
    fn preconnect(&self, imap: &ServerAddress, smtp: &ServerAddress) -> Preconnected {
        self.anchors.prepare();
        let timeout = self.timeout;
        let (anchors, server) = (self.anchors.clone(), imap.clone());
        let imap = Pending::start(imap, move |transcript| {
            imap_probe::open(&server, &anchors, Deadline::after(timeout), transcript)
        });
        let (anchors, server) = (self.anchors.clone(), smtp.clone());
        let smtp = Pending::start(smtp, move |transcript| {
            let deadline = Deadline::after(timeout);
            smtp_probe::open(&server, &anchors, timeout, deadline, transcript)
        });
        Preconnected {
            imap: Mutex::new(Some(imap)),
            smtp: Mutex::new(Some(smtp)),
        }
    }

    fn check_imap_preconnected(
        &self,
        server: &ServerAddress,
        ladder: &LoginLadder,
        password: &AppPassword,
        pre: &Preconnected,
    ) -> ProbeReport {
        imap_probe::probe(
            server,
            ladder,
            password,
            &self.anchors,
            self.timeout,
            pre.take_imap(server),
        )
    }

    fn check_smtp_preconnected(
        &self,
        server: &ServerAddress,
        username: &str,
        password: &AppPassword,
        pre: &Preconnected,
    ) -> ProbeReport {
        smtp_probe::probe(
            server,
            username,
            password,
            &self.anchors,
            self.timeout,
            pre.take_smtp(server),
        )
    }
}
