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
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::str::FromStr;
use std::sync::{Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use crate::mail::{AttemptOutcome, ConnectAttempt, Detail, FailureKind, ProbeFailure, Stage};

/// The pause between starting one connection attempt and the next (RFC 8305's
/// recommended "Connection Attempt Delay").
pub const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

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
    pub fn remaining(&self) -> io::Result<Duration> {
        let left = self.0.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"))
        } else {
            Ok(left)
        }
    }

    /// Whether the deadline has passed.
    pub fn passed(&self) -> bool {
        self.remaining().is_err()
    }

    /// The earlier of two deadlines.
    #[must_use]
    pub fn min(self, other: Deadline) -> Deadline {
        std::cmp::min(self, other)
    }
}

/// Names resolved by the tests' own table instead of the system resolver: the seam that
/// lets a test give a name a dead IPv6 address first and a working IPv4 address second
/// (on these machines `localhost` resolves to 127.0.0.1 only). Empty in the product.
static TEST_HOSTS: Mutex<Vec<(String, Vec<IpAddr>)>> = Mutex::new(Vec::new());

/// Makes `name` resolve to `addresses`, in this order, for the rest of the process.
/// For tests only; pick a name no other test uses (e.g. under `.test`).
pub fn resolve_for_tests(name: &str, addresses: Vec<IpAddr>) {
    let mut hosts = TEST_HOSTS.lock().unwrap_or_else(PoisonError::into_inner);
    hosts.retain(|(n, _)| n != name);
    hosts.push((name.to_ascii_lowercase(), addresses));
}

fn test_host(name: &str) -> Option<Vec<IpAddr>> {
    let hosts = TEST_HOSTS.lock().unwrap_or_else(PoisonError::into_inner);
    let name = name.to_ascii_lowercase();
    hosts
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| a.clone())
}

/// Resolves the host name, giving up at the deadline.
pub fn resolve(
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

/// A connected socket and the race that produced it.
#[derive(Debug)]
pub struct Connected {
    pub stream: TcpStream,
    /// Every attempt started, in order, with how it ended (for `--verbose`).
    pub attempts: Vec<ConnectAttempt>,
}

/// Connects to the first address that answers (Happy Eyeballs v2). A failure names every
/// address tried in its [`Detail::ConnectFailed`].
pub fn connect(addresses: &[SocketAddr], deadline: Deadline) -> Result<TcpStream, ProbeFailure> {
    race(addresses, deadline).map(|connected| connected.stream)
}

/// The order of RFC 8305 §4: the family of the first address, then alternating families,
/// each family in the resolver's order.
pub fn interleave(addresses: &[SocketAddr]) -> Vec<SocketAddr> {
    let Some(first) = addresses.first() else {
        return Vec::new();
    };
    let (mut same, mut other): (Vec<_>, Vec<_>) = addresses
        .iter()
        .copied()
        .partition(|a| a.is_ipv6() == first.is_ipv6());
    same.reverse();
    other.reverse();
    let mut ordered = Vec::with_capacity(addresses.len());
    loop {
        match (same.pop(), other.pop()) {
            (None, None) => break,
            (a, b) => ordered.extend(a.into_iter().chain(b)),
        }
    }
    ordered
}

/// The race itself, reporting every attempt.
pub fn race(addresses: &[SocketAddr], deadline: Deadline) -> Result<Connected, ProbeFailure> {
    race_attempts(addresses, deadline).map_err(|attempts| {
        let kind = if attempts.is_empty()
            || attempts
                .iter()
                .any(|a| a.outcome == AttemptOutcome::TimedOut)
        {
            FailureKind::TimedOut
        } else {
            FailureKind::Unreachable
        };
        ProbeFailure::new(Stage::Connect, kind, Detail::ConnectFailed { attempts })
    })
}

/// The race with non-blocking sockets and `poll`, on this thread: when one address
/// connects, the attempts still pending are closed at once.
#[cfg(unix)]
fn race_attempts(
    addresses: &[SocketAddr],
    deadline: Deadline,
) -> Result<Connected, Vec<ConnectAttempt>> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;

    let order = interleave(addresses);
    let mut attempts: Vec<ConnectAttempt> = Vec::new();
    // Aligned with `attempts`: the socket while its connect is pending.
    let mut sockets: Vec<Option<socket2::Socket>> = Vec::new();
    let mut next_start = Instant::now();
    loop {
        let now = Instant::now();
        if attempts.len() < order.len() && now >= next_start && !deadline.passed() {
            let address = order[attempts.len()];
            match start_connect(address) {
                Ok((socket, true)) => {
                    attempts.push(ConnectAttempt {
                        address,
                        outcome: AttemptOutcome::Connected,
                    });
                    return Ok(won(attempts, socket));
                }
                Ok((socket, false)) => {
                    attempts.push(ConnectAttempt {
                        address,
                        outcome: AttemptOutcome::TimedOut,
                    });
                    sockets.push(Some(socket));
                    next_start = now + ATTEMPT_DELAY;
                }
                Err(error) => {
                    attempts.push(ConnectAttempt {
                        address,
                        outcome: AttemptOutcome::Failed(error.to_string()),
                    });
                    sockets.push(None);
                    // A failure starts the next attempt at once (RFC 8305 §5).
                    next_start = now;
                    continue;
                }
            }
        }
        let pending: Vec<usize> = (0..sockets.len())
            .filter(|&i| sockets[i].is_some())
            .collect();
        if pending.is_empty() && attempts.len() == order.len() {
            return Err(attempts);
        }
        let Ok(left) = deadline.remaining() else {
            return Err(attempts);
        };
        let wait = if attempts.len() < order.len() {
            next_start
                .saturating_duration_since(Instant::now())
                .min(left)
        } else {
            left
        };
        if pending.is_empty() {
            std::thread::sleep(wait);
            continue;
        }
        let ready: Vec<bool> = {
            let mut fds: Vec<PollFd<'_>> = pending
                .iter()
                .filter_map(|&i| sockets[i].as_ref())
                .map(|socket| PollFd::new(socket.as_fd(), PollFlags::POLLOUT))
                .collect();
            // Rounded up, so a wait of less than a millisecond does not spin.
            let millis = i32::try_from(wait.as_micros().div_ceil(1000)).unwrap_or(i32::MAX);
            let timeout = PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX);
            match poll(&mut fds, timeout) {
                Ok(_) => fds
                    .iter()
                    .map(|fd| fd.revents().is_some_and(|r| !r.is_empty()))
                    .collect(),
                Err(nix::errno::Errno::EINTR) => vec![false; fds.len()],
                Err(errno) => {
                    for &i in &pending {
                        attempts[i].outcome = AttemptOutcome::Failed(errno.desc().to_string());
                        sockets[i] = None;
                    }
                    continue;
                }
            }
        };
        for (&i, ready) in pending.iter().zip(ready) {
            if !ready {
                continue;
            }
            let Some(socket) = sockets[i].take() else {
                continue;
            };
            match socket.take_error() {
                Ok(None) if socket.peer_addr().is_ok() => {
                    attempts[i].outcome = AttemptOutcome::Connected;
                    // Dropping the other sockets closes their pending connects.
                    drop(sockets);
                    return Ok(won(attempts, socket));
                }
                Ok(Some(error)) | Err(error) => {
                    attempts[i].outcome = AttemptOutcome::Failed(error.to_string());
                }
                Ok(None) => {
                    attempts[i].outcome = AttemptOutcome::Failed(
                        io::Error::from(io::ErrorKind::NotConnected).to_string(),
                    );
                }
            }
            next_start = Instant::now();
        }
    }
}

/// A non-blocking connect: the socket, and whether it connected at once.
#[cfg(unix)]
fn start_connect(address: SocketAddr) -> io::Result<(socket2::Socket, bool)> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    socket.set_nonblocking(true)?;
    match socket.connect(&address.into()) {
        Ok(()) => Ok((socket, true)),
        Err(error)
            if error.raw_os_error() == Some(nix::errno::Errno::EINPROGRESS as i32)
                || error.kind() == io::ErrorKind::WouldBlock =>
        {
            Ok((socket, false))
        }
        Err(error) => Err(error),
    }
}

/// The winner as a blocking stream; every other attempt still pending is marked abandoned.
#[cfg(unix)]
fn won(mut attempts: Vec<ConnectAttempt>, socket: socket2::Socket) -> Connected {
    for attempt in &mut attempts {
        if attempt.outcome == AttemptOutcome::TimedOut {
            attempt.outcome = AttemptOutcome::Abandoned;
        }
    }
    let stream: TcpStream = socket.into();
    let _ = stream.set_nonblocking(false);
    // Sent in one piece: the login command must not wait for Nagle.
    let _ = stream.set_nodelay(true);
    Connected { stream, attempts }
}

/// The race on threads (no `poll` here): a losing attempt still connecting is closed when
/// its connect ends, by the deadline.
#[cfg(not(unix))]
fn race_attempts(
    addresses: &[SocketAddr],
    deadline: Deadline,
) -> Result<Connected, Vec<ConnectAttempt>> {
    let order = interleave(addresses);
    let (sender, receiver) = mpsc::channel::<(usize, io::Result<TcpStream>)>();
    let mut attempts: Vec<ConnectAttempt> = Vec::new();
    let mut pending = 0usize;
    let mut next_start = Instant::now();
    loop {
        let now = Instant::now();
        if attempts.len() < order.len() && now >= next_start && !deadline.passed() {
            let index = attempts.len();
            let address = order[index];
            attempts.push(ConnectAttempt {
                address,
                outcome: AttemptOutcome::TimedOut,
            });
            pending += 1;
            let sender = sender.clone();
            std::thread::spawn(move || {
                let result = deadline
                    .remaining()
                    .and_then(|wait| TcpStream::connect_timeout(&address, wait));
                // When the race is over the receiver is gone and the stream, handed back
                // in the error, is dropped: a late winner is closed at once.
                let _ = sender.send((index, result));
            });
            next_start = now + ATTEMPT_DELAY;
        }
        if pending == 0 && attempts.len() == order.len() {
            break;
        }
        let Ok(left) = deadline.remaining() else {
            break;
        };
        let wait = if attempts.len() < order.len() {
            next_start
                .saturating_duration_since(Instant::now())
                .min(left)
        } else {
            left
        };
        match receiver.recv_timeout(wait) {
            Ok((index, Ok(stream))) => {
                attempts[index].outcome = AttemptOutcome::Connected;
                for (i, attempt) in attempts.iter_mut().enumerate() {
                    if i != index && attempt.outcome == AttemptOutcome::TimedOut {
                        attempt.outcome = AttemptOutcome::Abandoned;
                    }
                }
                // Sent in one piece: the login command must not wait for Nagle.
                let _ = stream.set_nodelay(true);
                return Ok(Connected { stream, attempts });
            }
            Ok((index, Err(error))) => {
                pending -= 1;
                attempts[index].outcome = if is_timeout(&error) {
                    AttemptOutcome::TimedOut
                } else {
                    AttemptOutcome::Failed(error.to_string())
                };
                // A failure starts the next attempt at once (RFC 8305 §5).
                next_start = Instant::now();
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    Err(attempts)
}

/// An I/O error in the middle of a conversation: a timeout, or the server went away.
pub fn conversation_failure(stage: Stage, error: &io::Error) -> ProbeFailure {
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

pub fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

pub(crate) fn timed_out(stage: Stage, detail: Detail) -> ProbeFailure {
    ProbeFailure::new(stage, FailureKind::TimedOut, detail)
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

    /// Moves the deadline (a connection opened ahead of time gets the deadline of the
    /// check that uses it).
    pub fn set_deadline(&mut self, deadline: Deadline) {
        self.deadline = deadline;
    }

    pub fn tcp(&self) -> &TcpStream {
        &self.inner
    }

    /// Whether the server closed the connection or sent anything while we were not
    /// talking: an idle connection must have nothing to read. Does not block.
    pub fn is_stale(&self) -> bool {
        if self.inner.set_nonblocking(true).is_err() {
            return true;
        }
        let mut probe = [0u8; 1];
        let stale = match self.inner.peek(&mut probe) {
            Ok(_) => true,
            Err(e) => e.kind() != io::ErrorKind::WouldBlock,
        };
        stale || self.inner.set_nonblocking(false).is_err()
    }

    /// Closes without waiting for the server: what is written is on its way; the rest
    /// of the conversation is dropped.
    pub fn close(&self) {
        let _ = self.inner.shutdown(Shutdown::Both);
    }
}

// A signal (a resized terminal's SIGWINCH, a child's SIGCHLD) interrupts a blocked read or
// write with EINTR. That is not the server's doing: the call is made again, with the time
// that is left, so only the deadline or the server ends the wait. Done here, below TLS, so
// OpenSSL never sees it.
impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            self.inner
                .set_read_timeout(Some(self.deadline.remaining()?))?;
            match self.inner.read(buf) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                result => return result,
            }
        }
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        loop {
            self.inner
                .set_write_timeout(Some(self.deadline.remaining()?))?;
            match self.inner.write(buf) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                result => return result,
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern "C" fn ignore_signal(_: nix::libc::c_int) {}

    /// A signal that arrives while a read waits (a resized terminal, a child process) must
    /// not end the conversation: on a socket with a receive timeout the kernel returns
    /// EINTR even with SA_RESTART, and the read is simply made again.
    #[cfg(unix)]
    #[test]
    #[allow(unsafe_code)] // installing a signal handler is unsafe in nix; the handler is empty
    fn a_signal_during_a_read_is_not_a_dropped_connection() {
        use nix::sys::pthread::{pthread_kill, pthread_self};
        use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

        let handler = SigAction::new(
            SigHandler::Handler(ignore_signal),
            SaFlags::empty(),
            SigSet::empty(),
        );
        // SAFETY: the handler does nothing, so it is async-signal-safe.
        unsafe { sigaction(Signal::SIGUSR2, &handler) }.expect("install the handler");

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut peer, _) = listener.accept().unwrap();
            std::thread::sleep(Duration::from_millis(600));
            peer.write_all(b"* OK late\r\n").unwrap();
        });
        let reader = pthread_self();
        let signaller = std::thread::spawn(move || {
            for _ in 0..5 {
                std::thread::sleep(Duration::from_millis(100));
                let _ = pthread_kill(reader, Signal::SIGUSR2);
            }
        });
        let tcp = TcpStream::connect(address).unwrap();
        let mut stream = DeadlineStream::new(tcp, Deadline::after(Duration::from_secs(5)));
        let mut buf = [0u8; 64];
        let read = stream.read(&mut buf);
        signaller.join().unwrap();
        server.join().unwrap();
        assert_eq!(
            &buf[..read.expect("the read outlasts the signals")],
            b"* OK late\r\n"
        );
    }

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
    fn a_refused_connection_is_unreachable_and_names_the_address() {
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
        let Detail::ConnectFailed { attempts } = failure.detail else {
            panic!("{failure:?}");
        };
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0].address, address);
        assert!(matches!(attempts[0].outcome, AttemptOutcome::Failed(_)));
    }

    #[test]
    fn a_refused_address_hands_over_to_the_next_at_once() {
        let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead_address = dead.local_addr().unwrap();
        drop(dead);
        let live = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let started = Instant::now();
        let connected = race(
            &[dead_address, live.local_addr().unwrap()],
            Deadline::after(Duration::from_secs(5)),
        )
        .unwrap();
        assert!(started.elapsed() < ATTEMPT_DELAY, "{:?}", started.elapsed());
        assert_eq!(connected.attempts.len(), 2);
        assert_eq!(connected.attempts[1].outcome, AttemptOutcome::Connected);
    }

    #[test]
    fn families_alternate_starting_with_the_first() {
        let a: Vec<SocketAddr> = [
            "[::1]:1",
            "[::2]:1",
            "127.0.0.1:1",
            "[::3]:1",
            "127.0.0.2:1",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        let order: Vec<String> = interleave(&a).iter().map(ToString::to_string).collect();
        assert_eq!(
            order,
            [
                "[::1]:1",
                "127.0.0.1:1",
                "[::2]:1",
                "127.0.0.2:1",
                "[::3]:1"
            ]
        );
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
