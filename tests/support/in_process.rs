//! The program in-process, the one way every in-process test runs it: a temporary home (its
//! CA, config path and in-memory keyring, empty or with an account already saved), scripted
//! servers made with its CA, and a [`Session`] builder that assembles the command's
//! `Context` — the only place outside `app.rs` where one is built.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use icloud_setup::app::run;
use icloud_setup::cli::Command;
use icloud_setup::commands::{Context, Options};
use icloud_setup::config::{ConfigError, ConfigStore};
use icloud_setup::domain::EmailAddress;
use icloud_setup::error::Error;
use icloud_setup::language::{self, Language};
use icloud_setup::mail::tls::TrustAnchors;
use icloud_setup::mail::{LiveMailCheck, MailCheck, ProbeReport, Protocol};
use icloud_setup::plan::{AccountPlan, Servers};
use icloud_setup::prompt::ScriptedPrompter;
use icloud_setup::secrets::{MemoryStore, SecretStore};
use secrecy::{ExposeSecret, SecretString};

use super::binary::files_containing;
use super::certs::{ServerCert, TestCa};
use super::fake_servers::{FakeImap, FakeSmtp, ImapScript, ImapTransport, SmtpMode, SmtpScript};

/// The `--timeout` of in-process runs unless a test sets its own.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// A temporary home for one test: its CA, config path and keyring.
pub struct World {
    pub dir: tempfile::TempDir,
    pub ca: TestCa,
    pub config_path: PathBuf,
    pub secrets: MemoryStore,
    /// The account saved before the run, with its secret, when the world started with one.
    saved: Option<(String, String)>,
    /// The config file as it was before the run (empty when there was none).
    pub config_before: Vec<u8>,
    /// Stands in for `pass`, for accounts saved with `--store pass`.
    pub pass: MemoryStore,
}

impl World {
    /// Nothing saved yet: a first run.
    pub fn new() -> World {
        let dir = tempfile::tempdir().expect("temp dir");
        let ca = TestCa::new(dir.path());
        let config_path = dir.path().join("config/icloud-setup/config.toml");
        World {
            dir,
            ca,
            config_path,
            secrets: MemoryStore::new(),
            saved: None,
            config_before: Vec::new(),
            pass: MemoryStore::new(),
        }
    }

    /// `email` already saved (IMAP username `imap_username`, verified long ago) with
    /// `secret` in the keyring, so "nothing changed" can be checked against real content.
    pub fn with_saved_account(email: &str, imap_username: &str, secret: &str) -> World {
        let mut world = World::new();
        let address = EmailAddress::parse(email).expect("a valid address");
        let plan = AccountPlan::new(address.clone(), address, None, Servers::default());
        ConfigStore::new(world.config_path.clone())
            .update(|config| {
                config.upsert(plan.account(imap_username, "2026-01-02T03:04:05Z"));
                Ok::<(), ConfigError>(())
            })
            .expect("seed the config");
        world
            .secrets
            .write(email, &SecretString::from(secret))
            .expect("seed the keyring");
        world.config_before = std::fs::read(&world.config_path).expect("seeded config");
        world.saved = Some((email.to_string(), secret.to_string()));
        world
    }

    pub fn cert(&self) -> ServerCert {
        self.ca.server_cert("localhost")
    }

    /// A well-behaved IMAP server speaking TLS from the first byte.
    pub fn imap(&self, script: ImapScript) -> FakeImap {
        self.imap_with(&self.cert(), script)
    }

    pub fn imap_with(&self, cert: &ServerCert, script: ImapScript) -> FakeImap {
        FakeImap::start(ImapTransport::Tls(cert.identity()), script)
    }

    /// A submission server with STARTTLS, shaped by `script`.
    pub fn smtp(&self, script: impl FnOnce(SmtpScript) -> SmtpScript) -> FakeSmtp {
        self.smtp_with(&self.cert(), script)
    }

    pub fn smtp_with(
        &self,
        cert: &ServerCert,
        script: impl FnOnce(SmtpScript) -> SmtpScript,
    ) -> FakeSmtp {
        FakeSmtp::start(script(SmtpScript::new(SmtpMode::Starttls(cert.identity()))))
    }

    /// A run to configure: servers, standard input, keyring, time limit.
    pub fn session(&self) -> Session<'_> {
        Session {
            world: self,
            imap: "imap.invalid:993".into(),
            smtp: "smtp.invalid:587".into(),
            timeout: DEFAULT_TIMEOUT,
            secrets: &self.secrets,
            stdin: String::new(),
            stdout_is_terminal: false,
            ca_file: Some(self.ca.ca_path.clone()),
            language: Language::English,
            mail: None,
        }
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
        let run = self
            .session()
            .servers(imap, smtp)
            .stdin(stdin)
            .stdout_is_terminal(stdout_is_terminal)
            .run(command, prompter);
        let result = match run.error {
            Some(error) => Err(error),
            None => Ok(()),
        };
        (result, run.stdout)
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

    /// The config byte for byte as before, the saved account's old secret and nothing else
    /// in the keyring, and `password` (what the failed run used) in no file and nowhere in
    /// what the run said or printed.
    pub fn assert_unchanged(&self, run: &Run, password: &str) {
        let (email, old_secret) = self
            .saved
            .as_ref()
            .expect("assert_unchanged needs a world with a saved account");
        let now = std::fs::read(&self.config_path).expect("the config is still there");
        assert!(
            now == self.config_before,
            "the config changed:\n{}\n{run}",
            String::from_utf8_lossy(&now)
        );
        assert_eq!(
            self.secret(email).as_deref(),
            Some(old_secret.as_str()),
            "{run}"
        );
        assert_eq!(self.secrets.emails(), [email.as_str()], "{run}");
        assert_no_file_holds(self.dir.path(), password);
        assert!(!run.said.contains(password), "{run}");
        assert!(!run.stdout.contains(password), "{run}");
    }
}

/// One in-process run being set up; [`Session::run`] builds its `Context` and runs it.
pub struct Session<'w> {
    world: &'w World,
    imap: String,
    smtp: String,
    timeout: Duration,
    secrets: &'w dyn SecretStore,
    stdin: String,
    stdout_is_terminal: bool,
    ca_file: Option<PathBuf>,
    language: Language,
    mail: Option<&'w dyn MailCheck>,
}

impl<'w> Session<'w> {
    /// A mail check other than the real one on the world's CA (a fake send-test side).
    pub fn mail(mut self, mail: &'w dyn MailCheck) -> Self {
        self.mail = Some(mail);
        self
    }

    /// The IMAP and SMTP servers, as `HOST:PORT`.
    pub fn servers(mut self, imap: &str, smtp: &str) -> Self {
        self.imap = imap.to_string();
        self.smtp = smtp.to_string();
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// A keyring other than the world's own (one that fails, one that records calls).
    pub fn secrets(mut self, secrets: &'w dyn SecretStore) -> Self {
        self.secrets = secrets;
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = text.to_string();
        self
    }

    /// `--ca-file` as given on the command line (the world's CA unless set).
    pub fn ca_file(mut self, path: Option<&str>) -> Self {
        self.ca_file = path.map(PathBuf::from);
        self
    }

    /// The language of every text (English unless set): pinned for the run's thread, so
    /// runs side by side in this process each keep their own, whatever the machine's locale.
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    pub fn stdout_is_terminal(mut self, is_terminal: bool) -> Self {
        self.stdout_is_terminal = is_terminal;
        self
    }

    /// Runs `command` (the wizard when `None`), answering from `prompter`, with `--verbose`
    /// on so that what was said includes the transcript.
    pub fn run(self, command: Option<Command>, prompter: &mut ScriptedPrompter) -> Run {
        language::pin_for_this_thread(self.language);
        let live = LiveMailCheck {
            anchors: TrustAnchors::with_ca_file(&self.world.ca.ca_path).expect("test CA loads"),
            timeout: self.timeout,
        };
        let mail: &dyn MailCheck = self.mail.unwrap_or(&live);
        let mut stdin = self.stdin.as_bytes();
        let mut stdout = Vec::new();
        let mut ctx = Context {
            options: Options {
                servers: Servers {
                    imap: self.imap.parse().expect("imap address"),
                    smtp: self.smtp.parse().expect("smtp address"),
                },
                timeout: self.timeout,
                verbose: true,
                ca_file: self.ca_file,
            },
            // As `app` builds it: another run's lock is waited for at most `--timeout`.
            config: ConfigStore::new(self.world.config_path.clone())
                .with_lock_wait(self.timeout, std::sync::Arc::new(|_: &Path| {})),
            secrets: self.secrets,
            pass: &self.world.pass,
            mail,
            prompter,
            stdin: &mut stdin,
            stdout: &mut stdout,
            stdout_is_terminal: self.stdout_is_terminal,
        };
        let started = Instant::now();
        let result = run(command, &mut ctx);
        let elapsed = started.elapsed();
        Run {
            error: result.err(),
            said: prompter.log().join("\n"),
            stdout: String::from_utf8(stdout).expect("output is UTF-8"),
            elapsed,
        }
    }
}

/// What one in-process run produced.
pub struct Run {
    pub error: Option<Error>,
    /// Everything said to the person (explanations, transcript), in order.
    pub said: String,
    pub stdout: String,
    pub elapsed: Duration,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error {
            Some(error) => writeln!(
                f,
                "error: {error}\nhint: {}",
                error.hint().unwrap_or_default()
            )?,
            None => writeln!(f, "(no error)")?,
        }
        write!(
            f,
            "after {:?}, said:\n{}\nstdout:\n{}",
            self.elapsed, self.said, self.stdout
        )
    }
}

impl Run {
    pub fn error(&self) -> &Error {
        self.error
            .as_ref()
            .unwrap_or_else(|| panic!("the run should have failed:\n{self}"))
    }

    pub fn report(&self, protocol: Protocol) -> &ProbeReport {
        match self.error() {
            Error::LiveTestFailed { reports } => reports
                .iter()
                .find(|r| r.protocol == protocol)
                .unwrap_or_else(|| panic!("no {protocol} report:\n{self}")),
            other => panic!("not a live-test failure: {other:?}\n{self}"),
        }
    }

    pub fn hint(&self) -> String {
        self.error().hint().unwrap_or_default()
    }

    pub fn assert_said(&self, text: &str) {
        assert!(self.said.contains(text), "{text:?} was not said:\n{self}");
    }

    pub fn assert_hint(&self, text: &str) {
        assert!(
            self.hint().contains(text),
            "the hint lacks {text:?}:\n{self}"
        );
    }
}

pub fn assert_no_file_holds(dir: &Path, secret: &str) {
    let holders = files_containing(dir, secret);
    assert!(holders.is_empty(), "{secret:?} is in {holders:?}");
}
