//! An in-memory [`SecretStore`] for tests: nothing leaves the process. It can be told to
//! fail, to exercise the paths where the keyring is missing or refuses a write.

use std::collections::BTreeMap;
use std::sync::Mutex;

use secrecy::SecretString;

use crate::secrets::{KeyringProblem, SecretLocation, SecretStore};

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<BTreeMap<String, SecretString>>,
    failure: Mutex<Option<KeyringProblem>>,
    /// Like a locked Secret Service collection: reads work (a missing entry is found
    /// missing), `ready` and writes fail with this problem.
    locked: Mutex<Option<KeyringProblem>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Every later call fails with `problem` (or works again with `None`).
    pub fn fail_with(&self, problem: Option<KeyringProblem>) {
        *self.failure.lock().expect("memory store lock") = problem;
    }

    /// Locks the store as a Secret Service collection is locked (`None` unlocks it).
    pub fn lock_with(&self, problem: Option<KeyringProblem>) {
        *self.locked.lock().expect("memory store lock") = problem;
    }

    fn check_unlocked(&self) -> Result<(), KeyringProblem> {
        self.check()?;
        match self.locked.lock().expect("memory store lock").clone() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// The e-mails that have an entry.
    pub fn emails(&self) -> Vec<String> {
        self.entries
            .lock()
            .expect("memory store lock")
            .keys()
            .cloned()
            .collect()
    }

    fn check(&self) -> Result<(), KeyringProblem> {
        match self.failure.lock().expect("memory store lock").clone() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }
}

impl SecretStore for MemoryStore {
    fn read(&self, email: &str) -> Result<Option<SecretString>, KeyringProblem> {
        self.check()?;
        Ok(self
            .entries
            .lock()
            .expect("memory store lock")
            .get(email)
            .cloned())
    }

    fn write(&self, email: &str, secret: &SecretString) -> Result<(), KeyringProblem> {
        self.check_unlocked()?;
        self.entries
            .lock()
            .expect("memory store lock")
            .insert(email.to_string(), secret.clone());
        Ok(())
    }

    fn delete(&self, email: &str) -> Result<(), KeyringProblem> {
        self.check()?;
        self.entries
            .lock()
            .expect("memory store lock")
            .remove(email);
        Ok(())
    }

    fn ready(&self) -> Result<(), KeyringProblem> {
        self.check_unlocked()
    }

    fn accounts(&self) -> Result<Option<Vec<String>>, KeyringProblem> {
        self.check()?;
        Ok(Some(self.emails()))
    }

    fn location(&self, email: &str) -> SecretLocation {
        SecretLocation {
            store: super::Store::Memory,
            read_command: format!("(in-memory test store: {email})"),
        }
    }
}
