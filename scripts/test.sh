#!/usr/bin/env bash
# The project's one test command, for developers and CI alike (CI runs it via .ci/run).
#
# 1. Makes sure the real peers the tests run against are installed (Dovecot, GNOME Keyring on a
#    private D-Bus, secret-tool, the mail clients `export` writes for): on Debian/Ubuntu as
#    root it installs what is missing; otherwise it says what to install and carries on.
# 2. cargo fmt --check, cargo clippy (warnings are errors), cargo test --locked with
#    ICLOUD_SETUP_REQUIRE_PEERS=1, so a test whose peer is missing fails instead of skipping.
# 3. Fuzzing: each cargo-fuzz target for 20 s (scripts/fuzz.sh; nightly, cargo-fuzz installed
#    when missing), so a crash fails CI.
# 4. The release as users get it: `cargo package --locked` (what crates.io would receive),
#    and the Debian package from scripts/package.sh (installing cargo-deb when missing),
#    installed with dpkg -i, its man page, bash completion and --version checked, removed
#    again. Installing needs root (as in CI); otherwise the package is built but not installed.
#
# Extra arguments go to `cargo test`, e.g. `bash scripts/test.sh peer_harness::`. Set
# ICLOUD_SETUP_SKIP_PACKAGE=1 to leave out step 4, ICLOUD_SETUP_FUZZ_SECONDS=0 step 3, while
# working on the code.
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
# git send-email needs IO::Socket::SSL (STARTTLS) and Authen::SASL (AUTH), which git-email
# only recommends.
# The shells complete with the generated scripts; dpkg-dev (dpkg-shlibdeps) lets cargo-deb
# compute the package's dependencies; man-db and bash-completion check the installed package.
packages=(
    dovecot-imapd dovecot-submissiond dovecot-lmtpd
    gnome-keyring libsecret-tools dbus dbus-x11
    systemd
    msmtp isync neomutt aerc tmux
    git git-email libio-socket-ssl-perl libauthen-sasl-perl
    pass gnupg pinentry-curses
    openssl ca-certificates pkg-config libssl-dev
    curl
    bash-completion zsh fish
    dpkg-dev man-db
)

# cargo-deb, pinned to a version that builds with the toolchain here (rust-version 1.85).
CARGO_DEB_VERSION=3.8.0

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

section "Fuzzing: every target under fuzz/ briefly (scripts/fuzz.sh)"
# A crash fails the run. ICLOUD_SETUP_FUZZ_SECONDS sets the time per target (default 20);
# 0 leaves fuzzing out while working on the code.
fuzz_seconds=${ICLOUD_SETUP_FUZZ_SECONDS:-20}
if [ "$fuzz_seconds" = 0 ]; then
    echo "Fuzzing skipped (ICLOUD_SETUP_FUZZ_SECONDS=0)"
else
    timed bash scripts/fuzz.sh "$fuzz_seconds"
fi

if [ "${ICLOUD_SETUP_SKIP_PACKAGE:-0}" = 1 ]; then
    section "Packaging skipped (ICLOUD_SETUP_SKIP_PACKAGE=1)"
    section "All checks passed in $((SECONDS - started))s"
    exit 0
fi

section "cargo package --locked"
# A dirty checkout (a developer's edits) is packaged as it is; CI's checkout is clean.
allow_dirty=()
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then
    allow_dirty=(--allow-dirty)
fi
timed cargo package --locked "${allow_dirty[@]}"

section "Debian package (cargo-deb)"
if ! cargo deb --version >/dev/null 2>&1; then
    echo "Installing cargo-deb $CARGO_DEB_VERSION (it compiles; a few minutes)"
    timed cargo install --locked cargo-deb --version "$CARGO_DEB_VERSION"
fi
deb=$(bash scripts/package.sh | tail -n 1)
echo "Built: $deb"
if [ ! -f "$deb" ]; then
    echo "scripts/package.sh did not print the path of a .deb" >&2
    exit 1
fi
dpkg-deb --info "$deb" | sed -n '/Depends:/p'

if [ "$(id -u)" -ne 0 ] || ! command -v dpkg >/dev/null 2>&1; then
    echo "Not root (or no dpkg): the package is built but not installed and checked."
else
    if dpkg-query -W icloud-setup >/dev/null 2>&1; then
        echo "icloud-setup is already installed as a Debian package; not touching it." >&2
        exit 1
    fi
    # Whatever happens below, the package does not stay on the machine.
    trap 'dpkg -r icloud-setup >/dev/null 2>&1 || true' EXIT
    export DEBIAN_FRONTEND=noninteractive
    dpkg -i "$deb"

    echo "-- man -w icloud-setup"
    man -w icloud-setup
    man -w icloud-setup-export

    echo "-- icloud-setup --version"
    version=$(env -i PATH=/usr/bin:/bin icloud-setup --version)
    echo "$version"
    expected="icloud-setup $(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
    if [ "$version" != "$expected" ]; then
        echo "expected: $expected" >&2
        exit 1
    fi

    # What bash offers for LINE<Tab> with the installed script, loaded on demand by
    # bash-completion as in a login shell.
    bash_offers() {
        env -i PATH=/usr/bin:/bin HOME=/nonexistent bash -c '
            source /usr/share/bash-completion/bash_completion
            _completion_loader icloud-setup
            function=$(complete -p icloud-setup | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
            read -r -a COMP_WORDS <<< "$1"
            case "$1" in *" ") COMP_WORDS+=("") ;; esac
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE="$1"
            COMP_POINT=${#COMP_LINE}
            "$function" icloud-setup "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf "%s\n" "${COMPREPLY[@]}"
        ' bash "$1"
    }
    echo "-- bash completion of 'icloud-setup ex<TAB>'"
    offered=$(bash_offers "icloud-setup ex")
    echo "offered: $offered"
    if [ "$offered" != "export" ]; then
        echo "expected: export" >&2
        exit 1
    fi
    echo "-- bash completion of 'icloud-setup export <TAB>'"
    offered=$(bash_offers "icloud-setup export " | tr '\n' ' ')
    echo "offered: $offered"
    case " $offered " in
        *" msmtp "*) ;;
        *) echo "expected msmtp among them" >&2; exit 1 ;;
    esac

    dpkg -r icloud-setup
    trap - EXIT
    if command -v icloud-setup >/dev/null 2>&1; then
        echo "icloud-setup is still on the PATH after dpkg -r" >&2
        exit 1
    fi
fi

section "All checks passed in $((SECONDS - started))s"
