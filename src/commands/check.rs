//! `icloud-setup check [EMAIL]`: live-tests saved accounts with the stored secret — the
//! named one, or every saved account. A pass updates `verified_at`; the exit code is that
//! of the worst result.

use crate::accounts;
use crate::app::Context;
use crate::commands::record_verified;
use crate::config::Account;
use crate::domain::AppPassword;
use crate::error::Error;
use crate::live_test;
use crate::messages;
use crate::plan::AccountPlan;

pub fn run(ctx: &mut Context<'_>, email: Option<&str>) -> Result<(), Error> {
    let config = ctx.config.load()?;
    let targets: Vec<Account> = match email {
        Some(_) => vec![accounts::pick(&config, email, ctx.prompter)?.clone()],
        None if config.accounts.is_empty() => return Err(Error::NoAccountSaved),
        None => config.accounts.clone(),
    };
    let mut worst: Option<Error> = None;
    for account in &targets {
        if let Err(error) = check_one(ctx, account)
            && worst.as_ref().is_none_or(|w| rank(&error) > rank(w))
        {
            worst = Some(error);
        }
    }
    worst.map_or(Ok(()), Err)
}

fn check_one(ctx: &mut Context<'_>, account: &Account) -> Result<(), Error> {
    ctx.prompter.say(&messages::checking(&account.email));
    let missing = || Error::SecretMissing {
        email: account.email.clone(),
    };
    let plan = AccountPlan::for_saved(account)?;
    // Connecting first: the keyring is read while TCP, TLS and the greetings are in flight.
    // Nothing about the account is sent until the secret is in hand.
    let pre = live_test::preconnect(ctx, &plan.servers);
    let secret = ctx.secrets.read(&account.email)?.ok_or_else(missing)?;
    let password = AppPassword::parse(&secret).map_err(|_| missing())?;
    let reports = live_test::run_preconnected(ctx, &plan, &password, &pre);
    if reports.iter().any(|r| r.failure().is_some()) {
        live_test::explain(ctx, &reports);
        return Err(Error::LiveTestFailed { reports });
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
