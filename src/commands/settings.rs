//! `icloud-setup settings [--email ADDR]`: iCloud's server settings table (hosts, ports,
//! security, usernames, "POP is not supported"); saves nothing, reads nothing.

use crate::commands::context::{Context, write_stdout};
use crate::domain::EmailAddress;
use crate::error::Error;
use crate::messages;

/// Prints the table, with the usernames of `email` when one is given.
pub fn run(ctx: &mut Context<'_>, email: Option<&str>) -> Result<(), Error> {
    if let Some(text) = email {
        EmailAddress::parse(text).map_err(|problem| Error::InvalidAddress { problem })?;
    }
    let table = messages::settings_table(&ctx.options.servers, None, email);
    write_stdout(ctx, &table)
}
