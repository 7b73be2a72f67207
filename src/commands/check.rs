//! `icloud-setup check [EMAIL]`: live-tests saved accounts with the stored secret — the
//! named one, or every saved account. A pass updates `verified_at`; the exit code is that
//! of the worst result. With `--send-test`, a message is also sent to oneself, watched
//! for and removed (`send_test`) before the pass is recorded.

use std::time::Duration;

use crate::commands::accounts;
use crate::commands::context::Context;
use crate::commands::live_test;
use crate::commands::record_verified;
use crate::commands::send_test::{self, SendTarget};
use crate::config::Account;
use crate::domain::AppPassword;
use crate::error::Error;
use crate::messages;
use crate::plan::AccountPlan;

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
    let mut worst: Option<Error> = None;
    for account in &targets {
        if let Err(error) = check_one(ctx, account, send_test)
            && worst.as_ref().is_none_or(|w| rank(&error) > rank(w))
        {
            worst = Some(error);
        }
    }
    worst.map_or(Ok(()), Err)
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
    let secret = store.read(&account.email)?.ok_or_else(missing)?;
    let password = AppPassword::parse(&secret).map_err(|_| missing())?;
    let plan =
        AccountPlan::for_saved(account).map_err(|problem| Error::InvalidAddress { problem })?;
    let reports = live_test::run(ctx, &plan, &password);
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
    record_verified(ctx, &account.email)
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
