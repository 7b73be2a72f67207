//! A TCP proxy on 127.0.0.1 that delays every byte by a one-way latency in each direction,
//! so that a connect, a TLS handshake and each command pay real round trips (issue 10's
//! benchmark, and a forwarder bound to IPv4 only for the Happy Eyeballs tests).
//!
//! The timeline follows real TCP: the connection to the server is opened 1.5 round trips
//! after the client connected (SYN, SYN-ACK, ACK), so a server that speaks first is heard
//! two round trips after the connect began, and bytes the client sends right away arrive
//! when they would have after the handshake. Then each chunk arrives `one_way` after it was
//! sent, in order. Nothing is dropped or reordered.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct DelayProxy {
    port: u16,
    stop: Arc<AtomicBool>,
    /// The one-way delay for new connections, in microseconds.
    one_way_us: Arc<AtomicU64>,
}

impl DelayProxy {
    /// Forwards 127.0.0.1:(new port) to `target`, each direction delayed by `one_way`.
    pub fn start(target: SocketAddr, one_way: Duration) -> DelayProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let one_way_us = Arc::new(AtomicU64::new(micros(one_way)));
        let (s, d) = (Arc::clone(&stop), Arc::clone(&one_way_us));
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let _ = client.set_nonblocking(false);
                        let one_way = Duration::from_micros(d.load(Ordering::Relaxed));
                        std::thread::spawn(move || relay(client, target, one_way));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(1)),
                }
            }
        });
        DelayProxy {
            port,
            stop,
            one_way_us,
        }
    }

    /// Changes the one-way delay of connections accepted from now on.
    pub fn set_one_way(&self, one_way: Duration) {
        self.one_way_us.store(micros(one_way), Ordering::Relaxed);
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// One chunk and when it may be delivered; `None` is the end of the stream.
type Chunk = (Instant, Option<Vec<u8>>);

fn relay(client: TcpStream, target: SocketAddr, one_way: Duration) {
    let _ = client.set_nodelay(true);
    let connected_at = Instant::now() + one_way * 3;
    let (to_server, from_client) = mpsc::channel::<Chunk>();
    let Ok(client_reader) = client.try_clone() else {
        return;
    };
    std::thread::spawn(move || read_side(client_reader, one_way, &to_server));
    sleep_until(connected_at);
    let Ok(server) = TcpStream::connect(target) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let _ = server.set_nodelay(true);
    let (to_client, from_server) = mpsc::channel::<Chunk>();
    let (Ok(server_reader), Ok(server_writer)) = (server.try_clone(), server.try_clone()) else {
        return;
    };
    std::thread::spawn(move || read_side(server_reader, one_way, &to_client));
    std::thread::spawn(move || write_side(server_writer, &from_client, connected_at));
    write_side(client, &from_server, connected_at);
}

fn read_side(mut from: TcpStream, one_way: Duration, queue: &mpsc::Sender<Chunk>) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => {
                let _ = queue.send((Instant::now() + one_way, None));
                return;
            }
            Ok(n) => {
                if queue
                    .send((Instant::now() + one_way, Some(buffer[..n].to_vec())))
                    .is_err()
                {
                    return;
                }
            }
        }
    }
}

fn write_side(mut to: TcpStream, queue: &mpsc::Receiver<Chunk>, not_before: Instant) {
    while let Ok((at, chunk)) = queue.recv() {
        sleep_until(at.max(not_before));
        match chunk {
            Some(bytes) => {
                if to.write_all(&bytes).is_err() {
                    break;
                }
            }
            None => break,
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

fn sleep_until(at: Instant) {
    let now = Instant::now();
    if at > now {
        std::thread::sleep(at - now);
    }
}
