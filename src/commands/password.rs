//! `icloud-setup password [EMAIL]`: the app-specific password and a newline on standard
//! output, for a mail program's password command (msmtp `passwordeval`, mbsync `PassCmd`,
//! neomutt, aerc, himalaya). Refuses to print to a terminal unless `--reveal`, so it does
//! not end up on a screen or in a scrollback by accident.

use secrecy::ExposeSecret;

use crate::commands::accounts;
use crate::commands::context::Context;
use crate::error::Error;

pub(crate) fn run(ctx: &mut Context<'_>, email: Option<&str>, reveal: bool) -> Result<(), Error> {
    if ctx.stdout_is_terminal && !reveal {
        return Err(Error::PasswordToTerminal);
    }
    let config = ctx.config.load()?;
    let account = accounts::pick(&config, email, ctx.prompter, "password")?;
    let (kind, store) = crate::commands::store_for(ctx, account)?;
    let secret = store
        .read(&account.email)?
        .ok_or_else(|| Error::SecretMissing {
            email: account.email.clone(),
            store: kind,
        })?;
    // Straight from the zeroizing secret to the stream: no plain copy to leave behind.
    // Standard output is line-buffered, so the two writes still leave as one line.
    let written = ctx
        .stdout
        .write_all(secret.expose_secret().as_bytes())
        .and_then(|()| ctx.stdout.write_all(b"\n"))
        .and_then(|()| ctx.stdout.flush());
    written.map_err(Error::Output)
}
