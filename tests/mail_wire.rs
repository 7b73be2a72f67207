//! Hostile and broken servers against the live test (issue 9 items 1–3) and the connection
//! race (issue 10 item 6), in-process through [`LiveMailCheck`].
//!
//! - Bounded reads: a flood without a line end, endless lines, a byte dripped at a time —
//!   before TLS (SMTP greeting, EHLO) and inside it (IMAP greeting, untagged lines after
//!   LOGIN). Each ends at the cap or the deadline: in time (`--timeout` + 1 s), with a
//!   server that could only write a bounded amount before we hung up, and without the
//!   process's peak memory growing.
//! - Escapes: a server's control characters reach the person escaped.
//! - Echo: a server that quotes our login back (AUTH PLAIN, AUTH LOGIN, IMAP LOGIN) has the
//!   secret masked in every spelling, in the failure and the transcript.
//! - Happy Eyeballs: a name whose first address (`::1`, a listener whose accept queue is
//!   full, so SYNs go unanswered as on a broken route) is dead and whose second
//!   (127.0.0.1) works connects quickly; with only dead addresses it ends in 75 within
//!   `--timeout` + 1 s, naming every address tried.

use crate::support;

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use icloud_setup::domain::{AppPassword, LoginLadder};
use icloud_setup::mail::endpoint::resolve_for_tests;
use icloud_setup::mail::tls::TrustAnchors;
use icloud_setup::mail::{
    AttemptOutcome, Detail, FailureKind, LiveMailCheck, MailCheck, ProbeReport, Protocol,
    ServerAddress, Stage, TranscriptLine,
};
use icloud_setup::messages;
use secrecy::SecretString;
use support::certs::TestCa;
use support::dead_address::DeadV6;
use support::delay_proxy::DelayProxy;
use support::fake_servers::{FakeImap, FakeSmtp, ImapScript, ImapTransport, SmtpMode, SmtpScript};

const TIMEOUT: Duration = Duration::from_secs(3);
const GRACE: Duration = Duration::from_secs(1);
const PASSWORD: &str = "abcd-efgh-ijkl-mnop";
const USER: &str = "alice@icloud.com";

fn password() -> AppPassword {
    AppPassword::parse(&SecretString::from(PASSWORD)).unwrap()
}

struct Lab {
    _dir: tempfile::TempDir,
    ca: TestCa,
    mail: LiveMailCheck,
}

impl Lab {
    fn new() -> Lab {
        let dir = tempfile::tempdir().unwrap();
        let ca = TestCa::new(dir.path());
        let mail = LiveMailCheck {
            anchors: TrustAnchors::with_ca_file(&ca.ca_path).unwrap(),
            timeout: TIMEOUT,
        };
        Lab {
            _dir: dir,
            ca,
            mail,
        }
    }

    fn acceptor(&self, host: &str) -> native_tls::TlsAcceptor {
        native_tls::TlsAcceptor::new(self.ca.server_cert(host).identity()).unwrap()
    }

    fn imap(&self, server: &ServerAddress) -> (ProbeReport, Duration) {
        let started = Instant::now();
        let report = self
            .mail
            .check_imap(server, &LoginLadder::single("alice"), &password());
        (report, started.elapsed())
    }

    fn smtp(&self, server: &ServerAddress) -> (ProbeReport, Duration) {
        let started = Instant::now();
        let report = self.mail.check_smtp(server, USER, &password());
        (report, started.elapsed())
    }
}

// ---------------------------------------------------------------------------------------------
// A scripted server: each connection runs a handler on its own thread
// ---------------------------------------------------------------------------------------------

struct Scripted {
    port: u16,
    /// Bytes the handlers managed to write.
    written: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

type Handler = dyn Fn(TcpStream, &AtomicUsize, &AtomicBool) + Send + Sync;

impl Scripted {
    fn start(
        handler: impl Fn(TcpStream, &AtomicUsize, &AtomicBool) + Send + Sync + 'static,
    ) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let written = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (w, s) = (Arc::clone(&written), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((tcp, _)) => {
                        tcp.set_nonblocking(false).unwrap();
                        let (h, w, s) = (Arc::clone(&handler), Arc::clone(&w), Arc::clone(&s));
                        std::thread::spawn(move || h(tcp, &w, &s));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Scripted {
            port,
            written,
            stop,
        }
    }

    fn server(&self) -> ServerAddress {
        ServerAddress::new("localhost", self.port)
    }

    fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Writes `bytes`, counting them; false once the client is gone or the test is over.
fn put(stream: &mut impl Write, bytes: &[u8], written: &AtomicUsize, stop: &AtomicBool) -> bool {
    if stop.load(Ordering::Relaxed) {
        return false;
    }
    let ok = stream
        .write_all(bytes)
        .and_then(|()| stream.flush())
        .is_ok();
    if ok {
        written.fetch_add(bytes.len(), Ordering::Relaxed);
    }
    ok
}

/// Reads one line (without CRLF), byte by byte; `None` when the client is gone.
fn line(stream: &mut impl Read) -> Option<String> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match stream.read(&mut byte) {
            Ok(1) if byte[0] == b'\n' => break,
            Ok(1) => bytes.push(byte[0]),
            _ => return None,
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    Some(text.trim_end_matches('\r').to_string())
}

/// Sends `unit` over and over (at most 1 GiB) until the client hangs up.
fn flood(stream: &mut impl Write, unit: &[u8], written: &AtomicUsize, stop: &AtomicBool) {
    let chunk = unit.repeat((64 * 1024 / unit.len()).max(1));
    while written.load(Ordering::Relaxed) < (1 << 30) && put(stream, &chunk, written, stop) {}
}

/// Sends `bytes` one a time, `pause` apart, until the client hangs up.
fn drip(stream: &mut impl Write, pause: Duration, written: &AtomicUsize, stop: &AtomicBool) {
    while put(stream, b"x", written, stop) {
        std::thread::sleep(pause);
    }
}

/// An SMTP server that greets, offers STARTTLS, and after TLS runs `inside` for the
/// commands after the second EHLO.
fn smtp_with_starttls(
    acceptor: native_tls::TlsAcceptor,
    mechanisms: &'static str,
    inside: impl Fn(&mut native_tls::TlsStream<TcpStream>, String, &AtomicUsize, &AtomicBool)
    + Send
    + Sync
    + 'static,
) -> Scripted {
    Scripted::start(move |mut tcp, written, stop| {
        put(&mut tcp, b"220 smtp.test ESMTP\r\n", written, stop);
        loop {
            let Some(command) = line(&mut tcp) else {
                return;
            };
            if command.starts_with("EHLO") {
                put(
                    &mut tcp,
                    b"250-smtp.test\r\n250 STARTTLS\r\n",
                    written,
                    stop,
                );
            } else if command == "STARTTLS" {
                put(&mut tcp, b"220 go ahead\r\n", written, stop);
                break;
            } else {
                return;
            }
        }
        let Ok(mut tls) = acceptor.accept(tcp) else {
            return;
        };
        loop {
            let Some(command) = line(&mut tls) else {
                return;
            };
            if command.starts_with("EHLO") {
                let reply = format!("250-smtp.test\r\n250 AUTH {mechanisms}\r\n");
                put(&mut tls, reply.as_bytes(), written, stop);
            } else {
                inside(&mut tls, command, written, stop);
            }
        }
    })
}

/// An IMAP server (TLS from the first byte) that greets with `greeting` and answers LOGIN
/// with `on_login`.
fn imap_tls(
    acceptor: native_tls::TlsAcceptor,
    greeting: impl Fn(&mut native_tls::TlsStream<TcpStream>, &AtomicUsize, &AtomicBool)
    + Send
    + Sync
    + 'static,
    on_login: impl Fn(&mut native_tls::TlsStream<TcpStream>, String, &AtomicUsize, &AtomicBool)
    + Send
    + Sync
    + 'static,
) -> Scripted {
    Scripted::start(move |tcp, written, stop| {
        let Ok(mut tls) = acceptor.accept(tcp) else {
            return;
        };
        greeting(&mut tls, written, stop);
        while let Some(command) = line(&mut tls) {
            on_login(&mut tls, command, written, stop);
        }
    })
}

fn ok_greeting(tls: &mut impl Write, written: &AtomicUsize, stop: &AtomicBool) {
    put(tls, b"* OK test ready\r\n", written, stop);
}

// ---------------------------------------------------------------------------------------------
// Bounds: memory and time
// ---------------------------------------------------------------------------------------------

/// The process's peak resident memory so far, in KiB.
fn peak_rss_kib() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

/// What every bounded failure must show: the expected stage and kind, in time, and a server
/// that could not push more than a bounded amount into us (socket buffers included).
fn assert_bounded(
    report: &ProbeReport,
    elapsed: Duration,
    server: &Scripted,
    stage: Stage,
    kind: FailureKind,
    rss_before: usize,
) {
    let failure = report
        .failure()
        .unwrap_or_else(|| panic!("{:?} passed", report.protocol));
    assert_eq!((failure.stage, failure.kind), (stage, kind), "{failure:?}");
    assert!(elapsed < TIMEOUT + GRACE, "took {elapsed:?}: {failure:?}");
    // Give the server a moment to notice the hang-up, then see how much it wrote.
    std::thread::sleep(Duration::from_millis(300));
    let written = server.written();
    assert!(
        written < 64 << 20,
        "the server wrote {written} bytes before we stopped reading"
    );
    let grown = peak_rss_kib().saturating_sub(rss_before);
    assert!(grown < 256 * 1024, "peak memory grew by {grown} KiB");
}

/// Runs the probe of `protocol` against `server` and checks the bounds: the report and the
/// time it took, for the row's own checks.
fn run_bounded(
    lab: &Lab,
    server: &Scripted,
    protocol: Protocol,
    stage: Stage,
    kind: FailureKind,
) -> (ProbeReport, Duration) {
    let before = peak_rss_kib();
    let (report, elapsed) = match protocol {
        Protocol::Smtp => lab.smtp(&server.server()),
        Protocol::Imap => lab.imap(&server.server()),
    };
    assert_bounded(&report, elapsed, server, stage, kind, before);
    (report, elapsed)
}

#[test]
fn an_smtp_greeting_flood_without_a_line_end_stops_at_the_line_cap() {
    let lab = Lab::new();
    let server = Scripted::start(|mut tcp, written, stop| {
        put(&mut tcp, b"220 ", written, stop);
        flood(&mut tcp, b"A", written, stop);
    });
    let (report, elapsed) = run_bounded(
        &lab,
        &server,
        Protocol::Smtp,
        Stage::Greeting,
        FailureKind::Protocol,
    );
    assert!(
        matches!(report.failure().unwrap().detail, Detail::LineTooLong { .. }),
        "{report:?}"
    );
    assert!(
        elapsed < Duration::from_millis(2500),
        "a flood is cut at once: {elapsed:?}"
    );
}

#[test]
fn endless_smtp_continuation_lines_stop_at_the_reply_cap() {
    let lab = Lab::new();
    let server = Scripted::start(|mut tcp, written, stop| {
        flood(&mut tcp, b"220-still greeting\r\n", written, stop);
    });
    let (report, _) = run_bounded(
        &lab,
        &server,
        Protocol::Smtp,
        Stage::Greeting,
        FailureKind::Protocol,
    );
    assert!(
        matches!(
            report.failure().unwrap().detail,
            Detail::ResponseTooLong { .. }
        ),
        "{report:?}"
    );
}

#[test]
fn an_smtp_ehlo_reply_flood_before_tls_is_cut_too() {
    let lab = Lab::new();
    let server = Scripted::start(|mut tcp, written, stop| {
        put(&mut tcp, b"220 ok\r\n", written, stop);
        if line(&mut tcp).is_some() {
            put(&mut tcp, b"250-", written, stop);
            flood(&mut tcp, b"B", written, stop);
        }
    });
    run_bounded(
        &lab,
        &server,
        Protocol::Smtp,
        Stage::Greeting,
        FailureKind::Protocol,
    );
}

#[test]
fn an_smtp_greeting_dripped_a_byte_at_a_time_ends_within_the_timeout() {
    let lab = Lab::new();
    let server = Scripted::start(|mut tcp, written, stop| {
        put(&mut tcp, b"220 ", written, stop);
        drip(&mut tcp, Duration::from_millis(100), written, stop);
    });
    run_bounded(
        &lab,
        &server,
        Protocol::Smtp,
        Stage::Greeting,
        FailureKind::TimedOut,
    );
}

#[test]
fn an_smtp_ehlo_reply_dripped_after_the_greeting_ends_within_the_timeout() {
    let lab = Lab::new();
    let server = Scripted::start(|mut tcp, written, stop| {
        put(&mut tcp, b"220 ok\r\n", written, stop);
        if line(&mut tcp).is_some() {
            put(&mut tcp, b"250-", written, stop);
            drip(&mut tcp, Duration::from_millis(100), written, stop);
        }
    });
    let (_, elapsed) = run_bounded(
        &lab,
        &server,
        Protocol::Smtp,
        Stage::Greeting,
        FailureKind::TimedOut,
    );
    assert!(
        elapsed > TIMEOUT / 2,
        "the whole deadline was used: {elapsed:?}"
    );
}

#[test]
fn an_imap_greeting_flood_inside_tls_stops_at_the_line_cap() {
    let lab = Lab::new();
    let server = imap_tls(
        lab.acceptor("localhost"),
        |tls, written, stop| {
            put(tls, b"* OK ", written, stop);
            flood(tls, b"A", written, stop);
        },
        |_, _, _, _| {},
    );
    let (report, _) = run_bounded(
        &lab,
        &server,
        Protocol::Imap,
        Stage::Greeting,
        FailureKind::Protocol,
    );
    assert!(
        matches!(report.failure().unwrap().detail, Detail::LineTooLong { .. }),
        "{report:?}"
    );
}

#[test]
fn endless_untagged_imap_lines_after_login_stop_at_the_response_cap() {
    let lab = Lab::new();
    let server = imap_tls(
        lab.acceptor("localhost"),
        ok_greeting,
        |tls, _command, written, stop| flood(tls, b"* 1 EXISTS\r\n", written, stop),
    );
    let (report, _) = run_bounded(
        &lab,
        &server,
        Protocol::Imap,
        Stage::Login,
        FailureKind::Protocol,
    );
    assert!(
        matches!(
            report.failure().unwrap().detail,
            Detail::ResponseTooLong { .. }
        ),
        "{report:?}"
    );
    assert!(
        report.transcript.len() < 1000,
        "the transcript is bounded too"
    );
}

#[test]
fn an_imap_reply_dripped_a_byte_at_a_time_ends_within_the_timeout() {
    let lab = Lab::new();
    let server = imap_tls(
        lab.acceptor("localhost"),
        ok_greeting,
        |tls, _command, written, stop| drip(tls, Duration::from_millis(100), written, stop),
    );
    run_bounded(
        &lab,
        &server,
        Protocol::Imap,
        Stage::Login,
        FailureKind::TimedOut,
    );
}

// ---------------------------------------------------------------------------------------------
// Terminal escapes in what servers say
// ---------------------------------------------------------------------------------------------

const HOSTILE: &str = "554 \x1b]0;owned\x07\x1b[2J\x1b[31mType your password again:\u{9b}";

fn assert_escaped(report: &ProbeReport) {
    let explained = messages::explain_failure(report, 3);
    let transcript: Vec<String> = report
        .transcript
        .iter()
        .map(|l| messages::transcript_line(report.protocol, l))
        .collect();
    for text in std::iter::once(&explained).chain(&transcript) {
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a control character reaches the terminal: {text:?}"
        );
    }
    assert!(explained.contains("\\e]0;owned\\u{7}\\e[2J"), "{explained}");
    // The raw words stay in the typed failure.
    let said = report.failure().unwrap().server_said.as_deref().unwrap();
    assert!(said.contains('\x1b'), "{said:?}");
}

#[test]
fn an_smtp_greeting_with_escape_sequences_is_shown_escaped() {
    let lab = Lab::new();
    let server = Scripted::start(|mut tcp, written, stop| {
        put(&mut tcp, format!("{HOSTILE}\r\n").as_bytes(), written, stop);
    });
    let (report, _) = lab.smtp(&server.server());
    assert_eq!(report.failure().unwrap().stage, Stage::Greeting);
    assert_escaped(&report);
}

#[test]
fn an_imap_login_reply_with_escape_sequences_is_shown_escaped() {
    let lab = Lab::new();
    let server = imap_tls(
        lab.acceptor("localhost"),
        ok_greeting,
        |tls, _, written, stop| {
            let reply = format!("a1 NO {}\r\n", &HOSTILE[4..]);
            put(tls, reply.as_bytes(), written, stop);
        },
    );
    let (report, _) = lab.imap(&server.server());
    assert_eq!(report.failure().unwrap().kind, FailureKind::BadCredentials);
    assert_escaped(&report);
}

// ---------------------------------------------------------------------------------------------
// A server that echoes the secret
// ---------------------------------------------------------------------------------------------

/// Nothing a person could see holds the password in any spelling.
fn assert_masked(report: &ProbeReport) {
    let base64_password = icloud_setup::mail::wire::base64(PASSWORD.as_bytes());
    let base64_plain = icloud_setup::mail::wire::base64(format!("\0{USER}\0{PASSWORD}").as_bytes());
    let mut seen = format!("{report:?}");
    seen.push_str(&messages::explain_failure(report, 3));
    for line in &report.transcript {
        seen.push_str(&messages::transcript_line(report.protocol, line));
    }
    for spelling in [
        PASSWORD,
        "abcdefghijklmnop",
        &base64_password,
        &base64_plain,
    ] {
        assert!(!seen.contains(spelling), "{spelling:?} is shown:\n{seen}");
    }
    let said = report.failure().unwrap().server_said.as_deref().unwrap();
    assert!(said.contains("********"), "{said}");
}

#[test]
fn an_smtp_server_echoing_auth_plain_has_the_secret_masked() {
    let lab = Lab::new();
    let server = smtp_with_starttls(lab.acceptor("localhost"), "PLAIN", |tls, command, w, s| {
        put(
            tls,
            format!("535 5.7.8 refused: {command}\r\n").as_bytes(),
            w,
            s,
        );
    });
    let (report, _) = lab.smtp(&server.server());
    assert_eq!(
        report.failure().unwrap().kind,
        FailureKind::BadCredentials,
        "{report:?}"
    );
    assert_masked(&report);
}

#[test]
fn an_smtp_server_echoing_auth_login_has_the_secret_masked() {
    let lab = Lab::new();
    let server = smtp_with_starttls(lab.acceptor("localhost"), "LOGIN", |tls, command, w, s| {
        if command == "AUTH LOGIN" {
            put(tls, b"334 VXNlcm5hbWU6\r\n", w, s);
            let _user = line(tls);
            put(tls, b"334 UGFzc3dvcmQ6\r\n", w, s);
            let secret = line(tls).unwrap_or_default();
            let reply = format!("535-5.7.8 you sent {secret}\r\n535 5.7.8 ({PASSWORD})\r\n");
            put(tls, reply.as_bytes(), w, s);
        }
    });
    let (report, _) = lab.smtp(&server.server());
    assert_eq!(
        report.failure().unwrap().kind,
        FailureKind::BadCredentials,
        "{report:?}"
    );
    assert_masked(&report);
}

#[test]
fn an_imap_server_echoing_login_has_the_secret_masked() {
    let lab = Lab::new();
    let server = imap_tls(
        lab.acceptor("localhost"),
        ok_greeting,
        |tls, command, w, s| {
            let reply = format!(
                "* BAD you said {command}\r\na1 NO [AUTHENTICATIONFAILED] {command} / {}\r\n",
                icloud_setup::mail::wire::base64(PASSWORD.as_bytes())
            );
            put(tls, reply.as_bytes(), w, s);
        },
    );
    let (report, _) = lab.imap(&server.server());
    assert_eq!(
        report.failure().unwrap().kind,
        FailureKind::BadCredentials,
        "{report:?}"
    );
    assert_masked(&report);
}

/// Issue 18 item 6: the spellings the program itself accepts for the password (any case,
/// spaces or nothing between the groups), three of its four groups, and base64 with the
/// password at each of the three offsets, all echoed by one server, none shown.
#[test]
fn an_smtp_server_echoing_other_spellings_has_each_masked() {
    let b64 = icloud_setup::mail::wire::base64;
    let spellings = [
        "ABCD-EFGH-IJKL-MNOP".to_string(),
        "abcd efgh ijkl mnop".to_string(),
        "ABCDEFGHIJKLMNOP".to_string(),
        "Abcd Efgh Ijkl".to_string(),
        "efgh-ijkl-mnop".to_string(),
        b64(PASSWORD.as_bytes()),
        b64(format!("x{PASSWORD}").as_bytes()),
        b64(format!("xy{PASSWORD}").as_bytes()),
        b64(format!("\0someone@else.example\0{PASSWORD}").as_bytes()),
    ];
    let lab = Lab::new();
    let reply: String = spellings
        .iter()
        .map(|spelling| format!("535-5.7.8 did you mean {spelling}?\r\n"))
        .chain(std::iter::once("535 5.7.8 refused\r\n".to_string()))
        .collect();
    let server = smtp_with_starttls(lab.acceptor("localhost"), "PLAIN", move |tls, _, w, s| {
        put(tls, reply.as_bytes(), w, s);
    });
    let (report, _) = lab.smtp(&server.server());
    assert_eq!(
        report.failure().unwrap().kind,
        FailureKind::BadCredentials,
        "{report:?}"
    );
    assert_masked(&report);
    let mut seen = format!("{report:?}");
    for line in &report.transcript {
        seen.push_str(&messages::transcript_line(report.protocol, line));
    }
    for spelling in &spellings {
        assert!(
            !seen.contains(spelling.as_str()),
            "{spelling:?} is shown:\n{seen}"
        );
    }
    let said = report.failure().unwrap().server_said.as_deref().unwrap();
    assert!(
        said.matches("********").count() >= spellings.len(),
        "{said}"
    );
}

// ---------------------------------------------------------------------------------------------
// Happy Eyeballs
// ---------------------------------------------------------------------------------------------

/// How many of this machine's IPv6 sockets are still connecting (SYN_SENT) to `port`.
fn syn_sent_to(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    let remote = format!(":{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.len() > 3 && fields[2].ends_with(&remote) && fields[3] == "02"
        })
        .count()
}

fn v6_then_v4(name: &str) {
    resolve_for_tests(
        name,
        vec![
            "::1".parse::<IpAddr>().unwrap(),
            "127.0.0.1".parse::<IpAddr>().unwrap(),
        ],
    );
}

fn attempts(report: &ProbeReport) -> Vec<(String, AttemptOutcome)> {
    report
        .transcript
        .iter()
        .filter_map(|l| match l {
            TranscriptLine::Attempt(a) => Some((a.address.ip().to_string(), a.outcome.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_dead_ipv6_address_first_costs_little_and_the_ipv4_one_wins() {
    let lab = Lab::new();
    let name = "dead-v6-then-v4.mail-wire.test";
    v6_then_v4(name);
    let cert = lab.ca.server_cert(name);
    let imap = FakeImap::start(ImapTransport::Tls(cert.identity()), ImapScript::default());
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(cert.identity())));
    // The fake servers listen on ::1 too: reach them through forwarders on 127.0.0.1 only,
    // and put a dead listener on ::1 at the forwarders' ports.
    let imap_v4 = DelayProxy::start(imap.addr().parse().unwrap(), Duration::ZERO);
    let smtp_v4 = DelayProxy::start(smtp.addr().parse().unwrap(), Duration::ZERO);
    let _dead = (DeadV6::on(imap_v4.port()), DeadV6::on(smtp_v4.port()));
    let imap_server = ServerAddress::new(name, imap_v4.port());
    let smtp_server = ServerAddress::new(name, smtp_v4.port());
    let password =
        AppPassword::parse(&SecretString::from(support::fake_servers::TEST_PASSWORD)).unwrap();

    let started = Instant::now();
    let report = lab
        .mail
        .check_imap(&imap_server, &LoginLadder::single("alice"), &password);
    let imap_elapsed = started.elapsed();
    assert_eq!(report.outcome.as_deref(), Ok("alice"), "{report:?}");
    let tried = attempts(&report);
    assert_eq!(
        tried[0],
        ("::1".into(), AttemptOutcome::Abandoned),
        "{tried:?}"
    );
    assert_eq!(
        tried[1],
        ("127.0.0.1".into(), AttemptOutcome::Connected),
        "{tried:?}"
    );
    // The IPv4 attempt starts 250 ms after the IPv6 one (generous for a loaded machine); a
    // connect that tried the addresses in turn would wait out the 3 s timeout and fail.
    assert!(
        imap_elapsed < Duration::from_millis(2500),
        "{imap_elapsed:?}"
    );

    // The losing attempt was closed when IPv4 won, not left waiting for the timeout.
    assert_eq!(
        syn_sent_to(imap_v4.port()),
        0,
        "a connect to [::1] is still pending"
    );

    let started = Instant::now();
    let report = lab.mail.check_smtp(&smtp_server, USER, &password);
    assert!(report.outcome.is_ok(), "{report:?}");
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(attempts(&report)[1].1, AttemptOutcome::Connected);
}

#[test]
fn only_dead_addresses_end_in_75_within_the_timeout_naming_each() {
    let lab = Lab::new();
    let name = "only-dead.mail-wire.test";
    // Two dead addresses on one port: [::1] with a full queue, and a second one the same.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _dead = DeadV6::on(port);
    resolve_for_tests(name, vec!["::1".parse().unwrap(), "::1".parse().unwrap()]);
    let server = ServerAddress::new(name, port);
    for (protocol, (report, elapsed)) in [
        (Protocol::Imap, lab.imap(&server)),
        (Protocol::Smtp, lab.smtp(&server)),
    ] {
        let failure = report
            .failure()
            .unwrap_or_else(|| panic!("{protocol} passed"));
        assert_eq!(failure.kind.exit_code(), 75, "{protocol}: {failure:?}");
        assert_eq!(failure.stage, Stage::Connect, "{protocol}: {failure:?}");
        assert!(elapsed < TIMEOUT + GRACE, "{protocol} took {elapsed:?}");
        let Detail::ConnectFailed { attempts } = &failure.detail else {
            panic!("{failure:?}")
        };
        assert!(!attempts.is_empty());
        // A race that ended leaves nothing pending: each dead address timed out.
        assert!(
            attempts
                .iter()
                .all(|a| a.outcome == AttemptOutcome::TimedOut),
            "{protocol}: {attempts:?}"
        );
        let words = messages::failure_detail(&failure.detail);
        assert!(words.contains(&format!("[::1]:{port}")), "{words}");
    }
}

// ---------------------------------------------------------------------------------------------
// Connections opened ahead of the password
// ---------------------------------------------------------------------------------------------

/// Waits until `condition` holds, at most 10 s (a loaded machine is slow, not wrong).
fn eventually(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !condition() {
        assert!(Instant::now() < deadline, "{what} never happened");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_preconnected_check_only_logs_in() {
    let lab = Lab::new();
    let cert = lab.ca.server_cert("localhost");
    let imap = FakeImap::start(ImapTransport::Tls(cert.identity()), ImapScript::default());
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(cert.identity())));
    let imap_server = ServerAddress::new("localhost", imap.port());
    let smtp_server = ServerAddress::new("localhost", smtp.port());
    let password =
        AppPassword::parse(&SecretString::from(support::fake_servers::TEST_PASSWORD)).unwrap();
    let pre = lab.mail.preconnect(&imap_server, &smtp_server);
    // The person types; both connections get ready meanwhile, with nothing sent for an
    // account.
    eventually("the SMTP handshake ahead of time", || {
        smtp.commands().len() >= 3
    });
    assert_eq!((imap.connections(), smtp.connections()), (1, 1));
    assert!(imap.logins().is_empty() && smtp.auth_attempts().is_empty());
    let smtp_commands: Vec<String> = smtp.commands().into_iter().map(|(verb, _)| verb).collect();
    assert_eq!(smtp_commands, ["EHLO", "STARTTLS", "EHLO"]);

    let ladder = LoginLadder::single("alice");
    let report = lab
        .mail
        .check_imap_preconnected(&imap_server, &ladder, &password, &pre);
    assert_eq!(report.outcome.as_deref(), Ok("alice"), "{report:?}");
    assert!(
        report
            .transcript
            .contains(&TranscriptLine::UsingPreconnected)
    );
    let report = lab
        .mail
        .check_smtp_preconnected(&smtp_server, USER, &password, &pre);
    assert!(report.outcome.is_ok(), "{report:?}");
    assert!(
        report
            .transcript
            .contains(&TranscriptLine::UsingPreconnected)
    );
    assert_eq!(
        (imap.connections(), smtp.connections()),
        (1, 1),
        "no second connection"
    );

    // A pre-connection is used once: a retry opens new connections.
    let report = lab
        .mail
        .check_imap_preconnected(&imap_server, &ladder, &password, &pre);
    assert!(report.outcome.is_ok());
    assert_eq!(imap.connections(), 2);
}

#[test]
fn a_preconnection_the_server_closed_meanwhile_is_redone() {
    let lab = Lab::new();
    let connections = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&connections);
    let said_bye = Arc::new(AtomicBool::new(false));
    let bye = Arc::clone(&said_bye);
    let acceptor = lab.acceptor("localhost");
    let server = Scripted::start(move |tcp, written, stop| {
        let Ok(mut tls) = acceptor.accept(tcp) else {
            return;
        };
        ok_greeting(&mut tls, written, stop);
        if count.fetch_add(1, Ordering::Relaxed) == 0 {
            // The first connection idles out before the person is done typing.
            std::thread::sleep(Duration::from_millis(100));
            put(&mut tls, b"* BYE idle for too long\r\n", written, stop);
            bye.store(true, Ordering::Relaxed);
            return;
        }
        while let Some(command) = line(&mut tls) {
            if command.starts_with("a1 LOGIN") {
                put(&mut tls, b"a1 OK welcome\r\n", written, stop);
            }
        }
    });
    // Only IMAP is of interest here; SMTP is pointed at a closed port.
    let no_smtp = ServerAddress::new("127.0.0.1", support::fake_servers::closed_port());
    let pre = lab.mail.preconnect(&server.server(), &no_smtp);
    eventually("the server's goodbye", || said_bye.load(Ordering::Relaxed));
    std::thread::sleep(Duration::from_millis(100));
    let report = lab.mail.check_imap_preconnected(
        &server.server(),
        &LoginLadder::single("alice"),
        &password(),
        &pre,
    );
    assert_eq!(report.outcome.as_deref(), Ok("alice"), "{report:?}");
    assert!(
        report
            .transcript
            .contains(&TranscriptLine::PreconnectionRedone),
        "{report:?}"
    );
}

#[test]
fn a_keyring_failure_after_the_connections_opened_sends_no_credentials() {
    use icloud_setup::cli::{Command, SetupArgs};
    use icloud_setup::prompt::ScriptedPrompter;
    use icloud_setup::secrets::SecretStore;
    use support::in_process::World;

    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let setup = Command::Setup(SetupArgs {
        email: Some(USER.into()),
        password_stdin: true,
        ..SetupArgs::default()
    });
    let stdin = format!("{}\n", support::fake_servers::TEST_PASSWORD);
    world
        .run_against(
            &imap,
            &smtp,
            setup,
            &mut ScriptedPrompter::non_interactive(),
            &stdin,
        )
        .expect("the setup passes");
    let (logins, auths) = (imap.logins().len(), smtp.auth_attempts().len());
    let connections = (imap.connections(), smtp.connections());
    world.secrets.delete(USER).unwrap();

    let result = world.run_against(
        &imap,
        &smtp,
        Command::Check {
            email: None,
            send: icloud_setup::cli::SendTestArgs::default(),
            quiet: false,
            notify: false,
        },
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    assert_eq!(result.unwrap_err().exit_code(), 78);
    // The connections were started before the keyring was read.
    eventually("both connections", || {
        imap.connections() > connections.0 && smtp.connections() > connections.1
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        imap.logins().len(),
        logins,
        "no LOGIN after the keyring failed"
    );
    assert_eq!(
        smtp.auth_attempts().len(),
        auths,
        "no AUTH after the keyring failed"
    );
}

#[test]
fn the_wizard_connects_while_the_person_types_and_logs_in_on_those_connections() {
    use icloud_setup::cli::{Command, SetupArgs};
    use icloud_setup::prompt::{Answer, ScriptedPrompter};
    use support::in_process::World;

    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", Answer::Text("alice@icloud.com".into())),
        ("Your name", Answer::Text(String::new())),
        (
            "App-specific password",
            Answer::Secret(support::fake_servers::TEST_PASSWORD.into()),
        ),
        // The send test is offered at the end; Enter alone declines it.
        ("Send a test message", Answer::Default),
    ]);
    world
        .run_against(
            &imap,
            &smtp,
            Command::Setup(SetupArgs::default()),
            &mut prompter,
            "",
        )
        .expect("setup succeeds");
    let log = prompter.log().join("\n");
    for protocol in ["IMAP", "SMTP"] {
        assert!(
            log.contains(&format!(
                "{protocol} using the connection opened ahead of time"
            )),
            "{log}"
        );
    }
    assert_eq!((imap.connections(), smtp.connections()), (1, 1), "{log}");
}

#[test]
fn a_person_who_quits_at_the_password_sent_no_credentials() {
    use icloud_setup::cli::{Command, SetupArgs};
    use icloud_setup::prompt::{Answer, ScriptedPrompter};
    use support::in_process::World;

    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", Answer::Text("alice@icloud.com".into())),
        ("Your name", Answer::Text(String::new())),
        ("App-specific password", Answer::Cancel),
    ]);
    let result = world.run_against(
        &imap,
        &smtp,
        Command::Setup(SetupArgs::default()),
        &mut prompter,
        "",
    );
    assert_eq!(result.unwrap_err().exit_code(), 130);
    std::thread::sleep(Duration::from_millis(500));
    assert!(imap.logins().is_empty() && smtp.auth_attempts().is_empty());
    assert!(world.config_text().is_none());
}

#[test]
fn plain_text_injected_after_the_starttls_go_ahead_is_refused_before_tls() {
    let lab = Lab::new();
    let server = Scripted::start(|mut tcp, written, stop| {
        put(&mut tcp, b"220 smtp.test ESMTP\r\n", written, stop);
        while let Some(command) = line(&mut tcp) {
            if command.starts_with("EHLO") {
                put(
                    &mut tcp,
                    b"250-smtp.test\r\n250 STARTTLS\r\n",
                    written,
                    stop,
                );
            } else if command == "STARTTLS" {
                // One write: the go-ahead and a forged reply meant to be read inside TLS.
                put(
                    &mut tcp,
                    b"220 go ahead\r\n250 AUTH PLAIN\r\n",
                    written,
                    stop,
                );
            }
        }
    });
    let (report, _) = lab.smtp(&server.server());
    let failure = report.failure().expect("refused");
    assert_eq!(
        (failure.stage, failure.kind, &failure.detail),
        (
            Stage::StartTls,
            FailureKind::Protocol,
            &Detail::DataBeforeTls
        ),
        "{report:?}"
    );
    assert!(report.usernames_tried.is_empty(), "no AUTH was sent");
}

// ---------------------------------------------------------------------------------------------
// One IMAP reader for the live test too: literals are data
// ---------------------------------------------------------------------------------------------

/// A literal in an untagged response before the reply to `LOGIN` is data (issue 19.4): a line
/// inside it that looks like `a1 OK` does not pass the login. Before, the live test's own
/// reader took it for the tagged reply and reported the refused login as signed in.
#[test]
fn a_fake_ok_inside_a_literal_does_not_pass_the_login() {
    let lab = Lab::new();
    let server = imap_tls(
        lab.acceptor("localhost"),
        ok_greeting,
        |tls, command, written, stop| {
            if command.contains("LOGIN") {
                let fake = "a1 OK LOGIN completed\r\n";
                let reply = format!(
                    "* 1 FETCH (BODY[] {{{}}}\r\n{fake})\r\n\
                     a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
                    fake.len()
                );
                put(tls, reply.as_bytes(), written, stop);
            }
        },
    );
    let (report, _) = lab.imap(&server.server());
    let failure = report.failure().expect("the login was refused");
    assert_eq!(failure.kind, FailureKind::BadCredentials, "{report:?}");
    assert_eq!(
        failure.server_said.as_deref(),
        Some("NO [AUTHENTICATIONFAILED] Authentication failed.")
    );
}
