//! The wizard's questions, the plan it shows, what it saved and the settings table.

use std::fmt::Write as _;
use std::path::Path;

use crate::config::Account;
use crate::plan::{AccountPlan, Servers};
use crate::secrets::{SecretLocation, Store};

use super::{address_problem, command_word, fl, loader};

// ---- the plan

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

// ---- saving

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
pub(super) fn store_name(store: Store) -> String {
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

// ---- settings table

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

pub(super) fn usernames_for(email: &str) -> (String, String) {
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
