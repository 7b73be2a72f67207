//! `icloud-setup status [EMAIL] [--json]`: the saved accounts, their usernames, the last
//! successful live test, when the password was saved (and how many days ago), and where
//! each secret lives — present or missing, with the exact command that reads it on this
//! platform. No network. Keyring entries of this program that no saved account lists are
//! named too, with how to remove them. The folders the last live test learned are shown by
//! role.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::commands::accounts;
use crate::commands::context::{Context, write_stdout};
use crate::config::{Account, ServerSettings};
use crate::error::Error;
use crate::messages;
use crate::secrets::{SecretLocation, SecretState, StoreKind, StoreProblem};

pub(crate) fn run(ctx: &mut Context<'_>, email: Option<&str>, json: bool) -> Result<(), Error> {
    let config = ctx.config.load()?;
    let accounts: Vec<&Account> = match email {
        Some(_) => vec![accounts::pick(&config, email, ctx.prompter, "status")?],
        None => config.accounts.iter().collect(),
    };
    let mut keyring_problem = None;
    let mut entries = Vec::new();
    let mut kinds = Vec::new();
    for account in accounts {
        let store = StoreKind::from_config(account.secret.as_deref(), &account.email);
        let kind = store.clone().unwrap_or_default();
        let place = crate::commands::pass_place(ctx, Some(account));
        let found = store.and_then(|kind| {
            crate::commands::store_at(ctx, kind, &place).has_entry(&account.email)
        });
        let state = match found {
            Ok(true) => SecretState::Present,
            Ok(false) => SecretState::Missing,
            Err(problem) => {
                keyring_problem.get_or_insert(problem.clone());
                SecretState::Unknown(problem)
            }
        };
        let location = crate::commands::store_at(ctx, kind, &place).location(&account.email);
        entries.push((account, state, location));
        kinds.push(kind);
    }
    // Keyring entries no saved account lists (an interrupted save), when listing all.
    let orphans = match email {
        Some(_) => Vec::new(),
        None => orphaned_secrets(ctx, &config),
    };
    let text = if json {
        render_json(
            ctx.config.path().display().to_string(),
            &entries,
            &kinds,
            &orphans,
        )
    } else {
        let mut text = messages::status(ctx.config.path(), &entries);
        if !orphans.is_empty() {
            text.push_str(&messages::status_orphans(&orphans));
        }
        // Plain ASCII symbols outside a UTF-8 locale (the JSON is left as it is).
        crate::display_safe::for_terminal(&text, crate::display_safe::locale_is_utf8())
    };
    write_stdout(ctx, &text)?;
    match keyring_problem {
        // Everything else was shown; the exit code still says the keyring is unusable.
        Some(problem) => Err(problem.into()),
        None => Ok(()),
    }
}

/// Accounts with an entry in the secret store that the config does not list. A store that
/// cannot list, or fails to, gives none: this is a courtesy, not a check.
fn orphaned_secrets(ctx: &Context<'_>, config: &crate::config::ConfigFile) -> Vec<String> {
    match ctx.secrets.accounts() {
        Ok(Some(listed)) => listed
            .into_iter()
            .filter(|email| config.find(email).is_none())
            .collect(),
        _ => Vec::new(),
    }
}

#[derive(Serialize)]
struct JsonStatus<'a> {
    config: String,
    accounts: Vec<JsonAccount<'a>>,
    /// Keyring entries of this program that no saved account lists; `[]` when there are
    /// none (or with EMAIL), so scripts read one shape.
    orphaned_secrets: &'a [String],
}

#[derive(Serialize)]
struct JsonAccount<'a> {
    email: &'a str,
    login: &'a str,
    name: Option<&'a str>,
    verified_at: Option<&'a str>,
    /// When the saved password was stored (RFC 3339), `null` in profiles from before it
    /// was recorded.
    password_saved_at: Option<&'a str>,
    /// Whole days since then.
    password_age_days: Option<u64>,
    imap: JsonServer<'a>,
    smtp: JsonServer<'a>,
    secret: JsonSecret,
    /// The folder of each role the last live test found, by role code (`sent`, `drafts`,
    /// `trash`, `junk`, `archive`); `null` for a profile saved before folders were learned.
    folders: Option<BTreeMap<&'static str, String>>,
}

#[derive(Serialize)]
struct JsonServer<'a> {
    host: &'a str,
    port: u16,
    security: crate::config::Security,
    username: &'a str,
}

#[derive(Serialize)]
struct JsonSecret {
    /// Where the secret is kept, as a stable code: `keyring` or `pass`.
    store: &'static str,
    /// Which store exactly, as a stable code: `secret_service`, `macos_keychain`,
    /// `windows_credential_manager`, `pass`.
    backend: &'static str,
    /// `null` when the keyring could not be asked.
    present: Option<bool>,
    read_command: String,
    /// A stable code, never prose (the output is not translated): `unavailable`,
    /// `not_answering`, `locked` or `failed`; `null` when the keyring answered.
    problem: Option<&'static str>,
    /// The platform's own words about the problem, when it gave any.
    problem_detail: Option<String>,
}

/// The machine code and the platform's words of a keyring problem.
fn problem_code(problem: &StoreProblem) -> (&'static str, Option<String>) {
    match problem {
        StoreProblem::Unavailable(detail) => ("unavailable", Some(detail.clone())),
        StoreProblem::NotAnswering => ("not_answering", None),
        StoreProblem::Locked(detail) => ("locked", Some(detail.clone())),
        StoreProblem::Failed(detail) => ("failed", Some(detail.clone())),
        StoreProblem::Pass(problem) => (problem.code(), problem.detail()),
        StoreProblem::UnknownStore(value) => ("unknown_store", Some(value.clone())),
    }
}

fn server(settings: &ServerSettings) -> JsonServer<'_> {
    JsonServer {
        host: &settings.host,
        port: settings.port,
        security: settings.security,
        username: &settings.username,
    }
}

fn render_json(
    config: String,
    entries: &[(&Account, SecretState, SecretLocation)],
    kinds: &[StoreKind],
    orphans: &[String],
) -> String {
    let accounts = entries
        .iter()
        .zip(kinds)
        .map(|((account, state, location), kind)| JsonAccount {
            email: &account.email,
            login: &account.login,
            name: account.name.as_deref(),
            verified_at: account.verified_at.as_deref(),
            password_saved_at: account.password_saved_at.as_deref(),
            password_age_days: account.password_age_days(std::time::SystemTime::now()),
            imap: server(&account.imap),
            smtp: server(&account.smtp),
            folders: account.folder_roles().map(|roles| {
                roles
                    .found()
                    .map(|(role, folder)| (role.key(), folder.to_string()))
                    .collect()
            }),
            secret: JsonSecret {
                store: kind.code(),
                backend: location.store.code(),
                present: match state {
                    SecretState::Present => Some(true),
                    SecretState::Missing => Some(false),
                    SecretState::Unknown(_) => None,
                },
                read_command: location.read_command.clone(),
                problem: match state {
                    SecretState::Unknown(problem) => Some(problem_code(problem).0),
                    _ => None,
                },
                problem_detail: match state {
                    SecretState::Unknown(problem) => problem_code(problem).1,
                    _ => None,
                },
            },
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&JsonStatus {
        config,
        accounts,
        orphaned_secrets: orphans,
    })
    .expect("status is plain data and always serializes");
    text.push('\n');
    text
}
