//! git send-email: a `[sendemail]` section for the saved SMTP server and a
//! `[credential "smtp://HOST:PORT"]` section whose helper is `icloud-setup git-credential`,
//! checked against git 2.39 (Debian 12) and 2.47.
//!
//! git send-email asks its credential helpers for the SMTP password with `protocol=smtp`,
//! `host=HOST:PORT` and `username=smtpUser`; the helper answers from the keyring, so the file
//! holds no password and a rotation reaches git by itself. The section first sets an empty
//! `helper`, which empties the list of helpers for this server: a `credential.helper = store`
//! set elsewhere is then neither asked nor handed the password to keep in clear text.
//!
//! The file is git-config syntax: a value runs to the end of the line; outside double quotes
//! `#` and `;` start a comment and blanks at either end are dropped; `\` escapes (`\\`, `\"`,
//! `\n`, `\t`, `\b`) work everywhere. [`config_value`] quotes what needs it. A helper that
//! starts with `!` is a shell command; one that is an absolute path is run as it is, also
//! through the shell, with ` get` appended — so a path that needs shell quoting is written
//! behind `!` (a quoted path is not absolute to git).

use crate::config::Security;
use crate::export::Note;

use super::quote::{mailbox, shell_word, url_host};
use super::{ExportInput, Program, comment_block};

pub(crate) fn render(input: &ExportInput<'_>) -> String {
    let account = input.account;
    let smtp = &account.smtp;
    let helper = helper(
        input.password_command.program(),
        input.password_command.config(),
    );
    let server = format!("{}:{}", smtp.host, smtp.port);

    let mut header = vec![
        input.words.say(Note::Title {
            client: "git send-email",
            email: &account.email,
            command: "icloud-setup export git",
        }),
        input.words.say(Note::GitSteps),
        input.words.say(Note::PasswordCommand {
            client: "git send-email",
            command: &format!("{} get", helper.trim_start_matches('!')),
            program: input.password_command.program().path(),
            per_use: true,
        }),
        input.words.say(Note::GitCredential {
            server: &server,
            username: &smtp.username,
        }),
    ];
    if let Some(ca) = &input.ca_file {
        header.push(input.words.say(Note::CaGit { path: ca }));
    }

    let mut out = comment_block(&header.join("\n\n"));
    out.push('\n');
    out.push_str("[sendemail]\n");
    let set = |out: &mut String, key: &str, value: &str| {
        out.push_str(&format!("\t{key} = {}\n", config_value(value)));
    };
    set(&mut out, "smtpServer", &smtp.host);
    set(&mut out, "smtpServerPort", &smtp.port.to_string());
    let starttls = smtp.security == Security::Starttls;
    out.push_str(&indented_comment(
        &input.words.say(Note::GitEncryption { starttls }),
    ));
    // git's words: "tls" is STARTTLS, "ssl" is TLS from the first byte; any other value
    // would send in the clear.
    set(
        &mut out,
        "smtpEncryption",
        if starttls { "tls" } else { "ssl" },
    );
    set(&mut out, "smtpUser", &smtp.username);
    set(
        &mut out,
        "from",
        &mailbox(account.name.as_deref(), &account.email),
    );
    if let Some(ca) = &input.ca_file {
        set(&mut out, "smtpSSLCertPath", ca);
    }
    out.push('\n');
    out.push_str(&format!(
        "[credential {}]\n",
        subsection(&format!("smtp://{}:{}", url_host(&smtp.host), smtp.port))
    ));
    out.push_str(&indented_comment(&input.words.say(Note::GitHelperReset)));
    out.push_str("\thelper =\n");
    set(&mut out, "helper", &helper);
    out
}

/// The `helper` value that runs `program git-credential [--config PATH]`: the absolute
/// path as it is when the shell leaves it alone, else the whole command behind `!`.
pub(crate) fn helper(program: &Program, config: Option<&str>) -> String {
    let mut words = vec![
        shell_word(program.path().unwrap_or(super::PROGRAM)),
        "git-credential".to_string(),
    ];
    if let Some(path) = config {
        words.push("--config".to_string());
        words.push(shell_word(path));
    }
    let line = words.join(" ");
    match program.path() {
        Some(path) if shell_word(path) == path => line,
        _ => format!("!{line}"),
    }
}

/// `value` as a git-config value that git reads back as exactly `value`: bare when git
/// would keep it as it is, else in double quotes with `\` and `"` escaped (and line
/// breaks, tabs and backspaces as git's escapes).
pub(crate) fn config_value(value: &str) -> String {
    let git_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let bare = !value.is_empty()
        && !value.starts_with(git_space)
        && !value.ends_with(git_space)
        && value
            .chars()
            .all(|c| c == ' ' || (!c.is_control() && !matches!(c, '"' | '\\' | '#' | ';')));
    if bare {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str(r"\n"),
            '\t' => out.push_str(r"\t"),
            '\u{8}' => out.push_str(r"\b"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `name` as a quoted subsection name: inside its quotes only `\` and `"` are escaped.
fn subsection(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', r"\\").replace('"', "\\\""))
}

/// A comment inside a section, indented as its settings are.
fn indented_comment(text: &str) -> String {
    let mut out = String::new();
    for line in comment_block(text).lines() {
        out.push('\t');
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Account;
    use crate::export::test_input::{account, input};

    fn render_for(account: &Account, config: Option<&str>, ca: Option<&str>) -> String {
        render(&input(account, config, ca))
    }

    /// The settings of the file as `section.key = value`, read as git reads them for values
    /// this renderer writes (bare, or one double-quoted string).
    fn settings(text: &str) -> Vec<(String, String)> {
        let mut section = String::new();
        let mut found = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                section = header.trim_end_matches(']').to_string();
                continue;
            }
            let (key, value) = line.split_once('=').expect("key = value");
            let value = value.trim();
            let value = match value.strip_prefix('"') {
                Some(quoted) => quoted
                    .strip_suffix('"')
                    .unwrap()
                    .replace("\\\"", "\"")
                    .replace(r"\\", r"\"),
                None => value.to_string(),
            };
            found.push((format!("{section}.{}", key.trim()), value));
        }
        found
    }

    fn get<'s>(settings: &'s [(String, String)], key: &str) -> Vec<&'s str> {
        settings
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    #[test]
    fn the_sections_send_with_starttls_and_ask_the_helper_for_the_password() {
        let account = account();
        let text = render_for(&account, None, None);
        let s = settings(&text);
        assert_eq!(get(&s, "sendemail.smtpServer"), ["smtp.mail.me.com"]);
        assert_eq!(get(&s, "sendemail.smtpServerPort"), ["587"]);
        assert_eq!(get(&s, "sendemail.smtpEncryption"), ["tls"]);
        assert_eq!(get(&s, "sendemail.smtpUser"), ["johnappleseed@icloud.com"]);
        assert_eq!(
            get(&s, "sendemail.from"),
            ["John Appleseed <johnappleseed@icloud.com>"]
        );
        assert!(get(&s, "sendemail.smtpSSLCertPath").is_empty(), "{text}");
        assert_eq!(
            get(&s, "credential \"smtp://smtp.mail.me.com:587\".helper"),
            ["", "/usr/bin/icloud-setup git-credential"],
            "{text}"
        );
        assert!(
            !text.to_lowercase().contains("smtppass"),
            "never a password: {text}"
        );
        assert!(
            text.contains("\t# tls is git's word for STARTTLS"),
            "the comment says why not ssl:\n{text}"
        );
    }

    #[test]
    fn tls_from_the_first_byte_is_gits_ssl() {
        let mut account = account();
        account.smtp.security = Security::Tls;
        account.smtp.port = 465;
        let s = settings(&render_for(&account, None, None));
        assert_eq!(get(&s, "sendemail.smtpEncryption"), ["ssl"]);
        assert_eq!(get(&s, "sendemail.smtpServerPort"), ["465"]);
    }

    #[test]
    fn the_ca_file_becomes_the_smtp_cert_path_and_the_comment_says_it_replaces_the_system() {
        let account = account();
        let text = render_for(&account, None, Some("/etc/my ca.pem"));
        let s = settings(&text);
        assert_eq!(get(&s, "sendemail.smtpSSLCertPath"), ["/etc/my ca.pem"]);
        assert!(
            text.contains("only the certificate authorities in /etc/my ca.pem"),
            "{text}"
        );
    }

    #[test]
    fn the_helper_names_the_config_and_quotes_a_path_the_shell_would_split() {
        let plain = Program::Absolute("/usr/bin/icloud-setup".into());
        assert_eq!(helper(&plain, None), "/usr/bin/icloud-setup git-credential");
        assert_eq!(
            helper(&plain, Some("/home/j/my mail/c.toml")),
            "/usr/bin/icloud-setup git-credential --config '/home/j/my mail/c.toml'"
        );
        // A quoted path is not an absolute path to git: the `!` form runs it through sh.
        let spaced = Program::Absolute("/home/j/my bin/icloud-setup".into());
        assert_eq!(
            helper(&spaced, None),
            "!'/home/j/my bin/icloud-setup' git-credential"
        );
        // A bare name would become `git credential-icloud-setup`.
        assert_eq!(
            helper(&Program::OnPath, None),
            "!icloud-setup git-credential"
        );
    }

    #[test]
    fn values_git_would_cut_trim_or_unescape_are_quoted() {
        assert_eq!(config_value("smtp.mail.me.com"), "smtp.mail.me.com");
        assert_eq!(
            config_value("John Appleseed <j@icloud.com>"),
            "John Appleseed <j@icloud.com>"
        );
        assert_eq!(config_value("a #1"), "\"a #1\"");
        assert_eq!(config_value("a;b"), "\"a;b\"");
        assert_eq!(config_value(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(config_value(r"C:\x"), r#""C:\\x""#);
        assert_eq!(config_value(" lead"), "\" lead\"");
        assert_eq!(config_value("trail "), "\"trail \"");
        assert_eq!(config_value("a\tb"), r#""a\tb""#);
        assert_eq!(config_value(""), "\"\"");
        // Own variant: a name that is only specials.
        let mut account = account();
        account.name = Some("\"; # \\".into());
        let s = settings(&render_for(&account, None, None));
        assert_eq!(
            get(&s, "sendemail.from"),
            [r#""\"; # \\" <johnappleseed@icloud.com>"#]
        );
    }

    #[test]
    fn an_ipv6_server_is_bracketed_in_the_credential_url() {
        let mut account = account();
        account.smtp.host = "::1".into();
        let text = render_for(&account, None, None);
        assert!(text.contains("[credential \"smtp://[::1]:587\"]"), "{text}");
    }
}
