//! The commands: one file each — `setup` (also the wizard's first run), the re-run `menu`,
//! `rotate`, `check`, `status`, `password`, `remove`, `export`, `settings`, `completions`
//! and `watch`, and `git-credential`, which git runs.
//! What they share lives beside them: the [`Context`] of one run, picking the account
//! ([`accounts`]), the live test with its retry loop ([`live_test`]) and keyring changes that
//! roll back on failure ([`store_update`]).

pub(crate) mod accounts;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod context;
pub(crate) mod export;
pub(crate) mod git_credential;
pub(crate) mod live_test;
pub mod manpage;
pub(crate) mod menu;
pub(crate) mod password;
pub(crate) mod remove;
pub(crate) mod rotate;
pub(crate) mod send_test;
pub(crate) mod settings;
pub(crate) mod setup;
pub(crate) mod status;
pub(crate) mod store_update;
pub(crate) mod watch;

use std::time::SystemTime;

pub use context::{Context, Options, write_stdout};

use crate::config::Account;
use crate::error::Error;
use crate::secrets::{PassPlace, SecretStore, StoreKind};

/// Now, as the config's `verified_at` records it (RFC 3339, UTC, whole seconds).
pub(crate) fn now_rfc3339() -> String {
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
    record_verified_all(ctx, &[(email, folders)])
}

/// Changes the saved accounts `emails` with `change` (given the time now), in one update
/// of the config under the lock; an address no account has is [`Error::NoSuchAccount`].
fn update_accounts(
    ctx: &Context<'_>,
    emails: &[&str],
    change: impl Fn(usize, &mut Account, &str),
) -> Result<(), Error> {
    let now = now_rfc3339();
    ctx.config.update(|config| {
        for (index, email) in emails.iter().enumerate() {
            let account = config
                .accounts
                .iter_mut()
                .find(|a| a.email == *email)
                .ok_or_else(|| Error::NoSuchAccount {
                    email: (*email).to_string(),
                    saved: Vec::new(),
                })?;
            change(index, account, &now);
        }
        Ok(())
    })
}

/// Writes where the account's `pass` store is (nothing for the keyring).
pub(crate) fn record_place(account: &mut Account, kind: StoreKind, place: &PassPlace) {
    let place = match kind {
        StoreKind::Pass => place.clone(),
        StoreKind::Keyring => PassPlace::default(),
    };
    account.pass_store_dir = place.store_dir;
    account.gnupg_home = place.gnupg_home;
}

/// Where `account`'s `pass` store is: what it recorded, else what the environment says
/// now (an account saved by an older version recorded nothing).
pub(crate) fn pass_place(ctx: &Context<'_>, account: Option<&Account>) -> PassPlace {
    let now = ctx.pass.place();
    PassPlace {
        store_dir: account
            .and_then(|a| a.pass_store_dir.clone())
            .or(now.store_dir),
        gnupg_home: account
            .and_then(|a| a.gnupg_home.clone())
            .or(now.gnupg_home),
    }
}

/// One account's store: the run's own, or `pass` placed where the account's store is.
pub(crate) enum AccountStore<'a> {
    Shared(&'a dyn SecretStore),
    Placed(Box<dyn SecretStore>),
}

impl<'a> std::ops::Deref for AccountStore<'a> {
    type Target = dyn SecretStore + 'a;
    fn deref(&self) -> &Self::Target {
        match self {
            AccountStore::Shared(store) => *store,
            AccountStore::Placed(store) => store.as_ref(),
        }
    }
}

/// The store of that kind, with `pass` at `place`.
pub(crate) fn store_at<'a>(
    ctx: &Context<'a>,
    kind: StoreKind,
    place: &PassPlace,
) -> AccountStore<'a> {
    let shared = store_of(ctx, kind);
    match kind {
        StoreKind::Pass => shared
            .at_place(place)
            .map_or(AccountStore::Shared(shared), AccountStore::Placed),
        StoreKind::Keyring => AccountStore::Shared(shared),
    }
}

/// Records a successful live test of each account in `passes` (its address, and the
/// folder roles its live test learned), in one update under the lock.
pub fn record_verified_all(
    ctx: &Context<'_>,
    passes: &[(&str, Option<&crate::folders::Roles>)],
) -> Result<(), Error> {
    let emails: Vec<&str> = passes.iter().map(|(email, _)| *email).collect();
    update_accounts(ctx, &emails, |index, account, now| {
        account.verified_at = Some(now.to_string());
        if let Some(roles) = passes[index].1 {
            account.learn_folders(roles);
        }
    })
}

/// Records that a new password for `email` passed the live test and was saved: both
/// `verified_at` and `password_saved_at` become now, under the lock; with `place`, also
/// the `pass` store the new secret is in.
pub fn record_password_saved(
    ctx: &Context<'_>,
    email: &str,
    place: Option<&PassPlace>,
    folders: Option<&crate::folders::Roles>,
) -> Result<(), Error> {
    update_accounts(ctx, &[email], |_, account, now| {
        account.verified_at = Some(now.to_string());
        account.password_saved_at = Some(now.to_string());
        if let Some(place) = place {
            record_place(account, StoreKind::Pass, place);
        }
        if let Some(roles) = folders {
            account.learn_folders(roles);
        }
    })
}

/// The store of that kind: the OS keyring or `pass`.
pub(crate) fn store_of<'a>(ctx: &Context<'a>, kind: StoreKind) -> &'a dyn SecretStore {
    match kind {
        StoreKind::Keyring => ctx.secrets,
        StoreKind::Pass => ctx.pass,
    }
}

/// Where `account`'s secret is kept, as its config says, and that store (`pass` in the
/// folder and GnuPG home the account recorded).
pub(crate) fn store_for<'a>(
    ctx: &Context<'a>,
    account: &Account,
) -> Result<(StoreKind, AccountStore<'a>), Error> {
    let kind = StoreKind::from_config(account.secret.as_deref(), &account.email)?;
    Ok((kind, store_at(ctx, kind, &pass_place(ctx, Some(account)))))
}
