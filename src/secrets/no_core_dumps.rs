//! No core dump of this process: it holds the app-specific password in memory (typed,
//! read from the store, sent to the servers), and a core file — `ulimit -c unlimited`, or
//! systemd-coredump collecting every crash by default — would keep it on disk.
//!
//! Two locks, because each covers what the other does not: the core size limit 0 stops a
//! core file written by the kernel everywhere on Unix, but not a core handed to a pipe
//! (`core_pattern = |systemd-coredump`, which ignores the limit); the Linux "dumpable"
//! flag off stops both, and also keeps other processes of the same user from reading this
//! one's memory through `/proc` or ptrace. Programs this one starts (`pass`, `gpg`) get the
//! flag back at `exec`, as they should; they guard their own secrets.

/// Turns core dumps off for the rest of the process's life. Best effort: a platform that
/// refuses leaves things as they were (the program works either way).
pub(crate) fn forbid() {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, setrlimit};
        let _ = setrlimit(Resource::RLIMIT_CORE, 0, 0);
    }
    #[cfg(target_os = "linux")]
    {
        let _ = nix::sys::prctl::set_dumpable(false);
    }
}
