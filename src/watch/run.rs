//! Running the scheduler's tools (`systemctl`, `launchctl`) with a time limit: a user
//! manager that hangs must not hang `watch`. The output is small (a few lines), so it is
//! collected after the child exits.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a tool run ended in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RunProblem {
    /// The program is not installed (not on PATH).
    NotInstalled,
    /// It had not finished within the limit and was killed.
    TimedOut,
    /// It exited unsuccessfully: its exit code and standard error (trimmed, bounded).
    Failed { code: Option<i32>, stderr: String },
    /// It could not be started for another reason.
    Unstartable(String),
}

/// How much of a tool's output is kept: enough for any message, bounded against a flood.
const OUTPUT_LIMIT: u64 = 16 * 1024;

/// Runs `command` to its end or for at most `timeout`; its standard output on success.
pub(crate) fn bounded(command: &mut Command, timeout: Duration) -> Result<String, RunProblem> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RunProblem::NotInstalled,
            _ => RunProblem::Unstartable(e.to_string()),
        })?;
    // Both pipes are drained on threads, so a chatty child never blocks on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(pipe) = pipe {
                let _ = pipe.take(OUTPUT_LIMIT).read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunProblem::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(RunProblem::Unstartable(e.to_string())),
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    if status.success() {
        Ok(stdout)
    } else {
        Err(RunProblem::Failed {
            code: status.code(),
            stderr: stderr.trim().to_string(),
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_hanging_tool_is_stopped_at_the_limit() {
        let started = Instant::now();
        let result = bounded(
            Command::new("sh").args(["-c", "sleep 30"]),
            Duration::from_millis(300),
        );
        assert_eq!(result, Err(RunProblem::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn output_failure_and_absence_are_told_apart() {
        assert_eq!(
            bounded(
                Command::new("sh").args(["-c", "echo hi"]),
                Duration::from_secs(10)
            ),
            Ok("hi\n".into())
        );
        assert_eq!(
            bounded(
                Command::new("sh").args(["-c", "echo no >&2; exit 3"]),
                Duration::from_secs(10)
            ),
            Err(RunProblem::Failed {
                code: Some(3),
                stderr: "no".into()
            })
        );
        assert_eq!(
            bounded(
                &mut Command::new("/nonexistent/icloud-setup-no-such-tool"),
                Duration::from_secs(10)
            ),
            Err(RunProblem::NotInstalled)
        );
    }
}
