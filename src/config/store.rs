//! The config file on disk: where it is, reading it, and replacing it safely.
//!
//! Writes go to a temporary file in the same directory (mode 0600, directory 0700) that is
//! renamed over the old file, so a crash leaves either the old or the new file, never half
//! of one. Read-modify-write happens under an exclusive lock on a sibling `.lock` file, so
//! two runs at once cannot lose each other's accounts. A file that does not parse is never
//! overwritten.
//!
//! What is at the path is not trusted: only a regular file of at most
//! [`MAX_CONFIG_BYTES`] is read (a device, a FIFO or a huge file is refused before a byte
//! is read; an empty file is an empty config). The lock file is opened without following
//! a symbolic link and with mode 0600 whatever the umask; after the rename the directory
//! is synced, so the new name survives a crash. A config that is a symbolic link (GNU
//! Stow, chezmoi) is written through to its target, which is replaced in its own
//! directory, and the link stays. Run as root on another user's config (sudo keeping
//! HOME), new files and folders get the owner of the folder they are in, so the user is
//! not locked out of their own config.
//!
//! Waiting for another run's lock is bounded: the caller says how long (`--timeout`) and
//! what to do once it is clear that another run holds it (the app says so on standard
//! error); past the bound the change is given up with [`ConfigError::Locked`].

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::edit;
use crate::config::model::{ConfigFile, SCHEMA_VERSION};

/// Why the config file could not be used. Worded by the text layer.
#[derive(Debug)]
pub enum ConfigError {
    /// The file exists but could not be read.
    Read { path: PathBuf, source: io::Error },
    /// The file, its directory, its lock or its temporary file could not be written.
    Write { path: PathBuf, source: io::Error },
    /// The file is not valid TOML of the expected shape.
    Unparseable {
        path: PathBuf,
        line: Option<usize>,
        problem: String,
    },
    /// The file is from a version of the schema this program does not know.
    Version { path: PathBuf, found: u32 },
    /// What is at the path is not a regular file (`/dev/zero`, a FIFO, a directory).
    NotAFile { path: PathBuf },
    /// The file is larger than any config this program writes.
    TooLarge { path: PathBuf, limit: u64 },
    /// The file is not UTF-8 text.
    NotUtf8 { path: PathBuf },
    /// The path is a symbolic link whose target cannot be written.
    Symlink { path: PathBuf, target: PathBuf },
    /// Another run held the lock for the whole wait; nothing was changed.
    Locked {
        path: PathBuf,
        lock: PathBuf,
        waited: Duration,
    },
}

/// The largest config file that is read: far above any real one (a hundred accounts fit in
/// a few dozen KiB), far below what could exhaust memory.
pub(crate) const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// How long a change waits for another run's lock unless told otherwise (`--timeout`'s
/// default).
pub(crate) const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(15);

/// How often a busy lock is tried again: short beside a person's patience, long beside a
/// system call.
const LOCK_RETRY: Duration = Duration::from_millis(50);

/// Called once when a change has to wait for another run's lock, with the lock's path.
pub(crate) type LockNotice = Arc<dyn Fn(&Path) + Send + Sync>;

/// The config file at one path.
#[derive(Clone)]
pub struct ConfigStore {
    path: PathBuf,
    lock_wait: Duration,
    on_lock_busy: Option<LockNotice>,
}

impl std::fmt::Debug for ConfigStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigStore")
            .field("path", &self.path)
            .field("lock_wait", &self.lock_wait)
            .finish_non_exhaustive()
    }
}

impl ConfigStore {
    pub fn new(path: PathBuf) -> ConfigStore {
        ConfigStore {
            path,
            lock_wait: DEFAULT_LOCK_WAIT,
            on_lock_busy: None,
        }
    }

    /// Waits at most `wait` for another run's lock, calling `notice` once when the lock is
    /// found taken, so a person is not left looking at a silent terminal.
    #[must_use]
    pub fn with_lock_wait(mut self, wait: Duration, notice: LockNotice) -> ConfigStore {
        self.lock_wait = wait;
        self.on_lock_busy = Some(notice);
        self
    }

    /// `<config dir>/icloud-setup/config.toml` for this platform, if there is a home.
    pub(crate) fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "icloud-setup")
            .map(|dirs| dirs.config_dir().join("config.toml"))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The saved config; an empty one when the file does not exist yet or is empty.
    pub fn load(&self) -> Result<ConfigFile, ConfigError> {
        match self.load_text()? {
            Some(text) => parse(&self.path, &text),
            None => Ok(ConfigFile::default()),
        }
    }

    /// The file's text; `None` when it does not exist yet or holds nothing but blanks. Only a
    /// regular file of at most [`MAX_CONFIG_BYTES`] is read (`/dev/zero`, a FIFO or a
    /// directory are refused at once), and it must be UTF-8.
    fn load_text(&self) -> Result<Option<String>, ConfigError> {
        let bytes = match read_regular_file(&self.path, MAX_CONFIG_BYTES) {
            Ok(bytes) => bytes,
            Err(ReadProblem::Io(e)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(ReadProblem::Io(source)) => {
                return Err(ConfigError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
            Err(ReadProblem::NotRegular) => {
                return Err(ConfigError::NotAFile {
                    path: self.path.clone(),
                });
            }
            Err(ReadProblem::TooLarge) => {
                return Err(ConfigError::TooLarge {
                    path: self.path.clone(),
                    limit: MAX_CONFIG_BYTES,
                });
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            // Unparseable, not unreadable: 78, and the file is left alone.
            return Err(ConfigError::NotUtf8 {
                path: self.path.clone(),
            });
        };
        Ok(Some(text).filter(|text| !text.trim().is_empty()))
    }

    /// Reads the file under the lock, lets `change` edit it, and writes the result back
    /// atomically. When `change` fails nothing is written.
    pub fn update<T, E: From<ConfigError>>(
        &self,
        change: impl FnOnce(&mut ConfigFile) -> Result<T, E>,
    ) -> Result<T, E> {
        let dir = self.directory();
        create_private_dir(&dir).map_err(|source| self.write_error(source))?;
        let _lock = self.lock(&dir)?;
        let original = self.load_text()?;
        let mut config = match &original {
            Some(text) => parse(&self.path, text)?,
            None => ConfigFile::default(),
        };
        let result = change(&mut config)?;
        // The person's comments and key order survive: only changed values are rewritten.
        let text = edit::render(original.as_deref().unwrap_or(""), &config);
        self.write(&text)?;
        Ok(result)
    }

    /// Proves that a save can succeed, before anything is asked: the folder exists (made
    /// 0700 when missing) and a file can be created in the folder the config is written
    /// to, and what is at the path is a config that can be read.
    pub(crate) fn check_writable(&self) -> Result<(), ConfigError> {
        let dir = self.directory();
        create_private_dir(&dir).map_err(|source| self.write_error(source))?;
        let target = self.write_target()?;
        let probe = write_probe(&parent_dir(&target)).map_err(|source| self.write_error(source))?;
        drop(probe);
        self.load().map(drop)
    }

    fn directory(&self) -> PathBuf {
        parent_dir(&self.path)
    }

    /// The file that is replaced on a write: the path itself, or the file a symbolic link
    /// there points to (through every link), so the link stays and its target is updated.
    fn write_target(&self) -> Result<PathBuf, ConfigError> {
        match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                if let Ok(target) = fs::canonicalize(&self.path) {
                    Ok(target)
                } else {
                    // A link to a file not made yet (a fresh dotfiles checkout): create
                    // the target, if its folder exists.
                    let link =
                        fs::read_link(&self.path).map_err(|source| self.write_error(source))?;
                    let target = self.directory().join(link);
                    if parent_dir(&target).is_dir() && fs::symlink_metadata(&target).is_err() {
                        Ok(target)
                    } else {
                        Err(ConfigError::Symlink {
                            path: self.path.clone(),
                            target,
                        })
                    }
                }
            }
            _ => Ok(self.path.clone()),
        }
    }

    fn lock(&self, dir: &Path) -> Result<File, ConfigError> {
        let name = format!(
            ".{}.lock",
            self.path
                .file_name()
                .map_or("config.toml".into(), |n| n.to_string_lossy())
        );
        let lock_path = dir.join(name);
        let file = open_lock_file(&lock_path).map_err(|source| self.write_error(source))?;
        give_to_owner_of(&file, dir);
        // Another run holds it between its read and its write: a moment, normally. A run
        // that hangs there (a stopped process, a stuck keyring prompt) must not hang this
        // one too, so the wait is bounded and said.
        let started = Instant::now();
        let mut announced = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(TryLockError::Error(source)) => return Err(self.write_error(source)),
                Err(TryLockError::WouldBlock) => {}
            }
            let waited = started.elapsed();
            if waited >= self.lock_wait {
                return Err(ConfigError::Locked {
                    path: self.path.clone(),
                    lock: lock_path,
                    waited,
                });
            }
            if !announced {
                announced = true;
                if let Some(notice) = &self.on_lock_busy {
                    notice(&lock_path);
                }
            }
            std::thread::sleep(LOCK_RETRY.min(self.lock_wait.saturating_sub(waited)));
        }
    }

    fn write(&self, text: &str) -> Result<(), ConfigError> {
        let target = self.write_target()?;
        let target_dir = parent_dir(&target);
        let prefix = format!(
            ".{}.",
            target
                .file_name()
                .map_or("config.toml".into(), |n| n.to_string_lossy())
        );
        // Removed again when dropped, on every way out before the rename.
        let mut temp = tempfile::Builder::new()
            .prefix(&prefix)
            .tempfile_in(&target_dir)
            .map_err(|source| self.write_error(source))?;
        set_private_file(temp.as_file()).map_err(|source| self.write_error(source))?;
        // The owner of the file replaced, else of the folder it goes in.
        if target.exists() {
            give_to_owner_of(temp.as_file(), &target);
        } else {
            give_to_owner_of(temp.as_file(), &target_dir);
        }
        temp.write_all(text.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|source| self.write_error(source))?;
        temp.persist(&target)
            .map_err(|e| self.write_error(e.error))?;
        // The rename is only durable once the folder is.
        sync_dir(&target_dir).map_err(|source| self.write_error(source))?;
        Ok(())
    }

    fn write_error(&self, source: io::Error) -> ConfigError {
        ConfigError::Write {
            path: self.path.clone(),
            source,
        }
    }
}

/// Parses config text, naming the file and line of the first problem.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    let config: ConfigFile = toml::from_str(text).map_err(|e| ConfigError::Unparseable {
        path: path.to_path_buf(),
        line: e.span().map(|span| line_of(text, span.start)),
        problem: e.message().to_string(),
    })?;
    if config.version != SCHEMA_VERSION {
        return Err(ConfigError::Version {
            path: path.to_path_buf(),
            found: config.version,
        });
    }
    Ok(config)
}

/// A file created in `dir`, proving that a save can create one there. It never has a name
/// there (`O_TMPFILE` on Linux; elsewhere unlinked as soon as it is made): a signal ends the
/// run with `process::exit`, which runs no destructor, and a named probe would stay behind.
fn write_probe(dir: &Path) -> io::Result<File> {
    tempfile::tempfile_in(dir)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Why [`read_regular_file`] read nothing.
pub(crate) enum ReadProblem {
    Io(io::Error),
    NotRegular,
    TooLarge,
}

/// The bytes of `path` if it is a regular file of at most `limit` bytes. Opened without
/// blocking (a FIFO would wait for a writer forever) and checked on the open handle. Also
/// how `--ca-file` is read (`mail::tls`).
pub(crate) fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = nix::fcntl::OFlag::O_NONBLOCK | nix::fcntl::OFlag::O_NOCTTY;
        options.custom_flags(flags.bits());
    }
    let file = options.open(path).map_err(ReadProblem::Io)?;
    let meta = file.metadata().map_err(ReadProblem::Io)?;
    if !meta.is_file() {
        return Err(ReadProblem::NotRegular);
    }
    if meta.len() > limit {
        return Err(ReadProblem::TooLarge);
    }
    let mut bytes = Vec::new();
    // The size was checked, but a file can grow while it is read.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadProblem::TooLarge);
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_lock_file(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        // A symbolic link planted at the lock's name must not create or truncate its target.
        .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
        .open(path)?;
    // `mode` is filtered by the umask; the lock holds nothing, but it is ours alone.
    set_private_file(&file)?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_lock_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Gives `file` the owner and group of `model` when they differ from its own — which only
/// root can do, and only matters then: `sudo icloud-setup` with HOME kept must not leave
/// root-owned files in a user's config folder. Anyone else gets EPERM, which is ignored.
#[cfg(unix)]
fn give_to_owner_of(file: &File, model: &Path) {
    use std::os::unix::fs::MetadataExt;
    let (Ok(model), Ok(own)) = (fs::metadata(model), file.metadata()) else {
        return;
    };
    if (model.uid(), model.gid()) != (own.uid(), own.gid()) {
        let _ = std::os::unix::fs::fchown(file, Some(model.uid()), Some(model.gid()));
    }
}

#[cfg(not(unix))]
fn give_to_owner_of(_file: &File, _model: &Path) {}

/// The line (from 1) of byte `offset`: counted in bytes, so an offset inside a character
/// (a parser's span is not promised to fall between characters) cannot panic.
fn line_of(text: &str, offset: usize) -> usize {
    let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
    before.split(|&b| b == b'\n').count()
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    if dir.is_dir() {
        return Ok(());
    }
    // The folders about to be made, and the owner of the nearest one that exists.
    let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.exists()).collect();
    let owner = dir
        .ancestors()
        .find(|d| d.exists())
        .and_then(|d| fs::metadata(d).ok())
        .map(|m| (m.uid(), m.gid()));
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    if let Some((uid, gid)) = owner {
        for made in missing {
            if let Ok(meta) = fs::metadata(made)
                && (meta.uid(), meta.gid()) != (uid, gid)
            {
                let _ = std::os::unix::fs::chown(made, Some(uid), Some(gid));
            }
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn set_private_file(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private_file(_file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    // Found by the signal stress test: a signal that ends the run while the probe exists
    // (`process::exit` runs no destructor) left `.icloud-setup-probe.XXXXXX` in the folder.
    #[test]
    fn the_write_probe_has_no_name_in_the_folder_even_while_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        let probe = super::write_probe(dir.path()).expect("the folder is writable");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert!(names.is_empty(), "a run ended now would leave {names:?}");
        drop(probe);
    }

    #[test]
    fn the_write_probe_still_fails_where_no_file_can_be_created() {
        let dir = tempfile::tempdir().unwrap();
        assert!(super::write_probe(&dir.path().join("missing")).is_err());
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        assert!(super::write_probe(&file).is_err());
    }

    use super::*;
    use crate::config::model::{Account, Security, ServerSettings};

    /// A span's offset inside a character was sliced (`text[..offset]`) and panicked.
    #[test]
    fn line_numbers_of_offsets_inside_a_character_do_not_panic() {
        assert_eq!(line_of("ä\nb", 1), 1);
        assert_eq!(line_of("ä\nb", 3), 2);
        assert_eq!(line_of("a\n\n😀", 5), 3);
        assert_eq!(line_of("a", 99), 1);
    }

    fn account(email: &str) -> Account {
        let server = |host: &str, port, security| ServerSettings {
            host: host.into(),
            port,
            security,
            username: email.into(),
            extra: toml::Table::default(),
        };
        Account {
            email: email.into(),
            login: email.into(),
            name: None,
            verified_at: None,
            password_saved_at: None,
            secret: None,
            pass_store_dir: None,
            gnupg_home: None,
            imap: server("imap.mail.me.com", 993, Security::Tls),
            smtp: server("smtp.mail.me.com", 587, Security::Starttls),
            folders: None,
            extra: toml::Table::default(),
        }
    }

    proptest::proptest! {
        // Each case writes a file: fewer cases than the in-memory properties.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// Through the file (atomic write, lock, read): the accounts read back equal,
        /// whatever their text, and the person's comment stays.
        #[test]
        fn accounts_of_any_text_survive_the_file(
            emails in proptest::collection::vec(crate::display_safe::strategies::any_text(), 1..4),
            name in crate::display_safe::strategies::any_text(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("config.toml");
            fs::write(&path, "# mine, keep me\nversion = 1\n").unwrap();
            let store = ConfigStore::new(path.clone());
            let mut wanted = ConfigFile::default();
            for email in &emails {
                let mut saved = account(email);
                saved.name = Some(name.clone());
                wanted.upsert(saved);
            }
            let accounts = wanted.accounts.clone();
            store
                .update(|config| {
                    for saved in &accounts {
                        config.upsert(saved.clone());
                    }
                    Ok::<(), ConfigError>(())
                })
                .unwrap();
            let read = store.load().unwrap();
            proptest::prop_assert_eq!(read.accounts, wanted.accounts);
            let text = fs::read_to_string(&path).unwrap();
            proptest::prop_assert!(text.starts_with("# mine, keep me\n"), "{}", text);
        }
    }

    #[test]
    fn a_missing_file_is_an_empty_config() {
        let dir = tempfile::tempdir().unwrap();
        let store = ConfigStore::new(dir.path().join("nope/config.toml"));
        assert!(store.load().unwrap().accounts.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_and_its_directory_too() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("icloud-setup/config.toml");
        let store = ConfigStore::new(path.clone());
        store
            .update(|c| {
                c.upsert(account("a@icloud.com"));
                Ok::<(), ConfigError>(())
            })
            .unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(store.load().unwrap().accounts[0].email, "a@icloud.com");
    }

    #[test]
    fn an_unparseable_file_names_its_line_and_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let broken = "version = 1\n\n[[accounts]\nemail = 3\n";
        fs::write(&path, broken).unwrap();
        let store = ConfigStore::new(path.clone());
        let err = store
            .update(|c| {
                c.upsert(account("a@icloud.com"));
                Ok::<(), ConfigError>(())
            })
            .unwrap_err();
        assert!(
            matches!(err, ConfigError::Unparseable { line: Some(3), .. }),
            "{err:?}"
        );
        assert_eq!(crate::error::Error::from(err).exit_code(), 78);
        assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    }

    #[test]
    fn a_failed_change_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let store = ConfigStore::new(path.clone());
        let result: Result<(), ConfigError> = store.update(|_| {
            Err(ConfigError::Version {
                path: PathBuf::new(),
                found: 0,
            })
        });
        assert!(result.is_err());
        assert!(!path.exists());
    }

    #[test]
    fn concurrent_updates_keep_every_account() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::thread::scope(|scope| {
            for i in 0..8 {
                let store = ConfigStore::new(path.clone());
                scope.spawn(move || {
                    store
                        .update(|c| {
                            c.upsert(account(&format!("u{i}@icloud.com")));
                            Ok::<(), ConfigError>(())
                        })
                        .unwrap();
                });
            }
        });
        assert_eq!(ConfigStore::new(path).load().unwrap().accounts.len(), 8);
    }
}
