//! Test support shared by the integration tests: certificates made at test time, real peers
//! (Dovecot, GNOME Keyring's Secret Service) and scripted fault servers.
//!
//! Compiled once, as a module of the one test binary (`tests/main.rs`).

pub mod binary;
pub mod certs;
pub mod dead_address;
pub mod delay_proxy;
pub mod dovecot;
pub mod fake_servers;
pub mod in_process;
pub mod notifications;
pub mod peer_world;
pub mod peers;
pub mod process;
pub mod pty;
pub mod secret_service;
pub mod smtp_sink;

/// A config with one saved account (johnappleseed@icloud.com), as written by hand or by an
/// earlier run, for tests that start from a saved account without a live test.
pub const SAVED_CONFIG: &str = r#"version = 1

[[accounts]]
email = "johnappleseed@icloud.com"
login = "johnappleseed@icloud.com"

[accounts.imap]
host = "imap.mail.me.com"
port = 993
security = "tls"
username = "johnappleseed"

[accounts.smtp]
host = "smtp.mail.me.com"
port = 587
security = "starttls"
username = "johnappleseed@icloud.com"
"#;

/// The name of every client `export` writes for, as the command line takes it: tests that
/// go through the clients iterate this, so a new client is tested without being listed.
pub fn export_clients() -> Vec<String> {
    use clap::ValueEnum;
    icloud_setup::export::Client::value_variants()
        .iter()
        .map(|client| {
            client
                .to_possible_value()
                .expect("no client is skipped")
                .get_name()
                .to_string()
        })
        .collect()
}
