//! himalaya: one `[accounts.EMAIL]` table for `config.toml` in the format of himalaya 2
//! (checked against the 2.2.1 sources — `imap.server`, `imap.sasl.plain`, `smtp.*`,
//! `mailbox.alias.*`, `message.send.save-copy` — and by running himalaya 2.2.1 with such a
//! file against the test Dovecot: account list, envelope list, message send). Debian 12
//! ships no himalaya, so the newest release decides; himalaya 1 reads a different layout
//! (`backend.*`) and is not written.
//!
//! The password command is written as a list (program and arguments), which himalaya runs
//! without a shell, so no shell quoting is involved. SASL PLAIN is what himalaya's own iCloud
//! example uses; iCloud offers no other mechanism for passwords. `imap.tls.cert` and
//! `smtp.tls.cert` add a CA to the trusted roots. The folder aliases name the account's own
//! folders (`[accounts.folders]`), iCloud's usual names for a profile saved before they
//! were learned.

use crate::config::Security;
use crate::export::Note;
use crate::folders::{Role, folder_for};

use super::quote::url_host;
use super::{ExportInput, comment_block};

/// The roles himalaya has aliases for, besides `inbox`.
const ALIASES: [(&str, Role); 5] = [
    ("sent", Role::Sent),
    ("drafts", Role::Drafts),
    ("trash", Role::Trash),
    ("junk", Role::Junk),
    ("archive", Role::Archive),
];

pub(crate) fn render(input: &ExportInput<'_>) -> String {
    let account = input.account;
    let imap = &account.imap;
    let smtp = &account.smtp;
    let argv = input.password_command.argv();
    let command = format!(
        "[{}]",
        argv.iter()
            .map(|a| string(a))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let mut header = vec![
        input.words.say(Note::Title {
            client: "himalaya",
            email: &account.email,
            command: "icloud-setup export himalaya",
        }),
        input.words.say(Note::HimalayaSteps),
        input.words.say(Note::PasswordCommand {
            client: "himalaya",
            command: &input.password_command.shell_line(),
            program: input.password_command.program().path(),
            per_use: true,
        }),
    ];
    if let Some(ca) = &input.ca_file {
        header.push(input.words.say(Note::CaAdded { path: ca }));
    }

    let (imap_scheme, imap_starttls) = match imap.security {
        Security::Tls => ("imaps", false),
        Security::Starttls => ("imap", true),
    };
    let (smtp_scheme, smtp_starttls) = match smtp.security {
        Security::Tls => ("smtps", false),
        Security::Starttls => ("smtp", true),
    };

    let mut out = comment_block(&header.join("\n\n"));
    out.push('\n');
    // A key may not be a multi-line string, which toml_edit could choose for a value.
    let key = toml_edit::Key::new(account.email.as_str());
    out.push_str(&format!("[accounts.{}]\n", key.display_repr()));
    let mut set = |key: &str, value: String| {
        out.push_str(&format!("{key} = {value}\n"));
    };
    set("default", "true".into());
    set("email", string(&account.email));
    if let Some(name) = account.name.as_deref().filter(|n| !n.trim().is_empty()) {
        set("display-name", string(name));
    }
    set(
        "imap.server",
        string(&format!(
            "{imap_scheme}://{}:{}",
            url_host(&imap.host),
            imap.port
        )),
    );
    if imap_starttls {
        set("imap.starttls", "true".into());
    }
    set("imap.sasl.plain.username", string(&imap.username));
    set("imap.sasl.plain.password.command", command.clone());
    if let Some(ca) = &input.ca_file {
        set("imap.tls.cert", string(ca));
    }
    set(
        "smtp.server",
        string(&format!(
            "{smtp_scheme}://{}:{}",
            url_host(&smtp.host),
            smtp.port
        )),
    );
    if smtp_starttls {
        set("smtp.starttls", "true".into());
    }
    set("smtp.sasl.plain.username", string(&smtp.username));
    set("smtp.sasl.plain.password.command", command);
    if let Some(ca) = &input.ca_file {
        set("smtp.tls.cert", string(ca));
    }
    // The account's own folders; a role the account has no folder for gets no alias.
    let learned = account.folder_roles();
    set("mailbox.alias.inbox", string("INBOX"));
    for (alias, role) in ALIASES {
        if let Some(folder) = folder_for(learned.as_ref(), role) {
            set(&format!("mailbox.alias.{alias}"), string(folder));
        }
    }
    // Sent mail is kept by appending it to the `sent` mailbox.
    set("message.send.save-copy", string("sent"));
    out
}

/// `value` as a TOML string, quoted and escaped by toml_edit (the crate that writes the
/// profile), so it reads back as the value whatever it holds.
fn string(value: &str) -> String {
    toml_edit::Value::from(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display_safe::strategies::{any_text, printable_text};
    use crate::export::test_input::account;
    use proptest::prelude::*;

    proptest! {
        /// What the `toml` crate (the parser himalaya itself reads its config with) reads
        /// back is the value, whatever it holds.
        #[test]
        fn a_toml_string_reads_back_as_the_value(text in any_text()) {
            let table: toml::Table = toml::from_str(&format!("v = {}", string(&text))).unwrap();
            prop_assert_eq!(table["v"].as_str(), Some(text.as_str()));
        }

        /// Every saved value an export accepts (no control characters: `export` refuses
        /// those) reads back from the whole file as saved.
        #[test]
        fn saved_values_of_any_script_read_back_from_the_file(
            email in printable_text(),
            name in printable_text(),
            imap_user in printable_text(),
            smtp_user in printable_text(),
            host in printable_text(),
            config in printable_text(),
        ) {
            let mut account = account();
            account.email.clone_from(&email);
            account.name = Some(name.clone());
            account.imap.username.clone_from(&imap_user);
            account.smtp.username.clone_from(&smtp_user);
            account.imap.host.clone_from(&host);
            let text = render(&crate::export::test_input::input(&account, Some(&config), None));
            let table: toml::Table = toml::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            let saved = table["accounts"][email.as_str()].as_table().unwrap();
            let str_at = |path: &str| get(saved, path).as_str().unwrap().to_string();
            prop_assert_eq!(str_at("email"), email.clone());
            if !name.trim().is_empty() {
                prop_assert_eq!(str_at("display-name"), name);
            }
            prop_assert_eq!(str_at("imap.sasl.plain.username"), imap_user);
            prop_assert_eq!(str_at("smtp.sasl.plain.username"), smtp_user);
            prop_assert_eq!(str_at("imap.server"), format!("imaps://{}:993", url_host(&host)));
            let argv: Vec<&str> = get(saved, "imap.sasl.plain.password.command")
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            prop_assert_eq!(argv, ["/usr/bin/icloud-setup", "password", email.as_str(), "--config", config.as_str()]);
        }
    }

    fn render_for(config: Option<&str>, ca: Option<&str>) -> String {
        let account = account();
        render(&crate::export::test_input::input(&account, config, ca))
    }

    fn get<'t>(table: &'t toml::Table, path: &str) -> &'t toml::Value {
        let mut parts = path.split('.');
        let mut value = &table[parts.next().unwrap()];
        for part in parts {
            value = value
                .get(part)
                .unwrap_or_else(|| panic!("{path}: no {part}"));
        }
        value
    }

    #[test]
    fn the_output_is_toml_with_the_himalaya_2_keys() {
        let text = render_for(Some("/home/j/\"odd\" dir/c.toml"), Some("/etc/ca.pem"));
        let table: toml::Table = toml::from_str(&text).expect("valid TOML");
        let accounts = table["accounts"].as_table().unwrap();
        assert_eq!(accounts.len(), 1);
        let account = accounts["johnappleseed@icloud.com"].as_table().unwrap();
        let str_at = |path: &str| get(account, path).as_str().unwrap().to_string();
        assert_eq!(get(account, "default").as_bool(), Some(true));
        assert_eq!(str_at("email"), "johnappleseed@icloud.com");
        assert_eq!(str_at("display-name"), "John Appleseed");
        assert_eq!(str_at("imap.server"), "imaps://imap.mail.me.com:993");
        assert_eq!(str_at("imap.sasl.plain.username"), "johnappleseed");
        assert_eq!(str_at("imap.tls.cert"), "/etc/ca.pem");
        assert_eq!(str_at("smtp.server"), "smtp://smtp.mail.me.com:587");
        assert_eq!(get(account, "smtp.starttls").as_bool(), Some(true));
        assert_eq!(
            str_at("smtp.sasl.plain.username"),
            "johnappleseed@icloud.com"
        );
        assert_eq!(str_at("smtp.tls.cert"), "/etc/ca.pem");
        assert_eq!(str_at("mailbox.alias.sent"), "Sent Messages");
        assert_eq!(str_at("mailbox.alias.trash"), "Deleted Messages");
        assert_eq!(str_at("mailbox.alias.inbox"), "INBOX");
        assert_eq!(str_at("message.send.save-copy"), "sent");
        for path in [
            "imap.sasl.plain.password.command",
            "smtp.sasl.plain.password.command",
        ] {
            let argv: Vec<&str> = get(account, path)
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(
                argv,
                [
                    "/usr/bin/icloud-setup",
                    "password",
                    "johnappleseed@icloud.com",
                    "--config",
                    "/home/j/\"odd\" dir/c.toml"
                ]
            );
        }
        assert!(
            get(account, "imap.sasl.plain")
                .get("password")
                .unwrap()
                .get("raw")
                .is_none()
        );
        assert!(account.get("imap").unwrap().get("starttls").is_none());
    }

    #[test]
    fn without_a_ca_file_there_is_no_tls_table() {
        let text = render_for(None, None);
        let table: toml::Table = toml::from_str(&text).expect("valid TOML");
        let account = &table["accounts"]["johnappleseed@icloud.com"];
        assert!(account["imap"].get("tls").is_none());
        assert!(account["smtp"].get("tls").is_none());
    }

    /// Aliases name the account's own folders; a role it lacks gets none.
    #[test]
    fn aliases_name_the_accounts_own_folders() {
        let mut account = account();
        account.folders = Some(crate::config::FolderSettings {
            sent: Some("Sent Items".into()),
            trash: Some("Deleted Items".into()),
            ..Default::default()
        });
        let text = render(&crate::export::test_input::input(&account, None, None));
        let table: toml::Table = toml::from_str(&text).expect("valid TOML");
        let account = table["accounts"]["johnappleseed@icloud.com"]
            .as_table()
            .unwrap();
        let aliases = get(account, "mailbox.alias").as_table().unwrap();
        assert_eq!(aliases["sent"].as_str(), Some("Sent Items"));
        assert_eq!(aliases["trash"].as_str(), Some("Deleted Items"));
        assert_eq!(aliases["inbox"].as_str(), Some("INBOX"));
        assert!(!aliases.contains_key("archive") && !aliases.contains_key("junk"));
    }
}
