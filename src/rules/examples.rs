//! Runs every rule's own examples: each `hit` text must make the rule fire
//! (a finding, or credit for a signal) and each `miss` text must not. The
//! test suite runs this over the built-in packs; pack authors run it over
//! theirs.

use std::fmt;

use super::{ExampleFormat, Rule, RuleSet};
use crate::document::{Document, SourceKind};
use crate::engine;
use crate::markdown::PurposeHeadings;

/// An example that did not behave as its rule promised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule.
    pub rule: String,
    /// The pack it came from.
    pub pack: String,
    /// The example text.
    pub text: String,
    /// True when the rule should have fired and did not.
    pub expected_hit: bool,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.expected_hit {
            "does not fire on its `hit` example"
        } else {
            "fires on its `miss` example"
        };
        write!(
            f,
            "{}: rule `{}` {what}: {:?}",
            self.pack, self.rule, self.text
        )
    }
}

/// Whether `rule` fires on `text` when the whole set is run.
pub fn fires(set: &RuleSet, rule: &Rule, text: &str) -> bool {
    let kind = match rule.examples.format {
        ExampleFormat::Text => SourceKind::Text,
        ExampleFormat::Markdown => SourceKind::Markdown,
    };
    let doc = Document::parse(
        "example",
        text.to_string(),
        kind,
        &PurposeHeadings::default(),
    );
    if rule.kind == super::RuleKind::Mask {
        let matcher = set.matcher(doc.text());
        return engine::masks(&doc, set)
            .iter()
            .any(|m| rule.patterns.iter().any(|p| matcher.is_match(p, *m)));
    }
    let report = engine::lint(&doc, set);
    report.findings.iter().any(|f| f.rule == rule.id)
        || report.evidence.iter().any(|e| e.rule == rule.id)
}

/// Checks the examples of every rule whose pack is `only_pack` (or of all
/// rules when `None`).
pub fn check(set: &RuleSet, only_pack: Option<&str>) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in set.rules() {
        if only_pack.is_some_and(|p| p != rule.pack) {
            continue;
        }
        let cases = rule
            .examples
            .hit
            .iter()
            .map(|t| (t, true))
            .chain(rule.examples.miss.iter().map(|t| (t, false)));
        for (text, expected_hit) in cases {
            if fires(set, rule, text) != expected_hit {
                failures.push(ExampleFailure {
                    rule: rule.id.clone(),
                    pack: rule.pack.clone(),
                    text: text.clone(),
                    expected_hit,
                });
            }
        }
    }
    failures
}
