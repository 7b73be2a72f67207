//! Running the send test (`--send-test`, or "yes" to the offer at the end of an interactive
//! setup or rotation) for an account whose password has just passed the live test: sign in
//! to IMAP and select the INBOX, submit one message to oneself, watch for it, remove it —
//! each phase behind its own progress line, with the conversation shown under `--verbose`.
//!
//! It saves nothing: callers run it before they save (setup, rotate) or record the
//! verification (check), so on any failure the keyring and the config stay as they were.

use std::time::{Instant, SystemTime};

use crate::commands::context::Context;
use crate::commands::live_test;
use crate::domain::AppPassword;
use crate::error::Error;
use crate::mail::send_test::{self, MessageWords, NotOurs, SendFailure, Submission, TestMessage};
use crate::mail::{Protocol, TranscriptLine};
use crate::messages;
use crate::plan::AccountPlan;
use crate::prompt::Progress;

/// The account to prove sending for, with what the live test established.
pub(crate) struct SendTarget<'a> {
    pub(crate) plan: &'a AccountPlan,
    /// The IMAP username that signed in.
    pub(crate) imap_username: &'a str,
    pub(crate) password: &'a AppPassword,
}

/// Runs the send test, waiting at most `wait` for the message.
pub(crate) fn run(
    ctx: &mut Context<'_>,
    target: &SendTarget<'_>,
    wait: std::time::Duration,
) -> Result<(), Error> {
    let mut transcripts: Vec<(Protocol, Vec<TranscriptLine>)> = Vec::new();
    let result = run_phases(ctx, target, wait, &mut transcripts);
    if ctx.options.verbose {
        for (protocol, lines) in &transcripts {
            for line in lines {
                ctx.prompter
                    .say(&messages::transcript_line(*protocol, line));
            }
        }
    }
    result
}

fn run_phases(
    ctx: &mut Context<'_>,
    target: &SendTarget<'_>,
    wait: std::time::Duration,
    transcripts: &mut Vec<(Protocol, Vec<TranscriptLine>)>,
) -> Result<(), Error> {
    let plan = target.plan;
    let email = plan.email.as_str();
    ctx.prompter.say(&messages::t!(
        "send-test-intro",
        email = email,
        wait_secs = wait.as_secs().to_string()
    ));

    // Watching starts before sending, so a fast delivery cannot be missed and a failed
    // sign-in sends nothing.
    let progress = ctx.prompter.progress(&messages::t!(
        "send-test-signing-in",
        server = plan.servers.imap.to_string()
    ));
    let mut watcher =
        match ctx
            .mail
            .open_watcher(&plan.servers.imap, target.imap_username, target.password)
        {
            Ok(watcher) => {
                progress.finish(
                    true,
                    &messages::t!("send-test-watching", username = target.imap_username),
                );
                watcher
            }
            Err(failure) => return Err(fail(ctx, progress, Protocol::Imap, failure, plan)),
        };

    let subject = messages::t!("send-test-subject");
    let body = messages::send_test_body(email);
    let message = TestMessage::build(
        &plan.email,
        plan.name.as_deref(),
        MessageWords {
            subject: &subject,
            body: &body,
        },
        SystemTime::now(),
        &send_test::unique_token(),
    );
    let progress = ctx.prompter.progress(&messages::t!(
        "send-test-submitting",
        server = plan.servers.smtp.to_string()
    ));
    let submitted_at = Instant::now();
    let report = ctx.mail.submit(&Submission {
        server: &plan.servers.smtp,
        username: &plan.smtp_username,
        password: target.password,
        address: email,
        message: &message,
    });
    transcripts.push((Protocol::Smtp, report.transcript));
    // From here until it is removed the message is on its way: a cancel says so.
    let _on_its_way = report.outcome.is_ok().then(|| {
        OnItsWay::new(&messages::t!(
            "send-test-may-still-arrive",
            email = email,
            subject = &subject
        ))
    });
    match report.outcome {
        Ok(server_said) => progress.finish(true, &messages::send_test_submitted(&server_said)),
        Err(failure) => {
            transcripts.push((Protocol::Imap, watcher.logout()));
            return Err(fail(ctx, progress, Protocol::Smtp, failure, plan));
        }
    }

    let progress = ctx.prompter.progress(&messages::t!(
        "send-test-waiting",
        wait_secs = wait.as_secs().to_string()
    ));
    let arrived = watcher.wait_for(message.message_id(), submitted_at, wait);
    let arrival = match arrived {
        Ok(arrival) => {
            progress.finish(
                true,
                &messages::send_test_arrived(arrival.folder, arrival.after.as_secs()),
            );
            arrival
        }
        Err(failure) => {
            transcripts.push((Protocol::Imap, watcher.logout()));
            return Err(fail(ctx, progress, Protocol::Imap, failure, plan));
        }
    };
    report_not_ours(ctx, &watcher.not_ours());
    let removed = watcher.remove(&arrival, message.message_id());
    transcripts.push((Protocol::Imap, watcher.logout()));
    let removed = removed.map_err(|failure| {
        let error = to_error(ctx, failure, plan);
        ctx.prompter.say(&messages::send_test_phase_failed_because(
            Protocol::Imap,
            &error.to_string(),
        ));
        error
    })?;
    ctx.prompter
        .say(&messages::send_test_removed(removed, arrival.folder));
    // One verdict: in Junk, "sending works, but …" says both that it works and the catch.
    ctx.prompter
        .say(&if arrival.folder == send_test::Folder::Junk {
            messages::t!("send-test-in-junk", email = email)
        } else {
            messages::t!("send-test-passed", email = email)
        });
    Ok(())
}

/// How long to wait when a send test is to run: asked for with `--send-test`, or — at the
/// end of an interactive run (`may_offer`) — offered, "no" being the default.
pub(crate) fn requested_or_offered(
    ctx: &mut Context<'_>,
    requested: Option<std::time::Duration>,
    may_offer: bool,
) -> Result<Option<std::time::Duration>, Error> {
    if requested.is_some() || !may_offer || !ctx.prompter.can_prompt() {
        return Ok(requested);
    }
    let options = [
        messages::t!("option-skip-send-test"),
        messages::t!("option-send-test"),
    ];
    let choice = ctx
        .prompter
        .choose(&messages::t!("ask-send-test"), &options, 0)?;
    Ok((choice == 1).then(|| std::time::Duration::from_secs(crate::cli::DEFAULT_SEND_TEST_WAIT)))
}

/// What the server's search named that is not provably the test message: each said, none
/// touched.
fn report_not_ours(ctx: &mut Context<'_>, not_ours: &[NotOurs]) {
    for entry in not_ours {
        ctx.prompter.say(&messages::send_test_not_ours(entry));
    }
}

/// While alive, a cancelled run says that the test message was sent and may still arrive.
struct OnItsWay;

impl OnItsWay {
    fn new(note: &str) -> OnItsWay {
        crate::interrupt::set_note(Some(note.to_string()));
        OnItsWay
    }
}

impl Drop for OnItsWay {
    fn drop(&mut self) {
        crate::interrupt::set_note(None);
    }
}

fn fail(
    ctx: &mut Context<'_>,
    progress: Box<dyn Progress>,
    protocol: Protocol,
    failure: SendFailure,
    plan: &AccountPlan,
) -> Error {
    // What the search named besides, after the progress line that says it did not arrive.
    let not_ours = match &failure {
        SendFailure::NotArrived { not_ours, .. } => not_ours.clone(),
        _ => Vec::new(),
    };
    if let SendFailure::Connection(report) = &failure {
        progress.finish(false, &messages::probe_result(report));
        return to_error(ctx, failure, plan);
    }
    // The stage and the server's words on the progress line itself: a caller may sum the
    // error up (`check` says which accounts failed) rather than show its text.
    let error = to_error(ctx, failure, plan);
    progress.finish(
        false,
        &messages::send_test_phase_failed_because(protocol, &error.to_string()),
    );
    report_not_ours(ctx, &not_ours);
    error
}

/// Connection, TLS and sign-in failures are explained as the live test explains them; the
/// rest become the send test's own errors.
fn to_error(ctx: &mut Context<'_>, failure: SendFailure, plan: &AccountPlan) -> Error {
    let email = plan.email.as_str().to_string();
    match failure {
        SendFailure::Connection(report) => {
            let reports = vec![*report];
            live_test::explain(ctx, &reports);
            Error::LiveTestFailed { reports }
        }
        SendFailure::SenderRefused { step, server_said } => Error::SendRefused {
            alias: plan.email != plan.login || !plan.email.is_icloud(),
            email,
            step,
            server_said,
        },
        SendFailure::Step {
            protocol,
            step,
            failure,
        } => Error::SendStepFailed {
            protocol,
            step,
            failure,
        },
        SendFailure::NotArrived { waited, .. } => Error::SendNotArrived {
            email,
            waited_secs: waited.as_secs(),
        },
    }
}
