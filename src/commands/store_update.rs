//! Changing the secret store (the OS keyring or `pass`) so that a failure never leaves it
//! half-changed: the new secret is written and read back, and on any later failure the
//! previous state (the old secret, or no entry) is put back.

use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;
use crate::secrets::{Release, SecretStore};

/// A keyring change in progress for one account, remembering what was there before.
pub(crate) struct StoreUpdate<'a> {
    secrets: &'a dyn SecretStore,
    email: String,
    previous: Option<SecretString>,
}

impl<'a> StoreUpdate<'a> {
    /// Remembers the current entry of `email` (which also proves the keyring answers).
    pub(crate) fn begin(
        secrets: &'a dyn SecretStore,
        email: &str,
    ) -> Result<StoreUpdate<'a>, Error> {
        let previous = secrets.read(email)?;
        Ok(StoreUpdate {
            secrets,
            email: email.to_string(),
            previous,
        })
    }

    /// Writes `secret` and reads it back: a keyring that accepts a write and keeps nothing
    /// (a placeholder backend) must not pass for one that works.
    pub(crate) fn store(&self, secret: &SecretString) -> Result<(), Error> {
        if let Err(problem) = self.secrets.write(&self.email, secret) {
            self.roll_back();
            return Err(problem.into());
        }
        match self.secrets.read(&self.email) {
            Ok(Some(stored)) if stored.expose_secret() == secret.expose_secret() => Ok(()),
            Ok(_) => {
                self.roll_back();
                Err(Error::KeyringReadBack)
            }
            Err(problem) => {
                self.roll_back();
                Err(problem.into())
            }
        }
    }

    /// Removes this config's entry (kept when another config saved it too).
    pub(crate) fn delete(&self) -> Result<Release, Error> {
        self.secrets.release(&self.email).map_err(|problem| {
            self.roll_back();
            problem.into()
        })
    }

    /// Puts the keyring back as it was. Best effort: the error that got us here is the one
    /// worth reporting. A write that timed out may still be running: the store runs the
    /// rollback after it and is given a bounded wait to do so before the program ends.
    pub(crate) fn roll_back(&self) {
        let _ = match &self.previous {
            Some(old) => self.secrets.write(&self.email, old),
            None => self.secrets.delete(&self.email),
        };
        self.secrets.settle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_string())
    }

    #[test]
    fn rolling_back_restores_the_old_secret_or_removes_the_new_one() {
        let store = MemoryStore::new();
        store.write("a@icloud.com", &secret("old")).unwrap();
        let update = StoreUpdate::begin(&store, "a@icloud.com").unwrap();
        update.store(&secret("new")).unwrap();
        update.roll_back();
        let now = store.read("a@icloud.com").unwrap().unwrap();
        assert_eq!(now.expose_secret(), "old");

        let fresh = StoreUpdate::begin(&store, "b@icloud.com").unwrap();
        fresh.store(&secret("new")).unwrap();
        fresh.roll_back();
        assert!(store.read("b@icloud.com").unwrap().is_none());
    }
}
