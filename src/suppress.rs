//! Inline suppressions, written where the finding is:
//!
//! - Markdown: `<!-- purpose-lint disable rule-id[, ...] -->` until
//!   `<!-- purpose-lint enable [rule-id, ...] -->`, and
//!   `<!-- purpose-lint disable-next-line rule-id -->`.
//! - Text: the same directives on a line of their own after `# purpose-lint:`
//!   (`# purpose-lint: disable-next-line audience/everyone`). Such lines are
//!   not part of the statement.
//!
//! A directive without rule ids applies to every rule; an id may also be a
//! prefix (`audience/`). A suppression hides findings; the scores still count
//! the evidence, so a statement cannot be made to look precise by comments
//! (use `ignore` in the configuration to stop a rule from running). A
//! directive that hides nothing is itself reported, as ruff does for unused
//! `noqa` comments, so stale suppressions do not pile up.

use std::sync::LazyLock;

use regex::Regex;

use crate::config::selector_matches;
use crate::document::SourceKind;
use crate::finding::Finding;
use crate::span::{LineIndex, Span};

static MARKDOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*purpose-lint\s+(disable-next-line|disable|enable)\b([^>]*?)\s*-->")
        .expect("valid")
});
static TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^[ \t]*#[ \t]*purpose-lint:[ \t]*(disable-next-line|disable|enable)\b([^\r\n]*)$",
    )
    .expect("valid")
});

/// Whether a line of a plain-text file is a suppression directive.
pub fn is_text_directive(line: &str) -> bool {
    let t = line.trim_start();
    t.strip_prefix('#')
        .is_some_and(|r| r.trim_start().starts_with("purpose-lint:"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Disable,
    Enable,
    NextLine,
}

/// One directive in a file.
#[derive(Debug, Clone)]
pub struct Directive {
    action: Action,
    /// Rule ids or prefixes; empty means every rule.
    rules: Vec<String>,
    /// Where the directive is in the file.
    pub span: Span,
    /// 1-based line of the directive.
    line: usize,
}

impl Directive {
    fn covers(&self, rule: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| selector_matches(r, rule))
    }

    /// The directive as written, for messages.
    pub fn describe(&self) -> String {
        let action = match self.action {
            Action::Disable => "disable",
            Action::Enable => "enable",
            Action::NextLine => "disable-next-line",
        };
        if self.rules.is_empty() {
            action.to_string()
        } else {
            format!("{action} {}", self.rules.join(", "))
        }
    }
}

/// Every directive in `source`.
pub fn parse(source: &str, kind: SourceKind, lines: &LineIndex) -> Vec<Directive> {
    // Every directive names the tool: a text without the name has none,
    // and the expressions need not be compiled (half a million
    // instructions, a sixtieth of a one-file run).
    if memchr::memmem::find(source.as_bytes(), b"purpose-lint").is_none() {
        return Vec::new();
    }
    let re = match kind {
        SourceKind::Markdown => &*MARKDOWN,
        SourceKind::Text => &*TEXT,
    };
    re.captures_iter(source)
        .map(|c| {
            let whole = c.get(0).expect("group 0");
            let action = match &c[1] {
                "disable" => Action::Disable,
                "enable" => Action::Enable,
                _ => Action::NextLine,
            };
            let rules = c[2]
                .split([',', ' ', '\t'])
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect();
            let span = Span::new(whole.start(), whole.end());
            Directive {
                action,
                rules,
                span,
                line: lines.line_of(span.start) + 1,
            }
        })
        .collect()
}

/// Drops the findings the directives hide; returns the kept findings and the
/// directives (disable and disable-next-line) that hid nothing.
pub fn apply(findings: Vec<Finding>, directives: &[Directive]) -> (Vec<Finding>, Vec<Directive>) {
    let mut used = vec![false; directives.len()];
    let kept = findings
        .into_iter()
        .filter(|f| {
            let line = f.start.line;
            match hider(directives, &f.rule, line) {
                Some(i) => {
                    used[i] = true;
                    false
                }
                None => true,
            }
        })
        .collect();
    let unused = directives
        .iter()
        .zip(used)
        .filter(|(d, u)| !u && d.action != Action::Enable)
        .map(|(d, _)| d.clone())
        .collect();
    (kept, unused)
}

/// The directive that hides a finding of `rule` on `line`, if any.
fn hider(directives: &[Directive], rule: &str, line: usize) -> Option<usize> {
    let mut active: Option<usize> = None;
    for (i, d) in directives.iter().enumerate() {
        match d.action {
            Action::NextLine if d.line + 1 == line && d.covers(rule) => return Some(i),
            Action::Disable if d.line <= line && d.covers(rule) => active = Some(i),
            Action::Enable if d.line <= line && d.covers(rule) => active = None,
            _ => {}
        }
    }
    active
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Dimension, Severity};
    use crate::span::Position;

    fn finding(rule: &str, line: usize) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Warning,
            dimension: Dimension::Audience,
            message: String::new(),
            suggestion: String::new(),
            span: Span::default(),
            start: Position { line, column: 1 },
            end: Position { line, column: 2 },
        }
    }

    fn directives(src: &str, kind: SourceKind) -> Vec<Directive> {
        parse(src, kind, &LineIndex::new(src))
    }

    #[test]
    fn regions_and_next_line_hide_findings() {
        let src = "a\n<!-- purpose-lint disable audience/ -->\nb\n<!-- purpose-lint enable -->\nc\n<!-- purpose-lint disable-next-line outcome/vague-good -->\nd\n";
        let d = directives(src, SourceKind::Markdown);
        assert_eq!(d.len(), 3);
        let (kept, unused) = apply(
            vec![
                finding("audience/everyone", 3),
                finding("audience/everyone", 5),
                finding("outcome/vague-good", 7),
                finding("outcome/vague-good", 3),
            ],
            &d,
        );
        let lines: Vec<_> = kept
            .iter()
            .map(|f| (f.rule.as_str(), f.start.line))
            .collect();
        assert_eq!(lines, [("audience/everyone", 5), ("outcome/vague-good", 3)]);
        assert!(unused.is_empty());
    }

    #[test]
    fn unused_directives_are_returned() {
        let src = "# purpose-lint: disable-next-line audience/everyone\nNurses in Leeds.\n";
        let d = directives(src, SourceKind::Text);
        let (_, unused) = apply(vec![], &d);
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].describe(), "disable-next-line audience/everyone");
    }

    #[test]
    fn text_directive_lines_are_recognised() {
        assert!(is_text_directive("  # purpose-lint: disable"));
        assert!(!is_text_directive("# Purpose"));
    }
}
