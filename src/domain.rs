//! Domain types that validate on construction: the e-mail address, the app-specific
//! password, and the ladder of usernames the live test tries.
//!
//! The interactive prompts and the command-line flags call the same parsers, so a value
//! that passes one passes the other. Nothing here does I/O.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

/// Domains whose addresses sign in to iCloud Mail directly.
pub(crate) const ICLOUD_DOMAINS: [&str; 3] = ["icloud.com", "me.com", "mac.com"];

/// What is wrong with a typed address. Worded for people by `messages::address_problem`;
/// the text a person typed is kept as typed (it may hold control characters, which the
/// wording escapes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddressProblem {
    /// Nothing was typed.
    Empty,
    /// A space or tab inside the address.
    Whitespace { input: String },
    /// A line break, escape or other control character inside the address.
    ControlCharacter { input: String },
    /// No `@` at all.
    NoAt { input: String },
    /// More than one `@`.
    SeveralAts { input: String },
    /// Nothing before the `@`.
    NothingBeforeAt { input: String },
    /// The part after the `@` is not a domain like icloud.com.
    BadDomain { input: String },
    /// A sign-in address must be on an iCloud domain.
    NotIcloud { input: String },
    /// The domain is a near miss of an iCloud domain; `suggestion` is the address with
    /// the iCloud domain it most likely meant.
    NearMiss { input: String, suggestion: String },
    /// Characters before the `@` that no iCloud address has (non-ASCII letters, quotes,
    /// `<`, shell specials): they would break the envelope and every printed command.
    BadLocalPart { input: String },
    /// The text has the shape of an app-specific password, pasted at the wrong question.
    /// It is not kept, so no message can show it.
    LooksLikePassword,
}

/// A syntactically valid e-mail address, trimmed and lower-cased (iCloud addresses are
/// case-insensitive, and the keyring entry is keyed by it, so one spelling matters), with
/// an internationalized domain in its ASCII form (`bücher.de` is `xn--bcher-kva.de`), as
/// the servers take it in a login and in `MAIL FROM`. Every character of it is one a POSIX
/// shell leaves alone, so a printed command holding it needs no quoting.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses what a person typed or pasted. Full-width letters (as an East Asian input
    /// method types them) are read as the ASCII letters they stand for, as Unicode's NFKC
    /// does; the address is taken out of `Name <address>`, `<address>` and
    /// `mailto:address`, the forms a mail program's "copy address" gives.
    pub fn parse(input: &str) -> Result<EmailAddress, AddressProblem> {
        let narrowed = narrow_full_width(input);
        let trimmed = narrowed.trim();
        if trimmed.is_empty() {
            return Err(AddressProblem::Empty);
        }
        // First, before any problem that shows the text back: the password pasted here
        // would be printed in the error.
        if looks_like_app_password(&trimmed.to_lowercase()) {
            return Err(AddressProblem::LooksLikePassword);
        }
        let owned = || trimmed.to_string();
        if trimmed.chars().any(char::is_control) {
            return Err(AddressProblem::ControlCharacter { input: owned() });
        }
        let address = unwrap_pasted(trimmed);
        if address.chars().any(char::is_whitespace) {
            return Err(AddressProblem::Whitespace { input: owned() });
        }
        let Some((local, domain)) = address.rsplit_once('@') else {
            return Err(AddressProblem::NoAt { input: owned() });
        };
        if local.contains('@') {
            return Err(AddressProblem::SeveralAts { input: owned() });
        }
        if local.is_empty() {
            return Err(AddressProblem::NothingBeforeAt { input: owned() });
        }
        if !is_plain_local_part(local) {
            return Err(AddressProblem::BadLocalPart { input: owned() });
        }
        let domain =
            ascii_domain(domain).ok_or_else(|| AddressProblem::BadDomain { input: owned() })?;
        Ok(EmailAddress(format!(
            "{}@{domain}",
            local.to_ascii_lowercase()
        )))
    }

    /// The same address on the iCloud domain its domain most likely misspells
    /// (`icloud.comj`, `iclod.com`, `me.con`), or `None` when it is an iCloud address or
    /// not close to one. Close means: an iCloud domain with characters after it, or at most
    /// two edits away from icloud.com (one from the short me.com and mac.com, so that
    /// mail.com and other real providers are not taken for typos).
    pub fn icloud_near_miss(&self) -> Option<EmailAddress> {
        let domain = self.domain();
        if self.is_icloud() {
            return None;
        }
        let suggestion = ICLOUD_DOMAINS
            .iter()
            .find(|known| {
                // `icloud.comj`, but not `me.company.org`, a domain of its own.
                domain
                    .strip_prefix(**known)
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains('.'))
            })
            .or_else(|| {
                ICLOUD_DOMAINS
                    .iter()
                    .map(|known| (known, strsim::levenshtein(domain, known)))
                    .filter(|(known, distance)| *distance <= if known.len() >= 10 { 2 } else { 1 })
                    .min_by_key(|(_, distance)| *distance)
                    .map(|(known, _)| known)
            })?;
        Some(EmailAddress(format!("{}@{suggestion}", self.local_part())))
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
pub fn parse_icloud_login(input: &str) -> Result<EmailAddress, AddressProblem> {
    let address = EmailAddress::parse(input)?;
    if address.is_icloud() {
        return Ok(address);
    }
    match address.icloud_near_miss() {
        Some(suggestion) => Err(AddressProblem::NearMiss {
            input: address.to_string(),
            suggestion: suggestion.to_string(),
        }),
        None => Err(AddressProblem::NotIcloud {
            input: address.to_string(),
        }),
    }
}

/// Full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space as the ASCII
/// characters they are compatibility forms of; everything else unchanged.
fn narrow_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The address inside `Name <address>`, `<address>`, `mailto:address?subject=…` (and
/// `<mailto:address>`); any other text unchanged. A `<` or `>` left over is refused later,
/// as a character no address has.
fn unwrap_pasted(text: &str) -> &str {
    const MAILTO: &str = "mailto:";
    let mut address = text;
    if let Some((_, inner)) = address.strip_suffix('>').and_then(|t| t.rsplit_once('<')) {
        address = inner.trim();
    }
    if address
        .get(..MAILTO.len())
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case(MAILTO))
    {
        let rest = address.get(MAILTO.len()..).unwrap_or_default();
        address = rest.split_once('?').map_or(rest, |(to, _)| to);
    }
    address
}

/// The part before the `@` as iCloud addresses have it: ASCII letters, digits and
/// `. _ - +`, no dot at either end or twice in a row. Quoted local parts, non-ASCII
/// (SMTPUTF8) and the rarer specials RFC 5322 allows are refused: iCloud offers none of
/// them, and each would have to be quoted in every command printed for the shell.
fn is_plain_local_part(local: &str) -> bool {
    local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

/// `domain` lower-cased in its ASCII form (IDNA, UTS #46: `bücher.de` →
/// `xn--bcher-kva.de`), or `None` when it is not a host name of at least two labels:
/// letters, digits and hyphens only (STD3), so `icloud.com>` or `[1.2.3.4]` is refused.
fn ascii_domain(domain: &str) -> Option<String> {
    let ascii = idna::domain_to_ascii_strict(domain).ok()?;
    let well_formed = ascii.contains('.')
        && !ascii.starts_with('.')
        && !ascii.ends_with('.')
        && !ascii.contains("..")
        && ascii
            .split('.')
            .all(|label| !label.starts_with('-') && !label.ends_with('-'))
        && ascii
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    well_formed.then(|| ascii.to_ascii_lowercase())
}

/// What is wrong with a display name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameProblem {
    /// A line break, escape sequence or other control character: it would break the From
    /// line of exported configs and act on the terminal when shown.
    ControlCharacter { input: String },
    /// The name is (or has the shape of) an app-specific password, pasted at the wrong
    /// question; saving it would put the secret in the config and in every sent mail.
    LooksLikePassword,
}

/// A display name as typed or given with `--name`: trimmed, `None` when empty.
pub fn parse_display_name(input: &str) -> Result<Option<String>, NameProblem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(NameProblem::ControlCharacter {
            input: trimmed.to_string(),
        });
    }
    if looks_like_app_password(trimmed) {
        return Err(NameProblem::LooksLikePassword);
    }
    Ok(Some(trimmed.to_string()))
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

    pub(crate) fn secret(&self) -> &SecretString {
        &self.secret
    }
}

impl AppPassword {
    /// Whether `text` is this password in another spelling (spaces, hyphens, case), as
    /// happens when the password is pasted at the wrong question.
    pub fn is_spelled_in(&self, text: &str) -> bool {
        let own = squeezed(self.expose());
        !own.is_empty() && own == squeezed(text)
    }
}

/// `text` without spaces and hyphens, lower-cased: one spelling of a password. Built in a
/// string sized for it up front, so it never grows (growing would leave an unwiped copy of
/// the password in the memory given up), and wiped when dropped.
fn squeezed(text: &str) -> Zeroizing<String> {
    let kept = || {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_lowercase)
    };
    let mut out = Zeroizing::new(String::with_capacity(kept().map(char::len_utf8).sum()));
    out.extend(kept());
    out
}

/// `parts` joined in a string sized for all of them up front, wiped when dropped: for a
/// line that carries the password (`a1 LOGIN user "pass"`, `AUTH PLAIN …`, a line with its
/// CRLF). `format!` and `push_str` grow their string as they go, and each reallocation
/// leaves an unwiped copy of what was written so far in the memory it gives up; this never
/// reallocates.
pub(crate) fn secret_line(parts: &[&str]) -> Zeroizing<String> {
    let mut line = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for part in parts {
        line.push_str(part);
    }
    line
}

/// `text` as an IMAP quoted string (`"…"`, with `\` before `"` and `\`), built as
/// [`secret_line`] is: sized first, never regrown, wiped when dropped.
pub(crate) fn secret_quoted(text: &str) -> Zeroizing<String> {
    let escapes = text.chars().filter(|c| matches!(c, '"' | '\\')).count();
    let mut quoted = Zeroizing::new(String::with_capacity(text.len() + escapes + 2));
    quoted.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// Whether `text` has the shape of an app-specific password (abcd-efgh-ijkl-mnop in any of
/// its spellings); no name does.
pub fn looks_like_app_password(text: &str) -> bool {
    normalize_app_specific(text.trim()).is_some()
}

/// The password was empty after trimming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyPassword;

/// `abcd-efgh-ijkl-mnop` from the three spellings Apple's page and copy-paste produce:
/// hyphens, spaces, or nothing between the groups.
fn normalize_app_specific(text: &str) -> Option<String> {
    let groups: Vec<&str> = if text.contains('-') {
        text.split('-').collect()
    } else if text.contains(' ') {
        text.split(' ').collect()
    } else if text.len() == 16 {
        // `get`, not slicing: sixteen bytes of someone's text ("Jürgen Schäfer") need not
        // end a character at 4, 8 and 12. A group that is not whole characters is left
        // out, and three groups are not a password.
        (0..4).filter_map(|i| text.get(i * 4..i * 4 + 4)).collect()
    } else {
        Vec::new()
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

    pub(crate) fn usernames(&self) -> &[String] {
        &self.rungs
    }
}

#[cfg(test)]
mod tests;
