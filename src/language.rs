//! Which language the person reads: chosen once at start from the locale, as every Unix
//! program does it, and held for the text layer ([`crate::messages`]).
//!
//! The choice: the locale in force is the first non-empty of `LC_ALL`, `LC_MESSAGES` and
//! `LANG`. When it is unset, `C` or `POSIX`, the text is English (gettext ignores
//! `LANGUAGE` then, and so does this). Otherwise `LANGUAGE`, a colon-separated list of
//! preferences, is read first, as gettext reads it: its first entry naming a language this
//! program has wins. Then the locale itself: `de…` (`de`, `de_DE.UTF-8`, `de_AT@euro`)
//! gives German; a code with no row in [`LANGUAGES`] gives English.
//!
//! The words live in `i18n/<code>/icloud_setup.ftl`, embedded in the binary. Every language
//! is one row of [`LANGUAGES`] (code → [`Language`]); the code decoding, the catalog and the
//! process-wide choice all read that table, so nothing else lists the languages. Adding a
//! language: a [`Language`] variant, its row in [`LANGUAGES`], and a translated copy of the
//! English file under `i18n/<code>/`. Tests fail if a catalog has no row (it would silently
//! read as English) or a row has no catalog, and tests/language.rs checks that every
//! catalog has every English message with the same arguments.

use std::cell::Cell;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use i18n_embed::fluent::FluentLanguageLoader;
use i18n_embed::unic_langid::LanguageIdentifier;
use i18n_embed::{I18nAssets, LanguageLoader};
use rust_embed::RustEmbed;

/// The translations, embedded at compile time from `i18n/`.
#[derive(RustEmbed)]
#[folder = "i18n"]
struct Localizations;

/// The name of every catalog file, under its language's folder.
const CATALOG: &str = "icloud_setup.ftl";

/// A language this program speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    German,
}

/// Every language this program speaks: its code (the locale's language part, also the
/// folder of its catalog under `i18n/`) and the [`Language`] it is. English, the language
/// the `fl!` macro checks against and the fallback, comes first.
pub const LANGUAGES: [(&str, Language); 2] = [("en", Language::English), ("de", Language::German)];

impl Language {
    /// Every language, in the order of [`LANGUAGES`].
    pub const ALL: [Language; LANGUAGES.len()] = {
        let mut all = [Language::English; LANGUAGES.len()];
        let mut i = 0;
        while i < LANGUAGES.len() {
            all[i] = LANGUAGES[i].1;
            i += 1;
        }
        all
    };

    /// This language's row in [`LANGUAGES`].
    fn index(self) -> usize {
        LANGUAGES
            .iter()
            .position(|(_, language)| *language == self)
            .expect("every language has its row in LANGUAGES")
    }

    /// The language code, also the folder name under `i18n/`.
    pub fn code(self) -> &'static str {
        LANGUAGES[self.index()].0
    }

    /// The language a locale name or a `LANGUAGE` entry names (`de`, `de_DE.UTF-8`,
    /// `en_GB`), when this program speaks it.
    pub fn from_code(name: &str) -> Option<Language> {
        find(&LANGUAGES, name)
    }

    /// The language of this process's environment.
    pub(crate) fn from_environment() -> Language {
        Language::from_variables(|name| std::env::var(name).ok())
    }

    /// The language the variables `LC_ALL`, `LC_MESSAGES`, `LANG` and `LANGUAGE` name,
    /// read through `get` (see the module documentation for the rules).
    pub fn from_variables(get: impl Fn(&str) -> Option<String>) -> Language {
        choose(&LANGUAGES, get)
    }

    fn loader(self) -> &'static FluentLanguageLoader {
        static LOADERS: LazyLock<Vec<FluentLanguageLoader>> = LazyLock::new(|| {
            LANGUAGES
                .iter()
                .map(|(code, _)| load(&Localizations, LANGUAGES[0].0, code))
                .collect()
        });
        &LOADERS[self.index()]
    }
}

/// The entry of `table` whose code is the language part of `name` (before `_`, `.`, `@`
/// or `-`, any case).
fn find<L: Copy>(table: &[(&str, L)], name: &str) -> Option<L> {
    let language = name.split(['_', '.', '@', '-']).next().unwrap_or_default();
    table
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(language))
        .map(|(_, value)| *value)
}

/// The gettext choice (module documentation) among the languages of `table`, whose first
/// entry is the fallback.
fn choose<L: Copy>(table: &[(&str, L)], get: impl Fn(&str) -> Option<String>) -> L {
    let fallback = table[0].1;
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|name| get(name).filter(|value| !value.is_empty()));
    let Some(locale) = locale else {
        return fallback;
    };
    if locale == "C" || locale == "POSIX" || locale.starts_with("C.") {
        return fallback;
    }
    let preferred = get("LANGUAGE").unwrap_or_default();
    preferred
        .split(':')
        .find_map(|entry| find(table, entry))
        .or_else(|| find(table, &locale))
        .unwrap_or(fallback)
}

fn identifier(code: &str) -> LanguageIdentifier {
    code.parse()
        .expect("the language codes are valid identifiers")
}

/// The Fluent loader for the catalog of `code` in `assets`, falling back message by message
/// to the catalog of `fallback`.
fn load(assets: &dyn I18nAssets, fallback: &str, code: &str) -> FluentLanguageLoader {
    let loader = FluentLanguageLoader::new("icloud_setup", identifier(fallback));
    loader
        .load_languages(assets, &[identifier(code)])
        .expect("the embedded translations parse (tests/language.rs reads them)");
    // No invisible Unicode isolation marks around arguments: they would reach the terminal
    // and exported files.
    loader.set_use_isolating(false);
    loader
}

/// The process's language, as its row in [`LANGUAGES`] (0, English, until [`set`]).
static CHOSEN: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// A language pinned for one thread, over the process's (tests pin theirs).
    static PINNED: Cell<Option<Language>> = const { Cell::new(None) };
}

/// Sets the language of the whole process; the app calls it once at start.
pub fn set(language: Language) {
    CHOSEN.store(language.index(), Ordering::Relaxed);
}

/// Sets the language of the calling thread only, over the process's. In-process tests run
/// side by side in one process, each pinned to its own language; a command that words
/// text on threads of its own pins them to [`current`].
pub fn pin_for_this_thread(language: Language) {
    PINNED.with(|pinned| pinned.set(Some(language)));
}

/// The language text is worded in on this thread.
pub fn current() -> Language {
    PINNED
        .with(Cell::get)
        .unwrap_or_else(|| LANGUAGES[CHOSEN.load(Ordering::Relaxed)].1)
}

/// The Fluent loader of the current language, for `fl!` in [`crate::messages`]. Public
/// because `messages::t!` expands to it wherever it is used, the integration tests included.
pub fn loader() -> &'static FluentLanguageLoader {
    current().loader()
}

/// The Fluent source of one language, as embedded (for tests that compare the files).
pub fn source(language: Language) -> String {
    let path = format!("{}/{CATALOG}", language.code());
    let file = Localizations::get(&path).expect("every language has its file");
    String::from_utf8(file.data.into_owned()).expect("the .ftl files are UTF-8")
}

/// The codes of the catalogs embedded from `i18n/`, whether or not [`LANGUAGES`] has a row
/// for them (for the test that every catalog is reachable).
pub fn embedded_catalogs() -> Vec<String> {
    Localizations::iter()
        .filter_map(|path| {
            let (code, file) = path.split_once('/')?;
            (file == CATALOG).then(|| code.to_string())
        })
        .collect()
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
    fn every_embedded_catalog_has_its_row_and_every_row_its_catalog() {
        // A catalog without a row would be read by nobody: its language would silently
        // come out English.
        let mut catalogs = embedded_catalogs();
        catalogs.sort();
        let mut rows: Vec<String> = LANGUAGES.iter().map(|(code, _)| code.to_string()).collect();
        rows.sort();
        assert_eq!(catalogs, rows, "i18n/*/{CATALOG} against LANGUAGES");
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
            assert!(!source(language).is_empty(), "{language:?}");
        }
        assert_eq!(LANGUAGES[0].1, Language::English, "English is the fallback");
    }

    /// Catalogs held in memory, to load a language the product does not have.
    struct Catalogs(Vec<(String, &'static str)>);

    impl I18nAssets for Catalogs {
        fn get_files(&self, file_path: &str) -> Vec<std::borrow::Cow<'_, [u8]>> {
            self.0
                .iter()
                .filter(|(path, _)| path == file_path)
                .map(|(_, text)| std::borrow::Cow::Borrowed(text.as_bytes()))
                .collect()
        }

        fn filenames_iter(&self) -> Box<dyn Iterator<Item = String> + '_> {
            Box::new(self.0.iter().map(|(path, _)| path.clone()))
        }
    }

    #[test]
    fn a_language_added_to_the_table_is_chosen_and_speaks_its_catalog() {
        // The table as the product has it, plus one row: what adding a language amounts to.
        let mut table: Vec<(&str, &str)> =
            LANGUAGES.iter().map(|(code, _)| (*code, *code)).collect();
        table.push(("tlh", "tlh"));
        let choose_in = |variables: &[(&str, &str)]| {
            super::choose(&table, |name| {
                variables
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_string())
            })
        };
        assert_eq!(choose_in(&[("LANG", "tlh_XX.UTF-8")]), "tlh");
        assert_eq!(choose_in(&[("LANG", "TLH")]), "tlh");
        assert_eq!(
            choose_in(&[("LC_ALL", "tlh@qaq"), ("LANG", "de_DE.UTF-8")]),
            "tlh"
        );
        assert_eq!(
            choose_in(&[("LC_MESSAGES", "tlh"), ("LANG", "en_US")]),
            "tlh"
        );
        assert_eq!(
            choose_in(&[("LANGUAGE", "fr:tlh:de"), ("LANG", "en_US.UTF-8")]),
            "tlh"
        );
        // The rows before it keep their meaning, and C still means the fallback.
        assert_eq!(choose_in(&[("LANGUAGE", "de:tlh"), ("LANG", "tlh")]), "de");
        assert_eq!(choose_in(&[("LANGUAGE", "tlh"), ("LC_ALL", "C")]), "en");
        assert_eq!(choose_in(&[("LANG", "tl_PH")]), "en");

        // Its catalog is loaded the way the product's are, falling back to English for a
        // message it lacks.
        let catalogs = Catalogs(vec![
            (
                "en/icloud_setup.ftl".into(),
                "greeting = Hello, { $name }.\nfarewell = Goodbye.\n",
            ),
            (
                "tlh/icloud_setup.ftl".into(),
                "greeting = nuqneH, { $name }.\n",
            ),
        ]);
        let loader = load(&catalogs, "en", "tlh");
        let args = std::collections::HashMap::from([("name", "Worf")]);
        assert_eq!(loader.get_args("greeting", args), "nuqneH, Worf.");
        assert_eq!(loader.get("farewell"), "Goodbye.");
        let english = load(&catalogs, "en", "en");
        assert!(english.get("greeting").starts_with("Hello"));
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
