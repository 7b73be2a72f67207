#!/usr/bin/env bash
# Runs every fuzz target under fuzz/ (cargo-fuzz, nightly) for SECONDS each (default 60),
# one after the other, and prints the executions each made. A crash stops with its input
# in fuzz/artifacts/TARGET/ and exit 1: turn it into a regression test.
#
#   bash scripts/fuzz.sh          # a minute each
#   bash scripts/fuzz.sh 20       # CI (scripts/test.sh)
#   bash scripts/fuzz.sh 300 imap_wire   # one target, longer
#
# Each target starts from its committed seeds (fuzz/seeds/TARGET: transcripts of Dovecot
# and of the test suite's scripted servers, sample configs, names and addresses) and keeps
# what it learns in fuzz/corpus/TARGET (not committed), so later runs go on from there.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "The nightly toolchain is needed: rustup toolchain install nightly" >&2
    exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "Installing cargo-fuzz (it compiles; a few minutes)"
    cargo install cargo-fuzz --locked
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# -O: built as the release is (no debug assertions or overflow checks), so a finding is
# a failure of the program people run, and one build serves every run.
mkdir -p fuzz/logs
cargo +nightly fuzz build -O
failed=()
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target"
    log="fuzz/logs/$target.log"
    printf '==== %s: %ss\n' "$target" "$seconds"
    # -timeout: one input may take a few TLS handshakes and a 2 s client time-out, never 30 s.
    if cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -timeout=30 -print_final_stats=1 >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        printf -- '---- %s: %s executions, no crash\n' "$target" "${runs:-?}"
    else
        failed+=("$target")
        tail -n 40 "$log"
        printf -- '---- %s: FAILED (input in fuzz/artifacts/%s/, log in %s)\n' "$target" "$target" "$log"
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "Crashed: ${failed[*]}" >&2
    exit 1
fi
