//! The SMTP live test on the submission port: greeting, `EHLO`, `STARTTLS` (required),
//! `EHLO` again, `AUTH` with the full address, `QUIT`. No mail is ever sent: a successful
//! `AUTH` is the proof, and whether iCloud would keep a sent copy of a test message is
//! disputed (ICLOUD.md).
//!
//! lettre's `SmtpConnection` does the protocol; this file decides the order of steps so
//! that each failure is attributed to its stage, and refuses to send `AUTH` unless the
//! connection is encrypted.
//!
//! A server that speaks TLS from the first byte (a port-465 style server given as the
//! submission port) sends no plain-text greeting: to a STARTTLS client it looks exactly like
//! a server that never speaks. So the greeting is awaited for the time limit minus a small
//! reserve, and when it does not come, a second connection offers a TLS handshake within
//! that reserve. A server that answers it is reported as the wrong TLS mode ("port 587
//! expects STARTTLS", 76); one that stays silent as a timeout (75). Both within `--timeout`.

use std::error::Error as _;
use std::net::SocketAddr;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use native_tls::{HandshakeError, TlsConnector};

use crate::domain::AppPassword;
use crate::mail::endpoint::{self, Deadline, DeadlineStream, ServerAddress};
use crate::mail::imap_probe::MASK;
use crate::mail::tls::{TrustAnchors, classify_tls_error};
use crate::mail::{FailureKind, ProbeFailure, ProbeReport, Protocol, Stage};

/// The name we introduce ourselves with in `EHLO`; servers accept any domain here for
/// authenticated submission, and a fixed one leaks nothing about the machine.
const HELLO_NAME: &str = "localhost";

pub fn probe(
    server: &ServerAddress,
    username: &str,
    password: &AppPassword,
    anchors: &TrustAnchors,
    timeout: Duration,
) -> ProbeReport {
    let mut transcript = Vec::new();
    let mut sent_auth = false;
    let outcome = converse(
        server,
        username,
        password,
        anchors,
        timeout,
        &mut transcript,
        &mut sent_auth,
    )
    .map(|()| username.to_string());
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
    }
}

fn converse(
    server: &ServerAddress,
    username: &str,
    password: &AppPassword,
    anchors: &TrustAnchors,
    timeout: Duration,
    transcript: &mut Vec<String>,
    sent_auth: &mut bool,
) -> Result<(), ProbeFailure> {
    // Built before the clock starts: loading the system's CAs takes a moment, which the
    // small reserve of the TLS-first check cannot spare.
    let tls = tls_parameters(server, anchors)?;
    let tls_check = anchors
        .connector()
        .map_err(|e| ProbeFailure::new(Stage::Tls, FailureKind::TlsFailure, e.to_string()))?;
    let deadline = Deadline::after(timeout);
    let addresses = endpoint::resolve(server, deadline)?;
    let hello = ClientId::Domain(HELLO_NAME.into());

    // The greeting's wait ends early enough to leave the reserve for the TLS check.
    let reserve = tls_check_reserve(timeout);
    let wait = remaining(deadline, Stage::Connect)?
        .checked_sub(reserve)
        .filter(|wait| !wait.is_zero())
        .unwrap_or(Duration::from_millis(1));
    let greeting_deadline = Deadline::after(wait);
    let mut connection =
        match SmtpConnection::connect(&addresses[..], Some(wait), &hello, None, None) {
            Ok(connection) => connection,
            Err(error) => {
                let failed = failure(Stage::Greeting, &error, greeting_deadline);
                if failed.stage == Stage::Greeting && failed.kind == FailureKind::TimedOut {
                    transcript.push(crate::messages::transcript_no_greeting());
                    return Err(silent_or_tls_first(
                        &addresses, server, &tls_check, deadline, transcript,
                    ));
                }
                return Err(failed);
            }
        };
    transcript.push(format!("C: EHLO {HELLO_NAME}"));
    transcript.push(format!("S: {}", connection.server_info()));

    if !connection.can_starttls() {
        // The password must not cross the network in the clear: stop before AUTH.
        transcript.push("STARTTLS is not offered; not sending the password".into());
        let _ = connection.quit();
        return Err(ProbeFailure::new(
            Stage::StartTls,
            FailureKind::StartTlsMissing,
            "the server did not offer STARTTLS",
        )
        .with_server_said(connection.server_info().to_string()));
    }

    set_timeout(&mut connection, deadline, Stage::StartTls)?;
    transcript.push("C: STARTTLS".into());
    connection
        .starttls(&tls, &hello)
        .map_err(|e| failure(Stage::StartTls, &e, deadline))?;
    if !connection.is_encrypted() {
        return Err(ProbeFailure::new(
            Stage::StartTls,
            FailureKind::TlsFailure,
            "STARTTLS did not encrypt the connection",
        ));
    }
    transcript.push(format!("TLS established with {}", server.host));
    transcript.push(format!("C: EHLO {HELLO_NAME}"));
    transcript.push(format!("S: {}", connection.server_info()));

    set_timeout(&mut connection, deadline, Stage::Login)?;
    let credentials = Credentials::new(username.to_string(), password.expose().to_string());
    transcript.push(format!("C: AUTH {username} {MASK}"));
    *sent_auth = true;
    let response = connection
        .auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
        .map_err(|e| failure(Stage::Login, &e, deadline))?;
    transcript.push(format!(
        "S: {} {}",
        response.code(),
        response.message().collect::<Vec<_>>().join(" ")
    ));
    transcript.push("C: QUIT".into());
    let _ = connection.quit();
    Ok(())
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

fn remaining(deadline: Deadline, stage: Stage) -> Result<Duration, ProbeFailure> {
    deadline
        .remaining()
        .map_err(|e| ProbeFailure::new(stage, FailureKind::TimedOut, e.to_string()))
}

fn set_timeout(
    connection: &mut SmtpConnection,
    deadline: Deadline,
    stage: Stage,
) -> Result<(), ProbeFailure> {
    let wait = remaining(deadline, stage)?;
    connection
        .set_timeout(Some(wait))
        .map_err(|e| endpoint::conversation_failure(stage, &e))
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
    connector: &TlsConnector,
    deadline: Deadline,
    transcript: &mut Vec<String>,
) -> ProbeFailure {
    let silent = ProbeFailure::new(
        Stage::Greeting,
        FailureKind::TimedOut,
        crate::messages::no_greeting_detail(),
    );
    if !answers_tls_hello(addresses, server, connector, deadline) {
        return silent;
    }
    transcript.push(crate::messages::transcript_tls_first());
    ProbeFailure::new(
        Stage::Greeting,
        FailureKind::WrongTlsMode,
        crate::messages::tls_first_detail(),
    )
}

/// Whether the server answers a TLS client hello with TLS: a completed handshake, or one
/// that failed on something only a TLS server sends (a certificate, an alert). Silence, a
/// hang-up or plain text are not TLS. The certificate is still verified; its verdict just
/// does not matter here, because no password is sent on this connection.
fn answers_tls_hello(
    addresses: &[SocketAddr],
    server: &ServerAddress,
    connector: &TlsConnector,
    deadline: Deadline,
) -> bool {
    let Ok(tcp) = endpoint::connect(addresses, deadline) else {
        return false;
    };
    match connector.connect(&server.host, DeadlineStream::new(tcp, deadline)) {
        Ok(mut tls) => {
            let _ = tls.shutdown();
            true
        }
        Err(HandshakeError::WouldBlock(_)) => false,
        Err(HandshakeError::Failure(error)) => {
            deadline.remaining().is_ok()
                && !matches!(
                    classify_tls_error(&error.to_string()),
                    FailureKind::WrongTlsMode | FailureKind::Dropped | FailureKind::TimedOut
                )
        }
    }
}

/// Attributes a lettre error to a stage and a kind. lettre does not expose its error
/// kind, but its `Display` names it ("Connection error", "network error", "tls error").
///
/// lettre reports a failed TLS handshake after `STARTTLS` as a "Connection error" too,
/// so at the STARTTLS stage that wording means the handshake failed (a certificate for
/// another host, expired, from an unknown CA), not that the server could not be reached.
fn failure(
    stage: Stage,
    error: &lettre::transport::smtp::Error,
    deadline: Deadline,
) -> ProbeFailure {
    let detail = error
        .source()
        .map_or_else(|| error.to_string(), ToString::to_string);
    let text = error.to_string();
    if let Some(code) = error.status() {
        let kind = if error.is_transient() {
            FailureKind::Unavailable
        } else if stage == Stage::Login
            && matches!(code.to_string().as_str(), "535" | "534" | "530")
        {
            FailureKind::BadCredentials
        } else {
            FailureKind::Protocol
        };
        return ProbeFailure::new(stage, kind, text.clone())
            .with_server_said(format!("{code} {detail}"));
    }
    let connection_error = text.starts_with("Connection error");
    let handshake_error = error.is_tls() || (connection_error && stage == Stage::StartTls);
    if error.is_timeout()
        || deadline.remaining().is_err()
        || detail.contains("handshake process was interrupted")
    {
        let stage = if connection_error && stage != Stage::StartTls {
            Stage::Connect
        } else {
            stage
        };
        // The library's words for a timeout ("Resource temporarily unavailable") mislead.
        return ProbeFailure::new(
            stage,
            FailureKind::TimedOut,
            crate::messages::no_answer_in_time_detail(),
        );
    }
    if handshake_error {
        return ProbeFailure::new(stage, classify_tls_error(&detail), detail);
    }
    if connection_error {
        return ProbeFailure::new(Stage::Connect, FailureKind::Unreachable, detail);
    }
    if text.starts_with("network error") || text.contains("incomplete response") {
        return ProbeFailure::new(stage, FailureKind::Dropped, detail);
    }
    ProbeFailure::new(stage, FailureKind::Protocol, detail)
}
