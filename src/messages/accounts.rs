//! Living with a saved account: rotate, remove, the menu, `status`.

use std::fmt::Write as _;
use std::path::Path;

use crate::config::Account;
use crate::secrets::SecretLocation;

use super::{command_word, fl, loader, password_saved_line, shown, store_name, store_problem};

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

pub(super) fn verified(account: &Account) -> String {
    match &account.verified_at {
        Some(at) => at.clone(),
        None => fl!(loader(), "never-verified"),
    }
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
                problem = store_problem(problem)
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
