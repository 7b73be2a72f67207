//! The skip policy for tests that need real peers (Dovecot, D-Bus, GNOME Keyring, secret-tool).
//!
//! A developer without the Debian packages still gets a green `cargo test`: tests whose peer is
//! missing say so and skip. CI sets `ICLOUD_SETUP_REQUIRE_PEERS=1`, and then a missing peer
//! fails the test instead, so a broken CI image can never pass by skipping everything.
//!
//! Only *missing* peers skip. A peer that is installed but fails to start is a test failure in
//! every mode: that is a bug in the harness or the machine, and hiding it would hide real bugs.

use std::io::Write;
use std::path::PathBuf;

/// The environment variable that turns "skip" into "fail".
pub const REQUIRE_PEERS_ENV: &str = "ICLOUD_SETUP_REQUIRE_PEERS";

/// Where the peers' programs live on Debian, searched in addition to `PATH`: a non-root
/// developer's `PATH` often lacks `/usr/sbin`, where `dovecot` is installed.
const EXTRA_DIRS: &[&str] = &["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

/// True when `ICLOUD_SETUP_REQUIRE_PEERS=1`: a missing peer must fail the test.
pub fn require_peers() -> bool {
    std::env::var_os(REQUIRE_PEERS_ENV).is_some_and(|v| v == "1")
}

/// The Debian packages that provide `peer`, for the install hint.
pub fn apt_packages(peer: &str) -> Option<&'static str> {
    Some(match peer {
        "dovecot" => "dovecot-imapd dovecot-submissiond",
        "imap" => "dovecot-imapd",
        "submission" => "dovecot-submissiond",
        "lmtp" => "dovecot-lmtpd",
        "gnome-keyring-daemon" => "gnome-keyring",
        "dbus-daemon" => "dbus",
        "dbus-send" => "dbus-bin",
        "secret-tool" => "libsecret-tools",
        "msmtp" => "msmtp",
        "mbsync" => "isync",
        "neomutt" => "neomutt",
        "aerc" => "aerc",
        "tmux" => "tmux",
        "git" => "git",
        "git-email" => "git-email libio-socket-ssl-perl libauthen-sasl-perl",
        "openssl" => "openssl",
        "pass" => "pass",
        "pinentry-curses" => "pinentry-curses",
        "gpg" | "gpgconf" => "gnupg",
        _ => return None,
    })
}

/// The full path of `program`, searching `PATH` and then the usual system directories.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(EXTRA_DIRS.iter().map(PathBuf::from))
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `Some(path)` when `program` is installed; otherwise applies the skip policy via [`missing`].
pub fn require_program(program: &str, why: &str) -> Option<PathBuf> {
    match find_program(program) {
        Some(path) => Some(path),
        None => missing(program, why),
    }
}

/// Reports that `peer` is not installed and returns `None` so the caller can skip, or panics
/// when [`require_peers`] is set.
///
/// The message goes straight to the process's standard error, not through `eprintln!`, because
/// the test harness captures `eprintln!` output of passing tests and a skip must be visible.
pub fn missing<T>(peer: &str, why: &str) -> Option<T> {
    let hint = match apt_packages(peer) {
        Some(packages) => format!("install with: apt-get install {packages}"),
        None => "install the package that provides it".to_string(),
    };
    let message = format!(
        "SKIPPED {test}: {peer} not installed ({why}); {hint}",
        test = current_test_name(),
    );
    assert!(
        !require_peers(),
        "{message} [{REQUIRE_PEERS_ENV}=1, so a missing peer is a failure]"
    );
    // Best effort: if standard error is gone there is nobody to tell.
    let _ = writeln!(std::io::stderr(), "{message}");
    None
}

/// The name of the running test: libtest names each test's thread after the test.
fn current_test_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_string()
}
