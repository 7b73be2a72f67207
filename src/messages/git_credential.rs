//! git's credential helper: its `--verbose` lines on standard error.

use super::{fl, loader};

/// `store` (true) or `erase` (false) was asked and changed nothing.
pub fn git_credential_ignored(store: bool) -> String {
    if store {
        fl!(loader(), "git-credential-store-ignored")
    } else {
        fl!(loader(), "git-credential-erase-ignored")
    }
}

/// git's request could not be read within the bounds, or was not `key=value` lines.
pub fn git_credential_unreadable(problem: &crate::git_credential::ReadProblem) -> String {
    use crate::git_credential::{MAX_INPUT_BYTES, MAX_LINES, ReadProblem};
    match problem {
        ReadProblem::TooLong => fl!(
            loader(),
            "git-credential-too-long",
            bytes = MAX_INPUT_BYTES.to_string(),
            lines = MAX_LINES.to_string()
        ),
        ReadProblem::Malformed => fl!(loader(), "git-credential-malformed"),
        ReadProblem::Io(error) => fl!(
            loader(),
            "git-credential-malformed-io",
            detail = error.to_string()
        ),
    }
}

/// Why nothing was answered (what git sent, already escaped).
pub fn git_credential_declined(why: &crate::git_credential::Decline) -> String {
    use crate::git_credential::Decline;
    let l = loader();
    match why {
        Decline::NotSmtp {
            protocol: Some(protocol),
        } => fl!(l, "git-credential-not-smtp", protocol = protocol.as_str()),
        Decline::NotSmtp { protocol: None } => fl!(l, "git-credential-no-protocol"),
        Decline::NoHost => fl!(l, "git-credential-no-host"),
        Decline::NoAccount { server } => {
            fl!(l, "git-credential-no-account", server = server.as_str())
        }
        Decline::OtherUsername { server, username } => fl!(
            l,
            "git-credential-other-username",
            server = server.as_str(),
            username = username.as_str()
        ),
        Decline::Several { server } => {
            fl!(l, "git-credential-several", server = server.as_str())
        }
    }
}
