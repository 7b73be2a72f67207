//! What a person types: the address, the sign-in address, the name and the password go
//! through the same parsers the prompts and flags use, and through what shows text on a
//! terminal. Nothing may panic; password normalization is idempotent; escaped text holds
//! no control character; no wrapped line is wider than asked.
#![no_main]

use icloud_setup::display_safe::escape_controls;
use icloud_setup::domain::{
    AppPassword, EmailAddress, looks_like_app_password, parse_display_name, parse_icloud_login,
};
use icloud_setup::error::Error;
use icloud_setup::prompt::wrap::wrap_text;
use icloud_setup_fuzz::fields;
use libfuzzer_sys::fuzz_target;
use secrecy::SecretString;

fuzz_target!(|data: &[u8]| {
    let [address, login, name, password, width]: [String; 5] =
        fields(data, 5).try_into().expect("five fields");

    match EmailAddress::parse(&address) {
        Ok(parsed) => {
            let _ = (parsed.local_part(), parsed.domain(), parsed.is_icloud());
            let _ = parsed.icloud_near_miss();
            // What was accepted parses again to itself.
            assert_eq!(
                EmailAddress::parse(parsed.as_str()).map(|a| a.to_string()),
                Ok(parsed.to_string())
            );
        }
        Err(problem) => {
            let _ = Error::InvalidAddress { problem }.to_string();
        }
    }
    if let Err(problem) = parse_icloud_login(&login) {
        let _ = Error::InvalidAddress { problem }.to_string();
    }
    match parse_display_name(&name) {
        Ok(_) => {}
        Err(problem) => {
            let _ = Error::InvalidName { problem }.to_string();
        }
    }

    let _ = looks_like_app_password(&password);
    if let Ok(parsed) = AppPassword::parse(&SecretString::from(password.clone())) {
        let again = AppPassword::parse(&SecretString::from(parsed.expose().to_string()))
            .expect("a parsed password parses again");
        assert_eq!(
            again.expose(),
            parsed.expose(),
            "normalization is idempotent"
        );
        assert_eq!(again.shape(), parsed.shape());
        // A password is spelled in what it was typed as — unless nothing of it is left once
        // spaces and hyphens are dropped (`-`), which never counts as a spelling.
        if password.chars().any(|c| !c.is_whitespace() && c != '-') {
            assert!(parsed.is_spelled_in(&password));
        }
        let _ = parsed.is_spelled_in(&name);
    }

    for text in [&address, &name] {
        let escaped = escape_controls(text);
        assert!(!escaped.chars().any(char::is_control), "{escaped:?}");
    }
    let cols = width
        .bytes()
        .fold(0usize, |n, b| (n * 31 + usize::from(b)) % 200)
        + 1;
    let wrapped = wrap_text(&escape_controls(&name), cols);
    for line in wrapped.lines() {
        let shown = console::measure_text_width(line);
        // A single word wider than the screen cannot be broken at a word boundary.
        if cols >= 10 && shown > cols {
            assert!(!line.trim().contains(' '), "{cols} columns: {line:?}");
        }
    }
});
