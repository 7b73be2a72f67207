//! The words the person reads where choosing them takes logic: a typed problem matched to
//! its sentence, a count or a kind of failure choosing between messages, facts turned into
//! words (a server's reply made safe to show, an address quoted as a shell word). Grouped by
//! area, one file each.
//!
//! Voice: plain words for someone who has never heard of IMAP; say what happened, then
//! what to do next.
//!
//! # Languages: Fluent messages, checked at compile time
//!
//! The words are not here but in `i18n/<language>/icloud_setup.ftl` (English is the
//! fallback and the reference; see [`crate::language`] for how the language is chosen).
//! A plain sentence with nothing to decide is worded where it is used, with [`t!`]:
//!
//! ```text
//! ctx.prompter.say(&messages::t!("nothing-removed"));
//! ```
//! ```text
//! nothing-removed = Nothing was removed.            # i18n/en/icloud_setup.ftl
//! nothing-removed = Es wurde nichts entfernt.       # i18n/de/icloud_setup.ftl
//! ```
//!
//! - `t!` is `i18n_embed_fl::fl!` with the current language's loader: it checks at compile
//!   time that the id exists in the English file and that the arguments are the ones it
//!   uses, wherever it is called. `tests/language.rs` checks that every other language has
//!   exactly the same ids and arguments. Only the text layer and the layers above it use
//!   it: foundations return typed values, never sentences.
//! - A message is a whole sentence with its facts as arguments (`{ $email }`), never glued
//!   from fragments: word order and case endings differ between languages. Where the code
//!   chooses between sentences (a count, a kind of failure), each choice is a message of
//!   its own, or a Fluent selector (`{ $count -> [one] … *[other] … }`), chosen here.
//! - Numbers that are not counts (ports, seconds) go in as text, so no language formats
//!   them. Host names, paths, commands, config keys and the server's own words go in as
//!   arguments and are never translated; text from outside (a saved address, a server's
//!   reply) goes through `shown` or `command_word` first, which is why such sentences
//!   keep a function here.
//! - Tables keep their layout here (indentation, one message per line); a label's padding
//!   is part of its message, so each language aligns its own columns.

#[doc(hidden)]
pub use i18n_embed_fl::fl;

pub use crate::language::loader;

mod accounts;
mod check;
mod errors;
mod export;
mod git_credential;
mod input;
mod live_test;
mod manpage;
mod send_test;
mod stores;
mod watch;
mod wizard;

pub use accounts::*;
pub use check::*;
pub use errors::*;
pub use export::*;
pub use git_credential::*;
pub use input::*;
pub use live_test::*;
pub use manpage::*;
pub use send_test::*;
pub use stores::*;
pub use watch::*;
pub use wizard::*;

/// One Fluent message in the current language: `t!("id")` or `t!("id", name = value, …)`,
/// the id and the argument names checked against `i18n/en/icloud_setup.ftl` at compile time.
#[macro_export]
#[doc(hidden)]
macro_rules! __message {
    // Each value in parentheses: `fl!` appends `.into()` to it, which would otherwise bind
    // to the end of `&a.b` instead of to all of it.
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::fl!($crate::messages::loader(), $id $(, $name = ($value))*)
    };
}

#[doc(inline)]
pub use crate::__message as t;

/// Someone else's text (a typed address, a saved name) made safe to show.
pub(super) fn shown(text: &str) -> String {
    crate::display_safe::escape_controls(text)
}

/// A saved address as it goes into a command the person may copy (`icloud-setup rotate
/// EMAIL`): one shell word, and safe to show. An address the program parsed needs no
/// quoting; a hand-edited one (`o'brien@…`, `$(…)@…`) is quoted rather than run.
pub(super) fn command_word(email: &str) -> String {
    let word = crate::export::quote::shell_word(email);
    let escaped = shown(&word);
    // Only backslashes doubled: nothing acts on the terminal, and the doubling would
    // change the word the shell reads.
    if escaped == word.replace('\\', "\\\\") {
        word
    } else {
        escaped
    }
}
