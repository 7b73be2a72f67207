//! The fault matrix (issue 5): every way a setup can fail, each with the stage that failed,
//! the server's own words where it said any, one hint a person can act on, the exit code of
//! docs/PRODUCT.md, and no change to what was saved before.
//!
//! Most rows run the whole setup in-process (scripted prompter, in-memory keyring, a config
//! file in a temporary directory, scripted fault servers on loopback with test-time
//! certificates). Every in-process world starts with an account already saved — the same
//! address the failing run sets up again, with an older secret — so "nothing changed" is
//! checked against real content: the config byte for byte, the old secret still in place.
//!
//! The rows about the process run the binary:
//! - `real_keyring`: no D-Bus, no Secret Service on the bus, locked, not answering (which
//!   keyring is reached is decided by the process environment);
//! - `cancel`: Ctrl-C and Esc at every prompt and during the live test, in a pseudo-terminal;
//! - `process`: `--password-stdin` with nothing usable, the config unwritable with the real
//!   keyring;
//! - `leaks`: a range of runs, every output and file scanned for the passwords.
//!
//! `ICLOUD_SETUP_SHOW_FAULTS=1 cargo test faults:: -- --nocapture` prints what a person
//! reads for each row.

use crate::support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use icloud_setup::cli::{Command, SetupArgs};
use icloud_setup::error::Error;
use icloud_setup::mail::{Detail, FailureKind, Protocol, Stage};
use icloud_setup::prompt::ScriptedPrompter;
use icloud_setup::secrets::{MemoryStore, SecretStore, StoreProblem};
use secrecy::{ExposeSecret, SecretString};
use support::certs::{ServerCert, untrusted_server_cert};
use support::fake_servers::{
    DropServer, FakeImap, FakeSmtp, ImapLogin, ImapScript, ImapTransport, SilentServer, SmtpAuth,
    SmtpMode, SmtpScript, TEST_PASSWORD, closed_port, unresolvable_host,
};
use support::in_process::{Run, World, assert_no_file_holds};

/// The account every world starts with, and that each failing run tries to set up again.
const EMAIL: &str = "alice@icloud.com";
/// The secret saved for it before the run; a failed run must leave exactly this.
const OLD_SECRET: &str = "kept-olds-ecre-tabc";
/// The `--timeout` of the in-process runs.
const TIMEOUT: Duration = Duration::from_secs(3);
/// What "within `--timeout` + 1 s" allows.
const GRACE: Duration = Duration::from_secs(1);

// ---------------------------------------------------------------------------------------------
// The in-process world
// ---------------------------------------------------------------------------------------------

/// A world with [`EMAIL`] saved under [`OLD_SECRET`]: each failing run sets it up again.
fn seeded_world() -> World {
    World::with_saved_account(EMAIL, "alice", OLD_SECRET)
}

/// How the fault rows run the program, on top of the shared in-process world.
trait FaultRuns {
    /// `setup --email alice@icloud.com --password-stdin` against `imap` and `smtp`, no
    /// terminal, the password on standard input.
    fn setup(&self, imap: &str, smtp: &str) -> Run;
    fn setup_with(&self, imap: &str, smtp: &str, secrets: &dyn SecretStore, password: &str) -> Run;
}

impl FaultRuns for World {
    fn setup(&self, imap: &str, smtp: &str) -> Run {
        self.setup_with(imap, smtp, &self.secrets, TEST_PASSWORD)
    }

    fn setup_with(&self, imap: &str, smtp: &str, secrets: &dyn SecretStore, password: &str) -> Run {
        self.session()
            .servers(imap, smtp)
            .timeout(TIMEOUT)
            .secrets(secrets)
            .stdin(&format!("{password}\n"))
            .run(
                Some(setup_command()),
                &mut ScriptedPrompter::non_interactive(),
            )
    }
}

fn setup_command() -> Command {
    Command::Setup(SetupArgs {
        email: Some(EMAIL.into()),
        password_stdin: true,
        ..SetupArgs::default()
    })
}

/// What a failed probe must look like: one row of the fault matrix.
struct Expected<'a> {
    protocol: Protocol,
    stage: Stage,
    kind: FailureKind,
    exit: u8,
    /// The server's own words, when it said any.
    server_said: Option<&'a str>,
    /// A phrase of the one hint.
    hint: &'a str,
}

impl<'a> Expected<'a> {
    fn new(protocol: Protocol, stage: Stage, kind: FailureKind, exit: u8) -> Expected<'a> {
        Expected {
            protocol,
            stage,
            kind,
            exit,
            server_said: None,
            hint: "",
        }
    }

    fn said(mut self, words: &'a str) -> Self {
        self.server_said = Some(words);
        self
    }

    fn hint(mut self, phrase: &'a str) -> Self {
        self.hint = phrase;
        self
    }
}

/// How the explanation names each stage.
fn stage_words(stage: Stage) -> &'static str {
    match stage {
        Stage::NameLookup => "name lookup",
        Stage::Connect => "connect",
        Stage::Tls => "TLS",
        Stage::Greeting => "greeting",
        Stage::StartTls => "STARTTLS",
        Stage::Login => "login",
        Stage::MailFrom => "MAIL FROM",
        Stage::RcptTo => "RCPT TO",
        Stage::Data => "DATA",
        Stage::EndOfData => "end of the message",
        Stage::Capability => "CAPABILITY",
        Stage::FolderStatus => "folder status",
        Stage::Select => "SELECT",
        Stage::Noop => "NOOP",
        Stage::Search => "SEARCH",
        Stage::Fetch => "FETCH",
        Stage::Idle => "IDLE",
        Stage::Store => "STORE",
        Stage::Expunge => "EXPUNGE",
    }
}

fn assert_fault(world: &World, run: &Run, expected: Expected<'_>) {
    // For reviewing the wording (see the module docs).
    if std::env::var_os("ICLOUD_SETUP_SHOW_FAULTS").is_some() {
        eprintln!("=====\n{run}");
    }
    assert_eq!(run.error().exit_code(), expected.exit, "{run}");
    let report = run.report(expected.protocol);
    let failure = report
        .failure()
        .unwrap_or_else(|| panic!("{} passed:\n{run}", expected.protocol));
    assert_eq!(
        (failure.stage, failure.kind),
        (expected.stage, expected.kind),
        "{run}"
    );
    run.assert_said(&format!("the {} step failed", stage_words(expected.stage)));
    match expected.server_said {
        Some(words) => run.assert_said(&format!("The server said: {words}")),
        None => assert!(
            failure.server_said.is_none(),
            "a server that said nothing is quoted:\n{run}"
        ),
    }
    run.assert_said("What to do:");
    run.assert_hint(expected.hint);
    assert!(
        run.error().to_string().contains("nothing was saved"),
        "{run}"
    );
    world.assert_unchanged(run, TEST_PASSWORD);
}

/// Runs a timed scenario until it passes, at most three times. The bounds are the
/// product's own deadlines, but on a loaded two-core machine a thread can wake late; a real
/// overrun (a second wait, a deadline not shared) repeats every time, noise does not.
/// `attempt` panics on anything that must hold whatever the load, and returns `Err` for
/// what the load can spoil (the time taken).
fn retried(mut attempt: impl FnMut() -> Result<(), String>) {
    let mut failures = Vec::new();
    for _ in 0..3 {
        match attempt() {
            Ok(()) => return,
            Err(why) => failures.push(why),
        }
    }
    panic!("failed three times:\n{}", failures.join("\n"));
}

/// `Err` unless `elapsed` is within `bound`.
fn within(
    elapsed: Duration,
    bound: Duration,
    context: &dyn std::fmt::Display,
) -> Result<(), String> {
    if elapsed < bound {
        Ok(())
    } else {
        Err(format!("took {elapsed:?}, more than {bound:?}:\n{context}"))
    }
}

// ---------------------------------------------------------------------------------------------
// Name lookup and connect: 69
// ---------------------------------------------------------------------------------------------

#[test]
fn an_imap_host_name_that_does_not_resolve_is_69_at_name_lookup() {
    let world = seeded_world();
    let smtp = world.smtp(|s| s);
    let run = world.setup(
        &format!("{}:993", unresolvable_host()),
        &smtp.host_addr("localhost"),
    );
    assert_fault(
        &world,
        &run,
        Expected::new(
            Protocol::Imap,
            Stage::NameLookup,
            FailureKind::Unresolvable,
            69,
        )
        .hint("spelled right"),
    );
}

#[test]
fn an_smtp_host_name_that_does_not_resolve_is_69_at_name_lookup() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default());
    let run = world.setup(
        &imap.host_addr("localhost"),
        &format!("{}:587", unresolvable_host()),
    );
    assert_fault(
        &world,
        &run,
        Expected::new(
            Protocol::Smtp,
            Stage::NameLookup,
            FailureKind::Unresolvable,
            69,
        )
        .hint("spelled right"),
    );
}

#[test]
fn a_refused_imap_connection_is_69_at_connect() {
    let world = seeded_world();
    let smtp = world.smtp(|s| s);
    let run = world.setup(
        &format!("localhost:{}", closed_port()),
        &smtp.host_addr("localhost"),
    );
    assert_fault(
        &world,
        &run,
        Expected::new(Protocol::Imap, Stage::Connect, FailureKind::Unreachable, 69)
            .hint("firewall"),
    );
}

#[test]
fn a_refused_smtp_connection_is_69_at_connect() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default());
    let run = world.setup(
        &imap.host_addr("localhost"),
        &format!("localhost:{}", closed_port()),
    );
    assert_fault(
        &world,
        &run,
        Expected::new(Protocol::Smtp, Stage::Connect, FailureKind::Unreachable, 69)
            .hint("firewall"),
    );
}

// ---------------------------------------------------------------------------------------------
// Silence and hang-ups: 75
// ---------------------------------------------------------------------------------------------

#[test]
fn an_imap_server_that_never_speaks_is_75_within_the_timeout() {
    retried(|| {
        let world = seeded_world();
        let silent = SilentServer::start();
        let smtp = world.smtp(|s| s);
        let run = world.setup(&silent.host_addr("localhost"), &smtp.host_addr("localhost"));
        assert_fault(
            &world,
            &run,
            // A TLS client speaks first: the silence is met during the handshake.
            Expected::new(Protocol::Imap, Stage::Tls, FailureKind::TimedOut, 75).hint("--timeout"),
        );
        assert_eq!(
            silent.connections(),
            1,
            "no second username after a timeout"
        );
        within(run.elapsed, TIMEOUT + GRACE, &run)
    });
}

#[test]
fn an_smtp_server_that_never_speaks_is_75_within_the_timeout() {
    retried(|| {
        let world = seeded_world();
        let imap = world.imap(ImapScript::default());
        let silent = SilentServer::start();
        let run = world.setup(&imap.host_addr("localhost"), &silent.host_addr("localhost"));
        assert_fault(
            &world,
            &run,
            Expected::new(Protocol::Smtp, Stage::Greeting, FailureKind::TimedOut, 75)
                .hint("--timeout"),
        );
        within(run.elapsed, TIMEOUT + GRACE, &run)
    });
}

#[test]
fn both_servers_silent_still_end_within_the_timeout() {
    retried(|| {
        let world = seeded_world();
        let imap = SilentServer::start();
        let smtp = SilentServer::start();
        let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
        assert_eq!(run.error().exit_code(), 75, "{run}");
        world.assert_unchanged(&run, TEST_PASSWORD);
        within(run.elapsed, TIMEOUT + GRACE, &run)
    });
}

#[test]
fn the_timeout_hint_names_the_timeout_that_was_used() {
    let world = seeded_world();
    let silent = SilentServer::start();
    let smtp = world.smtp(|s| s);
    let run = world.setup(&silent.host_addr("localhost"), &smtp.host_addr("localhost"));
    let seconds = TIMEOUT.as_secs();
    run.assert_said(&format!("within {seconds} seconds"));
    assert!(
        !run.hint().contains("15 seconds"),
        "the hint must not claim the default timeout:\n{run}"
    );
}

#[test]
fn an_imap_connection_dropped_during_the_login_is_75() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default().other_logins(ImapLogin::DropConnection));
    let smtp = world.smtp(|s| s);
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(Protocol::Imap, Stage::Login, FailureKind::Dropped, 75).hint("try again"),
    );
    assert_eq!(imap.logins().len(), 1, "a hang-up is not a wrong password");
}

#[test]
fn an_smtp_connection_dropped_during_the_login_is_75() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s.other_logins(SmtpAuth::DropConnection));
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(Protocol::Smtp, Stage::Login, FailureKind::Dropped, 75).hint("try again"),
    );
}

#[test]
fn a_server_that_hangs_up_at_once_is_75() {
    let world = seeded_world();
    let imap = DropServer::start();
    let smtp = DropServer::start();
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_eq!(run.error().exit_code(), 75, "{run}");
    for protocol in [Protocol::Imap, Protocol::Smtp] {
        let failure = run.report(protocol).failure().unwrap();
        assert_eq!(failure.kind, FailureKind::Dropped, "{protocol}: {run}");
    }
    run.assert_hint("try again");
    world.assert_unchanged(&run, TEST_PASSWORD);
}

// ---------------------------------------------------------------------------------------------
// TLS mode and certificates: 76
// ---------------------------------------------------------------------------------------------

#[test]
fn tls_from_the_first_byte_on_the_starttls_port_is_76_within_the_timeout() {
    retried(|| {
        let world = seeded_world();
        let imap = world.imap(ImapScript::default());
        let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::ImplicitTls(
            world.cert().identity(),
        )));
        let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
        assert!(
            smtp.auth_attempts().is_empty(),
            "no AUTH to a server we did not mean to talk TLS to"
        );
        // A starved machine can make the TLS check itself miss its small reserve.
        if run.report(Protocol::Smtp).failure().map(|f| f.kind) == Some(FailureKind::TimedOut) {
            return Err(format!("the TLS check ran out of time:\n{run}"));
        }
        assert_fault(
            &world,
            &run,
            Expected::new(
                Protocol::Smtp,
                Stage::Greeting,
                FailureKind::WrongTlsMode,
                76,
            )
            .hint(&format!("port {} expects STARTTLS", smtp.port())),
        );
        within(run.elapsed, TIMEOUT + GRACE, &run)
    });
}

#[test]
fn plain_text_on_the_tls_port_is_76() {
    let world = seeded_world();
    let imap = FakeImap::start(ImapTransport::Plain, ImapScript::default());
    let smtp = world.smtp(|s| s);
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(Protocol::Imap, Stage::Tls, FailureKind::WrongTlsMode, 76)
            .hint("SSL/TLS from the first byte on port 993"),
    );
    let detail = &run.report(Protocol::Imap).failure().unwrap().detail;
    assert!(
        matches!(detail, Detail::Library(words) if words.contains("wrong version number")),
        "{detail:?}"
    );
    assert!(imap.logins().is_empty(), "no LOGIN in the clear");
}

#[test]
fn imap_pointed_at_a_starttls_port_says_it_answered_in_plain_text() {
    // Pointing the TLS-first IMAP check at a STARTTLS submission port: OpenSSL reads the
    // plain "220" greeting as a TLS record ("wrong version number").
    let world = seeded_world();
    let smtp = world.smtp(|s| s);
    let run = world.setup(&smtp.host_addr("localhost"), &smtp.host_addr("localhost"));
    let failure = run.report(Protocol::Imap).failure().unwrap();
    assert_eq!(failure.kind, FailureKind::WrongTlsMode, "{run}");
    assert_eq!(run.error().exit_code(), 76, "{run}");
    run.assert_hint("answered in plain text, as a STARTTLS or unencrypted port does");
    world.assert_unchanged(&run, TEST_PASSWORD);
}

/// The three certificate faults, each for IMAP (TLS from the first byte) and SMTP (after
/// STARTTLS).
fn certificate_fault(protocol: Protocol, cert: impl Fn(&World) -> ServerCert) -> (World, Run) {
    let world = seeded_world();
    let bad = cert(&world);
    let run = match protocol {
        Protocol::Imap => {
            let imap = world.imap_with(&bad, ImapScript::default());
            let smtp = world.smtp(|s| s);
            let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
            assert!(imap.logins().is_empty(), "LOGIN after a bad certificate");
            run
        }
        Protocol::Smtp => {
            let imap = world.imap(ImapScript::default());
            let smtp = world.smtp_with(&bad, |s| s);
            let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
            assert!(
                smtp.auth_attempts().is_empty(),
                "AUTH after a bad certificate"
            );
            run
        }
    };
    (world, run)
}

fn expect_certificate(protocol: Protocol, kind: FailureKind, hint: &str) -> Expected<'_> {
    let stage = match protocol {
        Protocol::Imap => Stage::Tls,
        Protocol::Smtp => Stage::StartTls,
    };
    Expected::new(protocol, stage, kind, 76).hint(hint)
}

#[test]
fn a_certificate_for_another_host_is_76_for_imap_and_smtp() {
    for protocol in [Protocol::Imap, Protocol::Smtp] {
        let (world, run) = certificate_fault(protocol, |w| w.ca.server_cert("mail.example.net"));
        assert_fault(
            &world,
            &run,
            expect_certificate(
                protocol,
                FailureKind::CertificateWrongHost,
                "certificate for another name",
            ),
        );
        run.assert_said("the certificate belongs to another server");
    }
}

#[test]
fn an_expired_certificate_is_76_for_imap_and_smtp() {
    for protocol in [Protocol::Imap, Protocol::Smtp] {
        let (world, run) = certificate_fault(protocol, |w| w.ca.expired_server_cert("localhost"));
        assert_fault(
            &world,
            &run,
            expect_certificate(protocol, FailureKind::CertificateExpired, "date and time"),
        );
        run.assert_said("the certificate has expired");
    }
}

#[test]
fn a_certificate_from_an_unknown_ca_is_76_for_imap_and_smtp() {
    for protocol in [Protocol::Imap, Protocol::Smtp] {
        let (world, run) = certificate_fault(protocol, |w| {
            untrusted_server_cert(w.dir.path(), "localhost")
        });
        assert_fault(
            &world,
            &run,
            expect_certificate(protocol, FailureKind::CertificateUntrusted, "--ca-file"),
        );
        run.assert_said("the certificate is not from a trusted authority");
    }
}

#[test]
fn no_starttls_is_76_and_no_auth_is_ever_sent() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default());
    // AUTH is offered in the clear, to catch a client that would take the offer.
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::NoStarttls).auth_before_tls(true));
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(
            Protocol::Smtp,
            Stage::StartTls,
            FailureKind::StartTlsMissing,
            76,
        )
        .said("smtp.mail.me.com")
        .hint("password was NOT sent"),
    );
    assert!(
        !smtp.commands().iter().any(|(verb, _)| verb == "AUTH"),
        "{:?}",
        smtp.commands()
    );
}

#[test]
fn starttls_refused_with_454_is_75_and_no_auth_is_sent() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default());
    let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::StarttlsRefused).auth_before_tls(true));
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(
            Protocol::Smtp,
            Stage::StartTls,
            FailureKind::Unavailable,
            75,
        )
        .said("454")
        .hint("try again"),
    );
    assert!(!smtp.commands().iter().any(|(verb, _)| verb == "AUTH"));
}

// ---------------------------------------------------------------------------------------------
// What the servers said at login: 75 or 77
// ---------------------------------------------------------------------------------------------

#[test]
fn imap_bad_unavailable_is_75_and_not_a_password_problem() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default().other_logins(ImapLogin::Unavailable));
    let smtp = world.smtp(|s| s);
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(Protocol::Imap, Stage::Login, FailureKind::Unavailable, 75)
            .said("BAD [UNAVAILABLE] Service temporarily unavailable")
            .hint("not a password problem"),
    );
    assert_eq!(
        imap.logins().len(),
        1,
        "an outage is not a reason to try the next username"
    );
}

#[test]
fn imap_no_unavailable_is_75_and_not_a_password_problem() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default().other_logins(ImapLogin::NoUnavailable));
    let smtp = world.smtp(|s| s);
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(Protocol::Imap, Stage::Login, FailureKind::Unavailable, 75)
            .said("NO [UNAVAILABLE] Service temporarily unavailable")
            .hint("not a password problem"),
    );
    assert_eq!(imap.logins().len(), 1);
}

#[test]
fn imap_authenticationfailed_for_both_usernames_is_77_naming_both() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default().other_logins(ImapLogin::AuthFailed));
    let smtp = world.smtp(|s| s);
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(
            Protocol::Imap,
            Stage::Login,
            FailureKind::BadCredentials,
            77,
        )
        .said("NO [AUTHENTICATIONFAILED] Authentication failed.")
        .hint("app-specific password"),
    );
    run.assert_said("Usernames tried: alice, alice@icloud.com");
    assert_eq!(
        run.report(Protocol::Imap).usernames_tried,
        ["alice", "alice@icloud.com"]
    );
    assert_eq!(imap.connections(), 2, "each username on its own connection");
}

#[test]
fn smtp_535_is_77() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s.other_logins(SmtpAuth::Invalid));
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(
            Protocol::Smtp,
            Stage::Login,
            FailureKind::BadCredentials,
            77,
        )
        .said("535")
        .hint("app-specific password"),
    );
    run.assert_said("Authentication credentials invalid");
    run.assert_said("Usernames tried: alice@icloud.com");
}

#[test]
fn smtp_454_is_75_and_not_a_password_problem() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s.other_logins(SmtpAuth::Transient454));
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_fault(
        &world,
        &run,
        Expected::new(Protocol::Smtp, Stage::Login, FailureKind::Unavailable, 75)
            .said("454")
            .hint("not a password problem"),
    );
    run.assert_said("Temporary authentication failure");
}

// ---------------------------------------------------------------------------------------------
// Keyring (in-process: what the flow does with each problem) and config
// ---------------------------------------------------------------------------------------------

#[test]
fn every_keyring_problem_is_78_and_leaves_config_and_keyring_alone() {
    for problem in [
        StoreProblem::Unavailable("no D-Bus session".into()),
        StoreProblem::NotAnswering,
        StoreProblem::Failed("refused".into()),
        StoreProblem::Locked("SS Error: object locked".into()),
    ] {
        let world = seeded_world();
        let imap = world.imap(ImapScript::default());
        let smtp = world.smtp(|s| s);
        world.secrets.fail_with(Some(problem.clone()));
        let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
        assert_eq!(run.error().exit_code(), 78, "{problem:?}: {run}");
        assert!(
            matches!(run.error(), Error::Keyring { .. }),
            "{problem:?}: {run}"
        );
        assert!(run.error().to_string().contains("keyring"), "{run}");
        run.assert_hint("never saved in a file");
        world.secrets.fail_with(None);
        world.assert_unchanged(&run, TEST_PASSWORD);
    }
}

#[test]
fn an_unparseable_config_is_78_left_byte_for_byte_and_nothing_is_tested() {
    let world = seeded_world();
    let broken = b"version = 1\n\n[[accounts]\nemail = \"alice@icloud.com\"\n";
    std::fs::write(&world.config_path, broken).unwrap();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_eq!(run.error().exit_code(), 78, "{run}");
    let message = run.error().to_string();
    assert!(
        message.contains(&world.config_path.display().to_string()) && message.contains("line 3"),
        "names the file and the line: {message}"
    );
    run.assert_hint("left exactly as it is");
    assert_eq!(std::fs::read(&world.config_path).unwrap(), broken);
    assert_eq!(world.secret(EMAIL).as_deref(), Some(OLD_SECRET));
    assert_eq!(
        (imap.connections(), smtp.connections()),
        (0, 0),
        "no password is sent for a profile that cannot be saved"
    );
}

#[test]
fn a_config_of_an_unknown_version_is_78_and_left_alone() {
    let world = seeded_world();
    let future = b"version = 2\n";
    std::fs::write(&world.config_path, future).unwrap();
    let run = world.setup("localhost:1", "localhost:1");
    assert_eq!(run.error().exit_code(), 78, "{run}");
    assert_eq!(std::fs::read(&world.config_path).unwrap(), future);
}

/// Makes the config impossible to write while it stays readable, so the run gets as far as
/// the save: a directory where the lock file beside the config must be created. (Tests run
/// as root, for whom permission bits do not stop a write, and a directory in place of the
/// config file itself would already fail the read at the start.)
fn block_config_write(config_path: &Path) -> PathBuf {
    let lock = config_path.with_file_name(".config.toml.lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::create_dir_all(&lock).unwrap();
    lock
}

/// A keyring that records the calls it gets (the account, never the secret), to prove a
/// secret was stored during the run and then taken back out.
#[derive(Default)]
struct RecordingStore {
    inner: MemoryStore,
    calls: std::sync::Mutex<Vec<String>>,
}

impl RecordingStore {
    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    fn record(&self, call: String) {
        self.calls.lock().unwrap().push(call);
    }
}

impl SecretStore for RecordingStore {
    fn read(&self, email: &str) -> Result<Option<SecretString>, StoreProblem> {
        self.record(format!("read {email}"));
        self.inner.read(email)
    }

    fn write(&self, email: &str, secret: &SecretString) -> Result<(), StoreProblem> {
        let which = if secret.expose_secret() == TEST_PASSWORD {
            "new"
        } else {
            "old"
        };
        self.record(format!("write {email} {which}"));
        self.inner.write(email, secret)
    }

    fn delete(&self, email: &str) -> Result<(), StoreProblem> {
        self.record(format!("delete {email}"));
        self.inner.delete(email)
    }

    fn location(&self, email: &str) -> icloud_setup::secrets::SecretLocation {
        self.inner.location(email)
    }
}

#[test]
fn an_unwritable_config_is_74_and_the_previous_secret_is_put_back() {
    let world = seeded_world();
    block_config_write(&world.config_path);
    let keyring = RecordingStore::default();
    keyring
        .inner
        .write(EMAIL, &SecretString::from(OLD_SECRET))
        .unwrap();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let run = world.setup_with(
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
        &keyring,
        TEST_PASSWORD,
    );
    assert_eq!(run.error().exit_code(), 74, "{run}");
    assert!(matches!(run.error(), Error::ConfigWrite { .. }), "{run}");
    assert!(
        run.error()
            .to_string()
            .contains(&world.config_path.display().to_string()),
        "names the file: {run}"
    );
    run.assert_hint("--config");
    assert_eq!(imap.logins().len(), 1, "the run got as far as the save");
    assert_eq!(
        keyring.calls(),
        [
            // The keyring is proven to answer before the password is asked for.
            format!("read {EMAIL}"),
            format!("read {EMAIL}"),
            format!("write {EMAIL} new"),
            format!("read {EMAIL}"),
            format!("write {EMAIL} old"),
        ],
        "stored, read back, then the old secret put back"
    );
    let now = keyring.inner.read(EMAIL).unwrap().unwrap();
    assert_eq!(now.expose_secret(), OLD_SECRET);
    assert_eq!(
        std::fs::read(&world.config_path).unwrap(),
        world.config_before
    );
    assert_no_file_holds(world.dir.path(), TEST_PASSWORD);
}

#[test]
fn an_unwritable_config_is_74_and_a_new_secret_is_taken_back_out() {
    let world = seeded_world();
    block_config_write(&world.config_path);
    // No entry before the run: the rollback must delete what the run stored.
    let keyring = RecordingStore::default();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let run = world.setup_with(
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
        &keyring,
        TEST_PASSWORD,
    );
    assert_eq!(run.error().exit_code(), 74, "{run}");
    assert!(matches!(run.error(), Error::ConfigWrite { .. }), "{run}");
    run.assert_hint("--config");
    assert_eq!(
        keyring.calls(),
        [
            // The keyring is proven to answer before the password is asked for.
            format!("read {EMAIL}"),
            format!("read {EMAIL}"),
            format!("write {EMAIL} new"),
            format!("read {EMAIL}"),
            format!("delete {EMAIL}"),
        ],
        "stored during this run, then taken back out"
    );
    assert!(keyring.inner.emails().is_empty());
    assert_eq!(
        std::fs::read(&world.config_path).unwrap(),
        world.config_before
    );
    assert_no_file_holds(world.dir.path(), TEST_PASSWORD);
}

#[test]
fn a_config_that_cannot_even_be_read_is_74_before_a_password_is_sent() {
    let world = seeded_world();
    // A directory where the config file should be.
    std::fs::remove_file(&world.config_path).unwrap();
    std::fs::create_dir(&world.config_path).unwrap();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert_eq!(run.error().exit_code(), 74, "{run}");
    assert!(matches!(run.error(), Error::ConfigNotAFile { .. }), "{run}");
    run.assert_hint("--config");
    assert_eq!((imap.connections(), smtp.connections()), (0, 0));
    assert_eq!(world.secret(EMAIL).as_deref(), Some(OLD_SECRET));
}

#[test]
fn a_healthy_world_passes_so_the_faults_above_are_the_faults() {
    let world = seeded_world();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    let run = world.setup(&imap.host_addr("localhost"), &smtp.host_addr("localhost"));
    assert!(run.error.is_none(), "{run}");
    assert_eq!(world.secret(EMAIL).as_deref(), Some(TEST_PASSWORD));
    assert_no_file_holds(world.dir.path(), TEST_PASSWORD);
    // Every world runs with --verbose: the transcript is there, the secret masked in it.
    run.assert_said("IMAP C: a1 LOGIN \"alice\" ********");
    run.assert_said("SMTP C: AUTH PLAIN ********");
    assert!(!run.said.contains(TEST_PASSWORD), "{run}");
}

// ---------------------------------------------------------------------------------------------
// The real keyring, through the binary: 78 within the time limit, no file gets the secret
// ---------------------------------------------------------------------------------------------

mod real_keyring {
    use std::io::Write;
    use std::path::Path;
    use std::process::{Output, Stdio};
    use std::time::{Duration, Instant};

    use super::support::binary::{Sandbox, files_containing};
    use super::support::certs::TestCa;
    use super::support::fake_servers::{
        FakeImap, FakeSmtp, ImapScript, ImapTransport, SmtpMode, SmtpScript, TEST_PASSWORD,
    };
    use super::support::secret_service::{BareBus, SecretService, SilentBus, no_keyring_envs};

    /// `--timeout`, which is also the time limit of each keyring call.
    const TIMEOUT_SECS: u64 = 3;
    /// Start-up, the live test on loopback and exiting, on a busy two-core machine.
    const SLACK: Duration = Duration::from_secs(2);

    /// A saved account the failed run must leave byte for byte.
    pub const SAVED: &str = "version = 1\n\n[[accounts]]\nemail = \"bob@icloud.com\"\n\
        login = \"bob@icloud.com\"\n\n[accounts.imap]\nhost = \"imap.mail.me.com\"\nport = 993\n\
        security = \"tls\"\nusername = \"bob\"\n\n[accounts.smtp]\nhost = \"smtp.mail.me.com\"\n\
        port = 587\nsecurity = \"starttls\"\nusername = \"bob@icloud.com\"\n";

    struct Outcome {
        output: Output,
        elapsed: Duration,
    }

    impl Outcome {
        fn stderr(&self) -> String {
            String::from_utf8_lossy(&self.output.stderr).into_owned()
        }
    }

    /// Runs `setup --email alice@icloud.com --password-stdin` in `sandbox` against servers
    /// that accept the password, so that the keyring is the first thing to fail.
    fn setup_until_the_keyring(dir: &Path, sandbox: &Sandbox) -> Outcome {
        let ca = TestCa::new(dir);
        let imap = FakeImap::start(
            ImapTransport::Tls(ca.server_cert("localhost").identity()),
            ImapScript::default(),
        );
        let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(
            ca.server_cert("localhost").identity(),
        )));
        std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
        std::fs::write(&sandbox.config_path, SAVED).unwrap();
        let mut command = sandbox.command();
        command
            .arg("--imap-server")
            .arg(imap.host_addr("localhost"))
            .arg("--smtp-server")
            .arg(smtp.host_addr("localhost"))
            .arg("--ca-file")
            .arg(&ca.ca_path)
            .args(["--timeout", &TIMEOUT_SECS.to_string()])
            .args(["setup", "--email", "alice@icloud.com", "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = command.spawn().expect("start icloud-setup");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{TEST_PASSWORD}\n").as_bytes())
            .unwrap();
        let output = child.wait_with_output().expect("wait for icloud-setup");
        Outcome {
            output,
            elapsed: started.elapsed(),
        }
    }

    /// 78 before the password was sent (the keyring is proven first); the hint; the config as it was; the password in no
    /// file and in no output (these panic); within the keyring's time limit (`Err`, which
    /// [`super::retried`] gives another go, as a loaded machine can be slow to start).
    fn assert_keyring_fault(
        dir: &Path,
        sandbox: &Sandbox,
        outcome: &Outcome,
        error: &str,
        hint: &str,
    ) -> Result<(), String> {
        let err = outcome.stderr();
        if std::env::var_os("ICLOUD_SETUP_SHOW_FAULTS").is_some() {
            eprintln!("=====\n{err}");
        }
        assert_eq!(outcome.output.status.code(), Some(78), "{err}");
        assert!(
            !err.contains("signed in as"),
            "found before the password went to the servers:\n{err}"
        );
        let error_line = err
            .lines()
            .find(|l| l.starts_with("error:"))
            .unwrap_or_else(|| panic!("no error line:\n{err}"));
        assert!(error_line.contains("keyring"), "names the stage: {err}");
        assert!(error_line.contains(error), "{error:?} missing:\n{err}");
        let hint_line = err
            .lines()
            .find(|l| l.starts_with("hint:"))
            .unwrap_or_else(|| panic!("no hint:\n{err}"));
        assert!(hint_line.contains(hint), "{hint:?} missing:\n{err}");
        assert!(hint_line.contains("never saved in a file"), "{err}");
        assert_eq!(
            sandbox.config_text().as_deref(),
            Some(SAVED),
            "the config is as it was"
        );
        let holders = files_containing(dir, TEST_PASSWORD);
        assert!(holders.is_empty(), "the password is in {holders:?}");
        assert!(!err.contains(TEST_PASSWORD));
        assert!(!String::from_utf8_lossy(&outcome.output.stdout).contains(TEST_PASSWORD));
        super::within(
            outcome.elapsed,
            Duration::from_secs(TIMEOUT_SECS) + SLACK,
            &err,
        )
    }

    #[test]
    fn no_dbus_session_is_78() {
        super::retried(|| {
            let dir = tempfile::tempdir().unwrap();
            // An address where nothing listens, as on a server without a desktop session.
            let sandbox = Sandbox::with_envs(dir.path(), no_keyring_envs(dir.path()));
            let outcome = setup_until_the_keyring(dir.path(), &sandbox);
            assert_keyring_fault(
                dir.path(),
                &sandbox,
                &outcome,
                "no usable keyring",
                "dbus-run-session",
            )
        });
    }

    #[test]
    fn no_dbus_address_at_all_is_78() {
        super::retried(|| {
            let dir = tempfile::tempdir().unwrap();
            let envs = no_keyring_envs(dir.path())
                .into_iter()
                .filter(|(name, _)| name != "DBUS_SESSION_BUS_ADDRESS")
                .collect();
            let sandbox = Sandbox::with_envs(dir.path(), envs);
            let outcome = setup_until_the_keyring(dir.path(), &sandbox);
            assert_keyring_fault(
                dir.path(),
                &sandbox,
                &outcome,
                "no usable keyring",
                "dbus-run-session",
            )
        });
    }

    #[test]
    fn no_secret_service_on_the_bus_is_78() {
        super::retried(|| {
            let dir = tempfile::tempdir().unwrap();
            let Some(bus) = BareBus::start(dir.path()) else {
                return Ok(());
            };
            let sandbox = Sandbox::with_envs(dir.path(), bus.envs());
            let outcome = setup_until_the_keyring(dir.path(), &sandbox);
            let result = assert_keyring_fault(
                dir.path(),
                &sandbox,
                &outcome,
                "org.freedesktop.secrets",
                "start the keyring",
            );
            drop(bus);
            result
        });
    }

    #[test]
    fn a_locked_keyring_is_78() {
        super::retried(|| {
            let dir = tempfile::tempdir().unwrap();
            let Some(keyring) = SecretService::start(dir.path()) else {
                return Ok(());
            };
            keyring.store("alice@icloud.com", super::OLD_SECRET);
            keyring.lock();
            let before = keyring.stored_files();
            assert!(!before.is_empty(), "the keyring keeps its items in files");
            let sandbox = Sandbox::with_keyring(dir.path(), &keyring);
            let outcome = setup_until_the_keyring(dir.path(), &sandbox);
            assert!(
                keyring.stored_files() == before,
                "the locked keyring's storage changed"
            );
            assert_keyring_fault(
                dir.path(),
                &sandbox,
                &outcome,
                "the keyring is locked",
                "unlock it and try again",
            )
        });
    }

    #[test]
    fn a_keyring_that_never_answers_is_78_within_the_time_limit() {
        super::retried(|| {
            let dir = tempfile::tempdir().unwrap();
            let bus = SilentBus::start(dir.path());
            let sandbox = Sandbox::with_envs(dir.path(), bus.envs());
            let outcome = setup_until_the_keyring(dir.path(), &sandbox);
            assert!(
                outcome.elapsed >= Duration::from_secs(TIMEOUT_SECS),
                "the time limit, not an error, ended the wait: {:?}",
                outcome.elapsed
            );
            assert_keyring_fault(
                dir.path(),
                &sandbox,
                &outcome,
                "did not answer in time",
                "--timeout",
            )
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Ctrl-C and Esc: 130 at every prompt and during the live test, the terminal as it was
// ---------------------------------------------------------------------------------------------

mod cancel {
    use std::process::Command;
    use std::time::Duration;

    use nix::sys::wait::WaitStatus;

    use super::support::binary::{Sandbox, files_containing};
    use super::support::certs::TestCa;
    use super::support::fake_servers::{
        FakeImap, FakeSmtp, ImapScript, ImapTransport, SilentServer, SmtpMode, SmtpScript,
        TEST_PASSWORD,
    };
    use super::support::pty::{Screen, cursor_visible, wrapped};
    use super::support::secret_service::SecretService;

    /// A saved account that a cancelled run must leave byte for byte.
    const SAVED: &str = super::real_keyring::SAVED;

    #[derive(Clone, Copy, Debug)]
    enum Key {
        CtrlC,
        Esc,
    }

    /// The binary in a pseudo-terminal, with a saved account, servers that accept
    /// [`TEST_PASSWORD`] (or an IMAP server that never speaks) and a private keyring that
    /// starts empty (the keyring is proven to answer before the password is asked, so the
    /// password questions need one): it must still be empty after the run, and every file
    /// is checked.
    struct Terminal {
        dir: tempfile::TempDir,
        sandbox: Sandbox,
        command: Command,
        /// The config as it was before the run.
        saved: String,
        _servers: (Box<dyn std::any::Any>, FakeSmtp),
        keyring: Option<SecretService>,
    }

    impl Terminal {
        /// `icloud-setup setup`, with one account saved.
        fn start(silent_imap: bool) -> Terminal {
            Terminal::with(silent_imap, SAVED, &["setup"])
        }

        /// `icloud-setup ARGS` with `saved` as the config.
        fn with(silent_imap: bool, saved: &str, args: &[&str]) -> Terminal {
            let dir = tempfile::tempdir().unwrap();
            let ca = TestCa::new(dir.path());
            let imap: (Box<dyn std::any::Any>, String) = if silent_imap {
                let silent = SilentServer::start();
                let addr = silent.host_addr("localhost");
                (Box::new(silent), addr)
            } else {
                let imap = FakeImap::start(
                    ImapTransport::Tls(ca.server_cert("localhost").identity()),
                    ImapScript::default(),
                );
                let addr = imap.host_addr("localhost");
                (Box::new(imap), addr)
            };
            let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(
                ca.server_cert("localhost").identity(),
            )));
            let keyring = SecretService::start(dir.path());
            let sandbox = match &keyring {
                Some(keyring) => Sandbox::with_keyring(dir.path(), keyring),
                None => Sandbox::without_keyring(dir.path()),
            };
            std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
            std::fs::write(&sandbox.config_path, saved).unwrap();
            let mut command = sandbox.command();
            command
                .arg("--imap-server")
                .arg(&imap.1)
                .arg("--smtp-server")
                .arg(smtp.host_addr("localhost"))
                .arg("--ca-file")
                .arg(&ca.ca_path)
                .args(["--timeout", "20"])
                .args(args);
            Terminal {
                dir,
                sandbox,
                command,
                saved: saved.to_string(),
                _servers: (imap.0, smtp),
                keyring,
            }
        }

        fn screen(&self) -> Screen {
            Screen::start(wrapped(&self.command))
        }

        /// Presses `key`, then checks: exit 130, terminal settings and cursor as before,
        /// "nothing was saved" said and true, and `typed` neither on the screen nor in a file.
        fn cancel_and_check(&self, mut screen: Screen, key: Key, typed: &[&str]) {
            match key {
                Key::CtrlC => screen.ctrl_c(),
                Key::Esc => screen.esc(),
            }
            screen.expect("exit-code=");
            let (seen, status) = screen.finish();
            assert!(
                matches!(status, WaitStatus::Exited(_, 0)),
                "the wrapper shell ends normally: {status:?}\n{seen}"
            );
            assert!(seen.contains("exit-code=130"), "{key:?}:\n{seen}");
            assert!(
                seen.contains("terminal=restored"),
                "{key:?}: echo and line editing are back:\n{seen}"
            );
            assert!(
                cursor_visible(&seen),
                "{key:?}: the cursor is hidden:\n{seen:?}"
            );
            assert!(seen.contains("Nothing was saved"), "{key:?}:\n{seen}");
            assert_eq!(
                self.sandbox.config_text().as_deref(),
                Some(self.saved.as_str()),
                "{key:?}: the config is as it was"
            );
            if let Some(keyring) = &self.keyring {
                for email in ["alice@icloud.com", "bob@icloud.com"] {
                    assert_eq!(keyring.lookup(email), None, "{key:?}: {email} was stored");
                }
            }
            for secret in typed {
                assert!(
                    !seen.contains(secret),
                    "{key:?}: {secret:?} shows on the screen:\n{seen}"
                );
                let holders = files_containing(self.dir.path(), secret);
                assert!(holders.is_empty(), "{key:?}: {secret:?} is in {holders:?}");
            }
        }
    }

    fn at_the_address(key: Key) {
        let terminal = Terminal::start(false);
        let mut screen = terminal.screen();
        screen.expect("Your iCloud e-mail address");
        screen.type_text("ali");
        screen.expect("ali");
        terminal.cancel_and_check(screen, key, &[]);
    }

    fn at_the_login(key: Key) {
        let terminal = Terminal::start(false);
        let mut screen = terminal.screen();
        screen.expect("Your iCloud e-mail address");
        screen.type_line("john@example.org");
        screen.expect("for signing in");
        screen.type_text("johnapple");
        screen.expect("johnapple");
        terminal.cancel_and_check(screen, key, &[]);
    }

    fn at_the_name(key: Key) {
        let terminal = Terminal::start(false);
        let mut screen = terminal.screen();
        screen.expect("Your iCloud e-mail address");
        screen.type_line("alice@icloud.com");
        screen.expect("Your name");
        screen.type_text("Ali");
        screen.expect("Ali");
        terminal.cancel_and_check(screen, key, &[]);
    }

    /// Up to the password prompt of an @icloud.com address.
    fn to_the_password(terminal: &Terminal) -> Screen {
        let mut screen = terminal.screen();
        screen.expect("Your iCloud e-mail address");
        screen.type_line("alice@icloud.com");
        screen.expect("Your name");
        screen.type_line("");
        screen.expect("App-specific password");
        screen
    }

    fn at_the_password(key: Key) {
        let terminal = Terminal::start(false);
        let mut screen = to_the_password(&terminal);
        screen.type_text("qwer-tyui");
        // Give the keys time to arrive (they are not echoed, so there is nothing to wait for).
        std::thread::sleep(Duration::from_millis(200));
        terminal.cancel_and_check(screen, key, &["qwer-tyui"]);
    }

    fn at_the_unusual_password_choice(key: Key) {
        let terminal = Terminal::start(false);
        let mut screen = to_the_password(&terminal);
        screen.type_line("MyAppleIdPassword1");
        screen.expect("probably your Apple ID password");
        screen.expect("Use it anyway");
        terminal.cancel_and_check(screen, key, &["MyAppleIdPassword1"]);
    }

    fn at_the_choice_after_a_failure(key: Key) {
        let terminal = Terminal::start(false);
        let mut screen = to_the_password(&terminal);
        screen.type_line("wron-gwro-ngwr-ongg");
        screen.expect("The test did not pass");
        screen.expect("Quit");
        terminal.cancel_and_check(screen, key, &["wron-gwro-ngwr-ongg"]);
    }

    fn during_the_live_test(key: Key) {
        // IMAP never answers, so the live test waits (up to --timeout 20) until the key.
        let terminal = Terminal::start(true);
        let mut screen = to_the_password(&terminal);
        screen.type_line(TEST_PASSWORD);
        screen.expect("Incoming mail (IMAP) localhost");
        std::thread::sleep(Duration::from_millis(300));
        let started = std::time::Instant::now();
        terminal.cancel_and_check(screen, key, &[TEST_PASSWORD]);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{key:?} ended the wait at once, not the timeout: {:?}",
            started.elapsed()
        );
    }

    // The prompts of the commands for saved accounts.

    /// Two saved accounts, so that leaving out the address asks which one.
    fn two_saved() -> String {
        format!(
            "{SAVED}\n{}",
            SAVED
                .trim_start_matches("version = 1\n\n")
                .replace("bob", "carol")
        )
    }

    fn at_the_menu(key: Key) {
        let terminal = Terminal::with(false, SAVED, &[]);
        let mut screen = terminal.screen();
        screen.expect("What would you like to do?");
        screen.expect("Quit");
        terminal.cancel_and_check(screen, key, &[]);
    }

    fn at_which_account(key: Key) {
        let terminal = Terminal::with(false, &two_saved(), &["rotate"]);
        let mut screen = terminal.screen();
        screen.expect("Which account?");
        screen.expect("carol@icloud.com");
        terminal.cancel_and_check(screen, key, &[]);
    }

    fn at_the_new_password(key: Key) {
        let terminal = Terminal::with(false, SAVED, &["rotate", "bob@icloud.com"]);
        let mut screen = terminal.screen();
        screen.expect("New app-specific password");
        screen.type_text("asdf-ghjk");
        std::thread::sleep(Duration::from_millis(200));
        terminal.cancel_and_check(screen, key, &["asdf-ghjk"]);
    }

    fn at_the_removal_confirmation(key: Key) {
        let terminal = Terminal::with(false, SAVED, &["remove", "bob@icloud.com"]);
        let mut screen = terminal.screen();
        screen.expect("Remove bob@icloud.com");
        screen.expect("Keep it");
        terminal.cancel_and_check(screen, key, &[]);
    }

    /// The cancel points of the matrix: each one is pressed with Ctrl-C and with Esc, as
    /// `cancel::POINT::ctrl_c_is_130` and `cancel::POINT::esc_is_130`.
    macro_rules! cancel_points {
        ($($point:ident),* $(,)?) => {
            $(
                mod $point {
                    #[test]
                    fn ctrl_c_is_130() {
                        super::$point(super::Key::CtrlC);
                    }

                    #[test]
                    fn esc_is_130() {
                        super::$point(super::Key::Esc);
                    }
                }
            )*
        };
    }

    cancel_points![
        at_the_address,
        at_the_login,
        at_the_name,
        at_the_password,
        at_the_unusual_password_choice,
        at_the_choice_after_a_failure,
        during_the_live_test,
        at_the_menu,
        at_which_account,
        at_the_new_password,
        at_the_removal_confirmation,
    ];
}

// ---------------------------------------------------------------------------------------------
// The process: --password-stdin, and the config with the real keyring
// ---------------------------------------------------------------------------------------------

mod process {
    use std::io::Write;
    use std::process::{Output, Stdio};
    use std::time::{Duration, Instant};

    use super::support::binary::Sandbox;
    use super::support::certs::TestCa;
    use super::support::fake_servers::{
        FakeImap, FakeSmtp, ImapScript, ImapTransport, SilentServer, SmtpMode, SmtpScript,
        TEST_PASSWORD,
    };
    use super::support::secret_service::SecretService;

    const SAVED: &str = super::real_keyring::SAVED;

    fn stderr(output: &Output) -> String {
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    /// The servers a run would test, to prove they were never contacted.
    struct Servers {
        ca: TestCa,
        imap: FakeImap,
        smtp: FakeSmtp,
    }

    impl Servers {
        fn start(dir: &std::path::Path) -> Servers {
            let ca = TestCa::new(dir);
            let imap = FakeImap::start(
                ImapTransport::Tls(ca.server_cert("localhost").identity()),
                ImapScript::default(),
            );
            let smtp = FakeSmtp::start(SmtpScript::new(SmtpMode::Starttls(
                ca.server_cert("localhost").identity(),
            )));
            Servers { ca, imap, smtp }
        }

        fn command(&self, sandbox: &Sandbox) -> std::process::Command {
            let mut command = sandbox.command();
            command
                .arg("--imap-server")
                .arg(self.imap.host_addr("localhost"))
                .arg("--smtp-server")
                .arg(self.smtp.host_addr("localhost"))
                .arg("--ca-file")
                .arg(&self.ca.ca_path)
                .args(["--timeout", "5"])
                .args(["setup", "--email", "alice@icloud.com", "--password-stdin"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            command
        }
    }

    #[test]
    fn password_stdin_closed_empty_blank_or_not_text_is_65_before_any_connection() {
        let inputs: [(&str, Option<&[u8]>); 5] = [
            ("closed", None),
            ("empty", Some(b"")),
            ("an empty line", Some(b"\n")),
            ("blanks", Some(b"   \t \n")),
            ("not UTF-8", Some(b"\xff\xfe\xfd\n")),
        ];
        for (what, input) in inputs {
            let dir = tempfile::tempdir().unwrap();
            let sandbox = Sandbox::without_keyring(dir.path());
            std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
            std::fs::write(&sandbox.config_path, SAVED).unwrap();
            let servers = Servers::start(dir.path());
            let mut command = servers.command(&sandbox);
            let output = match input {
                None => command.stdin(Stdio::null()).output().unwrap(),
                Some(bytes) => {
                    let mut child = command.stdin(Stdio::piped()).spawn().unwrap();
                    child.stdin.take().unwrap().write_all(bytes).unwrap();
                    child.wait_with_output().unwrap()
                }
            };
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(65), "{what}: {err}");
            assert!(err.contains("error:"), "{what}: {err}");
            assert!(
                err.contains("hint:") && err.contains("--password-stdin"),
                "{what}: the hint says how to pipe it: {err}"
            );
            assert_eq!(
                (servers.imap.connections(), servers.smtp.connections()),
                (0, 0),
                "{what}: nothing is tested without a password"
            );
            assert_eq!(sandbox.config_text().as_deref(), Some(SAVED), "{what}");
        }
    }

    /// The silent-server row measured on the process as a person sees it: both servers
    /// accept and never speak, and the run ends with 75 within `--timeout` + 1 s.
    #[test]
    fn silent_servers_end_the_process_with_75_within_the_timeout() {
        super::retried(|| {
            let dir = tempfile::tempdir().unwrap();
            // A keyring that answers: it is proven before the servers are dialled.
            let Some(keyring) = SecretService::start(dir.path()) else {
                return Ok(());
            };
            let sandbox = Sandbox::with_keyring(dir.path(), &keyring);
            let imap = SilentServer::start();
            let smtp = SilentServer::start();
            let mut child = sandbox
                .command()
                .arg("--imap-server")
                .arg(imap.host_addr("localhost"))
                .arg("--smtp-server")
                .arg(smtp.host_addr("localhost"))
                .args(["--timeout", "2"])
                .args(["setup", "--email", "alice@icloud.com", "--password-stdin"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let started = Instant::now();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{TEST_PASSWORD}\n").as_bytes())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            let elapsed = started.elapsed();
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(75), "{err}");
            assert!(err.contains("the TLS step failed"), "{err}");
            assert!(err.contains("the greeting step failed"), "{err}");
            assert!(err.contains("within 2 seconds"), "{err}");
            assert!(err.contains("hint:") && err.contains("--timeout"), "{err}");
            super::within(elapsed, Duration::from_secs(3), &err)
        });
    }

    /// The config cannot be written (a directory where its lock file goes): 74, and the
    /// real keyring ends as it began — the old secret back, or no entry at all.
    #[test]
    fn an_unwritable_config_is_74_and_the_real_keyring_is_put_back() {
        for old in [Some("kept-olds-ecre-tabc"), None] {
            let dir = tempfile::tempdir().unwrap();
            let Some(keyring) = SecretService::start(dir.path()) else {
                return;
            };
            if let Some(old) = old {
                keyring.store("alice@icloud.com", old);
            }
            let sandbox = Sandbox::with_keyring(dir.path(), &keyring);
            std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
            std::fs::write(&sandbox.config_path, SAVED).unwrap();
            super::block_config_write(&sandbox.config_path);
            let servers = Servers::start(dir.path());
            let mut child = servers
                .command(&sandbox)
                .stdin(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{TEST_PASSWORD}\n").as_bytes())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(74), "{old:?}: {err}");
            assert!(err.contains("cannot write the config file"), "{err}");
            assert!(err.contains("hint:") && err.contains("--config"), "{err}");
            assert!(
                err.contains("signed in as alice@icloud.com"),
                "the run got as far as the save: {err}"
            );
            assert_eq!(
                keyring.lookup("alice@icloud.com").as_deref(),
                old,
                "the keyring is as it was before the run"
            );
            assert_eq!(sandbox.config_text().as_deref(), Some(SAVED));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Leaks: the passwords only in the keyring (encrypted) and in `icloud-setup password`
// ---------------------------------------------------------------------------------------------

mod leaks {
    use std::io::Write;
    use std::path::Path;
    use std::process::{Command, Stdio};
    use std::time::Duration;

    use super::support::binary::{Sandbox, files_containing};
    use super::support::certs::TestCa;
    use super::support::fake_servers::{
        FakeImap, FakeSmtp, ImapLogin, ImapScript, ImapTransport, SmtpAuth, SmtpMode, SmtpScript,
        TEST_PASSWORD, base64_encode,
    };
    use super::support::pty::{Screen, wrapped};
    use super::support::secret_service::{SecretService, no_keyring_envs};

    const EMAIL: &str = "alice@icloud.com";
    /// Refused by the servers.
    const WRONG: &str = "wron-gwro-ngwr-ongg";
    /// Not of the app-specific shape; used anyway, refused.
    const UNUSUAL: &str = "MyAppleIdPassword1";
    /// Typed and given up on with Ctrl-C.
    const PARTIAL: &str = "zxcv-bnml";

    /// Every spelling in which a password could leak: as typed, normalized, and as the SMTP
    /// AUTH exchange carries it (base64 of `\0user\0password` and of the password alone).
    fn forms(password: &str) -> Vec<String> {
        let mut forms = vec![password.to_string()];
        let letters: String = password.chars().filter(|c| *c != '-').collect();
        if letters != password {
            forms.push(letters);
            forms.push(password.replace('-', " "));
        }
        forms.push(base64_encode(format!("\0{EMAIL}\0{password}").as_bytes()));
        forms.push(base64_encode(password.as_bytes()));
        forms
    }

    /// What one run left behind: its label and everything it printed or showed.
    struct Trace {
        label: String,
        text: String,
    }

    struct Lab {
        dir: tempfile::TempDir,
        ca: TestCa,
        keyring: SecretService,
        traces: Vec<Trace>,
    }

    impl Lab {
        fn servers(&self, imap: ImapScript, smtp: SmtpAuth) -> (FakeImap, FakeSmtp) {
            let cert = self.ca.server_cert("localhost");
            (
                FakeImap::start(ImapTransport::Tls(cert.identity()), imap),
                FakeSmtp::start(
                    SmtpScript::new(SmtpMode::Starttls(cert.identity())).other_logins(smtp),
                ),
            )
        }

        fn command(&self, sandbox: &Sandbox, servers: &(FakeImap, FakeSmtp)) -> Command {
            let mut command = sandbox.command();
            command
                .arg("--imap-server")
                .arg(servers.0.host_addr("localhost"))
                .arg("--smtp-server")
                .arg(servers.1.host_addr("localhost"))
                .arg("--ca-file")
                .arg(&self.ca.ca_path)
                .args(["--timeout", "5"]);
            command
        }

        /// `setup --password-stdin`, keeping stdout and stderr; returns the exit code.
        fn piped(
            &mut self,
            label: &str,
            sandbox: &Sandbox,
            servers: &(FakeImap, FakeSmtp),
            extra: &[&str],
            password: &str,
        ) -> Option<i32> {
            let mut command = self.command(sandbox, servers);
            command
                .args(extra)
                .args([
                    "setup",
                    "--email",
                    EMAIL,
                    "--name",
                    "Alice",
                    "--password-stdin",
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = command.spawn().expect("start icloud-setup");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{password}\n").as_bytes())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            self.keep(label, &output.stdout, &output.stderr);
            output.status.code()
        }

        /// Any command, with `input` (or nothing) on standard input; returns the exit code.
        fn run(
            &mut self,
            label: &str,
            sandbox: &Sandbox,
            servers: &(FakeImap, FakeSmtp),
            args: &[&str],
            input: Option<&str>,
        ) -> Option<i32> {
            let mut command = self.command(sandbox, servers);
            command
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = command.spawn().expect("start icloud-setup");
            let mut stdin = child.stdin.take().unwrap();
            if let Some(input) = input {
                stdin.write_all(format!("{input}\n").as_bytes()).unwrap();
            }
            drop(stdin);
            let output = child.wait_with_output().unwrap();
            self.keep(label, &output.stdout, &output.stderr);
            output.status.code()
        }

        fn keep(&mut self, label: &str, stdout: &[u8], stderr: &[u8]) {
            self.traces.push(Trace {
                label: format!("{label} (stdout)"),
                text: String::from_utf8_lossy(stdout).into_owned(),
            });
            self.traces.push(Trace {
                label: format!("{label} (stderr)"),
                text: String::from_utf8_lossy(stderr).into_owned(),
            });
        }

        fn trace(&self, label: &str) -> &str {
            &self
                .traces
                .iter()
                .find(|t| t.label == label)
                .unwrap_or_else(|| panic!("no trace {label}"))
                .text
        }
    }

    #[test]
    fn passwords_appear_only_in_the_keyring_and_the_password_command() {
        let dir = tempfile::tempdir().unwrap();
        let Some(keyring) = SecretService::start(dir.path()) else {
            return;
        };
        let ca = TestCa::new(dir.path());
        let mut lab = Lab {
            dir,
            ca,
            keyring,
            traces: Vec::new(),
        };
        let with_keyring = Sandbox::with_keyring(lab.dir.path(), &lab.keyring);
        let no_keyring_dir = lab.dir.path().join("no-keyring-run");
        std::fs::create_dir_all(&no_keyring_dir).unwrap();
        let without_keyring = Sandbox::with_envs(&no_keyring_dir, no_keyring_envs(&no_keyring_dir));

        // Failures first, with the transcript on.
        let good = lab.servers(ImapScript::default(), SmtpAuth::Ok);
        let code = lab.piped("wrong password -v", &with_keyring, &good, &["-v"], WRONG);
        assert_eq!(code, Some(77));
        let smtp_refuses = lab.servers(ImapScript::default(), SmtpAuth::Invalid);
        let code = lab.piped(
            "smtp 535 -v",
            &with_keyring,
            &smtp_refuses,
            &["-v"],
            TEST_PASSWORD,
        );
        assert_eq!(code, Some(77));
        let unavailable = lab.servers(
            ImapScript::default().other_logins(ImapLogin::Unavailable),
            SmtpAuth::Transient454,
        );
        let code = lab.piped(
            "unavailable -v",
            &with_keyring,
            &unavailable,
            &["-v"],
            TEST_PASSWORD,
        );
        assert_eq!(code, Some(75));
        let code = lab.piped(
            "no keyring -v",
            &without_keyring,
            &good,
            &["-v"],
            TEST_PASSWORD,
        );
        assert_eq!(code, Some(78));

        // Typed at the terminal: given up on, an unusual one used anyway, then the right one.
        let mut screen = Screen::start(wrapped(&{
            let mut c = lab.command(&with_keyring, &good);
            c.arg("setup");
            c
        }));
        screen.expect("Your iCloud e-mail address");
        screen.type_line(EMAIL);
        screen.expect("Your name");
        screen.type_line("");
        screen.expect("App-specific password");
        screen.type_text(PARTIAL);
        std::thread::sleep(Duration::from_millis(200));
        screen.ctrl_c();
        screen.expect("exit-code=130");
        let (seen, _) = screen.finish();
        lab.traces.push(Trace {
            label: "ctrl-c at the password (screen)".into(),
            text: seen,
        });

        let mut screen = Screen::start(wrapped(&{
            let mut c = lab.command(&with_keyring, &good);
            c.args(["-v", "setup", "--email", EMAIL]);
            c
        }));
        screen.expect("App-specific password");
        screen.type_line(UNUSUAL);
        screen.expect("Use it anyway");
        screen.type_text("\u{1b}[B");
        screen.type_line("");
        screen.expect("The test did not pass");
        screen.type_line("");
        screen.expect("App-specific password");
        // The same password as Apple shows it, with spaces: normalized before use.
        screen.type_line(&TEST_PASSWORD.replace('-', " "));
        screen.expect("Send a test message to yourself?");
        screen.type_line(""); // Enter: the default, no
        screen.expect("Saved alice@icloud.com");
        screen.expect("exit-code=0");
        let (seen, _) = screen.finish();
        lab.traces.push(Trace {
            label: "typed, unusual then right, -v (screen)".into(),
            text: seen,
        });

        // And the scripted success, with and without the transcript.
        let code = lab.piped("success -v", &with_keyring, &good, &["-v"], TEST_PASSWORD);
        assert_eq!(code, Some(0));
        let code = lab.piped("success", &with_keyring, &good, &[], TEST_PASSWORD);
        assert_eq!(code, Some(0));

        // Living with the account: a refused and an accepted rotation, a check, and every
        // command that shows what is saved.
        let rotate = ["-v", "rotate", EMAIL, "--password-stdin"];
        let code = lab.run(
            "rotate wrong -v",
            &with_keyring,
            &good,
            &rotate,
            Some(WRONG),
        );
        assert_eq!(code, Some(77));
        let code = lab.run(
            "rotate -v",
            &with_keyring,
            &good,
            &rotate,
            Some(TEST_PASSWORD),
        );
        assert_eq!(code, Some(0));
        let code = lab.run("check -v", &with_keyring, &good, &["-v", "check"], None);
        assert_eq!(code, Some(0));
        // Every client `export` writes for, from the one enumeration of them.
        let clients = crate::support::export_clients();
        let exports: Vec<[&str; 2]> = clients.iter().map(|c| ["export", c.as_str()]).collect();
        for args in [&["status"][..], &["status", "--json"]]
            .into_iter()
            .chain(exports.iter().map(|args| &args[..]))
        {
            let label = args.join(" ");
            let code = lab.run(&label, &with_keyring, &good, args, None);
            assert_eq!(code, Some(0), "{}", lab.trace(&format!("{label} (stderr)")));
        }

        // The transcript was shown, with the secret masked.
        for label in [
            "wrong password -v (stderr)",
            "success -v (stderr)",
            "rotate wrong -v (stderr)",
            "check -v (stderr)",
        ] {
            let text = lab.trace(label);
            assert!(
                text.contains("C: a1 LOGIN \"alice\" ********"),
                "{label}:\n{text}"
            );
            assert!(text.contains("C: AUTH PLAIN ********"), "{label}:\n{text}");
        }
        let screen = lab.trace("typed, unusual then right, -v (screen)");
        assert!(screen.contains("LOGIN \"alice\" ********"), "{screen}");

        // The one place the secret may be read in the clear, besides the keyring itself.
        let password_command = password_command_output(&lab, &with_keyring);

        // The scan below can see a password in a file here (a canary, removed again).
        let canary = lab.dir.path().join("no-keyring-run/canary");
        std::fs::write(&canary, forms(PARTIAL).last().unwrap()).unwrap();
        let found = files_containing(lab.dir.path(), forms(PARTIAL).last().unwrap());
        assert!(found.len() == 1 && found[0] == canary, "{found:?}");
        std::fs::remove_file(&canary).unwrap();

        // Every output, every file the runs produced (HOME, XDG directories, the config, the
        // keyring's own files, the daemons' logs), for every password used.
        let mut leaks = Vec::new();
        for password in [TEST_PASSWORD, WRONG, UNUSUAL, PARTIAL] {
            for form in forms(password) {
                for trace in &lab.traces {
                    if trace.text.contains(&form) {
                        leaks.push(format!("{form:?} in {}", trace.label));
                    }
                }
                for file in files_containing(lab.dir.path(), &form) {
                    leaks.push(format!("{form:?} in {}", file.display()));
                }
            }
        }
        assert!(leaks.is_empty(), "passwords leaked:\n{}", leaks.join("\n"));

        // It is where it belongs.
        assert_eq!(lab.keyring.lookup(EMAIL).as_deref(), Some(TEST_PASSWORD));
        if let Some(printed) = password_command {
            assert_eq!(printed, format!("{TEST_PASSWORD}\n"));
        }
        assert_keyring_files_exist(lab.dir.path());
    }

    /// The output of `icloud-setup password EMAIL` with standard output a pipe, when this
    /// build has that command (it is being added on another branch).
    fn password_command_output(lab: &Lab, sandbox: &Sandbox) -> Option<String> {
        let help = sandbox
            .command()
            .args(["password", "--help"])
            .output()
            .ok()?;
        if !help.status.success() {
            eprintln!("SKIPPED the `password` part of the leak test: no such command yet");
            return None;
        }
        let output = sandbox
            .command()
            .args(["password", EMAIL])
            .stdin(Stdio::null())
            .output()
            .expect("run icloud-setup password");
        assert!(output.status.success(), "{output:?}");
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains(TEST_PASSWORD),
            "only standard output carries it"
        );
        let _ = lab;
        Some(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// The scan above covered the keyring's storage: GNOME Keyring wrote its (encrypted)
    /// file inside the test directory.
    fn assert_keyring_files_exist(dir: &Path) {
        let keyrings = files_under(dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "keyring"))
            .count();
        assert!(keyrings > 0, "no keyring file under {}", dir.display());
    }

    fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut found = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(path) = pending.pop() {
            match std::fs::read_dir(&path) {
                Ok(entries) => pending.extend(entries.flatten().map(|e| e.path())),
                Err(_) => found.push(path),
            }
        }
        found
    }
}
