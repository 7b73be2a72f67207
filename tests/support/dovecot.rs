//! Dovecot from Debian as the real IMAP and submission server the client is tested against.
//!
//! [`Dovecot::start`] generates a complete configuration into a test's temporary directory
//! (nothing in `/etc/dovecot` is read or touched) and runs `dovecot -F` as a child process:
//!
//! - IMAP with TLS from the first byte (like `imap.mail.me.com:993`) and submission with
//!   STARTTLS and AUTH PLAIN/LOGIN (like `smtp.mail.me.com:587`), each on an ephemeral port
//!   on 127.0.0.1 and, when the machine has it, ::1 — the client dials `localhost`, which may
//!   resolve to either;
//! - the certificate for `localhost` comes from the test's [`TestCa`];
//! - submission relays to an in-process [`SmtpSink`], which records what was sent; with
//!   [`Relay::Lmtp`] the sink also hands each message to Dovecot's own LMTP service
//!   (`dovecot-lmtpd`, on a Unix socket), so it really arrives in the recipient's INBOX, and
//!   with [`Relay::RefuseAtEndOfData`] or [`Relay::RefuseMailFrom`] it refuses every
//!   message as iCloud refuses a sender it does not know (submission relays to an SMTP server, and LMTP is not SMTP: Dovecot's
//!   LMTP refuses `EHLO`, so the sink stands between them);
//! - [`Options::imap_capability`] replaces what IMAP announces after login, to imitate
//!   servers without IDLE or UIDPLUS;
//! - users live in one passwd-file per service (`passwd.imap`, `passwd.submission`, chosen by
//!   `%s` in the passdb path), because iCloud accepts different login names for IMAP and SMTP
//!   and the tests must be able to reproduce that;
//! - mail is stored in Maildirs under the temporary directory.
//!
//! Dropping the value stops Dovecot, also when the test panics. Declare the `TempDir` before
//! the `Dovecot`, so the directory outlives the server.
//!
//! Dovecot behaviours the configuration works around (all verified with 2.3.19):
//! - failed logins are answered after `auth_failure_delay` (default 2 s); it is set to 0, and
//!   Dovecot still batches failures every 0.5 s;
//! - on top of that, anvil's per-IP "auth penalty" delays every login from an address with
//!   recent failures by 2, 4, 8… up to 15 s, successful ones included. A client that tries
//!   `alice` and then `alice@icloud.com` would see that delay, and after a few failed tests
//!   logins would outlast the client's timeout. 2.3 has no setting for it
//!   (`login_trusted_networks` no longer exempts anyone), but the auth process disables the
//!   penalty when it cannot reach anvil's `anvil-auth-penalty` socket, so that socket is made
//!   with mode 0;
//! - connections whose local and remote address are equal (any loopback connection) count as
//!   "secured", so Dovecot offers and accepts AUTH on submission *before* STARTTLS. Tests that
//!   must prove the client never authenticates in the clear need a scripted server, or the log:
//!   a login after STARTTLS is logged with `TLS`, one in the clear with `secured`;
//! - passwd-files are re-read when their mtime (whole seconds) or size changes, and at most
//!   once per second; [`Dovecot::set_password`] accounts for both.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::certs::TestCa;
use super::peers;
use super::smtp_sink::{Behaviour, SmtpSink};

/// Where submission relays to and what IMAP announces; the default is what
/// [`Dovecot::start`] uses.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub relay: Relay,
    /// Replaces the capabilities IMAP announces (Dovecot's `imap_capability`), e.g.
    /// `"IMAP4rev1 LITERAL+"` for a server without IDLE and UIDPLUS.
    pub imap_capability: Option<&'static str>,
    /// SPECIAL-USE flags (RFC 6154) for mailboxes, by name: `("Gesendet", "\\Sent")`
    /// becomes a `mailbox` block with `special_use` in the inbox namespace, and IMAP
    /// announces `SPECIAL-USE`. Empty: no namespace block, Dovecot's defaults.
    pub special_use: &'static [(&'static str, &'static str)],
}

/// What happens to a message after submission accepted it.
#[derive(Clone, Debug, Default)]
pub enum Relay {
    /// The sink keeps it and delivers it nowhere: a relay that accepts and drops.
    #[default]
    Sink,
    /// The sink keeps it and delivers it into Dovecot's own LMTP: it arrives in the INBOX,
    /// before the sink answers (zero) or this long after.
    Lmtp(Duration),
    /// The sink refuses it at the end of DATA with this reply.
    RefuseAtEndOfData(&'static str),
    /// The sink refuses every `MAIL FROM` with this reply.
    RefuseMailFrom(&'static str),
}

/// A test account: its address, its app-specific password and the login names each service
/// accepts.
#[derive(Clone, Copy, Debug)]
pub struct Account {
    pub email: &'static str,
    pub password: &'static str,
    /// The only username the IMAP service accepts for this account.
    pub imap_login: &'static str,
    /// The only username the submission service accepts for this account.
    pub smtp_login: &'static str,
}

/// IMAP accepts the local part `alice` (iCloud's documented username), submission only the
/// full address.
pub const ALICE: Account = Account {
    email: "alice@icloud.com",
    password: "alic-epas-swor-dxyz",
    imap_login: "alice",
    smtp_login: "alice@icloud.com",
};

/// IMAP accepts only the full address: login `bob` is refused as bad credentials
/// (`NO [AUTHENTICATIONFAILED]`), which drives the client's fallback to the full address.
pub const BOB: Account = Account {
    email: "bob@icloud.com",
    password: "bobb-bobb-bobb-bobb",
    imap_login: "bob@icloud.com",
    smtp_login: "bob@icloud.com",
};

/// Every account the server knows.
pub const ACCOUNTS: [Account; 2] = [ALICE, BOB];

/// Well-formed as an app-specific password, but no account's password.
pub const WRONG_PASSWORD: &str = "wron-gwro-ngwr-ongw";

/// How long Dovecot may take to come up; generous because CI has two slow cores.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long Dovecot may take to shut down after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Port races (another process taking the port between our probe and Dovecot's bind) are
/// retried this many times.
const START_ATTEMPTS: usize = 3;

/// A running Dovecot with the [`ACCOUNTS`]. Dropping it stops the server.
pub struct Dovecot {
    // Declared first so it is dropped first: the server stops before the sink it relays to.
    // Held only for that: dropping it stops the server.
    _process: Process,
    sink: SmtpSink,
    root: PathBuf,
    imap_port: u16,
    submission_port: u16,
    ca_file: PathBuf,
    /// Who owns mail files (uid, gid) when we are root and must hand files over.
    mail_owner: Option<(u32, u32)>,
    /// The current password of each account, by address; `set_password` changes it.
    passwords: Mutex<BTreeMap<&'static str, String>>,
}

impl Dovecot {
    /// Starts Dovecot in `dir/dovecot`, serving a certificate for `localhost` signed by `ca`.
    ///
    /// Returns `None` (after saying why) when Dovecot is not installed, unless
    /// `ICLOUD_SETUP_REQUIRE_PEERS=1`; panics with Dovecot's log when it is installed but does
    /// not come up. Returns once both ports answer with a greeting.
    pub fn start(dir: &Path, ca: &TestCa) -> Option<Dovecot> {
        Dovecot::start_with(dir, ca, &Options::default())
    }

    /// [`Dovecot::start`] with a relay and capabilities of the test's choice.
    pub fn start_with(dir: &Path, ca: &TestCa, options: &Options) -> Option<Dovecot> {
        let why = "real IMAP and submission server for live login tests";
        let dovecot = peers::require_program("dovecot", why)?;
        let libexec = ["/usr/lib/dovecot", "/usr/libexec/dovecot"]
            .iter()
            .map(Path::new)
            .find(|dir| dir.join("imap-login").exists());
        let Some(libexec) = libexec else {
            return peers::missing("imap", "Dovecot's IMAP service, imap-login, was not found");
        };
        if !libexec.join("submission").exists() {
            return peers::missing("submission", "Dovecot's submission service");
        }
        let lmtp = matches!(options.relay, Relay::Lmtp(_));
        if lmtp && !libexec.join("lmtp").exists() {
            return peers::missing(
                "lmtp",
                "Dovecot's LMTP service, to deliver submitted mail into the INBOX",
            );
        }

        let dir_text = dir.to_str().expect("test directory path is UTF-8");
        assert!(
            !dir_text.contains(char::is_whitespace),
            "Dovecot's passdb args are split at whitespace, so the test directory cannot \
             contain any: {dir_text:?}"
        );

        let run_as = RunAs::detect();
        let root = dir.join("dovecot");
        for sub in ["run", "state", "mail"] {
            fs::create_dir_all(root.join(sub)).expect("create Dovecot's directories");
        }
        if run_as.root {
            // Dovecot's auth process (user dovecot) reads the passwd-files and the mail
            // processes (user nobody) their Maildirs, all below the test's directory, which
            // tempfile creates 0700. Let other users pass through it, without listing it.
            let mode = fs::metadata(dir)
                .expect("stat the test directory")
                .permissions()
                .mode();
            fs::set_permissions(dir, fs::Permissions::from_mode(mode | 0o711))
                .expect("let Dovecot's users traverse the test directory");
            fs::set_permissions(&root, fs::Permissions::from_mode(0o755))
                .expect("let Dovecot's users traverse its directory");
        }
        let mail_owner = run_as.root.then_some((run_as.mail_uid, run_as.mail_gid));
        chown(&root.join("mail"), mail_owner);
        for account in ACCOUNTS {
            let home = home_of(&root, account.email);
            fs::create_dir_all(&home).expect("create the account's home directory");
            chown(&home, mail_owner);
        }

        let cert = ca.server_cert("localhost");
        let sink = SmtpSink::start_with(match &options.relay {
            Relay::Sink => Behaviour::Keep,
            Relay::Lmtp(delay) => Behaviour::DeliverLmtp {
                socket: root.join("run").join("lmtp"),
                delay: *delay,
            },
            Relay::RefuseAtEndOfData(reply) => Behaviour::RefuseAtEndOfData(reply.to_string()),
            Relay::RefuseMailFrom(reply) => Behaviour::RefuseMailFrom(reply.to_string()),
        });
        let passwords: BTreeMap<&'static str, String> = ACCOUNTS
            .iter()
            .map(|a| (a.email, a.password.to_string()))
            .collect();
        write_passwd_files(&root, &passwords);

        let ipv6 = TcpListener::bind("[::1]:0").is_ok();
        for attempt in 1..=START_ATTEMPTS {
            let (imap_port, submission_port) = free_ports(ipv6);
            let config = Config {
                root: &root,
                run_as: &run_as,
                cert_path: &cert.cert_path,
                key_path: &cert.key_path,
                ipv6,
                imap_port,
                submission_port,
                relay_port: sink.port(),
                lmtp,
                imap_capability: options.imap_capability,
                special_use: options.special_use,
            };
            fs::write(root.join("dovecot.conf"), config.render()).expect("write dovecot.conf");
            let mut process = Process::spawn(&dovecot, &root);
            match process.wait_until_ready(imap_port, submission_port, &ca.ca_path) {
                Ok(()) => {
                    return Some(Dovecot {
                        _process: process,
                        sink,
                        root,
                        imap_port,
                        submission_port,
                        ca_file: ca.ca_path.clone(),
                        mail_owner,
                        passwords: Mutex::new(passwords),
                    });
                }
                Err(problem) => {
                    drop(process);
                    let log = read_log(&root);
                    // Another process can take a port between our probe and Dovecot's bind.
                    let port_race = log.contains("Address already in use");
                    assert!(
                        port_race && attempt != START_ATTEMPTS,
                        "Dovecot did not start ({problem}); config {}. Its log:\n{log}",
                        root.join("dovecot.conf").display()
                    );
                }
            }
        }
        unreachable!("the last start attempt either returns or panics")
    }

    /// `localhost:PORT` of IMAP with TLS from the first byte, for `--imap-server`.
    pub fn imap_addr(&self) -> String {
        format!("localhost:{}", self.imap_port)
    }

    /// `localhost:PORT` of submission with STARTTLS, for `--smtp-server`.
    pub fn submission_addr(&self) -> String {
        format!("localhost:{}", self.submission_port)
    }

    pub fn imap_port(&self) -> u16 {
        self.imap_port
    }

    pub fn submission_port(&self) -> u16 {
        self.submission_port
    }

    /// The PEM of the CA that signed the server certificate, for `--ca-file`.
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// A TLS connector that trusts [`Dovecot::ca_file`], for raw protocol checks in tests.
    pub fn tls_connector(&self) -> native_tls::TlsConnector {
        tls_connector_for(&self.ca_file)
    }

    /// The relay behind submission: what clients submitted ends up here.
    pub fn sink(&self) -> &SmtpSink {
        &self.sink
    }

    /// The account's current password (changed by [`Dovecot::set_password`]).
    pub fn password(&self, email: &str) -> String {
        let account = account(email);
        self.passwords
            .lock()
            .expect("password table lock is not poisoned")[account.email]
            .clone()
    }

    /// Changes the account's password for IMAP and submission while the server runs, as
    /// revoking an app-specific password and making a new one does at Apple.
    ///
    /// Takes up to a second: Dovecot re-reads a passwd-file at most once per second and only
    /// when its mtime (in whole seconds) or size changed. The file's mtime is moved past the
    /// old one, and this returns only after the clock has entered a new second, so the very
    /// next login sees the new password.
    pub fn set_password(&self, email: &str, new_password: &str) {
        assert!(
            !new_password.is_empty() && !new_password.contains([':', '\n', '\r']),
            "a passwd-file password cannot be empty or contain ':' or line breaks"
        );
        let account = account(email);
        {
            let mut passwords = self
                .passwords
                .lock()
                .expect("password table lock is not poisoned");
            passwords.insert(account.email, new_password.to_string());
            write_passwd_files(&self.root, &passwords);
        }
        sleep_into_next_second();
    }

    /// The Maildir holding the account's INBOX.
    pub fn maildir(&self, email: &str) -> PathBuf {
        home_of(&self.root, account(email).email).join("Maildir")
    }

    /// Puts `message` (headers, blank line, body) into the account's INBOX, as a mail server's
    /// delivery agent would, and returns the file's path. IMAP clients see it at their next
    /// SELECT, NOOP or IDLE.
    pub fn deliver(&self, email: &str, message: &str) -> PathBuf {
        self.deliver_to(email, None, message)
    }

    /// Creates the account's folders, empty, as a mail program would: `names` as the wire
    /// spells them (modified UTF-7, as Dovecot's Maildir++ names its directories).
    pub fn create_folders(&self, email: &str, names: &[&str]) {
        let inbox = self.maildir(email);
        fs::create_dir_all(&inbox).expect("create the Maildir");
        chown(&inbox, self.mail_owner);
        for name in names {
            let folder = inbox.join(format!(".{name}"));
            for path in [folder.clone()]
                .into_iter()
                .chain(["tmp", "new", "cur"].map(|sub| folder.join(sub)))
            {
                fs::create_dir_all(&path).expect("create the folder");
                chown(&path, self.mail_owner);
            }
        }
    }

    /// [`Dovecot::deliver`] into the folder `folder` (Maildir++ `.folder`), created when
    /// missing, or into the INBOX when `None`: as a mail server that files spam into `Junk`.
    pub fn deliver_to(&self, email: &str, folder: Option<&str>, message: &str) -> PathBuf {
        static SEQUENCE: AtomicU64 = AtomicU64::new(0);
        let maildir = match folder {
            Some(folder) => self.maildir(email).join(format!(".{folder}")),
            None => self.maildir(email),
        };
        if folder.is_some() {
            let inbox = self.maildir(email);
            fs::create_dir_all(&inbox).expect("create the Maildir");
            chown(&inbox, self.mail_owner);
        }
        let dirs = ["tmp", "new", "cur"].map(|sub| maildir.join(sub));
        for path in std::iter::once(&maildir).chain(&dirs) {
            fs::create_dir_all(path).expect("create the Maildir");
            chown(path, self.mail_owner);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("the clock is after 1970");
        // A unique name in Maildir's style: time, microseconds, pid, sequence, host.
        let name = format!(
            "{}.M{}P{}Q{}.icloud-setup-test",
            now.as_secs(),
            now.subsec_micros(),
            std::process::id(),
            SEQUENCE.fetch_add(1, Ordering::SeqCst)
        );
        // Maildir files hold LF line endings; Dovecot serves them with CRLF.
        let mut text = message.replace("\r\n", "\n");
        if !text.ends_with('\n') {
            text.push('\n');
        }
        // Written in tmp/ and renamed into new/, so Dovecot never sees half a message.
        let staging = maildir.join("tmp").join(&name);
        fs::write(&staging, text).expect("write the message into Maildir/tmp");
        chown(&staging, self.mail_owner);
        let delivered = maildir.join("new").join(&name);
        fs::rename(&staging, &delivered).expect("move the message into Maildir/new");
        delivered
    }

    /// Dovecot's log so far (and anything it printed), for assertions and failure messages.
    pub fn log(&self) -> String {
        read_log(&self.root)
    }
}

/// The `dovecot -F` master process. Dropping it stops Dovecot and waits until it is gone.
struct Process {
    child: Child,
}

impl Process {
    fn spawn(dovecot: &Path, root: &Path) -> Process {
        let stderr = fs::File::create(root.join("dovecot.stderr"))
            .expect("create the file for Dovecot's standard error");
        let stdout = stderr.try_clone().expect("share Dovecot's output file");
        let child = Command::new(dovecot)
            .arg("-F") // stay in the foreground, so this process is the master
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .expect("run dovecot");
        Process { child }
    }

    /// Waits until IMAP serves a real TLS greeting and submission a 220, or the master exits.
    fn wait_until_ready(
        &mut self,
        imap_port: u16,
        submission_port: u16,
        ca_file: &Path,
    ) -> Result<(), String> {
        let connector = tls_connector_for(ca_file);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().map_err(|e| e.to_string())? {
                return Err(format!("dovecot exited: {status}"));
            }
            let imap = probe_imap(&connector, imap_port);
            let submission = probe_submission(submission_port);
            match (imap, submission) {
                (Ok(()), Ok(())) => return Ok(()),
                (imap, submission) if Instant::now() > deadline => {
                    return Err(format!(
                        "not ready after {START_TIMEOUT:?}: IMAP {imap:?}, submission {submission:?}"
                    ));
                }
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        super::process::stop_gracefully(&mut self.child, STOP_TIMEOUT);
    }
}

/// Connects to IMAP with TLS and reads until Dovecot's real greeting. While its auth process
/// is still starting, Dovecot first sends `* OK Waiting for authentication process...`; a
/// client that took that for the greeting would race the server, so it does not count.
fn probe_imap(connector: &native_tls::TlsConnector, port: u16) -> Result<(), String> {
    let tcp = connect(port)?;
    let tls = connector
        .connect("localhost", tcp)
        .map_err(|e| format!("TLS: {e}"))?;
    let mut reader = BufReader::new(tls);
    for _ in 0..5 {
        let line = read_line(&mut reader)?;
        if line.starts_with("* OK") && !line.contains("Waiting for authentication") {
            let _ = reader.get_mut().write_all(b"a LOGOUT\r\n");
            return Ok(());
        }
    }
    Err("no IMAP greeting".into())
}

/// Connects to submission and reads its `220` greeting.
fn probe_submission(port: u16) -> Result<(), String> {
    let tcp = connect(port)?;
    let mut reader = BufReader::new(tcp);
    for _ in 0..5 {
        let line = read_line(&mut reader)?;
        if line.starts_with("220 ") {
            let _ = reader.get_mut().write_all(b"QUIT\r\n");
            return Ok(());
        }
    }
    Err("no SMTP greeting".into())
}

fn connect(port: u16) -> Result<TcpStream, String> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let tcp = TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .map_err(|e| format!("connect: {e}"))?;
    tcp.set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    Ok(tcp)
}

fn read_line(reader: &mut impl BufRead) -> Result<String, String> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) => Err("connection closed".into()),
        Ok(_) => Ok(line),
        Err(e) => Err(format!("read: {e}")),
    }
}

fn tls_connector_for(ca_file: &Path) -> native_tls::TlsConnector {
    let pem = fs::read(ca_file).expect("read the test CA's PEM");
    let ca = native_tls::Certificate::from_pem(&pem).expect("the test CA's PEM parses");
    native_tls::TlsConnector::builder()
        .add_root_certificate(ca)
        .build()
        .expect("build a TLS connector trusting the test CA")
}

/// Two distinct ports that are free on 127.0.0.1 (and on ::1 when `ipv6`).
fn free_ports(ipv6: bool) -> (u16, u16) {
    // Holding the listeners until both ports are chosen keeps them distinct; they are closed
    // before Dovecot binds (both sides set SO_REUSEADDR, and no connection was made).
    let mut held = Vec::new();
    let mut ports = Vec::new();
    for _ in 0..100 {
        if ports.len() == 2 {
            break;
        }
        let v4 = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port on 127.0.0.1");
        let port = v4
            .local_addr()
            .expect("a bound listener has an address")
            .port();
        if ipv6 {
            match TcpListener::bind(("::1", port)) {
                Ok(v6) => held.push(v6),
                Err(_) => continue, // taken on ::1 only; try another
            }
        }
        held.push(v4);
        ports.push(port);
    }
    assert_eq!(ports.len(), 2, "found no two free loopback ports");
    (ports[0], ports[1])
}

/// The account with this address (the tests' shorthand is the address, not the login).
fn account(email: &str) -> Account {
    ACCOUNTS
        .into_iter()
        .find(|a| a.email == email)
        .unwrap_or_else(|| panic!("{email} is not a test account; use dovecot::ALICE or BOB"))
}

/// An account's home directory; its INBOX is `Maildir` inside.
fn home_of(root: &Path, email: &str) -> PathBuf {
    let local = email.split('@').next().unwrap_or(email);
    root.join("mail").join(local)
}

/// Hands `path` to the mail user when we are root; without root everything is ours already.
fn chown(path: &Path, owner: Option<(u32, u32)>) {
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(path, Some(uid), Some(gid))
            .unwrap_or_else(|e| panic!("chown {} to {uid}:{gid}: {e}", path.display()));
    }
}

fn read_log(root: &Path) -> String {
    let log = fs::read_to_string(root.join("dovecot.log")).unwrap_or_default();
    let stderr = fs::read_to_string(root.join("dovecot.stderr")).unwrap_or_default();
    if stderr.trim().is_empty() {
        log
    } else {
        format!("{log}\n--- dovecot's standard error ---\n{stderr}")
    }
}

/// Writes `passwd.imap` and `passwd.submission`: each service accepts its own login names.
fn write_passwd_files(root: &Path, passwords: &BTreeMap<&'static str, String>) {
    let line = |login: &str, email: &str| format!("{login}:{{PLAIN}}{}\n", passwords[email]);
    let imap: String = ACCOUNTS
        .iter()
        .map(|a| line(a.imap_login, a.email))
        .collect();
    let smtp: String = ACCOUNTS
        .iter()
        .map(|a| line(a.smtp_login, a.email))
        .collect();
    replace_passwd_file(&root.join("passwd.imap"), &imap);
    replace_passwd_file(&root.join("passwd.submission"), &smtp);
}

/// Replaces a passwd-file atomically (Dovecot never reads half of it) with an mtime at least
/// one second after the old one, so Dovecot notices even a same-size change in the same second.
fn replace_passwd_file(path: &Path, contents: &str) {
    let previous = fs::metadata(path).and_then(|m| m.modified()).ok();
    let now = SystemTime::now();
    let mtime = previous.map_or(now, |old| now.max(old + Duration::from_secs(1)));
    let staging = path.with_extension("staging");
    fs::write(&staging, contents).expect("write a passwd-file");
    // The auth process runs as the `dovecot` user when we are root.
    fs::set_permissions(&staging, fs::Permissions::from_mode(0o644))
        .expect("make the passwd-file readable to Dovecot's auth process");
    fs::File::options()
        .write(true)
        .open(&staging)
        .and_then(|f| f.set_modified(mtime))
        .expect("set the passwd-file's mtime");
    fs::rename(&staging, path).expect("move the passwd-file into place");
}

/// Sleeps until the wall clock is in the next whole second (plus a little margin).
fn sleep_into_next_second() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    let rest = Duration::from_secs(1)
        .checked_sub(Duration::from_nanos(u64::from(now.subsec_nanos())))
        .unwrap();
    std::thread::sleep(rest + Duration::from_millis(20));
}

/// Which system users Dovecot's processes run as.
struct RunAs {
    /// True when we are root: Dovecot then drops privileges to the users below and chroots
    /// its login processes.
    root: bool,
    internal_user: String,
    internal_group: String,
    login_user: String,
    mail_uid: u32,
    mail_gid: u32,
}

impl RunAs {
    fn detect() -> RunAs {
        if id(&["-u"]) == "0" {
            // Dovecot refuses to run its processes as root, so use the users the Debian
            // package created; mail belongs to `nobody`, which owns nothing else.
            RunAs {
                root: true,
                internal_user: "dovecot".into(),
                internal_group: "dovecot".into(),
                login_user: "dovenull".into(),
                mail_uid: parse_id(&id(&["-u", "nobody"])),
                mail_gid: parse_id(&id(&["-g", "nobody"])),
            }
        } else {
            // Without root Dovecot cannot switch users: everything runs as the developer.
            let user = id(&["-un"]);
            RunAs {
                root: false,
                internal_group: id(&["-gn"]),
                login_user: user.clone(),
                internal_user: user,
                mail_uid: parse_id(&id(&["-u"])),
                mail_gid: parse_id(&id(&["-g"])),
            }
        }
    }
}

/// Output of `id ARGS`, trimmed.
fn id(args: &[&str]) -> String {
    let out = Command::new("id")
        .args(args)
        .output()
        .expect("run `id` to learn which users Dovecot should run as");
    assert!(out.status.success(), "`id {}` failed", args.join(" "));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn parse_id(text: &str) -> u32 {
    text.parse()
        .unwrap_or_else(|_| panic!("`id` printed a non-numeric id: {text:?}"))
}

/// Everything that varies in the generated `dovecot.conf`.
struct Config<'a> {
    root: &'a Path,
    run_as: &'a RunAs,
    cert_path: &'a Path,
    key_path: &'a Path,
    ipv6: bool,
    imap_port: u16,
    submission_port: u16,
    relay_port: u16,
    /// Whether Dovecot's LMTP service runs (on `base_dir/lmtp`) for the sink to deliver to.
    lmtp: bool,
    imap_capability: Option<&'a str>,
    special_use: &'a [(&'a str, &'a str)],
}

impl Config<'_> {
    fn render(&self) -> String {
        let root = self.root.display();
        let cert = self.cert_path.display();
        let key = self.key_path.display();
        let listen = if self.ipv6 {
            "127.0.0.1, ::1"
        } else {
            "127.0.0.1"
        };
        let RunAs {
            internal_user,
            internal_group,
            login_user,
            mail_uid,
            mail_gid,
            ..
        } = self.run_as;
        // Without root there is no chroot (the services below chroot by default; anvil's
        // and the login services' are the ones that run here), and auth-worker cannot switch
        // to its default user, root.
        let (login_chroot, non_root_services) = if self.run_as.root {
            (String::new(), String::new())
        } else {
            let unchrooted = [
                "anvil",
                "ipc",
                "aggregator",
                "old-stats",
                "imap-urlauth-login",
            ]
            .map(|service| format!("service {service} {{\n  chroot =\n}}\n"))
            .concat();
            (
                "  chroot =\n".to_string(),
                format!(
                    "{unchrooted}service auth-worker {{\n  user = $default_internal_user\n}}\n"
                ),
            )
        };
        let imap_port = self.imap_port;
        let submission_port = self.submission_port;
        let relay_port = self.relay_port;
        let (protocols, allow_all_users, lmtp_service) = if self.lmtp {
            (
                "imap submission lmtp",
                // LMTP looks up recipients in the userdb only, without a passdb to ask.
                " allow_all_users=yes",
                "service lmtp {\n  unix_listener lmtp {\n    mode = 0666\n  }\n}\n",
            )
        } else {
            ("imap submission", "", "")
        };
        let imap_capability = self
            .imap_capability
            .map(|list| format!("imap_capability = {list}\n"))
            .unwrap_or_default();
        let namespace = if self.special_use.is_empty() {
            String::new()
        } else {
            let mut mailboxes = String::new();
            for (name, flag) in self.special_use {
                let _ = write!(
                    mailboxes,
                    "  mailbox \"{name}\" {{\n    special_use = {flag}\n  }}\n"
                );
            }
            format!("namespace inbox {{\n  inbox = yes\n{mailboxes}}}\n")
        };
        let imap_capability = format!("{imap_capability}{namespace}");
        format!(
            r#"# Generated by tests/support/dovecot.rs for one test run; that file explains why.
base_dir = {root}/run
state_dir = {root}/state
instance_name = icloud-setup-test
log_path = {root}/dovecot.log
protocols = {protocols}
listen = {listen}
hostname = localhost

# TLS with the test CA's certificate for localhost; no authentication without it.
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes

auth_mechanisms = plain login
# Fail fast: the default is 2 s per failed login.
auth_failure_delay = 0
# Switch off anvil's per-IP auth penalty (2, 4, 8 up to 15 s before each login from an
# address with recent failures): auth disables it when it cannot connect to this socket.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
# No cache, so a changed password takes effect at once.
auth_cache_size = 0
# Say in the log why a login failed ("unknown user", "Password mismatch").
auth_verbose = yes

default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {mail_uid}

# Each service has its own users: %s is the service name (imap or submission).
passdb {{
  driver = passwd-file
  args = {root}/passwd.%s
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%n{allow_all_users}
}}
mail_location = maildir:~/Maildir

service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {imap_port}
    ssl = yes
  }}
{login_chroot}}}
service submission-login {{
  inet_listener submission {{
    port = {submission_port}
  }}
{login_chroot}}}
{non_root_services}{lmtp_service}{imap_capability}
submission_relay_host = 127.0.0.1
submission_relay_port = {relay_port}
submission_relay_ssl = no
submission_relay_trusted = no
"#
        )
    }
}
