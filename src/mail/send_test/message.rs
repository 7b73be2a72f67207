//! The test message: one short RFC 5322 message to oneself, with a unique `Message-ID`
//! that the watcher proves its copies by, and a subject the person can find it by.
//!
//! lettre's message builder writes it (the date, RFC 2047 words for a subject or name that
//! is not plain ASCII, quoting, folding, the MIME headers and the body's encoding); only
//! its builder is compiled in. It is sent over the project's own bounded wire, which also
//! does the dot-stuffing ([`super::submission`]).

use std::time::SystemTime;

use lettre::Address;
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, SinglePart};

use crate::domain::EmailAddress;

/// The test message: headers and body, lines ending in CRLF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestMessage {
    message_id: String,
    text: String,
}

/// The words of the message, from the message catalog.
#[derive(Clone, Copy, Debug)]
pub struct MessageWords<'a> {
    pub subject: &'a str,
    pub body: &'a str,
}

impl TestMessage {
    /// A message from `from` (with the display `name`, if any) to the same address.
    /// `unique` makes the `Message-ID` (letters, digits, dots and dashes).
    pub fn build(
        from: &EmailAddress,
        name: Option<&str>,
        words: MessageWords<'_>,
        date: SystemTime,
        unique: &str,
    ) -> TestMessage {
        // The watcher compares the `Message-ID` header with this text exactly: lettre
        // writes a text header that is plain ASCII without spaces as it is.
        let message_id = format!("<icloud-setup.{unique}@{}>", from.domain());
        // A line break in the saved name cannot start a header of its own, nor another
        // control character break it: lettre would encode them, a space reads better.
        let name = name
            .map(|n| n.replace(char::is_control, " ").trim().to_string())
            .filter(|n| !n.is_empty());
        let address: Address = from
            .as_str()
            .parse()
            // A plain local part and an ASCII domain (`EmailAddress::parse`): always a
            // valid RFC 5322 address (checked for every address by a property test).
            .expect("an EmailAddress is a valid RFC 5322 address");
        let subject = words.subject.replace(char::is_control, " ");
        let build = |mailbox: Mailbox| {
            let body = if words.body.is_ascii() {
                // 7bit, or quoted-printable when a line is longer than a mail line should
                // be. lettre ends the message with a line end of its own: the text's last
                // one would add an empty line.
                let text = words.body.strip_suffix('\n').unwrap_or(words.body);
                Body::new(text.strip_suffix('\r').unwrap_or(text).to_string())
            } else {
                // base64 never fails.
                Body::new_with_encoding(words.body.to_string(), ContentTransferEncoding::Base64)
                    .unwrap_or_else(Body::new)
            };
            Message::builder()
                .date(date)
                .from(mailbox.clone())
                .to(mailbox)
                .subject(subject.clone())
                .message_id(Some(message_id.clone()))
                // RFC 3834: no vacation replies or other automatic answers to a test message.
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("Auto-Submitted"),
                    "auto-generated".to_string(),
                ))
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(body),
                )
        };
        // lettre checks the From it wrote by reading it back; a name it cannot read back
        // leaves the address alone, which it always reads.
        let message = build(Mailbox::new(name, address.clone()))
            .or_else(|_| build(Mailbox::new(None, address)))
            .expect("a From of a bare address");
        let text = String::from_utf8_lossy(&message.formatted()).into_owned();
        TestMessage { message_id, text }
    }

    /// The `Message-ID`, with its angle brackets.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The whole message as sent after `DATA` (before dot-stuffing).
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

/// 128 random bits from the operating system, as 32 hexadecimal digits: differ from run to
/// run and from message to message, and cannot be guessed by another sender.
pub fn unique_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No randomness from the system (rare; a sandbox): the time and a counter still
        // make the token unique on this machine, which is what the watcher needs.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes = (nanos ^ (u128::from(count) << 64) ^ u128::from(std::process::id())).to_be_bytes();
    }
    format!("{:032x}", u128::from_be_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use base64::Engine as _;
    use proptest::prelude::*;

    use super::*;
    use crate::mail::wire::base64;

    const WORDS: MessageWords<'static> = MessageWords {
        subject: "icloud-setup test message — safe to delete",
        body: "Sent by icloud-setup.\nSafe to delete.\n",
    };

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn address(text: &str) -> EmailAddress {
        EmailAddress::parse(text).expect("a valid address")
    }

    fn headers(message: &TestMessage) -> Vec<(String, String)> {
        let (head, _) = message.text().split_once("\r\n\r\n").expect("a blank line");
        let unfolded = head.replace("\r\n ", " ");
        unfolded
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(": ").expect("name: value");
                (name.to_string(), value.to_string())
            })
            .collect()
    }

    fn header(message: &TestMessage, name: &str) -> String {
        headers(message)
            .into_iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| panic!("no {name}:\n{}", message.text()), |(_, v)| v)
    }

    /// A header value with RFC 2047 `B` words back to text (the white space between two
    /// encoded words is not text), and the encoded words themselves: each must hold whole
    /// characters (a word that splits a character does not decode alone).
    fn decode_words(value: &str) -> (String, Vec<String>) {
        let mut text = String::new();
        let mut words = Vec::new();
        let mut previous_encoded = false;
        for (index, word) in value.split(' ').enumerate() {
            let payload = word
                .get(..10)
                .filter(|prefix| prefix.eq_ignore_ascii_case("=?utf-8?b?"))
                .and_then(|_| word.get(10..)?.strip_suffix("?="));
            if index > 0 && !(previous_encoded && payload.is_some()) {
                text.push(' ');
            }
            previous_encoded = payload.is_some();
            let Some(payload) = payload else {
                text.push_str(word);
                continue;
            };
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(payload)
                .expect("base64");
            text.push_str(&String::from_utf8(bytes).expect("whole characters in each word"));
            words.push(word.to_string());
        }
        (text, words)
    }

    #[test]
    fn the_message_has_the_headers_a_mail_program_expects() {
        let message = TestMessage::build(
            &address("john@example.org"),
            Some("John \"J\" Appleseed"),
            WORDS,
            at(1_795_786_142),
            "0123abcd",
        );
        let headers = headers(&message);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Date",
                "From",
                "To",
                "Subject",
                "Message-ID",
                "Auto-Submitted",
                "MIME-Version",
                "Content-Type",
                "Content-Transfer-Encoding"
            ],
            "{}",
            message.text()
        );
        let value = |name: &str| &headers.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(value("Date"), "Fri, 27 Nov 2026 13:29:02 +0000");
        assert_eq!(
            value("From"),
            r#""John \"J\" Appleseed" <john@example.org>"#
        );
        assert_eq!(value("To"), value("From"));
        assert_eq!(value("Message-ID"), "<icloud-setup.0123abcd@example.org>");
        assert_eq!(message.message_id(), value("Message-ID"));
        assert_eq!(value("Auto-Submitted"), "auto-generated");
        assert_eq!(value("MIME-Version"), "1.0");
        assert_eq!(value("Content-Type"), "text/plain; charset=utf-8");
        assert_eq!(value("Content-Transfer-Encoding"), "7bit");
        // The subject's dash is not ASCII: RFC 2047 words, which decode to the subject.
        let (subject, words) = decode_words(value("Subject"));
        assert_eq!(subject, WORDS.subject);
        assert!(!words.is_empty(), "{}", value("Subject"));
        assert!(
            message
                .text()
                .ends_with("\r\n\r\nSent by icloud-setup.\r\nSafe to delete.\r\n"),
            "{:?}",
            message.text()
        );
        // Every line ends in CRLF and is short enough for any server.
        assert!(
            message
                .text()
                .split_inclusive('\n')
                .all(|l| l.ends_with("\r\n") && l.len() <= 78),
            "{}",
            message.text()
        );
    }

    #[test]
    fn without_a_name_the_address_stands_alone_and_a_non_ascii_name_is_encoded() {
        let bare = TestMessage::build(&address("a@icloud.com"), None, WORDS, at(0), "x");
        assert!(
            bare.text().contains("\r\nFrom: a@icloud.com\r\n"),
            "{}",
            bare.text()
        );
        let umlaut = TestMessage::build(
            &address("a@icloud.com"),
            Some("Jürgen Müller"),
            WORDS,
            at(0),
            "x",
        );
        let from = &headers(&umlaut)[1].1;
        let (name, mailbox) = from.rsplit_once(' ').expect("name and address");
        assert_eq!(mailbox, "<a@icloud.com>");
        assert_eq!(decode_words(name).0, "Jürgen Müller");
        // A line break in the saved name cannot start a header of its own.
        let sneaky = TestMessage::build(
            &address("a@icloud.com"),
            Some("Eve\r\nBcc: victim@example.org"),
            WORDS,
            at(0),
            "x",
        );
        assert!(!sneaky.text().contains("\r\nBcc:"), "{}", sneaky.text());
    }

    #[test]
    fn a_body_that_is_not_ascii_goes_as_base64() {
        let words = MessageWords {
            subject: "Testnachricht",
            body: "Diese Nachricht können Sie löschen.\n",
        };
        let message = TestMessage::build(&address("a@icloud.com"), None, words, at(0), "x");
        assert!(
            message
                .text()
                .contains("Content-Transfer-Encoding: base64\r\n")
        );
        assert!(message.text().contains("\r\nSubject: Testnachricht\r\n"));
        let (_, body) = message.text().split_once("\r\n\r\n").unwrap();
        assert_eq!(
            body,
            format!(
                "{}\r\n",
                base64("Diese Nachricht können Sie löschen.\r\n".as_bytes())
            )
        );
    }

    #[test]
    fn a_long_ascii_line_is_wrapped_as_quoted_printable() {
        let long = format!("{}\n", "word ".repeat(30).trim_end());
        let words = MessageWords {
            subject: "Test",
            body: &long,
        };
        let message = TestMessage::build(&address("a@icloud.com"), None, words, at(0), "x");
        assert_eq!(
            header(&message, "Content-Transfer-Encoding"),
            "quoted-printable"
        );
        let (_, body) = message.text().split_once("\r\n\r\n").unwrap();
        assert_eq!(
            body.replace("=\r\n", ""),
            format!("{}\r\n", long.trim_end())
        );
        assert!(
            message
                .text()
                .split_inclusive('\n')
                .all(|l| l.ends_with("\r\n") && l.len() <= 78),
            "{}",
            message.text()
        );
    }

    #[test]
    fn the_secret_is_never_in_the_message() {
        let secret = "abcd-efgh-ijkl-mnop";
        let message = TestMessage::build(
            &address("a@icloud.com"),
            Some("A"),
            WORDS,
            SystemTime::now(),
            &unique_token(),
        );
        assert!(!message.text().contains(secret));
        assert!(!message.text().contains("abcdefghijklmnop"));
    }

    #[test]
    fn dates_follow_rfc_5322_in_utc() {
        let date = |seconds| {
            let message =
                TestMessage::build(&address("a@icloud.com"), None, WORDS, at(seconds), "x");
            header(&message, "Date")
        };
        assert_eq!(date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        // A leap day, and the last second of a year.
        assert_eq!(date(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000");
        assert_eq!(date(1_798_761_599), "Thu, 31 Dec 2026 23:59:59 +0000");
        assert_eq!(date(4_107_542_400), "Mon, 01 Mar 2100 00:00:00 +0000");
    }

    #[test]
    fn message_ids_are_unique() {
        let tokens: std::collections::HashSet<String> = (0..1000).map(|_| unique_token()).collect();
        assert_eq!(tokens.len(), 1000);
        assert!(
            tokens
                .iter()
                .all(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        );
    }

    #[test]
    fn long_encoded_words_are_split_between_characters() {
        let text = "ä".repeat(40);
        let words = MessageWords {
            subject: &text,
            body: "x\n",
        };
        let message = TestMessage::build(&address("a@icloud.com"), None, words, at(0), "x");
        let (decoded, encoded) = decode_words(&header(&message, "Subject"));
        assert_eq!(decoded, text);
        assert!(encoded.len() >= 2, "{encoded:?}");
        assert!(encoded.iter().all(|w| w.len() <= 75), "{encoded:?}");
    }

    proptest! {
        /// Any address the domain accepts makes a message (lettre's address check never
        /// refuses one), whose `Message-ID` header is exactly the one the watcher looks for,
        /// and any display name stays inside its own header.
        #[test]
        fn any_address_and_name_make_a_message_the_watcher_can_prove(
            local in "[a-zA-Z0-9]([a-zA-Z0-9_+-]|\\.[a-zA-Z0-9]){0,20}",
            domain in prop_oneof![
                Just("icloud.com".to_string()),
                "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\\.[a-z]{2,6}){1,3}",
                "[äöü漢][a-z]{0,6}\\.(de|jp)",
            ],
            name in proptest::option::of(".{0,60}"),
            subject in ".{0,80}",
        ) {
            let Ok(from) = EmailAddress::parse(&format!("{local}@{domain}")) else {
                return Ok(());
            };
            let words = MessageWords { subject: &subject, body: "x\n" };
            let message = TestMessage::build(&from, name.as_deref(), words, at(0), "0a1b");
            prop_assert_eq!(header(&message, "Message-ID"), message.message_id());
            let names: Vec<String> = headers(&message).into_iter().map(|(n, _)| n).collect();
            prop_assert_eq!(names.len(), 9, "{}", message.text());
            let trimmed = subject.replace(char::is_control, " ");
            prop_assert_eq!(decode_words(&header(&message, "Subject")).0, trimmed);
        }
    }
}
