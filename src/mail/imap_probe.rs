//! The IMAP live test: TLS from the first byte, the greeting, `LOGIN`, `LOGOUT`.
//!
//! The exchange is written here rather than taken from the `imap` crate. That crate keeps
//! the response code of a tagged `NO` only inside its text (`No("[AUTHENTICATIONFAILED] …")`),
//! which could be parsed again; what it cannot give is the rest: a `BYE` (a server closing
//! the session with its reason, e.g. `[UNAVAILABLE]`) comes back as a lost connection, so an
//! outage (exit 75) would read as a network fault with the server's words gone, and its debug
//! mode prints the `LOGIN` command with the password in it, so a `--verbose` transcript
//! could not come from it. `LOGIN` is used, not `AUTHENTICATE PLAIN`, because iCloud has
//! rejected the latter where `LOGIN` worked (ICLOUD.md).
//!
//! After a credentials rejection iCloud closes the connection, so the next username of
//! the ladder gets a new TLS connection.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::time::Duration;

use native_tls::{HandshakeError, TlsConnector, TlsStream};

use crate::domain::{AppPassword, LoginLadder};
use crate::mail::endpoint::{self, Deadline, DeadlineStream, ServerAddress};
use crate::mail::tls::{TrustAnchors, classify_tls_error};
use crate::mail::{FailureKind, ProbeFailure, ProbeReport, Protocol, Stage};

/// Longest server line we accept; a greeting or response is a few hundred bytes.
const MAX_LINE: u64 = 64 * 1024;

/// What the transcript shows in place of the password.
pub const MASK: &str = "********";

/// Tries each username of the ladder in turn, each on its own connection and deadline,
/// moving on only when the server rejected the credentials.
pub fn probe(
    server: &ServerAddress,
    ladder: &LoginLadder,
    password: &AppPassword,
    anchors: &TrustAnchors,
    timeout: Duration,
) -> ProbeReport {
    let mut report = ProbeReport {
        protocol: Protocol::Imap,
        server: server.clone(),
        usernames_tried: Vec::new(),
        outcome: Err(ProbeFailure::new(
            Stage::Login,
            FailureKind::Protocol,
            "no username to try",
        )),
        transcript: Vec::new(),
    };
    let connector = match anchors.connector() {
        Ok(connector) => connector,
        Err(e) => {
            report.outcome = Err(ProbeFailure::new(
                Stage::Tls,
                FailureKind::TlsFailure,
                e.to_string(),
            ));
            return report;
        }
    };
    // The name lookup and the first connection share one deadline, so a slow lookup
    // cannot stretch the probe of a silent server past the time limit.
    let first_deadline = Deadline::after(timeout);
    let addresses = match endpoint::resolve(server, first_deadline) {
        Ok(addresses) => addresses,
        Err(failure) => {
            report.outcome = Err(failure);
            return report;
        }
    };
    let rungs = ladder.usernames();
    for (index, username) in rungs.iter().enumerate() {
        let mut session = Session {
            server,
            password,
            transcript: &mut report.transcript,
            sent_login: false,
        };
        let deadline = if index == 0 {
            first_deadline
        } else {
            Deadline::after(timeout)
        };
        let result = session.attempt(&addresses, &connector, username, deadline);
        if session.sent_login {
            report.usernames_tried.push(username.clone());
        }
        match result {
            Ok(()) => {
                report.outcome = Ok(username.clone());
                break;
            }
            Err(failure) => {
                let try_next =
                    failure.kind == FailureKind::BadCredentials && index + 1 < rungs.len();
                report.outcome = Err(failure);
                if !try_next {
                    break;
                }
            }
        }
    }
    report
}

type Connection = BufReader<TlsStream<DeadlineStream>>;

/// One connection's worth of conversation.
struct Session<'a> {
    server: &'a ServerAddress,
    password: &'a AppPassword,
    transcript: &'a mut Vec<String>,
    sent_login: bool,
}

impl Session<'_> {
    fn attempt(
        &mut self,
        addresses: &[SocketAddr],
        connector: &TlsConnector,
        username: &str,
        deadline: Deadline,
    ) -> Result<(), ProbeFailure> {
        let tcp = endpoint::connect(addresses, deadline)?;
        let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        self.transcript.push(format!("connected to {peer}"));
        let mut connection =
            self.handshake(connector, DeadlineStream::new(tcp, deadline), deadline)?;
        self.transcript
            .push(format!("TLS established with {}", self.server.host));

        let greeting = self.read_line(&mut connection, Stage::Greeting)?;
        check_greeting(&greeting)?;

        self.sent_login = true;
        self.send_login(&mut connection, username)?;
        let reply = self.read_tagged(&mut connection, "a1", Stage::Login)?;
        interpret_login_reply(&reply)?;

        // Be polite; the verdict is already in, so a failure here changes nothing.
        if self.send(&mut connection, "a2 LOGOUT", "a2 LOGOUT").is_ok() {
            let _ = self.read_tagged(&mut connection, "a2", Stage::Login);
        }
        Ok(())
    }

    fn handshake(
        &mut self,
        connector: &TlsConnector,
        stream: DeadlineStream,
        deadline: Deadline,
    ) -> Result<Connection, ProbeFailure> {
        match connector.connect(&self.server.host, stream) {
            Ok(tls) => Ok(BufReader::new(tls)),
            Err(HandshakeError::WouldBlock(_)) => Err(ProbeFailure::new(
                Stage::Tls,
                FailureKind::TimedOut,
                "TLS handshake timed out",
            )),
            Err(HandshakeError::Failure(error)) => {
                let detail = error.to_string();
                let kind = if deadline.remaining().is_err() {
                    FailureKind::TimedOut
                } else {
                    classify_tls_error(&detail)
                };
                Err(ProbeFailure::new(Stage::Tls, kind, detail))
            }
        }
    }

    fn send_login(
        &mut self,
        connection: &mut Connection,
        username: &str,
    ) -> Result<(), ProbeFailure> {
        let user = Argument::new(username);
        let pass = Argument::new(self.password.expose());
        if user.is_literal() || pass.is_literal() {
            return self.send_login_with_literals(connection, user, pass, username);
        }
        let line = format!("a1 LOGIN {} {}", user.quoted(), pass.quoted());
        let shown = format!("a1 LOGIN {} {MASK}", user.quoted());
        self.send(connection, &line, &shown)
    }

    /// Non-ASCII text cannot go in a quoted string; it is sent as `{n}` literals, each
    /// after the server's `+` go-ahead.
    fn send_login_with_literals(
        &mut self,
        connection: &mut Connection,
        user: Argument<'_>,
        pass: Argument<'_>,
        username: &str,
    ) -> Result<(), ProbeFailure> {
        let mut pending = String::from("a1 LOGIN ");
        let mut shown = pending.clone();
        for (argument, is_secret) in [(user, false), (pass, true)] {
            if argument.is_literal() {
                pending.push_str(&format!("{{{}}}", argument.0.len()));
                shown.push_str(&format!("{{{}}}", argument.0.len()));
                self.send(connection, &pending, &shown)?;
                let go_ahead = self.read_line(connection, Stage::Login)?;
                if !go_ahead.starts_with('+') {
                    return interpret_login_reply(&go_ahead);
                }
                pending = argument.0.to_string();
                shown = if is_secret {
                    MASK.into()
                } else {
                    username.into()
                };
            } else {
                let text = if is_secret {
                    MASK.to_string()
                } else {
                    argument.quoted()
                };
                pending.push_str(&argument.quoted());
                shown.push_str(&text);
            }
            pending.push(' ');
            shown.push(' ');
        }
        self.send(connection, pending.trim_end(), shown.trim_end())
    }

    fn send(
        &mut self,
        connection: &mut Connection,
        line: &str,
        shown: &str,
    ) -> Result<(), ProbeFailure> {
        self.transcript.push(format!("C: {shown}"));
        let stream = connection.get_mut();
        stream
            .write_all(format!("{line}\r\n").as_bytes())
            .and_then(|()| stream.flush())
            .map_err(|e| endpoint::conversation_failure(Stage::Login, &e))
    }

    fn read_line(
        &mut self,
        connection: &mut Connection,
        stage: Stage,
    ) -> Result<String, ProbeFailure> {
        let mut buffer = Vec::new();
        let read = std::io::Read::take(&mut *connection, MAX_LINE)
            .read_until(b'\n', &mut buffer)
            .map_err(|e| endpoint::conversation_failure(stage, &e))?;
        if read == 0 {
            return Err(ProbeFailure::new(
                stage,
                FailureKind::Dropped,
                "the server closed the connection",
            ));
        }
        let line = String::from_utf8_lossy(&buffer).trim_end().to_string();
        // Servers do not echo passwords, but a transcript must never hold one even if
        // a broken server did.
        let shown = line.replace(self.password.expose(), MASK);
        self.transcript.push(format!("S: {shown}"));
        Ok(shown)
    }

    /// Reads until the tagged reply, skipping untagged data such as `* CAPABILITY`.
    fn read_tagged(
        &mut self,
        connection: &mut Connection,
        tag: &str,
        stage: Stage,
    ) -> Result<String, ProbeFailure> {
        loop {
            let line = self.read_line(connection, stage)?;
            if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
                return Ok(rest.to_string());
            }
            if line.starts_with("* BYE") {
                return Err(bye_failure(stage, &line));
            }
        }
    }
}

/// `* OK` means go ahead; `* BYE` means the server will not talk to us now.
fn check_greeting(line: &str) -> Result<(), ProbeFailure> {
    if line.starts_with("* OK") {
        Ok(())
    } else if line.starts_with("* BYE") {
        Err(bye_failure(Stage::Greeting, line))
    } else {
        Err(ProbeFailure::new(
            Stage::Greeting,
            FailureKind::Protocol,
            "not an IMAP greeting",
        )
        .with_server_said(line))
    }
}

fn bye_failure(stage: Stage, line: &str) -> ProbeFailure {
    ProbeFailure::new(
        stage,
        FailureKind::Unavailable,
        "the server is not accepting connections",
    )
    .with_server_said(line)
}

/// Turns the tagged reply to `LOGIN` (without its tag) into a verdict.
fn interpret_login_reply(reply: &str) -> Result<(), ProbeFailure> {
    let (status, rest) = reply.split_once(' ').unwrap_or((reply, ""));
    let code = response_code(rest).map(str::to_ascii_uppercase);
    let code = code.as_deref().map(|c| c.split(' ').next().unwrap_or(c));
    let kind = match (status.to_ascii_uppercase().as_str(), code) {
        ("OK", _) => return Ok(()),
        (_, Some("UNAVAILABLE" | "LIMIT" | "INUSE" | "SERVERBUG")) => FailureKind::Unavailable,
        ("NO", Some("AUTHENTICATIONFAILED" | "AUTHORIZATIONFAILED" | "EXPIRED")) | ("NO", None) => {
            FailureKind::BadCredentials
        }
        ("NO", Some(_)) => FailureKind::BadCredentials,
        _ => FailureKind::Protocol,
    };
    Err(ProbeFailure::new(Stage::Login, kind, "LOGIN was not accepted").with_server_said(reply))
}

/// The text inside `[...]` at the start of a response's text, if any.
fn response_code(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('[')?;
    inner.split_once(']').map(|(code, _)| code)
}

/// One LOGIN argument: a quoted string when it is printable ASCII, a literal otherwise.
struct Argument<'a>(&'a str);

impl<'a> Argument<'a> {
    fn new(text: &'a str) -> Argument<'a> {
        Argument(text)
    }

    fn is_literal(&self) -> bool {
        !self.0.bytes().all(|b| (0x20..0x7f).contains(&b))
    }

    fn quoted(&self) -> String {
        let escaped = self.0.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_replies_are_classified_by_their_response_code() {
        let cases = [
            (
                "NO [AUTHENTICATIONFAILED] Authentication failed.",
                FailureKind::BadCredentials,
            ),
            ("NO Login failed", FailureKind::BadCredentials),
            (
                "BAD [UNAVAILABLE] Service temporarily unavailable",
                FailureKind::Unavailable,
            ),
            ("NO [UNAVAILABLE] Try later", FailureKind::Unavailable),
            ("BAD Error in IMAP command", FailureKind::Protocol),
        ];
        for (reply, kind) in cases {
            let failure = interpret_login_reply(reply).unwrap_err();
            assert_eq!(failure.kind, kind, "{reply}");
            assert_eq!(failure.server_said.as_deref(), Some(reply));
        }
        assert!(interpret_login_reply("OK [CAPABILITY IMAP4rev1] Logged in").is_ok());
    }

    #[test]
    fn greetings_are_checked() {
        assert!(check_greeting("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready").is_ok());
        assert_eq!(
            check_greeting("* BYE [UNAVAILABLE] go away")
                .unwrap_err()
                .kind,
            FailureKind::Unavailable
        );
        assert_eq!(
            check_greeting("220 smtp ready").unwrap_err().kind,
            FailureKind::Protocol
        );
    }

    #[test]
    fn quoted_strings_escape_quotes_and_backslashes() {
        assert_eq!(Argument::new(r#"a"b\c"#).quoted(), r#""a\"b\\c""#);
        assert!(!Argument::new("abcd-efgh-ijkl-mnop").is_literal());
        assert!(Argument::new("pässword").is_literal());
    }
}
