//! Markdown extraction and the whole lint of a charter: no panic, spans on
//! character boundaries inside the file, positions consistent.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use purpose_lint::{Document, Linter, PurposeHeadings, SourceKind};

static LINTER: LazyLock<Linter> = LazyLock::new(|| Linter::builtin().expect("built-in packs"));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = Document::parse("f.md", text.to_string(), SourceKind::Markdown, &PurposeHeadings::default());
    let report = LINTER.lint(&doc);
    for f in &report.findings {
        assert!(f.span.start <= f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        assert!(f.start <= f.end);
    }
    for s in [report.scores.audience, report.scores.outcome, report.scores.contribution, report.scores.overall] {
        assert!((0.0..=100.0).contains(&s));
    }
});
