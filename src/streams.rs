//! Standard error written without ever panicking. (Standard output, where results go, is
//! `output`'s: a write there that does not land is an error.)
//!
//! `eprintln!` panics when standard error cannot be written ("failed printing to stderr",
//! exit 101): a closed terminal window, `2>&1 | head -1` after `head` has gone, `2>/dev/full`.
//! Standard error carries prompts, progress and the words of an error — if it is gone there
//! is nobody to tell, so the run goes on (or ends) with its own exit code and the failed
//! write is dropped. Every write to standard error in the program goes through here or
//! through a `console::Term` whose result is looked at.

use std::io::Write;

/// Writes `text` and a line break to standard error; a failure is ignored (see above).
pub(crate) fn to_stderr(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{text}").and_then(|()| stderr.flush());
}
