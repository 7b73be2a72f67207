//! Command-line tests: the real binary, its flags, its output streams and its exit codes.
//! Live tests here fail before anything is stored, so no keyring is needed; the binary runs
//! with a D-Bus address where nothing listens, so it could not touch a real keyring anyway.

use crate::support;

use std::process::Output;

use assert_cmd::prelude::*;
use support::binary::{Sandbox, files_containing, run_with_stdin};
use support::certs::TestCa;
use support::fake_servers::{
    FakeImap, FakeSmtp, ImapScript, ImapTransport, SmtpAuth, SmtpMode, SmtpScript, TEST_PASSWORD,
};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn help_lists_the_commands_and_the_advanced_options() {
    let dir = tempfile::tempdir().unwrap();
    let output = Sandbox::without_keyring(dir.path())
        .command()
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = stdout(&output);
    for expected in [
        "setup",
        "settings",
        "--imap-server",
        "--ca-file",
        "--timeout",
    ] {
        assert!(help.contains(expected), "{expected} missing from:\n{help}");
    }
    let setup_help = Sandbox::without_keyring(dir.path())
        .command()
        .args(["setup", "--help"])
        .output()
        .unwrap();
    let setup_help = stdout(&setup_help);
    for flag in ["--email", "--login", "--name", "--password-stdin"] {
        assert!(
            setup_help.contains(flag),
            "{flag} missing from:\n{setup_help}"
        );
    }
    assert!(
        !setup_help.contains("--password "),
        "no flag takes the password itself"
    );
}

#[test]
fn a_usage_error_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    Sandbox::without_keyring(dir.path())
        .command()
        .args(["setup", "--no-such-flag"])
        .assert()
        .code(2);
    Sandbox::without_keyring(dir.path())
        .command()
        .args(["--imap-server", "no-port", "settings"])
        .assert()
        .code(2);
}

#[test]
fn without_a_terminal_and_flags_it_exits_64_naming_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    let output = Sandbox::without_keyring(dir.path())
        .command()
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(64));
    let err = stderr(&output);
    assert!(
        err.contains("--email") && err.contains("--password-stdin"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert!(!err.contains('?'), "no question was asked: {err}");
}

#[test]
fn empty_or_closed_password_input_exits_65() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::without_keyring(dir.path());
    for input in ["", "\n", "   \n"] {
        let output = run_with_stdin(
            sandbox
                .command()
                .args(["setup", "--email", "a@icloud.com", "--password-stdin"]),
            input,
        );
        assert_eq!(
            output.status.code(),
            Some(65),
            "input {input:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn an_invalid_address_exits_65() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_with_stdin(
        Sandbox::without_keyring(dir.path()).command().args([
            "setup",
            "--email",
            "not-an-address",
            "--password-stdin",
        ]),
        "qwer-tyui-opas-dfgh\n",
    );
    assert_eq!(output.status.code(), Some(65));
    assert!(
        stderr(&output).contains("needs an @"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unparseable_config_exits_78_and_is_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::without_keyring(dir.path());
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    let broken = "version = 1\n[[accounts]\n";
    std::fs::write(&sandbox.config_path, broken).unwrap();
    let output = run_with_stdin(
        sandbox
            .command()
            .args(["setup", "--email", "a@icloud.com", "--password-stdin"]),
        "qwer-tyui-opas-dfgh\n",
    );
    assert_eq!(output.status.code(), Some(78));
    let err = stderr(&output);
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&sandbox.config_path).unwrap(),
        broken
    );
}

#[test]
fn settings_prints_the_table_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let output = Sandbox::without_keyring(dir.path())
        .command()
        .args(["settings", "--email", "johnappleseed@icloud.com"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let table = stdout(&output);
    for expected in [
        "imap.mail.me.com",
        "993",
        "SSL/TLS",
        "smtp.mail.me.com",
        "587",
        "STARTTLS",
        "johnappleseed (if refused: johnappleseed@icloud.com)",
        "POP is not supported",
    ] {
        assert!(
            table.contains(expected),
            "{expected} missing from:\n{table}"
        );
    }
    assert!(stderr(&output).is_empty());
}

#[test]
fn color_follows_the_color_option() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::without_keyring(dir.path());
    let error_output = |color: &str| {
        let output = sandbox
            .command()
            .args(["--color", color, "setup"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        stderr(&output)
    };
    // The sandbox sets NO_COLOR; `always` overrides it, `never` and `auto` honour it.
    assert!(error_output("always").contains("\u{1b}["));
    assert!(!error_output("never").contains("\u{1b}["));
    assert!(!error_output("auto").contains("\u{1b}["));
}

#[test]
fn completions_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    let output = Sandbox::without_keyring(dir.path())
        .command()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(stdout(&output).contains("icloud-setup"));
}

/// Live failures through the binary: exit codes and explanations on stderr.
mod live {
    use super::*;

    /// Scripted servers with a test CA, and a sandbox with a private keyring (the keyring
    /// is proven to answer before the password is asked for, so a live failure needs one)
    /// or without any.
    struct Servers {
        dir: tempfile::TempDir,
        sandbox: Sandbox,
        ca: TestCa,
        _keyring: Option<support::secret_service::SecretService>,
    }

    impl Servers {
        /// `None` (the test skips) when the Secret Service is not installed.
        fn new() -> Option<Servers> {
            let dir = tempfile::tempdir().unwrap();
            let ca = TestCa::new(dir.path());
            let keyring = support::secret_service::SecretService::start(dir.path())?;
            let sandbox = Sandbox::with_keyring(dir.path(), &keyring);
            Some(Servers {
                dir,
                sandbox,
                ca,
                _keyring: Some(keyring),
            })
        }

        fn without_keyring() -> Servers {
            let dir = tempfile::tempdir().unwrap();
            let ca = TestCa::new(dir.path());
            let sandbox = Sandbox::without_keyring(dir.path());
            Servers {
                dir,
                sandbox,
                ca,
                _keyring: None,
            }
        }

        fn imap(&self, script: ImapScript) -> FakeImap {
            let identity = self.ca.server_cert("localhost").identity();
            FakeImap::start(ImapTransport::Tls(identity), script)
        }

        fn smtp(&self) -> FakeSmtp {
            let identity = self.ca.server_cert("localhost").identity();
            FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(identity)))
        }

        /// `setup --email alice@icloud.com --password-stdin` against the two servers.
        fn setup(
            &self,
            imap: &FakeImap,
            smtp: &FakeSmtp,
            extra: &[&str],
            password: &str,
        ) -> Output {
            run_with_stdin(
                self.sandbox
                    .command()
                    .args(extra)
                    .args(["--imap-server", &imap.host_addr("localhost")])
                    .args(["--smtp-server", &smtp.host_addr("localhost")])
                    .args(["--timeout", "5"])
                    .arg("--ca-file")
                    .arg(&self.ca.ca_path)
                    .args(["setup", "--email", "alice@icloud.com", "--password-stdin"]),
                &format!("{password}\n"),
            )
        }
    }

    #[test]
    fn a_wrong_password_exits_77_naming_both_usernames() {
        let Some(s) = Servers::new() else {
            return;
        };
        let (imap, smtp) = (s.imap(ImapScript::default()), s.smtp());
        let output = s.setup(&imap, &smtp, &[], "wron-gwro-ngwr-ongg");
        assert_eq!(output.status.code(), Some(77), "{}", stderr(&output));
        let err = stderr(&output);
        assert!(err.contains("alice, alice@icloud.com"), "{err}");
        assert!(err.contains("error:") && err.contains("hint:"), "{err}");
        assert!(s.sandbox.config_text().is_none());
    }

    #[test]
    fn verbose_shows_the_transcript_with_the_password_masked() {
        let Some(s) = Servers::new() else {
            return;
        };
        let (imap, smtp) = (s.imap(ImapScript::default()), s.smtp());
        let output = s.setup(&imap, &smtp, &["-v"], "wron-gwro-ngwr-ongg");
        assert_eq!(output.status.code(), Some(77));
        let err = stderr(&output);
        assert!(err.contains("IMAP C: a1 LOGIN \"alice\" ********"), "{err}");
        assert!(err.contains("SMTP C: AUTH PLAIN ********"), "{err}");
        assert!(err.contains("AUTHENTICATIONFAILED"), "{err}");
        assert!(!err.contains("wron-gwro-ngwr-ongg"), "{err}");
    }

    #[test]
    fn an_smtp_rejection_exits_77() {
        let Some(s) = Servers::new() else {
            return;
        };
        let imap = s.imap(ImapScript::default());
        let identity = s.ca.server_cert("localhost").identity();
        let smtp = FakeSmtp::start(
            SmtpScript::new(SmtpMode::Starttls(identity)).other_logins(SmtpAuth::Invalid),
        );
        let output = s.setup(&imap, &smtp, &[], TEST_PASSWORD);
        assert_eq!(output.status.code(), Some(77), "{}", stderr(&output));
    }

    #[test]
    fn starttls_missing_exits_76_without_sending_auth() {
        let Some(s) = Servers::new() else {
            return;
        };
        let imap = s.imap(ImapScript::default());
        let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::NoStarttls).auth_before_tls(true));
        let output = s.setup(&imap, &smtp, &[], TEST_PASSWORD);
        assert_eq!(output.status.code(), Some(76), "{}", stderr(&output));
        assert!(smtp.auth_attempts().is_empty());
    }

    #[test]
    fn no_reachable_keyring_exits_78_and_no_file_holds_the_secret() {
        let s = Servers::without_keyring();
        let (imap, smtp) = (s.imap(ImapScript::default()), s.smtp());
        let started = std::time::Instant::now();
        let output = s.setup(&imap, &smtp, &[], TEST_PASSWORD);
        assert_eq!(output.status.code(), Some(78), "{}", stderr(&output));
        assert!(
            started.elapsed().as_secs() < 10,
            "the keyring's time limit holds"
        );
        let err = stderr(&output);
        assert!(err.contains("keyring"), "{err}");
        assert!(err.contains("never saved in a file"), "{err}");
        assert!(s.sandbox.config_text().is_none());
        // Found out before the password went anywhere (issue 9, item 10).
        assert!(imap.logins().is_empty(), "{:?}", imap.logins());
        assert!(smtp.auth_attempts().is_empty());
        assert!(files_containing(s.dir.path(), TEST_PASSWORD).is_empty());
        assert!(!stdout(&output).contains(TEST_PASSWORD) && !err.contains(TEST_PASSWORD));
    }
}

#[test]
fn settings_outside_a_utf8_locale_is_plain_ascii() {
    let dir = tempfile::tempdir().unwrap();
    let settings = |locale: &str| {
        let output = Sandbox::without_keyring(dir.path())
            .command()
            .env("LC_ALL", locale)
            .arg("settings")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    // The arrows of Apple's menu path: Unicode where the terminal takes it, ASCII elsewhere.
    assert!(settings("C.UTF-8").contains('→'));
    let plain = settings("C");
    assert!(plain.is_ascii(), "{plain}");
    assert!(plain.contains("account.apple.com -> "), "{plain}");
}
