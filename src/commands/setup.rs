//! The setup flow of PRODUCT.md ("The flow", steps 1–7): ask (or take from flags), plan,
//! test live, and only then save — secret first, read back, then the config.
//!
//! Every question has a flag twin. Without a terminal, missing answers are named before
//! the first question, and nothing is asked. A failure before the save leaves the
//! keyring and the config untouched; a failure during the save puts the old secret back.

use crate::cli::SetupArgs;
use crate::commands::context::Context;
use crate::commands::keyring_update::KeyringUpdate;
use crate::commands::live_test::{self, Verified};
use crate::commands::send_test::{self, SendTarget};
use crate::config::Account;
use crate::domain::{EmailAddress, parse_icloud_login};
use crate::error::Error;
use crate::interrupt::CommitGuard;
use crate::messages;
use crate::plan::AccountPlan;
use crate::prompt::Prompter;
use crate::secrets::{KeyringProblem, StoreKind};

/// `icloud-setup setup` and the first run of the wizard.
pub fn run(ctx: &mut Context<'_>, args: &SetupArgs) -> Result<(), Error> {
    // A config that cannot be read stops us before anyone types a password.
    let config = ctx.config.load()?;

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

    let asked_for_address = email_flag.is_none();
    let email = if let Some(email) = email_flag {
        email
    } else {
        ctx.prompter.say(&messages::welcome());
        ask_address(ctx.prompter)?
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
    let store = StoreDecision::new(args, config.find(plan.email.as_str()))?;
    if store.kind == StoreKind::Pass {
        // pass missing or not set up stops us before anyone types a password.
        ctx.pass.ready()?;
    }

    let password = live_test::piped_or_asked(ctx, piped_password, messages::ask_password())?;
    ctx.prompter.say(&messages::plan_summary(&plan));
    let verified = live_test::verify(
        ctx,
        &plan,
        password,
        !args.password_stdin,
        messages::ask_password(),
    )?;
    // The send test, when asked for or accepted, runs before anything is saved.
    let wait =
        send_test::requested_or_offered(ctx, args.send.requested_wait(), !args.password_stdin)?;
    if let Some(wait) = wait {
        let target = SendTarget {
            plan: &plan,
            imap_username: &verified.imap_username,
            password: &verified.password,
        };
        send_test::run(ctx, &target, wait)?;
    }
    commit(ctx, &plan, &verified, store)
}

/// Where the secret of the account being set up goes.
#[derive(Clone, Copy, Debug)]
struct StoreDecision {
    kind: StoreKind,
    /// `--store` was given: no other store is offered.
    chosen: bool,
    /// The store of the account's earlier secret, when this replaces one kept elsewhere.
    previous: Option<StoreKind>,
}

impl StoreDecision {
    /// `--store`, else the store the account already uses, else the keyring.
    fn new(args: &SetupArgs, saved: Option<&Account>) -> Result<StoreDecision, Error> {
        let previous = saved
            .map(|a| StoreKind::from_config(a.secret.as_deref(), &a.email))
            .transpose();
        // A `secret` line this version cannot read is only passed over when `--store`
        // says where the secret goes now.
        let previous = match (previous, args.store) {
            (Ok(previous), _) => previous,
            (Err(_), Some(_)) => None,
            (Err(problem), None) => return Err(problem.into()),
        };
        let kind = match args.store {
            Some(choice) => choice.into(),
            None => previous.unwrap_or_default(),
        };
        Ok(StoreDecision {
            kind,
            chosen: args.store.is_some(),
            previous,
        })
    }
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

/// Saves a verified account: the secret into its store and read back, then the config.
/// If the config cannot be written, the store gets its previous content back. When the
/// keyring cannot be used and nobody chose it, a person at a terminal may choose `pass`.
fn commit(
    ctx: &mut Context<'_>,
    plan: &AccountPlan,
    verified: &Verified,
    mut store: StoreDecision,
) -> Result<(), Error> {
    let email = plan.email.as_str();
    let keyring = match KeyringUpdate::begin(crate::commands::store_of(ctx, store.kind), email) {
        Ok(update) => update,
        Err(Error::Keyring { problem }) if store.kind == StoreKind::Keyring && !store.chosen => {
            offer_pass(ctx, problem)?;
            store.kind = StoreKind::Pass;
            KeyringUpdate::begin(ctx.pass, email)?
        }
        Err(error) => return Err(error),
    };
    // Held only from here: the offer above is a question, and Ctrl-C there must work.
    let hold_interrupts = CommitGuard::new();
    keyring.store(verified.password.secret())?;
    let mut account = plan.account(&verified.imap_username, &crate::commands::now_rfc3339());
    account.secret = store.kind.config_value(email);
    if let Err(error) = ctx.config.update(|config| {
        config.upsert(account);
        Ok(())
    }) {
        keyring.roll_back();
        return Err(error);
    }
    if let Some(previous) = store.previous.filter(|p| *p != store.kind) {
        // The secret moved; the old copy goes. Best effort: the move itself succeeded.
        let _ = crate::commands::store_of(ctx, previous).delete(email);
    }
    let location = crate::commands::store_of(ctx, store.kind).location(email);
    ctx.prompter
        .say(&messages::saved(email, &location, ctx.config.path()));
    ctx.prompter.say(&messages::next_steps(email));
    Ok(hold_interrupts.finish()?)
}

/// No keyring: at a terminal, and with `pass` ready, offer `pass` instead of stopping.
/// Anything else is the keyring's error, as before.
fn offer_pass(ctx: &mut Context<'_>, problem: KeyringProblem) -> Result<(), Error> {
    let no_keyring = matches!(
        problem,
        KeyringProblem::Unavailable(_) | KeyringProblem::NotAnswering | KeyringProblem::Locked(_)
    );
    if !no_keyring || !ctx.prompter.can_prompt() || ctx.pass.ready().is_err() {
        return Err(problem.into());
    }
    ctx.prompter
        .say(&messages::offer_pass_instead(&messages::keyring_problem(
            &problem,
        )));
    let options = [
        messages::option_use_pass(),
        messages::option_stop_no_keyring(),
    ];
    match ctx.prompter.choose(messages::ask_use_pass(), &options, 0)? {
        0 => Ok(()),
        _ => Err(problem.into()),
    }
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
