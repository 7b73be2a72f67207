//! An address that never answers: a listener on `[::1]:port` whose accept queue is full, so
//! the kernel drops new SYNs and a connect there hangs as towards a broken route (issue 10's
//! Happy Eyeballs tests and benchmark).

use std::net::SocketAddr;
use std::time::Duration;

/// A listener on `[::1]:port` whose accept queue is full: new SYNs are dropped, so a
/// connect there hangs as towards a broken route. Kept open as long as the value lives.
pub struct DeadV6 {
    _listener: socket2::Socket,
    _queued: Vec<socket2::Socket>,
}

impl DeadV6 {
    pub fn on(port: u16) -> DeadV6 {
        use socket2::{Domain, Socket, Type};
        let address: SocketAddr = format!("[::1]:{port}").parse().unwrap();
        let listener = Socket::new(Domain::IPV6, Type::STREAM, None).unwrap();
        listener.set_only_v6(true).unwrap();
        listener
            .bind(&address.into())
            .expect("::1 must be available on this machine for the Happy Eyeballs tests");
        listener.listen(0).unwrap();
        let mut queued = Vec::new();
        // Fill the queue with connections never accepted, until one hangs.
        for _ in 0..16 {
            let client = Socket::new(Domain::IPV6, Type::STREAM, None).unwrap();
            match client.connect_timeout(&address.into(), Duration::from_millis(200)) {
                Ok(()) => queued.push(client),
                Err(_) => {
                    return DeadV6 {
                        _listener: listener,
                        _queued: queued,
                    };
                }
            }
        }
        panic!("the accept queue of a backlog-0 listener never filled");
    }
}
