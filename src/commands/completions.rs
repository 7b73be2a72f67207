//! `icloud-setup completions SHELL`: the shell's completion script, generated from the
//! command-line definition (descriptions in the person's language).

use crate::commands::context::{Context, write_stdout};
use crate::error::Error;

/// Prints the completion script for `shell`.
pub fn run(ctx: &mut Context<'_>, shell: clap_complete::Shell) -> Result<(), Error> {
    let mut script = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::command_for_completions(),
        "icloud-setup",
        &mut script,
    );
    write_stdout(ctx, &String::from_utf8_lossy(&script))
}
