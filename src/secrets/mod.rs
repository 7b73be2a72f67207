//! The secret-store seam: where the app-specific password lives.
//!
//! One entry per account: service [`SERVICE`], account name = the account's `email`.
//! `keyring_store` is the real OS keyring; `memory` is an in-memory stand-in for tests.
//! There is deliberately no file-backed store: when no keyring is usable the program
//! stops and says how to get one.

pub mod keyring_store;
pub mod memory;

use secrecy::SecretString;

pub use keyring_store::KeyringStore;
pub use memory::MemoryStore;

/// The keyring service name of every entry.
pub const SERVICE: &str = "icloud-setup";

/// Why the keyring could not be used. The detail is the platform's own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyringProblem {
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
}

/// Where a secret is kept, in words and as a command that prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretLocation {
    pub store_name: String,
    pub read_command: String,
}

/// Stores and fetches app-specific passwords by account e-mail.
pub trait SecretStore: Send + Sync {
    /// The stored secret, `None` when there is no entry.
    fn read(&self, email: &str) -> Result<Option<SecretString>, KeyringProblem>;
    /// Creates or replaces the entry.
    fn write(&self, email: &str, secret: &SecretString) -> Result<(), KeyringProblem>;
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, email: &str) -> Result<(), KeyringProblem>;
    /// Where the entry for `email` lives.
    fn location(&self, email: &str) -> SecretLocation;
    /// Every account that has an entry in this store, so entries no saved account lists
    /// (left by an interrupted run) can be found; `None` when the store cannot list.
    fn accounts(&self) -> Result<Option<Vec<String>>, KeyringProblem> {
        Ok(None)
    }
}
