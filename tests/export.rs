//! `icloud-setup export` handed to the real mail clients, against the real peers.
//!
//! Each test sets up ALICE through the binary (Dovecot checks the login, the private Secret
//! Service keeps the password), exports a client's configuration, and gives that file —
//! and nothing else — to the client: msmtp must deliver a message through Dovecot's
//! submission service to the sink behind it, mbsync must copy a message from Dovecot's INBOX
//! into a Maildir, NeoMutt must load the file without complaint and send in batch mode. The
//! clients get the password only by running the file's `icloud-setup password EMAIL`, and
//! trust the test CA only through the file's own trust setting (from `--ca-file`). aerc, run
//! in a private tmux, must list the INBOX. himalaya is not packaged by Debian: its format is
//! checked by the unit tests in `src/export/himalaya.rs`, and here that the binary prints it
//! as TOML without a secret.

use crate::support;

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::binary::{Sandbox, binary_path};
use support::dovecot::ALICE;
use support::peer_world::PeerWorld;
use support::peers;

/// How long one mail client may take against the local Dovecot (CI has two slow cores).
const CLIENT_TIMEOUT: Duration = Duration::from_secs(60);

/// Sets up ALICE through the binary, with flags only, as a script would.
pub fn setup_alice(world: &PeerWorld) {
    let mut child = world
        .command()
        .args(["setup", "--email", ALICE.email, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start icloud-setup setup");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(format!("{}\n", ALICE.password).as_bytes())
        .expect("write the password");
    let output = child.wait_with_output().expect("wait for icloud-setup");
    assert!(
        output.status.success(),
        "setup failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        world.dovecot.log()
    );
}

/// `icloud-setup export ARGS` through the binary (with the world's `--config` and
/// `--ca-file`); its standard output, which must hold no secret.
pub fn export(world: &PeerWorld, args: &[&str]) -> String {
    let output = world
        .command()
        .arg("export")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run icloud-setup export");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert!(
        output.status.success(),
        "export {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !stdout.contains(ALICE.password),
        "the secret leaked:\n{stdout}"
    );
    stdout
}

/// Writes `text` to `dir/name`, readable by its owner only, as a user would keep it.
pub fn write_private(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the exported file");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
        .expect("make the exported file private");
    path
}

/// `program` with the environment a mail client started by cron or a systemd unit has: the
/// private keyring's D-Bus and HOME, and a PATH that does NOT lead to the `icloud-setup`
/// under test (only the system directories), so the file's password command works only
/// because it names the binary by its absolute path.
pub fn client(world: &PeerWorld, program: &Path) -> Command {
    let path = client_path();
    let mut command = Command::new(program);
    command.env_clear();
    for name in ["LANG", "LC_ALL", "TERM"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command.env("PATH", path);
    world.keyring.apply(&mut command);
    command
}

/// The system directories, as cron gives them, without the directory of the binary under
/// test: the exported file must name it by its path.
fn client_path() -> String {
    let path = "/usr/local/bin:/usr/bin:/bin".to_string();
    let binary = std::fs::canonicalize(binary_path()).expect("the binary exists");
    let binary_dir = binary.parent().expect("the binary is in a directory");
    assert!(
        !std::env::split_paths(&path).any(|dir| dir == binary_dir),
        "{} is on the client's PATH",
        binary_dir.display()
    );
    path
}

/// The password command's program in `exported`: the absolute path of the binary under test.
fn assert_names_the_binary_by_path(exported: &str) {
    let binary = std::fs::canonicalize(binary_path()).expect("the binary exists");
    let binary = binary.to_str().expect("UTF-8 path");
    assert!(
        exported
            .lines()
            .filter(|l| !l.starts_with('#'))
            .any(|l| l.contains(&format!("{binary} password "))),
        "the password command names {binary}:\n{exported}"
    );
}

/// Runs `command` with `stdin`, killing it after [`CLIENT_TIMEOUT`].
pub fn run(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
    let readers = [
        child.stdout.take().map(|mut out| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = out.read_to_end(&mut bytes);
                bytes
            })
        }),
        child.stderr.take().map(|mut err| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = err.read_to_end(&mut bytes);
                bytes
            })
        }),
    ];
    {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // A client that does not read its input closes the pipe; that is not a failure here.
        let _ = pipe.write_all(stdin.as_bytes());
    }
    let deadline = Instant::now() + CLIENT_TIMEOUT;
    let status = loop {
        match child.try_wait().expect("wait for the client") {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{command:?} did not finish within {CLIENT_TIMEOUT:?}");
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let [stdout, stderr] = readers.map(|reader| {
        reader
            .map(|r| r.join().expect("reader thread"))
            .unwrap_or_default()
    });
    Output {
        status,
        stdout,
        stderr,
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The commands the exported file's comment block tells the user to type.
pub fn commands_in_comments(exported: &str) -> Vec<String> {
    exported
        .lines()
        .filter_map(|line| line.strip_prefix("#   "))
        .map(str::to_string)
        .collect()
}

/// Waits until the sink behind Dovecot's submission service has a message containing
/// `needle`.
fn wait_for_relayed(world: &PeerWorld, needle: &str) -> Option<support::smtp_sink::Received> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = world
            .dovecot
            .sink()
            .received()
            .into_iter()
            .find(|m| m.data.contains(needle));
        if found.is_some() || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn msmtp_sends_through_dovecot_with_the_exported_file_alone() {
    let Some(msmtp) = peers::require_program("msmtp", "sends with the exported msmtp file") else {
        return;
    };
    let Some(world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    let exported = export(&world, &["msmtp"]);
    assert!(
        exported.contains(&format!(
            "tls_trust_file {}",
            world.dovecot.ca_file().display()
        )),
        "--ca-file becomes msmtp's trust file:\n{exported}"
    );
    assert_names_the_binary_by_path(&exported);
    let file = write_private(world.root(), "msmtprc", &exported);

    let message = "From: alice@icloud.com\r\nTo: bob@icloud.com\r\nSubject: via msmtp\r\n\r\n\
                   Sent by msmtp with the exported file.\r\n";
    let output = run(
        client(&world, &msmtp)
            .arg("-C")
            .arg(&file)
            .args(["-a", ALICE.email, "bob@icloud.com"]),
        message,
    );
    assert!(
        output.status.success(),
        "msmtp failed: {}\n{}",
        text(&output.stderr),
        world.dovecot.log()
    );
    let relayed = wait_for_relayed(&world, "Sent by msmtp with the exported file.")
        .unwrap_or_else(|| panic!("nothing reached the sink\n{}", world.dovecot.log()));
    assert_eq!(relayed.mail_from, ALICE.email);
    assert_eq!(relayed.rcpt_to, ["bob@icloud.com"]);
    // Dovecot counts loopback as secured and would take AUTH before STARTTLS; its log says
    // "TLS" only for a login after STARTTLS.
    let log = world.dovecot.log();
    let last_login = log
        .lines()
        .rfind(|l| l.contains("submission-login: Info: Login: user=<alice@icloud.com>,"))
        .unwrap_or_else(|| panic!("msmtp signed in as the saved SMTP username:\n{log}"));
    assert!(last_login.contains(", TLS,"), "{last_login}");
}

#[test]
fn mbsync_copies_the_inbox_into_the_maildir_the_comment_says_to_make() {
    let Some(mbsync) = peers::require_program("mbsync", "syncs with the exported mbsync file")
    else {
        return;
    };
    let Some(world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    world.dovecot.deliver(
        ALICE.email,
        "From: bob@icloud.com\nTo: alice@icloud.com\nSubject: for mbsync\n\
         Message-ID: <mbsync-export-test@icloud-setup.test>\n\nSynced by mbsync.\n",
    );

    // No --isync: the binary asks the installed mbsync which syntax it reads.
    let exported = export(&world, &["mbsync"]);
    let version = text(
        &Command::new(&mbsync)
            .arg("--version")
            .output()
            .expect("mbsync --version")
            .stdout,
    );
    let keyword = if version.contains("isync 1.4") {
        "SSLType IMAPS"
    } else {
        "TLSType IMAPS"
    };
    assert!(exported.contains(keyword), "{version}:\n{exported}");
    assert!(exported.contains("\nPipelineDepth 1\n"), "{exported}");
    assert_names_the_binary_by_path(&exported);
    let file = write_private(world.root(), "mbsyncrc", &exported);

    // Do what the comment block says: make the Maildir, then sync the channel.
    let commands = commands_in_comments(&exported);
    let mkdir = commands
        .iter()
        .find(|c| c.starts_with("mkdir -p "))
        .unwrap_or_else(|| panic!("no mkdir in the comment:\n{exported}"));
    // Without it mbsync stops: "Maildir error: cannot open store".
    let made = run(client(&world, Path::new("/bin/sh")).args(["-c", mkdir]), "");
    assert!(made.status.success(), "{mkdir}: {}", text(&made.stderr));
    let sync = commands
        .iter()
        .find(|c| c.starts_with("mbsync "))
        .unwrap_or_else(|| panic!("no mbsync command in the comment:\n{exported}"));
    let channel = sync.trim_start_matches("mbsync ");
    let output = run(
        client(&world, &mbsync).arg("-c").arg(&file).arg(channel),
        "",
    );
    assert!(
        output.status.success(),
        "mbsync failed:\n{}\n{}\n{}",
        text(&output.stdout),
        text(&output.stderr),
        world.dovecot.log()
    );

    assert!(
        !text(&output.stderr).to_lowercase().contains("warning"),
        "mbsync complained about the file:\n{}",
        text(&output.stderr)
    );
    let inbox = Path::new(world.keyring.env("HOME")).join("Mail/alice@icloud.com/INBOX");
    let arrived: Vec<PathBuf> = ["new", "cur"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(inbox.join(sub)).into_iter().flatten())
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| std::fs::read_to_string(path).is_ok_and(|m| m.contains("Synced by mbsync.")))
        .collect();
    assert_eq!(
        arrived.len(),
        1,
        "the message is in {} once:\n{}",
        inbox.display(),
        text(&output.stderr)
    );
}

#[test]
fn neomutt_loads_the_exported_file_and_sends_with_it() {
    let Some(neomutt) = peers::require_program("neomutt", "loads the exported NeoMutt file") else {
        return;
    };
    let Some(world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    let exported = export(&world, &["neomutt"]);
    let file = write_private(world.root(), "neomuttrc", &exported);

    let imap_logins = || {
        world
            .dovecot
            .log()
            .matches("imap-login: Info: Login: user=<alice>,")
            .count()
    };
    let logins_before = imap_logins();
    let query = run(
        client(&world, &neomutt)
            .arg("-n")
            .arg("-F")
            .arg(&file)
            .args(["-Q", "imap_user"]),
        "",
    );
    assert!(query.status.success(), "{}", text(&query.stderr));
    assert_eq!(
        text(&query.stdout).lines().last(),
        Some("set imap_user = \"alice\""),
        "{}",
        text(&query.stdout)
    );
    assert_eq!(text(&query.stderr), "", "NeoMutt complained about the file");
    // Loading the file already signs in to check the `mailboxes` (NeoMutt 20220429 prints
    // "Authenticating (LOGIN)..."), with the saved username and the password command.
    assert!(
        imap_logins() > logins_before,
        "NeoMutt signed in to IMAP:\n{}",
        world.dovecot.log()
    );

    // Batch mode: NeoMutt reads the file, runs the password command and sends over SMTP
    // with STARTTLS, trusting the test CA through certificate_file.
    let output = run(
        client(&world, &neomutt)
            .arg("-n")
            .arg("-F")
            .arg(&file)
            .args(["-s", "via neomutt", "--", "bob@icloud.com"]),
        "Sent by NeoMutt with the exported file.\n",
    );
    assert!(
        output.status.success(),
        "neomutt failed:\n{}\n{}\n{}",
        text(&output.stdout),
        text(&output.stderr),
        world.dovecot.log()
    );
    let relayed = wait_for_relayed(&world, "Sent by NeoMutt with the exported file.")
        .unwrap_or_else(|| panic!("nothing reached the sink\n{}", world.dovecot.log()));
    assert_eq!(relayed.mail_from, ALICE.email);
    assert!(
        relayed.data.contains("Subject: via neomutt"),
        "{}",
        relayed.data
    );
}

/// A tmux server of the test's own (its own socket), for a client that needs a terminal.
/// Dropping it stops that server.
struct Tmux {
    program: PathBuf,
    socket: PathBuf,
}

impl Tmux {
    /// Starts `shell_line` in a detached 160x40 session; the session's programs get the
    /// environment of `command` (the tmux program, set up like a mail client).
    fn start(mut command: Command, socket: PathBuf, shell_line: &str) -> Tmux {
        let program = PathBuf::from(command.get_program());
        let output = run(
            command.arg("-S").arg(&socket).args([
                "new-session",
                "-d",
                "-x",
                "160",
                "-y",
                "40",
                shell_line,
            ]),
            "",
        );
        assert!(output.status.success(), "tmux: {}", text(&output.stderr));
        Tmux { program, socket }
    }

    fn screen(&self) -> String {
        let output = Command::new(&self.program)
            .arg("-S")
            .arg(&self.socket)
            .args(["capture-pane", "-p"])
            .output()
            .expect("tmux capture-pane");
        text(&output.stdout)
    }

    /// Polls the screen until it shows `needle`; the last screen either way.
    fn wait_for(&self, needle: &str) -> (bool, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if screen.contains(needle) || Instant::now() > deadline {
                return (screen.contains(needle), screen);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new(&self.program)
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

#[test]
fn aerc_shows_the_inbox_with_the_exported_file() {
    let Some(aerc) = peers::require_program("aerc", "reads with the exported aerc file") else {
        return;
    };
    let Some(tmux) = peers::require_program("tmux", "gives aerc a terminal") else {
        return;
    };
    let Some(world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    world.dovecot.deliver(
        ALICE.email,
        "From: bob@icloud.com\nTo: alice@icloud.com\nSubject: read by aerc\n\nHello.\n",
    );
    let exported = export(&world, &["aerc"]);

    // Where the comment block says, readable by the owner only, as aerc insists.
    let config_dir = Path::new(world.keyring.env("HOME")).join(".config/aerc");
    std::fs::create_dir_all(&config_dir).expect("create aerc's config directory");
    write_private(&config_dir, "accounts.conf", &exported);
    // aerc has no CA setting of its own: start it the way the comment block says.
    let start = commands_in_comments(&exported)
        .into_iter()
        .find(|c| c.starts_with("SSL_CERT_FILE="))
        .unwrap_or_else(|| panic!("no SSL_CERT_FILE line for --ca-file:\n{exported}"));
    let start = start.replacen(" aerc", &format!(" {}", aerc.display()), 1);

    let session = Tmux::start(client(&world, &tmux), world.root().join("tmux"), &start);
    let (shown, screen) = session.wait_for("read by aerc");
    assert!(
        shown,
        "aerc did not list the message:\n{screen}\n{}",
        world.dovecot.log()
    );
    assert!(screen.contains("Connected"), "{screen}");
}

#[test]
fn aerc_and_himalaya_files_are_printed_without_the_secret() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    let aerc = export(&world, &["aerc", ALICE.email]);
    assert!(
        aerc.contains("\nsource = imaps://alice@localhost:"),
        "{aerc}"
    );
    let himalaya = export(&world, &["himalaya"]);
    let parsed: toml::Table = toml::from_str(&himalaya).expect("himalaya's file is TOML");
    assert!(parsed["accounts"].get(ALICE.email).is_some(), "{himalaya}");
    // The config is not at its default place, so the password command names it.
    let config = world.sandbox.config_path.display().to_string();
    for exported in [&aerc, &himalaya] {
        assert!(
            exported.contains(&config),
            "--config {config} missing:\n{exported}"
        );
    }
}

#[test]
fn the_password_command_names_no_config_when_it_is_at_the_default_place() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::without_keyring(dir.path());
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
    // The default place is $XDG_CONFIG_HOME/icloud-setup/config.toml: put the file there and
    // run without --config.
    let envs = support::secret_service::no_keyring_envs(dir.path());
    let xdg_config = &envs.iter().find(|(k, _)| k == "XDG_CONFIG_HOME").unwrap().1;
    let default = Path::new(xdg_config).join("icloud-setup/config.toml");
    std::fs::create_dir_all(default.parent().unwrap()).unwrap();
    std::fs::write(&default, support::SAVED_CONFIG).unwrap();
    let output = Command::new(binary_path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(envs.iter().map(|(k, v)| (k, v)))
        .args(["export", "msmtp"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let exported = text(&output.stdout);
    let binary = std::fs::canonicalize(binary_path()).unwrap();
    assert!(
        exported.contains(&format!(
            "\npasswordeval {} password johnappleseed@icloud.com\n",
            binary.display()
        )),
        "{exported}"
    );

    // With --config the same file is named, so the client reads the right one.
    let named = sandbox
        .command()
        .args(["export", "msmtp"])
        .output()
        .unwrap();
    assert!(
        text(&named.stdout).contains(&format!("--config {}", sandbox.config_path.display())),
        "{}",
        text(&named.stdout)
    );
}

#[test]
fn export_without_a_saved_account_exits_67_and_an_unknown_client_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::without_keyring(dir.path());
    let none = sandbox
        .command()
        .args(["export", "msmtp"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(67), "{}", text(&none.stderr));
    assert!(text(&none.stdout).is_empty());
    let unknown = sandbox
        .command()
        .args(["export", "outlook"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("msmtp"),
        "{}",
        text(&unknown.stderr)
    );
}

/// `export` in-process: the EMAIL rules and the options it turns into file settings.
mod in_process {
    use icloud_setup::cli::{Command, ExportArgs};
    use icloud_setup::config::{ConfigError, ConfigStore};
    use icloud_setup::domain::EmailAddress;
    use icloud_setup::error::Error;
    use icloud_setup::export::{Client, IsyncSyntax};
    use icloud_setup::plan::{AccountPlan, Servers};
    use icloud_setup::prompt::{Answer, ScriptedPrompter};

    use crate::support::in_process::World;

    /// Runs `export` in-process against a config holding `accounts`; the printed file.
    fn run_export(
        accounts: &[&str],
        args: ExportArgs,
        ca_file: Option<&str>,
        prompter: &mut ScriptedPrompter,
    ) -> Result<String, Error> {
        let world = World::new();
        ConfigStore::new(world.config_path.clone())
            .update(|config| {
                for email in accounts {
                    let address = EmailAddress::parse(email).unwrap();
                    let plan = AccountPlan::new(address.clone(), address, None, Servers::default());
                    config.upsert(plan.account("johnappleseed", "2026-11-27T13:45:00Z"));
                }
                Ok::<(), ConfigError>(())
            })
            .unwrap();
        let run = world
            .session()
            .ca_file(ca_file)
            .run(Some(Command::Export(args)), prompter);
        match run.error {
            Some(error) => Err(error),
            None => Ok(run.stdout),
        }
    }

    fn args(client: Client, email: Option<&str>, isync: Option<IsyncSyntax>) -> ExportArgs {
        ExportArgs {
            client,
            email: email.map(String::from),
            isync,
        }
    }

    #[test]
    fn several_accounts_follow_the_email_rules() {
        let two = ["a@icloud.com", "b@icloud.com"];
        let mut no_terminal = ScriptedPrompter::non_interactive();
        let ambiguous = run_export(
            &two,
            args(Client::Msmtp, None, None),
            None,
            &mut no_terminal,
        );
        assert_eq!(ambiguous.unwrap_err().exit_code(), 64);

        let mut chooser =
            ScriptedPrompter::new(vec![("Which account", Answer::Choose("b@".into()))]);
        let chosen = run_export(&two, args(Client::Msmtp, None, None), None, &mut chooser).unwrap();
        assert!(chosen.contains("\naccount b@icloud.com\n"), "{chosen}");

        let named = run_export(
            &two,
            args(Client::Msmtp, Some("A@iCloud.com"), None),
            None,
            &mut no_terminal,
        )
        .unwrap();
        assert!(named.contains("\naccount a@icloud.com\n"), "{named}");
    }

    #[test]
    fn the_isync_flag_wins_and_a_relative_ca_file_is_made_absolute() {
        let mut prompter = ScriptedPrompter::non_interactive();
        let text = run_export(
            &["a@icloud.com"],
            args(Client::Mbsync, None, Some(IsyncSyntax::V1_4)),
            Some("certs/ca.pem"),
            &mut prompter,
        )
        .unwrap();
        assert!(text.contains("\nSSLType IMAPS\n"), "{text}");
        assert!(text.contains("(--isync 1.4)"), "{text}");
        let expected = std::env::current_dir().unwrap().join("certs/ca.pem");
        let ca_line = text.lines().find(|l| l.starts_with("CertificateFile "));
        assert!(
            ca_line.is_some_and(|l| l.contains(&expected.display().to_string())),
            "{text}"
        );
    }
}
