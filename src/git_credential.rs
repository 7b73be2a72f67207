//! git's credential-helper protocol (gitcredentials(7)), as far as `icloud-setup
//! git-credential` speaks it: reading git's request and deciding which saved account, if
//! any, it is for. Reading the secret and printing the answer is the command's
//! (`commands::git_credential`); this module holds no secret.
//!
//! A request is `key=value` lines ending at an empty line or the end of input. It is read
//! within [`MAX_INPUT_BYTES`] and [`MAX_LINES`], so a helper fed an endless stream stops.
//! Only `protocol`, `host` and `username` matter; other keys (`path`, `capability[]`,
//! `wwwauth[]`, …) are read and ignored, and a key given twice counts with its last value,
//! as git itself reads it.
//!
//! The rules, strict on purpose because the answer is a password: the protocol is `smtp`
//! (git send-email asks so for STARTTLS and TLS alike); the host is a saved account's SMTP
//! server, compared without regard to ASCII case, with the account's port — git send-email
//! sends `HOST:PORT`; a host without a port means the port git send-email would use then,
//! 465 for TLS from the first byte and 25 otherwise; when git names a username it must be
//! that account's SMTP username exactly. Several accounts left after that: no answer, as
//! git cannot be told which password it got.

use std::io::{self, BufRead, Read};

use crate::config::{Account, Security};

/// The most bytes of a request read; git sends well under a KiB for SMTP.
pub(crate) const MAX_INPUT_BYTES: u64 = 4096;

/// The most lines of a request read.
pub(crate) const MAX_LINES: usize = 64;

/// What git asked, as far as the answer depends on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Request {
    pub(crate) protocol: Option<String>,
    pub(crate) host: Option<String>,
    pub(crate) username: Option<String>,
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadProblem {
    /// More than [`MAX_INPUT_BYTES`] or [`MAX_LINES`] before the end.
    TooLong,
    /// A line that is not `key=value`, or not UTF-8.
    Malformed,
    /// Standard input could not be read.
    Io(io::Error),
}

/// Reads one request from `input`, up to an empty line or the end of input, and never
/// more than [`MAX_INPUT_BYTES`] and [`MAX_LINES`].
pub(crate) fn read_request(input: &mut dyn BufRead) -> Result<Request, ReadProblem> {
    let mut request = Request::default();
    // One byte past the bound: reading it tells a request of exactly the bound from a
    // longer one.
    let mut limited = input.take(MAX_INPUT_BYTES + 1);
    let mut line = Vec::new();
    // MAX_LINES attributes, then the end: an empty line or the end of input.
    for count in 0..=MAX_LINES {
        line.clear();
        let read = limited
            .read_until(b'\n', &mut line)
            .map_err(ReadProblem::Io)?;
        if limited.limit() == 0 {
            return Err(ReadProblem::TooLong);
        }
        if read == 0 {
            return Ok(request);
        }
        let ended = line.last() == Some(&b'\n');
        let text = std::str::from_utf8(&line).map_err(|_| ReadProblem::Malformed)?;
        let text = text.strip_suffix('\n').unwrap_or(text);
        let text = text.strip_suffix('\r').unwrap_or(text);
        if text.is_empty() {
            return Ok(request);
        }
        if count == MAX_LINES {
            return Err(ReadProblem::TooLong);
        }
        let (key, value) = text.split_once('=').ok_or(ReadProblem::Malformed)?;
        let slot = match key {
            "protocol" => &mut request.protocol,
            "host" => &mut request.host,
            "username" => &mut request.username,
            _ => continue,
        };
        *slot = Some(value.to_string());
        if !ended {
            // The last line, without its line break, at the end of input.
            return Ok(request);
        }
    }
    Err(ReadProblem::TooLong)
}

/// Reads and drops up to [`MAX_INPUT_BYTES`] of `input` (what git sends with `store` holds
/// the password: it is not kept, only taken off the pipe so git's write does not fail).
pub(crate) fn discard_request(input: &mut dyn BufRead) {
    let _ = io::copy(&mut input.take(MAX_INPUT_BYTES), &mut io::sink());
}

/// The answer to a request.
#[derive(Debug, PartialEq)]
pub(crate) enum Decision<'a> {
    /// This account's SMTP username and password.
    Answer(&'a Account),
    /// Nothing, for this reason.
    Decline(Decline),
}

/// Why a request gets no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decline {
    /// Not `protocol=smtp` (or none).
    NotSmtp { protocol: Option<String> },
    /// No `host`.
    NoHost,
    /// No saved account sends through this server (host and port as git sent them).
    NoAccount { server: String },
    /// Accounts send through the server, but none with this SMTP username.
    OtherUsername { server: String, username: String },
    /// Several accounts send through the server and git named no username (or several
    /// have the one it named).
    Several { server: String },
}

/// Which saved account, if any, answers `request`.
pub(crate) fn decide<'a>(request: &Request, accounts: &'a [Account]) -> Decision<'a> {
    let protocol = request.protocol.as_deref();
    if protocol != Some("smtp") {
        return Decision::Decline(Decline::NotSmtp {
            protocol: protocol.map(String::from),
        });
    }
    let Some(server) = request.host.as_deref().filter(|h| !h.is_empty()) else {
        return Decision::Decline(Decline::NoHost);
    };
    let serving: Vec<&Account> = match split_host_port(server) {
        Some((host, port)) => accounts
            .iter()
            .filter(|a| same_host(&a.smtp.host, host))
            .filter(|a| port.unwrap_or_else(|| default_port(a.smtp.security)) == a.smtp.port)
            .collect(),
        None => Vec::new(),
    };
    if serving.is_empty() {
        return Decision::Decline(Decline::NoAccount {
            server: server.to_string(),
        });
    }
    let chosen: Vec<&Account> = match &request.username {
        Some(username) => {
            let named: Vec<&Account> = serving
                .into_iter()
                .filter(|a| a.smtp.username == *username)
                .collect();
            if named.is_empty() {
                return Decision::Decline(Decline::OtherUsername {
                    server: server.to_string(),
                    username: username.clone(),
                });
            }
            named
        }
        None => serving,
    };
    match chosen.as_slice() {
        [account] => Decision::Answer(account),
        _ => Decision::Decline(Decline::Several {
            server: server.to_string(),
        }),
    }
}

/// `HOST`, `HOST:PORT`, `[V6]` or `[V6]:PORT` as host and port; `None` for a port that is
/// not a number. A bare IPv6 address (several colons) has no port.
fn split_host_port(server: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = server.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after {
            "" => Some((host, None)),
            _ => Some((host, Some(after.strip_prefix(':')?.parse().ok()?))),
        };
    }
    match server.split_once(':') {
        Some((host, port)) if !port.contains(':') => Some((host, Some(port.parse().ok()?))),
        _ => Some((server, None)),
    }
}

/// Host names compare without regard to ASCII case or a final dot; an IPv6 literal with
/// or without its brackets.
fn same_host(saved: &str, asked: &str) -> bool {
    let plain = |h: &str| {
        let h = h
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(h);
        h.strip_suffix('.').unwrap_or(h).to_string()
    };
    !asked.is_empty() && plain(saved).eq_ignore_ascii_case(&plain(asked))
}

/// The port git send-email connects to when it is given none.
fn default_port(security: Security) -> u16 {
    match security {
        Security::Tls => 465,
        Security::Starttls => 25,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_input::account;

    fn read(text: &str) -> Result<Request, ReadProblem> {
        read_request(&mut text.as_bytes())
    }

    fn request(protocol: &str, host: &str, username: Option<&str>) -> Request {
        Request {
            protocol: Some(protocol.into()),
            host: Some(host.into()),
            username: username.map(String::from),
        }
    }

    /// Two accounts behind iCloud's server and one elsewhere.
    fn accounts() -> Vec<Account> {
        let john = account();
        let mut jane = account();
        jane.email = "jane@icloud.com".into();
        jane.smtp.username = "jane@icloud.com".into();
        let mut other = account();
        other.email = "me@example.org".into();
        other.smtp.host = "mail.example.org".into();
        other.smtp.port = 465;
        other.smtp.security = Security::Tls;
        other.smtp.username = "me".into();
        vec![john, jane, other]
    }

    fn answered<'a>(decision: &Decision<'a>) -> Option<&'a str> {
        match decision {
            Decision::Answer(account) => Some(&account.email),
            Decision::Decline(_) => None,
        }
    }

    #[test]
    fn what_git_send_email_sends_is_read_to_the_empty_line() {
        let text = "protocol=smtp\nhost=smtp.mail.me.com:587\nusername=johnappleseed@icloud.com\n\nprotocol=https\n";
        assert_eq!(
            read(text).unwrap(),
            request(
                "smtp",
                "smtp.mail.me.com:587",
                Some("johnappleseed@icloud.com")
            )
        );
        // The end of input ends it too, a last line without its line break included; CRLF
        // and unknown keys are fine, the last of a repeated key counts.
        let text = "capability[]=authtype\r\nprotocol=https\nprotocol=smtp\r\nhost=h:1";
        assert_eq!(read(text).unwrap(), request("smtp", "h:1", None));
        assert_eq!(read("").unwrap(), Request::default());
        assert!(matches!(
            read("protocol smtp\n"),
            Err(ReadProblem::Malformed)
        ));
        assert!(matches!(
            read_request(&mut &b"host=\xff\n"[..]),
            Err(ReadProblem::Malformed)
        ));
    }

    #[test]
    fn an_endless_stream_is_cut_at_the_bound() {
        // One endless line, and endless short lines: both stop at the bound, having read
        // no more than it.
        let mut endless = io::BufReader::new(io::repeat(b'x'));
        assert!(matches!(
            read_request(&mut endless),
            Err(ReadProblem::TooLong)
        ));
        let mut lines =
            io::BufReader::new(Endless(format!("path={}\n", "a".repeat(100)).into_bytes()));
        assert!(matches!(
            read_request(&mut lines),
            Err(ReadProblem::TooLong)
        ));
        let mut short = io::BufReader::new(Endless(b"path=a\n".to_vec()));
        assert!(matches!(
            read_request(&mut short),
            Err(ReadProblem::TooLong)
        ));
        // Exactly at the bound is still a request.
        let mut fits = "path=".to_string();
        fits.push_str(&"a".repeat(usize::try_from(MAX_INPUT_BYTES).unwrap() - fits.len() - 15));
        fits.push_str("\nprotocol=smtp\n");
        assert_eq!(fits.len() as u64, MAX_INPUT_BYTES);
        assert_eq!(read(&fits).unwrap().protocol.as_deref(), Some("smtp"));
        let over = format!("x{fits}");
        assert!(matches!(read(&over), Err(ReadProblem::TooLong)));
    }

    /// `line`, again and again, without end.
    struct Endless(Vec<u8>);

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0.rotate_left(n);
            Ok(n)
        }
    }

    #[test]
    fn too_many_lines_are_too_long() {
        let many = "path=a\n".repeat(MAX_LINES + 1);
        assert!(matches!(read(&many), Err(ReadProblem::TooLong)));
        let enough = format!("{}protocol=smtp\n", "path=a\n".repeat(MAX_LINES - 1));
        assert_eq!(read(&enough).unwrap().protocol.as_deref(), Some("smtp"));
    }

    #[test]
    fn only_smtp_to_a_saved_server_and_port_with_its_username_is_answered() {
        let accounts = accounts();
        let decide = |r: &Request| decide(r, &accounts);
        let john = Some("johnappleseed@icloud.com");
        assert_eq!(
            answered(&decide(&request("smtp", "smtp.mail.me.com:587", john))),
            john
        );
        assert_eq!(
            answered(&decide(&request("smtp", "SMTP.Mail.Me.com.:587", john))),
            john,
            "host names compare without case"
        );
        for (protocol, host, username) in [
            ("https", "smtp.mail.me.com:587", john),
            ("smtps", "smtp.mail.me.com:587", john),
            ("smtp", "smtp.mail.me.com:465", john),
            ("smtp", "smtp.mail.me.com", john),
            ("smtp", "smtp.mail.me.com.evil.example:587", john),
            ("smtp", "github.com", None),
            ("smtp", "smtp.mail.me.com:587x", john),
            (
                "smtp",
                "smtp.mail.me.com:587",
                Some("JohnAppleseed@icloud.com"),
            ),
            ("smtp", "smtp.mail.me.com:587", Some("")),
        ] {
            let decision = decide(&request(protocol, host, username));
            assert_eq!(
                answered(&decision),
                None,
                "{protocol} {host} {username:?}: {decision:?}"
            );
        }
        assert_eq!(
            decide(&Request {
                protocol: Some("smtp".into()),
                ..Request::default()
            }),
            Decision::Decline(Decline::NoHost)
        );
        assert_eq!(
            decide(&Request::default()),
            Decision::Decline(Decline::NotSmtp { protocol: None })
        );
    }

    #[test]
    fn two_accounts_on_one_server_need_the_username() {
        let accounts = accounts();
        assert_eq!(
            decide(&request("smtp", "smtp.mail.me.com:587", None), &accounts),
            Decision::Decline(Decline::Several {
                server: "smtp.mail.me.com:587".into()
            })
        );
        assert_eq!(
            answered(&decide(
                &request("smtp", "smtp.mail.me.com:587", Some("jane@icloud.com")),
                &accounts
            )),
            Some("jane@icloud.com")
        );
        // One account alone on its server needs no username.
        assert_eq!(
            answered(&decide(
                &request("smtp", "mail.example.org:465", None),
                &accounts[2..]
            )),
            Some("me@example.org")
        );
    }

    #[test]
    fn a_host_without_a_port_means_git_send_emails_default_port() {
        let accounts = accounts();
        // TLS from the first byte on 465: git send-email's default for ssl.
        assert_eq!(
            answered(&decide(
                &request("smtp", "mail.example.org", Some("me")),
                &accounts
            )),
            Some("me@example.org")
        );
        // STARTTLS on 587 is not git's default port (25) for tls.
        assert_eq!(
            answered(&decide(
                &request("smtp", "smtp.mail.me.com", Some("johnappleseed@icloud.com")),
                &accounts
            )),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn any_input_is_read_within_the_bound(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12_000)
        ) {
            let mut rest = bytes.as_slice();
            let _ = read_request(&mut rest);
            let consumed = bytes.len() - rest.len();
            proptest::prop_assert!(consumed as u64 <= MAX_INPUT_BYTES + 1);
        }

        #[test]
        fn only_a_saved_server_port_and_username_is_ever_answered(
            host in "(smtp\\.mail\\.me\\.com|SMTP\\.MAIL\\.ME\\.COM\\.|mail\\.example\\.org|\\PC{0,30})",
            port in proptest::prop_oneof![proptest::strategy::Just(587_u16), proptest::strategy::Just(465), proptest::prelude::any::<u16>()],
            username in "(johnappleseed@icloud\\.com|jane@icloud\\.com|me|\\PC{0,20})",
        ) {
            let accounts = accounts();
            let asked = request("smtp", &format!("{host}:{port}"), Some(&username));
            if let Decision::Answer(account) = decide(&asked, &accounts) {
                proptest::prop_assert!(same_host(&account.smtp.host, &host));
                proptest::prop_assert_eq!(account.smtp.port, port);
                proptest::prop_assert_eq!(&account.smtp.username, &username);
            }
        }
    }

    #[test]
    fn ipv6_servers_match_with_brackets() {
        let mut accounts = accounts();
        accounts[0].smtp.host = "::1".into();
        let john = Some("johnappleseed@icloud.com");
        assert_eq!(
            answered(&decide(&request("smtp", "[::1]:587", john), &accounts)),
            Some("johnappleseed@icloud.com")
        );
        assert_eq!(
            answered(&decide(&request("smtp", "[::1]:25", john), &accounts)),
            None
        );
        assert_eq!(split_host_port("::1"), Some(("::1", None)));
        assert_eq!(split_host_port("[::1"), None);
    }
}
