//! Which language the person reads: chosen once at start from the locale, as every Unix
//! program does it, and held for the text layer ([`crate::messages`]).
//!
//! The choice: the locale in force is the first non-empty of `LC_ALL`, `LC_MESSAGES` and
//! `LANG`. When it is unset, `C` or `POSIX`, the text is English (gettext ignores
//! `LANGUAGE` then, and so does this). Otherwise `LANGUAGE`, a colon-separated list of
//! preferences, is read first, as gettext reads it: its first entry naming a language this
//! program has wins. Then the locale itself: `de…` (`de`, `de_DE.UTF-8`, `de_AT@euro`)
//! gives German, anything else English.
//!
//! The words live in `i18n/<language>/icloud_setup.ftl`, embedded in the binary. Adding a
//! language: a new [`Language`] variant with its code in [`Language::code`] and
//! [`Language::from_code`], and a translated copy of the English file (tests/language.rs
//! checks that it has every message with the same arguments).

use std::cell::Cell;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU8, Ordering};

use i18n_embed::LanguageLoader;
use i18n_embed::fluent::FluentLanguageLoader;
use i18n_embed::unic_langid::LanguageIdentifier;
use rust_embed::RustEmbed;

/// The translations, embedded at compile time from `i18n/`.
#[derive(RustEmbed)]
#[folder = "i18n"]
struct Localizations;

/// A language this program speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    German,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::German];

    /// The language code, also the folder name under `i18n/`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
        }
    }

    /// The language a locale name or a `LANGUAGE` entry names (`de`, `de_DE.UTF-8`,
    /// `en_GB`), when this program speaks it.
    pub(crate) fn from_code(name: &str) -> Option<Language> {
        let language = name
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "en" => Some(Language::English),
            "de" => Some(Language::German),
            _ => None,
        }
    }

    /// The language of this process's environment.
    pub(crate) fn from_environment() -> Language {
        Language::from_variables(|name| std::env::var(name).ok())
    }

    /// The language the variables `LC_ALL`, `LC_MESSAGES`, `LANG` and `LANGUAGE` name,
    /// read through `get` (see the module documentation for the rules).
    pub(crate) fn from_variables(get: impl Fn(&str) -> Option<String>) -> Language {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| get(name).filter(|value| !value.is_empty()));
        let Some(locale) = locale else {
            return Language::English;
        };
        if locale == "C" || locale == "POSIX" || locale.starts_with("C.") {
            return Language::English;
        }
        let preferred = get("LANGUAGE").unwrap_or_default();
        preferred
            .split(':')
            .find_map(Language::from_code)
            .or_else(|| Language::from_code(&locale))
            .unwrap_or(Language::English)
    }

    fn loader(self) -> &'static FluentLanguageLoader {
        static ENGLISH: LazyLock<FluentLanguageLoader> = LazyLock::new(|| load(Language::English));
        static GERMAN: LazyLock<FluentLanguageLoader> = LazyLock::new(|| load(Language::German));
        match self {
            Language::English => &ENGLISH,
            Language::German => &GERMAN,
        }
    }
}

fn identifier(language: Language) -> LanguageIdentifier {
    language
        .code()
        .parse()
        .expect("the language codes are valid identifiers")
}

fn load(language: Language) -> FluentLanguageLoader {
    let loader = FluentLanguageLoader::new("icloud_setup", identifier(Language::English));
    loader
        .load_languages(&Localizations, &[identifier(language)])
        .expect("the embedded translations parse (tests/language.rs reads them)");
    // No invisible Unicode isolation marks around arguments: they would reach the terminal
    // and exported files.
    loader.set_use_isolating(false);
    loader
}

/// The process's language: 0 English, 1 German.
static CHOSEN: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language pinned for one thread, over the process's (tests pin theirs).
    static PINNED: Cell<Option<Language>> = const { Cell::new(None) };
}

/// Sets the language of the whole process; the app calls it once at start.
pub(crate) fn set(language: Language) {
    CHOSEN.store(
        match language {
            Language::English => 0,
            Language::German => 1,
        },
        Ordering::Relaxed,
    );
}

/// Sets the language of the calling thread only, over the process's. In-process tests run
/// side by side in one process, each pinned to its own language; a command that words
/// text on threads of its own pins them to [`current`].
pub fn pin_for_this_thread(language: Language) {
    PINNED.with(|pinned| pinned.set(Some(language)));
}

/// The language text is worded in on this thread.
pub(crate) fn current() -> Language {
    PINNED.with(Cell::get).unwrap_or_else(|| {
        if CHOSEN.load(Ordering::Relaxed) == 1 {
            Language::German
        } else {
            Language::English
        }
    })
}

/// The Fluent loader of the current language, for `fl!` in [`crate::messages`].
pub(crate) fn loader() -> &'static FluentLanguageLoader {
    current().loader()
}

/// The Fluent source of one language, as embedded (for tests that compare the files).
pub fn source(language: Language) -> String {
    let path = format!("{}/icloud_setup.ftl", language.code());
    let file = Localizations::get(&path).expect("every language has its file");
    String::from_utf8(file.data.into_owned()).expect("the .ftl files are UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(variables: &[(&str, &str)]) -> Language {
        Language::from_variables(|name| {
            variables
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_string())
        })
    }

    #[test]
    fn the_locale_chooses_as_gettext_does() {
        assert_eq!(choose(&[]), Language::English);
        assert_eq!(choose(&[("LANG", "de_DE.UTF-8")]), Language::German);
        assert_eq!(choose(&[("LANG", "de")]), Language::German);
        assert_eq!(choose(&[("LANG", "de_AT@euro")]), Language::German);
        assert_eq!(choose(&[("LANG", "C")]), Language::English);
        assert_eq!(choose(&[("LANG", "C.UTF-8")]), Language::English);
        assert_eq!(choose(&[("LANG", "POSIX")]), Language::English);
        assert_eq!(choose(&[("LANG", "fr_FR.UTF-8")]), Language::English);
        assert_eq!(choose(&[("LANG", "dea")]), Language::English);
        // LC_ALL over LC_MESSAGES over LANG; empty ones do not count.
        assert_eq!(
            choose(&[("LC_ALL", "C"), ("LANG", "de_DE.UTF-8")]),
            Language::English
        );
        assert_eq!(
            choose(&[("LC_ALL", ""), ("LC_MESSAGES", "de_CH"), ("LANG", "en_US")]),
            Language::German
        );
        // LANGUAGE first, unless the locale is C.
        assert_eq!(
            choose(&[("LANGUAGE", "fr:de:en"), ("LANG", "en_US.UTF-8")]),
            Language::German
        );
        assert_eq!(
            choose(&[("LANGUAGE", "en"), ("LANG", "de_DE.UTF-8")]),
            Language::English
        );
        assert_eq!(
            choose(&[("LANGUAGE", "de"), ("LC_ALL", "C")]),
            Language::English
        );
        assert_eq!(
            choose(&[("LANGUAGE", "fr"), ("LANG", "de_DE.UTF-8")]),
            Language::German
        );
    }

    #[test]
    fn a_pinned_thread_keeps_its_language() {
        pin_for_this_thread(Language::German);
        assert_eq!(current(), Language::German);
        std::thread::spawn(|| assert_eq!(current(), Language::English))
            .join()
            .unwrap();
        pin_for_this_thread(Language::English);
        assert_eq!(current(), Language::English);
    }
}
