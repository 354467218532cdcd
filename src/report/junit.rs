//! `--format junit`: JUnit XML, one test case per file with its scores, and
//! each finding as a `<failure>` whose type is the rule id, so CI dashboards
//! that read JUnit show which charters need work and why.

use std::io::{self, Write};

use super::{Reporter, Summary, xml_escape};
use crate::Linter;
use crate::document::Document;
use crate::finding::Report;

/// The JUnit reporter; cases are buffered because the root element carries
/// the totals.
#[derive(Debug, Default)]
pub struct Junit {
    cases: Vec<String>,
    failures: usize,
}

impl Junit {
    /// An empty reporter.
    pub fn new() -> Self {
        Junit::default()
    }
}

impl Reporter for Junit {
    fn file(
        &mut self,
        _out: &mut dyn Write,
        _doc: &Document,
        r: &Report,
        _l: &Linter,
    ) -> io::Result<()> {
        let s = &r.scores;
        let mut case = format!(
            "    <testcase classname=\"purpose-lint\" name=\"{}\">\n      <system-out>overall {:.1}, audience {:.1}, outcome {:.1}, contribution {:.1}</system-out>\n",
            xml_escape(&r.path),
            s.overall,
            s.audience,
            s.outcome,
            s.contribution
        );
        for f in &r.findings {
            self.failures += 1;
            case.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}:{}:{} {} {}\nhelp: {}</failure>\n",
                xml_escape(&f.rule),
                xml_escape(&f.message),
                xml_escape(&r.path),
                f.start.line,
                f.start.column,
                f.severity,
                xml_escape(&f.message),
                xml_escape(&f.suggestion)
            ));
        }
        case.push_str("    </testcase>\n");
        self.cases.push(case);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"purpose-lint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            s.files, self.failures, s.errors
        )?;
        writeln!(
            out,
            "  <testsuite name=\"purpose-lint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
            s.files, self.failures, s.errors
        )?;
        for c in &self.cases {
            out.write_all(c.as_bytes())?;
        }
        writeln!(out, "  </testsuite>\n</testsuites>")?;
        out.flush()
    }
}
