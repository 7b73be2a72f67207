//! Word wrapping for what the terminal shows: long sentences break between words at the
//! terminal's width, never inside one, and a continuation keeps the indentation of its
//! line (the "  What to do: …" blocks).
//!
//! Two flavours. [`wrap_text`] is for prose that scrolls by: a word longer than the line (a
//! path, a URL) stays whole, so the terminal's own soft wrap keeps it one word to copy.
//! [`fit_lines`] is for what is drawn and then redrawn in place (a question, a menu): every
//! line is at most the width, so the number of rows on screen is known exactly — a word
//! longer than the line is cut, between characters, there alone.
//!
//! Widths are measured as the terminal draws them (colour codes count nothing, wide
//! characters two, combining marks and joiners nothing), by the same function the tests use.

/// `text` with every line longer than `cols` broken at spaces. A word longer than a whole
/// line stays in one piece on a line of its own.
pub(crate) fn wrap_text(text: &str, cols: usize) -> String {
    text.split('\n')
        .map(|line| wrap_line(line, cols.max(1), false, width))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` broken into lines of at most `cols` columns: at spaces where possible, inside a
/// word only when the word is longer than a line. A single character wider than `cols` (a
/// wide character on a one-column terminal) is the only thing that can exceed it.
pub(crate) fn fit_lines(text: &str, cols: usize) -> Vec<String> {
    fit_lines_by(text, cols, width)
}

/// [`fit_lines`] with another measure of a row (one that is never less than the width).
pub(crate) fn fit_lines_by(text: &str, cols: usize, measure: fn(&str) -> usize) -> Vec<String> {
    text.split('\n')
        .flat_map(|line| {
            wrap_line(line, cols.max(1), true, measure)
                .split('\n')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// [`wrap_text`] for a table of `Label:   value` rows: a continuation lines up under the
/// value, not under the label, so the columns stay columns on a narrow terminal.
pub(crate) fn wrap_table(text: &str, cols: usize) -> String {
    text.split('\n')
        .map(|line| {
            let hang = value_column(line).filter(|(_, column)| *column <= cols.max(1) / 2);
            wrap_line_hanging(line, cols.max(1), false, width, hang)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the value of a `  Label:   value` row starts (two or more spaces after a colon):
/// its byte index and its column.
fn value_column(line: &str) -> Option<(usize, usize)> {
    let colon = line.find(":  ")?;
    let after = &line[colon + 1..];
    let value_at = colon + 1 + (after.len() - after.trim_start_matches(' ').len());
    (value_at < line.len()).then(|| (value_at, width(&line[..value_at])))
}

/// The display width of `text` on a terminal.
pub(crate) fn width(text: &str) -> usize {
    console::measure_text_width(text)
}

fn wrap_line(line: &str, cols: usize, cut_long_words: bool, width: fn(&str) -> usize) -> String {
    wrap_line_hanging(line, cols, cut_long_words, width, None)
}

fn wrap_line_hanging(
    line: &str,
    cols: usize,
    cut_long_words: bool,
    width: fn(&str) -> usize,
    hang: Option<(usize, usize)>,
) -> String {
    if width(line) <= cols {
        return line.to_string();
    }
    let indent_len = line.len() - line.trim_start_matches(' ').len();
    // Continuations line up under the text, not under a leading symbol ("✗ "); in a table,
    // under the value. The first row keeps its label and the gap after it as they are.
    let (start, indent, mut current) = match hang {
        Some((at, column)) => (at, " ".repeat(column), line[..at].to_string()),
        None => (
            indent_len,
            " ".repeat(indent_len.min(cols / 2)),
            " ".repeat(indent_len.min(cols.saturating_sub(1))),
        ),
    };
    let mut out = String::new();
    let mut line_has_word = false;
    for word in line[start..].split(' ').filter(|w| !w.is_empty()) {
        let joined = if line_has_word {
            format!("{current} {word}")
        } else {
            format!("{current}{word}")
        };
        if width(&joined) <= cols {
            current = joined;
            line_has_word = true;
            continue;
        }
        if line_has_word {
            out.push_str(&current);
            out.push('\n');
            current.clone_from(&indent);
        }
        let fresh = format!("{current}{word}");
        if !cut_long_words || width(&fresh) <= cols {
            current = fresh;
            line_has_word = true;
            continue;
        }
        // Longer than a whole line: cut between characters, each piece as full as it goes.
        for cluster in clusters(word) {
            let longer = format!("{current}{cluster}");
            if width(&longer) <= cols {
                current = longer;
                continue;
            }
            if !current.trim_start().is_empty() {
                out.push_str(&current);
                out.push('\n');
                current.clone_from(&indent);
            }
            // After the indentation if it fits there, else from the margin.
            if width(&format!("{current}{cluster}")) > cols {
                current.clear();
            }
            current.push_str(cluster);
        }
        line_has_word = true;
    }
    out.push_str(&current);
    out
}

/// Roughly Unicode's Extended_Pictographic: the emoji blocks and the older symbol blocks
/// emoji sequences use.
fn is_pictograph(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}')
}

/// `word` in the pieces a cut may fall between: a character with the zero-width ones that
/// belong to it (combining marks, variation selectors) and whatever a zero-width joiner
/// joins to it, so that "é" written as e + accent, or a family emoji, is never cut apart.
fn clusters(word: &str) -> Vec<&str> {
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut joined = false;
    for (at, c) in word.char_indices() {
        let zero_width = width(c.encode_utf8(&mut [0; 4])) == 0;
        // A joiner binds a following emoji (a family, a flag); not two letters.
        let bound = joined && is_pictograph(c);
        if at > start && !zero_width && !bound {
            pieces.push(&word[start..at]);
            start = at;
        }
        joined = c == '\u{200d}';
    }
    if start < word.len() {
        pieces.push(&word[start..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_between_words_at_the_width() {
        let text = "iCloud does not accept your Apple ID password in mail programs; it needs \
                    an app-specific password.";
        for cols in [40, 100, 23] {
            let wrapped = wrap_text(text, cols);
            for line in wrapped.lines() {
                assert!(
                    console::measure_text_width(line) <= cols,
                    "{cols}: {line:?}"
                );
            }
            assert_eq!(
                wrapped.split_whitespace().collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "no word was split"
            );
        }
    }

    #[test]
    fn continuations_keep_the_indentation_and_long_words_stay_whole() {
        let text = "  What to do: make sure you used an app-specific password https://account.apple.com/very/long/path";
        let wrapped = wrap_text(text, 30);
        for line in wrapped.lines() {
            assert!(line.starts_with("  "), "{line:?}");
        }
        assert!(wrapped.contains("https://account.apple.com/very/long/path"));
        assert_eq!(wrap_text("short\nlines", 40), "short\nlines");
    }

    #[test]
    fn fitted_lines_cut_only_words_longer_than_the_line() {
        let lines = fit_lines(
            "Eingabetaste zum Überspringen https://account.apple.com/x",
            16,
        );
        assert_eq!(
            lines,
            [
                "Eingabetaste zum",
                "Überspringen",
                "https://account.",
                "apple.com/x"
            ]
        );
        // A wide character is never cut in half, and e + a combining accent stay together.
        assert_eq!(fit_lines("日本語", 3), ["日", "本", "語"]);
        assert_eq!(fit_lines("e\u{301}e\u{301}", 1), ["e\u{301}", "e\u{301}"]);
    }

    #[test]
    fn table_rows_continue_under_their_value() {
        let table =
            "Incoming mail (IMAP)\n  Username:  the part of your iCloud address before the @";
        assert_eq!(
            wrap_table(table, 32),
            "Incoming mail (IMAP)\n  Username:  the part of your\n             iCloud address\n             before the @"
        );
    }

    mod properties {
        use super::super::{clusters, fit_lines, width, wrap_text};
        use proptest::prelude::*;

        /// Words from many scripts: Latin with accents (precomposed and combining), German,
        /// CJK, emoji with joiners and skin tones, Arabic and Hebrew (right to left), Thai,
        /// zero-width spaces and joiners, and plain ASCII.
        fn word() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "a",
                "Z",
                "ä",
                "ß",
                "e\u{301}",
                "ñ",
                "日",
                "本",
                "語",
                "한",
                "ｶ",
                "👍",
                "👍🏽",
                "👨\u{200d}👩\u{200d}👧",
                "🏳\u{fe0f}\u{200d}🌈",
                "ع",
                "ב",
                "\u{200b}",
                "\u{200d}",
                "\u{200f}",
                "ก\u{e34}",
                "x\u{20d7}",
                "-",
                "/",
                ".",
            ]);
            prop::collection::vec(pieces, 1..30).prop_map(|p| p.concat())
        }

        fn text() -> impl Strategy<Value = String> {
            let separator = prop::sample::select(vec![" ", "  ", "\n", " "]);
            prop::collection::vec((word(), separator), 0..20).prop_map(|parts| {
                parts
                    .into_iter()
                    .flat_map(|(w, s)| [w, s.to_string()])
                    .collect()
            })
        }

        fn words(text: &str) -> Vec<&str> {
            text.split_whitespace().collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]

            #[test]
            fn fitted_lines_are_never_wider_than_asked(text in text(), cols in 1usize..=200) {
                for line in fit_lines(&text, cols) {
                    // Only a single character wider than the whole line can exceed it.
                    let single = clusters(line.trim()).len() <= 1;
                    prop_assert!(width(&line) <= cols || single, "{cols}: {line:?}");
                }
            }

            #[test]
            fn fitted_lines_cut_only_words_longer_than_the_line(text in text(), cols in 1usize..=200) {
                let fitted = fit_lines(&text, cols).join("\n");
                // What was cut joins back to the same text, and every word that fits a line
                // comes out whole.
                prop_assert_eq!(words(&fitted).concat(), words(&text).concat());
                for word in words(&text) {
                    if width(word) <= cols {
                        prop_assert!(words(&fitted).contains(&word), "{cols}: {word:?} was cut");
                    }
                }
            }

            #[test]
            fn wrapped_prose_keeps_every_word_whole(text in text(), cols in 1usize..=200) {
                let wrapped = wrap_text(&text, cols);
                prop_assert_eq!(words(&wrapped), words(&text));
                for line in wrapped.lines() {
                    // Over the width only as one word longer than a line.
                    prop_assert!(width(line) <= cols || words(line).len() == 1, "{cols}: {line:?}");
                }
            }
        }
    }
}
