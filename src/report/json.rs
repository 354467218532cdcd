//! `--format json`: one JSON document, `{"version": 1, "files": [...]}`,
//! written file by file. The README documents every field.

use std::io::{self, Write};

use serde::Serialize;

use super::{Reporter, Summary};
use crate::document::Document;
use crate::finding::{Evidence, Report, Scores};
use crate::rules::{Dimension, Severity};

/// The JSON reporter.
#[derive(Debug, Default)]
pub struct Json {
    written: usize,
    /// The file being written, pretty-printed, before it is indented.
    buffer: Vec<u8>,
}

impl Json {
    /// A reporter that has written nothing yet.
    pub fn new() -> Self {
        Json::default()
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    statement: StatementOut<'a>,
    scores: Scores,
    findings: Vec<FindingOut<'a>>,
    evidence: EvidenceOut<'a>,
}

#[derive(Serialize)]
struct StatementOut<'a> {
    text: &'a str,
    line: usize,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    severity: Severity,
    dimension: Dimension,
    message: &'a str,
    suggestion: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
}

#[derive(Serialize)]
struct EvidenceOut<'a> {
    audience: Vec<&'a Evidence>,
    outcome: Vec<&'a Evidence>,
    contribution: Vec<&'a Evidence>,
    clarity: Vec<&'a Evidence>,
}

impl Reporter for Json {
    fn file(
        &mut self,
        out: &mut dyn Write,
        _doc: &Document,
        r: &Report,
        _linter: &crate::Linter,
    ) -> io::Result<()> {
        if self.written == 0 {
            out.write_all(b"{\n  \"version\": 1,\n  \"files\": [\n")?;
        } else {
            out.write_all(b",\n")?;
        }
        self.written += 1;
        let by = |d: Dimension| r.evidence.iter().filter(|e| e.dimension == d).collect();
        let file = FileOut {
            path: &r.path,
            statement: StatementOut {
                text: &r.statement,
                line: r.statement_line,
            },
            scores: r.scores,
            findings: r
                .findings
                .iter()
                .map(|f| FindingOut {
                    rule: &f.rule,
                    severity: f.severity,
                    dimension: f.dimension,
                    message: &f.message,
                    suggestion: &f.suggestion,
                    line: f.start.line,
                    column: f.start.column,
                    end_line: f.end.line,
                    end_column: f.end.column,
                    byte_start: f.span.start,
                    byte_end: f.span.end,
                })
                .collect(),
            evidence: EvidenceOut {
                audience: by(Dimension::Audience),
                outcome: by(Dimension::Outcome),
                contribution: by(Dimension::Contribution),
                clarity: by(Dimension::Clarity),
            },
        };
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, &file).map_err(io::Error::other)?;
        write_indented(out, &self.buffer)
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if self.written == 0 {
            out.write_all(b"{\n  \"version\": 1,\n  \"files\": [")?;
        } else {
            out.write_all(b"\n  ")?;
        }
        let s = serde_json::json!({
            "files": summary.files,
            "errors": summary.errors,
            "findings": {
                "error": summary.by_severity[2],
                "warning": summary.by_severity[1],
                "info": summary.by_severity[0],
            }
        });
        writeln!(out, "],\n  \"summary\": {s}\n}}")?;
        out.flush()
    }
}

/// How deep a file's object sits in the document: inside `files`.
const INDENT: &[u8] = b"    ";

/// Writes `text` indenting each line by [`INDENT`]. JSON strings escape
/// their line breaks, so every newline in it is one between lines. (A
/// line at a time through `lines()` and `write!` was a tenth of a
/// 1,000-file run in `--format json`.)
fn write_indented(out: &mut dyn Write, mut text: &[u8]) -> io::Result<()> {
    out.write_all(INDENT)?;
    while let Some(at) = memchr::memchr(b'\n', text) {
        out.write_all(&text[..=at])?;
        out.write_all(INDENT)?;
        text = &text[at + 1..];
    }
    out.write_all(text)
}
