//! Domain types that validate on construction: the e-mail address, the app-specific
//! password, and the ladder of usernames the live test tries.
//!
//! The interactive prompts and the command-line flags call the same parsers, so a value
//! that passes one passes the other. Nothing here does I/O.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::messages;

/// Why text is not a usable address (worded for now; typed in its own change).
pub type AddressProblem = String;

/// Domains whose addresses sign in to iCloud Mail directly.
pub const ICLOUD_DOMAINS: [&str; 3] = ["icloud.com", "me.com", "mac.com"];

/// A syntactically valid e-mail address, trimmed and lower-cased (iCloud addresses are
/// case-insensitive, and the keyring entry is keyed by it, so one spelling matters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses what a person typed. The error is a sentence for them.
    pub fn parse(input: &str) -> Result<EmailAddress, String> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(messages::address_empty());
        }
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(messages::address_has_spaces(trimmed));
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err(messages::address_without_at(trimmed));
        };
        if local.is_empty() || local.contains('@') {
            return Err(messages::address_bad_local_part(trimmed));
        }
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if !domain_ok {
            return Err(messages::address_bad_domain(trimmed));
        }
        Ok(EmailAddress(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`: iCloud's usual IMAP username.
    pub fn local_part(&self) -> &str {
        self.0
            .rsplit_once('@')
            .map_or(self.0.as_str(), |(local, _)| local)
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// True for @icloud.com, @me.com and @mac.com, which sign in as themselves.
    pub fn is_icloud(&self) -> bool {
        ICLOUD_DOMAINS.contains(&self.domain())
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses the iCloud address used to sign in, which must be on an iCloud domain: an Apple
/// ID at another provider is refused by the IMAP server as a login.
pub fn parse_icloud_login(input: &str) -> Result<EmailAddress, String> {
    let address = EmailAddress::parse(input)?;
    if address.is_icloud() {
        Ok(address)
    } else {
        Err(messages::login_not_icloud(address.as_str()))
    }
}

/// Whether a password looks like what Apple shows for an app-specific password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordShape {
    /// Four groups of four lowercase letters.
    AppSpecific,
    /// Anything else, most likely the Apple ID password, which iCloud refuses.
    Unusual,
}

/// An app-specific password. It never prints: `Debug` shows a placeholder, and the only
/// way to the text is [`AppPassword::expose`], which callers use at the last moment.
#[derive(Clone)]
pub struct AppPassword {
    secret: SecretString,
    shape: PasswordShape,
}

impl fmt::Debug for AppPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppPassword")
            .field("secret", &"[hidden]")
            .field("shape", &self.shape)
            .finish()
    }
}

impl AppPassword {
    /// Trims the input and normalizes `abcdefghijklmnop` and `abcd efgh ijkl mnop` to
    /// `abcd-efgh-ijkl-mnop`. Only an empty password is an error; an unusual shape is
    /// reported through [`AppPassword::shape`] so the caller can warn and let the person
    /// decide.
    pub fn parse(input: &SecretString) -> Result<AppPassword, EmptyPassword> {
        let trimmed = input.expose_secret().trim();
        if trimmed.is_empty() {
            return Err(EmptyPassword);
        }
        let (secret, shape) = match normalize_app_specific(trimmed) {
            Some(normalized) => (normalized, PasswordShape::AppSpecific),
            None => (trimmed.to_string(), PasswordShape::Unusual),
        };
        Ok(AppPassword {
            secret: SecretString::from(secret),
            shape,
        })
    }

    pub fn shape(&self) -> PasswordShape {
        self.shape
    }

    /// The password text, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        self.secret.expose_secret()
    }

    pub fn secret(&self) -> &SecretString {
        &self.secret
    }
}

/// The password was empty after trimming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyPassword;

/// `abcd-efgh-ijkl-mnop` from the three spellings Apple's page and copy-paste produce:
/// hyphens, spaces, or nothing between the groups.
fn normalize_app_specific(text: &str) -> Option<String> {
    let groups: Vec<&str> = if text.len() == 16 {
        (0..4).map(|i| &text[i * 4..i * 4 + 4]).collect()
    } else if text.contains('-') {
        text.split('-').collect()
    } else {
        text.split(' ').collect()
    };
    let well_formed = groups.len() == 4
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.bytes().all(|b| b.is_ascii_lowercase()));
    well_formed.then(|| groups.join("-"))
}

/// The IMAP usernames to try, in order: the local part of the login, then the full
/// address. iCloud documents the local part; some accounts only accept the full address,
/// and Thunderbird retries the same way. Two attempts at most, so repeated failures do
/// not lock the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginLadder {
    rungs: Vec<String>,
}

impl LoginLadder {
    pub fn for_login(login: &EmailAddress) -> LoginLadder {
        LoginLadder {
            rungs: vec![login.local_part().to_string(), login.as_str().to_string()],
        }
    }

    /// A ladder of one: the username already saved for an account.
    pub fn single(username: &str) -> LoginLadder {
        LoginLadder {
            rungs: vec![username.to_string()],
        }
    }

    pub fn usernames(&self) -> &[String] {
        &self.rungs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(text: &str) -> AppPassword {
        AppPassword::parse(&SecretString::from(text.to_string())).expect("non-empty")
    }

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        let address = EmailAddress::parse("  JohnAppleseed@iCloud.com ").unwrap();
        assert_eq!(address.as_str(), "johnappleseed@icloud.com");
        assert_eq!(address.local_part(), "johnappleseed");
        assert!(address.is_icloud());
    }

    #[test]
    fn custom_domains_are_not_icloud() {
        assert!(!EmailAddress::parse("me@example.org").unwrap().is_icloud());
        assert!(EmailAddress::parse("x@me.com").unwrap().is_icloud());
        assert!(EmailAddress::parse("x@mac.com").unwrap().is_icloud());
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "john",
            "john@",
            "@icloud.com",
            "john@localhost",
            "jo hn@icloud.com",
            "a@b..com",
            "a@.com",
        ] {
            assert!(
                EmailAddress::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn a_login_must_be_an_icloud_address() {
        assert!(parse_icloud_login("john@gmail.com").is_err());
        assert!(parse_icloud_login("john@icloud.com").is_ok());
    }

    #[test]
    fn app_specific_passwords_are_normalized() {
        for typed in [
            "abcdefghijklmnop",
            "abcd efgh ijkl mnop",
            " abcd-efgh-ijkl-mnop\n",
        ] {
            let p = password(typed);
            assert_eq!(p.expose(), "abcd-efgh-ijkl-mnop");
            assert_eq!(p.shape(), PasswordShape::AppSpecific);
        }
    }

    #[test]
    fn other_shapes_are_kept_but_flagged() {
        for typed in [
            "Hunter2!",
            "ABCD-EFGH-IJKL-MNOP",
            "abcd-efgh-ijkl",
            "abcd efgh-ijkl mnop",
        ] {
            let p = password(typed);
            assert_eq!(p.shape(), PasswordShape::Unusual, "{typed}");
            assert_eq!(p.expose(), typed.trim());
        }
    }

    #[test]
    fn empty_passwords_are_refused() {
        assert!(AppPassword::parse(&SecretString::from("  \n".to_string())).is_err());
    }

    #[test]
    fn debug_never_shows_the_password() {
        let shown = format!("{:?}", password("abcd-efgh-ijkl-mnop"));
        assert!(!shown.contains("abcd"), "{shown}");
    }

    #[test]
    fn the_ladder_tries_local_part_then_full_address() {
        let login = EmailAddress::parse("johnappleseed@icloud.com").unwrap();
        assert_eq!(
            LoginLadder::for_login(&login).usernames(),
            ["johnappleseed", "johnappleseed@icloud.com"]
        );
    }
}
