//! [`LiveMailCheck`]: the real implementation of the [`MailCheck`] seam, over the network.

use std::time::Duration;

use crate::domain::{AppPassword, LoginLadder};
use crate::mail::tls::TrustAnchors;
use crate::mail::{MailCheck, ProbeReport, ServerAddress, imap_probe, smtp_probe};

/// Tests servers for real, trusting the system's CAs plus any `--ca-file`, each
/// connection bounded by `timeout`.
#[derive(Clone, Debug)]
pub struct LiveMailCheck {
    pub anchors: TrustAnchors,
    pub timeout: Duration,
}

impl MailCheck for LiveMailCheck {
    fn check_imap(
        &self,
        server: &ServerAddress,
        ladder: &LoginLadder,
        password: &AppPassword,
    ) -> ProbeReport {
        imap_probe::probe(server, ladder, password, &self.anchors, self.timeout)
    }

    fn check_smtp(
        &self,
        server: &ServerAddress,
        username: &str,
        password: &AppPassword,
    ) -> ProbeReport {
        smtp_probe::probe(server, username, password, &self.anchors, self.timeout)
    }
}
