//! The account's folders and what each is for: which mailbox holds sent mail, deleted mail,
//! drafts, junk and the archive, told from a `LIST` the live test made.
//!
//! A server that offers SPECIAL-USE (RFC 6154) flags its folders (`\Sent`, `\Trash`, …) and
//! the flags decide. iCloud offers none (ICLOUD.md), so there the names decide, from a
//! short list per role of the names iCloud accounts are known to have (`Sent Messages` on
//! most, `Sent Items` on some). A folder no rule names stays unknown: it is never guessed
//! into a role. `Notes` (Apple Notes kept over IMAP) and anything `\Noselect` are never
//! mail, and never take a role.
//!
//! Pure: the mail layer reads the `LIST` reply into [`Mailbox`]es, this module decides,
//! the config keeps the roles, the exports name them. Names here are decoded (UTF-8);
//! [`utf7`] turns the wire's spelling into them.

pub mod utf7;

/// What a folder is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Sent,
    Trash,
    Drafts,
    Junk,
    Archive,
}

impl Role {
    /// Every role, in the order status and the config show them.
    pub const ALL: [Role; 5] = [
        Role::Sent,
        Role::Drafts,
        Role::Trash,
        Role::Junk,
        Role::Archive,
    ];

    /// The config key and `status --json` code.
    pub fn key(self) -> &'static str {
        match self {
            Role::Sent => "sent",
            Role::Trash => "trash",
            Role::Drafts => "drafts",
            Role::Junk => "junk",
            Role::Archive => "archive",
        }
    }

    /// The SPECIAL-USE attribute that marks it (RFC 6154).
    fn attribute(self) -> &'static str {
        match self {
            Role::Sent => "\\sent",
            Role::Trash => "\\trash",
            Role::Drafts => "\\drafts",
            Role::Junk => "\\junk",
            Role::Archive => "\\archive",
        }
    }

    /// The names that mean this role where no flag says so, the likeliest first.
    fn names(self) -> &'static [&'static str] {
        match self {
            Role::Sent => &["Sent Messages", "Sent Items", "Sent"],
            Role::Trash => &["Deleted Messages", "Deleted Items", "Trash"],
            Role::Drafts => &["Drafts"],
            Role::Junk => &["Junk", "Spam"],
            Role::Archive => &["Archive"],
        }
    }

    /// iCloud's usual folder for the role: what a profile saved before folders were
    /// learned (or one whose `LIST` found no such folder) is exported with.
    pub fn icloud_default(self) -> &'static str {
        self.names()[0]
    }
}

/// One mailbox of a `LIST` reply: its decoded name, its attributes and its hierarchy
/// delimiter (`None` for `NIL`, a flat namespace).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    pub name: String,
    /// As the server wrote them (`\Noselect`, `\Sent`); compared without regard to case.
    pub attributes: Vec<String>,
    pub delimiter: Option<char>,
}

impl Mailbox {
    fn has(&self, attribute: &str) -> bool {
        self.attributes
            .iter()
            .any(|a| a.eq_ignore_ascii_case(attribute))
    }

    /// Whether it can hold mail this program should point a client at: it can be
    /// selected, exists, is not Apple Notes, and its name can be written into a client's
    /// configuration (no control characters).
    pub fn is_mail(&self) -> bool {
        !self.has("\\noselect")
            && !self.has("\\nonexistent")
            && !self.is_notes()
            && !self.name.is_empty()
            && !self.name.chars().any(char::is_control)
    }

    /// `Notes`, or a folder inside it.
    fn is_notes(&self) -> bool {
        let top = match self.delimiter {
            Some(delimiter) => self.name.split(delimiter).next().unwrap_or(""),
            None => self.name.as_str(),
        };
        top.eq_ignore_ascii_case("Notes")
    }

    /// The name without an `INBOX` parent (`INBOX.Sent` on servers that keep every folder
    /// inside the inbox), for matching against the role names.
    fn plain_name(&self) -> &str {
        self.delimiter
            .and_then(|delimiter| {
                let (head, tail) = self.name.split_once(delimiter)?;
                head.eq_ignore_ascii_case("INBOX").then_some(tail)
            })
            .unwrap_or(&self.name)
    }
}

/// The folder found for each role; a role with no folder is `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roles {
    pub sent: Option<String>,
    pub trash: Option<String>,
    pub drafts: Option<String>,
    pub junk: Option<String>,
    pub archive: Option<String>,
}

impl Roles {
    pub fn get(&self, role: Role) -> Option<&str> {
        match role {
            Role::Sent => self.sent.as_deref(),
            Role::Trash => self.trash.as_deref(),
            Role::Drafts => self.drafts.as_deref(),
            Role::Junk => self.junk.as_deref(),
            Role::Archive => self.archive.as_deref(),
        }
    }

    pub fn set(&mut self, role: Role, folder: Option<String>) {
        let slot = match role {
            Role::Sent => &mut self.sent,
            Role::Trash => &mut self.trash,
            Role::Drafts => &mut self.drafts,
            Role::Junk => &mut self.junk,
            Role::Archive => &mut self.archive,
        };
        *slot = folder;
    }

    /// Whether no role was found.
    pub fn is_empty(&self) -> bool {
        Role::ALL.iter().all(|role| self.get(*role).is_none())
    }

    /// The roles found, in [`Role::ALL`]'s order.
    pub fn found(&self) -> impl Iterator<Item = (Role, &str)> {
        Role::ALL
            .into_iter()
            .filter_map(|role| self.get(role).map(|folder| (role, folder)))
    }
}

/// The roles of a `LIST`: for each role the mailbox flagged for it, else the first of its
/// names the account has (names compared without regard to ASCII case, at the top level or
/// under `INBOX`). A mailbox takes at most one role, the flag's before any name's.
pub fn roles(mailboxes: &[Mailbox]) -> Roles {
    let mail: Vec<&Mailbox> = mailboxes.iter().filter(|m| m.is_mail()).collect();
    let mut roles = Roles::default();
    let mut taken: Vec<&str> = Vec::new();
    for role in Role::ALL {
        let flagged = mail
            .iter()
            .find(|m| m.has(role.attribute()) && !taken.contains(&m.name.as_str()));
        if let Some(mailbox) = flagged {
            taken.push(&mailbox.name);
            roles.set(role, Some(mailbox.name.clone()));
        }
    }
    for role in Role::ALL {
        if roles.get(role).is_some() {
            continue;
        }
        // A folder flagged for another role is not this one, whatever its name.
        let free = |m: &&&Mailbox| {
            !taken.contains(&m.name.as_str()) && !Role::ALL.iter().any(|r| m.has(r.attribute()))
        };
        // The name as written first, then in another case, then under `INBOX`.
        let named = role.names().iter().find_map(|wanted| {
            let mut free_mail = mail.iter().filter(free);
            free_mail
                .clone()
                .find(|m| m.name == *wanted)
                .or_else(|| {
                    free_mail
                        .clone()
                        .find(|m| m.name.eq_ignore_ascii_case(wanted))
                })
                .or_else(|| free_mail.find(|m| m.plain_name().eq_ignore_ascii_case(wanted)))
        });
        if let Some(mailbox) = named {
            taken.push(&mailbox.name);
            roles.set(role, Some(mailbox.name.clone()));
        }
    }
    roles
}

/// The folder to use for `role`: the account's, when its folders were learned, else
/// iCloud's usual one. `learned` is `None` for a profile saved before folders were learned.
pub fn folder_for(learned: Option<&Roles>, role: Role) -> Option<&str> {
    match learned {
        Some(roles) => roles.get(role),
        None => Some(role.icloud_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mailbox(name: &str, attributes: &[&str]) -> Mailbox {
        Mailbox {
            name: name.into(),
            attributes: attributes.iter().map(ToString::to_string).collect(),
            delimiter: Some('/'),
        }
    }

    fn names(list: &[&str]) -> Vec<Mailbox> {
        list.iter().map(|n| mailbox(n, &[])).collect()
    }

    #[test]
    fn icloud_usual_names_take_their_roles() {
        let roles = roles(&names(&[
            "INBOX",
            "Sent Messages",
            "Deleted Messages",
            "Drafts",
            "Junk",
            "Archive",
            "Notes",
        ]));
        assert_eq!(roles.sent.as_deref(), Some("Sent Messages"));
        assert_eq!(roles.trash.as_deref(), Some("Deleted Messages"));
        assert_eq!(roles.drafts.as_deref(), Some("Drafts"));
        assert_eq!(roles.junk.as_deref(), Some("Junk"));
        assert_eq!(roles.archive.as_deref(), Some("Archive"));
    }

    /// The account: `Sent Items` and `Deleted Items`, not iCloud's usual names.
    #[test]
    fn items_names_take_their_roles() {
        let roles = roles(&names(&[
            "INBOX",
            "Sent Items",
            "Deleted Items",
            "Drafts",
            "Junk",
            "Archive",
            "Notes",
        ]));
        assert_eq!(roles.sent.as_deref(), Some("Sent Items"));
        assert_eq!(roles.trash.as_deref(), Some("Deleted Items"));
    }

    #[test]
    fn the_likeliest_name_wins_and_unknown_folders_stay_unknown() {
        let roles = roles(&names(&[
            "Sent",
            "Sent Messages",
            "Spam",
            "Trash",
            "Outbox",
        ]));
        assert_eq!(roles.sent.as_deref(), Some("Sent Messages"));
        assert_eq!(roles.junk.as_deref(), Some("Spam"));
        assert_eq!(roles.trash.as_deref(), Some("Trash"));
        assert_eq!(roles.drafts, None);
        assert_eq!(roles.archive, None);
        // Only these names, whole: no guessing from parts of names.
        let none = super::roles(&names(&[
            "Sent Mail Old",
            "My Drafts",
            "Work/Sent",
            "Junkyard",
        ]));
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn special_use_flags_decide_before_names() {
        let list = vec![
            mailbox("Sent", &[]),
            mailbox("Gesendet", &["\\Sent"]),
            mailbox("Entwürfe", &["\\HasNoChildren", "\\Drafts"]),
            mailbox("Papierkorb", &["\\TRASH"]),
            mailbox("Archive", &["\\Junk"]),
        ];
        let roles = roles(&list);
        assert_eq!(roles.sent.as_deref(), Some("Gesendet"));
        assert_eq!(roles.drafts.as_deref(), Some("Entwürfe"));
        assert_eq!(roles.trash.as_deref(), Some("Papierkorb"));
        // Flagged as junk: it is not the archive, whatever it is called.
        assert_eq!(roles.junk.as_deref(), Some("Archive"));
        assert_eq!(roles.archive, None);
    }

    #[test]
    fn notes_and_noselect_folders_are_never_mail() {
        let list = vec![
            mailbox("Notes", &["\\Drafts"]),
            mailbox("Notes/Sent", &[]),
            mailbox("Sent Messages", &["\\Noselect"]),
            mailbox("Trash", &["\\NonExistent"]),
            mailbox("Junk\r\n", &[]),
        ];
        assert!(roles(&list).is_empty());
        assert!(list.iter().all(|m| !m.is_mail()));
        assert!(mailbox("Notes Archive", &[]).is_mail());
    }

    #[test]
    fn folders_inside_inbox_are_matched_without_it() {
        let list = vec![Mailbox {
            name: "INBOX.Sent".into(),
            attributes: vec![],
            delimiter: Some('.'),
        }];
        assert_eq!(roles(&list).sent.as_deref(), Some("INBOX.Sent"));
    }

    #[test]
    fn profiles_without_learned_folders_use_icloud_names() {
        assert_eq!(folder_for(None, Role::Sent), Some("Sent Messages"));
        assert_eq!(folder_for(None, Role::Trash), Some("Deleted Messages"));
        let learned = Roles {
            sent: Some("Sent Items".into()),
            ..Roles::default()
        };
        assert_eq!(folder_for(Some(&learned), Role::Sent), Some("Sent Items"));
        assert_eq!(folder_for(Some(&learned), Role::Junk), None);
    }

    fn any_mailbox() -> impl Strategy<Value = Mailbox> {
        let name = prop_oneof![
            Just("Sent Messages".to_string()),
            Just("Deleted Items".to_string()),
            Just("Notes".to_string()),
            Just("Junk".to_string()),
            "\\PC{0,20}",
        ];
        let attribute = prop_oneof![
            Just("\\Sent".to_string()),
            Just("\\Trash".to_string()),
            Just("\\Noselect".to_string()),
            Just("\\Archive".to_string()),
            "\\\\[A-Za-z]{0,8}",
        ];
        (
            name,
            proptest::collection::vec(attribute, 0..4),
            proptest::option::of(prop_oneof![Just('/'), Just('.'), any::<char>()]),
        )
            .prop_map(|(name, attributes, delimiter)| Mailbox {
                name,
                attributes,
                delimiter,
            })
    }

    proptest! {
        /// Whatever a server lists: every role names a listed mail folder (never Notes,
        /// never `\Noselect`) and no folder takes two roles; and a role whose usual iCloud
        /// name is listed once, unflagged, with no folder flagged for the role, is found.
        #[test]
        fn roles_name_only_listed_mail_folders(list in proptest::collection::vec(any_mailbox(), 0..12)) {
            let found = roles(&list);
            let mut seen = Vec::new();
            for (_, folder) in found.found() {
                prop_assert!(list.iter().any(|m| m.name == folder && m.is_mail()), "{folder}");
                prop_assert!(!seen.contains(&folder), "{folder} twice");
                seen.push(folder);
            }
            for role in Role::ALL {
                let usual = role.icloud_default();
                let same_name: Vec<&Mailbox> = list.iter().filter(|m| m.name == usual).collect();
                let flagged = list.iter().any(|m| m.is_mail() && m.has(role.attribute()));
                if let [only] = same_name.as_slice()
                    && only.is_mail()
                    && only.attributes.iter().all(|a| Role::ALL.iter().all(|r| !a.eq_ignore_ascii_case(r.attribute())))
                    && !flagged
                {
                    prop_assert_eq!(found.get(role), Some(usual));
                }
            }
        }
    }
}
