//! The account's folders: one `LIST "" "*"` after the live test's login, on the same
//! connection and the same bounded wire, read by the one IMAP response reader
//! ([`imap_reader`]), and each `* LIST` line turned into a [`Mailbox`] (RFC 3501 §7.2.2:
//! attributes, hierarchy delimiter or `NIL`, the name as an atom, a quoted string or a
//! literal, in modified UTF-7).
//!
//! The list is a bonus to the sign-in, never a condition of it: a reply past the wire's
//! response cap, a refusal, a dropped connection or its deadline ([`LIST_BUDGET`], within
//! the check's own) gives up the list and keeps the login's verdict. A line that is not a well-formed `LIST` line, or a name that is not
//! modified UTF-7, is left out, as a folder this program cannot name.
//!
//! [`imap_reader`]: crate::mail::imap_reader

use crate::folders::{Mailbox, utf7};
use crate::mail::imap_reader::{self, Untagged, strip_prefix_ignore_case};
use crate::mail::wire::Wire;
use crate::mail::{Detail, FailureKind, ProbeFailure, Stage};

/// The longest the list may take after the login, within the check's own time limit: far
/// more than the one round trip a list takes, short enough that a server dripping its
/// answer cannot hold the live test for the whole `--timeout` after the sign-in passed.
pub const LIST_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);

/// The command, tagged `a2` (after `a1 LOGIN`).
pub const LIST_COMMAND: &str = "a2 LIST \"\" \"*\"";

/// Sends `LIST "" "*"` and reads its answer within the wire's caps and deadline.
pub fn list(wire: &mut Wire) -> Result<Vec<Mailbox>, ProbeFailure> {
    wire.begin_response();
    wire.send(LIST_COMMAND, LIST_COMMAND, Stage::Login)?;
    let response = imap_reader::read_response(wire, "a2", Stage::Login)?;
    if !response.tagged.is_ok() {
        return Err(
            ProbeFailure::new(Stage::Login, FailureKind::Protocol, Detail::MalformedReply)
                .with_server_said(response.tagged.said()),
        );
    }
    Ok(response.untagged.iter().filter_map(parse_list).collect())
}

/// The mailbox of one `* LIST (…) "/" name` response; `None` for any other response, or
/// one that does not parse.
pub fn parse_list(response: &Untagged) -> Option<Mailbox> {
    let rest = strip_prefix_ignore_case(&response.text, "* LIST ")?;
    let mut reader = Reader {
        rest,
        literals: response.literals.iter(),
    };
    let attributes = reader.attributes()?;
    let delimiter = match reader.string_or_nil()? {
        Token::Nil => None,
        Token::Text(bytes) => {
            let text = String::from_utf8(bytes).ok()?;
            let mut chars = text.chars();
            let delimiter = chars.next()?;
            // One character, and not one that could break a name apart on screen.
            if chars.next().is_some() || delimiter.is_control() {
                return None;
            }
            Some(delimiter)
        }
    };
    let Token::Text(name_bytes) = reader.string_or_nil()? else {
        return None;
    };
    let encoded = String::from_utf8(name_bytes).ok()?;
    // `INBOX` is the inbox in any case (RFC 3501 §5.1).
    let name = if encoded.eq_ignore_ascii_case("INBOX") {
        "INBOX".to_string()
    } else {
        utf7::decode(&encoded).ok()?
    };
    Some(Mailbox {
        name,
        attributes,
        delimiter,
    })
}

/// An astring or `NIL`.
enum Token {
    Nil,
    Text(Vec<u8>),
}

/// A cursor over the rest of a `LIST` line and the literals it carried.
struct Reader<'a> {
    rest: &'a str,
    literals: std::slice::Iter<'a, Vec<u8>>,
}

impl Reader<'_> {
    fn skip_spaces(&mut self) {
        self.rest = self.rest.trim_start_matches(' ');
    }

    /// `(\Attr \Attr …)`: the flags, as written.
    fn attributes(&mut self) -> Option<Vec<String>> {
        self.skip_spaces();
        let inner = self.rest.strip_prefix('(')?;
        let (list, after) = inner.split_once(')')?;
        self.rest = after;
        Some(list.split_whitespace().map(str::to_string).collect())
    }

    /// An astring (atom, quoted string or literal), or `NIL`; `None` when it is neither.
    fn string_or_nil(&mut self) -> Option<Token> {
        self.skip_spaces();
        if let Some(quoted) = self.rest.strip_prefix('"') {
            let mut out = Vec::new();
            let mut escaped = false;
            for (index, c) in quoted.char_indices() {
                match (escaped, c) {
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        self.rest = quoted.get(index + 1..)?;
                        return Some(Token::Text(out));
                    }
                    // RFC 3501 allows only `\"` and `\\` inside quotes.
                    (true, '"' | '\\') | (false, _) => {
                        escaped = false;
                        let mut buffer = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                    }
                    (true, _) => return None,
                }
            }
            return None;
        }
        if self.rest.starts_with('{') {
            let close = self.rest.find('}')?;
            let digits = self.rest.get(1..close)?.trim_end_matches('+');
            let length: usize = digits.parse().ok()?;
            let literal = self.literals.next()?;
            if literal.len() != length {
                return None;
            }
            self.rest = self.rest.get(close + 1..)?;
            return Some(Token::Text(literal.clone()));
        }
        let end = self.rest.find([' ', '(', ')']).unwrap_or(self.rest.len());
        let (atom, after) = self.rest.split_at(end);
        if atom.is_empty() || atom.contains(['"', '{', '\\']) {
            return None;
        }
        self.rest = after;
        if atom.eq_ignore_ascii_case("NIL") {
            Some(Token::Nil)
        } else {
            Some(Token::Text(atom.as_bytes().to_vec()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(text: &str) -> Untagged {
        Untagged {
            text: text.into(),
            literals: Vec::new(),
        }
    }

    fn parsed(text: &str) -> Option<Mailbox> {
        parse_list(&line(text))
    }

    #[test]
    fn icloud_style_lines_are_read() {
        let mailbox = parsed(r#"* LIST (\HasNoChildren) "/" "Sent Messages""#).unwrap();
        assert_eq!(mailbox.name, "Sent Messages");
        assert_eq!(mailbox.delimiter, Some('/'));
        assert_eq!(mailbox.attributes, vec!["\\HasNoChildren"]);
        let inbox = parsed(r#"* list () "." inbox"#).unwrap();
        assert_eq!(inbox.name, "INBOX");
        assert_eq!(inbox.delimiter, Some('.'));
    }

    #[test]
    fn odd_quoting_nil_delimiters_and_special_use_are_read() {
        let mailbox = parsed(r#"* LIST (\Sent \HasNoChildren) NIL "Sent \"old\" \\ new""#).unwrap();
        assert_eq!(mailbox.name, r#"Sent "old" \ new"#);
        assert_eq!(mailbox.delimiter, None);
        assert_eq!(mailbox.attributes, vec!["\\Sent", "\\HasNoChildren"]);
        let escaped_delimiter = parsed(r#"* LIST () "\\" Archive"#).unwrap();
        assert_eq!(escaped_delimiter.delimiter, Some('\\'));
        assert_eq!(escaped_delimiter.name, "Archive");
        let spaced = parsed(r#"* LIST  ( \Noselect )  "/"  "Notes""#).unwrap();
        assert_eq!(spaced.attributes, vec!["\\Noselect"]);
        // Extended data after the name (LIST-EXTENDED) is ignored.
        let extended = parsed(r#"* LIST () "/" Junk ("CHILDINFO" ("SUBSCRIBED"))"#).unwrap();
        assert_eq!(extended.name, "Junk");
    }

    #[test]
    fn modified_utf7_names_are_decoded() {
        let mailbox = parsed(r#"* LIST (\Drafts) "/" "Entw&APw-rfe""#).unwrap();
        assert_eq!(mailbox.name, "Entwürfe");
        let cjk = parsed(r#"* LIST () "/" &U,BTFw-"#).unwrap();
        assert_eq!(cjk.name, "台北");
        // Not modified UTF-7: a folder this program cannot name, left out.
        assert!(parsed(r#"* LIST () "/" "Entw&APw""#).is_none());
        assert!(parsed("* LIST () \"/\" \"Entwürfe\"").is_none());
    }

    #[test]
    fn literal_names_are_read_from_the_literal() {
        let response = Untagged {
            text: "* LIST (\\HasNoChildren) \"/\" {10}".into(),
            literals: vec![b"Sent Items".to_vec()],
        };
        assert_eq!(parse_list(&response).unwrap().name, "Sent Items");
        // A tag-like line inside the literal is only a name.
        let sneaky = Untagged {
            text: "* LIST () \"/\" {11}".into(),
            literals: vec![b"a2 OK done!".to_vec()],
        };
        assert_eq!(parse_list(&sneaky).unwrap().name, "a2 OK done!");
        let wrong_length = Untagged {
            text: "* LIST () \"/\" {3}".into(),
            literals: vec![b"Junk".to_vec()],
        };
        assert!(parse_list(&wrong_length).is_none());
    }

    #[test]
    fn other_and_broken_lines_are_left_out() {
        for text in [
            "* LSUB () \"/\" Sent",
            "* OK still here",
            "* LIST \"/\" Sent",
            "* LIST () \"/\"",
            "* LIST () \"/\" \"unterminated",
            "* LIST () \"//\" Sent",
            "* LIST () \"/\" \"bad \\x escape\"",
            "* LIST () \"/\" NIL",
            "* LIST () \"/\" {9}",
        ] {
            assert!(parsed(text).is_none(), "{text}");
        }
    }

    proptest! {
        /// Any line a server sends, with any literals: no panic, and a name read is never
        /// empty of meaning in a way that breaks a config (no control characters come
        /// from an atom or a quoted string, since the wire line has none).
        #[test]
        fn any_line_parses_or_is_left_out(
            text in "\\* (LIST|list) [ -~]{0,60}",
            literals in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..12), 0..3),
        ) {
            let _ = parse_list(&Untagged { text, literals });
        }

        /// A name quoted as a server would quote it reads back as itself.
        #[test]
        fn quoted_names_read_back(name in "[ -~&&[^&]]{1,30}") {
            let text = format!("* LIST () \"/\" {}", imap_reader::quoted(&name));
            let mailbox = parse_list(&line(&text)).unwrap();
            if !name.eq_ignore_ascii_case("INBOX") {
                prop_assert_eq!(mailbox.name, name);
            }
        }
    }
}
