//! Dispatch: runs one command against the adapters it is given. `run_with_real_adapters`
//! builds the real ones (terminal, OS keyring, network, config file); tests build a
//! [`Context`] with a scripted prompter, an in-memory keyring and local servers, and call
//! [`run`].

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::{Cli, ColorChoice, Command, GlobalOptions};
use crate::commands::{self, Context, Options};
use crate::config::ConfigStore;
use crate::error::Error;
use crate::mail::LiveMailCheck;
use crate::mail::tls::TrustAnchors;
use crate::messages;
use crate::prompt::TerminalPrompter;
use crate::secrets::{KeyringStore, PassStore};

/// Runs `command` (the wizard when `None`).
pub fn run(command: Option<Command>, ctx: &mut Context<'_>) -> Result<(), Error> {
    match command {
        None => commands::menu::run(ctx),
        Some(Command::Setup(args)) => commands::setup::run(ctx, &args),
        Some(Command::Rotate {
            email,
            password_stdin,
        }) => commands::rotate::run(ctx, email.as_deref(), password_stdin),
        Some(Command::Check {
            email,
            send,
            quiet,
            notify,
        }) => commands::check::run(
            ctx,
            email.as_deref(),
            &commands::check::CheckOptions {
                send_test: send.requested_wait(),
                quiet,
                notify,
            },
        ),
        Some(Command::Watch { action }) => commands::watch::run(ctx, action),
        Some(Command::Status { email, json }) => commands::status::run(ctx, email.as_deref(), json),
        Some(Command::Password { email, reveal }) => {
            commands::password::run(ctx, email.as_deref(), reveal)
        }
        Some(Command::Remove { email, yes }) => commands::remove::run(ctx, &email, yes),
        Some(Command::Settings { email }) => commands::settings::run(ctx, email.as_deref()),
        Some(Command::Export(args)) => commands::export::run(ctx, &args),
        Some(Command::Completions { shell }) => commands::completions::run(ctx, shell),
        Some(Command::GitCredential { operation }) => {
            commands::git_credential::run(ctx, &operation)
        }
    }
}

/// Chooses the language of every text from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`,
/// `LANGUAGE`), once, before the command line is parsed (its `--help` is worded too).
pub fn choose_language() {
    crate::language::set(crate::language::Language::from_environment());
}

/// Turns a panic into a bug report (exit 70, EX_SOFTWARE): the terminal is put back, and
/// one short message says it is a bug, where to report it, and the place in the code.
///
/// The panic's own message is never printed: it can quote what was typed (a slice of text
/// that is not a char boundary is quoted whole in the standard library's message, and the
/// text may be the password). The file and line, and the version, are enough to find it.
/// The words are rendered now, while nothing is broken, so the hook itself cannot fail.
pub fn install_panic_report() {
    let report = messages::t!(
        "internal-error",
        url = format!("{}/issues", env!("CARGO_PKG_REPOSITORY"))
    );
    let label = messages::t!("label-error");
    let utf8 = crate::display_safe::locale_is_utf8();
    let report = crate::display_safe::for_terminal(&format!("{label} {report}"), utf8);
    std::panic::set_hook(Box::new(move |info| {
        crate::interrupt::restore_terminal();
        let place = info
            .location()
            .map_or_else(String::new, |at| format!("{}:{}", at.file(), at.line()));
        crate::streams::to_stderr(&format!(
            "\n{report}\n  {place} ({} {})",
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION")
        ));
        std::process::exit(70);
    }));
}

/// Builds the real adapters and runs the command.
pub fn run_with_real_adapters(cli: Cli) -> Result<(), Error> {
    // Before any command can hold a password: no core file may keep it.
    crate::secrets::no_core_dumps::forbid();
    apply_color_choice(cli.global.color);
    let utf8 = crate::display_safe::locale_is_utf8();
    crate::interrupt::set_notice(crate::display_safe::for_terminal(
        &messages::t!("cancelled"),
        utf8,
    ));
    crate::interrupt::set_notice_after_save(crate::display_safe::for_terminal(
        &messages::t!("stopped-after-saving"),
        utf8,
    ));
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
    let path = config_path(&cli.global)?;
    let shown = path.clone();
    let wait = options.timeout;
    let config = ConfigStore::new(path).with_lock_wait(
        wait,
        Arc::new(move |_lock: &Path| {
            // A notice, not a result: a failed write to standard error changes nothing.
            let _ = writeln!(
                io::stderr(),
                "{}",
                messages::config_lock_waiting(&shown, wait)
            );
        }),
    );
    let secrets = KeyringStore::new(options.timeout);
    let secrets = secrets
        .with_label(messages::keyring_label)
        .for_config(config.path());
    let pass = PassStore::new(options.timeout);
    let mail = LiveMailCheck {
        anchors,
        timeout: options.timeout,
    };
    let mut prompter = TerminalPrompter::new();
    let mut stdin = io::stdin().lock();
    // Refuses writes when standard output was closed (`>&-`), so results that go nowhere
    // end with 1, not 0.
    let mut stdout = crate::output::Stdout::new();
    let mut ctx = Context {
        options,
        config,
        secrets: &secrets,
        pass: &pass,
        mail: &mail,
        prompter: &mut prompter,
        stdin: &mut stdin,
        stdout: &mut stdout,
        stdout_is_terminal: io::stdout().is_terminal(),
    };
    #[cfg(feature = "test-support")]
    crate::panic_trigger::at("start", "");
    let result = run(cli.command, &mut ctx);
    if result.as_ref().is_err_and(|e| e.exit_code() != 130) && crate::interrupt::held_back() {
        // Ctrl-C came during a save that then failed (and was rolled back): the person
        // asked to stop, so the run ends as cancelled.
        return Err(Error::Cancelled);
    }
    result
}

fn config_path(global: &GlobalOptions) -> Result<PathBuf, Error> {
    if let Some(path) = &global.config {
        return Ok(path.clone());
    }
    ConfigStore::default_path().ok_or_else(|| Error::ConfigRead {
        path: PathBuf::from("config.toml"),
        source: io::Error::new(io::ErrorKind::NotFound, messages::t!("no-config-directory")),
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

/// Prints `error: …` and `hint: …` (in the person's language) on standard error.
pub fn report_error(error: &Error) {
    match error {
        Error::Cancelled => {
            crate::interrupt::announce_cancelled();
            return;
        }
        Error::StoppedAfterSaving => {
            let utf8 = crate::display_safe::locale_is_utf8();
            let words = crate::display_safe::for_terminal(&error.to_string(), utf8);
            crate::streams::to_stderr(&format!("\n{words}"));
            return;
        }
        // Each failing account had its line or two already.
        Error::QuietCheckFailed { .. } => return,
        // A reader that went away (`icloud-setup settings | head -1`): exit 1 as the table
        // says, without a message on the terminal about a pipe the person closed on purpose.
        Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => return,
        _ => {}
    }
    let utf8 = crate::display_safe::locale_is_utf8();
    let width = console::Term::stderr()
        .size_checked()
        .filter(|(_, cols)| console::Term::stderr().is_term() && *cols > 0)
        .map(|(_, cols)| usize::from(cols));
    // ASCII outside a UTF-8 locale; words kept whole on a narrow terminal.
    let fit = |label: &str, text: String| {
        let line = format!("{label} {}", crate::display_safe::for_terminal(&text, utf8));
        width.map_or(line.clone(), |cols| {
            crate::prompt::wrap::wrap_text(&line, cols)
        })
    };
    let error_label = messages::t!("label-error");
    let error_line = fit(&error_label, error.to_string());
    crate::streams::to_stderr(&format!(
        "{}{}",
        console::style(&error_label).red().bold(),
        error_line.strip_prefix(&error_label).unwrap_or(&error_line)
    ));
    if let Some(hint) = error.hint() {
        let hint_label = messages::t!("label-hint");
        let hint_line = fit(&hint_label, hint);
        crate::streams::to_stderr(&format!(
            "{}{}",
            console::style(&hint_label).cyan().bold(),
            hint_line.strip_prefix(&hint_label).unwrap_or(&hint_line)
        ));
    }
}
