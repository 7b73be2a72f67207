//! `icloud-setup watch on|off|status`: a daily `check --quiet --notify` run by the system's
//! scheduler, so that a revoked password is noticed within a day without the
//! person doing anything.
//!
//! With systemd (Linux): a user service and timer, enabled with `systemctl --user`; when no
//! user manager answers, the units are still written and the run ends with 69 and the
//! commands that enable them later. Without systemd: the crontab line to add. On macOS: a
//! launchd agent (written, not yet tried on a Mac). Every tool call is bounded by
//! `--timeout`. What the scheduled runs found comes from systemd (the last run's exit code)
//! and from the profile (each account's last successful check).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::cli::WatchAction;
use crate::commands::context::{Context, write_stdout};
use crate::config::ConfigStore;
use crate::error::Error;
use crate::messages;
use crate::watch::systemd::{self, SystemctlProblem, UnitWords};
use crate::watch::{Schedule, cron, launchd};

pub(crate) fn run(ctx: &mut Context<'_>, action: WatchAction) -> Result<(), Error> {
    if cfg!(target_os = "macos") {
        return macos(ctx, action);
    }
    if !systemd::installed() {
        return without_systemd(ctx, action);
    }
    match action {
        WatchAction::On => on(ctx),
        WatchAction::Off => off(ctx),
        WatchAction::Status => status(ctx),
    }
}

/// What the scheduler runs: this program by its absolute path, and `--config` when the
/// config is not at its default place.
fn schedule(ctx: &Context<'_>) -> Result<Vec<String>, Error> {
    let program = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|source| Error::WatchFiles {
            path: PathBuf::from("icloud-setup"),
            source,
        })?;
    let config = ctx.config.path();
    let config = (ConfigStore::default_path().as_deref() != Some(config))
        .then(|| std::path::absolute(config).unwrap_or_else(|_| config.to_path_buf()));
    Schedule { program, config }
        .arguments()
        .map_err(|unusable| Error::WatchPathUnusable { path: unusable.0 })
}

fn unit_dir() -> Result<PathBuf, Error> {
    systemd::unit_dir_from_environment().ok_or_else(|| Error::WatchFiles {
        path: PathBuf::from("~/.config/systemd/user"),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            messages::t!("no-config-directory"),
        ),
    })
}

fn words() -> UnitWords {
    UnitWords {
        comment: messages::t!("watch-file-comment"),
        service_description: messages::t!("watch-service-description"),
        timer_description: messages::t!("watch-timer-description"),
    }
}

/// Writes `text` to `path` through a temporary file in the same directory, so a unit is
/// never half-written when the manager reads it.
fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    let files = |source| Error::WatchFiles {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(files)?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(files)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(files)?;
    file.persist(path).map_err(|e| files(e.error))?;
    Ok(())
}

/// Removes `path`; true when it was there.
fn remove_file(path: &Path) -> Result<bool, Error> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(Error::WatchFiles {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn on(ctx: &mut Context<'_>) -> Result<(), Error> {
    let args = schedule(ctx)?;
    let dir = unit_dir()?;
    let words = words();
    write_file(
        &dir.join(systemd::SERVICE),
        &systemd::service_text(&args, &words),
    )?;
    let timer = dir.join(systemd::TIMER);
    write_file(&timer, &systemd::timer_text(&words))?;
    let timeout = ctx.options.timeout;
    for step in [&["daemon-reload"][..], &["enable", "--now", systemd::TIMER]] {
        systemctl_step(step, timeout, &dir)?;
    }
    let next = systemd::property(systemd::TIMER, "NextElapseUSecRealtime", timeout);
    ctx.prompter
        .say(&messages::watch_on(&timer, next.as_deref()));
    Ok(())
}

/// One `systemctl --user` step of `watch on`: no manager is 69 with the way to enable the
/// units later; a refusal is 69 with systemctl's words.
fn systemctl_step(args: &[&str], timeout: Duration, dir: &Path) -> Result<(), Error> {
    match systemd::systemctl(args, timeout) {
        Ok(_) => Ok(()),
        Err(SystemctlProblem::NoManager(_) | SystemctlProblem::NotInstalled) => {
            Err(Error::WatchNoUserManager {
                dir: dir.to_path_buf(),
            })
        }
        Err(SystemctlProblem::Failed(problem)) => Err(Error::WatchSystemctl {
            command: format!("systemctl --user {}", args.join(" ")),
            problem,
        }),
    }
}

fn off(ctx: &mut Context<'_>) -> Result<(), Error> {
    let dir = unit_dir()?;
    let timer = dir.join(systemd::TIMER);
    let service = dir.join(systemd::SERVICE);
    // `enable` linked the timer here; `disable` unlinks it, and so does this command when
    // no manager answers.
    let wanted = dir.join("timers.target.wants").join(systemd::TIMER);
    let linked = std::fs::symlink_metadata(&wanted).is_ok();
    if !timer.exists() && !service.exists() && !linked {
        ctx.prompter.say(&messages::t!("watch-was-off"));
        return Ok(());
    }
    let timeout = ctx.options.timeout;
    let told = match systemd::systemctl(&["disable", "--now", systemd::TIMER], timeout) {
        Ok(_) => true,
        Err(SystemctlProblem::NoManager(_) | SystemctlProblem::NotInstalled) => false,
        // The timer was never enabled, or was removed by hand: the files still go.
        Err(SystemctlProblem::Failed(_)) => true,
    };
    let mut removed = 0;
    for path in [&wanted, &timer, &service] {
        removed += usize::from(remove_file(path)?);
    }
    // Directories `on` or `enable` made go too when nothing else is in them (remove_dir
    // removes only empty ones): a wants directory with other timers, or a unit directory
    // with other units, stays.
    let _ = std::fs::remove_dir(dir.join("timers.target.wants"));
    let _ = std::fs::remove_dir(&dir);
    if let Some(systemd_dir) = dir.parent() {
        let _ = std::fs::remove_dir(systemd_dir);
    }
    if told {
        let _ = systemd::systemctl(&["daemon-reload"], timeout);
    }
    ctx.prompter
        .say(&messages::t!("watch-off", count = removed));
    if !told {
        ctx.prompter.say(&messages::t!(
            "watch-off-manager-not-told",
            disable = systemd::disable_command()
        ));
    }
    Ok(())
}

fn status(ctx: &mut Context<'_>) -> Result<(), Error> {
    let dir = unit_dir()?;
    let timer = dir.join(systemd::TIMER);
    let timeout = ctx.options.timeout;
    let mut text = String::new();
    if timer.exists() {
        let enabled = match systemd::systemctl(&["is-enabled", systemd::TIMER], timeout) {
            Ok(state) => Some(state.trim() == "enabled"),
            // `is-enabled` exits 1 for a disabled unit, with the state on stdout.
            Err(SystemctlProblem::Failed(_)) => Some(false),
            Err(_) => None,
        };
        text.push_str(&messages::watch_status_on(&timer, enabled));
        text.push('\n');
        if let Some(next) = systemd::property(systemd::TIMER, "NextElapseUSecRealtime", timeout) {
            text.push_str(&messages::watch_status_next(&next));
            text.push('\n');
        }
        if let Some(when) = systemd::property(systemd::SERVICE, "ExecMainExitTimestamp", timeout) {
            let code = systemd::property(systemd::SERVICE, "ExecMainStatus", timeout)
                .unwrap_or_else(|| "0".into());
            text.push_str(&messages::watch_status_last_run(&when, &code));
            text.push('\n');
        }
    } else {
        text.push_str(&messages::t!("watch-status-off"));
        text.push('\n');
    }
    text.push_str(&accounts_last_passed(ctx)?);
    write_stdout(ctx, &text)
}

/// Each saved account's last successful check, from the profile.
fn accounts_last_passed(ctx: &Context<'_>) -> Result<String, Error> {
    let config = ctx.config.load()?;
    let now = SystemTime::now();
    let mut text = String::new();
    for account in &config.accounts {
        let at = account.verified_at.as_deref();
        let days = at.and_then(|at| crate::config::model::days_since(at, now));
        text.push_str(&messages::watch_status_account(&account.email, at, days));
        text.push('\n');
    }
    Ok(text)
}

/// No systemd: the crontab line (on), what to remove (off), the accounts (status).
fn without_systemd(ctx: &mut Context<'_>, action: WatchAction) -> Result<(), Error> {
    match action {
        WatchAction::On => {
            let args = schedule(ctx)?;
            let (hour, minute) = crate::watch::spread_time_of_day(clock_seed());
            let line = cron::line(&args, hour, minute);
            write_stdout(
                ctx,
                &format!("{}\n", messages::t!("watch-crontab", line = &line)),
            )
        }
        WatchAction::Off => {
            ctx.prompter.say(&messages::t!("watch-off-crontab"));
            Ok(())
        }
        WatchAction::Status => {
            let mut text = messages::t!("watch-status-no-systemd");
            text.push('\n');
            text.push_str(&accounts_last_passed(ctx)?);
            write_stdout(ctx, &text)
        }
    }
}

fn clock_seed() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()) ^ d.as_secs())
}

/// macOS: the launchd agent. Written and documented, not yet tried on a Mac.
fn macos(ctx: &mut Context<'_>, action: WatchAction) -> Result<(), Error> {
    let home = directories::BaseDirs::new()
        .map(|dirs| dirs.home_dir().to_path_buf())
        .ok_or_else(|| Error::WatchFiles {
            path: PathBuf::from("~/Library/LaunchAgents"),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                messages::t!("no-config-directory"),
            ),
        })?;
    let path = launchd::agent_path(&home);
    match action {
        WatchAction::On => {
            let args = schedule(ctx)?;
            let (hour, minute) = crate::watch::spread_time_of_day(clock_seed());
            let text =
                launchd::plist_text(&args, hour, minute, &messages::t!("watch-file-comment"));
            write_file(&path, &text)?;
            ctx.prompter.say(&messages::watch_launchd(
                &path,
                &launchd::load_command(&path),
            ));
            Ok(())
        }
        WatchAction::Off => {
            if remove_file(&path)? {
                ctx.prompter.say(&messages::t!("watch-off", count = 1));
                ctx.prompter.say(&messages::t!(
                    "watch-launchd-unload",
                    unload = launchd::unload_command(&path,)
                ));
            } else {
                ctx.prompter.say(&messages::t!("watch-was-off"));
            }
            Ok(())
        }
        WatchAction::Status => {
            let mut text = if path.exists() {
                messages::watch_status_on(&path, None)
            } else {
                messages::t!("watch-status-off")
            };
            text.push('\n');
            text.push_str(&accounts_last_passed(ctx)?);
            write_stdout(ctx, &text)
        }
    }
}
