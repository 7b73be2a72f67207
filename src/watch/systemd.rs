//! The systemd user units of the watch and the `systemctl --user` calls that switch them
//! on and off.
//!
//! `icloud-setup-check.service` runs the check once (`Type=oneshot`);
//! `icloud-setup-check.timer` starts it daily, `Persistent=true` (a day missed while the
//! machine was off is made up at the next start) with a randomized delay of up to four
//! hours, so that not every user asks iCloud at midnight. Both live in the user's unit
//! directory, `$XDG_CONFIG_HOME/systemd/user/` (default `~/.config/systemd/user/`), where
//! `systemctl --user` looks and the person can see them.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use super::run::{self, RunProblem};

/// The unit names (also the file names).
pub(crate) const SERVICE: &str = "icloud-setup-check.service";
pub(crate) const TIMER: &str = "icloud-setup-check.timer";

/// The randomized delay after the timer's daily elapse.
pub(crate) const RANDOMIZED_DELAY: &str = "4h";

/// The words in the unit files, in the person's language (the text layer words them).
#[derive(Clone, Debug)]
pub(crate) struct UnitWords {
    pub(crate) comment: String,
    pub(crate) service_description: String,
    pub(crate) timer_description: String,
}

/// The user unit directory of this process's environment: `$XDG_CONFIG_HOME/systemd/user`,
/// else `~/.config/systemd/user` (an empty or relative `XDG_CONFIG_HOME` is ignored, as the
/// XDG specification says; `directories` knows the rules and asks the user database when
/// `HOME` is unset).
pub(crate) fn unit_dir_from_environment() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.config_dir().join("systemd").join("user"))
}

/// One argument of `ExecStart=` as systemd reads it: `%` (specifiers) and `$` (variables)
/// doubled, and in double quotes with `\` and `"` escaped when it holds anything but plain
/// path characters. Arguments come from [`super::Schedule::arguments`], which refuses
/// control characters.
pub(crate) fn quote(arg: &str) -> String {
    let escaped = arg.replace('%', "%%").replace('$', "$$");
    let plain = !escaped.is_empty()
        && escaped
            .chars()
            .all(|c| c.is_alphanumeric() || "/._-+=:,@%$".contains(c));
    if plain {
        return escaped;
    }
    let mut out = String::from("\"");
    for c in escaped.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A unit file line for text from the person's language: one line, no control characters,
/// and `%` doubled (systemd expands specifiers in `Description=` too).
fn unit_value(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('%', "%%")
}

fn comment(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(&format!("# {line}\n"));
    }
    out
}

/// The service: runs the check once with `args` (program first).
pub(crate) fn service_text(args: &[String], words: &UnitWords) -> String {
    let command: Vec<String> = args.iter().map(|a| quote(a)).collect();
    format!(
        "{comment}[Unit]\n\
         Description={description}\n\
         Documentation=man:icloud-setup(1)\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart={command}\n",
        comment = comment(&words.comment),
        description = unit_value(&words.service_description),
        command = command.join(" "),
    )
}

/// The timer: daily, made up after downtime, spread over four hours.
pub(crate) fn timer_text(words: &UnitWords) -> String {
    format!(
        "{comment}[Unit]\n\
         Description={description}\n\
         Documentation=man:icloud-setup(1)\n\
         \n\
         [Timer]\n\
         OnCalendar=daily\n\
         Persistent=true\n\
         RandomizedDelaySec={RANDOMIZED_DELAY}\n\
         Unit={SERVICE}\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n",
        comment = comment(&words.comment),
        description = unit_value(&words.timer_description),
    )
}

/// The command a person runs to enable the timer by hand.
pub(crate) fn enable_command() -> String {
    format!("systemctl --user enable --now {TIMER}")
}

/// The command a person runs to disable the timer by hand.
pub(crate) fn disable_command() -> String {
    format!("systemctl --user disable --now {TIMER}")
}

/// Why a `systemctl --user` call did not do its work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SystemctlProblem {
    /// No systemd here (`systemctl` is not installed).
    NotInstalled,
    /// No user manager answered (a container, SSH without lingering), or not in time.
    NoManager(String),
    /// The manager answered and refused: systemctl's words.
    Failed(String),
}

/// Runs `systemctl --user ARGS` for at most `timeout`.
pub(crate) fn systemctl(args: &[&str], timeout: Duration) -> Result<String, SystemctlProblem> {
    let mut command = Command::new("systemctl");
    command
        .args(["--user", "--no-pager", "--no-ask-password"])
        .args(args);
    run::bounded(&mut command, timeout).map_err(|problem| match problem {
        RunProblem::NotInstalled => SystemctlProblem::NotInstalled,
        RunProblem::TimedOut => SystemctlProblem::NoManager(String::new()),
        RunProblem::Failed { stderr, .. } if no_manager(&stderr) => {
            SystemctlProblem::NoManager(stderr)
        }
        RunProblem::Failed { stderr, code } => SystemctlProblem::Failed(if stderr.is_empty() {
            code.map_or_else(String::new, |c| format!("exit {c}"))
        } else {
            stderr
        }),
        RunProblem::Unstartable(words) => SystemctlProblem::Failed(words),
    })
}

/// Whether systemctl's words say that no user manager could be reached. systemd says
/// "Failed to connect to bus" (older) or "Failed to connect to user scope bus" (newer), and
/// "$DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined" without a session.
fn no_manager(stderr: &str) -> bool {
    [
        "Failed to connect to",
        "not defined",
        "No medium found",
        "Transport endpoint",
    ]
    .iter()
    .any(|words| stderr.contains(words))
}

/// Whether `systemctl` is on PATH: a machine with systemd.
pub(crate) fn installed() -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            let candidate = dir.join("systemctl");
            candidate.is_file()
        })
    })
}

/// `systemctl --user show UNIT --property=NAME --value`, empty or unknown values as `None`.
pub(crate) fn property(unit: &str, name: &str, timeout: Duration) -> Option<String> {
    let value = systemctl(
        &["show", unit, &format!("--property={name}"), "--value"],
        timeout,
    )
    .ok()?;
    let value = value.trim();
    (!value.is_empty() && value != "n/a" && value != "0").then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> UnitWords {
        UnitWords {
            comment: "Written by `icloud-setup watch on`.".into(),
            service_description: "check 100% of passwords".into(),
            timer_description: "daily\ncheck".into(),
        }
    }

    #[test]
    fn plain_paths_stay_plain_and_the_rest_is_quoted_as_systemd_reads_it() {
        assert_eq!(quote("/usr/bin/icloud-setup"), "/usr/bin/icloud-setup");
        assert_eq!(quote("--quiet"), "--quiet");
        assert_eq!(quote("/home/a b/c.toml"), "\"/home/a b/c.toml\"");
        assert_eq!(quote("/tmp/100%"), "/tmp/100%%");
        assert_eq!(quote("/tmp/$HOME"), "/tmp/$$HOME");
        assert_eq!(quote("/tmp/a\"b\\c"), "\"/tmp/a\\\"b\\\\c\"");
        assert_eq!(quote("/tmp/it's"), "\"/tmp/it's\"");
        assert_eq!(quote("/tmp/ünï"), "/tmp/ünï");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn the_service_runs_the_program_by_its_path_and_the_timer_daily() {
        let args: Vec<String> = [
            "/opt/i s/icloud-setup",
            "check",
            "--quiet",
            "--notify",
            "--config",
            "/c/%n.toml",
        ]
        .map(String::from)
        .to_vec();
        let service = service_text(&args, &words());
        assert!(service.starts_with("# Written by `icloud-setup watch on`.\n[Unit]\n"));
        assert!(service.contains(
            "\nExecStart=\"/opt/i s/icloud-setup\" check --quiet --notify --config /c/%%n.toml\n"
        ));
        assert!(service.contains("\nDescription=check 100%% of passwords\n"));
        assert!(service.contains("\nType=oneshot\n"));
        let timer = timer_text(&words());
        for line in [
            "OnCalendar=daily",
            "Persistent=true",
            "RandomizedDelaySec=4h",
            "WantedBy=timers.target",
            "Description=daily check",
        ] {
            assert!(timer.contains(&format!("\n{line}\n")), "{line}:\n{timer}");
        }
    }

    /// One `ExecStart=` word read back as systemd reads it (systemd.syntax(7) quoting, then
    /// `%%` and `$$` as single characters).
    fn read_back(word: &str) -> String {
        let unquoted = match word.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
            Some(inner) => {
                let mut out = String::new();
                let mut chars = inner.chars();
                while let Some(c) = chars.next() {
                    out.push(if c == '\\' { chars.next().unwrap() } else { c });
                }
                out
            }
            None => word.to_string(),
        };
        unquoted.replace("%%", "%").replace("$$", "$")
    }

    proptest::proptest! {
        #[test]
        fn any_path_without_control_characters_reads_back_unchanged(
            arg in "[^\\p{Cc}]{0,60}"
        ) {
            let quoted = quote(&arg);
            proptest::prop_assert_eq!(read_back(&quoted), arg.clone());
            // One word: plain, or one pair of quotes around everything.
            let plain = !quoted.starts_with('"');
            proptest::prop_assert!(!plain || !quoted.contains([' ', '"', '\\', '\'']));
        }

        #[test]
        fn the_words_of_a_language_never_break_a_unit_line(text in "\\PC{0,80}|.{0,80}") {
            let value = unit_value(&text);
            proptest::prop_assert!(!value.chars().any(char::is_control));
        }
    }

    #[test]
    fn systemds_words_for_a_missing_manager_are_recognized() {
        for words in [
            "Failed to connect to bus: No such file or directory",
            "Failed to connect to user scope bus via local transport: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined",
        ] {
            assert!(no_manager(words), "{words}");
        }
        assert!(!no_manager("Unit icloud-setup-check.timer does not exist."));
    }
}
