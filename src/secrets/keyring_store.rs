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

/// The platform keyring, with a time limit on every call.
#[derive(Clone, Debug)]
pub struct KeyringStore {
    time_limit: Duration,
}

impl KeyringStore {
    pub fn new(time_limit: Duration) -> KeyringStore {
        KeyringStore { time_limit }
    }

    fn call<T: Send + 'static>(
        &self,
        email: &str,
        operation: impl FnOnce(keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, KeyringProblem> {
        let email = email.to_string();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let result = keyring::Entry::new(SERVICE, &email).and_then(operation);
            let _ = sender.send(result);
        });
        match receiver.recv_timeout(self.time_limit) {
            Ok(result) => result.map_err(problem),
            Err(_) => Err(KeyringProblem::NotAnswering),
        }
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
        self.call(email, move |entry| {
            entry.set_password(secret.expose_secret())
        })
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
