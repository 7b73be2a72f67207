//! The OS keyring through the `keyring` crate (v4, platform stores on by default):
//! the Secret Service on Linux and BSD, the Keychain on macOS, the Credential Manager on
//! Windows.
//!
//! Every call has a time limit, because a Secret Service call can hang forever on a
//! headless machine or behind an unlock prompt nobody sees (cli/cli #7220). The calls run
//! one after the other on one helper thread, in the order they were made: a call that
//! ran past its limit cannot be cancelled, but what comes after it (the rollback of a
//! write that timed out) still runs after it, never before, so a late write can no longer
//! land after its own rollback and leave an entry behind. [`SecretStore::settle`]
//! waits (bounded) for the calls still running before the program ends.
//!
//! # One keyring, several configs
//!
//! Several configs can share one keyring (tests, dotfile setups, `sudo`), and the entry of
//! an address is one item (service `icloud-setup`, username = the address), whichever
//! config saved it. On the Secret Service each entry carries the attribute [`CONFIGS`]: the
//! canonical paths of the configs that saved it, one per line. An entry is an orphan of a
//! config only when that config is the only one named, so a test's or another
//! dotfile's account is never taken for an orphan; removing an account
//! from a config takes that config's name off, and deletes the entry only when no other
//! config is named. An entry without the attribute (saved by an older version, or by
//! another program) is never an orphan of any config; an account that lists it may remove
//! it, as before. The same address saved under two configs shares the one entry: the last
//! password saved (tested live) is the one both use.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::secrets::{Release, SERVICE, SecretLocation, SecretStore, Store, StoreProblem};

/// Words for the label of a new entry (what Seahorse and KWallet show), from the e-mail.
pub(crate) type LabelFn = fn(&str) -> String;

/// The Secret Service attribute naming the configs an entry was saved for.
pub(crate) const CONFIGS: &str = "icloud-setup-configs";

/// One keyring call, run on the helper thread.
type Job = Box<dyn FnOnce() + Send>;

/// The platform keyring, with a time limit on every call.
#[derive(Clone, Debug)]
pub(crate) struct KeyringStore {
    time_limit: Duration,
    label: Option<LabelFn>,
    /// The config this run works for; its entries are marked with its canonical path.
    config: Option<PathBuf>,
    /// The helper thread's queue, started by the first call.
    worker: Arc<Mutex<Option<mpsc::Sender<Job>>>>,
}

impl KeyringStore {
    pub(crate) fn new(time_limit: Duration) -> KeyringStore {
        KeyringStore {
            time_limit,
            label: None,
            config: None,
            worker: Arc::new(Mutex::new(None)),
        }
    }

    /// New entries get the label `label(email)` where the store keeps one (the Secret
    /// Service), instead of the store's default `keyring:EMAIL@icloud-setup`.
    #[must_use]
    pub(crate) fn with_label(mut self, label: LabelFn) -> KeyringStore {
        self.label = Some(label);
        self
    }

    /// Entries written are marked as saved for the config at `path`, and only entries
    /// marked for it alone are its orphans. Without a config nothing is marked and no entry
    /// is called an orphan.
    #[must_use]
    pub(crate) fn for_config(mut self, path: &Path) -> KeyringStore {
        self.config = Some(path.to_path_buf());
        self
    }

    /// The config's name in [`CONFIGS`]: its canonical path, worked out when needed (the
    /// folder may be created during the run). `None` for a path that cannot be one line.
    fn config_key(&self) -> Option<String> {
        let key = canonical(self.config.as_deref()?)
            .to_string_lossy()
            .into_owned();
        (!key.contains('\n') && !key.is_empty()).then_some(key)
    }

    fn call<T: Send + 'static>(
        &self,
        email: &str,
        operation: impl FnOnce(keyring::Entry) -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, StoreProblem> {
        let email = email.to_string();
        self.within_limit(move || keyring::Entry::new(SERVICE, &email).and_then(operation))
    }

    /// Runs `operation` on the helper thread, after every call made before it; waits for
    /// it at most the time limit.
    fn within_limit<T: Send + 'static>(
        &self,
        operation: impl FnOnce() -> keyring::Result<T> + Send + 'static,
    ) -> Result<T, StoreProblem> {
        let (sender, receiver) = mpsc::channel();
        self.submit(Box::new(move || {
            let _ = sender.send(operation());
        }));
        match receiver.recv_timeout(self.time_limit) {
            Ok(result) => result.map_err(problem),
            Err(_) => Err(StoreProblem::NotAnswering),
        }
    }

    /// Queues `job` for the helper thread, starting it first when needed.
    fn submit(&self, job: Job) {
        let mut worker = self.worker.lock().unwrap_or_else(PoisonError::into_inner);
        let job = match worker.as_ref() {
            Some(queue) => match queue.send(job) {
                Ok(()) => return,
                Err(mpsc::SendError(job)) => job,
            },
            None => job,
        };
        let (queue, jobs) = mpsc::channel::<Job>();
        std::thread::spawn(move || {
            for job in jobs {
                job();
            }
        });
        // The receiver was just made and lives in the thread: the send cannot fail.
        let _ = queue.send(job);
        *worker = Some(queue);
    }
}

/// `path` with every folder that exists resolved (symbolic links, `..`), so one config
/// reached by two spellings has one name.
fn canonical(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(resolved) = std::fs::canonicalize(base) {
            return rest.iter().rev().fold(resolved, |acc, part| acc.join(part));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return absolute,
        }
    }
}

/// The configs named in an entry's [`CONFIGS`] attribute; `None` when it has none.
fn named_configs(attributes: &std::collections::HashMap<String, String>) -> Option<Vec<String>> {
    attributes.get(CONFIGS).map(|value| {
        value
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    })
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

fn problem(error: keyring::Error) -> StoreProblem {
    match error {
        keyring::Error::NoStorageAccess(e) if is_locked(&e.to_string()) => {
            StoreProblem::Locked(e.to_string())
        }
        keyring::Error::NoStorageAccess(e) => StoreProblem::Unavailable(e.to_string()),
        keyring::Error::NoDefaultStore => {
            let why = match keyring::Entry::store_status() {
                Err(e) => e.to_string(),
                Ok(()) => "no credential store".to_string(),
            };
            StoreProblem::Unavailable(why)
        }
        keyring::Error::PlatformFailure(e) => StoreProblem::Unavailable(e.to_string()),
        other => StoreProblem::Failed(other.to_string()),
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
    fn read(&self, email: &str) -> Result<Option<SecretString>, StoreProblem> {
        self.call(email, |entry| match entry.get_password() {
            Ok(text) => Ok(Some(SecretString::from(text))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        })
    }

    fn write(&self, email: &str, secret: &SecretString) -> Result<(), StoreProblem> {
        let secret = secret.clone();
        let email = email.to_string();
        let label = self.label.map(|label| label(&email));
        let config = self.config_key();
        self.within_limit(move || {
            let entry = new_entry(&email, label.as_deref())?;
            entry.set_password(secret.expose_secret())?;
            match config {
                Some(config) => claim(&entry, &config),
                None => Ok(()),
            }
        })
    }

    fn accounts(&self) -> Result<Option<Vec<String>>, StoreProblem> {
        match self.config_key() {
            Some(config) => list_accounts(self, config),
            None => Ok(None),
        }
    }

    fn delete(&self, email: &str) -> Result<(), StoreProblem> {
        self.release(email).map(drop)
    }

    fn release(&self, email: &str) -> Result<Release, StoreProblem> {
        let config = self.config_key();
        self.call(email, move |entry| {
            let entry = entry.inner;
            let attributes = match entry.get_attributes() {
                Ok(attributes) => attributes,
                Err(keyring::Error::NoEntry) => return Ok(Release::Deleted),
                Err(e) => return Err(e),
            };
            if let (Some(config), Some(mut named)) = (config, named_configs(&attributes)) {
                named.retain(|other| *other != config);
                if !named.is_empty() {
                    // Another config saved it too: only this config's name goes.
                    let value = named.join("\n");
                    entry.update_attributes(&std::collections::HashMap::from([(
                        CONFIGS,
                        value.as_str(),
                    )]))?;
                    return Ok(Release::KeptForOtherConfigs);
                }
            }
            match entry.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(Release::Deleted),
                Err(e) => Err(e),
            }
        })
    }

    /// The default collection (where new entries go) is unlocked, or can be unlocked now:
    /// a locked keyring is found before a password is typed, not at the save. A keyring
    /// that cannot be reached at all is left to the first real call, which words that.
    fn ready(&self) -> Result<(), StoreProblem> {
        self.within_limit(|| Ok(default_collection_unlocked()))
            .and_then(|ready| ready)
    }

    fn settle(&self) {
        // An empty call queued behind the others: when it has run, they have.
        let _ = self.within_limit(|| Ok(()));
    }

    fn location(&self, email: &str) -> SecretLocation {
        platform_location(email)
    }
}

/// Whether the Secret Service's default collection is unlocked, unlocking it when it is
/// not (on a desktop that shows the unlock prompt; on a headless bus the prompt is
/// dismissed at once and the collection stays locked).
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn default_collection_unlocked() -> Result<(), StoreProblem> {
    use secret_service::EncryptionType;
    use secret_service::blocking::SecretService;
    // No service, or no default collection (one is made at the first write): the calls
    // that follow say what is wrong, as before.
    let Ok(service) = SecretService::connect(EncryptionType::Plain) else {
        return Ok(());
    };
    let Ok(collection) = service.get_default_collection() else {
        return Ok(());
    };
    match collection.is_locked() {
        Ok(true) => collection
            .unlock()
            .map_err(|e| StoreProblem::Locked(e.to_string())),
        Ok(false) | Err(_) => Ok(()),
    }
}

/// The Keychain and the Credential Manager unlock with the session; their calls say when
/// they cannot.
#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn default_collection_unlocked() -> Result<(), StoreProblem> {
    Ok(())
}

/// The entry of `email`, with `label` where the store keeps one.
fn new_entry(email: &str, label: Option<&str>) -> keyring::Result<keyring_core::Entry> {
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "ios", target_os = "android"))
    ))]
    if let Some(label) = label {
        return labelled_entry(email, label);
    }
    let _ = label;
    keyring::Entry::new(SERVICE, email).map(|entry| entry.inner)
}

/// Adds `config` to the configs named by `entry` (the Secret Service; other stores keep no
/// attributes and are left as they are).
fn claim(entry: &keyring_core::Entry, config: &str) -> keyring::Result<()> {
    let attributes = match entry.get_attributes() {
        Ok(attributes) => attributes,
        Err(keyring::Error::NotSupportedByStore(_)) => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut named = named_configs(&attributes).unwrap_or_default();
    if named.iter().any(|other| other == config) {
        return Ok(());
    }
    named.push(config.to_string());
    let value = named.join("\n");
    match entry.update_attributes(&std::collections::HashMap::from([(
        CONFIGS,
        value.as_str(),
    )])) {
        Err(keyring::Error::NotSupportedByStore(_)) => Ok(()),
        other => other,
    }
}

/// Every account whose entry was saved for `config` and no other config, found by the
/// service attribute.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn list_accounts(
    store: &KeyringStore,
    config: String,
) -> Result<Option<Vec<String>>, StoreProblem> {
    store.within_limit(move || {
        if let Err(e) = keyring::Entry::store_status() {
            return Err(problem_again(e));
        }
        let spec = std::collections::HashMap::from([("service", SERVICE)]);
        let mut emails: Vec<String> = keyring_core::Entry::search(&spec)?
            .iter()
            .filter(|entry| {
                entry
                    .get_attributes()
                    .ok()
                    .and_then(|attributes| named_configs(&attributes))
                    .is_some_and(|named| named == [config.as_str()])
            })
            .filter_map(keyring_core::Entry::get_specifiers)
            .filter(|(service, _)| service == SERVICE)
            .map(|(_, email)| email)
            .collect();
        emails.sort();
        emails.dedup();
        Ok(Some(emails))
    })
}

/// The Keychain and the Credential Manager are not searched (their search specs differ),
/// and keep no attributes to say which config an entry is for: no entry is called an
/// orphan there.
#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
fn list_accounts(
    _store: &KeyringStore,
    _config: String,
) -> Result<Option<Vec<String>>, StoreProblem> {
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

    /// A write that runs past the time limit and lands late must not land
    /// after its rollback. A stand-in keyring (one slot) shows the order the calls take
    /// effect in.
    #[test]
    fn a_write_that_times_out_never_lands_after_its_rollback() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let store = KeyringStore::new(Duration::from_millis(100));
        let entry = Arc::new(AtomicBool::new(false));
        let written = Arc::clone(&entry);
        let write = store.within_limit(move || {
            std::thread::sleep(Duration::from_millis(400));
            written.store(true, Ordering::SeqCst);
            Ok(())
        });
        assert_eq!(write, Err(StoreProblem::NotAnswering));
        // The rollback of the failed save: no entry before, so none after.
        let rolled_back = Arc::clone(&entry);
        let _ = store.within_limit(move || {
            rolled_back.store(false, Ordering::SeqCst);
            Ok(())
        });
        store.settle();
        std::thread::sleep(Duration::from_millis(600));
        assert!(
            !entry.load(Ordering::SeqCst),
            "the late write landed after the rollback"
        );
    }

    #[test]
    fn a_config_has_one_name_however_its_path_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let canonical_dir = std::fs::canonicalize(dir.path()).unwrap();
        let direct = canonical(&dir.path().join("real/config.toml"));
        assert_eq!(direct, canonical_dir.join("real/config.toml"));
        let roundabout = canonical(&dir.path().join("real/../real/./config.toml"));
        assert_eq!(roundabout, direct);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
            assert_eq!(canonical(&dir.path().join("link/config.toml")), direct);
        }
        // A folder not made yet: the part that exists is resolved, the rest kept.
        assert_eq!(
            canonical(&dir.path().join("new/sub/config.toml")),
            canonical_dir.join("new/sub/config.toml")
        );
    }

    #[test]
    fn the_configs_attribute_is_one_name_per_line() {
        let mut attributes = std::collections::HashMap::new();
        assert_eq!(named_configs(&attributes), None);
        attributes.insert(
            CONFIGS.to_string(),
            "/a/config.toml\n\n/b/x.toml".to_string(),
        );
        assert_eq!(
            named_configs(&attributes),
            Some(vec!["/a/config.toml".to_string(), "/b/x.toml".to_string()])
        );
    }

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
