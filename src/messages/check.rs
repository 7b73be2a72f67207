//! `check`: its summary, the quiet check's one line, notifications and the password's age.

use crate::mail::ProbeReport;
use crate::secrets::StoreKind;

use super::{command_word, fl, kind_summary, loader, shown};

/// `check`'s one line per account at the end.
pub fn check_summary_line(saved: &str, outcome: &CheckLine) -> String {
    let email = shown(saved);
    match outcome {
        CheckLine::Passed => fl!(loader(), "check-summary-passed", email = email),
        CheckLine::SecretMissing => {
            fl!(
                loader(),
                "check-summary-secret-missing",
                email = command_word(saved)
            )
        }
        CheckLine::Failed(problem) => fl!(
            loader(),
            "check-summary-failed",
            email = email,
            problem = problem.as_str()
        ),
    }
}

/// One account's result in `check`'s summary.
pub enum CheckLine {
    Passed,
    SecretMissing,
    /// Already worded.
    Failed(String),
}

/// The live test of `check` failed for some accounts (nothing is saved by `check`, so the
/// message does not say so).
pub fn check_failed(failed: &[String], total: usize) -> String {
    fl!(
        loader(),
        "check-failed",
        failed_count = failed.len(),
        total = total,
        failed = failed
            .iter()
            .map(|e| shown(e))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The live test of one account failed, in `check`'s words.
pub fn check_live_test_failed(reports: &[ProbeReport]) -> String {
    let failed: Vec<String> = reports
        .iter()
        .filter_map(|r| {
            r.failure().map(|f| {
                fl!(
                    loader(),
                    "live-test-failed-item",
                    protocol = r.protocol.to_string(),
                    summary = kind_summary(f.kind)
                )
            })
        })
        .collect();
    fl!(
        loader(),
        "check-live-test-failed",
        failed = failed.join(", ")
    )
}

// ---- the password's age, the quiet check, notifications and the watch

/// `status`: when the saved password was stored, and how many days ago.
pub fn password_saved_line(saved_at: &str, days: Option<u64>) -> String {
    let date = shown(crate::config::model::calendar_day(saved_at));
    match days {
        Some(days) => fl!(loader(), "status-password-saved", date = date, days = days),
        None => fl!(loader(), "status-password-saved-at", date = date),
    }
}

/// After a rotation: when the old password (the one to revoke) was saved.
pub fn old_password_saved(date: &str, days: Option<u64>) -> String {
    let date = shown(date);
    match days {
        Some(days) => fl!(
            loader(),
            "rotated-old-password-saved",
            date = date,
            days = days
        ),
        None => fl!(loader(), "rotated-old-password-saved-at", date = date),
    }
}

/// What `check --quiet` says about one failing account: what happened, in a few words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuietFailure {
    /// 77: iCloud refused the saved password.
    PasswordRefused,
    /// 77 with `--send-test`: the sending address was refused.
    SenderRefused,
    /// The account's entry is gone from its store.
    PasswordMissing(StoreKind),
    /// 78: the store could not be used; its problem, worded.
    StoreUnusable(String),
    /// 75: a time-out or a busy server; the next run tries again.
    Temporary,
    /// 69: no connection (offline, name lookup failed).
    Unreachable,
    /// Anything else (TLS, the config), worded.
    Other(String),
}

/// `check --quiet`: one or two lines on standard error for a failing account.
pub fn quiet_failure(email: &str, failure: &QuietFailure) -> String {
    let email = shown(email);
    match failure {
        QuietFailure::PasswordRefused => fl!(loader(), "quiet-password-refused", email = email),
        QuietFailure::SenderRefused => fl!(loader(), "quiet-sender-refused", email = email),
        QuietFailure::PasswordMissing(store) => fl!(
            loader(),
            "quiet-password-missing",
            email = email,
            store = store_kind_name(*store)
        ),
        QuietFailure::StoreUnusable(problem) => fl!(
            loader(),
            "quiet-store-unusable",
            email = email,
            problem = shown(problem)
        ),
        QuietFailure::Temporary => fl!(loader(), "quiet-temporary", email = email),
        QuietFailure::Unreachable => fl!(loader(), "quiet-unreachable", email = email),
        QuietFailure::Other(problem) => fl!(
            loader(),
            "quiet-other",
            email = email,
            problem = shown(problem)
        ),
    }
}

pub(super) fn store_kind_name(kind: StoreKind) -> String {
    match kind {
        StoreKind::Keyring => fl!(loader(), "quiet-store-keyring"),
        StoreKind::Pass => fl!(loader(), "quiet-store-pass"),
    }
}

/// The desktop notification for a failure the person must act on: its summary and body
/// (plain text; the notification code escapes it for servers that read markup).
pub fn notification(email: &str, failure: &QuietFailure) -> (String, String) {
    let email = shown(email);
    match failure {
        QuietFailure::PasswordRefused | QuietFailure::SenderRefused => (
            fl!(loader(), "notify-refused-summary"),
            fl!(loader(), "notify-refused-body", email = email),
        ),
        _ => (
            fl!(loader(), "notify-store-summary"),
            fl!(loader(), "notify-store-body", email = email),
        ),
    }
}

/// The notification could not be shown; said on standard error only.
pub fn notification_not_shown(problem: &crate::notify::NotifyProblem) -> String {
    use crate::notify::NotifyProblem;
    match problem {
        NotifyProblem::Unsupported => fl!(loader(), "notify-unsupported"),
        NotifyProblem::TimedOut => fl!(loader(), "notify-timed-out"),
        NotifyProblem::Failed(detail) => {
            fl!(loader(), "notify-failed", problem = shown(detail))
        }
    }
}
