//! Proves the scripted fault servers of `support::fake_servers` behave as their docs say,
//! using raw TCP and native-tls clients, so a failing flow test can trust its fake.
//!
//! These tests do not involve icloud-setup itself; they guard the test support code.

use crate::support;

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use native_tls::{Certificate, TlsConnector, TlsStream};
use tempfile::TempDir;

use support::certs::TestCa;
use support::fake_servers::{
    DEFAULT_IMAP_GREETING, DEFAULT_SMTP_GREETING, DropServer, FakeImap, FakeSmtp, ImapLogin,
    ImapScript, ImapTransport, SilentServer, SmtpAuth, SmtpMode, SmtpScript, TEST_PASSWORD,
    base64_decode, base64_encode, closed_port, unresolvable_host,
};

/// Long enough for a loaded 2-core machine, short enough that a fake that stays quiet fails
/// the test quickly instead of hanging it.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

fn test_ca() -> (TempDir, TestCa) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let ca = TestCa::new(dir.path());
    (dir, ca)
}

fn connector(ca: &TestCa) -> TlsConnector {
    let pem = std::fs::read(&ca.ca_path).expect("read CA PEM");
    TlsConnector::builder()
        .add_root_certificate(Certificate::from_pem(&pem).expect("CA certificate"))
        .build()
        .expect("TLS connector")
}

fn dial(addr: &str) -> TcpStream {
    let tcp = TcpStream::connect(addr).expect("connect to the fake");
    tcp.set_read_timeout(Some(CLIENT_TIMEOUT))
        .expect("read timeout");
    tcp
}

fn tls_dial(ca: &TestCa, addr: &str) -> TlsStream<TcpStream> {
    connector(ca)
        .connect("localhost", dial(addr))
        .expect("TLS handshake with the fake")
}

/// Reads one line byte by byte, so nothing after it is consumed (STARTTLS follows a line).
fn read_line(stream: &mut impl Read) -> String {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while stream.read(&mut byte).expect("read a line") == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line).expect("a text line")
}

/// Reads an SMTP reply, multi-line or not, up to the line with a space after the code.
fn read_reply(stream: &mut impl Read) -> Vec<String> {
    let mut lines = Vec::new();
    loop {
        let line = read_line(stream);
        let last = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line);
        if last {
            return lines;
        }
    }
}

fn send(stream: &mut impl Write, line: &str) {
    stream
        .write_all(format!("{line}\r\n").as_bytes())
        .and_then(|()| stream.flush())
        .expect("write a line");
}

/// Whether the server has closed the connection (an unclean TLS close reads as an error).
fn closed(stream: &mut impl Read) -> bool {
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ),
    }
}

fn tls_imap(ca: &TestCa, script: ImapScript) -> FakeImap {
    FakeImap::start(
        ImapTransport::Tls(ca.server_cert("localhost").identity()),
        script,
    )
}

fn plain_auth(username: &str, password: &str) -> String {
    base64_encode(format!("\0{username}\0{password}").as_bytes())
}

#[test]
fn imap_login_with_the_accepted_password_succeeds_and_logout_says_bye() {
    let (_dir, ca) = test_ca();
    let imap = tls_imap(&ca, ImapScript::default());
    let mut s = tls_dial(&ca, &imap.host_addr("localhost"));
    assert_eq!(read_line(&mut s), DEFAULT_IMAP_GREETING);

    send(&mut s, "a0 CAPABILITY");
    assert_eq!(
        read_line(&mut s),
        "* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=ATOKEN"
    );
    assert_eq!(read_line(&mut s), "a0 OK CAPABILITY completed");
    send(
        &mut s,
        &format!("a1 LOGIN johnappleseed \"{TEST_PASSWORD}\""),
    );
    assert_eq!(read_line(&mut s), "a1 OK LOGIN completed");
    send(&mut s, "a2 NOOP");
    assert_eq!(read_line(&mut s), "a2 OK NOOP completed");
    send(&mut s, "a3 SELECT INBOX");
    assert_eq!(read_line(&mut s), "a3 BAD Unknown command");
    send(&mut s, "a4 LOGOUT");
    assert_eq!(read_line(&mut s), "* BYE Logging out");
    assert_eq!(read_line(&mut s), "a4 OK LOGOUT completed");
    assert!(closed(&mut s));

    assert_eq!(imap.logins(), [("johnappleseed".to_string(), true)]);
    assert_eq!(
        imap.commands(),
        ["CAPABILITY", "LOGIN", "NOOP", "SELECT", "LOGOUT"]
    );
    assert_eq!(imap.connections(), 1);
}

#[test]
fn imap_authenticationfailed_closes_the_connection_like_icloud() {
    let (_dir, ca) = test_ca();
    let imap = tls_imap(
        &ca,
        ImapScript::default()
            .login("johnappleseed", ImapLogin::AuthFailed)
            .login("johnappleseed@icloud.com", ImapLogin::Ok),
    );

    // The local part is refused, and the server hangs up: the retry needs a new connection.
    let mut first = tls_dial(&ca, &imap.addr());
    read_line(&mut first);
    send(
        &mut first,
        &format!("a1 LOGIN johnappleseed {TEST_PASSWORD}"),
    );
    assert_eq!(
        read_line(&mut first),
        "a1 NO [AUTHENTICATIONFAILED] Authentication failed."
    );
    assert!(closed(&mut first));

    let mut second = tls_dial(&ca, &imap.addr());
    read_line(&mut second);
    send(
        &mut second,
        &format!("a1 LOGIN johnappleseed@icloud.com {TEST_PASSWORD}"),
    );
    assert_eq!(read_line(&mut second), "a1 OK LOGIN completed");

    // A username scripted Ok is still refused with a wrong password.
    let mut third = tls_dial(&ca, &imap.addr());
    read_line(&mut third);
    send(
        &mut third,
        "a1 LOGIN johnappleseed@icloud.com wrong-password",
    );
    assert_eq!(
        read_line(&mut third),
        "a1 NO [AUTHENTICATIONFAILED] Authentication failed."
    );
    assert!(closed(&mut third));

    let logins = imap.logins();
    assert_eq!(
        logins,
        [
            ("johnappleseed".to_string(), true),
            ("johnappleseed@icloud.com".to_string(), true),
            ("johnappleseed@icloud.com".to_string(), false),
        ]
    );
    assert_eq!(imap.connections(), 3);
    // Regression guard: the records must never hold a password.
    let recorded = format!("{logins:?}{:?}", imap.commands());
    assert!(!recorded.contains(TEST_PASSWORD) && !recorded.contains("wrong-password"));
}

#[test]
fn imap_login_parses_quoted_escapes_and_both_kinds_of_literal() {
    let (_dir, ca) = test_ca();
    let password = r#"p"w\d"#;
    let imap = tls_imap(&ca, ImapScript::default().password(password));

    // Synchronizing literal for the username (the server must say "+ go ahead"), quoted
    // string with \" and \\ escapes for the password.
    let mut s = tls_dial(&ca, &imap.addr());
    read_line(&mut s);
    send(&mut s, "a1 LOGIN {13}");
    assert_eq!(read_line(&mut s), "+ go ahead");
    send(&mut s, r#"johnappleseed "p\"w\\d""#);
    assert_eq!(read_line(&mut s), "a1 OK LOGIN completed");
    send(&mut s, "a2 LOGIN only-a-username");
    assert_eq!(
        read_line(&mut s),
        "a2 BAD LOGIN expects a username and a password"
    );

    // Non-synchronizing literals (LITERAL+) for both: no continuation request.
    let mut s = tls_dial(&ca, &imap.addr());
    read_line(&mut s);
    let command = format!(
        "a1 LOGIN {{24+}}\r\njohnappleseed@icloud.com {{{}+}}\r\n{password}",
        password.len()
    );
    send(&mut s, &command);
    assert_eq!(read_line(&mut s), "a1 OK LOGIN completed");

    let mut s = tls_dial(&ca, &imap.addr());
    read_line(&mut s);
    send(&mut s, r#"a1 LOGIN "unterminated"#);
    assert_eq!(read_line(&mut s), "a1 BAD Malformed command");

    assert_eq!(
        imap.logins(),
        [
            ("johnappleseed".to_string(), true),
            ("johnappleseed@icloud.com".to_string(), true),
        ]
    );
}

#[test]
fn imap_unavailable_bye_greeting_and_dropped_login() {
    let (_dir, ca) = test_ca();

    let imap = tls_imap(
        &ca,
        ImapScript::default()
            .login("busy", ImapLogin::Unavailable)
            .login("no-busy", ImapLogin::NoUnavailable)
            .login("gone", ImapLogin::DropConnection),
    );
    let mut s = tls_dial(&ca, &imap.addr());
    read_line(&mut s);
    send(&mut s, &format!("a1 LOGIN no-busy {TEST_PASSWORD}"));
    assert_eq!(
        read_line(&mut s),
        "a1 NO [UNAVAILABLE] Service temporarily unavailable"
    );
    send(&mut s, &format!("a2 LOGIN busy {TEST_PASSWORD}"));
    assert_eq!(
        read_line(&mut s),
        "a2 BAD [UNAVAILABLE] Service temporarily unavailable"
    );
    assert!(closed(&mut s));
    let mut s = tls_dial(&ca, &imap.addr());
    read_line(&mut s);
    send(&mut s, &format!("a1 LOGIN gone {TEST_PASSWORD}"));
    assert!(closed(&mut s));

    let bye = "* BYE [UNAVAILABLE] Server busy";
    let imap = tls_imap(&ca, ImapScript::default().greeting(bye));
    let mut s = tls_dial(&ca, &imap.addr());
    assert_eq!(read_line(&mut s), bye);
    assert!(closed(&mut s));
}

#[test]
fn imap_plain_text_on_the_tls_port_gives_wrong_version_number() {
    let (_dir, ca) = test_ca();
    let imap = FakeImap::start(ImapTransport::Plain, ImapScript::default());
    let error = connector(&ca)
        .connect("localhost", dial(&imap.host_addr("localhost")))
        .expect_err("a TLS client must fail against a plain-text server");
    assert!(
        error.to_string().contains("wrong version number"),
        "unexpected TLS error: {error}"
    );
    assert_eq!(imap.connections(), 1);
}

#[test]
fn smtp_without_starttls_neither_offers_nor_accepts_it() {
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::NoStarttls));
    let mut s = dial(&smtp.addr());
    assert_eq!(read_line(&mut s), DEFAULT_SMTP_GREETING);
    send(&mut s, "EHLO client.example");
    let ehlo = read_reply(&mut s);
    assert_eq!(ehlo[0], "250-smtp.mail.me.com");
    assert!(
        ehlo.iter()
            .all(|l| !l.contains("STARTTLS") && !l.contains("AUTH")),
        "{ehlo:?}"
    );
    send(&mut s, "STARTTLS");
    assert!(read_line(&mut s).starts_with("502 "));
    send(&mut s, "QUIT");
    assert!(read_line(&mut s).starts_with("221 "));
    assert!(closed(&mut s));
    assert_eq!(
        smtp.commands(),
        [
            ("EHLO".to_string(), false),
            ("STARTTLS".to_string(), false),
            ("QUIT".to_string(), false),
        ]
    );
}

#[test]
fn smtp_starttls_then_auth_plain_succeeds_only_inside_tls() {
    let (_dir, ca) = test_ca();
    let identity = ca.server_cert("localhost").identity();
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(identity)));
    let mut plain = dial(&smtp.host_addr("localhost"));
    read_line(&mut plain);
    send(&mut plain, "EHLO client.example");
    let ehlo = read_reply(&mut plain);
    assert!(ehlo.contains(&"250-STARTTLS".to_string()), "{ehlo:?}");
    assert!(ehlo.iter().all(|l| !l.contains("AUTH")), "{ehlo:?}");
    send(&mut plain, "STARTTLS");
    assert_eq!(read_line(&mut plain), "220 2.0.0 Ready to start TLS");

    let mut s = connector(&ca)
        .connect("localhost", plain)
        .expect("TLS after STARTTLS");
    send(&mut s, "EHLO client.example");
    let ehlo = read_reply(&mut s);
    assert!(
        ehlo.contains(&"250-AUTH PLAIN LOGIN".to_string()),
        "{ehlo:?}"
    );
    assert!(ehlo.iter().all(|l| !l.contains("STARTTLS")), "{ehlo:?}");
    let user = "johnappleseed@icloud.com";
    send(
        &mut s,
        &format!("AUTH PLAIN {}", plain_auth(user, TEST_PASSWORD)),
    );
    assert_eq!(read_line(&mut s), "235 2.7.0 Authentication successful");
    send(&mut s, "NOOP");
    assert!(read_line(&mut s).starts_with("250 "));
    send(&mut s, "QUIT");
    assert_eq!(read_line(&mut s), "221 2.0.0 Bye");

    assert_eq!(
        smtp.commands(),
        [
            ("EHLO".to_string(), false),
            ("STARTTLS".to_string(), false),
            ("EHLO".to_string(), true),
            ("AUTH".to_string(), true),
            ("NOOP".to_string(), true),
            ("QUIT".to_string(), true),
        ]
    );
    assert_eq!(smtp.auth_attempts(), [(user.to_string(), true, true)]);
}

#[test]
fn smtp_auth_answers_535_and_454_and_serves_auth_login() {
    let (_dir, ca) = test_ca();
    let identity = ca.server_cert("localhost").identity();
    let smtp = FakeSmtp::start(
        SmtpScript::new(SmtpMode::Starttls(identity))
            .login("busy@icloud.com", SmtpAuth::Transient454),
    );
    let mut plain = dial(&smtp.addr());
    read_line(&mut plain);
    send(&mut plain, "STARTTLS");
    read_line(&mut plain);
    let mut s = connector(&ca).connect("localhost", plain).expect("TLS");
    send(&mut s, "EHLO client.example");
    read_reply(&mut s);

    let user = "johnappleseed@icloud.com";
    send(&mut s, &format!("AUTH PLAIN {}", plain_auth(user, "wrong")));
    assert_eq!(
        read_line(&mut s),
        "535 5.7.8 Authentication credentials invalid"
    );

    send(&mut s, "AUTH LOGIN");
    assert_eq!(read_line(&mut s), "334 VXNlcm5hbWU6");
    send(&mut s, &base64_encode(b"busy@icloud.com"));
    assert_eq!(read_line(&mut s), "334 UGFzc3dvcmQ6");
    send(&mut s, &base64_encode(TEST_PASSWORD.as_bytes()));
    assert_eq!(
        read_line(&mut s),
        "454 4.7.0 Temporary authentication failure"
    );

    // PLAIN without an initial response: an empty 334 challenge first.
    send(&mut s, "AUTH PLAIN");
    assert_eq!(read_line(&mut s), "334 ");
    send(&mut s, &plain_auth(user, TEST_PASSWORD));
    assert_eq!(read_line(&mut s), "235 2.7.0 Authentication successful");

    assert_eq!(
        smtp.auth_attempts(),
        [
            (user.to_string(), false, true),
            ("busy@icloud.com".to_string(), true, true),
            (user.to_string(), true, true),
        ]
    );
    let recorded = format!("{:?}{:?}", smtp.commands(), smtp.auth_attempts());
    assert!(!recorded.contains(TEST_PASSWORD) && !recorded.contains(&plain_auth(user, "wrong")));
}

#[test]
fn smtp_auth_can_end_in_a_hang_up() {
    let (_dir, ca) = test_ca();
    let identity = ca.server_cert("localhost").identity();
    let smtp = FakeSmtp::start(
        SmtpScript::new(SmtpMode::Starttls(identity)).other_logins(SmtpAuth::DropConnection),
    );
    let mut plain = dial(&smtp.addr());
    read_line(&mut plain);
    send(&mut plain, "STARTTLS");
    read_line(&mut plain);
    let mut s = connector(&ca).connect("localhost", plain).expect("TLS");
    send(&mut s, "EHLO client.example");
    read_reply(&mut s);
    let user = "johnappleseed@icloud.com";
    send(
        &mut s,
        &format!("AUTH PLAIN {}", plain_auth(user, TEST_PASSWORD)),
    );
    assert!(closed(&mut s), "no answer, the connection is gone");
    assert_eq!(smtp.auth_attempts(), [(user.to_string(), true, true)]);
}

#[test]
fn smtp_auth_in_the_clear_is_recorded_as_outside_tls() {
    let (_dir, ca) = test_ca();
    let identity = ca.server_cert("localhost").identity();
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(identity)).auth_before_tls(true));
    let mut s = dial(&smtp.addr());
    read_line(&mut s);
    send(&mut s, "EHLO client.example");
    let ehlo = read_reply(&mut s);
    assert!(ehlo.contains(&"250-STARTTLS".to_string()), "{ehlo:?}");
    assert!(
        ehlo.contains(&"250-AUTH PLAIN LOGIN".to_string()),
        "{ehlo:?}"
    );
    let user = "johnappleseed@icloud.com";
    send(
        &mut s,
        &format!("AUTH PLAIN {}", plain_auth(user, TEST_PASSWORD)),
    );
    assert!(read_line(&mut s).starts_with("235 "));
    assert_eq!(smtp.auth_attempts(), [(user.to_string(), true, false)]);
    assert!(smtp.commands().contains(&("AUTH".to_string(), false)));
}

#[test]
fn smtp_records_mail_transactions_a_client_must_never_start() {
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::NoStarttls));
    let mut s = dial(&smtp.addr());
    read_line(&mut s);
    for (line, code) in [
        ("MAIL FROM:<a@icloud.com>", "250"),
        ("RCPT TO:<b@example.com>", "250"),
        ("DATA", "354"),
    ] {
        send(&mut s, line);
        assert!(read_line(&mut s).starts_with(code), "{line}");
    }
    send(&mut s, "Subject: test\r\n\r\nbody\r\n.");
    assert!(read_line(&mut s).starts_with("250 "));
    let verbs: Vec<String> = smtp.commands().into_iter().map(|(verb, _)| verb).collect();
    assert_eq!(verbs, ["MAIL", "RCPT", "DATA"]);
}

#[test]
fn smtp_starttls_refused_and_implicit_tls_faults() {
    let (_dir, ca) = test_ca();

    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::StarttlsRefused));
    let mut s = dial(&smtp.addr());
    read_line(&mut s);
    send(&mut s, "EHLO client.example");
    assert!(read_reply(&mut s).contains(&"250-STARTTLS".to_string()));
    send(&mut s, "STARTTLS");
    assert!(read_line(&mut s).starts_with("454 "));

    // TLS from the first byte on the submission port: a STARTTLS client hears nothing.
    let identity = ca.server_cert("localhost").identity();
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::ImplicitTls(identity)));
    let mut plain = dial(&smtp.addr());
    plain
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("read timeout");
    assert!(!closed(&mut plain), "the server must wait, not hang up");
    let mut s = tls_dial(&ca, &smtp.addr());
    assert_eq!(read_line(&mut s), DEFAULT_SMTP_GREETING);
    send(&mut s, "EHLO client.example");
    let ehlo = read_reply(&mut s);
    assert!(
        ehlo.contains(&"250-AUTH PLAIN LOGIN".to_string()),
        "{ehlo:?}"
    );
    assert!(ehlo.iter().all(|l| !l.contains("STARTTLS")), "{ehlo:?}");
    assert_eq!(smtp.commands(), [("EHLO".to_string(), true)]);
}

#[test]
fn silent_drop_closed_and_unresolvable() {
    let silent = SilentServer::start();
    let mut s = dial(&silent.addr());
    s.set_read_timeout(Some(Duration::from_millis(300)))
        .expect("read timeout");
    send(&mut s, "a1 LOGIN anyone");
    assert!(!closed(&mut s), "a silent server keeps the connection open");
    assert_eq!(silent.connections(), 1);

    let dropper = DropServer::start();
    let mut s = dial(&dropper.host_addr("localhost"));
    assert!(closed(&mut s));
    assert_eq!(dropper.connections(), 1);

    let error = TcpStream::connect(("127.0.0.1", closed_port())).expect_err("nothing listens");
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);

    assert!((unresolvable_host(), 993).to_socket_addrs().is_err());
}

#[test]
fn dropping_a_server_closes_its_connections_and_frees_its_port() {
    let silent = SilentServer::start();
    let port = silent.port();
    let mut held = dial(&silent.addr());
    // Let the accept thread pick the connection up before the drop.
    let deadline = Instant::now() + CLIENT_TIMEOUT;
    while silent.connections() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }

    let started = Instant::now();
    drop(silent);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "drop took too long"
    );
    assert!(closed(&mut held));
    let error = TcpStream::connect(("127.0.0.1", port)).expect_err("the port is free");
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
}

#[test]
fn servers_also_answer_on_ipv6_loopback_when_the_machine_has_it() {
    if TcpListener::bind("[::1]:0").is_err() {
        eprintln!("no IPv6 loopback here; nothing to check");
        return;
    }
    let (_dir, ca) = test_ca();
    let imap = tls_imap(&ca, ImapScript::default());
    let mut s = tls_dial(&ca, &imap.host_addr("[::1]"));
    assert_eq!(read_line(&mut s), DEFAULT_IMAP_GREETING);
}

#[test]
fn base64_round_trips_the_rfc_4648_vectors() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64_encode(plain.as_bytes()), encoded);
        assert_eq!(base64_decode(encoded).as_deref(), Some(plain.as_bytes()));
    }
    for bad in ["Zg=", "Z===", "Zg==Zg==", "Zm9v!A==", "Zm=v"] {
        assert_eq!(base64_decode(bad), None, "{bad}");
    }
}
