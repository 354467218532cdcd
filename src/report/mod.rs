//! Reporters: turn each file's [`Report`] into what a user or a machine reads.
//!
//! Reporters stream: each file is written as soon as it is linted, so memory
//! does not grow with the number of files. They write to any `io::Write`;
//! colour is decided by the caller and passed in, so output is deterministic.

mod concise;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
mod statistics;

use std::io::{self, Write};

pub use concise::Concise;
pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use junit::Junit;
pub use sarif::Sarif;
pub use statistics::Statistics;

use crate::Linter;
use crate::document::Document;
use crate::finding::Report;
use crate::rules::Severity;

/// Totals over a run, for the closing line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files linted.
    pub files: usize,
    /// Findings by severity: info, warning, error.
    pub by_severity: [usize; 3],
    /// Files that could not be read or linted.
    pub errors: usize,
    /// Files with a score under its minimum.
    pub below_min: usize,
}

impl Summary {
    /// Counts one file's findings.
    pub fn add(&mut self, report: &Report) {
        self.files += 1;
        for f in &report.findings {
            self.by_severity[f.severity as usize] += 1;
        }
    }

    /// Findings at or above `level`.
    pub fn at_or_above(&self, level: Severity) -> usize {
        self.by_severity[level as usize..].iter().sum()
    }
}

/// Something that prints reports.
pub trait Reporter {
    /// Writes one file's report; `doc` gives the source lines to quote and
    /// `linter` the rules that produced it.
    ///
    /// # Errors
    /// Write errors from the output.
    fn file(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        report: &Report,
        linter: &Linter,
    ) -> io::Result<()>;

    /// Writes whatever closes the output.
    ///
    /// # Errors
    /// Write errors from the output.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// Escapes text for XML attribute and element content.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}
