//! The send test: a message sent to oneself and watched for, step by step.

use crate::display_safe::escape_controls;
use crate::mail::{FailureKind, ProbeFailure, Protocol};

use super::{failure_detail, fl, kind_summary, loader, protocol_role, timed_out_fix};

/// The body of the test message (its last line ends with a line break).
pub fn send_test_body(email: &str) -> String {
    let mut body = fl!(loader(), "send-test-body", email = email);
    body.push('\n');
    body
}

pub fn send_test_submitted(server_said: &str) -> String {
    fl!(
        loader(),
        "send-test-submitted",
        server_said = escape_controls(server_said)
    )
}

pub fn send_test_arrived(folder: crate::mail::send_test::Folder, after_secs: u64) -> String {
    let after_secs = after_secs.to_string();
    match folder {
        crate::mail::send_test::Folder::Inbox => {
            fl!(loader(), "send-test-arrived-inbox", after_secs = after_secs)
        }
        crate::mail::send_test::Folder::Junk => {
            fl!(loader(), "send-test-arrived-junk", after_secs = after_secs)
        }
    }
}

/// How the test message was removed: every copy proven ours, and nothing else.
pub fn send_test_removed(
    removed: crate::mail::send_test::Removed,
    folder: crate::mail::send_test::Folder,
) -> String {
    use crate::mail::send_test::Removal;
    let folder = folder.imap_name();
    let copies = i64::try_from(removed.copies).unwrap_or(i64::MAX);
    match (removed.how, removed.copies) {
        (Removal::Expunged, 1) => fl!(loader(), "send-test-expunged", folder = folder),
        (Removal::FlaggedDeleted, 1) => {
            fl!(loader(), "send-test-flagged-deleted", folder = folder)
        }
        (Removal::Expunged, _) => fl!(
            loader(),
            "send-test-expunged-copies",
            folder = folder,
            copies = copies
        ),
        (Removal::FlaggedDeleted, _) => fl!(
            loader(),
            "send-test-flagged-deleted-copies",
            folder = folder,
            copies = copies
        ),
        (Removal::NothingLeft, _) => fl!(loader(), "send-test-nothing-left", folder = folder),
    }
}

/// A message the server's search named that is not provably the test message: it was
/// left untouched, and why.
pub fn send_test_not_ours(not_ours: &crate::mail::send_test::NotOurs) -> String {
    use crate::mail::send_test::NotOursReason;
    let folder = not_ours.folder.imap_name();
    let uid = i64::from(not_ours.uid);
    match not_ours.reason {
        NotOursReason::ThereBefore => {
            fl!(
                loader(),
                "send-test-not-ours-there-before",
                folder = folder,
                uid = uid
            )
        }
        NotOursReason::UidsRenumbered => {
            fl!(
                loader(),
                "send-test-not-ours-renumbered",
                folder = folder,
                uid = uid
            )
        }
        NotOursReason::NoBaseline => {
            fl!(
                loader(),
                "send-test-not-ours-no-baseline",
                folder = folder,
                uid = uid
            )
        }
        NotOursReason::OtherMessageId => {
            fl!(
                loader(),
                "send-test-not-ours-other-message-id",
                folder = folder,
                uid = uid
            )
        }
    }
}

/// The step of the send test, as it fits in [`send_refused`] and [`send_step_failed`].
pub(super) fn send_step_name(step: crate::mail::send_test::SendStep) -> String {
    use crate::mail::send_test::SendStep;
    let l = loader();
    match step {
        SendStep::MailFrom => fl!(l, "send-step-mail-from"),
        SendStep::RcptTo => fl!(l, "send-step-rcpt-to"),
        SendStep::Data => fl!(l, "send-step-data"),
        SendStep::EndOfData => fl!(l, "send-step-end-of-data"),
        SendStep::Select => fl!(l, "send-step-select"),
        SendStep::Watch => fl!(l, "send-step-watch"),
        SendStep::Remove => fl!(l, "send-step-remove"),
    }
}

pub fn send_refused(
    email: &str,
    step: crate::mail::send_test::SendStep,
    server_said: &str,
) -> String {
    fl!(
        loader(),
        "send-refused",
        email = email,
        step = send_step_name(step),
        server_said = escape_controls(server_said)
    )
}

pub fn hint_send_refused(email: &str, alias: bool) -> String {
    if alias {
        fl!(loader(), "hint-send-refused-alias", email = email)
    } else {
        fl!(loader(), "hint-send-refused-own-address", email = email)
    }
}

pub fn send_step_failed(
    protocol: Protocol,
    step: crate::mail::send_test::SendStep,
    failure: &ProbeFailure,
) -> String {
    let step = send_step_name(step);
    let protocol = protocol.to_string();
    let summary = kind_summary(failure.kind);
    match &failure.server_said {
        Some(words) => fl!(
            loader(),
            "send-step-failed-server-said",
            step = step,
            protocol = protocol,
            summary = summary,
            words = escape_controls(words)
        ),
        None => fl!(
            loader(),
            "send-step-failed-detail",
            step = step,
            protocol = protocol,
            summary = summary,
            detail = failure_detail(&failure.detail)
        ),
    }
}

pub fn hint_send_step(kind: FailureKind) -> String {
    match kind {
        FailureKind::TimedOut => timed_out_fix(None),
        FailureKind::Dropped | FailureKind::Unavailable => {
            fl!(loader(), "hint-send-step-temporary")
        }
        _ => fl!(loader(), "hint-send-step-verbose"),
    }
}

// ---- send test details

/// The send test's own facts about a failed step (after "Details:" or in parentheses).
pub fn send_test_detail(detail: crate::mail::send_test::SendDetail) -> String {
    use crate::mail::send_test::SendDetail;
    match detail {
        SendDetail::CommandRefused => fl!(loader(), "send-detail-command-refused"),
        SendDetail::UnexpectedReply => fl!(loader(), "send-detail-unexpected-reply"),
        SendDetail::AddressUnusable => fl!(loader(), "send-detail-address-unusable"),
        SendDetail::SessionEnded => fl!(loader(), "send-detail-session-ended"),
    }
}

/// The progress line of a send-test phase that failed, with why: shown also where the
/// error itself is summed up (`check` of several accounts, or of one).
pub fn send_test_phase_failed_because(protocol: Protocol, why: &str) -> String {
    fl!(
        loader(),
        "send-test-phase-failed-because",
        role = protocol_role(protocol),
        why = why
    )
}
