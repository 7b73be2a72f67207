//! The live test: proving a username and app-specific password against the IMAP and SMTP
//! servers, and explaining exactly where and why it failed when it did.
//!
//! - `endpoint`: `HOST:PORT`, bounded name lookup, the Happy Eyeballs connect, the deadline.
//! - `tls`: the trust store (system CAs plus `--ca-file`), one shared connector per run, and
//!   what a TLS error means; `tls_backend`: the TLS client itself.
//! - `wire`: one bounded conversation (line and response caps, one deadline, the secret
//!   masked in everything the server says); `mask`: the masking, in every spelling the
//!   program accepts for the password (case, spaces, hyphens, three of the four groups,
//!   base64 at any offset).
//! - `imap_reader`, `smtp_reader`: the one IMAP response reader and the one SMTP reply
//!   reader, used by the live test and the send test alike.
//! - `imap_probe`: TLS from the first byte, `LOGIN` down the [`LoginLadder`], then one
//!   `LIST` for the account's folders (`imap_list`).
//! - `smtp_probe`: STARTTLS required, then `AUTH`; never sends mail.
//! - `pending`: a connection opened on a helper thread ahead of the password.
//! - `live`: [`LiveMailCheck`], the one real implementation of the [`MailCheck`] seam, and
//!   [`Preconnected`], connections opened ahead of the password.
//! - `send_test`: `--send-test`, on the same connection code and the same bounded wire:
//!   one message submitted to oneself, watched for over IMAP, removed.
//!
//! Nothing here prompts, prints or stores, and nothing here is in English: probes return
//! typed reports ([`Detail`], [`TranscriptLine`]), and `messages` words them. What servers
//! said is kept raw; it is escaped where it reaches a terminal.

// The modules in `test_support_pub!` are the crate's own; they are public only with the
// `test-support` feature, for the integration tests' property tests and fakes of the send
// test, and for the fuzz targets.
test_support_pub!(
    endpoint,
    imap_list,
    imap_probe,
    imap_reader,
    send_test,
    smtp_probe,
    smtp_reader,
    wire,
);
pub(crate) mod live;
pub(crate) mod mask;
pub(crate) mod pending;
pub mod tls;
pub(crate) mod tls_backend;

use std::fmt;
use std::net::SocketAddr;

pub use endpoint::ServerAddress;
pub use live::{LiveMailCheck, Preconnected};

use crate::domain::{AppPassword, LoginLadder};

/// The protocol step that failed: one for each step the live test and the send test take,
/// in the order they happen, so a failure never names a step it was not in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    NameLookup,
    Connect,
    Tls,
    Greeting,
    StartTls,
    /// IMAP `LOGIN`, SMTP `AUTH`: signing in, and nothing after it.
    Login,
    /// The send test's SMTP envelope: `MAIL FROM`.
    MailFrom,
    /// The send test's SMTP envelope: `RCPT TO`.
    RcptTo,
    /// SMTP `DATA`, before the message.
    Data,
    /// The message itself and the reply after its end.
    EndOfData,
    /// IMAP `CAPABILITY` after signing in.
    Capability,
    /// IMAP `STATUS` (and `LIST` when `STATUS` is refused) of a folder not selected.
    FolderStatus,
    /// IMAP `SELECT`.
    Select,
    /// IMAP `NOOP`: lets the server announce new mail.
    Noop,
    /// IMAP `UID SEARCH`.
    Search,
    /// IMAP `UID FETCH` of a message's header.
    Fetch,
    /// IMAP `IDLE` (and its `DONE`).
    Idle,
    /// IMAP `UID STORE` of the `\Deleted` flag.
    Store,
    /// IMAP `UID EXPUNGE`.
    Expunge,
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
    /// The sysexits code of docs/PRODUCT.md's table.
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
    pub(crate) fn severity(self) -> u8 {
        match self.exit_code() {
            77 => 4,
            76 => 3,
            69 => 2,
            _ => 1,
        }
    }
}

/// Our side's account of why a probe failed, as a typed value (`messages` words it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// The words of the system or a library (the resolver, the socket, OpenSSL).
    Library(String),
    /// The name resolved to no address.
    NoAddresses,
    /// The name lookup did not finish before the time limit.
    LookupTimedOut,
    /// A wait ran out before the server answered.
    NoAnswerInTime,
    /// The server closed the connection.
    ServerClosed,
    /// The SMTP server accepted the connection but sent no greeting.
    NoGreeting,
    /// No plain-text greeting; the server answered a TLS hello instead.
    TlsFirst,
    /// The first line was not an IMAP greeting.
    NotImapGreeting,
    /// The server said it is not accepting connections now (`* BYE`, SMTP 4xx).
    NotAccepting,
    /// The login (IMAP `LOGIN`, SMTP `AUTH`) was not accepted.
    LoginRefused,
    /// The SMTP server did not offer STARTTLS, so the password was not sent.
    StartTlsNotOffered,
    /// The SMTP server offers no login method we can use (`AUTH PLAIN` or `LOGIN`).
    NoUsableLoginMethod,
    /// Bytes arrived in plain text after the go-ahead for STARTTLS, where nothing may
    /// (an attempt to inject commands into the encrypted session).
    DataBeforeTls,
    /// The reply did not have the form the protocol requires.
    MalformedReply,
    /// A line longer than we accept (`limit` bytes) without a line end.
    LineTooLong { limit: usize },
    /// A response longer than we accept (`limit` bytes, or untagged lines without end).
    ResponseTooLong { limit: usize },
    /// No address of the server could be connected to; each one tried, in order.
    ConnectFailed { attempts: Vec<ConnectAttempt> },
    /// A fact of the send test's own steps (`--send-test`).
    SendTest(send_test::SendDetail),
}

impl From<String> for Detail {
    fn from(text: String) -> Detail {
        Detail::Library(text)
    }
}

impl From<&str> for Detail {
    fn from(text: &str) -> Detail {
        Detail::Library(text.to_string())
    }
}

/// One connection attempt of the Happy Eyeballs race.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectAttempt {
    pub address: SocketAddr,
    pub outcome: AttemptOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// This attempt connected first and is the one used.
    Connected,
    /// The attempt failed: the system's words.
    Failed(String),
    /// Started, with no answer yet: only while the race runs. A race that ends leaves no
    /// attempt pending — it becomes `Abandoned` (another address won) or `TimedOut`.
    Pending,
    /// No answer before the time limit.
    TimedOut,
    /// Still waiting when another address won; closed.
    Abandoned,
}

/// One failed probe: where, what, and the server's own words if it said any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeFailure {
    pub stage: Stage,
    pub kind: FailureKind,
    /// The server's reply, raw (control characters are escaped where it is shown) and
    /// with the secret masked in every spelling.
    pub server_said: Option<String>,
    /// Our side's description.
    pub detail: Detail,
}

impl ProbeFailure {
    pub(crate) fn new(stage: Stage, kind: FailureKind, detail: impl Into<Detail>) -> ProbeFailure {
        ProbeFailure {
            stage,
            kind,
            server_said: None,
            detail: detail.into(),
        }
    }

    #[must_use]
    pub(crate) fn with_server_said(mut self, words: impl Into<String>) -> ProbeFailure {
        self.server_said = Some(words.into());
        self
    }
}

/// One line of the `--verbose` transcript, typed; `messages` words the ones that are ours.
/// Protocol lines are raw (escaped where shown) with the secret masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TranscriptLine {
    /// What we sent (the secret already replaced by [`MASK`]).
    Client(String),
    /// What the server sent.
    Server(String),
    /// One connection attempt and how it ended.
    Attempt(ConnectAttempt),
    /// TLS is up, the certificate valid for this host.
    TlsEstablished(String),
    /// No greeting yet; checking whether the port speaks TLS from the first byte.
    NoGreetingCheckingTls,
    /// The server answered a TLS hello.
    TlsFirstFound,
    /// STARTTLS is not offered; the password is not sent.
    StartTlsMissing,
    /// The connection opened ahead of time is used.
    UsingPreconnected,
    /// The connection opened ahead of time was closed by the server (or failed) before it
    /// was needed, and is opened again.
    PreconnectionRedone,
    /// The folder list was given up (too long, refused, too slow); the sign-in stands.
    FolderListGivenUp,
}

/// What the transcript shows in place of the password.
pub(crate) const MASK: &str = "********";

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
    pub(crate) server: ServerAddress,
    /// Every username sent, in order.
    pub usernames_tried: Vec<String>,
    /// The username the server accepted, or why it did not work.
    pub outcome: Result<String, ProbeFailure>,
    /// The conversation, with the secret masked, for `--verbose`.
    pub transcript: Vec<TranscriptLine>,
    /// IMAP only: the account's folders, listed after a successful login; `None` when
    /// there was no login, or the list was given up.
    pub folders: Option<Vec<crate::folders::Mailbox>>,
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
    ) -> ProbeReport {
        self.check_imap_preconnected(server, ladder, password, &Preconnected::none())
    }

    fn check_smtp(
        &self,
        server: &ServerAddress,
        username: &str,
        password: &AppPassword,
    ) -> ProbeReport {
        self.check_smtp_preconnected(server, username, password, &Preconnected::none())
    }

    /// Starts connecting to both servers now — name lookup, TCP, TLS, greetings, and for
    /// SMTP `EHLO`, `STARTTLS`, `EHLO` — so that a check started later only has to log in.
    /// Nothing that depends on the account or the password is sent. Dropping the handle
    /// closes what it opened.
    fn preconnect(&self, _imap: &ServerAddress, _smtp: &ServerAddress) -> Preconnected {
        Preconnected::none()
    }

    /// As `check_imap_preconnected`, calling `on_verdict` with the report as soon as the
    /// sign-in is decided — before the folder list is read — so the ✓ can be shown while
    /// the list is still coming (the list stays hidden behind SMTP, which takes longer).
    fn check_imap_announcing(
        &self,
        server: &ServerAddress,
        ladder: &LoginLadder,
        password: &AppPassword,
        pre: &Preconnected,
        on_verdict: &mut dyn FnMut(&ProbeReport),
    ) -> ProbeReport {
        let report = self.check_imap_preconnected(server, ladder, password, pre);
        on_verdict(&report);
        report
    }

    /// As `check_imap`, using the connection `pre` opened for this server if it has one
    /// (each pre-opened connection is used once).
    fn check_imap_preconnected(
        &self,
        server: &ServerAddress,
        ladder: &LoginLadder,
        password: &AppPassword,
        pre: &Preconnected,
    ) -> ProbeReport;

    /// As `check_smtp`, using the connection `pre` opened for this server if it has one.
    fn check_smtp_preconnected(
        &self,
        server: &ServerAddress,
        username: &str,
        password: &AppPassword,
        pre: &Preconnected,
    ) -> ProbeReport;

    /// The send test's IMAP side: signs in as the live test does and records the watched
    /// folders' UIDs, ready to watch for the test message (before it is sent). On the same
    /// trust store, connector and time limit as the checks above.
    fn open_watcher(
        &self,
        server: &ServerAddress,
        username: &str,
        password: &AppPassword,
    ) -> Result<Box<dyn send_test::WatchSession>, send_test::SendFailure>;

    /// The send test's SMTP side: submits the test message, on the same trust store,
    /// connector and time limit as the checks above.
    fn submit(&self, submission: &send_test::Submission<'_>) -> send_test::SubmitReport;
}
