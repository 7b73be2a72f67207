//! Text from outside (a server's reply, a saved value) made safe to show in a terminal.
//!
//! A server can put terminal escape sequences in its greeting or replies (`ESC ] 0 ; …`
//! sets the window title, `ESC [ 2 J` clears the screen), and can do so before any
//! certificate is checked. Such text is kept raw where it is stored (a typed failure, a
//! transcript) and passed through [`escape_controls`] where it reaches a terminal.

use std::fmt::Write as _;

/// `text` with every control character shown as a visible escape: ESC as `\e`, tab, CR and
/// LF as `\t`, `\r`, `\n`, a backslash as `\\`, any other C0 control, DEL and C1 control
/// as `\xNN` (C1 as `\u{NN}`). Printable text, including non-ASCII letters, is unchanged.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\x1b' => out.push_str("\\e"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\u{{{:02x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether `text` holds anything [`escape_controls`] would change besides backslashes.
pub fn has_controls(text: &str) -> bool {
    text.chars().any(|c| c != '\\' && needs_escape(c))
}

fn needs_escape(c: char) -> bool {
    let code = c as u32;
    code < 0x20 || code == 0x7f || (0x80..0xa0).contains(&code) || c == '\\'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_controls_become_visible() {
        assert_eq!(
            escape_controls("554 \x1b]0;owned\x07\x1b[2J"),
            "554 \\e]0;owned\\x07\\e[2J"
        );
        assert_eq!(
            escape_controls("a\rb\nc\td\x7f\u{9b}"),
            "a\\rb\\nc\\td\\x7f\\u{9b}"
        );
        assert_eq!(escape_controls("\x00\x08"), "\\x00\\x08");
    }

    #[test]
    fn plain_and_non_ascii_text_is_unchanged() {
        for text in ["* OK imap.mail.me.com ready", "Grüße, 你好", ""] {
            assert_eq!(escape_controls(text), text);
            assert!(!has_controls(text));
        }
    }

    #[test]
    fn a_backslash_is_doubled_so_an_escape_cannot_be_faked() {
        assert_eq!(escape_controls("a\\e\x1b"), "a\\\\e\\e");
        assert!(!has_controls("a\\b"));
        assert!(has_controls("a\x1bb"));
    }
}
