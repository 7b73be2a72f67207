//! The one error type: named by what the person faces, each with an exit code from
//! docs/PRODUCT.md's table and a hint saying what to do. Library errors are mapped into it at
//! the adapter boundaries; the wording lives in `messages`.

use std::io;
use std::path::PathBuf;

use crate::config::ConfigError;
use crate::domain::{AddressProblem, NameProblem};
use crate::interrupt::Interrupted;
use crate::mail::ProbeReport;
use crate::mail::send_test::SendStep;
use crate::mail::tls::CaFileProblem;
use crate::mail::{ProbeFailure, Protocol};
use crate::messages;
use crate::prompt::PromptError;
use crate::secrets::{StoreKind, StoreProblem};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A needed answer has no flag and there is no terminal to ask in.
    #[error("{}", messages::needs_terminal(.missing_flags))]
    NeedsTerminal { missing_flags: Vec<&'static str> },

    /// Several accounts are saved and none was named.
    #[error("{}", messages::ambiguous_account(.saved))]
    /// `command` is the command line run, up to where EMAIL goes, for the hint.
    AmbiguousAccount { saved: Vec<String>, command: String },

    #[error("{}", messages::address_problem(.problem))]
    InvalidAddress { problem: AddressProblem },

    /// A display name that cannot be saved: a control character, or the password.
    #[error("{}", messages::name_problem(.problem))]
    InvalidName { problem: NameProblem },

    #[error("{}", messages::t!("empty-password"))]
    EmptyPassword,

    #[error("{}", messages::t!("stdin-unreadable", detail = .detail))]
    StdinUnreadable { detail: String },

    /// `--password-stdin` got more than any password is: refused before anything is sent.
    #[error("{}", messages::t!("password-stdin-too-long", limit_kib = *.limit_kib))]
    PasswordStdinTooLong { limit_kib: usize },

    #[error("{}", messages::t!("ca-file-unusable", path = .path.display().to_string(), problem = messages::ca_file_problem(.problem)))]
    CaFileUnusable {
        path: PathBuf,
        problem: CaFileProblem,
    },

    #[error("{}", messages::t!("no-such-account", email = .email))]
    NoSuchAccount { email: String, saved: Vec<String> },

    #[error("{}", messages::t!("no-account-saved"))]
    NoAccountSaved,

    /// The wizard was started without a command, accounts are saved, and there is no
    /// terminal to ask what to do with them.
    #[error("{}", messages::t!("needs-command"))]
    NeedsCommand,

    /// `password` would print the secret on a screen.
    #[error("{}", messages::t!("password-to-terminal"))]
    PasswordToTerminal,

    /// The account is saved but its entry in its store (keyring or pass) is gone.
    #[error("{}", messages::secret_missing_from(.email, *.store))]
    SecretMissing { email: String, store: StoreKind },

    /// The live test failed; the reports say where and why.
    #[error("{}", messages::live_test_failed(.reports))]
    LiveTestFailed { reports: Vec<ProbeReport> },

    #[error("{}", messages::t!("config-unreadable", path = .path.display().to_string(), source = .source.to_string()))]
    ConfigRead { path: PathBuf, source: io::Error },

    #[error("{}", messages::t!("config-unwritable", path = .path.display().to_string(), source = .source.to_string()))]
    ConfigWrite { path: PathBuf, source: io::Error },

    #[error("{}", messages::config_unparseable(.path, *.line, .problem))]
    ConfigUnparseable {
        path: PathBuf,
        line: Option<usize>,
        problem: String,
    },

    /// `--config` names a device, a FIFO or a directory.
    #[error("{}", messages::config_not_a_file(.path))]
    ConfigNotAFile { path: PathBuf },

    /// The config file is larger than any config (`/dev/zero` copied, a wrong file).
    #[error("{}", messages::config_too_large(.path, *.limit))]
    ConfigTooLarge { path: PathBuf, limit: u64 },

    /// The config file is not UTF-8 text (unparseable, so 78; it is left alone).
    #[error("{}", messages::config_not_utf8(.path))]
    ConfigNotUtf8 { path: PathBuf },

    /// The config is a symbolic link whose target cannot be written through.
    #[error("{}", messages::config_symlink_unusable(.path, .target))]
    ConfigSymlink { path: PathBuf, target: PathBuf },

    /// `check` found accounts that failed; `worst` decides the exit code and the hint.
    #[error("{}", messages::check_failed(.failed, *.total))]
    CheckFailed {
        failed: Vec<String>,
        total: usize,
        worst: Box<Error>,
    },

    /// Another run held the config's lock for all of `--timeout`.
    #[error("{}", messages::config_locked(.path, *.waited))]
    ConfigLocked {
        path: PathBuf,
        lock: PathBuf,
        waited: std::time::Duration,
    },

    #[error("{}", messages::t!("config-version", path = .path.display().to_string(), found = .found.to_string()))]
    ConfigVersion { path: PathBuf, found: u32 },

    #[error("{}", messages::store_problem(.problem))]
    Keyring { problem: StoreProblem },

    /// The keyring accepted the secret but gave back something else.
    #[error("{}", messages::t!("keyring-read-back-mismatch"))]
    KeyringReadBack,

    #[error("{}", messages::t!("terminal-failed", source = .0.to_string()))]
    Terminal(io::Error),

    /// Standard output could not be written (a full disk, a closed file).
    #[error("{}", messages::t!("output-failed", source = .0.to_string()))]
    Output(io::Error),

    #[error("{}", messages::t!("cancelled"))]
    Cancelled,

    /// Ctrl-C (or SIGTERM, SIGHUP) came while saving, after the last step: all is saved.
    #[error("{}", messages::t!("stopped-after-saving"))]
    StoppedAfterSaving,

    /// A value that no mail program's file can hold (a line break, invalid UTF-8).
    #[error("{}", messages::export_unrepresentable(.what, .value))]
    ExportUnrepresentable { what: String, value: String },

    /// The export would have a line longer than the client reads (msmtp: 499 bytes), from
    /// a long saved value or config path.
    #[error("{}", messages::t!("export-line-too-long", client = *.client, limit = *.limit, length = *.length))]
    ExportLineTooLong {
        client: &'static str,
        limit: usize,
        length: usize,
    },

    /// `--send-test`: the server refused the sending address (or the message) at `step`.
    /// `alias` says whether the address is a custom domain or an alias rather than the
    /// account's own iCloud address.
    #[error("{}", messages::send_refused(.email, *.step, .server_said))]
    SendRefused {
        email: String,
        step: SendStep,
        server_said: String,
        alias: bool,
    },

    /// `--send-test`: a step after signing in failed (a time-out, a dropped connection, a
    /// temporary refusal, an unexpected answer).
    #[error("{}", messages::send_step_failed(*.protocol, *.step, .failure))]
    SendStepFailed {
        protocol: Protocol,
        step: SendStep,
        failure: ProbeFailure,
    },

    /// `--send-test`: the message was accepted but not seen in time.
    #[error("{}", messages::t!("send-not-arrived", email = .email, waited_secs = .waited_secs.to_string()))]
    SendNotArrived { email: String, waited_secs: u64 },

    /// `check --quiet` failed: each failing account was already reported in a line or two,
    /// so nothing more is printed; `code` is the worst result's exit code.
    #[error("")]
    QuietCheckFailed { code: u8 },

    /// `watch on` wrote the units, and no systemd user manager answered to enable them.
    #[error("{}", messages::watch_no_user_manager(.dir))]
    WatchNoUserManager { dir: PathBuf },

    /// `systemctl --user` refused (the units are written).
    #[error("{}", messages::watch_systemctl_failed(.command, .problem))]
    WatchSystemctl { command: String, problem: String },

    /// A unit file (or launchd agent) could not be written or removed.
    #[error("{}", messages::watch_files_failed(.path, .source))]
    WatchFiles { path: PathBuf, source: io::Error },

    /// The program's or the config's path cannot be written into a unit file.
    #[error("{}", messages::watch_path_unusable(.path))]
    WatchPathUnusable { path: PathBuf },
}

impl Error {
    /// The process exit code (sysexits, as mail tools use them).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::NeedsTerminal { .. }
            | Error::AmbiguousAccount { .. }
            | Error::NeedsCommand
            | Error::PasswordToTerminal => 64,
            Error::InvalidAddress { .. }
            | Error::InvalidName { .. }
            | Error::EmptyPassword
            | Error::StdinUnreadable { .. }
            | Error::PasswordStdinTooLong { .. }
            | Error::CaFileUnusable { .. }
            | Error::ExportUnrepresentable { .. }
            | Error::ExportLineTooLong { .. } => 65,
            Error::NoSuchAccount { .. } | Error::NoAccountSaved => 67,
            Error::LiveTestFailed { reports } => reports
                .iter()
                .filter_map(|r| r.failure())
                .max_by_key(|f| f.kind.severity())
                .map_or(75, |f| f.kind.exit_code()),
            Error::ConfigRead { .. }
            | Error::ConfigWrite { .. }
            | Error::ConfigNotAFile { .. }
            | Error::ConfigSymlink { .. }
            | Error::Terminal(_) => 74,
            // Not the config file: a write error on standard output ends with 1, as the
            // coreutils' `printf … > /dev/full` does.
            Error::Output(_) => 1,
            Error::CheckFailed { worst, .. } => worst.exit_code(),
            Error::ConfigUnparseable { .. }
            | Error::ConfigTooLarge { .. }
            | Error::ConfigNotUtf8 { .. }
            | Error::ConfigVersion { .. }
            | Error::Keyring { .. }
            | Error::KeyringReadBack
            | Error::SecretMissing { .. } => 78,
            Error::Cancelled | Error::StoppedAfterSaving => 130,
            Error::SendRefused { .. } => 77,
            Error::SendStepFailed { failure, .. } => failure.kind.exit_code(),
            Error::SendNotArrived { .. } => 75,
            Error::QuietCheckFailed { code } => *code,
            Error::WatchNoUserManager { .. } | Error::WatchSystemctl { .. } => 69,
            Error::WatchFiles { .. } => 74,
            Error::WatchPathUnusable { .. } => 65,
            // Temporary: the other run ends, and the same command then works.
            Error::ConfigLocked { .. } => 75,
        }
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NeedsTerminal { missing_flags } => {
                Some(messages::hint_needs_terminal(missing_flags))
            }
            Error::AmbiguousAccount { saved, command } => {
                Some(messages::hint_name_an_account(command, saved))
            }
            Error::InvalidAddress { problem } => Some(messages::hint_address_problem(problem)),
            Error::InvalidName { .. } => Some(messages::t!("hint-name-problem")),
            Error::EmptyPassword
            | Error::StdinUnreadable { .. }
            | Error::PasswordStdinTooLong { .. } => Some(messages::t!("hint-password-stdin")),
            Error::CaFileUnusable { problem, .. } => Some(messages::hint_ca_file(problem)),
            Error::NoSuchAccount { saved, .. } => Some(messages::hint_saved_accounts(saved)),
            Error::NoAccountSaved => Some(messages::hint_saved_accounts(&[])),
            Error::NeedsCommand => Some(messages::t!("hint-needs-command")),
            Error::PasswordToTerminal => Some(messages::t!("hint-password-to-terminal")),
            Error::SecretMissing { email, .. } => Some(messages::hint_secret_missing(email)),
            Error::LiveTestFailed { reports } => Some(messages::hint_live_test(reports)),
            Error::ConfigRead { .. } | Error::ConfigWrite { .. } => {
                Some(messages::t!("hint-config-io"))
            }
            Error::ConfigNotAFile { .. } => Some(messages::t!("hint-config-not-a-file")),
            Error::ConfigSymlink { .. } => Some(messages::t!("hint-config-io")),
            Error::CheckFailed { worst, .. } => worst.hint(),
            Error::ConfigUnparseable { path, .. }
            | Error::ConfigVersion { path, .. }
            | Error::ConfigTooLarge { path, .. }
            | Error::ConfigNotUtf8 { path } => Some(messages::t!(
                "hint-config-unparseable",
                path = path.display().to_string()
            )),
            Error::Keyring { problem } => Some(messages::hint_keyring(problem)),
            Error::KeyringReadBack => Some(messages::t!("hint-keyring-read-back")),
            Error::Terminal(_) => None,
            Error::Output(_) => Some(messages::t!("hint-output-failed")),
            Error::Cancelled | Error::StoppedAfterSaving => None,
            Error::ExportUnrepresentable { .. } => {
                Some(messages::t!("hint-export-unrepresentable"))
            }
            Error::ExportLineTooLong { .. } => Some(messages::t!("hint-export-line-too-long")),
            Error::SendRefused { email, alias, .. } => {
                Some(messages::hint_send_refused(email, *alias))
            }
            Error::SendStepFailed { failure, .. } => Some(messages::hint_send_step(failure.kind)),
            Error::SendNotArrived { .. } => Some(messages::t!("hint-send-not-arrived")),
            Error::QuietCheckFailed { .. } => None,
            Error::WatchNoUserManager { .. } => Some(messages::t!(
                "hint-watch-no-user-manager",
                enable = crate::watch::systemd::enable_command()
            )),
            Error::WatchSystemctl { command, .. } => Some(messages::t!(
                "hint-watch-systemctl-failed",
                command = command
            )),
            Error::WatchFiles { .. } => Some(messages::t!("hint-config-io")),
            Error::WatchPathUnusable { .. } => Some(messages::t!("hint-watch-path-unusable")),
            Error::ConfigLocked { lock, .. } => Some(messages::hint_config_locked(lock)),
        }
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Error {
        match error {
            ConfigError::Read { path, source } => Error::ConfigRead { path, source },
            ConfigError::Write { path, source } => Error::ConfigWrite { path, source },
            ConfigError::Unparseable {
                path,
                line,
                problem,
            } => Error::ConfigUnparseable {
                path,
                line,
                problem,
            },
            ConfigError::Version { path, found } => Error::ConfigVersion { path, found },
            ConfigError::NotAFile { path } => Error::ConfigNotAFile { path },
            ConfigError::TooLarge { path, limit } => Error::ConfigTooLarge { path, limit },
            ConfigError::NotUtf8 { path } => Error::ConfigNotUtf8 { path },
            ConfigError::Symlink { path, target } => Error::ConfigSymlink { path, target },
            ConfigError::Locked { path, lock, waited } => {
                Error::ConfigLocked { path, lock, waited }
            }
        }
    }
}

impl From<PromptError> for Error {
    fn from(error: PromptError) -> Error {
        match error {
            PromptError::Cancelled => Error::Cancelled,
            PromptError::Terminal(source) => Error::Terminal(source),
        }
    }
}

impl From<Interrupted> for Error {
    fn from(interrupted: Interrupted) -> Error {
        match interrupted {
            Interrupted::BeforeSave => Error::Cancelled,
            Interrupted::AfterSave => Error::StoppedAfterSaving,
        }
    }
}

impl From<StoreProblem> for Error {
    fn from(problem: StoreProblem) -> Error {
        Error::Keyring { problem }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::{FailureKind, ProbeFailure, Protocol, ServerAddress, Stage};

    fn report(kind: Option<FailureKind>) -> ProbeReport {
        ProbeReport {
            protocol: Protocol::Imap,
            server: ServerAddress::new("imap.mail.me.com", 993),
            usernames_tried: vec![],
            outcome: match kind {
                Some(kind) => Err(ProbeFailure::new(Stage::Login, kind, "x")),
                None => Ok("u".into()),
            },
            transcript: vec![],
            folders: None,
        }
    }

    #[test]
    fn the_worst_live_test_failure_decides_the_exit_code() {
        let failed = |kinds: &[Option<FailureKind>]| Error::LiveTestFailed {
            reports: kinds.iter().map(|k| report(*k)).collect(),
        };
        assert_eq!(
            failed(&[
                Some(FailureKind::TimedOut),
                Some(FailureKind::BadCredentials)
            ])
            .exit_code(),
            77
        );
        assert_eq!(
            failed(&[None, Some(FailureKind::StartTlsMissing)]).exit_code(),
            76
        );
        assert_eq!(
            failed(&[Some(FailureKind::Unavailable), None]).exit_code(),
            75
        );
        assert_eq!(
            failed(&[Some(FailureKind::Unreachable), Some(FailureKind::TimedOut)]).exit_code(),
            69
        );
    }

    #[test]
    fn every_error_has_its_documented_code() {
        assert_eq!(
            Error::NeedsTerminal {
                missing_flags: vec!["--email"]
            }
            .exit_code(),
            64
        );
        assert_eq!(Error::EmptyPassword.exit_code(), 65);
        assert_eq!(
            Error::NoSuchAccount {
                email: "a".into(),
                saved: vec![]
            }
            .exit_code(),
            67
        );
        assert_eq!(
            Error::Keyring {
                problem: StoreProblem::NotAnswering
            }
            .exit_code(),
            78
        );
        assert_eq!(Error::Cancelled.exit_code(), 130);
    }

    #[test]
    fn send_test_failures_have_their_documented_codes() {
        let refused = Error::SendRefused {
            email: "me@example.org".into(),
            step: SendStep::EndOfData,
            server_said: "554 5.7.1 [CS01] Message rejected".into(),
            alias: true,
        };
        assert_eq!(refused.exit_code(), 77);
        assert!(
            refused.to_string().contains("554 5.7.1 [CS01]"),
            "{refused}"
        );
        assert!(refused.hint().unwrap().contains("iCloud Mail"));
        let late = Error::SendNotArrived {
            email: "me@icloud.com".into(),
            waited_secs: 120,
        };
        assert_eq!(late.exit_code(), 75);
        assert!(late.hint().unwrap().contains("Junk"));
        let dropped = Error::SendStepFailed {
            protocol: Protocol::Imap,
            step: SendStep::Watch,
            failure: ProbeFailure::new(Stage::Login, FailureKind::Dropped, "closed"),
        };
        assert_eq!(dropped.exit_code(), 75);
        let odd = Error::SendStepFailed {
            protocol: Protocol::Smtp,
            step: SendStep::Data,
            failure: ProbeFailure::new(Stage::Login, FailureKind::Protocol, "odd"),
        };
        assert_eq!(odd.exit_code(), 76);
    }
}
