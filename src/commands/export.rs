//! `icloud-setup export CLIENT [EMAIL]`: a ready configuration for a mail program, printed on
//! standard output.
//!
//! This command gathers what every format needs into an [`ExportInput`] — the saved account
//! (picked by the EMAIL rules of [`accounts::pick`]), the password command, the CA file of
//! `--ca-file`, and for mbsync the isync syntax — and prints what the client's renderer in
//! [`crate::export`] makes of it. It never reads the keyring or touches the network.

use std::path::{Path, PathBuf};

use crate::cli::ExportArgs;
use crate::commands::accounts;
use crate::commands::context::{Context, write_stdout};
use crate::config::{Account, ConfigStore};
use crate::error::Error;
use crate::export::{
    Client, ExportInput, IsyncChoice, IsyncSyntax, PasswordCommand, Program, Words, mbsync, render,
};
use crate::messages;

/// Prints the configuration of `args.client` for the account `args.email` names.
pub(crate) fn run(ctx: &mut Context<'_>, args: &ExportArgs) -> Result<(), Error> {
    let config = ctx.config.load()?;
    let account = accounts::pick(
        &config,
        args.email.as_deref(),
        ctx.prompter,
        &format!("export {}", client_name(args.client)),
    )?;
    check_account(account)?;

    let config_path = absolute(ctx.config.path());
    let named_config =
        if ConfigStore::default_path().map(|p| absolute(&p)) == Some(config_path.clone()) {
            None
        } else {
            Some(utf8_path(
                &config_path,
                &messages::t!("export-config-path"),
            )?)
        };
    let ca_file = match &ctx.options.ca_file {
        Some(path) => Some(utf8_path(
            &absolute(path),
            &messages::t!("export-ca-file-path"),
        )?),
        None => None,
    };
    let isync = match (args.client, args.isync) {
        (_, Some(syntax)) => IsyncChoice::from_flag(syntax),
        (Client::Mbsync, None) => mbsync::detect(),
        // Only mbsync reads it.
        (_, None) => IsyncChoice::from_flag(IsyncSyntax::NEWEST),
    };
    let input = ExportInput {
        account,
        password_command: PasswordCommand::new(
            &Program::current(),
            &account.email,
            named_config.as_deref(),
        ),
        ca_file,
        isync,
        words: Words(&messages::export_note),
    };
    let text = render(args.client, &input);
    // A line the client cannot read would make it refuse the whole file.
    if let Some(limit) = args.client.line_limit()
        && let Some(length) = text.lines().map(str::len).filter(|l| *l > limit).max()
    {
        return Err(Error::ExportLineTooLong {
            client: args.client.name(),
            limit,
            length,
        });
    }
    write_stdout(ctx, &text)
}

/// The client's name as the command line takes it (`msmtp`, `mbsync`, …).
fn client_name(client: Client) -> String {
    use clap::ValueEnum;
    client.to_possible_value().map_or_else(
        || format!("{client:?}").to_lowercase(),
        |v| v.get_name().to_string(),
    )
}

/// Refuses values no client format can carry: a line break in a name or host (possible in a
/// hand-edited config) would end the setting early and start a new one in the client's file.
fn check_account(account: &Account) -> Result<(), Error> {
    let fields = [
        ("email", account.email.as_str()),
        ("login", account.login.as_str()),
        ("name", account.name.as_deref().unwrap_or("")),
        ("imap.host", account.imap.host.as_str()),
        ("imap.username", account.imap.username.as_str()),
        ("smtp.host", account.smtp.host.as_str()),
        ("smtp.username", account.smtp.username.as_str()),
    ];
    for (what, value) in fields {
        check_value(what, value)?;
    }
    Ok(())
}

fn check_value(what: &str, value: &str) -> Result<(), Error> {
    if value.chars().any(char::is_control) {
        return Err(Error::ExportUnrepresentable {
            what: what.to_string(),
            value: value.to_string(),
        });
    }
    Ok(())
}

/// The path as text for a client's file: it must be UTF-8 and free of control characters.
fn utf8_path(path: &Path, what: &str) -> Result<String, Error> {
    let text = path.to_str().ok_or_else(|| Error::ExportUnrepresentable {
        what: what.to_string(),
        value: path.display().to_string(),
    })?;
    check_value(what, text)?;
    Ok(text.to_string())
}

/// Paths written into a client's file must not depend on where the client happens to run.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_input;

    #[test]
    fn a_line_break_in_a_saved_value_is_refused_not_written() {
        let mut account = test_input::account();
        account.name = Some("John\nset imap_pass = x".into());
        let error = check_account(&account).unwrap_err();
        assert_eq!(error.exit_code(), 65);
        assert!(error.to_string().contains("name"), "{error}");
    }
}
