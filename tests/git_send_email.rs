//! `icloud-setup export git` and `icloud-setup git-credential` handed to the real git
//! (issue 22): the exported sections appended to a throwaway `$HOME/.gitconfig`, then
//! `git send-email` of a commit through Dovecot's submission service (STARTTLS, the test CA
//! trusted only through `smtpSSLCertPath`), relayed into Dovecot's LMTP so the patch really
//! arrives in the INBOX. git gets the password only from the helper, which it runs by the
//! absolute path in the file, with a PATH that does not lead to the binary under test.
//!
//! Also: `git credential fill` for another host gets nothing from the helper; `store` and
//! `erase` (git's approve and reject) change nothing; a rotation reaches git without
//! touching `.gitconfig`; a helper path with a space works through git's `!` form; git reads
//! back every `from` the export writes, for names from many scripts; the comment block in
//! German.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::binary::{ENGLISH, GERMAN, Sandbox, binary_path, files_containing, run_with_stdin};
use support::dovecot::{ALICE, Options, Relay};
use support::peer_world::PeerWorld;
use support::peers;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Submission relays into Dovecot's LMTP, delivering at once.
fn lmtp() -> Options {
    Options {
        relay: Relay::Lmtp(Duration::ZERO),
        ..Options::default()
    }
}

/// `icloud-setup setup` for ALICE with a name, the password piped in.
fn setup_alice(world: &PeerWorld) {
    let output = run_with_stdin(
        world.command().args([
            "setup",
            "--email",
            ALICE.email,
            "--name",
            "Alice Example",
            "--password-stdin",
        ]),
        &format!("{}\n", ALICE.password),
    );
    assert!(
        output.status.success(),
        "setup: {}\n{}",
        text(&output.stderr),
        world.dovecot.log()
    );
}

/// `icloud-setup export git` run as `program` (the binary under test unless given), with
/// the world's `--config` and `--ca-file`: its standard output, which holds no secret.
fn export_git(world: &PeerWorld, program: Option<&Path>) -> String {
    let mut command = world.command();
    if let Some(program) = program {
        let args: Vec<_> = command.get_args().map(ToOwned::to_owned).collect();
        let envs: Vec<_> = command
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
            .collect();
        command = Command::new(program);
        command.env_clear().envs(envs).args(args);
    }
    let output = command
        .args(["export", "git"])
        .stdin(Stdio::null())
        .output()
        .expect("run icloud-setup export git");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let exported = text(&output.stdout);
    assert!(!exported.contains(ALICE.password), "{exported}");
    exported
}

/// The world's HOME, where git finds `.gitconfig`.
fn home(world: &PeerWorld) -> PathBuf {
    PathBuf::from(world.keyring.env("HOME"))
}

/// `git ARGS` as a person's git runs: the world's HOME (and so its `.gitconfig`) and
/// keyring, no system config, never a prompt, and a PATH of the system directories only,
/// so the helper runs because the file names it by its absolute path.
fn git(world: &PeerWorld, program: &Path, dir: &Path) -> Command {
    let binary = std::fs::canonicalize(binary_path()).expect("the binary exists");
    let path = "/usr/local/bin:/usr/bin:/bin";
    assert!(
        !std::env::split_paths(path).any(|d| Some(d.as_path()) == binary.parent()),
        "the binary under test is on git's PATH"
    );
    let mut command = Command::new(program);
    command
        .env_clear()
        .env("PATH", path)
        .env("LANG", ENGLISH)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        // Who commits: git needs that to commit at all (and send-email asks for it), and it
        // is not the export's business; the person's identity, not in HOME.
        .env("GIT_AUTHOR_NAME", "Alice Example")
        .env("GIT_AUTHOR_EMAIL", ALICE.email)
        .env("GIT_COMMITTER_NAME", "Alice Example")
        .env("GIT_COMMITTER_EMAIL", ALICE.email)
        .current_dir(dir);
    world.keyring.apply(&mut command);
    command
}

/// Runs `command` with `input`, killed after a minute.
fn run(command: &mut Command, input: &str) -> Output {
    use std::io::{Read, Write};
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        // A program that does not read its input closes the pipe: not a failure here.
        let _ = stdin.write_all(input.as_bytes());
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        match child.try_wait().expect("wait for the command") {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{command:?} did not finish within a minute");
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// A repository in `dir` with two commits, the second changing `file` to `content`.
fn repository(world: &PeerWorld, git_program: &Path, dir: &Path, subject: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let ok = |args: &[&str]| {
        let output = run(git(world, git_program, dir).args(args), "");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            text(&output.stderr)
        );
    };
    if !dir.join(".git").exists() {
        ok(&["init", "-q"]);
        std::fs::write(dir.join("file"), "first\n").unwrap();
        ok(&["add", "file"]);
        ok(&["commit", "-q", "-m", "first"]);
    }
    std::fs::write(dir.join("file"), format!("{subject}\n")).unwrap();
    ok(&["commit", "-q", "-a", "-m", subject]);
}

/// git, when its send-email can speak STARTTLS and AUTH (git-email, and the Perl modules
/// it only recommends); else the skip policy.
fn send_email_program() -> Option<PathBuf> {
    let git = peers::require_program("git", "sends patches with git send-email")?;
    let exec_path = Command::new(&git).arg("--exec-path").output().ok()?;
    let send_email = Path::new(text(&exec_path.stdout).trim()).join("git-send-email");
    let modules = Command::new("perl")
        .args(["-MIO::Socket::SSL", "-MAuthen::SASL", "-e", "1"])
        .output()
        .is_ok_and(|o| o.status.success());
    if send_email.exists() && modules {
        Some(git)
    } else {
        peers::missing("git-email", "sends patches with STARTTLS and AUTH")
    }
}

/// `git send-email` of the last commit to ALICE herself.
fn send_email(world: &PeerWorld, git_program: &Path, dir: &Path) -> Output {
    run(
        git(world, git_program, dir).args([
            "send-email",
            "--to",
            ALICE.email,
            "--confirm=never",
            "--suppress-cc=all",
            "--no-annotate",
            "-1",
        ]),
        "",
    )
}

/// Waits until a message holding `needle` is in ALICE's INBOX (Dovecot's Maildir); its text.
fn arrived(world: &PeerWorld, needle: &str) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    let inbox = world.dovecot.maildir(ALICE.email);
    loop {
        let found = ["new", "cur"]
            .iter()
            .flat_map(|sub| std::fs::read_dir(inbox.join(sub)).into_iter().flatten())
            .flatten()
            .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
            .find(|message| message.contains(needle));
        if found.is_some() || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every file under HOME that holds `secret`: the keyring's own files are encrypted.
fn holders(world: &PeerWorld, secret: &str) -> Vec<PathBuf> {
    files_containing(&home(world), secret)
}

#[test]
fn git_send_email_delivers_a_patch_with_the_exported_section_and_a_rotation_reaches_it() {
    let Some(git_program) = send_email_program() else {
        return;
    };
    let Some(world) = PeerWorld::start_with(&lmtp()) else {
        return;
    };
    setup_alice(&world);

    // A fresh HOME with nothing but `export git >> ~/.gitconfig`.
    let exported = export_git(&world, None);
    let gitconfig = home(&world).join(".gitconfig");
    assert!(!gitconfig.exists());
    std::fs::write(&gitconfig, &exported).unwrap();
    let ca = world.dovecot.ca_file().display().to_string();
    assert!(
        exported.contains(&format!("\tsmtpSSLCertPath = {ca}\n")),
        "--ca-file is git's trust: {exported}"
    );

    let repo = world.root().join("repo");
    repository(&world, &git_program, &repo, "Patch one over iCloud");
    let sent = send_email(&world, &git_program, &repo);
    assert!(
        sent.status.success(),
        "git send-email failed:\n{}\n{}\n{}",
        text(&sent.stdout),
        text(&sent.stderr),
        world.dovecot.log()
    );
    let message = arrived(&world, "Subject: [PATCH] Patch one over iCloud")
        .unwrap_or_else(|| panic!("the patch did not arrive:\n{}", world.dovecot.log()));
    assert!(
        message.contains("From: Alice Example <alice@icloud.com>"),
        "{message}"
    );
    assert!(message.contains("+Patch one over iCloud"), "{message}");
    // Signed in with the saved SMTP username, after STARTTLS ("TLS" in Dovecot's log).
    let log = world.dovecot.log();
    let login = log
        .lines()
        .rfind(|l| l.contains("submission-login: Info: Login: user=<alice@icloud.com>,"))
        .unwrap_or_else(|| panic!("no submission login:\n{log}"));
    assert!(login.contains(", TLS,"), "{login}");
    assert!(
        holders(&world, ALICE.password).is_empty(),
        "the password is in {:?}",
        holders(&world, ALICE.password)
    );

    // A new app-specific password: rotate, and git gets it without .gitconfig changing.
    let new_password = "newg-itpa-sswo-rdxy";
    world.dovecot.set_password(ALICE.email, new_password);
    let before = std::fs::read(&gitconfig).unwrap();
    let rotate = run_with_stdin(
        world.command().args(["rotate", "--password-stdin"]),
        &format!("{new_password}\n"),
    );
    assert!(rotate.status.success(), "{}", text(&rotate.stderr));
    repository(&world, &git_program, &repo, "Patch two after the rotation");
    let sent = send_email(&world, &git_program, &repo);
    assert!(
        sent.status.success(),
        "git send-email after the rotation:\n{}\n{}",
        text(&sent.stderr),
        world.dovecot.log()
    );
    assert!(
        arrived(&world, "Subject: [PATCH] Patch two after the rotation").is_some(),
        "{}",
        world.dovecot.log()
    );
    assert_eq!(std::fs::read(&gitconfig).unwrap(), before);
    for secret in [ALICE.password, new_password] {
        assert!(holders(&world, secret).is_empty(), "{secret} in a file");
    }
}

/// `git credential ACTION` with `input`, in `dir`.
fn credential(world: &PeerWorld, git_program: &Path, action: &str, input: &str) -> Output {
    run(
        git(world, git_program, world.root()).args(["credential", action]),
        input,
    )
}

#[test]
fn git_asks_the_helper_only_for_the_saved_smtp_server_and_keeps_nothing() {
    let Some(git_program) = peers::require_program("git", "asks the credential helper") else {
        return;
    };
    let Some(world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    let exported = export_git(&world, None);
    let helper = exported
        .lines()
        .rfind(|l| l.starts_with("\thelper = "))
        .and_then(|l| l.strip_prefix("\thelper = "))
        .expect("a helper line")
        .to_string();
    // The exported sections, and our helper (talking, with --verbose) as the only helper
    // for every other URL too: for github.com it must say nothing, and git, which may not
    // prompt, then has no password.
    let gitconfig = home(&world).join(".gitconfig");
    std::fs::write(
        &gitconfig,
        format!("{exported}\n[credential]\n\thelper = {helper} --verbose\n"),
    )
    .unwrap();
    let github = credential(
        &world,
        &git_program,
        "fill",
        "protocol=https\nhost=github.com\n\n",
    );
    assert!(!github.status.success(), "git got a credential for GitHub");
    assert_eq!(text(&github.stdout), "", "nothing for GitHub");
    let err = text(&github.stderr);
    assert!(
        err.contains("git-credential: nothing answered: git asked for https"),
        "the helper was asked and declined: {err}"
    );
    assert!(!err.contains(ALICE.password));

    // The saved server and port: git gets the username and password from the helper.
    let server = world.dovecot.submission_addr();
    let smtp = format!("protocol=smtp\nhost={server}\nusername={}\n\n", ALICE.email);
    let filled = credential(&world, &git_program, "fill", &smtp);
    assert!(filled.status.success(), "{}", text(&filled.stderr));
    let answer = text(&filled.stdout);
    assert!(
        answer.contains(&format!("\npassword={}\n", ALICE.password)),
        "{answer}"
    );
    // Another port of the same host: nothing.
    let port = world.dovecot.submission_port();
    let other_port = format!(
        "protocol=smtp\nhost={}:{}\nusername={}\n\n",
        server.rsplit_once(':').unwrap().0,
        port.wrapping_add(1),
        ALICE.email
    );
    let wrong = credential(&world, &git_program, "fill", &other_port);
    assert_eq!(text(&wrong.stdout), "", "{}", text(&wrong.stderr));

    // git's approve and reject (store, erase) change nothing, and say so with --verbose.
    let config_before = world.sandbox.config_text();
    let with_password = format!(
        "protocol=smtp\nhost={server}\nusername={}\npassword={}\n\n",
        ALICE.email, ALICE.password
    );
    let approve = credential(&world, &git_program, "approve", &with_password);
    assert!(approve.status.success(), "{}", text(&approve.stderr));
    assert!(
        text(&approve.stderr).contains("git-credential: store ignored"),
        "{}",
        text(&approve.stderr)
    );
    let reject = credential(&world, &git_program, "reject", &with_password);
    assert!(reject.status.success(), "{}", text(&reject.stderr));
    assert!(text(&reject.stderr).contains("git-credential: erase ignored"));
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(ALICE.password)
    );
    assert_eq!(world.sandbox.config_text(), config_before);
    assert!(holders(&world, ALICE.password).is_empty());
}

#[test]
fn a_helper_path_with_a_space_runs_through_gits_shell_form() {
    let Some(git_program) = peers::require_program("git", "asks the credential helper") else {
        return;
    };
    let Some(world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    // The binary installed where the shell would split its path.
    let spaced_dir = world.root().join("my bin");
    std::fs::create_dir_all(&spaced_dir).unwrap();
    let spaced = spaced_dir.join("icloud-setup");
    std::fs::copy(binary_path(), &spaced).unwrap();
    let exported = export_git(&world, Some(&spaced));
    let expected = format!(
        "\thelper = !'{}' git-credential --config ",
        spaced.display()
    );
    assert!(exported.contains(&expected), "{exported}");
    std::fs::write(home(&world).join(".gitconfig"), &exported).unwrap();
    let server = world.dovecot.submission_addr();
    let filled = credential(
        &world,
        &git_program,
        "fill",
        &format!("protocol=smtp\nhost={server}\n\n"),
    );
    assert!(filled.status.success(), "{}", text(&filled.stderr));
    assert!(
        text(&filled.stdout).contains(&format!(
            "username={}\npassword={}\n",
            ALICE.email, ALICE.password
        )),
        "{}",
        text(&filled.stdout)
    );
}

/// The export for the saved sample account, in `locale`, with the config in `dir`.
fn export_in(dir: &Path, locale: &str) -> String {
    let mut sandbox = Sandbox::without_keyring(dir);
    sandbox.set_locale(locale);
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
    let output = sandbox.command().args(["export", "git"]).output().unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn the_comment_block_is_german_in_a_german_locale_and_the_settings_are_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let german = export_in(dir.path(), GERMAN);
    let english = export_in(dir.path(), ENGLISH);
    let comments = |t: &str| -> String {
        t.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let settings = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(String::from)
            .collect()
    };
    let de = comments(&german);
    for words in [
        "git send-email-Konfiguration für johnappleseed@icloud.com",
        "Hängen Sie sie an ~/.gitconfig an:",
        "#   icloud-setup export git >> ~/.gitconfig",
        "Das Passwort steht nicht in dieser Datei",
        "tls ist gits Wort für STARTTLS",
        "Zuerst der leere Helper",
    ] {
        assert!(de.contains(words), "{words}:\n{german}");
    }
    assert!(!de.contains("The password"), "{german}");
    assert_eq!(settings(&german), settings(&english));
    assert!(
        comments(&english).contains("tls is git's word for STARTTLS"),
        "{english}"
    );
}

/// `git config -f` reads back every `from` the export writes, whatever the name.
mod from_round_trip {
    use super::*;

    use icloud_setup::config::{Account, Security, ServerSettings};
    use icloud_setup::export::quote::mailbox;
    use icloud_setup::export::{
        Client, ExportInput, IsyncChoice, IsyncSyntax, PasswordCommand, Program, Words, render,
    };
    use proptest::prelude::*;

    fn account(name: String) -> Account {
        let server = |host: &str, port, security, username: &str| ServerSettings {
            host: host.into(),
            port,
            security,
            username: username.into(),
            extra: toml::Table::new(),
        };
        Account {
            email: "alice@icloud.com".into(),
            login: "alice@icloud.com".into(),
            name: Some(name),
            verified_at: None,
            secret: None,
            pass_store_dir: None,
            gnupg_home: None,
            password_saved_at: None,
            folders: None,
            imap: server("imap.mail.me.com", 993, Security::Tls, "alice"),
            smtp: server(
                "smtp.mail.me.com",
                587,
                Security::Starttls,
                "alice@icloud.com",
            ),
            extra: toml::Table::new(),
        }
    }

    /// Names from many scripts, with git-config's specials and blanks among them.
    fn names() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("Zoë Ångström".to_string()),
            Just("李小龍".to_string()),
            Just("محمد".to_string()),
            Just("שלום".to_string()),
            Just("👩‍💻".to_string()),
            Just("e\u{301}".to_string()),
            Just("\u{200b}\u{200e}\u{202e}".to_string()),
            Just("#".to_string()),
            Just(";".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("<>@,".to_string()),
            "[a-zA-Z]{1,5}",
            "\\PC{1,3}",
        ];
        prop::collection::vec(pieces, 1..8).prop_map(|p| p.concat())
    }

    fn git_reads(file: &Path, key: &str) -> String {
        let output = Command::new(peers::find_program("git").expect("git"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .arg("config")
            .arg("-f")
            .arg(file)
            .args(["--null", "--get", key])
            .output()
            .expect("run git config");
        assert!(output.status.success(), "{}", text(&output.stderr));
        let value = String::from_utf8(output.stdout).expect("UTF-8");
        value
            .strip_suffix('\0')
            .expect("NUL-terminated")
            .to_string()
    }

    #[test]
    fn git_config_reads_back_the_from_the_export_wrote() {
        if peers::require_program("git", "reads the exported file").is_none() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gitconfig");
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 96,
            ..ProptestConfig::default()
        });
        runner
            .run(&names(), |name| {
                let account = account(name.clone());
                let program = Program::Absolute("/opt/a b/#x;\"/icloud-setup".into());
                let input = ExportInput {
                    account: &account,
                    password_command: PasswordCommand::new(
                        &program,
                        &account.email,
                        Some("/tmp/c;#\".toml"),
                    ),
                    ca_file: None,
                    isync: IsyncChoice::from_flag(IsyncSyntax::NEWEST),
                    words: Words(&icloud_setup::messages::export_note),
                };
                std::fs::write(&file, render(Client::Git, &input)).unwrap();
                prop_assert_eq!(
                    git_reads(&file, "sendemail.from"),
                    mailbox(Some(&name), &account.email)
                );
                prop_assert_eq!(
                    git_reads(&file, "credential.smtp://smtp.mail.me.com:587.helper"),
                    "!'/opt/a b/#x;\"/icloud-setup' git-credential --config '/tmp/c;#\".toml'"
                );
                Ok(())
            })
            .unwrap();
    }
}

/// `git-credential` in-process, against the in-memory keyring: the exact answer, and what it
/// does not do.
mod in_process {
    use icloud_setup::cli::Command;
    use icloud_setup::prompt::ScriptedPrompter;

    use crate::support::in_process::{Run, World};

    const SECRET: &str = "abcd-efgh-ijkl-mnop";

    fn world() -> World {
        World::with_saved_account("alice@icloud.com", "alice", SECRET)
    }

    fn helper(world: &World, operation: &str, stdin: &str, terminal: bool) -> Run {
        world
            .session()
            .stdin(stdin)
            .stdout_is_terminal(terminal)
            .run(
                Some(Command::GitCredential {
                    operation: operation.into(),
                }),
                // It never asks anything: a question would fail the run.
                &mut ScriptedPrompter::non_interactive(),
            )
    }

    const ASKED: &str = "protocol=smtp\nhost=smtp.mail.me.com:587\nusername=alice@icloud.com\n\n";

    #[test]
    fn get_answers_the_saved_smtp_username_and_password_and_nothing_else() {
        let world = world();
        let run = helper(&world, "get", ASKED, false);
        assert!(run.error.is_none(), "{run}");
        assert_eq!(
            run.stdout,
            format!("username=alice@icloud.com\npassword={SECRET}\n")
        );
        // Without a username, the one account behind the server is meant.
        let run = helper(
            &world,
            "get",
            "protocol=smtp\nhost=smtp.mail.me.com:587\n",
            false,
        );
        assert_eq!(
            run.stdout,
            format!("username=alice@icloud.com\npassword={SECRET}\n")
        );
        for other in [
            "protocol=https\nhost=github.com\n\n",
            "protocol=smtp\nhost=smtp.gmail.com:587\nusername=alice@icloud.com\n",
            "protocol=smtp\nhost=smtp.mail.me.com:587\nusername=bob@icloud.com\n",
            "",
        ] {
            let run = helper(&world, "get", other, false);
            assert!(run.error.is_none(), "{other:?}: {run}");
            assert_eq!(run.stdout, "", "{other:?}");
        }
    }

    #[test]
    fn an_endless_request_gets_no_answer_and_no_hang() {
        let world = world();
        let endless = ASKED.replace("\n\n", "\n") + &"path=x\n".repeat(200_000);
        let started = std::time::Instant::now();
        let run = helper(&world, "get", &endless, false);
        assert!(run.error.is_none(), "{run}");
        assert_eq!(run.stdout, "");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn a_terminal_never_gets_the_password() {
        let world = world();
        let run = helper(&world, "get", ASKED, true);
        assert!(run.error.is_none(), "{run}");
        assert_eq!(run.stdout, "");
        assert!(!run.said.contains(SECRET), "{run}");
    }

    #[test]
    fn store_erase_and_unknown_operations_change_nothing() {
        let offered = "zzzz-zzzz-zzzz-zzzz";
        for operation in ["store", "erase", "capability", "frobnicate"] {
            let world = world();
            let run = helper(
                &world,
                operation,
                &format!("{}password={offered}\n\n", ASKED.trim_end_matches('\n')),
                false,
            );
            assert!(run.error.is_none(), "{operation}: {run}");
            assert_eq!(run.stdout, "", "{operation}");
            world.assert_unchanged(&run, offered);
        }
    }
}
