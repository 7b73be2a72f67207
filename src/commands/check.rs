//! `icloud-setup check [EMAIL]`: live-tests saved accounts with the stored secret — the
//! named one, or every saved account. A pass updates `verified_at`; the exit code is that
//! of the worst result. Every account gets its ✓/✗ line — also one whose password is
//! missing — and with several, a one-line summary per account ends the run. `check`
//! saves nothing but `verified_at`, so its failure never says "nothing was saved". With
//! `--send-test`, a message is also sent to oneself, watched for and removed
//! (`send_test`) before the pass is recorded.

use std::time::Duration;

use crate::commands::accounts;
use crate::commands::context::Context;
use crate::commands::live_test;
use crate::commands::record_verified_with;
use crate::commands::send_test::{self, SendTarget};
use crate::config::Account;
use crate::domain::AppPassword;
use crate::error::Error;
use crate::messages::{self, CheckLine};
use crate::plan::{AccountPlan, Servers};

/// `send_test`: how long to wait for the test message, when one is to be sent.
pub fn run(
    ctx: &mut Context<'_>,
    email: Option<&str>,
    send_test: Option<Duration>,
) -> Result<(), Error> {
    let config = ctx.config.load()?;
    let targets: Vec<Account> = match email {
        Some(_) => vec![accounts::pick(&config, email, ctx.prompter)?.clone()],
        None if config.accounts.is_empty() => return Err(Error::NoAccountSaved),
        None => config.accounts.clone(),
    };
    if ctx.options.servers != Servers::default() {
        // Each account is checked against the servers it was saved with.
        ctx.prompter
            .say(&messages::server_options_do_not_apply("check"));
    }
    let mut results = Vec::new();
    for account in &targets {
        let outcome = check_one(ctx, account, send_test);
        results.push((account.email.clone(), outcome));
    }
    if results.len() > 1 {
        let mut summary = messages::check_summary_heading();
        for (email, outcome) in &results {
            summary.push('\n');
            summary.push_str(&messages::check_summary_line(email, &line_for(outcome)));
        }
        ctx.prompter.say(&summary);
    }
    let total = results.len();
    let mut failed = Vec::new();
    let mut worst: Option<Error> = None;
    for (email, outcome) in results {
        if let Err(error) = outcome {
            failed.push(email);
            if worst.as_ref().is_none_or(|w| rank(&error) > rank(w)) {
                worst = Some(error);
            }
        }
    }
    match worst {
        None => Ok(()),
        Some(worst) => Err(Error::CheckFailed {
            failed,
            total,
            worst: Box::new(worst),
        }),
    }
}

/// One account's result in the summary.
fn line_for(outcome: &Result<(), Error>) -> CheckLine {
    match outcome {
        Ok(()) => CheckLine::Passed,
        Err(Error::SecretMissing { .. }) => CheckLine::SecretMissing,
        Err(Error::LiveTestFailed { reports }) => {
            CheckLine::Failed(messages::check_live_test_failed(reports))
        }
        Err(other) => CheckLine::Failed(other.to_string()),
    }
}

fn check_one(
    ctx: &mut Context<'_>,
    account: &Account,
    send_test: Option<Duration>,
) -> Result<(), Error> {
    ctx.prompter.say(&messages::checking(&account.email));
    let (kind, store) = crate::commands::store_for(ctx, account)?;
    let missing = || Error::SecretMissing {
        email: account.email.clone(),
        store: kind,
    };
    let plan =
        AccountPlan::for_saved(account).map_err(|problem| Error::InvalidAddress { problem })?;
    // Connecting first: the secret is read while TCP, TLS and the greetings are in flight.
    // Nothing about the account is sent until the secret is in hand.
    let pre = live_test::preconnect(ctx, &plan.servers);
    // Every account gets its ✓/✗ line, also when there is nothing to test with.
    let secret = match store.read(&account.email) {
        Ok(Some(secret)) => secret,
        Ok(None) => {
            ctx.prompter.say(&messages::check_summary_line(
                &account.email,
                &CheckLine::SecretMissing,
            ));
            return Err(missing());
        }
        Err(problem) => {
            let error = Error::from(problem);
            ctx.prompter.say(&messages::check_summary_line(
                &account.email,
                &CheckLine::Failed(error.to_string()),
            ));
            return Err(error);
        }
    };
    let password = AppPassword::parse(&secret).map_err(|_| missing())?;
    let reports = live_test::run_preconnected(ctx, &plan, &password, &pre);
    if reports.iter().any(|r| r.failure().is_some()) {
        live_test::explain(ctx, &reports);
        return Err(Error::LiveTestFailed { reports });
    }
    if let (Some(wait), Ok(imap_username)) = (send_test, &reports[0].outcome) {
        let target = SendTarget {
            plan: &plan,
            imap_username,
            password: &password,
        };
        send_test::run(ctx, &target, wait)?;
    }
    record_verified_with(
        ctx,
        &account.email,
        live_test::folder_roles(&reports[0]).as_ref(),
    )
}

/// Which failure decides the exit code when several accounts fail: a refused login (the
/// person must act) first, then security problems, a broken keyring, unreachable servers,
/// and last what may pass by itself.
fn rank(error: &Error) -> u8 {
    match error.exit_code() {
        77 => 6,
        76 => 5,
        78 => 4,
        69 => 3,
        74 => 2,
        75 => 1,
        _ => 0,
    }
}
