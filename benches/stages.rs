//! Per-stage micro-benchmarks, so a regression shows up where it happens:
//! `cargo bench`. Inputs are the examples shipped in `examples/`.

use purpose_lint::{Document, Linter, PurposeHeadings, RuleSet, SourceKind};

fn main() {
    divan::main();
}

const CHARTER: &str = include_str!("../examples/charter.md");
const PRECISE: &str = include_str!("../examples/precise.txt");

/// Loading and compiling the built-in packs: start-up for every run.
#[divan::bench(sample_count = 10)]
fn load_builtin_packs() -> RuleSet {
    RuleSet::builtin().unwrap()
}

/// Markdown: find the purpose section and extract its prose.
#[divan::bench]
fn markdown_extraction() -> usize {
    purpose_lint::markdown::extract(divan::black_box(CHARTER), &PurposeHeadings::default())
        .prose
        .text()
        .len()
}

/// Parsing a plain-text statement into sentences, clauses and words.
#[divan::bench]
fn parse_statement() -> usize {
    let doc = Document::parse(
        "p.txt",
        divan::black_box(PRECISE).to_string(),
        SourceKind::Text,
        &PurposeHeadings::default(),
    );
    doc.clauses().len()
}

/// The engine on one parsed statement, with the built-in packs.
#[divan::bench]
fn engine_one_statement(bencher: divan::Bencher) {
    let linter = Linter::builtin().unwrap();
    let doc = Document::parse(
        "p.txt",
        PRECISE.to_string(),
        SourceKind::Text,
        &PurposeHeadings::default(),
    );
    bencher.bench_local(|| linter.lint(divan::black_box(&doc)).findings.len());
}

/// Parse and lint a small charter end to end.
#[divan::bench]
fn lint_charter(bencher: divan::Bencher) {
    let linter = Linter::builtin().unwrap();
    bencher.bench_local(|| {
        linter
            .lint_str("c.md", divan::black_box(CHARTER), SourceKind::Markdown)
            .scores
            .overall
    });
}

/// From nothing to a first result: load the packs, compile what one
/// charter needs (the engines cheap to build, as for a single file) and
/// lint it. A pre-commit hook's cost on one file, less the process.
#[divan::bench(sample_count = 10)]
fn first_charter_from_cold() -> f64 {
    let linter = Linter::builtin().unwrap();
    linter.rules.expect_documents(1);
    linter
        .lint_str("c.md", divan::black_box(CHARTER), SourceKind::Markdown)
        .scores
        .overall
}
