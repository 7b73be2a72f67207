//! The config file on disk: where it is, reading it, and replacing it safely.
//!
//! Writes go to a temporary file in the same directory (mode 0600, directory 0700) that is
//! renamed over the old file, so a crash leaves either the old or the new file, never half
//! of one. Read-modify-write happens under an exclusive lock on a sibling `.lock` file, so
//! two runs at once cannot lose each other's accounts. A file that does not parse is never
//! overwritten.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::config::edit;
use crate::config::model::{ConfigFile, SCHEMA_VERSION};
use crate::error::Error;

/// The config file at one path.
#[derive(Clone, Debug)]
pub struct ConfigStore {
    path: PathBuf,
}

impl ConfigStore {
    pub fn new(path: PathBuf) -> ConfigStore {
        ConfigStore { path }
    }

    /// `<config dir>/icloud-setup/config.toml` for this platform, if there is a home.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "icloud-setup")
            .map(|dirs| dirs.config_dir().join("config.toml"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved config; an empty one when the file does not exist yet.
    pub fn load(&self) -> Result<ConfigFile, Error> {
        match self.load_text()? {
            Some(text) => parse(&self.path, &text),
            None => Ok(ConfigFile::default()),
        }
    }

    /// The file's text; `None` when it does not exist yet.
    fn load_text(&self) -> Result<Option<String>, Error> {
        match fs::read_to_string(&self.path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::ConfigRead {
                path: self.path.clone(),
                source,
            }),
        }
    }

    /// Reads the file under the lock, lets `change` edit it, and writes the result back
    /// atomically. When `change` fails nothing is written.
    pub fn update<T>(
        &self,
        change: impl FnOnce(&mut ConfigFile) -> Result<T, Error>,
    ) -> Result<T, Error> {
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
        self.write(&dir, &text)?;
        Ok(result)
    }

    fn directory(&self) -> PathBuf {
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    fn lock(&self, dir: &Path) -> Result<File, Error> {
        let name = format!(
            ".{}.lock",
            self.path
                .file_name()
                .map_or("config.toml".into(), |n| n.to_string_lossy())
        );
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(name))
            .map_err(|source| self.write_error(source))?;
        // Blocks while another run is between its read and its write.
        file.lock().map_err(|source| self.write_error(source))?;
        Ok(file)
    }

    fn write(&self, dir: &Path, text: &str) -> Result<(), Error> {
        let mut temp = tempfile::Builder::new()
            .prefix(".config.toml.")
            .tempfile_in(dir)
            .map_err(|source| self.write_error(source))?;
        set_private_file(temp.as_file()).map_err(|source| self.write_error(source))?;
        temp.write_all(text.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|source| self.write_error(source))?;
        temp.persist(&self.path)
            .map_err(|e| self.write_error(e.error))?;
        Ok(())
    }

    fn write_error(&self, source: io::Error) -> Error {
        Error::ConfigWrite {
            path: self.path.clone(),
            source,
        }
    }
}

/// Parses config text, naming the file and line of the first problem.
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, Error> {
    let config: ConfigFile = toml::from_str(text).map_err(|e| Error::ConfigUnparseable {
        path: path.to_path_buf(),
        line: e.span().map(|span| line_of(text, span.start)),
        problem: e.message().to_string(),
    })?;
    if config.version != SCHEMA_VERSION {
        return Err(Error::ConfigVersion {
            path: path.to_path_buf(),
            found: config.version,
        });
    }
    Ok(config)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
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
    use super::*;
    use crate::config::model::{Account, Security, ServerSettings};

    fn account(email: &str) -> Account {
        let server = |host: &str, port, security| ServerSettings {
            host: host.into(),
            port,
            security,
            username: email.into(),
            extra: Default::default(),
        };
        Account {
            email: email.into(),
            login: email.into(),
            name: None,
            verified_at: None,
            imap: server("imap.mail.me.com", 993, Security::Tls),
            smtp: server("smtp.mail.me.com", 587, Security::Starttls),
            extra: Default::default(),
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
                Ok(())
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
                Ok(())
            })
            .unwrap_err();
        assert_eq!(err.exit_code(), 78);
        assert!(
            matches!(err, Error::ConfigUnparseable { line: Some(3), .. }),
            "{err:?}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    }

    #[test]
    fn a_failed_change_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let store = ConfigStore::new(path.clone());
        let result: Result<(), Error> = store.update(|_| Err(Error::Cancelled));
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
                            Ok(())
                        })
                        .unwrap()
                });
            }
        });
        assert_eq!(ConfigStore::new(path).load().unwrap().accounts.len(), 8);
    }
}
