//! Where a server is and how to reach it within the time allowed.
//!
//! Every wait is bounded: name lookup runs on a helper thread that is abandoned when the
//! deadline passes (the system resolver cannot be cancelled); [`connect`] races the
//! addresses of the name as Happy Eyeballs v2 does (RFC 8305: IPv6 and IPv4 interleaved, a
//! new attempt every 250 ms while earlier ones are pending, the first to connect wins and
//! the others are closed), all by one deadline; and [`DeadlineStream`] re-arms the socket
//! timeout before every read and write, so no server behaviour (a byte a second) can
//! stretch a conversation past its deadline.
//!
//! This is the one way this program opens a connection to a mail server.

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::str::FromStr;
use std::sync::mpsc;
#[cfg(any(test, feature = "test-support"))]
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::mail::{Detail, FailureKind, ProbeFailure, Stage};

mod deadline_stream;
mod happy_eyeballs;

pub(crate) use deadline_stream::DeadlineStream;
pub(crate) use happy_eyeballs::{connect, race};

/// `HOST:PORT`, as given to `--imap-server` and `--smtp-server`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerAddress {
    pub(crate) host: String,
    pub(crate) port: u16,
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

/// Why a `HOST:PORT` text is not a server address; `messages` words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerAddressProblem {
    WithoutPort { input: String },
    BadPort { input: String },
    WithoutHost { input: String },
}

impl FromStr for ServerAddress {
    type Err = ServerAddressProblem;

    fn from_str(text: &str) -> Result<ServerAddress, ServerAddressProblem> {
        let input = || text.to_string();
        let (host, port) = text
            .rsplit_once(':')
            .ok_or_else(|| ServerAddressProblem::WithoutPort { input: input() })?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let port: u16 = port
            .parse()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| ServerAddressProblem::BadPort { input: input() })?;
        if host.is_empty() {
            return Err(ServerAddressProblem::WithoutHost { input: input() });
        }
        Ok(ServerAddress::new(host, port))
    }
}

/// The moment a connection attempt must be finished by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(timeout: Duration) -> Deadline {
        Deadline(Instant::now() + timeout)
    }

    /// Time left, or a timed-out error when none is.
    pub(crate) fn remaining(&self) -> io::Result<Duration> {
        let left = self.0.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"))
        } else {
            Ok(left)
        }
    }

    /// Whether the deadline has passed.
    pub(crate) fn passed(&self) -> bool {
        self.remaining().is_err()
    }

    /// The earlier of two deadlines.
    #[must_use]
    pub(crate) fn min(self, other: Deadline) -> Deadline {
        std::cmp::min(self, other)
    }
}

/// Names resolved by the tests' own table instead of the system resolver: the seam that
/// lets a test give a name a dead IPv6 address first and a working IPv4 address second
/// (on these machines `localhost` resolves to 127.0.0.1 only). Not in the product: only
/// the unit tests and the `test-support` feature have it.
#[cfg(any(test, feature = "test-support"))]
static TEST_HOSTS: Mutex<Vec<(String, Vec<IpAddr>)>> = Mutex::new(Vec::new());

/// Makes `name` resolve to `addresses`, in this order, for the rest of the process.
/// For tests only; pick a name no other test uses (e.g. under `.test`).
#[cfg(any(test, feature = "test-support"))]
pub fn resolve_for_tests(name: &str, addresses: Vec<IpAddr>) {
    let mut hosts = TEST_HOSTS.lock().unwrap_or_else(PoisonError::into_inner);
    hosts.retain(|(n, _)| n != name);
    hosts.push((name.to_ascii_lowercase(), addresses));
}

#[cfg(not(any(test, feature = "test-support")))]
fn test_host(_name: &str) -> Option<Vec<IpAddr>> {
    None
}

#[cfg(any(test, feature = "test-support"))]
fn test_host(name: &str) -> Option<Vec<IpAddr>> {
    let hosts = TEST_HOSTS.lock().unwrap_or_else(PoisonError::into_inner);
    let name = name.to_ascii_lowercase();
    hosts
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| a.clone())
}

/// Resolves the host name, giving up at the deadline.
pub(crate) fn resolve(
    server: &ServerAddress,
    deadline: Deadline,
) -> Result<Vec<SocketAddr>, ProbeFailure> {
    if let Some(addresses) = test_host(&server.host) {
        return Ok(addresses
            .into_iter()
            .map(|ip| SocketAddr::new(ip, server.port))
            .collect());
    }
    if let Ok(ip) = server.host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, server.port)]);
    }
    let (sender, receiver) = mpsc::channel();
    let target = (server.host.clone(), server.port);
    std::thread::spawn(move || {
        // The receiver may be gone if we gave up; nothing to do then.
        let _ = sender.send(target.to_socket_addrs().map(Vec::from_iter));
    });
    let wait = deadline
        .remaining()
        .map_err(|_| timed_out(Stage::NameLookup, Detail::LookupTimedOut))?;
    match receiver.recv_timeout(wait) {
        Ok(Ok(addresses)) if !addresses.is_empty() => Ok(dedup(addresses)),
        Ok(Ok(_)) => Err(ProbeFailure::new(
            Stage::NameLookup,
            FailureKind::Unresolvable,
            Detail::NoAddresses,
        )),
        Ok(Err(e)) => Err(ProbeFailure::new(
            Stage::NameLookup,
            FailureKind::Unresolvable,
            e.to_string(),
        )),
        Err(_) => Err(timed_out(Stage::NameLookup, Detail::LookupTimedOut)),
    }
}

fn dedup(addresses: Vec<SocketAddr>) -> Vec<SocketAddr> {
    let mut unique = Vec::with_capacity(addresses.len());
    for address in addresses {
        if !unique.contains(&address) {
            unique.push(address);
        }
    }
    unique
}

/// An I/O error in the middle of a conversation: a timeout, or the server went away.
pub(crate) fn conversation_failure(stage: Stage, error: &io::Error) -> ProbeFailure {
    if is_timeout(error) {
        return timed_out(stage, Detail::NoAnswerInTime);
    }
    if matches!(
        error.kind(),
        io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    ) {
        return ProbeFailure::new(stage, FailureKind::Dropped, Detail::ServerClosed);
    }
    ProbeFailure::new(stage, FailureKind::Dropped, error.to_string())
}

pub(crate) fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

pub(crate) fn timed_out(stage: Stage, detail: Detail) -> ProbeFailure {
    ProbeFailure::new(stage, FailureKind::TimedOut, detail)
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
        assert!(matches!(
            "imap.mail.me.com".parse::<ServerAddress>(),
            Err(ServerAddressProblem::WithoutPort { .. })
        ));
        assert!(matches!(
            ":993".parse::<ServerAddress>(),
            Err(ServerAddressProblem::WithoutHost { .. })
        ));
        for bad in ["host:0", "host:99999", "host:x"] {
            assert!(
                matches!(
                    bad.parse::<ServerAddress>(),
                    Err(ServerAddressProblem::BadPort { .. })
                ),
                "{bad}"
            );
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
    fn the_test_table_resolves_in_its_order() {
        resolve_for_tests(
            "two-families.endpoint.test",
            vec!["::1".parse().unwrap(), "127.0.0.1".parse().unwrap()],
        );
        let addresses = resolve(
            &ServerAddress::new("two-families.endpoint.test", 7),
            Deadline::after(Duration::from_secs(1)),
        )
        .unwrap();
        assert_eq!(
            addresses,
            [
                "[::1]:7".parse::<SocketAddr>().unwrap(),
                "127.0.0.1:7".parse().unwrap()
            ]
        );
    }
}
