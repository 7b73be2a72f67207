//! One conversation with a server, bounded: every line and every response has a size cap,
//! every read and write ends by one deadline, and everything the server says is masked
//! against the secret in every spelling before anyone keeps it.
//!
//! Used by both probes, before and after TLS: the plain-text SMTP stage before STARTTLS is
//! where anyone on the path can talk to us, so it gets the same bounds as the rest.

use std::io::{self, Read, Write};
use std::net::SocketAddr;

use crate::domain::AppPassword;
use crate::mail::endpoint::{self, Deadline, DeadlineStream};
use crate::mail::mask::Masker;
use crate::mail::tls::classify_handshake;
use crate::mail::tls_backend::{Connector, Handshake, TlsStream};
use crate::mail::{ConnectAttempt, Detail, FailureKind, ProbeFailure, Stage, TranscriptLine};

/// Longest line we accept. Greetings, replies and capability lists are a few hundred
/// bytes (RFC 5321 allows 512 for an SMTP reply line).
pub const MAX_LINE: usize = 16 * 1024;

/// Most bytes one response may take (an SMTP multi-line reply; an IMAP tagged reply with
/// the untagged lines before it).
pub const MAX_RESPONSE: usize = 64 * 1024;

/// Most lines a transcript keeps of one connection; past it, lines are counted, not kept.
const MAX_TRANSCRIPT: usize = 200;

enum Link {
    Plain(DeadlineStream),
    Tls(Box<TlsStream<DeadlineStream>>),
}

impl Link {
    fn stream(&self) -> &DeadlineStream {
        match self {
            Link::Plain(stream) => stream,
            Link::Tls(tls) => tls.get_ref(),
        }
    }

    fn stream_mut(&mut self) -> &mut DeadlineStream {
        match self {
            Link::Plain(stream) => stream,
            Link::Tls(tls) => tls.get_mut(),
        }
    }
}

impl Read for Link {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Link::Plain(stream) => stream.read(buf),
            Link::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Link {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Link::Plain(stream) => stream.write(buf),
            Link::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Link::Plain(stream) => stream.flush(),
            Link::Tls(tls) => tls.flush(),
        }
    }
}

/// Standard base64 with padding (RFC 4648), for SASL and the send test's message.
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The transcript lines for a connection race.
pub(crate) fn attempt_lines(
    attempts: &[ConnectAttempt],
) -> impl Iterator<Item = TranscriptLine> + '_ {
    attempts.iter().cloned().map(TranscriptLine::Attempt)
}

/// A bounded conversation on one connection.
pub struct Wire {
    link: Option<Link>,
    deadline: Deadline,
    /// Bytes received and not yet returned as a line.
    buffer: Vec<u8>,
    /// Bytes of the current response so far.
    response: usize,
    /// The secret in every spelling, masked in what the server says.
    masker: Masker,
    /// The conversation so far (masked).
    pub(crate) transcript: Vec<TranscriptLine>,
    dropped_lines: usize,
}

impl Wire {
    /// Races the addresses (Happy Eyeballs) and starts a plain-text conversation on the
    /// winner. The attempts go to `transcript` either way.
    pub fn open(
        addresses: &[SocketAddr],
        deadline: Deadline,
        transcript: &mut Vec<TranscriptLine>,
    ) -> Result<Wire, ProbeFailure> {
        match endpoint::race(addresses, deadline) {
            Ok(connected) => {
                transcript.extend(attempt_lines(&connected.attempts));
                Ok(Wire {
                    link: Some(Link::Plain(DeadlineStream::new(connected.stream, deadline))),
                    deadline,
                    buffer: Vec::new(),
                    response: 0,
                    masker: Masker::default(),
                    transcript: Vec::new(),
                    dropped_lines: 0,
                })
            }
            Err(failure) => {
                if let Detail::ConnectFailed { attempts } = &failure.detail {
                    transcript.extend(attempt_lines(attempts));
                }
                Err(failure)
            }
        }
    }

    /// From now on, every spelling of this secret is masked in what the server says
    /// (`mail::mask`). The username is not needed: base64 of the SASL string is masked at
    /// every offset, whatever comes before the password.
    pub(crate) fn mask_secret(&mut self, _username: &str, password: &AppPassword) {
        self.masker = Masker::for_secret(password);
    }

    /// Moves the deadline of every further read and write.
    pub(crate) fn set_deadline(&mut self, deadline: Deadline) {
        self.deadline = deadline;
        if let Some(link) = &mut self.link {
            link.stream_mut().set_deadline(deadline);
        }
    }

    pub(crate) fn is_encrypted(&self) -> bool {
        matches!(self.link, Some(Link::Tls(_)))
    }

    /// Whether the server hung up or said something while the connection sat unused.
    pub(crate) fn is_stale(&self) -> bool {
        !self.buffer.is_empty() || self.link.as_ref().is_none_or(|l| l.stream().is_stale())
    }

    fn record(&mut self, line: TranscriptLine) {
        if self.transcript.len() < MAX_TRANSCRIPT {
            self.transcript.push(line);
        } else {
            self.dropped_lines += 1;
        }
    }

    /// Starts a new response: its size is counted from here.
    pub fn begin_response(&mut self) {
        self.response = 0;
    }

    /// One line, without its line end, masked. Fails on a line or response over the caps,
    /// at the deadline, and when the server closes the connection.
    pub(crate) fn read_line(&mut self, stage: Stage) -> Result<String, ProbeFailure> {
        loop {
            if let Some(end) = self.buffer.iter().position(|&b| b == b'\n') {
                let raw: Vec<u8> = self.buffer.drain(..=end).collect();
                self.response += raw.len();
                if self.response > MAX_RESPONSE {
                    return Err(too_long(
                        stage,
                        Detail::ResponseTooLong {
                            limit: MAX_RESPONSE,
                        },
                    ));
                }
                let text = String::from_utf8_lossy(&raw);
                let line = self.masker.mask(text.trim_end_matches(['\r', '\n']));
                self.record(TranscriptLine::Server(line.clone()));
                return Ok(line);
            }
            if self.buffer.len() >= MAX_LINE {
                return Err(too_long(stage, Detail::LineTooLong { limit: MAX_LINE }));
            }
            if self.response + self.buffer.len() > MAX_RESPONSE {
                return Err(too_long(
                    stage,
                    Detail::ResponseTooLong {
                        limit: MAX_RESPONSE,
                    },
                ));
            }
            let mut chunk = [0u8; 4096];
            let room = (MAX_LINE - self.buffer.len()).min(chunk.len());
            let read = self.read_some(&mut chunk[..room], stage)?;
            self.buffer.extend_from_slice(&chunk[..read]);
        }
    }

    /// Reads `length` bytes (an IMAP `{n}` literal) and returns them, raw: they are data,
    /// not lines, and are not put in the transcript. They count towards the response's
    /// cap, so a literal larger than the cap fails at once, before anything is read.
    pub(crate) fn read_bytes(
        &mut self,
        length: usize,
        stage: Stage,
    ) -> Result<Vec<u8>, ProbeFailure> {
        self.response = self.response.saturating_add(length);
        if self.response > MAX_RESPONSE {
            return Err(too_long(
                stage,
                Detail::ResponseTooLong {
                    limit: MAX_RESPONSE,
                },
            ));
        }
        let buffered = length.min(self.buffer.len());
        let mut bytes: Vec<u8> = self.buffer.drain(..buffered).collect();
        while bytes.len() < length {
            let mut chunk = [0u8; 4096];
            let room = (length - bytes.len()).min(chunk.len());
            let read = self.read_some(&mut chunk[..room], stage)?;
            bytes.extend_from_slice(&chunk[..read]);
        }
        Ok(bytes)
    }

    /// One read by the deadline; the server closing the connection is a failure.
    fn read_some(&mut self, chunk: &mut [u8], stage: Stage) -> Result<usize, ProbeFailure> {
        let deadline = self.deadline;
        let link = self.link.as_mut().ok_or_else(|| closed(stage))?;
        let read = link.read(chunk).map_err(|error| {
            if deadline.passed() {
                endpoint::timed_out(stage, Detail::NoAnswerInTime)
            } else {
                endpoint::conversation_failure(stage, &error)
            }
        })?;
        if read == 0 {
            return Err(closed(stage));
        }
        Ok(read)
    }

    /// Sends `line` and CRLF; the transcript shows `shown` instead (the secret masked).
    pub(crate) fn send(
        &mut self,
        line: &str,
        shown: &str,
        stage: Stage,
    ) -> Result<(), ProbeFailure> {
        self.record(TranscriptLine::Client(shown.to_string()));
        // The line may carry the password: its copy with the line end is wiped after use.
        let bytes = zeroize::Zeroizing::new(format!("{line}\r\n"));
        self.write(bytes.as_bytes(), stage)
    }

    /// Sends `text` as it is, in one write (lines ending in CRLF: a message after SMTP
    /// `DATA`); the transcript shows each line. Nothing secret may be in it.
    pub(crate) fn send_text(&mut self, text: &str, stage: Stage) -> Result<(), ProbeFailure> {
        for line in text.lines() {
            self.record(TranscriptLine::Client(line.to_string()));
        }
        self.write(text.as_bytes(), stage)
    }

    fn write(&mut self, bytes: &[u8], stage: Stage) -> Result<(), ProbeFailure> {
        let deadline = self.deadline;
        let stream = self.link.as_mut().ok_or_else(|| closed(stage))?;
        stream
            .write_all(bytes)
            .and_then(|()| stream.flush())
            .map_err(|error| {
                if deadline.passed() {
                    endpoint::timed_out(stage, Detail::NoAnswerInTime)
                } else {
                    endpoint::conversation_failure(stage, &error)
                }
            })
    }

    /// The TLS handshake, verifying the certificate for `host`. Anything the server sent
    /// before it (in plain text, after a STARTTLS go-ahead) is refused, not carried into
    /// the encrypted session.
    pub(crate) fn start_tls(
        &mut self,
        connector: &Connector,
        host: &str,
        stage: Stage,
    ) -> Result<(), ProbeFailure> {
        if !self.buffer.is_empty() {
            return Err(ProbeFailure::new(
                stage,
                FailureKind::Protocol,
                Detail::DataBeforeTls,
            ));
        }
        let stream = match self.link.take() {
            Some(Link::Plain(stream)) => stream,
            other => {
                self.link = other;
                return Ok(());
            }
        };
        match connector.connect(host, stream) {
            Ok(tls) => {
                self.link = Some(Link::Tls(Box::new(tls)));
                self.record(TranscriptLine::TlsEstablished(host.to_string()));
                Ok(())
            }
            Err(Handshake::WouldBlock) => Err(endpoint::timed_out(stage, Detail::NoAnswerInTime)),
            Err(Handshake::Failed { words, certificate }) => {
                if self.deadline.passed() {
                    return Err(endpoint::timed_out(stage, Detail::NoAnswerInTime));
                }
                Err(ProbeFailure::new(
                    stage,
                    classify_handshake(&words, certificate),
                    words,
                ))
            }
        }
    }

    /// Sends a goodbye (`LOGOUT`, `QUIT`) without waiting for the answer, and closes: the
    /// verdict is already in.
    pub(crate) fn close_with(mut self, goodbye: &str) {
        self.set_deadline(self.deadline.min(Deadline::after(GOODBYE_BOUND)));
        if let Some(link) = &mut self.link {
            let _ = link
                .write_all(format!("{goodbye}\r\n").as_bytes())
                .and_then(|()| link.flush());
        }
        self.close();
    }

    /// Closes at once.
    pub fn close(self) {
        if let Some(link) = &self.link {
            link.stream().close();
        }
    }
}

/// How long sending a goodbye may take; its answer is not awaited at all.
const GOODBYE_BOUND: std::time::Duration = std::time::Duration::from_millis(200);

fn closed(stage: Stage) -> ProbeFailure {
    ProbeFailure::new(stage, FailureKind::Dropped, Detail::ServerClosed)
}

fn too_long(stage: Stage, detail: Detail) -> ProbeFailure {
    ProbeFailure::new(stage, FailureKind::Protocol, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
