//! Where a mail client under test finds `icloud-setup` for the password command of an
//! exported file (`icloud-setup password EMAIL [--config PATH]`).
//!
//! STAND-IN: the `password` command is being written on the main branch and has not reached
//! this one yet. Until it does, the directory holds a small shell script named
//! `icloud-setup` that answers `password EMAIL` the way that command is specified (the
//! secret and a newline on standard output), reading the secret with `secret-tool` from the
//! test's private keyring. Once `password` is merged, [`dir`] returns the directory of the
//! real binary instead and this script goes away.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const STAND_IN: &str = r#"#!/bin/sh
# Test stand-in for `icloud-setup password EMAIL [--config PATH]`; see
# tests/support/password_command.rs.
email=
while [ "$#" -gt 0 ]; do
    case "$1" in
        --config) shift ;;
        password) ;;
        *) email=$1 ;;
    esac
    shift
done
secret=$(secret-tool lookup service icloud-setup username "$email") || exit 1
printf '%s\n' "$secret"
"#;

/// A directory to put first on a mail client's PATH, in which `icloud-setup password`
/// works. Created below `root`.
pub fn dir(root: &Path) -> PathBuf {
    let dir = root.join("password-command");
    std::fs::create_dir_all(&dir).expect("create the password command's directory");
    let script = dir.join("icloud-setup");
    std::fs::write(&script, STAND_IN).expect("write the password command stand-in");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
        .expect("make the stand-in executable");
    dir
}
