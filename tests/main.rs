//! The one integration-test binary (`autotests = false` in Cargo.toml, as ripgrep and just
//! do): every file beside this one is a module of it, so `tests/support/` is compiled once and
//! the whole suite links once.
//!
//! Run one part with a filter, e.g. `cargo test faults::` or `cargo test terminal::`.

mod support;

mod architecture;
mod cli;
mod export;
mod fake_servers_selftest;
mod faults;
mod flow;
mod lifecycle;
mod peer_harness;
mod real_peers;
mod terminal;
