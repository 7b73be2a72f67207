//! The watch: its systemd units, crontab line and launchd agent, and `watch status`.

use std::io;
use std::path::Path;

use super::{fl, loader, shown, shown_path};

/// `watch on` finished: the timer is enabled.
pub fn watch_on(timer: &Path, next: Option<&str>) -> String {
    let timer = shown_path(timer);
    match next {
        Some(next) => fl!(loader(), "watch-on-next", timer = timer, next = shown(next)),
        None => fl!(loader(), "watch-on", timer = timer),
    }
}

/// `watch on` wrote the units but no user service manager answered.
pub fn watch_no_user_manager(dir: &Path) -> String {
    fl!(loader(), "watch-no-user-manager", dir = shown_path(dir))
}

/// `systemctl` failed for another reason than a missing manager.
pub fn watch_systemctl_failed(command: &str, problem: &str) -> String {
    fl!(
        loader(),
        "watch-systemctl-failed",
        command = command,
        problem = shown(problem)
    )
}

/// The watch's files could not be written or removed.
pub fn watch_files_failed(path: &Path, source: &io::Error) -> String {
    fl!(
        loader(),
        "watch-files-failed",
        path = shown_path(path),
        problem = source.to_string()
    )
}

/// A path a unit file or crontab line cannot hold (a line break, a control character).
pub fn watch_path_unusable(path: &Path) -> String {
    fl!(loader(), "watch-path-unusable", path = shown_path(path))
}

/// macOS: the launchd agent was written; how to load it.
pub fn watch_launchd(path: &Path, load: &str) -> String {
    fl!(
        loader(),
        "watch-launchd",
        path = shown_path(path),
        load = load
    )
}

/// `watch status`, the first line.
pub fn watch_status_on(timer: &Path, enabled: Option<bool>) -> String {
    let timer = shown_path(timer);
    match enabled {
        Some(true) | None => fl!(loader(), "watch-status-on", timer = timer),
        Some(false) => fl!(loader(), "watch-status-written-not-enabled", timer = timer),
    }
}

pub fn watch_status_next(next: &str) -> String {
    fl!(loader(), "watch-status-next", next = shown(next))
}

/// The timer's last run, as systemd recorded it: when, and the exit code.
pub fn watch_status_last_run(when: &str, code: &str) -> String {
    fl!(
        loader(),
        "watch-status-last-run",
        when = shown(when),
        code = shown(code)
    )
}

/// One account's last successful check, from the profile.
pub fn watch_status_account(email: &str, verified_at: Option<&str>, days: Option<u64>) -> String {
    let email = shown(email);
    match (verified_at, days) {
        (Some(at), Some(days)) => fl!(
            loader(),
            "watch-status-account-passed",
            email = email,
            date = shown(at),
            days = days
        ),
        (Some(at), None) => fl!(
            loader(),
            "watch-status-account-passed-at",
            email = email,
            date = shown(at)
        ),
        (None, _) => fl!(loader(), "watch-status-account-never", email = email),
    }
}
