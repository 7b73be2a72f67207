//! Runs one command against the adapters it is given. `run_with_real_adapters` builds
//! the real ones (terminal, OS keyring, network, config file); tests build a [`Context`]
//! with a scripted prompter, an in-memory keyring and local servers, and call [`run`].

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{Cli, ColorChoice, Command, GlobalOptions};
use crate::commands;
use crate::config::ConfigStore;
use crate::domain::EmailAddress;
use crate::error::Error;
use crate::mail::tls::TrustAnchors;
use crate::mail::{LiveMailCheck, MailCheck};
use crate::messages;
use crate::plan::Servers;
use crate::prompt::{Prompter, TerminalPrompter};
use crate::secrets::{KeyringStore, SecretStore};
use crate::wizard;

/// The settings every command shares, resolved from the global options.
#[derive(Clone, Debug)]
pub struct Options {
    pub servers: Servers,
    pub timeout: Duration,
    pub verbose: bool,
    /// Extra CAs to trust (`--ca-file`), also handed to exported client configs.
    pub ca_file: Option<PathBuf>,
}

impl Options {
    pub fn from_cli(global: &GlobalOptions) -> Options {
        Options {
            servers: Servers {
                imap: global.imap_server.clone(),
                smtp: global.smtp_server.clone(),
            },
            timeout: Duration::from_secs(global.timeout),
            verbose: global.verbose,
            ca_file: global.ca_file.clone(),
        }
    }
}

/// The adapters and options one run works with.
pub struct Context<'a> {
    pub options: Options,
    pub config: ConfigStore,
    pub secrets: &'a dyn SecretStore,
    pub mail: &'a dyn MailCheck,
    pub prompter: &'a mut dyn Prompter,
    pub stdin: &'a mut dyn BufRead,
    pub stdout: &'a mut dyn Write,
    /// Whether standard output is a terminal (`password` refuses to print there).
    pub stdout_is_terminal: bool,
}

/// Runs `command` (the wizard when `None`).
pub fn run(command: Option<Command>, ctx: &mut Context<'_>) -> Result<(), Error> {
    match command {
        None => commands::menu::run(ctx),
        Some(Command::Setup(args)) => wizard::setup(ctx, &args),
        Some(Command::Rotate {
            email,
            password_stdin,
        }) => commands::rotate::run(ctx, email.as_deref(), password_stdin),
        Some(Command::Check { email }) => commands::check::run(ctx, email.as_deref()),
        Some(Command::Status { email, json }) => commands::status::run(ctx, email.as_deref(), json),
        Some(Command::Password { email, reveal }) => {
            commands::password::run(ctx, email.as_deref(), reveal)
        }
        Some(Command::Remove { email, yes }) => commands::remove::run(ctx, &email, yes),
        Some(Command::Settings { email }) => print_settings(ctx, email.as_deref()),
        Some(Command::Export(args)) => crate::export::run(ctx, &args),
        Some(Command::Completions { shell }) => {
            write_stdout(ctx, &commands::completions::script(shell))
        }
    }
}

fn print_settings(ctx: &mut Context<'_>, email: Option<&str>) -> Result<(), Error> {
    if let Some(text) = email {
        EmailAddress::parse(text).map_err(|problem| Error::InvalidAddress { problem })?;
    }
    let table = messages::settings_table(&ctx.options.servers, None, email);
    write_stdout(ctx, &table)
}

/// Writes a command's result to standard output.
pub fn write_stdout(ctx: &mut Context<'_>, text: &str) -> Result<(), Error> {
    match ctx
        .stdout
        .write_all(text.as_bytes())
        .and_then(|()| ctx.stdout.flush())
    {
        // A closed pipe (`icloud-setup settings | head`) is not an error worth a message.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
        _ => Ok(()),
    }
}

/// Builds the real adapters and runs the command.
pub fn run_with_real_adapters(cli: Cli) -> Result<(), Error> {
    apply_color_choice(cli.global.color);
    let options = Options::from_cli(&cli.global);
    let anchors = match &cli.global.ca_file {
        Some(path) => {
            TrustAnchors::with_ca_file(path).map_err(|problem| Error::CaFileUnusable {
                path: path.clone(),
                problem,
            })?
        }
        None => TrustAnchors::system(),
    };
    let config = ConfigStore::new(config_path(&cli.global)?);
    let secrets = KeyringStore::new(options.timeout);
    let mail = LiveMailCheck {
        anchors,
        timeout: options.timeout,
    };
    let mut prompter = TerminalPrompter::new();
    let mut stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    let mut ctx = Context {
        options,
        config,
        secrets: &secrets,
        mail: &mail,
        prompter: &mut prompter,
        stdin: &mut stdin,
        stdout: &mut stdout,
        stdout_is_terminal: io::stdout().is_terminal(),
    };
    run(cli.command, &mut ctx)
}

fn config_path(global: &GlobalOptions) -> Result<PathBuf, Error> {
    if let Some(path) = &global.config {
        return Ok(path.clone());
    }
    ConfigStore::default_path().ok_or_else(|| Error::ConfigRead {
        path: PathBuf::from("config.toml"),
        source: io::Error::new(io::ErrorKind::NotFound, messages::no_config_directory()),
    })
}

fn apply_color_choice(choice: ColorChoice) {
    let enabled = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && console::colors_enabled_stderr()
        }
    };
    console::set_colors_enabled(enabled);
    console::set_colors_enabled_stderr(enabled);
}

/// Prints `error: …` and `hint: …` on standard error.
pub fn report_error(error: &Error) {
    if matches!(error, Error::Cancelled) {
        crate::interrupt::announce_cancelled();
        return;
    }
    eprintln!("{} {error}", console::style("error:").red().bold());
    if let Some(hint) = error.hint() {
        eprintln!("{} {hint}", console::style("hint:").cyan().bold());
    }
}
