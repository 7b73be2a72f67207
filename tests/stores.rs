//! The secret stores against the real peers (issue 18, items 3, 4, 5 and 8; issue 19,
//! items 2 and 9): a keyring shared by several configs, a `pass` store outside the default
//! place, no core dump holding the password, and store problems found before the password
//! is asked.

use std::process::{Command, Output, Stdio};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::WaitStatus;
use nix::unistd::Pid;

use crate::support;
use support::binary::{Sandbox, run_with_stdin};
use support::dovecot::{ALICE, BOB};
use support::peer_world::PeerWorld;
use support::pty::Screen;

/// A run of the binary that waits at a prompt can be neither dumped nor traced: SIGQUIT
/// (whose default is a core dump) with `ulimit -c unlimited` leaves no core file, and the
/// process's own core limit is 0.
#[cfg(target_os = "linux")]
#[test]
fn a_run_waiting_at_a_prompt_leaves_no_core_dump() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::without_keyring(dir.path());
    let cwd = dir.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let program = sandbox.command();
    // `exec`: the binary keeps the shell's pid, which the shell prints first.
    let script = format!(
        "ulimit -c unlimited; cd '{}'; echo \"pid=$$.\"; exec \"$@\"",
        cwd.display()
    );
    let mut screen = Screen::start(support::pty::wrapped_in(&script, &program, "xterm"));
    let (_, shown) = screen
        .session
        .exp_regex(r"pid=[0-9]+\.")
        .expect("the shell prints its pid");
    let pid: i32 = shown
        .trim_start_matches("pid=")
        .trim_end_matches('.')
        .parse()
        .unwrap();
    screen.expect("Your iCloud e-mail address");
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let core_line = limits
        .lines()
        .find(|line| line.starts_with("Max core file size"))
        .unwrap();
    let fields: Vec<&str> = core_line.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core_line}");
    kill(Pid::from_raw(pid), Signal::SIGQUIT).unwrap();
    let (_, status) = screen.finish();
    assert!(
        matches!(status, WaitStatus::Signaled(_, Signal::SIGQUIT, false)),
        "killed by SIGQUIT without a core dump: {status:?}"
    );
    let cores: Vec<_> = std::fs::read_dir(&cwd)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(cores.is_empty(), "{cores:?}");
}

/// The binary with `sandbox`'s config, pointed at `world`'s Dovecot and keyring.
fn peer_command(world: &PeerWorld, sandbox: &Sandbox) -> Command {
    let mut command = sandbox.command();
    command
        .arg("--imap-server")
        .arg(world.dovecot.imap_addr())
        .arg("--smtp-server")
        .arg(world.dovecot.submission_addr())
        .arg("--ca-file")
        .arg(world.dovecot.ca_file())
        .args(["--timeout", "10"]);
    command
}

/// A second config (B) in its own folder, on the same keyring as `world`'s config (A).
fn second_config(world: &PeerWorld) -> Sandbox {
    let dir = world.root().join("b");
    std::fs::create_dir_all(&dir).unwrap();
    Sandbox::with_keyring(&dir, &world.keyring)
}

fn setup_in(world: &PeerWorld, sandbox: &Sandbox, email: &str, password: &str) {
    let output = run_with_stdin(
        peer_command(world, sandbox).args(["setup", "--email", email, "--password-stdin"]),
        &format!("{password}\n"),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
}

fn run_in(world: &PeerWorld, sandbox: &Sandbox, args: &[&str]) -> Output {
    peer_command(world, sandbox)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Issue 18.3: config B sees nothing of config A's keyring entries as its orphans, and its
/// `remove` of A's address leaves A's password in place.
#[test]
fn another_configs_keyring_entry_is_never_an_orphan_of_this_one() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let a = &world.sandbox;
    let b = second_config(&world);
    setup_in(&world, a, ALICE.email, ALICE.password);

    let status = run_in(&world, &b, &["status"]);
    assert!(status.status.success(), "{}", text(&status.stderr));
    assert!(
        !text(&status.stdout).contains(ALICE.email),
        "{}",
        text(&status.stdout)
    );
    let json = run_in(&world, &b, &["status", "--json"]);
    assert!(
        !text(&json.stdout).contains(ALICE.email),
        "{}",
        text(&json.stdout)
    );

    let removed = run_in(&world, &b, &["remove", ALICE.email, "--yes"]);
    assert_eq!(removed.status.code(), Some(67), "{}", text(&removed.stderr));
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(ALICE.password),
        "A's password survives B's remove"
    );
    let password = run_in(&world, a, &["password", ALICE.email]);
    assert!(password.status.success(), "{}", text(&password.stderr));
    assert_eq!(text(&password.stdout), format!("{}\n", ALICE.password));
}

/// The variant: the same address saved under both configs shares the one keyring entry
/// (service `icloud-setup`, username = the address). Removing it from B takes B's name off
/// the entry and leaves the password for A; removing it from A too then deletes it.
#[test]
fn the_same_address_in_two_configs_keeps_its_password_until_the_last_one_removes_it() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let a = &world.sandbox;
    let b = second_config(&world);
    setup_in(&world, a, ALICE.email, ALICE.password);
    setup_in(&world, &b, ALICE.email, ALICE.password);

    let removed = run_in(&world, &b, &["remove", ALICE.email, "--yes"]);
    assert!(removed.status.success(), "{}", text(&removed.stderr));
    assert!(
        text(&removed.stderr).contains("another settings file saved it too"),
        "{}",
        text(&removed.stderr)
    );
    assert!(!b.config_text().unwrap_or_default().contains(ALICE.email));
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(ALICE.password)
    );
    // A still works, and B does not call the entry its orphan now.
    let check = run_in(&world, a, &["check", ALICE.email]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let status = run_in(&world, &b, &["status"]);
    assert!(
        !text(&status.stdout).contains(ALICE.email),
        "{}",
        text(&status.stdout)
    );

    let last = run_in(&world, a, &["remove", ALICE.email, "--yes"]);
    assert!(last.status.success(), "{}", text(&last.stderr));
    assert_eq!(
        world.keyring.lookup(ALICE.email),
        None,
        "the last user removed it"
    );
}

/// An entry an older version saved (no config named on it) is nobody's orphan: `status`
/// does not list it and `remove` of an address no account has leaves it alone.
#[test]
fn an_entry_without_a_config_name_is_never_called_an_orphan() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    world.keyring.store(BOB.email, BOB.password);
    let status = run_in(&world, &world.sandbox, &["status"]);
    assert!(
        !text(&status.stdout).contains(BOB.email),
        "{}",
        text(&status.stdout)
    );
    let removed = run_in(&world, &world.sandbox, &["remove", BOB.email, "--yes"]);
    assert_eq!(removed.status.code(), Some(67), "{}", text(&removed.stderr));
    assert_eq!(
        world.keyring.lookup(BOB.email).as_deref(),
        Some(BOB.password)
    );
}

/// Issue 18.8: a locked keyring with no entry for the address yet is found before the
/// password is asked (the read of a missing entry does not need the collection unlocked,
/// the save does): the run stops at once, naming the lock, and never asks.
#[test]
fn a_locked_keyring_is_found_before_the_password_is_asked() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    world.keyring.lock();
    let mut screen = Screen::start(support::pty::wrapped(&world.command()));
    screen.expect("Your iCloud e-mail address");
    screen.type_line(ALICE.email);
    screen.expect("Your name");
    screen.type_line("");
    screen.expect("exit-code=78");
    let (seen, _) = screen.finish();
    assert!(seen.contains("locked"), "{seen}");
    assert!(!seen.contains("App-specific password"), "{seen}");
    assert!(world.sandbox.config_text().is_none());
}

/// The dumpable flag itself (as root every `/proc` file is root's, so the run is another
/// user's here): a process that is not dumpable has its `/proc/PID` files owned by root,
/// which keeps other processes of the same user from reading its memory too.
#[cfg(target_os = "linux")]
#[test]
fn a_run_waiting_at_a_prompt_is_not_dumpable() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    const NOBODY: u32 = 65534;
    if std::fs::metadata("/proc/self").map(|m| m.uid()).ok() != Some(0) {
        // Only root can run the binary as another user; as that user the ownership shows.
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let sandbox = Sandbox::without_keyring(dir.path());
    let script = "echo \"pid=$$.\"; exec \"$@\"";
    let mut command = support::pty::wrapped_in(script, &sandbox.command(), "xterm");
    command.uid(NOBODY).gid(NOBODY);
    let mut screen = Screen::start(command);
    let (_, shown) = screen
        .session
        .exp_regex(r"pid=[0-9]+\.")
        .expect("the shell prints its pid");
    let pid: i32 = shown
        .trim_start_matches("pid=")
        .trim_end_matches('.')
        .parse()
        .unwrap();
    screen.expect("Your iCloud e-mail address");
    let owner = std::fs::metadata(format!("/proc/{pid}/status"))
        .unwrap()
        .uid();
    let process_user = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find(|line| line.starts_with("Uid:"))
        .map(str::to_string)
        .unwrap();
    kill(Pid::from_raw(pid), Signal::SIGKILL).unwrap();
    let _ = screen.finish();
    assert!(
        process_user.contains(&NOBODY.to_string()),
        "the run is nobody's: {process_user}"
    );
    assert_eq!(
        owner, 0,
        "/proc/{pid} belongs to the run's user: it is dumpable"
    );
}
