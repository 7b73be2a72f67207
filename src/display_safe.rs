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
pub(crate) fn escape_controls(text: &str) -> String {
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
pub(crate) fn locale_is_utf8() -> bool {
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
pub(crate) fn terminal_is_dumb() -> bool {
    std::env::var("TERM").map_or(true, |term| term.is_empty() || term == "dumb")
}

/// The symbols the program draws, Unicode or ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Symbols {
    pub(crate) ok: &'static str,
    pub(crate) failed: &'static str,
    pub(crate) refused: &'static str,
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
    pub(crate) fn new(utf8: bool) -> Symbols {
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
pub(crate) fn for_terminal(text: &str, utf8: bool) -> String {
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

/// Text the way people and servers send it, for the property tests of every module that
/// takes someone's text: runs of Latin with accents, CJK, Arabic and Hebrew, emoji with
/// zero-width joiners, combining marks, zero-width and direction controls, control
/// characters, full-width forms, the address and password alphabets, and any character at
/// all, in any order and length.
#[cfg(test)]
pub(crate) mod strategies {
    use proptest::prelude::*;

    fn run_of(lo: char, hi: char, most: usize) -> BoxedStrategy<String> {
        proptest::collection::vec(proptest::char::range(lo, hi), 1..=most)
            .prop_map(|chars| chars.into_iter().collect())
            .boxed()
    }

    /// One piece of text from one script or class.
    fn piece() -> BoxedStrategy<String> {
        prop_oneof![
            "[a-zA-Z0-9 @.<>_+:'\"-]{1,8}",
            "[àáâäãåçèéêëìíîïñòóôöõøùúûüýÿßÀÉÖÜŁłŒœ]{1,6}",
            run_of('\u{4e00}', '\u{9fff}', 6),
            run_of('\u{3040}', '\u{30ff}', 6),
            run_of('\u{ac00}', '\u{d7a3}', 4),
            run_of('\u{0600}', '\u{06ff}', 6),
            run_of('\u{05d0}', '\u{05ea}', 6),
            prop_oneof![
                Just("👩\u{200d}💻".to_string()),
                Just("👨\u{200d}👩\u{200d}👧\u{200d}👦".to_string()),
                Just("🏳\u{fe0f}\u{200d}🌈".to_string()),
                Just("👍🏽".to_string()),
                run_of('\u{1f300}', '\u{1faff}', 3),
            ],
            ("[a-zA-Z]", run_of('\u{0300}', '\u{036f}', 3)).prop_map(|(base, marks)| base + &marks),
            prop_oneof![
                run_of('\u{200b}', '\u{200f}', 2),
                run_of('\u{202a}', '\u{202e}', 2),
                run_of('\u{2066}', '\u{2069}', 2),
                Just("\u{feff}".to_string()),
            ],
            run_of('\u{0}', '\u{1f}', 3),
            run_of('\u{7f}', '\u{9f}', 2),
            run_of('\u{ff01}', '\u{ff5e}', 6),
            any::<char>().prop_map(String::from),
        ]
        .boxed()
    }

    /// Text of any length from [`piece`]s (empty included).
    pub(crate) fn any_text() -> BoxedStrategy<String> {
        prop_oneof![
            8 => proptest::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat()),
            1 => proptest::collection::vec(piece(), 40..80).prop_map(|pieces| pieces.concat()),
        ]
        .boxed()
    }

    /// [`any_text`] with no control character: what survives the input checks (names,
    /// hand-edited saved values an export accepts).
    pub(crate) fn printable_text() -> BoxedStrategy<String> {
        any_text()
            .prop_map(|text| text.chars().filter(|c| !c.is_control()).collect())
            .boxed()
    }
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
    use super::strategies::any_text;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Never panics; what it gives holds no control or direction character; text
        /// without them (and without backslashes) is unchanged.
        #[test]
        fn escaped_text_holds_no_control_character(text in any_text()) {
            let shown = escape_controls(&text);
            prop_assert!(!shown.chars().any(|c| c.is_control() || is_bidi_control(c)), "{shown:?}");
            let harmless = !text.chars().any(|c| c.is_control() || is_bidi_control(c) || c == '\\');
            if harmless {
                prop_assert_eq!(&shown, &text);
            }
            // Every character of the text is still there, in order, or its escape is.
            prop_assert!(shown.chars().count() >= text.chars().count());
        }

        /// Escaping is reversible: different texts never look the same once escaped.
        #[test]
        fn escaping_keeps_different_texts_apart(a in any_text(), b in any_text()) {
            prop_assume!(a != b);
            prop_assert_ne!(escape_controls(&a), escape_controls(&b));
        }

        #[test]
        fn ascii_fallback_never_panics_and_is_plain_where_it_acts(text in any_text()) {
            let plain = for_terminal(&text, false);
            for symbol in ['→', '—', '–', '…', '✓', '✗', '✘', '‘', '’', '“', '”'] {
                prop_assert!(!plain.contains(symbol));
            }
            prop_assert_eq!(for_terminal(&text, true), text);
        }
    }

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
        // "?": each one needs its own spelling. Every language of the one table, so a
        // language added there is checked too.
        for language in crate::language::Language::ALL {
            let catalog = crate::language::source(language);
            for line in catalog.lines().filter(|l| !l.trim_start().starts_with('#')) {
                for c in line.chars().filter(|c| !c.is_ascii()) {
                    assert_ne!(ascii_spelling(c), "?", "{c:?} in {line:?}");
                }
            }
        }
    }
}
