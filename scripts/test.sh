#!/usr/bin/env bash
# The project's one test command, for developers and CI alike (CI runs it via .ci/run).
#
# 1. Makes sure the real peers the tests run against are installed (Dovecot, GNOME Keyring on a
#    private D-Bus, secret-tool, the mail clients `export` writes for): on Debian/Ubuntu as
#    root it installs what is missing; otherwise it says what to install and carries on.
# 2. cargo fmt --check, cargo clippy (warnings are errors), cargo test --locked with
#    ICLOUD_SETUP_REQUIRE_PEERS=1, so a test whose peer is missing fails instead of skipping.
#
# Extra arguments go to `cargo test`, e.g. `bash scripts/test.sh --test peer_harness`.
set -euo pipefail
cd "$(dirname "$0")/.."

section() {
    printf '\n==== %s ====\n' "$*"
}

started=$SECONDS
timed() {
    local t=$SECONDS
    "$@"
    printf -- '---- %s: done in %ss\n' "$1 ${2:-}" "$((SECONDS - t))"
}

# Peers for the tests, plus what the TLS crates need to build (pkg-config, libssl-dev).
packages=(
    dovecot-imapd dovecot-submissiond dovecot-lmtpd
    gnome-keyring libsecret-tools dbus dbus-x11
    msmtp isync neomutt aerc tmux
    pass gnupg pinentry-curses
    openssl ca-certificates pkg-config libssl-dev
    curl
)

section "Test peers (Debian packages)"
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for package in "${packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
        if [ "$status" != "install ok installed" ]; then
            missing+=("$package")
        fi
    done
else
    echo "No dpkg-query: not Debian/Ubuntu. Install the equivalents of: ${packages[*]}"
fi

if [ "${#missing[@]}" -eq 0 ]; then
    echo "All present: ${packages[*]}"
elif [ "$(id -u)" -eq 0 ]; then
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
    # The package may start a system-wide Dovecot on 993/587. The tests use their own
    # instances on ephemeral ports, so it is not needed; stop it to save the CPU it takes.
    if command -v service >/dev/null 2>&1; then
        service dovecot stop >/dev/null 2>&1 || true
    fi
else
    echo "Missing: ${missing[*]}"
    echo "Install with: sudo apt-get install --no-install-recommends ${missing[*]}"
    echo "Continuing: tests that need them will fail (ICLOUD_SETUP_REQUIRE_PEERS=1)."
fi

section "Rust toolchain"
if ! command -v cargo >/dev/null 2>&1; then
    echo "cargo not found: install Rust from https://rustup.rs" >&2
    exit 1
fi
cargo --version
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    echo "rustfmt or clippy missing: rustup component add rustfmt clippy" >&2
    exit 1
fi

section "cargo fmt --check"
timed cargo fmt --check

section "cargo clippy --all-targets --locked -- -D warnings"
timed cargo clippy --all-targets --locked -- -D warnings

section "cargo test --locked (ICLOUD_SETUP_REQUIRE_PEERS=1)"
export ICLOUD_SETUP_REQUIRE_PEERS=1
timed cargo test --locked "$@"

section "All checks passed in $((SECONDS - started))s"
