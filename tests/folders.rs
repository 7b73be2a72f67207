//! The account's folders (issue 21), against real Dovecot: the live test lists them after
//! the login, the roles land in `[accounts.folders]`, `status` shows them, `check` refreshes
//! them, the exports name them, and a real mbsync run makes the account's folders locally
//! and never `Notes`.
//!
//! Three accounts: the layout users of himalaya and K-9 report (`Sent Items`,
//! `Deleted Items`), iCloud's usual names, and a server with SPECIAL-USE flags whose names
//! are no help (German, one of them non-ASCII on the wire).

use std::path::Path;
use std::process::Stdio;

use crate::export::{client, commands_in_comments, export, run, setup_alice, text, write_private};
use crate::support;

use support::dovecot::{ALICE, Options};
use support::peer_world::PeerWorld;
use support::peers;

/// `[accounts.folders]` of the saved config, as a table.
fn saved_folders(world: &PeerWorld) -> Option<toml::Table> {
    let text = world.sandbox.config_text().expect("a config was saved");
    let config: toml::Table = toml::from_str(&text).expect("the config is TOML");
    config["accounts"][0]
        .get("folders")
        .map(|f| f.as_table().expect("a table").clone())
}

fn folders_of(pairs: &[(&str, &str)]) -> toml::Table {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), toml::Value::String((*v).to_string())))
        .collect()
}

fn status_json(world: &PeerWorld) -> serde_json::Value {
    let output = world
        .command()
        .args(["status", "--json"])
        .stdin(Stdio::null())
        .output()
        .expect("run status");
    assert!(output.status.success(), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("status --json is JSON")
}

#[test]
fn an_account_with_items_folders_gets_them_saved_shown_and_exported() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    world.dovecot.create_folders(
        ALICE.email,
        &[
            "Sent Items",
            "Deleted Items",
            "Drafts",
            "Junk",
            "Archive",
            "Notes",
            "Projects",
        ],
    );
    setup_alice(&world);
    let expected = folders_of(&[
        ("sent", "Sent Items"),
        ("drafts", "Drafts"),
        ("trash", "Deleted Items"),
        ("junk", "Junk"),
        ("archive", "Archive"),
    ]);
    assert_eq!(saved_folders(&world), Some(expected));

    let json = status_json(&world);
    assert_eq!(json["accounts"][0]["folders"]["sent"], "Sent Items");
    assert_eq!(json["accounts"][0]["folders"]["trash"], "Deleted Items");
    let mut status = world.command();
    status.arg("status").env("LC_ALL", "C.UTF-8");
    let shown = text(&status.output().expect("status").stdout);
    assert!(shown.contains("Sent folder:    “Sent Items”"), "{shown}");
    let mut status = world.command();
    status.arg("status").env("LC_ALL", "de_DE.UTF-8");
    let gezeigt = text(&status.output().expect("status").stdout);
    assert!(
        gezeigt.contains("Ordner Papierkorb:   „Deleted Items“"),
        "{gezeigt}"
    );

    let neomutt = export(&world, &["neomutt"]);
    assert!(
        neomutt.contains("set record = \"+Sent Items\""),
        "{neomutt}"
    );
    assert!(
        neomutt.contains("set trash = \"+Deleted Items\""),
        "{neomutt}"
    );
    let aerc = export(&world, &["aerc"]);
    assert!(aerc.contains("copy-to = Sent Items"), "{aerc}");
    let himalaya = export(&world, &["himalaya"]);
    assert!(
        himalaya.contains("mailbox.alias.trash = \"Deleted Items\""),
        "{himalaya}"
    );
    for exported in [&neomutt, &aerc, &himalaya] {
        assert!(!exported.contains("Sent Messages"), "{exported}");
        assert!(!exported.contains("Deleted Messages"), "{exported}");
    }
}

#[test]
fn icloud_usual_names_and_later_renames_are_learned_by_check_and_rotate() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    world.dovecot.create_folders(
        ALICE.email,
        &[
            "Sent Messages",
            "Deleted Messages",
            "Drafts",
            "Junk",
            "Archive",
            "Notes",
        ],
    );
    setup_alice(&world);
    assert_eq!(
        saved_folders(&world),
        Some(folders_of(&[
            ("sent", "Sent Messages"),
            ("drafts", "Drafts"),
            ("trash", "Deleted Messages"),
            ("junk", "Junk"),
            ("archive", "Archive"),
        ]))
    );

    // A comment of the person's own in the table survives check's rewrite; a role the
    // account no longer has goes.
    let path = &world.sandbox.config_path;
    let written = std::fs::read_to_string(path).unwrap();
    let commented = written.replace(
        "[accounts.folders]\n",
        "[accounts.folders]\n# learned by icloud-setup\n",
    );
    assert_ne!(written, commented, "{written}");
    std::fs::write(path, &commented).unwrap();
    let maildir = world.dovecot.maildir(ALICE.email);
    std::fs::remove_dir_all(maildir.join(".Archive")).unwrap();
    std::fs::rename(maildir.join(".Sent Messages"), maildir.join(".Sent")).unwrap();
    let output = world
        .command()
        .arg("check")
        .stdin(Stdio::null())
        .output()
        .expect("run check");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let after = std::fs::read_to_string(path).unwrap();
    assert!(after.contains("# learned by icloud-setup\n"), "{after}");
    assert_eq!(
        saved_folders(&world),
        Some(folders_of(&[
            ("sent", "Sent"),
            ("drafts", "Drafts"),
            ("trash", "Deleted Messages"),
            ("junk", "Junk"),
        ]))
    );

    // rotate refreshes them too, with the new password's live test.
    std::fs::rename(
        maildir.join(".Deleted Messages"),
        maildir.join(".Deleted Items"),
    )
    .unwrap();
    let new_password = "newa-lice-pass-word";
    world.dovecot.set_password(ALICE.email, new_password);
    let mut rotate = world
        .command()
        .args(["rotate", ALICE.email, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rotate");
    std::io::Write::write_all(
        &mut rotate.stdin.take().expect("piped"),
        format!("{new_password}\n").as_bytes(),
    )
    .expect("write the password");
    let output = rotate.wait_with_output().expect("wait for rotate");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        saved_folders(&world).and_then(|f| f.get("trash").cloned()),
        Some(toml::Value::String("Deleted Items".into()))
    );
}

#[test]
fn special_use_flags_decide_and_non_ascii_names_are_decoded() {
    let options = Options {
        special_use: &[
            ("Gesendet", "\\Sent"),
            ("Entwürfe", "\\Drafts"),
            ("Papierkorb", "\\Trash"),
        ],
        ..Options::default()
    };
    let Some(world) = PeerWorld::start_with(&options) else {
        return;
    };
    // `Sent` is a folder too, but the flag says which one is for sent mail.
    world.dovecot.create_folders(
        ALICE.email,
        &["Gesendet", "Entw&APw-rfe", "Papierkorb", "Sent", "Notes"],
    );
    setup_alice(&world);
    assert_eq!(
        saved_folders(&world),
        Some(folders_of(&[
            ("sent", "Gesendet"),
            ("drafts", "Entwürfe"),
            ("trash", "Papierkorb"),
        ])),
        "{}",
        world.dovecot.log()
    );
    let neomutt = export(&world, &["neomutt"]);
    assert!(
        neomutt.contains("set postponed = \"+Entwürfe\""),
        "{neomutt}"
    );
}

/// Issue 21.4: a real mbsync run against the `Sent Items` account makes the account's
/// folders locally — its own names, a folder of the person's own too — and no `Notes`.
#[test]
fn mbsync_makes_the_accounts_folders_and_no_notes() {
    let Some(mbsync) = peers::require_program("mbsync", "syncs with the exported mbsync file")
    else {
        return;
    };
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let folders = [
        "Sent Items",
        "Deleted Items",
        "Drafts",
        "Junk",
        "Archive",
        "Notes",
        "Projects",
    ];
    world.dovecot.create_folders(ALICE.email, &folders);
    world.dovecot.deliver_to(
        ALICE.email,
        Some("Sent Items"),
        "From: alice@icloud.com\nTo: bob@icloud.com\nSubject: sent\n\nIn Sent Items.\n",
    );
    world.dovecot.deliver_to(
        ALICE.email,
        Some("Notes"),
        "From: alice@icloud.com\nSubject: a note\n\nNot mail.\n",
    );
    setup_alice(&world);
    let exported = export(&world, &["mbsync"]);
    let file = write_private(world.root(), "mbsyncrc", &exported);
    let commands = commands_in_comments(&exported);
    let mkdir = commands
        .iter()
        .find(|c| c.starts_with("mkdir -p "))
        .unwrap_or_else(|| panic!("no mkdir in the comment:\n{exported}"));
    let made = run(client(&world, Path::new("/bin/sh")).args(["-c", mkdir]), "");
    assert!(made.status.success(), "{mkdir}: {}", text(&made.stderr));
    let output = run(
        client(&world, &mbsync)
            .arg("-c")
            .arg(&file)
            .arg(ALICE.email),
        "",
    );
    assert!(
        output.status.success(),
        "mbsync failed:\n{}\n{}\n{}",
        text(&output.stdout),
        text(&output.stderr),
        world.dovecot.log()
    );
    let local = Path::new(world.keyring.env("HOME")).join("Mail/alice@icloud.com");
    let mut made: Vec<String> = std::fs::read_dir(&local)
        .expect("the local Maildir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    made.sort();
    let mut wanted: Vec<String> = ["INBOX", "Sent Items", "Deleted Items", "Drafts", "Junk"]
        .into_iter()
        .chain(["Archive", "Projects"])
        .map(String::from)
        .collect();
    wanted.sort();
    assert_eq!(made, wanted, "{exported}\n{}", text(&output.stderr));
    let sent = local.join("Sent Items");
    let copied = ["new", "cur"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(sent.join(sub)).into_iter().flatten())
        .flatten()
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|m| m.contains("In Sent Items.")))
        .count();
    assert_eq!(copied, 1, "the sent message is in {}", sent.display());
}

/// A profile saved before folders were learned (no `[accounts.folders]`): `status` says
/// so in each language, `status --json` gives `null`, and the exports use iCloud's usual
/// names, as before.
#[test]
fn a_profile_saved_before_keeps_icloud_usual_names() {
    use support::binary::{ENGLISH, GERMAN, Sandbox};
    let dir = tempfile::tempdir().unwrap();
    let mut sandbox = Sandbox::without_keyring(dir.path());
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
    let stdout = |sandbox: &Sandbox, args: &[&str]| {
        let output = sandbox
            .command()
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        text(&output.stdout)
    };
    sandbox.set_locale(ENGLISH);
    let shown = stdout(&sandbox, &["status"]);
    assert!(
        shown.contains("Folders:        not learned yet; exports use iCloud's usual names"),
        "{shown}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&sandbox, &["status", "--json"])).unwrap();
    assert!(json["accounts"][0]["folders"].is_null(), "{json}");
    let neomutt = stdout(&sandbox, &["export", "neomutt"]);
    assert!(
        neomutt.contains("set record = \"+Sent Messages\""),
        "{neomutt}"
    );
    assert!(
        neomutt.contains("set trash = \"+Deleted Messages\""),
        "{neomutt}"
    );
    let himalaya = stdout(&sandbox, &["export", "himalaya"]);
    assert!(
        himalaya.contains("mailbox.alias.archive = \"Archive\""),
        "{himalaya}"
    );
    sandbox.set_locale(GERMAN);
    let gezeigt = stdout(&sandbox, &["status"]);
    assert!(
        gezeigt.contains("Ordner:              noch nicht ermittelt"),
        "{gezeigt}"
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile LIST replies, from the scripted IMAP server, in-process through LiveMailCheck
// ---------------------------------------------------------------------------------------------

mod hostile {
    use std::time::{Duration, Instant};

    use icloud_setup::domain::{AppPassword, LoginLadder};
    use icloud_setup::folders::{self, Mailbox};
    use icloud_setup::mail::imap_list::LIST_BUDGET;
    use icloud_setup::mail::tls::TrustAnchors;
    use icloud_setup::mail::{
        LiveMailCheck, MailCheck, Preconnected, ProbeReport, ServerAddress, TranscriptLine,
    };
    use secrecy::SecretString;

    use crate::support::certs::TestCa;
    use crate::support::fake_servers::{FakeImap, ImapScript, ImapTransport, TEST_PASSWORD};

    const TIMEOUT: Duration = Duration::from_secs(3);

    /// The IMAP check against a fake that answers `LIST` with `reply`, and how long it took.
    fn listed(reply: &[u8]) -> (ProbeReport, Duration) {
        let (report, took, _) = listed_after(reply, Duration::ZERO, TIMEOUT);
        (report, took)
    }

    /// [`listed`], the `LIST` answered after `delay`, the check given `timeout`; also when
    /// the sign-in was announced.
    fn listed_after(
        reply: &[u8],
        delay: Duration,
        timeout: Duration,
    ) -> (ProbeReport, Duration, Duration) {
        let dir = tempfile::tempdir().unwrap();
        let ca = TestCa::new(dir.path());
        let identity = ca.server_cert("localhost").identity();
        let imap = FakeImap::start(
            ImapTransport::Tls(identity),
            ImapScript::default()
                .list_reply(reply.to_vec())
                .list_delay(delay),
        );
        let mail = LiveMailCheck {
            anchors: TrustAnchors::with_ca_file(&ca.ca_path).unwrap(),
            timeout,
        };
        let password = AppPassword::parse(&SecretString::from(TEST_PASSWORD)).unwrap();
        let started = Instant::now();
        let mut announced = None;
        let report = mail.check_imap_announcing(
            &ServerAddress::new("localhost", imap.port()),
            &LoginLadder::single("alice"),
            &password,
            &Preconnected::none(),
            &mut |report| {
                assert!(report.outcome.is_ok() && report.folders.is_none());
                announced = Some(started.elapsed());
            },
        );
        assert_eq!(
            report.outcome.as_deref(),
            Ok("alice"),
            "the sign-in stands whatever LIST said: {:?}",
            report.failure()
        );
        assert!(imap.commands().contains(&"LIST".to_string()));
        let took = started.elapsed();
        (report, took, announced.expect("the sign-in was announced"))
    }

    /// The ✓ does not wait for the folder list: the sign-in is announced as soon as it is
    /// decided, and the list comes after it (hidden behind SMTP in the live test).
    #[test]
    fn the_sign_in_is_announced_before_the_list_arrives() {
        let delay = Duration::from_millis(1500);
        let (report, took, announced) =
            listed_after(b"* LIST () \"/\" \"Sent Items\"\r\n", delay, TIMEOUT);
        assert_eq!(roles(&report).sent.as_deref(), Some("Sent Items"));
        assert!(took >= delay, "{took:?}");
        assert!(
            took.saturating_sub(announced) + Duration::from_millis(200) >= delay,
            "{announced:?} of {took:?}"
        );
    }

    fn names(report: &ProbeReport) -> Vec<String> {
        report
            .folders
            .as_ref()
            .expect("the list was read")
            .iter()
            .map(|m| m.name.clone())
            .collect()
    }

    fn roles(report: &ProbeReport) -> folders::Roles {
        folders::roles(report.folders.as_deref().unwrap_or(&[] as &[Mailbox]))
    }

    #[test]
    fn odd_quoting_and_nil_delimiters_are_read() {
        let (report, _) = listed(
            b"* LIST (\\HasNoChildren) \"/\" \"Sent \\\"Old\\\" \\\\ Mail\"\r\n\
              * list () NIL \"Deleted Items\"\r\n\
              * LIST  ( \\Noselect )  NIL  Notes\r\n\
              * LIST () \"/\" INBOX\r\n\
              * LIST () \"/\" Sent\r\n",
        );
        assert_eq!(
            names(&report),
            [
                "Sent \"Old\" \\ Mail",
                "Deleted Items",
                "Notes",
                "INBOX",
                "Sent"
            ]
        );
        let found = roles(&report);
        assert_eq!(found.sent.as_deref(), Some("Sent"));
        assert_eq!(found.trash.as_deref(), Some("Deleted Items"));
        assert_eq!(report.folders.as_ref().unwrap()[1].delimiter, None);
    }

    /// A literal is data: a tagged-looking line inside one does not end the reply, and a
    /// name with a line break or an escape in it is never a folder a config names. Before
    /// the fix, a literal at the end of its line (where a `LIST` name is) was read twice.
    #[test]
    fn literals_are_names_never_lines() {
        let (report, _) = listed(
            b"* LIST () \"/\" {10}\r\nSent Items\r\n\
              * LIST () \"/\" {12}\r\na2 OK Junk\r\n\r\n\
              * LIST () \"/\" {5}\r\nJunk\x1b\r\n\
              * LIST () \"/\" Spam\r\n",
        );
        // The names with a line break or an escape are not modified UTF-7: left out.
        assert_eq!(names(&report), ["Sent Items", "Spam"]);
        let found = roles(&report);
        assert_eq!(found.sent.as_deref(), Some("Sent Items"));
        // Not the name with the escape in it: the plain `Spam`.
        assert_eq!(found.junk.as_deref(), Some("Spam"));
    }

    #[test]
    fn modified_utf7_names_are_decoded_and_broken_ones_left_out() {
        let (report, _) = listed(
            b"* LIST (\\Drafts) \"/\" \"Entw&APw-rfe\"\r\n\
              * LIST () \"/\" &U,BTFw-\r\n\
              * LIST () \"/\" \"Gel&APY-scht\"\r\n\
              * LIST (\\Trash) \"/\" \"Broken&APw\"\r\n\
              * LIST () \"/\" \"Tom &- Jerry\"\r\n",
        );
        assert_eq!(
            names(&report),
            ["Entwürfe", "台北", "Gelöscht", "Tom & Jerry"]
        );
        let found = roles(&report);
        assert_eq!(found.drafts.as_deref(), Some("Entwürfe"));
        assert_eq!(found.trash, None, "an undecodable name takes no role");
    }

    /// A server that takes longer over its list than the list's budget: given up at the
    /// budget, not at the check's `--timeout`; the sign-in stands.
    #[test]
    fn a_slow_list_is_given_up_at_its_budget() {
        let timeout = Duration::from_secs(30);
        let (report, took, _) = listed_after(
            b"* LIST () \"/\" Sent\r\n",
            LIST_BUDGET + Duration::from_secs(5),
            timeout,
        );
        assert!(report.folders.is_none());
        assert!(
            took < LIST_BUDGET + Duration::from_secs(3),
            "{took:?}, not the timeout"
        );
    }

    /// Thousands of folders past the response cap: the list is given up within the time
    /// limit, the sign-in stands, and the transcript says so.
    #[test]
    fn a_flood_of_folders_is_given_up_not_the_sign_in() {
        let mut flood = Vec::new();
        for i in 0..20_000 {
            flood.extend_from_slice(format!("* LIST () \"/\" \"Folder {i}\"\r\n").as_bytes());
        }
        assert!(flood.len() > 64 * 1024);
        let (report, took) = listed(&flood);
        assert!(report.folders.is_none());
        assert!(
            report
                .transcript
                .contains(&TranscriptLine::FolderListGivenUp),
            "{:?}",
            report.transcript.last()
        );
        assert!(took < TIMEOUT + Duration::from_secs(1), "{took:?}");
        // A long list within the cap is read whole.
        let mut many = Vec::new();
        for i in 0..1000 {
            many.extend_from_slice(format!("* LIST () \"/\" F{i}\r\n").as_bytes());
        }
        many.extend_from_slice(b"* LIST () \"/\" \"Sent Items\"\r\n");
        let (report, _) = listed(&many);
        assert_eq!(report.folders.as_ref().map(Vec::len), Some(1001));
        assert_eq!(roles(&report).sent.as_deref(), Some("Sent Items"));
    }
}
