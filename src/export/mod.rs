//! `icloud-setup export CLIENT [EMAIL]`: a ready configuration for a mail program, printed on
//! standard output.
//!
//! This module gathers what every format needs into an [`ExportInput`] — the saved account
//! (picked by the EMAIL rules of [`accounts::pick`]), the password command, the CA file of
//! `--ca-file`, and for mbsync the isync syntax — and writes what the client's renderer makes
//! of it. Each client has a file of its own (`msmtp`, `mbsync`, `neomutt`, `aerc`,
//! `himalaya`) whose `render(&ExportInput) -> String` is pure, so the formats are tested
//! without files or processes; the one exception, asking the installed `mbsync` its
//! version, lives in `mbsync.rs` too.
//!
//! What it never does: read the keyring or touch the network. The exported file runs
//! `/abs/path/icloud-setup password EMAIL` whenever the client needs the password, so no
//! secret is ever written into it, and a password replaced by `icloud-setup rotate` reaches
//! every client by itself. The program is named by the absolute path it was run from
//! ([`Program`]), because clients started by cron or systemd rarely have `~/.cargo/bin` on
//! their PATH.

pub mod aerc;
pub mod himalaya;
pub mod mbsync;
pub mod msmtp;
pub mod neomutt;
pub mod quote;

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::accounts;
use crate::app::{Context, write_stdout};
use crate::config::{Account, ConfigStore};
use crate::error::Error;

/// The program's name, for when its path cannot be written into a file (see [`Program`]).
pub const PROGRAM: &str = "icloud-setup";

/// How the exported files name this program in their password command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    /// The absolute path it was run from, links resolved: mail clients started by cron or a
    /// systemd unit, whose PATH rarely has `~/.cargo/bin`, still find it.
    Absolute(String),
    /// Just its name, found on the client's PATH: when the path is unknown (the binary was
    /// replaced while running) or cannot be written (not UTF-8, control characters).
    OnPath,
}

impl Program {
    /// This running program.
    pub fn current() -> Program {
        std::env::current_exe()
            .and_then(std::fs::canonicalize)
            .ok()
            .and_then(|path| path.to_str().map(String::from))
            .filter(|path| !path.chars().any(char::is_control))
            .map_or(Program::OnPath, Program::Absolute)
    }

    /// The absolute path, when the files name one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Program::Absolute(path) => Some(path),
            Program::OnPath => None,
        }
    }

    fn word(&self) -> &str {
        self.path().unwrap_or(PROGRAM)
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The mail program to write the configuration for
    #[arg(value_enum)]
    pub client: Client,

    /// The saved account (may be left out when only one is saved)
    #[arg(value_name = "EMAIL")]
    pub email: Option<String>,

    /// For mbsync: write isync 1.4 (Debian 12) or 1.5 syntax [default: what the installed
    /// mbsync reports; the newest when it is not installed]
    #[arg(long, value_enum, value_name = "VERSION")]
    pub isync: Option<IsyncSyntax>,
}

/// The mail programs `export` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Client {
    /// sends mail (a sendmail replacement)
    Msmtp,
    /// isync: keeps a local Maildir in sync with iCloud over IMAP
    Mbsync,
    /// reads over IMAP and sends over SMTP by itself
    Neomutt,
    /// reads over IMAP and sends over SMTP by itself, in a terminal
    Aerc,
    /// version 2: reads over IMAP and sends over SMTP from the command line
    Himalaya,
}

/// The two isync syntaxes that differ for this file: 1.5 renamed `SSLType` to `TLSType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum IsyncSyntax {
    /// isync 1.4 (Debian 12 ships 1.4.4): `SSLType`
    #[value(name = "1.4")]
    V1_4,
    /// isync 1.5: `TLSType`
    #[value(name = "1.5")]
    V1_5,
}

impl IsyncSyntax {
    /// The newest syntax, for when nothing says otherwise.
    pub const NEWEST: IsyncSyntax = IsyncSyntax::V1_5;

    pub fn as_str(self) -> &'static str {
        match self {
            IsyncSyntax::V1_4 => "1.4",
            IsyncSyntax::V1_5 => "1.5",
        }
    }
}

/// How the isync syntax was chosen, which the mbsync file's comment block reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IsyncSource {
    /// `--isync` on the command line.
    Flag,
    /// `mbsync --version` answered with this version, e.g. `1.4.4`.
    Installed { version: String },
    /// The installed isync is older than 1.4, which the file's `Far`/`Near` need.
    TooOld { version: String },
    /// `mbsync --version` answered something that has no version in it.
    Unrecognized { answer: String },
    /// There is no `mbsync` to ask.
    NotInstalled,
}

/// The isync syntax to write and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IsyncChoice {
    pub syntax: IsyncSyntax,
    pub source: IsyncSource,
}

impl IsyncChoice {
    pub fn from_flag(syntax: IsyncSyntax) -> IsyncChoice {
        IsyncChoice {
            syntax,
            source: IsyncSource::Flag,
        }
    }
}

/// `/path/to/icloud-setup password EMAIL`, with `--config PATH` when the config is not at
/// its default place (else the client's run of it would look in the wrong file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordCommand {
    program: Program,
    argv: Vec<String>,
}

impl PasswordCommand {
    pub fn new(program: &Program, email: &str, config: Option<&str>) -> PasswordCommand {
        let mut argv = vec![
            program.word().to_string(),
            "password".into(),
            email.to_string(),
        ];
        if let Some(path) = config {
            argv.extend(["--config".to_string(), path.to_string()]);
        }
        PasswordCommand {
            program: program.clone(),
            argv,
        }
    }

    /// How the command names the program.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Program and arguments, for formats that run a command without a shell.
    pub fn argv(&self) -> &[String] {
        &self.argv
    }

    /// One line for `sh -c`, every word quoted as the shell needs.
    pub fn shell_line(&self) -> String {
        self.argv
            .iter()
            .map(|word| quote::shell_word(word))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Everything a renderer needs. It holds no secret: there is none to hold.
#[derive(Clone, Debug)]
pub struct ExportInput<'a> {
    pub account: &'a Account,
    pub password_command: PasswordCommand,
    /// The absolute path of `--ca-file`, trusted by the client in its own way.
    pub ca_file: Option<String>,
    /// Used by mbsync only.
    pub isync: IsyncChoice,
}

/// Prints the configuration of `args.client` for the account `args.email` names.
pub fn run(ctx: &mut Context<'_>, args: &ExportArgs) -> Result<(), Error> {
    let config = ctx.config.load()?;
    let account = accounts::pick(&config, args.email.as_deref(), ctx.prompter)?;
    check_account(account)?;

    let config_path = absolute(ctx.config.path());
    let named_config =
        if ConfigStore::default_path().map(|p| absolute(&p)) == Some(config_path.clone()) {
            None
        } else {
            Some(utf8_path(&config_path, "the config file path")?)
        };
    let ca_file = match &ctx.options.ca_file {
        Some(path) => Some(utf8_path(&absolute(path), "the --ca-file path")?),
        None => None,
    };
    let isync = match (args.client, args.isync) {
        (_, Some(syntax)) => IsyncChoice::from_flag(syntax),
        (Client::Mbsync, None) => mbsync::detect(),
        // Only mbsync reads it.
        (_, None) => IsyncChoice::from_flag(IsyncSyntax::NEWEST),
    };
    let input = ExportInput {
        account,
        password_command: PasswordCommand::new(
            &Program::current(),
            &account.email,
            named_config.as_deref(),
        ),
        ca_file,
        isync,
    };
    let text = render(args.client, &input);
    write_stdout(ctx, &text)
}

/// The configuration of `client` for `input`.
pub fn render(client: Client, input: &ExportInput<'_>) -> String {
    match client {
        Client::Msmtp => msmtp::render(input),
        Client::Mbsync => mbsync::render(input),
        Client::Neomutt => neomutt::render(input),
        Client::Aerc => aerc::render(input),
        Client::Himalaya => himalaya::render(input),
    }
}

/// Refuses values no client format can carry: a line break in a name or host (possible in a
/// hand-edited config) would end the setting early and start a new one in the client's file.
fn check_account(account: &Account) -> Result<(), Error> {
    let fields = [
        ("email", account.email.as_str()),
        ("login", account.login.as_str()),
        ("name", account.name.as_deref().unwrap_or("")),
        ("imap.host", account.imap.host.as_str()),
        ("imap.username", account.imap.username.as_str()),
        ("smtp.host", account.smtp.host.as_str()),
        ("smtp.username", account.smtp.username.as_str()),
    ];
    for (what, value) in fields {
        check_value(what, value)?;
    }
    Ok(())
}

fn check_value(what: &str, value: &str) -> Result<(), Error> {
    if value.chars().any(char::is_control) {
        return Err(Error::ExportUnrepresentable {
            what: what.to_string(),
            value: value.to_string(),
        });
    }
    Ok(())
}

/// The path as text for a client's file: it must be UTF-8 and free of control characters.
fn utf8_path(path: &Path, what: &str) -> Result<String, Error> {
    let text = path.to_str().ok_or_else(|| Error::ExportUnrepresentable {
        what: what.to_string(),
        value: path.display().to_string(),
    })?;
    check_value(what, text)?;
    Ok(text.to_string())
}

/// Paths written into a client's file must not depend on where the client happens to run.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The comment block at the top of every exported file: `text` wrapped at 78 columns behind
/// `# `; lines that start with two spaces (commands to type) are kept as they are.
pub fn comment_block(text: &str) -> String {
    const WIDTH: usize = 78;
    let mut out = String::new();
    for line in text.lines() {
        if line.is_empty() {
            out.push_str("#\n");
            continue;
        }
        if line.starts_with("  ") {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut current = String::from("#");
        for unit in units(line, WIDTH - 2) {
            if current.len() > 1 && current.len() + 1 + unit.len() > WIDTH {
                out.push_str(&current);
                out.push('\n');
                current = String::from("#");
            }
            current.push(' ');
            current.push_str(&unit);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

/// The words of `line`, except that a `code span` of several words stays one unit (so a
/// command is not broken across comment lines) unless it is longer than `max`.
fn units(line: &str, max: usize) -> Vec<String> {
    let mut units = Vec::new();
    let mut span: Vec<&str> = Vec::new();
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let ticks = word.matches('`').count();
        if span.is_empty() && ticks % 2 == 0 {
            units.push(word.to_string());
            continue;
        }
        span.push(word);
        if span.len() > 1 && ticks % 2 == 1 {
            let joined = span.join(" ");
            if joined.len() <= max {
                units.push(joined);
            } else {
                units.extend(span.iter().map(|w| w.to_string()));
            }
            span.clear();
        }
    }
    units.extend(span.iter().map(|w| w.to_string()));
    units
}

#[cfg(test)]
pub(crate) mod test_input {
    //! A sample account, and the input for it, for the renderers' unit tests.

    use super::{ExportInput, IsyncChoice, IsyncSyntax, PasswordCommand, Program};
    use crate::config::{Account, Security, ServerSettings};

    /// Where the sample's program is installed.
    pub(crate) fn program() -> Program {
        Program::Absolute("/usr/bin/icloud-setup".into())
    }

    /// What `export` hands a renderer for `account`: the password command naming `config`
    /// when given, the CA file `ca`, and the newest isync syntax.
    pub fn input<'a>(
        account: &'a Account,
        config: Option<&str>,
        ca: Option<&str>,
    ) -> ExportInput<'a> {
        ExportInput {
            account,
            password_command: PasswordCommand::new(&program(), &account.email, config),
            ca_file: ca.map(String::from),
            isync: IsyncChoice::from_flag(IsyncSyntax::NEWEST),
        }
    }

    pub fn account() -> Account {
        Account {
            email: "johnappleseed@icloud.com".into(),
            login: "johnappleseed@icloud.com".into(),
            name: Some("John Appleseed".into()),
            verified_at: Some("2026-11-27T13:45:00Z".into()),
            imap: ServerSettings {
                host: "imap.mail.me.com".into(),
                port: 993,
                security: Security::Tls,
                username: "johnappleseed".into(),
                extra: toml::Table::new(),
            },
            smtp: ServerSettings {
                host: "smtp.mail.me.com".into(),
                port: 587,
                security: Security::Starttls,
                username: "johnappleseed@icloud.com".into(),
                extra: toml::Table::new(),
            },
            extra: toml::Table::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_command_names_the_config_only_when_it_is_not_the_default() {
        let program = test_input::program();
        let plain = PasswordCommand::new(&program, "a@icloud.com", None);
        assert_eq!(
            plain.shell_line(),
            "/usr/bin/icloud-setup password a@icloud.com"
        );
        let named = PasswordCommand::new(&program, "a@icloud.com", Some("/home/a/my mail/c.toml"));
        assert_eq!(
            named.shell_line(),
            "/usr/bin/icloud-setup password a@icloud.com --config '/home/a/my mail/c.toml'"
        );
        assert_eq!(named.argv()[4], "/home/a/my mail/c.toml");
    }

    #[test]
    fn the_program_is_named_by_its_absolute_path_quoted_for_the_shell() {
        let current = Program::current();
        let path = current.path().expect("the test binary has a path");
        assert!(Path::new(path).is_absolute(), "{path}");
        assert_eq!(
            Path::new(path),
            std::fs::canonicalize(std::env::current_exe().unwrap()).unwrap()
        );
        let spaced = Program::Absolute("/home/j/my bin/icloud-setup".into());
        assert_eq!(
            PasswordCommand::new(&spaced, "a@icloud.com", None).shell_line(),
            "'/home/j/my bin/icloud-setup' password a@icloud.com"
        );
        let on_path = PasswordCommand::new(&Program::OnPath, "a@icloud.com", None);
        assert_eq!(on_path.argv()[0], "icloud-setup");
    }

    #[test]
    fn every_format_names_the_program_by_its_path_and_says_how_to_change_it() {
        let account = test_input::account();
        let input = test_input::input(&account, None, None);
        for client in [
            Client::Msmtp,
            Client::Mbsync,
            Client::Neomutt,
            Client::Aerc,
            Client::Himalaya,
        ] {
            let text = render(client, &input);
            let comments: String = text
                .lines()
                .filter(|l| l.starts_with('#'))
                .map(|l| l.trim_start_matches('#').trim())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                comments.contains("absolute path it was run from, /usr/bin/icloud-setup,"),
                "{client:?}:\n{text}"
            );
            assert!(comments.contains("change that path"), "{client:?}:\n{text}");
            let settings: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
            let mentions: Vec<&&str> = settings
                .iter()
                .filter(|l| l.contains("icloud-setup"))
                .collect();
            assert!(!mentions.is_empty(), "{client:?}:\n{text}");
            for line in mentions {
                assert!(
                    line.contains("/usr/bin/icloud-setup"),
                    "{client:?}: a bare name in {line:?}"
                );
            }
        }
        let mut bare = input.clone();
        bare.password_command = PasswordCommand::new(&Program::OnPath, &account.email, None);
        let text = render(Client::Msmtp, &bare);
        assert!(text.contains("on msmtp's PATH"), "{text}");
    }

    #[test]
    fn the_comment_block_wraps_prose_and_keeps_commands() {
        let long = "word ".repeat(40);
        let text = format!("{long}\n  mkdir -p ~/Mail/a@icloud.com\n\nend");
        let block = comment_block(&text);
        assert!(block.lines().all(|l| l.starts_with('#') && l.len() <= 78));
        assert!(block.contains("#   mkdir -p ~/Mail/a@icloud.com\n"));
        assert!(block.contains("\n#\n# end\n"));
        let code = comment_block(&format!(
            "{} run `icloud-setup export msmtp` now",
            "x".repeat(60)
        ));
        assert!(
            code.contains("# `icloud-setup export msmtp` now\n"),
            "{code}"
        );
    }

    /// Runs `export` in-process against a config holding `accounts`; the printed file.
    fn run_export(
        accounts: &[&str],
        args: ExportArgs,
        ca_file: Option<&str>,
        prompter: &mut crate::prompt::ScriptedPrompter,
    ) -> Result<String, Error> {
        let dir = tempfile::tempdir().unwrap();
        let store = ConfigStore::new(dir.path().join("config.toml"));
        store
            .update(|config| {
                for email in accounts {
                    let mut account = test_input::account();
                    account.email = email.to_string();
                    config.upsert(account);
                }
                Ok(())
            })
            .unwrap();
        let mail = crate::mail::LiveMailCheck {
            anchors: crate::mail::tls::TrustAnchors::system(),
            timeout: std::time::Duration::from_secs(1),
        };
        let secrets = crate::secrets::MemoryStore::new();
        let mut stdin: &[u8] = b"";
        let mut stdout = Vec::new();
        let mut ctx = Context {
            options: crate::app::Options {
                servers: crate::plan::Servers::default(),
                timeout: std::time::Duration::from_secs(1),
                verbose: false,
                ca_file: ca_file.map(PathBuf::from),
            },
            config: store,
            secrets: &secrets,
            mail: &mail,
            prompter,
            stdin: &mut stdin,
            stdout: &mut stdout,
            stdout_is_terminal: false,
        };
        run(&mut ctx, &args)?;
        Ok(String::from_utf8(stdout).unwrap())
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
        use crate::prompt::{Answer, ScriptedPrompter};
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
        let mut prompter = crate::prompt::ScriptedPrompter::non_interactive();
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

    #[test]
    fn a_line_break_in_a_saved_value_is_refused_not_written() {
        let mut account = test_input::account();
        account.name = Some("John\nset imap_pass = x".into());
        let error = check_account(&account).unwrap_err();
        assert_eq!(error.exit_code(), 65);
        assert!(error.to_string().contains("name"), "{error}");
    }
}
