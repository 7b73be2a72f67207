//! The real `icloud-setup` binary in a sealed-off environment: its own HOME and XDG
//! directories, its own config path, no inherited `ICLOUD_SETUP_*` settings, and a D-Bus
//! address that reaches either a private Secret Service or nothing at all — never the
//! developer's real keyring.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::secret_service::{SecretService, no_keyring_envs};

/// The locale of every binary test unless it sets another: English.
pub const ENGLISH: &str = "C.UTF-8";

/// A German locale.
pub const GERMAN: &str = "de_DE.UTF-8";

/// Where one test's binary runs.
pub struct Sandbox {
    pub config_path: PathBuf,
    envs: Vec<(String, String)>,
    locale: String,
}

impl Sandbox {
    /// A sandbox whose keyring is the private `service`.
    pub fn with_keyring(dir: &Path, service: &SecretService) -> Sandbox {
        Sandbox {
            config_path: dir.join("config/icloud-setup/config.toml"),
            envs: service.envs(),
            locale: ENGLISH.into(),
        }
    }

    /// A sandbox where no keyring can be reached.
    pub fn without_keyring(dir: &Path) -> Sandbox {
        Sandbox {
            config_path: dir.join("config/icloud-setup/config.toml"),
            envs: no_keyring_envs(dir),
            locale: ENGLISH.into(),
        }
    }

    /// A sandbox with exactly these environment variables (a keyring fault's D-Bus address
    /// and private HOME/XDG directories).
    pub fn with_envs(dir: &Path, envs: Vec<(String, String)>) -> Sandbox {
        Sandbox {
            config_path: dir.join("config/icloud-setup/config.toml"),
            envs,
            locale: ENGLISH.into(),
        }
    }

    /// The locale the binary runs in (`LANG`; `C.UTF-8`, English, unless set), so the
    /// machine's own locale never reaches a test.
    pub fn set_locale(&mut self, locale: &str) {
        self.locale = locale.into();
    }

    /// `icloud-setup` with the sandbox's environment and `--config`.
    pub fn command(&self) -> Command {
        let mut command = Command::new(binary_path());
        command.env_clear();
        for name in ["PATH", "TERM"] {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        command.envs(self.envs.iter().map(|(k, v)| (k, v)));
        // The language comes from LANG alone: LC_ALL, LC_MESSAGES and LANGUAGE are cleared.
        command.env("LANG", &self.locale);
        command.env("NO_COLOR", "1");
        command.arg("--config").arg(&self.config_path);
        command
    }

    /// The directory holding everything the binary writes to its config location.
    pub fn config_root(&self) -> &Path {
        self.config_path
            .ancestors()
            .nth(2)
            .expect("the config path is dir/config/icloud-setup/config.toml")
    }

    pub fn config_text(&self) -> Option<String> {
        std::fs::read_to_string(&self.config_path).ok()
    }
}

/// Runs `command` with `input` on its standard input and collects its output.
pub fn run_with_stdin(command: &mut Command, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start icloud-setup");
    let written = child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes());
    // A program that exits before reading its input (a usage error, say) closes the pipe;
    // that is its answer, not a test failure.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    child.wait_with_output().expect("wait for icloud-setup")
}

/// The binary Cargo built for this test run.
/// The binary under test: the one cargo built for the tests, unless `ICLOUD_SETUP_BIN` names
/// another (`scripts/bench.sh` measures the release build, as people install it).
pub fn binary_path() -> PathBuf {
    std::env::var_os("ICLOUD_SETUP_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_icloud-setup")),
        PathBuf::from,
    )
}

/// Every file below `dir` whose bytes contain `needle`, for leak checks.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                pending.extend(entries.flatten().map(|e| e.path()));
            }
        } else if meta.is_file()
            && let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        {
            found.push(path);
        }
    }
    found
}
