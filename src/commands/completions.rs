//! `icloud-setup completions SHELL`: the completion script clap_complete writes for the
//! command line (descriptions in the person's language), with one repair for bash.
//!
//! clap_complete 4.6's bash script spells its states two ways when the program's name has a
//! `-` in it (clap-rs/clap#6421, still open): the loop that walks the typed words moves to
//! `icloud__setup__subcmd__export`, while the `case` that completes a state is labelled
//! `icloud__subcmd__setup__subcmd__export`, because that side escapes the `-` of the program
//! name with the subcommand separator. No label matches, so nothing after the first word
//! completes. [`script`] relabels the `case` arms the way the loop spells them; when clap
//! fixes it upstream the repair finds nothing to change. zsh and fish keep the name as it is
//! and need nothing.

use clap_complete::Shell;

use crate::commands::context::{Context, write_stdout};
use crate::error::Error;

/// The name the scripts complete, as installed.
pub(crate) const BIN_NAME: &str = "icloud-setup";

/// Prints the completion script for `shell`.
pub(crate) fn run(ctx: &mut Context<'_>, shell: Shell) -> Result<(), Error> {
    write_stdout(ctx, &script(shell))
}

/// The completion script for `shell`.
pub(crate) fn script(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::command_for_completions(),
        BIN_NAME,
        &mut out,
    );
    let text = String::from_utf8(out).expect("clap_complete writes UTF-8");
    match shell {
        Shell::Bash => repair_bash(&text, BIN_NAME),
        _ => text,
    }
}

/// Relabels the `case` arms of a clap_complete bash script for `bin_name` the way its word
/// loop spells the states (`-` → `__`, not `-` → `__subcmd__`).
fn repair_bash(script: &str, bin_name: &str) -> String {
    if !bin_name.contains('-') {
        return script.to_string();
    }
    let wrong = bin_name.replace('-', "__subcmd__");
    let right = bin_name.replace('-', "__");
    script
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            // Only a `case` label: `        icloud__subcmd__setup__subcmd__export)`.
            if trimmed.starts_with(&format!("{wrong}__subcmd__")) && trimmed.ends_with(')') {
                line.replacen(&wrong, &right, 1)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + if script.ends_with('\n') { "\n" } else { "" }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The states the bash word loop moves to (`cmd="…"`) and the labels the script
    /// completes (`…)` at the start of a line inside `case "${cmd}"`).
    fn states_and_labels(script: &str) -> (Vec<String>, Vec<String>) {
        let states = script
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cmd=\""))
            .filter_map(|l| l.strip_suffix('"'))
            .filter(|state| !state.is_empty())
            .map(String::from)
            .collect();
        let labels = script
            .lines()
            .filter(|l| l.starts_with("        ") && !l.starts_with("         "))
            .map(str::trim)
            .filter_map(|l| l.strip_suffix(')'))
            .filter(|l| !l.contains(['"', ',', '*', ' ']))
            .map(String::from)
            .collect();
        (states, labels)
    }

    #[test]
    fn every_bash_state_has_a_case_that_completes_it() {
        let script = script(Shell::Bash);
        let (states, labels) = states_and_labels(&script);
        assert!(states.contains(&"icloud__setup__subcmd__export".to_string()));
        for state in &states {
            assert!(
                labels.contains(state),
                "no case for {state}; labels: {labels:?}"
            );
        }
    }

    /// Guards the test above: clap_complete's own output has the mismatch this module
    /// repairs, so the check would catch it if the repair stopped working.
    #[test]
    fn the_unrepaired_bash_script_has_states_without_a_case() {
        let mut out = Vec::new();
        clap_complete::generate(
            Shell::Bash,
            &mut crate::cli::command_for_completions(),
            BIN_NAME,
            &mut out,
        );
        let raw = String::from_utf8(out).unwrap();
        let (states, labels) = states_and_labels(&raw);
        let missing: Vec<_> = states.iter().filter(|s| !labels.contains(s)).collect();
        if missing.is_empty() {
            // clap_complete fixed it upstream: the repair must then change nothing.
            assert_eq!(repair_bash(&raw, BIN_NAME), raw);
        } else {
            assert!(missing.iter().any(|s| s.ends_with("__subcmd__export")));
        }
    }

    #[test]
    fn a_name_without_a_dash_is_left_alone() {
        let text = "        tool__subcmd__x)\n";
        assert_eq!(repair_bash(text, "tool"), text);
    }
}
