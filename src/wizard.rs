//! The setup flow of PRODUCT.md ("The flow", steps 1–7): ask (or take from flags), plan,
//! test live, and only then save — secret first, read back, then the config.
//!
//! Every question has a flag twin. Without a terminal, missing answers are named before
//! the first question, and nothing is asked. A failure before the save leaves the
//! keyring and the config untouched; a failure during the save puts the old secret back.

use std::io::BufRead;
use std::time::SystemTime;

use secrecy::{ExposeSecret, SecretString};

use crate::app::Context;
use crate::cli::SetupArgs;
use crate::domain::{AppPassword, EmailAddress, PasswordShape, parse_icloud_login};
use crate::error::Error;
use crate::interrupt::CommitGuard;
use crate::mail::{ProbeReport, Protocol};
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
        Some(read_password_line(ctx.stdin)?)
    } else {
        None
    };

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

    let mut password = match piped_password {
        Some(password) => {
            if password.shape() == PasswordShape::Unusual {
                ctx.prompter.say(&messages::warning_unusual_password_flag());
            }
            password
        }
        None => {
            ctx.prompter.say(&messages::password_guidance());
            ask_password(ctx.prompter, messages::ask_password())?
        }
    };
    ctx.prompter.say(&messages::plan_summary(&plan));

    let imap_username = loop {
        let reports = live_test(ctx, &plan, &password);
        if let Ok(username) = &reports[0].outcome
            && reports[1].outcome.is_ok()
        {
            break username.clone();
        }
        for report in reports.iter().filter(|r| r.failure().is_some()) {
            ctx.prompter.say(&messages::explain_failure(
                report,
                ctx.options.timeout.as_secs(),
            ));
        }
        if !ctx.prompter.can_prompt() || args.password_stdin {
            return Err(Error::LiveTestFailed { reports });
        }
        match after_failure(ctx.prompter)? {
            AfterFailure::Reenter => {
                password = ask_password(ctx.prompter, messages::ask_password())?;
            }
            AfterFailure::Retry => {}
            AfterFailure::Quit => return Err(Error::LiveTestFailed { reports }),
        }
    };

    commit(ctx, &plan, &password, &imap_username)
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

/// One line from standard input: the whole of `--password-stdin`.
fn read_password_line(stdin: &mut dyn BufRead) -> Result<AppPassword, Error> {
    let mut line = String::new();
    let read = stdin
        .read_line(&mut line)
        .map_err(|e| Error::StdinUnreadable {
            detail: e.to_string(),
        })?;
    if read == 0 {
        return Err(Error::EmptyPassword);
    }
    AppPassword::parse(&SecretString::from(line)).map_err(|_| Error::EmptyPassword)
}

fn ask_address(prompter: &mut dyn Prompter) -> Result<EmailAddress, Error> {
    let text = prompter.ask_text(messages::ask_email(), &|t| EmailAddress::parse(t).map(drop))?;
    parse_address(&text)
}

fn ask_login(prompter: &mut dyn Prompter) -> Result<EmailAddress, Error> {
    let text = prompter.ask_text(messages::ask_login(), &|t| parse_icloud_login(t).map(drop))?;
    parse_login(&text)
}

/// Hidden input until there is a password of the right shape, or the person insists on
/// one of another shape.
pub fn ask_password(prompter: &mut dyn Prompter, question: &str) -> Result<AppPassword, Error> {
    loop {
        let typed = prompter.ask_secret(question)?;
        let Ok(password) = AppPassword::parse(&typed) else {
            prompter.say(&messages::password_empty_try_again());
            continue;
        };
        if password.shape() == PasswordShape::AppSpecific {
            return Ok(password);
        }
        prompter.say(&messages::password_unusual_shape());
        let options = [
            messages::option_reenter_password(),
            messages::option_use_anyway(),
        ];
        if prompter.choose(messages::ask_unusual_password(), &options, 0)? == 1 {
            return Ok(password);
        }
    }
}

enum AfterFailure {
    Reenter,
    Retry,
    Quit,
}

fn after_failure(prompter: &mut dyn Prompter) -> Result<AfterFailure, Error> {
    let options = [
        messages::option_reenter_password(),
        messages::option_retry(),
        messages::option_quit(),
    ];
    Ok(
        match prompter.choose(messages::ask_after_failure(), &options, 0)? {
            0 => AfterFailure::Reenter,
            1 => AfterFailure::Retry,
            _ => AfterFailure::Quit,
        },
    )
}

/// Tests IMAP and SMTP at the same time, each behind its own progress line. Returns the
/// IMAP report first, then SMTP.
pub fn live_test(
    ctx: &mut Context<'_>,
    plan: &AccountPlan,
    password: &AppPassword,
) -> Vec<ProbeReport> {
    let imap_progress = ctx
        .prompter
        .progress(&messages::testing(Protocol::Imap, &plan.servers.imap));
    let smtp_progress = ctx
        .prompter
        .progress(&messages::testing(Protocol::Smtp, &plan.servers.smtp));
    let mail = ctx.mail;
    let (imap, smtp) = std::thread::scope(|scope| {
        let imap = scope.spawn(|| {
            let report = mail.check_imap(&plan.servers.imap, &plan.imap_ladder, password);
            imap_progress.finish(report.outcome.is_ok(), &messages::probe_result(&report));
            report
        });
        let smtp = scope.spawn(|| {
            let report = mail.check_smtp(&plan.servers.smtp, &plan.smtp_username, password);
            smtp_progress.finish(report.outcome.is_ok(), &messages::probe_result(&report));
            report
        });
        (
            imap.join().expect("the IMAP check does not panic"),
            smtp.join().expect("the SMTP check does not panic"),
        )
    });
    if ctx.options.verbose {
        for report in [&imap, &smtp] {
            for line in &report.transcript {
                ctx.prompter.say(&format!("{} {line}", report.protocol));
            }
        }
    }
    vec![imap, smtp]
}

/// Saves a verified account: the secret into the keyring and read back, then the config.
/// If the config cannot be written, the keyring gets its previous content back.
pub fn commit(
    ctx: &mut Context<'_>,
    plan: &AccountPlan,
    password: &AppPassword,
    imap_username: &str,
) -> Result<(), Error> {
    let _hold_interrupts = CommitGuard::new();
    let email = plan.email.as_str();
    let previous = ctx.secrets.read(email)?;
    store_secret(ctx, email, password.secret(), previous.as_ref())?;

    let account = plan.account(imap_username, &now_rfc3339());
    if let Err(error) = ctx.config.update(|config| {
        config.upsert(account);
        Ok(())
    }) {
        restore_secret(ctx, email, previous.as_ref());
        return Err(error);
    }
    let location = ctx.secrets.location(email);
    ctx.prompter
        .say(&messages::saved(email, &location, ctx.config.path()));
    ctx.prompter.say(&messages::next_steps(email));
    Ok(())
}

/// Writes the secret and reads it back; on any failure the previous secret is restored.
pub fn store_secret(
    ctx: &Context<'_>,
    email: &str,
    secret: &SecretString,
    previous: Option<&SecretString>,
) -> Result<(), Error> {
    if let Err(problem) = ctx.secrets.write(email, secret) {
        restore_secret(ctx, email, previous);
        return Err(problem.into());
    }
    match ctx.secrets.read(email) {
        Ok(Some(stored)) if stored.expose_secret() == secret.expose_secret() => Ok(()),
        Ok(_) => {
            restore_secret(ctx, email, previous);
            Err(Error::KeyringReadBack)
        }
        Err(problem) => {
            restore_secret(ctx, email, previous);
            Err(problem.into())
        }
    }
}

/// Puts the keyring back as it was: the old secret, or no entry. Best effort: the error
/// that got us here is the one worth reporting.
pub fn restore_secret(ctx: &Context<'_>, email: &str, previous: Option<&SecretString>) {
    let _ = match previous {
        Some(old) => ctx.secrets.write(email, old),
        None => ctx.secrets.delete(email),
    };
}

fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
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

    #[test]
    fn the_piped_password_is_one_trimmed_line() {
        let mut input: &[u8] = b"abcd efgh ijkl mnop\nsecond line\n";
        assert_eq!(
            read_password_line(&mut input).unwrap().expose(),
            "abcd-efgh-ijkl-mnop"
        );
        let mut closed: &[u8] = b"";
        assert!(matches!(
            read_password_line(&mut closed),
            Err(Error::EmptyPassword)
        ));
        let mut blank: &[u8] = b"  \n";
        assert!(matches!(
            read_password_line(&mut blank),
            Err(Error::EmptyPassword)
        ));
    }
}
