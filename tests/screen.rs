//! The screen as a person sees it (issue 18.16): the real binary in a pseudo-terminal of 40,
//! 80 and 120 columns, its output fed to a terminal emulator (`vt100`), in English and
//! German. Questions and menu items break between words, and moving through the menu leaves
//! no stale line behind.

use crate::support;

use icloud_setup::language::{self, Language};
use support::binary::{ENGLISH, GERMAN, Sandbox};
use support::pty::Screen;

const WIDTHS: [u16; 3] = [40, 80, 120];
const ROWS: u16 = 50;

fn languages() -> [(&'static str, Language); 2] {
    [(ENGLISH, Language::English), (GERMAN, Language::German)]
}

/// The program in a terminal of `cols` columns (and [`ROWS`] rows), in `locale`.
fn in_terminal(program: &std::process::Command, cols: u16, locale: &str) -> std::process::Command {
    let script =
        format!(r#"trap : INT; stty rows {ROWS} cols {cols} echo; "$@"; echo "exit-code=$?""#);
    let mut shell = support::pty::wrapped_in(&script, program, "xterm");
    shell.env("LANG", locale);
    shell
}

/// `text` as the pty reader shows it (one char per byte), to wait for.
fn as_seen(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// The rows of the emulated screen after everything seen so far, trailing blanks trimmed.
fn rows(seen: &str, cols: u16) -> Vec<String> {
    let mut parser = vt100::Parser::new(ROWS, cols, 0);
    // The pty reader hands every byte over as one char: back to the bytes written.
    let bytes: Vec<u8> = seen
        .chars()
        .map(|c| u8::try_from(c).unwrap_or(b'?'))
        .collect();
    parser.process(&bytes);
    parser
        .screen()
        .rows(0, cols)
        .map(|row| row.trim_end().to_string())
        .collect()
}

/// The words on screen, in order (rows joined with spaces: a word cut at a row's end shows
/// up as two).
fn words_on(rows: &[String]) -> Vec<String> {
    rows.join(" ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Whether `text`'s words appear on screen in order as whole, consecutive words.
fn shown_whole(rows: &[String], text: &str) -> bool {
    let screen = words_on(rows);
    let wanted: Vec<&str> = text.split_whitespace().collect();
    screen
        .windows(wanted.len())
        .any(|window| window.iter().map(String::as_str).eq(wanted.iter().copied()))
}

fn fail(what: &str, cols: u16, locale: &str, rows: &[String]) -> String {
    format!(
        "{what} at {cols} columns in {locale}; the screen:\n{}",
        rows.iter()
            .map(|r| format!("|{r}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

#[test]
fn questions_break_between_words_at_40_80_and_120_columns_in_both_languages() {
    for (locale, language) in languages() {
        language::pin_for_this_thread(language);
        let welcome = icloud_setup::messages::t!("welcome");
        let ask_name = icloud_setup::messages::t!("ask-name");
        for cols in WIDTHS {
            let dir = tempfile::tempdir().unwrap();
            let sandbox = Sandbox::without_keyring(dir.path());
            let mut screen = Screen::start(in_terminal(&sandbox.command(), cols, locale));
            screen.expect("iCloud");
            screen.type_line("alice@icloud.com");
            let last_word = ask_name.split_whitespace().last().unwrap();
            screen.expect(&as_seen(&format!("{last_word}: ")));
            let shown = rows(&screen.seen, cols);
            assert!(
                shown_whole(&shown, &welcome),
                "{}",
                fail("the welcome text is cut", cols, locale, &shown)
            );
            assert!(
                shown_whole(&shown, &format!("{ask_name}:")),
                "{}",
                fail("the name question is cut", cols, locale, &shown)
            );
            // Typing at a question that spans rows keeps it whole on screen.
            screen.type_text("Alice Example");
            // Home redraws the question's last row and the text in one piece: wait for it.
            screen.type_text("\u{1}");
            screen.expect("Alice Example");
            let shown = rows(&screen.seen, cols);
            // The typed text itself runs on at the terminal's edge, as in a shell.
            assert!(
                shown_whole(&shown, &format!("{ask_name}:"))
                    && shown.concat().contains("Alice Example"),
                "{}",
                fail("the typed name and its question", cols, locale, &shown)
            );
            screen.ctrl_c();
            screen.expect("exit-code=130");
        }
    }
    language::pin_for_this_thread(Language::English);
}

#[test]
fn the_menu_leaves_no_stale_line_after_arrow_keys_at_40_80_and_120_columns() {
    for (locale, language) in languages() {
        language::pin_for_this_thread(language);
        let items = [
            icloud_setup::messages::t!("menu-rotate"),
            icloud_setup::messages::t!("menu-check"),
            icloud_setup::messages::t!("menu-add"),
            icloud_setup::messages::t!("menu-remove"),
        ];
        let question = icloud_setup::messages::t!("ask-menu");
        for cols in WIDTHS {
            let dir = tempfile::tempdir().unwrap();
            let sandbox = Sandbox::without_keyring(dir.path());
            std::fs::create_dir_all(sandbox.config_path.parent().unwrap()).unwrap();
            std::fs::write(&sandbox.config_path, support::SAVED_CONFIG).unwrap();
            let mut screen = Screen::start(in_terminal(&sandbox.command(), cols, locale));
            // Each drawing of the menu ends with its last item, "Quit": wait for it.
            let quit = as_seen(&icloud_setup::messages::t!("option-quit"));
            screen.expect(&as_seen(&question));
            screen.expect(&quit);
            for key in [
                "\u{1b}[B", "\u{1b}[B", "\u{1b}[B", "\u{1b}[A", "\u{1b}[B", "\u{1b}[B",
            ] {
                screen.type_text(key);
                screen.expect(&quit);
            }
            let shown = rows(&screen.seen, cols);
            let text = words_on(&shown).join(" ");
            for item in &items {
                assert!(
                    shown_whole(&shown, item),
                    "{}",
                    fail(&format!("{item:?} is cut"), cols, locale, &shown)
                );
                // Each item once: a stale copy of a redraw would show it twice.
                let first_words: Vec<&str> = item.split_whitespace().take(3).collect();
                let count = text.matches(&first_words.join(" ")).count();
                assert_eq!(
                    count,
                    1,
                    "{}",
                    fail(
                        &format!("{item:?} shown {count} times"),
                        cols,
                        locale,
                        &shown
                    )
                );
            }
            assert_eq!(
                text.matches(&question).count(),
                1,
                "{}",
                fail("the question repeated", cols, locale, &shown)
            );
            screen.esc();
            screen.expect("exit-code=130");
        }
    }
    language::pin_for_this_thread(Language::English);
}

#[test]
fn the_settings_table_keeps_its_columns_at_40_and_80_columns_in_both_languages() {
    for (locale, language) in languages() {
        language::pin_for_this_thread(language);
        let table = icloud_setup::messages::settings_table(
            &icloud_setup::plan::Servers::default(),
            None,
            None,
        );
        for cols in [40, 80] {
            let dir = tempfile::tempdir().unwrap();
            let sandbox = Sandbox::without_keyring(dir.path());
            let mut command = sandbox.command();
            command.arg("settings");
            let mut screen = Screen::start(in_terminal(&command, cols, locale));
            screen.expect("exit-code=0");
            let shown = rows(&screen.seen, cols);
            for row in table.lines().filter(|row| !row.trim().is_empty()) {
                assert!(
                    shown_whole(&shown, row),
                    "{}",
                    fail(&format!("{row:?} is cut"), cols, locale, &shown)
                );
            }
            // Every row that continues a `Label:  value` row starts under the value.
            let mut value_column = None;
            for row in &shown {
                let indent = row.len() - row.trim_start().len();
                match row.find(":  ") {
                    Some(colon) if indent > 0 => {
                        let after = &row[colon + 1..];
                        value_column = Some(
                            console::measure_text_width(&row[..=colon]) + after.len()
                                - after.trim_start().len(),
                        );
                    }
                    _ if indent > 2 => assert_eq!(
                        Some(indent),
                        value_column,
                        "{}",
                        fail(
                            &format!("{row:?} is out of its column"),
                            cols,
                            locale,
                            &shown
                        )
                    ),
                    _ => value_column = None,
                }
            }
        }
    }
    language::pin_for_this_thread(Language::English);
}
