//! Flow tests of living with saved accounts: rotate, check, status, password, remove, the
//! re-run menu and several accounts — in-process, with scripted servers, an in-memory
//! keyring and a temporary config.

use crate::support;

use icloud_setup::cli::{Command, SendTestArgs};
use icloud_setup::config::{ConfigError, ConfigStore};
use icloud_setup::domain::EmailAddress;
use icloud_setup::plan::{AccountPlan, Servers};
use icloud_setup::prompt::{Answer, ScriptedPrompter};
use icloud_setup::secrets::SecretStore;
use secrecy::SecretString;
use support::fake_servers::{FakeImap, FakeSmtp, ImapScript};
use support::in_process::World;

const OLD: &str = "oldd-oldd-oldd-oldd";
const NEW: &str = "neww-neww-neww-neww";

/// A world with `emails` saved against servers that accept `server_password`, each with
/// `OLD` in the keyring.
struct Saved {
    world: World,
    imap: FakeImap,
    smtp: FakeSmtp,
}

fn saved(emails: &[&str], server_password: &str) -> Saved {
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
                config.upsert(plan.account(address.local_part(), "2026-01-01T00:00:00Z"));
                Ok::<(), ConfigError>(())
            })
            .unwrap();
        world
            .secrets
            .write(email, &SecretString::from(OLD.to_string()))
            .unwrap();
    }
    Saved { world, imap, smtp }
}

impl Saved {
    fn run(
        &self,
        command: Option<Command>,
        prompter: &mut ScriptedPrompter,
        stdin: &str,
    ) -> (Result<(), icloud_setup::error::Error>, String) {
        self.world.run_command(
            &self.imap.host_addr("localhost"),
            &self.smtp.host_addr("localhost"),
            command,
            prompter,
            stdin,
            false,
        )
    }
}

fn rotate(email: Option<&str>, password_stdin: bool) -> Option<Command> {
    Some(Command::Rotate {
        email: email.map(str::to_string),
        password_stdin,
    })
}

#[test]
fn rotation_tests_the_new_password_then_replaces_the_secret() {
    let s = saved(&["alice@icloud.com"], NEW);
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(rotate(None, true), &mut prompter, &format!("{NEW}\n"));
    result.expect("rotation succeeds");
    assert_eq!(s.world.secret("alice@icloud.com").as_deref(), Some(NEW));
    let config = s.world.config_text().unwrap();
    assert!(
        !config.contains("2026-01-01T00:00:00Z"),
        "verified_at updated:\n{config}"
    );
    let said = prompter.log().join("\n");
    assert!(
        said.contains("revoke the old app-specific password"),
        "{said}"
    );
    // The proven username only: one LOGIN.
    assert_eq!(s.imap.logins(), [("alice".to_string(), true)]);
}

#[test]
fn a_failed_rotation_leaves_the_old_secret_and_the_config_byte_for_byte() {
    let s = saved(&["alice@icloud.com"], OLD);
    let before = std::fs::read(&s.world.config_path).unwrap();
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(
        rotate(Some("alice@icloud.com"), true),
        &mut prompter,
        &format!("{NEW}\n"),
    );
    assert_eq!(result.unwrap_err().exit_code(), 77);
    assert_eq!(s.world.secret("alice@icloud.com").as_deref(), Some(OLD));
    assert_eq!(std::fs::read(&s.world.config_path).unwrap(), before);
}

#[test]
fn the_rerun_menu_rotates_by_default() {
    let s = saved(&["alice@icloud.com"], NEW);
    let mut prompter = ScriptedPrompter::new(vec![
        ("What would you like to do?", Answer::Default),
        ("New app-specific password", Answer::Secret(NEW.into())),
        // The send test is offered before the new secret is saved; Enter declines.
        ("Send a test message", Answer::Default),
    ]);
    let (result, _) = s.run(None, &mut prompter, "");
    result.expect("rotated from the menu");
    prompter.assert_finished();
    assert_eq!(s.world.secret("alice@icloud.com").as_deref(), Some(NEW));
    let log = prompter.log().join("\n");
    assert!(
        log.contains("> Rotate the password"),
        "Enter alone rotates: {log}"
    );
    assert!(
        log.contains("alice@icloud.com  (last verified 2026-01-01T00:00:00Z)"),
        "{log}"
    );
}

#[test]
fn the_rerun_menu_without_a_terminal_names_the_commands() {
    let s = saved(&["alice@icloud.com"], OLD);
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(None, &mut prompter, "");
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 64);
    assert!(error.hint().unwrap().contains("icloud-setup rotate"));
}

#[test]
fn check_passes_with_the_stored_secret_and_records_it() {
    let s = saved(&["alice@icloud.com", "bob@icloud.com"], OLD);
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(
        Some(Command::Check {
            email: None,
            send: SendTestArgs::default(),
            quiet: false,
            notify: false,
        }),
        &mut prompter,
        "",
    );
    result.expect("both accounts pass");
    assert_eq!(s.imap.logins().len(), 2, "every saved account is checked");
    // `verified_at` is updated; `password_saved_at` (the same day here) is the password's.
    let config = s.world.config_text().unwrap();
    assert!(!config.contains("verified_at = \"2026-01-01"), "{config}");
    assert!(
        config.contains("password_saved_at = \"2026-01-01"),
        "{config}"
    );
}

#[test]
fn check_fails_with_the_worst_exit_code_and_a_missing_secret_is_78() {
    let s = saved(&["alice@icloud.com"], NEW);
    let mut prompter = ScriptedPrompter::non_interactive();
    let (result, _) = s.run(
        Some(Command::Check {
            email: None,
            send: SendTestArgs::default(),
            quiet: false,
            notify: false,
        }),
        &mut prompter,
        "",
    );
    assert_eq!(result.unwrap_err().exit_code(), 77);

    s.world.secrets.delete("alice@icloud.com").unwrap();
    let (result, _) = s.run(
        Some(Command::Check {
            email: None,
            send: SendTestArgs::default(),
            quiet: false,
            notify: false,
        }),
        &mut prompter,
        "",
    );
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 78);
    assert!(
        error
            .hint()
            .unwrap()
            .contains("icloud-setup rotate alice@icloud.com")
    );
}

#[test]
fn status_shows_usernames_verification_and_the_secret_without_network() {
    let s = saved(&["alice@icloud.com", "bob@icloud.com"], OLD);
    s.world.secrets.delete("bob@icloud.com").unwrap();
    let mut prompter = ScriptedPrompter::non_interactive();
    let status = |json| Some(Command::Status { email: None, json });
    let (result, text) = s.run(status(false), &mut prompter, "");
    result.unwrap();
    // Every client `export` writes for, git too, from the one enumeration of them.
    let export_line = format!(
        "icloud-setup export {} alice@icloud.com",
        support::export_clients().join("|")
    );
    assert!(
        export_line.split(['|', ' ']).any(|word| word == "git"),
        "{export_line}"
    );
    for expected in [
        "alice@icloud.com",
        "username alice",
        "2026-01-01T00:00:00Z",
        "Password:       in memory",
        "MISSING",
        &export_line,
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(!text.contains(OLD));

    let (result, json) = s.run(status(true), &mut prompter, "");
    result.unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(parsed["accounts"][0]["secret"]["present"], true);
    assert_eq!(parsed["accounts"][1]["secret"]["present"], false);
    assert_eq!(parsed["accounts"][0]["imap"]["username"], "alice");
    assert_eq!(s.imap.connections(), 0, "status uses no network");
}

#[test]
fn password_prints_the_secret_for_a_pipe_but_not_on_a_terminal() {
    let s = saved(&["alice@icloud.com"], OLD);
    let mut prompter = ScriptedPrompter::non_interactive();
    let password = |reveal| {
        Some(Command::Password {
            email: None,
            reveal,
        })
    };
    let (result, out) = s.run(password(false), &mut prompter, "");
    result.unwrap();
    assert_eq!(out, format!("{OLD}\n"));

    let run_on_terminal = |reveal| {
        s.world.run_command(
            &s.imap.host_addr("localhost"),
            &s.smtp.host_addr("localhost"),
            password(reveal),
            &mut ScriptedPrompter::non_interactive(),
            "",
            true,
        )
    };
    let (refused, out) = run_on_terminal(false);
    assert_eq!(refused.unwrap_err().exit_code(), 64);
    assert!(out.is_empty());
    let (revealed, out) = run_on_terminal(true);
    revealed.unwrap();
    assert_eq!(out, format!("{OLD}\n"));
}

#[test]
fn several_accounts_need_a_name_or_a_choice() {
    let s = saved(&["alice@icloud.com", "bob@icloud.com"], OLD);
    let password = |email: Option<&str>| {
        Some(Command::Password {
            email: email.map(str::to_string),
            reveal: false,
        })
    };
    let (result, _) = s.run(password(None), &mut ScriptedPrompter::non_interactive(), "");
    let error = result.unwrap_err();
    assert_eq!(error.exit_code(), 64);
    assert!(
        error
            .to_string()
            .contains("alice@icloud.com, bob@icloud.com")
    );

    let (result, _) = s.run(
        password(Some("carol@icloud.com")),
        &mut ScriptedPrompter::non_interactive(),
        "",
    );
    assert_eq!(result.unwrap_err().exit_code(), 67);

    let mut chooser = ScriptedPrompter::new(vec![("Which account?", Answer::Choose("bob".into()))]);
    let (result, out) = s.run(password(None), &mut chooser, "");
    result.unwrap();
    assert_eq!(out, format!("{OLD}\n"));
}

#[test]
fn remove_deletes_the_config_entry_and_the_secret() {
    let s = saved(&["alice@icloud.com", "bob@icloud.com"], OLD);
    let remove = |yes| {
        Some(Command::Remove {
            email: "alice@icloud.com".into(),
            yes,
        })
    };
    let (refused, _) = s.run(remove(false), &mut ScriptedPrompter::non_interactive(), "");
    assert_eq!(refused.unwrap_err().exit_code(), 64);

    let mut keep = ScriptedPrompter::new(vec![(
        "Remove alice@icloud.com",
        Answer::Choose("Keep".into()),
    )]);
    s.run(remove(false), &mut keep, "").0.unwrap();
    assert!(s.world.secret("alice@icloud.com").is_some());

    let mut prompter = ScriptedPrompter::non_interactive();
    s.run(remove(true), &mut prompter, "").0.unwrap();
    assert!(s.world.secret("alice@icloud.com").is_none());
    let config = s.world.config_text().unwrap();
    assert!(!config.contains("alice@icloud.com"), "{config}");
    assert!(config.contains("bob@icloud.com"), "{config}");
    assert!(prompter.log().join("\n").contains("revoke it"));
}

#[test]
fn keys_added_by_hand_survive_a_rotation() {
    let s = saved(&["alice@icloud.com"], NEW);
    let text = s.world.config_text().unwrap();
    let edited = text.replacen(
        "[[accounts]]\n",
        "[[accounts]]\nsignature = \"-- Alice\"\n",
        1,
    );
    std::fs::write(
        &s.world.config_path,
        format!("# my notes\ntheme = \"dark\"\n{edited}"),
    )
    .unwrap();
    let (result, _) = s.run(
        rotate(None, true),
        &mut ScriptedPrompter::non_interactive(),
        &format!("{NEW}\n"),
    );
    result.unwrap();
    let after = s.world.config_text().unwrap();
    assert!(after.contains("theme = \"dark\""), "{after}");
    assert!(after.contains("signature = \"-- Alice\""), "{after}");
}
