//! The commands: one file each — `setup` (also the wizard's first run), the re-run `menu`,
//! `rotate`, `check`, `status`, `password`, `remove`, `export`, `settings` and `completions`.
//! What they share lives beside them: the [`Context`] of one run, picking the account
//! ([`accounts`]), the live test with its retry loop ([`live_test`]) and keyring changes that
//! roll back on failure ([`keyring_update`]).

pub mod accounts;
pub mod check;
pub mod completions;
pub mod context;
pub mod export;
pub mod keyring_update;
pub mod live_test;
pub mod manpage;
pub mod menu;
pub mod password;
pub mod remove;
pub mod rotate;
pub mod send_test;
pub mod settings;
pub mod setup;
pub mod status;

use std::time::SystemTime;

pub use context::{Context, Options, write_stdout};

use crate::config::Account;
use crate::error::Error;
use crate::secrets::{SecretStore, StoreKind};

/// Now, as the config's `verified_at` records it (RFC 3339, UTC, whole seconds).
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// Records a successful live test of `email` in the config, under the lock.
pub fn record_verified(ctx: &Context<'_>, email: &str) -> Result<(), Error> {
    record_verified_with(ctx, email, None)
}

/// [`record_verified`] with the folder roles the live test learned (`None`: the list was
/// given up, the roles saved before stay).
pub fn record_verified_with(
    ctx: &Context<'_>,
    email: &str,
    folders: Option<&crate::folders::Roles>,
) -> Result<(), Error> {
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
        if let Some(roles) = folders {
            account.learn_folders(roles);
        }
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
