//! The live test: what is tested, each result, a failure explained with its likely fix, the
//! failure's details and the `--verbose` transcript.

use std::fmt::Write as _;

use crate::display_safe::escape_controls;
use crate::mail::endpoint::ServerAddressProblem;
use crate::mail::tls::CaFileProblem;
use crate::mail::{
    AttemptOutcome, ConnectAttempt, Detail, FailureKind, ProbeFailure, ProbeReport, Protocol,
    Stage, TranscriptLine,
};

use super::{fl, loader, send_test_detail};

pub fn testing(protocol: Protocol, server: &crate::mail::ServerAddress) -> String {
    fl!(
        loader(),
        "testing",
        role = protocol_role(protocol),
        server = server.to_string()
    )
}

pub(super) fn protocol_role(protocol: Protocol) -> String {
    match protocol {
        Protocol::Imap => fl!(loader(), "role-imap"),
        Protocol::Smtp => fl!(loader(), "role-smtp"),
    }
}

pub fn probe_result(report: &ProbeReport) -> String {
    match &report.outcome {
        Ok(username) => fl!(
            loader(),
            "probe-signed-in",
            role = protocol_role(report.protocol),
            username = username.as_str()
        ),
        Err(failure) => fl!(
            loader(),
            "probe-failed",
            role = protocol_role(report.protocol),
            stage = stage_name(failure.stage),
            summary = kind_summary(failure.kind)
        ),
    }
}

pub(super) fn stage_name(stage: Stage) -> String {
    match stage {
        Stage::NameLookup => fl!(loader(), "stage-name-lookup"),
        Stage::Connect => fl!(loader(), "stage-connect"),
        Stage::Tls => fl!(loader(), "stage-tls"),
        Stage::Greeting => fl!(loader(), "stage-greeting"),
        Stage::StartTls => fl!(loader(), "stage-starttls"),
        Stage::Login => fl!(loader(), "stage-login"),
        Stage::MailFrom => fl!(loader(), "stage-mail-from"),
        Stage::RcptTo => fl!(loader(), "stage-rcpt-to"),
        Stage::Data => fl!(loader(), "stage-data"),
        Stage::EndOfData => fl!(loader(), "stage-end-of-data"),
        Stage::Capability => fl!(loader(), "stage-capability"),
        Stage::FolderStatus => fl!(loader(), "stage-folder-status"),
        Stage::Select => fl!(loader(), "stage-select"),
        Stage::Noop => fl!(loader(), "stage-noop"),
        Stage::Search => fl!(loader(), "stage-search"),
        Stage::Fetch => fl!(loader(), "stage-fetch"),
        Stage::Idle => fl!(loader(), "stage-idle"),
        Stage::Store => fl!(loader(), "stage-store"),
        Stage::Expunge => fl!(loader(), "stage-expunge"),
    }
}

pub(super) fn kind_summary(kind: FailureKind) -> String {
    match kind {
        FailureKind::Unresolvable => fl!(loader(), "kind-unresolvable"),
        FailureKind::Unreachable => fl!(loader(), "kind-unreachable"),
        FailureKind::TimedOut => fl!(loader(), "kind-timed-out"),
        FailureKind::Dropped => fl!(loader(), "kind-dropped"),
        FailureKind::Unavailable => fl!(loader(), "kind-unavailable"),
        FailureKind::WrongTlsMode => fl!(loader(), "kind-wrong-tls-mode"),
        FailureKind::CertificateWrongHost => fl!(loader(), "kind-certificate-wrong-host"),
        FailureKind::CertificateExpired => fl!(loader(), "kind-certificate-expired"),
        FailureKind::CertificateUntrusted => fl!(loader(), "kind-certificate-untrusted"),
        FailureKind::TlsFailure => fl!(loader(), "kind-tls-failure"),
        FailureKind::StartTlsMissing => fl!(loader(), "kind-starttls-missing"),
        FailureKind::Protocol => fl!(loader(), "kind-protocol"),
        FailureKind::BadCredentials => fl!(loader(), "kind-bad-credentials"),
    }
}

/// The full explanation of one failed probe: stage, the server's words, every username
/// tried, and the most likely fix.
pub fn explain_failure(report: &ProbeReport, timeout_secs: u64) -> String {
    let Err(failure) = &report.outcome else {
        return String::new();
    };
    let mut text = fl!(
        loader(),
        "explain-failure-heading",
        role = protocol_role(report.protocol),
        server = report.server.to_string(),
        stage = stage_name(failure.stage),
        summary = kind_summary(failure.kind)
    );
    text.push('\n');
    match &failure.server_said {
        Some(words) => {
            let _ = writeln!(
                text,
                "  {}",
                fl!(
                    loader(),
                    "explain-server-said",
                    words = escape_controls(words)
                )
            );
        }
        None => {
            let _ = writeln!(
                text,
                "  {}",
                fl!(
                    loader(),
                    "explain-details",
                    detail = failure_detail(&failure.detail)
                )
            );
        }
    }
    if !report.usernames_tried.is_empty() {
        let _ = writeln!(
            text,
            "  {}",
            fl!(
                loader(),
                "explain-usernames-tried",
                usernames = report.usernames_tried.join(", ")
            )
        );
    }
    let _ = write!(
        text,
        "  {}",
        fl!(
            loader(),
            "explain-what-to-do",
            fix = likely_fix(report, failure, Some(timeout_secs))
        )
    );
    text
}

/// `timeout_secs` is the `--timeout` in force, when known; the hint printed with the error
/// does not know it and must not claim a number.
pub(super) fn likely_fix(
    report: &ProbeReport,
    failure: &ProbeFailure,
    timeout_secs: Option<u64>,
) -> String {
    let host = report.server.host.as_str();
    let port = report.server.port.to_string();
    match failure.kind {
        FailureKind::Unresolvable => fl!(loader(), "fix-unresolvable", host = host),
        FailureKind::Unreachable => fl!(loader(), "fix-unreachable", port = port),
        FailureKind::TimedOut => timed_out_fix(timeout_secs),
        FailureKind::Dropped => fl!(loader(), "fix-dropped"),
        FailureKind::Unavailable => fl!(loader(), "fix-unavailable"),
        FailureKind::WrongTlsMode => match report.protocol {
            Protocol::Smtp => fl!(loader(), "fix-wrong-tls-mode-smtp", port = port),
            Protocol::Imap => fl!(loader(), "fix-wrong-tls-mode-imap", port = port),
        },
        FailureKind::CertificateWrongHost => {
            fl!(loader(), "fix-certificate-wrong-host", host = host)
        }
        FailureKind::CertificateExpired => fl!(loader(), "fix-certificate-expired"),
        FailureKind::CertificateUntrusted => fl!(loader(), "fix-certificate-untrusted"),
        FailureKind::TlsFailure if tls_version_refused(failure) => {
            fl!(loader(), "fix-tls-version", host = host)
        }
        FailureKind::TlsFailure => fl!(loader(), "fix-tls-failure"),
        FailureKind::StartTlsMissing => fl!(loader(), "fix-starttls-missing"),
        FailureKind::Protocol => fl!(loader(), "fix-protocol", server = report.server.to_string()),
        FailureKind::BadCredentials => fl!(loader(), "fix-bad-credentials"),
    }
}

/// Whether a TLS failure is the two sides agreeing on no protocol version (a server that
/// speaks only TLS 1.0 or 1.1, which this machine refuses): installing certificates does
/// not help there. Read from the TLS library's own words (OpenSSL's reason strings, the
/// alert name other libraries pass on).
fn tls_version_refused(failure: &ProbeFailure) -> bool {
    let Detail::Library(words) = &failure.detail else {
        return false;
    };
    let words = words.to_ascii_lowercase();
    [
        "alert protocol version",
        "unsupported protocol",
        "no protocols available",
        "version too low",
        "protocol_version",
        "protocol version",
    ]
    .iter()
    .any(|needle| words.contains(needle))
}

/// What to do about a server that did not answer in time.
pub(super) fn timed_out_fix(timeout_secs: Option<u64>) -> String {
    match timeout_secs {
        Some(secs) => fl!(
            loader(),
            "fix-timed-out-secs",
            secs = secs.to_string(),
            longer = (secs * 4).max(60).to_string()
        ),
        None => fl!(loader(), "fix-timed-out"),
    }
}

// ---- the live test's own words: details, transcript, addresses

/// Why `--imap-server` / `--smtp-server` is not a `HOST:PORT`.
pub fn server_address_problem(problem: &ServerAddressProblem) -> String {
    match problem {
        ServerAddressProblem::WithoutPort { input } => {
            fl!(loader(), "server-address-without-port", input = input)
        }
        ServerAddressProblem::BadPort { input } => {
            fl!(loader(), "server-address-bad-port", input = input)
        }
        ServerAddressProblem::WithoutHost { input } => {
            fl!(loader(), "server-address-without-host", input = input)
        }
    }
}

/// Why `--ca-file` cannot be used (the TLS library's or the system's own words, or ours).
pub fn ca_file_problem(problem: &CaFileProblem) -> String {
    match problem {
        CaFileProblem::Unreadable(detail) | CaFileProblem::BadCertificate(detail) => detail.clone(),
        CaFileProblem::NoCertificates => fl!(loader(), "ca-file-has-no-certificates"),
        CaFileProblem::NotAFile => fl!(loader(), "ca-file-not-a-file"),
        CaFileProblem::TooLarge { limit } => fl!(
            loader(),
            "ca-file-too-large",
            limit_kib = (limit / 1024).to_string()
        ),
    }
}

/// Our side's description of a failed probe (after "Details:").
pub fn failure_detail(detail: &Detail) -> String {
    let l = loader();
    match detail {
        Detail::Library(words) => escape_controls(words),
        Detail::NoAddresses => fl!(l, "detail-no-addresses"),
        Detail::LookupTimedOut => fl!(l, "detail-lookup-timed-out"),
        Detail::NoAnswerInTime => fl!(loader(), "no-answer-in-time-detail"),
        Detail::ServerClosed => fl!(l, "detail-server-closed"),
        Detail::NoGreeting => fl!(loader(), "no-greeting-detail"),
        Detail::TlsFirst => fl!(loader(), "tls-first-detail"),
        Detail::NotImapGreeting => fl!(l, "detail-not-imap-greeting"),
        Detail::NotAccepting => fl!(l, "detail-not-accepting"),
        Detail::LoginRefused => fl!(l, "detail-login-refused"),
        Detail::StartTlsNotOffered => fl!(l, "detail-starttls-not-offered"),
        Detail::NoUsableLoginMethod => fl!(l, "detail-no-usable-login-method"),
        Detail::DataBeforeTls => fl!(l, "detail-data-before-tls"),
        Detail::MalformedReply => fl!(l, "detail-malformed-reply"),
        Detail::LineTooLong { limit } => fl!(
            l,
            "detail-line-too-long",
            limit_kib = (limit / 1024).to_string()
        ),
        Detail::ResponseTooLong { limit } => fl!(
            l,
            "detail-response-too-long",
            limit_kib = (limit / 1024).to_string()
        ),
        Detail::ConnectFailed { attempts } => {
            let tried: Vec<String> = attempts.iter().map(attempt_summary).collect();
            if tried.is_empty() {
                fl!(l, "detail-no-address-tried")
            } else {
                fl!(l, "detail-addresses-tried", attempts = tried.join("; "))
            }
        }
        Detail::SendTest(detail) => send_test_detail(*detail),
    }
}

pub(super) fn attempt_summary(attempt: &ConnectAttempt) -> String {
    let l = loader();
    let address = attempt.address.to_string();
    match &attempt.outcome {
        AttemptOutcome::Connected => fl!(l, "attempt-connected", address = address),
        AttemptOutcome::Failed(words) => fl!(
            l,
            "attempt-failed",
            address = address,
            words = escape_controls(words)
        ),
        AttemptOutcome::Pending => fl!(l, "attempt-pending", address = address),
        AttemptOutcome::TimedOut => fl!(l, "attempt-timed-out", address = address),
        AttemptOutcome::Abandoned => fl!(l, "attempt-abandoned", address = address),
    }
}

/// One `--verbose` line: the protocol, then the line (server text escaped). The
/// conversation itself (`C:`, `S:`) is quoted as it was; the lines about it are worded.
pub fn transcript_line(protocol: Protocol, line: &TranscriptLine) -> String {
    let l = loader();
    let text = match line {
        TranscriptLine::Client(words) => format!("C: {}", escape_controls(words)),
        TranscriptLine::Server(words) => format!("S: {}", escape_controls(words)),
        TranscriptLine::Attempt(attempt) => {
            fl!(l, "transcript-attempt", attempt = attempt_summary(attempt))
        }
        TranscriptLine::TlsEstablished(host) => fl!(
            l,
            "transcript-tls-established",
            host = escape_controls(host)
        ),
        TranscriptLine::NoGreetingCheckingTls => fl!(loader(), "transcript-no-greeting"),
        TranscriptLine::TlsFirstFound => fl!(loader(), "transcript-tls-first"),
        TranscriptLine::StartTlsMissing => fl!(l, "transcript-starttls-missing"),
        TranscriptLine::UsingPreconnected => fl!(l, "transcript-using-preconnected"),
        TranscriptLine::PreconnectionRedone => fl!(l, "transcript-preconnection-redone"),
        TranscriptLine::FolderListGivenUp => fl!(l, "transcript-folder-list-given-up"),
    };
    format!("{protocol} {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_version_refusals_are_told_apart_from_other_tls_failures() {
        let failure = |words: &str| {
            ProbeFailure::new(
                Stage::Tls,
                FailureKind::TlsFailure,
                Detail::Library(words.into()),
            )
        };
        // The server refuses our versions (its alert), or we refuse its (our reason).
        for refused in [
            "error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version",
            "error:0A000102:SSL routines:tls_process_server_hello:unsupported protocol",
            "error:0A0000BF:SSL routines:tls_setup_handshake:no protocols available",
        ] {
            assert!(tls_version_refused(&failure(refused)), "{refused}");
        }
        assert!(!tls_version_refused(&failure(
            "error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error"
        )));
    }
}
