//! `icloud-setup settings [--email ADDR]`: iCloud's server settings table (hosts, ports,
//! security, usernames, "POP is not supported"); saves nothing, reads nothing.

use crate::commands::context::{Context, write_stdout};
use crate::domain::EmailAddress;
use crate::error::Error;
use crate::messages;

/// Prints the table, with the usernames of `email` when one is given.
pub(crate) fn run(ctx: &mut Context<'_>, email: Option<&str>) -> Result<(), Error> {
    if let Some(text) = email {
        EmailAddress::parse(text).map_err(|problem| Error::InvalidAddress { problem })?;
    }
    let table = messages::settings_table(&ctx.options.servers, None, email);
    // Plain ASCII symbols outside a UTF-8 locale, as `status` does.
    let table = crate::display_safe::for_terminal(&table, crate::display_safe::locale_is_utf8());
    // On a terminal, long values wrap under their column, not under the labels.
    let stdout = console::Term::stdout();
    let table = match stdout.size_checked() {
        Some((_, cols)) if ctx.stdout_is_terminal && cols > 0 => {
            crate::prompt::wrap::wrap_table(&table, usize::from(cols))
        }
        _ => table,
    };
    write_stdout(ctx, &table)
}
