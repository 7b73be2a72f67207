//! The test message: one short RFC 5322 message to oneself, with a unique `Message-ID`
//! that the watcher proves its copies by, and a subject the person can find it by.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::mail::wire::base64;

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
        from: &str,
        name: Option<&str>,
        words: MessageWords<'_>,
        date: SystemTime,
        unique: &str,
    ) -> TestMessage {
        let domain = from
            .rsplit_once('@')
            .map_or("icloud-setup.invalid", |(_, d)| d);
        let message_id = format!("<icloud-setup.{unique}@{domain}>");
        let mailbox = mailbox(name, from);
        let ascii_body = words.body.is_ascii();
        let mut text = String::new();
        let mut header = |name: &str, value: &str| {
            text.push_str(name);
            text.push_str(": ");
            text.push_str(value);
            text.push_str("\r\n");
        };
        header("Date", &rfc5322_date(date));
        header("From", &mailbox);
        header("To", &mailbox);
        header("Subject", &encode_header_text(words.subject));
        header("Message-ID", &message_id);
        // RFC 3834: no vacation replies or other automatic answers to a test message.
        header("Auto-Submitted", "auto-generated");
        header("MIME-Version", "1.0");
        header("Content-Type", "text/plain; charset=utf-8");
        header(
            "Content-Transfer-Encoding",
            if ascii_body { "7bit" } else { "base64" },
        );
        text.push_str("\r\n");
        if ascii_body {
            for line in words.body.lines() {
                text.push_str(line);
                text.push_str("\r\n");
            }
        } else {
            let encoded = base64(words.body.replace('\n', "\r\n").as_bytes());
            for chunk in encoded.as_bytes().chunks(76) {
                text.push_str(&String::from_utf8_lossy(chunk));
                text.push_str("\r\n");
            }
        }
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

/// 128 bits that differ from run to run and from message to message: the standard
/// library's per-process random hash keys, mixed with the time and a counter.
pub fn unique_token() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let half = |salt: u64| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u128(nanos);
        hasher.write_u64(count);
        hasher.write_u32(std::process::id());
        hasher.write_u64(salt);
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

/// `Fri, 27 Nov 2026 13:45:00 +0000` (RFC 5322 3.3), in UTC. The calendar is humantime's
/// (RFC 3339, `2026-11-27T13:45:00Z`), rearranged; the day of the week is counted from
/// the epoch, a Thursday.
pub(crate) fn rfc5322_date(time: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let time = time.max(UNIX_EPOCH);
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let weekday = DAYS[usize::try_from(seconds / 86_400 % 7).unwrap_or(0)];
    // `YYYY-MM-DDThh:mm:ssZ`
    let stamp = humantime::format_rfc3339_seconds(time).to_string();
    let field = |range: std::ops::Range<usize>| stamp.get(range).unwrap_or("00");
    let month = field(5..7)
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .unwrap_or(&"Jan");
    format!(
        "{weekday}, {} {month} {} {} +0000",
        field(8..10),
        field(0..4),
        field(11..19)
    )
}

/// `Name <address>`, the name quoted or encoded as RFC 5322 and 2047 need; the bare
/// address when there is no name.
fn mailbox(name: Option<&str>, address: &str) -> String {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return format!("<{address}>");
    };
    let name = name.replace(['\r', '\n'], " ");
    if name.is_ascii() && !name.contains("=?") {
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\" <{address}>")
    } else {
        format!("{} <{address}>", encode_words(&name))
    }
}

/// Header text as is when it is plain printable ASCII, else RFC 2047 encoded words.
fn encode_header_text(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) && !text.contains("=?") {
        text
    } else {
        encode_words(&text)
    }
}

/// `=?utf-8?B?…?=` words of at most 75 characters, split between characters, joined by
/// folding white space.
fn encode_words(text: &str) -> String {
    // 39 bytes are 52 base64 characters: a word of 64, so that `Subject: ` and the word
    // stay within the 78 characters a line should have (RFC 5322 2.1.1, RFC 2047 2).
    const MAX_BYTES: usize = 39;
    let mut words = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (index, c) in text.char_indices() {
        let next = index + c.len_utf8();
        if next - start > MAX_BYTES {
            words.push(&text[start..end]);
            start = end;
        }
        end = next;
    }
    if start < text.len() {
        words.push(&text[start..]);
    }
    words
        .iter()
        .map(|word| format!("=?utf-8?B?{}?=", base64(word.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const WORDS: MessageWords<'static> = MessageWords {
        subject: "icloud-setup test message — safe to delete",
        body: "Sent by icloud-setup.\nSafe to delete.\n",
    };

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
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

    #[test]
    fn the_message_has_the_headers_a_mail_program_expects() {
        let message = TestMessage::build(
            "john@example.org",
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
            ]
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
        assert_eq!(value("Content-Type"), "text/plain; charset=utf-8");
        assert_eq!(value("Content-Transfer-Encoding"), "7bit");
        // The subject's dash is not ASCII: RFC 2047 words, which decode to the subject.
        let subject = WORDS.subject.as_bytes();
        assert_eq!(
            value("Subject"),
            &format!(
                "=?utf-8?B?{}?= =?utf-8?B?{}?=",
                base64(&subject[..39]),
                base64(&subject[39..])
            )
        );
        assert!(
            message
                .text()
                .ends_with("\r\n\r\nSent by icloud-setup.\r\nSafe to delete.\r\n")
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
        let bare = TestMessage::build("a@icloud.com", None, WORDS, at(0), "x");
        assert!(bare.text().contains("\r\nFrom: <a@icloud.com>\r\n"));
        let umlaut = TestMessage::build("a@icloud.com", Some("Jürgen Müller"), WORDS, at(0), "x");
        let from = &headers(&umlaut)[1].1;
        assert_eq!(
            from,
            &format!(
                "=?utf-8?B?{}?= <a@icloud.com>",
                base64("Jürgen Müller".as_bytes())
            )
        );
        // A line break in the saved name cannot start a header of its own.
        let sneaky = TestMessage::build(
            "a@icloud.com",
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
        let message = TestMessage::build("a@icloud.com", None, words, at(0), "x");
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
    fn the_secret_is_never_in_the_message() {
        let secret = "abcd-efgh-ijkl-mnop";
        let message = TestMessage::build(
            "a@icloud.com",
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
        assert_eq!(rfc5322_date(at(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
        // A leap day, and the last second of a year.
        assert_eq!(
            rfc5322_date(at(951_782_400)),
            "Tue, 29 Feb 2000 00:00:00 +0000"
        );
        assert_eq!(
            rfc5322_date(at(1_798_761_599)),
            "Thu, 31 Dec 2026 23:59:59 +0000"
        );
        assert_eq!(
            rfc5322_date(at(4_107_542_400)),
            "Mon, 01 Mar 2100 00:00:00 +0000"
        );
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
        let encoded = encode_words(&text);
        let words: Vec<&str> = encoded.split("\r\n ").collect();
        // 19 two-byte characters fit in 39 bytes: 19 + 19 + 2.
        let halves = ["ä".repeat(19), "ä".repeat(19), "ä".repeat(2)];
        let expected: Vec<String> = halves
            .iter()
            .map(|h| format!("=?utf-8?B?{}?=", base64(h.as_bytes())))
            .collect();
        assert_eq!(words, expected, "{encoded}");
        assert!(words.iter().all(|w| w.len() <= 75));
    }
}
