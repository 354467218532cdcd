//! Plain-text statements through sentence and clause splitting: clauses are
//! ordered, disjoint, inside their sentence and on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use purpose_lint::{Document, PurposeHeadings, SourceKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let doc = Document::parse("f.txt", text.to_string(), SourceKind::Text, &PurposeHeadings::default());
    let prose = doc.text();
    let mut last_end = 0;
    for c in doc.clauses() {
        assert!(c.span.start >= last_end, "clauses overlap or go backwards");
        assert!(prose.is_char_boundary(c.span.start) && prose.is_char_boundary(c.span.end));
        assert!(doc.sentences()[c.sentence].span.contains(c.span));
        last_end = c.span.end;
        let original = doc.to_original(c.span);
        assert!(original.end <= text.len());
        assert!(text.is_char_boundary(original.start) && text.is_char_boundary(original.end));
    }
});
