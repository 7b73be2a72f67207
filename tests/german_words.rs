//! German as a German reader expects it (issue 18.17): „im Schlüsselbund“, the INBOX called
//! the „Posteingang“ in prose, one language per `--help` screen, and outside a UTF-8 locale
//! (`de_DE.ISO-8859-1`) nothing but what that terminal can show.

use crate::support;

use std::process::Stdio;

use icloud_setup::language::{self, Language};
use icloud_setup::secrets::{SecretLocation, Store};
use support::binary::{GERMAN, Sandbox};

#[test]
fn the_password_is_im_schluesselbund_not_in_dem() {
    language::pin_for_this_thread(Language::German);
    for (store, words) in [
        (Store::SecretService, "Passwort: im Schlüsselbund"),
        (Store::Pass, "Passwort: im Passwortspeicher"),
        (
            Store::MacosKeychain,
            "Passwort: in der macOS-Schlüsselbundverwaltung",
        ),
    ] {
        let saved = icloud_setup::messages::saved(
            "a@icloud.com",
            &SecretLocation {
                store,
                read_command: "icloud-setup password a@icloud.com".into(),
            },
            std::path::Path::new("/tmp/config.toml"),
        );
        assert!(saved.contains(words), "{saved}");
        assert!(
            !saved.contains("in dem") && !saved.contains("in der der"),
            "{saved}"
        );
    }
    language::pin_for_this_thread(Language::English);
}

#[test]
fn the_german_catalog_says_posteingang_in_prose_and_never_in_dem() {
    let catalog = include_str!("../i18n/de/icloud_setup.ftl");
    for line in catalog.lines().filter(|l| !l.trim_start().starts_with('#')) {
        assert!(!line.contains("in dem "), "„im“, not „in dem“: {line}");
        assert!(
            !line.contains(" in { $store }"),
            "the place has its preposition: {line}"
        );
        // INBOX only as the folder's name beside its German word.
        if line.contains("INBOX") {
            assert!(line.contains("Posteingang"), "{line}");
        }
    }
}

fn german_help(args: &[&str], locale: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut sandbox = Sandbox::without_keyring(dir.path());
    sandbox.set_locale(locale);
    let output = sandbox
        .command()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{args:?}");
    String::from_utf8(output.stdout).expect("UTF-8 or ASCII")
}

#[test]
fn a_german_help_screen_has_no_english_annotations() {
    for args in [
        &["--help"][..],
        &["-h"][..],
        &["setup", "--help"][..],
        &["setup", "-h"][..],
        &["export", "--help"][..],
        &["check", "--help"][..],
    ] {
        let help = german_help(args, GERMAN);
        for english in [
            "[default:",
            "[possible values:",
            "Possible values:",
            "[env:",
        ] {
            assert!(
                !help.contains(english),
                "{args:?} shows {english:?}:\n{help}"
            );
        }
    }
    let help = german_help(&["--help"], GERMAN);
    assert!(help.contains("[Standard: 15]"), "{help}");
    assert!(help.contains("mögliche"), "{help}");
    assert!(
        help.contains("[Umgebungsvariable: ICLOUD_SETUP_CONFIG]"),
        "{help}"
    );
    let help = german_help(&["export", "--help"], GERMAN);
    assert!(help.contains("Mögliche Werte:"), "{help}");
    assert!(help.contains("- msmtp:"), "{help}");
}

#[test]
fn under_an_iso_8859_1_locale_only_ascii_is_written() {
    let locale = "de_DE.ISO-8859-1";
    for args in [&["--help"][..], &["setup", "--help"][..], &["settings"][..]] {
        let out = german_help(args, locale);
        assert!(
            out.is_ascii(),
            "{args:?}: {:?}",
            out.chars().find(|c| !c.is_ascii())
        );
        assert!(!out.contains('?'), "nothing left unspelled: {out}");
    }
    let help = german_help(&["--help"], locale);
    assert!(help.contains("Schluesselbund"), "{help}");
    // An error and its hint (standard error) as well.
    let dir = tempfile::tempdir().unwrap();
    let mut sandbox = Sandbox::without_keyring(dir.path());
    sandbox.set_locale(locale);
    let output = sandbox
        .command()
        .args(["check", "niemand@icloud.com"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.stderr.is_ascii(), "{stderr}");
    assert!(stderr.contains("Fehler"), "{stderr}");
}
