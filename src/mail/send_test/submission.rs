//! SMTP submission of the test message on the live test's own connection code:
//! `smtp_probe::open` (name lookup, Happy Eyeballs, greeting, `EHLO`, `STARTTLS` required,
//! `EHLO`) and `smtp_probe::authenticate`, then `MAIL FROM`, `RCPT TO`, `DATA` and the
//! dot-stuffed message, each attributed to its step, so a sender refused at the end of DATA
//! is told apart from a refused login. Replies are read by the one SMTP reader.

use std::time::Duration;

use crate::domain::AppPassword;
use crate::mail::endpoint::{Deadline, ServerAddress};
use crate::mail::send_test::{
    SendDetail, SendFailure, SendStep, SubmitReport, TestMessage, connection_failure,
};
use crate::mail::smtp_probe;
use crate::mail::smtp_reader::{Reply, read_reply};
use crate::mail::tls::TrustAnchors;
use crate::mail::wire::Wire;
use crate::mail::{FailureKind, ProbeFailure, Protocol, Stage, TranscriptLine};

/// What to submit, and as whom.
pub struct Submission<'a> {
    pub server: &'a ServerAddress,
    pub username: &'a str,
    pub password: &'a AppPassword,
    /// The envelope sender and recipient: the account's sending address.
    pub address: &'a str,
    pub message: &'a TestMessage,
}

/// Submits the message: everything up to and with `AUTH` as the live test does it, by one
/// `--timeout`; then `MAIL FROM`, `RCPT TO`, `DATA` and the message, each by its own.
pub fn submit(
    submission: &Submission<'_>,
    anchors: &TrustAnchors,
    timeout: Duration,
) -> SubmitReport {
    anchors.prepare();
    let server = submission.server;
    let username = submission.username;
    let deadline = Deadline::after(timeout);
    let mut transcript = Vec::new();
    let mut ready = match smtp_probe::open(server, anchors, timeout, deadline, &mut transcript) {
        Ok(ready) => ready,
        Err(failure) => {
            crate::mail::mask::Masker::for_secret(submission.password)
                .mask_transcript(&mut transcript);
            let report = transcript.clone();
            return SubmitReport {
                outcome: Err(connection_failure(
                    Protocol::Smtp,
                    server,
                    (username, submission.password),
                    false,
                    failure,
                    report,
                )),
                transcript,
            };
        }
    };
    ready.wire_mut().set_deadline(deadline);
    ready.wire_mut().mask_secret(username, submission.password);
    let mut sent_auth = false;
    let signed_in =
        smtp_probe::authenticate(&mut ready, username, submission.password, &mut sent_auth);
    transcript.append(&mut ready.wire_mut().transcript);
    // The greeting came before the secret was known: see `Masker::mask_report`.
    crate::mail::mask::Masker::for_secret(submission.password).mask_transcript(&mut transcript);
    if let Err(failure) = signed_in {
        ready.close();
        let report = transcript.clone();
        return SubmitReport {
            outcome: Err(connection_failure(
                Protocol::Smtp,
                server,
                (username, submission.password),
                sent_auth,
                failure,
                report,
            )),
            transcript,
        };
    }
    let outcome = send_message(ready.wire_mut(), submission, timeout);
    transcript.append(&mut ready.wire_mut().transcript);
    match &outcome {
        Ok(_) | Err(SendFailure::SenderRefused { .. }) => {
            // The verdict is in: say goodbye without waiting for the answer.
            transcript.push(TranscriptLine::Client("QUIT".into()));
            ready.close_with("QUIT");
        }
        Err(_) => ready.close(),
    }
    SubmitReport {
        outcome,
        transcript,
    }
}

/// The envelope, `DATA` and the message on a signed-in connection. Each step gets
/// `timeout`; the reply to the end of DATA is returned as the server said it.
fn send_message(
    wire: &mut Wire,
    submission: &Submission<'_>,
    timeout: Duration,
) -> Result<String, SendFailure> {
    let smtp_step = |step: SendStep| {
        move |failure: ProbeFailure| SendFailure::Step {
            protocol: Protocol::Smtp,
            step,
            failure,
        }
    };
    let address = envelope_address(submission.address).ok_or_else(|| {
        smtp_step(SendStep::MailFrom)(ProbeFailure::new(
            Stage::MailFrom,
            FailureKind::Protocol,
            SendDetail::AddressUnusable,
        ))
    })?;
    let commands: [(SendStep, Stage, String, &[u16]); 3] = [
        (
            SendStep::MailFrom,
            Stage::MailFrom,
            format!("MAIL FROM:<{address}>"),
            &[250],
        ),
        (
            SendStep::RcptTo,
            Stage::RcptTo,
            format!("RCPT TO:<{address}>"),
            &[250, 251],
        ),
        (SendStep::Data, Stage::Data, "DATA".to_string(), &[354]),
    ];
    for (step, stage, command, accepted) in commands {
        wire.set_deadline(Deadline::after(timeout));
        wire.send(&command, &command, stage)
            .map_err(smtp_step(step))?;
        let reply = read_reply(wire, stage).map_err(smtp_step(step))?;
        judge(step, stage, &reply, accepted)?;
    }
    let (step, stage) = (SendStep::EndOfData, Stage::EndOfData);
    wire.set_deadline(Deadline::after(timeout));
    wire.send_text(&dot_stuffed(submission.message.text()), stage)
        .map_err(smtp_step(step))?;
    let reply = read_reply(wire, stage).map_err(smtp_step(step))?;
    judge(step, stage, &reply, &[250])?;
    Ok(reply.said())
}

/// The address as it may stand between `<` and `>` in `MAIL FROM` and `RCPT TO`.
fn envelope_address(address: &str) -> Option<&str> {
    let usable = address.contains('@')
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'));
    usable.then_some(address)
}

/// `Ok` for an accepted reply; a permanent refusal (5xx) is the sender refused at this
/// step, a 4xx temporary, anything else not what the protocol allows.
fn judge(step: SendStep, stage: Stage, reply: &Reply, accepted: &[u16]) -> Result<(), SendFailure> {
    if accepted.contains(&reply.code) {
        return Ok(());
    }
    if (500..600).contains(&reply.code) {
        return Err(SendFailure::SenderRefused {
            step,
            server_said: reply.said(),
        });
    }
    let kind = if (400..500).contains(&reply.code) {
        FailureKind::Unavailable
    } else {
        FailureKind::Protocol
    };
    Err(SendFailure::Step {
        protocol: Protocol::Smtp,
        step,
        failure: ProbeFailure::new(stage, kind, SendDetail::UnexpectedReply)
            .with_server_said(reply.said()),
    })
}

/// The message as it goes after `DATA` (RFC 5321 4.5.2): every line that starts with a
/// dot gets one more, every line ends in CRLF, and a line with a lone dot ends it.
pub(crate) fn dot_stuffed(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str(".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_starting_with_a_dot_are_stuffed_and_a_lone_dot_ends_the_message() {
        assert_eq!(
            dot_stuffed("Subject: x\r\n\r\n.\r\n..two\r\nend.\r\n"),
            "Subject: x\r\n\r\n..\r\n...two\r\nend.\r\n.\r\n"
        );
        // A last line without its line end gets one before the final dot.
        assert_eq!(dot_stuffed("a\r\n.b"), "a\r\n..b\r\n.\r\n");
        // A bare LF becomes CRLF: no line may end otherwise on the wire.
        assert_eq!(dot_stuffed(".a\n"), "..a\r\n.\r\n");
    }

    #[test]
    fn the_envelope_takes_only_a_plain_address() {
        assert_eq!(envelope_address("a@icloud.com"), Some("a@icloud.com"));
        for bad in ["a@b.c>\r\nRCPT TO:<x@y", "a b@c.d", "no-at-sign", "<a@b.c>"] {
            assert_eq!(envelope_address(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_5xx_refuses_the_sender_at_its_step_and_a_4xx_is_temporary() {
        let reply = |code, text: &str| Reply {
            code,
            lines: vec![text.to_string()],
        };
        let Err(SendFailure::SenderRefused { step, server_said }) = judge(
            SendStep::EndOfData,
            Stage::EndOfData,
            &reply(554, "5.7.1 [CS01] Message rejected"),
            &[250],
        ) else {
            panic!("a 554 refuses the sender");
        };
        assert_eq!(step, SendStep::EndOfData);
        assert_eq!(server_said, "554 5.7.1 [CS01] Message rejected");
        let Err(SendFailure::Step { failure, .. }) = judge(
            SendStep::RcptTo,
            Stage::RcptTo,
            &reply(451, "4.3.0 later"),
            &[250, 251],
        ) else {
            panic!("a 451 is a failed step");
        };
        assert_eq!(failure.kind, FailureKind::Unavailable);
        // The failure names the protocol step it was in, not the login before it.
        assert_eq!(failure.stage, Stage::RcptTo);
        assert!(judge(SendStep::Data, Stage::Data, &reply(354, "go ahead"), &[354]).is_ok());
    }
}
