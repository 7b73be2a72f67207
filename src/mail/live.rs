//! [`LiveMailCheck`]: the real implementation of the [`MailCheck`] seam, over the network,
//! and [`Preconnected`]: connections opened ahead of the password.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::domain::{AppPassword, LoginLadder};
use crate::mail::endpoint::Deadline;
use crate::mail::pending::Pending;
use crate::mail::tls::TrustAnchors;
use crate::mail::{MailCheck, ProbeReport, ServerAddress, imap_probe, send_test, smtp_probe};

/// Tests servers for real, trusting the system's CAs plus any `--ca-file`, each server
/// bounded by `timeout` in all. Clones of `anchors` share one TLS connector, so a run
/// loads the CA store once.
#[derive(Clone, Debug)]
pub struct LiveMailCheck {
    pub anchors: TrustAnchors,
    pub timeout: Duration,
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
        self.check_imap_announcing(server, ladder, password, pre, &mut |_| {})
    }

    fn check_imap_announcing(
        &self,
        server: &ServerAddress,
        ladder: &LoginLadder,
        password: &AppPassword,
        pre: &Preconnected,
        on_verdict: &mut dyn FnMut(&ProbeReport),
    ) -> ProbeReport {
        imap_probe::probe(
            server,
            ladder,
            password,
            &self.anchors,
            self.timeout,
            pre.take_imap(server),
            on_verdict,
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

    fn open_watcher(
        &self,
        server: &ServerAddress,
        username: &str,
        password: &AppPassword,
    ) -> Result<Box<dyn send_test::WatchSession>, send_test::SendFailure> {
        send_test::Watcher::open(server, username, password, &self.anchors, self.timeout)
            .map(|watcher| Box::new(watcher) as Box<dyn send_test::WatchSession>)
    }

    fn submit(&self, submission: &send_test::Submission<'_>) -> send_test::SubmitReport {
        send_test::submit(submission, &self.anchors, self.timeout)
    }
}
