//! Untrusted rule packs: loading never panics, whatever the bytes; a pack
//! that loads can lint a statement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use purpose_lint::{Linter, PackSource, PurposeHeadings, RuleSet, SourceKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = PackSource { path: "fuzz.toml".into(), text: text.to_string() };
    if let Ok(rules) = RuleSet::from_sources(&[source], 0) {
        let linter = Linter { rules, headings: PurposeHeadings::default() };
        let _ = linter.lint_str("s.txt", "Nurses in Leeds who share rotas monthly.", SourceKind::Text);
    }
});
