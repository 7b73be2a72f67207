//! The bounded wire with the IMAP readers: whatever a server says after the TLS handshake
//! — greeting, LOGIN reply, CAPABILITY, SELECT, NOOP, SEARCH, STORE, EXPUNGE — goes through
//! the live test's `imap_probe::probe` and the send test's `Watcher`, then through the text
//! layer that shows it. Nothing may panic, and the password never shows.
#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use icloud_setup::domain::{AppPassword, EmailAddress, LoginLadder};
use icloud_setup::error::Error;
use icloud_setup::mail::send_test::Watcher;
use icloud_setup::mail::tls::TrustAnchors;
use icloud_setup::mail::{Protocol, ServerAddress, imap_probe};
use icloud_setup::messages;
use icloud_setup_fuzz::{PASSWORD, Peer};
use libfuzzer_sys::fuzz_target;
use secrecy::SecretString;

struct Setup {
    peer: Peer,
    anchors: TrustAnchors,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let peer = Peer::tls();
        let anchors = TrustAnchors::with_ca_file(peer.ca_file.as_ref().expect("CA"))
            .expect("the fuzz CA is usable");
        Setup { peer, anchors }
    })
}

fn assert_masked(text: &str) {
    assert!(!text.contains(PASSWORD), "the password is shown: {text}");
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    setup.peer.play(data);
    let server = ServerAddress::new("127.0.0.1", setup.peer.port);
    let password = AppPassword::parse(&SecretString::from(PASSWORD)).expect("password");
    let login = EmailAddress::parse("fuzz@icloud.com").expect("address");
    let timeout = Duration::from_secs(2);

    let report = imap_probe::probe(
        &server,
        &LoginLadder::for_login(&login),
        &password,
        &setup.anchors,
        timeout,
        None,
    );
    for line in &report.transcript {
        assert_masked(&messages::transcript_line(Protocol::Imap, line));
    }
    if report.failure().is_some() {
        let reports = vec![report];
        assert_masked(&messages::live_test_failed(&reports));
        assert_masked(&messages::hint_live_test(&reports));
        assert_masked(&Error::LiveTestFailed { reports }.to_string());
    }

    match Watcher::open(&server, "fuzz", &password, &setup.anchors, timeout) {
        Ok(mut watcher) => {
            let found = watcher.wait_for("<fuzz@icloud-setup>", Instant::now(), Duration::ZERO);
            if let Ok(arrival) = &found {
                let _ = watcher.remove(arrival);
            }
            for line in watcher.logout() {
                assert_masked(&messages::transcript_line(Protocol::Imap, &line));
            }
        }
        Err(failure) => {
            assert_masked(&format!("{failure:?}"));
        }
    }
});
