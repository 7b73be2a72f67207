//! `icloud-setup remove EMAIL [--yes]`: the account leaves the config and its secret
//! leaves the keyring, and a reminder says to revoke the password at Apple (removing it
//! here does not stop it from working).

use crate::commands::accounts;
use crate::commands::context::Context;
use crate::commands::keyring_update::KeyringUpdate;
use crate::error::Error;
use crate::interrupt::CommitGuard;
use crate::messages;
use crate::secrets::StoreKind;

pub fn run(ctx: &mut Context<'_>, email: &str, yes: bool) -> Result<(), Error> {
    let config = ctx.config.load()?;
    let account = accounts::pick(&config, Some(email), ctx.prompter)?;
    let email = account.email.clone();
    let (kind, store) = crate::commands::store_for(ctx, account)?;
    if !yes {
        if !ctx.prompter.can_prompt() {
            return Err(Error::NeedsTerminal {
                missing_flags: vec!["--yes"],
            });
        }
        let options = [messages::option_remove(), messages::option_keep()];
        if ctx
            .prompter
            .choose(&messages::confirm_remove(&email), &options, 1)?
            != 0
        {
            ctx.prompter.say(&messages::nothing_removed());
            return Ok(());
        }
    }
    let hold_interrupts = CommitGuard::new();
    let keyring = KeyringUpdate::begin(store, &email)?;
    keyring.delete()?;
    if let Err(error) = ctx.config.update(|config| {
        config.remove(&email);
        Ok(())
    }) {
        keyring.roll_back();
        return Err(error);
    }
    ctx.prompter.say(&match kind {
        StoreKind::Keyring => messages::removed(&email),
        StoreKind::Pass => messages::removed_from_pass(&email),
    });
    Ok(hold_interrupts.finish()?)
}
