//! `icloud-setup completions SHELL`, completed by the real shells: the script the binary
//! prints is loaded into bash, fish and zsh, which are then asked what they offer for a
//! partly typed command line, the way they ask when Tab is pressed (zsh really gets the
//! Tab, in a pseudo-terminal).
//!
//! The bash cases guard against clap_complete's mislabelled states (clap-rs/clap#6421):
//! there, only the first word completed.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::binary::binary_path;
use support::peers;

/// The script `icloud-setup completions SHELL` prints, saved in `dir`.
fn script(dir: &Path, shell: &str) -> PathBuf {
    let output = Command::new(binary_path())
        .args(["completions", shell])
        .env("NO_COLOR", "1")
        .output()
        .expect("run icloud-setup completions");
    assert!(
        output.status.success(),
        "completions {shell}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = dir.join(format!("icloud-setup.{shell}"));
    std::fs::write(&path, &output.stdout).expect("save the script");
    path
}

/// Runs `program args…` and returns its standard output, which must be a success.
fn run(program: &Path, args: &[&str], dir: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .env_clear()
        .env("HOME", dir)
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "dumb")
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    assert!(
        output.status.success(),
        "{} {args:?} failed:\n{}\n{}",
        program.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// What bash's completion offers for `line` (a Tab at its end), using the function the
/// sourced script registered with `complete` for icloud-setup.
fn bash_offers(bash: &Path, script: &Path, dir: &Path, line: &str) -> Vec<String> {
    let program = r#"
        source "$1" || exit 1
        function=$(complete -p icloud-setup | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
        [ -n "$function" ] || { echo "icloud-setup has no completion function" >&2; exit 1; }
        read -r -a COMP_WORDS <<< "$2"
        case "$2" in *' ') COMP_WORDS+=("") ;; esac
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE="$2"
        COMP_POINT=${#COMP_LINE}
        previous=""
        [ "$COMP_CWORD" -gt 0 ] && previous="${COMP_WORDS[COMP_CWORD-1]}"
        "$function" icloud-setup "${COMP_WORDS[COMP_CWORD]}" "$previous"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let script = script.to_str().expect("UTF-8 path");
    run(bash, &["-c", program, "bash", script, line], dir)
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn assert_offers(offered: &[String], expected: &[&str], line: &str) {
    for word in expected {
        assert!(
            offered.iter().any(|o| o == word),
            "`{line}<Tab>` should offer {word}; offered {offered:?}"
        );
    }
}

#[test]
fn bash_completes_commands_their_arguments_and_their_options() {
    let Some(bash) = peers::require_program("bash", "completes with the bash script") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), "bash");
    let clients = support::export_clients();
    let clients: Vec<&str> = clients.iter().map(String::as_str).collect();
    let cases: &[(&str, &[&str])] = &[
        ("icloud-setup ex", &["export"]),
        (
            "icloud-setup ",
            &["setup", "rotate", "check", "export", "completions"],
        ),
        ("icloud-setup export ", &clients),
        ("icloud-setup export --is", &["--isync"]),
        ("icloud-setup export --isync ", &["1.4", "1.5"]),
        ("icloud-setup rotate --pass", &["--password-stdin"]),
        ("icloud-setup completions ", &["bash", "zsh", "fish"]),
        ("icloud-setup status --j", &["--json"]),
    ];
    for (line, expected) in cases {
        let offered = bash_offers(&bash, &script, dir.path(), line);
        assert_offers(&offered, expected, line);
    }
    // Only what fits: the export arguments are not offered after `rotate`.
    let offered = bash_offers(&bash, &script, dir.path(), "icloud-setup rotate --");
    assert!(
        !offered.iter().any(|o| o == "--isync"),
        "`rotate --` offered export's --isync: {offered:?}"
    );
    assert_eq!(
        bash_offers(&bash, &script, dir.path(), "icloud-setup exp"),
        ["export"]
    );
}

#[test]
fn fish_completes_commands_their_options_and_option_values() {
    let Some(fish) = peers::require_program("fish", "completes with the fish script") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let script = script(dir.path(), "fish");
    let script = script.to_str().expect("UTF-8 path");
    let offers = |line: &str| -> Vec<String> {
        let program = format!("source {script}; complete --do-complete '{line}'");
        run(&fish, &["--no-config", "-c", &program], dir.path())
            .lines()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect()
    };
    assert_offers(&offers("icloud-setup ex"), &["export"], "icloud-setup ex");
    // clap_complete's fish script does not complete positional values (the client after
    // `export`), only commands, options and option values.
    assert_offers(
        &offers("icloud-setup export --isync "),
        &["1.4", "1.5"],
        "icloud-setup export --isync ",
    );
    assert_offers(
        &offers("icloud-setup export --is"),
        &["--isync"],
        "icloud-setup export --is",
    );
    assert_offers(
        &offers("icloud-setup rotate --pass"),
        &["--password-stdin"],
        "icloud-setup rotate --pass",
    );
}

/// Drives an interactive zsh in a pseudo-terminal (zsh's own `zpty`): loads the script
/// through `compinit` as an installed `_icloud-setup` would be, types `$3` and Tab, and
/// writes every candidate the completion adds, one a line, into `$2`. Each command waits
/// until the shell has run it, so Tab reaches the line editor, not a half-started shell;
/// after Tab it waits for the completion to end (`comppostfuncs` leaves `$2.done`) before
/// typing on, so nothing is typed ahead of it.
const ZSH_CAPTURE: &str = r#"
zmodload zsh/zpty || exit 3
integer step=0
run() {
    step+=1
    zpty -w z "$1; echo __S${step}''__"
    zpty -r z _ "*__S${step}__*" || exit 4
}
zpty z zsh -f -i
run "PS1='' RPS1=''"
run "fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
run "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a hits; builtin compadd -A hits \"\$@\"; (( \$#hits )) || return 1; print -rl -- \$hits >> ${(q)2}; }"
run "completed() { : > ${(q)2}.done; }; zle -N capture-complete _capture_complete; _capture_complete() { comppostfuncs=(completed); zle complete-word; }; bindkey '^I' capture-complete"
zpty -n -w z "$3"$'\t'
integer waited=0
while [[ ! -e $2.done ]] && (( waited < 400 )); do sleep 0.05; waited+=1; done
[[ -e $2.done ]] || exit 5
run $'\C-u'"true"
zpty -d z
"#;

#[test]
fn zsh_completes_commands_their_arguments_and_their_options() {
    let Some(zsh) = peers::require_program("zsh", "completes with the zsh script") else {
        return;
    };
    let timeout = peers::find_program("timeout").expect("coreutils' timeout");
    let dir = tempfile::tempdir().unwrap();
    let functions = dir.path().join("functions");
    std::fs::create_dir(&functions).unwrap();
    std::fs::rename(script(dir.path(), "zsh"), functions.join("_icloud-setup")).unwrap();
    let offers = |line: &str| -> Vec<String> {
        let out = dir.path().join("offered");
        let _ = std::fs::remove_file(&out);
        let _ = std::fs::remove_file(dir.path().join("offered.done"));
        let zsh = zsh.to_str().expect("UTF-8 path");
        let functions = functions.to_str().expect("UTF-8 path");
        let out_path = out.to_str().expect("UTF-8 path");
        run(
            &timeout,
            &[
                "30",
                zsh,
                "-f",
                "-c",
                ZSH_CAPTURE,
                "zsh",
                functions,
                out_path,
                line,
            ],
            dir.path(),
        );
        std::fs::read_to_string(&out)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    };
    assert_eq!(offers("icloud-setup ex"), ["export"]);
    let clients = support::export_clients();
    let clients: Vec<&str> = clients.iter().map(String::as_str).collect();
    assert_offers(
        &offers("icloud-setup export "),
        &clients,
        "icloud-setup export ",
    );
    assert_offers(
        &offers("icloud-setup export --is"),
        &["--isync"],
        "icloud-setup export --is",
    );
    assert_offers(
        &offers("icloud-setup rotate --pass"),
        &["--password-stdin"],
        "icloud-setup rotate --pass",
    );
}
