//! Every sentence the person reads, in one place, so that a translation touches one file
//! and the logic never carries English. Functions take the facts and return the text.
//!
//! Voice: plain words for someone who has never heard of IMAP; say what happened, then
//! what to do next.
//!
//! # Languages: one Fluent message per function
//!
//! The words are not here but in `i18n/<language>/icloud_setup.ftl` (English is the
//! fallback and the reference; see [`crate::language`] for how the language is chosen).
//! Each function is a thin facade over one message, named like the function with dashes:
//!
//! ```text
//! pub fn no_such_account(email: &str) -> String {
//!     fl!(loader(), "no-such-account", email = email)
//! }
//! ```
//! ```text
//! no-such-account = no saved account is called { $email }        # i18n/en/icloud_setup.ftl
//! no-such-account = Kein gespeichertes Konto heißt { $email }.   # i18n/de/icloud_setup.ftl
//! ```
//!
//! - `fl!` checks at compile time that the id exists in the English file and that the
//!   arguments are the ones it uses. `tests/language.rs` checks that every other language
//!   has exactly the same ids and arguments.
//! - A message is a whole sentence with its facts as arguments (`{ $email }`), never glued
//!   from fragments: word order and case endings differ between languages. Where the code
//!   chooses between sentences (a count, a kind of failure), each choice is a message of
//!   its own, or a Fluent selector (`{ $count -> [one] … *[other] … }`).
//! - Numbers that are not counts (ports, seconds) go in as text, so no language formats
//!   them. Host names, paths, commands, config keys and the server's own words go in as
//!   arguments and are never translated.
//! - Tables keep their layout here (indentation, one message per line); a label's padding
//!   is part of its message, so each language aligns its own columns.
//! - Functions returning `&'static str` (questions handed to the prompter) word the
//!   message once per language and keep it ([`static_text`]).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use i18n_embed_fl::fl;

use crate::config::Account;
use crate::display_safe::escape_controls;
use crate::language::{self, Language, loader};
use crate::mail::endpoint::ServerAddressProblem;
use crate::mail::tls::CaFileProblem;
use crate::mail::{
    AttemptOutcome, ConnectAttempt, Detail, FailureKind, ProbeFailure, ProbeReport, Protocol,
    Stage, TranscriptLine,
};
use crate::plan::{AccountPlan, Servers};
use crate::secrets::{KeyringProblem, PassProblem, SecretLocation, Store, StoreKind};

/// Where Apple's page for app-specific passwords is, as Apple names its menus in the
/// person's language.
pub fn app_password_page() -> String {
    fl!(loader(), "app-password-page")
}

/// A message worded once per language and kept for the life of the process (a handful of
/// short questions, so the memory kept is bounded by their number).
fn static_text(id: &'static str, word: impl FnOnce() -> String) -> &'static str {
    static TEXTS: Mutex<Option<HashMap<(Language, &'static str), &'static str>>> = Mutex::new(None);
    let language = language::current();
    let mut texts = TEXTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    texts
        .get_or_insert_with(HashMap::new)
        .entry((language, id))
        .or_insert_with(|| Box::leak(word().into_boxed_str()))
}

// ---------------------------------------------------------------- addresses

pub fn server_address_without_port(input: &str) -> String {
    fl!(loader(), "server-address-without-port", input = input)
}

pub fn server_address_bad_port(input: &str) -> String {
    fl!(loader(), "server-address-bad-port", input = input)
}

pub fn server_address_without_host(input: &str) -> String {
    fl!(loader(), "server-address-without-host", input = input)
}

pub fn ca_file_has_no_certificates() -> String {
    fl!(loader(), "ca-file-has-no-certificates")
}

// ---------------------------------------------------------------- the wizard's questions

pub fn welcome() -> String {
    fl!(loader(), "welcome")
}

pub fn ask_email() -> &'static str {
    static_text("ask-email", || fl!(loader(), "ask-email"))
}

pub fn custom_domain_explained(email: &str) -> String {
    fl!(loader(), "custom-domain-explained", email = email)
}

pub fn ask_login() -> &'static str {
    static_text("ask-login", || fl!(loader(), "ask-login"))
}

pub fn ask_name() -> &'static str {
    static_text("ask-name", || fl!(loader(), "ask-name"))
}

pub fn password_guidance() -> String {
    fl!(loader(), "password-guidance")
}

pub fn ask_password() -> &'static str {
    static_text("ask-password", || fl!(loader(), "ask-password"))
}

pub fn ask_new_password() -> &'static str {
    static_text("ask-new-password", || fl!(loader(), "ask-new-password"))
}

pub fn password_empty_try_again() -> String {
    fl!(loader(), "password-empty-try-again")
}

pub fn password_unusual_shape() -> String {
    fl!(loader(), "password-unusual-shape")
}

pub fn ask_unusual_password() -> &'static str {
    static_text("ask-unusual-password", || {
        fl!(loader(), "ask-unusual-password")
    })
}

pub fn option_reenter_password() -> String {
    fl!(loader(), "option-reenter-password")
}

pub fn option_use_anyway() -> String {
    fl!(loader(), "option-use-anyway")
}

pub fn warning_unusual_password_flag() -> String {
    fl!(loader(), "warning-unusual-password-flag")
}

// ---------------------------------------------------------------- the plan

pub fn plan_summary(plan: &AccountPlan) -> String {
    let usernames = plan.imap_ladder.usernames();
    let mut text = fl!(loader(), "plan-heading");
    text.push('\n');
    let _ = writeln!(
        text,
        "  {}",
        fl!(
            loader(),
            "plan-imap",
            host = plan.servers.imap.host.as_str(),
            port = plan.servers.imap.port.to_string(),
            username = usernames[0].as_str()
        )
    );
    if let Some(fallback) = usernames.get(1) {
        let _ = writeln!(
            text,
            "  {}",
            fl!(loader(), "plan-imap-fallback", username = fallback.as_str())
        );
    }
    let _ = write!(
        text,
        "  {}",
        fl!(
            loader(),
            "plan-smtp",
            host = plan.servers.smtp.host.as_str(),
            port = plan.servers.smtp.port.to_string(),
            username = plan.smtp_username.as_str()
        )
    );
    text
}

// ---------------------------------------------------------------- the live test

pub fn testing(protocol: Protocol, server: &crate::mail::ServerAddress) -> String {
    fl!(
        loader(),
        "testing",
        role = protocol_role(protocol),
        server = server.to_string()
    )
}

fn protocol_role(protocol: Protocol) -> String {
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

fn stage_name(stage: Stage) -> String {
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

fn kind_summary(kind: FailureKind) -> String {
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
fn likely_fix(report: &ProbeReport, failure: &ProbeFailure, timeout_secs: Option<u64>) -> String {
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

pub fn ask_after_failure() -> &'static str {
    static_text("ask-after-failure", || fl!(loader(), "ask-after-failure"))
}

pub fn option_retry() -> String {
    fl!(loader(), "option-retry")
}

pub fn option_quit() -> String {
    fl!(loader(), "option-quit")
}

// ---------------------------------------------------------------- saving

pub fn saved(email: &str, location: &SecretLocation, config_path: &Path) -> String {
    fl!(
        loader(),
        "saved",
        email = email,
        store = store_name(location.store),
        command = location.read_command.as_str(),
        path = config_path.display().to_string()
    )
}

/// The name of a secret store, as it fits after "in" (`in the Secret Service keyring`).
fn store_name(store: Store) -> String {
    match store {
        Store::MacosKeychain => fl!(loader(), "store-macos-keychain"),
        Store::WindowsCredentialManager => fl!(loader(), "store-windows-credential-manager"),
        Store::SecretService => fl!(loader(), "store-secret-service"),
        Store::Pass => fl!(loader(), "store-pass"),
        Store::Memory => fl!(loader(), "store-memory"),
    }
}

pub fn next_steps(email: &str) -> String {
    fl!(
        loader(),
        "next-steps",
        email = command_word(email),
        clients = crate::export::Client::choices()
    )
}

// ---------------------------------------------------------------- settings table

pub fn settings_table(servers: &Servers, account: Option<&Account>, email: Option<&str>) -> String {
    let (imap_user, smtp_user) = match (account, email) {
        (Some(a), _) => (a.imap.username.clone(), a.smtp.username.clone()),
        (None, Some(e)) => usernames_for(e),
        (None, None) => (
            fl!(loader(), "settings-imap-user-generic"),
            fl!(loader(), "settings-smtp-user-generic"),
        ),
    };
    let line = |text: &mut String, words: String| {
        let _ = writeln!(text, "  {words}");
    };
    let mut text = String::new();
    let _ = writeln!(text, "{}", fl!(loader(), "settings-title"));
    let _ = writeln!(text);
    let _ = writeln!(text, "{}", fl!(loader(), "settings-incoming"));
    line(
        &mut text,
        fl!(
            loader(),
            "settings-server",
            host = servers.imap.host.as_str()
        ),
    );
    line(
        &mut text,
        fl!(
            loader(),
            "settings-port",
            port = servers.imap.port.to_string()
        ),
    );
    line(&mut text, fl!(loader(), "settings-security-imap"));
    line(
        &mut text,
        fl!(loader(), "settings-username", username = imap_user),
    );
    line(&mut text, fl!(loader(), "settings-password-imap"));
    let _ = writeln!(text);
    let _ = writeln!(text, "{}", fl!(loader(), "settings-outgoing"));
    line(
        &mut text,
        fl!(
            loader(),
            "settings-server",
            host = servers.smtp.host.as_str()
        ),
    );
    line(
        &mut text,
        fl!(
            loader(),
            "settings-port",
            port = servers.smtp.port.to_string()
        ),
    );
    line(&mut text, fl!(loader(), "settings-security-smtp"));
    line(
        &mut text,
        fl!(loader(), "settings-username", username = smtp_user),
    );
    line(&mut text, fl!(loader(), "settings-password-smtp"));
    let _ = writeln!(text);
    let _ = writeln!(text, "{}", fl!(loader(), "settings-no-pop"));
    let _ = writeln!(text, "{}", fl!(loader(), "settings-make-password"));
    text
}

fn usernames_for(email: &str) -> (String, String) {
    match crate::domain::EmailAddress::parse(email) {
        Ok(address) if address.is_icloud() => (
            fl!(
                loader(),
                "settings-imap-user-icloud",
                local = address.local_part(),
                address = address.as_str()
            ),
            address.as_str().to_string(),
        ),
        Ok(address) => (
            fl!(
                loader(),
                "settings-imap-user-custom",
                address = address.as_str()
            ),
            fl!(loader(), "settings-smtp-user-custom"),
        ),
        Err(problem) => (address_problem(&problem), address_problem(&problem)),
    }
}

// ---------------------------------------------------------------- errors

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

pub fn hint_invalid_address() -> String {
    fl!(loader(), "hint-invalid-address")
}

pub fn empty_password() -> String {
    fl!(loader(), "empty-password")
}

pub fn stdin_unreadable(detail: &str) -> String {
    fl!(loader(), "stdin-unreadable", detail = detail)
}

pub fn password_stdin_too_long(limit_kib: usize) -> String {
    fl!(loader(), "password-stdin-too-long", limit_kib = limit_kib)
}

pub fn hint_password_stdin() -> String {
    fl!(loader(), "hint-password-stdin")
}

pub fn ca_file_unusable(path: &Path, problem: &str) -> String {
    fl!(
        loader(),
        "ca-file-unusable",
        path = path.display().to_string(),
        problem = problem
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

pub fn no_such_account(email: &str) -> String {
    fl!(loader(), "no-such-account", email = email)
}

pub fn no_account_saved() -> String {
    fl!(loader(), "no-account-saved")
}

pub fn ask_which_account() -> &'static str {
    static_text("ask-which-account", || fl!(loader(), "ask-which-account"))
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

pub fn config_unreadable(path: &Path, source: &io::Error) -> String {
    fl!(
        loader(),
        "config-unreadable",
        path = path.display().to_string(),
        source = source.to_string()
    )
}

pub fn config_unwritable(path: &Path, source: &io::Error) -> String {
    fl!(
        loader(),
        "config-unwritable",
        path = path.display().to_string(),
        source = source.to_string()
    )
}

pub fn hint_config_io() -> String {
    fl!(loader(), "hint-config-io")
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

pub fn config_version(path: &Path, found: u32) -> String {
    fl!(
        loader(),
        "config-version",
        path = path.display().to_string(),
        found = found.to_string()
    )
}

pub fn hint_config_unparseable(path: &Path) -> String {
    fl!(
        loader(),
        "hint-config-unparseable",
        path = path.display().to_string()
    )
}

pub fn keyring_problem(problem: &KeyringProblem) -> String {
    match problem {
        KeyringProblem::Unavailable(detail) => {
            fl!(loader(), "keyring-unavailable", detail = detail.as_str())
        }
        KeyringProblem::NotAnswering => fl!(loader(), "keyring-not-answering"),
        KeyringProblem::Failed(detail) => {
            fl!(loader(), "keyring-failed", detail = detail.as_str())
        }
        KeyringProblem::Locked(detail) => keyring_locked(detail),
        KeyringProblem::Pass(problem) => pass_problem(problem),
        KeyringProblem::UnknownStore(value) => unknown_store(value),
    }
}

pub fn hint_keyring(problem: &KeyringProblem) -> String {
    match problem {
        KeyringProblem::NotAnswering => fl!(loader(), "hint-keyring-not-answering"),
        KeyringProblem::Locked(_) => hint_keyring_locked(),
        KeyringProblem::Pass(problem) => hint_pass(problem),
        KeyringProblem::UnknownStore(_) => hint_unknown_store(),
        _ => fl!(loader(), "hint-keyring-missing"),
    }
}

pub fn keyring_read_back_mismatch() -> String {
    fl!(loader(), "keyring-read-back-mismatch")
}

pub fn hint_keyring_read_back() -> String {
    fl!(loader(), "hint-keyring-read-back")
}

pub fn output_failed(source: &io::Error) -> String {
    fl!(loader(), "output-failed", source = source.to_string())
}

pub fn terminal_failed(source: &io::Error) -> String {
    fl!(loader(), "terminal-failed", source = source.to_string())
}

pub fn cancelled() -> String {
    fl!(loader(), "cancelled")
}

pub fn no_config_directory() -> String {
    fl!(loader(), "no-config-directory")
}

/// The label in front of an error on standard error (`error:`).
pub fn label_error() -> String {
    fl!(loader(), "label-error")
}

/// The label in front of a hint on standard error (`hint:`).
pub fn label_hint() -> String {
    fl!(loader(), "label-hint")
}

// ---------------------------------------------------------------- living with the account

pub fn rotating(email: &str) -> String {
    fl!(loader(), "rotating", email = shown(email))
}

pub fn rotated(email: &str) -> String {
    fl!(loader(), "rotated", email = command_word(email))
}

pub fn checking(email: &str) -> String {
    fl!(loader(), "checking", email = shown(email))
}

pub fn confirm_remove(email: &str) -> String {
    fl!(loader(), "confirm-remove", email = shown(email))
}

pub fn option_remove() -> String {
    fl!(loader(), "option-remove")
}

pub fn option_keep() -> String {
    fl!(loader(), "option-keep")
}

pub fn nothing_removed() -> String {
    fl!(loader(), "nothing-removed")
}

pub fn removed(email: &str) -> String {
    fl!(loader(), "removed", email = shown(email))
}

/// `remove` of an account whose keyring entry another config saved too: it stays.
pub fn removed_kept_for_other_configs(email: &str) -> String {
    fl!(
        loader(),
        "removed-kept-for-other-configs",
        email = shown(email)
    )
}

pub fn saved_accounts_overview(accounts: &[Account]) -> String {
    let mut text = fl!(loader(), "saved-accounts-heading");
    text.push('\n');
    for account in accounts {
        let _ = writeln!(
            text,
            "  {}",
            fl!(
                loader(),
                "saved-account-line",
                email = shown(&account.email),
                verified = shown(&verified(account))
            )
        );
    }
    text.trim_end().to_string()
}

fn verified(account: &Account) -> String {
    match &account.verified_at {
        Some(at) => at.clone(),
        None => fl!(loader(), "never-verified"),
    }
}

pub fn ask_menu() -> &'static str {
    static_text("ask-menu", || fl!(loader(), "ask-menu"))
}

pub fn menu_rotate() -> String {
    fl!(loader(), "menu-rotate")
}

pub fn menu_check() -> String {
    fl!(loader(), "menu-check")
}

pub fn menu_add() -> String {
    fl!(loader(), "menu-add")
}

pub fn menu_remove() -> String {
    fl!(loader(), "menu-remove")
}

pub fn needs_command() -> String {
    fl!(loader(), "needs-command")
}

pub fn hint_needs_command() -> String {
    fl!(loader(), "hint-needs-command")
}

pub fn password_to_terminal() -> String {
    fl!(loader(), "password-to-terminal")
}

pub fn hint_password_to_terminal() -> String {
    fl!(loader(), "hint-password-to-terminal")
}

pub fn secret_missing(email: &str) -> String {
    fl!(loader(), "secret-missing", email = shown(email))
}

pub fn hint_secret_missing(email: &str) -> String {
    fl!(loader(), "hint-secret-missing", email = command_word(email))
}

/// `status` in words: each account, its usernames, last verification and its secret.
pub fn status(
    config_path: &Path,
    entries: &[(&Account, crate::secrets::SecretState, SecretLocation)],
) -> String {
    use crate::secrets::SecretState;
    let path = config_path.display().to_string();
    if entries.is_empty() {
        return format!("{}\n", fl!(loader(), "status-empty", path = path));
    }
    let mut text = format!("{}\n", fl!(loader(), "status-config", path = path));
    let line = |text: &mut String, words: String| {
        let _ = writeln!(text, "  {words}");
    };
    for (account, state, location) in entries {
        let _ = writeln!(text);
        // Saved values are shown with control characters escaped: a hand-edited or
        // older config must not be able to drive the terminal.
        let _ = writeln!(text, "{}", shown(&account.email));
        if let Some(name) = &account.name {
            line(&mut text, fl!(loader(), "status-name", name = shown(name)));
        }
        if account.login != account.email {
            line(
                &mut text,
                fl!(
                    loader(),
                    "status-signs-in-as",
                    login = shown(&account.login)
                ),
            );
        }
        line(
            &mut text,
            fl!(
                loader(),
                "status-imap",
                host = shown(&account.imap.host),
                port = account.imap.port.to_string(),
                username = shown(&account.imap.username)
            ),
        );
        line(
            &mut text,
            fl!(
                loader(),
                "status-smtp",
                host = shown(&account.smtp.host),
                port = account.smtp.port.to_string(),
                username = shown(&account.smtp.username)
            ),
        );
        line(
            &mut text,
            fl!(
                loader(),
                "status-verified",
                verified = shown(&verified(account))
            ),
        );
        if let Some(saved_at) = &account.password_saved_at {
            line(
                &mut text,
                password_saved_line(
                    saved_at,
                    account.password_age_days(std::time::SystemTime::now()),
                ),
            );
        }
        for folders in status_folders(account) {
            line(&mut text, folders);
        }
        let store = store_name(location.store);
        let secret = match state {
            SecretState::Present => fl!(loader(), "status-password-present", store = store),
            SecretState::Missing => fl!(
                loader(),
                "status-password-missing",
                store = store,
                email = command_word(&account.email)
            ),
            SecretState::Unknown(problem) => fl!(
                loader(),
                "status-password-unknown",
                problem = keyring_problem(problem)
            ),
        };
        line(&mut text, secret);
        line(
            &mut text,
            fl!(
                loader(),
                "status-read-with",
                command = shown(&location.read_command)
            ),
        );
        line(
            &mut text,
            fl!(
                loader(),
                "status-mail-programs",
                email = command_word(&account.email),
                clients = crate::export::Client::choices()
            ),
        );
    }
    text
}

// ---------------------------------------------------------------- export
//
// The comment blocks at the top of exported client files. Lines starting with two spaces
// are commands to type and are kept as they are; the rest is wrapped.

/// One sentence of an exported file's comment block.
pub fn export_note(note: crate::export::Note<'_>) -> String {
    use crate::export::Note;
    match note {
        Note::Title {
            client,
            email,
            command,
        } => export_title(client, email, command),
        Note::PasswordCommand {
            client,
            command,
            program,
            per_use,
        } => export_password_note(client, command, program, per_use),
        Note::CaAdded { path } => export_ca_added(path),
        Note::CaNeomutt { path } => export_ca_neomutt(path),
        Note::CaMsmtp { path } => export_ca_msmtp(path),
        Note::CaAerc { path, quoted_path } => export_ca_aerc(path, quoted_path),
        Note::MsmtpSteps {
            account,
            test_command,
        } => export_msmtp_steps(account, test_command),
        Note::IsyncSyntax { syntax, source } => export_isync_syntax(syntax, source),
        Note::MbsyncSteps {
            newest_syntax,
            mkdir_command,
            sync_command,
        } => export_mbsync_steps(newest_syntax, mkdir_command, sync_command),
        Note::NeomuttSteps => export_neomutt_steps(),
        Note::AercSteps => export_aerc_steps(),
        Note::AercStarttls => export_aerc_starttls(),
        Note::HimalayaSteps => export_himalaya_steps(),
        Note::GitSteps => fl!(loader(), "export-git-steps"),
        Note::GitCredential { server, username } => fl!(
            loader(),
            "export-git-credential",
            server = server,
            username = username
        ),
        Note::GitEncryption { starttls: true } => fl!(loader(), "export-git-starttls"),
        Note::GitEncryption { starttls: false } => fl!(loader(), "export-git-ssl"),
        Note::GitHelperReset => fl!(loader(), "export-git-helper-reset"),
        Note::CaGit { path } => fl!(loader(), "export-ca-git", path = path),
    }
}

/// The first line: what the file is and who wrote it.
pub fn export_title(client: &str, email: &str, command: &str) -> String {
    fl!(
        loader(),
        "export-title",
        client = client,
        email = email,
        command = command
    )
}

/// Where the password comes from. `program` is the absolute path the command names
/// icloud-setup by (`None`: by its name, found on the PATH). `per_use` is true when the
/// client runs the command each time it needs the password, false when it reads it once at
/// start.
pub fn export_password_note(
    client: &str,
    command: &str,
    program: Option<&str>,
    per_use: bool,
) -> String {
    let source = if per_use {
        fl!(
            loader(),
            "export-password-per-use",
            client = client,
            command = command
        )
    } else {
        fl!(
            loader(),
            "export-password-at-start",
            client = client,
            command = command
        )
    };
    let finding = match program {
        Some(path) => fl!(loader(), "export-password-absolute", path = path),
        None => fl!(loader(), "export-password-on-path", client = client),
    };
    format!("{source} {finding}")
}

pub fn export_ca_added(path: &str) -> String {
    fl!(loader(), "export-ca-added", path = path)
}

pub fn export_ca_neomutt(path: &str) -> String {
    fl!(loader(), "export-ca-neomutt", path = path)
}

pub fn export_ca_msmtp(path: &str) -> String {
    fl!(loader(), "export-ca-msmtp", path = path)
}

pub fn export_ca_aerc(path: &str, quoted_path: &str) -> String {
    fl!(
        loader(),
        "export-ca-aerc",
        path = path,
        quoted_path = quoted_path
    )
}

pub fn export_msmtp_steps(account: &str, test_command: &str) -> String {
    fl!(
        loader(),
        "export-msmtp-steps",
        account = account,
        test_command = test_command
    )
}

pub fn export_isync_syntax(syntax: &str, source: &crate::export::IsyncSource) -> String {
    use crate::export::IsyncSource;
    match source {
        IsyncSource::Flag => fl!(loader(), "export-isync-flag", syntax = syntax),
        IsyncSource::Installed { version } => fl!(
            loader(),
            "export-isync-installed",
            syntax = syntax,
            version = version.as_str()
        ),
        IsyncSource::TooOld { version } => fl!(
            loader(),
            "export-isync-too-old",
            syntax = syntax,
            version = version.as_str()
        ),
        IsyncSource::Unrecognized { answer } => fl!(
            loader(),
            "export-isync-unrecognized",
            syntax = syntax,
            answer = format!("{answer:?}")
        ),
        IsyncSource::NotInstalled => {
            fl!(loader(), "export-isync-not-installed", syntax = syntax)
        }
        IsyncSource::NoAnswer { waited_secs } => fl!(
            loader(),
            "export-isync-no-answer",
            syntax = syntax,
            secs = waited_secs.to_string()
        ),
    }
}

pub fn export_mbsync_steps(newest_syntax: bool, mkdir_command: &str, sync_command: &str) -> String {
    if newest_syntax {
        fl!(
            loader(),
            "export-mbsync-steps-newest",
            mkdir_command = mkdir_command,
            sync_command = sync_command
        )
    } else {
        fl!(
            loader(),
            "export-mbsync-steps-older",
            mkdir_command = mkdir_command,
            sync_command = sync_command
        )
    }
}

pub fn export_neomutt_steps() -> String {
    fl!(loader(), "export-neomutt-steps")
}

pub fn export_aerc_steps() -> String {
    fl!(loader(), "export-aerc-steps")
}

pub fn export_aerc_starttls() -> String {
    fl!(loader(), "export-aerc-starttls")
}

pub fn export_himalaya_steps() -> String {
    fl!(loader(), "export-himalaya-steps")
}

pub fn export_line_too_long(client: &str, limit: usize, length: usize) -> String {
    fl!(
        loader(),
        "export-line-too-long",
        client = client,
        limit = limit,
        length = length
    )
}

pub fn hint_export_line_too_long() -> String {
    fl!(loader(), "hint-export-line-too-long")
}

pub fn export_unrepresentable(what: &str, value: &str) -> String {
    fl!(
        loader(),
        "export-unrepresentable",
        what = what,
        value = format!("{value:?}")
    )
}

/// The config file's path, as the `what` of [`export_unrepresentable`].
pub fn export_config_path() -> String {
    fl!(loader(), "export-config-path")
}

/// The `--ca-file` path, as the `what` of [`export_unrepresentable`].
pub fn export_ca_file_path() -> String {
    fl!(loader(), "export-ca-file-path")
}

pub fn hint_export_unrepresentable() -> String {
    fl!(loader(), "hint-export-unrepresentable")
}

// ---------------------------------------------------------------- faults (issue 5)

/// The `--verbose` line when the SMTP server sent no greeting in time.
pub fn transcript_no_greeting() -> String {
    fl!(loader(), "transcript-no-greeting")
}

/// The `--verbose` line when that check found a TLS server.
pub fn transcript_tls_first() -> String {
    fl!(loader(), "transcript-tls-first")
}

/// Why a probe failed when the server sent no greeting and did not answer TLS either.
pub fn no_greeting_detail() -> String {
    fl!(loader(), "no-greeting-detail")
}

/// Why a probe failed when the server sent no plain-text greeting but answered TLS.
pub fn tls_first_detail() -> String {
    fl!(loader(), "tls-first-detail")
}

/// Our side's description of a wait that ran out, instead of the system's wording.
pub fn no_answer_in_time_detail() -> String {
    fl!(loader(), "no-answer-in-time-detail")
}

/// What to do about a server that did not answer in time.
fn timed_out_fix(timeout_secs: Option<u64>) -> String {
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

/// The keyring exists but is locked, and no unlock prompt could be shown.
fn keyring_locked(detail: &str) -> String {
    fl!(loader(), "keyring-locked", detail = detail)
}

fn hint_keyring_locked() -> String {
    fl!(loader(), "hint-keyring-locked")
}

// ---------------------------------------------------------------- command-line help

/// A text of `--help`: the command line (`cli.rs`) names which, this words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpText {
    About,
    LongAbout,
    Config,
    Timeout,
    Color,
    Verbose,
    ImapServer,
    SmtpServer,
    CaFile,
    HeadingAdvanced,
    Help,
    HelpLong,
    HelpShort,
    Version,
    HelpCommand,
    HelpCommandArgs,
    Setup,
    SetupEmail,
    SetupLogin,
    SetupName,
    SetupPasswordStdin,
    Rotate,
    RotateEmail,
    RotatePasswordStdin,
    Check,
    CheckEmail,
    Status,
    StatusEmail,
    StatusJson,
    Password,
    PasswordEmail,
    PasswordReveal,
    Remove,
    RemoveEmail,
    RemoveYes,
    Settings,
    SettingsEmail,
    Export,
    ExportLong,
    ExportClient,
    ExportEmail,
    ExportIsync,
    Completions,
    CompletionsShell,
    ValueMsmtp,
    ValueMbsync,
    ValueNeomutt,
    ValueAerc,
    ValueHimalaya,
    ValueGit,
    GitCredential,
    GitCredentialLong,
    GitCredentialOperation,
    ValueIsync14,
    ValueIsync15,
    UsageHeading,
    HeadingCommands,
    HeadingArguments,
    HeadingOptions,
    SetupStore,
    ValueStoreKeyring,
    ValueStorePass,
    SendTest,
    SendTestWait,
    CheckQuiet,
    CheckNotify,
    Watch,
    WatchAction,
    ValueWatchOn,
    ValueWatchOff,
    ValueWatchStatus,
}

/// The words of one `--help` text.
pub fn help_text(text: HelpText) -> String {
    let l = loader();
    match text {
        HelpText::About => fl!(l, "cli-about"),
        HelpText::LongAbout => fl!(l, "cli-long-about"),
        HelpText::Config => fl!(l, "cli-config"),
        HelpText::Timeout => fl!(l, "cli-timeout"),
        HelpText::Color => fl!(l, "cli-color"),
        HelpText::Verbose => fl!(l, "cli-verbose"),
        HelpText::ImapServer => fl!(l, "cli-imap-server"),
        HelpText::SmtpServer => fl!(l, "cli-smtp-server"),
        HelpText::CaFile => fl!(l, "cli-ca-file"),
        HelpText::HeadingAdvanced => fl!(l, "cli-heading-advanced"),
        HelpText::Help => fl!(l, "cli-help"),
        HelpText::HelpLong => fl!(l, "cli-help-long"),
        HelpText::HelpShort => fl!(l, "cli-help-short"),
        HelpText::Version => fl!(l, "cli-version"),
        HelpText::HelpCommand => fl!(l, "cli-help-command"),
        HelpText::HelpCommandArgs => fl!(l, "cli-help-command-args"),
        HelpText::Setup => fl!(l, "cli-setup"),
        HelpText::SetupEmail => fl!(l, "cli-setup-email"),
        HelpText::SetupLogin => fl!(l, "cli-setup-login"),
        HelpText::SetupName => fl!(l, "cli-setup-name"),
        HelpText::SetupPasswordStdin => fl!(l, "cli-setup-password-stdin"),
        HelpText::Rotate => fl!(l, "cli-rotate"),
        HelpText::RotateEmail => fl!(l, "cli-rotate-email"),
        HelpText::RotatePasswordStdin => fl!(l, "cli-rotate-password-stdin"),
        HelpText::Check => fl!(l, "cli-check"),
        HelpText::CheckEmail => fl!(l, "cli-check-email"),
        HelpText::Status => fl!(l, "cli-status"),
        HelpText::StatusEmail => fl!(l, "cli-status-email"),
        HelpText::StatusJson => fl!(l, "cli-status-json"),
        HelpText::Password => fl!(l, "cli-password"),
        HelpText::PasswordEmail => fl!(l, "cli-password-email"),
        HelpText::PasswordReveal => fl!(l, "cli-password-reveal"),
        HelpText::Remove => fl!(l, "cli-remove"),
        HelpText::RemoveEmail => fl!(l, "cli-remove-email"),
        HelpText::RemoveYes => fl!(l, "cli-remove-yes"),
        HelpText::Settings => fl!(l, "cli-settings"),
        HelpText::SettingsEmail => fl!(l, "cli-settings-email"),
        HelpText::Export => fl!(l, "cli-export"),
        HelpText::ExportLong => fl!(l, "cli-export-long"),
        HelpText::ExportClient => fl!(l, "cli-export-client"),
        HelpText::ExportEmail => fl!(l, "cli-export-email"),
        HelpText::ExportIsync => fl!(l, "cli-export-isync"),
        HelpText::Completions => fl!(l, "cli-completions"),
        HelpText::CompletionsShell => fl!(l, "cli-completions-shell"),
        HelpText::ValueMsmtp => fl!(l, "cli-value-msmtp"),
        HelpText::ValueMbsync => fl!(l, "cli-value-mbsync"),
        HelpText::ValueNeomutt => fl!(l, "cli-value-neomutt"),
        HelpText::ValueAerc => fl!(l, "cli-value-aerc"),
        HelpText::ValueHimalaya => fl!(l, "cli-value-himalaya"),
        HelpText::ValueGit => fl!(l, "cli-value-git"),
        HelpText::GitCredential => fl!(l, "cli-git-credential"),
        HelpText::GitCredentialLong => fl!(l, "cli-git-credential-long"),
        HelpText::GitCredentialOperation => fl!(l, "cli-git-credential-operation"),
        HelpText::ValueIsync14 => fl!(l, "cli-value-isync-1-4"),
        HelpText::ValueIsync15 => fl!(l, "cli-value-isync-1-5"),
        HelpText::UsageHeading => fl!(l, "cli-usage-heading"),
        HelpText::HeadingCommands => fl!(l, "cli-heading-commands"),
        HelpText::HeadingArguments => fl!(l, "cli-heading-arguments"),
        HelpText::HeadingOptions => fl!(l, "cli-heading-options"),
        HelpText::SetupStore => fl!(l, "cli-setup-store"),
        HelpText::ValueStoreKeyring => fl!(l, "cli-value-store-keyring"),
        HelpText::ValueStorePass => fl!(l, "cli-value-store-pass"),
        HelpText::SendTest => fl!(l, "cli-send-test"),
        HelpText::SendTestWait => fl!(l, "cli-wait"),
        HelpText::CheckQuiet => fl!(l, "cli-check-quiet"),
        HelpText::CheckNotify => fl!(l, "cli-check-notify"),
        HelpText::Watch => fl!(l, "cli-watch"),
        HelpText::WatchAction => fl!(l, "cli-watch-action"),
        HelpText::ValueWatchOn => fl!(l, "cli-value-watch-on"),
        HelpText::ValueWatchOff => fl!(l, "cli-value-watch-off"),
        HelpText::ValueWatchStatus => fl!(l, "cli-value-watch-status"),
    }
}

// ---- secret stores: pass (issue 15)

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

pub fn hint_unknown_store() -> String {
    fl!(loader(), "hint-unknown-store")
}

/// The interactive offer when no keyring is usable but `pass` is.
pub fn offer_pass_instead(keyring_problem_text: &str) -> String {
    fl!(
        loader(),
        "offer-pass-instead",
        problem = keyring_problem_text
    )
}

pub fn ask_use_pass() -> &'static str {
    static_text("ask-use-pass", || fl!(loader(), "ask-use-pass"))
}

pub fn option_use_pass() -> String {
    fl!(loader(), "option-use-pass")
}

pub fn option_stop_no_keyring() -> String {
    fl!(loader(), "option-stop-no-keyring")
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

/// `rotate` for an account kept in pass.
pub fn rotating_in_pass(email: &str) -> String {
    fl!(loader(), "rotating-in-pass", email = email)
}

pub fn rotated_in_pass(email: &str) -> String {
    fl!(loader(), "rotated-in-pass", email = command_word(email))
}

pub fn removed_from_pass(email: &str) -> String {
    fl!(loader(), "removed-from-pass", email = email)
}

// ---------------------------------------------------------------- send test (issue 13)

/// The subject of the test message: says what it is, so a person who sees it knows.
pub fn send_test_subject() -> String {
    fl!(loader(), "send-test-subject")
}

/// The body of the test message (its last line ends with a line break).
pub fn send_test_body(email: &str) -> String {
    let mut body = fl!(loader(), "send-test-body", email = email);
    body.push('\n');
    body
}

pub fn send_test_intro(email: &str, wait_secs: u64) -> String {
    fl!(
        loader(),
        "send-test-intro",
        email = email,
        wait_secs = wait_secs.to_string()
    )
}

pub fn send_test_signing_in(server: &crate::mail::ServerAddress) -> String {
    fl!(
        loader(),
        "send-test-signing-in",
        server = server.to_string()
    )
}

pub fn send_test_watching(username: &str) -> String {
    fl!(loader(), "send-test-watching", username = username)
}

pub fn send_test_submitting(server: &crate::mail::ServerAddress) -> String {
    fl!(
        loader(),
        "send-test-submitting",
        server = server.to_string()
    )
}

pub fn send_test_submitted(server_said: &str) -> String {
    fl!(
        loader(),
        "send-test-submitted",
        server_said = escape_controls(server_said)
    )
}

pub fn send_test_waiting(wait_secs: u64) -> String {
    fl!(
        loader(),
        "send-test-waiting",
        wait_secs = wait_secs.to_string()
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

/// Said when the message was found in Junk.
pub fn send_test_in_junk(email: &str) -> String {
    fl!(loader(), "send-test-in-junk", email = email)
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

/// Said when the run is cancelled after the test message went out and before it was
/// removed: where it may still turn up, and by which subject to find it.
pub fn send_test_may_still_arrive(email: &str, subject: &str) -> String {
    fl!(
        loader(),
        "send-test-may-still-arrive",
        email = email,
        subject = subject
    )
}

pub fn send_test_passed(email: &str) -> String {
    fl!(loader(), "send-test-passed", email = email)
}

/// The step of the send test, as it fits in [`send_refused`] and [`send_step_failed`].
fn send_step_name(step: crate::mail::send_test::SendStep) -> String {
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

pub fn send_not_arrived(email: &str, waited_secs: u64) -> String {
    fl!(
        loader(),
        "send-not-arrived",
        email = email,
        waited_secs = waited_secs.to_string()
    )
}

pub fn hint_send_not_arrived() -> String {
    fl!(loader(), "hint-send-not-arrived")
}

/// The offer at the end of an interactive setup or rotation.
pub fn ask_send_test() -> &'static str {
    static_text("ask-send-test", || fl!(loader(), "ask-send-test"))
}

pub fn option_skip_send_test() -> String {
    fl!(loader(), "option-skip-send-test")
}

pub fn option_send_test() -> String {
    fl!(loader(), "option-send-test")
}

// ---- hostile input, signals and slips (issue 9)

/// Someone else's text (a typed address, a saved name) made safe to show.
fn shown(text: &str) -> String {
    crate::display_safe::escape_controls(text)
}

/// A saved address as it goes into a command the person may copy (`icloud-setup rotate
/// EMAIL`): one shell word, and safe to show. An address the program parsed needs no
/// quoting; a hand-edited one (`o'brien@…`, `$(…)@…`) is quoted rather than run.
fn command_word(email: &str) -> String {
    let word = crate::export::quote::shell_word(email);
    let escaped = shown(&word);
    // Only backslashes doubled: nothing acts on the terminal, and the doubling would
    // change the word the shell reads.
    if escaped == word.replace('\\', "\\\\") {
        word
    } else {
        escaped
    }
}

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
        _ => hint_invalid_address(),
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

pub fn hint_name_problem() -> String {
    fl!(loader(), "hint-name-problem")
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

/// `--password-stdin` with standard input a terminal: the password is read hidden instead.
pub fn password_stdin_is_terminal() -> String {
    fl!(loader(), "password-stdin-is-terminal")
}

/// `--imap-server`/`--smtp-server` given to a command that uses the saved servers.
pub fn server_options_do_not_apply(command: &str) -> String {
    fl!(loader(), "server-options-do-not-apply", command = command)
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

pub fn check_summary_heading() -> String {
    fl!(loader(), "check-summary-heading")
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

/// A path made safe to show.
fn shown_path(path: &Path) -> String {
    shown(&path.display().to_string())
}

/// The config path is not a regular file (a device, a FIFO, a directory).
pub fn config_not_a_file(path: &Path) -> String {
    fl!(loader(), "config-not-a-file", path = shown_path(path))
}

pub fn hint_config_not_a_file() -> String {
    fl!(loader(), "hint-config-not-a-file")
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

/// Standard output could not be written (exit 1, as coreutils do).
pub fn hint_output_failed() -> String {
    fl!(loader(), "hint-output-failed")
}

/// The config was saved, then a signal arrived: the save is complete.
pub fn stopped_after_saving() -> String {
    fl!(loader(), "stopped-after-saving")
}

/// The label of the keyring entry, as Seahorse (Passwords and Keys) and KWallet show it, in
/// the language of the run that saved it (the entry is found by its attributes, never by
/// its label).
pub fn keyring_label(email: &str) -> String {
    fl!(loader(), "keyring-label", email = email)
}

// ---- the live test's own words: details, transcript, addresses (issues 9 and 10)

/// Why `--imap-server` / `--smtp-server` is not a `HOST:PORT`.
pub fn server_address_problem(problem: &ServerAddressProblem) -> String {
    match problem {
        ServerAddressProblem::WithoutPort { input } => server_address_without_port(input),
        ServerAddressProblem::BadPort { input } => server_address_bad_port(input),
        ServerAddressProblem::WithoutHost { input } => server_address_without_host(input),
    }
}

/// Why `--ca-file` cannot be used (the TLS library's or the system's own words, or ours).
pub fn ca_file_problem(problem: &CaFileProblem) -> String {
    match problem {
        CaFileProblem::Unreadable(detail) | CaFileProblem::BadCertificate(detail) => detail.clone(),
        CaFileProblem::NoCertificates => ca_file_has_no_certificates(),
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
        Detail::NoAnswerInTime => no_answer_in_time_detail(),
        Detail::ServerClosed => fl!(l, "detail-server-closed"),
        Detail::NoGreeting => no_greeting_detail(),
        Detail::TlsFirst => tls_first_detail(),
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

fn attempt_summary(attempt: &ConnectAttempt) -> String {
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
        TranscriptLine::NoGreetingCheckingTls => transcript_no_greeting(),
        TranscriptLine::TlsFirstFound => transcript_tls_first(),
        TranscriptLine::StartTlsMissing => fl!(l, "transcript-starttls-missing"),
        TranscriptLine::UsingPreconnected => fl!(l, "transcript-using-preconnected"),
        TranscriptLine::PreconnectionRedone => fl!(l, "transcript-preconnection-redone"),
        TranscriptLine::FolderListGivenUp => fl!(l, "transcript-folder-list-given-up"),
    };
    format!("{protocol} {text}")
}

// ---------------------------------------------------------------- man page (issue 14)
//
// The sections of `man icloud-setup` that `--help` does not have. The rest of the page is
// the `--help` text itself.

pub fn manpage_heading_exit_status() -> &'static str {
    "EXIT STATUS"
}

pub fn manpage_heading_files() -> &'static str {
    "FILES"
}

pub fn manpage_heading_environment() -> &'static str {
    "ENVIRONMENT"
}

pub fn manpage_heading_examples() -> &'static str {
    "EXAMPLES"
}

pub fn manpage_heading_see_also() -> &'static str {
    "SEE ALSO"
}

/// The heading of the commands other programs run (`git-credential`).
pub fn manpage_heading_for_programs() -> &'static str {
    "FOR OTHER PROGRAMS"
}

pub fn manpage_exit_status_intro() -> String {
    "The exit codes follow sysexits(3), as mail programs use them, so a script can tell a \
     wrong password from a network problem."
        .into()
}

/// Each exit code and what it means.
pub fn manpage_exit_codes() -> Vec<(u8, String)> {
    vec![
        (0, "Done.".into()),
        (
            1,
            "Standard output could not be written (a full disk, a closed file); nothing else \
             went wrong."
                .into(),
        ),
        (2, "The command line is wrong.".into()),
        (
            64,
            "A question would have to be asked but there is no terminal and the flag for it \
             is missing, or it is not clear which saved account is meant."
                .into(),
        ),
        (
            65,
            "Invalid input: an address, an empty password, unreadable standard input.".into(),
        ),
        (67, "No saved account matches.".into()),
        (
            69,
            "A server cannot be reached: its name did not resolve or the connection was \
             refused."
                .into(),
        ),
        (74, "The config file could not be read or written.".into()),
        (
            75,
            "Try again later: a time limit passed, the connection dropped or the server was \
             busy."
                .into(),
        ),
        (
            76,
            "TLS or protocol failure: the certificate, its host name, the handshake, STARTTLS \
             not offered, or the wrong kind of TLS for the port."
                .into(),
        ),
        (
            77,
            "The login was rejected: a wrong password, or not an app-specific one.".into(),
        ),
        (
            78,
            "The config file cannot be parsed, or the keyring is missing, locked or not \
             answering, or pass is missing, not set up, or its GPG key cannot be used."
                .into(),
        ),
        (
            130,
            "Cancelled (Ctrl-C, Esc, SIGTERM, SIGHUP): the terminal is restored and nothing is \
             saved (or, when the signal came after the last step of a save, all is saved and \
             said so)."
                .into(),
        ),
    ]
}

/// The files and the keyring entry the program uses, with what each holds.
pub fn manpage_files() -> Vec<(String, String)> {
    vec![
        (
            "$XDG_CONFIG_HOME/icloud-setup/config.toml".into(),
            "The saved accounts (default ~/.config/icloud-setup/config.toml, or the file \
             --config names): addresses, usernames, servers and the time of the last \
             successful test, never the password. Readable by its owner only, in a directory \
             only its owner can enter. Comments and keys added by hand are kept when it is \
             rewritten."
                .into(),
        ),
        (
            "$XDG_CONFIG_HOME/icloud-setup/.config.toml.lock".into(),
            "Held while the config is changed, so two runs at once cannot lose each other's \
             accounts."
                .into(),
        ),
        (
            "Secret Service item: service icloud-setup, username EMAIL".into(),
            "The app-specific password, in the system keyring (GNOME Keyring, KeePassXC …). \
             Other programs read it with: secret-tool lookup service icloud-setup username \
             EMAIL"
                .into(),
        ),
        (
            "$PASSWORD_STORE_DIR/icloud-setup/EMAIL.gpg".into(),
            "The app-specific password of an account set up with --store pass, encrypted \
             with the password store's GPG key (default ~/.password-store). Read it with: \
             pass show icloud-setup/EMAIL"
                .into(),
        ),
    ]
}

/// The environment variables the program reads, with what each does.
pub fn manpage_environment() -> Vec<(String, String)> {
    vec![
        (
            "ICLOUD_SETUP_CONFIG".into(),
            "The config file to use, as --config.".into(),
        ),
        (
            "ICLOUD_SETUP_IMAP_SERVER, ICLOUD_SETUP_SMTP_SERVER".into(),
            "The servers to test (HOST:PORT), as --imap-server and --smtp-server.".into(),
        ),
        (
            "ICLOUD_SETUP_CA_FILE".into(),
            "Certificate authorities to trust as well as the system's, as --ca-file.".into(),
        ),
        (
            "XDG_CONFIG_HOME".into(),
            "Where the config directory is (default ~/.config).".into(),
        ),
        (
            "NO_COLOR".into(),
            "Turns colors off with --color auto.".into(),
        ),
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            "The session bus on which the Secret Service keyring is found.".into(),
        ),
    ]
}

/// Example uses: what it does, then the command.
pub fn manpage_examples() -> Vec<(String, String)> {
    vec![
        (
            "Set up an account with the wizard:".into(),
            "icloud-setup".into(),
        ),
        (
            "Set up an account from a script, the password on standard input:".into(),
            "icloud-setup setup --email john@icloud.com --password-stdin < password-file".into(),
        ),
        (
            "Put a new app-specific password in place:".into(),
            "icloud-setup rotate john@icloud.com".into(),
        ),
        (
            "Check every saved account against Apple's servers:".into(),
            "icloud-setup check".into(),
        ),
        (
            "Write a configuration for msmtp:".into(),
            "icloud-setup export msmtp >> ~/.msmtprc".into(),
        ),
        (
            "Send patches with git send-email, the password from the keyring:".into(),
            "icloud-setup export git >> ~/.gitconfig".into(),
        ),
    ]
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

// ---- git-credential (issue 22): its --verbose lines on standard error

/// `store` (true) or `erase` (false) was asked and changed nothing.
pub fn git_credential_ignored(store: bool) -> String {
    if store {
        fl!(loader(), "git-credential-store-ignored")
    } else {
        fl!(loader(), "git-credential-erase-ignored")
    }
}

/// An operation this helper does not know (already escaped).
pub fn git_credential_unknown_operation(operation: &str) -> String {
    fl!(
        loader(),
        "git-credential-unknown-operation",
        operation = operation
    )
}

/// git's request could not be read within the bounds, or was not `key=value` lines.
pub fn git_credential_unreadable(problem: &crate::git_credential::ReadProblem) -> String {
    use crate::git_credential::{MAX_INPUT_BYTES, MAX_LINES, ReadProblem};
    match problem {
        ReadProblem::TooLong => fl!(
            loader(),
            "git-credential-too-long",
            bytes = MAX_INPUT_BYTES.to_string(),
            lines = MAX_LINES.to_string()
        ),
        ReadProblem::Malformed => fl!(loader(), "git-credential-malformed"),
        ReadProblem::Io(error) => fl!(
            loader(),
            "git-credential-malformed-io",
            detail = error.to_string()
        ),
    }
}

/// Why nothing was answered (what git sent, already escaped).
pub fn git_credential_declined(why: &crate::git_credential::Decline) -> String {
    use crate::git_credential::Decline;
    let l = loader();
    match why {
        Decline::NotSmtp {
            protocol: Some(protocol),
        } => fl!(l, "git-credential-not-smtp", protocol = protocol.as_str()),
        Decline::NotSmtp { protocol: None } => fl!(l, "git-credential-no-protocol"),
        Decline::NoHost => fl!(l, "git-credential-no-host"),
        Decline::NoAccount { server } => {
            fl!(l, "git-credential-no-account", server = server.as_str())
        }
        Decline::OtherUsername { server, username } => fl!(
            l,
            "git-credential-other-username",
            server = server.as_str(),
            username = username.as_str()
        ),
        Decline::Several { server } => {
            fl!(l, "git-credential-several", server = server.as_str())
        }
    }
}

/// The password went to git.
pub fn git_credential_answered(email: &str, username: &str) -> String {
    fl!(
        loader(),
        "git-credential-answered",
        email = email,
        username = username
    )
}

/// The username or password holds a line break, which the protocol cannot carry.
pub fn git_credential_uncarriable(email: &str) -> String {
    fl!(loader(), "git-credential-uncarriable", email = email)
}

/// `get` with standard output on a terminal: nothing printed.
pub fn git_credential_terminal() -> String {
    fl!(loader(), "git-credential-terminal")
}

/// A panic ended the run (exit 70): a bug, and where to report it.
pub fn internal_error(url: &str) -> String {
    fl!(loader(), "internal-error", url = url)
}

/// `--help`'s note of an argument's environment variable, as clap's `[env: …]`.
pub fn help_env(name: &str) -> String {
    fl!(loader(), "help-env", name = name)
}

/// `--help`'s note of an argument's default, as clap's `[default: …]`.
pub fn help_default(value: &str) -> String {
    fl!(loader(), "help-default", value = value)
}

/// `--help`'s note of an argument's values, as clap's `[possible values: …]`.
pub fn help_possible_values(values: &str) -> String {
    fl!(loader(), "help-possible-values", values = values)
}

/// The heading of the long `--help`'s list of values, as clap's "Possible values:".
pub fn help_possible_values_heading() -> String {
    fl!(loader(), "help-possible-values-heading")
}

/// The systemd units' `Description=` lines and the comment on top of each file.
pub fn watch_service_description() -> String {
    fl!(loader(), "watch-service-description")
}

pub fn watch_timer_description() -> String {
    fl!(loader(), "watch-timer-description")
}

pub fn watch_file_comment() -> String {
    fl!(loader(), "watch-file-comment")
}

/// `watch on` finished: the timer is enabled.
pub fn watch_on(timer: &Path, next: Option<&str>) -> String {
    let timer = shown_path(timer);
    match next {
        Some(next) => fl!(loader(), "watch-on-next", timer = timer, next = shown(next)),
        None => fl!(loader(), "watch-on", timer = timer),
    }
}

/// `watch on` wrote the units but no user service manager answered.
pub fn watch_no_user_manager(dir: &Path) -> String {
    fl!(loader(), "watch-no-user-manager", dir = shown_path(dir))
}

pub fn hint_watch_no_user_manager(enable: &str) -> String {
    fl!(loader(), "hint-watch-no-user-manager", enable = enable)
}

/// `systemctl` failed for another reason than a missing manager.
pub fn watch_systemctl_failed(command: &str, problem: &str) -> String {
    fl!(
        loader(),
        "watch-systemctl-failed",
        command = command,
        problem = shown(problem)
    )
}

pub fn hint_watch_systemctl_failed(command: &str) -> String {
    fl!(loader(), "hint-watch-systemctl-failed", command = command)
}

/// The watch's files could not be written or removed.
pub fn watch_files_failed(path: &Path, source: &io::Error) -> String {
    fl!(
        loader(),
        "watch-files-failed",
        path = shown_path(path),
        problem = source.to_string()
    )
}

/// A path a unit file or crontab line cannot hold (a line break, a control character).
pub fn watch_path_unusable(path: &Path) -> String {
    fl!(loader(), "watch-path-unusable", path = shown_path(path))
}

pub fn hint_watch_path_unusable() -> String {
    fl!(loader(), "hint-watch-path-unusable")
}

/// No systemd: the crontab line that does the same.
pub fn watch_crontab(line: &str) -> String {
    fl!(loader(), "watch-crontab", line = line)
}

/// macOS: the launchd agent was written; how to load it.
pub fn watch_launchd(path: &Path, load: &str) -> String {
    fl!(
        loader(),
        "watch-launchd",
        path = shown_path(path),
        load = load
    )
}

pub fn watch_off(removed: usize) -> String {
    fl!(loader(), "watch-off", count = removed)
}

pub fn watch_was_off() -> String {
    fl!(loader(), "watch-was-off")
}

/// `watch off` removed the files but could not tell systemd.
pub fn watch_off_manager_not_told(disable: &str) -> String {
    fl!(loader(), "watch-off-manager-not-told", disable = disable)
}

/// `watch status`, the first line.
pub fn watch_status_on(timer: &Path, enabled: Option<bool>) -> String {
    let timer = shown_path(timer);
    match enabled {
        Some(true) | None => fl!(loader(), "watch-status-on", timer = timer),
        Some(false) => fl!(loader(), "watch-status-written-not-enabled", timer = timer),
    }
}

pub fn watch_status_off() -> String {
    fl!(loader(), "watch-status-off")
}

pub fn watch_status_next(next: &str) -> String {
    fl!(loader(), "watch-status-next", next = shown(next))
}

/// The timer's last run, as systemd recorded it: when, and the exit code.
pub fn watch_status_last_run(when: &str, code: &str) -> String {
    fl!(
        loader(),
        "watch-status-last-run",
        when = shown(when),
        code = shown(code)
    )
}

/// One account's last successful check, from the profile.
pub fn watch_status_account(email: &str, verified_at: Option<&str>, days: Option<u64>) -> String {
    let email = shown(email);
    match (verified_at, days) {
        (Some(at), Some(days)) => fl!(
            loader(),
            "watch-status-account-passed",
            email = email,
            date = shown(at),
            days = days
        ),
        (Some(at), None) => fl!(
            loader(),
            "watch-status-account-passed-at",
            email = email,
            date = shown(at)
        ),
        (None, _) => fl!(loader(), "watch-status-account-never", email = email),
    }
}

/// `watch off` without systemd: the crontab line is the person's to remove.
pub fn watch_off_crontab() -> String {
    fl!(loader(), "watch-off-crontab")
}

/// `watch status` without systemd: whether cron runs the check cannot be told.
pub fn watch_status_no_systemd() -> String {
    fl!(loader(), "watch-status-no-systemd")
}

/// macOS `watch off`: how to unload the agent launchd still holds.
pub fn watch_launchd_unload(unload: &str) -> String {
    fl!(loader(), "watch-launchd-unload", unload = unload)
}

// ---- the password's age, the quiet check, notifications and the watch (issue 23)

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

fn store_kind_name(kind: StoreKind) -> String {
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

/// `check` passed but `verified_at` could not be written; `why` is the worded error.
pub fn verification_not_recorded(why: &str) -> String {
    fl!(loader(), "verification-not-recorded", why = why)
}

/// A password of the app-specific shape but with capital letters (Caps Lock).
pub fn password_caps_lock() -> String {
    fl!(loader(), "password-caps-lock")
}

/// The same, for `--password-stdin`, where it is not asked again.
pub fn warning_caps_lock_password_flag() -> String {
    fl!(loader(), "warning-caps-lock-password-flag")
}

// ---------------------------------------------------------------- folders (issue 21)

/// `status`'s lines about the account's folders: one per role found, or why there are none.
fn status_folders(account: &Account) -> Vec<String> {
    let l = loader();
    let Some(roles) = account.folder_roles() else {
        return vec![fl!(
            l,
            "status-folders-not-learned",
            email = shown(&account.email)
        )];
    };
    if roles.is_empty() {
        return vec![fl!(l, "status-folders-none")];
    }
    roles
        .found()
        .map(|(role, folder)| {
            fl!(
                l,
                "status-folder",
                role = role.key(),
                folder = shown(folder)
            )
        })
        .collect()
}

#[cfg(test)]
mod bounds_tests {
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
