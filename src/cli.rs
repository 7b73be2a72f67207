//! The command line: commands and flags. Their `--help` texts are worded at run time in
//! the person's language by the text layer (`cli-…` messages), as uutils coreutils
//! does it: [`command`] takes the derived definition and sets every text, [`parse`] parses
//! with it.

use std::io::Write as _;
use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::error::Error;
use crate::export::{Client, IsyncSyntax};
use crate::language::{self, Language};
use crate::mail::ServerAddress;
use crate::messages;

mod globals;

use globals::hide_unused_globals;

#[derive(Debug, Parser)]
#[command(name = "icloud-setup", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct GlobalOptions {
    #[arg(long, global = true, env = "ICLOUD_SETUP_CONFIG", value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub(crate) timeout: u64,

    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,

    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,

    #[arg(
        long,
        global = true,
        env = "ICLOUD_SETUP_IMAP_SERVER",
        value_name = "HOST:PORT",
        default_value = "imap.mail.me.com:993",
        value_parser = parse_server_address,
        help_heading = "Advanced"
    )]
    pub(crate) imap_server: ServerAddress,

    #[arg(
        long,
        global = true,
        env = "ICLOUD_SETUP_SMTP_SERVER",
        value_name = "HOST:PORT",
        default_value = "smtp.mail.me.com:587",
        value_parser = parse_server_address,
        help_heading = "Advanced"
    )]
    pub(crate) smtp_server: ServerAddress,

    #[arg(
        long,
        global = true,
        env = "ICLOUD_SETUP_CA_FILE",
        value_name = "PEM",
        help_heading = "Advanced"
    )]
    pub(crate) ca_file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Setup(SetupArgs),
    Rotate {
        email: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    Check {
        email: Option<String>,
        #[command(flatten)]
        send: SendTestArgs,
        // `--help`: `cli-check-quiet`.
        #[arg(long)]
        quiet: bool,
        // `--help`: `cli-check-notify`.
        #[arg(long)]
        notify: bool,
    },
    Status {
        email: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Password {
        email: Option<String>,
        #[arg(long)]
        reveal: bool,
    },
    Remove {
        email: String,
        #[arg(short, long)]
        yes: bool,
    },
    Settings {
        #[arg(long, value_name = "ADDR")]
        email: Option<String>,
    },
    Export(ExportArgs),
    Completions {
        shell: clap_complete::Shell,
    },
    /// git's credential helper, run by git (set up by `export git`): hidden from the list
    /// of commands, which is for people; the man page has it under its own heading.
    #[command(hide = true)]
    GitCredential {
        /// get, store or erase; others are ignored, as gitcredentials(7) asks.
        #[arg(value_name = "OPERATION")]
        operation: String,
    },
    Watch {
        #[arg(value_enum)]
        action: WatchAction,
    },
}

/// `watch on|off|status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum WatchAction {
    // The values' `--help`: `cli-value-watch-on`, `…Off`, `…Status`.
    On,
    Off,
    Status,
}

#[derive(Debug, Default, Args)]
pub struct SetupArgs {
    #[arg(long, value_name = "ADDR")]
    pub email: Option<String>,

    #[arg(long, value_name = "ADDR")]
    pub login: Option<String>,

    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    #[arg(long)]
    pub password_stdin: bool,

    // Where the password goes (`--help`: `cli-setup-store`).
    #[arg(long, value_enum, value_name = "STORE")]
    pub store: Option<StoreChoice>,

    #[command(flatten)]
    pub send: SendTestArgs,
}

/// `--store`: where the secret is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StoreChoice {
    // The values' `--help`: `cli-value-store-keyring` and `cli-value-store-pass`.
    Keyring,
    Pass,
}

impl From<StoreChoice> for crate::secrets::StoreKind {
    fn from(choice: StoreChoice) -> crate::secrets::StoreKind {
        match choice {
            StoreChoice::Keyring => crate::secrets::StoreKind::Keyring,
            StoreChoice::Pass => crate::secrets::StoreKind::Pass,
        }
    }
}

/// How long `--send-test` waits for its message when `--wait` is not given.
pub(crate) const DEFAULT_SEND_TEST_WAIT: u64 = 120;

/// `--send-test [--wait SECONDS]`, for `check` and `setup`.
#[derive(Clone, Debug, Default, Args)]
pub struct SendTestArgs {
    // `--help`: `cli-send-test`.
    #[arg(long)]
    pub send_test: bool,

    // `--help`: `cli-wait` (which names the default).
    #[arg(long, value_name = "SECONDS", requires = "send_test",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub wait: Option<u64>,
}

impl SendTestArgs {
    /// How long to wait for the message, when a send test was asked for.
    pub(crate) fn requested_wait(&self) -> Option<std::time::Duration> {
        self.send_test
            .then(|| std::time::Duration::from_secs(self.wait.unwrap_or(DEFAULT_SEND_TEST_WAIT)))
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub client: Client,

    #[arg(value_name = "EMAIL")]
    pub email: Option<String>,

    #[arg(long, value_enum, value_name = "VERSION")]
    pub isync: Option<IsyncSyntax>,
}

/// A `--help` text, worded when the command line is built (in the language chosen by then).
type Words = fn() -> String;

/// Which `--help` text each argument of each command gets (`""` is the top level).
const ARGUMENT_TEXTS: &[(&str, &str, Words)] = &[
    ("", "config", || messages::t!("cli-config")),
    ("", "timeout", || messages::t!("cli-timeout")),
    ("", "color", || messages::t!("cli-color")),
    ("", "verbose", || messages::t!("cli-verbose")),
    ("", "imap_server", || messages::t!("cli-imap-server")),
    ("", "smtp_server", || messages::t!("cli-smtp-server")),
    ("", "ca_file", || messages::t!("cli-ca-file")),
    ("setup", "email", || messages::t!("cli-setup-email")),
    ("setup", "login", || messages::t!("cli-setup-login")),
    ("setup", "name", || messages::t!("cli-setup-name")),
    ("setup", "password_stdin", || {
        messages::t!("cli-setup-password-stdin")
    }),
    ("setup", "store", || messages::t!("cli-setup-store")),
    ("setup", "send_test", || messages::t!("cli-send-test")),
    ("setup", "wait", || messages::t!("cli-wait")),
    ("rotate", "email", || messages::t!("cli-rotate-email")),
    ("rotate", "password_stdin", || {
        messages::t!("cli-rotate-password-stdin")
    }),
    ("check", "email", || messages::t!("cli-check-email")),
    ("check", "send_test", || messages::t!("cli-send-test")),
    ("check", "wait", || messages::t!("cli-wait")),
    ("status", "email", || messages::t!("cli-status-email")),
    ("status", "json", || messages::t!("cli-status-json")),
    ("password", "email", || messages::t!("cli-password-email")),
    ("password", "reveal", || messages::t!("cli-password-reveal")),
    ("remove", "email", || messages::t!("cli-remove-email")),
    ("remove", "yes", || messages::t!("cli-remove-yes")),
    ("settings", "email", || messages::t!("cli-settings-email")),
    ("export", "client", || messages::t!("cli-export-client")),
    ("export", "email", || messages::t!("cli-export-email")),
    ("export", "isync", || messages::t!("cli-export-isync")),
    ("completions", "shell", || {
        messages::t!("cli-completions-shell")
    }),
    ("git-credential", "operation", || {
        messages::t!("cli-git-credential-operation")
    }),
    ("check", "quiet", || messages::t!("cli-check-quiet")),
    ("check", "notify", || messages::t!("cli-check-notify")),
    ("watch", "action", || messages::t!("cli-watch-action")),
];

/// Which `--help` texts each command gets: the summary, and the long text when it has one.
const COMMAND_TEXTS: &[(&str, Words, Option<Words>)] = &[
    ("setup", || messages::t!("cli-setup"), None),
    ("rotate", || messages::t!("cli-rotate"), None),
    ("check", || messages::t!("cli-check"), None),
    ("status", || messages::t!("cli-status"), None),
    ("password", || messages::t!("cli-password"), None),
    ("remove", || messages::t!("cli-remove"), None),
    ("settings", || messages::t!("cli-settings"), None),
    (
        "export",
        || messages::t!("cli-export"),
        Some(|| messages::t!("cli-export-long")),
    ),
    ("completions", || messages::t!("cli-completions"), None),
    (
        "git-credential",
        || messages::t!("cli-git-credential"),
        Some(|| messages::t!("cli-git-credential-long")),
    ),
    ("watch", || messages::t!("cli-watch"), None),
];

/// The command line with every `--help` text in the current language, for parsing.
pub(crate) fn command() -> clap::Command {
    worded(false)
}

/// The command line worded as [`command`], with the `help` command's tree of every command
/// that completion scripts offer after `help`.
pub(crate) fn command_for_completions() -> clap::Command {
    worded(true)
}

fn worded(expanded: bool) -> clap::Command {
    let text = shown;
    // `mut_args` changes the arguments in place: their order gives the positionals'
    // indexes and the headings' order, so nothing is taken out and put back.
    let mut cmd = hide_unused_globals(Cli::command())
        .about(text(&messages::t!("cli-about")))
        .long_about(text(&messages::t!("cli-long-about")))
        .mut_args(|arg| word_argument("", arg));
    for &(command, about, long_about) in COMMAND_TEXTS {
        cmd = cmd.mut_subcommand(command, |sub| {
            let sub = sub
                .about(text(&about()))
                .mut_args(|arg| word_argument(command, arg));
            match long_about {
                Some(long) => sub.long_about(text(&long())),
                None => sub,
            }
        });
    }
    // clap adds --help, --version and the `help` command while building; word them after.
    cmd.build();
    localize_built_in(cmd, language::current() != Language::English, expanded)
}

/// The words of a `--help` text as this terminal can show them (ASCII outside a UTF-8
/// locale, see [`crate::display_safe::for_terminal`]): clap prints them as they are.
fn shown(text: &str) -> String {
    printable(text)
}

fn printable(text: &str) -> String {
    crate::display_safe::for_terminal(text, crate::display_safe::locale_is_utf8())
}

/// `arg` of `command` with its help text, its heading and the help of its values.
fn word_argument(command: &str, arg: clap::Arg) -> clap::Arg {
    let text = shown;
    let Some(&(_, _, help)) = ARGUMENT_TEXTS
        .iter()
        .find(|(c, id, _)| *c == command && arg.get_id() == *id)
    else {
        return arg;
    };
    let mut arg = arg.help(text(&help()));
    if arg.get_help_heading().is_some() {
        arg = arg.help_heading(text(&messages::t!("cli-heading-advanced")));
    }
    let arg = match (command, arg.get_id().as_str()) {
        ("export", "client") => arg.value_parser(worded_values(|client: &Client| {
            text(&match client {
                Client::Msmtp => messages::t!("cli-value-msmtp"),
                Client::Mbsync => messages::t!("cli-value-mbsync"),
                Client::Neomutt => messages::t!("cli-value-neomutt"),
                Client::Aerc => messages::t!("cli-value-aerc"),
                Client::Himalaya => messages::t!("cli-value-himalaya"),
                Client::Git => messages::t!("cli-value-git"),
            })
        })),
        ("setup", "store") => arg.value_parser(worded_values(|store: &StoreChoice| {
            text(&match store {
                StoreChoice::Keyring => messages::t!("cli-value-store-keyring"),
                StoreChoice::Pass => messages::t!("cli-value-store-pass"),
            })
        })),
        ("watch", "action") => arg.value_parser(worded_values(|action: &WatchAction| {
            text(&match action {
                WatchAction::On => messages::t!("cli-value-watch-on"),
                WatchAction::Off => messages::t!("cli-value-watch-off"),
                WatchAction::Status => messages::t!("cli-value-watch-status"),
            })
        })),
        ("export", "isync") => arg.value_parser(worded_values(|syntax: &IsyncSyntax| {
            text(&match syntax {
                IsyncSyntax::V1_4 => messages::t!("cli-value-isync-1-4"),
                IsyncSyntax::V1_5 => messages::t!("cli-value-isync-1-5"),
            })
        })),
        _ => arg,
    };
    if language::current() == Language::English {
        arg
    } else {
        annotate(arg)
    }
}

/// `arg` with clap's own English annotations (`[env: …]`, `[default: …]`, `[possible
/// values: …]` and the "Possible values:" list) replaced by worded ones, so a `--help`
/// screen is in one language.
fn annotate(arg: clap::Arg) -> clap::Arg {
    if !arg.get_action().takes_values() {
        return arg;
    }
    let Some(help) = arg.get_help().map(ToString::to_string) else {
        return arg;
    };
    let mut short = help.clone();
    let mut arg = arg;
    if let Some(name) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        short.push_str(&format!(
            " {}",
            printable(&messages::t!("help-env", name = name.to_string_lossy()))
        ));
        arg = arg.hide_env(true);
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        short.push_str(&format!(
            " {}",
            printable(&messages::t!("help-default", value = defaults.join(", ")))
        ));
        arg = arg.hide_default_value(true);
    }
    let values: Vec<clap::builder::PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if values.is_empty() || arg.is_hide_possible_values_set() {
        return arg.help(short);
    }
    let names: Vec<&str> = values
        .iter()
        .map(clap::builder::PossibleValue::get_name)
        .collect();
    let mut long = short.clone();
    short.push_str(&format!(
        " {}",
        printable(&messages::t!(
            "help-possible-values",
            values = names.join(", ")
        ))
    ));
    if values.iter().any(|v| v.get_help().is_some()) {
        // The long help lists each value with its words, as clap's own list does.
        long.push_str(&format!(
            "\n\n{}",
            printable(&messages::t!("help-possible-values-heading"))
        ));
        for value in &values {
            match value.get_help() {
                Some(words) => long.push_str(&format!("\n- {}: {words}", value.get_name())),
                None => long.push_str(&format!("\n- {}", value.get_name())),
            }
        }
    } else {
        long.clone_from(&short);
    }
    arg.hide_possible_values(true).help(short).long_help(long)
}

/// The values of `E`, each with its `--help` text from `words`, parsed into `E`.
fn worded_values<E: ValueEnum + Clone + Send + Sync + 'static>(
    words: impl Fn(&E) -> String,
) -> impl clap::builder::TypedValueParser<Value = E> {
    let values = E::value_variants().iter().map(|value| {
        value
            .to_possible_value()
            .expect("no value is skipped")
            .help(words(value))
    });
    clap::builder::PossibleValuesParser::new(values).map(|name: String| {
        E::from_str(&name, false).expect("the parser only lets listed values through")
    })
}

/// Words clap's own texts: the help and version flags and the `help` command, and for
/// languages other than English (where clap's own are the words) the headings and the
/// "Usage:" line.
fn localize_built_in(mut cmd: clap::Command, headings: bool, expanded: bool) -> clap::Command {
    let text = shown;
    let has = |cmd: &clap::Command, id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
    if has(&cmd, "help") {
        let long = cmd.get_arguments().any(|a| a.get_long_help().is_some())
            || cmd.get_long_about().is_some()
            || cmd.get_subcommands().any(|s| s.get_long_about().is_some());
        cmd = cmd.mut_arg("help", |a| {
            if long {
                a.help(text(&messages::t!("cli-help-short")))
                    .long_help(text(&messages::t!("cli-help-long")))
            } else {
                a.help(text(&messages::t!("cli-help")))
            }
        });
    }
    if has(&cmd, "version") {
        cmd = cmd.mut_arg("version", |a| a.help(text(&messages::t!("cli-version"))));
    }
    if headings {
        let options = text(&messages::t!("cli-heading-options"));
        let arguments = text(&messages::t!("cli-heading-arguments"));
        cmd = cmd.mut_args(|a| {
            if a.get_help_heading().is_some() {
                a
            } else if a.is_positional() {
                a.help_heading(arguments.clone())
            } else {
                a.help_heading(options.clone())
            }
        });
        cmd = cmd
            .subcommand_help_heading(text(&messages::t!("cli-heading-commands")))
            .help_template(format!(
                "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
                text(&messages::t!("cli-usage-heading"))
            ));
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sub| {
            if name != "help" {
                return localize_built_in(sub, headings, expanded);
            }
            if !expanded {
                // `build` grows the `help` command a copy of every command (completion
                // scripts want them); clap's parser makes it this one instead.
                return help_command(headings);
            }
            let sub = sub.about(text(&messages::t!("cli-help-command")));
            localize_built_in(sub, headings, expanded)
        });
    }
    cmd
}

/// The `help` command as clap's parser makes it, worded.
fn help_command(headings: bool) -> clap::Command {
    let text = shown;
    let help = clap::Command::new("help")
        .about(text(&messages::t!("cli-help-command")))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("subcommand")
                .action(clap::ArgAction::Append)
                .num_args(..)
                .value_name("COMMAND")
                .help(text(&messages::t!("cli-help-command-args"))),
        );
    localize_built_in(help, headings, false)
}

/// Parses the process's arguments with the worded command line; exits on `--help`,
/// `--version` (0) and mistakes (2), as clap does — except that help or a version that
/// cannot be written to standard output (`--help >/dev/full`, `>&-`) is
/// [`Error::Output`], exit 1, where clap would exit 0.
pub fn parse() -> Result<Cli, Error> {
    let error = match command().try_get_matches() {
        Ok(matches) => return Ok(from_matches(&matches).unwrap_or_else(|error| error.exit())),
        Err(error) => error,
    };
    if error.use_stderr() {
        error.exit();
    }
    let rendered = error.render();
    let text = if std::io::IsTerminal::is_terminal(&std::io::stdout()) && console::colors_enabled()
    {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    let mut stdout = crate::output::Stdout::new();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Error::Output)?;
    std::process::exit(0);
}

fn from_matches(matches: &ArgMatches) -> Result<Cli, clap::Error> {
    Cli::from_arg_matches(matches)
}

/// `HOST:PORT` for `--imap-server` and `--smtp-server`, with the problem in words.
fn parse_server_address(text: &str) -> Result<ServerAddress, String> {
    text.parse()
        .map_err(|problem| crate::messages::server_address_problem(&problem))
}
