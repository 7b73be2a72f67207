//! Where a server is and how to reach it within the time allowed.
//!
//! Every wait is bounded: name lookup runs on a helper thread that is abandoned when the
//! deadline passes (the system resolver cannot be cancelled), connects use
//! `connect_timeout`, and [`DeadlineStream`] re-arms the socket timeout before every read
//! and write so one slow server cannot stretch a probe past its deadline.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::str::FromStr;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::mail::{FailureKind, ProbeFailure, Stage};

/// `HOST:PORT`, as given to `--imap-server` and `--smtp-server`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerAddress {
    pub host: String,
    pub port: u16,
}

impl ServerAddress {
    pub fn new(host: &str, port: u16) -> ServerAddress {
        ServerAddress {
            host: host.to_string(),
            port,
        }
    }
}

impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl FromStr for ServerAddress {
    type Err = String;

    fn from_str(text: &str) -> Result<ServerAddress, String> {
        let (host, port) = text
            .rsplit_once(':')
            .ok_or_else(|| crate::messages::server_address_without_port(text))?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let port: u16 = port
            .parse()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| crate::messages::server_address_bad_port(text))?;
        if host.is_empty() {
            return Err(crate::messages::server_address_without_host(text));
        }
        Ok(ServerAddress::new(host, port))
    }
}

/// The moment a connection attempt must be finished by.
#[derive(Clone, Copy, Debug)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(timeout: Duration) -> Deadline {
        Deadline(Instant::now() + timeout)
    }

    /// Time left, or a timed-out error when none is.
    pub fn remaining(&self) -> io::Result<Duration> {
        let left = self.0.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"))
        } else {
            Ok(left)
        }
    }
}

/// Resolves the host name, giving up at the deadline.
pub fn resolve(
    server: &ServerAddress,
    deadline: Deadline,
) -> Result<Vec<SocketAddr>, ProbeFailure> {
    let (sender, receiver) = mpsc::channel();
    let target = (server.host.clone(), server.port);
    std::thread::spawn(move || {
        // The receiver may be gone if we gave up; nothing to do then.
        let _ = sender.send(target.to_socket_addrs().map(Vec::from_iter));
    });
    let wait = deadline
        .remaining()
        .map_err(|e| timed_out(Stage::NameLookup, e))?;
    match receiver.recv_timeout(wait) {
        Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
        Ok(Ok(_)) => Err(ProbeFailure::new(
            Stage::NameLookup,
            FailureKind::Unresolvable,
            "no addresses",
        )),
        Ok(Err(e)) => Err(ProbeFailure::new(
            Stage::NameLookup,
            FailureKind::Unresolvable,
            e.to_string(),
        )),
        Err(_) => Err(ProbeFailure::new(
            Stage::NameLookup,
            FailureKind::TimedOut,
            "name lookup timed out",
        )),
    }
}

/// Connects to the first address that answers, trying each in turn (a name like
/// `localhost` may resolve to ::1 first while the server listens on 127.0.0.1 only).
pub fn connect(addresses: &[SocketAddr], deadline: Deadline) -> Result<TcpStream, ProbeFailure> {
    let mut last_error = None;
    for address in addresses {
        let wait = deadline
            .remaining()
            .map_err(|e| timed_out(Stage::Connect, e))?;
        match TcpStream::connect_timeout(address, wait) {
            Ok(stream) => {
                // Sent in one piece: the login command must not wait for Nagle.
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last_error = Some(e),
        }
    }
    let error = last_error.unwrap_or_else(|| io::Error::other("no addresses"));
    Err(connect_failure(&error))
}

/// Classifies a failed connect.
pub fn connect_failure(error: &io::Error) -> ProbeFailure {
    let kind = match error.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => FailureKind::TimedOut,
        _ => FailureKind::Unreachable,
    };
    ProbeFailure::new(Stage::Connect, kind, error.to_string())
}

/// An I/O error in the middle of a conversation: a timeout, or the server went away.
pub fn conversation_failure(stage: Stage, error: &io::Error) -> ProbeFailure {
    if is_timeout(error) {
        return timed_out(stage, error);
    }
    ProbeFailure::new(stage, FailureKind::Dropped, error.to_string())
}

pub fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

fn timed_out(stage: Stage, error: impl fmt::Display) -> ProbeFailure {
    ProbeFailure::new(stage, FailureKind::TimedOut, error.to_string())
}

/// A TCP stream whose every read and write ends by the deadline.
#[derive(Debug)]
pub struct DeadlineStream {
    inner: TcpStream,
    deadline: Deadline,
}

impl DeadlineStream {
    pub fn new(inner: TcpStream, deadline: Deadline) -> DeadlineStream {
        DeadlineStream { inner, deadline }
    }
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner
            .set_read_timeout(Some(self.deadline.remaining()?))?;
        self.inner.read(buf)
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner
            .set_write_timeout(Some(self.deadline.remaining()?))?;
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_parse() {
        assert_eq!(
            "imap.mail.me.com:993".parse::<ServerAddress>().unwrap(),
            ServerAddress::new("imap.mail.me.com", 993)
        );
        assert_eq!(
            "[::1]:1143".parse::<ServerAddress>().unwrap(),
            ServerAddress::new("::1", 1143)
        );
        for bad in ["imap.mail.me.com", "host:0", "host:99999", ":993", "host:x"] {
            assert!(bad.parse::<ServerAddress>().is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unresolvable_name_is_a_name_lookup_failure() {
        let failure = resolve(
            &ServerAddress::new("nonexistent.invalid", 993),
            Deadline::after(Duration::from_secs(5)),
        )
        .unwrap_err();
        assert_eq!(failure.stage, Stage::NameLookup);
        assert!(matches!(
            failure.kind,
            FailureKind::Unresolvable | FailureKind::TimedOut
        ));
    }

    #[test]
    fn a_refused_connection_is_unreachable() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let failure = connect(&[address], Deadline::after(Duration::from_secs(5))).unwrap_err();
        assert_eq!(
            (failure.stage, failure.kind),
            (Stage::Connect, FailureKind::Unreachable)
        );
    }
}
