//! Text that came from outside (saved values, typed input, server replies) made safe for a
//! terminal: control characters — escape sequences that could clear the screen, set the
//! title or move the cursor, line breaks that could fake a second line — are shown escaped
//! instead of acting.
//!
//! Also the one place that decides between Unicode and ASCII symbols: in a locale that is
//! not UTF-8 (`C`, `POSIX`, `LANG` unset) the terminal may not draw ✓ ✗ → —, so they
//! become `ok`, `x`, `->`, `--`.

/// `text` with every control character (C0, DEL, C1) and every Unicode direction override
/// written as a visible escape: `\n`, `\t`, `\r`, `\e`, else `\u{…}`. A backslash is
/// doubled, so a server cannot fake an escape that was not there. Printable text, including
/// non-ASCII letters, is unchanged. Servers' replies, typed input and saved values all reach
/// the terminal through this one function.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Unicode direction overrides and isolates, which reorder what follows them on screen.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether the locale says the terminal takes UTF-8: the first of `LC_ALL`, `LC_CTYPE`,
/// `LANG` that is set and not empty names a UTF-8 codeset.
pub fn locale_is_utf8() -> bool {
    let value = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|v| !v.is_empty());
    value.is_some_and(|v| names_utf8(&v))
}

fn names_utf8(locale: &str) -> bool {
    let lower = locale.to_ascii_lowercase();
    lower.contains("utf-8") || lower.contains("utf8")
}

/// `TERM=dumb`, or no `TERM` at all (a bare `env -i`, some editors' shells): a terminal
/// that gets no cursor movement and no other control sequences.
pub fn terminal_is_dumb() -> bool {
    std::env::var("TERM").map_or(true, |term| term.is_empty() || term == "dumb")
}

/// The symbols the program draws, Unicode or ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbols {
    pub ok: &'static str,
    pub failed: &'static str,
    pub refused: &'static str,
}

const UNICODE: Symbols = Symbols {
    ok: "✓",
    failed: "✗",
    refused: "✘",
};

const ASCII: Symbols = Symbols {
    ok: "ok",
    failed: "x",
    refused: "x",
};

impl Symbols {
    /// The symbols for this process's locale.
    pub fn for_locale() -> Symbols {
        Symbols::new(locale_is_utf8())
    }

    pub fn new(utf8: bool) -> Symbols {
        if utf8 { UNICODE } else { ASCII }
    }
}

/// `text` as a terminal outside a UTF-8 locale can show it (`C`, `POSIX`,
/// `de_DE.ISO-8859-1`): the typographic characters of the message catalog (→ — … ✓ ✗ ✘,
/// curly and German quotes) and the letters of the German words (ä ö ü ß) become their
/// ASCII spellings (ae oe ue ss, as German writes them without umlauts), common accented
/// letters lose their accent, and anything else that is not ASCII becomes `?`, as iconv's
/// transliteration does — never UTF-8 bytes the terminal would show as mojibake. Unchanged
/// in a UTF-8 locale.
pub fn for_terminal(text: &str, utf8: bool) -> String {
    if utf8 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(ascii_spelling(c));
        }
    }
    out
}

/// The ASCII spelling of a character outside ASCII (see [`for_terminal`]).
fn ascii_spelling(c: char) -> &'static str {
    match c {
        '→' => "->",
        '←' => "<-",
        '—' | '–' => "--",
        '…' => "...",
        '✓' | '✔' => "ok",
        '✗' | '✘' => "x",
        '‘' | '’' | '‚' | '‹' | '›' => "'",
        '“' | '”' | '„' | '«' | '»' => "\"",
        '•' | '·' => "*",
        '\u{a0}' | '\u{202f}' | '\u{2009}' => " ",
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'Ä' => "Ae",
        'Ö' => "Oe",
        'Ü' => "Ue",
        'ß' => "ss",
        'à' | 'á' | 'â' | 'ã' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Å' => "A",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ø' => "O",
        'ù' | 'ú' | 'û' => "u",
        'Ù' | 'Ú' | 'Û' => "U",
        'ç' => "c",
        'Ç' => "C",
        'ñ' => "n",
        'Ñ' => "N",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        // Zero-width marks (joiners, direction marks, a byte-order mark) show nothing.
        '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2069}' | '\u{feff}' => "",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_servers_escape_sequences_become_visible() {
        assert_eq!(
            escape_controls("554 \x1b]0;owned\x07\x1b[2J"),
            "554 \\e]0;owned\\u{7}\\e[2J"
        );
        assert_eq!(escape_controls("\x00\x08\x7f"), "\\u{0}\\u{8}\\u{7f}");
    }

    #[test]
    fn plain_and_non_ascii_text_is_unchanged() {
        for text in ["* OK imap.mail.me.com ready", "Grüße, 你好", ""] {
            assert_eq!(escape_controls(text), text);
        }
    }

    #[test]
    fn a_backslash_is_doubled_so_an_escape_cannot_be_faked() {
        assert_eq!(escape_controls("a\\e\x1b"), "a\\\\e\\e");
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let hostile = "Bad\u{1b}[31m\u{1b}]0;owned\u{7}\nline\r\u{9b}2J\u{202e}x";
        let shown = escape_controls(hostile);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(
            shown,
            "Bad\\e[31m\\e]0;owned\\u{7}\\nline\\r\\u{9b}2J\\u{202e}x"
        );
        assert_eq!(escape_controls("John Appleseed ü"), "John Appleseed ü");
    }

    #[test]
    fn the_locale_decides_the_symbols() {
        for utf8 in ["en_US.UTF-8", "de_DE.utf8", "C.UTF-8"] {
            assert!(names_utf8(utf8), "{utf8}");
        }
        for plain in ["C", "POSIX", "en_US.ISO-8859-1"] {
            assert!(!names_utf8(plain), "{plain}");
        }
        assert_eq!(Symbols::new(false).ok, "ok");
        assert_eq!(for_terminal("a → b — c ✓ ✗", false), "a -> b -- c ok x");
        assert_eq!(for_terminal("a → b", true), "a → b");
    }

    #[test]
    fn outside_utf8_the_german_words_and_quotes_are_ascii() {
        assert_eq!(
            for_terminal(
                "„Anmeldung und Sicherheit“ – im Schlüsselbund … Größe ✓",
                false
            ),
            "\"Anmeldung und Sicherheit\" -- im Schluesselbund ... Groesse ok"
        );
        assert_eq!(
            for_terminal("José Hernández 日本", false),
            "Jose Hernandez ??"
        );
        assert_eq!(for_terminal("„Schlüssel“", true), "„Schlüssel“");
    }

    #[test]
    fn every_character_of_the_catalogs_has_an_ascii_spelling() {
        // A character the translations use and the table does not know would be shown as
        // "?": each one needs its own spelling.
        for catalog in [
            include_str!("../i18n/en/icloud_setup.ftl"),
            include_str!("../i18n/de/icloud_setup.ftl"),
        ] {
            for line in catalog.lines().filter(|l| !l.trim_start().starts_with('#')) {
                for c in line.chars().filter(|c| !c.is_ascii()) {
                    assert_ne!(ascii_spelling(c), "?", "{c:?} in {line:?}");
                }
            }
        }
    }
}
