//! Typed input that is not what it should be: an address, a name, a password twice.

use std::fmt::Write as _;

use super::{fl, loader, shown};

/// What is wrong with a typed address.
pub fn address_problem(problem: &crate::domain::AddressProblem) -> String {
    use crate::domain::AddressProblem as P;
    let l = loader();
    match problem {
        P::Empty => fl!(l, "address-empty"),
        P::Whitespace { input } => fl!(l, "address-has-spaces", input = shown(input)),
        P::ControlCharacter { input } => {
            fl!(l, "address-control-character", input = shown(input))
        }
        P::NoAt { input } => fl!(l, "address-without-at", input = shown(input)),
        P::SeveralAts { input } => fl!(l, "address-several-ats", input = shown(input)),
        P::NothingBeforeAt { input } => fl!(l, "address-bad-local-part", input = shown(input)),
        P::BadDomain { input } => fl!(l, "address-bad-domain", input = shown(input)),
        P::NotIcloud { input } => fl!(l, "login-not-icloud", input = shown(input)),
        P::BadLocalPart { input } => {
            fl!(l, "address-local-part-characters", input = shown(input))
        }
        P::LooksLikePassword => fl!(l, "address-looks-like-password"),
        P::NearMiss { input, suggestion } => fl!(
            l,
            "address-near-miss",
            input = shown(input),
            suggestion = shown(suggestion)
        ),
    }
}

pub fn hint_address_problem(problem: &crate::domain::AddressProblem) -> String {
    use crate::domain::AddressProblem as P;
    match problem {
        P::NearMiss { suggestion, .. } => fl!(
            loader(),
            "hint-address-near-miss",
            suggestion = shown(suggestion)
        ),
        _ => fl!(loader(), "hint-invalid-address"),
    }
}

/// The interactive question when a typed domain is close to an iCloud domain.
pub fn ask_near_miss(typed: &str, suggestion: &str) -> String {
    fl!(
        loader(),
        "address-near-miss",
        input = shown(typed),
        suggestion = shown(suggestion)
    )
}

pub fn option_use_suggestion(suggestion: &str) -> String {
    fl!(
        loader(),
        "option-use-suggestion",
        suggestion = shown(suggestion)
    )
}

pub fn option_keep_typed(typed: &str) -> String {
    fl!(loader(), "option-keep-typed", typed = shown(typed))
}

/// What is wrong with a display name.
pub fn name_problem(problem: &crate::domain::NameProblem) -> String {
    use crate::domain::NameProblem as P;
    match problem {
        P::ControlCharacter { input } => {
            fl!(loader(), "name-control-character", input = shown(input))
        }
        P::LooksLikePassword => fl!(loader(), "name-looks-like-password"),
    }
}

/// The name question when the account is saved already with a name.
pub fn ask_name_keeping(saved: &str) -> String {
    fl!(loader(), "ask-name-keeping", saved = shown(saved))
}

/// Setting up an address that is saved already.
pub fn already_saved(email: &str) -> String {
    fl!(loader(), "already-saved", email = shown(email))
}

/// The new password is the one saved already.
pub fn rotating_to_same_password(email: &str) -> String {
    fl!(loader(), "rotating-to-same-password", email = shown(email))
}

/// A keyring entry of this program that no saved account lists.
pub fn orphaned_secret(email: &str) -> String {
    fl!(loader(), "orphaned-secret", email = shown(email))
}

pub fn orphaned_secret_removed(email: &str) -> String {
    fl!(loader(), "orphaned-secret-removed", email = shown(email))
}

/// `status` lines for keyring entries the config does not list.
pub fn status_orphans(emails: &[String]) -> String {
    let mut text = format!("\n{}\n", fl!(loader(), "status-orphans-heading"));
    for email in emails {
        let _ = writeln!(text, "  {}", shown(email));
    }
    text
}
