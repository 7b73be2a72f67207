#!/usr/bin/env bash
# The live test's speed (issue 10): `check` against the test Dovecot through a delaying TCP
# proxy at 0, 50, 100 and 200 ms round-trip time (median of BENCH_RUNS runs and the ratio to
# the 7-round-trip floor), loopback beside a `curl` IMAPS login, and the wizard's
# Enter-to-✓ time in a pseudo-terminal; and `check` of ten saved accounts against one at
# 100 ms (target: at most 1.5 times one account). Needs the peers of scripts/test.sh (Dovecot, GNOME
# Keyring, curl); run that once first on a new machine.
#
#   scripts/bench.sh            # 7 runs per row
#   BENCH_RUNS=11 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export ICLOUD_SETUP_REQUIRE_PEERS=1
# The release build, as `cargo install` and the Debian package make it (the tests' own
# debug binary spends tens of milliseconds more just starting).
cargo build --release --locked
export ICLOUD_SETUP_BIN="$PWD/target/release/icloud-setup"
exec cargo test --test main -- --ignored --nocapture --test-threads=1 bench::
