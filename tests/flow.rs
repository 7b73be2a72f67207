//! Flow tests: the whole setup wizard in-process, with the scripted prompter, the in-memory
//! keyring, a temporary config file, and real TLS servers on loopback (scripted fakes, with
//! certificates made at test time). They assert the questions asked, in order, what ends up
//! saved, and that a failed run leaves everything as it was.

use crate::support;

use icloud_setup::cli::{Command, SetupArgs};
use icloud_setup::error::Error;
use icloud_setup::prompt::{Answer, ScriptedPrompter};
use icloud_setup::secrets::StoreProblem;
use support::fake_servers::{
    FakeSmtp, ImapLogin, ImapScript, SmtpAuth, SmtpMode, SmtpScript, TEST_PASSWORD,
};
use support::in_process::World;

fn setup(email: Option<&str>, password_stdin: bool) -> Command {
    Command::Setup(SetupArgs {
        email: email.map(str::to_string),
        password_stdin,
        ..SetupArgs::default()
    })
}

/// `setup --email alice@icloud.com --password-stdin`.
fn alice_with_flags() -> Command {
    setup(Some("alice@icloud.com"), true)
}

fn text(s: &str) -> Answer {
    Answer::Text(s.into())
}

#[test]
fn first_run_asks_in_order_and_saves_a_verified_profile() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", text("JohnAppleseed@iCloud.com")),
        ("Your name", text("John Appleseed")),
        (
            "App-specific password",
            Answer::Secret("qwer tyui opas dfgh".into()),
        ),
        // The send test is offered at the end; Enter alone declines it.
        ("Send a test message", Answer::Default),
    ]);

    world
        .run_against(&imap, &smtp, setup(None, false), &mut prompter, "")
        .expect("setup succeeds");
    prompter.assert_finished();

    assert_eq!(
        prompter.questions(),
        [
            "Your iCloud e-mail address",
            "Your name, as people who get your mail will see it (optional, Enter to skip)",
            "App-specific password",
            "Send a test message to yourself? (it is removed again once it arrives)"
        ]
    );
    assert_eq!(
        world.secret("johnappleseed@icloud.com").as_deref(),
        Some(TEST_PASSWORD)
    );
    let config = world.config_text().expect("config written");
    assert!(
        config.contains("email = \"johnappleseed@icloud.com\""),
        "{config}"
    );
    assert!(config.contains("username = \"johnappleseed\""), "{config}");
    assert!(config.contains("name = \"John Appleseed\""), "{config}");
    assert!(config.contains("verified_at = \"20"), "{config}");
    assert!(
        !config.contains(TEST_PASSWORD),
        "the secret must never be in the config"
    );
    // IMAP used LOGIN with the local part only; SMTP authenticated inside TLS, sent no mail.
    assert_eq!(imap.logins(), [("johnappleseed".to_string(), true)]);
    assert_eq!(
        smtp.auth_attempts(),
        [("johnappleseed@icloud.com".to_string(), true, true)]
    );
    assert!(
        !smtp
            .commands()
            .iter()
            .any(|(verb, _)| verb == "MAIL" || verb == "DATA")
    );
    // The verbose transcript masks the password.
    let log = prompter.log().join("\n");
    assert!(log.contains("LOGIN \"johnappleseed\" ********"), "{log}");
    assert!(!log.contains(TEST_PASSWORD), "{log}");
}

#[test]
fn imap_falls_back_to_the_full_address_on_a_new_connection() {
    let world = World::new();
    let imap = world.imap(ImapScript::default().login("alice", ImapLogin::AuthFailed));
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::non_interactive();

    world
        .run_against(
            &imap,
            &smtp,
            alice_with_flags(),
            &mut prompter,
            "qwer-tyui-opas-dfgh\n",
        )
        .expect("setup succeeds with the full address");

    assert_eq!(
        imap.logins(),
        [
            ("alice".to_string(), true),
            ("alice@icloud.com".to_string(), true)
        ]
    );
    assert_eq!(imap.connections(), 2, "each LOGIN needs its own connection");
    let config = world.config_text().expect("config written");
    assert!(config.contains("[accounts.imap]"), "{config}");
    let imap_section = config.split("[accounts.imap]").nth(1).unwrap();
    assert!(
        imap_section.contains("username = \"alice@icloud.com\""),
        "{config}"
    );
}

#[test]
fn a_wrong_password_tries_both_usernames_and_saves_nothing() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::non_interactive();

    let error = world
        .run_against(
            &imap,
            &smtp,
            alice_with_flags(),
            &mut prompter,
            "wron-gwro-ngwr-ongg\n",
        )
        .expect_err("a wrong password fails");

    assert_eq!(error.exit_code(), 77);
    assert_eq!(
        imap.logins(),
        [
            ("alice".to_string(), false),
            ("alice@icloud.com".to_string(), false)
        ]
    );
    let said = prompter.log().join("\n");
    assert!(
        said.contains("Usernames tried: alice, alice@icloud.com"),
        "{said}"
    );
    assert!(said.contains("app-specific password"), "{said}");
    assert_eq!(world.config_text(), None);
    assert_eq!(world.secrets.emails(), Vec::<String>::new());
}

#[test]
fn an_smtp_rejection_is_a_login_failure_and_saves_nothing() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s.other_logins(SmtpAuth::Invalid));
    let mut prompter = ScriptedPrompter::non_interactive();

    let error = world
        .run_against(
            &imap,
            &smtp,
            alice_with_flags(),
            &mut prompter,
            "qwer-tyui-opas-dfgh\n",
        )
        .expect_err("SMTP refuses");

    assert_eq!(error.exit_code(), 77);
    let said = prompter.log().join("\n");
    assert!(
        said.contains("535"),
        "the server's own words are shown: {said}"
    );
    assert_eq!(world.config_text(), None);
    assert!(world.secrets.emails().is_empty());
}

#[test]
fn no_auth_is_sent_when_starttls_is_not_offered() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    // AUTH is advertised in the clear, to catch a client that would use it.
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::NoStarttls).auth_before_tls(true));
    let mut prompter = ScriptedPrompter::non_interactive();

    let error = world
        .run_against(
            &imap,
            &smtp,
            alice_with_flags(),
            &mut prompter,
            "qwer-tyui-opas-dfgh\n",
        )
        .expect_err("no STARTTLS, no login");

    assert_eq!(error.exit_code(), 76);
    assert!(
        smtp.auth_attempts().is_empty(),
        "AUTH was sent: {:?}",
        smtp.commands()
    );
    assert!(!smtp.commands().iter().any(|(verb, _)| verb == "AUTH"));
    let said = prompter.log().join("\n");
    assert!(said.contains("STARTTLS"), "{said}");
    assert!(said.contains("NOT sent"), "{said}");
    assert_eq!(world.config_text(), None);
}

#[test]
fn a_custom_domain_asks_for_the_icloud_login() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", text("john@example.org")),
        ("signing in", text("john@gmail.com")),
        ("signing in", text("johnappleseed@me.com")),
        ("Your name", text("")),
        (
            "App-specific password",
            Answer::Secret("qwertyuiopasdfgh".into()),
        ),
        ("Send a test message", Answer::Default),
    ]);

    world
        .run_against(&imap, &smtp, setup(None, false), &mut prompter, "")
        .expect("setup succeeds");
    prompter.assert_finished();

    let log = prompter.log().join("\n");
    assert!(log.contains("Custom domains (iCloud+)"), "{log}");
    assert!(
        log.contains("john@gmail.com is not an iCloud address"),
        "{log}"
    );
    assert_eq!(imap.logins()[0].0, "johnappleseed");
    assert_eq!(smtp.auth_attempts()[0].0, "johnappleseed@me.com");
    let config = world.config_text().unwrap();
    assert!(config.contains("email = \"john@example.org\""), "{config}");
    assert!(
        config.contains("login = \"johnappleseed@me.com\""),
        "{config}"
    );
    assert!(
        !config.contains("\nname ="),
        "an empty name is not saved: {config}"
    );
    assert!(world.secret("john@example.org").is_some());
}

#[test]
fn an_unusual_password_is_questioned_and_can_be_reentered() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::new(vec![
        ("App-specific password", Answer::Secret(String::new())),
        (
            "App-specific password",
            Answer::Secret("MyAppleIdPassword1".into()),
        ),
        ("What now?", Answer::Choose("again".into())),
        (
            "App-specific password",
            Answer::Secret("qwer-tyui-opas-dfgh".into()),
        ),
        ("Send a test message", Answer::Default),
    ]);

    world
        .run_against(
            &imap,
            &smtp,
            Command::Setup(SetupArgs {
                email: Some("alice@icloud.com".into()),
                ..SetupArgs::default()
            }),
            &mut prompter,
            "",
        )
        .expect("setup succeeds");
    prompter.assert_finished();
    let log = prompter.log().join("\n");
    assert!(log.contains("Nothing was typed"), "{log}");
    assert!(log.contains("probably your Apple ID password"), "{log}");
    assert_eq!(
        imap.logins().len(),
        1,
        "only the good password reached the server"
    );
}

#[test]
fn after_a_failure_the_password_can_be_reentered() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::new(vec![
        (
            "App-specific password",
            Answer::Secret("wron-gwro-ngwr-ongg".into()),
        ),
        (
            "What now?",
            Answer::Choose("Type the password again".into()),
        ),
        (
            "App-specific password",
            Answer::Secret("qwer-tyui-opas-dfgh".into()),
        ),
        ("Send a test message", Answer::Default),
    ]);

    world
        .run_against(
            &imap,
            &smtp,
            Command::Setup(SetupArgs {
                email: Some("alice@icloud.com".into()),
                ..SetupArgs::default()
            }),
            &mut prompter,
            "",
        )
        .expect("the second password works");
    prompter.assert_finished();
    assert_eq!(
        world.secret("alice@icloud.com").as_deref(),
        Some(TEST_PASSWORD)
    );
}

#[test]
fn quitting_after_a_failure_saves_nothing() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let mut prompter = ScriptedPrompter::new(vec![
        (
            "App-specific password",
            Answer::Secret("wron-gwro-ngwr-ongg".into()),
        ),
        ("What now?", Answer::Choose("Quit".into())),
    ]);

    let error = world
        .run_against(
            &imap,
            &smtp,
            Command::Setup(SetupArgs {
                email: Some("alice@icloud.com".into()),
                ..SetupArgs::default()
            }),
            &mut prompter,
            "",
        )
        .expect_err("quit");
    prompter.assert_finished();
    assert_eq!(error.exit_code(), 77);
    assert_eq!(world.config_text(), None);
    assert!(world.secrets.emails().is_empty());
}

#[test]
fn cancelling_at_the_password_saves_nothing() {
    let world = World::new();
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", text("alice@icloud.com")),
        ("Your name", text("")),
        ("App-specific password", Answer::Cancel),
    ]);
    let error = world
        .run(
            "localhost:1",
            "localhost:1",
            setup(None, false),
            &mut prompter,
            "",
        )
        .expect_err("cancelled");
    assert_eq!(error.exit_code(), 130);
    assert_eq!(world.config_text(), None);
}

#[test]
fn without_a_terminal_the_missing_flags_are_named_before_any_question() {
    let world = World::new();
    let mut prompter = ScriptedPrompter::non_interactive();
    let error = world
        .run(
            "localhost:1",
            "localhost:1",
            setup(Some("john@example.org"), true),
            &mut prompter,
            "qwer-tyui-opas-dfgh\n",
        )
        .expect_err("needs --login");
    assert_eq!(error.exit_code(), 64);
    assert!(error.to_string().contains("--login"), "{error}");
    assert!(prompter.questions().is_empty());
}

#[test]
fn a_keyring_that_is_not_there_stops_the_save_and_no_config_is_written() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    world
        .secrets
        .fail_with(Some(StoreProblem::Unavailable("no D-Bus session".into())));
    let mut prompter = ScriptedPrompter::non_interactive();
    let error = world
        .run_against(
            &imap,
            &smtp,
            alice_with_flags(),
            &mut prompter,
            "qwer-tyui-opas-dfgh\n",
        )
        .expect_err("no keyring");
    assert_eq!(error.exit_code(), 78);
    assert!(error.hint().unwrap().contains("never saved in a file"));
    assert_eq!(world.config_text(), None);
}

#[test]
fn an_unwritable_config_takes_the_new_secret_back_out() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    // A directory where the lock file beside the config must be created makes the save
    // fail while the config stays readable, so the run gets as far as the save. (Blocking
    // the config's directory itself fails the read at the start, before anything is
    // stored, and would not exercise the roll-back.)
    std::fs::create_dir_all(world.config_path.with_file_name(".config.toml.lock")).unwrap();
    let mut prompter = ScriptedPrompter::non_interactive();
    let error = world
        .run_against(
            &imap,
            &smtp,
            alice_with_flags(),
            &mut prompter,
            "qwer-tyui-opas-dfgh\n",
        )
        .expect_err("config cannot be written");
    assert_eq!(error.exit_code(), 74);
    assert!(matches!(error, Error::ConfigWrite { .. }), "{error:?}");
    assert_eq!(imap.logins().len(), 1, "the live test ran before the save");
    assert!(
        world.secrets.emails().is_empty(),
        "the secret stored during this run is gone"
    );
}
