//! The watch: a daily `icloud-setup check --quiet --notify` run by the system's
//! own scheduler. This module owns what is scheduled and the scheduler's files and tools —
//! never the words around them (the text layer) or the decision what to do (the `watch`
//! command).
//!
//! - [`systemd`]: a user service and timer in `$XDG_CONFIG_HOME/systemd/user/`, and
//!   `systemctl --user`, each call bounded in time;
//! - [`cron`]: the crontab line for a machine without systemd;
//! - [`launchd`]: the macOS agent. Compiled and unit-tested on every platform, used only on
//!   macOS, and not yet tried on a Mac.
//!
//! The program is named by its absolute path (a timer has no PATH of the person's shell), and
//! the config by `--config` when it is not at its default place (the scheduler's environment
//! has no `ICLOUD_SETUP_CONFIG`).

pub(crate) mod cron;
pub(crate) mod launchd;
pub(crate) mod run;
pub(crate) mod systemd;

use std::path::{Path, PathBuf};

/// What the scheduler runs: this program, `check --quiet --notify`, and the config when it is
/// not at its default place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Schedule {
    pub(crate) program: PathBuf,
    pub(crate) config: Option<PathBuf>,
}

/// A path no unit file, crontab line or property list can carry safely.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UnusablePath(pub(crate) PathBuf);

impl Schedule {
    /// The command line, program first. Refuses paths that are not UTF-8 or hold a control
    /// character (a line break would end a unit file's line and start another setting).
    pub(crate) fn arguments(&self) -> Result<Vec<String>, UnusablePath> {
        let mut args = vec![usable(&self.program)?];
        args.extend(["check", "--quiet", "--notify"].map(String::from));
        if let Some(config) = &self.config {
            args.push("--config".into());
            args.push(usable(config)?);
        }
        Ok(args)
    }
}

fn usable(path: &Path) -> Result<String, UnusablePath> {
    match path.to_str() {
        Some(text) if !text.chars().any(char::is_control) => Ok(text.to_string()),
        _ => Err(UnusablePath(path.to_path_buf())),
    }
}

/// A time of day spread over the daytime hours, for schedulers without a randomized delay
/// (cron, launchd): not every user asks iCloud at the same minute, and a laptop is more
/// likely to be awake by day. `seed` is any changing number (the clock's nanoseconds).
pub(crate) fn spread_time_of_day(seed: u64) -> (u8, u8) {
    // 09:00 to 18:59.
    let minutes = seed % (10 * 60);
    let hour = u8::try_from(9 + minutes / 60).expect("below 19");
    let minute = u8::try_from(minutes % 60).expect("below 60");
    (hour, minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_names_the_program_and_the_config_when_given() {
        let schedule = Schedule {
            program: "/usr/bin/icloud-setup".into(),
            config: None,
        };
        assert_eq!(
            schedule.arguments().unwrap(),
            ["/usr/bin/icloud-setup", "check", "--quiet", "--notify"]
        );
        let schedule = Schedule {
            config: Some("/home/a b/mail.toml".into()),
            ..schedule
        };
        assert_eq!(
            schedule.arguments().unwrap()[4..],
            ["--config", "/home/a b/mail.toml"]
        );
    }

    #[test]
    fn control_characters_in_a_path_are_refused() {
        for bad in [
            "/tmp/a\nExecStart=/bin/evil",
            "/tmp/\u{1b}[31m",
            "/tmp/tab\there",
        ] {
            let schedule = Schedule {
                program: "/usr/bin/icloud-setup".into(),
                config: Some(bad.into()),
            };
            assert_eq!(
                schedule.arguments(),
                Err(UnusablePath(bad.into())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_spread_time_is_always_a_daytime_clock_time() {
        for seed in (0..5000).chain([u64::MAX, u64::MAX - 1, 1 << 40]) {
            let (hour, minute) = spread_time_of_day(seed);
            assert!((9..19).contains(&hour), "{seed}: {hour}");
            assert!(minute < 60, "{seed}: {minute}");
        }
    }
}
