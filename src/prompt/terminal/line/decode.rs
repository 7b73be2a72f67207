//! Key decoding: the bytes a terminal sends for a key (control characters, UTF-8, the
//! escape sequences of the cursor keys) turned into the [`Key`] the editor acts on.

use std::os::fd::BorrowedFd;

use super::{read_byte, ready};
use crate::prompt::PromptError;

const CTRL_A: u8 = 0x01;
const CTRL_B: u8 = 0x02;
const CTRL_C: u8 = 0x03;
const CTRL_D: u8 = 0x04;
const CTRL_E: u8 = 0x05;
const CTRL_F: u8 = 0x06;
const CTRL_K: u8 = 0x0b;
const CTRL_U: u8 = 0x15;
const CTRL_W: u8 = 0x17;
pub(in crate::prompt::terminal) const ESCAPE: u8 = 0x1b;
const BACKSPACE: u8 = 0x08;
const DELETE: u8 = 0x7f;

/// An editing key, decoded from the bytes a terminal sends.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Key {
    Char(char),
    Enter,
    Cancel,
    /// Ctrl-D: cancels on an empty line, deletes under the cursor otherwise.
    EndOfInput,
    Left,
    Right,
    Home,
    End,
    Backspace,
    Delete,
    DeleteWordBefore,
    DeleteToStart,
    DeleteToEnd,
    Ignored,
}

/// Reads one key. Multi-byte UTF-8 characters are put together; escape sequences of
/// the cursor keys are decoded, other sequences ignored; Esc alone cancels.
pub(super) fn read_key(fd: BorrowedFd<'_>) -> Result<Key, PromptError> {
    let byte = read_byte(fd)?;
    Ok(match byte {
        b'\r' | b'\n' => Key::Enter,
        CTRL_C => Key::Cancel,
        CTRL_D => Key::EndOfInput,
        CTRL_A => Key::Home,
        CTRL_E => Key::End,
        CTRL_B => Key::Left,
        CTRL_F => Key::Right,
        CTRL_K => Key::DeleteToEnd,
        CTRL_U => Key::DeleteToStart,
        CTRL_W => Key::DeleteWordBefore,
        BACKSPACE | DELETE => Key::Backspace,
        ESCAPE => match read_escape_sequence(fd)? {
            None => Key::Cancel,
            Some(sequence) => decode_sequence(&sequence),
        },
        byte if byte < 0x20 => Key::Ignored,
        byte if byte < 0x80 => Key::Char(char::from(byte)),
        first => {
            let len = match first {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => return Ok(Key::Ignored),
            };
            let mut bytes = vec![first];
            while bytes.len() < len {
                bytes.push(read_byte(fd)?);
            }
            match std::str::from_utf8(&bytes)
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some(c) if !c.is_control() => Key::Char(c),
                _ => Key::Ignored,
            }
        }
    })
}

/// The cursor keys as xterm, the Linux console, VT100 in application mode and
/// rxvt send them.
pub(super) fn decode_sequence(sequence: &[u8]) -> Key {
    match sequence {
        b"[D" | b"OD" => Key::Left,
        b"[C" | b"OC" => Key::Right,
        b"[H" | b"OH" | b"[1~" | b"[7~" => Key::Home,
        b"[F" | b"OF" | b"[4~" | b"[8~" => Key::End,
        b"[3~" => Key::Delete,
        _ => Key::Ignored,
    }
}

/// After an ESC byte: the rest of the sequence, or `None` for the Esc key alone.
pub(super) fn read_escape_sequence(fd: BorrowedFd<'_>) -> Result<Option<Vec<u8>>, PromptError> {
    // A key's sequence arrives in one burst; a lone Esc has nothing after it.
    if !ready(fd, 30)? {
        return Ok(None);
    }
    let introducer = read_byte(fd)?;
    let mut sequence = vec![introducer];
    if introducer == b'[' || introducer == b'O' {
        while ready(fd, 30)? && sequence.len() < 16 {
            let byte = read_byte(fd)?;
            sequence.push(byte);
            if (0x40..=0x7e).contains(&byte) {
                break;
            }
        }
    }
    Ok(Some(sequence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_keys_of_common_terminals_are_decoded() {
        assert_eq!(decode_sequence(b"[D"), Key::Left);
        assert_eq!(decode_sequence(b"OC"), Key::Right);
        assert_eq!(decode_sequence(b"[1~"), Key::Home);
        assert_eq!(decode_sequence(b"OF"), Key::End);
        assert_eq!(decode_sequence(b"[3~"), Key::Delete);
        assert_eq!(decode_sequence(b"[1;5D"), Key::Ignored);
    }
}
