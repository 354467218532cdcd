//! `--format github`: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request, and a Markdown score card
//! appended to the file named by `$GITHUB_STEP_SUMMARY` when it is set.

use std::io::{self, Write};
use std::path::PathBuf;

use super::{Reporter, Summary};
use crate::Linter;
use crate::document::Document;
use crate::finding::Report;
use crate::rules::Severity;

/// The GitHub reporter.
#[derive(Debug, Default)]
pub struct Github {
    summary_path: Option<PathBuf>,
    rows: Vec<String>,
}

impl Github {
    /// A reporter that writes its score card to `summary_path`, if any
    /// (normally `$GITHUB_STEP_SUMMARY`).
    pub fn new(summary_path: Option<PathBuf>) -> Self {
        Github {
            summary_path,
            rows: Vec::new(),
        }
    }
}

/// Escapes a workflow command's data (after `::`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn file(
        &mut self,
        out: &mut dyn Write,
        _doc: &Document,
        r: &Report,
        _l: &Linter,
    ) -> io::Result<()> {
        for f in &r.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&r.path),
                f.start.line,
                f.start.column,
                f.end.line,
                f.end.column,
                property(&format!("purpose-lint {}", f.rule)),
                data(&format!("{} (help: {})", f.message, f.suggestion))
            )?;
        }
        let s = &r.scores;
        self.rows.push(format!(
            "| `{}` | {:.0} | {:.0} | {:.0} | {:.0} | {} |",
            r.path.replace('|', "\\|"),
            s.overall,
            s.audience,
            s.outcome,
            s.contribution,
            r.findings.len()
        ));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        out.flush()?;
        let Some(path) = &self.summary_path else {
            return Ok(());
        };
        let mut card = String::from(
            "### purpose-lint\n\n| file | overall | audience | outcome | contribution | findings |\n|---|---:|---:|---:|---:|---:|\n",
        );
        for row in &self.rows {
            card.push_str(row);
            card.push('\n');
        }
        card.push('\n');
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?
            .write_all(card.as_bytes())
    }
}
