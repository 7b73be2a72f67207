//! `icloud-setup check [EMAIL]`: live-tests saved accounts with the stored secret — the
//! named one, or every saved account. A pass updates `verified_at`; the exit code is that
//! of the worst result. Every account gets its ✓/✗ line — also one whose password is
//! missing — and with several, a one-line summary per account ends the run. `check`
//! saves nothing but `verified_at`, so its failure never says "nothing was saved". With
//! `--send-test`, a message is also sent to oneself, watched for and removed
//! (`send_test`) before the pass is recorded. A pass that cannot be recorded (a config
//! in a read-only place) is still a pass: it is said, with why, and the exit is 0.
//!
//! Several accounts are tested side by side, at most [`PARALLEL`] at a time (ten accounts
//! one after another took ten times as long as one); their results are printed in the
//! accounts' order as each becomes the next one due, and send tests, which watch a mailbox,
//! still run one after another.
//!
//! `--quiet` (for cron and timers) prints nothing on success, and one or two lines per
//! failing account — the address, what happened, the fix — on standard error. `--notify`
//! adds a desktop notification for the failures the person must act on (a refused password,
//! an unusable password store: 77 and 78), never for those that pass by themselves (75, 69);
//! a notification that cannot be shown is said on standard error and changes no exit code.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use crate::commands::accounts;
use crate::commands::context::Context;
use crate::commands::live_test;
use crate::commands::record_verified_with;
use crate::commands::send_test::{self, SendTarget};
use crate::config::Account;
use crate::domain::AppPassword;
use crate::error::Error;
use crate::folders::Roles;
use crate::mail::{MailCheck, ProbeReport, Protocol};
use crate::messages::{self, CheckLine, QuietFailure};
use crate::plan::{AccountPlan, Servers};
use crate::prompt::{Progress, PromptError, Prompter};
use crate::secrets::{SecretStore, StoreKind};

/// How many accounts are tested at the same time. Each test holds two connections to
/// Apple's servers for well under a second; ten at once (twenty connections) lets ten
/// accounts take about as long as one (the target: at most 1.5 times one account at
/// 100 ms round trips, which three or four waves of a smaller bound cannot meet), and no
/// more than that, so a long list never opens a flood of connections.
pub(crate) const PARALLEL: usize = 10;

/// How `check` runs, from its flags.
#[derive(Clone, Debug, Default)]
pub(crate) struct CheckOptions {
    /// How long to wait for the test message, when one is to be sent.
    pub(crate) send_test: Option<Duration>,
    pub(crate) quiet: bool,
    pub(crate) notify: bool,
}

pub(crate) fn run(
    ctx: &mut Context<'_>,
    email: Option<&str>,
    options: &CheckOptions,
) -> Result<(), Error> {
    let config = ctx.config.load()?;
    let targets: Vec<Account> = match email {
        Some(_) => vec![accounts::pick(&config, email, ctx.prompter, "check")?.clone()],
        None if config.accounts.is_empty() => return Err(Error::NoAccountSaved),
        None => config.accounts.clone(),
    };
    let results = if options.quiet {
        // Quiet: everything the check would say goes nowhere; only the failures are told.
        let silent: &'static mut Silent = Box::leak(Box::new(Silent));
        let loud = std::mem::replace(&mut ctx.prompter, silent);
        let results = check_all(ctx, &targets, options.send_test);
        ctx.prompter = loud;
        for (email, outcome) in &results {
            if let Err(error) = outcome {
                ctx.prompter
                    .say(&messages::quiet_failure(email, &classify(error)));
            }
        }
        results
    } else {
        check_all(ctx, &targets, options.send_test)
    };
    if options.notify {
        notify_failures(ctx, &results);
    }
    let total = results.len();
    let mut failed = Vec::new();
    let mut worst: Option<Error> = None;
    for (email, outcome) in results {
        if let Err(error) = outcome {
            failed.push(email);
            if worst.as_ref().is_none_or(|w| rank(&error) > rank(w)) {
                worst = Some(error);
            }
        }
    }
    match worst {
        None => Ok(()),
        Some(worst) if options.quiet => Err(Error::QuietCheckFailed {
            code: worst.exit_code(),
        }),
        Some(worst) => Err(Error::CheckFailed {
            failed,
            total,
            worst: Box::new(worst),
        }),
    }
}

/// Tests every target (side by side when there are several) and says how each did, with a
/// summary when there are several.
fn check_all(
    ctx: &mut Context<'_>,
    targets: &[Account],
    send_test: Option<Duration>,
) -> Vec<(String, Result<(), Error>)> {
    if ctx.options.servers != Servers::default() {
        // Each account is checked against the servers it was saved with.
        ctx.prompter.say(&messages::t!(
            "server-options-do-not-apply",
            command = "check"
        ));
    }
    let results = if targets.len() == 1 {
        vec![(
            targets[0].email.clone(),
            check_one(ctx, &targets[0], send_test),
        )]
    } else {
        check_side_by_side(ctx, targets, send_test)
    };
    if results.len() > 1 {
        let mut summary = messages::t!("check-summary-heading");
        for (email, outcome) in &results {
            summary.push('\n');
            summary.push_str(&messages::check_summary_line(email, &line_for(outcome)));
        }
        ctx.prompter.say(&summary);
    }
    results
}

/// What happened to one account, in the few words of `--quiet` and `--notify`.
pub(crate) fn classify(error: &Error) -> QuietFailure {
    match error {
        Error::SecretMissing { store, .. } => QuietFailure::PasswordMissing(*store),
        Error::SendRefused { .. } => QuietFailure::SenderRefused,
        Error::Keyring { problem } => QuietFailure::StoreUnusable(messages::store_problem(problem)),
        other => match other.exit_code() {
            77 => QuietFailure::PasswordRefused,
            78 => QuietFailure::StoreUnusable(other.to_string()),
            75 => QuietFailure::Temporary,
            69 => QuietFailure::Unreachable,
            _ => QuietFailure::Other(match other {
                Error::LiveTestFailed { reports } => messages::check_live_test_failed(reports),
                other => other.to_string(),
            }),
        },
    }
}

/// Whether a failure needs the person (77, 78), so it is worth a notification.
fn needs_the_person(failure: &QuietFailure) -> bool {
    matches!(
        failure,
        QuietFailure::PasswordRefused
            | QuietFailure::SenderRefused
            | QuietFailure::PasswordMissing(_)
            | QuietFailure::StoreUnusable(_)
    )
}

/// One notification per account the person must act on, each bounded by `--timeout`; a
/// notification that cannot be shown is said once on standard error.
fn notify_failures(ctx: &mut Context<'_>, results: &[(String, Result<(), Error>)]) {
    let timeout = ctx.options.timeout;
    let mut unshown = None;
    for (email, outcome) in results {
        let Err(error) = outcome else { continue };
        let failure = classify(error);
        if !needs_the_person(&failure) {
            continue;
        }
        let (summary, body) = messages::notification(email, &failure);
        let shown = crate::notify::show(&crate::notify::Notification { summary, body }, timeout);
        if let Err(problem) = shown {
            unshown.get_or_insert(problem);
        }
    }
    if let Some(problem) = unshown {
        ctx.prompter
            .say(&messages::notification_not_shown(&problem));
    }
}

/// One account's result in the summary.
fn line_for(outcome: &Result<(), Error>) -> CheckLine {
    match outcome {
        Ok(()) => CheckLine::Passed,
        Err(Error::SecretMissing { .. }) => CheckLine::SecretMissing,
        Err(Error::LiveTestFailed { reports }) => {
            CheckLine::Failed(messages::check_live_test_failed(reports))
        }
        Err(other) => CheckLine::Failed(other.to_string()),
    }
}

fn check_one(
    ctx: &mut Context<'_>,
    account: &Account,
    send_test: Option<Duration>,
) -> Result<(), Error> {
    ctx.prompter.say(&messages::checking(&account.email));
    let (kind, store) = crate::commands::store_for(ctx, account)?;
    let plan =
        AccountPlan::for_saved(account).map_err(|problem| Error::InvalidAddress { problem })?;
    // Connecting first: the secret is read while TCP, TLS and the greetings are in flight.
    // Nothing about the account is sent until the secret is in hand.
    let pre = live_test::preconnect(ctx, &plan.servers);
    let password = match read_password(&*store, kind, &account.email) {
        Ok(password) => password,
        Err(error) => return Err(say_unreadable(ctx, &account.email, error)),
    };
    let reports = live_test::run_preconnected(ctx, &plan, &password, &pre);
    finish(
        ctx,
        account,
        &plan,
        &password,
        reports,
        send_test,
        Record::Now,
    )
}

/// The saved password of `email`, or why there is none to test with.
fn read_password(
    store: &dyn SecretStore,
    kind: StoreKind,
    email: &str,
) -> Result<AppPassword, Error> {
    let missing = || Error::SecretMissing {
        email: email.to_string(),
        store: kind,
    };
    match store.read(email) {
        Ok(Some(secret)) => AppPassword::parse(&secret).map_err(|_| missing()),
        Ok(None) => Err(missing()),
        Err(problem) => Err(Error::from(problem)),
    }
}

/// Every account gets its ✓/✗ line, also when there is nothing to test with.
fn say_unreadable(ctx: &mut Context<'_>, email: &str, error: Error) -> Error {
    let line = match &error {
        Error::SecretMissing { .. } => CheckLine::SecretMissing,
        other => CheckLine::Failed(other.to_string()),
    };
    ctx.prompter
        .say(&messages::check_summary_line(email, &line));
    error
}

/// After the live test: explain a failure, or run the send test and record the pass.
fn finish(
    ctx: &mut Context<'_>,
    account: &Account,
    plan: &AccountPlan,
    password: &AppPassword,
    reports: Vec<ProbeReport>,
    send_test: Option<Duration>,
    record: Record,
) -> Result<(), Error> {
    if reports.iter().any(|r| r.failure().is_some()) {
        live_test::explain(ctx, &reports);
        return Err(Error::LiveTestFailed { reports });
    }
    if let (Some(wait), Ok(imap_username)) = (send_test, &reports[0].outcome) {
        let target = SendTarget {
            plan,
            imap_username,
            password,
        };
        send_test::run(ctx, &target, wait)?;
    }
    match record {
        Record::Now => {
            let learned = live_test::folder_roles(&reports[0]);
            let recorded = record_verified_with(ctx, &account.email, learned.as_ref());
            still_a_pass(ctx, recorded)
        }
        Record::Later => Ok(()),
    }
}

/// Whether [`finish`] records a pass itself, or leaves it to one update for all accounts.
#[derive(Clone, Copy)]
enum Record {
    Now,
    Later,
}

/// What one account's live test found, before anything about it is printed.
struct Probed {
    plan: AccountPlan,
    /// The password and both reports, or why there was nothing to test with.
    tested: Result<(AppPassword, Vec<ProbeReport>), Error>,
}

/// Tests the accounts [`PARALLEL`] at a time on worker threads; this thread prints each
/// account's lines in the accounts' order as soon as it is the next one due, then runs its
/// send test (one at a time) and records its pass.
fn check_side_by_side(
    ctx: &mut Context<'_>,
    targets: &[Account],
    send_test: Option<Duration>,
) -> Vec<(String, Result<(), Error>)> {
    // Where each account's secret lives is settled here, so the workers only read.
    let mut stores: Vec<Option<(StoreKind, crate::commands::AccountStore<'_>)>> = Vec::new();
    let mut unusable: Vec<Option<Error>> = Vec::new();
    for account in targets {
        match crate::commands::store_for(ctx, account) {
            Ok(store) => {
                stores.push(Some(store));
                unusable.push(None);
            }
            Err(error) => {
                stores.push(None);
                unusable.push(Some(error));
            }
        }
    }
    let mail = ctx.mail;
    let language = crate::language::current();
    let next = AtomicUsize::new(0);
    let (sender, arrived) = mpsc::channel::<(usize, Option<Result<Probed, Error>>)>();
    let mut results: Vec<(String, Result<(), Error>)> = Vec::with_capacity(targets.len());
    // The folder roles each account's live test learned, in the same order as `results`.
    let mut learned: Vec<Option<Roles>> = Vec::with_capacity(targets.len());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(targets.len()) {
            let sender = sender.clone();
            let (next, stores) = (&next, &stores);
            scope.spawn(move || {
                crate::language::pin_for_this_thread(language);
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(account) = targets.get(index) else {
                        break;
                    };
                    // An account whose store is unusable is reported by this thread.
                    let probed = stores[index]
                        .as_ref()
                        .map(|(kind, store)| probe(mail, &**store, *kind, account));
                    if sender.send((index, probed)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut pending: Vec<Option<Option<Result<Probed, Error>>>> =
            targets.iter().map(|_| None).collect();
        for (index, probed) in arrived {
            pending[index] = Some(probed);
            // Print every account that is now next in order.
            while let Some(Some(_)) = pending.get(results.len()) {
                let due = results.len();
                let probed = pending[due].take().expect("checked above");
                let account = &targets[due];
                let (outcome, roles) = match (probed, unusable[due].take()) {
                    (Some(probed), _) => report(ctx, account, probed, send_test),
                    (None, error) => {
                        ctx.prompter.say(&messages::checking(&account.email));
                        (
                            Err(error.expect("no probe only for an unusable store")),
                            None,
                        )
                    }
                };
                results.push((account.email.clone(), outcome));
                learned.push(roles);
            }
        }
    });
    // The passes, recorded in one rewrite of the config (each rewrite is synced to disk:
    // ten of them cost more than the tests). Should it fail, each account is recorded on
    // its own, so each gets its own result.
    let passed: Vec<(&str, Option<&Roles>)> = results
        .iter()
        .zip(&learned)
        .filter(|((_, outcome), _)| outcome.is_ok())
        .map(|((email, _), roles)| (email.as_str(), roles.as_ref()))
        .collect();
    if !passed.is_empty() && crate::commands::record_verified_all(ctx, &passed).is_err() {
        for ((email, outcome), roles) in results.iter_mut().zip(&learned) {
            if outcome.is_ok() {
                let recorded = record_verified_with(ctx, email, roles.as_ref());
                *outcome = still_a_pass(ctx, recorded);
            }
        }
    }
    results
}

/// The live test of one account, off the main thread: nothing is printed.
fn probe(
    mail: &dyn MailCheck,
    store: &dyn SecretStore,
    kind: StoreKind,
    account: &Account,
) -> Result<Probed, Error> {
    let plan =
        AccountPlan::for_saved(account).map_err(|problem| Error::InvalidAddress { problem })?;
    let pre = mail.preconnect(&plan.servers.imap, &plan.servers.smtp);
    let tested = read_password(store, kind, &account.email).map(|password| {
        let reports = live_test::probe_both(mail, &plan, &password, &pre);
        (password, reports)
    });
    Ok(Probed { plan, tested })
}

/// Prints one account's lines as [`check_one`] does, from its finished probe; with the
/// folder roles its live test learned, for the one update that records every pass.
fn report(
    ctx: &mut Context<'_>,
    account: &Account,
    probed: Result<Probed, Error>,
    send_test: Option<Duration>,
) -> (Result<(), Error>, Option<Roles>) {
    ctx.prompter.say(&messages::checking(&account.email));
    let probed = match probed {
        Ok(probed) => probed,
        Err(error) => return (Err(error), None),
    };
    let (password, reports) = match probed.tested {
        Ok(tested) => tested,
        Err(error) => return (Err(say_unreadable(ctx, &account.email, error)), None),
    };
    let roles = live_test::folder_roles(&reports[0]);
    for report in &reports {
        let server = match report.protocol {
            Protocol::Imap => &probed.plan.servers.imap,
            Protocol::Smtp => &probed.plan.servers.smtp,
        };
        ctx.prompter
            .progress(&messages::testing(report.protocol, server))
            .finish(report.outcome.is_ok(), &messages::probe_result(report));
    }
    live_test::say_transcripts(ctx, &reports);
    let outcome = finish(
        ctx,
        account,
        &probed.plan,
        &password,
        reports,
        send_test,
        Record::Later,
    );
    (outcome, roles)
}

/// A pass whose time cannot be recorded is still a pass: the account works, only the note
/// of when it was last seen working is missing (a read-only config, a dotfiles link into a
/// read-only store, another run holding the lock). That is said, with why.
fn still_a_pass(ctx: &mut Context<'_>, recorded: Result<(), Error>) -> Result<(), Error> {
    match recorded {
        Err(
            error @ (Error::ConfigWrite { .. }
            | Error::ConfigSymlink { .. }
            | Error::ConfigLocked { .. }),
        ) => {
            ctx.prompter.say(&messages::t!(
                "verification-not-recorded",
                why = error.to_string()
            ));
            Ok(())
        }
        other => other,
    }
}

/// Which failure decides the exit code when several accounts fail: a refused login (the
/// person must act) first, then security problems, a broken keyring, unreachable servers,
/// and last what may pass by itself.
fn rank(error: &Error) -> u8 {
    match error.exit_code() {
        77 => 6,
        76 => 5,
        78 => 4,
        69 => 3,
        74 => 2,
        75 => 1,
        _ => 0,
    }
}

/// The prompter of `--quiet`: says nothing, shows no progress, asks nothing.
struct Silent;

impl Prompter for Silent {
    fn can_prompt(&self) -> bool {
        false
    }

    fn say(&mut self, _text: &str) {}

    fn ask_text(
        &mut self,
        _question: &str,
        _validate: crate::prompt::Validator<'_>,
    ) -> Result<String, PromptError> {
        Err(quiet_cannot_ask())
    }

    fn ask_optional_text(&mut self, _question: &str) -> Result<Option<String>, PromptError> {
        Err(quiet_cannot_ask())
    }

    fn ask_secret(&mut self, _question: &str) -> Result<secrecy::SecretString, PromptError> {
        Err(quiet_cannot_ask())
    }

    fn choose(
        &mut self,
        _question: &str,
        _options: &[String],
        _default: usize,
    ) -> Result<usize, PromptError> {
        Err(quiet_cannot_ask())
    }

    fn progress(&mut self, _label: &str) -> Box<dyn Progress> {
        Box::new(NoProgress)
    }
}

/// `can_prompt` is false, so nothing asks; should something, it fails instead of blocking.
fn quiet_cannot_ask() -> PromptError {
    PromptError::Terminal(std::io::Error::other("--quiet asks nothing"))
}

struct NoProgress;

impl Progress for NoProgress {
    fn finish(self: Box<Self>, _succeeded: bool, _text: &str) {}
}
