//! A config.toml a person has edited by hand — comments above, beside and below, a key this
//! program does not know, keys in their own order — goes through every command that
//! rewrites it (rotate and check record `verified_at`, remove deletes another account) and
//! stays the same byte for byte outside the values those commands change. Real peers:
//! Dovecot checks the logins, the private Secret Service keeps the passwords.

use crate::support;

use std::io::Write;
use std::process::{Output, Stdio};

use support::dovecot::{ALICE, BOB};
use support::peer_world::PeerWorld;

/// Runs the binary with `args` and `stdin`; it must succeed.
fn run_ok(world: &PeerWorld, args: &[&str], stdin: &str) -> Output {
    let mut child = world
        .command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start icloud-setup");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("wait for icloud-setup");
    assert!(
        output.status.success(),
        "{args:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        world.dovecot.log()
    );
    output
}

fn config(world: &PeerWorld) -> String {
    world.sandbox.config_text().expect("the config exists")
}

fn save(world: &PeerWorld, text: &str) {
    std::fs::write(&world.sandbox.config_path, text).expect("write the config");
}

/// `text` with every `verified_at` value replaced by `…`: the one value `check` changes.
fn without_verified_at(text: &str) -> String {
    without_values_of(text, &["verified_at"])
}

/// `text` with the values of `keys` replaced by `…`: `rotate` changes `verified_at` and
/// `password_saved_at`.
fn without_values_of(text: &str, keys: &[&str]) -> String {
    text.lines()
        .map(|line| {
            for key in keys {
                if let Some(rest) = line.strip_prefix(&format!("{key} = \"")) {
                    let after = &rest[rest.find('"').expect("a closing quote")..];
                    return format!("{key} = \"…{after}");
                }
            }
            line.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The file as the program wrote it after two setups, edited as a person would: a header,
/// a comment above each account and beside some values, an unknown key at the top and in an
/// account, `login` moved above `email`.
fn hand_edited(written: &str) -> String {
    let blocks: Vec<&str> = written.split("[[accounts]]\n").collect();
    assert_eq!(blocks.len(), 3, "two accounts:\n{written}");
    assert_eq!(blocks[0], "version = 1\n\n", "{written}");
    let edit = |block: &str, note: &str| -> String {
        let mut lines: Vec<String> = block.trim_end().lines().map(String::from).collect();
        assert!(lines[0].starts_with("email = ") && lines[1].starts_with("login = "));
        lines.swap(0, 1);
        lines[0].push_str("   # the address I sign in with");
        lines.insert(2, format!("signature = \"{note}\"  # not icloud-setup's"));
        for line in &mut lines {
            if line.starts_with("verified_at = ") {
                line.push_str(" # last good test");
            }
        }
        let imap = lines
            .iter()
            .position(|l| l == "[accounts.imap]")
            .expect("an imap table");
        lines.insert(imap + 1, "# Apple's IMAP server".into());
        lines.join("\n") + "\n"
    };
    format!(
        "# My mail, set up with icloud-setup; notes are mine.\n\
         version = 1\n\
         editor = \"vim\"  # for me, not for icloud-setup\n\
         \n\
         # ---- Alice: everyday address\n\
         [[accounts]]\n\
         {alice}\
         \n\
         # ---- Bob: the old one, going soon\n\
         [[accounts]]\n\
         {bob}\
         \n\
         # ---- end\n",
        alice = edit(blocks[1], "-- A"),
        bob = edit(blocks[2], "-- B"),
    )
}

#[test]
fn a_hand_commented_config_survives_rotate_check_and_remove_byte_for_byte() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    for account in [ALICE, BOB] {
        run_ok(
            &world,
            &["setup", "--email", account.email, "--password-stdin"],
            &format!("{}\n", account.password),
        );
    }
    let hand = hand_edited(&config(&world));
    save(&world, &hand);
    assert!(hand.contains("verified_at = \""), "{hand}");

    // rotate: Alice's new app-specific password, tested live, then `verified_at` recorded.
    let new_password = "newa-lice-pass-word";
    world.dovecot.set_password(ALICE.email, new_password);
    run_ok(
        &world,
        &["rotate", ALICE.email, "--password-stdin"],
        &format!("{new_password}\n"),
    );
    let rotated = config(&world);
    let recorded = ["verified_at", "password_saved_at"];
    assert_eq!(
        without_values_of(&rotated, &recorded),
        without_values_of(&hand, &recorded),
        "rotate changed more than verified_at and password_saved_at:\n{rotated}"
    );
    assert_ne!(rotated, hand, "rotate recorded a new verified_at");

    // check: Bob's `verified_at`.
    run_ok(&world, &["check", BOB.email], "");
    let checked = config(&world);
    assert_eq!(
        without_verified_at(&checked),
        without_verified_at(&rotated),
        "check changed more than verified_at:\n{checked}"
    );
    assert_ne!(checked, rotated, "check recorded a new verified_at");

    // remove Bob: his lines (with the comment above them) go, nothing else moves.
    run_ok(&world, &["remove", BOB.email, "--yes"], "");
    let removed = config(&world);
    let bob_start = checked.find("\n# ---- Bob").expect("Bob's comment");
    let bob_end = checked.find("\n# ---- end").expect("the closing comment");
    let expected = format!("{}{}", &checked[..bob_start], &checked[bob_end..]);
    assert_eq!(removed, expected, "remove touched more than Bob's lines");
    assert!(removed.contains("editor = \"vim\"  # for me, not for icloud-setup\n"));
}
