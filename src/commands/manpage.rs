//! The manual pages, generated from the command-line definition by clap_mangen, so `--help`
//! and `man icloud-setup` cannot drift apart.
//!
//! The main page adds what a man page has beyond `--help`: EXIT STATUS, FILES,
//! ENVIRONMENT, EXAMPLES and SEE ALSO, whose words come from [`messages`]. Each subcommand
//! gets a page of its own (`icloud-setup-export(1)` …), which the main page's list of
//! commands refers to. `scripts/package.sh` writes them at packaging time with
//! `cargo run --example manpage -- DIR` (a runner, not a command, so completions do not
//! offer it); nothing is written by hand or kept in the repository.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::messages;

/// The programs the SEE ALSO section names, with their manual sections.
const SEE_ALSO: [(&str, &str); 7] = [
    ("msmtp", "1"),
    ("mbsync", "1"),
    ("neomutt", "1"),
    ("aerc", "1"),
    ("git-send-email", "1"),
    ("gitcredentials", "7"),
    ("secret-tool", "1"),
];

/// The main page, `icloud-setup.1`, as roff.
pub(crate) fn main_page() -> io::Result<Vec<u8>> {
    let command = command();
    let man = Man::new(command.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    man.render_subcommands_section(&mut out)?;
    extra_sections().to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// Writes the main page and one page per visible subcommand into `dir`; their paths.
pub fn write_all(dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let main_path = dir.join("icloud-setup.1");
    std::fs::write(&main_path, main_page()?)?;
    written.push(main_path);
    let command = command();
    for sub in paged(&command) {
        let page = Man::new(sub.clone());
        let path = dir.join(page.get_filename());
        let mut file = std::fs::File::create(&path)?;
        page.render(&mut file)?;
        file.flush()?;
        written.push(path);
    }
    Ok(written)
}

/// The command line as the pages describe it: worded as `--help` is (the derived
/// definition alone has no texts), built, so subcommands carry their full names
/// (`icloud-setup-export`), and with the `help` command hidden: it has no page.
fn command() -> clap::Command {
    crate::cli::command().mut_subcommand("help", |help| help.hide(true))
}

/// The subcommands that get a page: every one but `help`, the hidden `git-credential`
/// included (the main page lists it under [`messages::manpage_heading_for_programs`]).
fn paged(command: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    command.get_subcommands().filter(|s| s.get_name() != "help")
}

fn extra_sections() -> Roff {
    let mut roff = Roff::default();

    // Commands that other programs run, hidden from `--help`'s list, which is for people.
    let command = command();
    let hidden: Vec<&clap::Command> = paged(&command).filter(|s| s.is_hide_set()).collect();
    if !hidden.is_empty() {
        roff.control("SH", [messages::manpage_heading_for_programs()]);
        for sub in hidden {
            roff.control("TP", []);
            roff.text([
                bold(
                    sub.get_bin_name()
                        .unwrap_or(sub.get_name())
                        .replace(' ', "-"),
                ),
                roman("(1)"),
            ]);
            roff.text([roman(
                sub.get_about().map(ToString::to_string).unwrap_or_default(),
            )]);
        }
    }

    roff.control("SH", [messages::manpage_heading_exit_status()]);
    roff.text([roman(messages::manpage_exit_status_intro())]);
    for (code, meaning) in messages::manpage_exit_codes() {
        roff.control("TP", []);
        roff.text([bold(code.to_string())]);
        roff.text([roman(meaning)]);
    }

    roff.control("SH", [messages::manpage_heading_files()]);
    for (path, meaning) in messages::manpage_files() {
        roff.control("TP", []);
        roff.text([italic(path)]);
        roff.text([roman(meaning)]);
    }

    roff.control("SH", [messages::manpage_heading_environment()]);
    for (name, meaning) in messages::manpage_environment() {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(meaning)]);
    }

    roff.control("SH", [messages::manpage_heading_examples()]);
    for (what, command) in messages::manpage_examples() {
        roff.control("TP", []);
        roff.text([roman(what)]);
        roff.control("EX", []);
        roff.text([roman(command)]);
        roff.control("EE", []);
    }

    roff.control("SH", [messages::manpage_heading_see_also()]);
    let mut line = Vec::new();
    for (i, (name, section)) in SEE_ALSO.iter().enumerate() {
        line.push(bold(*name));
        let separator = if i + 1 < SEE_ALSO.len() { "), " } else { ")" };
        line.push(roman(format!("({section}{separator}")));
    }
    roff.text(line);
    roff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn main_text() -> String {
        String::from_utf8(main_page().unwrap()).unwrap()
    }

    #[test]
    fn the_main_page_has_the_sections_beyond_help() {
        let page = main_text();
        for heading in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH OPTIONS",
            ".SH \"EXIT STATUS\"",
            ".SH FILES",
            ".SH ENVIRONMENT",
            ".SH EXAMPLES",
            ".SH \"SEE ALSO\"",
        ] {
            assert!(page.contains(heading), "{heading} missing:\n{page}");
        }
        for code in [
            "0", "2", "64", "65", "67", "69", "74", "75", "76", "77", "78", "130",
        ] {
            assert!(
                page.contains(&format!(".TP\n\\fB{code}\\fR\n")),
                "exit status {code} missing:\n{page}"
            );
        }
        for name in ["msmtp", "mbsync", "neomutt", "aerc", "secret\\-tool"] {
            assert!(
                page.contains(&format!("\\fB{name}\\fR(1")),
                "{name}:\n{page}"
            );
        }
        assert!(page.contains("ICLOUD_SETUP_CONFIG"), "{page}");
        assert!(
            page.contains("\\-\\-timeout"),
            "the options come from clap:\n{page}"
        );
    }

    #[test]
    fn every_command_the_main_page_lists_has_a_page() {
        let dir = tempfile::tempdir().unwrap();
        let written = write_all(dir.path()).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        let page = main_text();
        for sub in ["setup", "rotate", "check", "export", "completions"] {
            let name = format!("icloud-setup-{sub}.1");
            assert!(names.contains(&name), "{name} not in {names:?}");
            assert!(
                page.contains(&format!("icloud\\-setup\\-{sub}(1)")),
                "{sub}:\n{page}"
            );
        }
        assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
        let export = std::fs::read_to_string(dir.path().join("icloud-setup-export.1")).unwrap();
        assert!(export.contains("himalaya"), "{export}");
        // The client list names every client, from the one enumeration of them.
        for client in <crate::export::Client as clap::ValueEnum>::value_variants() {
            let value = clap::ValueEnum::to_possible_value(client).unwrap();
            assert!(export.contains(value.get_name()), "{client:?}:\n{export}");
        }
    }

    #[test]
    fn the_pages_carry_the_help_texts() {
        // Regression: the pages were made from the derived definition alone, which has
        // no texts, so every command's line in the list was empty.
        let page = main_text();
        assert!(
            page.contains("Print a ready configuration for msmtp"),
            "{page}"
        );
        assert!(page.contains("Live\\-test saved accounts"), "{page}");
    }

    #[test]
    fn git_credential_has_a_page_and_its_own_heading_on_the_main_page() {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path()).unwrap();
        let own = std::fs::read_to_string(dir.path().join("icloud-setup-git-credential.1"))
            .expect("a page for git-credential");
        assert!(own.contains("gitcredentials(7)"), "{own}");
        let page = main_text();
        let section = page
            .split(".SH \"FOR OTHER PROGRAMS\"")
            .nth(1)
            .unwrap_or_else(|| panic!("no FOR OTHER PROGRAMS section:\n{page}"));
        let section = section.split(".SH").next().unwrap();
        assert!(
            section.contains("icloud\\-setup\\-git\\-credential"),
            "{section}"
        );
        assert!(page.contains("\\fBgit\\-send\\-email\\fR(1"), "{page}");
        assert!(page.contains("icloud\\-setup export git"), "{page}");
    }
}
