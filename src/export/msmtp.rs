//! msmtp: one `account` for sending through the saved SMTP server, checked against msmtp
//! 1.8.23 (Debian 12), whose syntax the newest releases share.
//!
//! msmtp's file has one command per line; the rest of the line is the argument, taken
//! literally, except that one pair of surrounding double quotes is removed. So an argument
//! needs quotes only when it starts or ends with a blank or a quote. `passwordeval` runs its
//! argument with the shell.

use crate::config::Security;
use crate::export::Note;

use super::quote::shell_word;
use super::{ExportInput, comment_block};

/// The longest line msmtp reads, in bytes without the line end (its line buffer holds 500
/// bytes with the newline; msmtp 1.8).
pub(crate) const LINE_LIMIT: usize = 499;

pub(crate) fn render(input: &ExportInput<'_>) -> String {
    let account = input.account;
    let email = &account.email;
    let smtp = &account.smtp;
    let command = input.password_command.shell_line();

    let test_command = format!(
        "printf 'Subject: test\\n\\nIt works.\\n' | msmtp -a {0} {0}",
        shell_word(email)
    );
    let mut header = vec![
        input.words.say(Note::Title {
            client: "msmtp",
            email,
            command: "icloud-setup export msmtp",
        }),
        input.words.say(Note::MsmtpSteps {
            account: &shell_word(email),
            test_command: &test_command,
        }),
        input.words.say(Note::PasswordCommand {
            client: "msmtp",
            command: &command,
            program: input.password_command.program().path(),
            per_use: true,
        }),
    ];
    if let Some(ca) = &input.ca_file {
        header.push(input.words.say(Note::CaMsmtp { path: ca }));
    }

    let mut out = comment_block(&header.join("\n\n"));
    out.push('\n');
    let mut line = |key: &str, value: &str| {
        out.push_str(key);
        out.push(' ');
        out.push_str(&argument(value));
        out.push('\n');
    };
    line("account", email);
    line("host", &smtp.host);
    line("port", &smtp.port.to_string());
    line("tls", "on");
    // on: plain connection upgraded with STARTTLS (587); off: TLS from the first byte.
    line(
        "tls_starttls",
        match smtp.security {
            Security::Starttls => "on",
            Security::Tls => "off",
        },
    );
    line(
        "tls_trust_file",
        input.ca_file.as_deref().unwrap_or("system"),
    );
    line("auth", "on");
    line("user", &smtp.username);
    line("passwordeval", &command);
    line("from", email);
    out.push('\n');
    out.push_str(&format!("account default : {}\n", argument(email)));
    out
}

/// `value` as one msmtp argument.
fn argument(value: &str) -> String {
    let needs_quotes = value.is_empty()
        || value.starts_with(|c: char| c.is_whitespace() || c == '"')
        || value.ends_with(|c: char| c.is_whitespace() || c == '"');
    if needs_quotes {
        format!("\"{value}\"")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What msmtp itself reads for `user VALUE` (`msmtp --pretend` prints the settings it
    /// would use), or `None` when msmtp is not installed and the peers are not required.
    fn read_by_msmtp(value: &str) -> Option<String> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let rc = dir.path().join("msmtprc");
        std::fs::write(
            &rc,
            format!("account a\nhost smtp.example.org\nuser {value}\n"),
        )
        .unwrap();
        std::fs::set_permissions(&rc, std::fs::Permissions::from_mode(0o600)).unwrap();
        let output = match std::process::Command::new("msmtp")
            .arg("-C")
            .arg(&rc)
            .args(["-a", "a", "--pretend"])
            .env("HOME", dir.path())
            .stdin(std::process::Stdio::null())
            .output()
        {
            Ok(output) => output,
            Err(_) if std::env::var_os("ICLOUD_SETUP_REQUIRE_PEERS").is_none() => return None,
            Err(e) => panic!("msmtp: {e}"),
        };
        let text = String::from_utf8(output.stdout.clone()).unwrap();
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("user = "))
            .unwrap_or_else(|| panic!("msmtp read no user from {value:?}: {output:?}"));
        Some(line.to_string())
    }

    /// Found by the property below: msmtp refuses its whole file for a line of 500 bytes
    /// or more ("line longer than 500 characters"), which a long username or config path
    /// makes; `export` refuses such a file, at the limit msmtp itself keeps.
    #[test]
    fn msmtp_reads_lines_up_to_the_limit_and_no_longer() {
        let fits = "u".repeat(LINE_LIMIT - "user ".len());
        if let Some(read) = read_by_msmtp(&fits) {
            assert_eq!(read, fits);
        }
        let too_long = format!("{fits}x");
        let dir = tempfile::tempdir().unwrap();
        let rc = dir.path().join("msmtprc");
        std::fs::write(&rc, format!("account a\nhost h\nuser {too_long}\n")).unwrap();
        let refused = std::process::Command::new("msmtp")
            .arg("-C")
            .arg(&rc)
            .args(["-a", "a", "--pretend"])
            .env("HOME", dir.path())
            .output();
        if let Ok(output) = refused {
            assert!(!output.status.success(), "{output:?}");
            assert!(
                String::from_utf8_lossy(&output.stderr).contains("line longer than"),
                "{output:?}"
            );
        }
    }

    proptest::proptest! {
        // msmtp runs per case.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// msmtp reads a value back as it was, whatever its script, quotes or spaces
        /// (control characters are refused before any export).
        #[test]
        fn msmtp_reads_an_argument_back_as_the_value(
            value in crate::display_safe::strategies::printable_text(),
        ) {
            proptest::prop_assume!(!value.is_empty());
            // Longer lines are refused by `export` (see below).
            proptest::prop_assume!("user ".len() + argument(&value).len() <= LINE_LIMIT);
            if let Some(read) = read_by_msmtp(&argument(&value)) {
                proptest::prop_assert_eq!(read, value);
            }
        }
    }
    use crate::export::test_input::account;

    fn input(account: &crate::config::Account, ca: Option<&str>) -> String {
        render(&crate::export::test_input::input(account, None, ca))
    }

    fn setting<'t>(text: &'t str, key: &str) -> Vec<&'t str> {
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
            .collect()
    }

    #[test]
    fn the_account_sends_with_starttls_and_the_password_command() {
        let account = account();
        let text = input(&account, None);
        assert_eq!(setting(&text, "host"), ["smtp.mail.me.com"]);
        assert_eq!(setting(&text, "port"), ["587"]);
        assert_eq!(setting(&text, "tls"), ["on"]);
        assert_eq!(setting(&text, "tls_starttls"), ["on"]);
        assert_eq!(setting(&text, "tls_trust_file"), ["system"]);
        assert_eq!(setting(&text, "user"), ["johnappleseed@icloud.com"]);
        assert_eq!(
            setting(&text, "passwordeval"),
            ["/usr/bin/icloud-setup password johnappleseed@icloud.com"]
        );
        assert!(setting(&text, "password").is_empty(), "no secret: {text}");
        assert!(text.ends_with("account default : johnappleseed@icloud.com\n"));
    }

    #[test]
    fn the_ca_file_replaces_the_system_trust_and_the_comment_says_so() {
        let account = account();
        let text = input(&account, Some("/etc/my ca.pem"));
        assert_eq!(setting(&text, "tls_trust_file"), ["/etc/my ca.pem"]);
        assert!(text.contains("# It trusts only the certificate authorities in /etc/my ca.pem"));
    }

    #[test]
    fn smtp_with_tls_from_the_first_byte_turns_starttls_off() {
        let mut account = account();
        account.smtp.security = Security::Tls;
        account.smtp.port = 465;
        assert_eq!(setting(&input(&account, None), "tls_starttls"), ["off"]);
    }

    #[test]
    fn arguments_are_quoted_only_where_msmtp_would_trim_them() {
        assert_eq!(argument("a b"), "a b");
        assert_eq!(argument(" a"), "\" a\"");
        assert_eq!(argument("\"a\""), "\"\"a\"\"");
        assert_eq!(argument(""), "\"\"");
    }
}
