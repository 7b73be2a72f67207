//! The IMAP live test: TLS from the first byte, the greeting, `LOGIN`, then the account's
//! folders (`LIST`, [`imap_list`]) on the same connection, `LOGOUT`.
//!
//! The exchange is written here rather than taken from the `imap` crate. That crate keeps
//! the response code of a tagged `NO` only inside its text (`No("[AUTHENTICATIONFAILED] …")`),
//! which could be parsed again; what it cannot give is the rest: a `BYE` (a server closing
//! the session with its reason, e.g. `[UNAVAILABLE]`) comes back as a lost connection, so an
//! outage (exit 75) would read as a network fault with the server's words gone, and its debug
//! mode prints the `LOGIN` command with the password in it, so a `--verbose` transcript
//! could not come from it. `LOGIN` is used, not `AUTHENTICATE PLAIN`, because iCloud has
//! rejected the latter where `LOGIN` worked (docs/ICLOUD.md).
//!
//! After a credentials rejection iCloud closes the connection, so the next username of
//! the ladder gets a new TLS connection, within the same deadline. `LOGOUT` is sent after a
//! successful login and the folder list, but its answer is not awaited. Every read is bounded ([`Wire`]).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::domain::{AppPassword, LoginLadder, secret_line, secret_quoted};
use crate::mail::endpoint::{self, Deadline, ServerAddress};
use crate::mail::imap_list;
use crate::mail::imap_reader::{
    self, CodeMeaning, Tagged, bye_failure, code_meaning, needs_literal, parse_tagged, quoted,
};
use crate::mail::mask::Masker;
use crate::mail::pending::{Pending, Stale};
use crate::mail::tls::TrustAnchors;
use crate::mail::wire::Wire;
use crate::mail::{
    Detail, FailureKind, MASK, ProbeFailure, ProbeReport, Protocol, Stage, TranscriptLine,
};

/// A connection opened ahead of the login: TLS up, greeting read, nothing sent.
pub(crate) struct Ready {
    wire: Wire,
    addresses: Vec<SocketAddr>,
}

impl Ready {
    /// The conversation, for commands after the login (`--send-test`).
    pub(crate) fn into_wire(self) -> Wire {
        self.wire
    }
}

impl Stale for Ready {
    fn is_stale(&self) -> bool {
        self.wire.is_stale()
    }
}

/// Name lookup, connect, TLS and greeting, by `deadline`. Sends nothing.
pub(crate) fn open(
    server: &ServerAddress,
    anchors: &TrustAnchors,
    deadline: Deadline,
    transcript: &mut Vec<TranscriptLine>,
) -> Result<Ready, ProbeFailure> {
    let addresses = endpoint::resolve(server, deadline)?;
    let wire = open_on(&addresses, server, anchors, deadline, transcript)?;
    Ok(Ready { wire, addresses })
}

/// Connect, TLS and greeting on already resolved addresses.
fn open_on(
    addresses: &[SocketAddr],
    server: &ServerAddress,
    anchors: &TrustAnchors,
    deadline: Deadline,
    transcript: &mut Vec<TranscriptLine>,
) -> Result<Wire, ProbeFailure> {
    let mut wire = Wire::open(addresses, deadline, transcript)?;
    let result = anchors.shared_connector().and_then(|connector| {
        wire.start_tls(&connector, &server.host, Stage::Tls)?;
        wire.begin_response();
        let greeting = wire.read_line(Stage::Greeting)?;
        check_greeting(&greeting)
    });
    transcript.append(&mut wire.transcript);
    result.map(|()| wire)
}

/// Tries each username of the ladder in turn, each on its own connection, all by one
/// deadline, moving on only when the server rejected the credentials. Uses the connection
/// opened ahead of time by `pre`, if any, for the first username. `on_verdict` gets the
/// report as soon as the sign-in is decided: after a successful login that is before the
/// folder list is read, so a caller can show the ✓ while the list is still coming.
pub(crate) fn probe(
    server: &ServerAddress,
    ladder: &LoginLadder,
    password: &AppPassword,
    anchors: &TrustAnchors,
    timeout: Duration,
    pre: Option<Pending<Ready>>,
    on_verdict: &mut dyn FnMut(&ProbeReport),
) -> ProbeReport {
    let mut announced = false;
    let masker = Masker::for_secret(password);
    let mut report = sign_in_and_list(
        server,
        ladder,
        password,
        anchors,
        timeout,
        pre,
        &mut |report| {
            announced = true;
            on_verdict(report);
        },
    );
    // On every path, the early returns included: the greeting was read before the secret
    // was known, and a server that learned it on an earlier connection could echo it there.
    masker.mask_report(&mut report);
    if !announced {
        on_verdict(&report);
    }
    report
}

/// [`probe`], calling `on_signed_in` only after a successful login.
fn sign_in_and_list(
    server: &ServerAddress,
    ladder: &LoginLadder,
    password: &AppPassword,
    anchors: &TrustAnchors,
    timeout: Duration,
    pre: Option<Pending<Ready>>,
    on_signed_in: &mut dyn FnMut(&ProbeReport),
) -> ProbeReport {
    anchors.prepare();
    let started = Instant::now();
    let deadline = Deadline::after(timeout);
    let mut report = ProbeReport {
        protocol: Protocol::Imap,
        server: server.clone(),
        usernames_tried: Vec::new(),
        outcome: Err(ProbeFailure::new(
            Stage::Login,
            FailureKind::Protocol,
            Detail::LoginRefused,
        )),
        transcript: Vec::new(),
        folders: None,
    };
    let transcript = &mut report.transcript;
    let first = match pre.and_then(|pre| pre.take(started, deadline, transcript)) {
        Some(result) => result,
        None => open(server, anchors, deadline, transcript),
    };
    let (mut next_wire, addresses) = match first {
        Ok(ready) => (Some(ready.wire), ready.addresses),
        Err(failure) => {
            report.outcome = Err(failure);
            return report;
        }
    };
    let rungs = ladder.usernames();
    for (index, username) in rungs.iter().enumerate() {
        let wire = match next_wire.take() {
            Some(wire) => Ok(wire),
            None => open_on(
                &addresses,
                server,
                anchors,
                deadline,
                &mut report.transcript,
            ),
        };
        let mut wire = match wire {
            Ok(wire) => wire,
            Err(failure) => {
                report.outcome = Err(failure);
                break;
            }
        };
        wire.set_deadline(deadline);
        wire.mask_secret(username, password);
        report.usernames_tried.push(username.clone());
        let result = login(&mut wire, username, password);
        report.transcript.append(&mut wire.transcript);
        match result {
            Ok(()) => {
                report.outcome = Ok(username.clone());
                Masker::for_secret(password).mask_transcript(&mut report.transcript);
                on_signed_in(&report);
                // The verdict is in. The folders are a bonus on the same connection: a
                // list given up leaves the sign-in as it was.
                wire.set_deadline(deadline.min(Deadline::after(imap_list::LIST_BUDGET)));
                let listed = imap_list::list(&mut wire);
                report.transcript.append(&mut wire.transcript);
                if let Ok(folders) = listed {
                    report.folders = Some(folders);
                    // Goodbye without waiting for the answer.
                    report
                        .transcript
                        .push(TranscriptLine::Client("a3 LOGOUT".into()));
                    wire.close_with("a3 LOGOUT");
                } else {
                    report.transcript.push(TranscriptLine::FolderListGivenUp);
                    wire.close();
                }
                break;
            }
            Err(failure) => {
                wire.close();
                let try_next =
                    failure.kind == FailureKind::BadCredentials && index + 1 < rungs.len();
                report.outcome = Err(failure);
                if !try_next {
                    break;
                }
            }
        }
    }
    report
}

/// `LOGIN` (tag `a1`) on an opened connection, the reply classified as the live test does.
pub(crate) fn login(
    wire: &mut Wire,
    username: &str,
    password: &AppPassword,
) -> Result<(), ProbeFailure> {
    wire.begin_response();
    send_login(wire, username, password)?;
    let response = imap_reader::read_response(wire, "a1", Stage::Login)?;
    interpret_login_reply(&response.tagged)
}

fn send_login(wire: &mut Wire, username: &str, password: &AppPassword) -> Result<(), ProbeFailure> {
    let user = Argument::new(username);
    let pass = Argument::new(password.expose());
    if user.is_literal() || pass.is_literal() {
        return send_login_with_literals(wire, user, pass, username);
    }
    // Both strings that hold the password are built at their final size (no reallocation
    // leaves a copy behind) and wiped when dropped.
    let quoted = secret_quoted(pass.0);
    let user_quoted = user.quoted();
    let line = secret_line(&["a1 LOGIN ", &user_quoted, " ", &quoted]);
    let shown = format!("a1 LOGIN {user_quoted} {MASK}");
    wire.send(&line, &shown, Stage::Login)
}

/// Non-ASCII text cannot go in a quoted string; it is sent as `{n}` literals, each
/// after the server's `+` go-ahead.
fn send_login_with_literals(
    wire: &mut Wire,
    user: Argument<'_>,
    pass: Argument<'_>,
    username: &str,
) -> Result<(), ProbeFailure> {
    // What is pending holds the password at times: wiped when replaced and when dropped.
    let mut pending = Zeroizing::new(String::from("a1 LOGIN "));
    let mut shown = String::from("a1 LOGIN ");
    for (argument, is_secret) in [(user, false), (pass, true)] {
        if argument.is_literal() {
            pending.push_str(&format!("{{{}}}", argument.0.len()));
            shown.push_str(&format!("{{{}}}", argument.0.len()));
            wire.send(&pending, &shown, Stage::Login)?;
            let go_ahead = wire.read_line(Stage::Login)?;
            if !go_ahead.starts_with('+') {
                return Err(match parse_tagged(&go_ahead, "a1") {
                    Some(tagged) => interpret_login_reply(&tagged).err().unwrap_or_else(|| {
                        // `OK` before the password was sent is not a login.
                        ProbeFailure::new(Stage::Login, FailureKind::Protocol, Detail::LoginRefused)
                            .with_server_said(go_ahead.clone())
                    }),
                    None => ProbeFailure::new(
                        Stage::Login,
                        FailureKind::Protocol,
                        Detail::MalformedReply,
                    )
                    .with_server_said(go_ahead),
                });
            }
            pending = Zeroizing::new(argument.0.to_string());
            shown = if is_secret {
                MASK.into()
            } else {
                username.into()
            };
        } else {
            let text = if is_secret {
                MASK.to_string()
            } else {
                argument.quoted()
            };
            pending.push_str(&if is_secret {
                secret_quoted(argument.0)
            } else {
                Zeroizing::new(argument.quoted())
            });
            shown.push_str(&text);
        }
        pending.push(' ');
        shown.push(' ');
    }
    wire.send(pending.trim_end(), shown.trim_end(), Stage::Login)
}

/// `* OK` means go ahead; `* BYE` means the server will not talk to us now.
fn check_greeting(line: &str) -> Result<(), ProbeFailure> {
    if line.starts_with("* OK") {
        Ok(())
    } else if imap_reader::is_bye(line) {
        Err(bye_failure(Stage::Greeting, line))
    } else {
        Err(ProbeFailure::new(
            Stage::Greeting,
            FailureKind::Protocol,
            Detail::NotImapGreeting,
        )
        .with_server_said(line))
    }
}

/// Turns the tagged reply to `LOGIN` into a verdict, by its response code (one list for
/// every reader, [`code_meaning`]); a `NO` that names no cause is iCloud refusing the
/// credentials (docs/ICLOUD.md), a `BAD` that names none is a protocol failure.
fn interpret_login_reply(reply: &Tagged) -> Result<(), ProbeFailure> {
    if reply.is_ok() {
        return Ok(());
    }
    let kind = match code_meaning(reply.code().as_deref()) {
        CodeMeaning::Temporary => FailureKind::Unavailable,
        CodeMeaning::Credentials => FailureKind::BadCredentials,
        CodeMeaning::Protocol => FailureKind::Protocol,
        CodeMeaning::Unknown if reply.is_no() => FailureKind::BadCredentials,
        CodeMeaning::Unknown => FailureKind::Protocol,
    };
    Err(ProbeFailure::new(Stage::Login, kind, Detail::LoginRefused).with_server_said(reply.said()))
}

/// One LOGIN argument: a quoted string when it is printable ASCII, a literal otherwise.
struct Argument<'a>(&'a str);

impl<'a> Argument<'a> {
    fn new(text: &'a str) -> Argument<'a> {
        Argument(text)
    }

    fn is_literal(&self) -> bool {
        needs_literal(self.0)
    }

    fn quoted(&self) -> String {
        quoted(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_replies_are_classified_by_their_response_code() {
        let cases = [
            (
                "NO [AUTHENTICATIONFAILED] Authentication failed.",
                FailureKind::BadCredentials,
            ),
            ("NO Login failed", FailureKind::BadCredentials),
            (
                "BAD [UNAVAILABLE] Service temporarily unavailable",
                FailureKind::Unavailable,
            ),
            ("NO [UNAVAILABLE] Try later", FailureKind::Unavailable),
            ("BAD Error in IMAP command", FailureKind::Protocol),
        ];
        for (reply, kind) in cases {
            let failure = interpret_login_reply(&tagged(reply)).unwrap_err();
            assert_eq!(failure.kind, kind, "{reply}");
            assert_eq!(failure.server_said.as_deref(), Some(reply));
        }
        assert!(interpret_login_reply(&tagged("OK [CAPABILITY IMAP4rev1] Logged in")).is_ok());
    }

    fn tagged(reply: &str) -> Tagged {
        parse_tagged(&format!("a1 {reply}"), "a1").unwrap()
    }

    /// The list of refusal codes decides the exit code: once, every `NO`
    /// was a wrong password and every `BAD` a protocol failure, whatever the code said.
    #[test]
    fn each_refusal_code_decides_its_own_kind() {
        let cases = [
            (
                "NO [AUTHORIZATIONFAILED] not allowed",
                FailureKind::BadCredentials,
            ),
            ("NO [EXPIRED] password expired", FailureKind::BadCredentials),
            (
                "BAD [AUTHENTICATIONFAILED] bad",
                FailureKind::BadCredentials,
            ),
            ("NO [PRIVACYREQUIRED] use TLS", FailureKind::Protocol),
            ("NO [CLIENTBUG] confused", FailureKind::Protocol),
            ("NO [INUSE] busy", FailureKind::Unavailable),
            ("NO [LIMIT] too many", FailureKind::Unavailable),
            ("NO [ALERT] Login failed", FailureKind::BadCredentials),
            ("no [unavailable] later", FailureKind::Unavailable),
        ];
        for (reply, kind) in cases {
            let failure = interpret_login_reply(&tagged(reply)).unwrap_err();
            assert_eq!(failure.kind, kind, "{reply}");
            assert_eq!(failure.kind.exit_code(), kind.exit_code(), "{reply}");
        }
    }

    #[test]
    fn greetings_are_checked() {
        assert!(check_greeting("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready").is_ok());
        assert_eq!(
            check_greeting("* BYE [UNAVAILABLE] go away")
                .unwrap_err()
                .kind,
            FailureKind::Unavailable
        );
        assert_eq!(
            check_greeting("220 smtp ready").unwrap_err().kind,
            FailureKind::Protocol
        );
    }

    #[test]
    fn quoted_strings_escape_quotes_and_backslashes() {
        assert_eq!(Argument::new(r#"a"b\c"#).quoted(), r#""a\"b\\c""#);
        assert!(!Argument::new("abcd-efgh-ijkl-mnop").is_literal());
        assert!(Argument::new("pässword").is_literal());
    }
}
