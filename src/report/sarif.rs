//! `--format sarif`: SARIF 2.1.0, which GitHub code scanning and other
//! tools ingest. Rules carry their explanation as help text; each file's
//! scores are kept in the run's properties. Columns are Unicode code points,
//! as the rest of purpose-lint counts them (`columnKind`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Reporter, Summary};
use crate::Linter;
use crate::document::Document;
use crate::finding::Report;
use crate::rules::{Rule, Severity};

/// The SARIF reporter; results are buffered because the log is one document.
#[derive(Debug, Default)]
pub struct Sarif {
    rules: BTreeMap<String, Value>,
    results: Vec<(String, Value)>,
    scores: Vec<Value>,
}

impl Sarif {
    /// An empty log.
    pub fn new() -> Self {
        Sarif::default()
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(r: &Rule) -> Value {
    let first_line = r.summary();
    let mut markdown = r.explanation.trim().to_string();
    if let Some(hit) = r.examples.hit.first() {
        markdown.push_str(&format!(
            "\n\nFlagged:\n\n    {}",
            hit.replace('\n', "\n    ")
        ));
    }
    if let Some(miss) = r.examples.miss.first() {
        markdown.push_str(&format!(
            "\n\nClean:\n\n    {}",
            miss.replace('\n', "\n    ")
        ));
    }
    json!({
        "id": r.id,
        "name": r.id.replace('/', "-"),
        "shortDescription": { "text": first_line },
        "fullDescription": { "text": r.explanation.trim() },
        "help": { "text": r.explanation.trim(), "markdown": markdown },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": { "dimension": r.dimension.as_str(), "kind": r.kind.name() }
    })
}

/// A relative URI reference for a path as the user gave it.
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
        .replace('#', "%23")
        .replace('?', "%3F")
}

impl Reporter for Sarif {
    fn file(
        &mut self,
        _out: &mut dyn Write,
        _doc: &Document,
        r: &Report,
        linter: &Linter,
    ) -> io::Result<()> {
        for f in &r.findings {
            if let Some(rule) = linter.rules.get(&f.rule) {
                self.rules
                    .entry(rule.id.clone())
                    .or_insert_with(|| rule_descriptor(rule));
            }
            let result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": format!("{} (help: {})", f.message, f.suggestion) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&r.path) },
                        "region": {
                            "startLine": f.start.line,
                            "startColumn": f.start.column,
                            "endLine": f.end.line,
                            "endColumn": f.end.column.max(f.start.column + usize::from(f.end.line == f.start.line))
                        }
                    }
                }],
                "properties": { "dimension": f.dimension.as_str(), "suggestion": f.suggestion }
            });
            self.results.push((f.rule.clone(), result));
        }
        self.scores
            .push(json!({ "path": r.path, "scores": r.scores }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let ids: Vec<&String> = self.rules.keys().collect();
        let results: Vec<Value> = self
            .results
            .drain(..)
            .map(|(id, mut v)| {
                if let Some(i) = ids.iter().position(|x| **x == id) {
                    v["ruleIndex"] = json!(i);
                }
                v
            })
            .collect();
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "purpose-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://crates.io/crates/purpose-lint",
                    "rules": self.rules.values().collect::<Vec<_>>()
                }},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {
                    "scores": self.scores,
                    "filesChecked": summary.files,
                    "filesNotLinted": summary.errors
                }
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
        writeln!(out)?;
        out.flush()
    }
}
