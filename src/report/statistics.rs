//! `--statistics`: how often each rule fired across all files, most first,
//! instead of each finding (as ruff's `--statistics`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{Reporter, Summary};
use crate::Linter;
use crate::document::Document;
use crate::finding::Report;
use crate::rules::Severity;

/// The statistics reporter.
#[derive(Debug, Default)]
pub struct Statistics {
    counts: BTreeMap<String, (usize, Severity)>,
}

impl Reporter for Statistics {
    fn file(
        &mut self,
        _out: &mut dyn Write,
        _doc: &Document,
        r: &Report,
        _l: &Linter,
    ) -> io::Result<()> {
        for f in &r.findings {
            self.counts
                .entry(f.rule.clone())
                .or_insert((0, f.severity))
                .0 += 1;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let mut rows: Vec<_> = self.counts.iter().collect();
        rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        for (rule, (n, severity)) in rows {
            writeln!(out, "{n:>6}  {:<7}  {rule}", severity.as_str())?;
        }
        writeln!(out, "{} file(s) checked", s.files)?;
        out.flush()
    }
}
