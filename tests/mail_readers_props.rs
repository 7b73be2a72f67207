//! Properties of the one IMAP response reader and the one SMTP reply reader (issue 20.1,
//! 19 deliverable 2): whatever a server sends — arbitrary lines, arbitrary bytes on the wire,
//! literals of any announced size — they never panic, they end by the deadline, and what
//! they return stays within the wire's caps. What is well formed reads back as written.

use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use icloud_setup::mail::Stage;
use icloud_setup::mail::endpoint::Deadline;
use icloud_setup::mail::imap_reader::{
    self, code_meaning, code_name, is_bye, literal_length, parse_tagged, quoted, response_code,
    strip_prefix_ignore_case,
};
use icloud_setup::mail::smtp_reader::{self, Reply, mechanisms, parse_line};
use icloud_setup::mail::wire::{MAX_RESPONSE, Wire};
use proptest::prelude::*;

/// How long one wire case may take: its deadline and a margin for a loaded machine.
const DEADLINE: Duration = Duration::from_millis(500);
const MARGIN: Duration = Duration::from_secs(2);

/// A wire to a local server that sends `bytes` and then keeps the connection open until the
/// client hangs up (so the reader ends by its caps or its deadline, not by a hang-up only).
fn wire_fed(bytes: Vec<u8>, close_after: bool) -> Wire {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((mut peer, _)) = listener.accept() else {
            return;
        };
        let _ = peer.write_all(&bytes);
        let _ = peer.flush();
        if !close_after {
            // Held open until the client is gone or a generous bound passes.
            let _ = peer.set_read_timeout(Some(DEADLINE + MARGIN));
            let _ = std::io::Read::read(&mut peer, &mut [0u8; 1]);
        }
    });
    let mut transcript = Vec::new();
    Wire::open(&[address], Deadline::after(DEADLINE), &mut transcript).expect("local connect")
}

/// Server text: lines of printable ASCII, controls, non-ASCII, IMAP-ish and SMTP-ish words.
fn server_line() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[ -~]{0,80}",
        "(\\* |a1 |s[0-9] )?(OK|NO|BAD|BYE|SEARCH|FETCH|CAPABILITY)( \\[[A-Za-z -]{0,20}\\])?[ -~]{0,30}( \\{[0-9+]{0,12}\\})?",
        "[0-9]{3}[ -]?[ -~]{0,40}",
        "(AUTH|auth|AUTH=)[ =][A-Za-z0-9= -]{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The line-level helpers take any text, byte-safely.
    #[test]
    fn imap_line_helpers_never_panic(line in server_line(), tag in "[a-z]{1,3}[0-9]{0,3}") {
        let tagged = parse_tagged(&line, &tag);
        if let Some(tagged) = &tagged {
            prop_assert!(line.starts_with(&tag));
            let _ = tagged.code();
            let _ = tagged.said();
        }
        let _ = literal_length(&line);
        let _ = is_bye(&line);
        let _ = strip_prefix_ignore_case(&line, "* SEARCH");
        if let Some(code) = response_code(&line) {
            prop_assert!(!code.contains(']'));
        }
        if let Some(name) = code_name(&line) {
            prop_assert!(!name.is_empty() && !name.contains(' ') && !name.contains(']'));
            prop_assert_eq!(name.to_ascii_uppercase(), name.clone());
            let _ = code_meaning(Some(&name));
        }
    }

    /// A literal's announced size is read exactly as written.
    #[test]
    fn literal_sizes_read_back(prefix in "[ -z|~]{0,40}", size in 0usize..10_000_000, plus in any::<bool>()) {
        let line = format!("{prefix}{{{size}{}}}", if plus { "+" } else { "" });
        prop_assert_eq!(literal_length(&line), Some(size));
    }

    /// A quoted string unquotes to what was quoted.
    #[test]
    fn quoting_reads_back(text in "[ -~]{0,60}") {
        let quoted = quoted(&text);
        let inner = &quoted[1..quoted.len() - 1];
        let mut unquoted = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                unquoted.push(chars.next().expect("an escape is followed by its character"));
            } else {
                prop_assert!(c != '"', "an unescaped quote in {quoted}");
                unquoted.push(c);
            }
        }
        prop_assert_eq!(unquoted, text);
    }

    /// SMTP reply lines: any text is taken or refused without a panic, and a well formed
    /// line reads back as written.
    #[test]
    fn smtp_lines_read_back(line in server_line(), code in 200u16..600, more in any::<bool>(), text in "[ -~]{0,60}") {
        let _ = parse_line(&line);
        let written = format!("{code}{}{text}", if more { '-' } else { ' ' });
        prop_assert_eq!(parse_line(&written), Some((code, more, text.as_str())));
    }

    /// The login methods of any EHLO reply: upper case, each once, never empty.
    #[test]
    fn login_methods_are_clean(lines in proptest::collection::vec(server_line(), 0..8)) {
        let hello = Reply { code: 250, lines };
        let found = mechanisms(&hello);
        for (i, method) in found.iter().enumerate() {
            prop_assert!(!method.is_empty());
            prop_assert_eq!(method.to_ascii_uppercase(), method.clone());
            prop_assert!(!found[..i].contains(method));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Arbitrary bytes on the wire, then silence or a hang-up: the IMAP reader never panics,
    /// ends by the deadline, and returns no more than the response cap.
    #[test]
    fn the_imap_reader_is_bounded_on_any_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        lines in proptest::collection::vec(server_line(), 0..20),
        close_after in any::<bool>(),
        end_with_tag in any::<bool>(),
    ) {
        let mut stream = bytes;
        for line in lines {
            stream.extend_from_slice(line.as_bytes());
            stream.extend_from_slice(b"\r\n");
        }
        if end_with_tag {
            stream.extend_from_slice(b"a1 OK done\r\n");
        }
        let mut wire = wire_fed(stream, close_after);
        let started = Instant::now();
        wire.begin_response();
        let result = imap_reader::read_response(&mut wire, "a1", Stage::Login);
        prop_assert!(started.elapsed() < DEADLINE + MARGIN, "{:?}", started.elapsed());
        if let Ok(response) = result {
            let size: usize = response
                .untagged
                .iter()
                .map(|u| u.text.len() + u.literals.iter().map(Vec::len).sum::<usize>())
                .sum();
            prop_assert!(size <= MAX_RESPONSE, "{size}");
        }
        wire.close();
    }

    /// The same for the SMTP reader.
    #[test]
    fn the_smtp_reader_is_bounded_on_any_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        lines in proptest::collection::vec(server_line(), 0..20),
        close_after in any::<bool>(),
    ) {
        let mut stream = bytes;
        for line in lines {
            stream.extend_from_slice(line.as_bytes());
            stream.extend_from_slice(b"\r\n");
        }
        let mut wire = wire_fed(stream, close_after);
        let started = Instant::now();
        let result = smtp_reader::read_reply(&mut wire, Stage::Greeting);
        prop_assert!(started.elapsed() < DEADLINE + MARGIN, "{:?}", started.elapsed());
        if let Ok(reply) = result {
            prop_assert!((100..1000).contains(&reply.code));
            prop_assert!(reply.lines.iter().map(String::len).sum::<usize>() <= MAX_RESPONSE);
        }
        wire.close();
    }
}

/// A literal announced larger than the response cap fails at once, without waiting for
/// bytes that will never come (the example the property generalises).
#[test]
fn an_oversized_literal_fails_at_once() {
    let mut wire = wire_fed(b"* 1 FETCH (BODY[] {99999999}\r\n".to_vec(), false);
    let started = Instant::now();
    wire.begin_response();
    let result = imap_reader::read_response(&mut wire, "a1", Stage::Login);
    assert!(result.is_err());
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
}

/// A literal's bytes are data: a tagged line inside one does not end the response, and the
/// bytes come back whole (the watcher reads the Message-ID from them).
#[test]
fn a_literal_is_returned_whole_and_a_tag_inside_it_ends_nothing() {
    let inside = "a1 OK fake\r\n";
    let stream = format!(
        "* 1 FETCH (UID 3 BODY[] {{{}}}\r\n{inside})\r\n* SEARCH 3\r\na1 OK done\r\n",
        inside.len()
    );
    let mut wire = wire_fed(stream.into_bytes(), false);
    wire.begin_response();
    let response = imap_reader::read_response(&mut wire, "a1", Stage::Login).unwrap();
    assert_eq!(response.tagged.text, "done");
    assert_eq!(response.untagged.len(), 2);
    assert_eq!(response.untagged[0].literals, [inside.as_bytes().to_vec()]);
    assert!(response.untagged[0].text.ends_with(')'));
}
