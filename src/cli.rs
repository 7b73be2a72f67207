//! The command line: commands, flags and their `--help` text (the doc comments).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::export::ExportArgs;
use crate::mail::ServerAddress;

/// Set up an iCloud Mail account for any IMAP/SMTP mail program: the address and an
/// app-specific password go in, the logins are tested live against Apple's servers, and a
/// profile is saved with the password in the system keyring.
///
/// Run without a command for the wizard.
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
    /// Config file to use (default: icloud-setup/config.toml in the system's config directory)
    #[arg(long, global = true, env = "ICLOUD_SETUP_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Seconds to wait for each server (and for the keyring) before giving up
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,

    /// When to use colors (NO_COLOR is honoured with auto)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Show the conversation with the servers (the password is always masked)
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// IMAP server to test, for testing and unusual networks
    #[arg(
        long,
        global = true,
        env = "ICLOUD_SETUP_IMAP_SERVER",
        value_name = "HOST:PORT",
        default_value = "imap.mail.me.com:993",
        value_parser = parse_server_address,
        help_heading = "Advanced"
    )]
    pub imap_server: ServerAddress,

    /// SMTP submission server to test, for testing and unusual networks
    #[arg(
        long,
        global = true,
        env = "ICLOUD_SETUP_SMTP_SERVER",
        value_name = "HOST:PORT",
        default_value = "smtp.mail.me.com:587",
        value_parser = parse_server_address,
        help_heading = "Advanced"
    )]
    pub smtp_server: ServerAddress,

    /// Also trust the CA certificates in this PEM file (certificates are always checked)
    #[arg(
        long,
        global = true,
        env = "ICLOUD_SETUP_CA_FILE",
        value_name = "PEM",
        help_heading = "Advanced"
    )]
    pub ca_file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add (or update) an account; every question has a flag, so it can run with none
    Setup(SetupArgs),
    /// Put a new app-specific password in place for a saved account (tested live first)
    Rotate {
        /// The account (may be left out when only one is saved)
        email: Option<String>,
        /// Read the new app-specific password as one line from standard input
        #[arg(long)]
        password_stdin: bool,
    },
    /// Live-test saved accounts with the stored password (all of them unless one is named)
    Check {
        /// The account to check
        email: Option<String>,
    },
    /// Show saved accounts, their usernames, last verification and where the password is
    Status {
        /// The account to show (all when left out)
        email: Option<String>,
        /// Machine-readable output
        #[arg(long)]
        json: bool,
    },
    /// Print the app-specific password on standard output, for a mail program's password
    /// command
    Password {
        /// The account (may be left out when only one is saved)
        email: Option<String>,
        /// Print it even when standard output is a terminal
        #[arg(long)]
        reveal: bool,
    },
    /// Delete an account from the config and its password from the keyring
    Remove {
        /// The account to remove
        email: String,
        /// Do not ask for confirmation
        #[arg(short, long)]
        yes: bool,
    },
    /// Print iCloud's server settings (hosts, ports, security, usernames); saves nothing
    Settings {
        /// Show the usernames for this address
        #[arg(long, value_name = "ADDR")]
        email: Option<String>,
    },
    /// Print a ready configuration for msmtp, mbsync, neomutt, aerc or himalaya
    ///
    /// It goes to standard output, with a comment block on top saying where to save it and what
    /// to run next. The client gets the password by running `icloud-setup password EMAIL`, so
    /// the file holds no secret and a rotated password reaches the client by itself. With
    /// --ca-file, the CA goes into the client's own trust setting.
    Export(ExportArgs),
    /// Print shell completions
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Default, Args)]
pub struct SetupArgs {
    /// The address mail is sent from
    #[arg(long, value_name = "ADDR")]
    pub email: Option<String>,

    /// The @icloud.com, @me.com or @mac.com address used to sign in, when --email is on a
    /// custom domain (iCloud+) or is an Apple ID at another provider
    #[arg(long, value_name = "ADDR")]
    pub login: Option<String>,

    /// Your name as recipients see it (optional)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Read the app-specific password as one line from standard input
    #[arg(long)]
    pub password_stdin: bool,
}

/// `HOST:PORT` for `--imap-server` and `--smtp-server`, with the problem in words.
fn parse_server_address(text: &str) -> Result<ServerAddress, String> {
    text.parse()
        .map_err(|problem| crate::messages::server_address_problem(&problem))
}
