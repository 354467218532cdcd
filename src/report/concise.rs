//! `--format concise`: one line per finding, `path:line:col: severity rule
//! message`, for other CI systems and editors' error parsers.

use std::io::{self, Write};

use super::{Reporter, Summary};
use crate::Linter;
use crate::document::Document;
use crate::finding::Report;

/// The concise reporter.
#[derive(Debug, Default)]
pub struct Concise;

impl Reporter for Concise {
    fn file(
        &mut self,
        out: &mut dyn Write,
        _doc: &Document,
        r: &Report,
        _l: &Linter,
    ) -> io::Result<()> {
        for f in &r.findings {
            writeln!(
                out,
                "{}:{}:{}: {} {} {}",
                r.path, f.start.line, f.start.column, f.severity, f.rule, f.message
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _s: &Summary) -> io::Result<()> {
        out.flush()
    }
}
