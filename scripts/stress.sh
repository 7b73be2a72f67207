#!/usr/bin/env bash
# Signals as a property (issue 19.4): SIGINT or SIGTERM at random moments of `setup`, `rotate`
# and `remove`, run as the release binary against Dovecot and GNOME Keyring on a private D-Bus;
# after every run the config and the keyring must agree (tests/signal_stress.rs). Prints the
# seed and a tally of how the runs ended. Needs the peers of scripts/test.sh.
#
#   scripts/stress.sh                                  # 600 runs, a new seed
#   ICLOUD_SETUP_STRESS_RUNS=1500 scripts/stress.sh
#   ICLOUD_SETUP_STRESS_SEED=123 ICLOUD_SETUP_STRESS_RUNS=42 scripts/stress.sh   # replay
set -euo pipefail
cd "$(dirname "$0")/.."
export ICLOUD_SETUP_REQUIRE_PEERS=1
export ICLOUD_SETUP_STRESS_RUNS="${ICLOUD_SETUP_STRESS_RUNS:-600}"
# The release build, as people install it: its start-up and save timings are the real ones.
cargo build --release --locked
export ICLOUD_SETUP_BIN="$PWD/target/release/icloud-setup"
exec cargo test --locked --test main -- --nocapture --test-threads=1 signal_stress::
