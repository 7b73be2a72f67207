//! The send test touches only what is provably ours (issue 18.1): a message `SEARCH` names is
//! removed only when its UID is at or above the `UIDNEXT` seen before sending, under the same
//! `UIDVALIDITY`, and its `Message-ID` (fetched with `BODY.PEEK`) is the test message's;
//! every such copy is removed; anything else is reported and left alone. Run in-process
//! against the scripted fakes, whose mailbox the submission fake delivers into, so that a
//! lying search, a double delivery and a renumbered folder can be staged on demand.
//!
//! Also here, because they need the same fakes: the old `AUTH=` form of EHLO (issue 19.3) and
//! the `--verbose` transcript naming the real login method (issue 19.7).

use crate::support;

use icloud_setup::cli::{Command, SendTestArgs, SetupArgs};
use icloud_setup::language::Language;
use icloud_setup::prompt::ScriptedPrompter;
use support::fake_servers::{
    FakeImap, FakeMailbox, FakeMessage, FakeSmtp, ImapScript, TEST_PASSWORD,
};
use support::in_process::{Run, World};

const EMAIL: &str = "alice@icloud.com";

/// A message the person had in the INBOX before the test.
const THEIRS: &str = "<holiday-photos.1234@example.org>";

/// `setup --email alice@icloud.com --password-stdin --send-test --wait WAIT`.
fn setup_with_send_test(wait: u64) -> Command {
    Command::Setup(SetupArgs {
        email: Some(EMAIL.into()),
        password_stdin: true,
        send: SendTestArgs {
            send_test: true,
            wait: Some(wait),
        },
        ..SetupArgs::default()
    })
}

/// An IMAP fake serving `mailbox` (with UIDPLUS) and a submission fake delivering into it.
fn servers(world: &World, mailbox: &FakeMailbox) -> (FakeImap, FakeSmtp) {
    let imap = world.imap(
        ImapScript::default()
            .capabilities("IMAP4rev1 UIDPLUS")
            .mailbox(mailbox),
    );
    let smtp = world.smtp(|s| s.deliver_to(mailbox));
    (imap, smtp)
}

fn run(world: &World, imap: &FakeImap, smtp: &FakeSmtp, wait: u64, language: Language) -> Run {
    let mut prompter = ScriptedPrompter::non_interactive();
    world
        .session()
        .servers(&imap.host_addr("localhost"), &smtp.host_addr("localhost"))
        .stdin(&format!("{TEST_PASSWORD}\n"))
        .language(language)
        .run(Some(setup_with_send_test(wait)), &mut prompter)
}

fn ids(messages: &[FakeMessage]) -> Vec<&str> {
    messages.iter().map(|m| m.message_id.as_str()).collect()
}

/// The example of the issue: the relay drops the test message, and the server's search
/// names a message that was in the INBOX before. Before, that message was flagged and
/// expunged and the run said "arrived … removed", exit 0.
#[test]
fn a_search_naming_a_message_from_before_the_test_touches_nothing_and_is_no_arrival() {
    for language in [Language::English, Language::German] {
        let world = World::new();
        let mailbox = FakeMailbox::new();
        let theirs = mailbox.put("INBOX", THEIRS, "Holiday photos");
        mailbox.search_also_names("INBOX", theirs);
        mailbox.deliver_into("INBOX", 0);
        let (imap, smtp) = servers(&world, &mailbox);
        let run = run(&world, &imap, &smtp, 1, language);

        let error = run.error();
        assert_eq!(error.exit_code(), 75, "not arrived:\n{run}");
        let inbox = mailbox.messages("INBOX");
        assert_eq!(ids(&inbox), [THEIRS], "{run}");
        assert!(
            inbox[0].flags.is_empty(),
            "flagged: {:?}\n{run}",
            inbox[0].flags
        );
        assert!(world.config_text().is_none(), "nothing saved:\n{run}");
        if language == Language::English {
            assert!(!run.said.contains("arrived in the inbox"), "{run}");
            assert!(!run.said.contains("Removed the test message"), "{run}");
            run.assert_said(&format!(
                "The server's search also named message {theirs} in INBOX, which was \
                     there before the test began; it is not the test message and was left \
                     untouched."
            ));
        } else {
            assert!(!run.said.contains("ist angekommen"), "{run}");
            run.assert_said(&format!(
                "Die Suche des Servers nannte auch die Nachricht {theirs} in INBOX, die \
                     schon vor dem Test dort war"
            ));
        }
        assert!(!run.said.contains("UID STORE"), "nothing flagged:\n{run}");
        assert!(!run.said.contains("EXPUNGE"), "nothing expunged:\n{run}");
    }
}

/// Delivered twice: both copies are ours, both are removed, and the output says so. Before,
/// only the copy with the highest UID was removed while the output said "removed".
#[test]
fn a_message_delivered_twice_has_both_copies_removed_and_says_so() {
    let world = World::new();
    let mailbox = FakeMailbox::new();
    mailbox.put("INBOX", THEIRS, "Holiday photos");
    mailbox.deliver_into("INBOX", 2);
    let (imap, smtp) = servers(&world, &mailbox);
    let run = run(&world, &imap, &smtp, 5, Language::English);

    assert!(run.error.is_none(), "{run}");
    assert_eq!(ids(&mailbox.messages("INBOX")), [THEIRS], "{run}");
    run.assert_said(
        "The test message arrived 2 times; removed every copy from INBOX; nothing else was \
         touched.",
    );
    run.assert_said("UID EXPUNGE 2,3");
    // Each copy's Message-ID was read without marking it read.
    run.assert_said("UID FETCH 2 (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])");
    assert!(
        world.config_text().is_some(),
        "saved after the pass:\n{run}"
    );
}

/// A variant of my own: the message lands in Junk, but Junk was renumbered (a new
/// `UIDVALIDITY`) between the `STATUS` before sending and the `SELECT` after the wait, so
/// its UIDs prove nothing. Before, the message found there was expunged all the same.
#[test]
fn a_folder_renumbered_during_the_test_is_reported_and_left_alone() {
    let world = World::new();
    let mailbox = FakeMailbox::new();
    mailbox.deliver_into("Junk", 1);
    mailbox.renumber_on_delivery("Junk");
    let (imap, smtp) = servers(&world, &mailbox);
    let run = run(&world, &imap, &smtp, 1, Language::English);

    assert_eq!(run.error().exit_code(), 75, "{run}");
    let junk = mailbox.messages("Junk");
    assert_eq!(junk.len(), 1, "the message is still there:\n{run}");
    assert!(junk[0].flags.is_empty(), "{run}");
    run.assert_said(
        "The server's search also named message 1 in Junk, but the folder's message numbers \
         changed during the test (UIDVALIDITY)",
    );
    assert!(!run.said.contains("UID STORE"), "{run}");
}

/// A second variant: a new message (UID above `UIDNEXT`) arrives during the test, and the
/// search names it, but its `Message-ID` is someone else's. It is not touched; the real
/// test message, in the same INBOX, is.
#[test]
fn a_new_message_with_another_message_id_is_left_alone_while_ours_is_removed() {
    let world = World::new();
    let mailbox = FakeMailbox::new();
    mailbox.put("INBOX", THEIRS, "Holiday photos");
    // The test message will be UID 2; UID 3 is a stranger's, named by the search.
    mailbox.search_also_names("INBOX", 3);
    let (imap, smtp) = servers(&world, &mailbox);
    let stranger = "<newsletter.99@example.org>";
    let run = {
        // The stranger arrives right after the test message: deliver it when the test
        // message is delivered, by putting it after the run's first delivery.
        let mut prompter = ScriptedPrompter::non_interactive();
        let session = world
            .session()
            .servers(&imap.host_addr("localhost"), &smtp.host_addr("localhost"))
            .stdin(&format!("{TEST_PASSWORD}\n"));
        let watcher = std::thread::spawn({
            let mailbox = mailbox.clone();
            move || {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
                while mailbox.messages("INBOX").len() < 2 && std::time::Instant::now() < deadline {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                mailbox.put("INBOX", stranger, "News");
            }
        });
        let run = session.run(Some(setup_with_send_test(5)), &mut prompter);
        watcher.join().unwrap();
        run
    };
    let left = mailbox.messages("INBOX");
    assert!(ids(&left).contains(&THEIRS), "{run}");
    if ids(&left).contains(&stranger) {
        let stranger_message = left.iter().find(|m| m.message_id == stranger).unwrap();
        assert!(stranger_message.flags.is_empty(), "{run}");
    } else {
        panic!("the stranger's message was removed:\n{run}");
    }
    assert!(
        !left
            .iter()
            .any(|m| m.message_id.starts_with("<icloud-setup.")),
        "the test message was removed:\n{run}"
    );
}

/// The old `AUTH=` form of EHLO (issue 19.3) is read, and the `--verbose` transcript names
/// the method that was really used (issue 19.7): `AUTH LOGIN`, the username in base64, the
/// password masked. Before, no login method was found in `AUTH=LOGIN` (exit 76), and the
/// transcript showed `AUTH alice@icloud.com ********` whatever the method.
#[test]
fn the_old_auth_equals_form_is_used_and_the_transcript_names_the_method() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s.auth_line("AUTH=LOGIN"));
    let mut prompter = ScriptedPrompter::non_interactive();
    let run = world
        .session()
        .servers(&imap.host_addr("localhost"), &smtp.host_addr("localhost"))
        .stdin(&format!("{TEST_PASSWORD}\n"))
        .run(
            Some(Command::Setup(SetupArgs {
                email: Some(EMAIL.into()),
                password_stdin: true,
                ..SetupArgs::default()
            })),
            &mut prompter,
        );
    assert!(run.error.is_none(), "{run}");
    run.assert_said("SMTP C: AUTH LOGIN\n");
    run.assert_said("SMTP C: YWxpY2VAaWNsb3VkLmNvbQ==\n");
    run.assert_said("SMTP C: ********\n");
    assert!(!run.said.contains("AUTH PLAIN"), "{run}");
    assert!(!run.said.contains(TEST_PASSWORD), "{run}");

    // And PLAIN is named as PLAIN.
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s.auth_line("AUTH=PLAIN LOGIN"));
    let mut prompter = ScriptedPrompter::non_interactive();
    let run = world
        .session()
        .servers(&imap.host_addr("localhost"), &smtp.host_addr("localhost"))
        .stdin(&format!("{TEST_PASSWORD}\n"))
        .run(
            Some(Command::Setup(SetupArgs {
                email: Some(EMAIL.into()),
                password_stdin: true,
                ..SetupArgs::default()
            })),
            &mut prompter,
        );
    assert!(run.error.is_none(), "{run}");
    run.assert_said("SMTP C: AUTH PLAIN ********");
}

// ---------------------------------------------------------------- Ctrl-C during the wait

/// Ctrl-C (and SIGTERM, which takes the same way) while the send test waits for its message
/// (issue 18.2): the run ends with 130 as before, and now also says that a test message was
/// sent and may still arrive, with its subject, so the person can find it. Before, it said
/// only "Cancelled. Nothing was saved." and the message arrived unmentioned.
#[cfg(unix)]
#[test]
fn a_signal_during_the_wait_says_the_test_message_may_still_arrive_and_its_subject() {
    use std::io::Write;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    use support::binary::{GERMAN, Sandbox};
    use support::certs::TestCa;
    use support::fake_servers::ImapTransport;
    use support::secret_service::SecretService;

    for (signal, locale, said) in [
        (
            nix::sys::signal::Signal::SIGINT,
            None,
            [
                "Nothing was saved",
                "A test message was already sent to alice@icloud.com and may still arrive, \
                 with the subject \"icloud-setup test message — safe to delete\".",
            ],
        ),
        (
            nix::sys::signal::Signal::SIGTERM,
            Some(GERMAN),
            [
                "Es wurde nichts gespeichert",
                "Eine Testnachricht wurde bereits an alice@icloud.com gesendet und kann noch \
                 ankommen, mit dem Betreff „Testnachricht von icloud-setup – kann gelöscht \
                 werden“.",
            ],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let ca = TestCa::new(dir.path());
        let Some(keyring) = SecretService::start(dir.path()) else {
            return;
        };
        let mut sandbox = Sandbox::with_keyring(dir.path(), &keyring);
        if let Some(locale) = locale {
            sandbox.set_locale(locale);
        }
        // The relay accepts the message and drops it: the run waits the whole --wait.
        let mailbox = FakeMailbox::new();
        mailbox.deliver_into("INBOX", 0);
        let identity = || ca.server_cert("localhost").identity();
        let imap = FakeImap::start(
            ImapTransport::Tls(identity()),
            ImapScript::default().mailbox(&mailbox),
        );
        let smtp = FakeSmtp::start(
            support::fake_servers::SmtpScript::new(support::fake_servers::SmtpMode::Starttls(
                identity(),
            ))
            .deliver_to(&mailbox),
        );
        let mut child = sandbox
            .command()
            .arg("--imap-server")
            .arg(imap.host_addr("localhost"))
            .arg("--smtp-server")
            .arg(smtp.host_addr("localhost"))
            .arg("--ca-file")
            .arg(&ca.ca_path)
            .args(["--timeout", "10"])
            .args(["setup", "--email", EMAIL, "--password-stdin"])
            .args(["--send-test", "--wait", "60"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{TEST_PASSWORD}\n").as_bytes())
            .unwrap();
        // The message was accepted (the submission said goodbye) and the watch has begun.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !smtp.commands().iter().any(|(verb, _)| verb == "QUIT")
            || !imap.commands().iter().any(|c| c == "NOOP")
        {
            assert!(Instant::now() < deadline, "the run never reached the wait");
            std::thread::sleep(Duration::from_millis(50));
        }
        let started = Instant::now();
        let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
        nix::sys::signal::kill(pid, signal).unwrap();
        let output = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{signal:?}: {err}");
        assert!(started.elapsed() < Duration::from_secs(5), "{err}");
        for words in said {
            assert!(
                err.contains(words),
                "{signal:?}: {words:?} not said:\n{err}"
            );
        }
        assert!(sandbox.config_text().is_none(), "{err}");
        assert_eq!(keyring.lookup(EMAIL), None, "{err}");
        assert!(!err.contains(TEST_PASSWORD), "{err}");
    }
}

// ---------------------------------------------------------------- the seam, faked in-process

/// The send test goes through the `MailCheck` seam like the live test (issue 20.1): a fake
/// send-test side, in-process and without a network, is all the command talks to. It says
/// the message arrived twice and that the search also named a message from before; the
/// command reports both, and never reaches the submission server itself.
#[test]
fn the_send_test_runs_through_the_mail_check_seam_and_can_be_faked_in_process() {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use icloud_setup::domain::{AppPassword, LoginLadder};
    use icloud_setup::mail::send_test::{
        Arrival, Folder, NotOurs, NotOursReason, Removal, Removed, SendFailure, Submission,
        SubmitReport, WatchSession,
    };
    use icloud_setup::mail::tls::TrustAnchors;
    use icloud_setup::mail::{
        LiveMailCheck, MailCheck, Preconnected, ProbeReport, ServerAddress, TranscriptLine,
    };

    /// What the fake was asked to remove: the UIDs and the `Message-ID`.
    type RemovedLog = std::sync::Arc<Mutex<Vec<(Vec<u32>, String)>>>;

    struct Scripted {
        removed: RemovedLog,
    }

    impl WatchSession for Scripted {
        fn wait_for(
            &mut self,
            _message_id: &str,
            _submitted: Instant,
            _wait: Duration,
        ) -> Result<Arrival, SendFailure> {
            Ok(Arrival {
                folder: Folder::Inbox,
                uids: vec![8, 9],
                after: Duration::from_secs(2),
            })
        }

        fn remove(&mut self, arrival: &Arrival, message_id: &str) -> Result<Removed, SendFailure> {
            self.removed
                .lock()
                .unwrap()
                .push((arrival.uids.clone(), message_id.to_string()));
            Ok(Removed {
                how: Removal::Expunged,
                copies: arrival.uids.len(),
            })
        }

        fn not_ours(&self) -> Vec<NotOurs> {
            vec![NotOurs {
                folder: Folder::Inbox,
                uid: 4,
                reason: NotOursReason::ThereBefore,
            }]
        }

        fn logout(self: Box<Self>) -> Vec<TranscriptLine> {
            vec![TranscriptLine::Client("s9 LOGOUT".into())]
        }
    }

    /// The live test for real (on the world's CA), the send test scripted.
    struct FakeSendSide {
        live: LiveMailCheck,
        removed: RemovedLog,
        submitted: Mutex<Vec<String>>,
    }

    impl MailCheck for FakeSendSide {
        fn check_imap_preconnected(
            &self,
            server: &ServerAddress,
            ladder: &LoginLadder,
            password: &AppPassword,
            pre: &Preconnected,
        ) -> ProbeReport {
            self.live
                .check_imap_preconnected(server, ladder, password, pre)
        }

        fn check_smtp_preconnected(
            &self,
            server: &ServerAddress,
            username: &str,
            password: &AppPassword,
            pre: &Preconnected,
        ) -> ProbeReport {
            self.live
                .check_smtp_preconnected(server, username, password, pre)
        }

        fn open_watcher(
            &self,
            _server: &ServerAddress,
            _username: &str,
            _password: &AppPassword,
        ) -> Result<Box<dyn WatchSession>, SendFailure> {
            Ok(Box::new(Scripted {
                removed: std::sync::Arc::clone(&self.removed),
            }))
        }

        fn submit(&self, submission: &Submission<'_>) -> SubmitReport {
            self.submitted
                .lock()
                .unwrap()
                .push(submission.message.message_id().to_string());
            SubmitReport {
                outcome: Ok("250 2.0.0 Ok: queued as FAKE".into()),
                transcript: Vec::new(),
            }
        }
    }

    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let fake = FakeSendSide {
        live: LiveMailCheck {
            anchors: TrustAnchors::with_ca_file(&world.ca.ca_path).unwrap(),
            timeout: support::in_process::DEFAULT_TIMEOUT,
        },
        removed: std::sync::Arc::default(),
        submitted: Mutex::default(),
    };
    let mut prompter = ScriptedPrompter::non_interactive();
    let run = world
        .session()
        .servers(&imap.host_addr("localhost"), &smtp.host_addr("localhost"))
        .stdin(&format!("{TEST_PASSWORD}\n"))
        .mail(&fake)
        .run(Some(setup_with_send_test(5)), &mut prompter);

    assert!(run.error.is_none(), "{run}");
    let submitted = fake.submitted.lock().unwrap().clone();
    assert_eq!(submitted.len(), 1, "{run}");
    assert_eq!(
        *fake.removed.lock().unwrap(),
        [(vec![8, 9], submitted[0].clone())],
        "the message's own Message-ID goes to the removal:\n{run}"
    );
    run.assert_said("queued as FAKE");
    run.assert_said(
        "The server's search also named message 4 in INBOX, which was there before the test \
         began",
    );
    run.assert_said("The test message arrived 2 times; removed every copy from INBOX");
    // The command itself opened no connection of its own for the send test.
    assert!(
        !smtp.commands().iter().any(|(verb, _)| verb == "DATA"),
        "{run}"
    );
    assert!(world.config_text().is_some(), "{run}");
}
