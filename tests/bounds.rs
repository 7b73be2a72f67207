//! Bounded waits and honest outcomes at the edges (issue 18 items 11, 13, 15; issue 19
//! item 6): another run's lock, a config in a read-only place, output that cannot be
//! written, `mbsync --version` that never answers, and the small words that misled.

use crate::support;

use std::fs::File;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::binary::{GERMAN, Sandbox};
use support::secret_service::SecretService;

const EMAIL: &str = "johnappleseed@icloud.com";
const SECRET: &str = "abcd-efgh-ijkl-mnop";

/// The lock a run takes while it changes `config_path`.
fn lock_path(config_path: &std::path::Path) -> std::path::PathBuf {
    config_path.with_file_name(".config.toml.lock")
}

/// Runs `command` to its end, or kills it after `limit` (a run that waits forever fails
/// the test instead of hanging the suite).
fn output_within(command: &mut std::process::Command, limit: Duration) -> std::process::Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start icloud-setup");
    let started = Instant::now();
    while matches!(child.try_wait(), Ok(None)) {
        if started.elapsed() > limit {
            support::process::stop_gracefully(&mut child, Duration::from_millis(200));
            let output = child.wait_with_output().expect("collect output");
            panic!(
                "still running after {limit:?}; stderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("collect output")
}

// ------------------------------------------------- issue 18 item 11: another run's lock

#[test]
fn waiting_for_another_runs_lock_is_said_and_ends_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let Some(keyring) = SecretService::start(dir.path()) else {
        return;
    };
    for (locale, said) in [
        (support::binary::ENGLISH, "Another icloud-setup run is changing"),
        (GERMAN, "Ein anderer icloud-setup-Lauf ändert gerade"),
    ] {
        let mut sandbox = Sandbox::with_keyring(dir.path(), &keyring);
        sandbox.set_locale(locale);
        std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
        std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
        keyring.store(EMAIL, SECRET);
        // Another run, stuck between its read and its write.
        let held = File::create(lock_path(&sandbox.config_path)).unwrap();
        held.lock().unwrap();

        let started = Instant::now();
        let output = output_within(
            sandbox
                .command()
                .args(["--timeout", "2", "remove", EMAIL, "--yes"]),
            Duration::from_secs(10),
        );
        let took = started.elapsed();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(75), "{locale}: {stderr}");
        assert!(stderr.contains(said), "{locale}: {stderr}");
        assert!(
            took >= Duration::from_secs(2) && took < Duration::from_secs(4),
            "{locale}: gave up after {took:?}"
        );
        assert!(stderr.contains("fuser -v"), "{locale}: {stderr}");
        // Nothing changed: the account is saved, its secret is back in the keyring.
        assert_eq!(
            std::fs::read_to_string(&sandbox.config_path).unwrap(),
            support::SAVED_CONFIG
        );
        assert_eq!(keyring.lookup(EMAIL).as_deref(), Some(SECRET), "{locale}");
        drop(held);
    }
}

#[test]
fn a_lock_that_comes_free_during_the_wait_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, support::SAVED_CONFIG).unwrap();
    let held = File::create(lock_path(&path)).unwrap();
    held.lock().unwrap();
    let noticed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&noticed);
    let store = icloud_setup::config::ConfigStore::new(path.clone()).with_lock_wait(
        Duration::from_secs(10),
        std::sync::Arc::new(move |_: &std::path::Path| {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }),
    );
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(held);
    });
    let started = Instant::now();
    store
        .update(|config| {
            config.remove(EMAIL);
            Ok::<(), icloud_setup::config::ConfigError>(())
        })
        .expect("the lock came free");
    release.join().unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(noticed.load(std::sync::atomic::Ordering::SeqCst), 1, "said once");
    assert!(store.load().unwrap().accounts.is_empty());
}
