//! The setup flow of PRODUCT.md ("The flow", steps 1–7): ask (or take from flags), plan,
//! test live, and only then save — secret first, read back, then the config.
//!
//! Every question has a flag twin. Without a terminal, missing answers are named before
//! the first question, and nothing is asked. A failure before the save leaves the
//! keyring and the config untouched; a failure during the save puts the old secret back.

use crate::app::Context;
use crate::cli::SetupArgs;
use crate::domain::{EmailAddress, parse_icloud_login};
use crate::error::Error;
use crate::interrupt::CommitGuard;
use crate::keyring_update::KeyringUpdate;
use crate::live_test::{self, Verified};
use crate::messages;
use crate::plan::AccountPlan;
use crate::prompt::Prompter;

/// `icloud-setup setup` and the first run of the wizard.
pub fn setup(ctx: &mut Context<'_>, args: &SetupArgs) -> Result<(), Error> {
    // A config that cannot be read stops us before anyone types a password.
    ctx.config.load()?;

    let email_flag = args.email.as_deref().map(parse_address).transpose()?;
    let login_flag = args.login.as_deref().map(parse_login).transpose()?;
    let missing = missing_flags(
        email_flag.as_ref(),
        login_flag.is_some(),
        args.password_stdin,
    );
    if !missing.is_empty() && !ctx.prompter.can_prompt() {
        return Err(Error::NeedsTerminal {
            missing_flags: missing,
        });
    }
    let piped_password = if args.password_stdin {
        Some(live_test::read_password_line(ctx.stdin)?)
    } else {
        None
    };
    // The servers are known before anything is asked: both connections open now, up to
    // the logins, while the person types (nothing about the account is sent before Enter).
    // A piped password that is unusable ends the run above, before any connection.
    let pre = live_test::preconnect(ctx, &ctx.options.servers);

    let asked_for_address = email_flag.is_none();
    let email = match email_flag {
        Some(email) => email,
        None => {
            ctx.prompter.say(&messages::welcome());
            ask_address(ctx.prompter)?
        }
    };
    let login = match login_flag {
        Some(login) => login,
        None if email.is_icloud() => email.clone(),
        None => {
            ctx.prompter
                .say(&messages::custom_domain_explained(email.as_str()));
            ask_login(ctx.prompter)?
        }
    };
    let name = match &args.name {
        Some(name) => Some(name.trim().to_string()).filter(|n| !n.is_empty()),
        None if asked_for_address => ctx.prompter.ask_optional_text(messages::ask_name())?,
        None => None,
    };
    let plan = AccountPlan::new(email, login, name, ctx.options.servers.clone());

    let password = live_test::piped_or_asked(ctx, piped_password, messages::ask_password())?;
    ctx.prompter.say(&messages::plan_summary(&plan));
    let verified = live_test::verify_preconnected(
        ctx,
        &plan,
        password,
        !args.password_stdin,
        messages::ask_password(),
        &pre,
    )?;
    commit(ctx, &plan, &verified)
}

/// The flags that would replace the questions still to be asked.
fn missing_flags(
    email: Option<&EmailAddress>,
    has_login: bool,
    password_stdin: bool,
) -> Vec<&'static str> {
    let mut missing = Vec::new();
    match email {
        None => missing.push("--email"),
        Some(email) if !email.is_icloud() && !has_login => missing.push("--login"),
        Some(_) => {}
    }
    if !password_stdin {
        missing.push("--password-stdin");
    }
    missing
}

fn parse_address(text: &str) -> Result<EmailAddress, Error> {
    EmailAddress::parse(text).map_err(|problem| Error::InvalidAddress { problem })
}

fn parse_login(text: &str) -> Result<EmailAddress, Error> {
    parse_icloud_login(text).map_err(|problem| Error::InvalidAddress { problem })
}

fn ask_address(prompter: &mut dyn Prompter) -> Result<EmailAddress, Error> {
    let text = prompter.ask_text(messages::ask_email(), &|t| EmailAddress::parse(t).map(drop))?;
    parse_address(&text)
}

fn ask_login(prompter: &mut dyn Prompter) -> Result<EmailAddress, Error> {
    let text = prompter.ask_text(messages::ask_login(), &|t| parse_icloud_login(t).map(drop))?;
    parse_login(&text)
}

/// Saves a verified account: the secret into the keyring and read back, then the config.
/// If the config cannot be written, the keyring gets its previous content back.
fn commit(ctx: &mut Context<'_>, plan: &AccountPlan, verified: &Verified) -> Result<(), Error> {
    let _hold_interrupts = CommitGuard::new();
    let email = plan.email.as_str();
    let keyring = KeyringUpdate::begin(ctx.secrets, email)?;
    keyring.store(verified.password.secret())?;
    let account = plan.account(&verified.imap_username, &crate::commands::now_rfc3339());
    if let Err(error) = ctx.config.update(|config| {
        config.upsert(account);
        Ok(())
    }) {
        keyring.roll_back();
        return Err(error);
    }
    let location = ctx.secrets.location(email);
    ctx.prompter
        .say(&messages::saved(email, &location, ctx.config.path()));
    ctx.prompter.say(&messages::next_steps(email));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_flags_are_named() {
        let icloud = EmailAddress::parse("a@icloud.com").unwrap();
        let custom = EmailAddress::parse("a@example.org").unwrap();
        assert_eq!(
            missing_flags(None, false, false),
            ["--email", "--password-stdin"]
        );
        assert_eq!(
            missing_flags(Some(&icloud), false, true),
            Vec::<&str>::new()
        );
        assert_eq!(missing_flags(Some(&custom), false, true), ["--login"]);
        assert_eq!(
            missing_flags(Some(&custom), true, false),
            ["--password-stdin"]
        );
    }
}
