//! A panic on request, for the tests of the panic report (`app::install_panic_report`):
//! compiled only with the `test-support` feature, which the integration tests' build of the
//! binary has (the dev-dependency on this crate turns it on) and a release build never has.
//!
//! `ICLOUD_SETUP_TEST_PANIC=<point>` panics at that point, with a message that carries
//! `carried` (what was typed, in the line editor) — so a test can show that the report
//! never repeats a panic's words.

/// The environment variable naming the point to panic at.
pub const VARIABLE: &str = "ICLOUD_SETUP_TEST_PANIC";

/// Panics if the tests asked for a panic at `point`.
pub(crate) fn at(point: &str, carried: &str) {
    let asked = std::env::var(VARIABLE).is_ok_and(|asked| asked == point);
    assert!(!asked, "panic requested at {point}; carrying {carried}");
}
