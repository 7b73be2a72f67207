//! `icloud-setup rotate [EMAIL] [--password-stdin]`: a new app-specific password for a
//! saved account. It is tested live first; only when both servers accept it does it
//! replace the secret (read back) and update `verified_at`. Until then — and on any
//! failure — the old secret and the config stay exactly as they were.

use crate::accounts;
use crate::app::Context;
use crate::commands::record_verified;
use crate::error::Error;
use crate::interrupt::CommitGuard;
use crate::keyring_update::KeyringUpdate;
use crate::live_test::{self, Verified};
use crate::messages;
use crate::plan::AccountPlan;
use crate::send_test_run::{self, SendTarget};

pub fn run(ctx: &mut Context<'_>, email: Option<&str>, password_stdin: bool) -> Result<(), Error> {
    let config = ctx.config.load()?;
    if !password_stdin && !ctx.prompter.can_prompt() {
        return Err(Error::NeedsTerminal {
            missing_flags: vec!["--password-stdin"],
        });
    }
    let account = accounts::pick(&config, email, ctx.prompter)?.clone();
    let piped = if password_stdin {
        Some(live_test::read_password_line(ctx.stdin)?)
    } else {
        None
    };
    let plan = AccountPlan::for_saved(&account)?;

    ctx.prompter.say(&messages::rotating(&account.email));
    let password = live_test::piped_or_asked(ctx, piped, messages::ask_new_password())?;
    let verified = live_test::verify(
        ctx,
        &plan,
        password,
        !password_stdin,
        messages::ask_new_password(),
    )?;
    // Offered at the end of an interactive rotation, before the new secret replaces the old.
    if let Some(wait) = send_test_run::requested_or_offered(ctx, None, !password_stdin)? {
        let target = SendTarget {
            plan: &plan,
            imap_username: &verified.imap_username,
            password: &verified.password,
        };
        send_test_run::run(ctx, &target, wait)?;
    }
    commit(ctx, &account.email, &verified)?;
    ctx.prompter.say(&messages::rotated(&account.email));
    Ok(())
}

/// Replaces the secret, then records the verification; if the config cannot be written
/// the old secret goes back.
fn commit(ctx: &Context<'_>, email: &str, verified: &Verified) -> Result<(), Error> {
    let _hold_interrupts = CommitGuard::new();
    let keyring = KeyringUpdate::begin(ctx.secrets, email)?;
    keyring.store(verified.password.secret())?;
    if let Err(error) = record_verified(ctx, email) {
        keyring.roll_back();
        return Err(error);
    }
    Ok(())
}
