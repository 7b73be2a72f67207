//! The send test (`--send-test`): proving that mail really goes out and comes back, not only
//! that the password signs in.
//!
//! - [`TestMessage`]: the one short RFC 5322 message sent, with a unique `Message-ID`.
//! - [`submit`]: SMTP submission (STARTTLS required, `AUTH`, then `MAIL FROM`, `RCPT TO`,
//!   `DATA`), each step attributed, so a sender refused at the end of DATA is told apart
//!   from a refused login.
//! - [`Watcher`]: an IMAP session that finds that `Message-ID` in the INBOX (IDLE where the
//!   server offers it, else a polite poll; `Junk` when the wait is over) and removes exactly
//!   that message: `UID STORE +FLAGS.SILENT (\Deleted)` and `UID EXPUNGE` with UIDPLUS, else
//!   `\Deleted \Seen` left for the mail program. Never a plain `EXPUNGE` (nor `CLOSE`), which
//!   would also remove messages the person had marked deleted.
//!
//! Nothing here prompts, prints or stores. The server's words are kept with control
//! characters escaped and bounded in length; the secret is masked in every transcript line.
//! Every read is bounded in size (a line cap and a cap per response) and in time: each
//! network step gets `--timeout`, the wait for the message at most `--wait`.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::error::Error as _;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use lettre::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::ClientId;
use native_tls::{HandshakeError, TlsStream};

use crate::domain::AppPassword;
use crate::mail::endpoint::{self, Deadline, ServerAddress};
use crate::mail::imap_probe::MASK;
use crate::mail::tls::{TrustAnchors, classify_tls_error};
use crate::mail::{FailureKind, ProbeFailure, ProbeReport, Protocol, Stage, TranscriptLine};

/// Longest server line accepted.
const MAX_LINE: usize = 64 * 1024;
/// Most bytes accepted for one IMAP command's whole response.
const MAX_RESPONSE: usize = 1024 * 1024;
/// Longest piece of the server's words kept for a message.
const MAX_SERVER_WORDS: usize = 1000;
/// How often the INBOX is looked at when the server does not offer IDLE.
const POLL_INTERVAL: Duration = Duration::from_secs(5);
/// An IDLE is ended and the INBOX searched again at least this often, in case a server
/// does not announce new mail.
const IDLE_SLICE: Duration = Duration::from_secs(30);
/// The name we introduce ourselves with in `EHLO`, as the live test does.
const HELLO_NAME: &str = "localhost";
/// iCloud's folder for spam (ICLOUD.md).
pub const JUNK: &str = "Junk";
pub const INBOX: &str = "INBOX";

/// The send test's own transcript (`C: …`, `S: …`, notes) as the live test's typed lines,
/// for a failure reported the way the live test reports it.
fn transcript_lines(lines: &[String]) -> Vec<TranscriptLine> {
    lines
        .iter()
        .map(
            |line| match (line.strip_prefix("C: "), line.strip_prefix("S: ")) {
                (Some(sent), _) => TranscriptLine::Client(sent.to_string()),
                (_, Some(said)) => TranscriptLine::Server(said.to_string()),
                _ => TranscriptLine::Server(line.clone()),
            },
        )
        .collect()
}

// ---------------------------------------------------------------- the message

/// The test message: headers and body, lines ending in CRLF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestMessage {
    message_id: String,
    text: String,
}

/// The words of the message, from the message catalog.
#[derive(Clone, Copy, Debug)]
pub struct MessageWords<'a> {
    pub subject: &'a str,
    pub body: &'a str,
}

impl TestMessage {
    /// A message from `from` (with the display `name`, if any) to the same address.
    /// `unique` makes the `Message-ID` (letters, digits, dots and dashes).
    pub fn build(
        from: &str,
        name: Option<&str>,
        words: MessageWords<'_>,
        date: SystemTime,
        unique: &str,
    ) -> TestMessage {
        let domain = from
            .rsplit_once('@')
            .map_or("icloud-setup.invalid", |(_, d)| d);
        let message_id = format!("<icloud-setup.{unique}@{domain}>");
        let mailbox = mailbox(name, from);
        let ascii_body = words.body.is_ascii();
        let mut text = String::new();
        let mut header = |name: &str, value: &str| {
            text.push_str(name);
            text.push_str(": ");
            text.push_str(value);
            text.push_str("\r\n");
        };
        header("Date", &rfc5322_date(date));
        header("From", &mailbox);
        header("To", &mailbox);
        header("Subject", &encode_header_text(words.subject));
        header("Message-ID", &message_id);
        // RFC 3834: no vacation replies or other automatic answers to a test message.
        header("Auto-Submitted", "auto-generated");
        header("MIME-Version", "1.0");
        header("Content-Type", "text/plain; charset=utf-8");
        header(
            "Content-Transfer-Encoding",
            if ascii_body { "7bit" } else { "base64" },
        );
        text.push_str("\r\n");
        if ascii_body {
            for line in words.body.lines() {
                text.push_str(line);
                text.push_str("\r\n");
            }
        } else {
            let encoded = base64(words.body.replace('\n', "\r\n").as_bytes());
            for chunk in encoded.as_bytes().chunks(76) {
                text.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
                text.push_str("\r\n");
            }
        }
        TestMessage { message_id, text }
    }

    /// The `Message-ID`, with its angle brackets.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The whole message as sent after `DATA` (before dot-stuffing).
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// 128 bits that differ from run to run and from message to message: the standard
/// library's per-process random hash keys, mixed with the time and a counter.
pub fn unique_token() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let half = |salt: u64| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(nanos);
        hasher.write_u64(count);
        hasher.write_u32(std::process::id());
        hasher.write_u64(salt);
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

/// `Fri, 27 Nov 2026 13:45:00 +0000` (RFC 5322 3.3), in UTC.
pub fn rfc5322_date(time: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    let weekday = DAYS[usize::from(u8::try_from(days % 7).unwrap_or(0))];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} +0000",
        MONTHS[usize::from(month - 1)],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Year, month (1–12) and day of a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for dates after the epoch).
fn civil_from_days(days: u64) -> (u64, u8, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, u8::try_from(month).unwrap_or(1), day)
}

/// `Name <address>`, the name quoted or encoded as RFC 5322 and 2047 need; the bare
/// address when there is no name.
fn mailbox(name: Option<&str>, address: &str) -> String {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return format!("<{address}>");
    };
    let name = name.replace(['\r', '\n'], " ");
    if name.is_ascii() && !name.contains("=?") {
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\" <{address}>")
    } else {
        format!("{} <{address}>", encode_words(&name))
    }
}

/// Header text as is when it is plain printable ASCII, else RFC 2047 encoded words.
fn encode_header_text(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) && !text.contains("=?") {
        text
    } else {
        encode_words(&text)
    }
}

/// `=?utf-8?B?…?=` words of at most 75 characters, split between characters, joined by
/// folding white space.
fn encode_words(text: &str) -> String {
    // 39 bytes are 52 base64 characters: a word of 64, so that `Subject: ` and the word
    // stay within the 78 characters a line should have (RFC 5322 2.1.1, RFC 2047 2).
    const MAX_BYTES: usize = 39;
    let mut words = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (index, c) in text.char_indices() {
        let next = index + c.len_utf8();
        if next - start > MAX_BYTES {
            words.push(&text[start..end]);
            start = end;
        }
        end = next;
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    words
        .iter()
        .map(|word| format!("=?utf-8?B?{}?=", base64(word.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------- outcomes

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

/// Why the send test did not pass.
#[derive(Clone, Debug)]
pub enum SendFailure {
    /// Connecting, TLS, the greeting, STARTTLS or signing in failed: reported exactly as the
    /// live test reports it.
    Connection(Box<ProbeReport>),
    /// The server refused the sender or the message (a permanent 5xx) at this step.
    SenderRefused { step: SendStep, server_said: String },
    /// Any other failed step: a time-out, a dropped connection, a temporary refusal, an
    /// answer the protocol does not allow.
    Step {
        protocol: Protocol,
        step: SendStep,
        failure: ProbeFailure,
    },
    /// The message was accepted but seen neither in the INBOX nor in Junk in time.
    NotArrived { waited: Duration },
}

/// Where the message was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    Inbox,
    Junk,
}

impl Folder {
    pub fn imap_name(self) -> &'static str {
        match self {
            Folder::Inbox => INBOX,
            Folder::Junk => JUNK,
        }
    }
}

/// The message arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub folder: Folder,
    pub uid: u32,
    /// From the submission to the moment it was seen.
    pub after: Duration,
}

/// How the message was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    /// Flagged `\Deleted` and removed with `UID EXPUNGE` (UIDPLUS).
    Expunged,
    /// No UIDPLUS: left flagged `\Deleted \Seen` for the mail program to remove.
    FlaggedDeleted,
}

/// The result of the submission, with the conversation for `--verbose`.
#[derive(Clone, Debug)]
pub struct SubmitReport {
    /// The server's reply to the end of DATA (its queue id, usually).
    pub outcome: Result<String, SendFailure>,
    pub transcript: Vec<String>,
}

// ---------------------------------------------------------------- server words

/// The server's words as they may be shown: control characters (terminal escapes among
/// them) escaped, the secret masked, the length bounded.
fn server_words(text: &str, secret: &str) -> String {
    let masked = if secret.is_empty() {
        text.to_string()
    } else {
        text.replace(secret, MASK)
    };
    let mut shown = String::new();
    for c in masked.chars() {
        if shown.len() >= MAX_SERVER_WORDS {
            shown.push('…');
            break;
        }
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown
}

// ---------------------------------------------------------------- SMTP submission

/// What to submit, and as whom.
pub struct Submission<'a> {
    pub server: &'a ServerAddress,
    pub username: &'a str,
    pub password: &'a AppPassword,
    /// The envelope sender and recipient: the account's sending address.
    pub address: &'a str,
    pub message: &'a TestMessage,
}

/// Submits the message: STARTTLS (required), `AUTH`, `MAIL FROM`, `RCPT TO`, `DATA`.
pub fn submit(
    submission: &Submission<'_>,
    anchors: &TrustAnchors,
    timeout: Duration,
) -> SubmitReport {
    let mut transcript = Vec::new();
    let mut sent_auth = false;
    let outcome = converse_smtp(
        submission,
        anchors,
        timeout,
        &mut transcript,
        &mut sent_auth,
    );
    let outcome = outcome.map_err(|failed| match failed {
        SmtpFailed::Connection(failure) => SendFailure::Connection(Box::new(ProbeReport {
            protocol: Protocol::Smtp,
            server: submission.server.clone(),
            usernames_tried: if sent_auth {
                vec![submission.username.to_string()]
            } else {
                Vec::new()
            },
            outcome: Err(failure),
            transcript: transcript_lines(&transcript),
        })),
        SmtpFailed::Send(failure) => failure,
    });
    SubmitReport {
        outcome,
        transcript,
    }
}

enum SmtpFailed {
    Connection(ProbeFailure),
    Send(SendFailure),
}

impl From<ProbeFailure> for SmtpFailed {
    fn from(failure: ProbeFailure) -> SmtpFailed {
        SmtpFailed::Connection(failure)
    }
}

fn converse_smtp(
    submission: &Submission<'_>,
    anchors: &TrustAnchors,
    timeout: Duration,
    transcript: &mut Vec<String>,
    sent_auth: &mut bool,
) -> Result<String, SmtpFailed> {
    let secret = submission.password.expose();
    let server = submission.server;
    let tls = tls_parameters(server, anchors)?;
    let deadline = Deadline::after(timeout);
    let addresses = endpoint::resolve(server, deadline)?;
    let hello = ClientId::Domain(HELLO_NAME.into());
    let wait = deadline
        .remaining()
        .map_err(|e| ProbeFailure::new(Stage::Connect, FailureKind::TimedOut, e.to_string()))?;
    let mut connection = SmtpConnection::connect(&addresses[..], Some(wait), &hello, None, None)
        .map_err(|e| smtp_failure(Stage::Greeting, &e, secret))?;
    transcript.push(format!("C: EHLO {HELLO_NAME}"));
    transcript.push(format!(
        "S: {}",
        server_words(&connection.server_info().to_string(), secret)
    ));
    if !connection.can_starttls() {
        // The password must not cross the network in the clear.
        let _ = connection.quit();
        return Err(ProbeFailure::new(
            Stage::StartTls,
            FailureKind::StartTlsMissing,
            "the server did not offer STARTTLS",
        )
        .into());
    }
    set_step_timeout(&mut connection, timeout, Stage::StartTls)?;
    transcript.push("C: STARTTLS".into());
    connection
        .starttls(&tls, &hello)
        .map_err(|e| smtp_failure(Stage::StartTls, &e, secret))?;
    if !connection.is_encrypted() {
        return Err(ProbeFailure::new(
            Stage::StartTls,
            FailureKind::TlsFailure,
            "STARTTLS did not encrypt the connection",
        )
        .into());
    }
    transcript.push(format!("TLS established with {}", server.host));

    set_step_timeout(&mut connection, timeout, Stage::Login)?;
    let credentials = Credentials::new(submission.username.to_string(), secret.to_string());
    transcript.push(format!("C: AUTH {} {MASK}", submission.username));
    *sent_auth = true;
    let reply = connection
        .auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
        .map_err(|e| smtp_failure(Stage::Login, &e, secret))?;
    transcript.push(format!("S: {}", reply_words(&reply, secret)));

    let address: Address =
        submission
            .address
            .parse()
            .map_err(|e: lettre::address::AddressError| {
                SmtpFailed::Send(SendFailure::Step {
                    protocol: Protocol::Smtp,
                    step: SendStep::MailFrom,
                    failure: ProbeFailure::new(Stage::Login, FailureKind::Protocol, e.to_string()),
                })
            })?;
    let steps: [(SendStep, String); 3] = [
        (
            SendStep::MailFrom,
            Mail::new(Some(address.clone()), Vec::new()).to_string(),
        ),
        (
            SendStep::RcptTo,
            Rcpt::new(address.clone(), Vec::new()).to_string(),
        ),
        (SendStep::Data, Data.to_string()),
    ];
    for (step, command) in steps {
        set_send_timeout(&mut connection, timeout, step)?;
        transcript.push(format!("C: {}", command.trim_end()));
        let reply = connection
            .command(&command)
            .map_err(|e| send_failure(step, &e, secret))?;
        transcript.push(format!("S: {}", reply_words(&reply, secret)));
    }
    set_send_timeout(&mut connection, timeout, SendStep::EndOfData)?;
    transcript.push(format!(
        "C: (the message, {} bytes) .",
        submission.message.text().len()
    ));
    let reply = connection
        .message(submission.message.text().as_bytes())
        .map_err(|e| send_failure(SendStep::EndOfData, &e, secret))?;
    let queued = reply_words(&reply, secret);
    transcript.push(format!("S: {queued}"));
    transcript.push("C: QUIT".into());
    let _ = connection.quit();
    Ok(queued)
}

fn reply_words(reply: &lettre::transport::smtp::response::Response, secret: &str) -> String {
    let text = format!(
        "{} {}",
        reply.code(),
        reply.message().collect::<Vec<_>>().join(" ")
    );
    server_words(text.trim_end(), secret)
}

fn tls_parameters(
    server: &ServerAddress,
    anchors: &TrustAnchors,
) -> Result<TlsParameters, ProbeFailure> {
    let mut builder = TlsParameters::builder(server.host.clone());
    for block in anchors.pem_blocks() {
        let certificate = Certificate::from_pem(block.as_bytes())
            .map_err(|e| ProbeFailure::new(Stage::Tls, FailureKind::TlsFailure, e.to_string()))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build_native()
        .map_err(|e| ProbeFailure::new(Stage::Tls, FailureKind::TlsFailure, e.to_string()))
}

fn set_step_timeout(
    connection: &mut SmtpConnection,
    timeout: Duration,
    stage: Stage,
) -> Result<(), ProbeFailure> {
    connection
        .set_timeout(Some(timeout))
        .map_err(|e| endpoint::conversation_failure(stage, &e))
}

fn set_send_timeout(
    connection: &mut SmtpConnection,
    timeout: Duration,
    step: SendStep,
) -> Result<(), SmtpFailed> {
    connection.set_timeout(Some(timeout)).map_err(|e| {
        SmtpFailed::Send(SendFailure::Step {
            protocol: Protocol::Smtp,
            step,
            failure: endpoint::conversation_failure(Stage::Login, &e),
        })
    })
}

/// A lettre error before or during `AUTH`, as the live test would classify it.
fn smtp_failure(stage: Stage, error: &lettre::transport::smtp::Error, secret: &str) -> SmtpFailed {
    let detail = server_words(
        &error
            .source()
            .map_or_else(|| error.to_string(), ToString::to_string),
        secret,
    );
    if let Some(code) = error.status() {
        let kind = if error.is_transient() {
            FailureKind::Unavailable
        } else if stage == Stage::Login {
            FailureKind::BadCredentials
        } else {
            FailureKind::Protocol
        };
        return SmtpFailed::Connection(
            ProbeFailure::new(stage, kind, detail.clone())
                .with_server_said(format!("{code} {detail}")),
        );
    }
    let text = error.to_string();
    let kind = if error.is_timeout() {
        FailureKind::TimedOut
    } else if error.is_tls() || (stage == Stage::StartTls && text.starts_with("Connection error")) {
        classify_tls_error(&detail)
    } else if text.starts_with("Connection error") {
        return SmtpFailed::Connection(ProbeFailure::new(
            Stage::Connect,
            FailureKind::Unreachable,
            detail,
        ));
    } else if text.starts_with("network error") || text.contains("incomplete response") {
        if detail.contains("timed out") || detail.contains("temporarily unavailable") {
            FailureKind::TimedOut
        } else {
            FailureKind::Dropped
        }
    } else {
        FailureKind::Protocol
    };
    SmtpFailed::Connection(ProbeFailure::new(stage, kind, detail))
}

/// A lettre error at `MAIL FROM`, `RCPT TO` or `DATA`: a permanent refusal is the sender
/// refused; anything else is a failed step.
fn send_failure(
    step: SendStep,
    error: &lettre::transport::smtp::Error,
    secret: &str,
) -> SmtpFailed {
    let detail = server_words(
        &error
            .source()
            .map_or_else(|| error.to_string(), ToString::to_string),
        secret,
    );
    if let Some(code) = error.status() {
        let server_said = format!("{code} {detail}");
        if error.is_transient() {
            return SmtpFailed::Send(SendFailure::Step {
                protocol: Protocol::Smtp,
                step,
                failure: ProbeFailure::new(Stage::Login, FailureKind::Unavailable, detail)
                    .with_server_said(server_said),
            });
        }
        return SmtpFailed::Send(SendFailure::SenderRefused { step, server_said });
    }
    let text = error.to_string();
    let kind = if error.is_timeout()
        || detail.contains("timed out")
        || detail.contains("temporarily unavailable")
    {
        FailureKind::TimedOut
    } else if text.starts_with("network error") || text.contains("incomplete response") {
        FailureKind::Dropped
    } else {
        FailureKind::Protocol
    };
    SmtpFailed::Send(SendFailure::Step {
        protocol: Protocol::Smtp,
        step,
        failure: ProbeFailure::new(Stage::Login, kind, detail),
    })
}

// ---------------------------------------------------------------- IMAP watching

/// A TCP stream whose reads and writes end by a deadline that moves with each step (the
/// endpoint's `DeadlineStream` keeps one deadline for a whole connection; a watch needs
/// `--timeout` per command and `--wait` for the message).
#[derive(Debug)]
struct StepStream {
    inner: TcpStream,
    deadline: Rc<Cell<Instant>>,
}

impl StepStream {
    fn remaining(&self) -> io::Result<Duration> {
        let left = self
            .deadline
            .get()
            .saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"))
        } else {
            Ok(left)
        }
    }
}

impl Read for StepStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.set_read_timeout(Some(self.remaining()?))?;
        self.inner.read(buf)
    }
}

impl Write for StepStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.set_write_timeout(Some(self.remaining()?))?;
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

type Connection = BufReader<TlsStream<StepStream>>;

/// A tagged reply: its status (`OK`, `NO`, `BAD`) and the rest of the line.
struct Tagged {
    status: String,
    text: String,
}

/// An IMAP session signed in with the INBOX selected, ready to watch for the message.
pub struct Watcher<'a> {
    connection: Connection,
    clock: Rc<Cell<Instant>>,
    timeout: Duration,
    password: &'a AppPassword,
    username: String,
    capabilities: Vec<String>,
    selected: Option<Folder>,
    next_tag: u32,
    /// Bytes of a line a timed-out read left behind.
    partial: Vec<u8>,
    transcript: Vec<String>,
}

/// A failed IMAP step inside the session.
struct ImapFailed {
    failure: ProbeFailure,
}

impl<'a> Watcher<'a> {
    /// Connects with TLS, signs in with `username` (the saved IMAP username), learns the
    /// capabilities and selects the INBOX.
    pub fn open(
        server: &ServerAddress,
        username: &str,
        password: &'a AppPassword,
        anchors: &TrustAnchors,
        timeout: Duration,
    ) -> Result<Watcher<'a>, SendFailure> {
        let mut transcript = Vec::new();
        let mut sent_login = false;
        let connection_failure = |failure: ProbeFailure, transcript: Vec<String>, sent: bool| {
            SendFailure::Connection(Box::new(ProbeReport {
                protocol: Protocol::Imap,
                server: server.clone(),
                usernames_tried: if sent {
                    vec![username.to_string()]
                } else {
                    Vec::new()
                },
                outcome: Err(failure),
                transcript: transcript_lines(&transcript),
            }))
        };
        let connector = anchors.connector().map_err(|e| {
            connection_failure(
                ProbeFailure::new(Stage::Tls, FailureKind::TlsFailure, e.to_string()),
                Vec::new(),
                false,
            )
        })?;
        let deadline = Deadline::after(timeout);
        let clock = Rc::new(Cell::new(Instant::now() + timeout));
        let tcp = endpoint::resolve(server, deadline)
            .and_then(|addresses| endpoint::connect(&addresses, deadline))
            .map_err(|failure| connection_failure(failure, Vec::new(), false))?;
        let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        transcript.push(format!("connected to {peer}"));
        let stream = StepStream {
            inner: tcp,
            deadline: Rc::clone(&clock),
        };
        let tls = match connector.connect(&server.host, stream) {
            Ok(tls) => tls,
            Err(HandshakeError::WouldBlock(_)) => {
                return Err(connection_failure(
                    ProbeFailure::new(Stage::Tls, FailureKind::TimedOut, "TLS handshake timed out"),
                    transcript,
                    false,
                ));
            }
            Err(HandshakeError::Failure(error)) => {
                let detail = error.to_string();
                let kind = if deadline.remaining().is_err() {
                    FailureKind::TimedOut
                } else {
                    classify_tls_error(&detail)
                };
                return Err(connection_failure(
                    ProbeFailure::new(Stage::Tls, kind, detail),
                    transcript,
                    false,
                ));
            }
        };
        transcript.push(format!("TLS established with {}", server.host));
        let mut watcher = Watcher {
            connection: BufReader::new(tls),
            clock,
            timeout,
            password,
            username: username.to_string(),
            capabilities: Vec::new(),
            selected: None,
            next_tag: 1,
            partial: Vec::new(),
            transcript,
        };
        let signed_in = watcher.sign_in(&mut sent_login);
        if let Err(failed) = signed_in {
            let transcript = std::mem::take(&mut watcher.transcript);
            return Err(connection_failure(failed.failure, transcript, sent_login));
        }
        watcher
            .select(Folder::Inbox)
            .map_err(|failure| Watcher::step_failure(SendStep::Select, failure))?;
        Ok(watcher)
    }

    /// The conversation so far, the secret masked.
    pub fn transcript(&self) -> &[String] {
        &self.transcript
    }

    /// Whether the server offers `UIDPLUS` (and so `UID EXPUNGE`).
    pub fn has_uidplus(&self) -> bool {
        self.has_capability("UIDPLUS")
    }

    /// Whether the server offers `IDLE`.
    pub fn has_idle(&self) -> bool {
        self.has_capability("IDLE")
    }

    fn has_capability(&self, name: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(name))
    }

    fn sign_in(&mut self, sent_login: &mut bool) -> Result<(), ImapFailed> {
        self.arm(self.timeout);
        let greeting = self
            .read_line()
            .map_err(|failure| ImapFailed::at(Stage::Greeting, failure))?;
        if greeting.starts_with("* BYE") {
            return Err(ImapFailed::at(
                Stage::Greeting,
                ProbeFailure::new(
                    Stage::Greeting,
                    FailureKind::Unavailable,
                    "the server is not accepting connections",
                )
                .with_server_said(greeting),
            ));
        }
        if !greeting.starts_with("* OK") {
            return Err(ImapFailed::at(
                Stage::Greeting,
                ProbeFailure::new(
                    Stage::Greeting,
                    FailureKind::Protocol,
                    "not an IMAP greeting",
                )
                .with_server_said(greeting),
            ));
        }
        *sent_login = true;
        let reply = self
            .login()
            .map_err(|failure| ImapFailed::at(Stage::Login, failure))?;
        if !reply.status.eq_ignore_ascii_case("OK") {
            let words = format!("{} {}", reply.status, reply.text);
            let code = response_code(&reply.text)
                .unwrap_or_default()
                .to_ascii_uppercase();
            let kind = if ["UNAVAILABLE", "LIMIT", "INUSE", "SERVERBUG"]
                .iter()
                .any(|c| code.starts_with(c))
            {
                FailureKind::Unavailable
            } else if reply.status.eq_ignore_ascii_case("NO") {
                FailureKind::BadCredentials
            } else {
                FailureKind::Protocol
            };
            return Err(ImapFailed::at(
                Stage::Login,
                ProbeFailure::new(Stage::Login, kind, "LOGIN was not accepted")
                    .with_server_said(words),
            ));
        }
        let (untagged, reply) = self
            .command("CAPABILITY", "CAPABILITY")
            .map_err(|failure| ImapFailed::at(Stage::Login, failure))?;
        if reply.status.eq_ignore_ascii_case("OK") {
            for line in untagged {
                if let Some(list) = strip_prefix_ignore_case(&line, "* CAPABILITY ") {
                    self.capabilities = list.split_whitespace().map(str::to_string).collect();
                }
            }
        }
        Ok(())
    }

    /// `LOGIN` with a quoted username and password, or literals when either is not
    /// printable ASCII.
    fn login(&mut self) -> Result<Tagged, ProbeFailure> {
        let tag = self.tag();
        let user = self.username.clone();
        let secret = self.password.expose().to_string();
        let printable = |t: &str| t.bytes().all(|b| (0x20..0x7f).contains(&b));
        if printable(&user) && printable(&secret) {
            let line = format!("{tag} LOGIN {} {}", quoted(&user), quoted(&secret));
            let shown = format!("{tag} LOGIN {} {MASK}", quoted(&user));
            self.send(&line, &shown)?;
        } else {
            self.send(
                &format!("{tag} LOGIN {{{}}}", user.len()),
                &format!("{tag} LOGIN {{{}}}", user.len()),
            )?;
            self.expect_continuation()?;
            self.send(
                &format!("{user} {{{}}}", secret.len()),
                &format!("{user} {{…}}"),
            )?;
            self.expect_continuation()?;
            self.send(&secret, MASK)?;
        }
        self.read_tagged(&tag).map(|(_, tagged)| tagged)
    }

    fn expect_continuation(&mut self) -> Result<(), ProbeFailure> {
        let line = self.read_line()?;
        if line.starts_with('+') {
            Ok(())
        } else {
            Err(ProbeFailure::new(
                Stage::Login,
                FailureKind::Protocol,
                "no go-ahead for a literal",
            )
            .with_server_said(line))
        }
    }

    /// Watches for the message with `message_id`, from `submitted` for at most `wait`:
    /// the INBOX first and throughout, then Junk.
    pub fn wait_for(
        &mut self,
        message_id: &str,
        submitted: Instant,
        wait: Duration,
    ) -> Result<Arrival, SendFailure> {
        let end = submitted + wait;
        let idle = self.has_idle();
        loop {
            // NOOP first: a server may show new mail to a selected mailbox only at a
            // command that checks for it, not to a SEARCH.
            let found = self
                .command("NOOP", "NOOP")
                .and_then(ok_or_failure)
                .and_then(|()| self.search(message_id));
            if let Some(uid) = found.map_err(|f| Self::step_failure(SendStep::Watch, f))? {
                return Ok(Arrival {
                    folder: Folder::Inbox,
                    uid,
                    after: submitted.elapsed(),
                });
            }
            let now = Instant::now();
            if now >= end {
                break;
            }
            let until = end.min(now + if idle { IDLE_SLICE } else { POLL_INTERVAL });
            if idle {
                self.idle_until(until)
                    .map_err(|f| Self::step_failure(SendStep::Watch, f))?;
            } else {
                std::thread::sleep(until - now);
            }
        }
        // Not in the INBOX in time: it may have been taken for spam.
        match self.select(Folder::Junk) {
            Ok(()) => {}
            // No Junk folder (a server other than iCloud): nothing more to look at.
            Err(failure) if failure.server_said.is_some() => {
                return Err(SendFailure::NotArrived { waited: wait });
            }
            Err(failure) => return Err(Self::step_failure(SendStep::Select, failure)),
        }
        match self
            .search(message_id)
            .map_err(|f| Self::step_failure(SendStep::Watch, f))?
        {
            Some(uid) => Ok(Arrival {
                folder: Folder::Junk,
                uid,
                after: submitted.elapsed(),
            }),
            None => Err(SendFailure::NotArrived { waited: wait }),
        }
    }

    /// Removes the message that arrived, and nothing else.
    pub fn remove(&mut self, arrival: &Arrival) -> Result<Removal, SendFailure> {
        let removed = self.remove_uid(arrival);
        removed.map_err(|f| Self::step_failure(SendStep::Remove, f))
    }

    fn remove_uid(&mut self, arrival: &Arrival) -> Result<Removal, ProbeFailure> {
        if self.selected != Some(arrival.folder) {
            self.select(arrival.folder)?;
        }
        let uid = arrival.uid;
        if self.has_uidplus() {
            let store = format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)");
            self.command(&store, &store).and_then(ok_or_failure)?;
            let expunge = format!("UID EXPUNGE {uid}");
            self.command(&expunge, &expunge).and_then(ok_or_failure)?;
            Ok(Removal::Expunged)
        } else {
            let store = format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted \\Seen)");
            self.command(&store, &store).and_then(ok_or_failure)?;
            Ok(Removal::FlaggedDeleted)
        }
    }

    /// Says goodbye; the verdict is in, so a failure here changes nothing. `LOGOUT` closes
    /// the mailbox without expunging it.
    pub fn logout(mut self) -> Vec<String> {
        let _ = self.command("LOGOUT", "LOGOUT");
        self.transcript
    }

    fn select(&mut self, folder: Folder) -> Result<(), ProbeFailure> {
        self.selected = None;
        let line = format!("SELECT {}", folder.imap_name());
        self.command(&line, &line).and_then(ok_or_failure)?;
        self.selected = Some(folder);
        Ok(())
    }

    /// The UID of the message with this `Message-ID` in the selected folder, if there.
    fn search(&mut self, message_id: &str) -> Result<Option<u32>, ProbeFailure> {
        let line = format!("UID SEARCH HEADER Message-ID {}", quoted(message_id));
        let (untagged, reply) = self.command(&line, &line)?;
        ok_or_failure((Vec::new(), reply))?;
        Ok(untagged
            .iter()
            .filter_map(|l| strip_prefix_ignore_case(l, "* SEARCH"))
            .flat_map(str::split_whitespace)
            .filter_map(|n| n.parse().ok())
            .max())
    }

    /// Waits in IDLE until new mail is announced or `until`, then ends the IDLE.
    fn idle_until(&mut self, until: Instant) -> Result<(), ProbeFailure> {
        let tag = self.tag();
        self.arm(self.timeout);
        self.send(&format!("{tag} IDLE"), &format!("{tag} IDLE"))?;
        loop {
            let line = self.read_line()?;
            if line.starts_with('+') {
                break;
            }
            if line.starts_with(&format!("{tag} ")) {
                // The server refused IDLE after announcing it: wait politely instead.
                std::thread::sleep(until.saturating_duration_since(Instant::now()));
                return Ok(());
            }
        }
        self.clock.set(until);
        loop {
            match self.read_line() {
                Ok(line) if line.contains(" EXISTS") || line.contains(" RECENT") => break,
                Ok(line) if line.starts_with("* BYE") => {
                    return Err(ProbeFailure::new(
                        Stage::Login,
                        FailureKind::Dropped,
                        "the server ended the session",
                    )
                    .with_server_said(line));
                }
                Ok(_) => {}
                Err(failure) if failure.kind == FailureKind::TimedOut => break,
                Err(failure) => return Err(failure),
            }
        }
        self.arm(self.timeout);
        self.send("DONE", "DONE")?;
        let (_, reply) = self.read_tagged(&tag)?;
        ok_or_failure((Vec::new(), reply))
    }

    fn tag(&mut self) -> String {
        let tag = format!("s{}", self.next_tag);
        self.next_tag += 1;
        tag
    }

    /// Sets the deadline of the next reads and writes.
    fn arm(&self, within: Duration) {
        self.clock.set(Instant::now() + within);
    }

    /// Sends one tagged command and reads its response, all within `--timeout`.
    fn command(
        &mut self,
        command: &str,
        shown: &str,
    ) -> Result<(Vec<String>, Tagged), ProbeFailure> {
        let tag = self.tag();
        self.arm(self.timeout);
        self.send(&format!("{tag} {command}"), &format!("{tag} {shown}"))?;
        self.read_tagged(&tag)
    }

    fn send(&mut self, line: &str, shown: &str) -> Result<(), ProbeFailure> {
        self.transcript.push(format!("C: {shown}"));
        let stream = self.connection.get_mut();
        stream
            .write_all(format!("{line}\r\n").as_bytes())
            .and_then(|()| stream.flush())
            .map_err(|e| endpoint::conversation_failure(Stage::Login, &e))
    }

    /// Reads untagged lines until the tagged reply, at most [`MAX_RESPONSE`] bytes.
    fn read_tagged(&mut self, tag: &str) -> Result<(Vec<String>, Tagged), ProbeFailure> {
        let mut untagged = Vec::new();
        let mut total = 0;
        loop {
            let line = self.read_line()?;
            total += line.len();
            if total > MAX_RESPONSE {
                return Err(ProbeFailure::new(
                    Stage::Login,
                    FailureKind::Protocol,
                    "the server's response was too long",
                ));
            }
            if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
                let (status, text) = rest.split_once(' ').unwrap_or((rest, ""));
                return Ok((
                    untagged,
                    Tagged {
                        status: status.to_string(),
                        text: text.to_string(),
                    },
                ));
            }
            if line.starts_with("* BYE") {
                return Err(ProbeFailure::new(
                    Stage::Login,
                    FailureKind::Unavailable,
                    "the server ended the session",
                )
                .with_server_said(line));
            }
            if let Some(length) = literal_length(&line) {
                self.skip_literal(length, &mut total)?;
            }
            untagged.push(line);
        }
    }

    /// Reads and drops a `{n}` literal the server sent inside an untagged response.
    fn skip_literal(&mut self, length: usize, total: &mut usize) -> Result<(), ProbeFailure> {
        *total += length;
        if *total > MAX_RESPONSE {
            return Err(ProbeFailure::new(
                Stage::Login,
                FailureKind::Protocol,
                "the server's response was too long",
            ));
        }
        let mut sink = Vec::new();
        let read = (&mut self.connection)
            .take(length as u64)
            .read_to_end(&mut sink)
            .map_err(|e| endpoint::conversation_failure(Stage::Login, &e))?;
        if read < length {
            return Err(dropped());
        }
        Ok(())
    }

    /// One line, at most [`MAX_LINE`] bytes, its control characters escaped and the secret
    /// masked. A read that times out keeps what it had for the next call.
    fn read_line(&mut self) -> Result<String, ProbeFailure> {
        let room = MAX_LINE.saturating_sub(self.partial.len()) as u64;
        let result = (&mut self.connection)
            .take(room)
            .read_until(b'\n', &mut self.partial);
        match result {
            Err(e) => return Err(endpoint::conversation_failure(Stage::Login, &e)),
            Ok(0) if self.partial.is_empty() => return Err(dropped()),
            Ok(_) => {}
        }
        if !self.partial.ends_with(b"\n") {
            if self.partial.len() >= MAX_LINE {
                return Err(ProbeFailure::new(
                    Stage::Login,
                    FailureKind::Protocol,
                    "the server sent a line that was too long",
                ));
            }
            return Err(dropped());
        }
        let raw = String::from_utf8_lossy(&self.partial)
            .trim_end()
            .to_string();
        self.partial.clear();
        let line = server_words(&raw, self.password.expose());
        self.transcript.push(format!("S: {line}"));
        Ok(line)
    }

    fn step_failure(step: SendStep, failure: ProbeFailure) -> SendFailure {
        SendFailure::Step {
            protocol: Protocol::Imap,
            step,
            failure,
        }
    }
}

impl ImapFailed {
    fn at(stage: Stage, mut failure: ProbeFailure) -> ImapFailed {
        failure.stage = stage;
        ImapFailed { failure }
    }
}

fn dropped() -> ProbeFailure {
    ProbeFailure::new(
        Stage::Login,
        FailureKind::Dropped,
        "the server closed the connection",
    )
}

/// `OK` passes; `NO`/`BAD` become a failure with the server's words.
fn ok_or_failure((_, reply): (Vec<String>, Tagged)) -> Result<(), ProbeFailure> {
    if reply.status.eq_ignore_ascii_case("OK") {
        return Ok(());
    }
    let code = response_code(&reply.text)
        .unwrap_or_default()
        .to_ascii_uppercase();
    let kind = if ["UNAVAILABLE", "LIMIT", "INUSE", "SERVERBUG"]
        .iter()
        .any(|c| code.starts_with(c))
    {
        FailureKind::Unavailable
    } else {
        FailureKind::Protocol
    };
    Err(
        ProbeFailure::new(Stage::Login, kind, "the server refused the command")
            .with_server_said(format!("{} {}", reply.status, reply.text)),
    )
}

fn response_code(text: &str) -> Option<&str> {
    text.strip_prefix('[')?
        .split_once(']')
        .map(|(code, _)| code)
}

fn strip_prefix_ignore_case<'t>(line: &'t str, prefix: &str) -> Option<&'t str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &line[prefix.len()..])
}

/// The length of a `{n}` literal announced at the end of a line.
fn literal_length(line: &str) -> Option<usize> {
    let open = line.strip_suffix('}')?.rfind('{')?;
    line[open + 1..line.len() - 1].parse().ok()
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: MessageWords<'static> = MessageWords {
        subject: "icloud-setup test message — safe to delete",
        body: "Sent by icloud-setup.\nSafe to delete.\n",
    };

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn headers(message: &TestMessage) -> Vec<(String, String)> {
        let (head, _) = message.text().split_once("\r\n\r\n").expect("a blank line");
        let unfolded = head.replace("\r\n ", " ");
        unfolded
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(": ").expect("name: value");
                (name.to_string(), value.to_string())
            })
            .collect()
    }

    #[test]
    fn the_message_has_the_headers_a_mail_program_expects() {
        let message = TestMessage::build(
            "john@example.org",
            Some("John \"J\" Appleseed"),
            WORDS,
            at(1_795_786_142),
            "0123abcd",
        );
        let headers = headers(&message);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Date",
                "From",
                "To",
                "Subject",
                "Message-ID",
                "Auto-Submitted",
                "MIME-Version",
                "Content-Type",
                "Content-Transfer-Encoding"
            ]
        );
        let value = |name: &str| &headers.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(value("Date"), "Fri, 27 Nov 2026 13:29:02 +0000");
        assert_eq!(
            value("From"),
            r#""John \"J\" Appleseed" <john@example.org>"#
        );
        assert_eq!(value("To"), value("From"));
        assert_eq!(value("Message-ID"), "<icloud-setup.0123abcd@example.org>");
        assert_eq!(message.message_id(), value("Message-ID"));
        assert_eq!(value("Content-Type"), "text/plain; charset=utf-8");
        assert_eq!(value("Content-Transfer-Encoding"), "7bit");
        // The subject's dash is not ASCII: RFC 2047 words, which decode to the subject.
        let subject = WORDS.subject.as_bytes();
        assert_eq!(
            value("Subject"),
            &format!(
                "=?utf-8?B?{}?= =?utf-8?B?{}?=",
                base64(&subject[..39]),
                base64(&subject[39..])
            )
        );
        assert!(
            message
                .text()
                .ends_with("\r\n\r\nSent by icloud-setup.\r\nSafe to delete.\r\n")
        );
        // Every line ends in CRLF and is short enough for any server.
        assert!(
            message
                .text()
                .split_inclusive('\n')
                .all(|l| l.ends_with("\r\n") && l.len() <= 78),
            "{}",
            message.text()
        );
    }

    #[test]
    fn without_a_name_the_address_stands_alone_and_a_non_ascii_name_is_encoded() {
        let bare = TestMessage::build("a@icloud.com", None, WORDS, at(0), "x");
        assert!(bare.text().contains("\r\nFrom: <a@icloud.com>\r\n"));
        let umlaut = TestMessage::build("a@icloud.com", Some("Jürgen Müller"), WORDS, at(0), "x");
        let from = &headers(&umlaut)[1].1;
        assert_eq!(
            from,
            &format!(
                "=?utf-8?B?{}?= <a@icloud.com>",
                base64("Jürgen Müller".as_bytes())
            )
        );
        // A line break in the saved name cannot start a header of its own.
        let sneaky = TestMessage::build(
            "a@icloud.com",
            Some("Eve\r\nBcc: victim@example.org"),
            WORDS,
            at(0),
            "x",
        );
        assert!(!sneaky.text().contains("\r\nBcc:"), "{}", sneaky.text());
    }

    #[test]
    fn a_body_that_is_not_ascii_goes_as_base64() {
        let words = MessageWords {
            subject: "Testnachricht",
            body: "Diese Nachricht können Sie löschen.\n",
        };
        let message = TestMessage::build("a@icloud.com", None, words, at(0), "x");
        assert!(
            message
                .text()
                .contains("Content-Transfer-Encoding: base64\r\n")
        );
        assert!(message.text().contains("\r\nSubject: Testnachricht\r\n"));
        let (_, body) = message.text().split_once("\r\n\r\n").unwrap();
        assert_eq!(
            body,
            format!(
                "{}\r\n",
                base64("Diese Nachricht können Sie löschen.\r\n".as_bytes())
            )
        );
    }

    #[test]
    fn the_secret_is_never_in_the_message() {
        let secret = "abcd-efgh-ijkl-mnop";
        let message = TestMessage::build(
            "a@icloud.com",
            Some("A"),
            WORDS,
            SystemTime::now(),
            &unique_token(),
        );
        assert!(!message.text().contains(secret));
        assert!(!message.text().contains("abcdefghijklmnop"));
    }

    #[test]
    fn dates_follow_rfc_5322_in_utc() {
        assert_eq!(rfc5322_date(at(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
        // A leap day, and the last second of a year.
        assert_eq!(
            rfc5322_date(at(951_782_400)),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
        assert_eq!(
            rfc5322_date(at(1_798_761_599)),
            "Thu, 31 Dec 2026 23:59:59 +0000"
        );
        assert_eq!(
            rfc5322_date(at(4_107_542_400)),
            "Mon, 01 Mar 2100 00:00:00 +0000"
        );
    }

    #[test]
    fn message_ids_are_unique() {
        let tokens: std::collections::HashSet<String> = (0..1000).map(|_| unique_token()).collect();
        assert_eq!(tokens.len(), 1000);
        assert!(
            tokens
                .iter()
                .all(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        );
    }

    #[test]
    fn long_encoded_words_are_split_between_characters() {
        let text = "ä".repeat(40);
        let encoded = encode_words(&text);
        let words: Vec<&str> = encoded.split("\r\n ").collect();
        // 19 two-byte characters fit in 39 bytes: 19 + 19 + 2.
        let halves = ["ä".repeat(19), "ä".repeat(19), "ä".repeat(2)];
        let expected: Vec<String> = halves
            .iter()
            .map(|h| format!("=?utf-8?B?{}?=", base64(h.as_bytes())))
            .collect();
        assert_eq!(words, expected, "{encoded}");
        assert!(words.iter().all(|w| w.len() <= 75));
    }

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn server_words_are_escaped_masked_and_bounded() {
        let secret = "abcd-efgh-ijkl-mnop";
        let shown = server_words("550 no\u{1b}[31m red abcd-efgh-ijkl-mnop\u{7}", secret);
        assert_eq!(shown, "550 no\\u{1b}[31m red ********\\u{7}");
        let long = server_words(&"x".repeat(5000), secret);
        assert!(long.len() < MAX_SERVER_WORDS + 10);
    }

    #[test]
    fn imap_literals_and_response_codes_are_read() {
        assert_eq!(literal_length("* 1 FETCH (BODY[] {42}"), Some(42));
        assert_eq!(literal_length("* OK {no}"), None);
        assert_eq!(literal_length("* SEARCH 1 2"), None);
        assert_eq!(response_code("[UNAVAILABLE] later"), Some("UNAVAILABLE"));
        assert_eq!(
            strip_prefix_ignore_case("* search 4 5", "* SEARCH"),
            Some(" 4 5")
        );
    }
}
