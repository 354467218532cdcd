//! Replays every committed fuzz input through the same checks as the fuzz
//! targets (`fuzz/fuzz_targets/`), so plain `cargo test` keeps them
//! passing: the seed corpora in `fuzz/corpus/<target>/` and the inputs that
//! once crashed, in `fuzz/regressions/<target>-<name>`.

use std::path::Path;

use purpose_lint::{Document, Linter, PackSource, PurposeHeadings, RuleSet, SourceKind};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in [root.join("corpus").join(target), root.join("regressions")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let ours = dir.ends_with(target) || name.starts_with(&format!("{target}-"));
            if ours && path.is_file() {
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

#[test]
fn markdown_inputs() {
    let linter = Linter::builtin().unwrap();
    let cases = inputs("markdown");
    assert!(!cases.is_empty());
    for (name, data) in cases {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let doc = Document::parse(
            "f.md",
            text.to_string(),
            SourceKind::Markdown,
            &PurposeHeadings::default(),
        );
        let report = linter.lint(&doc);
        for f in &report.findings {
            assert!(f.span.end <= text.len(), "{name}");
            assert!(
                text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
                "{name}"
            );
        }
    }
}

#[test]
fn clause_inputs() {
    let cases = inputs("clauses");
    assert!(!cases.is_empty());
    for (name, data) in cases {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let doc = Document::parse(
            "f.txt",
            text.to_string(),
            SourceKind::Text,
            &PurposeHeadings::default(),
        );
        let mut last = 0;
        for c in doc.clauses() {
            assert!(c.span.start >= last, "{name}: clauses overlap");
            assert!(doc.sentences()[c.sentence].span.contains(c.span), "{name}");
            last = c.span.end;
        }
    }
}

#[test]
fn pack_inputs() {
    let cases = inputs("packs");
    assert!(!cases.is_empty());
    for (name, data) in cases {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let source = PackSource {
            path: name.clone(),
            text: text.to_string(),
        };
        if let Ok(rules) = RuleSet::from_sources(&[source], 0) {
            let linter = Linter {
                rules,
                headings: PurposeHeadings::default(),
            };
            let _ = linter.lint_str(
                "s.txt",
                "Nurses in Leeds who share rotas monthly.",
                SourceKind::Text,
            );
        }
    }
}
