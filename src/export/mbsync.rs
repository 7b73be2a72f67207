//! mbsync (isync): an IMAP account, a Maildir under `~/Mail/EMAIL/` and a channel that syncs
//! the account's folders into it, whatever they are called, and never `Notes`. Checked against isync 1.4.4 (Debian 12) and the isync 1.5
//! manual; the two differ here only in `SSLType` (1.4) versus `TLSType` (1.5), so the syntax
//! is chosen by `--isync` or by asking the installed `mbsync --version` ([`detect`], the one
//! place that runs a program).
//!
//! isync reads whitespace-separated arguments; one with spaces, quotes or backslashes goes in
//! double quotes with `"` and `\` backslash-escaped. `PassCmd` runs its argument with the
//! shell. Names of accounts, stores and channels are used bare on the command line and in
//! `:store:` references, so they are kept to characters that need no quoting.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::config::Security;
use crate::export::Note;

use super::quote::shell_word;
use super::{ExportInput, IsyncChoice, IsyncSource, IsyncSyntax, comment_block};

/// The channel's `Patterns`: every folder the account has, whatever it is called, except
/// Apple Notes kept over IMAP (`Notes` and what is inside it), which is not mail.
/// (`\Noselect` folders hold no mail; mbsync skips them by itself.)
const PATTERNS: [&str; 3] = ["*", "!Notes", "!Notes/*"];

pub(crate) fn render(input: &ExportInput<'_>) -> String {
    let account = input.account;
    let imap = &account.imap;
    let name = identifier(&account.email);
    let syntax = input.isync.syntax;
    // `~` stays outside the quotes so that the shell and isync both expand it.
    let maildir_shell = format!("~/Mail/{}", shell_word(&account.email));
    let maildir = format!("~/Mail/{}/", account.email);

    let header = [
        input.words.say(Note::Title {
            client: "mbsync",
            email: &account.email,
            command: "icloud-setup export mbsync",
        }),
        input.words.say(Note::IsyncSyntax {
            syntax: syntax.as_str(),
            source: &input.isync.source,
        }),
        input.words.say(Note::MbsyncSteps {
            newest_syntax: syntax == IsyncSyntax::V1_5,
            mkdir_command: &format!("mkdir -p {maildir_shell}"),
            sync_command: &format!("mbsync {name}"),
        }),
        input.words.say(Note::PasswordCommand {
            client: "mbsync",
            command: &input.password_command.shell_line(),
            program: input.password_command.program().path(),
            per_use: true,
        }),
    ];
    let mut header = header.join("\n\n");
    if let Some(ca) = &input.ca_file {
        header.push_str("\n\n");
        header.push_str(&input.words.say(Note::CaAdded { path: ca }));
    }

    let tls_keyword = match syntax {
        IsyncSyntax::V1_4 => "SSLType",
        IsyncSyntax::V1_5 => "TLSType",
    };
    let tls_mode = match imap.security {
        Security::Tls => "IMAPS",
        Security::Starttls => "STARTTLS",
    };

    let mut account_section = vec![
        ("IMAPAccount", name.clone()),
        ("Host", argument(&imap.host)),
        ("Port", imap.port.to_string()),
        ("User", argument(&imap.username)),
        ("PassCmd", argument(&input.password_command.shell_line())),
        (tls_keyword, tls_mode.to_string()),
        // The IMAP LOGIN command, which iCloud accepts where AUTHENTICATE PLAIN has failed.
        ("AuthMechs", "LOGIN".to_string()),
        // iCloud misbehaves with pipelined IMAP commands.
        ("PipelineDepth", "1".to_string()),
    ];
    if let Some(ca) = &input.ca_file {
        account_section.push(("CertificateFile", argument(ca)));
    }
    let patterns: Vec<String> = PATTERNS.iter().map(|f| argument(f)).collect();
    let sections = [
        account_section,
        vec![
            ("IMAPStore", format!("{name}-remote")),
            ("Account", name.clone()),
        ],
        vec![
            ("MaildirStore", format!("{name}-local")),
            ("Path", argument(&maildir)),
            ("Inbox", argument(&format!("{maildir}INBOX"))),
            ("SubFolders", "Verbatim".to_string()),
        ],
        vec![
            ("Channel", name.clone()),
            ("Far", format!(":{name}-remote:")),
            ("Near", format!(":{name}-local:")),
            ("Patterns", patterns.join(" ")),
            ("Create", "Near".to_string()),
            ("SyncState", "*".to_string()),
        ],
    ];
    // A blank line ends a section.
    let body: Vec<String> = sections
        .iter()
        .map(|lines| {
            lines.iter().fold(String::new(), |mut text, (key, value)| {
                text.push_str(&format!("{key} {value}\n"));
                text
            })
        })
        .collect();
    format!("{}\n{}", comment_block(&header), body.join("\n"))
}

/// `value` as one isync argument.
fn argument(value: &str) -> String {
    let bare = !value.is_empty()
        && !value.starts_with('#')
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '\\');
    if bare {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', r"\\").replace('"', r#"\""#))
    }
}

/// A name for the account, stores and channel: the address, with anything that would need
/// quoting (or end a `:store:` reference) replaced.
fn identifier(email: &str) -> String {
    email
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@._+-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// How long `mbsync --version` may take: it answers at once, so this is only the bound for
/// one that hangs (a wrapper script waiting on a network drive, a broken build).
pub(crate) const VERSION_WAIT: Duration = Duration::from_secs(3);

/// Most characters of an answer without a version that the file's comment quotes.
const ANSWER_SHOWN_CHARS: usize = 100;

/// Most bytes of its answer that are read: "isync 1.4.4" and a newline are a dozen.
const VERSION_ANSWER_CAP: u64 = 4096;

/// The syntax of the installed mbsync, from `mbsync --version` ("isync 1.4.4"); the newest
/// when there is no mbsync, its answer has no version, or it does not answer within
/// [`VERSION_WAIT`] (it is then killed, with anything it started).
pub(crate) fn detect() -> IsyncChoice {
    detect_with(VERSION_WAIT)
}

fn detect_with(wait: Duration) -> IsyncChoice {
    let mut command = Command::new("mbsync");
    command
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group, so that a wrapper and whatever it started die together.
        command.process_group(0);
    }
    let Ok(mut child) = command.spawn() else {
        return IsyncChoice {
            syntax: IsyncSyntax::NEWEST,
            source: IsyncSource::NotInstalled,
        };
    };
    let (sender, answer) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stdout.take(VERSION_ANSWER_CAP).read_to_end(&mut bytes);
            let _ = sender.send(bytes);
        });
    }
    let answer = answer.recv_timeout(wait);
    if answer.is_err() || matches!(child.try_wait(), Ok(None)) {
        stop(&mut child);
    }
    let _ = child.wait();
    match answer {
        Ok(bytes) => choose(&String::from_utf8_lossy(&bytes)),
        Err(_) => IsyncChoice {
            syntax: IsyncSyntax::NEWEST,
            source: IsyncSource::NoAnswer {
                waited_secs: wait.as_secs(),
            },
        },
    }
}

/// Kills `child`'s process group (it leads one, see `detect_with`), or `child` alone.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    let _ = child.kill();
}

/// The choice for what `mbsync --version` printed.
fn choose(answer: &str) -> IsyncChoice {
    // The version is on the first line; an answer that goes on is not quoted whole.
    let first_line = answer.trim().lines().next().unwrap_or("");
    let answer = match first_line.char_indices().nth(ANSWER_SHOWN_CHARS) {
        // `cut` comes from `char_indices`: always a character boundary.
        Some((cut, _)) => &first_line[..cut],
        None => first_line,
    };
    match parse_version(answer) {
        Some((version, major, minor)) => {
            let syntax = if (major, minor) >= (1, 5) {
                IsyncSyntax::V1_5
            } else {
                IsyncSyntax::V1_4
            };
            let source = if (major, minor) < (1, 4) {
                IsyncSource::TooOld { version }
            } else {
                IsyncSource::Installed { version }
            };
            IsyncChoice { syntax, source }
        }
        None => IsyncChoice {
            syntax: IsyncSyntax::NEWEST,
            source: IsyncSource::Unrecognized {
                answer: answer.to_string(),
            },
        },
    }
}

/// The first word that looks like a version (`1.4.4`, `1.5.0-rc1`) with its major and minor
/// numbers.
fn parse_version(answer: &str) -> Option<(String, u32, u32)> {
    answer.split_whitespace().find_map(|word| {
        let mut numbers = word.split(['.', '-']);
        let major = numbers.next()?.parse().ok()?;
        let minor = numbers.next()?.parse().ok()?;
        Some((word.to_string(), major, minor))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Account;
    use crate::export::test_input::account;

    fn render_with(account: &Account, choice: IsyncChoice, config: Option<&str>) -> String {
        render(&ExportInput {
            isync: choice,
            ..crate::export::test_input::input(account, config, Some("/etc/ssl/my ca.pem"))
        })
    }

    fn settings(text: &str) -> Vec<&str> {
        text.lines().filter(|l| !l.starts_with('#')).collect()
    }

    #[test]
    fn isync_1_4_says_ssltype_and_1_5_says_tlstype() {
        let account = account();
        let old = render_with(&account, IsyncChoice::from_flag(IsyncSyntax::V1_4), None);
        assert!(settings(&old).contains(&"SSLType IMAPS"), "{old}");
        assert!(!old.contains("TLSType"));
        let new = render_with(&account, IsyncChoice::from_flag(IsyncSyntax::V1_5), None);
        assert!(settings(&new).contains(&"TLSType IMAPS"), "{new}");
        assert!(!settings(&new).iter().any(|l| l.starts_with("SSLType")));
    }

    #[test]
    fn the_account_has_the_saved_login_no_pipelining_and_every_folder_but_notes() {
        let account = account();
        let text = render_with(
            &account,
            IsyncChoice::from_flag(IsyncSyntax::V1_4),
            Some("/home/j/my \"mail\"/c.toml"),
        );
        let lines = settings(&text);
        for expected in [
            "IMAPAccount johnappleseed@icloud.com",
            "Host imap.mail.me.com",
            "Port 993",
            "User johnappleseed",
            "AuthMechs LOGIN",
            "PipelineDepth 1",
            "CertificateFile \"/etc/ssl/my ca.pem\"",
            "Path ~/Mail/johnappleseed@icloud.com/",
            "Inbox ~/Mail/johnappleseed@icloud.com/INBOX",
            "Far :johnappleseed@icloud.com-remote:",
            "Near :johnappleseed@icloud.com-local:",
            "Patterns * !Notes !Notes/*",
        ] {
            assert!(
                lines.contains(&expected),
                "{expected} missing from:\n{text}"
            );
        }
        // The shell line is quoted for sh, then " and \ escaped for isync.
        assert!(
            lines.contains(
                &r#"PassCmd "/usr/bin/icloud-setup password johnappleseed@icloud.com --config '/home/j/my \"mail\"/c.toml'""#
            ),
            "{text}"
        );
        // The CA belongs to the account section, which a blank line would have ended.
        let account_section = text
            .split("\n\n")
            .find(|s| s.starts_with("IMAPAccount"))
            .unwrap();
        assert!(account_section.contains("CertificateFile"), "{text}");
        assert!(text.contains("#   mkdir -p ~/Mail/johnappleseed@icloud.com\n"));
        assert!(text.contains("#   mbsync johnappleseed@icloud.com\n"));
        assert!(text.ends_with("SyncState *\n"));
    }

    #[test]
    fn the_comment_says_how_the_syntax_was_chosen() {
        let account = account();
        let missing = IsyncChoice {
            syntax: IsyncSyntax::V1_5,
            source: IsyncSource::NotInstalled,
        };
        let text = render_with(&account, missing, None);
        assert!(text.contains("mbsync is not installed here"), "{text}");
        assert!(text.contains("--isync 1.4"), "{text}");
        let installed = render_with(&account, choose("isync 1.4.4\n"), None);
        assert!(
            installed.contains("the installed mbsync is isync 1.4.4"),
            "{installed}"
        );
    }

    #[test]
    fn the_installed_version_picks_the_syntax() {
        assert_eq!(choose("isync 1.4.4").syntax, IsyncSyntax::V1_4);
        assert_eq!(choose("isync 1.5.1\n").syntax, IsyncSyntax::V1_5);
        assert_eq!(choose("isync 1.6.0").syntax, IsyncSyntax::V1_5);
        assert_eq!(
            choose("isync 1.3.0").source,
            IsyncSource::TooOld {
                version: "1.3.0".into()
            }
        );
        assert_eq!(
            choose("mbsync: unknown option").source,
            IsyncSource::Unrecognized {
                answer: "mbsync: unknown option".into()
            }
        );
        assert_eq!(choose("").syntax, IsyncSyntax::NEWEST);
    }

    #[test]
    fn arguments_and_names_are_quoted_for_isync() {
        assert_eq!(argument("Junk"), "Junk");
        assert_eq!(argument("Sent Messages"), "\"Sent Messages\"");
        assert_eq!(argument(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(argument("#x"), "\"#x\"");
        assert_eq!(identifier("o'brien:x@icloud.com"), "o_brien_x@icloud.com");
    }
}
