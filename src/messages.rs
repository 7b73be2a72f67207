//! Every sentence the person reads, in one place, so that a translation touches one file
//! and the logic never carries English. Functions take the facts and return the text.
//!
//! Voice: plain words for someone who has never heard of IMAP; say what happened, then
//! what to do next.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use crate::config::Account;
use crate::mail::{FailureKind, ProbeFailure, ProbeReport, Protocol, Stage};
use crate::plan::{AccountPlan, Servers};
use crate::secrets::{KeyringProblem, SecretLocation};

pub const APP_PASSWORD_PAGE: &str =
    "account.apple.com → Sign-In and Security → App-Specific Passwords";

// ---------------------------------------------------------------- addresses

pub fn address_empty() -> String {
    "Please type your e-mail address.".into()
}

pub fn address_has_spaces(input: &str) -> String {
    format!("\"{input}\" contains spaces; an e-mail address has none.")
}

pub fn address_without_at(input: &str) -> String {
    format!("\"{input}\" is not an e-mail address: it needs an @, like johnappleseed@icloud.com.")
}

pub fn address_bad_local_part(input: &str) -> String {
    format!("\"{input}\" is not an e-mail address: something must come before the @.")
}

pub fn address_bad_domain(input: &str) -> String {
    format!(
        "\"{input}\" is not an e-mail address: the part after the @ must be a domain like icloud.com."
    )
}

pub fn login_not_icloud(input: &str) -> String {
    format!(
        "{input} is not an iCloud address. Signing in needs your address ending in @icloud.com, \
         @me.com or @mac.com (find it on an iPhone in Settings → your name → iCloud → iCloud Mail)."
    )
}

pub fn server_address_without_port(input: &str) -> String {
    format!("\"{input}\" needs a port, like imap.mail.me.com:993")
}

pub fn server_address_bad_port(input: &str) -> String {
    format!("\"{input}\" has no valid port (1-65535)")
}

pub fn server_address_without_host(input: &str) -> String {
    format!("\"{input}\" has no host name")
}

pub fn ca_file_has_no_certificates() -> String {
    "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into()
}

// ---------------------------------------------------------------- the wizard's questions

pub fn welcome() -> String {
    "This sets up your iCloud Mail account for a mail program: it checks that your \
     password works, then saves the settings (the password goes into your system's keyring)."
        .into()
}

pub fn ask_email() -> &'static str {
    "Your iCloud e-mail address"
}

pub fn custom_domain_explained(email: &str) -> String {
    format!(
        "{email} is not an @icloud.com, @me.com or @mac.com address. Custom domains (iCloud+) \
         and Apple IDs at other providers send mail with that address but sign in with the \
         iCloud address of the account."
    )
}

pub fn ask_login() -> &'static str {
    "Your iCloud address for signing in (ends in @icloud.com, @me.com or @mac.com)"
}

pub fn ask_name() -> &'static str {
    "Your name, as people who get your mail will see it (optional, Enter to skip)"
}

pub fn password_guidance() -> String {
    format!(
        "iCloud does not accept your Apple ID password in mail programs; it needs an \
         app-specific password. Make one at {APP_PASSWORD_PAGE} (it looks like \
         abcd-efgh-ijkl-mnop). What you type is not shown."
    )
}

pub fn ask_password() -> &'static str {
    "App-specific password"
}

pub fn ask_new_password() -> &'static str {
    "New app-specific password"
}

pub fn password_empty_try_again() -> String {
    "Nothing was typed. Paste the app-specific password and press Enter.".into()
}

pub fn password_unusual_shape() -> String {
    "That does not look like an app-specific password (four groups of four lowercase \
     letters, like abcd-efgh-ijkl-mnop). It is probably your Apple ID password, which \
     iCloud refuses here, and a few refused tries can lock the account for a while."
        .into()
}

pub fn ask_unusual_password() -> &'static str {
    "What now?"
}

pub fn option_reenter_password() -> String {
    "Type the password again".into()
}

pub fn option_use_anyway() -> String {
    "Use it anyway".into()
}

pub fn warning_unusual_password_flag() -> String {
    format!("warning: {}", password_unusual_shape())
}

// ---------------------------------------------------------------- the plan

pub fn plan_summary(plan: &AccountPlan) -> String {
    let usernames = plan.imap_ladder.usernames();
    let mut text = String::from("These settings will be tested:\n");
    let _ = writeln!(
        text,
        "  Incoming (IMAP)  {} port {}  SSL/TLS   username {}",
        plan.servers.imap.host, plan.servers.imap.port, usernames[0]
    );
    if let Some(fallback) = usernames.get(1) {
        let _ = writeln!(text, "                   (if that is refused: {fallback})");
    }
    let _ = write!(
        text,
        "  Outgoing (SMTP)  {} port {}  STARTTLS  username {}",
        plan.servers.smtp.host, plan.servers.smtp.port, plan.smtp_username
    );
    text
}

// ---------------------------------------------------------------- the live test

pub fn testing(protocol: Protocol, server: &crate::mail::ServerAddress) -> String {
    format!("{} {}", protocol_role(protocol), server)
}

fn protocol_role(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Imap => "Incoming mail (IMAP)",
        Protocol::Smtp => "Outgoing mail (SMTP)",
    }
}

pub fn probe_result(report: &ProbeReport) -> String {
    match &report.outcome {
        Ok(username) => format!(
            "{}: signed in as {username}",
            protocol_role(report.protocol)
        ),
        Err(failure) => format!(
            "{}: {} failed — {}",
            protocol_role(report.protocol),
            stage_name(failure.stage),
            kind_summary(failure.kind)
        ),
    }
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::NameLookup => "name lookup",
        Stage::Connect => "connect",
        Stage::Tls => "TLS",
        Stage::Greeting => "greeting",
        Stage::StartTls => "STARTTLS",
        Stage::Login => "login",
    }
}

fn kind_summary(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::Unresolvable => "the server name could not be found",
        FailureKind::Unreachable => "the server could not be reached",
        FailureKind::TimedOut => "the server did not answer in time",
        FailureKind::Dropped => "the server closed the connection",
        FailureKind::Unavailable => "the service is temporarily unavailable",
        FailureKind::WrongTlsMode => "the port does not speak the expected kind of encryption",
        FailureKind::CertificateWrongHost => "the certificate belongs to another server",
        FailureKind::CertificateExpired => "the certificate has expired or is not valid yet",
        FailureKind::CertificateUntrusted => "the certificate is not from a trusted authority",
        FailureKind::TlsFailure => "the encrypted connection could not be set up",
        FailureKind::StartTlsMissing => "the server did not offer encryption (STARTTLS)",
        FailureKind::Protocol => "the server gave an unexpected answer",
        FailureKind::BadCredentials => "the username or password was refused",
    }
}

/// The full explanation of one failed probe: stage, the server's words, every username
/// tried, and the most likely fix.
pub fn explain_failure(report: &ProbeReport, timeout_secs: u64) -> String {
    let Err(failure) = &report.outcome else {
        return String::new();
    };
    let mut text = format!(
        "{} at {}: the {} step failed: {}.\n",
        protocol_role(report.protocol),
        report.server,
        stage_name(failure.stage),
        kind_summary(failure.kind)
    );
    match &failure.server_said {
        Some(words) => {
            let _ = writeln!(text, "  The server said: {words}");
        }
        None => {
            let _ = writeln!(text, "  Details: {}", failure.detail);
        }
    }
    if !report.usernames_tried.is_empty() {
        let _ = writeln!(
            text,
            "  Usernames tried: {}",
            report.usernames_tried.join(", ")
        );
    }
    let _ = write!(
        text,
        "  What to do: {}",
        likely_fix(report, failure, Some(timeout_secs))
    );
    text
}

/// `timeout_secs` is the `--timeout` in force, when known; the hint printed with the error
/// does not know it and must not claim a number.
fn likely_fix(report: &ProbeReport, failure: &ProbeFailure, timeout_secs: Option<u64>) -> String {
    let host = &report.server.host;
    let port = report.server.port;
    match failure.kind {
        FailureKind::Unresolvable => format!(
            "check that this computer is online and that {host} is spelled right; \
             a network that needs a sign-in page in the browser can also cause this."
        ),
        FailureKind::Unreachable => format!(
            "something between this computer and the server blocks port {port} \
             (a firewall, or a company, school or hotel network). Try another network."
        ),
        FailureKind::TimedOut => timed_out_fix(timeout_secs),
        FailureKind::Dropped => "this is usually temporary: try again in a few minutes.".into(),
        FailureKind::Unavailable => "iCloud says the service is temporarily unavailable. This is \
             not a password problem: try again in a few minutes."
            .into(),
        FailureKind::WrongTlsMode => match report.protocol {
            Protocol::Smtp => format!(
                "port {port} expects STARTTLS (plain text first, then encryption), but the \
                 server spoke TLS from the first byte. Check --smtp-server."
            ),
            Protocol::Imap => format!(
                "port {port} answered in plain text, as a STARTTLS or unencrypted port does, \
                 but iCloud's IMAP uses SSL/TLS from the first byte on port 993. Check \
                 --imap-server."
            ),
        },
        FailureKind::CertificateWrongHost => format!(
            "the server presented a certificate for another name than {host}. Something on \
             this network is intercepting secure connections (a captive portal, a proxy or \
             antivirus software). Do not sign in on this network."
        ),
        FailureKind::CertificateExpired => "check that this computer's date and time are right; \
             if they are, something on this network is intercepting secure connections."
            .into(),
        FailureKind::CertificateUntrusted => "this computer does not trust who signed the \
             certificate. If your network inspects encrypted traffic on purpose, give its \
             certificate authority with --ca-file; otherwise do not sign in on this network."
            .into(),
        FailureKind::TlsFailure => "the secure connection could not be set up. Check that the \
             system's certificates are installed (on Debian and Ubuntu: the ca-certificates \
             package) and try another network."
            .into(),
        FailureKind::StartTlsMissing => "your password was NOT sent. Something on this network \
             may be removing encryption from mail connections; try another network."
            .into(),
        FailureKind::Protocol => format!(
            "check that {} is iCloud's server; the answer did not look like one.",
            report.server
        ),
        FailureKind::BadCredentials => format!(
            "make sure you used an app-specific password, not your Apple ID password, and that \
             it has not been revoked. Make a new one at {APP_PASSWORD_PAGE}. If your address \
             is on a custom domain, sign in with the account's @icloud.com address."
        ),
    }
}

pub fn ask_after_failure() -> &'static str {
    "The test did not pass. Nothing was saved. What now?"
}

pub fn option_retry() -> String {
    "Try again with the same password".into()
}

pub fn option_quit() -> String {
    "Quit".into()
}

// ---------------------------------------------------------------- saving

pub fn saved(email: &str, location: &SecretLocation, config_path: &Path) -> String {
    format!(
        "Saved {email}.\n  Password: in {} (read it with: {})\n  Settings: {}",
        location.store_name,
        location.read_command,
        config_path.display()
    )
}

pub fn next_steps(email: &str) -> String {
    format!(
        "Next: see the saved account with `icloud-setup status`, write your mail program's \
         configuration with `icloud-setup export msmtp|mbsync|neomutt|aerc|himalaya`, or \
         point any other program at `icloud-setup password {email}` as its password command."
    )
}

// ---------------------------------------------------------------- settings table

pub fn settings_table(servers: &Servers, account: Option<&Account>, email: Option<&str>) -> String {
    let (imap_user, smtp_user) = match (account, email) {
        (Some(a), _) => (a.imap.username.clone(), a.smtp.username.clone()),
        (None, Some(e)) => usernames_for(e),
        (None, None) => (
            "the part of your iCloud address before the @ (if refused: the full address)".into(),
            "your full iCloud address".into(),
        ),
    };
    let mut text = String::new();
    let _ = writeln!(text, "iCloud Mail settings for any mail program");
    let _ = writeln!(text);
    let _ = writeln!(text, "Incoming mail (IMAP)");
    let _ = writeln!(text, "  Server:    {}", servers.imap.host);
    let _ = writeln!(text, "  Port:      {}", servers.imap.port);
    let _ = writeln!(text, "  Security:  SSL/TLS");
    let _ = writeln!(text, "  Username:  {imap_user}");
    let _ = writeln!(text, "  Password:  an app-specific password");
    let _ = writeln!(text);
    let _ = writeln!(text, "Outgoing mail (SMTP)");
    let _ = writeln!(text, "  Server:    {}", servers.smtp.host);
    let _ = writeln!(text, "  Port:      {}", servers.smtp.port);
    let _ = writeln!(text, "  Security:  STARTTLS (required)");
    let _ = writeln!(text, "  Username:  {smtp_user}");
    let _ = writeln!(text, "  Password:  the same app-specific password");
    let _ = writeln!(text);
    let _ = writeln!(text, "POP is not supported by iCloud Mail.");
    let _ = writeln!(
        text,
        "Make an app-specific password at {APP_PASSWORD_PAGE}."
    );
    text
}

fn usernames_for(email: &str) -> (String, String) {
    match crate::domain::EmailAddress::parse(email) {
        Ok(address) if address.is_icloud() => (
            format!(
                "{} (if refused: {})",
                address.local_part(),
                address.as_str()
            ),
            address.as_str().to_string(),
        ),
        Ok(address) => (
            format!(
                "the part before the @ of the iCloud address of {} (custom domains sign in \
                 with the @icloud.com address)",
                address.as_str()
            ),
            "the full iCloud address (not the custom-domain address)".into(),
        ),
        Err(problem) => (problem.clone(), problem),
    }
}

// ---------------------------------------------------------------- errors

pub fn needs_terminal(missing_flags: &[&str]) -> String {
    format!(
        "cannot ask questions here: there is no terminal, and {} {} missing",
        missing_flags.join(", "),
        if missing_flags.len() == 1 {
            "is"
        } else {
            "are"
        }
    )
}

pub fn hint_needs_terminal() -> String {
    "run it in a terminal, or give every answer as a flag, e.g. \
     `echo \"$APP_PASSWORD\" | icloud-setup setup --email you@icloud.com --password-stdin`"
        .into()
}

pub fn ambiguous_account(saved: &[String]) -> String {
    format!(
        "several accounts are saved ({}); say which one",
        saved.join(", ")
    )
}

pub fn hint_name_an_account() -> String {
    "add the address to the command, e.g. `icloud-setup check you@icloud.com`".into()
}

pub fn hint_invalid_address() -> String {
    "an iCloud address looks like johnappleseed@icloud.com".into()
}

pub fn empty_password() -> String {
    "the app-specific password is empty".into()
}

pub fn stdin_unreadable(detail: &str) -> String {
    format!("could not read the app-specific password from standard input: {detail}")
}

pub fn hint_password_stdin() -> String {
    "with --password-stdin, pipe the password in as one line, e.g. \
     `pass show icloud | icloud-setup setup --email you@icloud.com --password-stdin`"
        .into()
}

pub fn ca_file_unusable(path: &Path, problem: &str) -> String {
    format!("cannot use the CA file {}: {problem}", path.display())
}

pub fn hint_ca_file() -> String {
    "--ca-file takes a PEM file with one or more CA certificates".into()
}

pub fn no_such_account(email: &str) -> String {
    format!("no saved account is called {email}")
}

pub fn no_account_saved() -> String {
    "no account is saved yet".into()
}

pub fn ask_which_account() -> &'static str {
    "Which account?"
}

pub fn hint_saved_accounts(saved: &[String]) -> String {
    if saved.is_empty() {
        "no account is saved yet; run `icloud-setup` to add one".into()
    } else {
        format!("saved accounts: {}", saved.join(", "))
    }
}

pub fn live_test_failed(reports: &[ProbeReport]) -> String {
    let failed: Vec<String> = reports
        .iter()
        .filter_map(|r| {
            r.failure()
                .map(|f| format!("{} ({})", r.protocol, kind_summary(f.kind)))
        })
        .collect();
    format!(
        "the live test failed: {}; nothing was saved",
        failed.join(", ")
    )
}

pub fn hint_live_test(reports: &[ProbeReport]) -> String {
    let worst = reports
        .iter()
        .filter(|r| r.failure().is_some())
        .max_by_key(|r| r.failure().map_or(0, |f| f.kind.severity()));
    match worst.and_then(|r| r.failure().map(|f| (r, f))) {
        Some((report, failure)) => likely_fix(report, failure, None),
        None => "try again".into(),
    }
}

pub fn config_unreadable(path: &Path, source: &io::Error) -> String {
    format!("cannot read the config file {}: {source}", path.display())
}

pub fn config_unwritable(path: &Path, source: &io::Error) -> String {
    format!("cannot write the config file {}: {source}", path.display())
}

pub fn hint_config_io() -> String {
    "check that the folder exists and is writable by you, or choose another file with \
     --config PATH"
        .into()
}

pub fn config_unparseable(path: &Path, line: Option<usize>, problem: &str) -> String {
    match line {
        Some(line) => format!(
            "the config file {}, line {line}, cannot be read: {problem}",
            path.display()
        ),
        None => format!(
            "the config file {} cannot be read: {problem}",
            path.display()
        ),
    }
}

pub fn config_version(path: &Path, found: u32) -> String {
    format!(
        "the config file {} has version {found}, which this icloud-setup does not know",
        path.display()
    )
}

pub fn hint_config_unparseable(path: &Path) -> String {
    format!(
        "the file was left exactly as it is. Fix it by hand, or move it away \
         (mv {0} {0}.bak) and run icloud-setup again",
        path.display()
    )
}

pub fn keyring_problem(problem: &KeyringProblem) -> String {
    match problem {
        KeyringProblem::Unavailable(detail) => format!("no usable keyring: {detail}"),
        KeyringProblem::NotAnswering => "the keyring did not answer in time".into(),
        KeyringProblem::Failed(detail) => format!("the keyring refused: {detail}"),
        KeyringProblem::Locked(detail) => keyring_locked(detail),
    }
}

pub fn hint_keyring(problem: &KeyringProblem) -> String {
    let common = "The password is never saved in a file instead.";
    match problem {
        KeyringProblem::NotAnswering => format!(
            "the keyring may be locked and waiting for a password on another screen: unlock \
             it (log in to the desktop, or run `gnome-keyring-daemon --unlock`) and try \
             again; a keyring that is just slow can be given longer with --timeout. {common}"
        ),
        KeyringProblem::Locked(_) => hint_keyring_locked(common),
        _ => format!(
            "on a Linux desktop, start the keyring (GNOME Keyring or KWallet) and log in \
             again; on a server or over SSH, run `dbus-run-session -- sh` and inside it \
             `echo -n PASSWORD | gnome-keyring-daemon --unlock --components=secrets` before \
             icloud-setup (Debian/Ubuntu: apt install gnome-keyring dbus-user-session). {common}"
        ),
    }
}

pub fn keyring_read_back_mismatch() -> String {
    "the keyring accepted the password but returned something else when read back".into()
}

pub fn hint_keyring_read_back() -> String {
    "the keyring may be a placeholder that does not really store anything; nothing was saved".into()
}

pub fn output_failed(source: &io::Error) -> String {
    format!("could not write the output: {source}")
}

pub fn terminal_failed(source: &io::Error) -> String {
    format!("the terminal stopped working: {source}")
}

pub fn cancelled() -> String {
    "Cancelled. Nothing was saved.".into()
}

pub fn no_config_directory() -> String {
    "there is no home directory to keep the config in; give a path with --config".into()
}

// ---------------------------------------------------------------- living with the account

pub fn rotating(email: &str) -> String {
    format!(
        "New app-specific password for {email}. It is tested first; the old one stays in the \
         keyring until the new one has passed."
    )
}

pub fn rotated(email: &str) -> String {
    format!(
        "The new password for {email} is in the keyring, and every mail program that uses \
         `icloud-setup password {email}` picks it up.\nNow revoke the old app-specific password at \
         {APP_PASSWORD_PAGE}, so it can no longer be used."
    )
}

pub fn checking(email: &str) -> String {
    format!("Checking {email} with the saved password:")
}

pub fn confirm_remove(email: &str) -> String {
    format!("Remove {email} from icloud-setup (settings and the saved password)?")
}

pub fn option_remove() -> String {
    "Remove it".into()
}

pub fn option_keep() -> String {
    "Keep it".into()
}

pub fn nothing_removed() -> String {
    "Nothing was removed.".into()
}

pub fn removed(email: &str) -> String {
    format!(
        "Removed {email} from the settings and its password from the keyring.\nThe app-specific \
         password still works until you revoke it at {APP_PASSWORD_PAGE}."
    )
}

pub fn saved_accounts_overview(accounts: &[Account]) -> String {
    let mut text = String::from("Saved accounts:\n");
    for account in accounts {
        let _ = writeln!(
            text,
            "  {}  (last verified {})",
            account.email,
            account.verified_at.as_deref().unwrap_or("never")
        );
    }
    text.trim_end().to_string()
}

pub fn ask_menu() -> &'static str {
    "What would you like to do?"
}

pub fn menu_rotate() -> String {
    "Rotate the password (you made a new app-specific password)".into()
}

pub fn menu_check() -> String {
    "Check that the saved password still works".into()
}

pub fn menu_add() -> String {
    "Add another account".into()
}

pub fn menu_remove() -> String {
    "Remove an account".into()
}

pub fn needs_command() -> String {
    "accounts are saved and there is no terminal to ask what to do".into()
}

pub fn hint_needs_command() -> String {
    "name a command: `icloud-setup rotate --password-stdin`, `icloud-setup check`, \
     `icloud-setup status`, `icloud-setup setup --email … --password-stdin` or \
     `icloud-setup remove EMAIL --yes`"
        .into()
}

pub fn password_to_terminal() -> String {
    "not printing the password on a terminal screen".into()
}

pub fn hint_password_to_terminal() -> String {
    "this command is for a mail program's password command; add --reveal to show it anyway".into()
}

pub fn secret_missing(email: &str) -> String {
    format!("{email} is saved, but its password is not in the keyring")
}

pub fn hint_secret_missing(email: &str) -> String {
    format!("store a new app-specific password with `icloud-setup rotate {email}`")
}

/// `status` in words: each account, its usernames, last verification and its secret.
pub fn status(
    config_path: &Path,
    entries: &[(
        &Account,
        crate::commands::status::SecretState,
        SecretLocation,
    )],
) -> String {
    use crate::commands::status::SecretState;
    if entries.is_empty() {
        return format!(
            "No account is saved yet (config: {}). Run `icloud-setup` to add one.\n",
            config_path.display()
        );
    }
    let mut text = format!("Config: {}\n", config_path.display());
    for (account, state, location) in entries {
        let _ = writeln!(text);
        let _ = writeln!(text, "{}", account.email);
        if let Some(name) = &account.name {
            let _ = writeln!(text, "  Name:           {name}");
        }
        if account.login != account.email {
            let _ = writeln!(text, "  Signs in as:    {}", account.login);
        }
        let _ = writeln!(
            text,
            "  Incoming IMAP:  {}:{}  username {}",
            account.imap.host, account.imap.port, account.imap.username
        );
        let _ = writeln!(
            text,
            "  Outgoing SMTP:  {}:{}  username {}",
            account.smtp.host, account.smtp.port, account.smtp.username
        );
        let _ = writeln!(
            text,
            "  Last verified:  {}",
            account.verified_at.as_deref().unwrap_or("never")
        );
        let secret = match state {
            SecretState::Present => format!("in {}", location.store_name),
            SecretState::Missing => format!(
                "MISSING from {} — run `icloud-setup rotate {}`",
                location.store_name, account.email
            ),
            SecretState::Unknown(problem) => format!("unknown: {}", keyring_problem(problem)),
        };
        let _ = writeln!(text, "  Password:       {secret}");
        let _ = writeln!(text, "  Read it with:   {}", location.read_command);
        let _ = writeln!(
            text,
            "  Mail programs:  icloud-setup export msmtp|mbsync|neomutt|aerc|himalaya {}",
            account.email
        );
    }
    text
}

// ---------------------------------------------------------------- export
//
// The comment blocks at the top of exported client files. Lines starting with two spaces
// are commands to type and are kept as they are; the rest is wrapped.

/// The first line: what the file is and who wrote it.
pub fn export_title(client: &str, email: &str, command: &str) -> String {
    format!("{client} configuration for {email}, written by `{command}`.")
}

/// Where the password comes from. `program` is the absolute path the command names
/// icloud-setup by (`None`: by its name, found on the PATH). `per_use` is true when the
/// client runs the command each time it needs the password, false when it reads it once at
/// start.
pub fn export_password_note(
    client: &str,
    command: &str,
    program: Option<&str>,
    per_use: bool,
) -> String {
    let rotation = if per_use {
        format!("a new password saved by `icloud-setup rotate` reaches {client} by itself")
    } else {
        format!("after `icloud-setup rotate`, restart {client} to use the new password")
    };
    let finding = match program {
        Some(path) => format!(
            "The command names icloud-setup by the absolute path it was run from, {path}, \
             so it works without icloud-setup on the PATH, from cron or a systemd unit too. \
             If icloud-setup moves, change that path here (or export this file again)."
        ),
        None => format!("icloud-setup must be on {client}'s PATH."),
    };
    format!(
        "The password is not in this file: {client} runs `{command}`, which reads it from \
         your system's keyring, so {rotation}. {finding}"
    )
}

pub fn export_ca_added(path: &str) -> String {
    format!(
        "It trusts the certificate authorities in {path} (from --ca-file) as well as the \
         system's."
    )
}

pub fn export_ca_neomutt(path: &str) -> String {
    format!(
        "It trusts the certificate authorities in {path} (from --ca-file) as well as the \
         system's. NeoMutt also adds to that file the certificates you tell it to accept \
         always."
    )
}

pub fn export_ca_msmtp(path: &str) -> String {
    format!(
        "It trusts only the certificate authorities in {path} (from --ca-file), not the \
         system's: msmtp takes a single trust file."
    )
}

pub fn export_ca_aerc(path: &str, quoted_path: &str) -> String {
    format!(
        "aerc has no setting for extra certificate authorities. To trust those in {path} \
         (from --ca-file), start it as\n  SSL_CERT_FILE={quoted_path} aerc"
    )
}

pub fn export_msmtp_steps(account: &str, test_command: &str) -> String {
    format!(
        "Save it as ~/.msmtprc (or $XDG_CONFIG_HOME/msmtp/config). If you have one \
         already, add this to its end instead, and drop the last line if your file names a \
         default account already. Then send yourself a test message:\n  {test_command}\n\
         Programs that send through msmtp pick this account with `-a {account}`, or get it \
         as the default."
    )
}

pub fn export_isync_syntax(syntax: &str, source: &crate::export::IsyncSource) -> String {
    use crate::export::IsyncSource;
    match source {
        IsyncSource::Flag => format!("Written in the syntax of isync {syntax} (--isync {syntax})."),
        IsyncSource::Installed { version } => format!(
            "Written in the syntax of isync {syntax}, as the installed mbsync is isync \
             {version}."
        ),
        IsyncSource::TooOld { version } => format!(
            "The installed mbsync is isync {version}, but this file needs isync 1.4 or newer \
             (Far and Near): upgrade isync. It is written in the syntax of isync {syntax}."
        ),
        IsyncSource::Unrecognized { answer } => format!(
            "`mbsync --version` answered {answer:?}, which has no version this knows, so \
             this is written in the syntax of isync {syntax}, the newest; choose another with \
             --isync 1.4."
        ),
        IsyncSource::NotInstalled => format!(
            "mbsync is not installed here, so this is written in the syntax of the newest \
             isync, {syntax}. For isync 1.4 (Debian 12), run `icloud-setup export mbsync \
             --isync 1.4`."
        ),
    }
}

pub fn export_mbsync_steps(newest_syntax: bool, mkdir_command: &str, sync_command: &str) -> String {
    let place = if newest_syntax {
        "~/.mbsyncrc (or $XDG_CONFIG_HOME/isyncrc)"
    } else {
        "~/.mbsyncrc"
    };
    format!(
        "Save it as {place}, or add it to the end of the one you have (a blank line ends \
         each section). Make the local Maildir folder, then sync:\n  {mkdir_command}\n  \
         {sync_command}\nThe iCloud folders (INBOX, Sent Messages, Drafts, Junk, Archive, \
         Deleted Messages) appear in it as sub-folders of the same names."
    )
}

pub fn export_neomutt_steps() -> String {
    "Save it as ~/.config/neomutt/neomuttrc, or as a file of its own that your neomuttrc \
     reads with a `source` line. Then run `neomutt`."
        .into()
}

pub fn export_aerc_steps() -> String {
    "Add it to ~/.config/aerc/accounts.conf, which aerc only reads when no one else can:\n  \
     chmod 600 ~/.config/aerc/accounts.conf\nThen run `aerc`."
        .into()
}

pub fn export_aerc_starttls() -> String {
    "smtp-starttls makes aerc 0.14 (Debian 12) use STARTTLS; aerc 0.15 and newer always \
     do, and warn that the line is no longer needed: delete it there."
        .into()
}

pub fn export_himalaya_steps() -> String {
    "This is the format of himalaya 2; himalaya 1 reads another one. Save it as \
     ~/.config/himalaya/config.toml, or add this table to the one you have (only one \
     account may say `default = true`). Then run `himalaya envelope list`."
        .into()
}

pub fn export_unrepresentable(what: &str, value: &str) -> String {
    format!(
        "cannot write {what} {value:?} into a mail program's configuration: it holds a \
         line break or another control character, or is not valid UTF-8"
    )
}

pub fn hint_export_unrepresentable() -> String {
    "correct the value in the config file (or use a path without such characters) and run \
     the export again"
        .into()
}

// ---------------------------------------------------------------- faults (issue 5)

/// The `--verbose` line when the SMTP server sent no greeting in time.
pub fn transcript_no_greeting() -> String {
    "no greeting yet; checking whether the port speaks TLS from the first byte".into()
}

/// The `--verbose` line when that check found a TLS server.
pub fn transcript_tls_first() -> String {
    "the server answered a TLS hello: it speaks TLS from the first byte, not STARTTLS".into()
}

/// Why a probe failed when the server sent no greeting and did not answer TLS either.
pub fn no_greeting_detail() -> String {
    "the server accepted the connection but sent no greeting".into()
}

/// Why a probe failed when the server sent no plain-text greeting but answered TLS.
pub fn tls_first_detail() -> String {
    "no plain-text greeting; the server answered a TLS hello instead".into()
}

/// Our side's description of a wait that ran out, instead of the system's wording.
pub fn no_answer_in_time_detail() -> String {
    "no answer before the time limit".into()
}

/// What to do about a server that did not answer in time.
fn timed_out_fix(timeout_secs: Option<u64>) -> String {
    match timeout_secs {
        Some(secs) => format!(
            "the server did not answer within {secs} seconds. Try again; on a slow network \
             give it longer with --timeout {}.",
            (secs * 4).max(60)
        ),
        None => "the server did not answer in time. Try again; on a slow network give it \
                 longer, e.g. --timeout 60."
            .into(),
    }
}

/// The keyring exists but is locked, and no unlock prompt could be shown.
fn keyring_locked(detail: &str) -> String {
    format!("the keyring is locked and could not ask to be unlocked ({detail})")
}

fn hint_keyring_locked(common: &str) -> String {
    format!(
        "unlock it and try again: log in to the desktop (or unlock it in Passwords and Keys / \
         Seahorse); on a server or over SSH, \
         `echo -n 'keyring password' | gnome-keyring-daemon --unlock`. {common}"
    )
}

// ---------------------------------------------------------------- man page (issue 14)
//
// The sections of `man icloud-setup` that `--help` does not have. The rest of the page is
// the `--help` text itself.

pub fn manpage_heading_exit_status() -> &'static str {
    "EXIT STATUS"
}

pub fn manpage_heading_files() -> &'static str {
    "FILES"
}

pub fn manpage_heading_environment() -> &'static str {
    "ENVIRONMENT"
}

pub fn manpage_heading_examples() -> &'static str {
    "EXAMPLES"
}

pub fn manpage_heading_see_also() -> &'static str {
    "SEE ALSO"
}

pub fn manpage_exit_status_intro() -> String {
    "The exit codes follow sysexits(3), as mail programs use them, so a script can tell a \
     wrong password from a network problem."
        .into()
}

/// Each exit code and what it means.
pub fn manpage_exit_codes() -> Vec<(u8, String)> {
    vec![
        (0, "Done.".into()),
        (2, "The command line is wrong.".into()),
        (
            64,
            "A question would have to be asked but there is no terminal and the flag for it \
             is missing, or it is not clear which saved account is meant."
                .into(),
        ),
        (
            65,
            "Invalid input: an address, an empty password, unreadable standard input.".into(),
        ),
        (67, "No saved account matches.".into()),
        (
            69,
            "A server cannot be reached: its name did not resolve or the connection was \
             refused."
                .into(),
        ),
        (74, "The config file could not be read or written.".into()),
        (
            75,
            "Try again later: a time limit passed, the connection dropped or the server was \
             busy."
                .into(),
        ),
        (
            76,
            "TLS or protocol failure: the certificate, its host name, the handshake, STARTTLS \
             not offered, or the wrong kind of TLS for the port."
                .into(),
        ),
        (
            77,
            "The login was rejected: a wrong password, or not an app-specific one.".into(),
        ),
        (
            78,
            "The config file cannot be parsed, or the keyring is missing, locked or not \
             answering."
                .into(),
        ),
        (
            130,
            "Cancelled (Ctrl-C or Esc): the terminal is restored and nothing is saved.".into(),
        ),
    ]
}

/// The files and the keyring entry the program uses, with what each holds.
pub fn manpage_files() -> Vec<(String, String)> {
    vec![
        (
            "$XDG_CONFIG_HOME/icloud-setup/config.toml".into(),
            "The saved accounts (default ~/.config/icloud-setup/config.toml, or the file \
             --config names): addresses, usernames, servers and the time of the last \
             successful test, never the password. Readable by its owner only, in a directory \
             only its owner can enter. Comments and keys added by hand are kept when it is \
             rewritten."
                .into(),
        ),
        (
            "$XDG_CONFIG_HOME/icloud-setup/.config.toml.lock".into(),
            "Held while the config is changed, so two runs at once cannot lose each other's \
             accounts."
                .into(),
        ),
        (
            "Secret Service item: service icloud-setup, username EMAIL".into(),
            "The app-specific password, in the system keyring (GNOME Keyring, KeePassXC …). \
             Other programs read it with: secret-tool lookup service icloud-setup username \
             EMAIL"
                .into(),
        ),
    ]
}

/// The environment variables the program reads, with what each does.
pub fn manpage_environment() -> Vec<(String, String)> {
    vec![
        (
            "ICLOUD_SETUP_CONFIG".into(),
            "The config file to use, as --config.".into(),
        ),
        (
            "ICLOUD_SETUP_IMAP_SERVER, ICLOUD_SETUP_SMTP_SERVER".into(),
            "The servers to test (HOST:PORT), as --imap-server and --smtp-server.".into(),
        ),
        (
            "ICLOUD_SETUP_CA_FILE".into(),
            "Certificate authorities to trust as well as the system's, as --ca-file.".into(),
        ),
        (
            "XDG_CONFIG_HOME".into(),
            "Where the config directory is (default ~/.config).".into(),
        ),
        (
            "NO_COLOR".into(),
            "Turns colors off with --color auto.".into(),
        ),
        (
            "DBUS_SESSION_BUS_ADDRESS".into(),
            "The session bus on which the Secret Service keyring is found.".into(),
        ),
    ]
}

/// Example uses: what it does, then the command.
pub fn manpage_examples() -> Vec<(String, String)> {
    vec![
        (
            "Set up an account with the wizard:".into(),
            "icloud-setup".into(),
        ),
        (
            "Set up an account from a script, the password on standard input:".into(),
            "icloud-setup setup --email john@icloud.com --password-stdin < password-file".into(),
        ),
        (
            "Put a new app-specific password in place:".into(),
            "icloud-setup rotate john@icloud.com".into(),
        ),
        (
            "Check every saved account against Apple's servers:".into(),
            "icloud-setup check".into(),
        ),
        (
            "Write a configuration for msmtp:".into(),
            "icloud-setup export msmtp >> ~/.msmtprc".into(),
        ),
    ]
}
