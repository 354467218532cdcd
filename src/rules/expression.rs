//! Building a pattern's expression: which of regex's engines it carries,
//! chosen by how many documents it will search, within size limits that an
//! untrusted pack cannot push.

use std::sync::atomic::{AtomicBool, Ordering};

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;

use super::lexicon::Scan;

/// Compiled size limit of one pattern. Enough for lexicons of thousands of
/// words; an untrusted pack cannot make compilation or matching run away.
const PATTERN_SIZE_LIMIT: usize = 32 * (1 << 20);
/// Longest pattern source accepted after lexicon expansion.
const PATTERN_SOURCE_LIMIT: usize = 4 * (1 << 20);

/// Refuses a pattern too long to parse in reasonable time.
pub(crate) fn check_source_len(pattern: &str) -> std::result::Result<(), String> {
    if pattern.len() > PATTERN_SOURCE_LIMIT {
        return Err(format!(
            "pattern is {} bytes after lexicon expansion; the limit is {PATTERN_SOURCE_LIMIT}",
            pattern.len()
        ));
    }
    Ok(())
}

/// Which search engines a compiled pattern carries: what pays off depends
/// on how many documents it will search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engines {
    /// Regex's defaults: the lazy DFA (whose reverse automaton roughly
    /// doubles compile time), a full DFA for small patterns and a literal
    /// prefilter. Over 1,000 charters they cost 70M more instructions to
    /// build and save 10% of each document's.
    Fast,
    /// The NFA simulations alone: for a pattern that will search one short
    /// document, where compiling is most of the cost.
    Cheap,
}

/// Compiles one expanded pattern, case-insensitively, within size limits.
/// Never the one-pass DFA: it serves capture groups, which are not used.
pub(crate) fn compile_pattern(
    pattern: &str,
    engines: Engines,
) -> std::result::Result<meta::Regex, String> {
    check_source_len(pattern)?;
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .hybrid(engines == Engines::Fast)
                .dfa(engines == Engines::Fast)
                .auto_prefilter(engines == Engines::Fast)
                .onepass(false)
                .which_captures(WhichCaptures::Implicit)
                .nfa_size_limit(Some(PATTERN_SIZE_LIMIT))
                .onepass_size_limit(Some(PATTERN_SIZE_LIMIT))
                .hybrid_cache_capacity(PATTERN_SIZE_LIMIT)
                .dfa_size_limit(Some(PATTERN_SIZE_LIMIT)),
        )
        .syntax(syntax::Config::new().case_insensitive(true))
        .build(pattern)
        .map_err(|e| {
            if let Some(limit) = e.size_limit() {
                format!(
                    "pattern compiles to more than {limit} bytes; split it or shorten its lexicons"
                )
            } else if let Some(syntax) = e.syntax_error() {
                format!("bad regular expression: {}", one_line(&syntax.to_string()))
            } else {
                format!("bad regular expression: {}", one_line(&e.to_string()))
            }
        })
}

impl Engines {
    /// How lexicon occurrences are found for patterns built this way: the
    /// automaton pays off over the same many documents as the fast engines.
    pub(crate) fn scan(self) -> Scan {
        match self {
            Engines::Fast => Scan::Automaton,
            Engines::Cheap => Scan::Lookup,
        }
    }
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Up to this many documents (see [`crate::RuleSet::expect_documents`]),
/// patterns compile without the engines that pay off only over many. Measured on generated
/// charters (callgrind, one thread): the cheap engines cost 250M
/// instructions for 5 files against 455M, 7.1M a file after that against
/// 3.5M, so they break even near 60.
pub const FEW_DOCUMENTS: usize = 50;

/// The engines patterns compile with, settable through a shared set.
#[derive(Debug, Default)]
pub(crate) struct EngineChoice(AtomicBool);

impl EngineChoice {
    /// The engines to build patterns with now.
    pub(crate) fn get(&self) -> Engines {
        if self.0.load(Ordering::Relaxed) {
            Engines::Cheap
        } else {
            Engines::Fast
        }
    }

    /// Chooses the engines for a run over `documents` documents.
    pub(crate) fn expect(&self, documents: usize) {
        self.0.store(documents <= FEW_DOCUMENTS, Ordering::Relaxed);
    }
}

impl Clone for EngineChoice {
    fn clone(&self) -> Self {
        EngineChoice(AtomicBool::new(self.0.load(Ordering::Relaxed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_documents_get_the_cheap_engines_and_many_the_fast() {
        let choice = EngineChoice::default();
        assert_eq!(choice.get(), Engines::Fast, "an embedder's default");
        choice.expect(1);
        assert_eq!(choice.get(), Engines::Cheap);
        choice.expect(FEW_DOCUMENTS + 1);
        assert_eq!(choice.get(), Engines::Fast);
    }

    #[test]
    fn both_engine_sets_find_the_same_matches() {
        let text = "Nurses in Leeds, nurses’ pay, NURSE-led clinics";
        for pattern in [r"\bnurse\w*", r"(?-i:[A-Z])\w+", r"\s\w+-\w+\b"] {
            let find = |engines| -> Vec<(usize, usize)> {
                compile_pattern(pattern, engines)
                    .unwrap()
                    .find_iter(text)
                    .map(|m| (m.start(), m.end()))
                    .collect()
            };
            assert_eq!(find(Engines::Fast), find(Engines::Cheap), "{pattern}");
            assert!(!find(Engines::Fast).is_empty(), "{pattern}");
        }
    }

    #[test]
    fn oversized_patterns_are_refused_with_a_reason() {
        let huge = format!("(?:{})", vec!["[a-z]{1,50}"; 20_000].join("|"));
        let err = compile_pattern(&huge, Engines::Cheap).unwrap_err();
        assert!(err.contains("compiles to more than"), "{err}");
    }
}
