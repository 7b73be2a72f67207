//! The SMTP live test on the submission port: greeting, `EHLO`, `STARTTLS` (required),
//! `EHLO` again, `AUTH` with the full address, `QUIT`. No mail is ever sent: a successful
//! `AUTH` is the proof, and whether iCloud would keep a sent copy of a test message is
//! disputed (ICLOUD.md).
//!
//! lettre's `SmtpConnection` does the protocol; this file decides the order of steps so
//! that each failure is attributed to its stage, and refuses to send `AUTH` unless the
//! connection is encrypted.

use std::error::Error as _;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use crate::domain::AppPassword;
use crate::mail::endpoint::{self, Deadline, ServerAddress};
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
    let deadline = Deadline::after(timeout);
    let tls = tls_parameters(server, anchors)?;
    let addresses = endpoint::resolve(server, deadline)?;
    let hello = ClientId::Domain(HELLO_NAME.into());

    let wait = remaining(deadline, Stage::Connect)?;
    let mut connection = SmtpConnection::connect(&addresses[..], Some(wait), &hello, None, None)
        .map_err(|e| failure(Stage::Greeting, &e, deadline))?;
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

/// Attributes a lettre error to a stage and a kind. lettre does not expose its error
/// kind, but its `Display` names it ("Connection error", "network error", "tls error").
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
    if error.is_timeout() || deadline.remaining().is_err() {
        let stage = if text.starts_with("Connection error") {
            Stage::Connect
        } else {
            stage
        };
        return ProbeFailure::new(stage, FailureKind::TimedOut, detail);
    }
    if text.starts_with("Connection error") {
        return ProbeFailure::new(Stage::Connect, FailureKind::Unreachable, detail);
    }
    if error.is_tls() {
        return ProbeFailure::new(Stage::Tls, classify_tls_error(&text), detail);
    }
    if text.starts_with("network error") || text.contains("incomplete response") {
        return ProbeFailure::new(stage, FailureKind::Dropped, detail);
    }
    ProbeFailure::new(stage, FailureKind::Protocol, detail)
}
