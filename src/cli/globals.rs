//! Which global options each command uses: the others are hidden from its `--help` and
//! its completions, and still accepted.

/// The global options each command does not use, hidden from its `--help` (and from the
/// completions): they are still accepted, so scripts that pass them everywhere keep working,
/// but a person reading `icloud-setup completions --help` is not told about `--timeout`.
const NOT_USED_BY: [(&str, &[&str]); 11] = [
    (
        "completions",
        &[
            "config",
            "timeout",
            "color",
            "verbose",
            "imap_server",
            "smtp_server",
            "ca_file",
        ],
    ),
    ("settings", &["config", "timeout", "verbose", "ca_file"]),
    (
        "export",
        &["timeout", "verbose", "imap_server", "smtp_server"],
    ),
    (
        "status",
        &["verbose", "imap_server", "smtp_server", "ca_file"],
    ),
    (
        "password",
        &["verbose", "imap_server", "smtp_server", "ca_file"],
    ),
    (
        "remove",
        &["verbose", "imap_server", "smtp_server", "ca_file"],
    ),
    // The saved servers are used; the options are accepted and said not to apply.
    ("check", &["imap_server", "smtp_server"]),
    ("rotate", &["imap_server", "smtp_server"]),
    ("setup", &[]),
    (
        "git-credential",
        &["color", "imap_server", "smtp_server", "ca_file"],
    ),
    // `watch` uses --config (named in the service) and --timeout (each systemctl call).
    (
        "watch",
        &["verbose", "imap_server", "smtp_server", "ca_file"],
    ),
];

/// `command` with a hidden copy of each global option in every subcommand that does not
/// use it, as `--help`, the completions and the parser then see it.
pub(super) fn hide_unused_globals(mut command: clap::Command) -> clap::Command {
    // Global options are copied into every subcommand when the command is built, unless
    // the subcommand has one of the same id already: give it a hidden copy first.
    let globals: Vec<clap::Arg> = command
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .cloned()
        .collect();
    for (name, unused) in NOT_USED_BY {
        command = command.mut_subcommand(name, |mut sub| {
            for arg in globals
                .iter()
                .filter(|a| unused.contains(&a.get_id().as_str()))
            {
                sub = sub.arg(arg.clone().hide(true));
            }
            sub
        });
    }
    command
}

#[cfg(test)]
mod tests {
    use crate::cli::{Cli, command};

    fn help(sub: &str) -> String {
        let mut command = command();
        command.build();
        command
            .find_subcommand_mut(sub)
            .expect("subcommand")
            .render_long_help()
            .to_string()
    }

    #[test]
    fn each_commands_help_lists_only_the_options_it_uses() {
        let completions = help("completions");
        for hidden in ["--timeout", "--imap-server", "--ca-file", "--verbose"] {
            assert!(!completions.contains(hidden), "{hidden}:\n{completions}");
        }
        let setup = help("setup");
        for shown in ["--timeout", "--imap-server", "--ca-file", "--config"] {
            assert!(setup.contains(shown), "{shown}:\n{setup}");
        }
        assert!(!help("check").contains("--imap-server"));
        assert!(help("check").contains("--timeout"));
        assert!(help("export").contains("--ca-file"));
        assert!(!help("export").contains("--timeout"));
    }

    #[test]
    fn hidden_options_are_still_accepted() {
        use clap::FromArgMatches;
        for args in [
            &["icloud-setup", "completions", "bash", "--timeout", "5"][..],
            &["icloud-setup", "--timeout", "5", "completions", "bash"],
            &["icloud-setup", "settings", "--timeout", "5"],
            &["icloud-setup", "status", "--timeout", "5"],
        ] {
            let matches = command()
                .try_get_matches_from(args)
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
            let cli = Cli::from_arg_matches(&matches).unwrap();
            assert_eq!(cli.global.timeout, 5, "{args:?}");
        }
        let matches = command()
            .try_get_matches_from(["icloud-setup", "status", "--verbose"])
            .unwrap();
        assert!(Cli::from_arg_matches(&matches).unwrap().global.verbose);
    }
}
