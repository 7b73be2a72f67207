//! What every command works with: the resolved global options and the adapters of one run
//! (config file, secret store, mail check, prompter, standard streams). `app` builds the real
//! ones; tests build theirs.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::GlobalOptions;
use crate::config::ConfigStore;
use crate::error::Error;
use crate::mail::MailCheck;
use crate::plan::Servers;
use crate::prompt::Prompter;
use crate::secrets::SecretStore;

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
    pub(crate) fn from_cli(global: &GlobalOptions) -> Options {
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
    /// The OS keyring: the store of every account without a `secret` line.
    pub secrets: &'a dyn SecretStore,
    /// `pass`, for accounts whose config says `secret = "pass:…"`.
    pub pass: &'a dyn SecretStore,
    pub mail: &'a dyn MailCheck,
    pub prompter: &'a mut dyn Prompter,
    pub stdin: &'a mut dyn BufRead,
    pub stdout: &'a mut dyn Write,
    /// Whether standard output is a terminal (`password` refuses to print there).
    pub stdout_is_terminal: bool,
}

/// Writes a command's result to standard output.
pub fn write_stdout(ctx: &mut Context<'_>, text: &str) -> Result<(), Error> {
    // Every failure counts, a closed pipe too (`icloud-setup settings | head`): exit 1, as
    // PRODUCT.md's table says; `report_error` stays quiet about the pipe.
    ctx.stdout
        .write_all(text.as_bytes())
        .and_then(|()| ctx.stdout.flush())
        .map_err(Error::Output)
}
