//! Writes the manual pages (`icloud-setup.1` and one per command) into a directory:
//! `cargo run --example manpage -- DIR`. `scripts/package.sh` runs it for the Debian package;
//! the pages come from the command-line definition (`icloud_setup::commands::manpage`).
// A build-time tool run by `scripts/package.sh`: `eprintln!` is its plain way to fail.
#![allow(clippy::print_stderr)]

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cargo run --example manpage -- DIR");
        return ExitCode::from(2);
    };
    match icloud_setup::commands::manpage::write_all(&dir) {
        Ok(written) => {
            let mut out = std::io::stdout().lock();
            for path in written {
                // The list is for the person running it; a closed pipe loses nothing.
                let _ = writeln!(out, "{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "error: cannot write the manual pages into {}: {error}",
                dir.display()
            );
            ExitCode::from(74)
        }
    }
}
