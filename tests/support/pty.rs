//! The real binary in a pseudo-terminal, typed at as a person would (`tests/terminal.rs`,
//! and the fault matrix's cancellation rows).
//!
//! [`wrapped`] runs the binary inside a shell that first turns echo on, as in a person's
//! terminal (the test pseudo-terminal starts without it), and after the binary exits prints
//! its exit code and whether the terminal settings are back to what they were — the state a
//! person is left with.

use std::process::Command;

use nix::sys::wait::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

/// How long any one expectation may wait.
pub const TIMEOUT_MS: u64 = 30_000;

/// Shows the cursor / hides it (DECTCEM).
const SHOW_CURSOR: &str = "\u{1b}[?25h";
const HIDE_CURSOR: &str = "\u{1b}[?25l";

const WRAPPER: &str = r#"trap : INT; stty echo; before=$(stty -g); "$@"; code=$?; after=$(stty -g)
echo "exit-code=$code"
if [ "$before" = "$after" ]; then echo "terminal=restored"; else echo "terminal=changed"; fi"#;

/// `program` (its arguments and environment) inside the reporting shell.
pub fn wrapped(program: &Command) -> Command {
    wrapped_in(WRAPPER, program, "xterm")
}

/// `program` (its arguments and environment only) run by the shell `script` (which gets it
/// as `"$@"` and must report `exit-code=` and `terminal=` as [`wrapped`]'s does), with `TERM`.
pub fn wrapped_in(script: &str, program: &Command, term: &str) -> Command {
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(script).arg("sh");
    shell.arg(program.get_program());
    shell.args(program.get_args());
    shell.env_clear();
    for (key, value) in program.get_envs() {
        if let Some(value) = value {
            shell.env(key, value);
        }
    }
    shell.env("TERM", term);
    shell
}

/// Everything the program wrote to the terminal, collected as the test reads it.
pub struct Screen {
    pub session: PtySession,
    pub seen: String,
}

impl Screen {
    pub fn start(command: Command) -> Screen {
        Screen {
            session: spawn_command(command, Some(TIMEOUT_MS)).expect("spawn in a pty"),
            seen: String::new(),
        }
    }

    /// Waits until `text` is on the screen.
    pub fn expect(&mut self, text: &str) {
        match self.session.exp_string(text) {
            Ok(before) => {
                self.seen.push_str(&before);
                self.seen.push_str(text);
            }
            Err(e) => panic!("waiting for {text:?}: {e}\nscreen so far:\n{}", self.seen),
        }
    }

    /// Types `text` without Enter.
    pub fn type_text(&mut self, text: &str) {
        self.session.send(text).expect("type into the pty");
        self.session.flush().expect("flush the pty");
    }

    /// Types `line` and Enter.
    pub fn type_line(&mut self, line: &str) {
        self.session.send_line(line).expect("type into the pty");
    }

    /// Presses Ctrl-C.
    pub fn ctrl_c(&mut self) {
        self.session.send_control('c').expect("Ctrl-C");
    }

    /// Presses Esc alone.
    pub fn esc(&mut self) {
        self.type_text("\u{1b}");
    }

    /// Reads to the end and reaps the shell.
    pub fn finish(mut self) -> (String, WaitStatus) {
        let rest = self.session.exp_eof().unwrap_or_default();
        self.seen.push_str(&rest);
        let status = self.session.process().wait().expect("wait for the program");
        (self.seen, status)
    }

    /// The end of a run that succeeded, in the [`wrapped`] shell: exit 0 and the terminal
    /// restored, with none of `secrets` (the password as typed, other spellings, a
    /// passphrase) anywhere on the screen. What was seen, for more checks.
    pub fn finish_ok_showing_none_of(mut self, secrets: &[&str]) -> String {
        self.expect("exit-code=0");
        self.expect("terminal=restored");
        let (seen, status) = self.finish();
        assert!(
            matches!(status, WaitStatus::Exited(_, 0)),
            "{status:?}\n{seen}"
        );
        for secret in secrets {
            assert!(
                !seen.contains(secret),
                "{secret:?} showed on the screen:\n{seen}"
            );
        }
        seen
    }
}

/// Whether the cursor is visible at the end of `screen`: never hidden, or shown again after
/// the last time it was hidden.
pub fn cursor_visible(screen: &str) -> bool {
    match (screen.rfind(HIDE_CURSOR), screen.rfind(SHOW_CURSOR)) {
        (None, _) => true,
        (Some(hidden), Some(shown)) => shown > hidden,
        (Some(_), None) => false,
    }
}
