//! Scripted IMAP and SMTP servers for the faults real servers will not produce on demand.
//!
//! This module owns the fakes of CONTRIBUTING.md's testing layer 5 (real peers; scripted
//! servers for the faults they will not produce): a TLS IMAP server whose `LOGIN` answers
//! are scripted per username (iCloud's `NO [AUTHENTICATIONFAILED]` followed by a hang-up, `BAD [UNAVAILABLE]`, a dropped connection), a STARTTLS submission server
//! whose capabilities, TLS mode and `AUTH` answers (`535`, `454`, a hang-up) are scripted,
//! and generic faults (a server
//! that never speaks, one that hangs up at once, a closed port, a name that never resolves).
//! It does not own the real peers (Dovecot, the Secret Service) nor the certificates, which
//! come from `certs.rs`.
//!
//! Every server listens on an ephemeral port of 127.0.0.1, and on the same port of [::1]
//! when this machine has IPv6 loopback, so a client dialing `localhost` reaches the fake
//! whichever address it tries first and never a stranger that happens to hold the v6 port.
//! Each connection gets its own thread; every read polls with a short timeout, so threads
//! notice when the server is dropped and none waits forever. Dropping a server stops it and
//! joins its threads. The fakes record what clients sent, but never a password: only the
//! username and whether the password matched.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use native_tls::{HandshakeError, Identity, TlsAcceptor, TlsStream};

/// The app-specific password the fakes accept unless a script says otherwise.
pub const TEST_PASSWORD: &str = "qwer-tyui-opas-dfgh";

/// iCloud's IMAP greeting, as the real server sends it.
pub const DEFAULT_IMAP_GREETING: &str =
    "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=ATOKEN] imap.mail.me.com ready";

/// iCloud's submission greeting.
pub const DEFAULT_SMTP_GREETING: &str = "220 smtp.mail.me.com ESMTP";

/// How often blocked reads and the accept loop look at the stop flag. Short, so dropping a
/// server is quick; long enough that idle threads cost nothing.
const POLL: Duration = Duration::from_millis(50);

/// A connection with no traffic for this long is closed, so a forgotten client cannot keep a
/// thread alive for the rest of the test run. Far above any client timeout a test would use.
const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// A stuck peer must not block a server thread on write forever either.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// Longer lines or literals are not something a mail client sends; hanging up bounds memory.
const MAX_LINE: usize = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// IMAP
// ---------------------------------------------------------------------------------------------

/// How the IMAP fake speaks on its port.
pub enum ImapTransport {
    /// TLS from the first byte, as on imap.mail.me.com:993.
    Tls(Identity),
    /// Plain text on what the client believes is a TLS port: its TLS stack reads the greeting
    /// as a TLS record and fails with OpenSSL's "wrong version number".
    Plain,
}

/// The answer to one `LOGIN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImapLogin {
    /// `tag OK` if the password is the accepted one; otherwise as `AuthFailed`.
    Ok,
    /// `tag NO [AUTHENTICATIONFAILED] Authentication failed.` and the server hangs up, exactly
    /// as iCloud does, so a retry needs a new connection.
    AuthFailed,
    /// `tag BAD [UNAVAILABLE] Service temporarily unavailable` and the server hangs up.
    Unavailable,
    /// `tag NO [UNAVAILABLE] Service temporarily unavailable`; the connection stays open.
    NoUnavailable,
    /// The server closes the connection without answering.
    DropConnection,
}

/// What the IMAP fake says: its greeting and how it answers each `LOGIN`.
///
/// The default greets like iCloud, accepts [`TEST_PASSWORD`] for every username, and answers
/// `NO [AUTHENTICATIONFAILED]` (and hangs up) for any other password.
#[derive(Clone, Debug)]
pub struct ImapScript {
    greeting: String,
    capabilities: String,
    mailbox: Option<FakeMailbox>,
    password: String,
    logins: HashMap<String, ImapLogin>,
    other_logins: ImapLogin,
    list: Option<Arc<Vec<u8>>>,
    list_delay: Duration,
}

impl Default for ImapScript {
    fn default() -> Self {
        ImapScript {
            greeting: DEFAULT_IMAP_GREETING.to_string(),
            capabilities: "IMAP4rev1 AUTH=PLAIN AUTH=ATOKEN".to_string(),
            mailbox: None,
            password: TEST_PASSWORD.to_string(),
            logins: HashMap::new(),
            other_logins: ImapLogin::Ok,
            list: None,
            list_delay: Duration::ZERO,
        }
    }
}

impl ImapScript {
    /// The untagged greeting line, without CRLF. A greeting starting `* BYE` is followed by a
    /// hang-up, as a server refusing service does.
    #[must_use]
    pub fn greeting(mut self, line: &str) -> Self {
        self.greeting = line.to_string();
        self
    }

    /// The one password `LOGIN` accepts.
    #[must_use]
    pub fn password(mut self, password: &str) -> Self {
        self.password = password.to_string();
        self
    }

    /// What `CAPABILITY` lists (`IMAP4rev1 UIDPLUS`, say).
    #[must_use]
    pub fn capabilities(mut self, list: &str) -> Self {
        self.capabilities = list.to_string();
        self
    }

    /// After `LOGIN`, serve this mailbox: `STATUS`, `SELECT`, `UID SEARCH`, `UID FETCH`,
    /// `UID STORE`, `UID EXPUNGE`, and the mailbox-wide `EXPUNGE` and `CLOSE`.
    #[must_use]
    pub fn mailbox(mut self, mailbox: &FakeMailbox) -> Self {
        self.mailbox = Some(mailbox.clone());
        self
    }

    /// After `LOGIN`, answer `LIST` with these bytes as they are (the untagged lines with
    /// their CRLFs and any literals, hostile or not), then `tag OK`. Without it `LIST` is
    /// an unknown command (`BAD`), as it was before the live test listed folders.
    #[must_use]
    pub fn list_reply(mut self, bytes: Vec<u8>) -> Self {
        self.list = Some(Arc::new(bytes));
        self
    }

    /// Waits this long before answering `LIST`, as a server with many folders does.
    #[must_use]
    pub fn list_delay(mut self, delay: Duration) -> Self {
        self.list_delay = delay;
        self
    }

    /// How `LOGIN` answers for this exact (case-sensitive) username.
    #[must_use]
    pub fn login(mut self, username: &str, outcome: ImapLogin) -> Self {
        self.logins.insert(username.to_string(), outcome);
        self
    }

    /// How `LOGIN` answers for usernames not named with [`ImapScript::login`].
    #[must_use]
    pub fn other_logins(mut self, outcome: ImapLogin) -> Self {
        self.other_logins = outcome;
        self
    }

    fn outcome_for(&self, username: &str) -> ImapLogin {
        self.logins
            .get(username)
            .copied()
            .unwrap_or(self.other_logins)
    }
}

#[derive(Default)]
struct ImapLog {
    logins: Vec<(String, bool)>,
    commands: Vec<String>,
}

/// A scripted IMAP server. Serves any number of connections until dropped.
pub struct FakeImap {
    server: Server,
    log: Arc<Mutex<ImapLog>>,
}

impl FakeImap {
    pub fn start(mode: ImapTransport, script: ImapScript) -> FakeImap {
        let acceptor = match mode {
            ImapTransport::Tls(identity) => {
                Some(TlsAcceptor::new(identity).expect("TLS acceptor from the test identity"))
            }
            ImapTransport::Plain => None,
        };
        let log = Arc::new(Mutex::new(ImapLog::default()));
        let script = Arc::new(script);
        let handler_log = Arc::clone(&log);
        let server = Server::start(
            "fake-imap",
            Arc::new(move |tcp, stop| {
                // Every way a conversation ends is a hang-up; there is nothing to report.
                let _ = serve_imap(tcp, stop, acceptor.as_ref(), &script, &handler_log);
            }),
        );
        FakeImap { server, log }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.server.addr()
    }

    pub fn port(&self) -> u16 {
        self.server.port
    }

    /// `HOST:PORT`, to dial by a name the test certificate was made for (`localhost`).
    pub fn host_addr(&self, host: &str) -> String {
        format!("{host}:{}", self.server.port)
    }

    /// Every `LOGIN` received, in order: the username and whether the password was the
    /// accepted one. The password itself is never kept.
    pub fn logins(&self) -> Vec<(String, bool)> {
        lock(&self.log).logins.clone()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.server.connections()
    }

    /// The name of every command received, upper-cased, in order (`"LOGIN"`, `"LOGOUT"`).
    pub fn commands(&self) -> Vec<String> {
        lock(&self.log).commands.clone()
    }
}

fn serve_imap(
    tcp: TcpStream,
    stop: Arc<AtomicBool>,
    acceptor: Option<&TlsAcceptor>,
    script: &ImapScript,
    log: &Mutex<ImapLog>,
) -> Result<(), Hangup> {
    let stream = match acceptor {
        Some(acceptor) => Stream::Tls(Box::new(tls_accept(acceptor, tcp, &stop)?)),
        None => Stream::Plain(tcp),
    };
    let mut conn = Conn::new(stream, stop);
    conn.send(&script.greeting)?;
    if script.greeting.starts_with("* BYE") {
        return Ok(());
    }
    let mut logged_in = false;
    let mut selected: Option<String> = None;
    loop {
        let words = match read_imap_command(&mut conn)? {
            Ok(words) => words,
            Err(reply) => {
                conn.send(&reply)?;
                continue;
            }
        };
        let Some(tag) = words
            .first()
            .map(|w| String::from_utf8_lossy(w).into_owned())
        else {
            conn.send("* BAD Empty command")?;
            continue;
        };
        let Some(name) = words.get(1).map(|w| command_name(w)) else {
            conn.send(&format!("{tag} BAD Missing command"))?;
            continue;
        };
        lock(log).commands.push(name.clone());
        let args = &words[2..];
        match name.as_str() {
            "CAPABILITY" => {
                conn.send(&format!("* CAPABILITY {}", script.capabilities))?;
                conn.send(&format!("{tag} OK CAPABILITY completed"))?;
            }
            "NOOP" => conn.send(&format!("{tag} OK NOOP completed"))?,
            "LOGOUT" => {
                conn.send("* BYE Logging out")?;
                conn.send(&format!("{tag} OK LOGOUT completed"))?;
                return Ok(());
            }
            "LOGIN" if args.len() != 2 => {
                conn.send(&format!(
                    "{tag} BAD LOGIN expects a username and a password"
                ))?;
            }
            "LOGIN" if logged_in => conn.send(&format!("{tag} BAD Already logged in"))?,
            "LOGIN" => {
                let username = String::from_utf8_lossy(&args[0]).into_owned();
                let matched = args[1] == script.password.as_bytes();
                let outcome = script.outcome_for(&username);
                lock(log).logins.push((username, matched));
                match outcome {
                    ImapLogin::Ok if matched => {
                        logged_in = true;
                        conn.send(&format!("{tag} OK LOGIN completed"))?;
                    }
                    ImapLogin::Ok | ImapLogin::AuthFailed => {
                        conn.send(&format!(
                            "{tag} NO [AUTHENTICATIONFAILED] Authentication failed."
                        ))?;
                        return Ok(());
                    }
                    ImapLogin::Unavailable => {
                        conn.send(&format!(
                            "{tag} BAD [UNAVAILABLE] Service temporarily unavailable"
                        ))?;
                        return Ok(());
                    }
                    ImapLogin::NoUnavailable => conn.send(&format!(
                        "{tag} NO [UNAVAILABLE] Service temporarily unavailable"
                    ))?,
                    ImapLogin::DropConnection => return Ok(()),
                }
            }
            "LIST" if logged_in && script.list.is_some() => {
                let bytes = script.list.as_ref().expect("checked");
                thread::sleep(script.list_delay);
                conn.send_bytes(bytes)?;
                conn.send(&format!("{tag} OK LIST completed"))?;
            }
            _ if logged_in && script.mailbox.is_some() => {
                let mailbox = script.mailbox.as_ref().expect("checked");
                for line in mailbox.answer(&tag, &name, args, &mut selected) {
                    conn.send(&line)?;
                }
            }
            _ => conn.send(&format!("{tag} BAD Unknown command"))?,
        }
    }
}

/// Reads one IMAP command, following literals across lines, and splits it into its words
/// (tag, name, arguments) with quoting removed. `Ok(Err(reply))` is a syntax error to answer.
fn read_imap_command(conn: &mut Conn) -> Result<Result<Vec<Vec<u8>>, String>, Hangup> {
    let mut words = Vec::new();
    loop {
        let line = conn.read_line()?;
        let Ok(literal) = split_imap_words(&line, &mut words) else {
            let tag = words
                .first()
                .map(|w| String::from_utf8_lossy(w).into_owned());
            return Ok(Err(format!(
                "{} BAD Malformed command",
                tag.as_deref().unwrap_or("*")
            )));
        };
        let Some((len, non_synchronizing)) = literal else {
            return Ok(Ok(words));
        };
        if len > MAX_LINE {
            return Err(Hangup);
        }
        if !non_synchronizing {
            conn.send("+ go ahead")?;
        }
        words.push(conn.read_bytes(len)?);
        // The command goes on after the literal, on what reads as the next line.
    }
}

/// Appends the words of one line to `words`: atoms, and quoted strings with `\\` and `\"`
/// unescaped. Returns the size of a literal (`{n}`, or `{n+}` flagged `true`) ending the line.
fn split_imap_words(line: &[u8], words: &mut Vec<Vec<u8>>) -> Result<Option<(usize, bool)>, ()> {
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b' ' => i += 1,
            b'"' => {
                let mut word = Vec::new();
                i += 1;
                loop {
                    match line.get(i) {
                        None => return Err(()),
                        Some(b'"') => break,
                        Some(b'\\') => {
                            word.push(*line.get(i + 1).ok_or(())?);
                            i += 2;
                        }
                        Some(&b) => {
                            word.push(b);
                            i += 1;
                        }
                    }
                }
                i += 1;
                words.push(word);
            }
            b'{' if line.ends_with(b"}") => {
                let inner = &line[i + 1..line.len() - 1];
                let (digits, plus) = match inner.strip_suffix(b"+") {
                    Some(digits) => (digits, true),
                    None => (inner, false),
                };
                if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                    return Err(());
                }
                let len = std::str::from_utf8(digits)
                    .ok()
                    .and_then(|d| d.parse().ok())
                    .ok_or(())?;
                return Ok(Some((len, plus)));
            }
            _ => {
                let end = line[i..]
                    .iter()
                    .position(|&b| b == b' ')
                    .map_or(line.len(), |p| i + p);
                words.push(line[i..end].to_vec());
                i = end;
            }
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// A mailbox behind the IMAP fake, delivered into by the submission fake
// ---------------------------------------------------------------------------------------------

/// One message in a [`FakeMailbox`] folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeMessage {
    pub uid: u32,
    pub message_id: String,
    pub subject: String,
    /// Flags set with `STORE` (`\Deleted`, `\Seen`).
    pub flags: Vec<String>,
}

struct FakeFolder {
    validity: u32,
    next: u32,
    messages: Vec<FakeMessage>,
    /// A delivery into it first renumbers it (a new `UIDVALIDITY`), as a folder deleted and
    /// made again would be.
    renumber_on_delivery: bool,
}

impl FakeFolder {
    fn new() -> FakeFolder {
        FakeFolder {
            validity: 1,
            next: 1,
            messages: Vec::new(),
            renumber_on_delivery: false,
        }
    }

    fn add(&mut self, message_id: &str, subject: &str) -> u32 {
        let uid = self.next;
        self.next += 1;
        self.messages.push(FakeMessage {
            uid,
            message_id: message_id.to_string(),
            subject: subject.to_string(),
            flags: Vec::new(),
        });
        uid
    }
}

struct Mailboxes {
    folders: Vec<(String, FakeFolder)>,
    /// UIDs `SEARCH` names in a folder whatever it is asked for (an unreliable search).
    search_also: Vec<(String, u32)>,
    deliver_into: String,
    copies: usize,
}

/// Folders (`INBOX` and `Junk`, each `UIDVALIDITY 1`) shared by an IMAP fake that serves
/// them and a submission fake that delivers each message it accepts into them.
#[derive(Clone)]
pub struct FakeMailbox(Arc<Mutex<Mailboxes>>);

impl std::fmt::Debug for FakeMailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeMailbox")
    }
}

impl Default for FakeMailbox {
    fn default() -> Self {
        FakeMailbox::new()
    }
}

impl FakeMailbox {
    pub fn new() -> FakeMailbox {
        FakeMailbox(Arc::new(Mutex::new(Mailboxes {
            folders: vec![
                ("INBOX".to_string(), FakeFolder::new()),
                ("Junk".to_string(), FakeFolder::new()),
            ],
            search_also: Vec::new(),
            deliver_into: "INBOX".to_string(),
            copies: 1,
        })))
    }

    /// A message that was in `folder` before; its UID.
    pub fn put(&self, folder: &str, message_id: &str, subject: &str) -> u32 {
        self.with_folder(folder, |f| f.add(message_id, subject))
    }

    /// `SEARCH` in `folder` names `uid` too, whatever it is asked for.
    pub fn search_also_names(&self, folder: &str, uid: u32) {
        lock(&self.0).search_also.push((folder.to_string(), uid));
    }

    /// Each accepted message is delivered `copies` times (0: dropped) into `folder`.
    pub fn deliver_into(&self, folder: &str, copies: usize) {
        let mut state = lock(&self.0);
        state.deliver_into = folder.to_string();
        state.copies = copies;
    }

    /// The next delivery into `folder` renumbers it first (a new `UIDVALIDITY`).
    pub fn renumber_on_delivery(&self, folder: &str) {
        self.with_folder(folder, |f| f.renumber_on_delivery = true);
    }

    /// The messages of `folder` now.
    pub fn messages(&self, folder: &str) -> Vec<FakeMessage> {
        self.with_folder(folder, |f| f.messages.clone())
    }

    fn with_folder<T>(&self, folder: &str, f: impl FnOnce(&mut FakeFolder) -> T) -> T {
        let mut state = lock(&self.0);
        let (_, found) = state
            .folders
            .iter_mut()
            .find(|(name, _)| name.eq_ignore_ascii_case(folder))
            .unwrap_or_else(|| panic!("no folder {folder}"));
        f(found)
    }

    /// Delivers a message the submission fake accepted (its lines, dot-stuffing undone).
    fn deliver(&self, lines: &[Vec<u8>]) {
        let header = |name: &str| {
            lines
                .iter()
                .map(|l| String::from_utf8_lossy(l).into_owned())
                .take_while(|l| !l.is_empty())
                .find_map(|l| {
                    let (field, value) = l.split_once(':')?;
                    field
                        .eq_ignore_ascii_case(name)
                        .then(|| value.trim().to_string())
                })
                .unwrap_or_default()
        };
        let (message_id, subject) = (header("Message-ID"), header("Subject"));
        let (folder, copies) = {
            let state = lock(&self.0);
            (state.deliver_into.clone(), state.copies)
        };
        self.with_folder(&folder, |f| {
            if copies > 0 && f.renumber_on_delivery {
                f.renumber_on_delivery = false;
                f.validity += 1;
            }
            for _ in 0..copies {
                f.add(&message_id, &subject);
            }
        });
    }

    /// The answer to one command after `LOGIN`, line by line.
    fn answer(
        &self,
        tag: &str,
        name: &str,
        args: &[Vec<u8>],
        selected: &mut Option<String>,
    ) -> Vec<String> {
        let text = |i: usize| args.get(i).map(|a| String::from_utf8_lossy(a).into_owned());
        let mut state = lock(&self.0);
        let search_also = state.search_also.clone();
        let find = |state: &mut Mailboxes, folder: &str| -> Option<usize> {
            state
                .folders
                .iter()
                .position(|(n, _)| n.eq_ignore_ascii_case(folder))
        };
        match name {
            "STATUS" => {
                let folder = text(0).unwrap_or_default();
                let Some(index) = find(&mut state, &folder) else {
                    return vec![format!("{tag} NO [NONEXISTENT] Mailbox doesn't exist")];
                };
                let f = &state.folders[index].1;
                vec![
                    format!(
                        "* STATUS {folder} (UIDNEXT {} UIDVALIDITY {})",
                        f.next, f.validity
                    ),
                    format!("{tag} OK Status completed"),
                ]
            }
            "SELECT" | "EXAMINE" => {
                let folder = text(0).unwrap_or_default();
                *selected = None;
                let Some(index) = find(&mut state, &folder) else {
                    return vec![format!("{tag} NO [NONEXISTENT] Mailbox doesn't exist")];
                };
                let (name, f) = &state.folders[index];
                *selected = Some(name.clone());
                vec![
                    format!("* {} EXISTS", f.messages.len()),
                    format!("* OK [UIDVALIDITY {}] UIDs valid", f.validity),
                    format!("* OK [UIDNEXT {}] Predicted next UID", f.next),
                    format!("{tag} OK [READ-WRITE] Select completed"),
                ]
            }
            _ if selected.is_none() => vec![format!("{tag} BAD No mailbox selected")],
            "EXPUNGE" | "CLOSE" => {
                let index = find(&mut state, selected.as_deref().unwrap_or_default());
                if let Some(index) = index {
                    let f = &mut state.folders[index].1;
                    f.messages
                        .retain(|m| !m.flags.iter().any(|x| x == "\\Deleted"));
                }
                vec![format!("{tag} OK {name} completed")]
            }
            "UID" => {
                let folder = selected.clone().unwrap_or_default();
                let index = find(&mut state, &folder).expect("selected exists");
                let f = &mut state.folders[index].1;
                let sub = text(0).unwrap_or_default().to_ascii_uppercase();
                let set = uid_set(&text(1).unwrap_or_default());
                match sub.as_str() {
                    "SEARCH" => {
                        let wanted = text(3).unwrap_or_default().to_ascii_lowercase();
                        let mut uids: Vec<u32> = f
                            .messages
                            .iter()
                            .filter(|m| m.message_id.to_ascii_lowercase().contains(&wanted))
                            .map(|m| m.uid)
                            .collect();
                        uids.extend(
                            search_also
                                .iter()
                                .filter(|(n, _)| n.eq_ignore_ascii_case(&folder))
                                .map(|(_, uid)| *uid),
                        );
                        let list: Vec<String> = uids.iter().map(u32::to_string).collect();
                        vec![
                            format!("* SEARCH {}", list.join(" "))
                                .trim_end()
                                .to_string(),
                            format!("{tag} OK Search completed"),
                        ]
                    }
                    "FETCH" => {
                        let mut lines = Vec::new();
                        for (seq, m) in f.messages.iter().enumerate() {
                            if set.contains(&m.uid) {
                                let header = format!("Message-ID: {}\r\n\r\n", m.message_id);
                                lines.push(format!(
                                    "* {} FETCH (UID {} BODY[HEADER.FIELDS (MESSAGE-ID)] {{{}}}\r\n{header})",
                                    seq + 1,
                                    m.uid,
                                    header.len()
                                ));
                            }
                        }
                        lines.push(format!("{tag} OK Fetch completed"));
                        lines
                    }
                    "STORE" => {
                        let flags: Vec<String> = args
                            .iter()
                            .skip(3)
                            .map(|a| String::from_utf8_lossy(a).replace(['(', ')'], ""))
                            .filter(|a| !a.is_empty())
                            .collect();
                        for m in f.messages.iter_mut().filter(|m| set.contains(&m.uid)) {
                            for flag in &flags {
                                if !m.flags.contains(flag) {
                                    m.flags.push(flag.clone());
                                }
                            }
                        }
                        vec![format!("{tag} OK Store completed")]
                    }
                    "EXPUNGE" => {
                        f.messages.retain(|m| {
                            !(set.contains(&m.uid) && m.flags.iter().any(|x| x == "\\Deleted"))
                        });
                        vec![format!("{tag} OK Expunge completed")]
                    }
                    _ => vec![format!("{tag} BAD Unknown UID command")],
                }
            }
            _ => vec![format!("{tag} BAD Unknown command")],
        }
    }
}

/// The UIDs of a set such as `3,5:7` (no `*`).
fn uid_set(text: &str) -> Vec<u32> {
    let mut uids = Vec::new();
    for part in text.split(',') {
        match part.split_once(':') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
                    uids.extend(a.min(b)..=a.max(b));
                }
            }
            None => uids.extend(part.parse::<u32>().ok()),
        }
    }
    uids
}

// ---------------------------------------------------------------------------------------------
// SMTP
// ---------------------------------------------------------------------------------------------

/// How the submission fake offers TLS.
pub enum SmtpMode {
    /// Plain greeting, `STARTTLS` advertised and served with this identity (smtp.mail.me.com:587).
    Starttls(Identity),
    /// `STARTTLS` advertised, but answered `454 4.7.0 TLS not available due to local problem`.
    StarttlsRefused,
    /// `STARTTLS` neither advertised nor accepted (`502`): the "STARTTLS not offered" fault.
    NoStarttls,
    /// TLS from the first byte on the submission port, the wrong-mode fault: a client that
    /// expects a plain greeting waits in silence, as against a port-465 server.
    ImplicitTls(Identity),
}

/// The answer to one `AUTH` exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpAuth {
    /// `235 2.7.0 Authentication successful` if the password is the accepted one; otherwise
    /// as `Invalid`.
    Ok,
    /// `535 5.7.8 Authentication credentials invalid`.
    Invalid,
    /// `454 4.7.0 Temporary authentication failure`.
    Transient454,
    /// The server closes the connection without answering the credentials.
    DropConnection,
}

/// What the submission fake says: greeting, capabilities, TLS mode and `AUTH` answers.
///
/// [`SmtpScript::new`] greets like iCloud, advertises `AUTH PLAIN LOGIN` only inside TLS,
/// accepts [`TEST_PASSWORD`] for every username and answers `535` to any other password.
pub struct SmtpScript {
    transport: SmtpMode,
    greeting: String,
    hostname: String,
    auth_before_tls: bool,
    auth_after_tls: bool,
    auth_mechanisms: String,
    /// The whole `AUTH` line of EHLO when set (the old `AUTH=LOGIN PLAIN` form, say).
    auth_line: Option<String>,
    deliver_to: Option<FakeMailbox>,
    password: String,
    logins: HashMap<String, SmtpAuth>,
    other_logins: SmtpAuth,
}

impl SmtpScript {
    pub fn new(transport: SmtpMode) -> SmtpScript {
        SmtpScript {
            transport,
            greeting: DEFAULT_SMTP_GREETING.to_string(),
            hostname: "smtp.mail.me.com".to_string(),
            auth_before_tls: false,
            auth_after_tls: true,
            auth_mechanisms: "PLAIN LOGIN".to_string(),
            auth_line: None,
            deliver_to: None,
            password: TEST_PASSWORD.to_string(),
            logins: HashMap::new(),
            other_logins: SmtpAuth::Ok,
        }
    }

    /// Advertise `AUTH` in the clear. iCloud does not, but a client that would send AUTH
    /// unprotected whenever it is offered can only be caught by a server that offers it.
    #[must_use]
    pub fn auth_before_tls(mut self, advertise: bool) -> Self {
        self.auth_before_tls = advertise;
        self
    }

    /// The one password `AUTH` accepts.
    #[must_use]
    pub fn password(mut self, password: &str) -> Self {
        self.password = password.to_string();
        self
    }

    /// The `AUTH` line of EHLO as written here (`AUTH=LOGIN PLAIN`, the old form), in place
    /// of `AUTH PLAIN LOGIN`. The exchange still accepts PLAIN and LOGIN.
    #[must_use]
    pub fn auth_line(mut self, line: &str) -> Self {
        self.auth_line = Some(line.to_string());
        self
    }

    /// Delivers every message accepted after `DATA` into `mailbox`.
    #[must_use]
    pub fn deliver_to(mut self, mailbox: &FakeMailbox) -> Self {
        self.deliver_to = Some(mailbox.clone());
        self
    }

    /// How `AUTH` answers for this exact (case-sensitive) username.
    #[must_use]
    pub fn login(mut self, username: &str, outcome: SmtpAuth) -> Self {
        self.logins.insert(username.to_string(), outcome);
        self
    }

    /// How `AUTH` answers for usernames not named with [`SmtpScript::login`].
    #[must_use]
    pub fn other_logins(mut self, outcome: SmtpAuth) -> Self {
        self.other_logins = outcome;
        self
    }

    fn outcome_for(&self, username: &str) -> SmtpAuth {
        self.logins
            .get(username)
            .copied()
            .unwrap_or(self.other_logins)
    }
}

/// The TLS half of a script, with the acceptor built once for all connections.
enum SmtpTls {
    Starttls(TlsAcceptor),
    Refused,
    None,
    Implicit(TlsAcceptor),
}

#[derive(Default)]
struct SmtpLog {
    commands: Vec<(String, bool)>,
    auth_attempts: Vec<(String, bool, bool)>,
}

/// A scripted submission (port 587) server. Serves any number of connections until dropped.
pub struct FakeSmtp {
    server: Server,
    log: Arc<Mutex<SmtpLog>>,
}

impl FakeSmtp {
    pub fn start(script: SmtpScript) -> FakeSmtp {
        let acceptor = |identity: &Identity| {
            TlsAcceptor::new(identity.clone()).expect("TLS acceptor from the test identity")
        };
        let tls = match &script.transport {
            SmtpMode::Starttls(identity) => SmtpTls::Starttls(acceptor(identity)),
            SmtpMode::StarttlsRefused => SmtpTls::Refused,
            SmtpMode::NoStarttls => SmtpTls::None,
            SmtpMode::ImplicitTls(identity) => SmtpTls::Implicit(acceptor(identity)),
        };
        let log = Arc::new(Mutex::new(SmtpLog::default()));
        let script = Arc::new(script);
        let handler_log = Arc::clone(&log);
        let server = Server::start(
            "fake-smtp",
            Arc::new(move |tcp, stop| {
                let _ = serve_smtp(tcp, stop, &tls, &script, &handler_log);
            }),
        );
        FakeSmtp { server, log }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.server.addr()
    }

    pub fn port(&self) -> u16 {
        self.server.port
    }

    /// `HOST:PORT`, to dial by a name the test certificate was made for (`localhost`).
    pub fn host_addr(&self, host: &str) -> String {
        format!("{host}:{}", self.server.port)
    }

    /// The verb of every command line received, upper-cased, in order, each with whether it
    /// came inside TLS: `("STARTTLS", false)`, `("AUTH", true)`. Arguments are not kept (an
    /// `AUTH PLAIN` argument carries the password), nor are AUTH responses or message data.
    pub fn commands(&self) -> Vec<(String, bool)> {
        lock(&self.log).commands.clone()
    }

    /// Every completed `AUTH` exchange, in order: the username, whether the password was the
    /// accepted one, and whether it came inside TLS. The password itself is never kept.
    pub fn auth_attempts(&self) -> Vec<(String, bool, bool)> {
        lock(&self.log).auth_attempts.clone()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.server.connections()
    }
}

fn serve_smtp(
    tcp: TcpStream,
    stop: Arc<AtomicBool>,
    tls: &SmtpTls,
    script: &SmtpScript,
    log: &Mutex<SmtpLog>,
) -> Result<(), Hangup> {
    let (mut conn, mut in_tls) = match tls {
        SmtpTls::Implicit(acceptor) => {
            let stream = tls_accept(acceptor, tcp, &stop)?;
            (Conn::new(Stream::Tls(Box::new(stream)), stop), true)
        }
        _ => (Conn::new(Stream::Plain(tcp), stop), false),
    };
    conn.send(&script.greeting)?;
    if !script.greeting.starts_with("220") {
        return Ok(());
    }
    let mut authenticated = false;
    loop {
        let line = conn.read_line()?;
        let (verb, argument) = match line.iter().position(|&b| b == b' ') {
            Some(space) => (&line[..space], &line[space + 1..]),
            None => (&line[..], &[][..]),
        };
        let verb = command_name(verb);
        lock(log).commands.push((verb.clone(), in_tls));
        match verb.as_str() {
            "EHLO" => {
                let offer_starttls =
                    !in_tls && matches!(tls, SmtpTls::Starttls(_) | SmtpTls::Refused);
                let offer_auth = if in_tls {
                    script.auth_after_tls
                } else {
                    script.auth_before_tls
                };
                let mut lines = vec![
                    script.hostname.clone(),
                    "PIPELINING".to_string(),
                    "SIZE 28311552".to_string(),
                ];
                if offer_starttls {
                    lines.push("STARTTLS".to_string());
                }
                if offer_auth {
                    lines.push(
                        script
                            .auth_line
                            .clone()
                            .unwrap_or_else(|| format!("AUTH {}", script.auth_mechanisms)),
                    );
                }
                lines.push("ENHANCEDSTATUSCODES".to_string());
                lines.push("8BITMIME".to_string());
                let last = lines.len() - 1;
                for (i, text) in lines.iter().enumerate() {
                    let separator = if i == last { ' ' } else { '-' };
                    conn.send(&format!("250{separator}{text}"))?;
                }
            }
            "HELO" => conn.send(&format!("250 {}", script.hostname))?,
            "STARTTLS" if in_tls => conn.send("503 5.5.1 TLS already active")?,
            "STARTTLS" => match tls {
                SmtpTls::Starttls(acceptor) => {
                    conn.send("220 2.0.0 Ready to start TLS")?;
                    // Anything pipelined after STARTTLS was sent in the clear and must not be
                    // taken as coming from inside TLS (RFC 3207 §5), so it is dropped.
                    let stop = Arc::clone(&conn.stop);
                    let tcp = conn.into_plain_tcp().ok_or(Hangup)?;
                    let stream = tls_accept(acceptor, tcp, &stop)?;
                    conn = Conn::new(Stream::Tls(Box::new(stream)), stop);
                    in_tls = true;
                    authenticated = false;
                }
                SmtpTls::Refused => {
                    conn.send("454 4.7.0 TLS not available due to local problem")?;
                }
                SmtpTls::None | SmtpTls::Implicit(_) => {
                    conn.send("502 5.5.1 Unrecognized command")?;
                }
            },
            "AUTH" if authenticated => conn.send("503 5.5.1 Already authenticated")?,
            "AUTH" => {
                let (username, password) = match read_smtp_credentials(&mut conn, argument)? {
                    Ok(credentials) => credentials,
                    Err(reply) => {
                        conn.send(reply)?;
                        continue;
                    }
                };
                let matched = password == script.password.as_bytes();
                let outcome = script.outcome_for(&username);
                lock(log).auth_attempts.push((username, matched, in_tls));
                match outcome {
                    SmtpAuth::Ok if matched => {
                        authenticated = true;
                        conn.send("235 2.7.0 Authentication successful")?;
                    }
                    SmtpAuth::Ok | SmtpAuth::Invalid => {
                        conn.send("535 5.7.8 Authentication credentials invalid")?;
                    }
                    SmtpAuth::Transient454 => {
                        conn.send("454 4.7.0 Temporary authentication failure")?;
                    }
                    SmtpAuth::DropConnection => return Ok(()),
                }
            }
            "MAIL" => conn.send("250 2.1.0 Ok")?,
            "RCPT" => conn.send("250 2.1.5 Ok")?,
            "DATA" => {
                conn.send("354 End data with <CR><LF>.<CR><LF>")?;
                let mut lines = Vec::new();
                loop {
                    let line = conn.read_line()?;
                    if line == b"." {
                        break;
                    }
                    // Dot-stuffing undone (RFC 5321 4.5.2).
                    let line = line.strip_prefix(b".").map_or(line.clone(), <[u8]>::to_vec);
                    lines.push(line);
                }
                if let Some(mailbox) = &script.deliver_to {
                    mailbox.deliver(&lines);
                }
                conn.send("250 2.0.0 Ok: queued")?;
            }
            "RSET" | "NOOP" => conn.send("250 2.0.0 Ok")?,
            "QUIT" => {
                conn.send("221 2.0.0 Bye")?;
                return Ok(());
            }
            _ => conn.send("502 5.5.2 Error: command not recognized")?,
        }
    }
}

/// Runs the `AUTH PLAIN` or `AUTH LOGIN` exchange after the `AUTH` verb and returns the
/// username and password. `Ok(Err(reply))` is a failed exchange to answer with `reply`.
fn read_smtp_credentials(
    conn: &mut Conn,
    argument: &[u8],
) -> Result<Result<(String, Vec<u8>), &'static str>, Hangup> {
    let text = String::from_utf8_lossy(argument);
    let mut parts = text.split_whitespace();
    let mechanism = parts.next().unwrap_or("").to_ascii_uppercase();
    let initial = parts.next().map(str::to_string);
    let mut respond = |challenge: &str, given: Option<String>| -> Result<Option<Vec<u8>>, Hangup> {
        let response = if let Some(response) = given {
            response
        } else {
            conn.send(challenge)?;
            String::from_utf8_lossy(&conn.read_line()?).into_owned()
        };
        Ok(match response.as_str() {
            "*" => None,
            // RFC 4954: "=" is an empty initial response.
            "=" => Some(Vec::new()),
            encoded => base64_decode(encoded),
        })
    };
    const UNDECODABLE: &str = "501 5.5.2 Cannot decode response";
    match mechanism.as_str() {
        "PLAIN" => {
            let Some(message) = respond("334 ", initial)? else {
                return Ok(Err(UNDECODABLE));
            };
            // authzid NUL authcid NUL password
            let mut fields = message.splitn(3, |&b| b == 0);
            let (Some(_authzid), Some(username), Some(password)) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Ok(Err(UNDECODABLE));
            };
            Ok(Ok((
                String::from_utf8_lossy(username).into_owned(),
                password.to_vec(),
            )))
        }
        "LOGIN" => {
            // "Username:" and "Password:", the challenges clients such as lettre look for.
            let Some(username) = respond("334 VXNlcm5hbWU6", initial)? else {
                return Ok(Err(UNDECODABLE));
            };
            let Some(password) = respond("334 UGFzc3dvcmQ6", None)? else {
                return Ok(Err(UNDECODABLE));
            };
            Ok(Ok((
                String::from_utf8_lossy(&username).into_owned(),
                password,
            )))
        }
        _ => Ok(Err("504 5.5.4 Unrecognized authentication type")),
    }
}

/// Standard base64 with padding, for writing raw SASL responses in tests.
pub fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard padded base64 (canonical padding only, as a server reads it); `None`
/// if it is not that.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

// ---------------------------------------------------------------------------------------------
// Generic faults
// ---------------------------------------------------------------------------------------------

/// Accepts connections and never writes a byte; each stays open until the server is dropped
/// (or the client hangs up), so the client's own timeout is what ends the wait.
pub struct SilentServer {
    server: Server,
}

impl SilentServer {
    pub fn start() -> SilentServer {
        let server = Server::start(
            "silent-server",
            Arc::new(|mut tcp: TcpStream, stop: Arc<AtomicBool>| {
                // Reading (and discarding) is only how the thread notices a hang-up; it never
                // answers.
                let mut scratch = [0u8; 1024];
                let mut idle_since = Instant::now();
                while !stop.load(Ordering::Relaxed) && idle_since.elapsed() < IDLE_LIMIT {
                    match tcp.read(&mut scratch) {
                        Ok(0) => return,
                        Ok(_) => idle_since = Instant::now(),
                        Err(e) if is_timeout(&e) => {}
                        Err(_) => return,
                    }
                }
            }),
        );
        SilentServer { server }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.server.addr()
    }

    pub fn port(&self) -> u16 {
        self.server.port
    }

    pub fn host_addr(&self, host: &str) -> String {
        format!("{host}:{}", self.server.port)
    }

    pub fn connections(&self) -> usize {
        self.server.connections()
    }
}

/// Accepts connections and closes each at once, before any greeting.
pub struct DropServer {
    server: Server,
}

impl DropServer {
    pub fn start() -> DropServer {
        let server = Server::start("drop-server", Arc::new(|tcp: TcpStream, _stop| drop(tcp)));
        DropServer { server }
    }

    pub fn host_addr(&self, host: &str) -> String {
        format!("{host}:{}", self.server.port)
    }

    pub fn connections(&self) -> usize {
        self.server.connections()
    }
}

/// A loopback port where nothing listens (on 127.0.0.1 nor ::1) right now, so connecting is
/// refused. Another process could take it later; on loopback within one test that is rare.
pub fn closed_port() -> u16 {
    let (listeners, port) = bind_loopback();
    drop(listeners);
    port
}

/// A host name that never resolves: `.invalid` is reserved for that (RFC 2606).
pub fn unresolvable_host() -> &'static str {
    "nonexistent.invalid"
}

// ---------------------------------------------------------------------------------------------
// The machinery every server shares
// ---------------------------------------------------------------------------------------------

type Handler = Arc<dyn Fn(TcpStream, Arc<AtomicBool>) + Send + Sync>;

/// Listening sockets, the accept thread and the connection threads of one fake.
struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
    connections: Arc<AtomicUsize>,
    accept_thread: Option<JoinHandle<()>>,
    connection_threads: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Server {
    fn start(name: &'static str, handler: Handler) -> Server {
        let (listeners, port) = bind_loopback();
        for listener in &listeners {
            // Non-blocking accept, polled, lets the thread see the stop flag without a wake-up
            // connection, and serves both the v4 and v6 listener from one thread.
            listener
                .set_nonblocking(true)
                .expect("make the listener non-blocking");
        }
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let connection_threads = Arc::new(Mutex::new(Vec::new()));
        let accept_thread = {
            let stop = Arc::clone(&stop);
            let connections = Arc::clone(&connections);
            let connection_threads = Arc::clone(&connection_threads);
            thread::Builder::new()
                .name(format!("{name}-accept"))
                .spawn(move || {
                    accept_loop(
                        name,
                        &listeners,
                        &handler,
                        &stop,
                        &connections,
                        &connection_threads,
                    );
                })
                .expect("spawn the accept thread")
        };
        Server {
            port,
            stop,
            connections,
            accept_thread: Some(accept_thread),
            connection_threads,
        }
    }

    fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // A panicked thread has already failed its test through its assertion output; a
        // second panic here would only abort.
        if let Some(accept_thread) = self.accept_thread.take() {
            let _ = accept_thread.join();
        }
        let threads = std::mem::take(&mut *lock(&self.connection_threads));
        for thread in threads {
            let _ = thread.join();
        }
    }
}

fn accept_loop(
    name: &str,
    listeners: &[TcpListener],
    handler: &Handler,
    stop: &Arc<AtomicBool>,
    connections: &AtomicUsize,
    connection_threads: &Mutex<Vec<JoinHandle<()>>>,
) {
    while !stop.load(Ordering::SeqCst) {
        let mut accepted = false;
        for listener in listeners {
            let Ok((tcp, _)) = listener.accept() else {
                // WouldBlock, or a transient error such as EMFILE: try again on the next poll.
                continue;
            };
            accepted = true;
            connections.fetch_add(1, Ordering::SeqCst);
            // Accepted sockets may inherit non-blocking mode on some platforms; the handlers
            // want blocking reads bounded by a timeout. A socket that cannot be set up so
            // could block a thread forever, so it is closed instead.
            let configured = tcp.set_nonblocking(false).is_ok()
                && tcp.set_read_timeout(Some(POLL)).is_ok()
                && tcp.set_write_timeout(Some(WRITE_TIMEOUT)).is_ok();
            if !configured {
                continue;
            }
            let _ = tcp.set_nodelay(true);
            let handler = Arc::clone(handler);
            let stop = Arc::clone(stop);
            let spawned = thread::Builder::new()
                .name(format!("{name}-conn"))
                .spawn(move || handler(tcp, stop));
            if let Ok(thread) = spawned {
                let mut threads = lock(connection_threads);
                threads.retain(|t| !t.is_finished());
                threads.push(thread);
            }
        }
        if !accepted {
            thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Binds an ephemeral port on 127.0.0.1 and the same port on ::1 (when this machine has IPv6
/// loopback). A port whose ::1 side someone else holds is given up and another tried: a
/// client dialing `localhost` might try ::1 first and reach that stranger instead.
fn bind_loopback() -> (Vec<TcpListener>, u16) {
    for _ in 0..50 {
        let v4 = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        let port = v4.local_addr().expect("local address").port();
        match TcpListener::bind((Ipv6Addr::LOCALHOST, port)) {
            Ok(v6) => return (vec![v4, v6], port),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => {}
            // No IPv6 loopback here, so `localhost` cannot lead anywhere but 127.0.0.1.
            Err(_) => return (vec![v4], port),
        }
    }
    panic!("no loopback port free on both 127.0.0.1 and ::1 after 50 tries");
}

/// Why a conversation ended: the peer hung up, a read failed or idled out, or the server is
/// being dropped. Handlers just return.
struct Hangup;

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// One connection: lines and literals read through a buffer that survives the polling read
/// timeouts (a `BufReader` would lose a half-read line to a timeout error).
struct Conn {
    stream: Stream,
    buf: Vec<u8>,
    stop: Arc<AtomicBool>,
}

impl Conn {
    fn new(stream: Stream, stop: Arc<AtomicBool>) -> Conn {
        Conn {
            stream,
            buf: Vec::new(),
            stop,
        }
    }

    fn fill(&mut self) -> Result<(), Hangup> {
        let idle_since = Instant::now();
        let mut chunk = [0u8; 4096];
        loop {
            if self.stop.load(Ordering::Relaxed) || idle_since.elapsed() > IDLE_LIMIT {
                return Err(Hangup);
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(Hangup),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(());
                }
                Err(e) if is_timeout(&e) => {}
                Err(_) => return Err(Hangup),
            }
        }
    }

    /// The next line without its CRLF (a bare LF is taken too).
    fn read_line(&mut self) -> Result<Vec<u8>, Hangup> {
        loop {
            if let Some(end) = self.buf.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.buf.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.buf.len() > MAX_LINE {
                return Err(Hangup);
            }
            self.fill()?;
        }
    }

    fn read_bytes(&mut self, len: usize) -> Result<Vec<u8>, Hangup> {
        while self.buf.len() < len {
            self.fill()?;
        }
        Ok(self.buf.drain(..len).collect())
    }

    /// Writes `bytes` as they are.
    fn send_bytes(&mut self, bytes: &[u8]) -> Result<(), Hangup> {
        self.stream
            .write_all(bytes)
            .and_then(|()| self.stream.flush())
            .map_err(|_| Hangup)
    }

    /// Writes `line` and CRLF.
    fn send(&mut self, line: &str) -> Result<(), Hangup> {
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.stream
            .write_all(&bytes)
            .and_then(|()| self.stream.flush())
            .map_err(|_| Hangup)
    }

    /// The TCP stream under a plain connection, for STARTTLS; buffered input is discarded.
    fn into_plain_tcp(self) -> Option<TcpStream> {
        match self.stream {
            Stream::Plain(tcp) => Some(tcp),
            Stream::Tls(_) => None,
        }
    }
}

/// Completes a server-side TLS handshake over a socket whose reads time out every `POLL`,
/// resuming it until done, the server stops, or the client idles out.
fn tls_accept(
    acceptor: &TlsAcceptor,
    tcp: TcpStream,
    stop: &AtomicBool,
) -> Result<TlsStream<TcpStream>, Hangup> {
    let started = Instant::now();
    let mut attempt = acceptor.accept(tcp);
    loop {
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(HandshakeError::WouldBlock(midway)) => {
                if stop.load(Ordering::Relaxed) || started.elapsed() > IDLE_LIMIT {
                    return Err(Hangup);
                }
                attempt = midway.handshake();
            }
            // The client refused the certificate or does not speak TLS: it hangs up, so do we.
            Err(HandshakeError::Failure(_)) => return Err(Hangup),
        }
    }
}

/// A command name for the records: upper-cased, or a marker for bytes that are not a name
/// (a TLS ClientHello arriving at a plain-text server, say).
fn command_name(word: &[u8]) -> String {
    if !word.is_empty() && word.iter().all(u8::is_ascii_graphic) {
        String::from_utf8_lossy(word).to_ascii_uppercase()
    } else {
        "<not text>".to_string()
    }
}

fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler thread that panicked mid-record leaves the log as it was; keep reading it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
