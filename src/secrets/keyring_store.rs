//! The OS keyring through the `keyring` crate (v4, platform stores on by default):
//! the Secret Service on Linux and BSD, the Keychain on macOS, the Credential Manager on
//! Windows.
//!
//! Every call runs on a helper thread and is abandoned after the time limit, because a
//! Secret Service call can hang forever on a headless machine or behind an unlock prompt
//! nobody sees (cli/cli #7220). An abandoned call cannot be cancelled; the process exits
//! soon after anyway.

use std::sync::mpsc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::secrets::{KeyringProblem, SERVICE, SecretLocation, SecretStore, Store};

/// Words for the label of a new entry (what Seahorse and KWallet show), from the e-mail.
pub type LabelFn = fn(&str) -> String;

/// The platform keyring, with a time limit on every call.
#[derive(Clone, Debug)]
pub struct KeyringStore {
    time_limit: Duration,
    label: Option<LabelFn>,
}

impl KeyringStore {
    pub fn new(time_limit: Duration) -> KeyringStore {
        KeyringStore {
            time_limit,
            label: None,
        }
    }

    /// New entries get the label `label(email)` where the store keeps one (the Secret
    /// Service), instead of the store's default `keyring:EMAIL@icloud-setup`.
    #[must_use]
    pub fn with_label(mut self, label: LabelFn) -> KeyringStore {
        self.label = Some(label);
        self
    }

    fn call<T: Send + 'static>(
        &self,
        email: &str,
        operation: impl FnOnce(keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, KeyringProblem> {
        let email = email.to_string();
        self.within_limit(move || keyring::Entry::new(SERVICE, &email).and_then(operation))
    }

    /// Runs `operation` on a helper thread, abandoned after the time limit.
    fn within_limit<T: Send + 'static>(
        &self,
        operation: impl FnOnce() -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, KeyringProblem> {
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(operation());
        });
        match receiver.recv_timeout(self.time_limit) {
            Ok(result) => result.map_err(problem),
            Err(_) => Err(KeyringProblem::NotAnswering),
        }
    }
}

/// A Secret Service entry for `email` that carries `label`.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn labelled_entry(email: &str, label: &str) -> keyring::Result<keyring_core::Entry> {
    // The first `keyring::Entry` call sets up the platform store; reuse it.
    if let Err(e) = keyring::Entry::store_status() {
        return Err(problem_again(e));
    }
    let modifiers = std::collections::HashMap::from([("label", label)]);
    keyring_core::Entry::new_with_modifiers(SERVICE, email, &modifiers)
}

/// The store set-up error again (it is kept by reference).
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn problem_again(error: &keyring::Error) -> keyring::Error {
    match error {
        keyring::Error::NoDefaultStore => keyring::Error::NoDefaultStore,
        other => keyring::Error::PlatformFailure(other.to_string().into()),
    }
}

fn problem(error: keyring::Error) -> KeyringProblem {
    match error {
        keyring::Error::NoStorageAccess(e) if is_locked(&e.to_string()) => {
            KeyringProblem::Locked(e.to_string())
        }
        keyring::Error::NoStorageAccess(e) => KeyringProblem::Unavailable(e.to_string()),
        keyring::Error::NoDefaultStore => {
            let why = match keyring::Entry::store_status() {
                Err(e) => e.to_string(),
                Ok(()) => "no credential store".to_string(),
            };
            KeyringProblem::Unavailable(why)
        }
        keyring::Error::PlatformFailure(e) => KeyringProblem::Unavailable(e.to_string()),
        other => KeyringProblem::Failed(other.to_string()),
    }
}

/// Whether the Secret Service refused because the collection is locked: it says "object
/// locked", or the unlock prompt it needed was dismissed (no prompter on a headless bus).
/// The store crate passes these on only as text, so they are recognized by their words.
fn is_locked(detail: &str) -> bool {
    let text = detail.to_ascii_lowercase();
    text.contains("locked") || text.contains("prompt dismissed")
}

impl SecretStore for KeyringStore {
    fn read(&self, email: &str) -> Result<Option<SecretString>, KeyringProblem> {
        self.call(email, |entry| match entry.get_password() {
            Ok(text) => Ok(Some(SecretString::from(text))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn write(&self, email: &str, secret: &SecretString) -> Result<(), KeyringProblem> {
        let secret = secret.clone();
        #[cfg(all(
            unix,
            not(any(target_os = "macos", target_os = "ios", target_os = "android"))
        ))]
        if let Some(label) = self.label {
            let email = email.to_string();
            let label = label(&email);
            return self.within_limit(move || {
                labelled_entry(&email, &label)?.set_password(secret.expose_secret())
            });
        }
        self.call(email, move |entry| {
            entry.set_password(secret.expose_secret())
        })
    }

    fn accounts(&self) -> Result<Option<Vec<String>>, KeyringProblem> {
        list_accounts(self)
    }

    fn delete(&self, email: &str) -> Result<(), KeyringProblem> {
        self.call(email, |entry| match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e),
        })
    }

    fn location(&self, email: &str) -> SecretLocation {
        platform_location(email)
    }
}

/// Every account with an entry of this program, found by the service attribute.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn list_accounts(store: &KeyringStore) -> Result<Option<Vec<String>>, KeyringProblem> {
    store.within_limit(|| {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(problem_again(e));
        }
        let spec = std::collections::HashMap::from([("service", SERVICE)]);
        let mut emails: Vec<String> = keyring_core::Entry::search(&spec)?
            .iter()
            .filter_map(keyring_core::Entry::get_specifiers)
            .filter(|(service, _)| service == SERVICE)
            .map(|(_, email)| email)
            .collect();
        emails.sort();
        emails.dedup();
        Ok(Some(emails))
    })
}

/// The Keychain and the Credential Manager are not searched (their search specs differ);
/// entries the config does not list are not found there.
#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn list_accounts(_store: &KeyringStore) -> Result<Option<Vec<String>>, KeyringProblem> {
    Ok(None)
}

#[cfg(target_os = "macos")]
fn platform_location(email: &str) -> SecretLocation {
    SecretLocation {
        store: Store::MacosKeychain,
        read_command: format!("security find-generic-password -s {SERVICE} -a {email} -w"),
    }
}

#[cfg(target_os = "windows")]
fn platform_location(email: &str) -> SecretLocation {
    SecretLocation {
        store: Store::WindowsCredentialManager,
        read_command: format!("icloud-setup password {email}"),
    }
}

#[cfg(not(any(target_os = "macos", target_os = "windows")))]
fn platform_location(email: &str) -> SecretLocation {
    SecretLocation {
        store: Store::SecretService,
        read_command: format!("secret-tool lookup service {SERVICE} username {email}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_collection_is_told_apart_from_a_missing_keyring() {
        for locked in ["SS Error: object locked", "SS error: prompt dismissed"] {
            assert!(is_locked(locked), "{locked}");
        }
        for other in [
            "zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name \
             org.freedesktop.secrets was not provided by any .service files",
            "no secret service provider or dbus session found",
        ] {
            assert!(!is_locked(other), "{other}");
        }
    }
}
