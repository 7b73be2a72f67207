//! NeoMutt: IMAP and SMTP straight to iCloud, checked against NeoMutt 20220429 (Debian 12).
//! The folders are the account's own (`[accounts.folders]`), iCloud's usual names for a
//! profile saved before they were learned; NeoMutt encodes their names for IMAP itself.
//! The variable names are the current ones (`spool_file`, `real_name`), which 20220429
//! already has and newer releases keep.
//!
//! Values go in double quotes, where NeoMutt still expands `$VAR`, runs `` `command` `` and
//! reads backslash escapes, so `\`, `"`, `$` and `` ` `` in a value are backslash-escaped.
//! The passwords are the exception on purpose: `` "`icloud-setup password EMAIL`" `` runs the
//! command when NeoMutt reads the file. The text between the backticks is read once more
//! before the shell gets it — backslash escapes undone, `$name` replaced by NeoMutt's own
//! variables, quotes left alone — so there `\`, `` ` `` and `$` are backslash-escaped.

use crate::config::Security;
use crate::export::Note;
use crate::folders::{Role, folder_for};

use super::quote::{url_host, url_userinfo};
use super::{ExportInput, comment_block};

pub(crate) fn render(input: &ExportInput<'_>) -> String {
    let account = input.account;
    let imap = &account.imap;
    let smtp = &account.smtp;
    let shell_line = input.password_command.shell_line();

    let mut header = vec![
        input.words.say(Note::Title {
            client: "NeoMutt",
            email: &account.email,
            command: "icloud-setup export neomutt",
        }),
        input.words.say(Note::NeomuttSteps),
        input.words.say(Note::PasswordCommand {
            client: "NeoMutt",
            command: &shell_line,
            program: input.password_command.program().path(),
            per_use: false,
        }),
    ];
    if let Some(ca) = &input.ca_file {
        header.push(input.words.say(Note::CaNeomutt { path: ca }));
    }

    let imap_scheme = match imap.security {
        Security::Tls => "imaps",
        Security::Starttls => "imap",
    };
    let smtp_scheme = match smtp.security {
        Security::Tls => "smtps",
        Security::Starttls => "smtp",
    };
    let folder = format!("{imap_scheme}://{}:{}/", url_host(&imap.host), imap.port);
    let smtp_url = format!(
        "{smtp_scheme}://{}@{}:{}/",
        url_userinfo(&smtp.username),
        url_host(&smtp.host),
        smtp.port
    );
    let password = command_substitution(&shell_line);

    let mut out = comment_block(&header.join("\n\n"));
    out.push('\n');
    let mut set = |name: &str, value: &str| {
        out.push_str(&format!("set {name} = {value}\n"));
    };
    set("from", &string(&account.email));
    if let Some(name) = account.name.as_deref().filter(|n| !n.trim().is_empty()) {
        set("real_name", &string(name));
    }
    set("folder", &string(&folder));
    set("imap_user", &string(&imap.username));
    set("imap_pass", &password);
    // Never AUTHENTICATE PLAIN, which iCloud has refused where LOGIN worked: the LOGIN
    // mechanism where a server offers it, else the IMAP LOGIN command (iCloud's case).
    set("imap_authenticators", &string("login"));
    // iCloud misbehaves with pipelined IMAP commands.
    set("imap_pipeline_depth", "0");
    set("spool_file", &string("+INBOX"));
    // The account's own folders; a role the account has no folder for is left unset.
    let learned = account.folder_roles();
    let folder_of = |role| folder_for(learned.as_ref(), role);
    for (variable, role) in [
        ("record", Role::Sent),
        ("postponed", Role::Drafts),
        ("trash", Role::Trash),
    ] {
        if let Some(name) = folder_of(role) {
            set(variable, &string(&format!("+{name}")));
        }
    }
    set("smtp_url", &string(&smtp_url));
    set("smtp_pass", &password);
    // Never fall back to a connection without TLS; use STARTTLS where the URL is plain.
    set("ssl_force_tls", "yes");
    set("ssl_starttls", "yes");
    if let Some(ca) = &input.ca_file {
        // NeoMutt trusts the certificates in this file in addition to the system's.
        set("certificate_file", &string(ca));
    }
    let mut mailboxes = vec![string("+INBOX")];
    for role in [
        Role::Sent,
        Role::Drafts,
        Role::Junk,
        Role::Archive,
        Role::Trash,
    ] {
        if let Some(name) = folder_of(role) {
            mailboxes.push(string(&format!("+{name}")));
        }
    }
    out.push_str(&format!("mailboxes {}\n", mailboxes.join(" ")));
    out
}

/// `value` as a double-quoted NeoMutt string that means exactly `value`.
fn string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `"`shell_line`"`: NeoMutt runs the line with the shell when it reads the file, after
/// undoing one level of backslash escapes and expanding its own `$variables`, so the shell
/// gets `shell_line` exactly.
fn command_substitution(shell_line: &str) -> String {
    let mut out = String::from("\"`");
    for c in shell_line.chars() {
        if matches!(c, '\\' | '`' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str("`\"");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_input::account;

    fn render_for(config: Option<&str>, ca: Option<&str>) -> String {
        let account = account();
        render(&crate::export::test_input::input(&account, config, ca))
    }

    fn settings(text: &str) -> Vec<&str> {
        text.lines().filter(|l| !l.starts_with('#')).collect()
    }

    #[test]
    fn imap_and_smtp_go_to_the_saved_servers_without_pipelining() {
        let text = render_for(None, None);
        let lines = settings(&text);
        for expected in [
            r#"set from = "johnappleseed@icloud.com""#,
            r#"set real_name = "John Appleseed""#,
            r#"set folder = "imaps://imap.mail.me.com:993/""#,
            r#"set imap_user = "johnappleseed""#,
            r#"set imap_pass = "`/usr/bin/icloud-setup password johnappleseed@icloud.com`""#,
            r#"set imap_authenticators = "login""#,
            "set imap_pipeline_depth = 0",
            r#"set spool_file = "+INBOX""#,
            r#"set record = "+Sent Messages""#,
            r#"set trash = "+Deleted Messages""#,
            r#"set smtp_url = "smtp://johnappleseed%40icloud.com@smtp.mail.me.com:587/""#,
            r#"set smtp_pass = "`/usr/bin/icloud-setup password johnappleseed@icloud.com`""#,
            "set ssl_force_tls = yes",
            "set ssl_starttls = yes",
        ] {
            assert!(
                lines.contains(&expected),
                "{expected} missing from:\n{text}"
            );
        }
        assert!(!text.contains("certificate_file"));
    }

    #[test]
    fn the_ca_file_and_an_odd_config_path_are_quoted() {
        let text = render_for(Some("/home/j/$mail `x`/c.toml"), Some("/etc/a \"b\".pem"));
        let lines = settings(&text);
        assert!(
            lines.contains(&r#"set certificate_file = "/etc/a \"b\".pem""#),
            "{text}"
        );
        assert!(
            lines.contains(
                &r#"set imap_pass = "`/usr/bin/icloud-setup password johnappleseed@icloud.com --config '/home/j/\$mail \`x\`/c.toml'`""#
            ),
            "{text}"
        );
    }

    /// What NeoMutt itself makes of `set real_name = VALUE` (`neomutt -Q`, which prints the
    /// value again as a quoted string), or `None` when NeoMutt is not installed and the
    /// peers are not required.
    fn read_by_neomutt(value: &str) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let rc = dir.path().join("neomuttrc");
        std::fs::write(&rc, format!("set real_name = {value}\n")).unwrap();
        let output = match std::process::Command::new("neomutt")
            .arg("-n")
            .arg("-F")
            .arg(&rc)
            .args(["-Q", "real_name"])
            .env("HOME", dir.path())
            .stdin(std::process::Stdio::null())
            .output()
        {
            Ok(output) => output,
            Err(_) if std::env::var_os("ICLOUD_SETUP_REQUIRE_PEERS").is_none() => return None,
            Err(e) => panic!("neomutt: {e}"),
        };
        let text = String::from_utf8(output.stdout.clone()).unwrap();
        let quoted = text
            .trim_end_matches('\n')
            .strip_prefix("set real_name = \"")
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or_else(|| panic!("neomutt said {text:?} for {value:?}: {output:?}"));
        let mut read = String::new();
        let mut chars = quoted.chars();
        while let Some(c) = chars.next() {
            read.push(if c == '\\' { chars.next().unwrap() } else { c });
        }
        Some(read)
    }

    proptest::proptest! {
        // NeoMutt runs per case.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// NeoMutt reads a quoted value back as it was: no `$variable` expanded, no
        /// backtick command run, whatever the script (control characters are refused
        /// before any export).
        #[test]
        fn neomutt_reads_a_string_back_as_the_value(
            value in crate::display_safe::strategies::printable_text(),
        ) {
            // An empty `real_name` is NeoMutt's cue to use the passwd name, and a name is
            // only written when there is one.
            proptest::prop_assume!(!value.is_empty());
            if let Some(read) = read_by_neomutt(&string(&value)) {
                proptest::prop_assert_eq!(read, value);
            }
        }
    }

    #[test]
    fn specials_in_values_are_escaped() {
        assert_eq!(string(r#"a"b\c$d`e"#), r#""a\"b\\c\$d\`e""#);
    }

    /// The account's own folders, a missing role left unset, and the mailboxes
    /// list naming only folders the account has.
    #[test]
    fn the_accounts_own_folders_are_named() {
        let mut account = account();
        account.folders = Some(crate::config::FolderSettings {
            sent: Some("Sent Items".into()),
            trash: Some("Deleted Items".into()),
            junk: Some("Spam".into()),
            ..Default::default()
        });
        let text = render(&crate::export::test_input::input(&account, None, None));
        let lines = settings(&text);
        assert!(lines.contains(&r#"set record = "+Sent Items""#), "{text}");
        assert!(lines.contains(&r#"set trash = "+Deleted Items""#), "{text}");
        assert!(!text.contains("set postponed"), "{text}");
        assert!(
            lines.contains(&r#"mailboxes "+INBOX" "+Sent Items" "+Spam" "+Deleted Items""#),
            "{text}"
        );
        assert!(
            !text.contains("Sent Messages") && !text.contains("Notes"),
            "{text}"
        );
    }
}
