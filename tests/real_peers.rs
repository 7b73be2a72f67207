//! End-to-end through the real binary against the real peers: Dovecot speaking IMAP (TLS
//! from the first byte) and submission (STARTTLS, AUTH), and GNOME Keyring's Secret Service
//! on a private D-Bus. `secret-tool` is the independent reader of what was stored.

use crate::support;

use std::process::Output;

use support::binary::{files_containing, run_with_stdin};
use support::dovecot::{ALICE, BOB, WRONG_PASSWORD};
use support::peer_world::PeerWorld;

fn setup_with_flags(world: &PeerWorld, email: &str, password: &str) -> Output {
    run_with_stdin(
        world.command().args([
            "setup",
            "--email",
            email,
            "--name",
            "Test Person",
            "--password-stdin",
        ]),
        &format!("{password}\n"),
    )
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

fn run(world: &PeerWorld, args: &[&str], input: &str) -> Output {
    run_with_stdin(world.command().args(args), input)
}

#[test]
fn rotation_after_the_server_password_changed() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    assert!(
        setup_with_flags(&world, ALICE.email, ALICE.password)
            .status
            .success()
    );
    let new_password = "newa-lice-pass-word";
    world.dovecot.set_password(ALICE.email, new_password);

    // The old secret no longer works: check says so with the login exit code.
    let check = run(&world, &["check"], "");
    assert_eq!(check.status.code(), Some(77), "{}", stderr(&check));

    let rotate = run(
        &world,
        &["rotate", "--password-stdin"],
        &format!("{new_password}\n"),
    );
    assert!(
        rotate.status.success(),
        "{}\n{}",
        stderr(&rotate),
        world.dovecot.log()
    );
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(new_password)
    );
    assert!(stderr(&rotate).contains("revoke the old app-specific password"));

    let check = run(&world, &["check", ALICE.email], "");
    assert!(check.status.success(), "{}", stderr(&check));
    // A mail program's password command gets the new one.
    let password = run(&world, &["password"], "");
    assert_eq!(
        String::from_utf8_lossy(&password.stdout),
        format!("{new_password}\n")
    );
}

#[test]
fn a_rotation_with_a_wrong_password_changes_nothing() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    assert!(
        setup_with_flags(&world, ALICE.email, ALICE.password)
            .status
            .success()
    );
    let config_before = std::fs::read(&world.sandbox.config_path).unwrap();

    let rotate = run(
        &world,
        &["rotate", ALICE.email, "--password-stdin"],
        &format!("{WRONG_PASSWORD}\n"),
    );
    assert_eq!(rotate.status.code(), Some(77), "{}", stderr(&rotate));
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(ALICE.password)
    );
    assert_eq!(
        std::fs::read(&world.sandbox.config_path).unwrap(),
        config_before
    );
}

#[test]
fn remove_takes_the_account_out_of_the_config_and_the_keyring() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    assert!(
        setup_with_flags(&world, ALICE.email, ALICE.password)
            .status
            .success()
    );
    assert!(
        setup_with_flags(&world, BOB.email, BOB.password)
            .status
            .success()
    );

    let remove = run(&world, &["remove", ALICE.email, "--yes"], "");
    assert!(remove.status.success(), "{}", stderr(&remove));
    assert_eq!(world.keyring.lookup(ALICE.email), None);
    assert_eq!(
        world.keyring.lookup(BOB.email).as_deref(),
        Some(BOB.password)
    );
    let config = world.sandbox.config_text().unwrap();
    assert!(
        !config.contains(ALICE.email) && config.contains(BOB.email),
        "{config}"
    );

    let status = run(&world, &["status", "--json"], "");
    assert!(status.status.success(), "{}", stderr(&status));
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(json["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(json["accounts"][0]["secret"]["present"], true);
    assert_eq!(
        json["accounts"][0]["secret"]["read_command"],
        "secret-tool lookup service icloud-setup username bob@icloud.com"
    );
}

#[test]
fn two_setups_at_once_both_end_up_saved() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let (alice, bob) = std::thread::scope(|scope| {
        let alice = scope.spawn(|| setup_with_flags(&world, ALICE.email, ALICE.password));
        let bob = scope.spawn(|| setup_with_flags(&world, BOB.email, BOB.password));
        (alice.join().unwrap(), bob.join().unwrap())
    });
    assert!(alice.status.success(), "{}", stderr(&alice));
    assert!(bob.status.success(), "{}", stderr(&bob));
    let config = world.sandbox.config_text().unwrap();
    assert!(
        config.contains(ALICE.email) && config.contains(BOB.email),
        "{config}"
    );
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(ALICE.password)
    );
    assert_eq!(
        world.keyring.lookup(BOB.email).as_deref(),
        Some(BOB.password)
    );
}
