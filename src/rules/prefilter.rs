//! Ruling patterns out of a document before compiling or running them.
//!
//! Most patterns can only match where one of a few literal strings occurs
//! (`\bprovid(?:e|es|ing)\s+…` needs "provid"). Each pattern's required
//! literals are read from its syntax tree when the pack loads; one
//! Aho-Corasick scan of a document then tells which literals occur, and a
//! pattern none of whose literals occurs is neither compiled nor searched.
//! Compiling the built-in patterns was most of a one-file run, and a typical
//! charter rules out a third to a half of them.
//!
//! The test is exact, never a guess: a pattern is skipped only when it
//! cannot match. Patterns are compiled case-insensitively, so literals are
//! compared ignoring ASCII case, and the two non-ASCII letters that Unicode
//! case folding makes equal to ASCII ones (ſ and the Kelvin sign K) turn the
//! filter off for the document they occur in.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_syntax::hir::{Hir, HirKind};

use crate::span::Span;

/// Characters that match an ASCII letter under case-insensitive matching
/// without being ASCII: U+017F LATIN SMALL LETTER LONG S (s) and U+212A
/// KELVIN SIGN (k).
const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// Literals of which every match of `pattern` contains at least one
/// (lowercase ASCII), or `None` when no such set is known.
///
/// # Errors
/// The parser's message when `pattern` is not a valid regular expression.
pub fn required_literals(pattern: &str) -> Result<Option<Vec<String>>, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    Ok(required(&hir))
}

fn required(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let text = std::str::from_utf8(&lit.0).ok()?;
            text.is_ascii().then(|| vec![text.to_ascii_lowercase()])
        }
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(required(branch)?);
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        // Any part's literals are required; the most selective part is the
        // one whose shortest literal is longest.
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required)
            .max_by_key(|lits| (shortest(lits), std::cmp::Reverse(lits.len()))),
        _ => None,
    }
}

fn shortest(literals: &[String]) -> usize {
    literals.iter().map(String::len).min().unwrap_or(0)
}

/// Finds where a rule set's required literals occur in a text.
#[derive(Debug, Clone)]
pub struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// Byte length of each literal.
    lengths: Vec<usize>,
    /// Say every literal occurs everywhere: for tests that compare with and without.
    disabled: bool,
}

/// Where each literal occurs in one text.
#[derive(Debug)]
pub struct Occurrences {
    /// Per literal id, the start of each occurrence, ascending.
    starts: Vec<Vec<usize>>,
    /// Every literal counts as occurring everywhere.
    everywhere: bool,
}

impl Occurrences {
    /// Whether one of the literals `ids` occurs entirely inside `within`.
    pub fn any_within(&self, ids: &[u32], within: Span, lengths: &[usize]) -> bool {
        self.everywhere
            || ids.iter().any(|&id| {
                let starts = &self.starts[id as usize];
                // The first occurrence at or after the start ends soonest.
                let i = starts.partition_point(|&s| s < within.start);
                starts
                    .get(i)
                    .is_some_and(|&s| s + lengths[id as usize] <= within.end)
            })
    }
}

impl Prefilter {
    /// A filter for `literals`; their indices are the ids patterns refer to.
    ///
    /// # Errors
    /// The automaton builder's refusal (too large).
    pub fn new(literals: &[String]) -> Result<Self, String> {
        let automaton = if literals.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .match_kind(MatchKind::Standard)
                    .build(literals)
                    .map_err(|e| format!("pattern literals: {e}"))?,
            )
        };
        Ok(Prefilter {
            automaton,
            lengths: literals.iter().map(String::len).collect(),
            disabled: false,
        })
    }

    /// The same filter, ruling nothing out.
    #[cfg(test)]
    pub fn disabled(&self) -> Self {
        Prefilter {
            disabled: true,
            ..self.clone()
        }
    }

    /// Byte length of each literal, by id.
    pub fn lengths(&self) -> &[usize] {
        &self.lengths
    }

    /// Where each literal occurs in `text`.
    pub fn occurrences(&self, text: &str) -> Occurrences {
        let mut starts = vec![Vec::new(); self.lengths.len()];
        if self.disabled || text.contains(FOLDS_TO_ASCII) {
            return Occurrences {
                starts,
                everywhere: true,
            };
        }
        if let Some(automaton) = &self.automaton {
            // Literals are lowercase; ASCII lowercasing keeps the offsets.
            // Overlapping matches come in order of their end, so sort.
            for m in automaton.find_overlapping_iter(&text.to_ascii_lowercase()) {
                starts[m.pattern().as_usize()].push(m.start());
            }
            for list in &mut starts {
                list.sort_unstable();
            }
        }
        Occurrences {
            starts,
            everywhere: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(pattern: &str) -> Option<Vec<String>> {
        required_literals(pattern).unwrap()
    }

    #[test]
    fn alternations_and_concatenations_give_their_literals() {
        assert_eq!(
            req(r"\b(?:provide|offer)s?\s+\w+"),
            Some(vec!["offer".into(), "provide".into()])
        );
        assert_eq!(req(r"\w+ing\s+\w+"), Some(vec!["ing".into()]));
        assert_eq!(
            req(r"(?-i:[A-Z])\w*\s+Network"),
            Some(vec!["network".into()])
        );
    }

    #[test]
    fn optional_parts_and_classes_require_nothing() {
        assert_eq!(req(r"(?:goal)?\s*\w+"), None);
        assert_eq!(req(r"[0-9]+\s?(?:k|m)?"), None);
        assert_eq!(req(r"\bcafé\b"), None);
    }

    #[test]
    fn occurrences_ignore_ascii_case_and_give_up_on_letters_that_fold_to_ascii() {
        let f = Prefilter::new(&["offer".into(), "network".into()]).unwrap();
        let text = "We OFFER advice. A network.";
        let found = f.occurrences(text);
        let all = Span::new(0, text.len());
        assert!(found.any_within(&[0], all, f.lengths()));
        assert!(found.any_within(&[1], all, f.lengths()));
        // Only occurrences wholly inside the span count.
        assert!(!found.any_within(&[1], Span::new(0, 16), f.lengths()));
        assert!(!found.any_within(&[0], Span::new(4, 7), f.lengths()));
        let folded = f.occurrences("We o\u{17F}fer advice.");
        assert!(folded.any_within(&[1], Span::new(0, 3), f.lengths()));
    }

    #[test]
    fn only_long_s_and_kelvin_fold_to_ascii_letters() {
        let any_ascii_letter = regex::RegexBuilder::new("^[a-z]$")
            .case_insensitive(true)
            .build()
            .unwrap();
        let folding: Vec<char> = ('\u{80}'..=char::MAX)
            .filter(|c| any_ascii_letter.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(folding, FOLDS_TO_ASCII);
    }
}
