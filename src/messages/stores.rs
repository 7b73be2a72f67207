//! The secret stores: `pass`'s problems, the choice of a store, a secret missing from one.

use crate::secrets::{PassProblem, StoreKind};

use super::{command_word, fl, loader, secret_missing};

/// `pass` could not be used.
pub fn pass_problem(problem: &PassProblem) -> String {
    let l = loader();
    match problem {
        PassProblem::NotInstalled => fl!(l, "pass-not-installed"),
        PassProblem::NotInitialised { store_dir, .. } => fl!(
            l,
            "pass-not-initialised",
            store_dir = store_dir.display().to_string()
        ),
        PassProblem::NoUsableKey { key_ids, .. } => {
            fl!(l, "pass-no-usable-key", key_ids = key_ids.join(", "))
        }
        PassProblem::PassphraseUnavailable { terminal: false } => {
            fl!(l, "pass-passphrase-no-terminal")
        }
        PassProblem::PassphraseUnavailable { terminal: true } => {
            fl!(l, "pass-passphrase-unavailable")
        }
        PassProblem::NoHome => fl!(l, "pass-no-home"),
        PassProblem::SignOnly { key_ids } => {
            fl!(l, "pass-key-sign-only", key_ids = key_ids.join(", "))
        }
        PassProblem::TimedOut(secs) => fl!(l, "pass-timed-out", secs = secs.to_string()),
        PassProblem::Failed(detail) => fl!(l, "pass-failed", detail = detail.as_str()),
    }
}

/// The one command that fixes a `pass` problem.
pub fn hint_pass(problem: &PassProblem) -> String {
    let l = loader();
    match problem {
        PassProblem::NotInstalled => fl!(l, "hint-pass-not-installed"),
        PassProblem::NotInitialised {
            secret_key: Some(key),
            ..
        } => fl!(l, "hint-pass-init-for-key", key = key.as_str()),
        PassProblem::NotInitialised {
            secret_key: None, ..
        } => fl!(l, "hint-pass-init-without-key"),
        PassProblem::NoUsableKey {
            secret_key: Some(key),
            ..
        } => fl!(l, "hint-pass-reinit-for-key", key = key.as_str()),
        PassProblem::NoUsableKey {
            secret_key: None, ..
        } => fl!(l, "hint-pass-reinit-without-key"),
        PassProblem::PassphraseUnavailable { terminal: false } => {
            fl!(l, "hint-pass-passphrase-no-terminal")
        }
        PassProblem::PassphraseUnavailable { terminal: true } => {
            fl!(l, "hint-pass-passphrase-unavailable")
        }
        PassProblem::NoHome => fl!(l, "hint-pass-no-home"),
        PassProblem::SignOnly { key_ids } => fl!(
            l,
            "hint-pass-key-sign-only",
            key = key_ids.first().map_or("", String::as_str)
        ),
        PassProblem::TimedOut(secs) => fl!(
            l,
            "hint-pass-timed-out",
            longer = (secs * 4).max(60).to_string()
        ),
        PassProblem::Failed(_) => fl!(l, "hint-pass-failed"),
    }
}

/// The config names a secret store this version does not know.
pub fn unknown_store(value: &str) -> String {
    fl!(loader(), "unknown-store", value = format!("{value:?}"))
}

/// The account is saved but its password is not where its config says.
pub fn secret_missing_from(email: &str, store: StoreKind) -> String {
    match store {
        StoreKind::Keyring => secret_missing(email),
        StoreKind::Pass => fl!(
            loader(),
            "secret-missing-from-pass",
            email = email,
            entry = crate::secrets::pass_store::entry_name(email)
        ),
    }
}

pub fn rotated_in_pass(email: &str) -> String {
    fl!(loader(), "rotated-in-pass", email = command_word(email))
}
