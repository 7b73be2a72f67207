//! `icloud-setup git-credential get|store|erase`: the credential helper that
//! `icloud-setup export git` names, run by git, not by a person.
//!
//! `get` reads git's request from standard input (bounded, see [`crate::git_credential`]),
//! and when it is for a saved account's SMTP server prints `username=` and `password=`;
//! for anything else it prints nothing and exits 0, so git asks its other helpers. `store`
//! and `erase` change nothing: the keyring entry belongs to this program, and a password
//! the server refused is replaced by `icloud-setup rotate`, not deleted by git. It never
//! prompts (git may run it without a terminal) and says why it did what it did on standard
//! error with `--verbose` only, since git shows a helper's standard error to the person.

use secrecy::ExposeSecret;

use crate::commands::context::Context;
use crate::config::Account;
use crate::display_safe::escape_controls;
use crate::error::Error;
use crate::git_credential::{self, Decision, Decline, ReadProblem};
use crate::messages;

pub(crate) fn run(ctx: &mut Context<'_>, operation: &str) -> Result<(), Error> {
    match operation {
        "get" => get(ctx),
        "store" | "erase" => {
            git_credential::discard_request(ctx.stdin);
            note(ctx, &messages::git_credential_ignored(operation == "store"));
            Ok(())
        }
        // gitcredentials(7): an operation a helper does not know is ignored silently, so
        // git can add new ones.
        other => {
            git_credential::discard_request(ctx.stdin);
            note(
                ctx,
                &messages::t!(
                    "git-credential-unknown-operation",
                    operation = escape_controls(other)
                ),
            );
            Ok(())
        }
    }
}

fn get(ctx: &mut Context<'_>) -> Result<(), Error> {
    let request = match git_credential::read_request(ctx.stdin) {
        Ok(request) => request,
        Err(ReadProblem::Io(source)) => {
            return Err(Error::StdinUnreadable {
                detail: source.to_string(),
            });
        }
        Err(problem) => {
            note(ctx, &messages::git_credential_unreadable(&problem));
            return Ok(());
        }
    };
    let config = ctx.config.load()?;
    let account = match git_credential::decide(&request, &config.accounts) {
        Decision::Answer(account) => account,
        Decision::Decline(why) => {
            note(ctx, &messages::git_credential_declined(&safe(why)));
            return Ok(());
        }
    };
    if ctx.stdout_is_terminal {
        // A person typed the request: the password is for git's pipe, not a screen.
        crate::streams::to_stderr(&messages::t!("git-credential-terminal"));
        return Ok(());
    }
    answer(ctx, account)
}

/// Prints the account's SMTP username and password, as git reads them.
fn answer(ctx: &mut Context<'_>, account: &Account) -> Result<(), Error> {
    let (kind, store) = crate::commands::store_for(ctx, account)?;
    let secret = store
        .read(&account.email)?
        .ok_or_else(|| Error::SecretMissing {
            email: account.email.clone(),
            store: kind,
        })?;
    let username = &account.smtp.username;
    // A line break or NUL would end the value early and start another attribute.
    let carried = |value: &str| !value.contains(['\n', '\r', '\0']);
    if !carried(username) || !carried(secret.expose_secret()) {
        note(
            ctx,
            &messages::t!("git-credential-uncarriable", email = &account.email),
        );
        return Ok(());
    }
    // Straight from the zeroizing secret to the stream, as `password` does.
    let written = ctx
        .stdout
        .write_all(format!("username={username}\npassword=").as_bytes())
        .and_then(|()| ctx.stdout.write_all(secret.expose_secret().as_bytes()))
        .and_then(|()| ctx.stdout.write_all(b"\n"))
        .and_then(|()| ctx.stdout.flush());
    written.map_err(Error::Output)?;
    note(
        ctx,
        &messages::t!(
            "git-credential-answered",
            email = &account.email,
            username = &account.smtp.username
        ),
    );
    Ok(())
}

/// `why` with what git sent escaped for the terminal.
fn safe(why: Decline) -> Decline {
    match why {
        Decline::NotSmtp { protocol } => Decline::NotSmtp {
            protocol: protocol.map(|p| escape_controls(&p)),
        },
        Decline::NoHost => Decline::NoHost,
        Decline::NoAccount { server } => Decline::NoAccount {
            server: escape_controls(&server),
        },
        Decline::OtherUsername { server, username } => Decline::OtherUsername {
            server: escape_controls(&server),
            username: escape_controls(&username),
        },
        Decline::Several { server } => Decline::Several {
            server: escape_controls(&server),
        },
    }
}

/// A line on standard error with `--verbose`.
fn note(ctx: &Context<'_>, text: &str) {
    if ctx.options.verbose {
        crate::streams::to_stderr(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_git_sent_is_escaped_before_it_is_shown() {
        let why = safe(Decline::OtherUsername {
            server: "h\u{1b}[2J:587".into(),
            username: "a\nb".into(),
        });
        assert_eq!(
            why,
            Decline::OtherUsername {
                server: "h\\e[2J:587".into(),
                username: "a\\nb".into()
            }
        );
    }
}
