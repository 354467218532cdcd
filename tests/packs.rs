//! Meta-tests over every built-in rule: its examples behave as documented,
//! and it is named, worded and documented the way the project promises.

use std::collections::BTreeSet;

mod common;

use purpose_lint::rules::{BUILTIN_PACKS, RuleSet, examples};
use purpose_lint::{Linter, SourceKind};

fn builtin() -> RuleSet {
    RuleSet::builtin().expect("built-in packs load")
}

#[test]
fn every_builtin_example_behaves_as_documented() {
    let set = builtin();
    let failures = examples::check(&set, None);
    let report: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} example(s) failed:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn every_rule_has_examples_both_ways_and_an_explanation() {
    for rule in builtin().rules() {
        assert!(
            !rule.examples.hit.is_empty(),
            "{} has no hit example",
            rule.id
        );
        assert!(
            !rule.examples.miss.is_empty(),
            "{} has no miss example",
            rule.id
        );
        assert!(
            rule.explanation.trim().len() > 40,
            "{} explains too little",
            rule.id
        );
    }
}

#[test]
fn ids_are_grouped_by_their_dimension() {
    for rule in builtin().rules() {
        let group = rule.id.split('/').next().unwrap();
        let ok = group == rule.dimension.as_str() || group == "document";
        assert!(
            ok,
            "{} is in group `{group}` but scores {}",
            rule.id, rule.dimension
        );
    }
}

#[test]
fn messages_are_lowercase_without_a_full_stop() {
    // Like clippy's lint_message_convention: messages continue "warning: ...".
    for rule in builtin().rules() {
        let m = rule.message.trim();
        if m.is_empty() {
            continue;
        }
        let first = m.chars().next().unwrap();
        assert!(
            !first.is_uppercase(),
            "{}: message starts with a capital: {m}",
            rule.id
        );
        assert!(
            !m.ends_with('.'),
            "{}: message ends with a full stop: {m}",
            rule.id
        );
    }
}

#[test]
fn every_pack_in_rules_folder_is_built_in() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.ends_with(".toml").then(|| format!("rules/{name}"))
        })
        .collect();
    let embedded: BTreeSet<String> = BUILTIN_PACKS.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(on_disk, embedded);
}

#[test]
fn no_suggestion_repeats_words_of_the_statement() {
    let linter = Linter::builtin().unwrap();
    let mut texts: Vec<(String, SourceKind)> = builtin()
        .rules()
        .iter()
        .flat_map(|r| r.examples.hit.iter().chain(&r.examples.miss))
        .map(|t| (t.clone(), SourceKind::Text))
        .collect();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap() {
        let path = entry.unwrap().path();
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => SourceKind::Markdown,
            Some("txt") => SourceKind::Text,
            _ => continue,
        };
        texts.push((std::fs::read_to_string(&path).unwrap(), kind));
    }
    let mut offences = Vec::new();
    let mut suggestions = 0;
    for (text, kind) in &texts {
        let report = linter.lint_str("example", text, *kind);
        suggestions += report.findings.len();
        offences.extend(common::repeated_suggestion_words(text, &report));
    }
    assert!(
        suggestions > 50,
        "only {suggestions} findings: the check saw too little"
    );
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}
