//! Issue 23, "know before the mail stops": `check --quiet`, `check --notify`, `watch
//! on|off|status` and the password's age.
//!
//! - in-process (scripted servers, in-memory keyring): the quiet lines, exact, in English
//!   and German; the password's age in `status` and in the rotation's reminder; several
//!   accounts reported in their order;
//! - the binary against real peers (Dovecot, GNOME Keyring on a private bus) with the test
//!   notification service of `support::notifications` on the same bus: a revoked password
//!   notifies once, with the address and the fix; success, 75 and 69 do not; no service or a
//!   hung bus leave the exit code alone;
//! - the binary's `watch` with the real `systemctl` (no user manager answers here: 69, the
//!   units written and passing `systemd-analyze verify --user`), with a stand-in `systemctl`
//!   on PATH (a user manager that answers, or hangs), and with no systemd at all.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use icloud_setup::cli::{Command as Cli, SendTestArgs};
use icloud_setup::config::{ConfigError, ConfigStore};
use icloud_setup::domain::EmailAddress;
use icloud_setup::language::Language;
use icloud_setup::plan::{AccountPlan, Servers};
use icloud_setup::prompt::ScriptedPrompter;
use icloud_setup::secrets::SecretStore;
use secrecy::SecretString;
use support::binary::{GERMAN, Sandbox, run_with_stdin};
use support::delay_proxy::DelayProxy;
use support::dovecot::ALICE;
use support::fake_servers::{FakeImap, FakeSmtp, ImapScript, SilentServer};
use support::in_process::World;
use support::notifications::NotificationService;
use support::peer_world::PeerWorld;
use support::secret_service::{SecretService, SilentBus};

const OLD: &str = "oldd-oldd-oldd-oldd";
const NEW: &str = "neww-neww-neww-neww";

// ------------------------------------------------------------------ in-process

/// `emails` saved against servers that accept `server_password`, each with `OLD` in the
/// keyring, verified and saved at `saved_at`.
struct Saved {
    world: World,
    imap: FakeImap,
    smtp: FakeSmtp,
    imap_addr: String,
    smtp_addr: String,
}

fn saved(emails: &[&str], server_password: &str, saved_at: &str) -> Saved {
    let world = World::new();
    let imap = world.imap(ImapScript::default().password(server_password));
    let smtp = world.smtp(|s| s.password(server_password));
    let servers = Servers {
        imap: imap.host_addr("localhost").parse().unwrap(),
        smtp: smtp.host_addr("localhost").parse().unwrap(),
    };
    let store = ConfigStore::new(world.config_path.clone());
    for email in emails {
        let address = EmailAddress::parse(email).unwrap();
        let plan = AccountPlan::new(address.clone(), address.clone(), None, servers.clone());
        store
            .update(|config| {
                config.upsert(plan.account(address.local_part(), saved_at));
                Ok::<(), ConfigError>(())
            })
            .unwrap();
        world
            .secrets
            .write(email, &SecretString::from(OLD.to_string()))
            .unwrap();
    }
    let (imap_addr, smtp_addr) = (imap.host_addr("localhost"), smtp.host_addr("localhost"));
    Saved {
        world,
        imap,
        smtp,
        imap_addr,
        smtp_addr,
    }
}

impl Saved {
    fn run(
        &self,
        command: Cli,
        language: Language,
        stdin: &str,
    ) -> (Option<icloud_setup::error::Error>, String, String) {
        let mut prompter = ScriptedPrompter::non_interactive();
        let run = self
            .world
            .session()
            .servers(&self.imap_addr, &self.smtp_addr)
            .language(language)
            .stdin(stdin)
            .run(Some(command), &mut prompter);
        (run.error, prompter.log().join("\n"), run.stdout)
    }
}

fn check(quiet: bool) -> Cli {
    Cli::Check {
        email: None,
        send: SendTestArgs::default(),
        quiet,
        notify: false,
    }
}

/// An RFC 3339 time `days` days before now (and an hour, so the count is not on the edge).
fn days_ago(days: u64) -> String {
    let then = SystemTime::now() - Duration::from_secs(days * 86_400 + 3600);
    humantime::format_rfc3339_seconds(then).to_string()
}

#[test]
fn a_quiet_check_says_nothing_at_all_when_every_account_passes() {
    let s = saved(
        &["alice@icloud.com", "bob@icloud.com"],
        OLD,
        "2026-01-01T00:00:00Z",
    );
    let (error, said, stdout) = s.run(check(true), Language::English, "");
    assert!(error.is_none(), "{error:?}");
    assert_eq!(said, "");
    assert_eq!(stdout, "");
    // The passes are still recorded.
    assert!(
        !s.world
            .config_text()
            .unwrap()
            .contains("verified_at = \"2026-01-01")
    );
}

#[test]
fn a_quiet_check_names_each_refused_account_and_its_fix_in_two_lines() {
    let s = saved(&["alice@icloud.com"], NEW, "2026-01-01T00:00:00Z");
    let (error, said, stdout) = s.run(check(true), Language::English, "");
    let error = error.expect("the password is refused");
    assert_eq!(error.exit_code(), 77);
    // Nothing more is printed for the error itself.
    assert_eq!(error.to_string(), "");
    assert_eq!(error.hint(), None);
    assert_eq!(stdout, "");
    assert_eq!(
        said,
        "alice@icloud.com: iCloud refused the saved password (revoked, or the Apple ID password changed).\n  \
         Fix: make a new app-specific password at account.apple.com → Sign-In and Security → App-Specific Passwords, then run `icloud-setup rotate alice@icloud.com`"
    );
}

#[test]
fn a_quiet_check_in_german_says_the_same_in_german() {
    let s = saved(&["alice@icloud.com"], NEW, "2026-01-01T00:00:00Z");
    let (error, said, _) = s.run(check(true), Language::German, "");
    assert_eq!(error.unwrap().exit_code(), 77);
    assert_eq!(
        said,
        "alice@icloud.com: iCloud hat das gespeicherte Passwort abgelehnt (widerrufen, oder das Apple-ID-Passwort wurde geändert).\n  \
         Abhilfe: Erstellen Sie ein neues anwendungsspezifisches Passwort unter account.apple.com → „Anmeldung und Sicherheit“ → „App-spezifische Passwörter“ und führen Sie dann `icloud-setup rotate alice@icloud.com` aus"
    );
}

#[test]
fn a_quiet_check_of_several_accounts_reports_only_the_failing_ones_in_their_order() {
    let emails = [
        "a@icloud.com",
        "b@icloud.com",
        "c@icloud.com",
        "d@icloud.com",
    ];
    let s = saved(&emails, OLD, "2026-01-01T00:00:00Z");
    s.world.secrets.delete("b@icloud.com").unwrap();
    s.world
        .secrets
        .write("d@icloud.com", &SecretString::from(NEW.to_string()))
        .unwrap();
    let (error, said, _) = s.run(check(true), Language::English, "");
    // The worst decides: a refused password (77) over a missing one (78).
    assert_eq!(error.unwrap().exit_code(), 77);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 4, "{said}");
    assert_eq!(
        lines[0],
        "b@icloud.com: the password is missing from the keyring."
    );
    assert_eq!(lines[1], "  Fix: run `icloud-setup rotate b@icloud.com`");
    assert!(
        lines[2].starts_with("d@icloud.com: iCloud refused"),
        "{said}"
    );
}

#[test]
fn several_accounts_are_tested_side_by_side_and_reported_in_their_order() {
    let emails: Vec<String> = (0..7).map(|i| format!("user{i}@icloud.com")).collect();
    let refs: Vec<&str> = emails.iter().map(String::as_str).collect();
    let s = saved(&refs, OLD, "2026-01-01T00:00:00Z");
    s.world.secrets.delete("user2@icloud.com").unwrap();
    // The first account's servers are far away (150 ms each way), so it finishes last.
    let local = |port: u16| std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let far = Duration::from_millis(150);
    let far_imap = DelayProxy::start(local(s.imap.port()), far);
    let far_smtp = DelayProxy::start(local(s.smtp.port()), far);
    ConfigStore::new(s.world.config_path.clone())
        .update(|config| {
            config.accounts[0].imap.port = far_imap.port();
            config.accounts[0].smtp.port = far_smtp.port();
            Ok::<(), ConfigError>(())
        })
        .unwrap();

    let (error, said, _) = s.run(check(false), Language::English, "");
    assert_eq!(error.unwrap().exit_code(), 78, "{said}");
    // Side by side: the far account's login reached its server after the others'.
    let logins = s.imap.logins();
    assert_eq!(logins.len(), 6, "{logins:?}");
    assert_eq!(logins.last().unwrap().0, "user0", "{logins:?}");
    // Reported in the accounts' order all the same: each account's lines begin with its
    // "Checking" line, and its ✓/✗ lines come before the next account's.
    let positions: Vec<usize> = emails
        .iter()
        .map(|e| {
            said.find(&format!("Checking {e} "))
                .unwrap_or_else(|| panic!("{e}:\n{said}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{said}");
    let first = &said[positions[0]..positions[1]];
    assert!(first.contains("IMAP") && first.contains("SMTP"), "{first}");
    let summary = said.split("Summary:").nth(1).expect("a summary");
    let order: Vec<usize> = emails
        .iter()
        .map(|e| summary.find(e.as_str()).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{summary}");
    assert!(
        summary.contains("✗ user2@icloud.com: no saved password"),
        "{summary}"
    );
    assert_eq!(summary.matches('✓').count(), 6, "{summary}");
    // Every pass is recorded (in one rewrite).
    let config = s.world.config_text().unwrap();
    assert_eq!(
        config.matches("verified_at = \"2026-01-01").count(),
        1,
        "{config}"
    );
}

#[test]
fn status_shows_how_old_the_saved_password_is_in_english_and_german() {
    for (days, english, german) in [
        (94, "(94 days ago)", "(vor 94 Tagen)"),
        (1, "(1 day ago)", "(vor 1 Tag)"),
        (0, "(today)", "(heute)"),
    ] {
        let saved_at = days_ago(days);
        let s = saved(&["alice@icloud.com"], OLD, &saved_at);
        let day = &saved_at[..10];
        let status = Cli::Status {
            email: None,
            json: false,
        };
        let (error, _, out) = s.run(status, Language::English, "");
        assert!(error.is_none(), "{error:?}");
        assert!(
            out.contains(&format!("  Password saved:  {day} {english}\n")),
            "{out}"
        );
        let status = Cli::Status {
            email: None,
            json: false,
        };
        let (_, _, out) = s.run(status, Language::German, "");
        assert!(
            out.contains(&format!("  Passwort gespeichert: {day} {german}\n")),
            "{out}"
        );
        let json = Cli::Status {
            email: None,
            json: true,
        };
        let (_, _, out) = s.run(json, Language::English, "");
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            parsed["accounts"][0]["password_saved_at"],
            saved_at.as_str()
        );
        assert_eq!(parsed["accounts"][0]["password_age_days"], days);
    }
}

/// The config with `password_saved_at` taken out: a profile from before it was recorded.
fn forget_password_saved_at(world: &World) {
    let text = world.config_text().unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("password_saved_at"))
        .collect();
    std::fs::write(&world.config_path, kept.join("\n") + "\n").unwrap();
}

#[test]
fn a_profile_without_the_password_age_still_works_and_gets_one_at_the_next_rotation() {
    let s = saved(&["alice@icloud.com"], NEW, "2026-01-01T00:00:00Z");
    forget_password_saved_at(&s.world);
    let status = Cli::Status {
        email: None,
        json: true,
    };
    let (error, _, out) = s.run(status, Language::English, "");
    assert!(error.is_none(), "{error:?}");
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        parsed["accounts"][0]["password_saved_at"],
        serde_json::Value::Null
    );
    let status = Cli::Status {
        email: None,
        json: false,
    };
    let (_, _, out) = s.run(status, Language::English, "");
    assert!(!out.contains("Password saved"), "{out}");

    let rotate = Cli::Rotate {
        email: None,
        password_stdin: true,
    };
    let (error, said, _) = s.run(rotate, Language::English, &format!("{NEW}\n"));
    assert!(error.is_none(), "{error:?}\n{said}");
    assert!(!said.contains("The old password was saved"), "{said}");
    let config = s.world.config_text().unwrap();
    let today = &days_ago(0)[..10];
    assert!(
        config.contains(&format!("password_saved_at = \"{today}")),
        "{config}"
    );
}

#[test]
fn the_rotation_reminder_says_when_the_old_password_was_saved() {
    let saved_at = days_ago(94);
    let s = saved(&["alice@icloud.com"], NEW, &saved_at);
    let rotate = Cli::Rotate {
        email: None,
        password_stdin: true,
    };
    let (error, said, _) = s.run(rotate, Language::English, &format!("{NEW}\n"));
    assert!(error.is_none(), "{error:?}\n{said}");
    let day = &saved_at[..10];
    assert!(
        said.contains(&format!(
            "The old password was saved on {day} (94 days ago): in Apple's list, it is the one created that day."
        )),
        "{said}"
    );
    // The new one's date is recorded, the old one's gone.
    let config = s.world.config_text().unwrap();
    assert!(!config.contains(&saved_at), "{config}");

    let s = saved(&["alice@icloud.com"], NEW, &saved_at);
    let rotate = Cli::Rotate {
        email: None,
        password_stdin: true,
    };
    let (_, said, _) = s.run(rotate, Language::German, &format!("{NEW}\n"));
    assert!(
        said.contains(&format!(
            "Das alte Passwort wurde am {day} gespeichert (vor 94 Tagen)"
        )),
        "{said}"
    );
}

// ------------------------------------------------------------------ --notify, real peers

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn setup_alice(world: &PeerWorld) {
    let output = run_with_stdin(
        world
            .command()
            .args(["setup", "--email", ALICE.email, "--password-stdin"]),
        &format!("{}\n", ALICE.password),
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

fn quiet_notify(world: &PeerWorld) -> Output {
    run_with_stdin(world.command().args(["check", "--quiet", "--notify"]), "")
}

#[test]
fn a_revoked_password_brings_one_notification_naming_the_account_and_the_fix() {
    let Some(mut world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    let service = NotificationService::start(world.keyring.env("DBUS_SESSION_BUS_ADDRESS"));

    // All well: not a word, not a notification.
    let output = quiet_notify(&world);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert!(output.stdout.is_empty());
    assert_eq!(service.received(), []);

    // The password is revoked (the server's changes): 77, two lines, one notification.
    world
        .dovecot
        .set_password(ALICE.email, "revo-kedr-evok-edre");
    let output = quiet_notify(&world);
    assert_eq!(output.status.code(), Some(77), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "{email}: iCloud refused the saved password (revoked, or the Apple ID password changed).\n  \
             Fix: make a new app-specific password at account.apple.com → Sign-In and Security → App-Specific Passwords, then run `icloud-setup rotate {email}`\n",
            email = ALICE.email
        )
    );
    let received = service.wait_for(1);
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].app_name, "icloud-setup");
    assert_eq!(
        received[0].summary,
        "iCloud Mail stopped accepting your password"
    );
    assert_eq!(
        received[0].body,
        format!(
            "Mail for {email} can no longer be fetched or sent. Make a new app-specific password at account.apple.com, then run: icloud-setup rotate {email}",
            email = ALICE.email
        )
    );
    assert_eq!(received[0].urgency, Some(2));
    // A new notification (replaces none), the server's default time, no buttons.
    assert_eq!(received[0].replaces_id, 0);
    assert_eq!(received[0].expire_timeout, -1);
    assert_eq!(received[0].app_icon, "dialog-warning");
    assert!(received[0].actions.is_empty());

    // In German, the notification is German too.
    world.sandbox.set_locale(GERMAN);
    let output = quiet_notify(&world);
    assert_eq!(output.status.code(), Some(77), "{}", stderr(&output));
    let received = service.wait_for(2);
    assert_eq!(received.len(), 2, "{received:?}");
    assert_eq!(
        received[1].summary,
        "iCloud Mail nimmt Ihr Passwort nicht mehr an"
    );
    assert!(
        received[1].body.ends_with(&format!(
            "führen Sie dann aus: icloud-setup rotate {}",
            ALICE.email
        )),
        "{}",
        received[1].body
    );
}

#[test]
fn without_a_notification_service_the_failure_is_on_stderr_and_the_exit_code_unchanged() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    setup_alice(&world);
    world
        .dovecot
        .set_password(ALICE.email, "revo-kedr-evok-edre");
    let output = quiet_notify(&world);
    assert_eq!(output.status.code(), Some(77), "{}", stderr(&output));
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("alice@icloud.com: iCloud refused"),
        "{err}"
    );
    assert!(
        lines[2].starts_with("(no desktop notification: ")
            && lines[2].contains("org.freedesktop.Notifications"),
        "{err}"
    );
}

/// A sandbox with a keyring on a private bus and one account whose servers are `imap` and
/// `smtp` (host:port), its secret stored.
fn account_at(service: &SecretService, dir: &Path, imap: &str, smtp: &str) -> Sandbox {
    let sandbox = Sandbox::with_keyring(dir, service);
    let (imap_host, imap_port) = imap.rsplit_once(':').unwrap();
    let (smtp_host, smtp_port) = smtp.rsplit_once(':').unwrap();
    let config = support::SAVED_CONFIG
        .replace("imap.mail.me.com", imap_host)
        .replace("port = 993", &format!("port = {imap_port}"))
        .replace("smtp.mail.me.com", smtp_host)
        .replace("port = 587", &format!("port = {smtp_port}"));
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, config).unwrap();
    service.store("johnappleseed@icloud.com", OLD);
    sandbox
}

#[test]
fn failures_that_pass_by_themselves_bring_no_notification() {
    let dir = tempfile::tempdir().unwrap();
    let Some(service) = SecretService::start(dir.path()) else {
        return;
    };
    let notifications = NotificationService::start(service.env("DBUS_SESSION_BUS_ADDRESS"));

    // 75: servers that accept and never answer.
    let silent = SilentServer::start();
    let sandbox = account_at(
        &service,
        dir.path(),
        &silent.host_addr("localhost"),
        &silent.host_addr("localhost"),
    );
    let output = run_with_stdin(
        sandbox
            .command()
            .args(["--timeout", "1", "check", "--quiet", "--notify"]),
        "",
    );
    assert_eq!(output.status.code(), Some(75), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "johnappleseed@icloud.com: iCloud did not answer in time; the next check tries again.\n"
    );

    // 69: nothing listens (a closed port on this machine: connection refused).
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let sandbox = account_at(
        &service,
        dir.path(),
        &format!("127.0.0.1:{closed}"),
        &format!("127.0.0.1:{closed}"),
    );
    let output = run_with_stdin(sandbox.command().args(["check", "--quiet", "--notify"]), "");
    assert_eq!(output.status.code(), Some(69), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "johnappleseed@icloud.com: iCloud could not be reached (offline?); the next check tries again.\n"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(notifications.received(), []);
}

#[test]
fn a_hung_session_bus_holds_the_notification_no_longer_than_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let bus = SilentBus::start(dir.path());
    let sandbox = Sandbox::with_envs(dir.path(), bus.envs());
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
    // The keyring is on the hung bus too: 78 after the keyring's time limit, then the
    // notification's own time limit, and the exit code stays 78.
    let started = Instant::now();
    let output = run_with_stdin(
        sandbox
            .command()
            .args(["--timeout", "2", "check", "--quiet", "--notify"]),
        "",
    );
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(78), "{}", stderr(&output));
    assert!(elapsed < Duration::from_secs(12), "{elapsed:?}");
    let err = stderr(&output);
    assert!(
        err.starts_with("johnappleseed@icloud.com: the password could not be read: "),
        "{err}"
    );
    assert!(
        err.ends_with(
            "(no desktop notification: the notification service did not answer in time)\n"
        ),
        "{err}"
    );
}

// ------------------------------------------------------------------ watch

/// A home for `watch`: private HOME, XDG_CONFIG_HOME and XDG_RUNTIME_DIR, and a PATH of the
/// test's choice (with `systemctl`, a stand-in for it, or none).
struct WatchHome {
    dir: tempfile::TempDir,
    path: String,
    locale: &'static str,
}

impl WatchHome {
    fn new() -> WatchHome {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["home", "xdg-config", "run"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::fs::set_permissions(
            dir.path().join("run"),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        WatchHome {
            dir,
            path: std::env::var("PATH").unwrap_or_default(),
            locale: support::binary::ENGLISH,
        }
    }

    fn unit_dir(&self) -> PathBuf {
        self.dir.path().join("xdg-config/systemd/user")
    }

    fn config_path(&self) -> PathBuf {
        // Not the default place, with a space and a `%` that unit files must escape.
        self.dir.path().join("my mail/100%.toml")
    }

    fn envs(&self) -> Vec<(&'static str, String)> {
        let d = self.dir.path();
        vec![
            ("HOME", d.join("home").display().to_string()),
            (
                "XDG_CONFIG_HOME",
                d.join("xdg-config").display().to_string(),
            ),
            ("XDG_RUNTIME_DIR", d.join("run").display().to_string()),
            (
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", d.join("run/no-bus").display()),
            ),
            ("PATH", self.path.clone()),
            ("LANG", self.locale.to_string()),
            ("NO_COLOR", "1".to_string()),
        ]
    }

    fn watch(&self, args: &[&str]) -> Output {
        let mut command = Command::new(support::binary::binary_path());
        command.env_clear().envs(self.envs());
        command.arg("--config").arg(self.config_path());
        command.args(args).stdin(Stdio::null());
        command.output().expect("run icloud-setup")
    }

    /// `systemctl` on PATH replaced by a script that logs its arguments to `systemctl.log`
    /// and runs `body` (POSIX sh; `$*` are the arguments).
    fn fake_systemctl(&mut self, body: &str) {
        let bin = self.dir.path().join("fake-bin");
        std::fs::create_dir_all(&bin).unwrap();
        let log = self.dir.path().join("systemctl.log");
        let script = format!("#!/bin/sh\necho \"$*\" >> '{}'\n{body}\n", log.display());
        let path = bin.join("systemctl");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        self.path = format!("{}:{}", bin.display(), self.path);
    }

    fn systemctl_log(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("systemctl.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Every file and link under the XDG config directory.
    fn config_tree(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut pending = vec![self.dir.path().join("xdg-config")];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                found.push(path.clone());
                if entry.file_type().unwrap().is_dir() {
                    pending.push(path);
                }
            }
        }
        found.sort();
        found
    }
}

fn systemd_tools() -> bool {
    support::peers::require_program("systemctl", "the watch's systemd units").is_some()
        && support::peers::require_program("systemd-analyze", "verifies the watch's units")
            .is_some()
}

/// `systemd-analyze verify --user` on the written units (no running manager needed; the
/// man page of `Documentation=` is installed only by the package, so it is not looked up).
fn verify_units(home: &WatchHome) {
    let dir = home.unit_dir();
    let output = Command::new("systemd-analyze")
        .env_clear()
        .envs(home.envs())
        .args(["verify", "--user", "--man=no"])
        .arg(dir.join("icloud-setup-check.service"))
        .arg(dir.join("icloud-setup-check.timer"))
        .output()
        .expect("run systemd-analyze");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "systemd-analyze verify:\n{}",
        stderr(&output)
    );
}

/// The unit directory follows XDG: `$XDG_CONFIG_HOME/systemd/user` (the other tests), else
/// `~/.config/systemd/user`, also when `XDG_CONFIG_HOME` is relative, which the
/// specification says to ignore.
#[test]
fn watch_on_puts_the_units_under_the_home_without_an_absolute_xdg_config_home() {
    if !systemd_tools() {
        return;
    }
    for xdg in [None, Some("relative/config")] {
        let home = WatchHome::new();
        let mut command = Command::new(support::binary::binary_path());
        command
            .env_clear()
            .envs(
                home.envs()
                    .into_iter()
                    .filter(|(k, _)| *k != "XDG_CONFIG_HOME"),
            )
            .current_dir(home.dir.path());
        if let Some(xdg) = xdg {
            command.env("XDG_CONFIG_HOME", xdg);
        }
        command.arg("--config").arg(home.config_path());
        command
            .args(["--timeout", "5", "watch", "on"])
            .stdin(Stdio::null());
        let output = command.output().expect("run icloud-setup");
        let dir = home.dir.path().join("home/.config/systemd/user");
        assert!(
            dir.join("icloud-setup-check.timer").exists(),
            "{xdg:?}: {}",
            stderr(&output)
        );
        assert!(!home.unit_dir().exists(), "{xdg:?}");
        assert!(!home.dir.path().join("relative").exists(), "{xdg:?}");
    }
}

#[test]
fn watch_on_without_a_user_manager_writes_valid_units_and_says_how_to_enable_them() {
    if !systemd_tools() {
        return;
    }
    let home = WatchHome::new();
    let output = home.watch(&["--timeout", "5", "watch", "on"]);
    assert_eq!(output.status.code(), Some(69), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("systemctl --user enable --now icloud-setup-check.timer"),
        "{err}"
    );
    assert!(err.contains("loginctl enable-linger"), "{err}");
    assert!(
        err.contains(&home.unit_dir().display().to_string()),
        "{err}"
    );

    let service =
        std::fs::read_to_string(home.unit_dir().join("icloud-setup-check.service")).unwrap();
    let program = std::fs::canonicalize(support::binary::binary_path()).unwrap();
    let config = home.config_path().display().to_string().replace('%', "%%");
    assert!(
        service.contains(&format!(
            "\nExecStart={} check --quiet --notify --config \"{config}\"\n",
            program.display()
        )),
        "{service}"
    );
    let timer = std::fs::read_to_string(home.unit_dir().join("icloud-setup-check.timer")).unwrap();
    for line in [
        "OnCalendar=daily",
        "Persistent=true",
        "RandomizedDelaySec=4h",
    ] {
        assert!(timer.contains(line), "{timer}");
    }
    verify_units(&home);
}

#[test]
fn a_unit_that_systemd_would_refuse_fails_the_verification() {
    // The verification is not a formality: a service whose program does not exist fails it.
    if !systemd_tools() {
        return;
    }
    let home = WatchHome::new();
    home.watch(&["--timeout", "5", "watch", "on"]);
    let path = home.unit_dir().join("icloud-setup-check.service");
    let service = std::fs::read_to_string(&path).unwrap();
    let program = std::fs::canonicalize(support::binary::binary_path()).unwrap();
    std::fs::write(
        &path,
        service.replace(&program.display().to_string(), "/nonexistent/icloud-setup"),
    )
    .unwrap();
    let output = Command::new("systemd-analyze")
        .env_clear()
        .envs(home.envs())
        .args(["verify", "--user", "--man=no"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success() || !output.stderr.is_empty());
}

#[test]
fn watch_off_leaves_nothing_behind() {
    if !systemd_tools() {
        return;
    }
    let home = WatchHome::new();
    assert_eq!(home.config_tree(), Vec::<PathBuf>::new());
    home.watch(&["--timeout", "5", "watch", "on"]);
    // As `systemctl --user enable` links it.
    let wants = home.unit_dir().join("timers.target.wants");
    std::fs::create_dir_all(&wants).unwrap();
    std::os::unix::fs::symlink(
        home.unit_dir().join("icloud-setup-check.timer"),
        wants.join("icloud-setup-check.timer"),
    )
    .unwrap();
    let output = home.watch(&["--timeout", "5", "watch", "off"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // systemctl unlinks the timer itself where it can, even with no manager to tell.
    assert!(
        stderr(&output).starts_with("The watch is off: its "),
        "{}",
        stderr(&output)
    );
    assert_eq!(home.config_tree(), Vec::<PathBuf>::new());

    // A second `off` says so and changes nothing.
    let output = home.watch(&["watch", "off"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr(&output),
        "The watch was not on; nothing to remove.\n"
    );
}

#[test]
fn watch_off_keeps_the_other_units_of_the_directory() {
    if !systemd_tools() {
        return;
    }
    let home = WatchHome::new();
    std::fs::create_dir_all(home.unit_dir()).unwrap();
    let other = home.unit_dir().join("other.service");
    std::fs::write(&other, "[Service]\nExecStart=/bin/true\n").unwrap();
    home.watch(&["--timeout", "5", "watch", "on"]);
    home.watch(&["--timeout", "5", "watch", "off"]);
    assert_eq!(
        home.config_tree(),
        vec![
            home.dir.path().join("xdg-config/systemd"),
            home.unit_dir(),
            other,
        ]
    );
}

#[test]
fn with_a_user_manager_the_timer_is_enabled_and_status_tells_what_it_found() {
    let mut home = WatchHome::new();
    home.fake_systemctl(
        r#"case "$*" in
  *NextElapseUSecRealtime*) echo "Mon 2026-12-07 03:12:00 UTC" ;;
  *ExecMainExitTimestamp*) echo "Sun 2026-12-06 02:40:11 UTC" ;;
  *ExecMainStatus*) echo "77" ;;
  *is-enabled*) echo "enabled" ;;
esac
exit 0"#,
    );
    std::fs::create_dir_all(home.config_path().parent().unwrap()).unwrap();
    let verified_at = days_ago(3);
    std::fs::write(
        home.config_path(),
        support::SAVED_CONFIG.replace(
            "login = \"johnappleseed@icloud.com\"\n",
            &format!("login = \"johnappleseed@icloud.com\"\nverified_at = \"{verified_at}\"\n"),
        ),
    )
    .unwrap();

    let output = home.watch(&["watch", "on"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.starts_with("The watch is on: every day"), "{err}");
    assert!(
        err.ends_with("Next run: Mon 2026-12-07 03:12:00 UTC.\n"),
        "{err}"
    );
    let log = home.systemctl_log();
    assert_eq!(
        log[..2],
        [
            "--user --no-pager --no-ask-password daemon-reload",
            "--user --no-pager --no-ask-password enable --now icloud-setup-check.timer",
        ],
        "{log:?}"
    );

    let output = home.watch(&["watch", "status"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        out,
        format!(
            "Watch: on ({})\nNext run:  Mon 2026-12-07 03:12:00 UTC\nLast run:  Sun 2026-12-06 02:40:11 UTC, exit code 77\njohnappleseed@icloud.com: last passed {} (3 days ago)\n",
            home.unit_dir().join("icloud-setup-check.timer").display(),
            verified_at
        )
    );

    home.locale = GERMAN;
    let output = home.watch(&["watch", "status"]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.starts_with("Überwachung: an ("), "{out}");
    assert!(
        out.contains("Nächster Lauf:  Mon 2026-12-07 03:12:00 UTC\n"),
        "{out}"
    );
    assert!(
        out.contains("Letzter Lauf:   Sun 2026-12-06 02:40:11 UTC, Exit-Code 77\n"),
        "{out}"
    );
    assert!(out.contains("(vor 3 Tagen)"), "{out}");
    home.locale = support::binary::ENGLISH;

    let output = home.watch(&["watch", "off"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        home.systemctl_log().contains(
            &"--user --no-pager --no-ask-password disable --now icloud-setup-check.timer"
                .to_string()
        ),
        "{:?}",
        home.systemctl_log()
    );
    assert!(!home.unit_dir().exists());
    let output = home.watch(&["watch", "status"]);
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .starts_with("Watch: off. Turn it on with `icloud-setup watch on`.\n")
    );
}

#[test]
fn a_user_manager_that_hangs_is_given_no_more_than_the_timeout() {
    let mut home = WatchHome::new();
    home.fake_systemctl("exec sleep 30");
    let started = Instant::now();
    let output = home.watch(&["--timeout", "1", "watch", "on"]);
    assert_eq!(output.status.code(), Some(69), "{}", stderr(&output));
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    // The units are written all the same.
    assert!(home.unit_dir().join("icloud-setup-check.timer").exists());
}

#[test]
fn a_refusing_user_manager_is_69_with_its_words() {
    let mut home = WatchHome::new();
    home.fake_systemctl(
        r#"case "$*" in *enable*) echo "Access denied" >&2; exit 1 ;; esac
exit 0"#,
    );
    let output = home.watch(&["watch", "on"]);
    assert_eq!(output.status.code(), Some(69), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "`systemctl --user enable --now icloud-setup-check.timer` failed: Access denied"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn without_systemd_watch_on_prints_the_crontab_line_and_writes_nothing() {
    let mut home = WatchHome::new();
    let empty = home.dir.path().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    home.path = empty.display().to_string();
    let output = home.watch(&["watch", "on"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.starts_with("There is no systemd here."), "{out}");
    let program = std::fs::canonicalize(support::binary::binary_path()).unwrap();
    let line = out.lines().last().unwrap().trim();
    let fields: Vec<&str> = line.splitn(6, ' ').collect();
    let minute: u8 = fields[0].parse().unwrap();
    let hour: u8 = fields[1].parse().unwrap();
    assert!(minute < 60 && (9..19).contains(&hour), "{line}");
    assert_eq!(fields[2..5], ["*", "*", "*"]);
    assert_eq!(
        fields[5],
        format!(
            "{} check --quiet --notify --config '{}'",
            program.display(),
            home.config_path().display().to_string().replace('%', "\\%")
        )
    );
    assert_eq!(home.config_tree(), Vec::<PathBuf>::new());

    home.locale = GERMAN;
    let output = home.watch(&["watch", "on"]);
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("Hier gibt es kein systemd."));
}

#[test]
fn the_watch_command_is_in_help_in_both_languages() {
    let mut home = WatchHome::new();
    let output = home.watch(&["watch", "--help"]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("A daily `check --quiet --notify`"), "{out}");
    assert!(
        out.contains("disable the timer and remove both files"),
        "{out}"
    );
    home.locale = GERMAN;
    let output = home.watch(&["check", "--help"]);
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("Für cron und Timer"), "{out}");
    assert!(out.contains("Desktop-Benachrichtigung"), "{out}");
}

#[test]
fn a_config_path_with_a_line_break_is_refused_before_anything_is_written() {
    let home = WatchHome::new();
    let mut command = Command::new(support::binary::binary_path());
    command.env_clear().envs(home.envs());
    let bad = home.dir.path().join("evil\nExecStartPre=/bin/false");
    command.arg("--config").arg(&bad).args(["watch", "on"]);
    let output = command.stdin(Stdio::null()).output().unwrap();
    assert_eq!(output.status.code(), Some(65), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot go into a unit file or a crontab line"),
        "{}",
        stderr(&output)
    );
    assert_eq!(home.config_tree(), Vec::<PathBuf>::new());
}
