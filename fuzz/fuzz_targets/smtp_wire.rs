//! The bounded wire with the SMTP reply reader: what a server says before STARTTLS (the
//! part anyone on the path can write) goes through `smtp_probe::probe`, and the same bytes
//! through `read_reply` on an open `Wire`, reply after reply to the end. Nothing may
//! panic, no reply may exceed the wire's caps, and the password never shows.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use icloud_setup::domain::AppPassword;
use icloud_setup::error::Error;
use icloud_setup::mail::endpoint::Deadline;
use icloud_setup::mail::tls::TrustAnchors;
use icloud_setup::mail::wire::{MAX_RESPONSE, Wire};
use icloud_setup::mail::{Protocol, ServerAddress, Stage, smtp_probe};
use icloud_setup::messages;
use icloud_setup_fuzz::{PASSWORD, Peer};
use libfuzzer_sys::fuzz_target;
use secrecy::SecretString;

fn peer() -> &'static Peer {
    static PEER: OnceLock<Peer> = OnceLock::new();
    PEER.get_or_init(Peer::plain)
}

/// One trust store for the whole run, as one run of the program has: building it (the
/// system's CAs) for every input would be most of the time.
fn anchors() -> &'static TrustAnchors {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    ANCHORS.get_or_init(TrustAnchors::system)
}

fn assert_masked(text: &str) {
    assert!(!text.contains(PASSWORD), "the password is shown: {text}");
}

fuzz_target!(|data: &[u8]| {
    let peer = peer();
    peer.play(data);
    let server = ServerAddress::new("127.0.0.1", peer.port);
    let password = AppPassword::parse(&SecretString::from(PASSWORD)).expect("password");
    let timeout = Duration::from_secs(2);

    // The reader alone, reply after reply, until the server's bytes end.
    let address = format!("127.0.0.1:{}", peer.port).parse().expect("address");
    let mut transcript = Vec::new();
    if let Ok(mut wire) = Wire::open(&[address], Deadline::after(timeout), &mut transcript) {
        wire.mask_secret("fuzz@icloud.com", &password);
        loop {
            wire.begin_response();
            match smtp_probe::read_reply(&mut wire, Stage::Greeting) {
                Ok(reply) => {
                    assert!(reply.said().len() <= MAX_RESPONSE + 8, "reply over the cap");
                    assert_masked(&reply.said());
                }
                Err(_) => break,
            }
        }
        wire.close();
    }

    // The whole probe: greeting, EHLO, STARTTLS (a handshake on whatever follows).
    let report = smtp_probe::probe(
        &server,
        "fuzz@icloud.com",
        &password,
        anchors(),
        timeout,
        None,
    );
    for line in &report.transcript {
        assert_masked(&messages::transcript_line(Protocol::Smtp, line));
    }
    if report.failure().is_some() {
        let reports = vec![report];
        assert_masked(&messages::hint_live_test(&reports));
        assert_masked(&Error::LiveTestFailed { reports }.to_string());
    }
});
