//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// Lint the purpose statement of a network or community: who is it for,
/// what changes, and how members contribute.
#[derive(Debug, Parser)]
#[command(name = "purpose-lint", version, about, max_term_width = 100)]
pub struct Args {
    /// Files or directories to lint (`-` for standard input). Directories are
    /// walked for *.md, *.markdown and *.txt, honouring .gitignore.
    #[arg(value_name = "PATH", default_value = "-")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colours (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Fail (exit 1) on a finding of at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning, value_name = "SEVERITY")]
    pub fail_on: FailOn,

    /// Fail (exit 1) when a file's overall score is below this (0 turns it off).
    #[arg(long, default_value_t = 0.0, value_name = "N", value_parser = parse_score)]
    pub min_score: f64,

    /// Extra rule pack (a .toml file, or a folder of them); repeatable. A rule
    /// with the id of a built-in rule replaces it.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,

    /// List the evidence behind each score.
    #[arg(long)]
    pub explain_score: bool,

    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = purpose_lint::input::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,

    /// Treat standard input as Markdown rather than plain text.
    #[arg(long)]
    pub stdin_markdown: bool,
}

fn parse_score(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not between 0 and 100"))
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with underlined source and a score card.
    Human,
    /// One JSON document (see the README).
    Json,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The least severity that fails a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never fail on findings (scores and errors still can).
    Never,
}
