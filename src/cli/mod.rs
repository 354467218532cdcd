//! The command line: parse arguments, run, map the outcome to an exit code.
//!
//! Exit codes: 0 nothing at or above `--fail-on` and no score under
//! `--min-score`; 1 otherwise; 2 a usage, pack or input error. A closed
//! output pipe ends the run quietly with the code it would have had.

mod args;
mod run;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

pub use args::Args;

/// Exit code for a clean run.
pub const EXIT_OK: u8 = 0;
/// Exit code when findings or scores fail the run.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage, configuration, pack and input errors.
pub const EXIT_ERROR: u8 = 2;

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and errors to stderr (exit 2).
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run::run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                // See ripgrep's main.rs: a closed pipe (`| head`) is not a failure.
                return ExitCode::from(EXIT_OK);
            }
            let mut stderr = io::stderr().lock();
            let _ = writeln!(stderr, "purpose-lint: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
