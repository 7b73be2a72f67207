//! `icloud-setup export CLIENT [EMAIL]`: a ready configuration for a mail program, printed on
//! standard output.
//!
//! This module gathers what every format needs into an [`ExportInput`] — the saved account
//! (picked by the EMAIL rules of [`accounts::pick`]), the password command, the CA file of
//! `--ca-file`, and for mbsync the isync syntax — and writes what the client's renderer makes
//! of it. Each client has a file of its own (`msmtp`, `mbsync`, `neomutt`, `aerc`,
//! `himalaya`, `git`) whose `render(&ExportInput) -> String` is pure, so the formats are tested
//! without files or processes; the one exception, asking the installed `mbsync` its
//! version, lives in `mbsync.rs` too.
//!
//! What it never does: read the keyring or touch the network. The exported file runs
//! `/abs/path/icloud-setup password EMAIL` whenever the client needs the password, so no
//! secret is ever written into it, and a password replaced by `icloud-setup rotate` reaches
//! every client by itself. The program is named by the absolute path it was run from
//! ([`Program`]), because clients started by cron or systemd rarely have `~/.cargo/bin` on
//! their PATH.

pub(crate) mod aerc;
pub(crate) mod git;
pub(crate) mod himalaya;
pub(crate) mod mbsync;
pub(crate) mod msmtp;
pub(crate) mod neomutt;
// The quoting rules, public only for the integration tests (`test-support`).
#[cfg(feature = "test-support")]
pub mod quote;
#[cfg(not(feature = "test-support"))]
#[allow(unreachable_pub)]
pub(crate) mod quote;

use clap::ValueEnum;

use crate::config::Account;

/// The program's name, for when its path cannot be written into a file (see [`Program`]).
pub(crate) const PROGRAM: &str = "icloud-setup";

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
    pub(crate) fn current() -> Program {
        std::env::current_exe()
            .and_then(std::fs::canonicalize)
            .ok()
            .and_then(|path| path.to_str().map(String::from))
            .filter(|path| !path.chars().any(char::is_control))
            .map_or(Program::OnPath, Program::Absolute)
    }

    /// The absolute path, when the files name one.
    pub(crate) fn path(&self) -> Option<&str> {
        match self {
            Program::Absolute(path) => Some(path),
            Program::OnPath => None,
        }
    }

    fn word(&self) -> &str {
        self.path().unwrap_or(PROGRAM)
    }
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
    /// git send-email: sends patches over SMTP, the password from a credential helper
    Git,
}

impl Client {
    /// The longest line the client reads from its file, in bytes without the line end;
    /// `None` when any length is read. msmtp reads its file in lines of at most 499 bytes
    /// and refuses the whole file for a longer one ("line longer than 500 characters").
    pub(crate) fn line_limit(self) -> Option<usize> {
        match self {
            Client::Msmtp => Some(msmtp::LINE_LIMIT),
            Client::Mbsync | Client::Neomutt | Client::Aerc | Client::Himalaya | Client::Git => {
                None
            }
        }
    }

    /// Every client as the command line spells it, `|` between them, as a usage line
    /// offers a choice (`msmtp|mbsync|…`): the messages that list the clients take this, so
    /// a new variant of this enum reaches them by itself.
    pub fn choices() -> String {
        Client::value_variants()
            .iter()
            .map(|client| client.name())
            .collect::<Vec<_>>()
            .join("|")
    }

    /// The client's name as the command line spells it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Client::Msmtp => "msmtp",
            Client::Mbsync => "mbsync",
            Client::Neomutt => "neomutt",
            Client::Aerc => "aerc",
            Client::Himalaya => "himalaya",
            Client::Git => "git",
        }
    }
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

    pub(crate) fn as_str(self) -> &'static str {
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
    /// `mbsync --version` did not answer within this many seconds, and was stopped.
    NoAnswer { waited_secs: u64 },
}

/// The isync syntax to write and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IsyncChoice {
    pub(crate) syntax: IsyncSyntax,
    pub(crate) source: IsyncSource,
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
    config: Option<String>,
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
            config: config.map(String::from),
        }
    }

    /// The config path the command names, when it is not the default one.
    pub(crate) fn config(&self) -> Option<&str> {
        self.config.as_deref()
    }

    /// How the command names the program.
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }

    /// Program and arguments, for formats that run a command without a shell.
    pub(crate) fn argv(&self) -> &[String] {
        &self.argv
    }

    /// One line for `sh -c`, every word quoted as the shell needs.
    pub(crate) fn shell_line(&self) -> String {
        self.argv
            .iter()
            .map(|word| quote::shell_word(word))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One sentence of a file's comment block, as facts: the text layer words it (in the
/// person's language), the renderer places it. Renderers know no language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note<'a> {
    /// What the file is and who wrote it.
    Title {
        client: &'a str,
        email: &'a str,
        command: &'a str,
    },
    /// Where the password comes from; `program` is the absolute path the command names
    /// icloud-setup by (`None`: its bare name, found on the PATH); `per_use` when the client
    /// runs the command each time.
    PasswordCommand {
        client: &'a str,
        command: &'a str,
        program: Option<&'a str>,
        per_use: bool,
    },
    /// `--ca-file` trusted beside the system's CAs.
    CaAdded {
        path: &'a str,
    },
    CaNeomutt {
        path: &'a str,
    },
    CaMsmtp {
        path: &'a str,
    },
    CaAerc {
        path: &'a str,
        quoted_path: &'a str,
    },
    MsmtpSteps {
        account: &'a str,
        test_command: &'a str,
    },
    IsyncSyntax {
        syntax: &'a str,
        source: &'a IsyncSource,
    },
    MbsyncSteps {
        newest_syntax: bool,
        mkdir_command: &'a str,
        sync_command: &'a str,
    },
    NeomuttSteps,
    AercSteps,
    AercStarttls,
    HimalayaSteps,
    /// Where git's sections go and how to send a patch.
    GitSteps,
    /// That the helper answers for this server and username only.
    GitCredential {
        server: &'a str,
        username: &'a str,
    },
    /// What `smtpEncryption`'s value means in git's words.
    GitEncryption {
        starttls: bool,
    },
    /// Why the credential section empties the list of helpers first.
    GitHelperReset,
    /// `--ca-file` as `smtpSSLCertPath`, which replaces the system's CAs.
    CaGit {
        path: &'a str,
    },
}

/// The wording of [`Note`]s, handed down by the caller (the text layer's `export_note`).
#[derive(Clone, Copy)]
pub struct Words<'a>(pub &'a dyn Fn(Note<'_>) -> String);

impl Words<'_> {
    pub(crate) fn say(&self, note: Note<'_>) -> String {
        (self.0)(note)
    }
}

impl std::fmt::Debug for Words<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Words")
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
    /// The comment blocks' sentences.
    pub words: Words<'a>,
}

/// The configuration of `client` for `input`.
pub fn render(client: Client, input: &ExportInput<'_>) -> String {
    match client {
        Client::Msmtp => msmtp::render(input),
        Client::Mbsync => mbsync::render(input),
        Client::Neomutt => neomutt::render(input),
        Client::Aerc => aerc::render(input),
        Client::Himalaya => himalaya::render(input),
        Client::Git => git::render(input),
    }
}

/// The comment block at the top of every exported file: `text` wrapped at 78 columns behind
/// `# `; lines that start with two spaces (commands to type) are kept as they are.
pub(crate) fn comment_block(text: &str) -> String {
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
        // Widths in characters, not bytes: German prose would wrap short otherwise.
        let width = |text: &str| text.chars().count();
        let mut current = String::from("#");
        for unit in units(line, WIDTH - 2) {
            if current.len() > 1 && width(&current) + 1 + width(&unit) > WIDTH {
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
            if joined.chars().count() <= max {
                units.push(joined);
            } else {
                units.extend(span.iter().map(std::string::ToString::to_string));
            }
            span.clear();
        }
    }
    units.extend(span.iter().map(std::string::ToString::to_string));
    units
}

#[cfg(test)]
pub(crate) mod test_input {
    //! A sample account, and the input for it, for the renderers' unit tests.

    use super::{ExportInput, IsyncChoice, IsyncSyntax, PasswordCommand, Program, Words};
    use crate::config::{Account, Security, ServerSettings};

    /// Where the sample's program is installed.
    pub(crate) fn program() -> Program {
        Program::Absolute("/usr/bin/icloud-setup".into())
    }

    /// What `export` hands a renderer for `account`: the password command naming `config`
    /// when given, the CA file `ca`, and the newest isync syntax.
    pub(crate) fn input<'a>(
        account: &'a Account,
        config: Option<&str>,
        ca: Option<&str>,
    ) -> ExportInput<'a> {
        ExportInput {
            account,
            password_command: PasswordCommand::new(&program(), &account.email, config),
            ca_file: ca.map(String::from),
            isync: IsyncChoice::from_flag(IsyncSyntax::NEWEST),
            words: Words(&crate::messages::export_note),
        }
    }

    pub(crate) fn account() -> Account {
        Account {
            email: "johnappleseed@icloud.com".into(),
            login: "johnappleseed@icloud.com".into(),
            name: Some("John Appleseed".into()),
            verified_at: Some("2026-11-27T13:45:00Z".into()),
            password_saved_at: None,
            secret: None,
            pass_store_dir: None,
            gnupg_home: None,
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
            folders: None,
            extra: toml::Table::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::display_safe::strategies::any_text;
    use proptest::prelude::*;

    proptest! {
        // A shell per case.
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The password command every export writes for a shell (msmtp's `passwordeval`,
        /// mbsync's `PassCmd`, aerc's and NeoMutt's commands) is, as `sh` reads it, the
        /// program's own argument list, whatever the address, path or program.
        #[test]
        fn the_shell_reads_the_password_command_as_its_arguments(
            email in any_text(),
            config in any_text(),
            program in any_text(),
        ) {
            let [email, config, program] = [email, config, program].map(|t| t.replace('\0', ""));
            let command = PasswordCommand::new(
                &Program::Absolute(format!("/opt/{program}/icloud-setup")),
                &email,
                Some(&config),
            );
            prop_assert_eq!(quote::words_by_sh(&command.shell_line()), command.argv().to_vec());
        }
    }

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
    fn the_choices_are_every_client_each_as_the_command_line_takes_it() {
        let choices = Client::choices();
        let named: Vec<Client> = choices
            .split('|')
            .map(|name| Client::from_str(name, false).expect(name))
            .collect();
        assert_eq!(named, Client::value_variants(), "{choices}");
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
        for &client in Client::value_variants() {
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

    /// Widths were counted in bytes, so prose with umlauts wrapped well short of 78.
    #[test]
    fn the_comment_block_counts_characters_not_bytes() {
        let text = "Grüße für Jürgen öffnen ".repeat(10);
        let block = comment_block(&text);
        let widths: Vec<usize> = block.lines().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|w| *w <= 78), "{block}");
        assert!(widths[0] > 70, "wrapped short: {block}");
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
}
