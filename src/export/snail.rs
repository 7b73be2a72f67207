//! s-nail (mailx): a scratch client, to test the ARCHITECTURE.md recipe.

use crate::export::Note;

use super::{ExportInput, comment_block};

pub fn render(input: &ExportInput<'_>) -> String {
    let account = input.account;
    let header = [
        input.words.say(Note::Title {
            client: "s-nail",
            email: &account.email,
            command: "icloud-setup export snail",
        }),
        input.words.say(Note::PasswordCommand {
            client: "s-nail",
            command: &input.password_command.shell_line(),
            program: input.password_command.program().path(),
            per_use: true,
        }),
    ];
    let mut out = comment_block(&header.join("\n\n"));
    out.push_str(&format!(
        "set smtp=smtp://{}:{}\n",
        account.smtp.host, account.smtp.port
    ));
    out
}
