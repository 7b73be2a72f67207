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
    // Both connections open while the new password is typed; only the logins wait for it.
    let pre = live_test::preconnect(ctx, &plan.servers);

    ctx.prompter.say(&messages::rotating(&account.email));
    let password = live_test::piped_or_asked(ctx, piped, messages::ask_new_password())?;
    let verified = live_test::verify_preconnected(
        ctx,
        &plan,
        password,
        !password_stdin,
        messages::ask_new_password(),
        &pre,
    )?;
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
