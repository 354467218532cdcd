//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Lint the purpose statement of a network or community: who is it for,
/// what changes, and how members contribute.
#[derive(Debug, Parser)]
#[command(
    name = "purpose-lint",
    version,
    about,
    max_term_width = 100,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; linting files when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options for linting (the default command).
    #[command(flatten)]
    pub check: CheckArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files (the default when no subcommand is given).
    Check(CheckArgs),
    /// List every rule: id, dimension, default severity, one line.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Extra rule pack (file or folder) to include; repeatable.
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
    },
    /// Explain a rule, with the text it flags and the text it leaves alone.
    Explain {
        /// The rule id, e.g. `audience/everyone`.
        rule: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Extra rule pack (file or folder) to include; repeatable.
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
    },
    /// Validate rule packs and run their examples (for pack authors).
    CheckPack {
        /// Pack files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Print the settings that apply to a path, and where each came from.
    Config {
        /// The file or folder whose settings to show.
        #[arg(default_value = ".", value_name = "PATH")]
        path: PathBuf,
        /// Use this configuration file instead of searching for one.
        #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
        config: Option<PathBuf>,
        /// Ignore configuration files.
        #[arg(long)]
        isolated: bool,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Options for linting.
#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// Files or directories to lint (`-` for standard input). Directories are
    /// walked for *.md, *.markdown and *.txt, honouring .gitignore.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to use colours (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Fail (exit 1) on a finding of at least this severity [default: warning].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOnArg>,

    /// Fail (exit 1) when a file's overall score is below this (0 turns it off) [default: 0].
    #[arg(long, value_name = "N", value_parser = parse_score)]
    pub min_score: Option<f64>,

    /// Always exit 0 on findings and scores (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Extra rule pack (a .toml file, or a folder of them); repeatable. A rule
    /// with the id of a built-in rule replaces it.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,

    /// Run only these rules (ids or prefixes such as `audience/`), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,

    /// Do not run these rules (ids or prefixes), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Use this configuration file instead of searching for one.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore configuration files.
    #[arg(long)]
    pub isolated: bool,

    /// Apply `exclude` globs to files named on the command line too (as
    /// pre-commit passes them).
    #[arg(long)]
    pub force_exclude: bool,

    /// The name standard input is reported as, and matched against config globs.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Treat standard input as Markdown (implied by a `--stdin-filename` ending in .md).
    #[arg(long)]
    pub stdin_markdown: bool,

    /// List the evidence behind each score.
    #[arg(long)]
    pub explain_score: bool,

    /// Print only findings: no score cards, no summary.
    #[arg(long, short)]
    pub quiet: bool,

    /// Print how often each rule fired instead of each finding.
    #[arg(long)]
    pub statistics: bool,

    /// Refuse files larger than this many bytes [default: 8388608].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,

    /// Lint with one thread (output is the same either way).
    #[arg(long)]
    pub no_parallel: bool,
}

fn parse_score(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not between 0 and 100"))
    }
}

/// Output formats for findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings with underlined source and a score card.
    Human,
    /// One line per finding: `path:line:col: severity rule message`.
    Concise,
    /// One JSON document (see the README).
    Json,
    /// GitHub Actions workflow commands, and a score card in $GITHUB_STEP_SUMMARY.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML: a test case per file.
    Junit,
}

/// Output formats for listings (`rules`, `explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Text for people.
    Human,
    /// JSON.
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
pub enum FailOnArg {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never fail on findings (scores and errors still can).
    Never,
}

impl From<FailOnArg> for purpose_lint::config::FailOn {
    fn from(f: FailOnArg) -> Self {
        use purpose_lint::config::FailOn;
        match f {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        }
    }
}
