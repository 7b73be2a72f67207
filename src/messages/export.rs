//! The comment blocks at the top of exported client files. Lines starting with two spaces
//! are commands to type and are kept as they are; the rest is wrapped.

use super::{fl, loader};

/// One sentence of an exported file's comment block.
pub fn export_note(note: crate::export::Note<'_>) -> String {
    use crate::export::Note;
    match note {
        Note::Title {
            client,
            email,
            command,
        } => fl!(
            loader(),
            "export-title",
            client = client,
            email = email,
            command = command
        ),
        Note::PasswordCommand {
            client,
            command,
            program,
            per_use,
        } => export_password_note(client, command, program, per_use),
        Note::CaAdded { path } => fl!(loader(), "export-ca-added", path = path),
        Note::CaNeomutt { path } => fl!(loader(), "export-ca-neomutt", path = path),
        Note::CaMsmtp { path } => fl!(loader(), "export-ca-msmtp", path = path),
        Note::CaAerc { path, quoted_path } => fl!(
            loader(),
            "export-ca-aerc",
            path = path,
            quoted_path = quoted_path
        ),
        Note::MsmtpSteps {
            account,
            test_command,
        } => fl!(
            loader(),
            "export-msmtp-steps",
            account = account,
            test_command = test_command
        ),
        Note::IsyncSyntax { syntax, source } => export_isync_syntax(syntax, source),
        Note::MbsyncSteps {
            newest_syntax,
            mkdir_command,
            sync_command,
        } => export_mbsync_steps(newest_syntax, mkdir_command, sync_command),
        Note::NeomuttSteps => fl!(loader(), "export-neomutt-steps"),
        Note::AercSteps => fl!(loader(), "export-aerc-steps"),
        Note::AercStarttls => fl!(loader(), "export-aerc-starttls"),
        Note::HimalayaSteps => fl!(loader(), "export-himalaya-steps"),
        Note::GitSteps => fl!(loader(), "export-git-steps"),
        Note::GitCredential { server, username } => fl!(
            loader(),
            "export-git-credential",
            server = server,
            username = username
        ),
        Note::GitEncryption { starttls: true } => fl!(loader(), "export-git-starttls"),
        Note::GitEncryption { starttls: false } => fl!(loader(), "export-git-ssl"),
        Note::GitHelperReset => fl!(loader(), "export-git-helper-reset"),
        Note::CaGit { path } => fl!(loader(), "export-ca-git", path = path),
    }
}

/// Where the password comes from. `program` is the absolute path the command names
/// icloud-setup by (`None`: by its name, found on the PATH). `per_use` is true when the
/// client runs the command each time it needs the password, false when it reads it once at
/// start.
fn export_password_note(
    client: &str,
    command: &str,
    program: Option<&str>,
    per_use: bool,
) -> String {
    let source = if per_use {
        fl!(
            loader(),
            "export-password-per-use",
            client = client,
            command = command
        )
    } else {
        fl!(
            loader(),
            "export-password-at-start",
            client = client,
            command = command
        )
    };
    let finding = match program {
        Some(path) => fl!(loader(), "export-password-absolute", path = path),
        None => fl!(loader(), "export-password-on-path", client = client),
    };
    format!("{source} {finding}")
}

fn export_isync_syntax(syntax: &str, source: &crate::export::IsyncSource) -> String {
    use crate::export::IsyncSource;
    match source {
        IsyncSource::Flag => fl!(loader(), "export-isync-flag", syntax = syntax),
        IsyncSource::Installed { version } => fl!(
            loader(),
            "export-isync-installed",
            syntax = syntax,
            version = version.as_str()
        ),
        IsyncSource::TooOld { version } => fl!(
            loader(),
            "export-isync-too-old",
            syntax = syntax,
            version = version.as_str()
        ),
        IsyncSource::Unrecognized { answer } => fl!(
            loader(),
            "export-isync-unrecognized",
            syntax = syntax,
            answer = format!("{answer:?}")
        ),
        IsyncSource::NotInstalled => {
            fl!(loader(), "export-isync-not-installed", syntax = syntax)
        }
        IsyncSource::NoAnswer { waited_secs } => fl!(
            loader(),
            "export-isync-no-answer",
            syntax = syntax,
            secs = waited_secs.to_string()
        ),
    }
}

fn export_mbsync_steps(newest_syntax: bool, mkdir_command: &str, sync_command: &str) -> String {
    if newest_syntax {
        fl!(
            loader(),
            "export-mbsync-steps-newest",
            mkdir_command = mkdir_command,
            sync_command = sync_command
        )
    } else {
        fl!(
            loader(),
            "export-mbsync-steps-older",
            mkdir_command = mkdir_command,
            sync_command = sync_command
        )
    }
}

pub fn export_unrepresentable(what: &str, value: &str) -> String {
    fl!(
        loader(),
        "export-unrepresentable",
        what = what,
        value = format!("{value:?}")
    )
}
