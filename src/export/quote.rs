//! Quoting shared by several formats: words for `sh -c`, the user part and host of a URL,
//! and a `Name <address>` mailbox. Each format's own string syntax stays in its file.

/// `word` as one word for the POSIX shell: bare when it is made of characters the shell
/// leaves alone, else in single quotes (a `'` inside becomes `'\''`).
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+-./:=_,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `text` for the user part of a URL (`user@host`): everything but RFC 3986's unreserved
/// characters percent-encoded, so an `@` in a username becomes `%40`.
pub fn url_userinfo(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `host` for a URL authority: an IPv6 literal needs brackets.
pub fn url_host(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// `Name <address>` as RFC 5322 wants it, the name quoted when it holds more than letters,
/// digits and spaces; just the address without a name.
pub fn mailbox(name: Option<&str>, address: &str) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => address.to_string(),
        Some(name) => {
            let atoms = name
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || "!#$%&'*+-/=?^_`{|}~".contains(c));
            if atoms {
                format!("{name} <{address}>")
            } else {
                let escaped = name.replace('\\', r"\\").replace('"', r#"\""#);
                format!("\"{escaped}\" <{address}>")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_bare_only_when_safe() {
        assert_eq!(shell_word("alice@icloud.com"), "alice@icloud.com");
        assert_eq!(shell_word("/a b/c"), "'/a b/c'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn the_at_sign_of_a_url_username_is_encoded() {
        assert_eq!(url_userinfo("alice@icloud.com"), "alice%40icloud.com");
        assert_eq!(url_userinfo("a b:c"), "a%20b%3Ac");
        assert_eq!(url_host("::1"), "[::1]");
        assert_eq!(url_host("imap.mail.me.com"), "imap.mail.me.com");
    }

    #[test]
    fn names_with_specials_are_quoted() {
        assert_eq!(
            mailbox(Some("John Appleseed"), "j@icloud.com"),
            "John Appleseed <j@icloud.com>"
        );
        assert_eq!(
            mailbox(Some("John Q. \"J\" Public"), "j@icloud.com"),
            r#""John Q. \"J\" Public" <j@icloud.com>"#
        );
        assert_eq!(mailbox(None, "j@icloud.com"), "j@icloud.com");
        assert_eq!(mailbox(Some("  "), "j@icloud.com"), "j@icloud.com");
    }
}
