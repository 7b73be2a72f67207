//! Flow tests of the per-account secret store (issue 15), in-process: `setup --store pass`,
//! the offer of `pass` when no keyring is usable, and every later command using the store
//! the config names. Both stores are in-memory here (`World::secrets` is the keyring,
//! `World::pass` stands in for `pass`); `tests/pass_store.rs` runs the real `pass`.

use crate::support;

use icloud_setup::cli::{Command, SetupArgs, StoreChoice};
use icloud_setup::error::Error;
use icloud_setup::prompt::{Answer, ScriptedPrompter};
use icloud_setup::secrets::{PassProblem, SecretStore, StoreProblem};
use secrecy::ExposeSecret;
use support::fake_servers::{FakeImap, FakeSmtp, ImapScript, TEST_PASSWORD};
use support::in_process::World;

const EMAIL: &str = "alice@icloud.com";
const PASS_LINE: &str = "secret = \"pass:icloud-setup/alice@icloud.com\"";

fn setup(store: Option<StoreChoice>) -> Command {
    Command::Setup(SetupArgs {
        email: Some(EMAIL.into()),
        password_stdin: true,
        store,
        ..SetupArgs::default()
    })
}

fn servers(world: &World) -> (FakeImap, FakeSmtp) {
    (world.imap(ImapScript::default()), world.smtp(|s| s))
}

fn in_pass(world: &World) -> Option<String> {
    world
        .pass
        .read(EMAIL)
        .unwrap()
        .map(|s| s.expose_secret().to_string())
}

/// Runs `command` without a terminal; returns the result and standard output.
fn run(
    world: &World,
    imap: &FakeImap,
    smtp: &FakeSmtp,
    command: Command,
    stdin: &str,
) -> (Result<(), Error>, String) {
    world.run_command(
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
        Some(command),
        &mut ScriptedPrompter::non_interactive(),
        stdin,
        false,
    )
}

#[test]
fn setup_with_store_pass_keeps_the_secret_in_pass_and_every_command_follows_it() {
    let world = World::new();
    let (imap, smtp) = servers(&world);
    let stdin = format!("{TEST_PASSWORD}\n");
    let (result, _) = run(&world, &imap, &smtp, setup(Some(StoreChoice::Pass)), &stdin);
    result.expect("setup succeeds");

    assert_eq!(in_pass(&world).as_deref(), Some(TEST_PASSWORD));
    assert!(world.secrets.emails().is_empty(), "nothing in the keyring");
    let config = world.config_text().unwrap();
    assert!(config.contains(PASS_LINE), "{config}");
    assert!(!config.contains(TEST_PASSWORD));

    let password = Command::Password {
        email: None,
        reveal: false,
    };
    let (result, out) = run(&world, &imap, &smtp, password, "");
    result.expect("password reads pass");
    assert_eq!(out, format!("{TEST_PASSWORD}\n"));

    let status = Command::Status {
        email: None,
        json: true,
    };
    let (result, out) = run(&world, &imap, &smtp, status, "");
    result.expect("status");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let secret = &json["accounts"][0]["secret"];
    assert_eq!(secret["store"], "pass", "{out}");
    assert_eq!(secret["present"], true, "{out}");

    let check = Command::Check {
        email: None,
        send: icloud_setup::cli::SendTestArgs::default(),
        quiet: false,
        notify: false,
    };
    run(&world, &imap, &smtp, check, "")
        .0
        .expect("check reads pass");

    // A rotation writes pass again, and the account stays there.
    let rotate = Command::Rotate {
        email: None,
        password_stdin: true,
    };
    run(&world, &imap, &smtp, rotate, &stdin)
        .0
        .expect("rotate succeeds");
    assert!(world.config_text().unwrap().contains(PASS_LINE));
    assert!(
        world.secrets.emails().is_empty(),
        "still nothing in the keyring"
    );

    let remove = Command::Remove {
        email: EMAIL.into(),
        yes: true,
    };
    run(&world, &imap, &smtp, remove, "").0.expect("remove");
    assert_eq!(in_pass(&world), None);
}

#[test]
fn store_pass_that_is_not_usable_stops_before_the_live_test() {
    let world = World::new();
    let (imap, smtp) = servers(&world);
    world
        .pass
        .fail_with(Some(StoreProblem::Pass(PassProblem::NotInstalled)));
    let stdin = format!("{TEST_PASSWORD}\n");
    let (result, _) = run(&world, &imap, &smtp, setup(Some(StoreChoice::Pass)), &stdin);
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 78, "{error}");
    assert!(
        error.hint().unwrap().contains("apt install pass"),
        "{:?}",
        error.hint()
    );
    assert!(imap.logins().is_empty(), "no password was tried");
    assert!(world.config_text().is_none());
}

#[test]
fn without_a_keyring_a_terminal_is_offered_pass_instead_of_stopping() {
    let world = World::new();
    let (imap, smtp) = servers(&world);
    world
        .secrets
        .fail_with(Some(StoreProblem::Unavailable("no D-Bus".into())));
    let mut prompter = ScriptedPrompter::new(vec![
        // No keyring: where the password goes is asked before the password.
        (
            "Where should the password go?",
            Answer::Choose("pass".into()),
        ),
        (
            "App-specific password",
            Answer::Secret(TEST_PASSWORD.into()),
        ),
        // The send test is offered at the end; Enter alone declines it.
        ("Send a test message", Answer::Default),
    ]);
    let command = Command::Setup(SetupArgs {
        email: Some(EMAIL.into()),
        ..SetupArgs::default()
    });
    world
        .run_against(&imap, &smtp, command, &mut prompter, "")
        .expect("setup succeeds into pass");
    prompter.assert_finished();
    assert_eq!(in_pass(&world).as_deref(), Some(TEST_PASSWORD));
    assert!(world.config_text().unwrap().contains(PASS_LINE));
    assert!(
        prompter.log().join("\n").contains("keyring cannot be used"),
        "{:?}",
        prompter.log()
    );
}

#[test]
fn declining_pass_or_having_no_terminal_stops_with_the_keyring_error_and_saves_nothing() {
    let world = World::new();
    let (imap, smtp) = servers(&world);
    world
        .secrets
        .fail_with(Some(StoreProblem::Unavailable("no D-Bus".into())));
    let mut prompter = ScriptedPrompter::new(vec![
        // No keyring: where the password goes is asked before the password; declining
        // ends the run before any password is typed.
        (
            "Where should the password go?",
            Answer::Choose("stop".into()),
        ),
    ]);
    let command = Command::Setup(SetupArgs {
        email: Some(EMAIL.into()),
        ..SetupArgs::default()
    });
    let error = world
        .run_against(&imap, &smtp, command, &mut prompter, "")
        .unwrap_err();
    prompter.assert_finished();
    assert_eq!(error.exit_code(), 78);

    // No terminal: no question, the keyring's error as before.
    let stdin = format!("{TEST_PASSWORD}\n");
    let error = run(&world, &imap, &smtp, setup(None), &stdin)
        .0
        .unwrap_err();
    assert!(matches!(
        error,
        Error::Keyring {
            problem: StoreProblem::Unavailable(_)
        }
    ));
    // `--store keyring` was a choice: no offer either.
    // The keyring is asked before the password: no question at all.
    let mut silent = ScriptedPrompter::new(vec![]);
    let command = Command::Setup(SetupArgs {
        email: Some(EMAIL.into()),
        store: Some(StoreChoice::Keyring),
        ..SetupArgs::default()
    });
    let error = world
        .run_against(&imap, &smtp, command, &mut silent, "")
        .unwrap_err();
    silent.assert_finished();
    assert_eq!(error.exit_code(), 78);

    assert_eq!(in_pass(&world), None);
    assert!(world.config_text().is_none());
}

#[test]
fn moving_an_account_to_pass_deletes_the_keyring_copy() {
    let world = World::new();
    let (imap, smtp) = servers(&world);
    let stdin = format!("{TEST_PASSWORD}\n");
    run(&world, &imap, &smtp, setup(None), &stdin)
        .0
        .expect("setup into the keyring");
    assert_eq!(world.secret(EMAIL).as_deref(), Some(TEST_PASSWORD));
    assert!(!world.config_text().unwrap().contains("secret ="));

    run(&world, &imap, &smtp, setup(Some(StoreChoice::Pass)), &stdin)
        .0
        .expect("setup into pass");
    assert_eq!(in_pass(&world).as_deref(), Some(TEST_PASSWORD));
    assert_eq!(world.secret(EMAIL), None, "the keyring copy is gone");

    // A later setup without --store keeps the account where it is.
    run(&world, &imap, &smtp, setup(None), &stdin)
        .0
        .expect("setup again");
    assert!(world.config_text().unwrap().contains(PASS_LINE));
    assert_eq!(world.secret(EMAIL), None);
}

#[test]
fn a_secret_line_this_version_does_not_know_stops_with_78() {
    let world = World::new();
    let (imap, smtp) = servers(&world);
    let stdin = format!("{TEST_PASSWORD}\n");
    run(&world, &imap, &smtp, setup(None), &stdin).0.unwrap();
    let config = world
        .config_text()
        .unwrap()
        .replace("login = ", "secret = \"vault:somewhere\"\nlogin = ");
    std::fs::write(&world.config_path, config).unwrap();
    let password = Command::Password {
        email: None,
        reveal: false,
    };
    let (result, out) = run(&world, &imap, &smtp, password, "");
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 78);
    assert!(error.to_string().contains("vault:somewhere"), "{error}");
    assert!(out.is_empty());
}

/// Issue 18.8: a locked keyring (reads of a missing entry work, the save would not) is
/// found before the password is asked, and `pass` is offered as for a missing keyring.
#[test]
fn a_locked_keyring_is_offered_pass_before_the_password_as_a_missing_one_is() {
    let world = World::new();
    let (imap, smtp) = servers(&world);
    world
        .secrets
        .lock_with(Some(StoreProblem::Locked("prompt dismissed".into())));
    let mut prompter = ScriptedPrompter::new(vec![
        (
            "Where should the password go?",
            Answer::Choose("pass".into()),
        ),
        (
            "App-specific password",
            Answer::Secret(TEST_PASSWORD.into()),
        ),
        ("Send a test message", Answer::Default),
    ]);
    let command = Command::Setup(SetupArgs {
        email: Some(EMAIL.into()),
        ..SetupArgs::default()
    });
    world
        .run_against(&imap, &smtp, command, &mut prompter, "")
        .expect("setup succeeds into pass");
    prompter.assert_finished();
    assert_eq!(in_pass(&world).as_deref(), Some(TEST_PASSWORD));
    assert!(world.secrets.emails().is_empty());
}
