//! icloud-setup: puts an iCloud Mail account into any IMAP/SMTP mail program.
//!
//! The flow: `setup` ([`commands::setup`]) asks through a [`prompt::Prompter`] — or takes
//! the answers from flags — and a pure step ([`plan`]) turns them into hosts, ports and
//! usernames. The live test ([`mail`], run by [`commands::live_test`]) proves them against
//! IMAP (TLS, `LOGIN`, local part then full address) and SMTP (STARTTLS required, then
//! `AUTH`) at the same time. Only then is anything saved: the app-specific password into the
//! OS keyring ([`secrets`], service `icloud-setup`, account = the e-mail), read back, then
//! the profile into the TOML config ([`config`], 0600, atomic, locked). [`export`] renders a
//! saved account as a mail program's own configuration, whose password command is
//! `icloud-setup password EMAIL`, so no secret is written anywhere; for git send-email it is
//! the credential helper `icloud-setup git-credential`, whose protocol is [`git_credential`].
//!
//! The seams, each a small trait with its real implementation in one file:
//! - `prompt::Prompter`: `TerminalPrompter` (raw-mode line input, dialoguer choices)
//! - `secrets::SecretStore`: `KeyringStore` (the `keyring` crate) and `PassStore` (`pass`,
//!   chosen per account by `--store`), each in its own file
//! - `mail::MailCheck`: `LiveMailCheck` (OpenSSL on Linux, native-tls elsewhere; IMAP and
//!   SMTP spoken on a bounded wire, connections opened ahead with `preconnect`)
//! - config storage: `config::ConfigStore`, a file at a path passed in
//!
//! Tests get `ScriptedPrompter` and `MemoryStore` through the `test-support` feature.
//! Everything else is `pub(crate)` unless the binary, `examples/manpage.rs` or the
//! integration tests use it; the internals those tests reach into (the wire, the IMAP and
//! SMTP readers, the send test's pieces, the export quoting, `resolve_for_tests`) are
//! public only with `test-support`.
//!
//! # Layers
//!
//! Dependencies flow one way: a module imports only from its own layer and the layers
//! listed before it. `tests/architecture.rs` reads this list and `src/`, and fails on an
//! import against it.
//!
//! 1. foundations: `display_safe`, `domain`, `folders`, `plan`, `config`, `secrets`, `prompt`,
//!    `mail`, `export`, `interrupt`, `git_credential`, `streams`, `output`, `panic_trigger`,
//!    `notify`, `watch`
//! 2. text: `language`, `messages`
//! 3. boundary: `error`, `cli`
//! 4. commands: `commands`
//! 5. app: `app`
//!
//! Foundations return typed values (an address problem, a probe failure with its kind,
//! stage and the server's raw words, a config error, a prompt error, a store problem); the
//! text layer words them; [`error::Error`] gathers them with `From` at the boundary, each
//! variant with an exit code and a hint. `main.rs` only parses the command line and calls
//! [`app::run_with_real_adapters`].

/// Declares child modules that are the crate's own (`pub(crate)`) but public with the
/// `test-support` feature, which only the integration tests and the fuzz targets turn on.
/// (Textually scoped: every module declared below may use it.)
macro_rules! test_support_pub {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "test-support")]
            pub mod $name;
            #[cfg(not(feature = "test-support"))]
            #[allow(unreachable_pub)]
            pub(crate) mod $name;
        )*
    };
}

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
#[cfg(feature = "test-support")]
pub mod display_safe;
#[cfg(not(feature = "test-support"))]
#[allow(unreachable_pub)]
pub(crate) mod display_safe;
pub mod domain;
pub mod error;
pub mod export;
pub mod folders;
pub(crate) mod git_credential;
pub(crate) mod interrupt;
pub mod language;
pub mod mail;
pub mod messages;
pub(crate) mod notify;
pub(crate) mod output;
#[cfg(feature = "test-support")]
pub mod panic_trigger;
pub mod plan;
pub mod prompt;
pub mod secrets;
pub(crate) mod streams;
pub(crate) mod watch;
