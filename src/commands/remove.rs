//! `icloud-setup remove EMAIL [--yes]`: the account leaves the config and its secret
//! leaves the keyring, and a reminder says to revoke the password at Apple (removing it
//! here does not stop it from working). An address no saved account has, whose password
//! is still in the keyring (an interrupted save of an older version, a config edited by
//! hand), can be removed the same way; `status` lists such entries.

use crate::commands::accounts;
use crate::commands::context::Context;
use crate::commands::store_update::StoreUpdate;
use crate::error::Error;
use crate::interrupt::CommitGuard;
use crate::messages;
use crate::secrets::{Release, StoreKind};

pub(crate) fn run(ctx: &mut Context<'_>, email: &str, yes: bool) -> Result<(), Error> {
    let config = ctx.config.load()?;
    let account = match accounts::pick(&config, Some(email), ctx.prompter, "remove") {
        Ok(account) => account,
        Err(Error::NoSuchAccount { email, saved }) => {
            // Not in the config, but perhaps left in the keyring by an interrupted save.
            return remove_orphan(ctx, email, saved, yes);
        }
        Err(other) => return Err(other),
    };
    let email = account.email.clone();
    let (kind, store) = crate::commands::store_for(ctx, account)?;
    if !yes && !confirmed(ctx, &email)? {
        ctx.prompter.say(&messages::t!("nothing-removed"));
        return Ok(());
    }
    let hold_interrupts = CommitGuard::new();
    let keyring = StoreUpdate::begin(&*store, &email)?;
    let release = keyring.delete()?;
    if let Err(error) = ctx.config.update(|config| {
        crate::interrupt::stop_if_interrupted()?;
        config.remove(&email);
        Ok(())
    }) {
        keyring.roll_back();
        return Err(error);
    }
    ctx.prompter.say(&match (kind, release) {
        (_, Release::KeptForOtherConfigs) => messages::removed_kept_for_other_configs(&email),
        (StoreKind::Keyring, Release::Deleted) => messages::removed(&email),
        (StoreKind::Pass, Release::Deleted) => messages::t!("removed-from-pass", email = &email),
    });
    Ok(hold_interrupts.finish()?)
}

/// `remove EMAIL` for an address no saved account has: its keyring entry, when it is
/// provably this config's alone (saved for it, and for no other config), is removed after
/// the same question; otherwise it is 67 as before, and another config's entry, or one an
/// older version saved, stays where it is.
fn remove_orphan(
    ctx: &mut Context<'_>,
    email: String,
    saved: Vec<String>,
    yes: bool,
) -> Result<(), Error> {
    let ours = ctx
        .secrets
        .accounts()?
        .is_some_and(|listed| listed.contains(&email));
    if !ours {
        return Err(Error::NoSuchAccount { email, saved });
    }
    ctx.prompter.say(&messages::orphaned_secret(&email));
    if !yes && !confirmed(ctx, &email)? {
        ctx.prompter.say(&messages::t!("nothing-removed"));
        return Ok(());
    }
    ctx.secrets.release(&email)?;
    ctx.prompter.say(&messages::orphaned_secret_removed(&email));
    Ok(())
}

/// Asks whether to remove `email` (Keep is the default); without a terminal, `--yes` is
/// the flag that would answer.
fn confirmed(ctx: &mut Context<'_>, email: &str) -> Result<bool, Error> {
    if !ctx.prompter.can_prompt() {
        return Err(Error::NeedsTerminal {
            missing_flags: vec!["--yes"],
        });
    }
    let options = [messages::t!("option-remove"), messages::t!("option-keep")];
    Ok(ctx
        .prompter
        .choose(&messages::confirm_remove(email), &options, 1)?
        == 0)
}
