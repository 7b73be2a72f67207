//! What a person types or pastes (issues 18 and 19, branch `input`): names and passwords
//! of any script through the real binary, addresses pasted in the forms mail programs copy
//! them, the password pasted at the address question, and a `--password-stdin` flood —
//! each refused or taken before any connection is made.

use crate::support;

use std::fs::File;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use icloud_setup::cli::{Command, SetupArgs};
use icloud_setup::domain::AddressProblem;
use icloud_setup::error::Error;
use icloud_setup::language::{self, Language};
use icloud_setup::prompt::ScriptedPrompter;
use support::binary::{GERMAN, Sandbox, run_with_stdin};
use support::fake_servers::{FakeImap, FakeSmtp, ImapScript, SilentServer, TEST_PASSWORD};
use support::in_process::World;

/// A world with scripted servers that accept [`TEST_PASSWORD`].
fn world() -> (World, FakeImap, FakeSmtp) {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    (world, imap, smtp)
}

fn setup(email: &str, login: Option<&str>) -> Command {
    Command::Setup(SetupArgs {
        email: Some(email.into()),
        login: login.map(str::to_string),
        password_stdin: true,
        ..SetupArgs::default()
    })
}

fn run(
    world: &World,
    imap: &FakeImap,
    smtp: &FakeSmtp,
    command: Command,
    stdin: &str,
) -> Result<(), Error> {
    world
        .run_command(
            &imap.host_addr("localhost"),
            &smtp.host_addr("localhost"),
            Some(command),
            &mut ScriptedPrompter::non_interactive(),
            stdin,
            false,
        )
        .0
}

/// `icloud-setup setup …` in a sandbox without a keyring, both servers `silent` (which
/// counts the connections made to it).
fn binary_setup(dir: &std::path::Path, silent: &SilentServer, args: &[&str]) -> Process {
    let sandbox = Sandbox::without_keyring(dir);
    let mut command = sandbox.command();
    command
        .args(["--timeout", "5"])
        .args(["--imap-server", &silent.addr()])
        .args(["--smtp-server", &silent.addr()])
        .arg("setup")
        .args(args);
    command
}

// ---------------------------------------------------------------- issue 19: the crash

/// `echo kqzt-bnrw-hjcp-vxma | icloud-setup setup --email a@icloud.com --name "José
/// Hernández" --password-stdin` panicked (exit 101): the 16-byte name was sliced at byte 4.
#[test]
fn a_sixteen_byte_name_with_accents_does_not_crash_the_binary() {
    for name in ["José Hernández", "Jürgen Schäfer", "ab漢字かなcd"] {
        let dir = tempfile::tempdir().unwrap();
        let silent = SilentServer::start();
        let mut command = binary_setup(
            dir.path(),
            &silent,
            &[
                "--email",
                "a@icloud.com",
                "--name",
                name,
                "--password-stdin",
            ],
        );
        let output = run_with_stdin(&mut command, "kqzt-bnrw-hjcp-vxma\n");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_ne!(output.status.code(), Some(101), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        // Past the name and the password, on to the store: none here.
        assert_eq!(output.status.code(), Some(78), "{name}: {err}");
    }
}

#[test]
fn names_of_any_script_are_saved_as_typed() {
    for name in [
        "José Hernández",
        "Jürgen Schäfer",
        "محمد عبد الله",
        "王小明",
        "👩‍💻 Ada",
    ] {
        let (world, imap, smtp) = world();
        let mut command = setup("alice@icloud.com", None);
        if let Command::Setup(args) = &mut command {
            args.name = Some(name.into());
        }
        run(&world, &imap, &smtp, command, &format!("{TEST_PASSWORD}\n")).unwrap();
        let config = world.config_text().unwrap();
        assert!(config.contains(&format!("name = \"{name}\"")), "{config}");
    }
}

// ---------------------------------------------------------------- issue 18.7

/// The password pasted at the address question was printed back in the error.
#[test]
fn a_password_given_as_the_address_is_refused_and_never_shown() {
    let password = "wxyz-abcd-efgh-ijkl";
    for (locale, words) in [
        (
            support::binary::ENGLISH,
            "looks like the app-specific password",
        ),
        (GERMAN, "sieht wie das anwendungsspezifische Passwort aus"),
    ] {
        for typed in [password, "WXYZ ABCD EFGH IJKL", "wxyzabcdefghijkl"] {
            let dir = tempfile::tempdir().unwrap();
            let silent = SilentServer::start();
            let mut sandbox = Sandbox::without_keyring(dir.path());
            sandbox.set_locale(locale);
            let output = run_with_stdin(
                sandbox
                    .command()
                    .args(["--imap-server", &silent.addr()])
                    .args(["--smtp-server", &silent.addr()])
                    .args(["setup", "--email", typed, "--password-stdin"]),
                &format!("{password}\n"),
            );
            let err = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(65), "{typed}: {err}");
            assert!(err.contains(words), "{locale} {typed}: {err}");
            for group in ["wxyz", "abcd", "efgh", "ijkl"] {
                assert!(!err.to_lowercase().contains(group), "{typed}: {err}");
            }
            assert_eq!(silent.connections(), 0);
        }
    }
    // --login too.
    let (world, imap, smtp) = world();
    let error = run(
        &world,
        &imap,
        &smtp,
        setup("john@example.org", Some(password)),
        &format!("{TEST_PASSWORD}\n"),
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidAddress {
                problem: AddressProblem::LooksLikePassword
            }
        ),
        "{error:?}"
    );
    assert!(imap.logins().is_empty());
}

/// At the interactive question the problem said back names no part of the password.
#[test]
fn a_password_typed_at_the_address_question_is_asked_again_unshown() {
    use icloud_setup::prompt::Answer;
    let (world, imap, smtp) = world();
    let spaced = TEST_PASSWORD.replace('-', " ");
    let mut prompter = ScriptedPrompter::new(vec![
        ("e-mail address", Answer::Text(spaced.clone())),
        ("e-mail address", Answer::Text("alice@icloud.com".into())),
        ("Your name", Answer::Text(String::new())),
        (
            "App-specific password",
            Answer::Secret(TEST_PASSWORD.into()),
        ),
        ("Send a test message", Answer::Default),
    ]);
    let (result, _) = world.run_command(
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
        None,
        &mut prompter,
        "",
        false,
    );
    result.unwrap();
    prompter.assert_finished();
    let log = prompter.log();
    let typed = log
        .iter()
        .position(|line| *line == format!("> {spaced}"))
        .expect("the typed answer is in the log");
    let problem = &log[typed + 1];
    assert!(
        problem.contains("looks like the app-specific password"),
        "{problem}"
    );
    for group in TEST_PASSWORD.split('-') {
        assert!(!problem.contains(group), "{problem}");
    }
    let config = world.config_text().unwrap();
    assert!(!config.contains("qwer"), "{config}");
}

// ---------------------------------------------------------------- issue 18.14

/// `<addr>` was saved as the custom domain `icloud.com>`; `mailto:addr` was tried as the
/// username `mailto:…`. Each pasted form is the address; nothing with `<` or `>` is saved.
#[test]
fn pasted_address_forms_are_saved_as_the_address() {
    for pasted in [
        "<alice@icloud.com>",
        "Alice Example <alice@icloud.com>",
        "\"Example, Alice\" <Alice@iCloud.com>",
        "mailto:alice@icloud.com",
        "mailto:alice@icloud.com?subject=hi",
        "<mailto:alice@icloud.com>",
    ] {
        let (world, imap, smtp) = world();
        run(
            &world,
            &imap,
            &smtp,
            setup(pasted, None),
            &format!("{TEST_PASSWORD}\n"),
        )
        .unwrap_or_else(|e| panic!("{pasted}: {e}"));
        let config = world.config_text().unwrap();
        assert!(config.contains("email = \"alice@icloud.com\""), "{config}");
        assert!(!config.contains(['<', '>']), "{pasted}: {config}");
        assert!(!config.contains("mailto"), "{pasted}: {config}");
        let tried: Vec<String> = imap.logins().into_iter().map(|(user, _)| user).collect();
        assert_eq!(tried, ["alice"], "{pasted}");
    }
}

#[test]
fn half_bracketed_addresses_are_refused_before_any_connection() {
    for typed in [
        "alice@icloud.com>",
        "<alice@icloud.com",
        "Alice <alice@icloud.com",
    ] {
        let (world, imap, smtp) = world();
        let error = run(
            &world,
            &imap,
            &smtp,
            setup(typed, None),
            &format!("{TEST_PASSWORD}\n"),
        )
        .unwrap_err();
        assert_eq!(error.exit_code(), 65, "{typed}: {error}");
        assert!(world.config_text().is_none());
        assert!(imap.logins().is_empty(), "{typed}");
        assert!(smtp.auth_attempts().is_empty(), "{typed}");
    }
}

/// `john@bücher.de` went raw into the config, the SMTP username and `MAIL FROM`.
#[test]
fn an_internationalized_domain_is_saved_and_used_in_its_ascii_form() {
    let (world, imap, smtp) = world();
    run(
        &world,
        &imap,
        &smtp,
        setup("John@Bücher.de", Some("alice@icloud.com")),
        &format!("{TEST_PASSWORD}\n"),
    )
    .unwrap();
    let config = world.config_text().unwrap();
    assert!(
        config.contains("email = \"john@xn--bcher-kva.de\""),
        "{config}"
    );
    assert!(config.is_ascii(), "{config}");
    // The keyring entry is keyed by the same spelling.
    assert_eq!(
        world.secret("john@xn--bcher-kva.de").as_deref(),
        Some(TEST_PASSWORD)
    );
    // Named in its Unicode spelling, the account is found.
    let (result, stdout) = world.run_command(
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
        Some(Command::Export(icloud_setup::cli::ExportArgs {
            client: icloud_setup::export::Client::Msmtp,
            email: Some("john@bücher.de".into()),
            isync: None,
        })),
        &mut ScriptedPrompter::non_interactive(),
        "",
        false,
    );
    result.unwrap();
    assert!(stdout.contains("from john@xn--bcher-kva.de"), "{stdout}");
    assert!(!stdout.contains("bücher"), "{stdout}");
}

/// Printed commands hold a saved address as one shell word, even one edited by hand.
#[test]
fn printed_commands_quote_a_hand_edited_address_for_the_shell() {
    language::pin_for_this_thread(Language::English);
    let hint = icloud_setup::messages::hint_secret_missing("o'brien$(reboot)@example.org");
    assert!(
        hint.contains(r"`icloud-setup rotate 'o'\''brien$(reboot)@example.org'`"),
        "{hint}"
    );
    let hint = icloud_setup::messages::hint_secret_missing("a\\b@example.org");
    assert!(
        hint.contains(r"`icloud-setup rotate 'a\b@example.org'`"),
        "{hint}"
    );
    // Escapes still never reach the terminal.
    let hint = icloud_setup::messages::hint_secret_missing("a\u{1b}[2J@example.org");
    assert!(!hint.contains('\u{1b}'), "{hint}");
    let hint = icloud_setup::messages::hint_secret_missing("alice@icloud.com");
    assert!(
        hint.contains("`icloud-setup rotate alice@icloud.com`"),
        "{hint}"
    );
}

// ---------------------------------------------------------------- issue 18.10

/// `--password-stdin` read without a limit: 50 MB used 990 MB and were sent to both
/// servers. An endless stdin (`/dev/zero`) is refused with 65 at once, under a memory limit
/// the old unbounded read could not live within, and no server hears of it.
#[test]
fn an_endless_password_stdin_is_refused_before_any_connection() {
    for (locale, words) in [
        (support::binary::ENGLISH, "longer than 4 KiB"),
        (GERMAN, "länger als 4 KiB"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let silent = SilentServer::start();
        let mut sandbox = Sandbox::without_keyring(dir.path());
        sandbox.set_locale(locale);
        let inner = sandbox.command();
        // The same program and environment under `ulimit -v`: 1 GiB of address space.
        let mut command = Process::new("sh");
        command
            .arg("-c")
            .arg("ulimit -v 1048576 && exec \"$@\"")
            .arg("sh")
            .arg(inner.get_program())
            .args(inner.get_args())
            .args(["--imap-server", &silent.addr()])
            .args(["--smtp-server", &silent.addr()])
            .args(["setup", "--email", "alice@icloud.com", "--password-stdin"])
            .env_clear()
            .envs(
                inner
                    .get_envs()
                    .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
            )
            .stdin(File::open("/dev/zero").unwrap())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let output = command.output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(65), "{err}");
        assert!(err.contains(words), "{locale}: {err}");
        assert!(started.elapsed() < Duration::from_secs(10), "{err}");
        assert_eq!(silent.connections(), 0, "{err}");
    }
}

#[test]
fn rotate_refuses_a_password_stdin_past_the_limit_before_any_connection() {
    let world = World::with_saved_account("alice@icloud.com", "alice", TEST_PASSWORD);
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let flood = "abcd".repeat(16 * 1024);
    let error = run(
        &world,
        &imap,
        &smtp,
        Command::Rotate {
            email: None,
            password_stdin: true,
        },
        &flood,
    )
    .unwrap_err();
    assert!(
        matches!(error, Error::PasswordStdinTooLong { .. }),
        "{error:?}"
    );
    assert_eq!(error.exit_code(), 65);
    assert_eq!(imap.connections(), 0);
    assert_eq!(smtp.connections(), 0);
    assert_eq!(
        world.secret("alice@icloud.com").as_deref(),
        Some(TEST_PASSWORD)
    );
}

// ---------------------------------------------------------------- found by a property test

/// msmtp refuses its whole file for a line of 500 bytes or more; a long hand-edited
/// username made such a line, and `export msmtp` printed it. Now refused with 65 (en+de);
/// the clients that read any length still export it.
#[test]
fn an_msmtp_line_longer_than_msmtp_reads_is_refused() {
    let world = World::with_saved_account("alice@icloud.com", "alice", TEST_PASSWORD);
    let long = "ü".repeat(300);
    let text = world.config_text().unwrap().replace(
        "username = \"alice@icloud.com\"",
        &format!("username = \"{long}\""),
    );
    std::fs::write(&world.config_path, text).unwrap();
    let export = |client| {
        Command::Export(icloud_setup::cli::ExportArgs {
            client,
            email: None,
            isync: None,
        })
    };
    for (language, words) in [
        (Language::English, "reads lines of at most 499 bytes"),
        (Language::German, "liest Zeilen von höchstens 499 Byte"),
    ] {
        let run = world.session().language(language).run(
            Some(export(icloud_setup::export::Client::Msmtp)),
            &mut ScriptedPrompter::non_interactive(),
        );
        let error = run.error.expect("refused");
        assert!(
            matches!(error, Error::ExportLineTooLong { limit: 499, .. }),
            "{error:?}"
        );
        assert_eq!(error.exit_code(), 65);
        language::pin_for_this_thread(language);
        assert!(error.to_string().contains(words), "{error}");
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    let run = world.session().run(
        Some(export(icloud_setup::export::Client::Himalaya)),
        &mut ScriptedPrompter::non_interactive(),
    );
    assert!(run.error.is_none(), "{run}");
    assert!(run.stdout.contains(&long));
}
