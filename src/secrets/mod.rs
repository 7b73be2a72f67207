//! The secret-store seam: where the app-specific password lives.
//!
//! One entry per account: service [`SERVICE`], account name = the account's `email`.
//! `keyring_store` is the real OS keyring; `memory` is an in-memory stand-in for tests.
//! There is deliberately no file-backed store: when no keyring is usable the program
//! stops and says how to get one.

pub mod keyring_store;
#[cfg(any(test, feature = "test-support"))]
pub mod memory;

use secrecy::SecretString;

pub use keyring_store::KeyringStore;
#[cfg(any(test, feature = "test-support"))]
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

/// What is known about one account's secret.
pub enum SecretState {
    Present,
    Missing,
    Unknown(KeyringProblem),
}

/// Which kind of store keeps the secrets (the text layer names it in the person's
/// language; `status --json` gives its [`Store::code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    MacosKeychain,
    WindowsCredentialManager,
    SecretService,
    /// The in-memory stand-in of the tests.
    Memory,
}

impl Store {
    /// A stable machine name, never translated.
    pub fn code(self) -> &'static str {
        match self {
            Store::MacosKeychain => "macos_keychain",
            Store::WindowsCredentialManager => "windows_credential_manager",
            Store::SecretService => "secret_service",
            Store::Memory => "memory",
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
    fn read(&self, email: &str) -> Result<Option<SecretString>, KeyringProblem>;
    /// Creates or replaces the entry.
    fn write(&self, email: &str, secret: &SecretString) -> Result<(), KeyringProblem>;
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, email: &str) -> Result<(), KeyringProblem>;
    /// Where the entry for `email` lives.
    fn location(&self, email: &str) -> SecretLocation;
}
