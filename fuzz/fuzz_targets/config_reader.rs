//! The config reader: any text at the config's path is parsed as a run would parse it; a
//! config that parses is rewritten as a save would rewrite it (comments kept), and what is
//! written must read back as the same accounts.
#![no_main]

use std::path::Path;

use icloud_setup::config::edit;
use icloud_setup::config::store::parse;
use icloud_setup::error::Error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("config.toml");
    match parse(path, text) {
        Ok(config) => {
            // A save with no change: the person's text, rewritten.
            let rewritten = edit::render(text, &config);
            let again = parse(path, &rewritten)
                .unwrap_or_else(|e| panic!("a rewrite does not parse: {e:?}\n{rewritten}"));
            assert_eq!(again.accounts, config.accounts, "{rewritten}");
            // A fresh file of the same accounts.
            let fresh = edit::render("", &config);
            let again = parse(path, &fresh)
                .unwrap_or_else(|e| panic!("a fresh file does not parse: {e:?}\n{fresh}"));
            assert_eq!(again.accounts, config.accounts, "{fresh}");
        }
        Err(error) => {
            // Worded as a run would word it, with its hint.
            let error = Error::from(error);
            let _ = (error.to_string(), error.hint(), error.exit_code());
        }
    }
});
