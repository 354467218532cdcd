//! The command line: parse arguments, run, map the outcome to an exit code.
//!
//! Exit codes: 0 nothing at or above `--fail-on` and no score under
//! `--min-score`; 1 otherwise; 2 a usage, configuration, pack or input
//! error. A closed output pipe ends the run quietly.

mod args;
mod commands;
mod inputs;
mod run;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// Exit code for a clean run.
pub const EXIT_OK: u8 = 0;
/// Exit code when findings or scores fail the run.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage, configuration, pack and input errors.
pub const EXIT_ERROR: u8 = 2;

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and errors to stderr (exit 2).
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match &cli.command {
        None => run::check(&cli.check),
        Some(Command::Check(args)) => run::check(args),
        Some(Command::Rules { format, rules }) => commands::list(*format, rules),
        Some(Command::Explain {
            rule,
            format,
            rules,
        }) => commands::explain(rule, *format, rules),
        Some(Command::CheckPack { paths }) => commands::check_pack(paths),
        Some(Command::Config {
            path,
            config,
            isolated,
        }) => commands::show_config(path, config.as_deref(), *isolated),
        Some(Command::Completions { shell }) => commands::completions(*shell),
        Some(Command::Man) => commands::man(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                // See ripgrep's main.rs: a closed pipe (`| head`) is not a failure.
                return ExitCode::from(EXIT_OK);
            }
            let _ = writeln!(io::stderr().lock(), "purpose-lint: error: {e:#}");
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
