//! The export renderers fed arbitrary saved values: an account with any address, name,
//! hosts, usernames and ports is saved as a save writes it, then exported for every mail
//! program through `app::run`, as `icloud-setup --config FILE export CLIENT` runs. A value
//! no client file can carry must be refused (exit 65); what is written holds no control
//! character but line ends and tabs, and himalaya's TOML reads back the same values.
#![no_main]

use std::sync::OnceLock;

use icloud_setup::app::run;
use icloud_setup::cli::try_parse_from;
use icloud_setup::commands::{Context, Options};
use icloud_setup::config::edit;
use icloud_setup::config::{Account, ConfigFile, ConfigStore, Security, ServerSettings};
use icloud_setup::mail::LiveMailCheck;
use icloud_setup::mail::tls::TrustAnchors;
use icloud_setup::prompt::ScriptedPrompter;
use icloud_setup::secrets::MemoryStore;
use icloud_setup_fuzz::fields;
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"))
}

fn server(host: &str, port: &str, username: &str, security: Security) -> ServerSettings {
    ServerSettings {
        host: host.to_string(),
        port: port
            .bytes()
            .fold(0u16, |n, b| n.wrapping_mul(31).wrapping_add(u16::from(b))),
        security,
        username: username.to_string(),
        extra: toml::Table::new(),
    }
}

fuzz_target!(|data: &[u8]| {
    let [
        email,
        login,
        name,
        imap_host,
        imap_port,
        imap_user,
        smtp_host,
        smtp_port,
        smtp_user,
    ]: [String; 9] = fields(data, 9).try_into().expect("nine fields");
    if email.is_empty() {
        return;
    }
    let account = Account {
        email: email.clone(),
        login,
        name: (!name.is_empty()).then_some(name),
        verified_at: None,
        secret: None,
        imap: server(&imap_host, &imap_port, &imap_user, Security::Tls),
        smtp: server(&smtp_host, &smtp_port, &smtp_user, Security::Starttls),
        extra: toml::Table::new(),
    };
    let config = ConfigFile {
        accounts: vec![account.clone()],
        ..ConfigFile::default()
    };
    let path = dir().path().join("config.toml");
    std::fs::write(&path, edit::render("", &config)).expect("write the config");

    for client in ["msmtp", "mbsync", "neomutt", "aerc", "himalaya"] {
        let cli = try_parse_from([
            "icloud-setup",
            "--config",
            path.to_str().expect("UTF-8 temp path"),
            "export",
            client,
            "--isync",
            "1.5",
        ])
        .expect("the command line parses");
        let secrets = MemoryStore::new();
        let pass = MemoryStore::new();
        let mail = LiveMailCheck {
            anchors: TrustAnchors::system(),
            timeout: std::time::Duration::from_secs(1),
        };
        let mut prompter = ScriptedPrompter::non_interactive();
        let mut stdin = std::io::empty();
        let mut stdout = Vec::new();
        let mut ctx = Context {
            options: Options::from_cli(&cli.global),
            config: ConfigStore::new(path.clone()),
            secrets: &secrets,
            pass: &pass,
            mail: &mail,
            prompter: &mut prompter,
            stdin: &mut stdin,
            stdout: &mut stdout,
            stdout_is_terminal: false,
        };
        match run(cli.command, &mut ctx) {
            Ok(()) => {
                let text = String::from_utf8(stdout).expect("exports are UTF-8");
                assert!(
                    !text
                        .chars()
                        .any(|c| c.is_control() && c != '\n' && c != '\t'),
                    "{client}: a control character in\n{text}"
                );
                if client == "himalaya" {
                    let parsed: toml::Table = toml::from_str(&text)
                        .unwrap_or_else(|e| panic!("himalaya's file is not TOML: {e}\n{text}"));
                    let saved = parsed
                        .get("accounts")
                        .and_then(|a| a.get(email.as_str()))
                        .and_then(|a| a.get("email"))
                        .and_then(toml::Value::as_str);
                    assert_eq!(saved, Some(email.as_str()), "himalaya's file:\n{text}");
                }
            }
            Err(error) => {
                assert_eq!(error.exit_code(), 65, "{client}: {error}");
                let _ = (error.to_string(), error.hint());
            }
        }
    }
});
