//! aerc: one account section for `accounts.conf`, checked against aerc 0.14.0 (Debian 12)
//! and the current sources. They differ in one point that matters here: in 0.14 `smtp://`
//! is plain text unless `smtp-starttls = true`, while 0.15 and newer always use STARTTLS for
//! `smtp://` and ignore that setting with a warning. The file sets it, so both versions
//! encrypt, and its comment says the line can go on newer versions.
//!
//! The file is INI as the go-ini library reads it: `key = value`, the value running to the
//! end of the line, except that `#` or `;` start a comment, surrounding quotes are removed
//! and a trailing backslash continues the line. A value that would be changed by any of
//! that is wrapped in `"""…"""`, which go-ini takes verbatim. `*-cred-cmd` run with `sh -c`.
//! aerc has no setting for extra CAs (Go reads `SSL_CERT_FILE`), so `--ca-file` becomes a
//! line in the comment block.
//!
//! The folders are the account's own (`[accounts.folders]`), iCloud's usual names for a
//! profile saved before they were learned; `Notes` is left out of the folder list. aerc 0.14
//! has no `folder-map` (0.16 added it, as a file of its own), so none is written.

use crate::config::Security;
use crate::export::Note;
use crate::folders::{Role, folder_for};

use super::quote::{mailbox, shell_word, url_host, url_userinfo};
use super::{ExportInput, comment_block};

pub(crate) fn render(input: &ExportInput<'_>) -> String {
    let account = input.account;
    let imap = &account.imap;
    let smtp = &account.smtp;
    let command = input.password_command.shell_line();

    let mut header = vec![
        input.words.say(Note::Title {
            client: "aerc",
            email: &account.email,
            command: "icloud-setup export aerc",
        }),
        input.words.say(Note::AercSteps),
        input.words.say(Note::PasswordCommand {
            client: "aerc",
            command: &command,
            program: input.password_command.program().path(),
            per_use: false,
        }),
    ];
    if smtp.security == Security::Starttls {
        header.push(input.words.say(Note::AercStarttls));
    }
    if let Some(ca) = &input.ca_file {
        header.push(input.words.say(Note::CaAerc {
            path: ca,
            quoted_path: &shell_word(ca),
        }));
    }

    // imap:// is IMAP with STARTTLS in every aerc version; imaps:// is TLS from the start.
    let imap_scheme = match imap.security {
        Security::Tls => "imaps",
        Security::Starttls => "imap",
    };
    let smtp_scheme = match smtp.security {
        Security::Tls => "smtps",
        Security::Starttls => "smtp",
    };
    let source = format!(
        "{imap_scheme}://{}@{}:{}",
        url_userinfo(&imap.username),
        url_host(&imap.host),
        imap.port
    );
    let outgoing = format!(
        "{smtp_scheme}://{}@{}:{}",
        url_userinfo(&smtp.username),
        url_host(&smtp.host),
        smtp.port
    );

    let mut out = comment_block(&header.join("\n\n"));
    out.push('\n');
    out.push_str(&format!("[{}]\n", section_name(&account.email)));
    let mut set = |key: &str, value: &str| {
        out.push_str(&format!("{key} = {}\n", value_text(value)));
    };
    set("source", &source);
    set("source-cred-cmd", &command);
    set("outgoing", &outgoing);
    set("outgoing-cred-cmd", &command);
    if smtp.security == Security::Starttls {
        set("smtp-starttls", "true");
    }
    set("from", &mailbox(account.name.as_deref(), &account.email));
    set("default", "INBOX");
    // The account's own folders; a role the account has no folder for is left unset.
    let learned = account.folder_roles();
    for (key, role) in [
        ("copy-to", Role::Sent),
        ("postpone", Role::Drafts),
        ("archive", Role::Archive),
    ] {
        if let Some(folder) = folder_for(learned.as_ref(), role) {
            set(key, folder);
        }
    }
    // Apple Notes kept over IMAP is not mail: not in the folder list.
    set("folders-exclude", "Notes,~^Notes/");
    out
}

/// The section name: the address, with the characters that would end or confuse an INI
/// section header replaced.
fn section_name(email: &str) -> String {
    email.replace([']', '[', '#', ';'], "_")
}

/// `value` so that go-ini reads back exactly `value`.
fn value_text(value: &str) -> String {
    let changed_by_ini = value.is_empty()
        || value.contains(['#', ';'])
        || value.starts_with(|c: char| c.is_whitespace() || "\"'`".contains(c))
        || value.ends_with(|c: char| c.is_whitespace() || "\"'\\".contains(c));
    if changed_by_ini {
        format!("\"\"\"{value}\"\"\"")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::export::test_input::account;

    /// Reads the file as go-ini does for aerc: sections, `key = value`, full-line `#`/`;`
    /// comments, inline comments, `"""` and surrounding quotes removed.
    fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
        let mut sections: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        let mut current = None;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with(['#', ';']) {
                continue;
            }
            if let Some(name) = line.strip_prefix('[') {
                let name = name.strip_suffix(']').expect("section header ends with ]");
                current = Some(name.to_string());
                sections.entry(name.to_string()).or_default();
                continue;
            }
            let (key, value) = line.split_once('=').expect("key = value");
            let value = value.trim();
            let value = if let Some(inner) = value.strip_prefix("\"\"\"") {
                inner[..inner.rfind("\"\"\"").expect("closing \"\"\"")].to_string()
            } else {
                assert!(!value.ends_with('\\'), "would continue on the next line");
                let value = match value.find(['#', ';']) {
                    Some(i) => value[..i].trim(),
                    None => value,
                };
                let quoted = value.len() >= 2
                    && ((value.starts_with('"') && value.ends_with('"'))
                        || (value.starts_with('\'') && value.ends_with('\'')));
                if quoted {
                    value[1..value.len() - 1].to_string()
                } else {
                    value.to_string()
                }
            };
            let section = current.clone().expect("keys belong to a section");
            let previous = sections
                .get_mut(&section)
                .unwrap()
                .insert(key.trim().to_string(), value);
            assert!(previous.is_none(), "{key} set twice");
        }
        sections
    }

    proptest::proptest! {
        /// What go-ini (as `parse_ini` reads it) gives back for a value is the value,
        /// for any saved text an export accepts (no control characters).
        #[test]
        fn an_ini_value_reads_back_as_the_value(
            value in crate::display_safe::strategies::printable_text(),
        ) {
            let text = format!("[s]\nk = {}\n", value_text(&value));
            let sections = parse_ini(&text);
            proptest::prop_assert_eq!(&sections["s"]["k"], &value, "{}", text);
        }
    }

    fn render_for(
        account: &crate::config::Account,
        config: Option<&str>,
        ca: Option<&str>,
    ) -> String {
        render(&crate::export::test_input::input(account, config, ca))
    }

    #[test]
    fn the_account_section_has_every_setting_aerc_needs() {
        let account = account();
        let text = render_for(&account, None, None);
        let ini = parse_ini(&text);
        let section = &ini["johnappleseed@icloud.com"];
        let expected = [
            ("source", "imaps://johnappleseed@imap.mail.me.com:993"),
            (
                "source-cred-cmd",
                "/usr/bin/icloud-setup password johnappleseed@icloud.com",
            ),
            (
                "outgoing",
                "smtp://johnappleseed%40icloud.com@smtp.mail.me.com:587",
            ),
            (
                "outgoing-cred-cmd",
                "/usr/bin/icloud-setup password johnappleseed@icloud.com",
            ),
            ("smtp-starttls", "true"),
            ("from", "John Appleseed <johnappleseed@icloud.com>"),
            ("default", "INBOX"),
            ("copy-to", "Sent Messages"),
            ("postpone", "Drafts"),
            ("archive", "Archive"),
            ("folders-exclude", "Notes,~^Notes/"),
        ];
        for (key, value) in expected {
            assert_eq!(
                section.get(key).map(String::as_str),
                Some(value),
                "{key} in:\n{text}"
            );
        }
        assert_eq!(section.len(), expected.len(), "{section:?}");
    }

    #[test]
    fn values_go_ini_would_cut_or_unquote_come_back_intact() {
        let mut account = account();
        account.name = Some("J. \"Apple\" Seed; #1".into());
        let text = render_for(
            &account,
            Some("/home/j/mail #2/c.toml"),
            Some("/etc/ca.pem"),
        );
        let section = &parse_ini(&text)["johnappleseed@icloud.com"];
        assert_eq!(
            section["from"],
            r#""J. \"Apple\" Seed; #1" <johnappleseed@icloud.com>"#
        );
        assert_eq!(
            section["source-cred-cmd"],
            "/usr/bin/icloud-setup password johnappleseed@icloud.com --config '/home/j/mail #2/c.toml'"
        );
        assert!(
            text.contains("#   SSL_CERT_FILE=/etc/ca.pem aerc\n"),
            "{text}"
        );
    }

    #[test]
    fn smtp_with_tls_from_the_first_byte_needs_no_starttls_line() {
        let mut account = account();
        account.smtp.security = Security::Tls;
        account.smtp.port = 465;
        let text = render_for(&account, None, None);
        let section = &parse_ini(&text)["johnappleseed@icloud.com"];
        assert!(section["outgoing"].starts_with("smtps://"));
        assert!(!section.contains_key("smtp-starttls"));
    }

    /// An account whose folders are `Sent Items` and no archive gets them, not
    /// iCloud's usual names.
    #[test]
    fn the_accounts_own_folders_are_named() {
        let mut account = account();
        account.folders = Some(crate::config::FolderSettings {
            sent: Some("Sent Items".into()),
            drafts: Some("Entwürfe".into()),
            ..Default::default()
        });
        let text = render_for(&account, None, None);
        let section = &parse_ini(&text)["johnappleseed@icloud.com"];
        assert_eq!(section["copy-to"], "Sent Items");
        assert_eq!(section["postpone"], "Entwürfe");
        assert!(!section.contains_key("archive"), "{text}");
    }
}
