//! The one integration-test binary (`autotests = false` in Cargo.toml, as ripgrep and just
//! do): every file beside this one is a module of it, so `tests/support/` is compiled once and
//! the whole suite links once.
//!
//! Run one part with a filter, e.g. `cargo test faults::` or `cargo test terminal::`.

// The modules of this binary share their helpers with `pub`; nothing here is a public API.
#![allow(unreachable_pub)]
// Tests report their own progress with `eprintln!`; a test harness without stderr may panic.
#![allow(clippy::print_stderr)]
// Test code keeps a few shapes pedantic lints frown on: a hand-made base64 decoder's byte
// casts, uid/pid casts for libc, helpers that take what a table row owns, constants next
// to their one use, file names matched exactly as the program writes them.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::case_sensitive_file_extension_comparisons,
    clippy::needless_pass_by_value,
    clippy::items_after_statements,
    clippy::unnecessary_wraps,
    clippy::unused_self
)]

mod support;

mod architecture;
mod bench;
mod bounds;
mod broken_streams;
mod cli;
mod completions;
mod config_comments;
mod export;
mod fake_servers_selftest;
mod faults;
mod flow;
mod folders;
mod german_words;
mod git_send_email;
mod hostile_input;
mod input;
mod language;
mod lifecycle;
mod mail_readers_props;
mod mail_wire;
mod pass_store;
mod peer_harness;
mod real_peers;
mod screen;
mod send_test;
mod send_test_proof;
mod store_choice;
mod stores;
mod terminal;
mod trust;
mod watch;
