//! A private Secret Service (GNOME Keyring on its own D-Bus session bus) for keyring tests.
//!
//! [`SecretService::start`] runs `dbus-daemon` with a configuration generated into the test's
//! directory and `gnome-keyring-daemon --unlock --components=secrets` on that bus, with HOME
//! and every XDG directory pointing into the test's directory. The bus has no service
//! directories, so nothing installed on the machine is activated on it, and the developer's
//! real keyring is never reachable: the binary under test gets [`SecretService::envs`].
//!
//! Items are addressed as the product stores them (keyring v4 via
//! zbus-secret-service-keyring-store): attributes `service` = `icloud-setup` and `username` =
//! the account's address, in the default collection (GNOME Keyring's `login`, created and
//! unlocked by `--unlock`). `secret-tool` is the independent reader that proves other programs
//! see what the product stored.
//!
//! [`no_keyring_envs`] is the opposite: an environment in which no Secret Service is reachable.
//! Two more keyring faults for the fault matrix: [`BareBus`], a private session bus on which
//! no Secret Service runs, and [`SilentBus`], a socket that accepts D-Bus connections and
//! never says a word (a hung bus).

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::peers;

/// The Secret Service attribute `service` of the product's items.
pub const SERVICE: &str = "icloud-setup";
/// The password of the test keyring (`login` collection), fed to `--unlock`.
pub const KEYRING_PASSWORD: &str = "icloud-setup-test-keyring";

/// How long the bus and the keyring may take to come up (CI has two slow cores).
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one `secret-tool` or `dbus-send` call may take before it counts as hung.
const TOOL_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a daemon may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(5);
/// The address of the dummy item used to prove the service answers.
const PROBE_USER: &str = "readiness-probe@icloud-setup.invalid";

/// A running private Secret Service. Dropping it stops the keyring daemon and then the bus.
pub struct SecretService {
    // Declared first so it is dropped first: the keyring stops while its bus still exists.
    keyring: Daemon,
    bus: Daemon,
    root: PathBuf,
    envs: Vec<(String, String)>,
    secret_tool_path: PathBuf,
}

impl SecretService {
    /// Starts the bus and the keyring in `dir/secret-service` and waits until a
    /// store-lookup-clear round trip with `secret-tool` works.
    ///
    /// Returns `None` (after saying why) when a program is not installed, unless
    /// `ICLOUD_SETUP_REQUIRE_PEERS=1`; panics with the daemons' output when they are installed
    /// but do not come up.
    pub fn start(dir: &Path) -> Option<SecretService> {
        let why = "private Secret Service for keyring tests";
        let dbus_daemon = peers::require_program("dbus-daemon", why)?;
        let keyring_daemon = peers::require_program("gnome-keyring-daemon", why)?;
        let secret_tool =
            peers::require_program("secret-tool", "reads the keyring as other programs do")?;

        let root = dir.join("secret-service");
        let (bus, envs) = start_private_bus(&dbus_daemon, &root);

        let mut keyring = Daemon::spawn(
            "gnome-keyring-daemon",
            Command::new(&keyring_daemon)
                .args(["--foreground", "--components=secrets", "--unlock"])
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .envs(envs.iter().map(|(k, v)| (k, v)))
                .stdin(Stdio::piped())
                .stdout(Stdio::null()),
            &root,
        );
        // `--unlock` reads the login keyring's password from standard input until EOF, then
        // creates that keyring (the default collection) or unlocks it.
        let mut stdin = keyring.child.stdin.take().expect("keyring stdin is piped");
        stdin
            .write_all(KEYRING_PASSWORD.as_bytes())
            .expect("give gnome-keyring-daemon its password");
        drop(stdin);

        let mut service = SecretService {
            keyring,
            bus,
            root,
            envs,
            secret_tool_path: secret_tool,
        };
        service.wait_until_ready();
        Some(service)
    }

    /// Environment for a command that should use this Secret Service:
    /// `DBUS_SESSION_BUS_ADDRESS`, `HOME`, `XDG_CONFIG_HOME`, `XDG_DATA_HOME`,
    /// `XDG_CACHE_HOME`, `XDG_STATE_HOME` and `XDG_RUNTIME_DIR`, all private to the test.
    /// The product's default config is then `$XDG_CONFIG_HOME/icloud-setup/config.toml`.
    pub fn envs(&self) -> Vec<(String, String)> {
        self.envs.clone()
    }

    /// The value of one of [`SecretService::envs`].
    pub fn env(&self, name: &str) -> &str {
        self.envs.iter().find(|(k, _)| k == name).map_or_else(
            || panic!("{name} is not one of the Secret Service's variables"),
            |(_, v)| v.as_str(),
        )
    }

    /// Applies [`SecretService::envs`] to a standard-library command.
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command.envs(self.envs.iter().map(|(k, v)| (k, v)))
    }

    /// The secret stored for `email`, read with
    /// `secret-tool lookup service icloud-setup username EMAIL` (exactly as stored, no newline
    /// added), or `None` when there is none or the keyring is locked.
    pub fn lookup(&self, email: &str) -> Option<String> {
        let run = self.secret_tool(&["lookup", "service", SERVICE, "username", email], None);
        match run.status.code() {
            Some(0) => Some(run.stdout),
            // secret-tool exits 1 without a word when nothing matches (or it may not unlock).
            Some(1) if run.stderr.trim().is_empty() => None,
            _ => panic!("secret-tool lookup failed: {run:?}\n{}", self.log()),
        }
    }

    /// Stores `secret` for `email` as another program would (`secret-tool store`), for tests
    /// that need a pre-existing secret.
    pub fn store(&self, email: &str, secret: &str) {
        let label = format!("--label=icloud-setup test: {email}");
        let args = ["store", &label, "service", SERVICE, "username", email];
        let run = self.secret_tool(&args, Some(secret));
        assert!(
            run.status.success(),
            "secret-tool store failed: {run:?}\n{}",
            self.log()
        );
    }

    /// Stores `secret` for `email` as this program marks an entry saved for the config at
    /// `config` (attribute `icloud-setup-configs` = its canonical path; its folder is made
    /// so that the path can be resolved): an entry an interrupted save of that config left.
    pub fn store_for_config(&self, email: &str, secret: &str, config: &Path) {
        let folder = config.parent().expect("a config path has a folder");
        std::fs::create_dir_all(folder).unwrap();
        let canonical = std::fs::canonicalize(folder)
            .unwrap()
            .join(config.file_name().unwrap());
        let canonical = canonical.to_str().expect("test paths are UTF-8");
        let label = format!("--label=icloud-setup test: {email}");
        let args = [
            "store",
            &label,
            "service",
            SERVICE,
            "username",
            email,
            "icloud-setup-configs",
            canonical,
        ];
        let run = self.secret_tool(&args, Some(secret));
        assert!(
            run.status.success(),
            "secret-tool store failed: {run:?}\n{}",
            self.log()
        );
    }

    /// Deletes every item for `email` (`secret-tool clear`).
    pub fn clear(&self, email: &str) {
        let run = self.secret_tool(&["clear", "service", SERVICE, "username", email], None);
        assert!(
            run.status.success(),
            "secret-tool clear failed: {run:?}\n{}",
            self.log()
        );
    }

    /// Locks the default (`login`) collection, as a screen lock would. Reading or writing then
    /// needs an unlock prompt, which fails at once here because no prompter exists on this
    /// bus — the "keyring locked" case.
    pub fn lock(&self) {
        let dbus_send = peers::find_program("dbus-send")
            .expect("dbus-send (package dbus-bin, installed with dbus) locks the keyring");
        let mut command = Command::new(dbus_send);
        command
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .envs(self.envs.iter().map(|(k, v)| (k, v)));
        let run = run_with_timeout(&mut command, None);
        assert!(
            run.status.success() && run.stdout.contains("collection/login"),
            "locking the keyring failed: {run:?}\n{}",
            self.log()
        );
    }

    /// The keyring daemon's files (`$XDG_DATA_HOME/keyrings`), path and bytes, sorted: what
    /// a locked keyring holds can be compared this way without unlocking it.
    pub fn stored_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let dir = Path::new(self.env("XDG_DATA_HOME")).join("keyrings");
        let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| Some((e.path(), std::fs::read(e.path()).ok()?)))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// What the bus and the keyring daemon printed, for failure messages.
    pub fn log(&self) -> String {
        read_logs(&self.root)
    }

    fn secret_tool(&self, args: &[&str], stdin: Option<&str>) -> ToolRun {
        let mut command = Command::new(&self.secret_tool_path);
        command
            .args(args)
            .envs(self.envs.iter().map(|(k, v)| (k, v)));
        run_with_timeout(&mut command, stdin)
    }

    /// Polls until a dummy item can be stored, read back and cleared, or a daemon died.
    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        let mut last = String::new();
        while Instant::now() < deadline {
            for daemon in [&mut self.bus, &mut self.keyring] {
                if let Some(status) = daemon.exited() {
                    let name = daemon.name;
                    panic!("{name} exited ({status}):\n{}", read_logs(&self.root));
                }
            }
            let label = "--label=icloud-setup readiness probe";
            let args = ["store", label, "service", SERVICE, "username", PROBE_USER];
            let stored = self.secret_tool(&args, Some("probe"));
            if stored.status.success() {
                let found = self.lookup(PROBE_USER);
                self.clear(PROBE_USER);
                assert_eq!(found.as_deref(), Some("probe"), "the probe item reads back");
                return;
            }
            // Typically "org.freedesktop.secrets was not provided" until the daemon registers.
            last = stored.stderr;
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "the Secret Service did not answer within {START_TIMEOUT:?}; secret-tool said: \
             {last}\n{}",
            self.log()
        );
    }
}

/// A private session bus with nothing on it: the "no Secret Service on the bus" fault. A
/// keyring call gets an answer at once, and the answer is that nobody provides
/// `org.freedesktop.secrets` (the bus has no service directories to activate one from).
pub struct BareBus {
    _bus: Daemon,
    envs: Vec<(String, String)>,
}

impl BareBus {
    /// Starts `dbus-daemon` in `dir/bare-bus`; `None` (skip) when it is not installed.
    pub fn start(dir: &Path) -> Option<BareBus> {
        let dbus_daemon = peers::require_program("dbus-daemon", "a session bus without a keyring")?;
        let root = dir.join("bare-bus");
        let (bus, envs) = start_private_bus(&dbus_daemon, &root);
        Some(BareBus { _bus: bus, envs })
    }

    /// `DBUS_SESSION_BUS_ADDRESS` (this bus) and a private HOME and XDG directories.
    pub fn envs(&self) -> Vec<(String, String)> {
        self.envs.clone()
    }
}

/// A unix socket that accepts connections and never reads or writes: a session bus that
/// hangs. A D-Bus client connecting to it waits for the authentication exchange forever, so
/// only the caller's own time limit ends the call. Dropping it stops accepting and closes
/// every connection.
pub struct SilentBus {
    envs: Vec<(String, String)>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SilentBus {
    /// Listens on `dir/silent-bus/bus`.
    pub fn start(dir: &Path) -> SilentBus {
        let root = dir.join("silent-bus");
        let mut envs = private_home(&root);
        let socket = root.join("bus");
        let listener = UnixListener::bind(&socket).expect("bind the silent bus socket");
        listener
            .set_nonblocking(true)
            .expect("make the silent bus non-blocking");
        envs.insert(
            0,
            (
                "DBUS_SESSION_BUS_ADDRESS".into(),
                format!("unix:path={}", socket.display()),
            ),
        );
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                // Held, never read: the client's bytes sit in the socket buffer unanswered.
                let mut held = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => held.push(stream),
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            })
        };
        SilentBus {
            envs,
            stop,
            thread: Some(thread),
        }
    }

    /// `DBUS_SESSION_BUS_ADDRESS` (this socket) and a private HOME and XDG directories.
    pub fn envs(&self) -> Vec<(String, String)> {
        self.envs.clone()
    }
}

impl Drop for SilentBus {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An environment with a private HOME and XDG directories in `dir/no-keyring` and a session
/// bus address where nothing listens, so any keyring call fails the way it does on a server
/// without a desktop session.
pub fn no_keyring_envs(dir: &Path) -> Vec<(String, String)> {
    let root = dir.join("no-keyring");
    let mut envs = private_home(&root);
    let nothing = root.join("nothing");
    envs.insert(
        0,
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            format!("unix:path={}", nothing.display()),
        ),
    );
    envs
}

/// Starts a private `dbus-daemon` in `root` and returns it with the environment that
/// reaches it: a private HOME and XDG directories, and `DBUS_SESSION_BUS_ADDRESS` first.
fn start_private_bus(dbus_daemon: &Path, root: &Path) -> (Daemon, Vec<(String, String)>) {
    let mut envs = private_home(root);
    let bus_config = root.join("bus.conf");
    std::fs::write(&bus_config, bus_config_xml(&root.join("bus")))
        .expect("write the D-Bus configuration");
    let mut bus = Daemon::spawn(
        "dbus-daemon",
        Command::new(dbus_daemon)
            .arg(format!("--config-file={}", bus_config.display()))
            .arg("--nofork")
            // Prints the bus address on standard output once it listens.
            .arg("--print-address=1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped()),
        root,
    );
    let address = bus.first_stdout_line();
    assert!(
        address.starts_with("unix:"),
        "dbus-daemon printed no address; its output:\n{}",
        read_logs(root)
    );
    envs.insert(0, ("DBUS_SESSION_BUS_ADDRESS".into(), address));
    (bus, envs)
}

/// Creates HOME and the XDG directories below `root` and returns the variables naming them.
fn private_home(root: &Path) -> Vec<(String, String)> {
    let home = root.join("home");
    let runtime = root.join("runtime");
    let dirs = [
        ("HOME", home.clone()),
        ("XDG_CONFIG_HOME", home.join(".config")),
        ("XDG_DATA_HOME", home.join(".local/share")),
        ("XDG_CACHE_HOME", home.join(".cache")),
        ("XDG_STATE_HOME", home.join(".local/state")),
        ("XDG_RUNTIME_DIR", runtime.clone()),
    ];
    for (_, path) in &dirs {
        std::fs::create_dir_all(path).expect("create a private HOME/XDG directory");
    }
    // The XDG base directory spec requires the runtime dir to be 0700; GNOME Keyring checks.
    std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700))
        .expect("make XDG_RUNTIME_DIR private");
    dirs.into_iter()
        .map(|(name, path)| {
            let value = path.to_str().expect("test paths are UTF-8").to_string();
            (name.to_string(), value)
        })
        .collect()
}

/// A session bus configuration: one private socket, EXTERNAL (uid) authentication, everything
/// allowed, and — unlike the system's session.conf — no service directories, so no installed
/// service (such as the real gnome-keyring) can be activated on this bus.
fn bus_config_xml(socket: &Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<!-- Generated by tests/support/secret_service.rs for one test. -->
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
        socket = socket.display()
    )
}

/// A daemon we started; dropping it stops it (SIGTERM, then SIGKILL) and reaps it.
struct Daemon {
    name: &'static str,
    child: Child,
}

impl Daemon {
    /// Spawns `command` with standard error going to `root/NAME.stderr`.
    fn spawn(name: &'static str, command: &mut Command, root: &Path) -> Daemon {
        let stderr = std::fs::File::create(root.join(format!("{name}.stderr")))
            .expect("create a daemon's stderr file");
        let child = command
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        Daemon { name, child }
    }

    /// The first line the daemon printed on its piped standard output, trimmed ("" on EOF).
    fn first_stdout_line(&mut self) -> String {
        let stdout = self.child.stdout.take().expect("daemon stdout is piped");
        let mut line = String::new();
        // dbus-daemon prints the address once it listens, or exits (EOF) on failure.
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the daemon's standard output");
        line.trim().to_string()
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        super::process::stop_gracefully(&mut self.child, STOP_TIMEOUT);
    }
}

fn read_logs(root: &Path) -> String {
    ["dbus-daemon", "gnome-keyring-daemon"]
        .iter()
        .map(|name| {
            let text =
                std::fs::read_to_string(root.join(format!("{name}.stderr"))).unwrap_or_default();
            format!("--- {name} stderr ---\n{text}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The outcome of one helper command.
#[derive(Debug)]
struct ToolRun {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `command`, feeding `stdin` (if any) and killing it after [`TOOL_TIMEOUT`]: a keyring
/// that waits for a prompt nobody answers must fail the test, not hang it.
fn run_with_timeout(command: &mut Command, stdin: Option<&str>) -> ToolRun {
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {command:?}: {e}"));
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // secret-tool stores standard input verbatim, so no newline is added.
        pipe.write_all(input.as_bytes())
            .expect("write the command's standard input");
    }
    let deadline = Instant::now() + TOOL_TIMEOUT;
    let status = loop {
        match child.try_wait().expect("wait for the command") {
            Some(status) => break status,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{command:?} hung for {TOOL_TIMEOUT:?}");
            }
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    // The outputs are a few lines, well within a pipe's buffer, so reading after exit is safe.
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout)
            .expect("read the command's output");
    }
    if let Some(mut err) = child.stderr.take() {
        err.read_to_string(&mut stderr)
            .expect("read the command's errors");
    }
    ToolRun {
        status,
        stdout,
        stderr,
    }
}
