//! An in-memory [`SecretStore`] for tests: nothing leaves the process. It can be told to
//! fail, to exercise the paths where the keyring is missing or refuses a write.

use std::collections::BTreeMap;
use std::sync::Mutex;

use secrecy::SecretString;

use crate::secrets::{SecretLocation, SecretStore, StoreProblem};

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<BTreeMap<String, SecretString>>,
    failure: Mutex<Option<StoreProblem>>,
    /// Like a locked Secret Service collection: reads work (a missing entry is found
    /// missing), `ready` and writes fail with this problem.
    locked: Mutex<Option<StoreProblem>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Every later call fails with `problem` (or works again with `None`).
    pub fn fail_with(&self, problem: Option<StoreProblem>) {
        *self.failure.lock().expect("memory store lock") = problem;
    }

    /// Locks the store as a Secret Service collection is locked (`None` unlocks it).
    pub fn lock_with(&self, problem: Option<StoreProblem>) {
        *self.locked.lock().expect("memory store lock") = problem;
    }

    fn check_unlocked(&self) -> Result<(), StoreProblem> {
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

    fn check(&self) -> Result<(), StoreProblem> {
        match self.failure.lock().expect("memory store lock").clone() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }
}

impl SecretStore for MemoryStore {
    fn read(&self, email: &str) -> Result<Option<SecretString>, StoreProblem> {
        self.check()?;
        Ok(self
            .entries
            .lock()
            .expect("memory store lock")
            .get(email)
            .cloned())
    }

    fn write(&self, email: &str, secret: &SecretString) -> Result<(), StoreProblem> {
        self.check_unlocked()?;
        self.entries
            .lock()
            .expect("memory store lock")
            .insert(email.to_string(), secret.clone());
        Ok(())
    }

    fn delete(&self, email: &str) -> Result<(), StoreProblem> {
        self.check()?;
        self.entries
            .lock()
            .expect("memory store lock")
            .remove(email);
        Ok(())
    }

    fn ready(&self) -> Result<(), StoreProblem> {
        self.check_unlocked()
    }

    fn accounts(&self) -> Result<Option<Vec<String>>, StoreProblem> {
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
