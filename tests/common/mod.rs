//! Helpers shared by test files.

use purpose_lint::{Report, suggest};

/// Words a report's suggestions take from the statement, one line per
/// offence. Quoted examples may repeat the finding's own matched phrase
/// ("'teachers': which ones? e.g. 'teachers who ...'"); any other word they
/// share with the statement is a suggestion that did not read it.
pub fn repeated_suggestion_words(source: &str, report: &Report) -> Vec<String> {
    let used = suggest::used_words(source.split(|c: char| !(c.is_alphanumeric() || c == '-')));
    let mut offences = Vec::new();
    for f in &report.findings {
        let matched = source
            .get(f.span.range())
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // The matched phrase may hold apostrophes: mark it before finding
        // quoted examples, the text between pairs of straight quotes.
        let marked = if matched.is_empty() {
            f.suggestion.clone()
        } else {
            f.suggestion.replace(&matched, "\u{1}")
        };
        for quoted in marked.split('\'').skip(1).step_by(2) {
            if quoted.contains('\u{1}') {
                continue;
            }
            let repeated = suggest::repeated(quoted, &used);
            if !repeated.is_empty() {
                offences.push(format!("{}: '{quoted}' repeats {repeated:?}", f.rule));
            }
        }
    }
    offences
}
