//! The account lifecycle after the first setup: the re-run menu, `rotate`, `check`,
//! `status`, `password` and `remove`. Each command is one file; what they share (picking
//! the account, the live test, keyring changes with roll-back) lives in `accounts`,
//! `live_test` and `keyring_update`.

pub mod check;
pub mod completions;
pub mod manpage;
pub mod menu;
pub mod password;
pub mod remove;
pub mod rotate;
pub mod status;

use std::time::SystemTime;

use crate::app::Context;
use crate::error::Error;

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
