//! Trust, through the binary: what a `--ca-file` may be (issue 18 item 9), and which system
//! CAs are trusted (issue 19 item 10).
//!
//! - A `--ca-file` (or `ICLOUD_SETUP_CA_FILE`) is read as the config is read: a regular file
//!   of at most 1 MiB. `/dev/zero`, a FIFO, a directory and a huge file are refused at once,
//!   long before `--timeout`, with exit 65 and words in the person's language. The runs are
//!   held to 2 GiB of address space, so a build that reads without a bound fails here
//!   instead of taking the machine's memory.
//! - The system's CAs are exactly OpenSSL's default paths: `SSL_CERT_FILE` or the bundle
//!   file, and `SSL_CERT_DIR` or the hashed directory. A CA found only in one of them is
//!   trusted; one in neither is refused with the certificate error (76). The bundle file
//!   itself is changed only inside a private mount namespace (`unshare -m`, as root), for
//!   the one run that needs it.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::binary::{GERMAN, Sandbox, run_with_stdin};
use support::certs::{ServerCert, TestCa};
use support::fake_servers::{
    FakeImap, FakeSmtp, ImapScript, ImapTransport, SmtpMode, SmtpScript, TEST_PASSWORD,
};
use support::secret_service::{SecretService, no_keyring_envs};

/// `command` run by `sh -c SCRIPT`, which ends in `exec` of the command with its arguments
/// and environment.
fn through_shell(command: &Command, script: &str) -> Command {
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(format!("{script}; exec \"$0\" \"$@\""))
        .arg(command.get_program())
        .args(command.get_args())
        .env_clear();
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            shell.env(key, value);
        }
    }
    shell
}

/// Runs `command` with at most 2 GiB of address space, and kills it after `limit`.
/// Returns its exit code (`None` when a signal ended it), its standard error, and the
/// time it took.
fn run_limited(command: &Command, limit: Duration) -> (Option<i32>, String, Duration) {
    let mut bounded = through_shell(command, "ulimit -v 2097152");
    let started = Instant::now();
    let mut child = bounded
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start icloud-setup");
    loop {
        if child.try_wait().expect("wait for icloud-setup").is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("wait for icloud-setup");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        started.elapsed(),
    )
}

/// How a `--ca-file` is given.
enum Given {
    Flag,
    Environment,
}

#[test]
fn a_ca_file_that_is_not_a_regular_file_of_sane_size_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("ca.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // Sparse: 3 GiB of nothing on disk, more than the run may hold in memory.
    let huge = dir.path().join("huge.pem");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    // Just over the cap, with a real-looking start.
    let large = dir.path().join("large.pem");
    std::fs::write(
        &large,
        format!(
            "-----BEGIN CERTIFICATE-----\n{}",
            "A".repeat(1024 * 1024 + 1)
        ),
    )
    .unwrap();
    let not_a_file = "not a regular file";
    let too_large = "larger than 1024 KiB";
    let rows: [(&Path, Given, &str); 6] = [
        (Path::new("/dev/zero"), Given::Flag, not_a_file),
        (Path::new("/dev/zero"), Given::Environment, not_a_file),
        (&fifo, Given::Flag, not_a_file),
        (dir.path(), Given::Environment, not_a_file),
        (&huge, Given::Flag, too_large),
        (&large, Given::Environment, too_large),
    ];
    let sandbox = Sandbox::with_envs(dir.path(), no_keyring_envs(dir.path()));
    for (path, given, words) in rows {
        let mut command = sandbox.command();
        match given {
            Given::Flag => {
                command.arg("--ca-file").arg(path);
            }
            Given::Environment => {
                command.env("ICLOUD_SETUP_CA_FILE", path);
            }
        }
        command.args(["--timeout", "10", "status"]);
        let (code, stderr, took) = run_limited(&command, Duration::from_secs(15));
        assert!(took < Duration::from_secs(3), "{path:?} took {took:?}");
        assert_eq!(code, Some(65), "{path:?}:\n{stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
        assert!(stderr.contains(words), "{path:?}:\n{stderr}");
        assert!(stderr.contains("hint:"), "{stderr}");
    }
}

#[test]
fn a_ca_file_refusal_is_worded_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let mut sandbox = Sandbox::with_envs(dir.path(), no_keyring_envs(dir.path()));
    sandbox.set_locale(GERMAN);
    let mut command = sandbox.command();
    command.args(["--ca-file", "/dev/zero", "status"]);
    let (code, stderr, _) = run_limited(&command, Duration::from_secs(15));
    assert_eq!(code, Some(65), "{stderr}");
    assert!(stderr.contains("keine normale Datei"), "{stderr}");
    assert!(stderr.contains("ICLOUD_SETUP_CA_FILE"), "{stderr}");
    assert!(!stderr.contains("not a regular file"), "{stderr}");
}

// ------------------------------------------------------------------ the system's CAs

/// Scripted servers for `localhost` whose certificates a fresh test CA signed, which no
/// system trusts; a private keyring, so a trusted run goes all the way to a save.
struct World {
    dir: tempfile::TempDir,
    ca: TestCa,
    _keyring: SecretService,
    sandbox: Sandbox,
    imap: FakeImap,
    smtp: FakeSmtp,
}

impl World {
    fn start() -> Option<World> {
        World::serving(|ca| ca.server_cert("localhost"))
    }

    /// Servers whose certificate `cert` makes (for `localhost`, or not).
    fn serving(cert: impl Fn(&TestCa) -> ServerCert) -> Option<World> {
        let dir = tempfile::tempdir().unwrap();
        let ca = TestCa::new(dir.path());
        let keyring = SecretService::start(dir.path())?;
        let sandbox = Sandbox::with_keyring(dir.path(), &keyring);
        let imap = FakeImap::start(
            ImapTransport::Tls(cert(&ca).identity()),
            ImapScript::default(),
        );
        let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(cert(&ca).identity())));
        Some(World {
            dir,
            ca,
            _keyring: keyring,
            sandbox,
            imap,
            smtp,
        })
    }

    /// `setup` against the scripted servers, without `--ca-file`.
    fn setup(&self) -> Command {
        let mut command = self.sandbox.command();
        command
            .arg("--imap-server")
            .arg(self.imap.host_addr("localhost"))
            .arg("--smtp-server")
            .arg(self.smtp.host_addr("localhost"))
            .args(["--timeout", "10"])
            .args(["setup", "--email", "alice@icloud.com", "--password-stdin"]);
        command
    }

    fn run(&self, command: &mut Command) -> (Option<i32>, String) {
        let output = run_with_stdin(command, &format!("{TEST_PASSWORD}\n"));
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// An empty directory: `SSL_CERT_DIR` pointing there hides the system's hashed one.
    fn empty_dir(&self) -> PathBuf {
        let empty = self.path("no-certs");
        std::fs::create_dir_all(&empty).unwrap();
        empty
    }
}

fn assert_trusted((code, stderr): (Option<i32>, String), case: &str) {
    assert_eq!(code, Some(0), "{case}:\n{stderr}");
    assert!(stderr.contains("signed in as"), "{case}:\n{stderr}");
}

#[test]
fn a_ca_only_in_ssl_cert_file_is_trusted() {
    let Some(world) = World::start() else {
        return;
    };
    let mut command = world.setup();
    command
        .env("SSL_CERT_FILE", &world.ca.ca_path)
        .env("SSL_CERT_DIR", world.empty_dir());
    assert_trusted(world.run(&mut command), "SSL_CERT_FILE");
}

/// A CA found only in the bundle file lifts "no trusted issuer", nothing else: a
/// certificate for another name or out of date is still refused, with its own verdict.
#[test]
fn a_ca_only_in_the_bundle_file_still_needs_the_right_name_and_dates() {
    type MakeCert = fn(&TestCa) -> ServerCert;
    let rows: [(MakeCert, &str); 2] = [
        (|ca| ca.server_cert("mail.example.org"), "another name"),
        (|ca| ca.expired_server_cert("localhost"), "has expired"),
    ];
    for (cert, words) in rows {
        let Some(world) = World::serving(cert) else {
            return;
        };
        let mut command = world.setup();
        command
            .env("SSL_CERT_FILE", &world.ca.ca_path)
            .env("SSL_CERT_DIR", world.empty_dir());
        let (code, stderr) = world.run(&mut command);
        assert_eq!(code, Some(76), "{words}:\n{stderr}");
        assert!(stderr.contains(words), "{words}:\n{stderr}");
        assert!(!stderr.contains("signed in as"), "{stderr}");
    }
}

#[test]
fn a_ca_only_in_ssl_cert_dir_is_trusted() {
    let Some(world) = World::start() else {
        return;
    };
    let Some(openssl) = support::peers::require_program("openssl", "makes the hash links") else {
        return;
    };
    let hashed = world.path("hashed");
    std::fs::create_dir_all(&hashed).unwrap();
    std::fs::copy(&world.ca.ca_path, hashed.join("test-ca.pem")).unwrap();
    let rehash = Command::new(openssl)
        .arg("rehash")
        .arg(&hashed)
        .output()
        .unwrap();
    assert!(rehash.status.success(), "{rehash:?}");
    // The CA is found by its hash link only: the file OpenSSL reads holds nothing.
    let empty_file = world.path("empty.pem");
    std::fs::write(&empty_file, "").unwrap();
    let mut command = world.setup();
    command
        .env("SSL_CERT_FILE", &empty_file)
        .env("SSL_CERT_DIR", &hashed);
    assert_trusted(world.run(&mut command), "SSL_CERT_DIR");
}

#[test]
fn a_ca_in_neither_place_is_refused_with_the_certificate_error() {
    let Some(world) = World::start() else {
        return;
    };
    for (file, dir) in [
        (None, None),
        (Some(world.path("empty.pem")), Some(world.empty_dir())),
    ] {
        std::fs::write(world.path("empty.pem"), "").unwrap();
        let mut command = world.setup();
        if let (Some(file), Some(dir)) = (&file, &dir) {
            command.env("SSL_CERT_FILE", file).env("SSL_CERT_DIR", dir);
        }
        let (code, stderr) = world.run(&mut command);
        assert_eq!(code, Some(76), "{file:?} {dir:?}:\n{stderr}");
        assert!(stderr.contains("certificate"), "{stderr}");
        assert!(!stderr.contains("signed in as"), "{stderr}");
    }
}

/// Where OpenSSL's default bundle file really is (`OPENSSLDIR/cert.pem`, a link on Debian).
fn default_bundle(openssl: &Path) -> Option<PathBuf> {
    let output = Command::new(openssl)
        .args(["version", "-d"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let dir = text.split('"').nth(1)?;
    std::fs::canonicalize(Path::new(dir).join("cert.pem")).ok()
}

/// The case issue 19 names: a CA appended to the system's bundle file by hand (or by a
/// device-management tool), with no hash link, and neither variable set. curl, msmtp and
/// mbsync trust it; so must the live test.
#[test]
fn a_ca_appended_to_the_system_bundle_without_a_hash_link_is_trusted() {
    let Some(world) = World::start() else {
        return;
    };
    let Some(openssl) = support::peers::require_program("openssl", "finds the bundle file") else {
        return;
    };
    let Some(unshare) = support::peers::require_program("unshare", "changes the bundle in private")
    else {
        return;
    };
    let bundle = default_bundle(&openssl).expect("OpenSSL's default bundle file");
    let mut appended = std::fs::read_to_string(&bundle).unwrap();
    appended.push_str(&std::fs::read_to_string(&world.ca.ca_path).unwrap());
    let copy = world.path("bundle-with-test-ca.pem");
    std::fs::write(&copy, appended).unwrap();

    let probe = Command::new(&unshare)
        .args(["-m", "true"])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    if !probe.success() {
        support::peers::missing::<()>(
            "unshare -m",
            "a private mount namespace (root) to change the bundle file",
        );
        return;
    }
    // The run sees the bundle with the CA appended; the machine's stays as it is.
    let inner = world.setup();
    let mut command = Command::new(&unshare);
    let script = format!(
        "mount --bind '{}' '{}' && exec \"$0\" \"$@\"",
        copy.display(),
        bundle.display()
    );
    command
        .args(["-m", "sh", "-c", &script])
        .arg(inner.get_program())
        .args(inner.get_args())
        .env_clear();
    for (key, value) in inner.get_envs() {
        if let Some(value) = value {
            command.env(key, value);
        }
    }
    assert_trusted(world.run(&mut command), "appended to the bundle");
    assert!(
        !std::fs::read_to_string(&bundle)
            .unwrap()
            .contains(&std::fs::read_to_string(&world.ca.ca_path).unwrap()),
        "the machine's own bundle was changed"
    );
}
