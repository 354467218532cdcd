//! Property tests on the parser and engine: whatever the input, no panic,
//! spans on character boundaries inside their text, clauses in order and
//! disjoint, scores in 0..=100.

use std::sync::LazyLock;

use proptest::prelude::*;
use purpose_lint::{Document, Linter, PurposeHeadings, SourceKind};

static LINTER: LazyLock<Linter> = LazyLock::new(|| Linter::builtin().unwrap());

/// Text that looks like statements and charters: words the rules know,
/// Markdown syntax, punctuation, line endings, and arbitrary Unicode.
fn statement() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "nurses", "teachers", "in Leeds", "everyone", "who", "so that", "each member",
            "monthly", "reduce", "waiting times", "by 2028", "50%", "empower", "get involved",
            "The Release Working Group", "and", "to", "by sharing", "we", "Members",
        ]).prop_map(str::to_string),
        2 => prop::sample::select(vec![
            ". ", ", ", "; ", ": ", " — ", "\n", "\r\n", "\r", "\n\n", "\t", "# ", "## Purpose\n",
            "**", "- ", "> ", "```\n", "<!-- purpose-lint disable -->", "| a | b |\n", "---\n",
            "\u{200d}", "\u{301}", "👩‍👩‍👧", "東京", "ليدز", "\u{feff}", "'", "’", "(", ")",
        ]).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.join(" "))
}

fn check(text: &str, kind: SourceKind) -> Result<(), TestCaseError> {
    let doc = Document::parse("p", text.to_string(), kind, &PurposeHeadings::default());
    let prose = doc.text();
    let mut last = 0;
    for s in doc.sentences() {
        prop_assert!(prose.is_char_boundary(s.span.start) && prose.is_char_boundary(s.span.end));
        prop_assert!(s.span.start >= last, "sentences out of order");
        last = s.span.end;
    }
    let mut last = 0;
    for c in doc.clauses() {
        prop_assert!(prose.is_char_boundary(c.span.start) && prose.is_char_boundary(c.span.end));
        prop_assert!(c.span.start >= last, "clauses overlap or go backwards");
        prop_assert!(doc.sentences()[c.sentence].span.contains(c.span));
        last = c.span.end;
    }
    for w in doc.words() {
        prop_assert!(prose.is_char_boundary(w.start) && prose.is_char_boundary(w.end));
    }
    let report = LINTER.lint(&doc);
    for f in &report.findings {
        prop_assert!(f.span.end <= text.len());
        prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        prop_assert!(f.start.line >= 1 && f.start.column >= 1 && f.start <= f.end);
    }
    for s in [
        report.scores.audience,
        report.scores.outcome,
        report.scores.contribution,
        report.scores.overall,
    ] {
        prop_assert!((0.0..=100.0).contains(&s), "score {s}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_statement_is_handled(text in statement()) {
        check(&text, SourceKind::Text)?;
    }

    #[test]
    fn any_markdown_charter_is_handled(text in statement()) {
        check(&text, SourceKind::Markdown)?;
    }

    #[test]
    fn arbitrary_unicode_is_handled(text in any::<String>()) {
        check(&text, SourceKind::Text)?;
        check(&text, SourceKind::Markdown)?;
    }
}
