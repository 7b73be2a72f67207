//! Errors and their hints, as `crate::error::Error` words them, and the config file's problems.

use std::path::Path;

use crate::mail::ProbeReport;
use crate::mail::tls::CaFileProblem;
use crate::secrets::StoreProblem;

use super::{fl, hint_pass, kind_summary, likely_fix, loader, pass_problem, shown, unknown_store};

pub fn needs_terminal(missing_flags: &[&str]) -> String {
    fl!(
        loader(),
        "needs-terminal",
        flags = missing_flags.join(", "),
        count = missing_flags.len()
    )
}

pub fn hint_needs_terminal(missing_flags: &[&str]) -> String {
    if missing_flags == ["--yes"] {
        return fl!(loader(), "hint-needs-terminal-yes");
    }
    fl!(loader(), "hint-needs-terminal")
}

pub fn ambiguous_account(saved: &[String]) -> String {
    fl!(
        loader(),
        "ambiguous-account",
        saved = shown(&saved.join(", "))
    )
}

/// The hint for several saved accounts: the command that was run, with the first saved
/// address as the example.
pub fn hint_name_an_account(command: &str, saved: &[String]) -> String {
    let example = saved.first().map_or("you@icloud.com", String::as_str);
    fl!(
        loader(),
        "hint-name-an-account",
        command = shown(command),
        email = shown(example)
    )
}

/// What to do about an unusable `--ca-file`: for a file that is not a regular file or is
/// too large, where to point the option; otherwise what it must hold.
pub fn hint_ca_file(problem: &CaFileProblem) -> String {
    match problem {
        CaFileProblem::NotAFile => fl!(loader(), "hint-ca-file-not-a-file"),
        CaFileProblem::TooLarge { .. } => fl!(loader(), "hint-ca-file-too-large"),
        CaFileProblem::Unreadable(_)
        | CaFileProblem::NoCertificates
        | CaFileProblem::BadCertificate(_) => fl!(loader(), "hint-ca-file"),
    }
}

pub fn hint_saved_accounts(saved: &[String]) -> String {
    if saved.is_empty() {
        fl!(loader(), "hint-no-account-saved")
    } else {
        fl!(
            loader(),
            "hint-saved-accounts",
            saved = shown(&saved.join(", "))
        )
    }
}

pub fn live_test_failed(reports: &[ProbeReport]) -> String {
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
    fl!(loader(), "live-test-failed", failed = failed.join(", "))
}

pub fn hint_live_test(reports: &[ProbeReport]) -> String {
    let worst = reports
        .iter()
        .filter(|r| r.failure().is_some())
        .max_by_key(|r| r.failure().map_or(0, |f| f.kind.severity()));
    match worst.and_then(|r| r.failure().map(|f| (r, f))) {
        Some((report, failure)) => likely_fix(report, failure, None),
        None => fl!(loader(), "hint-try-again"),
    }
}

pub fn config_unparseable(path: &Path, line: Option<usize>, problem: &str) -> String {
    let path = path.display().to_string();
    match line {
        Some(line) => fl!(
            loader(),
            "config-unparseable-line",
            path = path,
            line = line.to_string(),
            problem = problem
        ),
        None => fl!(
            loader(),
            "config-unparseable",
            path = path,
            problem = problem
        ),
    }
}

pub fn store_problem(problem: &StoreProblem) -> String {
    match problem {
        StoreProblem::Unavailable(detail) => {
            fl!(loader(), "keyring-unavailable", detail = detail.as_str())
        }
        StoreProblem::NotAnswering => fl!(loader(), "keyring-not-answering"),
        StoreProblem::Failed(detail) => {
            fl!(loader(), "keyring-failed", detail = detail.as_str())
        }
        StoreProblem::Locked(detail) => {
            fl!(loader(), "keyring-locked", detail = detail.as_str())
        }
        StoreProblem::Pass(problem) => pass_problem(problem),
        StoreProblem::UnknownStore(value) => unknown_store(value),
    }
}

pub fn hint_keyring(problem: &StoreProblem) -> String {
    match problem {
        StoreProblem::NotAnswering => fl!(loader(), "hint-keyring-not-answering"),
        StoreProblem::Locked(_) => fl!(loader(), "hint-keyring-locked"),
        StoreProblem::Pass(problem) => hint_pass(problem),
        StoreProblem::UnknownStore(_) => fl!(loader(), "hint-unknown-store"),
        _ => fl!(loader(), "hint-keyring-missing"),
    }
}

/// A path made safe to show.
pub(super) fn shown_path(path: &Path) -> String {
    shown(&path.display().to_string())
}

/// The config path is not a regular file (a device, a FIFO, a directory).
pub fn config_not_a_file(path: &Path) -> String {
    fl!(loader(), "config-not-a-file", path = shown_path(path))
}

/// The config file is far larger than any config.
pub fn config_too_large(path: &Path, limit: u64) -> String {
    fl!(
        loader(),
        "config-too-large",
        path = shown_path(path),
        limit_kib = (limit / 1024).to_string()
    )
}

/// The config file is not UTF-8 text.
pub fn config_not_utf8(path: &Path) -> String {
    fl!(loader(), "config-not-utf8", path = shown_path(path))
}

/// The config path is a symbolic link whose target cannot be written through.
pub fn config_symlink_unusable(path: &Path, target: &Path) -> String {
    fl!(
        loader(),
        "config-symlink-unusable",
        path = shown_path(path),
        target = shown_path(target)
    )
}

/// The label of the keyring entry, as Seahorse (Passwords and Keys) and KWallet show it, in
/// the language of the run that saved it (the entry is found by its attributes, never by
/// its label).
pub fn keyring_label(email: &str) -> String {
    fl!(loader(), "keyring-label", email = email)
}

/// Said once on standard error when a change waits for another run's lock on the config.
pub fn config_lock_waiting(path: &Path, wait: std::time::Duration) -> String {
    fl!(
        loader(),
        "config-lock-waiting",
        path = shown_path(path),
        secs = wait.as_secs().to_string()
    )
}

/// Another run held the config's lock for the whole wait.
pub fn config_locked(path: &Path, waited: std::time::Duration) -> String {
    fl!(
        loader(),
        "config-locked",
        path = shown_path(path),
        secs = waited.as_secs().to_string()
    )
}

pub fn hint_config_locked(lock: &Path) -> String {
    fl!(loader(), "hint-config-locked", lock = shown_path(lock))
}
