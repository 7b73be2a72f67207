//! Test support shared by the integration tests: certificates made at test time, real peers
//! (Dovecot, GNOME Keyring's Secret Service) and scripted fault servers.
//!
//! Compiled once, as a module of the one test binary (`tests/main.rs`).

pub mod binary;
pub mod certs;
pub mod dead_address;
pub mod delay_proxy;
pub mod dovecot;
pub mod fake_servers;
pub mod in_process;
pub mod peer_world;
pub mod peers;
pub mod process;
pub mod pty;
pub mod secret_service;
pub mod smtp_sink;
