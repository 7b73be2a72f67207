//! The secret-store seam: where the app-specific password lives.
//!
//! One entry per account: service [`SERVICE`], account name = the account's `email`.
//! `keyring_store` is the real OS keyring; `pass_store` is the standard Unix password
//! store (`pass`, GPG-encrypted files) for machines without a keyring; `memory` is an
//! in-memory stand-in for tests. Which of the two real stores holds an account's secret is
//! its [`StoreKind`], saved in the config. There is deliberately no clear-text store: when
//! neither is usable the program stops and says how to get one.

pub(crate) mod keyring_store;
#[cfg(any(test, feature = "test-support"))]
pub(crate) mod memory;
pub(crate) mod no_core_dumps;
pub(crate) mod pass_store;

use std::path::PathBuf;

use secrecy::SecretString;

pub(crate) use keyring_store::KeyringStore;
#[cfg(any(test, feature = "test-support"))]
pub use memory::MemoryStore;
pub(crate) use pass_store::PassStore;

/// The keyring service name of every entry.
pub(crate) const SERVICE: &str = "icloud-setup";

/// Why the account's secret store could not be used: the OS keyring (the detail is the
/// platform's own words), or `pass`, or a store the config names that this version does not
/// know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreProblem {
    /// No keyring to talk to: no D-Bus session, no Secret Service, no access.
    Unavailable(String),
    /// The keyring did not answer within its time limit (locked and waiting for an
    /// unlock prompt nobody sees, or hung).
    NotAnswering,
    /// The keyring is there but locked, and unlocking it needed a prompt that could not be
    /// shown or was dismissed.
    Locked(String),
    /// Anything else the keyring reported.
    Failed(String),
    /// The account's secret is in `pass`, and `pass` could not be used.
    Pass(PassProblem),
    /// The config's `secret` names a store this version does not know.
    UnknownStore(String),
}

/// Why `pass` could not be used. Details are the tools' own words, bounded and with control
/// characters escaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PassProblem {
    /// No `pass` program on `PATH`.
    NotInstalled,
    /// `pass init` was never run for this store: it has no `.gpg-id`. `secret_key` is the
    /// fingerprint of a GPG secret key this machine has, to suggest for `pass init`.
    NotInitialised {
        store_dir: PathBuf,
        secret_key: Option<String>,
    },
    /// The store is set up for GPG keys this machine cannot use: no public key to encrypt
    /// to, an untrusted one, or no secret key to decrypt with. `secret_key`: a key this
    /// machine does have, to suggest for `pass init`.
    NoUsableKey {
        key_ids: Vec<String>,
        secret_key: Option<String>,
    },
    /// The secret key is here but gpg-agent could not get its passphrase: no terminal (or
    /// no pinentry) to ask on, or the question was cancelled. `terminal` says whether a
    /// terminal was handed to gpg-agent (`GPG_TTY`).
    PassphraseUnavailable { terminal: bool },
    /// The store's keys can only sign: gpg cannot encrypt to them. The fix is an
    /// encryption subkey for the same key (`pass init` with that key changes nothing).
    SignOnly { key_ids: Vec<String> },
    /// No home folder to find the default store in (`HOME` unset and no user database
    /// entry), and no `PASSWORD_STORE_DIR`.
    NoHome,
    /// `pass` did not finish within the time limit (seconds) and was stopped.
    TimedOut(u64),
    /// Anything else `pass` or `gpg` reported.
    Failed(String),
}

impl From<PassProblem> for StoreProblem {
    fn from(problem: PassProblem) -> StoreProblem {
        StoreProblem::Pass(problem)
    }
}

/// Where a `pass` store is: its folder and GnuPG home, as an account records them
/// (`pass_store_dir`, `gnupg_home`); `None` is the default (the environment's, else
/// `~/.password-store` and gpg's own home).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassPlace {
    pub(crate) store_dir: Option<PathBuf>,
    pub(crate) gnupg_home: Option<PathBuf>,
}

/// Which store keeps an account's secret.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StoreKind {
    /// The OS keyring (the default, and the recommendation on desktops).
    #[default]
    Keyring,
    /// `pass`, entry `icloud-setup/EMAIL`.
    Pass,
}

impl StoreKind {
    /// The stable code `status --json` shows.
    pub(crate) fn code(self) -> &'static str {
        match self {
            StoreKind::Keyring => "keyring",
            StoreKind::Pass => "pass",
        }
    }

    /// The store named by an account's config value `secret` (absent: the keyring, so
    /// version-1 files stay valid). `pass:icloud-setup/EMAIL` is the only `pass` entry an
    /// account can have.
    pub(crate) fn from_config(value: Option<&str>, email: &str) -> Result<StoreKind, StoreProblem> {
        match value {
            None | Some("keyring") => Ok(StoreKind::Keyring),
            Some(text) if text.strip_prefix("pass:") == Some(&pass_store::entry_name(email)) => {
                Ok(StoreKind::Pass)
            }
            Some(other) => Err(StoreProblem::UnknownStore(other.to_string())),
        }
    }

    /// What the config records for an account kept in this store (`None` for the keyring).
    pub(crate) fn config_value(self, email: &str) -> Option<String> {
        match self {
            StoreKind::Keyring => None,
            StoreKind::Pass => Some(format!("pass:{}", pass_store::entry_name(email))),
        }
    }
}

/// What a removal did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// The entry is gone (or was not there).
    Deleted,
    /// Another config saved the same entry: it stays, without this config's name.
    KeptForOtherConfigs,
}

/// What is known about one account's secret.
pub enum SecretState {
    Present,
    Missing,
    Unknown(StoreProblem),
}

/// Which kind of store keeps the secrets (the text layer names it in the person's
/// language; `status --json` gives its [`Store::code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    MacosKeychain,
    WindowsCredentialManager,
    SecretService,
    /// `pass`, the standard Unix password store.
    Pass,
    /// The in-memory stand-in of the tests.
    Memory,
}

impl Store {
    /// A stable machine name, never translated.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Store::MacosKeychain => "macos_keychain",
            Store::WindowsCredentialManager => "windows_credential_manager",
            Store::SecretService => "secret_service",
            Store::Pass => "pass",
            Store::Memory => "memory",
        }
    }
}

impl PassProblem {
    /// A stable machine name, never translated (`status --json`).
    pub(crate) fn code(&self) -> &'static str {
        match self {
            PassProblem::NotInstalled => "pass_not_installed",
            PassProblem::NotInitialised { .. } => "pass_not_initialised",
            PassProblem::NoUsableKey { .. } => "pass_no_usable_key",
            PassProblem::PassphraseUnavailable { .. } => "pass_passphrase_unavailable",
            PassProblem::NoHome => "pass_no_home",
            PassProblem::SignOnly { .. } => "pass_key_cannot_encrypt",
            PassProblem::TimedOut(_) => "pass_timed_out",
            PassProblem::Failed(_) => "pass_failed",
        }
    }

    /// The tool's own words, when it gave any.
    pub(crate) fn detail(&self) -> Option<String> {
        match self {
            PassProblem::Failed(detail) => Some(detail.clone()),
            _ => None,
        }
    }
}

/// Where a secret is kept: the store, and a command that prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretLocation {
    pub store: Store,
    pub read_command: String,
}

/// Stores and fetches app-specific passwords by account e-mail.
pub trait SecretStore: Send + Sync {
    /// The stored secret, `None` when there is no entry.
    fn read(&self, email: &str) -> Result<Option<SecretString>, StoreProblem>;
    /// Creates or replaces the entry.
    fn write(&self, email: &str, secret: &SecretString) -> Result<(), StoreProblem>;
    /// Removes the entry; removing a missing entry is not an error. A store shared by
    /// several configs (the keyring) keeps an entry another config saved too: see
    /// [`SecretStore::release`].
    fn delete(&self, email: &str) -> Result<(), StoreProblem>;
    /// Removes this config's use of the entry: the entry goes unless another config saved
    /// it too, and the answer says which.
    fn release(&self, email: &str) -> Result<Release, StoreProblem> {
        self.delete(email).map(|()| Release::Deleted)
    }
    /// Waits (bounded) until calls that ran past their time limit have ended, so nothing
    /// they do lands after the program has moved on.
    fn settle(&self) {}
    /// Where the entry for `email` lives.
    fn location(&self, email: &str) -> SecretLocation;
    /// Whether there is an entry, without necessarily decrypting it (`pass` answers from
    /// its files, so `status` never asks for a GPG passphrase).
    fn has_entry(&self, email: &str) -> Result<bool, StoreProblem> {
        self.read(email).map(|secret| secret.is_some())
    }
    /// The same store at `place` (`pass`: the folder and GnuPG home an account recorded);
    /// `None` for a store that has no place (used as it is).
    fn at_place(&self, _place: &PassPlace) -> Option<Box<dyn SecretStore>> {
        None
    }
    /// Where this store is, to record in the profile (`pass`: a folder or GnuPG home set
    /// outside the default place).
    fn place(&self) -> PassPlace {
        PassPlace::default()
    }
    /// Whether the store can be used at all, asked before anything is typed or written.
    /// Stores that can only tell by trying say yes.
    fn ready(&self) -> Result<(), StoreProblem> {
        Ok(())
    }

    /// Every account whose entry in this store is provably this config's alone, so
    /// entries no saved account lists (left by an interrupted run) can be found and
    /// removed; `None` when the store cannot tell.
    fn accounts(&self) -> Result<Option<Vec<String>>, StoreProblem> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_value_names_the_store_and_absent_means_the_keyring() {
        let email = "a@icloud.com";
        assert_eq!(StoreKind::from_config(None, email), Ok(StoreKind::Keyring));
        assert_eq!(
            StoreKind::from_config(Some("pass:icloud-setup/a@icloud.com"), email),
            Ok(StoreKind::Pass)
        );
        assert_eq!(StoreKind::Keyring.config_value(email), None);
        let written = StoreKind::Pass.config_value(email);
        assert_eq!(written.as_deref(), Some("pass:icloud-setup/a@icloud.com"));
        assert_eq!(
            StoreKind::from_config(written.as_deref(), email),
            Ok(StoreKind::Pass)
        );
        for unknown in ["pass:icloud-setup/b@icloud.com", "pass:", "file:/tmp/x", ""] {
            assert_eq!(
                StoreKind::from_config(Some(unknown), email),
                Err(StoreProblem::UnknownStore(unknown.to_string())),
                "{unknown}"
            );
        }
    }
}
