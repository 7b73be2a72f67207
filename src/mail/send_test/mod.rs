//! The send test (`--send-test`): proving that mail really goes out and comes back, not only
//! that the password signs in.
//!
//! - [`TestMessage`]: the one short RFC 5322 message sent, with a unique `Message-ID`.
//! - [`submit`]: SMTP submission on the live test's own connection code: `smtp_probe::open`
//!   (name lookup, Happy Eyeballs, greeting, `EHLO`, `STARTTLS` required, `EHLO`) and
//!   `smtp_probe::authenticate`, then `MAIL FROM`, `RCPT TO`, `DATA` and the dot-stuffed
//!   message, each attributed to its step, so a sender refused at the end of DATA is told
//!   apart from a refused login.
//! - [`Watcher`]: an IMAP session on the live test's `imap_probe::open` and `login` that finds
//!   that `Message-ID` in the INBOX (IDLE where the server offers it, else a polite poll;
//!   `Junk` when the wait is over) and removes exactly that message:
//!   `UID STORE +FLAGS.SILENT (\Deleted)` and `UID EXPUNGE` with UIDPLUS, else
//!   `\Deleted \Seen` left for the mail program. Never a plain `EXPUNGE` (nor `CLOSE`), which
//!   would also remove messages the person had marked deleted.
//!
//! Every read is on the bounded [`Wire`]: a cap on each line and each response, and a
//! deadline no server behaviour can extend — `--timeout` for each network step, and for the
//! wait for the message the end of `--wait`. The secret is masked in everything the server
//! says. Nothing here prompts, prints or stores, and nothing here is in English: failures
//! are typed ([`SendFailure`], [`SendDetail`]) with the server's words raw, escaped where
//! `messages` shows them.

mod message;
mod submission;
mod watcher;

use std::time::Duration;

use crate::domain::AppPassword;
use crate::mail::endpoint::ServerAddress;
use crate::mail::{Detail, ProbeFailure, ProbeReport, Protocol, TranscriptLine};

pub use message::{MessageWords, TestMessage, unique_token};
pub use submission::{Submission, submit};
pub use watcher::Watcher;

/// The send test's IMAP session, as commands use it: the seam that an in-process fake
/// implements in place of [`Watcher`] (see [`crate::mail::MailCheck::open_watcher`]).
pub trait WatchSession {
    /// Watches for the message with `message_id`, from `submitted` for at most `wait`.
    fn wait_for(
        &mut self,
        message_id: &str,
        submitted: std::time::Instant,
        wait: Duration,
    ) -> Result<Arrival, SendFailure>;

    /// Removes every copy proven ours in the folder it arrived in, and nothing else.
    fn remove(&mut self, arrival: &Arrival, message_id: &str) -> Result<Removed, SendFailure>;

    /// What the server's search named that failed the proof, each once.
    fn not_ours(&self) -> Vec<NotOurs>;

    /// Says goodbye and closes; the conversation, for `--verbose`.
    fn logout(self: Box<Self>) -> Vec<TranscriptLine>;
}

/// iCloud's folder for spam (docs/ICLOUD.md).
pub const JUNK: &str = "Junk";
pub const INBOX: &str = "INBOX";

/// A step of the send test after the connection is up and signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendStep {
    /// SMTP `MAIL FROM`: the sending address.
    MailFrom,
    /// SMTP `RCPT TO`: the recipient (the same address).
    RcptTo,
    /// SMTP `DATA`, before the message.
    Data,
    /// The reply after the whole message was sent: where iCloud refuses a sender that is
    /// not one of the account's addresses.
    EndOfData,
    /// IMAP `SELECT` of the INBOX or Junk.
    Select,
    /// IMAP: looking for the message, waiting for it (IDLE or poll).
    Watch,
    /// IMAP: flagging and expunging it.
    Remove,
}

/// The send test's own facts about a failed step (`messages` words them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendDetail {
    /// The IMAP server answered a command with `NO` or `BAD`.
    CommandRefused,
    /// An SMTP reply that is neither the go-ahead this step expects nor a refusal.
    UnexpectedReply,
    /// The sending address cannot be put into an SMTP envelope (spaces, control
    /// characters, angle brackets, no `@`).
    AddressUnusable,
    /// The IMAP server ended the session (`* BYE`) in the middle of it.
    SessionEnded,
}

impl From<SendDetail> for Detail {
    fn from(detail: SendDetail) -> Detail {
        Detail::SendTest(detail)
    }
}

/// Why the send test did not pass.
#[derive(Clone, Debug)]
pub enum SendFailure {
    /// Connecting, TLS, the greeting, STARTTLS or signing in failed: reported exactly as the
    /// live test reports it.
    Connection(Box<ProbeReport>),
    /// The server refused the sender or the message (a permanent 5xx) at this step. Its
    /// words are raw (the secret masked); they are escaped where they are shown.
    SenderRefused { step: SendStep, server_said: String },
    /// Any other failed step: a time-out, a dropped connection, a temporary refusal, an
    /// answer the protocol does not allow, a reply over the size caps.
    Step {
        protocol: Protocol,
        step: SendStep,
        failure: ProbeFailure,
    },
    /// The message was accepted but no copy proven ours was seen, neither in the INBOX
    /// nor in Junk, in time. What the server's search named instead is in `not_ours`,
    /// untouched.
    NotArrived {
        waited: Duration,
        not_ours: Vec<NotOurs>,
    },
}

/// Where the message was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    Inbox,
    Junk,
}

impl Folder {
    pub(crate) fn imap_name(self) -> &'static str {
        match self {
            Folder::Inbox => INBOX,
            Folder::Junk => JUNK,
        }
    }
}

/// The message arrived: every copy proven ours in the folder where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub folder: Folder,
    /// The UIDs of the copies proven ours (at least one; two when it was delivered twice).
    pub uids: Vec<u32>,
    /// From the submission to the moment it was seen.
    pub after: Duration,
}

/// A message the server's `SEARCH` named that is not provably the test message: reported,
/// never touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotOurs {
    pub folder: Folder,
    pub uid: u32,
    pub reason: NotOursReason,
}

/// Why a message `SEARCH` named is not provably ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotOursReason {
    /// Its UID is below the folder's `UIDNEXT` from before the test: it was there already.
    ThereBefore,
    /// The folder's `UIDVALIDITY` changed since before the test: its UIDs cannot be
    /// compared with the ones seen then.
    UidsRenumbered,
    /// The server did not say the folder's `UIDVALIDITY` and `UIDNEXT` before the test.
    NoBaseline,
    /// Its `Message-ID` header is not the test message's (or it has none).
    OtherMessageId,
}

/// How the message was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    /// Flagged `\Deleted` and removed with `UID EXPUNGE` (UIDPLUS).
    Expunged,
    /// No UIDPLUS: left flagged `\Deleted \Seen` for the mail program to remove.
    FlaggedDeleted,
    /// By the time of the removal no copy could be proven ours any more (the server
    /// renumbered the folder, or the copy was gone): nothing was touched.
    NothingLeft,
}

/// What the removal did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removed {
    pub how: Removal,
    /// How many copies were removed (or flagged).
    pub copies: usize,
}

/// The result of the submission, with the conversation for `--verbose`.
#[derive(Clone, Debug)]
pub struct SubmitReport {
    /// The server's reply to the end of DATA (its queue id, usually), raw.
    pub outcome: Result<String, SendFailure>,
    pub transcript: Vec<TranscriptLine>,
}

/// A failed connection or sign-in of the send test, as the live test reports one; what the
/// server said is masked for `password` (a greeting is read before the secret is known).
fn connection_failure(
    protocol: Protocol,
    server: &ServerAddress,
    (username, password): (&str, &AppPassword),
    sent_login: bool,
    failure: ProbeFailure,
    transcript: Vec<TranscriptLine>,
) -> SendFailure {
    let mut report = ProbeReport {
        protocol,
        server: server.clone(),
        usernames_tried: if sent_login {
            vec![username.to_string()]
        } else {
            Vec::new()
        },
        outcome: Err(failure),
        transcript,
        folders: None,
    };
    crate::mail::mask::Masker::for_secret(password).mask_report(&mut report);
    SendFailure::Connection(Box::new(report))
}
