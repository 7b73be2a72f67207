//! Word wrapping for what the terminal shows: long sentences break between words at the
//! terminal's width, never inside one, and a continuation keeps the indentation of its
//! line (the "  What to do: …" blocks).

/// `text` with every line longer than `cols` broken at spaces. A word longer than a whole
/// line (a path, a URL) stays in one piece on a line of its own. Widths are measured as
/// the terminal draws them (colour codes count nothing, wide characters two).
pub fn wrap_text(text: &str, cols: usize) -> String {
    if cols < 10 {
        return text.to_string();
    }
    text.split('\n')
        .map(|line| wrap_line(line, cols))
        .collect::<Vec<_>>()
        .join("\n")
}

fn wrap_line(line: &str, cols: usize) -> String {
    let width = console::measure_text_width;
    if width(line) <= cols {
        return line.to_string();
    }
    let indent_len = line.len() - line.trim_start_matches(' ').len();
    // Continuations line up under the text, not under a leading symbol ("✗ ").
    let indent = " ".repeat(indent_len.min(cols / 2));
    let mut out = String::new();
    let mut current = String::from(&line[..indent_len]);
    let mut current_width = width(&current);
    let mut line_has_word = false;
    for word in line[indent_len..].split(' ').filter(|w| !w.is_empty()) {
        let word_width = width(word);
        let needed = if line_has_word {
            1 + word_width
        } else {
            word_width
        };
        if line_has_word && current_width + needed > cols {
            out.push_str(&current);
            out.push('\n');
            current.clone_from(&indent);
            current_width = indent.len();
            line_has_word = false;
        }
        if line_has_word {
            current.push(' ');
            current_width += 1;
        }
        current.push_str(word);
        current_width += word_width;
        line_has_word = true;
    }
    out.push_str(&current);
    out
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
}
