//! The live test's speed (issue 10), measured against real Dovecot behind the delaying
//! proxy of `support::delay_proxy`. Not a timed test: `scripts/bench.sh` runs it and prints
//! the numbers; `cargo test` skips it.
//!
//! - `check` at 0, 50, 100 and 200 ms round-trip time: the median of several runs of the
//!   binary, and its ratio to the floor of 7 round trips (SMTP submission: TCP, greeting,
//!   EHLO, STARTTLS, TLS 1.3, EHLO, AUTH; IMAPS needs 4 and runs at the same time);
//! - on loopback, beside it, an IMAPS login by `curl` through the same proxy;
//! - what a dead IPv6 address listed before a working IPv4 one adds (Happy Eyeballs);
//! - the interactive wizard in a pseudo-terminal at 100 ms: the time from Enter after the
//!   password to both ✓ lines, when typing took longer than the handshakes.
//!
//! - `check` of ten saved accounts against one account's, at 100 ms round-trip time (issue
//!   23: accounts are tested side by side; the target is at most 1.5 times one account);
//!   with `BENCH_LOOPBACK_TOO=1` also on loopback, where only local work is left.
//!
//! `BENCH_RUNS` sets the runs per row (default 7).

use crate::support;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use icloud_setup::domain::{AppPassword, LoginLadder};
use icloud_setup::mail::endpoint::resolve_for_tests;
use icloud_setup::mail::tls::TrustAnchors;
use icloud_setup::mail::{LiveMailCheck, MailCheck, ServerAddress};
use secrecy::SecretString;
use support::binary::run_with_stdin;
use support::dead_address::DeadV6;
use support::delay_proxy::DelayProxy;
use support::dovecot::ALICE;
use support::peer_world::PeerWorld;
use support::pty::{Screen, wrapped};

const RTTS_MS: [u64; 4] = [0, 50, 100, 200];
const FLOOR_ROUND_TRIPS: u32 = 7;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn target(addr: &str) -> SocketAddr {
    addr.to_socket_addrs()
        .unwrap()
        .find(SocketAddr::is_ipv4)
        .expect("an IPv4 address for Dovecot")
}

struct Bench {
    world: PeerWorld,
    imap: DelayProxy,
    smtp: DelayProxy,
}

impl Bench {
    fn command(&self) -> Command {
        let mut command = self.world.sandbox.command();
        command
            .arg("--imap-server")
            .arg(format!("localhost:{}", self.imap.port()))
            .arg("--smtp-server")
            .arg(format!("localhost:{}", self.smtp.port()))
            .arg("--ca-file")
            .arg(self.world.dovecot.ca_file())
            .args(["--timeout", "20"]);
        // `BENCH_WRAP="strace -f -tt -o /tmp/trace"`: run the binary under a tracer.
        match std::env::var("BENCH_WRAP") {
            Ok(wrapper) if !wrapper.trim().is_empty() => {
                let mut words = wrapper.split_whitespace();
                let mut tracer = Command::new(words.next().unwrap());
                tracer.args(words).arg(command.get_program());
                tracer.args(command.get_args());
                tracer.env_clear();
                for (key, value) in command.get_envs() {
                    if let Some(value) = value {
                        tracer.env(key, value);
                    }
                }
                tracer
            }
            _ => command,
        }
    }

    fn set_rtt(&self, rtt: Duration) {
        self.imap.set_one_way(rtt / 2);
        self.smtp.set_one_way(rtt / 2);
    }

    fn check_once(&self) -> Duration {
        let mut command = self.command();
        command.arg("check").stdin(Stdio::null());
        let started = Instant::now();
        let output = command.output().expect("run check");
        let elapsed = started.elapsed();
        assert!(
            output.status.success(),
            "check failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        elapsed
    }

    /// One run of the binary with `args`, standard output discarded.
    fn binary_once(&self, args: &[&str]) -> Duration {
        let mut command = self.command();
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        let started = Instant::now();
        let status = command.status().expect("run the binary");
        assert!(status.success(), "{args:?} failed");
        started.elapsed()
    }

    fn curl_once(&self) -> Duration {
        let started = Instant::now();
        let output = Command::new("curl")
            .args(["--silent", "--show-error", "--cacert"])
            .arg(self.world.dovecot.ca_file())
            .arg("--user")
            .arg(format!("{}:{}", ALICE.imap_login, ALICE.password))
            .arg(format!("imaps://localhost:{}/", self.imap.port()))
            .output()
            .expect("curl is installed (scripts/test.sh installs it)");
        let elapsed = started.elapsed();
        assert!(
            output.status.success(),
            "curl failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        elapsed
    }

    /// Enter after the password to both ✓ lines, in a pseudo-terminal, after `typing`.
    fn wizard_once(&self, typing: Duration) -> Duration {
        let mut command = self.command();
        command.arg("setup");
        let mut screen = Screen::start(wrapped(&command));
        screen.expect("Your iCloud e-mail address");
        screen.type_line(ALICE.email);
        screen.expect("Your name");
        screen.type_line("");
        screen.expect("App-specific password");
        std::thread::sleep(typing);
        let started = Instant::now();
        screen.type_line(ALICE.password);
        screen.expect("signed in as");
        screen.expect("signed in as");
        let elapsed = started.elapsed();
        screen.expect("Send a test message to yourself?");
        screen.type_line(""); // Enter: the default, no
        screen.expect("exit-code=");
        let _ = screen.finish();
        elapsed
    }
}

#[test]
#[ignore = "a benchmark, not a test: run scripts/bench.sh"]
#[allow(clippy::print_stdout)] // the benchmark's report is its output
fn live_test_speed() {
    let world = PeerWorld::start().expect("Dovecot and GNOME Keyring (scripts/test.sh)");
    let imap = DelayProxy::start(target(&world.dovecot.imap_addr()), Duration::ZERO);
    let smtp = DelayProxy::start(target(&world.dovecot.submission_addr()), Duration::ZERO);
    let bench = Bench { world, imap, smtp };
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);

    // The account is saved once, through the proxies, so `check` dials them.
    let mut setup = bench.command();
    setup.args(["setup", "--email", ALICE.email, "--password-stdin"]);
    let output = run_with_stdin(&mut setup, &format!("{}\n", ALICE.password));
    assert!(
        output.status.success(),
        "setup failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    println!("icloud-setup check against Dovecot through a delaying proxy, median of {runs} runs");
    println!(
        "{:>8}  {:>10}  {:>10}  {:>8}",
        "RTT", "median", "7-RTT floor", "ratio"
    );
    let mut loopback = Duration::ZERO;
    for rtt_ms in RTTS_MS {
        let rtt = Duration::from_millis(rtt_ms);
        bench.set_rtt(rtt);
        bench.check_once(); // warm-up: page cache, Dovecot's processes
        let time = median((0..runs).map(|_| bench.check_once()).collect());
        let floor = rtt * FLOOR_ROUND_TRIPS;
        let ratio = if floor.is_zero() {
            "-".to_string()
        } else {
            format!("{:.2}x", time.as_secs_f64() / floor.as_secs_f64())
        };
        println!(
            "{:>6}ms  {:>8.0}ms  {:>9.0}ms  {:>8}",
            rtt_ms,
            ms(time),
            ms(floor),
            ratio
        );
        if rtt_ms == 0 {
            loopback = time;
        }
    }

    bench.set_rtt(Duration::ZERO);
    bench.curl_once();
    let curl = median((0..runs).map(|_| bench.curl_once()).collect());
    println!(
        "loopback: check {:.0}ms, curl IMAPS login {:.0}ms: {:.2}x curl",
        ms(loopback),
        ms(curl),
        loopback.as_secs_f64() / curl.as_secs_f64()
    );

    // Where the loopback time goes: starting the process and reading the config (`status`),
    // and reading the keyring (`password`), which `check` overlaps with the connections.
    let status = median((0..runs).map(|_| bench.binary_once(&["status"])).collect());
    let keyring = median(
        (0..runs)
            .map(|_| bench.binary_once(&["password", ALICE.email]))
            .collect(),
    );
    println!(
        "loopback parts: process and config (status) {:.0}ms, with the keyring read (password) {:.0}ms",
        ms(status),
        ms(keyring)
    );

    // What a dead IPv6 address listed first costs: the probes in-process, `localhost`
    // resolving to a dead [::1] first and the working 127.0.0.1 second, against the same
    // probes with 127.0.0.1 alone.
    let _dead = (DeadV6::on(bench.imap.port()), DeadV6::on(bench.smtp.port()));
    let mail = LiveMailCheck {
        anchors: TrustAnchors::with_ca_file(bench.world.dovecot.ca_file()).unwrap(),
        timeout: Duration::from_secs(20),
    };
    let password = AppPassword::parse(&SecretString::from(ALICE.password)).unwrap();
    let imap_server = ServerAddress::new("localhost", bench.imap.port());
    let smtp_server = ServerAddress::new("localhost", bench.smtp.port());
    let both = || {
        let started = Instant::now();
        std::thread::scope(|scope| {
            let imap = scope.spawn(|| {
                mail.check_imap(
                    &imap_server,
                    &LoginLadder::single(ALICE.imap_login),
                    &password,
                )
            });
            let smtp = scope.spawn(|| mail.check_smtp(&smtp_server, ALICE.smtp_login, &password));
            assert!(imap.join().unwrap().outcome.is_ok() && smtp.join().unwrap().outcome.is_ok());
        });
        started.elapsed()
    };
    resolve_for_tests("localhost", vec![Ipv4Addr::LOCALHOST.into()]);
    both();
    let plain = median((0..runs).map(|_| both()).collect());
    resolve_for_tests(
        "localhost",
        vec![Ipv6Addr::LOCALHOST.into(), Ipv4Addr::LOCALHOST.into()],
    );
    let with_dead = median((0..runs).map(|_| both()).collect());
    println!(
        "dead IPv6 address first: both probes {:.0}ms instead of {:.0}ms: +{:.0}ms",
        ms(with_dead),
        ms(plain),
        ms(with_dead.saturating_sub(plain))
    );

    let rtt = Duration::from_millis(100);
    bench.set_rtt(rtt);
    let wizard_runs = runs.clamp(1, 3);
    let enter_to_check = median(
        (0..wizard_runs)
            .map(|_| bench.wizard_once(Duration::from_secs(2)))
            .collect(),
    );
    println!(
        "wizard at 100ms RTT, typing 2s: Enter to both ✓ {:.0}ms = {:.2} round trips (median of {wizard_runs})",
        ms(enter_to_check),
        enter_to_check.as_secs_f64() / rtt.as_secs_f64()
    );
}

#[test]
#[ignore = "a benchmark, not a test: run scripts/bench.sh"]
#[allow(clippy::print_stdout)] // the benchmark's report is its output
fn many_accounts_speed() {
    let world = PeerWorld::start().expect("Dovecot and GNOME Keyring (scripts/test.sh)");
    let imap = DelayProxy::start(target(&world.dovecot.imap_addr()), Duration::ZERO);
    let smtp = DelayProxy::start(target(&world.dovecot.submission_addr()), Duration::ZERO);
    let bench = Bench { world, imap, smtp };
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);

    let mut setup = bench.command();
    setup.args(["setup", "--email", ALICE.email, "--password-stdin"]);
    let output = run_with_stdin(&mut setup, &format!("{}\n", ALICE.password));
    assert!(
        output.status.success(),
        "setup failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Nine more accounts: other sending addresses (as aliases are) signing in as Alice, each
    // with its own keyring entry.
    let others: Vec<String> = (1..10).map(|i| format!("alice.{i}@icloud.com")).collect();
    icloud_setup::config::ConfigStore::new(bench.world.sandbox.config_path.clone())
        .update(|config| {
            let alice = config.accounts[0].clone();
            for email in &others {
                let mut account = alice.clone();
                account.email.clone_from(email);
                config.accounts.push(account);
            }
            Ok::<(), icloud_setup::config::ConfigError>(())
        })
        .unwrap();
    for email in &others {
        bench.world.keyring.store(email, ALICE.password);
    }

    let one_args = ["check", ALICE.email];
    if std::env::var_os("BENCH_LOOPBACK_TOO").is_some() {
        let one = median((0..runs).map(|_| bench.binary_once(&one_args)).collect());
        let ten = median((0..runs).map(|_| bench.binary_once(&["check"])).collect());
        println!("loopback: one {:.0}ms, ten {:.0}ms", ms(one), ms(ten));
    }
    let rtt = Duration::from_millis(100);
    bench.set_rtt(rtt);
    let all_args = ["check"];
    bench.binary_once(&one_args);
    bench.binary_once(&all_args);
    let one = median((0..runs).map(|_| bench.binary_once(&one_args)).collect());
    let ten = median((0..runs).map(|_| bench.binary_once(&all_args)).collect());
    let ratio = ten.as_secs_f64() / one.as_secs_f64();
    println!(
        "check at 100ms RTT, median of {runs}: one account {:.0}ms, ten accounts {:.0}ms: {ratio:.2}x one account (target: at most 1.50x){}",
        ms(one),
        ms(ten),
        if ratio <= 1.5 { "" } else { "  ABOVE TARGET" }
    );
}
