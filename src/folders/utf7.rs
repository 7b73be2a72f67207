//! IMAP's modified UTF-7 (RFC 3501 §5.1.3): how mailbox names outside ASCII travel on the
//! wire (`Entw&APw-rfe` is `Entwürfe`). Written here rather than taken from a crate: the
//! decoder is forty lines, the crates that do it pull in more than that, and the rules are
//! strict enough that a name breaking them is better refused than guessed at.
//!
//! Decoding is strict: a name the RFC does not allow (an unterminated shift, base64 that is
//! not whole UTF-16, a shifted run that only holds ASCII, a raw non-ASCII byte) is an
//! error, and the caller treats that mailbox as unknown.

/// The base64 alphabet of modified UTF-7: `,` in place of `/`, no padding.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// Why a name is not modified UTF-7.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Utf7Error {
    /// A byte outside printable ASCII, where only printable ASCII may be.
    NotAscii,
    /// `&` without the `-` that ends the shift.
    Unterminated,
    /// A character outside the base64 alphabet, or bits that do not make whole UTF-16.
    BadBase64,
    /// UTF-16 that is not text (a lone surrogate), or a shift that encodes what must be
    /// written directly (printable ASCII).
    BadText,
}

/// The name `encoded` stands for.
pub fn decode(encoded: &str) -> Result<String, Utf7Error> {
    let mut out = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(position) = rest.find(|c: char| c == '&' || !(' '..='~').contains(&c)) {
        let (plain, tail) = rest.split_at(position);
        out.push_str(plain);
        // `tail` starts with `&` (one byte) unless a non-ASCII character was found.
        let Some(shifted) = tail.strip_prefix('&') else {
            return Err(Utf7Error::NotAscii);
        };
        let end = shifted.find('-').ok_or(Utf7Error::Unterminated)?;
        let (run, after) = shifted.split_at(end);
        if run.is_empty() {
            out.push('&');
        } else {
            out.push_str(&decode_run(run)?);
        }
        rest = after.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

/// The name as the wire writes it: printable ASCII as itself (`&` as `&-`), the rest as
/// base64 of UTF-16 between `&` and `-`.
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut out, &mut pending);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut units = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush(&mut out, &mut pending);
    out
}

fn flush(out: &mut String, pending: &mut Vec<u16>) {
    if pending.is_empty() {
        return;
    }
    let bytes: Vec<u8> = pending.iter().flat_map(|unit| unit.to_be_bytes()).collect();
    out.push('&');
    for chunk in bytes.chunks(3) {
        let value = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        // 1 byte gives 2 characters, 2 give 3, 3 give 4.
        for i in 0..=chunk.len() {
            let index = (value >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out.push('-');
    pending.clear();
}

/// The value of one character of [`ALPHABET`].
fn sextet(b: u8) -> Option<u32> {
    let value = match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b',' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

/// One shifted run (between `&` and `-`): base64 of UTF-16 big-endian.
fn decode_run(run: &str) -> Result<String, Utf7Error> {
    let mut bits: u32 = 0;
    let mut count = 0u32;
    let mut bytes = Vec::with_capacity(run.len() * 3 / 4);
    for b in run.bytes() {
        bits = (bits << 6) | sextet(b).ok_or(Utf7Error::BadBase64)?;
        count += 6;
        if count >= 8 {
            count -= 8;
            // The low byte of what is above the bits still pending.
            bytes.push((bits >> count).to_be_bytes()[3]);
            bits &= (1 << count) - 1;
        }
    }
    // Left-over bits are padding and must be zero; and the bytes must be whole UTF-16.
    if bits != 0 || count >= 6 || bytes.len() % 2 != 0 {
        return Err(Utf7Error::BadBase64);
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    let text = String::from_utf16(&units).map_err(|_| Utf7Error::BadText)?;
    // Printable ASCII is never shifted (RFC 3501: "MUST be represented by themselves").
    if text.chars().any(|c| (' '..='~').contains(&c)) {
        return Err(Utf7Error::BadText);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_rfc_examples_and_common_names_decode() {
        // RFC 3501 §5.1.3's own example.
        assert_eq!(
            decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(),
            "~peter/mail/台北/日本語"
        );
        assert_eq!(decode("Entw&APw-rfe").unwrap(), "Entwürfe");
        assert_eq!(
            decode("Gel&APY-schte Elemente").unwrap(),
            "Gelöschte Elemente"
        );
        assert_eq!(decode("Tom &- Jerry").unwrap(), "Tom & Jerry");
        assert_eq!(decode("Sent Items").unwrap(), "Sent Items");
        assert_eq!(decode("&2D3eAA-").unwrap(), "😀");
        assert_eq!(decode("").unwrap(), "");
    }

    #[test]
    fn names_that_break_the_rules_are_refused() {
        assert_eq!(decode("Entw&APw"), Err(Utf7Error::Unterminated));
        assert_eq!(decode("a&AP*-"), Err(Utf7Error::BadBase64));
        assert_eq!(decode("&AP-"), Err(Utf7Error::BadBase64)); // half a UTF-16 unit
        assert_eq!(decode("&2D1-"), Err(Utf7Error::BadBase64)); // padding bits not zero
        assert_eq!(decode("&2D0-"), Err(Utf7Error::BadText)); // a lone surrogate
        assert_eq!(decode("&2D3-"), Err(Utf7Error::BadBase64));
        assert_eq!(decode("&2D0AAA-"), Err(Utf7Error::BadText)); // lone high surrogate
        assert_eq!(decode("&AGE-"), Err(Utf7Error::BadText)); // "a" shifted
        assert_eq!(decode("Entwürfe"), Err(Utf7Error::NotAscii));
        assert_eq!(decode("a\tb"), Err(Utf7Error::NotAscii));
    }

    #[test]
    fn encoding_writes_what_the_rfc_writes() {
        assert_eq!(encode("Entwürfe"), "Entw&APw-rfe");
        assert_eq!(encode("Tom & Jerry"), "Tom &- Jerry");
        assert_eq!(encode("台北"), "&U,BTFw-");
        assert_eq!(encode("😀"), "&2D3eAA-");
    }

    proptest! {
        /// Any text without control characters survives a round trip, and its encoding
        /// is printable ASCII.
        #[test]
        fn round_trip(name in "[^\\p{Cc}]{0,40}") {
            let encoded = encode(&name);
            prop_assert!(encoded.bytes().all(|b| (0x20..0x7f).contains(&b)));
            prop_assert_eq!(decode(&encoded).unwrap(), name);
        }

        /// Whatever a server sends, decoding ends without a panic, and what it gives back
        /// is the name its own encoding stands for.
        #[test]
        fn decoding_never_panics_and_reads_back(wire in "[ -~&A-Za-z0-9+,-]{0,40}") {
            if let Ok(name) = decode(&wire) {
                prop_assert_eq!(decode(&encode(&name)).unwrap(), name);
            }
        }
    }
}
