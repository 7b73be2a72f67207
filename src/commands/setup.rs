//! The setup flow of docs/PRODUCT.md ("The flow", steps 1–7): ask (or take from flags), plan,
//! test live, and only then save — secret first, read back, then the config.
//!
//! Every question has a flag twin. Without a terminal, missing answers are named before
//! the first question, and nothing is asked. A failure before the save leaves the
//! keyring and the config untouched; a failure during the save puts the old secret back.

use crate::cli::SetupArgs;
use crate::commands::context::Context;
use crate::commands::live_test::{self, Verified};
use crate::commands::send_test::{self, SendTarget};
use crate::commands::store_update::StoreUpdate;
use crate::config::Account;
use secrecy::SecretString;

use crate::domain::{
    AddressProblem, AppPassword, EmailAddress, NameProblem, parse_display_name, parse_icloud_login,
};
use crate::error::Error;
use crate::interrupt::CommitGuard;
use crate::messages;
use crate::plan::AccountPlan;
use crate::prompt::Prompter;
use crate::secrets::{PassPlace, SecretStore, StoreKind, StoreProblem};

/// `icloud-setup setup` and the first run of the wizard.
pub(crate) fn run(ctx: &mut Context<'_>, args: &SetupArgs) -> Result<(), Error> {
    // A config that cannot be read stops us before anyone types a password.
    let config = ctx.config.load()?;

    let email_flag = args.email.as_deref().map(parse_address).transpose()?;
    let login_flag = args.login.as_deref().map(parse_login).transpose()?;
    // A near miss of an iCloud domain given as a flag: asked about in a terminal; a script
    // cannot be asked, so it is refused with the suggestion — unless --login says the
    // custom domain is meant.
    let email_flag = match email_flag {
        Some(email) if login_flag.is_none() => match email.icloud_near_miss() {
            Some(suggestion) if !ctx.prompter.can_prompt() => {
                return Err(Error::InvalidAddress {
                    problem: AddressProblem::NearMiss {
                        input: email.to_string(),
                        suggestion: suggestion.to_string(),
                    },
                });
            }
            Some(_) => Some(settle_near_miss(ctx.prompter, email)?),
            None => Some(email),
        },
        other => other,
    };
    let name_flag = args
        .name
        .as_deref()
        .map(parse_display_name)
        .transpose()
        .map_err(|problem| Error::InvalidName { problem })?;
    // A saved custom-domain address knows its login already.
    let login_saved = email_flag
        .as_ref()
        .and_then(|email| config.find(email.as_str()))
        .is_some();
    let missing = missing_flags(
        email_flag.as_ref(),
        login_flag.is_some() || login_saved,
        args.password_stdin,
    );
    if !missing.is_empty() && !ctx.prompter.can_prompt() {
        return Err(Error::NeedsTerminal {
            missing_flags: missing,
        });
    }
    let piped_password = if args.password_stdin {
        Some(password_from_stdin(ctx, &messages::t!("ask-password"))?)
    } else {
        None
    };
    // The servers are known before anything is asked: both connections open now, up to
    // the logins, while the person types (nothing about the account is sent before Enter).
    // A piped password that is unusable ends the run above, before any connection.
    let pre = live_test::preconnect(ctx, &ctx.options.servers);

    let asked_for_address = email_flag.is_none();
    let email = if let Some(email) = email_flag {
        email
    } else {
        ctx.prompter.say(&messages::t!("welcome"));
        ask_address(ctx.prompter)?
    };
    let existing = config.find(email.as_str()).cloned();
    if existing.is_some() {
        ctx.prompter.say(&messages::already_saved(email.as_str()));
    }
    let saved_login = existing
        .as_ref()
        .and_then(|a| EmailAddress::parse(&a.login).ok())
        .filter(EmailAddress::is_icloud);
    let login = match (login_flag, saved_login) {
        (Some(login), _) => login,
        (None, _) if email.is_icloud() => email.clone(),
        // A custom domain set up again signs in as before.
        (None, Some(saved)) => saved,
        (None, None) => {
            ctx.prompter.say(&messages::t!(
                "custom-domain-explained",
                email = email.as_str()
            ));
            ask_login(ctx.prompter)?
        }
    };
    let saved_name = existing.as_ref().and_then(|a| a.name.clone());
    let mut name = match name_flag {
        // `--name ""` clears a saved name on purpose.
        Some(given) => given,
        None if asked_for_address => ask_name(ctx.prompter, saved_name.as_deref())?,
        // Setting up a saved address again keeps its name unless a new one is given.
        None => saved_name,
    };

    // Before the password is asked for: the secret store answers and the config folder can
    // be written, so a run never fails after the password went to the servers. With no
    // keyring, a person at a terminal may choose `pass` here.
    let mut store = StoreDecision::new(args, existing.as_ref())?;
    // A `pass` account set up again keeps the store it recorded.
    store.place = crate::commands::pass_place(ctx, existing.as_ref());
    let first = crate::commands::store_at(ctx, store.kind, &store.place);
    let saved_secret = match preflight(ctx, store.kind, &*first, email.as_str()) {
        Err(Error::Keyring { problem }) if store.kind == StoreKind::Keyring && !store.chosen => {
            offer_pass(ctx, problem)?;
            store.kind = StoreKind::Pass;
            let pass = crate::commands::store_at(ctx, store.kind, &store.place);
            preflight(ctx, store.kind, &*pass, email.as_str())?
        }
        other => other?,
    };
    if let (Some(secret), Some(given)) = (&saved_secret, &name)
        && AppPassword::parse(secret).is_ok_and(|p| p.is_spelled_in(given))
    {
        return Err(Error::InvalidName {
            problem: NameProblem::LooksLikePassword,
        });
    }

    let password = live_test::piped_or_asked(ctx, piped_password, &messages::t!("ask-password"))?;
    if let Some(given) = &name
        && password.is_spelled_in(given)
    {
        // The password was pasted at the name question as well: never save it as a name.
        if !asked_for_address || !ctx.prompter.can_prompt() {
            return Err(Error::InvalidName {
                problem: NameProblem::LooksLikePassword,
            });
        }
        ctx.prompter
            .say(&messages::name_problem(&NameProblem::LooksLikePassword));
        name = ask_name(ctx.prompter, None)?;
        if name.as_deref().is_some_and(|n| password.is_spelled_in(n)) {
            return Err(Error::InvalidName {
                problem: NameProblem::LooksLikePassword,
            });
        }
    }
    let plan = AccountPlan::new(email, login, name, ctx.options.servers.clone());
    ctx.prompter.say(&messages::plan_summary(&plan));
    let verified = live_test::verify_preconnected(
        ctx,
        &plan,
        password,
        !args.password_stdin,
        &messages::t!("ask-password"),
        &pre,
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
    commit(ctx, &plan, &verified, &store)
}

/// The password of `--password-stdin`: one line from a pipe, or — when standard input is a
/// terminal — read hidden behind a prompt, so it is never echoed into the scrollback.
pub(crate) fn password_from_stdin(
    ctx: &mut Context<'_>,
    question: &str,
) -> Result<AppPassword, Error> {
    if !ctx.prompter.stdin_is_terminal() {
        return live_test::read_password_line(ctx.stdin);
    }
    ctx.prompter
        .say(&messages::t!("password-stdin-is-terminal"));
    let typed = ctx.prompter.ask_secret(question)?;
    AppPassword::parse(&typed).map_err(|_| Error::EmptyPassword)
}

/// Proves, before any password is asked for, that the secret store answers and that the
/// config folder can be written. Returns the secret saved for `email` in the keyring, if
/// any (`pass` is only asked whether it is usable: reading would need the GPG passphrase).
pub(crate) fn preflight(
    ctx: &Context<'_>,
    kind: StoreKind,
    store: &dyn SecretStore,
    email: &str,
) -> Result<Option<SecretString>, Error> {
    let saved = match kind {
        // The collection new entries go to is unlocked, and a read within the time limit:
        // the keyring answers.
        StoreKind::Keyring => {
            store.ready()?;
            store.read(email)?
        }
        StoreKind::Pass => {
            store.ready()?;
            None
        }
    };
    ctx.config.check_writable()?;
    Ok(saved)
}

/// The optional name question, asked again until the answer can be a name. Enter alone
/// keeps `saved`.
fn ask_name(prompter: &mut dyn Prompter, saved: Option<&str>) -> Result<Option<String>, Error> {
    let question = match saved {
        Some(saved) => messages::ask_name_keeping(saved),
        None => messages::t!("ask-name"),
    };
    loop {
        let typed = prompter.ask_optional_text(&question)?;
        match parse_display_name(typed.as_deref().unwrap_or("")) {
            Ok(None) => return Ok(saved.map(str::to_string)),
            Ok(Some(name)) => return Ok(Some(name)),
            Err(problem) => prompter.say(&messages::name_problem(&problem)),
        }
    }
}

/// Where the secret of the account being set up goes.
#[derive(Clone, Debug)]
struct StoreDecision {
    /// With `pass`: the store's folder and GnuPG home (recorded in the profile).
    place: PassPlace,
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
            place: PassPlace::default(),
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
    let text = prompter.ask_text(&messages::t!("ask-email"), &|t| {
        EmailAddress::parse(t)
            .map(drop)
            .map_err(|p| messages::address_problem(&p))
    })?;
    settle_near_miss(prompter, parse_address(&text)?)
}

/// `typed`, or the iCloud address it most likely misspells, as the person chooses.
fn settle_near_miss(
    prompter: &mut dyn Prompter,
    typed: EmailAddress,
) -> Result<EmailAddress, Error> {
    let Some(suggestion) = typed.icloud_near_miss() else {
        return Ok(typed);
    };
    let options = [
        messages::option_use_suggestion(suggestion.as_str()),
        messages::option_keep_typed(typed.as_str()),
    ];
    let question = messages::ask_near_miss(typed.as_str(), suggestion.as_str());
    match prompter.choose(&question, &options, 0)? {
        0 => Ok(suggestion),
        _ => Ok(typed),
    }
}

fn ask_login(prompter: &mut dyn Prompter) -> Result<EmailAddress, Error> {
    let text = prompter.ask_text(&messages::t!("ask-login"), &|t| {
        parse_icloud_login(t)
            .map(drop)
            .map_err(|p| messages::address_problem(&p))
    })?;
    parse_login(&text)
}

/// Saves a verified account: the secret into its store and read back, then the config.
/// If the config cannot be written, or a signal comes before it is, the store gets its
/// previous content back.
fn commit(
    ctx: &mut Context<'_>,
    plan: &AccountPlan,
    verified: &Verified,
    store: &StoreDecision,
) -> Result<(), Error> {
    let hold_interrupts = CommitGuard::new();
    let email = plan.email.as_str();
    let target = crate::commands::store_at(ctx, store.kind, &store.place);
    let keyring = StoreUpdate::begin(&*target, email)?;
    keyring.store(verified.password.secret())?;
    let mut account = plan.account(&verified.imap_username, &crate::commands::now_rfc3339());
    account.secret = store.kind.config_value(email);
    crate::commands::record_place(&mut account, store.kind, &store.place);
    if let Some(roles) = &verified.folders {
        account.learn_folders(roles);
    }
    if let Err(error) = ctx.config.update(|config| {
        // A signal during the secret's write: undo, as a failed write does.
        crate::interrupt::stop_if_interrupted()?;
        config.upsert(account);
        Ok::<(), Error>(())
    }) {
        keyring.roll_back();
        return Err(error);
    }
    if let Some(previous) = store.previous.filter(|p| *p != store.kind) {
        // The secret moved; the old copy goes. Best effort: the move itself succeeded.
        let _ = crate::commands::store_at(ctx, previous, &store.place).delete(email);
    }
    let location = target.location(email);
    ctx.prompter
        .say(&messages::saved(email, &location, ctx.config.path()));
    ctx.prompter.say(&messages::next_steps(email));
    Ok(hold_interrupts.finish()?)
}

/// No keyring: at a terminal, and with `pass` ready, offer `pass` instead of stopping
/// (asked before the password, so nobody types one for a run that cannot save it).
/// Anything else is the keyring's error, as before.
fn offer_pass(ctx: &mut Context<'_>, problem: StoreProblem) -> Result<(), Error> {
    let no_keyring = matches!(
        problem,
        StoreProblem::Unavailable(_) | StoreProblem::NotAnswering | StoreProblem::Locked(_)
    );
    if !no_keyring || !ctx.prompter.can_prompt() || ctx.pass.ready().is_err() {
        return Err(problem.into());
    }
    ctx.prompter.say(&messages::t!(
        "offer-pass-instead",
        problem = messages::store_problem(&problem,)
    ));
    let options = [
        messages::t!("option-use-pass"),
        messages::t!("option-stop-no-keyring"),
    ];
    match ctx
        .prompter
        .choose(&messages::t!("ask-use-pass"), &options, 0)?
    {
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
