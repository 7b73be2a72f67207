//! The config schema, version 1, as docs/PRODUCT.md shows it.
//!
//! Keys this program does not know are kept: every table carries the unknown keys it was
//! read with (`extra`) and writes them back, so what a person added by hand survives a
//! rewrite.

use serde::{Deserialize, Serialize};

use crate::folders::Roles;

/// The only schema version this program reads and writes.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// The whole config file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigFile {
    pub(crate) version: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<Account>,
    #[serde(flatten)]
    pub(crate) extra: toml::Table,
}

impl Default for ConfigFile {
    fn default() -> Self {
        ConfigFile {
            version: SCHEMA_VERSION,
            accounts: Vec::new(),
            extra: toml::Table::new(),
        }
    }
}

impl ConfigFile {
    pub(crate) fn find(&self, email: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.email == email)
    }

    /// Adds the account, or replaces the one with the same `email` in place (keeping its
    /// position and any keys added by hand).
    pub fn upsert(&mut self, mut account: Account) {
        match self.accounts.iter_mut().find(|a| a.email == account.email) {
            Some(existing) => {
                let mut extra = std::mem::take(&mut existing.extra);
                extra.extend(account.extra);
                account.extra = extra;
                account.imap.extra = merged(&existing.imap.extra, &account.imap.extra);
                account.smtp.extra = merged(&existing.smtp.extra, &account.smtp.extra);
                // A save that learned no folders (the list was given up) keeps the ones
                // learned before.
                match (&mut account.folders, existing.folders.take()) {
                    (None, old) => account.folders = old,
                    (Some(new), Some(old)) => new.extra = merged(&old.extra, &new.extra),
                    (Some(_), None) => {}
                }
                *existing = account;
            }
            None => self.accounts.push(account),
        }
    }

    /// Removes the account; true when it was there.
    pub fn remove(&mut self, email: &str) -> bool {
        let before = self.accounts.len();
        self.accounts.retain(|a| a.email != email);
        self.accounts.len() != before
    }
}

fn merged(old: &toml::Table, new: &toml::Table) -> toml::Table {
    let mut out = old.clone();
    out.extend(new.clone());
    out
}

/// One saved account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The sending address, and the keyring account name.
    pub email: String,
    /// The iCloud address used to sign in.
    pub login: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Last successful live test, RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
    /// When the app-specific password now saved was stored (setup, rotate), RFC 3339 UTC:
    /// Apple's list of app-specific passwords shows creation dates, so this finds the one to
    /// revoke. Absent in profiles written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_saved_at: Option<String>,
    /// Where the secret is when not in the OS keyring: `pass:icloud-setup/EMAIL`. Absent
    /// means the keyring, so version-1 files stay valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// With `pass`: the store's folder, when it is not the default place (it was given as
    /// `PASSWORD_STORE_DIR`), so runs without that variable find the same store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_store_dir: Option<std::path::PathBuf>,
    /// With `pass`: the GnuPG home (`GNUPGHOME`) the store's key is in, when one was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gnupg_home: Option<std::path::PathBuf>,
    pub imap: ServerSettings,
    pub smtp: ServerSettings,
    /// The account's folder for each role the live test could tell (`[accounts.folders]`).
    /// Absent in a profile saved before folders were learned: the exports then use
    /// iCloud's usual names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folders: Option<FolderSettings>,
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl Account {
    /// Whole days from `password_saved_at` to `now`, when it is recorded and readable (a
    /// time in the future, from a clock set wrong, counts as 0 days).
    pub(crate) fn password_age_days(&self, now: std::time::SystemTime) -> Option<u64> {
        days_since(self.password_saved_at.as_deref()?, now)
    }
}

/// Whole days from the RFC 3339 time `at` to `now`; `None` when `at` is not such a time.
pub(crate) fn days_since(at: &str, now: std::time::SystemTime) -> Option<u64> {
    let then = humantime::parse_rfc3339_weak(at.trim()).ok()?;
    Some(
        now.duration_since(then)
            .map_or(0, |age| age.as_secs() / 86_400),
    )
}

/// The calendar day (`YYYY-MM-DD`) of an RFC 3339 time, as Apple's list shows it; the whole
/// text when it does not start with one.
pub(crate) fn calendar_day(at: &str) -> &str {
    match at.get(..10) {
        Some(day) if humantime::parse_rfc3339_weak(&format!("{day}T00:00:00Z")).is_ok() => day,
        _ => at,
    }
}

/// `[accounts.folders]`: only the roles found, each the folder's name as the account shows
/// it (decoded from the wire's modified UTF-7).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FolderSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafts: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub junk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    #[serde(flatten)]
    pub extra: toml::Table,
}

impl FolderSettings {
    /// The roles as the exports and `status` read them.
    pub fn roles(&self) -> Roles {
        Roles {
            sent: self.sent.clone(),
            trash: self.trash.clone(),
            drafts: self.drafts.clone(),
            junk: self.junk.clone(),
            archive: self.archive.clone(),
        }
    }

    /// The settings for roles a live test found.
    pub fn from_roles(roles: &Roles) -> FolderSettings {
        FolderSettings {
            sent: roles.sent.clone(),
            trash: roles.trash.clone(),
            drafts: roles.drafts.clone(),
            junk: roles.junk.clone(),
            archive: roles.archive.clone(),
            extra: toml::Table::new(),
        }
    }
}

impl Account {
    /// The learned roles, `None` for a profile saved before folders were learned.
    pub fn folder_roles(&self) -> Option<Roles> {
        self.folders.as_ref().map(FolderSettings::roles)
    }

    /// Records the roles a live test found; keys added by hand to the table stay.
    pub fn learn_folders(&mut self, roles: &Roles) {
        let mut learned = FolderSettings::from_roles(roles);
        if let Some(old) = self.folders.take() {
            learned.extra = old.extra;
        }
        self.folders = Some(learned);
    }
}

/// How one server is reached and signed in to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    #[serde(flatten)]
    pub extra: toml::Table,
}

/// Transport security of a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (IMAP on 993).
    Tls,
    /// Plain text upgraded with STARTTLS before anything else (SMTP on 587).
    Starttls,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"version = 1

[[accounts]]
email = "johnappleseed@icloud.com"
login = "johnappleseed@icloud.com"
name = "John Appleseed"
verified_at = "2026-11-27T13:45:00Z"

[accounts.imap]
host = "imap.mail.me.com"
port = 993
security = "tls"
username = "johnappleseed"

[accounts.smtp]
host = "smtp.mail.me.com"
port = 587
security = "starttls"
username = "johnappleseed@icloud.com"
"#;

    #[test]
    fn the_password_age_is_counted_in_whole_days_and_old_profiles_have_none() {
        let mut account: Account =
            toml::from_str::<ConfigFile>(SAMPLE).unwrap().accounts[0].clone();
        assert_eq!(account.password_saved_at, None);
        let now = humantime::parse_rfc3339("2027-03-01T12:00:00Z").unwrap();
        assert_eq!(account.password_age_days(now), None);
        account.password_saved_at = Some("2026-11-27T13:45:00Z".into());
        assert_eq!(account.password_age_days(now), Some(93));
        // A clock set wrong: never a negative age.
        account.password_saved_at = Some("2027-03-02T00:00:00Z".into());
        assert_eq!(account.password_age_days(now), Some(0));
        account.password_saved_at = Some("last tuesday".into());
        assert_eq!(account.password_age_days(now), None);
        assert_eq!(calendar_day("2026-11-27T13:45:00Z"), "2026-11-27");
        assert_eq!(calendar_day("yesterday"), "yesterday");
        assert_eq!(calendar_day("2026-1ü-27T00"), "2026-1ü-27T00");
    }

    proptest::proptest! {
        #[test]
        fn any_saved_text_gives_an_age_or_none_and_a_prefix_as_its_day(text in "\\PC{0,40}|.{0,40}") {
            let now = std::time::SystemTime::now();
            let _ = days_since(&text, now);
            proptest::prop_assert!(text.starts_with(calendar_day(&text)));
        }
    }

    #[test]
    fn the_documented_sample_round_trips() {
        let parsed: ConfigFile = toml::from_str(SAMPLE).unwrap();
        assert_eq!(parsed.accounts[0].imap.username, "johnappleseed");
        assert_eq!(parsed.accounts[0].smtp.security, Security::Starttls);
        let written = toml::to_string(&parsed).unwrap();
        assert_eq!(toml::from_str::<ConfigFile>(&written).unwrap(), parsed);
    }

    #[test]
    fn keys_added_by_hand_survive_a_rewrite() {
        let with_extras = SAMPLE
            .replace("version = 1\n", "version = 1\neditor = \"vim\"\n")
            .replace("\nname = ", "\nsignature = \"-- J\"\nname = ")
            .replace("port = 993\n", "port = 993\nnote = \"x\"\n");
        let mut parsed: ConfigFile = toml::from_str(&with_extras).unwrap();
        let mut replacement = parsed.accounts[0].clone();
        replacement.extra.clear();
        replacement.imap.extra.clear();
        replacement.verified_at = Some("2027-01-01T00:00:00Z".into());
        parsed.upsert(replacement);
        let written = toml::to_string(&parsed).unwrap();
        for kept in [
            "editor = \"vim\"",
            "signature = \"-- J\"",
            "note = \"x\"",
            "2027-01-01",
        ] {
            assert!(written.contains(kept), "{kept} missing from:\n{written}");
        }
    }

    /// A save whose folder list was given up keeps the roles learned before;
    /// one that learned folders replaces them (only the roles found) and keeps hand keys.
    #[test]
    fn learned_folders_survive_a_save_without_a_list() {
        let mut config: ConfigFile = toml::from_str(SAMPLE).unwrap();
        let mut learned = config.accounts[0].clone();
        learned.learn_folders(&Roles {
            sent: Some("Sent Items".into()),
            archive: Some("Archive".into()),
            ..Roles::default()
        });
        config.upsert(learned);
        config.accounts[0]
            .folders
            .as_mut()
            .unwrap()
            .extra
            .insert("note".into(), "mine".into());
        let mut without_list = config.accounts[0].clone();
        without_list.folders = None;
        config.upsert(without_list);
        let kept = config.accounts[0].folder_roles().unwrap();
        assert_eq!(kept.sent.as_deref(), Some("Sent Items"));
        let mut relearned = config.accounts[0].clone();
        relearned.learn_folders(&Roles {
            sent: Some("Sent".into()),
            ..Roles::default()
        });
        config.upsert(relearned);
        let account = &config.accounts[0];
        assert_eq!(account.folder_roles().unwrap().archive, None);
        assert_eq!(
            account.folders.as_ref().unwrap().extra["note"].as_str(),
            Some("mine")
        );
        let written = toml::to_string(&config).unwrap();
        assert!(
            written.contains("[accounts.folders]\nsent = \"Sent\"\nnote = \"mine\""),
            "{written}"
        );
        // A profile saved before folders were learned reads as not learned.
        let old: ConfigFile = toml::from_str(SAMPLE).unwrap();
        assert_eq!(old.accounts[0].folder_roles(), None);
    }
}
