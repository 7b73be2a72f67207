//! [`Watcher`]: an IMAP session on the live test's `imap_probe::open` and `login` that waits
//! for the test message and removes every copy of it — and only what is provably ours.
//!
//! A server's `SEARCH` is not proof (iCloud's is known to be unreliable): before the message
//! is sent, the watcher records each watched folder's `UIDVALIDITY` and `UIDNEXT` (the INBOX
//! from its `SELECT`, Junk from `STATUS`). A message `SEARCH` names is ours only when its UID
//! is at or above that `UIDNEXT` under the same `UIDVALIDITY` — it arrived after the test
//! began — and its `Message-ID` header, fetched with `BODY.PEEK` (which sets no flag), is
//! exactly ours. Every such copy is removed: `UID STORE +FLAGS.SILENT (\Deleted)` and
//! `UID EXPUNGE` with UIDPLUS, else `\Deleted \Seen` left for the mail program. Never a plain
//! `EXPUNGE` (nor `CLOSE`), which would also remove messages the person had marked deleted.
//! Whatever `SEARCH` names that fails the proof is reported ([`NotOurs`]) and never touched.
//!
//! The INBOX is watched with IDLE where the server offers it, else a polite poll; Junk is
//! looked at when the wait is over. Every response is read by the one IMAP reader.

use std::time::{Duration, Instant};

use crate::domain::AppPassword;
use crate::mail::endpoint::{Deadline, ServerAddress};
use crate::mail::imap_reader::{
    self, CodeMeaning, Response, Tagged, Untagged, code_meaning, code_number, number_after, quoted,
    strip_prefix_ignore_case,
};
use crate::mail::send_test::{
    Arrival, Folder, NotOurs, NotOursReason, Removal, Removed, SendDetail, SendFailure, SendStep,
    WatchSession, connection_failure,
};
use crate::mail::tls::TrustAnchors;
use crate::mail::wire::Wire;
use crate::mail::{Detail, FailureKind, ProbeFailure, Protocol, Stage, TranscriptLine, imap_probe};

/// How often the INBOX is looked at when the server does not offer IDLE.
const POLL_INTERVAL: Duration = Duration::from_secs(5);
/// An IDLE is ended and the INBOX searched again at least this often, in case a server
/// does not announce new mail.
const IDLE_SLICE: Duration = Duration::from_secs(30);

/// A folder's UIDs before the message was sent: only a UID from `next` on, under the same
/// `validity`, can be a message that arrived since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Baseline {
    pub(crate) validity: u32,
    pub(crate) next: u32,
}

/// What a watched folder was before the message was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Before {
    /// Its UIDs, from `STATUS`.
    Known(Baseline),
    /// It did not exist (`LIST` named no such folder): whatever is in it now came since.
    Absent,
    /// The server said neither: nothing in it can be proven ours.
    Unknown,
}

/// An IMAP session signed in with the INBOX selected, ready to watch for the message.
pub struct Watcher {
    wire: Wire,
    /// The bound of each command (`--timeout`).
    timeout: Duration,
    capabilities: Vec<String>,
    selected: Option<Folder>,
    /// The `UIDVALIDITY` the selected folder has now, as its `SELECT` (or a later
    /// untagged `OK [UIDVALIDITY …]`) said.
    validity_now: Option<u32>,
    /// The `UIDNEXT` the selected folder's `SELECT` said.
    next_from_select: Option<u32>,
    inbox: Option<Baseline>,
    /// Junk, from `STATUS` (or `LIST`) before sending.
    junk: Before,
    /// What `SEARCH` named that failed the proof, each once.
    not_ours: Vec<NotOurs>,
    next_tag: u32,
}

impl Watcher {
    /// Connects with TLS and signs in with `username` (the saved IMAP username) as the live
    /// test does, by one `--timeout`; then learns the capabilities, records Junk's and the
    /// INBOX's UIDs, and selects the INBOX. Call it before sending.
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
                    (username, password),
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
        // The greeting came before the secret was known: see `Masker::mask_report`.
        crate::mail::mask::Masker::for_secret(password).mask_transcript(&mut transcript);
        if let Err(failure) = signed_in {
            wire.close();
            return Err(connection_failure(
                Protocol::Imap,
                server,
                (username, password),
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
            validity_now: None,
            next_from_select: None,
            inbox: None,
            junk: Before::Unknown,
            not_ours: Vec::new(),
            next_tag: 1,
        };
        watcher
            .learn_capabilities()
            .and_then(|()| watcher.junk_baseline())
            .and_then(|()| watcher.select(Folder::Inbox))
            .map_err(|failure| imap_step(SendStep::Select, failure))?;
        watcher.inbox = watcher.baseline_from_select();
        Ok(watcher)
    }

    /// Whether the server offers `UIDPLUS` (and so `UID EXPUNGE`).
    pub(crate) fn has_uidplus(&self) -> bool {
        self.has_capability("UIDPLUS")
    }

    /// Whether the server offers `IDLE`.
    pub fn has_idle(&self) -> bool {
        self.has_capability("IDLE")
    }

    /// Everything a `SEARCH` named so far that failed the proof, each once.
    pub(crate) fn not_ours(&self) -> &[NotOurs] {
        &self.not_ours
    }

    fn has_capability(&self, name: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(name))
    }

    fn learn_capabilities(&mut self) -> Result<(), ProbeFailure> {
        let response = self.command(Stage::Capability, "CAPABILITY")?;
        if response.tagged.is_ok() {
            for line in response.untagged {
                if let Some(list) = strip_prefix_ignore_case(&line.text, "* CAPABILITY ") {
                    self.capabilities = list.split_whitespace().map(str::to_string).collect();
                }
            }
        }
        Ok(())
    }

    /// Junk's `UIDVALIDITY` and `UIDNEXT` by `STATUS`, without selecting it; when `STATUS`
    /// is refused, `LIST` tells a Junk that does not exist (yet: a server may make it for
    /// the first spam) from one whose UIDs the server did not say.
    fn junk_baseline(&mut self) -> Result<(), ProbeFailure> {
        let name = quoted(Folder::Junk.imap_name());
        let response = self.command(
            Stage::FolderStatus,
            &format!("STATUS {name} (UIDNEXT UIDVALIDITY)"),
        )?;
        if response.tagged.is_ok() {
            let status = response
                .untagged
                .iter()
                .find_map(|line| strip_prefix_ignore_case(&line.text, "* STATUS "));
            self.junk = status
                .and_then(|text| {
                    Some(Baseline {
                        validity: number_after(text, "UIDVALIDITY")?,
                        next: number_after(text, "UIDNEXT")?,
                    })
                })
                .map_or(Before::Unknown, Before::Known);
            return Ok(());
        }
        let listed = self.command(Stage::FolderStatus, &format!("LIST \"\" {name}"))?;
        let exists = listed
            .untagged
            .iter()
            .any(|line| strip_prefix_ignore_case(&line.text, "* LIST ").is_some());
        if listed.tagged.is_ok() && !exists {
            self.junk = Before::Absent;
        }
        Ok(())
    }

    fn baseline_from_select(&self) -> Option<Baseline> {
        Some(Baseline {
            validity: self.validity_now?,
            next: self.next_from_select?,
        })
    }

    /// Watches for the message with `message_id`, from `submitted` for at most `wait`:
    /// the INBOX first and throughout, then Junk. Found means at least one copy is proven
    /// ours; what `SEARCH` named besides is in [`Watcher::not_ours`].
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
                .command_ok(Stage::Noop, "NOOP")
                .and_then(|()| self.find_ours(message_id));
            let uids = found.map_err(|f| imap_step(SendStep::Watch, f))?;
            if !uids.is_empty() {
                return Ok(Arrival {
                    folder: Folder::Inbox,
                    uids,
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
        let not_arrived = |watcher: &Watcher| SendFailure::NotArrived {
            waited: wait,
            not_ours: watcher.not_ours.clone(),
        };
        match self.select(Folder::Junk) {
            Ok(()) => {}
            // No Junk folder (a server other than iCloud): nothing more to look at.
            Err(failure) if failure.server_said.is_some() => return Err(not_arrived(self)),
            Err(failure) => return Err(imap_step(SendStep::Select, failure)),
        }
        let uids = self
            .find_ours(message_id)
            .map_err(|f| imap_step(SendStep::Watch, f))?;
        if uids.is_empty() {
            return Err(not_arrived(self));
        }
        Ok(Arrival {
            folder: Folder::Junk,
            uids,
            after: submitted.elapsed(),
        })
    }

    /// Removes every copy of the message in the folder it arrived in — each proven ours
    /// again, in this session, just before — and nothing else.
    pub fn remove(&mut self, arrival: &Arrival, message_id: &str) -> Result<Removed, SendFailure> {
        let removed = self.remove_ours(arrival, message_id);
        removed.map_err(|f| imap_step(SendStep::Remove, f))
    }

    fn remove_ours(
        &mut self,
        arrival: &Arrival,
        message_id: &str,
    ) -> Result<Removed, ProbeFailure> {
        if self.selected != Some(arrival.folder) {
            self.select(arrival.folder)?;
        }
        // A copy delivered again since it was found is searched for too.
        let mut candidates = self.search(message_id)?;
        candidates.extend(&arrival.uids);
        candidates.sort_unstable();
        candidates.dedup();
        let mut ours = Vec::new();
        for uid in candidates {
            if self.prove(arrival.folder, uid, message_id)? {
                ours.push(uid);
            }
        }
        if ours.is_empty() {
            return Ok(Removed {
                how: Removal::NothingLeft,
                copies: 0,
            });
        }
        let set = ours
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let how = if self.has_uidplus() {
            self.command_ok(
                Stage::Store,
                &format!("UID STORE {set} +FLAGS.SILENT (\\Deleted)"),
            )?;
            self.command_ok(Stage::Expunge, &format!("UID EXPUNGE {set}"))?;
            Removal::Expunged
        } else {
            self.command_ok(
                Stage::Store,
                &format!("UID STORE {set} +FLAGS.SILENT (\\Deleted \\Seen)"),
            )?;
            Removal::FlaggedDeleted
        };
        Ok(Removed {
            how,
            copies: ours.len(),
        })
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
        self.validity_now = None;
        self.next_from_select = None;
        let name = quoted(folder.imap_name());
        let response = self.command(Stage::Select, &format!("SELECT {name}"))?;
        ok_or_failure(&response.tagged, Stage::Select)?;
        for line in &response.untagged {
            if let Some(next) = code_number(&line.text, "UIDNEXT") {
                self.next_from_select = Some(next);
            }
        }
        self.selected = Some(folder);
        Ok(())
    }

    /// The UIDs of the copies of the message in the selected folder that are proven ours;
    /// what `SEARCH` named besides is kept in `not_ours`.
    fn find_ours(&mut self, message_id: &str) -> Result<Vec<u32>, ProbeFailure> {
        let Some(folder) = self.selected else {
            return Ok(Vec::new());
        };
        let mut ours = Vec::new();
        for uid in self.search(message_id)? {
            if self.prove(folder, uid, message_id)? {
                ours.push(uid);
            }
        }
        Ok(ours)
    }

    /// The UIDs `SEARCH` names for this `Message-ID` in the selected folder: candidates,
    /// not proof.
    fn search(&mut self, message_id: &str) -> Result<Vec<u32>, ProbeFailure> {
        let line = format!("UID SEARCH HEADER Message-ID {}", quoted(message_id));
        let response = self.command(Stage::Search, &line)?;
        ok_or_failure(&response.tagged, Stage::Search)?;
        let mut uids: Vec<u32> = response
            .untagged
            .iter()
            .filter_map(|l| strip_prefix_ignore_case(&l.text, "* SEARCH"))
            .flat_map(str::split_whitespace)
            .filter_map(|n| n.parse().ok())
            .collect();
        uids.sort_unstable();
        uids.dedup();
        Ok(uids)
    }

    /// Whether the message `uid` of the selected `folder` is ours: it arrived after the
    /// test began (UIDs under the same `UIDVALIDITY`) and its `Message-ID` is ours. A
    /// message that fails is remembered in `not_ours`, once.
    fn prove(&mut self, folder: Folder, uid: u32, message_id: &str) -> Result<bool, ProbeFailure> {
        let before = match folder {
            Folder::Inbox => self.inbox.map_or(Before::Unknown, Before::Known),
            Folder::Junk => self.junk,
        };
        let reason = match before {
            Before::Unknown => Some(NotOursReason::NoBaseline),
            Before::Known(before) if self.validity_now != Some(before.validity) => {
                Some(NotOursReason::UidsRenumbered)
            }
            Before::Known(before) if uid < before.next => Some(NotOursReason::ThereBefore),
            Before::Known(_) | Before::Absent if self.fetch_message_ids(uid)? != [message_id] => {
                Some(NotOursReason::OtherMessageId)
            }
            Before::Known(_) | Before::Absent => None,
        };
        match reason {
            None => Ok(true),
            Some(reason) => {
                let entry = NotOurs {
                    folder,
                    uid,
                    reason,
                };
                if !self
                    .not_ours
                    .iter()
                    .any(|n| n.folder == folder && n.uid == uid)
                {
                    self.not_ours.push(entry);
                }
                Ok(false)
            }
        }
    }

    /// The `Message-ID` values of message `uid`, from its header alone, fetched with
    /// `BODY.PEEK` so that it is not marked read.
    fn fetch_message_ids(&mut self, uid: u32) -> Result<Vec<String>, ProbeFailure> {
        let response = self.command(
            Stage::Fetch,
            &format!("UID FETCH {uid} (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"),
        )?;
        ok_or_failure(&response.tagged, Stage::Fetch)?;
        Ok(response
            .untagged
            .iter()
            .filter(|line| fetch_is_for(line, uid))
            .flat_map(|line| line.literals.iter())
            .flat_map(|header| header_values(header, "Message-ID"))
            .collect())
    }

    /// Waits in IDLE until new mail is announced or `until`, then ends the IDLE. The wait
    /// ends at `until` whatever the server sends; what it sends meanwhile is bounded by
    /// the wire's response cap.
    fn idle_until(&mut self, until: Instant) -> Result<(), ProbeFailure> {
        let tag = self.tag();
        self.send(Stage::Idle, &format!("{tag} IDLE"))?;
        loop {
            let line = self.wire.read_line(Stage::Idle)?;
            if line.starts_with('+') {
                break;
            }
            if let Some(reply) = imap_reader::parse_tagged(&line, &tag) {
                if reply.is_ok() {
                    return Ok(());
                }
                // The server refused IDLE after announcing it: wait politely instead.
                std::thread::sleep(until.saturating_duration_since(Instant::now()));
                return Ok(());
            }
            if imap_reader::is_bye(&line) {
                return Err(session_ended(Stage::Idle, line));
            }
            self.notice_validity(&line);
        }
        self.wire.set_deadline(Deadline::after(
            until.saturating_duration_since(Instant::now()),
        ));
        self.wire.begin_response();
        loop {
            match self.wire.read_line(Stage::Idle) {
                Ok(line) if line.contains(" EXISTS") || line.contains(" RECENT") => break,
                Ok(line) if imap_reader::is_bye(&line) => {
                    return Err(session_ended(Stage::Idle, line));
                }
                Ok(line) => self.notice_validity(&line),
                Err(failure) if failure.kind == FailureKind::TimedOut => break,
                Err(failure) => return Err(failure),
            }
        }
        self.send(Stage::Idle, "DONE")?;
        let response = self.read_response(Stage::Idle, &tag)?;
        ok_or_failure(&response.tagged, Stage::Idle)
    }

    /// A server may say a new `UIDVALIDITY` at any time: the UIDs seen before mean nothing
    /// after it.
    fn notice_validity(&mut self, line: &str) {
        if let Some(validity) = code_number(line, "UIDVALIDITY") {
            self.validity_now = Some(validity);
        }
    }

    fn tag(&mut self) -> String {
        let tag = format!("s{}", self.next_tag);
        self.next_tag += 1;
        tag
    }

    /// Sends one line as a new step: a fresh `--timeout` and a fresh response count.
    fn send(&mut self, stage: Stage, line: &str) -> Result<(), ProbeFailure> {
        self.wire.set_deadline(Deadline::after(self.timeout));
        self.wire.begin_response();
        self.wire.send(line, line, stage)
    }

    /// Sends one tagged command and reads its response, all within `--timeout`.
    fn command(&mut self, stage: Stage, command: &str) -> Result<Response, ProbeFailure> {
        let tag = self.tag();
        self.send(stage, &format!("{tag} {command}"))?;
        self.read_response(stage, &tag)
    }

    fn command_ok(&mut self, stage: Stage, command: &str) -> Result<(), ProbeFailure> {
        let response = self.command(stage, command)?;
        ok_or_failure(&response.tagged, stage)
    }

    /// The one IMAP reader; a `* BYE` is the session ended in the middle of the test, and
    /// every untagged `UIDVALIDITY` is noticed.
    fn read_response(&mut self, stage: Stage, tag: &str) -> Result<Response, ProbeFailure> {
        let response =
            imap_reader::read_response(&mut self.wire, tag, stage).map_err(|failure| {
                if failure.detail == Detail::NotAccepting {
                    ProbeFailure {
                        detail: SendDetail::SessionEnded.into(),
                        ..failure
                    }
                } else {
                    failure
                }
            })?;
        for line in &response.untagged {
            self.notice_validity(&line.text);
        }
        Ok(response)
    }
}

impl WatchSession for Watcher {
    fn wait_for(
        &mut self,
        message_id: &str,
        submitted: Instant,
        wait: Duration,
    ) -> Result<Arrival, SendFailure> {
        Watcher::wait_for(self, message_id, submitted, wait)
    }

    fn remove(&mut self, arrival: &Arrival, message_id: &str) -> Result<Removed, SendFailure> {
        Watcher::remove(self, arrival, message_id)
    }

    fn not_ours(&self) -> Vec<NotOurs> {
        Watcher::not_ours(self).to_vec()
    }

    fn logout(self: Box<Self>) -> Vec<TranscriptLine> {
        Watcher::logout(*self)
    }
}

/// Whether an untagged `FETCH` response is about message `uid` (`UID n` among its items).
fn fetch_is_for(line: &Untagged, uid: u32) -> bool {
    let text = line.text.replace(['(', ')'], " ");
    let mut words = text.split_whitespace();
    let is_fetch = words
        .clone()
        .nth(2)
        .is_some_and(|w| w.eq_ignore_ascii_case("FETCH"));
    is_fetch
        && std::iter::from_fn(|| words.next())
            .collect::<Vec<_>>()
            .windows(2)
            .any(|pair| pair[0].eq_ignore_ascii_case("UID") && pair[1] == uid.to_string())
}

/// The values of every header field `name` in a header block (folded lines unfolded),
/// trimmed.
fn header_values(header: &[u8], name: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(header).replace("\r\n", "\n");
    let unfolded = text.replace("\n ", " ").replace("\n\t", " ");
    unfolded
        .lines()
        .filter_map(|line| {
            let (field, value) = line.split_once(':')?;
            field
                .trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
        .collect()
}

fn imap_step(step: SendStep, failure: ProbeFailure) -> SendFailure {
    SendFailure::Step {
        protocol: Protocol::Imap,
        step,
        failure,
    }
}

fn session_ended(stage: Stage, line: String) -> ProbeFailure {
    ProbeFailure::new(stage, FailureKind::Unavailable, SendDetail::SessionEnded)
        .with_server_said(line)
}

/// `OK` passes; `NO`/`BAD` become a failure with the server's words: temporary when its
/// code says so (the one list of [`code_meaning`]), else a protocol failure.
fn ok_or_failure(reply: &Tagged, stage: Stage) -> Result<(), ProbeFailure> {
    if reply.is_ok() {
        return Ok(());
    }
    let kind = match code_meaning(reply.code().as_deref()) {
        CodeMeaning::Temporary => FailureKind::Unavailable,
        _ => FailureKind::Protocol,
    };
    Err(ProbeFailure::new(stage, kind, SendDetail::CommandRefused).with_server_said(reply.said()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::imap_reader::parse_tagged;

    #[test]
    fn response_codes_and_prefixes_are_read() {
        let refused = ok_or_failure(
            &parse_tagged("s3 NO [LIMIT] busy", "s3").unwrap(),
            Stage::Search,
        )
        .unwrap_err();
        assert_eq!(refused.kind, FailureKind::Unavailable);
        // The failure names the command it answered, not the login before it.
        assert_eq!(refused.stage, Stage::Search);
        assert_eq!(refused.detail, Detail::SendTest(SendDetail::CommandRefused));
        assert_eq!(refused.server_said.as_deref(), Some("NO [LIMIT] busy"));
        // One atom, matched whole: a longer code is not `[LIMIT]`.
        let other = ok_or_failure(
            &parse_tagged("s3 NO [LIMITED] x", "s3").unwrap(),
            Stage::Select,
        )
        .unwrap_err();
        assert_eq!(other.kind, FailureKind::Protocol);
    }

    #[test]
    fn the_message_id_is_read_from_the_fetched_header_of_that_uid() {
        let line = Untagged {
            text: "* 4 FETCH (UID 12 BODY[HEADER.FIELDS (MESSAGE-ID)] {40})".into(),
            literals: vec![b"message-id:\r\n <a.b@icloud.com>\r\n\r\n".to_vec()],
        };
        assert!(fetch_is_for(&line, 12));
        assert!(!fetch_is_for(&line, 1));
        assert_eq!(
            header_values(&line.literals[0], "Message-ID"),
            ["<a.b@icloud.com>"]
        );
        assert!(header_values(b"Subject: x\r\n", "Message-ID").is_empty());
    }
}
