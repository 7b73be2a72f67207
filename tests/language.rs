//! Languages (issue 12): German beside English, chosen by the locale, through Fluent.
//!
//! - the German file has exactly the messages of the English one, each with the same
//!   arguments (none missing, none stale);
//! - in German: the pseudo-terminal first run (German on screen, password hidden, account
//!   saved), a wrong password, `settings`, `status`, `--help` of every command and the
//!   no-keyring failure, each scanned for English function words outside the server's own
//!   quoted words; German hints for the login-rejected, timeout, certificate and no-keyring
//!   failures; export comment blocks in German with the client's settings unchanged;
//! - `LANG=C` (and `LC_ALL=C` over a German `LANG`) is English.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Output;

use fluent_syntax::ast;
use icloud_setup::cli::{Command, SetupArgs};
use icloud_setup::language::{self, Language};
use icloud_setup::prompt::ScriptedPrompter;
use icloud_setup::secrets::StoreProblem;
use support::binary::{ENGLISH, GERMAN, Sandbox, run_with_stdin};
use support::dovecot::{ALICE, WRONG_PASSWORD};
use support::fake_servers::{ImapLogin, ImapScript, SilentServer, TEST_PASSWORD};
use support::in_process::{Run, World};
use support::peer_world::PeerWorld;
use support::pty::{Screen, wrapped};

// ---------------------------------------------------------------------------------------------
// The files
// ---------------------------------------------------------------------------------------------

/// Every message and term of a Fluent file → the variables it uses.
fn messages_and_arguments(language: Language) -> BTreeMap<String, BTreeSet<String>> {
    let source = language::source(language);
    let resource = fluent_syntax::parser::parse(source.as_str()).unwrap_or_else(|(_, errors)| {
        panic!("i18n/{}/icloud_setup.ftl: {errors:?}", language.code())
    });
    let mut found = BTreeMap::new();
    for entry in resource.body {
        let (id, pattern) = match entry {
            ast::Entry::Message(message) => (message.id.name.to_string(), message.value),
            ast::Entry::Term(term) => (format!("-{}", term.id.name), Some(term.value)),
            ast::Entry::Junk { content } => {
                panic!("i18n/{}: unparseable: {content}", language.code())
            }
            _ => continue,
        };
        let mut variables = BTreeSet::new();
        if let Some(pattern) = &pattern {
            pattern_variables(pattern, &mut variables);
        }
        assert!(
            found.insert(id.clone(), variables).is_none(),
            "i18n/{}: {id} twice",
            language.code()
        );
    }
    found
}

fn pattern_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                pattern_variables(&variant.value, into);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_string());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

#[test]
fn every_languages_file_has_exactly_the_messages_and_arguments_of_the_english_one() {
    let english = messages_and_arguments(Language::English);
    assert!(english.len() > 100, "the English file is read whole");
    // Every row of the one table of languages, so a language added there is checked too.
    for (_, language) in language::LANGUAGES {
        let other = messages_and_arguments(language);
        let missing: Vec<_> = english
            .keys()
            .filter(|id| !other.contains_key(*id))
            .collect();
        let stale: Vec<_> = other
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(
            missing.is_empty() && stale.is_empty(),
            "i18n/{}: missing {missing:?}, not in English {stale:?}",
            language.code()
        );
        for (id, arguments) in &english {
            assert_eq!(
                &other[id],
                arguments,
                "i18n/{}: the arguments of {id}",
                language.code()
            );
        }
    }
}

#[test]
fn the_german_file_speaks_formally_with_apples_words() {
    let german = language::source(Language::German);
    for apple in [
        "anwendungsspezifisches Passwort",
        "account.apple.com → „Anmeldung und Sicherheit“ → „App-spezifische Passwörter“",
        "Apple-ID",
        "E-Mail-Adresse",
        "Benutzername",
        "Posteingang",
        "Postausgang",
    ] {
        assert!(german.contains(apple), "{apple} missing");
    }
    let words = format!(" {} ", german.replace(['\n', ',', '.', ':', '(', ')'], " "));
    for informal in [
        " du ", " Du ", " dein ", " deine ", " dich ", " dir ", " deinen ",
    ] {
        assert!(!words.contains(informal), "informal {informal:?} in German");
    }
    assert!(!german.contains('\u{2068}') && !german.contains('\u{2069}'));
}

#[test]
fn texts_carry_no_unicode_isolation_marks() {
    let world = World::new();
    let run = world
        .session()
        .language(Language::German)
        .run(None, &mut ScriptedPrompter::non_interactive());
    let text = format!("{}{}{}", run.error(), run.hint(), run.said);
    assert!(text.contains("Terminal"), "{text}");
    for mark in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
        assert!(!text.contains(mark), "{text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The scan for English
// ---------------------------------------------------------------------------------------------

/// Words that make an English sentence and no German one.
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "your", "with", "is", "to", "not", "of", "for", "are", "this", "it", "be", "or",
    "you", "has", "from", "that", "if", "at", "been", "could", "should", "which", "does",
];

/// The English function words in `text`, each with its line, leaving out what the server
/// said (quoted after „Der Server antwortete:“).
fn english_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let ours = line
            .split("Der Server antwortete:")
            .next()
            .unwrap_or_default();
        let words: Vec<String> = ours
            .split(|c: char| c.is_whitespace() || "()[],.;:!?\"'„“`".contains(c))
            .map(str::to_lowercase)
            .collect();
        for word in ENGLISH_WORDS {
            if words.iter().any(|w| w == word) {
                found.push(format!("{word:?} in {line:?}"));
            }
        }
    }
    found
}

fn assert_no_english(what: &str, text: &str) {
    let found = english_in(text);
    assert!(
        found.is_empty(),
        "English in {what}:\n{}\n---\n{text}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_english_and_spares_the_servers_words() {
    assert_eq!(english_in("Fehler: the keyring refused").len(), 1);
    assert_eq!(english_in("(the server)").len(), 1);
    assert!(english_in("  Der Server antwortete: NO [AUTH] Login to the box failed").is_empty());
    assert!(english_in("Fehler: Es ist noch kein Konto gespeichert").is_empty());
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn german(mut sandbox: Sandbox) -> Sandbox {
    sandbox.set_locale(GERMAN);
    sandbox
}

// ---------------------------------------------------------------------------------------------
// The binary in German
// ---------------------------------------------------------------------------------------------

#[test]
fn a_first_run_in_german_shows_german_hides_the_password_and_saves_the_account() {
    let Some(mut world) = PeerWorld::start() else {
        return;
    };
    world.sandbox.set_locale(GERMAN);
    let mut screen = Screen::start(wrapped(&world.command()));
    screen.expect("Ihre iCloud-E-Mail-Adresse");
    screen.type_line(ALICE.email);
    screen.expect("Ihr Name");
    screen.type_line("Alice Beispiel");
    screen.expect("anwendungsspezifisches Passwort");
    screen.expect("Anwendungsspezifisches Passwort");
    screen.type_line(ALICE.password);
    screen.expect("angemeldet als alice@icloud.com");
    // After a passing live test, the offer of a send test; Enter is „Nein“.
    screen.expect("Eine Testnachricht an sich selbst senden?");
    screen.expect("> Nein");
    screen.expect("Ja, eine Testnachricht senden");
    screen.type_line("");
    screen.expect("alice@icloud.com gespeichert");
    let seen =
        screen.finish_ok_showing_none_of(&[ALICE.password, &ALICE.password.replace('-', "")]);
    assert_eq!(
        world.keyring.lookup(ALICE.email).as_deref(),
        Some(ALICE.password)
    );
    assert!(seen.contains("Posteingang (IMAP)"), "{seen}");
    assert_no_english("the first run", &seen);

    // `status` of the saved account, in German.
    let status = world.command().arg("status").output().unwrap();
    assert!(status.status.success(), "{}", text(&status));
    let shown = text(&status);
    assert!(shown.contains("Zuletzt bestätigt:"), "{shown}");
    assert!(shown.contains("Schlüsselbund"), "{shown}");
    assert_no_english("status", &shown);

    // `status --json` stays machine words.
    let json = world.command().args(["status", "--json"]).output().unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(parsed["accounts"][0]["secret"]["store"], "keyring");
    assert_eq!(parsed["accounts"][0]["secret"]["backend"], "secret_service");
    assert_eq!(
        parsed["accounts"][0]["secret"]["problem"],
        serde_json::Value::Null
    );
}

#[test]
fn a_wrong_password_in_german_is_explained_in_german() {
    let Some(mut world) = PeerWorld::start() else {
        return;
    };
    world.sandbox.set_locale(GERMAN);
    let output = run_with_stdin(
        world
            .command()
            .args(["setup", "--email", ALICE.email, "--password-stdin"]),
        &format!("{WRONG_PASSWORD}\n"),
    );
    assert_eq!(output.status.code(), Some(77), "{}", text(&output));
    let shown = text(&output);
    for german in [
        "Fehler: Der Live-Test ist fehlgeschlagen",
        "Hinweis: Vergewissern Sie sich",
        "Benutzername oder Passwort wurden abgelehnt",
        "„Anmeldung und Sicherheit“",
    ] {
        assert!(shown.contains(german), "{german} missing:\n{shown}");
    }
    assert_no_english("a wrong password", &shown);
    assert!(world.sandbox.config_text().is_none());
}

#[test]
fn the_no_keyring_failure_in_german_says_how_to_get_one() {
    let Some(world) = PeerWorld::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sandbox = german(Sandbox::without_keyring(dir.path()));
    let mut command = sandbox.command();
    command
        .arg("--imap-server")
        .arg(world.dovecot.imap_addr())
        .arg("--smtp-server")
        .arg(world.dovecot.submission_addr())
        .arg("--ca-file")
        .arg(world.dovecot.ca_file())
        .args(["--timeout", "10"])
        .args(["setup", "--email", ALICE.email, "--password-stdin"]);
    let output = run_with_stdin(&mut command, &format!("{}\n", ALICE.password));
    assert_eq!(output.status.code(), Some(78), "{}", text(&output));
    let shown = text(&output);
    assert!(
        shown.contains("Fehler: Kein nutzbarer Schlüsselbund"),
        "{shown}"
    );
    assert!(
        shown.contains("Hinweis: Starten Sie auf einem Linux-Desktop"),
        "{shown}"
    );
    assert!(shown.contains("nie ersatzweise in einer Datei"), "{shown}");
    // The platform's own words about the missing keyring follow the colon; ours are German.
    let ours: String = shown
        .lines()
        .map(
            |line| match line.strip_prefix("Fehler: Kein nutzbarer Schlüsselbund:") {
                Some(_) => "Fehler: Kein nutzbarer Schlüsselbund:",
                None => line,
            },
        )
        .collect::<Vec<_>>()
        .join("\n");
    assert_no_english("the no-keyring failure", &ours);
    assert!(sandbox.config_text().is_none());
}

#[test]
fn settings_and_every_help_in_german_have_no_english() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = german(Sandbox::without_keyring(dir.path()));
    for args in [
        &["settings"][..],
        &["settings", "--email", "johnappleseed@icloud.com"],
        &["settings", "--email", "john@example.com"],
        &["status"],
    ] {
        let output = sandbox.command().args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", text(&output));
        assert_no_english(&args.join(" "), &text(&output));
    }
    let table = text(&sandbox.command().arg("settings").output().unwrap());
    assert!(
        table.contains("POP wird von iCloud Mail nicht unterstützt."),
        "{table}"
    );
    assert!(table.contains("imap.mail.me.com"), "{table}");

    let mut helps = vec![vec!["--help"], vec!["-h"], vec!["help"]];
    for command in [
        "setup",
        "rotate",
        "check",
        "status",
        "password",
        "remove",
        "settings",
        "export",
        "completions",
    ] {
        helps.push(vec![command, "--help"]);
        helps.push(vec![command, "-h"]);
        helps.push(vec!["help", command]);
    }
    for args in helps {
        let output = sandbox.command().args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", text(&output));
        let help = text(&output);
        assert!(help.contains("Aufruf: icloud-setup"), "{args:?}:\n{help}");
        assert!(help.contains("Hilfe anzeigen"), "{args:?}:\n{help}");
        assert_no_english(&args.join(" "), &help);
    }
}

#[test]
fn the_german_help_parses_the_same_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = german(Sandbox::without_keyring(dir.path()));
    let output = sandbox
        .command()
        .args(["export", "bogus"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let help = text(
        &sandbox
            .command()
            .args(["export", "--help"])
            .output()
            .unwrap(),
    );
    assert!(help.contains("versendet E-Mails"), "{help}");
    assert!(
        help.contains("Argumente:") && help.contains("Optionen:"),
        "{help}"
    );
    assert!(help.contains("Erweitert:"), "{help}");
}

#[test]
fn exports_in_german_have_german_comments_and_the_same_settings() {
    let dir = tempfile::tempdir().unwrap();
    let mut sandbox = Sandbox::without_keyring(dir.path());
    std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
    std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
    for client in support::export_clients() {
        let client = client.as_str();
        let export = |sandbox: &Sandbox| {
            let output = sandbox
                .command()
                .args(["export", client, "--isync", "1.5"])
                .output()
                .unwrap();
            assert!(output.status.success(), "{client}: {}", text(&output));
            String::from_utf8(output.stdout).unwrap()
        };
        sandbox.set_locale(ENGLISH);
        let english = export(&sandbox);
        sandbox.set_locale(GERMAN);
        let german = export(&sandbox);
        let settings = |file: &str| -> Vec<String> {
            file.lines()
                .filter(|line| !line.trim_start().starts_with('#'))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(settings(&english), settings(&german), "{client}");
        assert!(
            german.contains("Das Passwort steht nicht in dieser Datei"),
            "{client}:\n{german}"
        );
        assert!(
            english.contains("The password is not in this file"),
            "{english}"
        );
        let comments: String = german
            .lines()
            .filter(|line| line.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        assert_no_english(&format!("the {client} comments"), &comments);
    }
}

// ---------------------------------------------------------------------------------------------
// English stays English
// ---------------------------------------------------------------------------------------------

#[test]
fn lang_c_and_lc_all_c_are_english() {
    let dir = tempfile::tempdir().unwrap();
    let mut sandbox = Sandbox::without_keyring(dir.path());
    sandbox.set_locale("C");
    let table = text(&sandbox.command().arg("settings").output().unwrap());
    assert!(
        table.contains("POP is not supported by iCloud Mail."),
        "{table}"
    );
    let setup = text(&sandbox.command().arg("setup").output().unwrap());
    assert!(
        setup.starts_with("error: cannot ask questions here"),
        "{setup}"
    );
    assert!(setup.contains("\nhint: run it in a terminal"), "{setup}");
    let help = text(&sandbox.command().arg("--help").output().unwrap());
    assert!(help.contains("Usage: icloud-setup"), "{help}");

    // LC_ALL over LANG, as every Unix program reads them.
    sandbox.set_locale(GERMAN);
    let table = text(
        &sandbox
            .command()
            .env("LC_ALL", "C")
            .arg("settings")
            .output()
            .unwrap(),
    );
    assert!(
        table.contains("POP is not supported by iCloud Mail."),
        "{table}"
    );
    let table = text(
        &sandbox
            .command()
            .env("LANGUAGE", "de")
            .env("LANG", "fr_FR.UTF-8")
            .arg("settings")
            .output()
            .unwrap(),
    );
    assert!(table.contains("POP wird von iCloud Mail"), "{table}");
}

// ---------------------------------------------------------------------------------------------
// German hints, in-process
// ---------------------------------------------------------------------------------------------

const EMAIL: &str = "alice@icloud.com";

fn setup_in_german(world: &World, imap: &str, smtp: &str) -> Run {
    world
        .session()
        .language(Language::German)
        .servers(imap, smtp)
        .timeout(std::time::Duration::from_secs(3))
        .stdin(&format!("{TEST_PASSWORD}\n"))
        .run(
            Some(Command::Setup(SetupArgs {
                email: Some(EMAIL.into()),
                password_stdin: true,
                ..SetupArgs::default()
            })),
            &mut ScriptedPrompter::non_interactive(),
        )
}

/// What an in-process run said, without the conversation of the `--verbose` transcript
/// (`IMAP C: …`, `SMTP S: …`: the protocol's and the server's own words, quoted as they
/// were). The transcript's lines about the connection are ours, and are kept.
fn said_without_transcript(run: &Run) -> String {
    run.said
        .lines()
        .filter(|line| {
            !["IMAP C:", "IMAP S:", "SMTP C:", "SMTP S:"]
                .iter()
                .any(|conversation| line.starts_with(conversation))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The error, its hint and everything said, in German and free of English.
fn assert_german(run: &Run, error: &str, hint: &str, said: &str) {
    let shown = format!(
        "{}\n{}\n{}",
        run.error(),
        run.hint(),
        said_without_transcript(run)
    );
    assert!(run.error().to_string().contains(error), "{shown}");
    assert!(run.hint().contains(hint), "{shown}");
    assert!(run.said.contains(said), "{shown}");
    assert_no_english("the run", &shown);
}

#[test]
fn a_rejected_login_gets_a_german_hint() {
    let world = World::new();
    let imap = world.imap(ImapScript::default().other_logins(ImapLogin::AuthFailed));
    let smtp = world.smtp(|s| s);
    let run = setup_in_german(
        &world,
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
    );
    assert_eq!(run.error().exit_code(), 77, "{run}");
    assert_german(
        &run,
        "Der Live-Test ist fehlgeschlagen: IMAP (Benutzername oder Passwort wurden abgelehnt)",
        "anwendungsspezifisches Passwort verwendet haben, nicht das Passwort Ihrer Apple-ID",
        "Versuchte Benutzernamen: alice, alice@icloud.com",
    );
    // The server's words are quoted as it said them; the --verbose lines about the
    // connection are German (and scanned above).
    run.assert_said("Der Server antwortete: NO [AUTHENTICATIONFAILED] Authentication failed.");
    run.assert_said("IMAP Verbindungsaufbau: ");
    run.assert_said("IMAP TLS aufgebaut, Zertifikat gültig für localhost");
}

#[test]
fn a_timeout_gets_a_german_hint() {
    let world = World::new();
    let silent = SilentServer::start();
    let smtp = world.smtp(|s| s);
    let run = setup_in_german(
        &world,
        &silent.host_addr("localhost"),
        &smtp.host_addr("localhost"),
    );
    assert_eq!(run.error().exit_code(), 75, "{run}");
    assert_german(
        &run,
        "der Server hat nicht rechtzeitig geantwortet",
        "Versuchen Sie es erneut; in einem langsamen Netzwerk",
        "nicht innerhalb von 3 Sekunden geantwortet",
    );
}

#[test]
fn a_certificate_for_another_host_gets_a_german_hint() {
    let world = World::new();
    let bad = world.ca.server_cert("mail.example.net");
    let imap = world.imap_with(&bad, ImapScript::default());
    let smtp = world.smtp(|s| s);
    let run = setup_in_german(
        &world,
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
    );
    assert_eq!(run.error().exit_code(), 76, "{run}");
    let shown = format!("{}\n{}", run.error(), run.hint());
    assert!(
        shown.contains("das Zertifikat gehört zu einem anderen Server"),
        "{shown}"
    );
    assert!(
        shown.contains("Melden Sie sich in diesem Netzwerk nicht an"),
        "{shown}"
    );
    assert!(
        run.said.contains("Der Schritt „TLS“ ist fehlgeschlagen"),
        "{run}"
    );
    // The TLS library's own words about the certificate follow „Einzelheiten:“.
    let ours: String = said_without_transcript(&run)
        .lines()
        .filter(|line| !line.trim_start().starts_with("Einzelheiten:"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_no_english("a certificate failure", &format!("{shown}\n{ours}"));
}

#[test]
fn no_keyring_gets_a_german_hint() {
    let world = World::new();
    let imap = world.imap(ImapScript::default());
    let smtp = world.smtp(|s| s);
    world
        .secrets
        .fail_with(Some(StoreProblem::Unavailable("no D-Bus session".into())));
    let run = setup_in_german(
        &world,
        &imap.host_addr("localhost"),
        &smtp.host_addr("localhost"),
    );
    assert_eq!(run.error().exit_code(), 78, "{run}");
    assert_eq!(
        run.error().to_string(),
        "Kein nutzbarer Schlüsselbund: no D-Bus session"
    );
    assert!(
        run.hint()
            .starts_with("Starten Sie auf einem Linux-Desktop den Schlüsselbund")
    );
    // The keyring is asked before the password is sent: no server heard from this run.
    assert_eq!(imap.connections() + smtp.connections(), 0, "{run}");
    assert!(!run.said.contains("angemeldet"), "{run}");
    assert_no_english(
        "no keyring",
        &format!("{}\n{}", run.hint(), said_without_transcript(&run)),
    );
}

#[test]
fn runs_side_by_side_keep_their_own_language() {
    let world = World::new();
    let english = world
        .session()
        .language(Language::English)
        .run(None, &mut ScriptedPrompter::non_interactive());
    assert!(
        english
            .error()
            .to_string()
            .starts_with("cannot ask questions here")
    );
    let german = std::thread::spawn(|| {
        let world = World::new();
        let run = world
            .session()
            .language(Language::German)
            .run(None, &mut ScriptedPrompter::non_interactive());
        run.error().to_string()
    })
    .join()
    .unwrap();
    assert!(
        german.starts_with("Hier können keine Fragen gestellt werden"),
        "{german}"
    );
    // This thread is still English.
    assert!(
        english
            .error()
            .to_string()
            .starts_with("cannot ask questions here")
    );
}

// ---------------------------------------------------------------------------------------------
// The words added with pass, the send test, hostile input and the live test's details
// ---------------------------------------------------------------------------------------------

/// Every message of those functions, worded in the current language, one per line (the
/// `--verbose` conversation itself, `C:`/`S:`, left out: it is quoted as it was).
fn the_newer_messages() -> Vec<String> {
    use icloud_setup::domain::{AddressProblem, NameProblem};
    use icloud_setup::mail::send_test::{
        Folder, NotOurs, NotOursReason, Removal, Removed, SendStep,
    };
    use icloud_setup::mail::{
        AttemptOutcome, ConnectAttempt, Detail, FailureKind, ProbeFailure, Protocol, Stage,
        TranscriptLine,
    };
    use icloud_setup::messages as m;
    use icloud_setup::secrets::{PassProblem, StoreKind};
    use std::path::{Path, PathBuf};

    let removed = |how, copies| Removed { how, copies };
    let not_ours = |reason| NotOurs {
        folder: Folder::Inbox,
        uid: 4,
        reason,
    };
    let key = Some("0123456789ABCDEF".to_string());
    let pass_problems = [
        PassProblem::NotInstalled,
        PassProblem::NotInitialised {
            store_dir: PathBuf::from("/home/a/.password-store"),
            secret_key: key.clone(),
        },
        PassProblem::NotInitialised {
            store_dir: PathBuf::from("/home/a/.password-store"),
            secret_key: None,
        },
        PassProblem::NoUsableKey {
            key_ids: vec!["0123456789ABCDEF".into()],
            secret_key: key,
        },
        PassProblem::NoUsableKey {
            key_ids: vec!["0123456789ABCDEF".into()],
            secret_key: None,
        },
        PassProblem::PassphraseUnavailable { terminal: false },
        PassProblem::PassphraseUnavailable { terminal: true },
        PassProblem::TimedOut(15),
        PassProblem::NoHome,
        PassProblem::SignOnly {
            key_ids: vec!["0123456789ABCDEF".into()],
        },
    ];
    let mut said = Vec::new();
    for problem in &pass_problems {
        said.push(m::pass_problem(problem));
        said.push(m::hint_pass(problem));
    }
    said.push(m::hint_pass(&PassProblem::Failed(
        "gpg: decryption failed".into(),
    )));
    let server: icloud_setup::mail::ServerAddress = "imap.mail.me.com:993".parse().unwrap();
    said.extend([
        m::unknown_store("vault"),
        m::t!("hint-unknown-store"),
        m::t!("offer-pass-instead", problem = "kein D-Bus"),
        m::t!("ask-use-pass"),
        m::t!("option-use-pass"),
        m::t!("option-stop-no-keyring"),
        m::secret_missing_from(EMAIL, StoreKind::Pass),
        m::t!("rotating-in-pass", email = EMAIL),
        m::rotated_in_pass(EMAIL),
        m::t!("removed-from-pass", email = EMAIL),
        m::t!("send-test-subject"),
        m::send_test_body(EMAIL),
        m::t!(
            "send-test-intro",
            email = EMAIL,
            wait_secs = 120.to_string()
        ),
        m::t!("send-test-signing-in", server = server.to_string()),
        m::t!("send-test-watching", username = "alice"),
        m::t!("send-test-submitting", server = server.to_string()),
        m::t!("send-test-waiting", wait_secs = 120.to_string()),
        m::send_test_arrived(Folder::Inbox, 3),
        m::send_test_arrived(Folder::Junk, 3),
        m::t!("send-test-in-junk", email = EMAIL),
        m::send_test_removed(removed(Removal::Expunged, 1), Folder::Inbox),
        m::send_test_removed(removed(Removal::FlaggedDeleted, 1), Folder::Junk),
        m::send_test_removed(removed(Removal::Expunged, 2), Folder::Inbox),
        m::send_test_removed(removed(Removal::FlaggedDeleted, 2), Folder::Junk),
        m::send_test_removed(removed(Removal::NothingLeft, 0), Folder::Inbox),
        m::send_test_not_ours(&not_ours(NotOursReason::ThereBefore)),
        m::send_test_not_ours(&not_ours(NotOursReason::UidsRenumbered)),
        m::send_test_not_ours(&not_ours(NotOursReason::NoBaseline)),
        m::send_test_not_ours(&not_ours(NotOursReason::OtherMessageId)),
        m::t!(
            "send-test-may-still-arrive",
            email = EMAIL,
            subject = "Testnachricht"
        ),
        m::t!("send-test-passed", email = EMAIL),
        m::send_test_phase_failed_because(Protocol::Smtp, "x"),
        m::send_test_detail(icloud_setup::mail::send_test::SendDetail::CommandRefused),
        m::send_test_detail(icloud_setup::mail::send_test::SendDetail::UnexpectedReply),
        m::send_test_detail(icloud_setup::mail::send_test::SendDetail::AddressUnusable),
        m::send_test_detail(icloud_setup::mail::send_test::SendDetail::SessionEnded),
        m::hint_send_refused(EMAIL, true),
        m::hint_send_refused(EMAIL, false),
        m::hint_send_step(FailureKind::TimedOut),
        m::hint_send_step(FailureKind::Dropped),
        m::hint_send_step(FailureKind::Protocol),
        m::t!(
            "send-not-arrived",
            email = EMAIL,
            waited_secs = 120.to_string()
        ),
        m::t!("hint-send-not-arrived"),
        m::t!("ask-send-test"),
        m::t!("option-skip-send-test"),
        m::t!("option-send-test"),
    ]);
    for step in [
        SendStep::MailFrom,
        SendStep::RcptTo,
        SendStep::Data,
        SendStep::EndOfData,
        SendStep::Select,
        SendStep::Watch,
        SendStep::Remove,
    ] {
        let failure = ProbeFailure {
            stage: Stage::Login,
            kind: FailureKind::Protocol,
            server_said: None,
            detail: Detail::MalformedReply,
        };
        said.push(m::send_step_failed(Protocol::Smtp, step, &failure));
    }
    for problem in [
        AddressProblem::Empty,
        AddressProblem::Whitespace {
            input: "a b".into(),
        },
        AddressProblem::ControlCharacter {
            input: "a\u{1b}b".into(),
        },
        AddressProblem::NoAt { input: "ab".into() },
        AddressProblem::SeveralAts {
            input: "a@b@c".into(),
        },
        AddressProblem::NothingBeforeAt {
            input: "@icloud.com".into(),
        },
        AddressProblem::BadDomain {
            input: "a@b".into(),
        },
        AddressProblem::NotIcloud {
            input: "a@example.com".into(),
        },
        AddressProblem::NearMiss {
            input: "a@icluod.com".into(),
            suggestion: "a@icloud.com".into(),
        },
    ] {
        said.push(m::address_problem(&problem));
        said.push(m::hint_address_problem(&problem));
    }
    let dir = Path::new("/home/a/.config/icloud-setup/config.toml");
    said.extend([
        m::ask_near_miss("a@icluod.com", "a@icloud.com"),
        m::option_use_suggestion("a@icloud.com"),
        m::option_keep_typed("a@icluod.com"),
        m::name_problem(&NameProblem::ControlCharacter {
            input: "A\nB".into(),
        }),
        m::name_problem(&NameProblem::LooksLikePassword),
        m::t!("hint-name-problem"),
        m::ask_name_keeping("Alice"),
        m::already_saved(EMAIL),
        m::rotating_to_same_password(EMAIL),
        m::t!("password-stdin-is-terminal"),
        m::t!("server-options-do-not-apply", command = "check"),
        m::orphaned_secret(EMAIL),
        m::orphaned_secret_removed(EMAIL),
        m::removed_kept_for_other_configs(EMAIL),
        m::status_orphans(&[EMAIL.to_string()]),
        m::check_summary_line(EMAIL, &m::CheckLine::Passed),
        m::check_summary_line(EMAIL, &m::CheckLine::SecretMissing),
        m::t!("check-summary-heading"),
        m::check_failed(&[EMAIL.to_string()], 1),
        m::check_failed(&[EMAIL.to_string()], 2),
        m::config_not_a_file(dir),
        m::t!("hint-config-not-a-file"),
        m::config_too_large(dir, 1 << 20),
        m::config_not_utf8(dir),
        m::config_symlink_unusable(dir, Path::new("/nonexistent")),
        m::t!("hint-output-failed"),
        m::t!("stopped-after-saving"),
        m::keyring_label(EMAIL),
    ]);
    let address = "17.42.251.41:993".parse().unwrap();
    let attempts: Vec<ConnectAttempt> = [
        AttemptOutcome::Connected,
        AttemptOutcome::Failed("Connection refused (os error 111)".into()),
        AttemptOutcome::TimedOut,
        AttemptOutcome::Abandoned,
    ]
    .into_iter()
    .map(|outcome| ConnectAttempt { address, outcome })
    .collect();
    for detail in [
        Detail::NoAddresses,
        Detail::LookupTimedOut,
        Detail::NoAnswerInTime,
        Detail::ServerClosed,
        Detail::NoGreeting,
        Detail::TlsFirst,
        Detail::NotImapGreeting,
        Detail::NotAccepting,
        Detail::LoginRefused,
        Detail::StartTlsNotOffered,
        Detail::NoUsableLoginMethod,
        Detail::DataBeforeTls,
        Detail::MalformedReply,
        Detail::LineTooLong { limit: 64 * 1024 },
        Detail::ResponseTooLong { limit: 1024 * 1024 },
        Detail::ConnectFailed { attempts: vec![] },
    ] {
        said.push(m::failure_detail(&detail));
    }
    for attempt in &attempts {
        said.push(m::transcript_line(
            Protocol::Imap,
            &TranscriptLine::Attempt(attempt.clone()),
        ));
    }
    for line in [
        TranscriptLine::TlsEstablished("imap.mail.me.com".into()),
        TranscriptLine::NoGreetingCheckingTls,
        TranscriptLine::TlsFirstFound,
        TranscriptLine::StartTlsMissing,
        TranscriptLine::UsingPreconnected,
        TranscriptLine::PreconnectionRedone,
    ] {
        said.push(m::transcript_line(Protocol::Smtp, &line));
    }
    said
}

/// The messages in `language`, worded on a thread of their own.
fn newer_messages_in(language: Language) -> Vec<String> {
    std::thread::spawn(move || {
        language::pin_for_this_thread(language);
        the_newer_messages()
    })
    .join()
    .unwrap()
}

#[test]
fn the_words_added_since_are_german_too() {
    let german = newer_messages_in(Language::German);
    let english = newer_messages_in(Language::English);
    assert_eq!(german.len(), english.len());
    for (german, english) in german.iter().zip(&english) {
        assert_ne!(german, english, "not translated");
        // The system's own words after „fehlgeschlagen (“ stay as it said them, and SMTP's
        // commands are SMTP's.
        let ours = german
            .replace("Connection refused (os error 111)", "")
            .replace("MAIL FROM", "")
            .replace("RCPT TO", "");
        assert_no_english("the newer messages", &ours);
    }
    // The test message, as it arrives in a German mailbox.
    let body = &german[english
        .iter()
        .position(|text| text.starts_with("This message was sent"))
        .unwrap()];
    assert!(
        body.starts_with("Diese Nachricht hat icloud-setup gesendet")
            && body.contains("iCloud E-Mails senden kann.\n\nSie wird wieder entfernt")
            && body.ends_with("bedenkenlos löschen.\n"),
        "{body:?}"
    );
    // English is what it was, line breaks included.
    for expected in [
        "This message was sent by icloud-setup to check that alice@icloud.com can send mail \
         through iCloud.\n\nIt is removed again as soon as it arrives. If you see it \
         anyway, you can safely delete it.\n",
        "the check failed for 1 of 1 account: alice@icloud.com",
        "the check failed for 1 of 2 accounts: alice@icloud.com",
        "The system keyring cannot be used here (kein D-Bus).\nThe password can go into \
         pass, the standard Unix password store, instead, encrypted with your GPG key; every \
         mail program keeps reading it through `icloud-setup password`.",
        "iCloud Mail app-specific password for alice@icloud.com",
        "IMAP connect 17.42.251.41:993 failed (Connection refused (os error 111))",
        "\nIn the keyring but in no saved account (remove with `icloud-setup remove \
         EMAIL`):\n  alice@icloud.com\n",
    ] {
        assert!(english.iter().any(|text| text == expected), "{expected:?}");
    }
    for expected in [
        "Die Prüfung ist bei 1 von 1 Konto fehlgeschlagen: alice@icloud.com",
        "Die Prüfung ist bei 1 von 2 Konten fehlgeschlagen: alice@icloud.com",
    ] {
        assert!(german.iter().any(|text| text == expected), "{expected:?}");
    }
}
