//! The composition root: choose the language, parse the command line, run, turn the
//! outcome into an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    icloud_setup::app::choose_language();
    match icloud_setup::cli::parse().and_then(icloud_setup::app::run_with_real_adapters) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            icloud_setup::app::report_error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}
