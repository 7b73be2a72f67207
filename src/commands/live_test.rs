//! Running the live test for a plan: IMAP and SMTP at the same time, each behind its own
//! progress line, failures explained, and — in a terminal — the choice to type the
//! password again, retry or quit. Shared by setup, rotate and check.

use crate::commands::context::Context;
use crate::domain::{AppPassword, PasswordShape};
use crate::error::Error;
use crate::folders::Roles;
use crate::mail::{Preconnected, ProbeReport, Protocol};
use crate::messages;
use crate::plan::AccountPlan;
use crate::prompt::Prompter;

/// A password both servers accepted, the IMAP username that worked, and the folder roles
/// the account's `LIST` showed (`None` when the list was given up).
pub(crate) struct Verified {
    pub password: AppPassword,
    pub imap_username: String,
    pub folders: Option<Roles>,
}

/// The folder roles of an IMAP report's `LIST`, when it has one.
pub(crate) fn folder_roles(report: &ProbeReport) -> Option<Roles> {
    report.folders.as_deref().map(crate::folders::roles)
}

/// Opens the connections to the plan's servers now, up to the logins, while the caller
/// reads the keyring or the person types, so the handshakes cost no waiting. Sends nothing about the account;
/// dropping the handle closes them.
pub(crate) fn preconnect(ctx: &Context<'_>, servers: &crate::plan::Servers) -> Preconnected {
    ctx.mail.preconnect(&servers.imap, &servers.smtp)
}

/// Tests until both servers accept, or the person gives up, the first test using the
/// connections `pre` opened ahead of time. `may_reenter` is false when the password came
/// from standard input and cannot be asked for again.
pub(crate) fn verify_preconnected(
    ctx: &mut Context<'_>,
    plan: &AccountPlan,
    mut password: AppPassword,
    may_reenter: bool,
    question: &str,
    pre: &Preconnected,
) -> Result<Verified, Error> {
    loop {
        let reports = run_preconnected(ctx, plan, &password, pre);
        if let Ok(username) = &reports[0].outcome
            && reports[1].outcome.is_ok()
        {
            return Ok(Verified {
                folders: folder_roles(&reports[0]),
                password,
                imap_username: username.clone(),
            });
        }
        explain(ctx, &reports);
        if !ctx.prompter.can_prompt() || !may_reenter {
            return Err(Error::LiveTestFailed { reports });
        }
        let options = [
            messages::t!("option-reenter-password"),
            messages::t!("option-retry"),
            messages::t!("option-quit"),
        ];
        match ctx
            .prompter
            .choose(&messages::t!("ask-after-failure"), &options, 0)?
        {
            0 => password = ask_password(ctx.prompter, question)?,
            1 => {}
            _ => return Err(Error::LiveTestFailed { reports }),
        }
    }
}

/// Prints what went wrong with each failed probe.
pub(crate) fn explain(ctx: &mut Context<'_>, reports: &[ProbeReport]) {
    for report in reports.iter().filter(|r| r.failure().is_some()) {
        ctx.prompter.say(&messages::explain_failure(
            report,
            ctx.options.timeout.as_secs(),
        ));
    }
}

/// Tests IMAP and SMTP at the same time, using the connections `pre` opened ahead of time
/// (each once). Returns the IMAP report first, then SMTP.
pub(crate) fn run_preconnected(
    ctx: &mut Context<'_>,
    plan: &AccountPlan,
    password: &AppPassword,
    pre: &Preconnected,
) -> Vec<ProbeReport> {
    let imap_progress = ctx
        .prompter
        .progress(&messages::testing(Protocol::Imap, &plan.servers.imap));
    let smtp_progress = ctx
        .prompter
        .progress(&messages::testing(Protocol::Smtp, &plan.servers.smtp));
    let mail = ctx.mail;
    // The results are worded on the probe threads: in this thread's language.
    let language = crate::language::current();
    let (imap, smtp) = std::thread::scope(|scope| {
        let imap = scope.spawn(|| {
            crate::language::pin_for_this_thread(language);
            // The ✓ as soon as the login is decided; the folder list comes after it.
            let mut progress = Some(imap_progress);
            mail.check_imap_announcing(
                &plan.servers.imap,
                &plan.imap_ladder,
                password,
                pre,
                &mut |report| {
                    if let Some(progress) = progress.take() {
                        progress.finish(report.outcome.is_ok(), &messages::probe_result(report));
                    }
                },
            )
        });
        let smtp = scope.spawn(|| {
            crate::language::pin_for_this_thread(language);
            let report = mail.check_smtp_preconnected(
                &plan.servers.smtp,
                &plan.smtp_username,
                password,
                pre,
            );
            smtp_progress.finish(report.outcome.is_ok(), &messages::probe_result(&report));
            report
        });
        (
            imap.join().expect("the IMAP check does not panic"),
            smtp.join().expect("the SMTP check does not panic"),
        )
    });
    let reports = vec![imap, smtp];
    say_transcripts(ctx, &reports);
    reports
}

/// With `--verbose`, the conversation of each report (the secret masked).
pub(crate) fn say_transcripts(ctx: &mut Context<'_>, reports: &[ProbeReport]) {
    if ctx.options.verbose {
        for report in reports {
            for line in &report.transcript {
                ctx.prompter
                    .say(&messages::transcript_line(report.protocol, line));
            }
        }
    }
}

/// Tests IMAP and SMTP at the same time with nothing shown, for `check` of several
/// accounts, whose lines are printed afterwards in the accounts' order. Returns the IMAP
/// report first, then SMTP.
pub(crate) fn probe_both(
    mail: &dyn crate::mail::MailCheck,
    plan: &AccountPlan,
    password: &AppPassword,
    pre: &Preconnected,
) -> Vec<ProbeReport> {
    let language = crate::language::current();
    std::thread::scope(|scope| {
        let smtp = scope.spawn(|| {
            crate::language::pin_for_this_thread(language);
            mail.check_smtp_preconnected(&plan.servers.smtp, &plan.smtp_username, password, pre)
        });
        // IMAP on this thread: one thread fewer per account.
        let imap =
            mail.check_imap_preconnected(&plan.servers.imap, &plan.imap_ladder, password, pre);
        vec![imap, smtp.join().expect("the SMTP check does not panic")]
    })
}

/// Hidden input until there is a password of the right shape, or the person insists on
/// one of another shape.
pub(crate) fn ask_password(
    prompter: &mut dyn Prompter,
    question: &str,
) -> Result<AppPassword, Error> {
    loop {
        let typed = prompter.ask_secret(question)?;
        let Ok(password) = AppPassword::parse(&typed) else {
            prompter.say(&messages::t!("password-empty-try-again"));
            continue;
        };
        if password.shape() == PasswordShape::AppSpecific {
            return Ok(password);
        }
        prompter.say(&if typed_with_capitals(&password) {
            messages::t!("password-caps-lock")
        } else {
            messages::t!("password-unusual-shape")
        });
        let options = [
            messages::t!("option-reenter-password"),
            messages::t!("option-use-anyway"),
        ];
        if prompter.choose(&messages::t!("ask-unusual-password"), &options, 0)? == 1 {
            return Ok(password);
        }
    }
}

/// Whether a password of an unusual shape is an app-specific password with capital letters
/// — Caps Lock, or a phone capitalizing the first letter. Apple's are lowercase only, so
/// this is not the Apple ID password the general warning suspects, and the fix is another.
fn typed_with_capitals(password: &AppPassword) -> bool {
    let typed = password.expose();
    if !typed.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    // A copy of the secret: wiped when dropped.
    let lowered = zeroize::Zeroizing::new(typed.to_ascii_lowercase());
    crate::domain::looks_like_app_password(&lowered)
}

/// The app-specific password for a run: the one already read with `--password-stdin`
/// (warned about, never questioned, when its shape is unusual), or asked for with the
/// why-and-where guidance.
pub(crate) fn piped_or_asked(
    ctx: &mut Context<'_>,
    piped: Option<AppPassword>,
    question: &str,
) -> Result<AppPassword, Error> {
    if let Some(password) = piped {
        if password.shape() == PasswordShape::Unusual {
            ctx.prompter.say(&if typed_with_capitals(&password) {
                messages::t!("warning-caps-lock-password-flag")
            } else {
                messages::t!("warning-unusual-password-flag")
            });
        }
        return Ok(password);
    }
    ctx.prompter.say(&messages::t!("password-guidance"));
    ask_password(ctx.prompter, question)
}

/// The most `--password-stdin` reads, in bytes: an app-specific password is 19 characters,
/// and anything past a few KiB is a wrong pipe (a file, `/dev/zero`), refused before it
/// fills memory or reaches a server.
pub(crate) const PASSWORD_STDIN_LIMIT: usize = 4 * 1024;

/// One line from standard input: the whole of `--password-stdin`, at most
/// [`PASSWORD_STDIN_LIMIT`] bytes.
pub(crate) fn read_password_line(stdin: &mut dyn std::io::BufRead) -> Result<AppPassword, Error> {
    use std::io::{BufRead, Read};
    use zeroize::Zeroizing;
    // One buffer sized once for the most that is read, so it never grows: a grown buffer
    // leaves an unwiped copy of the password behind in the memory it gave up.
    let mut line = Zeroizing::new(Vec::with_capacity(PASSWORD_STDIN_LIMIT + 1));
    let read = (&mut *stdin)
        .take(PASSWORD_STDIN_LIMIT as u64 + 1)
        .read_until(b'\n', &mut line)
        .map_err(|e| Error::StdinUnreadable {
            detail: e.to_string(),
        })?;
    if read == 0 {
        return Err(Error::EmptyPassword);
    }
    let content = line.strip_suffix(b"\n").unwrap_or(&line);
    if content.len() > PASSWORD_STDIN_LIMIT {
        return Err(Error::PasswordStdinTooLong {
            limit_kib: PASSWORD_STDIN_LIMIT / 1024,
        });
    }
    let text = std::str::from_utf8(content).map_err(|_| Error::StdinUnreadable {
        detail: std::io::Error::from(std::io::ErrorKind::InvalidData).to_string(),
    })?;
    AppPassword::parse(&secrecy::SecretString::from(exact_copy(text)))
        .map_err(|_| Error::EmptyPassword)
}

/// `text` in a string of exactly its length: `SecretString::from` shrinks a string with
/// spare room into a new allocation, leaving the old one unwiped.
fn exact_copy(text: &str) -> String {
    let mut copy = String::with_capacity(text.len());
    copy.push_str(text);
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--password-stdin` is read with a limit: without one, 50 MB used 990 MB and were
    /// sent to both servers.
    #[test]
    fn a_piped_password_longer_than_the_limit_is_refused() {
        let long = "a".repeat(PASSWORD_STDIN_LIMIT + 1);
        for text in [long.clone(), format!("{long}\n"), "x".repeat(1 << 20)] {
            let error = read_password_line(&mut text.as_bytes()).unwrap_err();
            assert!(
                matches!(error, Error::PasswordStdinTooLong { limit_kib: 4 }),
                "{error:?}"
            );
            assert_eq!(error.exit_code(), 65);
        }
        // Exactly at the limit, with or without its newline, is read.
        let most = "b".repeat(PASSWORD_STDIN_LIMIT);
        for text in [most.clone(), format!("{most}\n"), format!("{most}\nmore")] {
            let password = read_password_line(&mut text.as_bytes()).unwrap();
            assert_eq!(password.expose(), most);
        }
        // An endless source is read no further than the limit.
        let mut zeros = std::io::BufReader::new(std::io::repeat(b'z'));
        assert!(matches!(
            read_password_line(&mut zeros),
            Err(Error::PasswordStdinTooLong { .. })
        ));
    }

    #[test]
    fn a_piped_password_that_is_not_utf8_is_unreadable() {
        let mut input: &[u8] = b"abc\xffdef\n";
        assert!(matches!(
            read_password_line(&mut input),
            Err(Error::StdinUnreadable { .. })
        ));
    }

    #[test]
    fn the_copy_handed_to_the_secret_has_no_spare_room_to_shed() {
        for text in ["abcd-efgh-ijkl-mnop", "Jürgen", "x"] {
            let copy = exact_copy(text);
            assert_eq!((copy.len(), copy.capacity()), (text.len(), text.len()));
        }
    }

    #[test]
    fn the_piped_password_is_one_trimmed_line() {
        let mut input: &[u8] = b"abcd efgh ijkl mnop\nsecond line\n";
        assert_eq!(
            read_password_line(&mut input).unwrap().expose(),
            "abcd-efgh-ijkl-mnop"
        );
        let mut closed: &[u8] = b"";
        assert!(matches!(
            read_password_line(&mut closed),
            Err(Error::EmptyPassword)
        ));
        let mut blank: &[u8] = b"  \n";
        assert!(matches!(
            read_password_line(&mut blank),
            Err(Error::EmptyPassword)
        ));
    }
}
