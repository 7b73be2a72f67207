//! The one IMAP response reader, shared by the live test's `LOGIN` ([`imap_probe`]) and the
//! send test's watcher ([`send_test`]): reading a response up to its tagged reply on the
//! bounded [`Wire`], `{n}` literals read as data (never as lines, so a tag inside one cannot
//! end the response), `* BYE` noticed, response codes parsed once and given one meaning,
//! and strings quoted one way.
//!
//! Everything here is bounded by the wire: each line, each literal and the whole response
//! count towards its caps, and every read ends at its deadline.
//!
//! [`imap_probe`]: crate::mail::imap_probe
//! [`send_test`]: crate::mail::send_test

use crate::mail::wire::Wire;
use crate::mail::{Detail, FailureKind, ProbeFailure, Stage};

/// A tagged reply: its status (`OK`, `NO`, `BAD`) and the rest of the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tagged {
    pub(crate) status: String,
    pub text: String,
}

impl Tagged {
    pub(crate) fn is_ok(&self) -> bool {
        self.status.eq_ignore_ascii_case("OK")
    }

    pub(crate) fn is_no(&self) -> bool {
        self.status.eq_ignore_ascii_case("NO")
    }

    /// The name of the response code (`UNAVAILABLE` of `[UNAVAILABLE] later`), upper case.
    pub fn code(&self) -> Option<String> {
        code_name(&self.text)
    }

    /// The reply as the server said it, without the tag.
    pub fn said(&self) -> String {
        if self.text.is_empty() {
            self.status.clone()
        } else {
            format!("{} {}", self.status, self.text)
        }
    }
}

/// One untagged response (`* …`), with the literals it carried, in order. `text` is the
/// line with each literal's continuation appended (the `{n}` markers kept).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Untagged {
    pub text: String,
    pub literals: Vec<Vec<u8>>,
}

/// A whole response: the untagged lines, then the tagged reply that ended it.
#[derive(Clone, Debug)]
pub struct Response {
    pub untagged: Vec<Untagged>,
    pub tagged: Tagged,
}

/// Reads until the tagged reply for `tag`, within the wire's caps and deadline. A `* BYE`
/// ends the session: a failure ([`FailureKind::Unavailable`], [`Detail::NotAccepting`])
/// with the server's words.
pub fn read_response(wire: &mut Wire, tag: &str, stage: Stage) -> Result<Response, ProbeFailure> {
    let mut untagged = Vec::new();
    loop {
        let line = wire.read_line(stage)?;
        if let Some(tagged) = parse_tagged(&line, tag) {
            return Ok(Response { untagged, tagged });
        }
        if is_bye(&line) {
            return Err(bye_failure(stage, &line));
        }
        let mut response = Untagged {
            text: line,
            literals: Vec::new(),
        };
        // A literal's bytes are data, and the line goes on after them. Only what came after
        // the literal can announce the next one: an empty rest (a literal at the end of the
        // line, as a `LIST` name is) leaves the old `{n}` at the end of `text`.
        let mut next = literal_length(&response.text);
        while let Some(length) = next {
            response.literals.push(wire.read_bytes(length, stage)?);
            let rest = wire.read_line(stage)?;
            next = literal_length(&rest);
            response.text.push_str(&rest);
        }
        untagged.push(response);
    }
}

/// The tagged reply in `line`, if it is the one for `tag`.
pub fn parse_tagged(line: &str, tag: &str) -> Option<Tagged> {
    let rest = line.strip_prefix(tag)?.strip_prefix(' ')?;
    let (status, text) = rest.split_once(' ').unwrap_or((rest, ""));
    Some(Tagged {
        status: status.to_string(),
        text: text.to_string(),
    })
}

/// Whether `line` is the server ending the session (`* BYE …`, any case).
pub fn is_bye(line: &str) -> bool {
    strip_prefix_ignore_case(line, "* BYE")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// The server will not talk to us now: its `* BYE` line, as a failure at `stage`.
pub(crate) fn bye_failure(stage: Stage, line: &str) -> ProbeFailure {
    ProbeFailure::new(stage, FailureKind::Unavailable, Detail::NotAccepting).with_server_said(line)
}

/// The length of a `{n}` (or `{n+}`) literal announced at the end of a line.
pub fn literal_length(line: &str) -> Option<usize> {
    let inner = line.strip_suffix('}')?;
    let open = inner.rfind('{')?;
    let digits = inner.get(open + 1..)?.trim_end_matches('+');
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The text inside `[...]` at the start of a response's text, if any.
pub fn response_code(text: &str) -> Option<&str> {
    text.strip_prefix('[')?
        .split_once(']')
        .map(|(code, _)| code)
}

/// The name of the response code at the start of `text` (its first atom), upper case:
/// `UNAVAILABLE` for `[UNAVAILABLE]`, `CAPABILITY` for `[CAPABILITY IMAP4rev1 …]`.
pub fn code_name(text: &str) -> Option<String> {
    let code = response_code(text)?;
    let name = code.split(' ').next().unwrap_or(code);
    (!name.is_empty()).then(|| name.to_ascii_uppercase())
}

/// What a response code says about a refusal (RFC 5530), whatever the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeMeaning {
    /// The server cannot do it now: try again later (exit 75).
    Temporary,
    /// The credentials were refused, or the account may not sign in (exit 77).
    Credentials,
    /// Our command, or the connection, is not what the server accepts (exit 76).
    Protocol,
    /// No code, or one that says nothing about the cause.
    Unknown,
}

/// The meaning of a response code's name (see [`code_name`]); one list for every reader.
pub fn code_meaning(code: Option<&str>) -> CodeMeaning {
    match code {
        Some("UNAVAILABLE" | "LIMIT" | "INUSE" | "SERVERBUG") => CodeMeaning::Temporary,
        Some("AUTHENTICATIONFAILED" | "AUTHORIZATIONFAILED" | "EXPIRED" | "CONTACTADMIN") => {
            CodeMeaning::Credentials
        }
        Some("PRIVACYREQUIRED" | "CLIENTBUG" | "CANNOT" | "PARSE" | "BADCHARSET") => {
            CodeMeaning::Protocol
        }
        _ => CodeMeaning::Unknown,
    }
}

/// The number after `name` in a `STATUS` list (`UIDNEXT 42`).
pub(crate) fn number_after(text: &str, name: &str) -> Option<u32> {
    let text = text.replace(['(', ')'], " ");
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .find(|pair| pair[0].eq_ignore_ascii_case(name))
        .and_then(|pair| pair[1].parse().ok())
}

/// The number of an untagged `* OK [NAME n]` response code.
pub(crate) fn code_number(line: &str, name: &str) -> Option<u32> {
    let text = strip_prefix_ignore_case(line, "* OK ")?;
    let code = response_code(text)?;
    let (code_name, value) = code.split_once(' ')?;
    code_name
        .eq_ignore_ascii_case(name)
        .then(|| value.trim().parse().ok())
        .flatten()
}

/// An IMAP string: a quoted string, `"` and `\` escaped. Only for printable ASCII (see
/// [`needs_literal`]).
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Whether `text` cannot go in a quoted string (anything but printable ASCII) and must be
/// sent as a `{n}` literal.
pub(crate) fn needs_literal(text: &str) -> bool {
    !text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// `line` after `prefix`, compared without regard to ASCII case.
pub fn strip_prefix_ignore_case<'t>(line: &'t str, prefix: &str) -> Option<&'t str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| line.get(prefix.len()..))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_found_at_the_end_of_a_line() {
        assert_eq!(literal_length("* 1 FETCH (BODY[] {42}"), Some(42));
        assert_eq!(literal_length("* 1 FETCH (BODY[] {7+}"), Some(7));
        assert_eq!(literal_length("* OK {no}"), None);
        assert_eq!(literal_length("* OK {}"), None);
        assert_eq!(literal_length("* OK {+}"), None);
        assert_eq!(literal_length("* SEARCH 1 2"), None);
    }

    #[test]
    fn response_codes_and_prefixes_are_read() {
        assert_eq!(response_code("[UNAVAILABLE] later"), Some("UNAVAILABLE"));
        assert_eq!(
            code_name("[capability IMAP4rev1] hi").as_deref(),
            Some("CAPABILITY")
        );
        assert_eq!(code_name("no code"), None);
        assert_eq!(
            strip_prefix_ignore_case("* search 4 5", "* SEARCH"),
            Some(" 4 5")
        );
        assert!(parse_tagged("s31 OK", "s3").is_none());
        let tagged = parse_tagged("s3 NO [LIMIT] busy", "s3").unwrap();
        assert_eq!(tagged.said(), "NO [LIMIT] busy");
        assert_eq!(tagged.code().as_deref(), Some("LIMIT"));
    }

    /// `[UNAVAILABLE]` is one atom, matched whole: not a prefix of a longer code.
    #[test]
    fn codes_are_matched_whole_and_the_list_decides() {
        assert_eq!(code_meaning(Some("UNAVAILABLE")), CodeMeaning::Temporary);
        assert_eq!(code_meaning(Some("UNAVAILABLEX")), CodeMeaning::Unknown);
        assert_eq!(code_meaning(Some("LIMITED")), CodeMeaning::Unknown);
        assert_eq!(
            code_meaning(Some("AUTHORIZATIONFAILED")),
            CodeMeaning::Credentials
        );
        assert_eq!(code_meaning(Some("PRIVACYREQUIRED")), CodeMeaning::Protocol);
        assert_eq!(code_meaning(None), CodeMeaning::Unknown);
    }

    #[test]
    fn bye_is_recognised_in_any_case_and_only_as_a_word() {
        assert!(is_bye("* BYE [UNAVAILABLE] later"));
        assert!(is_bye("* bye"));
        assert!(!is_bye("* BYEBYE"));
        assert!(!is_bye("a1 BYE"));
    }

    #[test]
    fn quoted_strings_escape_quotes_and_backslashes() {
        assert_eq!(quoted(r#"a"b\c"#), r#""a\"b\\c""#);
        assert!(!needs_literal("abcd-efgh-ijkl-mnop"));
        assert!(needs_literal("pässword"));
        assert!(needs_literal("a\r\nb"));
    }

    #[test]
    fn uid_numbers_are_read_from_select_and_status() {
        assert_eq!(
            code_number("* OK [UIDNEXT 42] Predicted", "UIDNEXT"),
            Some(42)
        );
        assert_eq!(code_number("* ok [uidvalidity 7]", "UIDVALIDITY"), Some(7));
        assert_eq!(code_number("* OK [UIDNEXT x]", "UIDNEXT"), None);
        assert_eq!(code_number("* 3 EXISTS", "UIDNEXT"), None);
        assert_eq!(
            number_after("Junk (UIDNEXT 9 UIDVALIDITY 3)", "UIDVALIDITY"),
            Some(3)
        );
        assert_eq!(number_after("Junk (UIDNEXT 9)", "UIDVALIDITY"), None);
    }
}
