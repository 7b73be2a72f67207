//! End-to-end through the real binary against the real peers: Dovecot speaking IMAP (TLS
//! from the first byte) and submission (STARTTLS, AUTH), and GNOME Keyring's Secret Service
//! on a private D-Bus. `secret-tool` is the independent reader of what was stored.

mod support;

use std::io::Write;
use std::process::{Output, Stdio};

use support::binary::files_containing;
use support::dovecot::{ALICE, BOB, WRONG_PASSWORD};
use support::peer_world::PeerWorld;

fn setup_with_flags(world: &PeerWorld, email: &str, password: &str) -> Output {
    let mut child = world
        .command()
        .args([
            "setup",
            "--email",
            email,
            "--name",
            "Test Person",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start icloud-setup");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("write the password");
    child.wait_with_output().expect("wait for icloud-setup")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn setup_with_flags_saves_a_profile_that_other_programs_can_read() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let output = setup_with_flags(&world, ALICE.email, ALICE.password);
    assert!(
        output.status.success(),
        "{}\n{}",
        stderr(&output),
        world.dovecot.log()
    );

    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(ALICE.password)
    );
    let config = world.sandbox.config_text().expect("config written");
    assert!(
        config.contains("username = \"alice\""),
        "IMAP accepted the local part:\n{config}"
    );
    assert!(
        config.contains("username = \"alice@icloud.com\""),
        "{config}"
    );
    let err = stderr(&output);
    assert!(
        err.contains("secret-tool lookup service icloud-setup username alice@icloud.com"),
        "{err}"
    );

    // The secret is in the keyring and nowhere else the product wrote.
    let holders = files_containing(world.sandbox.config_root(), ALICE.password);
    assert!(holders.is_empty(), "the secret leaked into {holders:?}");
    assert!(
        !err.contains(ALICE.password)
            && !String::from_utf8_lossy(&output.stdout).contains(ALICE.password)
    );
}

#[test]
fn imap_falls_back_to_the_full_address_that_dovecot_accepts() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let output = setup_with_flags(&world, BOB.email, BOB.password);
    assert!(
        output.status.success(),
        "{}\n{}",
        stderr(&output),
        world.dovecot.log()
    );
    let config = world.sandbox.config_text().expect("config written");
    let imap = config
        .split("[accounts.imap]")
        .nth(1)
        .expect("imap section");
    let imap = imap.split("[accounts.smtp]").next().unwrap();
    assert!(imap.contains("username = \"bob@icloud.com\""), "{config}");
    assert_eq!(
        world.keyring.lookup(BOB.email).as_deref(),
        Some(BOB.password)
    );
}

#[test]
fn a_wrong_password_exits_77_and_stores_nothing_anywhere() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let output = setup_with_flags(&world, ALICE.email, WRONG_PASSWORD);
    assert_eq!(output.status.code(), Some(77), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("Usernames tried: alice, alice@icloud.com"),
        "{err}"
    );
    assert!(
        err.contains("AUTHENTICATIONFAILED"),
        "the server's own words: {err}"
    );
    assert_eq!(world.keyring.lookup(ALICE.email), None);
    assert!(world.sandbox.config_text().is_none());
    assert!(files_containing(world.root(), WRONG_PASSWORD).is_empty());
}

#[test]
fn a_locked_keyring_exits_78_within_the_time_limit_and_no_file_gets_the_secret() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    world.keyring.lock();
    let started = std::time::Instant::now();
    let output = setup_with_flags(&world, ALICE.email, ALICE.password);
    assert_eq!(output.status.code(), Some(78), "{}", stderr(&output));
    assert!(
        started.elapsed().as_secs() < 25,
        "bounded by --timeout 10 per call"
    );
    assert!(world.sandbox.config_text().is_none());
    let holders = files_containing(world.sandbox.config_root(), ALICE.password);
    assert!(holders.is_empty(), "{holders:?}");
}
