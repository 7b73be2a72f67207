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

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::domain::AppPassword;
use crate::mail::endpoint::{Deadline, ServerAddress};
use crate::mail::smtp_probe::{self, Reply};
use crate::mail::tls::TrustAnchors;
use crate::mail::wire::{Wire, base64};
use crate::mail::{
    Detail, FailureKind, ProbeFailure, ProbeReport, Protocol, Stage, TranscriptLine, imap_probe,
};

/// How often the INBOX is looked at when the server does not offer IDLE.
const POLL_INTERVAL: Duration = Duration::from_secs(5);
/// An IDLE is ended and the INBOX searched again at least this often, in case a server
/// does not announce new mail.
const IDLE_SLICE: Duration = Duration::from_secs(30);
/// iCloud's folder for spam (ICLOUD.md).
pub const JUNK: &str = "Junk";
pub const INBOX: &str = "INBOX";

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
                text.push_str(&String::from_utf8_lossy(chunk));
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

/// `Fri, 27 Nov 2026 13:45:00 +0000` (RFC 5322 3.3), in UTC. The calendar is humantime's
/// (RFC 3339, `2026-11-27T13:45:00Z`), rearranged; the day of the week is counted from
/// the epoch, a Thursday.
pub fn rfc5322_date(time: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let time = time.max(UNIX_EPOCH);
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let weekday = DAYS[usize::try_from(seconds / 86_400 % 7).unwrap_or(0)];
    // `YYYY-MM-DDThh:mm:ssZ`
    let stamp = humantime::format_rfc3339_seconds(time).to_string();
    let field = |range: std::ops::Range<usize>| stamp.get(range).unwrap_or("00");
    let month = field(5..7)
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .unwrap_or(&"Jan");
    format!(
        "{weekday}, {} {month} {} {} +0000",
        field(8..10),
        field(0..4),
        field(11..19)
    )
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

/// The message as it goes after `DATA` (RFC 5321 4.5.2): every line that starts with a
/// dot gets one more, every line ends in CRLF, and a line with a lone dot ends it.
pub fn dot_stuffed(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str(".\r\n");
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
    /// The server's reply to the end of DATA (its queue id, usually), raw.
    pub outcome: Result<String, SendFailure>,
    pub transcript: Vec<TranscriptLine>,
}

fn connection_failure(
    protocol: Protocol,
    server: &ServerAddress,
    username: &str,
    sent_login: bool,
    failure: ProbeFailure,
    transcript: Vec<TranscriptLine>,
) -> SendFailure {
    SendFailure::Connection(Box::new(ProbeReport {
        protocol,
        server: server.clone(),
        usernames_tried: if sent_login {
            vec![username.to_string()]
        } else {
            Vec::new()
        },
        outcome: Err(failure),
        transcript,
    }))
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

/// Submits the message: everything up to and with `AUTH` as the live test does it, by one
/// `--timeout`; then `MAIL FROM`, `RCPT TO`, `DATA` and the message, each by its own.
pub fn submit(
    submission: &Submission<'_>,
    anchors: &TrustAnchors,
    timeout: Duration,
) -> SubmitReport {
    anchors.prepare();
    let server = submission.server;
    let username = submission.username;
    let deadline = Deadline::after(timeout);
    let mut transcript = Vec::new();
    let mut ready = match smtp_probe::open(server, anchors, timeout, deadline, &mut transcript) {
        Ok(ready) => ready,
        Err(failure) => {
            let report = transcript.clone();
            return SubmitReport {
                outcome: Err(connection_failure(
                    Protocol::Smtp,
                    server,
                    username,
                    false,
                    failure,
                    report,
                )),
                transcript,
            };
        }
    };
    ready.wire_mut().set_deadline(deadline);
    ready.wire_mut().mask_secret(username, submission.password);
    let mut sent_auth = false;
    let signed_in =
        smtp_probe::authenticate(&mut ready, username, submission.password, &mut sent_auth);
    transcript.append(&mut ready.wire_mut().transcript);
    if let Err(failure) = signed_in {
        ready.close();
        let report = transcript.clone();
        return SubmitReport {
            outcome: Err(connection_failure(
                Protocol::Smtp,
                server,
                username,
                sent_auth,
                failure,
                report,
            )),
            transcript,
        };
    }
    let outcome = send_message(ready.wire_mut(), submission, timeout);
    transcript.append(&mut ready.wire_mut().transcript);
    match &outcome {
        Ok(_) | Err(SendFailure::SenderRefused { .. }) => {
            // The verdict is in: say goodbye without waiting for the answer.
            transcript.push(TranscriptLine::Client("QUIT".into()));
            ready.close_with("QUIT");
        }
        Err(_) => ready.close(),
    }
    SubmitReport {
        outcome,
        transcript,
    }
}

/// The envelope, `DATA` and the message on a signed-in connection. Each step gets
/// `timeout`; the reply to the end of DATA is returned as the server said it.
fn send_message(
    wire: &mut Wire,
    submission: &Submission<'_>,
    timeout: Duration,
) -> Result<String, SendFailure> {
    let smtp_step = |step: SendStep| {
        move |failure: ProbeFailure| SendFailure::Step {
            protocol: Protocol::Smtp,
            step,
            failure,
        }
    };
    let address = envelope_address(submission.address).ok_or_else(|| {
        smtp_step(SendStep::MailFrom)(ProbeFailure::new(
            Stage::Login,
            FailureKind::Protocol,
            SendDetail::AddressUnusable,
        ))
    })?;
    let commands: [(SendStep, String, &[u16]); 3] = [
        (SendStep::MailFrom, format!("MAIL FROM:<{address}>"), &[250]),
        (
            SendStep::RcptTo,
            format!("RCPT TO:<{address}>"),
            &[250, 251],
        ),
        (SendStep::Data, "DATA".to_string(), &[354]),
    ];
    for (step, command, accepted) in commands {
        wire.set_deadline(Deadline::after(timeout));
        wire.send(&command, &command, Stage::Login)
            .map_err(smtp_step(step))?;
        let reply = smtp_probe::read_smtp_reply(wire, Stage::Login).map_err(smtp_step(step))?;
        judge(step, &reply, accepted)?;
    }
    let step = SendStep::EndOfData;
    wire.set_deadline(Deadline::after(timeout));
    wire.send_text(&dot_stuffed(submission.message.text()), Stage::Login)
        .map_err(smtp_step(step))?;
    let reply = smtp_probe::read_smtp_reply(wire, Stage::Login).map_err(smtp_step(step))?;
    judge(step, &reply, &[250])?;
    Ok(reply.said())
}

/// The address as it may stand between `<` and `>` in `MAIL FROM` and `RCPT TO`.
fn envelope_address(address: &str) -> Option<&str> {
    let usable = address.contains('@')
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'));
    usable.then_some(address)
}

/// `Ok` for an accepted reply; a permanent refusal (5xx) is the sender refused at this
/// step, a 4xx temporary, anything else not what the protocol allows.
fn judge(step: SendStep, reply: &Reply, accepted: &[u16]) -> Result<(), SendFailure> {
    if accepted.contains(&reply.code) {
        return Ok(());
    }
    if (500..600).contains(&reply.code) {
        return Err(SendFailure::SenderRefused {
            step,
            server_said: reply.said(),
        });
    }
    let kind = if (400..500).contains(&reply.code) {
        FailureKind::Unavailable
    } else {
        FailureKind::Protocol
    };
    Err(SendFailure::Step {
        protocol: Protocol::Smtp,
        step,
        failure: ProbeFailure::new(Stage::Login, kind, SendDetail::UnexpectedReply)
            .with_server_said(reply.said()),
    })
}

// ---------------------------------------------------------------- IMAP watching

/// A tagged reply: its status (`OK`, `NO`, `BAD`) and the rest of the line.
struct Tagged {
    status: String,
    text: String,
}

/// An IMAP session signed in with the INBOX selected, ready to watch for the message.
pub struct Watcher {
    wire: Wire,
    /// The bound of each command (`--timeout`).
    timeout: Duration,
    capabilities: Vec<String>,
    selected: Option<Folder>,
    next_tag: u32,
}

impl Watcher {
    /// Connects with TLS and signs in with `username` (the saved IMAP username) as the live
    /// test does, by one `--timeout`; then learns the capabilities and selects the INBOX.
    pub fn open(
        server: &ServerAddress,
        username: &str,
        password: &AppPassword,
        anchors: &TrustAnchors,
        timeout: Duration,
    ) -> Result<Watcher, SendFailure> {
        anchors.prepare();
        let deadline = Deadline::after(timeout);
        let mut transcript = Vec::new();
        let ready = match imap_probe::open(server, anchors, deadline, &mut transcript) {
            Ok(ready) => ready,
            Err(failure) => {
                return Err(connection_failure(
                    Protocol::Imap,
                    server,
                    username,
                    false,
                    failure,
                    transcript,
                ));
            }
        };
        let mut wire = ready.into_wire();
        wire.set_deadline(deadline);
        wire.mask_secret(username, password);
        let signed_in = imap_probe::login(&mut wire, username, password);
        transcript.append(&mut wire.transcript);
        if let Err(failure) = signed_in {
            wire.close();
            return Err(connection_failure(
                Protocol::Imap,
                server,
                username,
                true,
                failure,
                transcript,
            ));
        }
        wire.transcript = transcript;
        let mut watcher = Watcher {
            wire,
            timeout,
            capabilities: Vec::new(),
            selected: None,
            next_tag: 1,
        };
        watcher
            .learn_capabilities()
            .and_then(|()| watcher.select(Folder::Inbox))
            .map_err(|failure| imap_step(SendStep::Select, failure))?;
        Ok(watcher)
    }

    /// The conversation so far, the secret masked.
    pub fn transcript(&self) -> &[TranscriptLine] {
        &self.wire.transcript
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

    fn learn_capabilities(&mut self) -> Result<(), ProbeFailure> {
        let (untagged, reply) = self.command("CAPABILITY")?;
        if reply.status.eq_ignore_ascii_case("OK") {
            for line in untagged {
                if let Some(list) = strip_prefix_ignore_case(&line, "* CAPABILITY ") {
                    self.capabilities = list.split_whitespace().map(str::to_string).collect();
                }
            }
        }
        Ok(())
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
                .command("NOOP")
                .and_then(|(_, reply)| ok_or_failure(&reply))
                .and_then(|()| self.search(message_id));
            if let Some(uid) = found.map_err(|f| imap_step(SendStep::Watch, f))? {
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
                    .map_err(|f| imap_step(SendStep::Watch, f))?;
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
            Err(failure) => return Err(imap_step(SendStep::Select, failure)),
        }
        match self
            .search(message_id)
            .map_err(|f| imap_step(SendStep::Watch, f))?
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
        removed.map_err(|f| imap_step(SendStep::Remove, f))
    }

    fn remove_uid(&mut self, arrival: &Arrival) -> Result<Removal, ProbeFailure> {
        if self.selected != Some(arrival.folder) {
            self.select(arrival.folder)?;
        }
        let uid = arrival.uid;
        if self.has_uidplus() {
            self.command_ok(&format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"))?;
            self.command_ok(&format!("UID EXPUNGE {uid}"))?;
            Ok(Removal::Expunged)
        } else {
            self.command_ok(&format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted \\Seen)"))?;
            Ok(Removal::FlaggedDeleted)
        }
    }

    /// Says goodbye without waiting for the answer, and closes: the verdict is in.
    /// `LOGOUT` closes the mailbox without expunging it. Returns the conversation.
    pub fn logout(mut self) -> Vec<TranscriptLine> {
        let line = format!("{} LOGOUT", self.tag());
        let mut transcript = std::mem::take(&mut self.wire.transcript);
        transcript.push(TranscriptLine::Client(line.clone()));
        self.wire.close_with(&line);
        transcript
    }

    fn select(&mut self, folder: Folder) -> Result<(), ProbeFailure> {
        self.selected = None;
        self.command_ok(&format!("SELECT {}", folder.imap_name()))?;
        self.selected = Some(folder);
        Ok(())
    }

    /// The UID of the message with this `Message-ID` in the selected folder, if there.
    fn search(&mut self, message_id: &str) -> Result<Option<u32>, ProbeFailure> {
        let line = format!("UID SEARCH HEADER Message-ID {}", quoted(message_id));
        let (untagged, reply) = self.command(&line)?;
        ok_or_failure(&reply)?;
        Ok(untagged
            .iter()
            .filter_map(|l| strip_prefix_ignore_case(l, "* SEARCH"))
            .flat_map(str::split_whitespace)
            .filter_map(|n| n.parse().ok())
            .max())
    }

    /// Waits in IDLE until new mail is announced or `until`, then ends the IDLE. The wait
    /// ends at `until` whatever the server sends; what it sends meanwhile is bounded by
    /// the wire's response cap.
    fn idle_until(&mut self, until: Instant) -> Result<(), ProbeFailure> {
        let tag = self.tag();
        self.send(&format!("{tag} IDLE"))?;
        loop {
            let line = self.wire.read_line(Stage::Login)?;
            if line.starts_with('+') {
                break;
            }
            if let Some(rest) = tagged_rest(&line, &tag) {
                if ok_or_failure(&rest).is_ok() {
                    return Ok(());
                }
                // The server refused IDLE after announcing it: wait politely instead.
                std::thread::sleep(until.saturating_duration_since(Instant::now()));
                return Ok(());
            }
            if line.starts_with("* BYE") {
                return Err(session_ended(line));
            }
        }
        self.wire.set_deadline(Deadline::after(
            until.saturating_duration_since(Instant::now()),
        ));
        self.wire.begin_response();
        loop {
            match self.wire.read_line(Stage::Login) {
                Ok(line) if line.contains(" EXISTS") || line.contains(" RECENT") => break,
                Ok(line) if line.starts_with("* BYE") => return Err(session_ended(line)),
                Ok(_) => {}
                Err(failure) if failure.kind == FailureKind::TimedOut => break,
                Err(failure) => return Err(failure),
            }
        }
        self.send("DONE")?;
        let (_, reply) = self.read_tagged(&tag)?;
        ok_or_failure(&reply)
    }

    fn tag(&mut self) -> String {
        let tag = format!("s{}", self.next_tag);
        self.next_tag += 1;
        tag
    }

    /// Sends one line as a new step: a fresh `--timeout` and a fresh response count.
    fn send(&mut self, line: &str) -> Result<(), ProbeFailure> {
        self.wire.set_deadline(Deadline::after(self.timeout));
        self.wire.begin_response();
        self.wire.send(line, line, Stage::Login)
    }

    /// Sends one tagged command and reads its response, all within `--timeout`.
    fn command(&mut self, command: &str) -> Result<(Vec<String>, Tagged), ProbeFailure> {
        let tag = self.tag();
        self.send(&format!("{tag} {command}"))?;
        self.read_tagged(&tag)
    }

    fn command_ok(&mut self, command: &str) -> Result<(), ProbeFailure> {
        let (_, reply) = self.command(command)?;
        ok_or_failure(&reply)
    }

    /// Reads untagged lines until the tagged reply, within the wire's caps.
    fn read_tagged(&mut self, tag: &str) -> Result<(Vec<String>, Tagged), ProbeFailure> {
        let mut untagged = Vec::new();
        loop {
            let line = self.wire.read_line(Stage::Login)?;
            if let Some(reply) = tagged_rest(&line, tag) {
                return Ok((untagged, reply));
            }
            if line.starts_with("* BYE") {
                return Err(session_ended(line));
            }
            if let Some(length) = literal_length(&line) {
                // Its bytes are data, not lines: a tag inside must not end the response.
                self.wire.skip_bytes(length, Stage::Login)?;
            }
            untagged.push(line);
        }
    }
}

/// The length of a `{n}` (or `{n+}`) literal announced at the end of a line.
fn literal_length(line: &str) -> Option<usize> {
    let inner = line.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    inner[open + 1..].trim_end_matches('+').parse().ok()
}

fn imap_step(step: SendStep, failure: ProbeFailure) -> SendFailure {
    SendFailure::Step {
        protocol: Protocol::Imap,
        step,
        failure,
    }
}

/// The tagged reply in `line`, if it is the one for `tag`.
fn tagged_rest(line: &str, tag: &str) -> Option<Tagged> {
    let rest = line.strip_prefix(tag)?.strip_prefix(' ')?;
    let (status, text) = rest.split_once(' ').unwrap_or((rest, ""));
    Some(Tagged {
        status: status.to_string(),
        text: text.to_string(),
    })
}

fn session_ended(line: String) -> ProbeFailure {
    ProbeFailure::new(
        Stage::Login,
        FailureKind::Unavailable,
        SendDetail::SessionEnded,
    )
    .with_server_said(line)
}

/// `OK` passes; `NO`/`BAD` become a failure with the server's words.
fn ok_or_failure(reply: &Tagged) -> Result<(), ProbeFailure> {
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
        ProbeFailure::new(Stage::Login, kind, SendDetail::CommandRefused)
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
    fn literals_are_found_at_the_end_of_a_line() {
        assert_eq!(literal_length("* 1 FETCH (BODY[] {42}"), Some(42));
        assert_eq!(literal_length("* 1 FETCH (BODY[] {7+}"), Some(7));
        assert_eq!(literal_length("* OK {no}"), None);
        assert_eq!(literal_length("* SEARCH 1 2"), None);
    }

    #[test]
    fn response_codes_and_prefixes_are_read() {
        assert_eq!(response_code("[UNAVAILABLE] later"), Some("UNAVAILABLE"));
        assert_eq!(
            strip_prefix_ignore_case("* search 4 5", "* SEARCH"),
            Some(" 4 5")
        );
        let refused = ok_or_failure(&tagged_rest("s3 NO [LIMIT] busy", "s3").unwrap()).unwrap_err();
        assert_eq!(refused.kind, FailureKind::Unavailable);
        assert_eq!(refused.detail, Detail::SendTest(SendDetail::CommandRefused));
        assert_eq!(refused.server_said.as_deref(), Some("NO [LIMIT] busy"));
        assert!(tagged_rest("s31 OK", "s3").is_none());
    }

    #[test]
    fn lines_starting_with_a_dot_are_stuffed_and_a_lone_dot_ends_the_message() {
        assert_eq!(
            dot_stuffed("Subject: x\r\n\r\n.\r\n..two\r\nend.\r\n"),
            "Subject: x\r\n\r\n..\r\n...two\r\nend.\r\n.\r\n"
        );
        // A last line without its line end gets one before the final dot.
        assert_eq!(dot_stuffed("a\r\n.b"), "a\r\n..b\r\n.\r\n");
        // A bare LF becomes CRLF: no line may end otherwise on the wire.
        assert_eq!(dot_stuffed(".a\n"), "..a\r\n.\r\n");
    }

    #[test]
    fn the_envelope_takes_only_a_plain_address() {
        assert_eq!(envelope_address("a@icloud.com"), Some("a@icloud.com"));
        for bad in ["a@b.c>\r\nRCPT TO:<x@y", "a b@c.d", "no-at-sign", "<a@b.c>"] {
            assert_eq!(envelope_address(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_5xx_refuses_the_sender_at_its_step_and_a_4xx_is_temporary() {
        let reply = |code, text: &str| Reply {
            code,
            lines: vec![text.to_string()],
        };
        let Err(SendFailure::SenderRefused { step, server_said }) = judge(
            SendStep::EndOfData,
            &reply(554, "5.7.1 [CS01] Message rejected"),
            &[250],
        ) else {
            panic!("a 554 refuses the sender");
        };
        assert_eq!(step, SendStep::EndOfData);
        assert_eq!(server_said, "554 5.7.1 [CS01] Message rejected");
        let Err(SendFailure::Step { failure, .. }) =
            judge(SendStep::RcptTo, &reply(451, "4.3.0 later"), &[250, 251])
        else {
            panic!("a 451 is a failed step");
        };
        assert_eq!(failure.kind, FailureKind::Unavailable);
        assert!(judge(SendStep::Data, &reply(354, "go ahead"), &[354]).is_ok());
    }
}
