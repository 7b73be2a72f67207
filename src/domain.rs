//! Domain types that validate on construction: the e-mail address, the app-specific
//! password, and the ladder of usernames the live test tries.
//!
//! The interactive prompts and the command-line flags call the same parsers, so a value
//! that passes one passes the other. Nothing here does I/O.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

/// Domains whose addresses sign in to iCloud Mail directly.
pub const ICLOUD_DOMAINS: [&str; 3] = ["icloud.com", "me.com", "mac.com"];

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
                    .map(|known| (known, edit_distance(domain, known)))
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

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
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

    pub fn secret(&self) -> &SecretString {
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
pub fn secret_line(parts: &[&str]) -> Zeroizing<String> {
    let mut line = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for part in parts {
        line.push_str(part);
    }
    line
}

/// `text` as an IMAP quoted string (`"…"`, with `\` before `"` and `\`), built as
/// [`secret_line`] is: sized first, never regrown, wiped when dropped.
pub fn secret_quoted(text: &str) -> Zeroizing<String> {
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

    pub fn usernames(&self) -> &[String] {
        &self.rungs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display_safe::strategies::{any_text, printable_text};
    use proptest::prelude::*;

    /// An address as iCloud would have it, on a domain of any script.
    fn plausible_address() -> impl Strategy<Value = String> {
        (
            "[a-zA-Z0-9][a-zA-Z0-9._+-]{0,12}[a-zA-Z0-9]",
            prop_oneof![
                Just("icloud.com".to_string()),
                Just("me.com".to_string()),
                "[a-z]{1,8}\\.(com|de|org|co\\.uk)",
                "[äöüßéñ漢字あ한][a-z]{0,6}\\.(de|jp|com)",
            ],
        )
            .prop_map(|(local, domain)| format!("{local}@{domain}"))
            .prop_filter("no dot twice", |a| !a.contains("..") && !a.contains(".@"))
    }

    /// An app-specific password in one of the spellings Apple's page and pasting give.
    fn app_password_spelling() -> impl Strategy<Value = (String, String)> {
        ("[a-z]{4}", "[a-z]{4}", "[a-z]{4}", "[a-z]{4}", 0..3usize).prop_map(
            |(a, b, c, d, separator)| {
                let canonical = format!("{a}-{b}-{c}-{d}");
                let spelled = [a, b, c, d].join(["-", " ", ""][separator]);
                (canonical, spelled)
            },
        )
    }

    proptest! {
        /// Never panics; what it accepts is ASCII, one @, nothing a shell or a mail header
        /// would read differently, and parses again to itself.
        #[test]
        fn parsed_addresses_are_plain_ascii_and_stable(text in any_text()) {
            if let Ok(address) = EmailAddress::parse(&text) {
                let saved = address.as_str();
                prop_assert!(saved.is_ascii(), "{saved:?}");
                prop_assert_eq!(saved.matches('@').count(), 1);
                prop_assert!(!saved.contains(['<', '>', ' ', '"', '\'', '\\', ',', ';']));
                prop_assert_eq!(crate::export::quote::shell_word(saved), saved);
                prop_assert_eq!(EmailAddress::parse(saved), Ok(address.clone()));
                prop_assert!(!address.local_part().is_empty());
            }
        }

        /// The near-miss check never panics, and what it suggests is the same person on
        /// an iCloud domain.
        #[test]
        fn near_miss_suggestions_are_icloud_addresses(text in any_text(), address in plausible_address()) {
            for typed in [text, address] {
                if let Ok(address) = EmailAddress::parse(&typed)
                    && let Some(suggestion) = address.icloud_near_miss()
                {
                    prop_assert!(suggestion.is_icloud());
                    prop_assert!(!address.is_icloud());
                    prop_assert_eq!(suggestion.local_part(), address.local_part());
                }
                match parse_icloud_login(&typed) {
                    Ok(login) => prop_assert!(login.is_icloud()),
                    Err(AddressProblem::NearMiss { suggestion, .. }) => {
                        prop_assert!(EmailAddress::parse(&suggestion).unwrap().is_icloud());
                    }
                    Err(_) => {}
                }
            }
        }

        /// `Name <addr>`, `<addr>` and `mailto:addr` give what `addr` gives.
        #[test]
        fn pasted_forms_give_the_address(
            address in plausible_address(),
            name in printable_text(),
            query in "[a-z=&%0-9]{0,12}",
        ) {
            let plain = EmailAddress::parse(&address);
            prop_assert!(plain.is_ok(), "{address}: {plain:?}");
            let name = name.replace(['<', '>'], "");
            for pasted in [
                format!("<{address}>"),
                format!("{name} <{address}>"),
                format!("mailto:{address}"),
                format!("mailto:{address}?{query}"),
                format!("{name} <mailto:{address}>"),
            ] {
                prop_assert_eq!(&EmailAddress::parse(&pasted), &plain, "{:?}", pasted);
            }
        }

        /// No spelling of an app-specific password is taken for an address, or kept in
        /// the problem (which would show it).
        #[test]
        fn a_password_is_never_an_address((_, spelled) in app_password_spelling(), upper in any::<bool>()) {
            let typed = if upper { spelled.to_uppercase() } else { spelled };
            prop_assert_eq!(EmailAddress::parse(&typed), Err(AddressProblem::LooksLikePassword));
        }

        /// Never panics; a name that passes is one trimmed line without control characters,
        /// and never has the password's shape.
        #[test]
        fn accepted_names_are_one_clean_line(text in any_text()) {
            match parse_display_name(&text) {
                Ok(Some(name)) => {
                    prop_assert!(!name.chars().any(char::is_control));
                    prop_assert_eq!(name.trim(), name.as_str());
                    prop_assert!(!looks_like_app_password(&name));
                    prop_assert_eq!(parse_display_name(&name), Ok(Some(name.clone())));
                }
                Ok(None) => prop_assert!(text.trim().is_empty()),
                Err(NameProblem::ControlCharacter { input }) => {
                    prop_assert!(input.chars().any(char::is_control));
                }
                Err(NameProblem::LooksLikePassword) => prop_assert!(looks_like_app_password(&text)),
            }
        }

        /// Sized up front for any text: the quoted string never grows.
        #[test]
        fn secret_strings_never_grow(text in any_text(), other in any_text()) {
            let quoted = secret_quoted(&text);
            prop_assert_eq!(quoted.capacity(), quoted.len());
            let line = secret_line(&["a1 LOGIN ", &other, " ", &quoted, "\r\n"]);
            prop_assert_eq!(line.capacity(), line.len());
            prop_assert_eq!(line.as_str(), format!("a1 LOGIN {other} {}\r\n", quoted.as_str()));
        }

        /// Never panics; normalizing is idempotent (the saved password parses to itself,
        /// shape included), and the password is found in every spelling of itself.
        #[test]
        fn password_normalization_is_idempotent(text in any_text()) {
            let Ok(once) = AppPassword::parse(&SecretString::from(text.clone())) else {
                prop_assert!(text.trim().is_empty());
                return Ok(());
            };
            let twice = password(once.expose());
            prop_assert_eq!(twice.expose(), once.expose());
            prop_assert_eq!(twice.shape(), once.shape());
            prop_assert!(once.is_spelled_in(once.expose()));
            if once.shape() == PasswordShape::AppSpecific {
                prop_assert_eq!(once.expose().len(), 19);
                prop_assert!(looks_like_app_password(&text));
            }
        }

        #[test]
        fn every_spelling_of_an_app_password_normalizes_alike((canonical, spelled) in app_password_spelling(), pad in "[ \t\n]{0,2}") {
            let p = password(&format!("{pad}{spelled}{pad}"));
            prop_assert_eq!(p.shape(), PasswordShape::AppSpecific);
            prop_assert_eq!(p.expose(), canonical.as_str());
            prop_assert!(p.is_spelled_in(&spelled.to_uppercase()));
            prop_assert_eq!(parse_display_name(&spelled), Err(NameProblem::LooksLikePassword));
        }
    }

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
    fn each_malformation_gets_its_own_problem() {
        let problem = |text: &str| EmailAddress::parse(text).unwrap_err();
        assert_eq!(problem("  "), AddressProblem::Empty);
        assert!(matches!(
            problem("a@b@icloud.com"),
            AddressProblem::SeveralAts { .. }
        ));
        assert!(matches!(
            problem("@icloud.com"),
            AddressProblem::NothingBeforeAt { .. }
        ));
        for control in [
            "jo\nhn@icloud.com",
            "john\u{1b}[31m@icloud.com",
            "a\u{7}@me.com",
        ] {
            assert!(
                matches!(problem(control), AddressProblem::ControlCharacter { .. }),
                "{control:?}"
            );
        }
        assert!(matches!(
            problem("jo hn@icloud.com"),
            AddressProblem::Whitespace { .. }
        ));
        assert!(matches!(problem("john"), AddressProblem::NoAt { .. }));
        assert!(matches!(
            problem("john@localhost"),
            AddressProblem::BadDomain { .. }
        ));
    }

    #[test]
    fn full_width_letters_are_read_as_ascii() {
        let address = EmailAddress::parse("ｊｏｈｎ＠ｉｃｌｏｕｄ．ｃｏｍ").unwrap();
        assert_eq!(address.as_str(), "john@icloud.com");
        assert!(address.is_icloud());
        let mixed = EmailAddress::parse("ｊｏｈｎ@icloud.com").unwrap();
        assert_eq!(mixed.as_str(), "john@icloud.com");
    }

    #[test]
    fn near_misses_of_icloud_domains_suggest_the_real_one() {
        for (typed, meant) in [
            ("x@icloud.comj", "x@icloud.com"),
            ("x@iclod.com", "x@icloud.com"),
            ("x@icluod.com", "x@icloud.com"),
            ("x@icloud.co", "x@icloud.com"),
            ("x@cloud.com", "x@icloud.com"),
            ("x@me.con", "x@me.com"),
            ("x@mac.comm", "x@mac.com"),
            ("x@mac.cm", "x@mac.com"),
        ] {
            let address = EmailAddress::parse(typed).unwrap();
            assert_eq!(
                address.icloud_near_miss().map(|a| a.to_string()).as_deref(),
                Some(meant),
                "{typed}"
            );
        }
        for fine in [
            "x@icloud.com",
            "x@mail.com",
            "x@gmail.com",
            "x@example.org",
            "x@me.company.org",
            "x@web.de",
        ] {
            let address = EmailAddress::parse(fine).unwrap();
            assert_eq!(address.icloud_near_miss(), None, "{fine}");
        }
    }

    #[test]
    fn names_with_control_characters_or_password_shape_are_refused() {
        assert_eq!(parse_display_name("  John  "), Ok(Some("John".into())));
        assert_eq!(parse_display_name("   "), Ok(None));
        for bad in ["Bad\u{1b}[31m", "two\nlines", "bell\u{7}"] {
            assert!(
                matches!(
                    parse_display_name(bad),
                    Err(NameProblem::ControlCharacter { .. })
                ),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_display_name("abcd efgh ijkl mnop"),
            Err(NameProblem::LooksLikePassword)
        );
    }

    #[test]
    fn a_password_is_recognized_in_other_spellings() {
        let p = password("abcd-efgh-ijkl-mnop");
        assert!(p.is_spelled_in("abcd efgh ijkl mnop"));
        assert!(p.is_spelled_in("ABCDEFGHIJKLMNOP"));
        assert!(!p.is_spelled_in("John Appleseed"));
        assert!(looks_like_app_password(" wxyz-wxyz-wxyz-wxyz "));
        assert!(!looks_like_app_password("John Appleseed"));
    }

    /// Sixteen bytes with a character across byte 4, 8 or 12 panicked
    /// (`end byte index 4 is not a char boundary`) in the shape check of names and passwords.
    #[test]
    fn sixteen_bytes_of_multibyte_text_are_not_sliced_inside_a_character() {
        for text in [
            "Jürgen Schäfer",
            "José Hernández",
            "aaaüaaaaaaaaaaa",
            "ab漢字かなcd",
            "ab👩\u{200d}💻abc",
            "abcdefghijklmnö",
        ] {
            assert!(!looks_like_app_password(text), "{text:?}");
            assert_eq!(parse_display_name(text), Ok(Some(text.trim().to_string())));
            let p = password(text);
            assert_eq!(p.shape(), PasswordShape::Unusual, "{text:?}");
            assert_eq!(p.expose(), text.trim());
        }
        // A sixteen-byte name that is ASCII is still checked whole.
        assert_eq!(
            parse_display_name("abcdefghijklmnop"),
            Err(NameProblem::LooksLikePassword)
        );
    }

    /// A password's other spelling was collected into a growing `String`,
    /// each reallocation leaving a copy behind. Sized up front, it never grows; a string
    /// that had grown from empty would have a power-of-two capacity above these lengths.
    #[test]
    fn a_squeezed_password_is_built_without_growing() {
        for text in [
            "abcd-efgh-ijkl-mnop",
            "ABCD EFGH IJKL MNOP",
            "İstanbul Şifre 123",
            "Ünïcödé-pässwörd ß",
            "x",
        ] {
            let squeezed = squeezed(text);
            assert_eq!(squeezed.capacity(), squeezed.len(), "{text:?}");
        }
        assert_eq!(squeezed("İ-x y").as_str(), "i\u{307}xy");
    }

    /// The lines that carry the password are built at their final size, so no
    /// reallocation leaves a copy behind; a string grown from empty by pushing would have
    /// a larger, power-of-two capacity at these lengths.
    #[test]
    fn secret_lines_are_built_at_their_final_size() {
        let parts = [
            "a1 LOGIN ",
            "\"johnappleseed\"",
            " ",
            "\"abcd-efgh-ijkl-mnop\"",
            "\r\n",
        ];
        let line = secret_line(&parts);
        assert_eq!(line.as_str(), parts.concat());
        assert_eq!(line.capacity(), line.len());
        for (text, quoted) in [
            ("abcd-efgh-ijkl-mnop", "\"abcd-efgh-ijkl-mnop\""),
            (r#"pa"ss\wörd"#, r#""pa\"ss\\wörd""#),
            ("", "\"\""),
        ] {
            let built = secret_quoted(text);
            assert_eq!(built.as_str(), quoted);
            assert_eq!(built.capacity(), built.len(), "{text:?}");
        }
    }

    /// A password pasted at the address question was shown back in the error.
    #[test]
    fn a_password_pasted_as_the_address_is_refused_without_being_kept() {
        for pasted in [
            "abcd-efgh-ijkl-mnop",
            " abcd efgh ijkl mnop ",
            "abcdefghijklmnop",
            "ABCD-EFGH-IJKL-MNOP",
            "ｑｗｅｒ－ｔｙｕｉ－ｏｐａｓ－ｄｆｇｈ",
        ] {
            assert_eq!(
                EmailAddress::parse(pasted),
                Err(AddressProblem::LooksLikePassword),
                "{pasted:?}"
            );
            assert_eq!(
                parse_icloud_login(pasted),
                Err(AddressProblem::LooksLikePassword)
            );
        }
        // Addresses and other mistakes are what they were.
        assert!(EmailAddress::parse("abcdefghijklmnop@icloud.com").is_ok());
        assert!(matches!(
            EmailAddress::parse("abcdefghijklmno"),
            Err(AddressProblem::NoAt { .. })
        ));
    }

    /// `<addr>` was once taken as the custom domain `icloud.com>` and saved;
    /// `mailto:addr` was tried as the username `mailto:…`.
    #[test]
    fn pasted_address_forms_give_the_address() {
        for pasted in [
            "<john@icloud.com>",
            "John Appleseed <john@icloud.com>",
            "\"Appleseed, John\" <John@iCloud.com>",
            "  John <john@icloud.com>  ",
            "mailto:john@icloud.com",
            "MAILTO:john@icloud.com?subject=Hello%20there",
            "<mailto:john@icloud.com>",
            "Jürgen „J“ Schäfer <john@icloud.com>",
            "＜ｊｏｈｎ＠ｉｃｌｏｕｄ．ｃｏｍ＞",
        ] {
            assert_eq!(
                EmailAddress::parse(pasted).map(|a| a.to_string()),
                Ok("john@icloud.com".to_string()),
                "{pasted:?}"
            );
        }
    }

    #[test]
    fn brackets_and_other_characters_no_address_has_are_refused() {
        let problem = |text: &str| EmailAddress::parse(text).unwrap_err();
        for text in [
            "john@icloud.com>",
            "john@[1.2.3.4]",
            "john@icloud.com,",
            "a@b_c.com",
        ] {
            assert!(
                matches!(problem(text), AddressProblem::BadDomain { .. }),
                "{text:?}: {:?}",
                problem(text)
            );
        }
        for text in [
            "<john@icloud.com",
            "jürgen@icloud.com",
            "o'brien@example.org",
            "\"john\"@icloud.com",
            "a.@icloud.com",
            ".a@icloud.com",
            "a..b@icloud.com",
            "$(reboot)@icloud.com",
            "a`b`@icloud.com",
            "a;b@icloud.com",
        ] {
            assert!(
                matches!(problem(text), AddressProblem::BadLocalPart { .. }),
                "{text:?}: {:?}",
                problem(text)
            );
        }
        assert!(matches!(
            problem("Name <john@icloud.com"),
            AddressProblem::Whitespace { .. }
        ));
        assert!(matches!(problem("mailto:"), AddressProblem::NoAt { .. }));
        assert!(matches!(problem("<>"), AddressProblem::NoAt { .. }));
    }

    /// `john@bücher.de` once went raw into `MAIL FROM` and the logins.
    #[test]
    fn internationalized_domains_are_kept_in_their_ascii_form() {
        for typed in [
            "john@bücher.de",
            "JOHN@BÜCHER.DE",
            "john@bu\u{308}cher.de",
            "john@xn--bcher-kva.de",
            "John <mailto:john@bücher.de>",
        ] {
            let address = EmailAddress::parse(typed).unwrap();
            assert_eq!(address.as_str(), "john@xn--bcher-kva.de", "{typed:?}");
            assert_eq!(address.domain(), "xn--bcher-kva.de");
            assert!(!address.is_icloud());
        }
        let ladder = LoginLadder::for_login(&EmailAddress::parse("a@例え.jp").unwrap());
        assert_eq!(ladder.usernames(), ["a", "a@xn--r8jz45g.jp"]);
    }

    #[test]
    fn a_login_must_be_an_icloud_address() {
        assert!(matches!(
            parse_icloud_login("john@iclod.com"),
            Err(AddressProblem::NearMiss { .. })
        ));
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
