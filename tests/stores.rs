//! The secret stores against the real peers (issue 18, items 3, 4, 5 and 8; issue 19,
//! items 2 and 9): a keyring shared by several configs, a `pass` store outside the default
//! place, no core dump holding the password, and store problems found before the password
//! is asked.

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::WaitStatus;
use nix::unistd::Pid;

use crate::support;
use support::binary::Sandbox;
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
