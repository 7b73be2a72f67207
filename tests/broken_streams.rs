//! When the streams or the terminal go away, and when the program itself is wrong (issue 18.12,
//! issue 19 deliverable 5): a closed terminal window is SIGHUP's 130, a standard error that
//! cannot be written is never a panic, a standard output that cannot be written is exit 1,
//! and a panic is a short bug report with exit 70 — the terminal put back, no secret shown.

use crate::support;

use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::process::{Command as Process, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use support::binary::{ENGLISH, GERMAN, Sandbox};
use support::pty::{Screen, wrapped};

const PASSWORD: &str = "kqzt-bnrw-hjcp-vxma";

fn sandbox(dir: &std::path::Path, locale: &str) -> Sandbox {
    let mut sandbox = Sandbox::without_keyring(dir);
    sandbox.set_locale(locale);
    sandbox
}

/// Waits for `child` at most `limit`; kills it (and fails) if it is still running.
fn wait_bounded(child: &mut std::process::Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ------------------------------------------------------------------------- panics

#[test]
fn a_panic_is_a_short_bug_report_with_exit_70_in_both_languages() {
    for (locale, words) in [(ENGLISH, "because of a bug"), (GERMAN, "Programmfehlers")] {
        let dir = tempfile::tempdir().unwrap();
        let output = sandbox(dir.path(), locale)
            .command()
            .env(icloud_setup::panic_trigger::VARIABLE, "start")
            .arg("status")
            .stdin(Stdio::null())
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(70), "{locale}: {stderr}");
        assert!(stderr.contains(words), "{locale}: {stderr}");
        assert!(stderr.contains("/issues"), "where to report: {stderr}");
        assert!(stderr.contains(".rs:"), "the place in the code: {stderr}");
        assert!(
            stderr.contains(env!("CARGO_PKG_VERSION")),
            "the version: {stderr}"
        );
        // The panic's own words, and Rust's backtrace advice, are not shown.
        assert!(!stderr.contains("panic requested"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
        assert!(stderr.lines().count() <= 4, "short: {stderr}");
    }
}

#[test]
fn a_panic_at_the_password_question_restores_the_terminal_and_never_shows_the_password() {
    // A keyring is needed to be asked for the password at all.
    let Some(world) = support::peer_world::PeerWorld::start() else {
        return;
    };
    let mut command = world.command();
    command.env(icloud_setup::panic_trigger::VARIABLE, "secret-entered");
    let mut screen = Screen::start(wrapped(&command));
    screen.expect("Your iCloud e-mail address");
    screen.type_line("alice@icloud.com");
    screen.expect("Your name");
    screen.type_line("Alice");
    screen.expect("App-specific password");
    // The password is in the panic's message (see `panic_trigger`): it must not be shown.
    screen.type_line(PASSWORD);
    screen.expect("exit-code=70");
    screen.expect("terminal=restored");
    let (seen, _) = screen.finish();
    assert!(seen.contains("because of a bug"), "{seen}");
    assert!(!seen.contains(PASSWORD), "{seen}");
    assert!(!seen.contains("carrying"), "{seen}");
    assert!(support::pty::cursor_visible(&seen), "{seen}");
    assert!(world.sandbox.config_text().is_none());
}

// ---------------------------------------------------------------- standard error

#[test]
fn a_standard_error_that_cannot_be_written_is_never_a_panic() {
    // `2>/dev/full`: every write fails with ENOSPC. The error (no account: 67) still ends the
    // run with its own code.
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let status = sandbox(dir.path(), ENGLISH)
        .command()
        .args(["check", "nobody@icloud.com"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(full)
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(67), "{status:?}");
}

#[test]
fn a_closed_pipe_on_standard_error_is_never_a_panic() {
    // `check 2>&1 | head -1`: the reader has gone before the error is written.
    for args in [
        &["check", "nobody@icloud.com"][..],
        &["setup", "--email", "a@b@icloud.com", "--password-stdin"][..],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let mut child = sandbox(dir.path(), GERMAN)
            .command()
            .args(args)
            .stdin(Stdio::null())
            .stdout(writer.try_clone().unwrap())
            .stderr(writer)
            .spawn()
            .expect("run");
        let status = wait_bounded(&mut child, Duration::from_secs(30));
        assert!(
            matches!(status.code(), Some(c) if c != 101 && c != 70),
            "{args:?}: {status:?}"
        );
    }
}

// ---------------------------------------------------------------- standard output

#[test]
fn a_standard_output_that_cannot_be_written_is_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(dir.path(), ENGLISH);
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
    for args in [
        &["--help"][..],
        &["status", "--help"][..],
        &["--version"][..],
        &["settings"][..],
        &["completions", "bash"][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let output = sandbox
            .command()
            .args(args)
            .stdin(Stdio::null())
            .stdout(full)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?} >/dev/full: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_closed_standard_output_is_exit_1() {
    // `status >&-`: the program starts with no file descriptor 1 at all.
    let dir = tempfile::tempdir().unwrap();
    let Some(keyring) = support::secret_service::SecretService::start(dir.path()) else {
        return;
    };
    let sandbox = Sandbox::with_keyring(dir.path(), &keyring);
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
    for args in [&["status"][..], &["--help"][..], &["settings"][..]] {
        let mut shell = Process::new("sh");
        let command = sandbox.command();
        shell
            .arg("-c")
            .arg(r#""$@" >&-"#)
            .arg("sh")
            .arg(command.get_program())
            .args(command.get_args())
            .args(args)
            .env_clear()
            .envs(command.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
            .stdin(Stdio::null());
        let output = shell.output().expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?} >&-: {stderr}");
        // Thrown away on purpose is not closed: `>/dev/null` is still a success.
        let status = sandbox
            .command()
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run");
        assert_eq!(status.code(), Some(0), "{args:?} >/dev/null");
    }
}

// ---------------------------------------------------------------- a lost terminal

/// Reads what the program writes to the terminal until `text` shows (or fails after 30 s).
fn read_until(master: &OwnedFd, text: &str) -> String {
    let mut seen = Vec::new();
    let start = Instant::now();
    let mut file = std::fs::File::from(master.try_clone().unwrap());
    while !String::from_utf8_lossy(&seen).contains(text) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "waiting for {text:?}: {}",
            String::from_utf8_lossy(&seen)
        );
        let mut fds = [PollFd::new(master.as_fd(), PollFlags::POLLIN)];
        if poll(&mut fds, PollTimeout::from(100u16)).unwrap_or(0) == 0 {
            continue;
        }
        let mut buf = [0u8; 4096];
        match file.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

/// The program as the controlling process of its own terminal (`setsid -c`), as a shell in a
/// terminal window is; closing the window (the master side) sends it SIGHUP, and every later
/// write to the terminal fails.
fn in_own_terminal(command: &Process) -> (OwnedFd, std::process::Child) {
    let pty = nix::pty::openpty(None, None).expect("openpty");
    // The master stays with the test alone: a copy in the child would keep the terminal open.
    nix::fcntl::fcntl(
        &pty.master,
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
    )
    .expect("close-on-exec");
    let mut setsid = Process::new("setsid");
    setsid
        .arg("--ctty")
        .arg("--wait")
        .arg(command.get_program())
        .args(command.get_args())
        .env_clear()
        .envs(command.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .env("TERM", "xterm")
        .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(Stdio::from(pty.slave));
    let child = setsid.spawn().expect("setsid");
    (pty.master, child)
}

#[test]
fn closing_the_terminal_at_a_question_is_sighups_130_in_both_languages() {
    for (locale, question) in [
        (ENGLISH, "Your iCloud e-mail address"),
        (GERMAN, "Ihre iCloud-E-Mail-Adresse"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = sandbox(dir.path(), locale);
        let (master, mut child) = in_own_terminal(&sandbox.command());
        read_until(&master, question);
        drop(master);
        let status = wait_bounded(&mut child, Duration::from_secs(30));
        assert_eq!(status.code(), Some(130), "{locale}: {status:?}");
        assert!(sandbox.config_text().is_none());
    }
}

#[test]
fn closing_the_terminal_at_a_choice_is_sighups_130() {
    // The menu of an existing account: a choice (arrow keys), not a line.
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox(dir.path(), ENGLISH);
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
    let (master, mut child) = in_own_terminal(&sandbox.command());
    read_until(&master, "What would you like to do");
    drop(master);
    let status = wait_bounded(&mut child, Duration::from_secs(30));
    assert_eq!(status.code(), Some(130), "{status:?}");
}
