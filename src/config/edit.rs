//! The config text a rewrite produces: the file as the person left it, changed only where
//! the saved values changed.
//!
//! The model ([`ConfigFile`]) is what the commands change; this module carries those
//! changes into the text the file held, through `toml_edit`, so comments, blank lines, key
//! order, quoting and keys this program does not know survive every command that writes
//! (setup, rotate and check recording `verified_at`, remove). Accounts are matched by
//! `email`: a changed value is replaced in place (keeping the comment after it), a new key
//! or account is added at the end of its table, a removed account goes with its own lines
//! and nothing else. A new file (or one with nothing in it) is written as `toml` formats the
//! model.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

use crate::config::model::ConfigFile;

/// The text to write for `config`, given the text the file held (`""` when there was none).
pub fn render(original: &str, config: &ConfigFile) -> String {
    let fresh = toml::to_string(config).expect("the config model always serializes to TOML");
    if original.trim().is_empty() {
        return fresh;
    }
    // `original` was parsed by `toml` before the change, with the same parser underneath.
    let (Ok(mut document), Ok(wanted)) = (
        original.parse::<DocumentMut>(),
        fresh.parse::<DocumentMut>(),
    ) else {
        return fresh;
    };
    if document.as_table().is_empty() {
        // Only comments so far: they stay on top.
        let separator = if original.ends_with('\n') { "" } else { "\n" };
        return format!("{original}{separator}{fresh}");
    }
    merge_tables(document.as_table_mut(), wanted.as_table());
    document.to_string()
}

/// Makes `have` hold what `want` holds, touching only the keys whose values differ.
fn merge_tables(have: &mut dyn TableLike, want: &dyn TableLike) {
    let gone: Vec<String> = have
        .iter()
        .map(|(key, _)| key.to_string())
        .filter(|key| !want.contains_key(key))
        .collect();
    for key in gone {
        have.remove(&key);
    }
    for (key, wanted) in want.iter() {
        match have.get_mut(key) {
            Some(item) => merge_item(key, item, wanted),
            None => {
                have.insert(key, new_item(wanted));
            }
        }
    }
}

fn merge_item(key: &str, have: &mut Item, want: &Item) {
    // Accounts are matched by address, so one that is removed or added leaves the others'
    // lines alone.
    if key == "accounts"
        && let (Item::ArrayOfTables(have_tables), Item::ArrayOfTables(want_tables)) =
            (&mut *have, want)
    {
        merge_accounts(have_tables, want_tables);
        return;
    }
    if let (Some(have_table), Some(want_table)) = (have.as_table_like_mut(), want.as_table_like()) {
        merge_tables(have_table, want_table);
        return;
    }
    match have {
        // Written inline by the person (`accounts = [{ … }]`): stays inline.
        Item::Value(have_value) => {
            if let Ok(want_value) = want.clone().into_value()
                && !same_value(have_value, &want_value)
            {
                replace_value(have_value, want_value);
            }
        }
        _ => *have = new_item(want),
    }
}

fn merge_accounts(have: &mut ArrayOfTables, want: &ArrayOfTables) {
    let mut old: Vec<Option<Table>> = have.iter().cloned().map(Some).collect();
    let mut merged = ArrayOfTables::new();
    for wanted in want {
        let email = wanted.get("email").and_then(Item::as_str);
        let found = old
            .iter_mut()
            .find(|t| {
                t.as_ref()
                    .is_some_and(|t| t.get("email").and_then(Item::as_str) == email)
            })
            .and_then(Option::take);
        let table = if let Some(mut table) = found {
            merge_tables(&mut table, wanted);
            table
        } else {
            let mut table = wanted.clone();
            forget_positions(&mut table);
            table
        };
        merged.push(table);
    }
    *have = merged;
}

/// `want` for a place in the person's file: its tables lose the positions they had in the
/// freshly formatted text, so they are written where they are inserted.
fn new_item(want: &Item) -> Item {
    let mut item = want.clone();
    match &mut item {
        Item::Table(table) => forget_positions(table),
        Item::ArrayOfTables(tables) => tables.iter_mut().for_each(forget_positions),
        _ => {}
    }
    item
}

fn forget_positions(table: &mut Table) {
    table.set_position(None);
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(inner) => forget_positions(inner),
            Item::ArrayOfTables(tables) => tables.iter_mut().for_each(forget_positions),
            _ => {}
        }
    }
}

/// Replaces the value and keeps what surrounded it (the spaces and the `# comment` after).
fn replace_value(have: &mut Value, mut want: Value) {
    *want.decor_mut() = have.decor().clone();
    *have = want;
}

/// Whether two values are the same TOML value, however they are written (`0x3E1` is 993).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.value() == b.value(),
        (Value::Integer(a), Value::Integer(b)) => a.value() == b.value(),
        (Value::Float(a), Value::Float(b)) => a.value().to_bits() == b.value().to_bits(),
        (Value::Boolean(a), Value::Boolean(b)) => a.value() == b.value(),
        (Value::Datetime(a), Value::Datetime(b)) => a.value() == b.value(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(a, b)| same_value(a, b))
        }
        (Value::InlineTable(a), Value::InlineTable(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| same_value(value, other)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::model::{Account, ServerSettings};
    use crate::display_safe::strategies::any_text;
    use proptest::prelude::*;

    /// A config as a person might keep it: comments everywhere, keys in their own order,
    /// a key this program does not know, and a second account.
    const COMMENTED: &str = r#"# My mail accounts. Managed by icloud-setup, but I keep notes here.
version = 1
editor = "vim"   # not icloud-setup's, kept anyway

# Work address (custom domain).
[[accounts]]
login = "john@icloud.com"
email = "john@example.org"     # sending address
name = 'John A.'
verified_at = "2026-01-01T00:00:00Z" # last good test

[accounts.imap]
# Apple's server
host = "imap.mail.me.com"
port = 993
security = "tls"
username = "john"

[accounts.smtp]
host = "smtp.mail.me.com"
port = 0x24B    # 587, in hex for fun
security = "starttls"
username = "john@icloud.com"

# Family address, rarely used.
[[accounts]]
email = "fam@icloud.com"
login = "fam@icloud.com"
imap = { host = "imap.mail.me.com", port = 993, security = "tls", username = "fam" }

[accounts.smtp]
host = "smtp.mail.me.com"
port = 587
security = "starttls"
username = "fam@icloud.com"

# The end.
"#;

    fn load(text: &str) -> ConfigFile {
        toml::from_str(text).unwrap()
    }

    /// An account whose every text field holds someone's text of any script.
    fn account_of(texts: [String; 7], port: u16) -> Account {
        let [email, login, name, imap_user, smtp_user, host, verified] = texts;
        let server = |host: &str, username: String| ServerSettings {
            host: host.into(),
            port,
            security: crate::config::Security::Starttls,
            username,
            extra: toml::Table::new(),
        };
        Account {
            email,
            login,
            name: Some(name),
            verified_at: Some(verified),
            secret: None,
            pass_store_dir: None,
            gnupg_home: None,
            password_saved_at: None,
            folders: None,
            imap: server(&host, imap_user),
            smtp: server(&host, smtp_user),
            extra: toml::Table::new(),
        }
    }

    fn texts() -> impl Strategy<Value = [String; 7]> {
        proptest::array::uniform7(any_text())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Written and read again, the accounts are the same, whatever their text; every
        /// comment of the person's file is still there.
        #[test]
        fn accounts_of_any_text_read_back_equal_and_comments_stay(
            added in texts(),
            changed in any_text(),
            port in any::<u16>(),
        ) {
            let mut config = load(COMMENTED);
            config.accounts[0].name = Some(changed.clone());
            config.accounts[1].imap.username.clone_from(&changed);
            let new = account_of(added, port);
            // Accounts are matched by address: one that is already saved is replaced.
            config.upsert(new);
            let text = render(COMMENTED, &config);
            prop_assert_eq!(load(&text), config.clone(), "{}", text);
            // `find` gives the byte index of `#` itself: a character boundary.
            for comment in COMMENTED.lines().filter_map(|l| l.find('#').map(|i| &l[i..])) {
                prop_assert!(text.contains(comment), "lost {:?}:\n{}", comment, text);
            }
            // And again: a second rewrite of the same model changes nothing.
            prop_assert_eq!(render(&text, &config), text);
        }

        /// A new file, from nothing, reads back as the model.
        #[test]
        fn a_new_file_of_any_text_reads_back_equal(a in texts(), b in texts()) {
            let mut config = ConfigFile::default();
            config.upsert(account_of(a, 993));
            config.upsert(account_of(b, 587));
            let text = render("", &config);
            prop_assert_eq!(load(&text), config);
        }
    }

    fn rewrite(change: impl FnOnce(&mut ConfigFile)) -> String {
        let mut config = load(COMMENTED);
        change(&mut config);
        let text = render(COMMENTED, &config);
        assert_eq!(load(&text), config, "the text holds the model:\n{text}");
        text
    }

    #[test]
    fn an_unchanged_config_is_written_back_byte_for_byte() {
        assert_eq!(rewrite(|_| {}), COMMENTED);
    }

    #[test]
    fn a_changed_value_is_replaced_in_place_with_its_comment() {
        let text = rewrite(|c| c.accounts[0].verified_at = Some("2027-02-03T04:05:06Z".into()));
        assert_eq!(
            text,
            COMMENTED.replace(
                "verified_at = \"2026-01-01T00:00:00Z\" # last good test",
                "verified_at = \"2027-02-03T04:05:06Z\" # last good test"
            )
        );
    }

    #[test]
    fn removing_one_account_takes_its_lines_and_nothing_else() {
        let text = rewrite(|c| {
            c.remove("john@example.org");
        });
        let start = COMMENTED.find("# Work address").unwrap();
        let end = COMMENTED.find("# Family address").unwrap();
        let expected = format!("{}{}", &COMMENTED[..start], &COMMENTED[end..]);
        assert_eq!(text, expected);

        let text = rewrite(|c| {
            c.remove("fam@icloud.com");
        });
        let start = COMMENTED.find("# Family address").unwrap();
        let end = COMMENTED.find("# The end.").unwrap();
        assert_eq!(
            text,
            format!("{}{}", &COMMENTED[..start], &COMMENTED[end..])
        );
    }

    #[test]
    fn an_inline_table_stays_inline_when_a_value_in_it_changes() {
        let text = rewrite(|c| c.accounts[1].imap.username = "fam@icloud.com".into());
        assert_eq!(
            text,
            COMMENTED.replace(
                "security = \"tls\", username = \"fam\" }",
                "security = \"tls\", username = \"fam@icloud.com\" }"
            )
        );
    }

    #[test]
    fn a_new_key_and_a_new_account_go_at_the_end_of_their_tables() {
        let text = rewrite(|c| {
            c.accounts[1].name = Some("Family".into());
            let mut new = c.accounts[1].clone();
            new.email = "new@icloud.com".into();
            new.login = "new@icloud.com".into();
            new.name = None;
            c.upsert(new);
        });
        assert!(
            text.starts_with(&COMMENTED[..COMMENTED.find("imap = {").unwrap()]),
            "{text}"
        );
        assert!(
            text.contains("imap = { host = \"imap.mail.me.com\", port = 993, security = \"tls\", username = \"fam\" }\nname = \"Family\"\n"),
            "{text}"
        );
        let family_smtp = COMMENTED
            .find("\n[accounts.smtp]\nhost = \"smtp.mail.me.com\"\nport = 587")
            .unwrap();
        let before_end = &COMMENTED[family_smtp..COMMENTED.find("# The end.").unwrap()];
        assert!(text.contains(before_end), "{text}");
        let new_at = text
            .find("email = \"new@icloud.com\"")
            .expect("new account written");
        assert!(
            new_at > text.find("username = \"fam@icloud.com\"").unwrap(),
            "{text}"
        );
    }

    #[test]
    fn a_removed_key_goes_with_its_line() {
        let text = rewrite(|c| c.accounts[0].name = None);
        assert_eq!(text, COMMENTED.replace("name = 'John A.'\n", ""));
    }

    #[test]
    fn a_new_file_is_formatted_from_the_model() {
        let mut config = ConfigFile::default();
        let server = |host: &str| ServerSettings {
            host: host.into(),
            port: 993,
            security: crate::config::Security::Tls,
            username: "a".into(),
            extra: toml::Table::new(),
        };
        config.upsert(Account {
            email: "a@icloud.com".into(),
            login: "a@icloud.com".into(),
            name: None,
            verified_at: None,
            password_saved_at: None,
            secret: None,
            pass_store_dir: None,
            gnupg_home: None,
            imap: server("imap.mail.me.com"),
            smtp: server("smtp.mail.me.com"),
            folders: None,
            extra: toml::Table::new(),
        });
        let text = render("", &config);
        assert_eq!(text, toml::to_string(&config).unwrap());
        let noted = render("# nothing yet\n", &config);
        assert!(noted.starts_with("# nothing yet\n"), "{noted}");
        assert_eq!(load(&noted), config);
        assert_eq!(load(&text), config);
    }
}
