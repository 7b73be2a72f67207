//! The saved profile: the TOML schema (version 1) and the file that holds it.
//!
//! `model` is the schema and knows nothing of files; `store` owns the file on disk
//! (location, permissions, locking, atomic replacement); `edit` makes the text a rewrite
//! writes, keeping what the person wrote around the changed values. The secret is never part
//! of any: it lives in the keyring, keyed by the account's `email`.

pub(crate) mod edit;
pub(crate) mod model;
pub(crate) mod store;

pub use model::{Account, ConfigFile, FolderSettings, Security, ServerSettings};
pub use store::{ConfigError, ConfigStore};
