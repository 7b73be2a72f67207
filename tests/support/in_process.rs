//! The program in-process for flow tests: a temporary config path, an in-memory keyring,
//! a test CA, scripted servers made with it, and [`World::run`] to run one command with a
//! scripted prompter against them.

use std::path::PathBuf;
use std::time::Duration;

use icloud_setup::app::{Context, Options, run};
use icloud_setup::cli::Command;
use icloud_setup::config::ConfigStore;
use icloud_setup::error::Error;
use icloud_setup::mail::LiveMailCheck;
use icloud_setup::mail::tls::TrustAnchors;
use icloud_setup::plan::Servers;
use icloud_setup::prompt::ScriptedPrompter;
use icloud_setup::secrets::{MemoryStore, SecretStore};
use secrecy::ExposeSecret;

use super::certs::TestCa;
use super::fake_servers::{FakeImap, FakeSmtp, ImapScript, ImapTransport, SmtpMode, SmtpScript};

/// A temporary home for one test: its CA, config path and keyring.
pub struct World {
    pub dir: tempfile::TempDir,
    pub ca: TestCa,
    pub config_path: PathBuf,
    pub secrets: MemoryStore,
    /// Stands in for `pass`, for accounts saved with `--store pass`.
    pub pass: MemoryStore,
}

impl World {
    pub fn new() -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        let ca = TestCa::new(dir.path());
        let config_path = dir.path().join("config/icloud-setup/config.toml");
        World {
            dir,
            ca,
            config_path,
            secrets: MemoryStore::new(),
            pass: MemoryStore::new(),
        }
    }

    pub fn imap(&self, script: ImapScript) -> FakeImap {
        FakeImap::start(
            ImapTransport::Tls(self.ca.server_cert("localhost").identity()),
            script,
        )
    }

    pub fn smtp(&self, script: impl FnOnce(SmtpMode) -> SmtpScript) -> FakeSmtp {
        FakeSmtp::start(script(SmtpMode::Starttls(
            self.ca.server_cert("localhost").identity(),
        )))
    }

    /// Runs `command` against the servers, answering from `prompter` and `stdin`.
    pub fn run(
        &self,
        imap: &str,
        smtp: &str,
        command: Command,
        prompter: &mut ScriptedPrompter,
        stdin: &str,
    ) -> Result<(), Error> {
        self.run_command(imap, smtp, Some(command), prompter, stdin, false)
            .0
    }

    /// Runs `command` against two scripted servers, dialled as `localhost`.
    pub fn run_against(
        &self,
        imap: &FakeImap,
        smtp: &FakeSmtp,
        command: Command,
        prompter: &mut ScriptedPrompter,
        stdin: &str,
    ) -> Result<(), Error> {
        self.run(
            &imap.host_addr("localhost"),
            &smtp.host_addr("localhost"),
            command,
            prompter,
            stdin,
        )
    }

    /// Runs `command` (the wizard when `None`), returning its result and standard output.
    pub fn run_command(
        &self,
        imap: &str,
        smtp: &str,
        command: Option<Command>,
        prompter: &mut ScriptedPrompter,
        stdin: &str,
        stdout_is_terminal: bool,
    ) -> (Result<(), Error>, String) {
        let mail = LiveMailCheck {
            anchors: TrustAnchors::with_ca_file(&self.ca.ca_path).expect("test CA loads"),
            timeout: Duration::from_secs(5),
        };
        let mut stdin = stdin.as_bytes();
        let mut stdout = Vec::new();
        let mut ctx = Context {
            options: Options {
                servers: Servers {
                    imap: imap.parse().expect("imap address"),
                    smtp: smtp.parse().expect("smtp address"),
                },
                timeout: Duration::from_secs(5),
                verbose: true,
                ca_file: Some(self.ca.ca_path.clone()),
            },
            config: ConfigStore::new(self.config_path.clone()),
            secrets: &self.secrets,
            pass: &self.pass,
            mail: &mail,
            prompter,
            stdin: &mut stdin,
            stdout: &mut stdout,
            stdout_is_terminal,
        };
        let result = run(command, &mut ctx);
        (result, String::from_utf8(stdout).expect("output is UTF-8"))
    }

    pub fn config_text(&self) -> Option<String> {
        std::fs::read_to_string(&self.config_path).ok()
    }

    pub fn secret(&self, email: &str) -> Option<String> {
        self.secrets
            .read(email)
            .expect("memory store reads")
            .map(|s| s.expose_secret().to_string())
    }
}
