//! The macOS launchd agent of the watch: `~/Library/LaunchAgents/<label>.plist`, running the
//! check daily at a spread time of day (launchd has no randomized delay; a run missed while
//! the Mac slept is made up when it wakes, as `StartCalendarInterval` does).
//!
//! Compiled and tested (the text) on every platform, called only on macOS — and not yet run
//! on a Mac: loading it with `launchctl bootstrap` is untested.

use std::path::{Path, PathBuf};

/// The agent's label, also its file name.
pub(crate) const LABEL: &str = "io.github.icloud-setup.check";

/// Where the agent is written: `~/Library/LaunchAgents/io.github.icloud-setup.check.plist`.
pub(crate) fn agent_path(home: &Path) -> PathBuf {
    home.join("Library/LaunchAgents")
        .join(format!("{LABEL}.plist"))
}

/// The command that loads the agent for the logged-in user.
pub(crate) fn load_command(path: &Path) -> String {
    format!("launchctl bootstrap gui/$(id -u) '{}'", path.display())
}

/// The command that unloads it.
pub(crate) fn unload_command(path: &Path) -> String {
    format!("launchctl bootout gui/$(id -u) '{}'", path.display())
}

fn xml_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The property list: `args` (program first) daily at `hour:minute`.
pub(crate) fn plist_text(args: &[String], hour: u8, minute: u8, comment: &str) -> String {
    let mut arguments = String::new();
    for arg in args {
        arguments.push_str(&format!("        <string>{}</string>\n", xml_escaped(arg)));
    }
    // `--` cannot appear inside an XML comment.
    let comment = comment.replace("--", "- -");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <!-- {comment} -->\n\
         <plist version=\"1.0\">\n\
         <dict>\n\
         \x20   <key>Label</key>\n\
         \x20   <string>{LABEL}</string>\n\
         \x20   <key>ProgramArguments</key>\n\
         \x20   <array>\n\
         {arguments}\
         \x20   </array>\n\
         \x20   <key>StartCalendarInterval</key>\n\
         \x20   <dict>\n\
         \x20       <key>Hour</key>\n\
         \x20       <integer>{hour}</integer>\n\
         \x20       <key>Minute</key>\n\
         \x20       <integer>{minute}</integer>\n\
         \x20   </dict>\n\
         \x20   <key>ProcessType</key>\n\
         \x20   <string>Background</string>\n\
         </dict>\n\
         </plist>\n",
        comment = xml_escaped(&comment),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn escaped_text_holds_no_markup_and_reads_back(text in "\\PC{0,60}") {
            let escaped = xml_escaped(&text);
            proptest::prop_assert!(!escaped.contains(['<', '>', '"', '\'']));
            let back = escaped
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            proptest::prop_assert_eq!(back, text);
        }
    }

    #[test]
    fn the_agent_names_the_program_and_its_arguments_escaped() {
        let args: Vec<String> = ["/Apps/a&b <x>/icloud-setup", "check", "--quiet", "--notify"]
            .map(String::from)
            .to_vec();
        let text = plist_text(&args, 9, 30, "Written by `icloud-setup watch on` -- x");
        assert!(text.contains("<string>/Apps/a&amp;b &lt;x&gt;/icloud-setup</string>"));
        assert!(text.contains("<string>--quiet</string>"));
        assert!(text.contains("<integer>9</integer>"));
        assert!(text.contains("<integer>30</integer>"));
        assert!(text.contains(&format!("<string>{LABEL}</string>")));
        // The comment holds no `--`, which XML forbids inside comments.
        let comment_line = text.lines().nth(2).unwrap();
        let inside = comment_line
            .strip_prefix("<!--")
            .and_then(|l| l.strip_suffix("-->"))
            .unwrap();
        assert!(!inside.contains("--"), "{comment_line}");
        assert_eq!(
            agent_path(Path::new("/Users/j")),
            PathBuf::from("/Users/j/Library/LaunchAgents/io.github.icloud-setup.check.plist")
        );
    }
}
