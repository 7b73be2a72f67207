//! Rendering: drawing the line being edited — its prompt, the text or nothing for a
//! password, the cursor in its place across rows the terminal wrapped.

use std::io::Write;

use console::Term;

use super::decode::Key;
use super::editing::Buffer;
use super::{Echo, Style};

/// Draws the line being edited.
pub(super) struct Screen<'t> {
    pub(super) term: &'t Term,
    pub(super) prompt: &'t str,
    pub(super) echo: Echo,
    pub(super) style: Style,
    /// Row of the cursor, counted from the row the prompt starts on.
    pub(super) cursor_row: usize,
}

impl Screen<'_> {
    fn width(chars: &[char]) -> usize {
        console::measure_text_width(&chars.iter().collect::<String>())
    }

    /// Redraws prompt and text from the prompt's first row, then puts the cursor at
    /// its place, across wrapped rows.
    pub(super) fn refresh(&mut self, buffer: &Buffer) {
        let cols = self.style.cols.max(1);
        let prompt_width = console::measure_text_width(self.prompt);
        let text = buffer.text();
        let total = prompt_width + console::measure_text_width(&text);
        let cursor = prompt_width + Self::width(&buffer.chars[..buffer.pos]);
        let mut out = String::new();
        if self.cursor_row > 0 {
            out.push_str(&format!("\x1b[{}A", self.cursor_row));
        }
        out.push_str("\r\x1b[J");
        out.push_str(self.prompt);
        out.push_str(&text);
        if total > 0 && total.is_multiple_of(cols) {
            // The end is in the last column: move on, so the row count is exact.
            out.push_str("\r\n");
        }
        let end_row = total / cols;
        let (row, col) = (cursor / cols, cursor % cols);
        if end_row > row {
            out.push_str(&format!("\x1b[{}A", end_row - row));
        }
        out.push('\r');
        if col > 0 {
            out.push_str(&format!("\x1b[{col}C"));
        }
        self.cursor_row = row;
        let _ = self.term.write_str(&out);
    }

    /// Shows the effect of `key`, which changed `before` into `after`.
    pub(super) fn show(&mut self, key: &Key, before: &Buffer, after: &Buffer) {
        if self.echo == Echo::Hidden {
            return;
        }
        let appended = after.pos == after.chars.len()
            && before.pos == before.chars.len()
            && after.chars.len() == before.chars.len() + 1;
        let cols = self.style.cols.max(1);
        let prompt_width = console::measure_text_width(self.prompt);
        if appended {
            let end = prompt_width + Self::width(&after.chars);
            if self.style.dumb || !end.is_multiple_of(cols) {
                if let Key::Char(c) = key {
                    let _ = (&mut &*self.term).write_all(c.to_string().as_bytes());
                }
                self.cursor_row = end / cols;
                return;
            }
        }
        if self.style.dumb {
            // No cursor movement: only a shorter line at its end can be drawn, with
            // backspaces; moving keys leave the screen as it is.
            let removed = before.chars.len().saturating_sub(after.chars.len());
            if removed > 0 && after.pos == after.chars.len() {
                let width = Self::width(&before.chars[after.chars.len()..]);
                let _ = self.term.write_str(&"\x08 \x08".repeat(width));
            }
            return;
        }
        self.refresh(after);
    }
}
