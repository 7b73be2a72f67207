//! The crontab line for a machine without systemd: the same daily check at a spread time of
//! day. cron hands the line to `/bin/sh`, after turning every unescaped `%` into a line
//! break, so arguments are quoted for the shell and `%` is escaped for cron.

/// One argument for the shell: as it is when it holds only plain characters, else in single
/// quotes (a `'` inside written `'\''`); `%` escaped as `\%` for cron in either case.
pub(crate) fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c));
    let quoted = if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    };
    quoted.replace('%', "\\%")
}

/// `MINUTE HOUR * * * COMMAND`: daily at `hour:minute`.
pub(crate) fn line(args: &[String], hour: u8, minute: u8) -> String {
    let command: Vec<String> = args.iter().map(|a| quote(a)).collect();
    format!("{minute} {hour} * * * {}", command.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_runs_daily_with_shell_quoting_and_cron_escapes() {
        let args: Vec<String> = ["/opt/my tools/icloud-setup", "check", "--quiet", "--notify"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            line(&args, 9, 5),
            "5 9 * * * '/opt/my tools/icloud-setup' check --quiet --notify"
        );
        assert_eq!(quote("/tmp/it's"), "'/tmp/it'\\''s'");
        assert_eq!(quote("/tmp/100%"), "'/tmp/100\\%'");
        assert_eq!(quote("/tmp/$HOME;rm"), "'/tmp/$HOME;rm'");
        assert_eq!(quote(""), "''");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn any_argument_reaches_the_shell_unchanged(arg in "[^\\p{Cc}%]{0,40}") {
            // `%` is cron's (escaped above); the rest is what /bin/sh gets.
            let quoted = quote(&arg);
            let output = std::process::Command::new("sh")
                .args(["-c", &format!("printf %s {quoted}")])
                .output()
                .expect("sh runs");
            proptest::prop_assert_eq!(String::from_utf8_lossy(&output.stdout), arg.as_str());
        }
    }

    #[test]
    fn the_shell_reads_each_quoted_argument_back_unchanged() {
        // cron's `\%` is cron's business; the rest is what /bin/sh gets.
        for arg in ["/a b/c", "/it's", "/$x`y`\"z\"", "/ü/ñ", "/semi;colon&amp"] {
            let quoted = quote(arg);
            let output = std::process::Command::new("sh")
                .args(["-c", &format!("printf %s {quoted}")])
                .output()
                .expect("sh runs");
            assert_eq!(String::from_utf8_lossy(&output.stdout), arg, "{quoted}");
        }
    }
}
