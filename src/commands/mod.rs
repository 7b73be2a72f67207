//! The account lifecycle after the first setup: the re-run menu, `rotate`, `check`,
//! `status`, `password` and `remove`. Each command is one file; what they share (picking
//! the account, the live test, keyring changes with roll-back) lives in `accounts`,
//! `live_test` and `keyring_update`.

pub mod check;
pub mod menu;
pub mod password;
pub mod remove;
pub mod rotate;
pub mod status;

use std::time::SystemTime;

use crate::app::Context;
use crate::config::Account;
use crate::error::Error;
use crate::secrets::{SecretStore, StoreKind};

/// Now, as the config's `verified_at` records it (RFC 3339, UTC, whole seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// Records a successful live test of `email` in the config, under the lock.
pub fn record_verified(ctx: &Context<'_>, email: &str) -> Result<(), Error> {
    let now = now_rfc3339();
    ctx.config.update(|config| {
        let account = config
            .accounts
            .iter_mut()
            .find(|a| a.email == email)
            .ok_or_else(|| Error::NoSuchAccount {
                email: email.to_string(),
                saved: Vec::new(),
            })?;
        account.verified_at = Some(now);
        Ok(())
    })
}

/// The store of that kind: the OS keyring or `pass`.
pub fn store_of<'a>(ctx: &Context<'a>, kind: StoreKind) -> &'a dyn SecretStore {
    match kind {
        StoreKind::Keyring => ctx.secrets,
        StoreKind::Pass => ctx.pass,
    }
}

/// Where `account`'s secret is kept, as its config says, and that store.
pub fn store_for<'a>(
    ctx: &Context<'a>,
    account: &Account,
) -> Result<(StoreKind, &'a dyn SecretStore), Error> {
    let kind = StoreKind::from_config(account.secret.as_deref(), &account.email)?;
    Ok((kind, store_of(ctx, kind)))
}
