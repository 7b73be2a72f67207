//! Terminal tests: the real binary in a pseudo-terminal, typed at as a person would, against
//! the real peers. They check what is on the screen — the typed password never is — and
//! that Ctrl-C leaves the terminal usable and saves nothing.

use crate::support;

use support::dovecot::ALICE;
use support::peer_world::PeerWorld;
use support::pty::{Screen, cursor_visible, wrapped};

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
    screen.expect("Send a test message to yourself?");
    screen.type_line(""); // Enter: the default, no
    screen.expect("Saved alice@icloud.com");
    screen.finish_ok_showing_none_of(&[ALICE.password, &ALICE.password.replace('-', "")]);
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
    screen.type_text("abcd");
    screen.ctrl_c();
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
    screen.type_text("john");
    screen.ctrl_c();
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
        cursor_visible(&seen),
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
    screen.expect("Send a test message to yourself?");
    screen.type_line(""); // Enter: the default, no
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
