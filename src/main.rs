//! The composition root: parse the command line, run, turn the outcome into an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = icloud_setup::cli::parse();
    match icloud_setup::app::run_with_real_adapters(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            icloud_setup::app::report_error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}
