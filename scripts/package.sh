#!/usr/bin/env bash
# Builds the Debian package: target/debian/icloud-setup_VERSION-1_ARCH.deb.
#
# 1. The release binary (`cargo build --release --locked`).
# 2. What the package holds beside it, generated, never written by hand: the completions
#    from `icloud-setup completions bash|zsh|fish`, and the man pages (icloud-setup.1 and
#    one per command) from the command-line definition via `cargo run --example manpage`.
#    They go to target/release/package/, where [package.metadata.deb] in Cargo.toml
#    expects them (cargo-deb reads `target/release/` as the real target directory).
# 3. `cargo deb --no-build`, which adds README, CHANGELOG and the licenses and computes the
#    dependencies with dpkg-shlibdeps.
#
# Needs cargo-deb (`cargo install --locked cargo-deb`) and dpkg-dev. Prints the .deb's path
# as its last line. Extra arguments go to `cargo deb`, e.g. `--output DIR`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
    echo "cargo-deb not found: cargo install --locked cargo-deb" >&2
    exit 1
fi

# Where Cargo really puts target/ (CARGO_TARGET_DIR, build.target-dir or ./target).
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
    grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
staging="$target_dir/release/package"

cargo build --release --locked
binary="$target_dir/release/icloud-setup"

rm -rf "$staging"
mkdir -p "$staging/completions" "$staging/man"
"$binary" completions bash >"$staging/completions/icloud-setup"
"$binary" completions zsh >"$staging/completions/_icloud-setup"
"$binary" completions fish >"$staging/completions/icloud-setup.fish"
cargo run --quiet --locked --example manpage -- "$staging/man" >/dev/null
# Debian keeps man pages gzipped; cargo-deb leaves files from target/ as they are.
gzip -9n "$staging"/man/*.1

cargo deb --no-build --locked "$@" | tail -n 1
