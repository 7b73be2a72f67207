//! Editing: the line being typed and what each key does to it (the cursor keys, the
//! deletions of a shell), apart from the terminal, so that it is tested as plain data.

use super::decode::Key;

/// The line being edited: characters and the cursor position among them. It may hold
/// the password, so its characters are wiped when it is dropped, and room for a long
/// line is taken up front so that growing does not leave copies behind.
pub(super) struct Buffer {
    pub(crate) chars: Vec<char>,
    pub(crate) pos: usize,
}

impl Default for Buffer {
    fn default() -> Buffer {
        Buffer {
            chars: Vec::with_capacity(256),
            pos: 0,
        }
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.chars);
    }
}

impl Buffer {
    /// Applies one key; `Some(true)` when the line is done, `Some(false)` cancelled.
    pub(super) fn apply(&mut self, key: &Key) -> Option<bool> {
        match key {
            Key::Enter => return Some(true),
            Key::Cancel => return Some(false),
            Key::EndOfInput if self.chars.is_empty() => return Some(false),
            Key::EndOfInput | Key::Delete => {
                if self.pos < self.chars.len() {
                    self.chars.remove(self.pos);
                }
            }
            Key::Char(c) => {
                self.chars.insert(self.pos, *c);
                self.pos += 1;
            }
            Key::Left => self.pos = self.pos.saturating_sub(1),
            Key::Right => self.pos = (self.pos + 1).min(self.chars.len()),
            Key::Home => self.pos = 0,
            Key::End => self.pos = self.chars.len(),
            Key::Backspace => {
                if self.pos > 0 {
                    self.pos -= 1;
                    self.chars.remove(self.pos);
                }
            }
            Key::DeleteWordBefore => {
                let mut start = self.pos;
                while start > 0 && self.chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !self.chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                self.chars.drain(start..self.pos);
                self.pos = start;
            }
            Key::DeleteToStart => {
                self.chars.drain(..self.pos);
                self.pos = 0;
            }
            Key::DeleteToEnd => self.chars.truncate(self.pos),
            Key::Ignored => {}
        }
        None
    }

    pub(super) fn text(&self) -> String {
        self.chars.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(keys: &[Key]) -> (String, usize) {
        let mut buffer = Buffer::default();
        for key in keys {
            assert_eq!(buffer.apply(key), None, "{key:?}");
        }
        (buffer.text(), buffer.pos)
    }

    fn chars(text: &str) -> Vec<Key> {
        text.chars().map(Key::Char).collect()
    }

    #[test]
    fn a_typo_at_the_start_is_fixed_without_retyping() {
        let mut keys = chars("jhn@icloud.com");
        keys.extend([Key::Home, Key::Right]);
        keys.push(Key::Char('o'));
        keys.push(Key::End);
        keys.extend(chars("!"));
        keys.push(Key::Backspace);
        assert_eq!(typed(&keys), ("john@icloud.com".into(), 15));
    }

    #[test]
    fn words_and_ends_are_deleted() {
        let mut keys = chars("John  Q Appleseed");
        keys.push(Key::DeleteWordBefore);
        assert_eq!(typed(&keys).0, "John  Q ");
        keys.push(Key::DeleteWordBefore);
        assert_eq!(typed(&keys).0, "John  ");
        keys.extend([
            Key::Home,
            Key::Delete,
            Key::End,
            Key::Left,
            Key::DeleteToEnd,
        ]);
        assert_eq!(typed(&keys).0, "ohn ");
        keys.push(Key::DeleteToStart);
        assert_eq!(typed(&keys), (String::new(), 0));
    }

    #[test]
    fn ctrl_d_cancels_an_empty_line_and_deletes_otherwise() {
        assert_eq!(Buffer::default().apply(&Key::EndOfInput), Some(false));
        let mut keys = chars("ab");
        keys.extend([Key::Home, Key::EndOfInput]);
        assert_eq!(typed(&keys).0, "b");
    }
}
