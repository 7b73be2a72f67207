//! Happy Eyeballs v2 (RFC 8305): the addresses of a name raced, IPv6 and IPv4 interleaved,
//! a new attempt every 250 ms while earlier ones are pending; the first to connect wins and
//! the others are closed, all by one deadline.

use std::io;
use std::net::{SocketAddr, TcpStream};
#[cfg(not(unix))]
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::mail::endpoint::Deadline;
use crate::mail::{AttemptOutcome, ConnectAttempt, Detail, FailureKind, ProbeFailure, Stage};

/// The pause between starting one connection attempt and the next (RFC 8305's
/// recommended "Connection Attempt Delay").
pub(crate) const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// A connected socket and the race that produced it.
#[derive(Debug)]
pub(crate) struct Connected {
    pub(crate) stream: TcpStream,
    /// Every attempt started, in order, with how it ended (for `--verbose`).
    pub(crate) attempts: Vec<ConnectAttempt>,
}

/// Connects to the first address that answers (Happy Eyeballs v2). A failure names every
/// address tried in its [`Detail::ConnectFailed`].
pub(crate) fn connect(
    addresses: &[SocketAddr],
    deadline: Deadline,
) -> Result<TcpStream, ProbeFailure> {
    race(addresses, deadline).map(|connected| connected.stream)
}

/// The order of RFC 8305 §4: the family of the first address, then alternating families,
/// each family in the resolver's order.
pub(crate) fn interleave(addresses: &[SocketAddr]) -> Vec<SocketAddr> {
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
pub(crate) fn race(
    addresses: &[SocketAddr],
    deadline: Deadline,
) -> Result<Connected, ProbeFailure> {
    race_attempts(addresses, deadline).map_err(|mut attempts| {
        // A race that ended without a winner while an attempt was still pending ended at
        // the deadline: that attempt timed out.
        for attempt in &mut attempts {
            if attempt.outcome == AttemptOutcome::Pending {
                attempt.outcome = AttemptOutcome::TimedOut;
            }
        }
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
                        outcome: AttemptOutcome::Pending,
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
        if attempt.outcome == AttemptOutcome::Pending {
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
                outcome: AttemptOutcome::Pending,
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
                    if i != index && attempt.outcome == AttemptOutcome::Pending {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
