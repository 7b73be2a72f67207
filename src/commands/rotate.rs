//! `icloud-setup rotate [EMAIL] [--password-stdin]`: a new app-specific password for a
//! saved account. It is tested live first; only when both servers accept it does it
//! replace the secret (read back) and update `verified_at` and `password_saved_at`. Until
//! then — and on any failure — the old secret and the config stay exactly as they were. The
//! reminder to revoke the old password says when that one was saved.

use crate::commands::accounts;
use crate::commands::context::Context;
use crate::commands::live_test::{self, Verified};
use crate::commands::record_password_saved;
use crate::commands::send_test::{self, SendTarget};
use crate::commands::setup;
use crate::commands::store_update::StoreUpdate;
use crate::error::Error;
use crate::interrupt::CommitGuard;
use crate::messages;
use crate::plan::AccountPlan;
use crate::secrets::{PassPlace, SecretStore, StoreKind};

pub(crate) fn run(
    ctx: &mut Context<'_>,
    email: Option<&str>,
    password_stdin: bool,
) -> Result<(), Error> {
    let config = ctx.config.load()?;
    if !password_stdin && !ctx.prompter.can_prompt() {
        return Err(Error::NeedsTerminal {
            missing_flags: vec!["--password-stdin"],
        });
    }
    let account = accounts::pick(&config, email, ctx.prompter, "rotate")?.clone();
    let piped = if password_stdin {
        Some(setup::password_from_stdin(
            ctx,
            &messages::t!("ask-new-password"),
        )?)
    } else {
        None
    };
    let plan =
        AccountPlan::for_saved(&account).map_err(|problem| Error::InvalidAddress { problem })?;
    if ctx.options.servers != crate::plan::Servers::default() {
        ctx.prompter.say(&messages::t!(
            "server-options-do-not-apply",
            command = "rotate"
        ));
    }
    let (kind, store) = crate::commands::store_for(ctx, &account)?;
    // The store answers and the config can be written, before the password is asked.
    let saved_secret = setup::preflight(ctx, kind, &*store, &account.email)?;
    // Both connections open while the new password is typed; only the logins wait for it.
    let pre = live_test::preconnect(ctx, &plan.servers);

    ctx.prompter.say(&match kind {
        StoreKind::Keyring => messages::rotating(&account.email),
        StoreKind::Pass => messages::t!("rotating-in-pass", email = &account.email),
    });
    let password = live_test::piped_or_asked(ctx, piped, &messages::t!("ask-new-password"))?;
    if let Some(saved) = &saved_secret
        && password.is_spelled_in(secrecy::ExposeSecret::expose_secret(saved))
    {
        ctx.prompter
            .say(&messages::rotating_to_same_password(&account.email));
    }
    let verified = live_test::verify_preconnected(
        ctx,
        &plan,
        password,
        !password_stdin,
        &messages::t!("ask-new-password"),
        &pre,
    )?;
    // Offered at the end of an interactive rotation, before the new secret replaces the old.
    if let Some(wait) = send_test::requested_or_offered(ctx, None, !password_stdin)? {
        let target = SendTarget {
            plan: &plan,
            imap_username: &verified.imap_username,
            password: &verified.password,
        };
        send_test::run(ctx, &target, wait)?;
    }
    let place = (kind == StoreKind::Pass).then(|| crate::commands::pass_place(ctx, Some(&account)));
    commit(ctx, &*store, &account.email, &verified, place.as_ref())?;
    ctx.prompter.say(&match kind {
        StoreKind::Keyring => messages::rotated(&account.email),
        StoreKind::Pass => messages::rotated_in_pass(&account.email),
    });
    // Apple's list shows each password's creation date: say which one to revoke.
    if let Some(saved_at) = &account.password_saved_at {
        let days = crate::config::model::days_since(saved_at, std::time::SystemTime::now());
        ctx.prompter.say(&messages::old_password_saved(
            crate::config::model::calendar_day(saved_at),
            days,
        ));
    }
    Ok(())
}

/// Replaces the secret, then records the verification (and, with `pass`, the store's
/// place); if the config cannot be written the old secret goes back.
fn commit(
    ctx: &Context<'_>,
    store: &dyn SecretStore,
    email: &str,
    verified: &Verified,
    place: Option<&PassPlace>,
) -> Result<(), Error> {
    let hold_interrupts = CommitGuard::new();
    let keyring = StoreUpdate::begin(store, email)?;
    keyring.store(verified.password.secret())?;
    if let Err(error) = crate::interrupt::stop_if_interrupted()
        .map_err(Error::from)
        .and_then(|()| record_password_saved(ctx, email, place, verified.folders.as_ref()))
    {
        keyring.roll_back();
        return Err(error);
    }
    Ok(hold_interrupts.finish()?)
}
