//! Desktop notifications: one `Notify` call to `org.freedesktop.Notifications` on the
//! session bus, for `check --notify`. Owns nothing else.
//!
//! The call is made with `zbus`, the D-Bus implementation the keyring crate already builds
//! (its blocking API, no extra features), so notifications add no dependency. It runs on its
//! own thread and is waited for at most the given time: a session bus that hangs, or a
//! notification service that never answers, cannot hold up a check run from a timer. Where
//! there is no such service (a server, a container, macOS) the caller says so on standard
//! error and its exit code stays what the check found.

use std::time::Duration;

/// Why no notification was shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotifyProblem {
    /// This platform has no freedesktop notification service (macOS, Windows).
    Unsupported,
    /// The bus or the service did not answer within the time limit.
    TimedOut,
    /// No session bus, no service owning the name, or the service refused: D-Bus's words.
    Failed(String),
}

/// One notification: a one-line summary and a body, both plain text.
#[derive(Clone, Debug)]
pub(crate) struct Notification {
    pub(crate) summary: String,
    pub(crate) body: String,
}

/// The application name servers show beside the notification.
pub(crate) const APP_NAME: &str = "icloud-setup";

/// Shows `notification`, waiting at most `timeout` for the service's answer.
pub(crate) fn show(notification: &Notification, timeout: Duration) -> Result<(), NotifyProblem> {
    let notification = notification.clone();
    let (done, answer) = std::sync::mpsc::channel();
    // Detached on purpose: a hung bus leaves the thread behind, and the process (a check
    // run) ends soon after anyway.
    std::thread::spawn(move || {
        let _ = done.send(call(&notification));
    });
    answer
        .recv_timeout(timeout)
        .unwrap_or(Err(NotifyProblem::TimedOut))
}

/// `&`, `<` and `>` as entities: servers that advertise `body-markup` read the body as a
/// small subset of HTML, and an address or a path must not turn into markup there.
pub(crate) fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(all(unix, not(target_vendor = "apple")))]
fn call(notification: &Notification) -> Result<(), NotifyProblem> {
    use std::collections::HashMap;
    use zbus::zvariant::Value;

    let failed = |e: zbus::Error| NotifyProblem::Failed(e.to_string());
    let connection = zbus::blocking::Connection::session().map_err(failed)?;
    let mut hints: HashMap<&str, Value<'_>> = HashMap::new();
    // Critical: the mail has stopped and stays stopped until the person acts, so the
    // notification stays until it is dismissed.
    hints.insert("urgency", Value::U8(2));
    hints.insert("desktop-entry", Value::from(APP_NAME));
    let body = escape_markup(&notification.body);
    connection
        .call_method(
            Some("org.freedesktop.Notifications"),
            "/org/freedesktop/Notifications",
            Some("org.freedesktop.Notifications"),
            "Notify",
            &(
                APP_NAME,
                0u32,
                "dialog-warning",
                notification.summary.as_str(),
                body.as_str(),
                Vec::<&str>::new(),
                hints,
                -1i32,
            ),
        )
        .map_err(failed)?;
    Ok(())
}

#[cfg(not(all(unix, not(target_vendor = "apple"))))]
fn call(_notification: &Notification) -> Result<(), NotifyProblem> {
    Err(NotifyProblem::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities_and_nothing_else_changes() {
        assert_eq!(
            escape_markup("a&b <i>x</i> ü @icloud.com"),
            "a&amp;b &lt;i&gt;x&lt;/i&gt; ü @icloud.com"
        );
        assert_eq!(escape_markup(""), "");
    }

    proptest::proptest! {
        #[test]
        fn escaped_text_holds_no_markup_and_reads_back(text in "\\PC{0,60}") {
            let escaped = escape_markup(&text);
            proptest::prop_assert!(!escaped.contains(['<', '>']));
            let back = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            proptest::prop_assert_eq!(back, text);
        }
    }
}
