//! Quoting shared by several formats: words for `sh -c`, the user part and host of a URL,
//! and a `Name <address>` mailbox. Each format's own string syntax stays in its file.

/// `word` as one word for the POSIX shell: bare when it is made of characters the shell
/// leaves alone, else in single quotes (a `'` inside becomes `'\''`).
pub(crate) fn shell_word(word: &str) -> String {
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
pub(crate) fn url_userinfo(text: &str) -> String {
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
pub(crate) fn url_host(host: &str) -> String {
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

/// The words a real POSIX shell (`sh`) makes of `line`, as its `"$@"` after `set --`:
/// how the property tests read back what is quoted for the shell.
#[cfg(test)]
pub(crate) fn words_by_sh(line: &str) -> Vec<String> {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("set -- {line}\nprintf '%s\\0' \"$@\""))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "sh refused {line:?}: {output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8 back from sh");
    let mut words: Vec<String> = text.split('\0').map(str::to_string).collect();
    words.pop();
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display_safe::strategies::any_text;
    use proptest::prelude::*;

    /// Undoes RFC 5322's quoted-string: the text between the quotes, `\x` read as `x`.
    fn unquoted(quoted: &str) -> Option<String> {
        let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push(chars.next()?),
                '"' => return None,
                c => out.push(c),
            }
        }
        Some(out)
    }

    proptest! {
        // A shell per case: a few hundred cases, not thousands.
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// What `sh` reads back is the word, whatever its script or characters.
        #[test]
        fn the_shell_reads_a_shell_word_back_as_it_was(text in any_text(), other in any_text()) {
            let word = text.replace('\0', "");
            let second = other.replace('\0', "");
            let line = format!("{} {}", shell_word(&word), shell_word(&second));
            prop_assert_eq!(words_by_sh(&line), vec![word, second]);
        }
    }

    proptest! {
        /// Percent-decoding gives the text back, and only unreserved characters and
        /// escapes are left (no `@`, `:` or `/` to end the user part early).
        #[test]
        fn url_userinfo_decodes_to_the_text(text in any_text()) {
            let encoded = url_userinfo(&text);
            prop_assert!(encoded.chars().all(|c| c.is_ascii_alphanumeric() || "-._~%".contains(c)));
            let mut bytes = Vec::new();
            let mut rest = encoded.as_bytes();
            while let Some((&first, tail)) = rest.split_first() {
                if first == b'%' {
                    // `encoded` is ASCII (asserted above): any byte offset is a boundary.
                    let hex = std::str::from_utf8(&tail[..2]).unwrap();
                    bytes.push(u8::from_str_radix(hex, 16).unwrap());
                    rest = &tail[2..];
                } else {
                    bytes.push(first);
                    rest = tail;
                }
            }
            let _ = url_host(&text);
            prop_assert_eq!(String::from_utf8(bytes).unwrap(), text);
        }

        /// The name reads back from the mailbox as RFC 5322 reads it: bare atoms, or a
        /// quoted string whose backslashes escape one character.
        #[test]
        fn a_mailbox_holds_the_name_and_the_address(name in any_text()) {
            let address = "a@icloud.com";
            let shown = mailbox(Some(&name), address);
            let Some(before) = shown.strip_suffix(&format!(" <{address}>")) else {
                prop_assert_eq!(shown.as_str(), address);
                prop_assert!(name.trim().is_empty());
                return Ok(());
            };
            let read = if before.starts_with('"') {
                unquoted(before)
            } else {
                Some(before.to_string())
            };
            prop_assert_eq!(read.as_deref(), Some(name.trim()), "{:?}", shown);
        }
    }

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
