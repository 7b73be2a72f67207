//! The one SMTP reply reader, shared by the live test ([`smtp_probe`]) and the send test's
//! submission: a whole reply, multi-line or not (RFC 5321 4.2), on the bounded [`Wire`],
//! and what an `EHLO` reply offers (extensions, login methods in both the `AUTH` and the
//! old `AUTH=` form).
//!
//! [`smtp_probe`]: crate::mail::smtp_probe

use crate::mail::wire::Wire;
use crate::mail::{Detail, FailureKind, ProbeFailure, Stage};

/// One SMTP reply: its code and the text of each line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub lines: Vec<String>,
}

impl Reply {
    /// The reply as the server said it, on one line.
    pub fn said(&self) -> String {
        format!("{} {}", self.code, self.lines.join(" "))
            .trim_end()
            .to_string()
    }
}

/// A whole reply, multi-line or not, within the wire's caps.
pub fn read_reply(wire: &mut Wire, stage: Stage) -> Result<Reply, ProbeFailure> {
    wire.begin_response();
    let mut lines = Vec::new();
    loop {
        let line = wire.read_line(stage)?;
        let (line_code, more, text) = parse_line(&line).ok_or_else(|| malformed(stage, &line))?;
        lines.push(text.to_string());
        if !more {
            return Ok(Reply {
                code: line_code,
                lines,
            });
        }
    }
}

fn malformed(stage: Stage, line: &str) -> ProbeFailure {
    ProbeFailure::new(stage, FailureKind::Protocol, Detail::MalformedReply).with_server_said(line)
}

/// One reply line: its code, whether more lines follow (`250-`), and its text.
pub fn parse_line(line: &str) -> Option<(u16, bool, &str)> {
    let code: u16 = line
        .get(..3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|c| c.parse().ok())?;
    match line.as_bytes().get(3) {
        None => Some((code, false, "")),
        Some(b' ') => Some((code, false, line.get(4..)?)),
        Some(b'-') => Some((code, true, line.get(4..)?)),
        Some(_) => None,
    }
}

/// Whether the EHLO reply lists `extension` (after the first line, the server's name).
pub(crate) fn offers(hello: &Reply, extension: &str) -> bool {
    hello.lines.iter().skip(1).any(|line| {
        line.split_whitespace()
            .next()
            .is_some_and(|word| word.eq_ignore_ascii_case(extension))
    })
}

/// The login methods an EHLO reply offers, upper case: `AUTH PLAIN LOGIN`, and the old
/// form `AUTH=PLAIN LOGIN` some servers still send (its first method joined to `AUTH=`).
pub fn mechanisms(hello: &Reply) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in hello.lines.iter().skip(1) {
        let mut words = line.split_whitespace();
        let Some(first) = words.next() else {
            continue;
        };
        let head = first.get(..5);
        let joined = if first.eq_ignore_ascii_case("AUTH") {
            None
        } else if head.is_some_and(|h| h.eq_ignore_ascii_case("AUTH=")) {
            first.get(5..)
        } else {
            continue;
        };
        for mechanism in joined.into_iter().chain(words) {
            let mechanism = mechanism.to_ascii_uppercase();
            if !mechanism.is_empty() && !found.contains(&mechanism) {
                found.push(mechanism);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(code: u16, lines: &[&str]) -> Reply {
        Reply {
            code,
            lines: lines.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn extensions_and_login_methods_are_read_from_ehlo() {
        let hello = reply(
            250,
            &[
                "smtp.mail.me.com",
                "PIPELINING",
                "STARTTLS",
                "AUTH PLAIN login",
            ],
        );
        assert!(offers(&hello, "starttls"));
        assert!(!offers(&hello, "SMTPUTF8"));
        assert_eq!(mechanisms(&hello), ["PLAIN", "LOGIN"]);
        assert!(
            !offers(&reply(250, &["STARTTLS"]), "STARTTLS"),
            "the name line"
        );
    }

    /// The old `AUTH=` form, which some servers still send: the first method is joined to `AUTH=`.
    #[test]
    fn the_old_auth_equals_form_is_read_too() {
        let old = reply(250, &["mx.example", "AUTH=LOGIN PLAIN"]);
        assert_eq!(mechanisms(&old), ["LOGIN", "PLAIN"]);
        let only_login = reply(250, &["mx.example", "auth=login"]);
        assert_eq!(mechanisms(&only_login), ["LOGIN"]);
        // Both forms side by side, as older Sendmail and Exchange send them.
        let both = reply(250, &["mx.example", "AUTH LOGIN PLAIN", "AUTH=LOGIN PLAIN"]);
        assert_eq!(mechanisms(&both), ["LOGIN", "PLAIN"]);
        // A word that merely starts like it is another extension.
        assert!(mechanisms(&reply(250, &["mx", "AUTHX PLAIN"])).is_empty());
    }

    #[test]
    fn reply_lines_are_split_into_code_continuation_and_text() {
        assert_eq!(
            parse_line("250-PIPELINING"),
            Some((250, true, "PIPELINING"))
        );
        assert_eq!(parse_line("250 ok"), Some((250, false, "ok")));
        assert_eq!(parse_line("354"), Some((354, false, "")));
        assert_eq!(parse_line("25x ok"), None);
        assert_eq!(parse_line("250_ok"), None);
        assert_eq!(parse_line("2ü0 ok"), None);
    }
}
