//! `pass`, the standard Unix password store, as the secret store for machines without a
//! keyring: one GPG-encrypted file per entry under `PASSWORD_STORE_DIR` (default
//! `~/.password-store`), entry `icloud-setup/EMAIL`. This is the only file that runs `pass`
//! (and `gpg`, to tell a missing key from a passphrase nobody could type).
//!
//! - The secret goes to `pass insert --multiline` through a pipe, never as an argument;
//!   `pass show` reads it (its first line), `pass rm -f` deletes it.
//! - Every call has the time limit of `--timeout`. `pass` runs in a process group of its
//!   own, and on time-out the whole group (`pass`, its `gpg`) is killed.
//! - The store's folder and GnuPG home are those an account recorded in the profile
//!   (`pass_store_dir`, `gnupg_home`: [`PassPlace`]), so cron, systemd and mail clients,
//!   which run without `PASSWORD_STORE_DIR` or `GNUPGHOME`, find the same store;
//!   else `PASSWORD_STORE_DIR`, else `~/.password-store`, `~` being the home of
//!   `HOME` or, when that is unset, of the user database (never a relative
//!   `.password-store`). `pass` always gets the folder as
//!   `PASSWORD_STORE_DIR`. The rest of the environment is inherited (`PASSWORD_STORE_*`).
//!   gpg-agent's pinentry asks on the terminal named by `GPG_TTY`; when that is unset and
//!   this program has a terminal, it is set to that terminal, so the passphrase question
//!   reaches the person. Without one the failure says so.
//! - Before anything runs: is `pass` installed, is the store initialised (`.gpg-id`)? `pass
//!   insert` on an uninitialised store creates directories before it fails, and nothing but
//!   the entry may be written.
//!
//! What `pass`/`gpg` print is mapped to [`PassProblem`]s by its words (it offers nothing
//! else); anything unrecognised is passed on bounded and with control characters escaped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

mod process;

use process::{collect, hand_over_terminal, kill_group, wait_within};

use crate::secrets::{PassPlace, PassProblem, SecretLocation, SecretStore, Store, StoreProblem};

/// The folder of the store every entry of this program lives in.
pub(crate) const FOLDER: &str = "icloud-setup";

/// The most of an error detail passed on to the person.
const DETAIL_LIMIT: usize = 400;

/// The entry name of an account: `icloud-setup/EMAIL`.
pub(crate) fn entry_name(email: &str) -> String {
    format!("{FOLDER}/{email}")
}

/// `pass` with a time limit on every call.
#[derive(Clone, Debug)]
pub(crate) struct PassStore {
    pass: PathBuf,
    gpg: PathBuf,
    time_limit: Duration,
    /// The store's folder and GnuPG home, when an account recorded them.
    place: PassPlace,
}

impl PassStore {
    /// `pass` and `gpg` as found on `PATH`.
    pub(crate) fn new(time_limit: Duration) -> PassStore {
        PassStore::with_programs("pass", "gpg", time_limit)
    }

    /// Other programs in their place (tests: a `pass` that hangs).
    pub(crate) fn with_programs(
        pass: impl Into<PathBuf>,
        gpg: impl Into<PathBuf>,
        time_limit: Duration,
    ) -> PassStore {
        PassStore {
            pass: pass.into(),
            gpg: gpg.into(),
            time_limit,
            place: PassPlace::default(),
        }
    }

    /// The store's directory: the recorded one, else `PASSWORD_STORE_DIR`, else
    /// `~/.password-store`.
    pub(crate) fn store_dir(&self) -> Result<PathBuf, PassProblem> {
        store_dir_from(
            self.place.store_dir.clone(),
            env_path("PASSWORD_STORE_DIR"),
            home_dir(),
        )
    }

    /// The GnuPG home: the recorded one, else `GNUPGHOME` (`None`: gpg's default).
    fn gnupg_home(&self) -> Option<PathBuf> {
        self.place
            .gnupg_home
            .clone()
            .or_else(|| env_path("GNUPGHOME"))
    }

    /// `pass` or `gpg` with the store's folder, the GnuPG home and a home to work in.
    fn command(&self, program: &Path) -> Result<Command, PassProblem> {
        let mut command = Command::new(program);
        command.env("PASSWORD_STORE_DIR", self.store_dir()?);
        if let Some(gnupg_home) = self.gnupg_home() {
            command.env("GNUPGHOME", gnupg_home);
        }
        if env_path("HOME").is_none()
            && let Some(home) = home_dir()
        {
            // gpg and pass find their files under HOME: the user database's home.
            command.env("HOME", home);
        }
        Ok(command)
    }

    fn entry_file(&self, email: &str) -> Result<PathBuf, PassProblem> {
        Ok(self.store_dir()?.join(format!("{}.gpg", entry_name(email))))
    }

    /// Installed and initialised, or why not. Runs nothing but a `gpg` key listing when
    /// the store is not initialised (to suggest a key for `pass init`).
    fn check_ready(&self) -> Result<(), PassProblem> {
        if !is_installed(&self.pass) {
            return Err(PassProblem::NotInstalled);
        }
        let store_dir = self.store_dir()?;
        if key_ids(&store_dir).is_empty() {
            return Err(PassProblem::NotInitialised {
                secret_key: self.first_secret_key(),
                store_dir,
            });
        }
        Ok(())
    }

    /// An entry name `pass` would accept and that stays inside the store.
    fn checked_entry(email: &str) -> Result<String, PassProblem> {
        let sneaky = email
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
        if sneaky {
            return Err(PassProblem::Failed(format!(
                "{email:?} cannot name a pass entry"
            )));
        }
        Ok(entry_name(email))
    }

    fn run(&self, args: &[&str], input: Option<&SecretString>) -> Result<Outcome, PassProblem> {
        let mut command = self.command(&self.pass)?;
        command
            .args(args)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let terminal = hand_over_terminal(&mut command);
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PassProblem::NotInstalled,
            _ => PassProblem::Failed(bounded(&e.to_string())),
        })?;
        let writer = input.map(|secret| {
            let mut stdin = child.stdin.take().expect("stdin is piped");
            // Zeroized when dropped, like the secret it copies; allocated once at its full
            // size, so no reallocation leaves an unwiped copy behind.
            let mut line = String::with_capacity(secret.expose_secret().len() + 1);
            line.push_str(secret.expose_secret());
            line.push('\n');
            let line = SecretString::from(line);
            std::thread::spawn(move || {
                // A `pass` that stops early closes the pipe; its exit status tells why.
                let _ = stdin.write_all(line.expose_secret().as_bytes());
            })
        });
        let deadline = Instant::now() + self.time_limit;
        let stdout = collect(child.stdout.take().expect("stdout is piped"));
        let stderr = collect(child.stderr.take().expect("stderr is piped"));
        let finished = wait_within(&mut child, self.time_limit);
        if let Some(writer) = writer {
            let _ = writer.join();
        }
        // Something `pass` started may still hold its output open; that too must end in time.
        let output = finished.and_then(|success| {
            Some((success, stdout.within(deadline)?, stderr.within(deadline)?))
        });
        if let Some((success, stdout, stderr)) = output {
            Ok(Outcome {
                success,
                stdout,
                stderr: String::from_utf8_lossy(&stderr).into_owned(),
                terminal,
            })
        } else {
            kill_group(&mut child);
            Err(PassProblem::TimedOut(self.time_limit.as_secs()))
        }
    }

    /// What a failed call means.
    fn diagnose(&self, outcome: &Outcome) -> PassProblem {
        let words = outcome.stderr.as_str();
        if words.contains("pass init") {
            return match self.store_dir() {
                Ok(store_dir) => PassProblem::NotInitialised {
                    store_dir,
                    secret_key: self.first_secret_key(),
                },
                Err(problem) => problem,
            };
        }
        let no_key = [
            "No public key",
            "unusable public key",
            "no assurance",
            "skipped:",
        ];
        if no_key.iter().any(|w| words.contains(w)) {
            return self.no_usable_key();
        }
        let cannot_ask = [
            "Inappropriate ioctl",
            "No pinentry",
            "Operation cancelled",
            "cannot open '/dev/tty'",
            "problem with the agent",
        ];
        if cannot_ask.iter().any(|w| words.contains(w)) {
            return PassProblem::PassphraseUnavailable {
                terminal: outcome.terminal,
            };
        }
        if words.contains("No secret key") {
            // `pass` runs gpg with --quiet, which hides why decryption failed: a key that is
            // not here and a passphrase nobody could type both end in "No secret key".
            return if self.has_secret_key_for_store() {
                PassProblem::PassphraseUnavailable {
                    terminal: outcome.terminal,
                }
            } else {
                self.no_usable_key()
            };
        }
        PassProblem::Failed(bounded(words))
    }

    fn no_usable_key(&self) -> PassProblem {
        PassProblem::NoUsableKey {
            key_ids: self.store_dir().map(|d| key_ids(&d)).unwrap_or_default(),
            secret_key: self.first_secret_key(),
        }
    }

    /// Whether gpg has a secret key for one of the store's key ids.
    fn has_secret_key_for_store(&self) -> bool {
        self.store_dir()
            .map(|d| key_ids(&d))
            .unwrap_or_default()
            .iter()
            .any(|id| !self.secret_key_fingerprints(Some(id)).is_empty())
    }

    fn first_secret_key(&self) -> Option<String> {
        self.secret_key_fingerprints(None).into_iter().next()
    }

    /// Fingerprints of the secret keys gpg has (matching `id`, when given). Best effort:
    /// only used to word a diagnosis.
    fn secret_key_fingerprints(&self, id: Option<&str>) -> Vec<String> {
        let mut args = vec!["--list-secret-keys"];
        args.extend(id.map(|id| ["--", id]).into_iter().flatten());
        let Some(listing) = self.gpg_listing(&args) else {
            return Vec::new();
        };
        // A `sec` line starts each key; the `fpr` line right after it is its fingerprint.
        let mut fingerprints = Vec::new();
        let mut after_sec = false;
        for line in listing.lines() {
            let fields: Vec<&str> = line.split(':').collect();
            match fields.first() {
                Some(&"sec") => after_sec = true,
                Some(&"fpr") if after_sec => {
                    if let Some(fpr) = fields.get(9).filter(|f| !f.is_empty()) {
                        fingerprints.push((*fpr).to_string());
                    }
                    after_sec = false;
                }
                _ => {}
            }
        }
        fingerprints
    }

    /// What `gpg --batch --with-colons ARGS` lists, `None` when it fails or runs too long.
    fn gpg_listing(&self, args: &[&str]) -> Option<String> {
        let mut command = self.command(&self.gpg).ok()?;
        command
            .args(["--batch", "--with-colons"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().ok()?;
        let deadline = Instant::now() + self.time_limit;
        let stdout = collect(child.stdout.take().expect("stdout is piped"));
        if wait_within(&mut child, self.time_limit) != Some(true) {
            return None;
        }
        let Some(listing) = stdout.within(deadline) else {
            kill_group(&mut child);
            return None;
        };
        Some(String::from_utf8_lossy(&listing).into_owned())
    }

    /// Whether `pass` can encrypt to the store's keys and this machine can decrypt what it
    /// wrote, asked of gpg before a password is typed: every key id has a
    /// public key that can encrypt, and one of them a secret key here.
    fn check_keys(&self, store_dir: &Path) -> Result<(), PassProblem> {
        let ids = key_ids(store_dir);
        let mut sign_only = Vec::new();
        for id in &ids {
            let Some(listing) = self.gpg_listing(&["--list-keys", "--", id]) else {
                return Err(self.no_usable_key());
            };
            // A `pub` line's field 12 holds the key's capabilities; a capital `E`: the
            // key as a whole (with its subkeys) can encrypt now.
            let capabilities: Vec<&str> = listing
                .lines()
                .filter(|line| line.starts_with("pub:"))
                .filter_map(|line| line.split(':').nth(11))
                .collect();
            if capabilities.is_empty() {
                return Err(self.no_usable_key());
            }
            if !capabilities.iter().any(|c| c.contains('E')) {
                sign_only.push(id.clone());
            }
        }
        if !sign_only.is_empty() {
            return Err(PassProblem::SignOnly { key_ids: sign_only });
        }
        if !self.has_secret_key_for_store() {
            return Err(self.no_usable_key());
        }
        Ok(())
    }
}

/// How a finished `pass` call went.
struct Outcome {
    success: bool,
    stdout: Vec<u8>,
    stderr: String,
    /// Whether gpg-agent was given a terminal to ask on.
    terminal: bool,
}

impl Outcome {
    fn not_in_store(&self) -> bool {
        self.stderr.contains("is not in the password store")
    }
}

impl SecretStore for PassStore {
    fn read(&self, email: &str) -> Result<Option<SecretString>, StoreProblem> {
        self.check_ready()?;
        let entry = PassStore::checked_entry(email)?;
        // No file, no entry: answered without starting gpg (or a passphrase question).
        if !self.entry_file(email)?.is_file() {
            return Ok(None);
        }
        let outcome = self.run(&["show", &entry], None)?;
        if !outcome.success {
            if outcome.not_in_store() {
                return Ok(None);
            }
            return Err(self.diagnose(&outcome).into());
        }
        // The password is the first line (the pass convention; more lines are notes).
        let text = String::from_utf8(outcome.stdout).map_err(|_| {
            PassProblem::Failed(format!("the entry {entry} is not valid UTF-8 text"))
        })?;
        let first = text.lines().next().unwrap_or("").to_string();
        drop(SecretString::from(text));
        Ok(Some(SecretString::from(first)))
    }

    fn write(&self, email: &str, secret: &SecretString) -> Result<(), StoreProblem> {
        self.check_ready()?;
        let entry = PassStore::checked_entry(email)?;
        let folder = self.store_dir()?.join(FOLDER);
        let folder_existed = folder.is_dir();
        let outcome = self.run(&["insert", "--multiline", "--force", &entry], Some(secret));
        let problem = match outcome {
            Ok(outcome) if outcome.success => return Ok(()),
            Ok(outcome) => self.diagnose(&outcome),
            Err(problem) => problem,
        };
        if !folder_existed {
            // `pass insert` makes the folder before gpg fails; only an empty one goes.
            let _ = std::fs::remove_dir(&folder);
        }
        Err(problem.into())
    }

    fn delete(&self, email: &str) -> Result<(), StoreProblem> {
        self.check_ready()?;
        let entry = PassStore::checked_entry(email)?;
        if !self.entry_file(email)?.is_file() {
            return Ok(());
        }
        let outcome = self.run(&["rm", "--force", &entry], None)?;
        if outcome.success || outcome.not_in_store() {
            return Ok(());
        }
        Err(self.diagnose(&outcome).into())
    }

    fn location(&self, email: &str) -> SecretLocation {
        // A store outside the default place is named, so the command works as shown.
        let mut read_command = String::new();
        for (name, value) in [
            ("PASSWORD_STORE_DIR", self.place.store_dir.as_ref()),
            ("GNUPGHOME", self.place.gnupg_home.as_ref()),
        ] {
            if let Some(value) = value {
                let word = crate::export::quote::shell_word(&value.to_string_lossy());
                read_command.push_str(&format!("{name}={word} "));
            }
        }
        read_command.push_str(&format!("pass show {}", entry_name(email)));
        SecretLocation {
            store: Store::Pass,
            read_command,
        }
    }

    fn has_entry(&self, email: &str) -> Result<bool, StoreProblem> {
        self.check_ready()?;
        PassStore::checked_entry(email)?;
        Ok(self.entry_file(email)?.is_file())
    }

    fn ready(&self) -> Result<(), StoreProblem> {
        self.check_ready()?;
        self.check_keys(&self.store_dir()?)?;
        Ok(())
    }

    fn at_place(&self, place: &PassPlace) -> Option<Box<dyn SecretStore>> {
        let mut placed = self.clone();
        placed.place = PassPlace {
            store_dir: place.store_dir.clone().or(self.place.store_dir.clone()),
            gnupg_home: place.gnupg_home.clone().or(self.place.gnupg_home.clone()),
        };
        Some(Box::new(placed))
    }

    fn place(&self) -> PassPlace {
        // Recorded when set: a folder or GnuPG home outside the default place.
        PassPlace {
            store_dir: self
                .place
                .store_dir
                .clone()
                .or_else(|| env_path("PASSWORD_STORE_DIR"))
                .map(|dir| std::path::absolute(&dir).unwrap_or(dir)),
            gnupg_home: self
                .gnupg_home()
                .map(|dir| std::path::absolute(&dir).unwrap_or(dir)),
        }
    }
}

/// A variable naming a path, when set and not empty.
fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The home folder: `HOME`, else the user database's (`directories` asks it when `HOME` is
/// unset). `None` when neither names an absolute folder.
fn home_dir() -> Option<PathBuf> {
    directories::BaseDirs::new()
        .map(|dirs| dirs.home_dir().to_path_buf())
        .filter(|home| home.is_absolute())
}

/// The store's folder from the recorded one, `PASSWORD_STORE_DIR` and the home folder, in
/// that order; never a relative `.password-store`.
fn store_dir_from(
    recorded: Option<PathBuf>,
    from_env: Option<PathBuf>,
    home: Option<PathBuf>,
) -> Result<PathBuf, PassProblem> {
    match (recorded.or(from_env), home) {
        (Some(dir), _) => Ok(dir),
        (None, Some(home)) if home.is_absolute() => Ok(home.join(".password-store")),
        (None, _) => Err(PassProblem::NoHome),
    }
}

/// Whether `program` can be started: a path that is a file, or a name found on `PATH`.
fn is_installed(program: &Path) -> bool {
    if program.components().count() > 1 {
        return program.is_file();
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join(program).is_file())
}

/// The GPG key ids the store encrypts this program's entries to: from the `.gpg-id`
/// nearest to the entries, as `pass` chooses it. Empty when the store is not initialised.
fn key_ids(store_dir: &Path) -> Vec<String> {
    [
        store_dir.join(FOLDER).join(".gpg-id"),
        store_dir.join(".gpg-id"),
    ]
    .iter()
    .find_map(|file| std::fs::read_to_string(file).ok())
    .map(|text| {
        text.lines()
            .map(|line| line.split('#').next().unwrap_or("").trim())
            .filter(|id| !id.is_empty())
            .map(bounded)
            .collect()
    })
    .unwrap_or_default()
}

/// A tool's words, safe for a terminal: control characters escaped, at most
/// [`DETAIL_LIMIT`] characters, surrounding blank space trimmed.
fn bounded(words: &str) -> String {
    let mut out = String::new();
    for c in words.trim().chars() {
        if out.chars().count() >= DETAIL_LIMIT {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str(" / "),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_words_are_bounded_and_free_of_control_characters() {
        let hostile = format!("gpg: \u{1b}[31mred\u{7}\nsecond line{}", "x".repeat(1000));
        let shown = bounded(&hostile);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.starts_with("gpg: \\u{1b}[31mred\\u{7} / second line"));
        assert!(shown.chars().count() <= DETAIL_LIMIT + 1);
    }

    #[test]
    fn entries_stay_inside_the_store() {
        assert_eq!(
            PassStore::checked_entry("a@icloud.com").unwrap(),
            "icloud-setup/a@icloud.com"
        );
        for sneaky in [
            "../a@icloud.com",
            "a/../../b@icloud.com",
            "a//b@x.y",
            "./a@x.y",
        ] {
            assert!(PassStore::checked_entry(sneaky).is_err(), "{sneaky}");
        }
    }

    #[test]
    fn the_nearest_gpg_id_names_the_keys() {
        let dir = tempfile::tempdir().unwrap();
        assert!(key_ids(dir.path()).is_empty(), "not initialised");
        std::fs::write(
            dir.path().join(".gpg-id"),
            "AAAA1111\n# a comment\n\nBBBB2222\n",
        )
        .unwrap();
        assert_eq!(key_ids(dir.path()), ["AAAA1111", "BBBB2222"]);
        std::fs::create_dir(dir.path().join(FOLDER)).unwrap();
        std::fs::write(dir.path().join(FOLDER).join(".gpg-id"), "CCCC3333\n").unwrap();
        assert_eq!(key_ids(dir.path()), ["CCCC3333"]);
    }

    /// Regression guard: a `pass` that hangs (gpg-agent waiting on a pinentry nobody sees)
    /// must not hang the program; the whole process group is killed at the time limit.
    #[cfg(unix)]
    #[test]
    fn a_pass_that_hangs_is_stopped_at_the_time_limit() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("pass");
        let marker = dir.path().join("grandchild-survived");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\n(sleep 2; touch '{}') &\nsleep 30\n",
                marker.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let store = PassStore::with_programs(&script, "gpg", Duration::from_millis(300));
        let started = Instant::now();
        let result = store.run(&["show", "icloud-setup/a@icloud.com"], None);
        assert!(matches!(result, Err(PassProblem::TimedOut(_))));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        std::thread::sleep(Duration::from_millis(2500));
        assert!(!marker.exists(), "the grandchild outlived the time limit");
    }

    /// Regression guard: a `pass` that exits but leaves something behind holding its output
    /// open must not hang the program either.
    #[cfg(unix)]
    #[test]
    fn output_held_open_after_pass_exits_ends_at_the_time_limit() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("pass");
        std::fs::write(&script, "#!/bin/sh\nsleep 30 &\nexit 0\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let store = PassStore::with_programs(&script, "gpg", Duration::from_millis(300));
        let started = Instant::now();
        let result = store.run(&["show", "icloud-setup/a@icloud.com"], None);
        assert!(matches!(result, Err(PassProblem::TimedOut(_))));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    /// Without a home folder the store is not `./.password-store`.
    #[test]
    fn the_store_folder_is_never_relative_to_where_the_program_runs() {
        let home = Some(PathBuf::from("/home/a"));
        assert_eq!(
            store_dir_from(None, None, home.clone()),
            Ok(PathBuf::from("/home/a/.password-store"))
        );
        assert_eq!(store_dir_from(None, None, None), Err(PassProblem::NoHome));
        assert_eq!(
            store_dir_from(None, None, Some(PathBuf::new())),
            Err(PassProblem::NoHome)
        );
        let env = Some(PathBuf::from("/srv/store"));
        assert_eq!(
            store_dir_from(None, env.clone(), None),
            Ok(PathBuf::from("/srv/store"))
        );
        // The recorded folder wins over the variable.
        assert_eq!(
            store_dir_from(Some(PathBuf::from("/rec")), env, home),
            Ok(PathBuf::from("/rec"))
        );
    }

    #[test]
    fn a_missing_program_is_not_installed() {
        let store = PassStore::with_programs(
            "/nonexistent/pass",
            "/nonexistent/gpg",
            Duration::from_secs(1),
        );
        assert_eq!(store.check_ready(), Err(PassProblem::NotInstalled));
        assert_eq!(
            store.run(&["version"], None).err(),
            Some(PassProblem::NotInstalled)
        );
    }
}
