//! The SMTP live test on the submission port: greeting, `EHLO`, `STARTTLS` (required),
//! `EHLO` again, `AUTH` with the full address, `QUIT`. No mail is ever sent: a successful
//! `AUTH` is the proof, and whether iCloud would keep a sent copy of a test message is
//! disputed (docs/ICLOUD.md).
//!
//! The conversation is written here, on the bounded [`Wire`], rather than left to lettre's
//! `SmtpConnection`: that one reads reply lines without a size limit and with a per-read
//! timeout, so before STARTTLS anyone on the path could grow our memory without end or
//! hold us forever with a byte a second. Here every line and reply is capped, and all of
//! it ends by one deadline. `AUTH` is refused unless the connection is encrypted.
//!
//! Everything up to the login needs no account: [`open`] does it ahead of time (the wizard
//! starts it while the person types), and [`probe`] only logs in. `QUIT` is sent after the
//! verdict without waiting for its answer.
//!
//! A server that speaks TLS from the first byte (a port-465 style server given as the
//! submission port) sends no plain-text greeting: to a STARTTLS client it looks exactly like
//! a server that never speaks. So the greeting is awaited for the time limit minus a small
//! reserve, and when it does not come, a second connection offers a TLS handshake within
//! that reserve. A server that answers it is reported as the wrong TLS mode ("port 587
//! expects STARTTLS", 76); one that stays silent as a timeout (75). Both within `--timeout`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::domain::AppPassword;
use crate::mail::endpoint::{self, Deadline, DeadlineStream, ServerAddress};
use crate::mail::pending::{Pending, Stale};
pub(crate) use crate::mail::smtp_reader::Reply;
use crate::mail::smtp_reader::{mechanisms, offers, read_reply};
use crate::mail::tls::{TrustAnchors, classify_handshake};
use crate::mail::tls_backend::{Connector, Handshake};
use crate::mail::wire::{Wire, base64};
use crate::mail::{
    Detail, FailureKind, MASK, ProbeFailure, ProbeReport, Protocol, Stage, TranscriptLine,
};

/// The name we introduce ourselves with in `EHLO`; servers accept any domain here for
/// authenticated submission, and a fixed one leaks nothing about the machine.
const HELLO_NAME: &str = "localhost";

/// A connection opened ahead of the login: greeting, `EHLO`, `STARTTLS`, TLS and the
/// second `EHLO` done; nothing about the account sent.
pub(crate) struct Ready {
    wire: Wire,
    /// The login methods offered inside TLS (upper case).
    mechanisms: Vec<String>,
}

impl Ready {
    /// The conversation, for commands after the login (`--send-test`).
    pub(crate) fn wire_mut(&mut self) -> &mut Wire {
        &mut self.wire
    }

    /// Sends a goodbye without waiting for the answer, and closes.
    pub(crate) fn close_with(self, goodbye: &str) {
        self.wire.close_with(goodbye);
    }

    /// Closes at once.
    pub(crate) fn close(self) {
        self.wire.close();
    }
}

impl Stale for Ready {
    fn is_stale(&self) -> bool {
        self.wire.is_stale()
    }
}

/// Everything up to the login, by `deadline`.
pub(crate) fn open(
    server: &ServerAddress,
    anchors: &TrustAnchors,
    timeout: Duration,
    deadline: Deadline,
    transcript: &mut Vec<TranscriptLine>,
) -> Result<Ready, ProbeFailure> {
    let addresses = endpoint::resolve(server, deadline)?;
    // The greeting's wait ends early enough to leave the reserve for the TLS check.
    let reserve = tls_check_reserve(timeout);
    let greeting_deadline = deadline
        .remaining()
        .ok()
        .and_then(|left| left.checked_sub(reserve))
        .filter(|wait| !wait.is_zero())
        .map_or(Deadline::after(Duration::from_millis(1)), Deadline::after);
    let mut wire = Wire::open(&addresses, greeting_deadline, transcript)?;
    let result = handshake(&mut wire, server, anchors, deadline);
    transcript.append(&mut wire.transcript);
    match result {
        Ok(mechanisms) => Ok(Ready { wire, mechanisms }),
        Err(Silent) => {
            wire.close();
            transcript.push(TranscriptLine::NoGreetingCheckingTls);
            Err(silent_or_tls_first(
                &addresses, server, anchors, deadline, transcript,
            ))
        }
        Err(Failed(failure)) => {
            wire.close();
            Err(failure)
        }
    }
}

enum Trouble {
    /// No greeting before the greeting's deadline.
    Silent,
    Failed(ProbeFailure),
}
use Trouble::{Failed, Silent};

impl From<ProbeFailure> for Trouble {
    fn from(failure: ProbeFailure) -> Trouble {
        Failed(failure)
    }
}

/// Greeting, EHLO, STARTTLS, TLS, EHLO. Returns the login methods offered inside TLS.
fn handshake(
    wire: &mut Wire,
    server: &ServerAddress,
    anchors: &TrustAnchors,
    deadline: Deadline,
) -> Result<Vec<String>, Trouble> {
    let greeting = match read_reply(wire, Stage::Greeting) {
        Ok(reply) => reply,
        Err(failure) if failure.kind == FailureKind::TimedOut && !deadline.passed() => {
            return Err(Silent);
        }
        Err(failure) => return Err(Failed(failure)),
    };
    wire.set_deadline(deadline);
    expect(&greeting, 220, Stage::Greeting, Detail::NotAccepting)?;

    let hello = ehlo(wire, Stage::Greeting)?;
    if !offers(&hello, "STARTTLS") {
        // The password must not cross the network in the clear: stop before AUTH.
        wire.transcript.push(TranscriptLine::StartTlsMissing);
        return Err(Failed(
            ProbeFailure::new(
                Stage::StartTls,
                FailureKind::StartTlsMissing,
                Detail::StartTlsNotOffered,
            )
            // Its name and extensions: what it offers instead.
            .with_server_said(hello.lines.join(" ")),
        ));
    }
    wire.send("STARTTLS", "STARTTLS", Stage::StartTls)?;
    let go_ahead = read_reply(wire, Stage::StartTls)?;
    expect(&go_ahead, 220, Stage::StartTls, Detail::NotAccepting)?;
    let connector = anchors.shared_connector()?;
    wire.start_tls(&connector, &server.host, Stage::StartTls)?;
    let hello = ehlo(wire, Stage::StartTls)?;
    Ok(mechanisms(&hello))
}

fn ehlo(wire: &mut Wire, stage: Stage) -> Result<Reply, ProbeFailure> {
    let command = format!("EHLO {HELLO_NAME}");
    wire.send(&command, &command, stage)?;
    let reply = read_reply(wire, stage)?;
    expect(&reply, 250, stage, Detail::MalformedReply)?;
    Ok(reply)
}

/// `Ok` when the reply has `code`; otherwise the failure it means: a 4xx is temporary.
fn expect(reply: &Reply, code: u16, stage: Stage, detail: Detail) -> Result<(), ProbeFailure> {
    if reply.code == code {
        return Ok(());
    }
    let kind = if (400..500).contains(&reply.code) {
        FailureKind::Unavailable
    } else {
        FailureKind::Protocol
    };
    Err(ProbeFailure::new(stage, kind, detail).with_server_said(reply.said()))
}

/// Logs in on the connection `pre` opened ahead of time if any, or on a new one, all by
/// one deadline.
pub(crate) fn probe(
    server: &ServerAddress,
    username: &str,
    password: &AppPassword,
    anchors: &TrustAnchors,
    timeout: Duration,
    pre: Option<Pending<Ready>>,
) -> ProbeReport {
    anchors.prepare();
    let started = Instant::now();
    let deadline = Deadline::after(timeout);
    let mut transcript = Vec::new();
    let mut sent_auth = false;
    let ready = match pre.and_then(|pre| pre.take(started, deadline, &mut transcript)) {
        Some(result) => result,
        None => open(server, anchors, timeout, deadline, &mut transcript),
    };
    let outcome = ready.and_then(|mut ready| {
        ready.wire.set_deadline(deadline);
        ready.wire.mask_secret(username, password);
        let result = authenticate(&mut ready, username, password, &mut sent_auth);
        transcript.append(&mut ready.wire.transcript);
        if result.is_ok() {
            // The verdict is in: say goodbye without waiting for the answer.
            transcript.push(TranscriptLine::Client("QUIT".into()));
            ready.wire.close_with("QUIT");
        } else {
            ready.wire.close();
        }
        result.map(|()| username.to_string())
    });
    crate::mail::mask::Masker::for_secret(password).mask_transcript(&mut transcript);
    ProbeReport {
        protocol: Protocol::Smtp,
        server: server.clone(),
        usernames_tried: if sent_auth {
            vec![username.to_string()]
        } else {
            Vec::new()
        },
        outcome,
        transcript,
        folders: None,
    }
}

/// `AUTH` (PLAIN, else LOGIN) on an opened, encrypted connection; `sent_auth` tells whether
/// the credentials went out.
pub(crate) fn authenticate(
    ready: &mut Ready,
    username: &str,
    password: &AppPassword,
    sent_auth: &mut bool,
) -> Result<(), ProbeFailure> {
    let wire = &mut ready.wire;
    if !wire.is_encrypted() {
        return Err(ProbeFailure::new(
            Stage::StartTls,
            FailureKind::TlsFailure,
            Detail::StartTlsNotOffered,
        ));
    }
    let offered = |m: &str| ready.mechanisms.iter().any(|o| o == m);
    let reply = if offered("PLAIN") {
        // The SASL string and its base64 hold the password: both wiped when dropped.
        let sasl = Zeroizing::new(format!("\0{username}\0{}", password.expose()));
        let response = Zeroizing::new(base64(sasl.as_bytes()));
        *sent_auth = true;
        wire.send(
            &Zeroizing::new(format!("AUTH PLAIN {}", response.as_str())),
            // What went, the secret masked: the SASL string holds the username too, so
            // the mechanism is named and the whole response masked.
            &format!("AUTH PLAIN {MASK}"),
            Stage::Login,
        )?;
        read_reply(wire, Stage::Login)?
    } else if offered("LOGIN") {
        *sent_auth = true;
        wire.send("AUTH LOGIN", "AUTH LOGIN", Stage::Login)?;
        let mut reply = read_reply(wire, Stage::Login)?;
        for (value, shown) in [
            (
                Zeroizing::new(base64(username.as_bytes())),
                base64(username.as_bytes()),
            ),
            (
                Zeroizing::new(base64(password.expose().as_bytes())),
                MASK.to_string(),
            ),
        ] {
            if reply.code != 334 {
                break;
            }
            wire.send(&value, &shown, Stage::Login)?;
            reply = read_reply(wire, Stage::Login)?;
        }
        reply
    } else {
        return Err(ProbeFailure::new(
            Stage::Login,
            FailureKind::Protocol,
            Detail::NoUsableLoginMethod,
        ));
    };
    match reply.code {
        235 => Ok(()),
        400..=499 => {
            Err(
                ProbeFailure::new(Stage::Login, FailureKind::Unavailable, Detail::LoginRefused)
                    .with_server_said(reply.said()),
            )
        }
        530 | 534 | 535 => Err(ProbeFailure::new(
            Stage::Login,
            FailureKind::BadCredentials,
            Detail::LoginRefused,
        )
        .with_server_said(reply.said())),
        _ => Err(
            ProbeFailure::new(Stage::Login, FailureKind::Protocol, Detail::LoginRefused)
                .with_server_said(reply.said()),
        ),
    }
}

/// How much of the time limit is kept back from the greeting's wait for the check whether
/// the port speaks TLS from the first byte: enough for a TCP connect and a TLS hello on a
/// slow link, a small share of a short limit.
fn tls_check_reserve(timeout: Duration) -> Duration {
    (timeout / 4).min(Duration::from_secs(2))
}

/// No greeting came. Offers a TLS handshake on a new connection, bounded by `deadline`: a
/// server that answers it speaks TLS from the first byte (the wrong mode for this port); one
/// that does not is silent.
fn silent_or_tls_first(
    addresses: &[SocketAddr],
    server: &ServerAddress,
    anchors: &TrustAnchors,
    deadline: Deadline,
    transcript: &mut Vec<TranscriptLine>,
) -> ProbeFailure {
    let silent = ProbeFailure::new(Stage::Greeting, FailureKind::TimedOut, Detail::NoGreeting);
    let Ok(connector) = anchors.shared_connector() else {
        return silent;
    };
    if !answers_tls_hello(addresses, server, &connector, deadline) {
        return silent;
    }
    transcript.push(TranscriptLine::TlsFirstFound);
    ProbeFailure::new(Stage::Greeting, FailureKind::WrongTlsMode, Detail::TlsFirst)
}

/// Whether the server answers a TLS client hello with TLS: a completed handshake, or one
/// that failed on something only a TLS server sends (a certificate, an alert). Silence, a
/// hang-up or plain text are not TLS. The certificate is still verified; its verdict just
/// does not matter here, because no password is sent on this connection.
fn answers_tls_hello(
    addresses: &[SocketAddr],
    server: &ServerAddress,
    connector: &Connector,
    deadline: Deadline,
) -> bool {
    let Ok(tcp) = endpoint::connect(addresses, deadline) else {
        return false;
    };
    match connector.connect(&server.host, DeadlineStream::new(tcp, deadline)) {
        Ok(tls) => {
            tls.get_ref().close();
            true
        }
        Err(Handshake::WouldBlock) => false,
        Err(Handshake::Failed { words, certificate }) => {
            !deadline.passed()
                && !matches!(
                    classify_handshake(&words, certificate),
                    FailureKind::WrongTlsMode | FailureKind::Dropped | FailureKind::TimedOut
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(code: u16, lines: &[&str]) -> Reply {
        Reply {
            code,
            lines: lines.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_4xx_is_temporary_and_anything_else_unexpected() {
        let refused = expect(
            &reply(454, &["4.7.0 later"]),
            220,
            Stage::StartTls,
            Detail::NotAccepting,
        )
        .unwrap_err();
        assert_eq!(refused.kind, FailureKind::Unavailable);
        assert_eq!(refused.server_said.as_deref(), Some("454 4.7.0 later"));
        let odd = expect(
            &reply(554, &["no"]),
            220,
            Stage::Greeting,
            Detail::NotAccepting,
        )
        .unwrap_err();
        assert_eq!(odd.kind, FailureKind::Protocol);
    }
}
