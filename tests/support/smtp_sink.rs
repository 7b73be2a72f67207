//! A tiny plaintext SMTP server that accepts every message and keeps it in memory.
//!
//! Dovecot's submission service is not a mail server: it relays what clients submit to a real
//! MTA (`submission_relay_host`). Tests have no MTA, so this sink stands in for it, and lets a
//! test check what a client actually sent. It speaks just enough SMTP for Dovecot's relay
//! client: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. Each connection is served on its
//! own thread; the server listens on an ephemeral port on 127.0.0.1.
//!
//! What it does with a message is its [`Behaviour`]: keep it (the default: accepted, and
//! delivered nowhere), also hand it to Dovecot's own LMTP so it really arrives in the
//! recipient's INBOX, or refuse it at the end of DATA as iCloud refuses a sender that is not
//! one of the account's addresses.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One message as the sink received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The reverse path of `MAIL FROM:<...>`, without the angle brackets.
    pub mail_from: String,
    /// The forward paths of every accepted `RCPT TO:<...>`.
    pub rcpt_to: Vec<String>,
    /// The message as sent after `DATA`, dot-unstuffed, lines ending in CRLF, without the
    /// terminating `.` line.
    pub data: String,
}

/// What the sink does with each message it is sent.
#[derive(Clone, Debug, Default)]
pub enum Behaviour {
    /// Accept and keep it (see [`SmtpSink::received`]); deliver it nowhere.
    #[default]
    Keep,
    /// Keep it, and deliver it over LMTP at `socket` (Dovecot's `lmtp` service), as a mail
    /// server would. With no `delay`, before answering, and the LMTP server's refusal is
    /// passed back as the sink's reply; with one, after answering `250` and waiting `delay`,
    /// as a queueing mail server delivers a moment later.
    DeliverLmtp { socket: PathBuf, delay: Duration },
    /// Refuse it at the end of DATA with this reply (`554 5.7.1 …`); nothing is kept.
    RefuseAtEndOfData(String),
    /// Refuse every `MAIL FROM` with this reply (`550 5.7.1 …`); nothing is kept.
    RefuseMailFrom(String),
}

/// A running sink. Dropping it stops accepting connections.
pub struct SmtpSink {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl SmtpSink {
    /// Starts the sink with the given [`Behaviour`].
    pub fn start_with(behaviour: Behaviour) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink on loopback");
        let addr = listener
            .local_addr()
            .expect("SMTP sink has a local address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let received = Arc::clone(&received);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("smtp-sink".into())
                .spawn(move || accept_loop(&listener, &received, &stop, &behaviour))
                .expect("spawn the SMTP sink thread")
        };
        SmtpSink {
            addr,
            received,
            stop,
            acceptor: Some(acceptor),
        }
    }

    /// The port the sink listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The bodies (headers and text) of every message received so far, oldest first.
    pub fn messages(&self) -> Vec<String> {
        self.received().into_iter().map(|r| r.data).collect()
    }

    /// Every message received so far with its envelope, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .expect("SMTP sink lock is not poisoned")
            .clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept` blocks; a connection of our own wakes it so it can see the stop flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept_loop(
    listener: &TcpListener,
    received: &Arc<Mutex<Vec<Received>>>,
    stop: &AtomicBool,
    behaviour: &Behaviour,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let received = Arc::clone(received);
        let behaviour = behaviour.clone();
        // Connection threads are detached: a session that hangs must not block Drop. The read
        // timeout below bounds how long one can linger.
        let _ = std::thread::Builder::new()
            .name("smtp-sink-session".into())
            .spawn(move || {
                // An I/O error just ends this session; Dovecot reports it on its side.
                let _ = serve(stream, &received, &behaviour);
            });
    }
}

/// The path in a MAIL/RCPT argument such as `FROM:<a@example.com> BODY=8BITMIME`: the text
/// between `<` and `>`, or else what follows the colon.
fn path_of(argument: &str) -> String {
    match (argument.find('<'), argument.find('>')) {
        (Some(open), Some(close)) if open < close => argument[open + 1..close].to_string(),
        _ => argument
            .split_once(':')
            .map_or(argument, |(_, path)| path)
            .trim()
            .to_string(),
    }
}

fn serve(
    stream: TcpStream,
    received: &Mutex<Vec<Received>>,
    behaviour: &Behaviour,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    out.write_all(b"220 smtp-sink ESMTP ready\r\n")?;

    let mut mail_from: Option<String> = None;
    let mut rcpt_to: Vec<String> = Vec::new();
    loop {
        let Some(line) = read_line(&mut input)? else {
            return Ok(());
        };
        let command = line.as_str();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let argument = command.get(verb.len()..).unwrap_or("").trim();
        match verb.as_str() {
            // ENHANCEDSTATUSCODES: the replies carry them, and Dovecot's relay client passes
            // a relay's `5.7.1` on only when it is announced (else it prefixes its own).
            "EHLO" => out.write_all(
                b"250-smtp-sink\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n",
            )?,
            "HELO" => out.write_all(b"250 smtp-sink\r\n")?,
            "MAIL" if matches!(behaviour, Behaviour::RefuseMailFrom(_)) => {
                if let Behaviour::RefuseMailFrom(reply) = behaviour {
                    out.write_all(format!("{reply}\r\n").as_bytes())?;
                }
            }
            "MAIL" => {
                mail_from = Some(path_of(argument));
                rcpt_to.clear();
                out.write_all(b"250 2.1.0 Ok\r\n")?;
            }
            "RCPT" => {
                rcpt_to.push(path_of(argument));
                out.write_all(b"250 2.1.5 Ok\r\n")?;
            }
            "DATA" if mail_from.is_none() || rcpt_to.is_empty() => {
                out.write_all(b"503 5.5.1 MAIL and RCPT first\r\n")?;
            }
            "DATA" => {
                out.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let data = read_data(&mut input)?;
                let message = Received {
                    mail_from: mail_from.take().unwrap_or_default(),
                    rcpt_to: std::mem::take(&mut rcpt_to),
                    data,
                };
                let reply = match behaviour {
                    Behaviour::Keep | Behaviour::RefuseMailFrom(_) => {
                        "250 2.0.0 Ok: queued".to_string()
                    }
                    Behaviour::RefuseAtEndOfData(reply) => reply.clone(),
                    Behaviour::DeliverLmtp { socket, delay } if delay.is_zero() => {
                        match deliver_lmtp(socket, &message) {
                            Ok(()) => "250 2.0.0 Ok: queued and delivered over LMTP".to_string(),
                            Err(reply) => reply,
                        }
                    }
                    Behaviour::DeliverLmtp { socket, delay } => {
                        let (socket, delay, later) = (socket.clone(), *delay, message.clone());
                        // Detached like the sessions: a failed delivery shows as mail that
                        // never arrives, which is what the test is about.
                        let _ = std::thread::Builder::new()
                            .name("smtp-sink-lmtp".into())
                            .spawn(move || {
                                std::thread::sleep(delay);
                                let _ = deliver_lmtp(&socket, &later);
                            });
                        "250 2.0.0 Ok: queued".to_string()
                    }
                };
                if reply.starts_with('2') {
                    received
                        .lock()
                        .expect("SMTP sink lock is not poisoned")
                        .push(message);
                }
                out.write_all(format!("{reply}\r\n").as_bytes())?;
            }
            "RSET" => {
                mail_from = None;
                rcpt_to.clear();
                out.write_all(b"250 2.0.0 Ok\r\n")?;
            }
            "NOOP" => out.write_all(b"250 2.0.0 Ok\r\n")?,
            "QUIT" => {
                out.write_all(b"221 2.0.0 Bye\r\n")?;
                return Ok(());
            }
            _ => out.write_all(b"502 5.5.2 Command not implemented\r\n")?,
        }
        out.flush()?;
    }
}

/// Reads DATA lines up to the lone `.`, undoing dot-stuffing (RFC 5321 4.5.2).
fn read_data(input: &mut impl BufRead) -> std::io::Result<String> {
    let mut data = String::new();
    loop {
        let Some(line) = read_line(input)? else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed inside DATA",
            ));
        };
        let text = line.as_str();
        if text == "." {
            return Ok(data);
        }
        data.push_str(text.strip_prefix('.').unwrap_or(text));
        data.push_str("\r\n");
    }
}

/// One line without its line ending, or `None` at end of stream. Bytes that are not UTF-8
/// (8-bit mail) are kept as replacement characters rather than ending the session.
fn read_line(input: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut bytes = Vec::new();
    if input.read_until(b'\n', &mut bytes)? == 0 {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&bytes);
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()))
}

/// Hands one message to an LMTP server at `socket`: LHLO, MAIL, RCPT for each recipient,
/// DATA, and one reply per recipient. Returns the first refusal as a reply line.
fn deliver_lmtp(socket: &std::path::Path, message: &Received) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("451 4.3.0 LMTP at {}: {e}", socket.display());
    let stream = UnixStream::connect(socket).map_err(failed)?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(failed)?;
    let mut out = stream.try_clone().map_err(failed)?;
    let mut input = BufReader::new(stream);
    let expect = |input: &mut BufReader<UnixStream>, want: char| -> Result<(), String> {
        let reply = read_reply(input).map_err(failed)?;
        if reply.starts_with(want) {
            Ok(())
        } else {
            Err(reply)
        }
    };
    expect(&mut input, '2')?;
    let mut send = |line: &str| out.write_all(format!("{line}\r\n").as_bytes());
    send("LHLO smtp-sink").map_err(failed)?;
    expect(&mut input, '2')?;
    send(&format!("MAIL FROM:<{}>", message.mail_from)).map_err(failed)?;
    expect(&mut input, '2')?;
    for recipient in &message.rcpt_to {
        send(&format!("RCPT TO:<{recipient}>")).map_err(failed)?;
        expect(&mut input, '2')?;
    }
    send("DATA").map_err(failed)?;
    expect(&mut input, '3')?;
    let mut stuffed = String::new();
    for line in message.data.split_inclusive("\r\n") {
        if line.starts_with('.') {
            stuffed.push('.');
        }
        stuffed.push_str(line);
    }
    stuffed.push_str(".\r\n");
    out.write_all(stuffed.as_bytes()).map_err(failed)?;
    // LMTP answers the end of DATA once per recipient.
    for _ in &message.rcpt_to {
        expect(&mut input, '2')?;
    }
    let _ = out.write_all(b"QUIT\r\n");
    Ok(())
}

/// One (possibly multi-line) SMTP/LMTP reply, its lines joined by spaces.
fn read_reply(input: &mut impl BufRead) -> std::io::Result<String> {
    let mut lines = Vec::new();
    loop {
        let Some(line) = read_line(input)? else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the LMTP server closed the connection",
            ));
        };
        let last = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line);
        if last {
            return Ok(lines.join(" "));
        }
    }
}
