//! `icloud-setup` with no command: the first run is the setup wizard; once accounts are
//! saved, a menu whose default (Enter alone) is rotating the password — most runs after
//! the first happen because Apple's app-specific password was revoked.

use crate::cli::SetupArgs;
use crate::commands::accounts;
use crate::commands::context::Context;
use crate::commands::setup;
use crate::commands::{check, remove, rotate};
use crate::error::Error;
use crate::messages;

pub(crate) fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let config = ctx.config.load()?;
    if config.accounts.is_empty() {
        return setup::run(ctx, &SetupArgs::default());
    }
    if !ctx.prompter.can_prompt() {
        return Err(Error::NeedsCommand);
    }
    ctx.prompter
        .say(&messages::saved_accounts_overview(&config.accounts));
    let options = [
        messages::t!("menu-rotate"),
        messages::t!("menu-check"),
        messages::t!("menu-add"),
        messages::t!("menu-remove"),
        messages::t!("option-quit"),
    ];
    match ctx
        .prompter
        .choose(&messages::t!("ask-menu"), &options, 0)?
    {
        0 => rotate::run(ctx, None, false),
        1 => check::run(ctx, None, &check::CheckOptions::default()),
        2 => setup::run(ctx, &SetupArgs::default()),
        3 => {
            let email = accounts::pick(&config, None, ctx.prompter, "remove")?
                .email
                .clone();
            remove::run(ctx, &email, false)
        }
        _ => Ok(()),
    }
}
