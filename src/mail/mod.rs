//! The live test: proving a username and app-specific password against the IMAP and SMTP
//! servers, and explaining exactly where and why it failed when it did.
//!
//! - `endpoint`: `HOST:PORT`, bounded name lookup and connect, the per-connection deadline.
//! - `tls`: the trust store (system CAs plus `--ca-file`) and what a TLS error means.
//! - `imap_probe`: TLS from the first byte, `LOGIN` down the [`LoginLadder`].
//! - `smtp_probe`: STARTTLS required, then `AUTH`; never sends mail.
//! - `live`: [`LiveMailCheck`], the one real implementation of the [`MailCheck`] seam.
//!
//! Nothing here prompts, prints or stores: probes return reports, and the caller decides
//! what the person sees.

pub mod endpoint;
pub mod imap_probe;
pub mod live;
pub mod send_test;
pub mod smtp_probe;
pub mod tls;

use std::fmt;

pub use endpoint::ServerAddress;
pub use live::LiveMailCheck;

use crate::domain::{AppPassword, LoginLadder};

/// The step of a connection that failed, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    NameLookup,
    Connect,
    Tls,
    Greeting,
    StartTls,
    Login,
}

/// What went wrong, at the level a person can act on. Each maps to one exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The host name does not resolve.
    Unresolvable,
    /// Nothing accepts connections there (refused, network unreachable).
    Unreachable,
    /// A wait ran past `--timeout`.
    TimedOut,
    /// The server closed the connection in the middle of the conversation.
    Dropped,
    /// The server said it is temporarily unavailable (`[UNAVAILABLE]`, SMTP 4xx).
    Unavailable,
    /// TLS from the first byte met a plain-text port, or the other way round.
    WrongTlsMode,
    /// The certificate is not valid for this host.
    CertificateWrongHost,
    /// The certificate has expired or is not valid yet.
    CertificateExpired,
    /// The certificate is signed by an authority this machine does not trust.
    CertificateUntrusted,
    /// Any other TLS failure.
    TlsFailure,
    /// The SMTP server does not offer STARTTLS, so the password cannot be sent safely.
    StartTlsMissing,
    /// The server said something the protocol does not allow here.
    Protocol,
    /// Username or password refused.
    BadCredentials,
}

impl FailureKind {
    /// The sysexits code of PRODUCT.md's table.
    pub fn exit_code(self) -> u8 {
        match self {
            FailureKind::Unresolvable | FailureKind::Unreachable => 69,
            FailureKind::TimedOut | FailureKind::Dropped | FailureKind::Unavailable => 75,
            FailureKind::WrongTlsMode
            | FailureKind::CertificateWrongHost
            | FailureKind::CertificateExpired
            | FailureKind::CertificateUntrusted
            | FailureKind::TlsFailure
            | FailureKind::StartTlsMissing
            | FailureKind::Protocol => 76,
            FailureKind::BadCredentials => 77,
        }
    }

    /// Which of two failures decides the exit code: the one a person must fix (a wrong
    /// password) outranks a security problem, which outranks an unreachable server,
    /// which outranks a temporary hiccup that may go away by itself.
    pub fn severity(self) -> u8 {
        match self.exit_code() {
            77 => 4,
            76 => 3,
            69 => 2,
            _ => 1,
        }
    }
}

/// One failed probe: where, what, and the server's own words if it said any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeFailure {
    pub stage: Stage,
    pub kind: FailureKind,
    /// The server's reply, verbatim (never contains the secret: servers do not echo it).
    pub server_said: Option<String>,
    /// Our side's description: the system or TLS library error.
    pub detail: String,
}

impl ProbeFailure {
    pub fn new(stage: Stage, kind: FailureKind, detail: impl Into<String>) -> ProbeFailure {
        ProbeFailure {
            stage,
            kind,
            server_said: None,
            detail: detail.into(),
        }
    }

    #[must_use]
    pub fn with_server_said(mut self, words: impl Into<String>) -> ProbeFailure {
        self.server_said = Some(words.into());
        self
    }
}

/// Which server a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Imap,
    Smtp,
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Imap => "IMAP",
            Protocol::Smtp => "SMTP",
        })
    }
}

/// The result of testing one server.
#[derive(Clone, Debug)]
pub struct ProbeReport {
    pub protocol: Protocol,
    pub server: ServerAddress,
    /// Every username sent, in order.
    pub usernames_tried: Vec<String>,
    /// The username the server accepted, or why it did not work.
    pub outcome: Result<String, ProbeFailure>,
    /// The conversation, with the secret masked, for `--verbose`.
    pub transcript: Vec<String>,
}

impl ProbeReport {
    pub fn failure(&self) -> Option<&ProbeFailure> {
        self.outcome.as_ref().err()
    }
}

/// The mail-check seam: tests one server with one password. Implementations must be
/// shareable across threads, because IMAP and SMTP are tested at the same time.
pub trait MailCheck: Sync {
    fn check_imap(
        &self,
        server: &ServerAddress,
        ladder: &LoginLadder,
        password: &AppPassword,
    ) -> ProbeReport;

    fn check_smtp(
        &self,
        server: &ServerAddress,
        username: &str,
        password: &AppPassword,
    ) -> ProbeReport;
}
