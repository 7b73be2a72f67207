//! Deciding, apart from doing: the answers (address, login, name) and the servers become
//! a plan — hosts, ports, security, the IMAP username ladder, the SMTP username — and,
//! once the live test has chosen the IMAP username, the account that is saved.
//! Pure; no I/O.

use crate::config::{Account, Security, ServerSettings};
use crate::domain::{AddressProblem, EmailAddress, LoginLadder};
use crate::mail::ServerAddress;

/// iCloud's IMAP server: TLS from the first byte.
pub(crate) const ICLOUD_IMAP: (&str, u16) = ("imap.mail.me.com", 993);
/// iCloud's SMTP submission server: STARTTLS.
pub(crate) const ICLOUD_SMTP: (&str, u16) = ("smtp.mail.me.com", 587);

/// Which servers to use: iCloud's, unless `--imap-server`/`--smtp-server` say otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Servers {
    pub imap: ServerAddress,
    pub smtp: ServerAddress,
}

impl Default for Servers {
    fn default() -> Self {
        Servers {
            imap: ServerAddress::new(ICLOUD_IMAP.0, ICLOUD_IMAP.1),
            smtp: ServerAddress::new(ICLOUD_SMTP.0, ICLOUD_SMTP.1),
        }
    }
}

/// Everything needed to test and then save one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountPlan {
    /// The sending address; names the keyring entry.
    pub(crate) email: EmailAddress,
    /// The iCloud address used to sign in.
    pub(crate) login: EmailAddress,
    pub(crate) name: Option<String>,
    pub(crate) servers: Servers,
    /// IMAP usernames in the order they are tried.
    pub(crate) imap_ladder: LoginLadder,
    /// SMTP always signs in with the full iCloud address.
    pub(crate) smtp_username: String,
}

impl AccountPlan {
    pub fn new(
        email: EmailAddress,
        login: EmailAddress,
        name: Option<String>,
        servers: Servers,
    ) -> AccountPlan {
        AccountPlan {
            imap_ladder: LoginLadder::for_login(&login),
            smtp_username: login.as_str().to_string(),
            email,
            login,
            name,
            servers,
        }
    }

    /// The plan for an account already saved: its own servers and the IMAP username that
    /// worked before (one rung only: it is proven, and failed attempts count at Apple).
    /// A hand-edited address that no longer parses is the address problem.
    pub(crate) fn for_saved(account: &Account) -> Result<AccountPlan, AddressProblem> {
        Ok(AccountPlan {
            email: EmailAddress::parse(&account.email)?,
            login: EmailAddress::parse(&account.login)?,
            name: account.name.clone(),
            servers: Servers {
                imap: ServerAddress::new(&account.imap.host, account.imap.port),
                smtp: ServerAddress::new(&account.smtp.host, account.smtp.port),
            },
            imap_ladder: LoginLadder::single(&account.imap.username),
            smtp_username: account.smtp.username.clone(),
        })
    }

    /// The account to save once IMAP accepted `imap_username`, verified at `verified_at`
    /// — which is also when its password is saved.
    pub fn account(&self, imap_username: &str, verified_at: &str) -> Account {
        Account {
            email: self.email.to_string(),
            login: self.login.to_string(),
            name: self.name.clone(),
            verified_at: Some(verified_at.to_string()),
            password_saved_at: Some(verified_at.to_string()),
            secret: None,
            pass_store_dir: None,
            gnupg_home: None,
            imap: ServerSettings {
                host: self.servers.imap.host.clone(),
                port: self.servers.imap.port,
                security: Security::Tls,
                username: imap_username.to_string(),
                extra: toml::Table::default(),
            },
            smtp: ServerSettings {
                host: self.servers.smtp.host.clone(),
                port: self.servers.smtp.port,
                security: Security::Starttls,
                username: self.smtp_username.clone(),
                extra: toml::Table::default(),
            },
            folders: None,
            extra: toml::Table::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> EmailAddress {
        EmailAddress::parse(text).unwrap()
    }

    #[test]
    fn an_icloud_address_signs_in_as_itself() {
        let plan = AccountPlan::new(
            address("johnappleseed@icloud.com"),
            address("johnappleseed@icloud.com"),
            Some("John Appleseed".into()),
            Servers::default(),
        );
        assert_eq!(
            plan.imap_ladder.usernames(),
            ["johnappleseed", "johnappleseed@icloud.com"]
        );
        assert_eq!(plan.smtp_username, "johnappleseed@icloud.com");
        let account = plan.account("johnappleseed", "2026-11-27T13:45:00Z");
        assert_eq!(
            (
                account.imap.host.as_str(),
                account.imap.port,
                account.imap.security
            ),
            ("imap.mail.me.com", 993, Security::Tls)
        );
        assert_eq!(
            (
                account.smtp.host.as_str(),
                account.smtp.port,
                account.smtp.security
            ),
            ("smtp.mail.me.com", 587, Security::Starttls)
        );
        assert_eq!(account.imap.username, "johnappleseed");
    }

    #[test]
    fn a_custom_domain_sends_as_itself_but_signs_in_with_the_icloud_address() {
        let plan = AccountPlan::new(
            address("john@example.org"),
            address("johnappleseed@me.com"),
            None,
            Servers::default(),
        );
        let account = plan.account("johnappleseed@me.com", "2026-11-27T13:45:00Z");
        assert_eq!(account.email, "john@example.org");
        assert_eq!(account.login, "johnappleseed@me.com");
        assert_eq!(account.smtp.username, "johnappleseed@me.com");
        assert_eq!(plan.imap_ladder.usernames()[0], "johnappleseed");
    }
}
