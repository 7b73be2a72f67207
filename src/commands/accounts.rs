//! Which saved account a command is about: the EMAIL rules of docs/PRODUCT.md.
//!
//! Named: it must be saved (67 otherwise). Left out: fine when exactly one account is
//! saved; with several, a terminal gets a choice and anything else exit 64 listing them.

use crate::config::{Account, ConfigFile};
use crate::domain::EmailAddress;
use crate::error::Error;
use crate::messages;
use crate::prompt::Prompter;

/// The saved account `email` names, or the only one, or the one the person picks.
/// `command` is the command line that was run, up to where EMAIL goes (`rotate`,
/// `export msmtp`): the hint for several accounts shows that command with an address.
pub(crate) fn pick<'c>(
    config: &'c ConfigFile,
    email: Option<&str>,
    prompter: &mut dyn Prompter,
    command: &str,
) -> Result<&'c Account, Error> {
    let saved = saved_emails(config);
    if let Some(text) = email {
        let address =
            EmailAddress::parse(text).map_err(|problem| Error::InvalidAddress { problem })?;
        return config
            .find(address.as_str())
            .ok_or_else(|| Error::NoSuchAccount {
                email: address.to_string(),
                saved,
            });
    }
    match config.accounts.as_slice() {
        [] => Err(Error::NoAccountSaved),
        [only] => Ok(only),
        several if prompter.can_prompt() => {
            let index = prompter.choose(&messages::t!("ask-which-account"), &saved, 0)?;
            Ok(&several[index])
        }
        _ => Err(Error::AmbiguousAccount {
            saved,
            command: command.to_string(),
        }),
    }
}

/// Every saved account's address, in config order.
pub(crate) fn saved_emails(config: &ConfigFile) -> Vec<String> {
    config.accounts.iter().map(|a| a.email.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{AccountPlan, Servers};
    use crate::prompt::{Answer, ScriptedPrompter};

    fn config(emails: &[&str]) -> ConfigFile {
        let mut config = ConfigFile::default();
        for email in emails {
            let address = EmailAddress::parse(email).unwrap();
            let plan = AccountPlan::new(address.clone(), address, None, Servers::default());
            config.upsert(plan.account("x", "2026-11-27T13:45:00Z"));
        }
        config
    }

    #[test]
    fn one_saved_account_needs_no_name() {
        let config = config(&["a@icloud.com"]);
        let mut prompter = ScriptedPrompter::non_interactive();
        assert_eq!(
            pick(&config, None, &mut prompter, "rotate").unwrap().email,
            "a@icloud.com"
        );
    }

    #[test]
    fn several_without_a_terminal_is_ambiguous_and_lists_them() {
        let config = config(&["a@icloud.com", "b@icloud.com"]);
        let mut prompter = ScriptedPrompter::non_interactive();
        let error = pick(&config, None, &mut prompter, "rotate").unwrap_err();
        assert_eq!(error.exit_code(), 64);
        assert!(error.to_string().contains("a@icloud.com, b@icloud.com"));
    }

    #[test]
    fn several_in_a_terminal_are_a_choice() {
        let config = config(&["a@icloud.com", "b@icloud.com"]);
        let mut prompter =
            ScriptedPrompter::new(vec![("Which account", Answer::Choose("b@".into()))]);
        assert_eq!(
            pick(&config, None, &mut prompter, "rotate").unwrap().email,
            "b@icloud.com"
        );
    }

    #[test]
    fn an_unknown_account_is_67_and_names_the_saved_ones() {
        let config = config(&["a@icloud.com"]);
        let mut prompter = ScriptedPrompter::non_interactive();
        let error = pick(&config, Some("X@icloud.com"), &mut prompter, "rotate").unwrap_err();
        assert_eq!(error.exit_code(), 67);
        assert!(error.hint().unwrap().contains("a@icloud.com"));
        let none = pick(&ConfigFile::default(), None, &mut prompter, "rotate").unwrap_err();
        assert_eq!(none.exit_code(), 67);
    }
}
