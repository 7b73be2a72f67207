//! icloud-setup: puts an iCloud Mail account into any IMAP/SMTP mail program.
//!
//! The flow: the wizard ([`wizard`]) asks through a [`prompt::Prompter`] — or takes the
//! answers from flags — and a pure step ([`plan`]) turns them into hosts, ports and
//! usernames. The live test ([`mail`]) proves them against IMAP (TLS, `LOGIN`, local part
//! then full address) and SMTP (STARTTLS required, then `AUTH`) at the same time. Only
//! then is anything saved: the app-specific password into the OS keyring
//! ([`secrets`], service `icloud-setup`, account = the e-mail), read back, then the
//! profile into the TOML config ([`config`], 0600, atomic, locked).
//!
//! The seams, each a small trait with its real implementation in one file:
//! - `prompt::Prompter`: `TerminalPrompter` (raw-mode line input, dialoguer choices) and
//!   `ScriptedPrompter` for tests
//! - `secrets::SecretStore`: `KeyringStore` (keyring) and `MemoryStore` for tests
//! - `mail::MailCheck`: `LiveMailCheck` (OpenSSL on Linux, native-tls elsewhere; IMAP and
//!   SMTP spoken on a bounded wire, connections opened ahead with `preconnect`)
//! - config storage: `config::ConfigStore`, a file at a path passed in
//!
//! After the first setup ([`commands`]): the re-run menu, `rotate` (the new password is
//! tested before it replaces the old one), `check`, `status`, `password` and `remove`, all
//! picking the account by the EMAIL rules ([`accounts`]) and sharing the live test
//! ([`live_test`]) and keyring changes that roll back on failure ([`keyring_update`]).
//! [`export`] turns a saved account into a mail program's own configuration, whose
//! password command is `icloud-setup password EMAIL`, so no secret is written anywhere.
//! [`interrupt`] makes Ctrl-C exit 130 with the terminal restored, never mid-save.
//!
//! [`error::Error`] is the one error type, each variant with an exit code and a hint;
//! [`messages`] holds every sentence a person reads. `main.rs` only parses the command
//! line and calls [`app::run_with_real_adapters`].

pub mod accounts;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod error;
pub mod export;
pub mod interrupt;
pub mod keyring_update;
pub mod live_test;
pub mod mail;
pub mod messages;
pub mod plan;
pub mod prompt;
pub mod secrets;
pub mod terminal_text;
pub mod wizard;
