//! Terminal tests: the real binary in a pseudo-terminal, typed at as a person would, against
//! the real peers. They check what is on the screen — the typed password never is — and
//! that Ctrl-C leaves the terminal usable and saves nothing.

mod support;

use std::process::Command;

use rexpect::session::{PtySession, spawn_command};
use rexpect_nix::sys::wait::WaitStatus;
use support::dovecot::ALICE;
use support::peer_world::PeerWorld;

const TIMEOUT_MS: u64 = 30_000;

/// Everything the program wrote to the terminal, collected as the test reads it.
struct Screen {
    session: PtySession,
    seen: String,
}

impl Screen {
    fn start(command: Command) -> Screen {
        Screen {
            session: spawn_command(command, Some(TIMEOUT_MS)).expect("spawn in a pty"),
            seen: String::new(),
        }
    }

    fn expect(&mut self, text: &str) {
        match self.session.exp_string(text) {
            Ok(before) => {
                self.seen.push_str(&before);
                self.seen.push_str(text);
            }
            Err(e) => panic!("waiting for {text:?}: {e}\nscreen so far:\n{}", self.seen),
        }
    }

    fn type_line(&mut self, line: &str) {
        self.session.send_line(line).expect("type into the pty");
    }

    fn finish(mut self) -> (String, WaitStatus) {
        let rest = self.session.exp_eof().unwrap_or_default();
        self.seen.push_str(&rest);
        let status = self.session.process().wait().expect("wait for the program");
        (self.seen, status)
    }
}

/// The binary in a shell that first turns echo on, as in a person's terminal (the test
/// pseudo-terminal starts without it), and after the binary exits prints its exit code and
/// whether the terminal settings are back to what they were — the state a person is left
/// with.
const WRAPPER: &str = r#"stty echo; before=$(stty -g); "$@"; code=$?; after=$(stty -g)
echo "exit-code=$code"
if [ "$before" = "$after" ]; then echo "terminal=restored"; else echo "terminal=changed"; fi"#;

fn wrapped(program: &Command) -> Command {
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(WRAPPER).arg("sh");
    shell.arg(program.get_program());
    shell.args(program.get_args());
    shell.env_clear();
    for (key, value) in program.get_envs() {
        if let Some(value) = value {
            shell.env(key, value);
        }
    }
    shell.env("TERM", "xterm");
    shell
}

#[test]
fn a_first_run_typed_in_a_terminal_saves_the_profile_and_never_shows_the_password() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let mut screen = Screen::start(wrapped(&world.command()));
    screen.expect("Your iCloud e-mail address");
    screen.type_line(ALICE.email);
    screen.expect("Your name");
    screen.type_line("Alice Example");
    screen.expect("App-specific password");
    screen.type_line(ALICE.password);
    screen.expect("signed in as alice@icloud.com");
    screen.expect("Saved alice@icloud.com");
    screen.expect("exit-code=0");
    screen.expect("terminal=restored");
    let (seen, status) = screen.finish();

    assert!(
        matches!(status, WaitStatus::Exited(_, 0)),
        "{status:?}\n{seen}"
    );
    assert!(
        !seen.contains(ALICE.password),
        "the password showed on screen:\n{seen}"
    );
    assert!(!seen.contains(&ALICE.password.replace('-', "")), "{seen}");
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(ALICE.password)
    );
    let config = world.sandbox.config_text().expect("config written");
    assert!(config.contains("name = \"Alice Example\""), "{config}");
}

#[test]
fn ctrl_c_at_the_password_prompt_exits_130_with_echo_on_and_nothing_saved() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let mut screen = Screen::start(wrapped(&world.command()));
    screen.expect("Your iCloud e-mail address");
    screen.type_line(ALICE.email);
    screen.expect("Your name");
    screen.type_line("");
    screen.expect("App-specific password");
    screen.session.send("abcd").expect("type");
    screen.session.send_control('c').expect("Ctrl-C");
    screen.expect("exit-code=130");
    let (seen, _) = screen.finish();
    assert!(
        seen.contains("terminal=restored"),
        "echo and the rest are back:
{seen}"
    );
    assert!(
        !seen.contains("john") || seen.contains("address: john"),
        "{seen}"
    );
    assert!(seen.contains("Nothing was saved"), "{seen}");
    assert!(world.sandbox.config_text().is_none());
    assert_eq!(world.keyring.lookup(ALICE.email), None);
}

#[test]
fn ctrl_c_at_the_address_prompt_exits_130_with_the_cursor_shown() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = support::binary::Sandbox::without_keyring(dir.path());
    let mut screen = Screen::start(wrapped(&sandbox.command()));
    screen.expect("Your iCloud e-mail address");
    screen.session.send("john").expect("type");
    screen.session.send_control('c').expect("Ctrl-C");
    screen.expect("exit-code=130");
    let (seen, _) = screen.finish();
    assert!(
        seen.contains("terminal=restored"),
        "echo and the rest are back:
{seen}"
    );
    assert!(
        !seen.contains("john") || seen.contains("address: john"),
        "{seen}"
    );
    assert!(
        seen.contains("\u{1b}[?25h"),
        "the cursor is shown again:\n{seen:?}"
    );
    assert!(sandbox.config_text().is_none());
}

#[test]
fn a_rerun_rotates_with_one_keystroke_and_reminds_to_revoke() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    // First run with flags, then the server's password changes, as after a revocation.
    let mut first = world.command();
    first
        .args(["setup", "--email", ALICE.email, "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = first.spawn().unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n", ALICE.password).as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let new_password = "rota-tedp-assw-ordd";
    world.dovecot.set_password(ALICE.email, new_password);

    let mut screen = Screen::start(wrapped(&world.command()));
    screen.expect("What would you like to do?");
    screen.type_line(""); // Enter: the default, rotate
    screen.expect("New app-specific password");
    screen.type_line(new_password);
    screen.expect("revoke the old app-specific password");
    screen.expect("exit-code=0");
    screen.expect("terminal=restored");
    let (seen, _) = screen.finish();
    assert!(!seen.contains(new_password), "{seen}");
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(new_password)
    );
}
