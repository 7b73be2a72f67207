//! Issue 9: hostile input, signals and slips — what a new user mistypes and what someone
//! with a hostile config path, terminal or keyring can do. In-process flows for the input
//! classes, the binary for exit codes and files, and a pseudo-terminal for the keyboard,
//! signals and what stays on the screen.

use crate::support;

use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use icloud_setup::cli::{Command, SetupArgs};
use icloud_setup::config::ConfigStore;
use icloud_setup::domain::{AddressProblem, EmailAddress, NameProblem};
use icloud_setup::error::Error;
use icloud_setup::plan::{AccountPlan, Servers};
use icloud_setup::prompt::{Answer, ScriptedPrompter};
use icloud_setup::secrets::{SecretStore, StoreProblem};
use nix::sys::wait::WaitStatus;
use secrecy::SecretString;
use support::binary::{Sandbox, run_with_stdin};
use support::fake_servers::{FakeImap, FakeSmtp, ImapScript, SmtpScript, TEST_PASSWORD};
use support::in_process::World;
use support::pty::Screen;

const EMAIL: &str = "alice@icloud.com";

/// A world with default scripted servers (accepting [`TEST_PASSWORD`]).
struct Setup {
    world: World,
    imap: FakeImap,
    smtp: FakeSmtp,
}

fn setup_world() -> Setup {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    Setup { world, imap, smtp }
}

impl Setup {
    fn run(
        &self,
        command: Option<Command>,
        prompter: &mut ScriptedPrompter,
        stdin: &str,
    ) -> (Result<(), Error>, String) {
        self.world.run_command(
            &self.imap.host_addr("localhost"),
            &self.smtp.host_addr("localhost"),
            command,
            prompter,
            stdin,
            false,
        )
    }

    /// Saves `email` with `name` and `TEST_PASSWORD`, as an earlier setup would have.
    fn save(&self, email: &str, name: Option<&str>) {
        let address = EmailAddress::parse(email).unwrap();
        let servers = Servers {
            imap: self.imap.host_addr("localhost").parse().unwrap(),
            smtp: self.smtp.host_addr("localhost").parse().unwrap(),
        };
        let plan = AccountPlan::new(
            address.clone(),
            address.clone(),
            name.map(str::to_string),
            servers,
        );
        ConfigStore::new(self.world.config_path.clone())
            .update(|config| {
                config.upsert(plan.account(address.local_part(), "2026-01-01T00:00:00Z"));
                Ok::<(), Error>(())
            })
            .unwrap();
        self.world
            .secrets
            .write(email, &SecretString::from(TEST_PASSWORD.to_string()))
            .unwrap();
    }
}

fn setup_flags(email: &str, name: Option<&str>) -> Option<Command> {
    Some(Command::Setup(SetupArgs {
        email: Some(email.into()),
        name: name.map(str::to_string),
        password_stdin: true,
        ..SetupArgs::default()
    }))
}

fn stdin_line(password: &str) -> String {
    format!("{password}\n")
}

// ---------------------------------------------------------------- item 2: control characters

#[test]
fn names_with_escape_sequences_or_line_breaks_are_refused_and_nothing_is_saved() {
    let s = setup_world();
    for name in ["Bad\u{1b}[31m", "Two\nLines", "Title\u{1b}]0;owned\u{7}"] {
        let mut prompter = ScriptedPrompter::non_interactive();
        let (result, _) = s.run(
            setup_flags(EMAIL, Some(name)),
            &mut prompter,
            &stdin_line(TEST_PASSWORD),
        );
        let error = result.unwrap_err();
        assert_eq!(error.exit_code(), 65, "{name:?}: {error}");
        assert!(
            matches!(
                error,
                Error::InvalidName {
                    problem: NameProblem::ControlCharacter { .. }
                }
            ),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(
            !text.chars().any(|c| c == '\u{1b}' || c == '\n'),
            "{text:?}"
        );
    }
    assert!(s.world.config_text().is_none());
    assert!(s.imap.logins().is_empty(), "refused before any login");
}

#[test]
fn a_typed_name_with_control_characters_is_asked_again() {
    let s = setup_world();
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", Answer::Text(EMAIL.into())),
        ("Your name", Answer::Text("Evil\u{1b}[2J".into())),
        ("Your name", Answer::Text("Alice".into())),
        (
            "App-specific password",
            Answer::Secret(TEST_PASSWORD.into()),
        ),
        // The send test is offered at the end; Enter alone declines it.
        ("Send a test message", Answer::Default),
    ]);
    let (result, _) = s.run(None, &mut prompter, "");
    result.unwrap();
    prompter.assert_finished();
    let config = s.world.config_text().unwrap();
    assert!(config.contains("name = \"Alice\""), "{config}");
    let log = prompter.log().join("\n");
    assert!(
        log.contains("Evil\\e[2J"),
        "the refusal shows it escaped:\n{log}"
    );
}

#[test]
fn status_shows_control_characters_of_saved_values_escaped() {
    let s = setup_world();
    s.save(EMAIL, None);
    // A config edited by hand (or by an older version) with escapes in its values.
    let text = s.world.config_text().unwrap().replace(
        "login = ",
        "name = \"Bad\\u001b[31m\\u001b]0;owned\\u0007\\nfake: line\"\nlogin = ",
    );
    std::fs::write(&s.world.config_path, text).unwrap();
    for json in [false, true] {
        let mut prompter = ScriptedPrompter::non_interactive();
        let (result, out) = s.run(
            Some(Command::Status { email: None, json }),
            &mut prompter,
            "",
        );
        result.unwrap();
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        if !json {
            assert!(
                out.contains("Bad\\e[31m\\e]0;owned\\u{7}\\nfake: line"),
                "{out}"
            );
        }
    }
}

// ---------------------------------------------------------------- item 9: the name question

#[test]
fn the_password_pasted_as_the_name_is_never_saved_as_the_name() {
    let s = setup_world();
    // Interactive: the name is refused for its shape, and again after the password if it
    // is the password in another spelling.
    let spaced = TEST_PASSWORD.replace('-', " ");
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", Answer::Text(EMAIL.into())),
        ("Your name", Answer::Text(spaced.clone())),
        ("Your name", Answer::Text("Alice".into())),
        (
            "App-specific password",
            Answer::Secret(TEST_PASSWORD.into()),
        ),
        // The send test is offered at the end; Enter alone declines it.
        ("Send a test message", Answer::Default),
    ]);
    let (result, _) = s.run(None, &mut prompter, "");
    result.unwrap();
    prompter.assert_finished();
    let config = s.world.config_text().unwrap();
    assert!(!config.contains("qwer"), "{config}");

    // With flags: refused with 65 before anything is tested.
    let other = setup_world();
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = other.run(
        setup_flags(EMAIL, Some(&spaced.to_uppercase())),
        &mut prompter,
        &stdin_line(TEST_PASSWORD),
    );
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidName {
                problem: NameProblem::LooksLikePassword
            }
        ),
        "{error:?}"
    );
    assert!(other.world.config_text().is_none());
    assert!(other.imap.logins().is_empty());
}

#[test]
fn setting_up_a_saved_address_again_says_so_and_keeps_its_name() {
    let s = setup_world();
    s.save(EMAIL, Some("Alice Example"));
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(
        setup_flags(EMAIL, None),
        &mut prompter,
        &stdin_line(TEST_PASSWORD),
    );
    result.unwrap();
    let log = prompter.log().join("\n");
    assert!(log.contains("is saved already"), "{log}");
    let config = s.world.config_text().unwrap();
    assert!(config.contains("name = \"Alice Example\""), "{config}");

    // A new name replaces it; interactively, Enter keeps it.
    let (result, _) = s.run(
        setup_flags(EMAIL, Some("Alice B. Example")),
        &mut ScriptedPrompter::non_interactive(),
        &stdin_line(TEST_PASSWORD),
    );
    result.unwrap();
    assert!(
        s.world
            .config_text()
            .unwrap()
            .contains("name = \"Alice B. Example\"")
    );
    let mut prompter2 = ScriptedPrompter::new(vec![
        ("e-mail address", Answer::Text(EMAIL.into())),
        (
            "Enter keeps \"Alice B. Example\"",
            Answer::Text(String::new()),
        ),
        (
            "App-specific password",
            Answer::Secret(TEST_PASSWORD.into()),
        ),
        // The send test is offered at the end; Enter alone declines it.
        ("Send a test message", Answer::Default),
    ]);
    let (result, _) = s.run(
        Some(Command::Setup(SetupArgs::default())),
        &mut prompter2,
        "",
    );
    result.unwrap();
    prompter2.assert_finished();
    assert!(
        s.world
            .config_text()
            .unwrap()
            .contains("name = \"Alice B. Example\"")
    );
}

// ---------------------------------------------------------------- item 10: check before asking

#[test]
fn an_unusable_keyring_is_found_before_the_password_is_asked_or_sent() {
    for problem in [
        StoreProblem::Unavailable("no D-Bus".into()),
        StoreProblem::NotAnswering,
        StoreProblem::Locked("object locked".into()),
    ] {
        let s = setup_world();
        s.world.secrets.fail_with(Some(problem.clone()));
        // Interactive: the password question never comes (the script has none).
        // With `pass` usable, the offer to keep the password there comes instead of the
        // password question; declining it ends the run with the keyring's error.
        let mut prompter = ScriptedPrompter::new(vec![
            ("e-mail address", Answer::Text(EMAIL.into())),
            ("Your name", Answer::Text(String::new())),
            (
                "Where should the password go?",
                Answer::Choose("stop".into()),
            ),
        ]);
        let (result, _) = s.run(None, &mut prompter, "");
        let error = result.unwrap_err();
        assert_eq!(error.exit_code(), 78, "{problem:?}: {error}");
        prompter.assert_finished();
        // With --password-stdin: read, but never sent.
        let (result, _) = s.run(
            setup_flags(EMAIL, None),
            &mut ScriptedPrompter::non_interactive(),
            &stdin_line(TEST_PASSWORD),
        );
        assert_eq!(result.unwrap_err().exit_code(), 78);
        assert!(s.imap.logins().is_empty(), "{:?}", s.imap.logins());
        assert!(s.smtp.auth_attempts().is_empty());
        // Connections may have been opened ahead of the password (issue 10's pre-connect,
        // while the person types); what matters is that no credentials were sent on them.
    }
}

#[cfg(unix)]
#[test]
fn an_unwritable_config_folder_is_found_before_the_password_is_asked_or_sent() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    // The config is a link (a dotfiles manager's) into a folder that does not exist:
    // reading finds no config yet, but it cannot be written (root or not).
    std::fs::create_dir_all(world.config_path.parent().unwrap()).unwrap();
    let missing = world.dir.path().join("not-checked-out/config.toml");
    std::os::unix::fs::symlink(&missing, &world.config_path).unwrap();
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", Answer::Text(EMAIL.into())),
        ("Your name", Answer::Text(String::new())),
    ]);
    let (result, _) = world.run_command(
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
        None,
        &mut prompter,
        "",
        false,
    );
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 74, "{error}");
    prompter.assert_finished();
    assert_eq!(imap.connections() + smtp.connections(), 0);
    assert!(world.secrets.emails().is_empty());
}

// ---------------------------------------------------------------- item 11: what --config names

fn load(path: &Path) -> Result<usize, Error> {
    ConfigStore::new(path.to_path_buf())
        .load()
        .map(|c| c.accounts.len())
        .map_err(Error::from)
}

#[test]
fn a_config_that_is_not_a_regular_file_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = Process::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for path in [
        Path::new("/dev/zero"),
        Path::new("/dev/null"),
        &fifo,
        dir.path(),
    ] {
        let started = Instant::now();
        let error = load(path).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2), "{path:?} hung");
        assert!(
            matches!(error, Error::ConfigNotAFile { .. }),
            "{path:?}: {error:?}"
        );
        assert_eq!(error.exit_code(), 74);
        let hint = error.hint().unwrap();
        assert!(!hint.contains("mv "), "{hint}");
    }
}

#[test]
fn empty_huge_and_non_utf8_configs() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(load(&empty).unwrap(), 0);
    let blank = dir.path().join("blank.toml");
    std::fs::write(&blank, "\n  \n").unwrap();
    assert_eq!(load(&blank).unwrap(), 0);

    let huge = dir.path().join("huge.toml");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(64 * 1024 * 1024).unwrap(); // sparse: costs no disk
    let error = load(&huge).unwrap_err();
    assert!(matches!(error, Error::ConfigTooLarge { .. }), "{error:?}");
    assert_eq!(error.exit_code(), 78);

    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"version = 1\n# J\xfcrgen\n").unwrap();
    let error = load(&latin1).unwrap_err();
    assert_eq!(
        error.exit_code(),
        78,
        "unparseable, not unreadable: {error}"
    );
    // Never overwritten.
    assert_eq!(
        std::fs::read(&latin1).unwrap(),
        b"version = 1\n# J\xfcrgen\n"
    );
}

#[test]
fn the_binary_refuses_dev_zero_without_growing() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = Process::new(support::binary::binary_path())
        .env_clear()
        .env("HOME", dir.path())
        .env("NO_COLOR", "1")
        .args(["--config", "/dev/zero", "status"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(output.status.code(), Some(74));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("not a regular file"), "{err}");
}

// ---------------------------------------------------------------- items 5 and 8: files

#[cfg(unix)]
#[test]
fn a_symlinked_config_is_written_through_and_stays_a_link() {
    use std::os::unix::fs::symlink;
    let s = setup_world();
    let dotfiles = s.world.dir.path().join("dotfiles/icloud-setup");
    std::fs::create_dir_all(&dotfiles).unwrap();
    let target = dotfiles.join("config.toml");
    std::fs::write(&target, "version = 1\n").unwrap();
    std::fs::create_dir_all(s.world.config_path.parent().unwrap()).unwrap();
    symlink(&target, &s.world.config_path).unwrap();

    let (result, _) = s.run(
        setup_flags(EMAIL, None),
        &mut ScriptedPrompter::non_interactive(),
        &stdin_line(TEST_PASSWORD),
    );
    result.unwrap();
    let link = std::fs::symlink_metadata(&s.world.config_path).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.contains(EMAIL), "{written}");
    // No temporary file left next to the link or the target.
    for dir in [dotfiles.as_path(), s.world.config_path.parent().unwrap()] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !name.starts_with(".config.toml.") || name.ends_with(".lock"),
                "{name}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn the_lock_file_does_not_follow_a_planted_link_and_is_private() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let victim = dir.path().join("victim");
    symlink(&victim, dir.path().join(".config.toml.lock")).unwrap();
    let store = ConfigStore::new(config.clone());
    let error = store.update(|_| Ok::<(), Error>(())).unwrap_err();
    assert_eq!(error.exit_code(), 74);
    assert!(!victim.exists(), "the link's target was created");

    // A lock left with a loose mode (an older version under umask 000) is tightened.
    std::fs::remove_file(dir.path().join(".config.toml.lock")).unwrap();
    let lock = dir.path().join(".config.toml.lock");
    std::fs::write(&lock, "").unwrap();
    std::fs::set_permissions(&lock, std::fs::Permissions::from_mode(0o666)).unwrap();
    store.update(|_| Ok::<(), Error>(())).unwrap();
    let mode = std::fs::metadata(&lock).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[cfg(unix)]
#[test]
fn root_writing_another_users_config_leaves_it_owned_by_that_user() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    // Only root can hand a folder to someone else; anyone else skips this test.
    if std::os::unix::fs::chown(&home, Some(65534), Some(65534)).is_err() {
        eprintln!("skipped: not running as root");
        return;
    }
    let path = home.join(".config/icloud-setup/config.toml");
    ConfigStore::new(path.clone())
        .update(|c| {
            let address = EmailAddress::parse(EMAIL).unwrap();
            let plan = AccountPlan::new(address.clone(), address, None, Servers::default());
            c.upsert(plan.account("alice", "2026-01-01T00:00:00Z"));
            Ok::<(), Error>(())
        })
        .unwrap();
    for made in [
        path.clone(),
        path.parent().unwrap().to_path_buf(),
        home.join(".config"),
        path.parent().unwrap().join(".config.toml.lock"),
    ] {
        let meta = std::fs::metadata(&made).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534), "{made:?}");
    }
}

// ---------------------------------------------------------------- item 7: left in the keyring

#[test]
fn keyring_entries_no_account_lists_are_shown_by_status_and_removed_by_remove() {
    let s = setup_world();
    s.save(EMAIL, None);
    // What an interrupted save of an older version left behind.
    s.world
        .secrets
        .write(
            "orphan@icloud.com",
            &SecretString::from("abcd-abcd-abcd-abcd".to_string()),
        )
        .unwrap();
    let (result, out) = s.run(
        Some(Command::Status {
            email: None,
            json: false,
        }),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    result.unwrap();
    assert!(out.contains("in no saved account"), "{out}");
    assert!(out.contains("orphan@icloud.com"), "{out}");
    let (result, json) = s.run(
        Some(Command::Status {
            email: None,
            json: true,
        }),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    result.unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["orphaned_secrets"][0], "orphan@icloud.com", "{json}");

    let (result, _) = s.run(
        Some(Command::Remove {
            email: "orphan@icloud.com".into(),
            yes: true,
        }),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    result.unwrap();
    assert_eq!(s.world.secrets.emails(), [EMAIL]);
    // An address in neither place is still 67.
    let (result, _) = s.run(
        Some(Command::Remove {
            email: "nobody@icloud.com".into(),
            yes: true,
        }),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    assert_eq!(result.unwrap_err().exit_code(), 67);
}

// ---------------------------------------------------------------- item 13: check

#[test]
fn check_gives_every_account_its_line_and_a_summary_without_nothing_was_saved() {
    let s = setup_world();
    s.save(EMAIL, None);
    s.save("bob@icloud.com", None);
    s.world.secrets.delete("bob@icloud.com").unwrap();
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(
        Some(Command::Check {
            email: None,
            send: icloud_setup::cli::SendTestArgs::default(),
            quiet: false,
            notify: false,
        }),
        &mut prompter,
        "",
    );
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 78, "{error}");
    let text = error.to_string();
    assert!(!text.contains("nothing was saved"), "{text}");
    assert!(
        text.contains("1 of 2") && text.contains("bob@icloud.com"),
        "{text}"
    );
    let log = prompter.log().join("\n");
    assert!(
        log.contains("✗ bob@icloud.com: no saved password"),
        "bob has a line of his own:\n{log}"
    );
    let summary = log.split("Summary:").nth(1).expect("a summary");
    assert!(summary.contains("✓ alice@icloud.com"), "{summary}");
    assert!(summary.contains("✗ bob@icloud.com"), "{summary}");
    // --imap-server does not apply to check: it says so.
    assert!(log.contains("do not apply to `check`"), "{log}");
}

#[test]
fn a_failed_check_of_one_account_does_not_say_nothing_was_saved() {
    let world = World::new();
    let imap = world.imap(ImapScript::default().password("othe-rpas-swor-dddd"));
    let smtp = world.smtp(|s| s.password("othe-rpas-swor-dddd"));
    let s = Setup { world, imap, smtp };
    s.save(EMAIL, None);
    let (result, _) = s.run(
        Some(Command::Check {
            email: None,
            send: icloud_setup::cli::SendTestArgs::default(),
            quiet: false,
            notify: false,
        }),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 77);
    assert!(!error.to_string().contains("nothing was saved"), "{error}");
    assert!(error.hint().unwrap().contains("app-specific password"));
}

// ---------------------------------------------------------------- item 16: messages

#[test]
fn address_mistakes_are_named_for_what_they_are() {
    type Case = (&'static str, fn(&AddressProblem) -> bool, &'static str);
    let cases: [Case; 4] = [
        (
            "a@b@icloud.com",
            |p| matches!(p, AddressProblem::SeveralAts { .. }),
            "more than one @",
        ),
        (
            "john\n@icloud.com",
            |p| matches!(p, AddressProblem::ControlCharacter { .. }),
            "line break",
        ),
        (
            "jo hn@icloud.com",
            |p| matches!(p, AddressProblem::Whitespace { .. }),
            "spaces",
        ),
        (
            "@icloud.com",
            |p| matches!(p, AddressProblem::NothingBeforeAt { .. }),
            "before the @",
        ),
    ];
    for (typed, is_right, words) in cases {
        let s = setup_world();
        let (result, _) = s.run(
            setup_flags(typed, None),
            &mut ScriptedPrompter::non_interactive(),
            &stdin_line(TEST_PASSWORD),
        );
        let error = result.unwrap_err();
        let Error::InvalidAddress { problem } = &error else {
            panic!("{typed:?}: {error:?}");
        };
        assert!(is_right(problem), "{typed:?}: {problem:?}");
        let text = error.to_string();
        assert!(text.contains(words), "{typed:?}: {text}");
        assert!(!text.contains('\n'), "escaped: {text:?}");
        assert_eq!(error.exit_code(), 65);
    }
}

#[test]
fn hints_say_something_the_error_did_not() {
    let s = setup_world();
    let (result, _) = s.run(
        Some(Command::Check {
            email: None,
            send: icloud_setup::cli::SendTestArgs::default(),
            quiet: false,
            notify: false,
        }),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    let error = result.unwrap_err();
    assert!(matches!(error, Error::NoAccountSaved));
    let (message, hint) = (error.to_string(), error.hint().unwrap());
    assert!(!hint.contains(&message), "{message} / {hint}");
    assert!(hint.contains("icloud-setup"), "{hint}");

    // `remove X` without a terminal: the hint is about --yes, not about a password.
    s.save(EMAIL, None);
    let (result, _) = s.run(
        Some(Command::Remove {
            email: EMAIL.into(),
            yes: false,
        }),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 64);
    let hint = error.hint().unwrap();
    assert!(hint.contains("--yes"), "{hint}");
    assert!(!hint.contains("password"), "{hint}");
}

#[test]
fn a_write_error_on_standard_output_is_not_the_config_files_74() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::without_keyring(dir.path());
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = sandbox
        .command()
        .arg("settings")
        .stdin(Stdio::null())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("could not write the output"), "{err}");
}

// ---------------------------------------------------------------- item 18: near misses

#[test]
fn near_misses_of_icloud_domains_are_caught() {
    // Flags: refused with the suggestion, before any server is asked.
    for typed in ["x@icloud.comj", "x@iclod.com", "x@me.con"] {
        let s = setup_world();
        let (result, _) = s.run(
            setup_flags(typed, None),
            &mut ScriptedPrompter::non_interactive(),
            &stdin_line(TEST_PASSWORD),
        );
        let error = result.unwrap_err();
        assert_eq!(error.exit_code(), 65, "{typed}");
        assert!(error.to_string().contains("Did you mean x@"), "{error}");
        assert_eq!(s.imap.connections(), 0);
    }
    // Full-width letters are read as what they are.
    let s = setup_world();
    let (result, _) = s.run(
        setup_flags("ａｌｉｃｅ@icloud.com", None),
        &mut ScriptedPrompter::non_interactive(),
        &stdin_line(TEST_PASSWORD),
    );
    result.unwrap();
    assert!(
        s.world
            .config_text()
            .unwrap()
            .contains("email = \"alice@icloud.com\"")
    );

    // Interactive: a choice, whose default is the suggestion.
    let s = setup_world();
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", Answer::Text("alice@iclod.com".into())),
        ("Did you mean alice@icloud.com?", Answer::Default),
        ("Your name", Answer::Text(String::new())),
        (
            "App-specific password",
            Answer::Secret(TEST_PASSWORD.into()),
        ),
        // The send test is offered at the end; Enter alone declines it.
        ("Send a test message", Answer::Default),
    ]);
    let (result, _) = s.run(None, &mut prompter, "");
    result.unwrap();
    prompter.assert_finished();
    assert!(
        s.world
            .config_text()
            .unwrap()
            .contains("email = \"alice@icloud.com\"")
    );
}

#[test]
fn rotating_to_the_password_already_saved_is_flagged() {
    let s = setup_world();
    s.save(EMAIL, None);
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(
        Some(Command::Rotate {
            email: None,
            password_stdin: true,
        }),
        &mut prompter,
        &stdin_line(&TEST_PASSWORD.replace('-', "")),
    );
    result.unwrap();
    let log = prompter.log().join("\n");
    assert!(log.contains("the password already saved"), "{log}");
}

// ---------------------------------------------------------------- item 4: --password-stdin

#[test]
fn password_stdin_from_a_terminal_is_read_hidden_through_the_prompter() {
    let s = setup_world();
    let mut prompter = ScriptedPrompter::new(vec![(
        "App-specific password",
        Answer::Secret(TEST_PASSWORD.into()),
    )]);
    prompter.stdin_terminal = true;
    let (result, _) = s.run(setup_flags(EMAIL, None), &mut prompter, "");
    result.unwrap();
    prompter.assert_finished();
    assert_eq!(s.world.secret(EMAIL).as_deref(), Some(TEST_PASSWORD));
}

// ---------------------------------------------------------------- the terminal

fn child_pid(screen: &mut Screen) -> i32 {
    screen.expect("child-pid=");
    let line = screen.session.read_line().expect("the pid line");
    line.trim().parse().expect("a pid")
}

/// A sandbox without a keyring and the binary in it.
fn sandbox_command(dir: &Path) -> (Sandbox, Process) {
    let sandbox = Sandbox::without_keyring(dir);
    let command = sandbox.command();
    (sandbox, command)
}

#[test]
fn editing_keys_work_at_the_address_question_and_ctrl_d_cancels() {
    let dir = tempfile::tempdir().unwrap();
    let (sandbox, command) = sandbox_command(dir.path());
    let mut screen = Screen::start(support::pty::wrapped(&command));
    screen.expect("Your iCloud e-mail address");
    // Typed in the wrong order, then fixed: Home, the missing start, End, a slip deleted.
    screen.type_text("icloud.comx");
    screen.type_text("\u{7f}"); // Backspace
    screen.type_text("\u{1b}[H"); // Home
    screen.type_text("alice@");
    screen.type_text("\u{5}"); // Ctrl-E
    screen.type_text("\u{1b}[D\u{1b}[C"); // ← →
    screen.type_text("\r");
    screen.expect("Your name");
    screen.type_text("Al Bob");
    screen.type_text("\u{17}"); // Ctrl-W: "Al "
    screen.type_text("\u{1}"); // Ctrl-A
    screen.type_text("\u{b}"); // Ctrl-K: empty
    screen.type_text("\u{4}"); // Ctrl-D on an empty line: cancel
    screen.expect("exit-code=130");
    screen.expect("terminal=restored");
    let (seen, _) = screen.finish();
    assert!(!seen.contains("is not an e-mail address"), "{seen}");
    assert!(seen.contains("Nothing was saved"), "{seen}");
    assert!(sandbox.config_text().is_none());
}

#[test]
fn sigterm_and_sighup_at_a_question_restore_the_terminal() {
    for signal in [
        nix::sys::signal::Signal::SIGTERM,
        nix::sys::signal::Signal::SIGHUP,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (sandbox, command) = sandbox_command(dir.path());
        // In the foreground, as a person runs it, so it can read the terminal.
        let mut screen = Screen::start(in_terminal_foreground(&command));
        let pid = child_pid(&mut screen);
        screen.expect("Your iCloud e-mail address");
        screen.type_text("half-typed");
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal)
            .expect("signal the program");
        screen.expect("exit-code=130");
        screen.expect("terminal=restored");
        let (seen, status) = screen.finish();
        assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
        assert!(seen.contains("Nothing was saved"), "{signal:?}: {seen}");
        assert!(sandbox.config_text().is_none());
    }
}

/// Like [`in_terminal`] but the program runs in the foreground, its pid printed first by
/// an `exec` in a subshell.
fn in_terminal_foreground(program: &Process) -> Process {
    let script = r#"trap : INT TERM HUP; stty echo; before=$(stty -g); sh -c 'echo "child-pid=$$"; exec "$@"' sh "$@"; code=$?; after=$(stty -g)
echo "exit-code=$code"
if [ "$before" = "$after" ]; then echo "terminal=restored"; else echo "terminal=changed"; fi"#;
    support::pty::wrapped_in(script, program, "xterm")
}

#[test]
fn a_dumb_terminal_in_the_c_locale_gets_no_cursor_movement_and_ascii() {
    let dir = tempfile::tempdir().unwrap();
    let (_sandbox, command) = sandbox_command(dir.path());
    let mut screen = Screen::start(in_terminal_plain(&command, "rows 24 cols 100", "dumb", "C"));
    screen.expect("Your iCloud e-mail address");
    screen.type_line("a@b@icloud.com");
    screen.expect("more than one @");
    screen.expect("Your iCloud e-mail address");
    // A choice is a numbered list there, answered with a number.
    screen.type_line("a@iclod.com");
    screen.expect("1) Yes, use a@icloud.com");
    screen.expect("1-2 [1]");
    screen.type_line("1");
    screen.expect("Your name");
    screen.ctrl_c();
    screen.expect("exit-code=130");
    let (seen, _) = screen.finish();
    let seen = as_utf8(&seen);
    assert!(!seen.contains('\u{1b}'), "a control sequence in {seen:?}");
    assert!(!seen.contains('✘') && !seen.contains('→'), "{seen}");
    assert!(seen.contains("x \"a@b@icloud.com\""), "{seen}");
}

#[test]
fn text_wraps_between_words_on_a_40_column_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (_sandbox, command) = sandbox_command(dir.path());
    let mut screen = Screen::start(in_terminal_plain(
        &command,
        "rows 24 cols 40",
        "xterm",
        "C.UTF-8",
    ));
    screen.expect("Your iCloud e-mail address");
    screen.ctrl_c();
    screen.expect("exit-code=130");
    let (seen, _) = screen.finish();
    let seen = as_utf8(&seen);
    let welcome = icloud_setup::messages::t!("welcome");
    let start = seen.find("This sets up").expect("the welcome text");
    let shown: Vec<&str> = seen[start..]
        .split("\r\n")
        .take_while(|line| !line.contains("e-mail address"))
        .collect();
    for line in &shown {
        assert!(console::measure_text_width(line) <= 40, "{line:?}");
    }
    assert_eq!(
        shown.join(" ").split_whitespace().collect::<Vec<_>>(),
        welcome.split_whitespace().collect::<Vec<_>>(),
        "no word was cut:\n{}",
        shown.join("\n")
    );
}

/// The program in the foreground of a terminal set up with `stty`, `TERM` and the locale,
/// reporting its exit code and whether the terminal settings came back, as
/// `support::pty::wrapped` does.
fn in_terminal_plain(program: &Process, stty: &str, term: &str, lang: &str) -> Process {
    let script = format!(
        r#"trap : INT; stty {stty} echo; before=$(stty -g); "$@"; code=$?; after=$(stty -g)
echo "exit-code=$code"
if [ "$before" = "$after" ]; then echo "terminal=restored"; else echo "terminal=changed"; fi"#
    );
    let mut shell = support::pty::wrapped_in(&script, program, term);
    shell.env("LANG", lang);
    shell.env("LC_ALL", lang);
    shell
}

#[test]
fn the_result_lines_stay_on_screen_after_a_setup() {
    let Some(world) = support::peer_world::PeerWorld::start() else {
        return;
    };
    let alice = support::dovecot::ALICE;
    let mut screen = Screen::start(support::pty::wrapped(&world.command()));
    screen.expect("Your iCloud e-mail address");
    screen.type_line(alice.email);
    screen.expect("Your name");
    screen.type_line("");
    screen.expect("App-specific password");
    screen.type_line(alice.password);
    screen.expect("Send a test message to yourself?");
    screen.type_line(""); // Enter: the default, no
    screen.expect("Saved alice@icloud.com");
    screen.expect("exit-code=0");
    let (seen, _) = screen.finish();
    // 80 columns: what the program and indicatif take a terminal of unknown width for.
    let final_screen = render(&as_utf8(&seen), 80);
    assert!(
        final_screen.contains("✓ Incoming mail (IMAP): signed in as alice"),
        "the IMAP result line is gone:\n{final_screen}"
    );
    assert!(
        final_screen.contains("✓ Outgoing mail (SMTP): signed in as alice@icloud.com"),
        "the SMTP result line is gone:\n{final_screen}"
    );
    assert!(!seen.contains(alice.password), "{seen}");
}

#[test]
fn password_stdin_typed_in_a_terminal_is_hidden_behind_a_prompt() {
    let Some(world) = support::peer_world::PeerWorld::start() else {
        return;
    };
    let alice = support::dovecot::ALICE;
    let mut command = world.command();
    command.args(["setup", "--email", alice.email, "--password-stdin"]);
    let mut screen = Screen::start(support::pty::wrapped(&command));
    screen.expect("App-specific password");
    screen.type_line(alice.password);
    screen.expect("exit-code=0");
    let (seen, _) = screen.finish();
    assert!(!seen.contains(alice.password), "echoed: {seen}");
    assert_eq!(
        world.keyring.lookup(alice.email).as_deref(),
        Some(alice.password)
    );
}

#[test]
fn the_keyring_entry_says_what_it_is() {
    let Some(world) = support::peer_world::PeerWorld::start() else {
        return;
    };
    let alice = support::dovecot::ALICE;
    let mut command = world.command();
    command.args(["setup", "--email", alice.email, "--password-stdin"]);
    let output = run_with_stdin(&mut command, &stdin_line(alice.password));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut search = Process::new("secret-tool");
    world.keyring.apply(&mut search);
    let listed = search
        .args(["search", "--all", "service", "icloud-setup"])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&listed.stdout),
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(
        text.contains("label = iCloud Mail app-specific password for alice@icloud.com"),
        "{text}"
    );
}

/// The pseudo-terminal's output as the terminal decodes it: the session hands over each
/// byte as a character of its own.
fn as_utf8(seen: &str) -> String {
    if seen.chars().all(|c| u32::from(c) <= 0xff) {
        let bytes: Vec<u8> = seen.chars().map(|c| u32::from(c) as u8).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        seen.to_string()
    }
}

/// What a terminal of `cols` columns shows after `output`: text, CR, LF, backspace, and
/// the cursor and erase sequences the program uses (CUU, CUD, CUF, CUB, CHA, EL, ED);
/// colours and other sequences change nothing.
fn render(output: &str, cols: usize) -> String {
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = output.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                if lines.len() <= row {
                    lines.push(Vec::new());
                }
            }
            '\u{8}' => col = col.saturating_sub(1),
            '\u{1b}' => {
                if chars.peek() != Some(&'[') {
                    chars.next();
                    continue;
                }
                chars.next();
                let mut params = String::new();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        last = c;
                        break;
                    }
                    params.push(c);
                }
                let n = params
                    .trim_start_matches('?')
                    .parse::<usize>()
                    .unwrap_or(1)
                    .max(1);
                match last {
                    'A' => row = row.saturating_sub(n),
                    'B' => row += n,
                    'C' => col += n,
                    'D' => col = col.saturating_sub(n),
                    'G' => col = n - 1,
                    'K' => {
                        let line = &mut lines[row];
                        match params.as_str() {
                            "2" => line.clear(),
                            "1" => line.iter_mut().take(col + 1).for_each(|c| *c = ' '),
                            _ => line.truncate(col),
                        }
                    }
                    'J' => {
                        lines[row].truncate(col);
                        lines.truncate(row + 1);
                    }
                    _ => {}
                }
                while lines.len() <= row {
                    lines.push(Vec::new());
                }
            }
            c if c.is_control() => {}
            c => {
                if col >= cols {
                    col = 0;
                    row += 1;
                }
                while lines.len() <= row {
                    lines.push(Vec::new());
                }
                let line = &mut lines[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    lines
        .iter()
        .map(|l| l.iter().collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------- item 7: a signal mid-save

/// The binary with a private keyring and scripted servers that accept [`TEST_PASSWORD`].
struct SaveWorld {
    dir: tempfile::TempDir,
    keyring: support::secret_service::SecretService,
    sandbox: Sandbox,
    imap: FakeImap,
    smtp: FakeSmtp,
    ca_path: std::path::PathBuf,
}

impl SaveWorld {
    fn start() -> Option<SaveWorld> {
        let dir = tempfile::tempdir().unwrap();
        let ca = support::certs::TestCa::new(dir.path());
        let keyring = support::secret_service::SecretService::start(dir.path())?;
        let sandbox = Sandbox::with_keyring(dir.path(), &keyring);
        let imap = FakeImap::start(
            support::fake_servers::ImapTransport::Tls(ca.server_cert("localhost").identity()),
            ImapScript::default(),
        );
        let smtp = FakeSmtp::start(SmtpScript::new(support::fake_servers::SmtpMode::Starttls(
            ca.server_cert("localhost").identity(),
        )));
        let ca_path = ca.ca_path.clone();
        Some(SaveWorld {
            dir,
            keyring,
            sandbox,
            imap,
            smtp,
            ca_path,
        })
    }

    fn setup(&self) -> Process {
        let mut command = self.sandbox.command();
        command
            .arg("--imap-server")
            .arg(self.imap.host_addr("localhost"))
            .arg("--smtp-server")
            .arg(self.smtp.host_addr("localhost"))
            .arg("--ca-file")
            .arg(&self.ca_path)
            .args(["--timeout", "10"])
            .args(["setup", "--email", EMAIL, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }
}

#[cfg(unix)]
#[test]
fn a_signal_during_the_save_rolls_the_keyring_back_and_leaves_no_file() {
    use std::io::Write;
    for signal in [
        nix::sys::signal::Signal::SIGTERM,
        nix::sys::signal::Signal::SIGHUP,
        nix::sys::signal::Signal::SIGINT,
    ] {
        let Some(world) = SaveWorld::start() else {
            return;
        };
        let config_dir = world.sandbox.config_path.parent().unwrap().to_path_buf();
        std::fs::create_dir_all(&config_dir).unwrap();
        // Hold the config's lock, so the run stops inside its save: after the keyring
        // write, before the config is replaced.
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(config_dir.join(".config.toml.lock"))
            .unwrap();
        lock.lock().unwrap();

        let mut child = world.setup().spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin_line(TEST_PASSWORD).as_bytes())
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while world.keyring.lookup(EMAIL).is_none() {
            assert!(Instant::now() < deadline, "the run never reached the save");
            std::thread::sleep(Duration::from_millis(50));
        }
        // The secret is in the keyring and the run waits for the lock: now the signal.
        let pid = nix::unistd::Pid::from_raw(child.id() as i32);
        nix::sys::signal::kill(pid, signal).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        lock.unlock().unwrap();
        let output = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{signal:?}: {err}");
        assert!(err.contains("Nothing was saved"), "{err}");
        assert_eq!(world.keyring.lookup(EMAIL), None, "{signal:?}: rolled back");
        assert!(world.sandbox.config_text().is_none(), "{signal:?}");
        let left: Vec<String> = std::fs::read_dir(&config_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| !name.ends_with(".lock"))
            .collect();
        assert!(left.is_empty(), "{signal:?}: left behind {left:?}");
        assert_eq!(world.imap.logins().len(), 1);
        drop(world.dir);
    }
}

#[test]
fn a_name_equal_to_the_saved_password_is_refused_before_anything_is_sent() {
    let s = setup_world();
    s.save(EMAIL, None);
    // A saved secret of an unusual shape, which the shape check alone would let through.
    s.world
        .secrets
        .write(EMAIL, &SecretString::from("Hunter2 Hunter2".to_string()))
        .unwrap();
    let (result, _) = s.run(
        setup_flags(EMAIL, Some("hunter2hunter2")),
        &mut ScriptedPrompter::non_interactive(),
        &stdin_line(TEST_PASSWORD),
    );
    let error = result.unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidName {
                problem: NameProblem::LooksLikePassword
            }
        ),
        "{error:?}"
    );
    assert!(s.imap.logins().is_empty());
    assert!(!s.world.config_text().unwrap().contains("unter"));
}

#[test]
fn the_failure_lines_stay_on_screen_too() {
    let Some(world) = support::peer_world::PeerWorld::start() else {
        return;
    };
    let alice = support::dovecot::ALICE;
    let mut screen = Screen::start(support::pty::wrapped(&world.command()));
    screen.expect("Your iCloud e-mail address");
    screen.type_line(alice.email);
    screen.expect("Your name");
    screen.type_line("");
    screen.expect("App-specific password");
    screen.type_line("wron-gwro-ngwr-ongg");
    screen.expect("What now?");
    screen.esc();
    screen.expect("exit-code=130");
    let (seen, _) = screen.finish();
    let final_screen = render(&as_utf8(&seen), 80);
    assert!(
        final_screen.contains("✗ Incoming mail (IMAP): login failed"),
        "the IMAP result line is gone:\n{final_screen}"
    );
    assert!(
        final_screen.contains("✗ Outgoing mail (SMTP): login failed"),
        "the SMTP result line is gone:\n{final_screen}"
    );
}

#[test]
fn a_saved_custom_domain_set_up_again_keeps_its_login_without_the_flag() {
    let s = setup_world();
    let email = EmailAddress::parse("me@example.org").unwrap();
    let login = EmailAddress::parse(EMAIL).unwrap();
    let servers = Servers {
        imap: s.imap.host_addr("localhost").parse().unwrap(),
        smtp: s.smtp.host_addr("localhost").parse().unwrap(),
    };
    let plan = AccountPlan::new(email, login, Some("Me".into()), servers);
    ConfigStore::new(s.world.config_path.clone())
        .update(|config| {
            config.upsert(plan.account("alice", "2026-01-01T00:00:00Z"));
            Ok::<(), Error>(())
        })
        .unwrap();
    let (result, _) = s.run(
        setup_flags("me@example.org", None),
        &mut ScriptedPrompter::non_interactive(),
        &stdin_line(TEST_PASSWORD),
    );
    result.unwrap();
    let config = s.world.config_text().unwrap();
    assert!(config.contains("login = \"alice@icloud.com\""), "{config}");
    assert!(config.contains("name = \"Me\""), "{config}");
}

#[test]
fn a_near_miss_given_as_a_flag_in_a_terminal_is_asked_about() {
    let s = setup_world();
    let mut prompter = ScriptedPrompter::new(vec![(
        "Did you mean alice@icloud.com?",
        Answer::Choose("Yes".into()),
    )]);
    let (result, _) = s.run(
        setup_flags("alice@icloud.comj", None),
        &mut prompter,
        &stdin_line(TEST_PASSWORD),
    );
    result.unwrap();
    prompter.assert_finished();
    assert!(
        s.world
            .config_text()
            .unwrap()
            .contains("email = \"alice@icloud.com\"")
    );
}

#[test]
fn editing_a_line_that_wraps_on_a_narrow_terminal_shows_what_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (_sandbox, command) = sandbox_command(dir.path());
    let mut screen = Screen::start(in_terminal_plain(
        &command,
        "rows 24 cols 40",
        "xterm",
        "C.UTF-8",
    ));
    screen.expect("Your iCloud e-mail address");
    // 29 columns of prompt and 33 of text: the line wraps once.
    screen.type_text("Xaveryveryverylongname@icloud.com");
    screen.type_text("\u{1b}[H\u{1b}[3~"); // Home, Delete: the X goes
    screen.type_text("\u{1b}[F\u{1b}[D\u{1b}[D\u{7f}"); // End, ← ←, Backspace: ".om"
    screen.type_text("c"); // in the middle: ".com" again
    screen.type_text("\u{1b}[1;5D"); // Ctrl-← (not handled): nothing happens
    std::thread::sleep(Duration::from_millis(300));
    screen.ctrl_c();
    screen.expect("exit-code=130");
    let (seen, _) = screen.finish();
    let shown = render(&as_utf8(&seen), 40);
    let joined: String = shown.lines().collect::<Vec<_>>().join("");
    assert!(
        joined.contains("Your iCloud e-mail address: averyveryverylongname@icloud.com"),
        "{shown}"
    );
    assert!(!joined.contains("Xavery"), "{shown}");
}

#[test]
fn the_real_keyring_is_searched_for_entries_no_account_lists() {
    let Some(world) = SaveWorld::start() else {
        return;
    };
    // Saved for this config by a run that was interrupted before the config was written.
    world.keyring.store_for_config(
        "orphan@icloud.com",
        "abcd-abcd-abcd-abcd",
        &world.sandbox.config_path,
    );
    let output = world
        .sandbox
        .command()
        .arg("status")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{out}");
    assert!(out.contains("orphan@icloud.com"), "{out}");
    let removed = world
        .sandbox
        .command()
        .args(["remove", "orphan@icloud.com", "--yes"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        removed.status.success(),
        "{}",
        String::from_utf8_lossy(&removed.stderr)
    );
    assert_eq!(world.keyring.lookup("orphan@icloud.com"), None);
}

#[test]
fn a_hand_edited_address_with_escapes_is_never_printed_raw() {
    let s = setup_world();
    s.save(EMAIL, None);
    s.save("bob@icloud.com", None);
    let text = s.world.config_text().unwrap().replace(
        "email = \"bob@icloud.com\"",
        "email = \"bob\\u001b[2J@icloud.com\"",
    );
    std::fs::write(&s.world.config_path, text).unwrap();
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(
        Some(Command::Check {
            email: None,
            send: icloud_setup::cli::SendTestArgs::default(),
            quiet: false,
            notify: false,
        }),
        &mut prompter,
        "",
    );
    let error = result.unwrap_err();
    let everything = format!(
        "{}\n{error}\n{}",
        prompter.log().join("\n"),
        error.hint().unwrap_or_default()
    );
    assert!(!everything.contains('\u{1b}'), "{everything:?}");
    assert!(everything.contains("bob\\e[2J@icloud.com"), "{everything}");
    let (result, _) = s.run(
        Some(Command::Password {
            email: None,
            reveal: false,
        }),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    let error = result.unwrap_err();
    assert!(!error.to_string().contains('\u{1b}'), "{error}");
}
