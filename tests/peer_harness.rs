//! Self-test of the real-peer harness (tests/support/dovecot.rs, smtp_sink.rs,
//! secret_service.rs), independent of the product: raw protocol clients prove that Dovecot,
//! the SMTP sink and the private Secret Service behave as the product's tests assume. When one
//! of these fails, fix the harness (or the machine) before reading product test failures.

use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use support::certs::TestCa;
use support::dovecot::{ALICE, BOB, Dovecot, WRONG_PASSWORD};
use support::secret_service::{self, SecretService};

const IO_TIMEOUT: Duration = Duration::from_secs(20);

fn start_dovecot(dir: &Path) -> Option<Dovecot> {
    let ca = TestCa::new(dir);
    Dovecot::start(dir, &ca)
}

fn read_line(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    let n = reader
        .read_line(&mut line)
        .expect("read a line from the server");
    assert!(n > 0, "the server closed the connection");
    line.trim_end().to_string()
}

/// Opens IMAP over TLS via `addr`, sends `a1 LOGIN user password` and returns the tagged reply.
fn imap_login_at(dovecot: &Dovecot, addr: &str, user: &str, password: &str) -> String {
    let tcp = TcpStream::connect(addr).expect("connect to Dovecot's IMAP port");
    tcp.set_read_timeout(Some(IO_TIMEOUT))
        .expect("set a read timeout");
    let tls = dovecot
        .tls_connector()
        .connect("localhost", tcp)
        .expect("TLS handshake with IMAP, trusting the test CA");
    let mut conn = BufReader::new(tls);
    let greeting = read_line(&mut conn);
    assert!(greeting.starts_with("* OK"), "IMAP greeting: {greeting}");
    write!(conn.get_mut(), "a1 LOGIN {user} {password}\r\n").expect("send LOGIN");
    let reply = loop {
        let line = read_line(&mut conn);
        if line.starts_with("a1 ") {
            break line;
        }
    };
    let _ = conn.get_mut().write_all(b"a2 LOGOUT\r\n");
    reply
}

fn imap_login(dovecot: &Dovecot, user: &str, password: &str) -> String {
    imap_login_at(dovecot, &dovecot.imap_addr(), user, password)
}

/// Sends one SMTP command (unless empty) and reads the whole reply: (code, text lines).
fn smtp<S: Read + Write>(conn: &mut BufReader<S>, command: &str) -> (u16, Vec<String>) {
    if !command.is_empty() {
        write!(conn.get_mut(), "{command}\r\n").expect("send an SMTP command");
    }
    let mut lines = Vec::new();
    loop {
        let line = read_line(conn);
        let code = line
            .get(..3)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("not an SMTP reply: {line}"));
        let last = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line.get(4..).unwrap_or("").to_string());
        if last {
            return (code, lines);
        }
    }
}

/// Connects to submission, checks STARTTLS is offered, upgrades, and returns the TLS session
/// after the second EHLO together with that EHLO's lines.
fn submission_over_tls(
    dovecot: &Dovecot,
) -> (BufReader<native_tls::TlsStream<TcpStream>>, Vec<String>) {
    let tcp = TcpStream::connect(dovecot.submission_addr()).expect("connect to submission");
    tcp.set_read_timeout(Some(IO_TIMEOUT))
        .expect("set a read timeout");
    let mut plain = BufReader::new(tcp);
    assert_eq!(smtp(&mut plain, "").0, 220, "submission greeting");
    let (code, ehlo) = smtp(&mut plain, "EHLO client.test");
    assert_eq!(code, 250);
    assert!(
        ehlo.iter().any(|l| l == "STARTTLS"),
        "STARTTLS offered: {ehlo:?}"
    );
    assert_eq!(smtp(&mut plain, "STARTTLS").0, 220);
    // Nothing follows the 220 until the handshake, so the reader holds no buffered bytes.
    let tls = dovecot
        .tls_connector()
        .connect("localhost", plain.into_inner())
        .expect("TLS handshake after STARTTLS, trusting the test CA");
    let mut secure = BufReader::new(tls);
    let (code, ehlo) = smtp(&mut secure, "EHLO client.test");
    assert_eq!(code, 250);
    (secure, ehlo)
}

/// AUTH PLAIN over STARTTLS; returns the reply code (235 accepted, 535 refused).
fn smtp_auth_plain(dovecot: &Dovecot, user: &str, password: &str) -> u16 {
    let (mut conn, _) = submission_over_tls(dovecot);
    let token = base64(format!("\0{user}\0{password}").as_bytes());
    let (code, _) = smtp(&mut conn, &format!("AUTH PLAIN {token}"));
    let _ = conn.get_mut().write_all(b"QUIT\r\n");
    code
}

/// Standard base64 with padding (RFC 4648), for AUTH PLAIN.
fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn imap_accepts_each_accounts_own_login_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(dovecot) = start_dovecot(dir.path()) else {
        return;
    };
    let ok = |reply: &str| reply.starts_with("a1 OK");
    let refused = |reply: &str| reply.starts_with("a1 NO [AUTHENTICATIONFAILED]");

    let reply = imap_login(&dovecot, "alice", ALICE.password);
    assert!(
        ok(&reply),
        "alice by local part: {reply}\n{}",
        dovecot.log()
    );
    let reply = imap_login(&dovecot, "alice@icloud.com", ALICE.password);
    assert!(refused(&reply), "alice by full address: {reply}");
    let reply = imap_login(&dovecot, "bob", BOB.password);
    assert!(refused(&reply), "bob by local part: {reply}");
    let reply = imap_login(&dovecot, "bob@icloud.com", BOB.password);
    assert!(
        ok(&reply),
        "bob by full address: {reply}\n{}",
        dovecot.log()
    );
    let reply = imap_login(&dovecot, "alice", WRONG_PASSWORD);
    assert!(refused(&reply), "alice, wrong password: {reply}");
    let reply = imap_login(&dovecot, "alice", BOB.password);
    assert!(refused(&reply), "alice with bob's password: {reply}");

    // A healthy configuration logs no errors (e.g. a service that cannot chroot without root).
    let log = dovecot.log();
    assert!(
        !log.contains("Error:") && !log.contains("Fatal:") && !log.contains("Warning:"),
        "{log}"
    );
}

/// Guards against Dovecot's per-IP auth penalty (2, 4, 8 … 15 s after failures) coming back:
/// it would make every "try the local part, then the full address" test slow, and after a few
/// failures longer than the client's timeout.
#[test]
fn a_login_after_failures_is_not_delayed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(dovecot) = start_dovecot(dir.path()) else {
        return;
    };
    for _ in 0..3 {
        let reply = imap_login(&dovecot, "bob", BOB.password);
        assert!(reply.starts_with("a1 NO"), "{reply}");
    }
    let started = Instant::now();
    let reply = imap_login(&dovecot, BOB.imap_login, BOB.password);
    let took = started.elapsed();
    assert!(reply.starts_with("a1 OK"), "{reply}");
    // With the penalty this login waits at least 4 s (measured: 4.1 s).
    assert!(
        took < Duration::from_secs(3),
        "login after failures took {took:?}\n{}",
        dovecot.log()
    );
}

#[test]
fn imap_answers_on_localhost_ipv4_and_ipv6() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(dovecot) = start_dovecot(dir.path()) else {
        return;
    };
    let port = dovecot.imap_port();
    let reply = imap_login_at(
        &dovecot,
        &format!("127.0.0.1:{port}"),
        "alice",
        ALICE.password,
    );
    assert!(reply.starts_with("a1 OK"), "{reply}");
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        let reply = imap_login_at(&dovecot, &format!("[::1]:{port}"), "alice", ALICE.password);
        assert!(reply.starts_with("a1 OK"), "over ::1: {reply}");
    }
}

#[test]
fn submission_needs_starttls_and_the_full_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(dovecot) = start_dovecot(dir.path()) else {
        return;
    };
    let (_conn, ehlo) = submission_over_tls(&dovecot);
    let auth = ehlo
        .iter()
        .find(|l| l.starts_with("AUTH "))
        .unwrap_or_else(|| panic!("AUTH offered after STARTTLS: {ehlo:?}"));
    assert!(auth.contains("PLAIN") && auth.contains("LOGIN"), "{auth}");

    let code = smtp_auth_plain(&dovecot, "alice@icloud.com", ALICE.password);
    assert_eq!(code, 235, "alice by full address\n{}", dovecot.log());
    assert_eq!(smtp_auth_plain(&dovecot, "alice", ALICE.password), 535);
    assert_eq!(
        smtp_auth_plain(&dovecot, "bob@icloud.com", BOB.password),
        235
    );
    assert_eq!(smtp_auth_plain(&dovecot, "bob", BOB.password), 535);
    assert_eq!(
        smtp_auth_plain(&dovecot, "bob@icloud.com", WRONG_PASSWORD),
        535
    );
    // The log tells logins after STARTTLS ("TLS") from ones in the clear ("secured").
    assert!(
        dovecot.log().lines().any(|l| l
            .contains("submission-login: Info: Login: user=<alice@icloud.com>")
            && l.contains("TLS")),
        "{}",
        dovecot.log()
    );
}

#[test]
fn submitted_mail_reaches_the_sink() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(dovecot) = start_dovecot(dir.path()) else {
        return;
    };
    let (mut conn, _) = submission_over_tls(&dovecot);
    let token = base64(format!("\0{}\0{}", ALICE.smtp_login, ALICE.password).as_bytes());
    assert_eq!(smtp(&mut conn, &format!("AUTH PLAIN {token}")).0, 235);
    assert_eq!(smtp(&mut conn, "MAIL FROM:<alice@icloud.com>").0, 250);
    assert_eq!(smtp(&mut conn, "RCPT TO:<bob@icloud.com>").0, 250);
    assert_eq!(smtp(&mut conn, "DATA").0, 354);
    // The line ".leading dot" is dot-stuffed, as the client must (RFC 5321 4.5.2).
    let body = "Subject: harness\r\n\r\n..leading dot\r\nhello\r\n.";
    let (code, text) = smtp(&mut conn, body);
    assert_eq!(code, 250, "{text:?}\n{}", dovecot.log());
    let _ = smtp(&mut conn, "QUIT");

    let received = dovecot.sink().received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].mail_from, "alice@icloud.com");
    assert_eq!(received[0].rcpt_to, ["bob@icloud.com"]);
    let message = &dovecot.sink().messages()[0];
    assert!(message.contains("Subject: harness\r\n"), "{message}");
    // Dovecot unstuffs, stuffs again towards the relay, and the sink unstuffs.
    assert!(
        message.contains("\r\n.leading dot\r\nhello\r\n"),
        "{message}"
    );
}

#[test]
fn set_password_takes_effect_at_once_for_both_services() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(dovecot) = start_dovecot(dir.path()) else {
        return;
    };
    assert!(imap_login(&dovecot, "alice", ALICE.password).starts_with("a1 OK"));

    // Same length as the old password, so only the mtime tells Dovecot the file changed.
    let rotated = "qrst-uvwx-yzab-cdef";
    dovecot.set_password(ALICE.email, rotated);
    assert_eq!(dovecot.password(ALICE.email), rotated);
    let reply = imap_login(&dovecot, "alice", ALICE.password);
    assert!(
        reply.starts_with("a1 NO"),
        "old password after rotation: {reply}"
    );
    let reply = imap_login(&dovecot, "alice", rotated);
    assert!(
        reply.starts_with("a1 OK"),
        "new password: {reply}\n{}",
        dovecot.log()
    );
    assert_eq!(smtp_auth_plain(&dovecot, ALICE.smtp_login, rotated), 235);
    assert_eq!(
        smtp_auth_plain(&dovecot, ALICE.smtp_login, ALICE.password),
        535
    );

    // A second rotation right after the first (same second, same size) must work as well.
    dovecot.set_password(ALICE.email, ALICE.password);
    assert!(imap_login(&dovecot, "alice", ALICE.password).starts_with("a1 OK"));
    assert!(imap_login(&dovecot, "alice", rotated).starts_with("a1 NO"));
    // Bob is untouched throughout.
    assert!(imap_login(&dovecot, BOB.imap_login, BOB.password).starts_with("a1 OK"));
}

#[test]
fn delivered_mail_is_in_the_inbox() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(dovecot) = start_dovecot(dir.path()) else {
        return;
    };
    dovecot.deliver(
        BOB.email,
        "From: alice@icloud.com\r\nSubject: first\r\n\r\nhello\r\n",
    );
    dovecot.deliver(BOB.email, "Subject: second\n\nbody");

    let tcp = TcpStream::connect(dovecot.imap_addr()).expect("connect to IMAP");
    tcp.set_read_timeout(Some(IO_TIMEOUT))
        .expect("set a read timeout");
    let tls = dovecot
        .tls_connector()
        .connect("localhost", tcp)
        .expect("TLS handshake");
    let mut conn = BufReader::new(tls);
    read_line(&mut conn);
    let mut command = |tag: &str, text: &str| -> Vec<String> {
        write!(conn.get_mut(), "{tag} {text}\r\n").expect("send an IMAP command");
        let mut lines = Vec::new();
        loop {
            let line = read_line(&mut conn);
            let done = line.starts_with(&format!("{tag} "));
            lines.push(line);
            if done {
                return lines;
            }
        }
    };
    let login = command("a1", &format!("LOGIN {} {}", BOB.imap_login, BOB.password));
    assert!(
        login.last().is_some_and(|l| l.starts_with("a1 OK")),
        "{login:?}"
    );
    let select = command("a2", "SELECT INBOX");
    assert!(
        select.iter().any(|l| l == "* 2 EXISTS"),
        "{select:?}\n{}",
        dovecot.log()
    );
    let fetch = command("a3", "FETCH 1:2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
    let text = fetch.join("\n");
    assert!(
        text.contains("Subject: first") && text.contains("Subject: second"),
        "{text}"
    );
    command("a4", "LOGOUT");
}

/// Guards against leaked servers: after Drop — also when the test panicked — nothing listens
/// on the ports and the master process is gone.
#[test]
fn dropping_dovecot_stops_it_even_after_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ports = std::sync::Mutex::new(None);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let Some(dovecot) = start_dovecot(dir.path()) else {
            return;
        };
        *ports.lock().expect("not poisoned") =
            Some((dovecot.imap_port(), dovecot.submission_port()));
        panic!("a test failing while Dovecot runs");
    }));
    let Some((imap, submission)) = *ports.lock().expect("not poisoned") else {
        return; // Dovecot is not installed and the policy allowed skipping
    };
    assert!(outcome.is_err(), "the closure panicked");
    for port in [imap, submission] {
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        assert!(
            TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
            "port {port} still accepts connections after Drop"
        );
    }
}

#[test]
fn secret_service_stores_and_reads_back_with_secret_tool() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(keyring) = SecretService::start(dir.path()) else {
        return;
    };
    let home = keyring.env("HOME").to_string();
    assert!(
        home.starts_with(dir.path().to_str().expect("UTF-8 temp dir")),
        "{home}"
    );
    assert!(
        keyring
            .env("DBUS_SESSION_BUS_ADDRESS")
            .starts_with("unix:path=")
    );

    assert_eq!(keyring.lookup(ALICE.email), None);
    keyring.store(ALICE.email, ALICE.password);
    assert_eq!(keyring.lookup(ALICE.email).as_deref(), Some(ALICE.password));
    assert_eq!(keyring.lookup(BOB.email), None, "items are per address");
    keyring.store(ALICE.email, "qrst-uvwx-yzab-cdef");
    assert_eq!(
        keyring.lookup(ALICE.email).as_deref(),
        Some("qrst-uvwx-yzab-cdef"),
        "storing again replaces the secret"
    );
    keyring.clear(ALICE.email);
    assert_eq!(keyring.lookup(ALICE.email), None);

    // What the binary under test sees: the same item through the same environment.
    keyring.store(BOB.email, BOB.password);
    let mut command = Command::new("secret-tool");
    keyring.apply(&mut command).args([
        "lookup",
        "service",
        secret_service::SERVICE,
        "username",
        BOB.email,
    ]);
    let out = command.output().expect("run secret-tool");
    assert_eq!(String::from_utf8_lossy(&out.stdout), BOB.password);

    // Locked: nothing can be read, and nothing hangs waiting for a prompt.
    keyring.lock();
    assert_eq!(
        keyring.lookup(BOB.email),
        None,
        "a locked keyring reveals nothing"
    );
}

#[test]
fn two_secret_services_are_independent() {
    let one = tempfile::tempdir().expect("temp dir");
    let two = tempfile::tempdir().expect("temp dir");
    let Some(first) = SecretService::start(one.path()) else {
        return;
    };
    let Some(second) = SecretService::start(two.path()) else {
        return;
    };
    first.store(ALICE.email, ALICE.password);
    assert_eq!(second.lookup(ALICE.email), None);
}

#[test]
fn no_keyring_envs_reach_no_secret_service() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(secret_tool) = support::peers::require_program("secret-tool", "keyring check") else {
        return;
    };
    let envs = secret_service::no_keyring_envs(dir.path());
    let out = Command::new(secret_tool)
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .args([
            "lookup",
            "service",
            secret_service::SERVICE,
            "username",
            ALICE.email,
        ])
        .output()
        .expect("run secret-tool");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.trim().is_empty(),
        "secret-tool explains the failure"
    );
    let home = envs
        .iter()
        .find(|(k, _)| k == "HOME")
        .map(|(_, v)| v.clone())
        .expect("HOME is set");
    assert!(Path::new(&home).starts_with(dir.path()), "{home}");
}

#[test]
fn dropping_the_secret_service_stops_its_bus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(keyring) = SecretService::start(dir.path()) else {
        return;
    };
    let address = keyring.env("DBUS_SESSION_BUS_ADDRESS").to_string();
    let socket = address
        .strip_prefix("unix:path=")
        .and_then(|rest| rest.split(',').next())
        .expect("a unix:path= address")
        .to_string();
    drop(keyring);
    assert!(
        std::os::unix::net::UnixStream::connect(&socket).is_err(),
        "the bus at {socket} still accepts connections"
    );
}
