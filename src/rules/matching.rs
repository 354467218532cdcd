//! Matching compiled patterns against text, with lexicon references
//! resolved through the lexicon automata (see [`super::lexicon`]).

use std::cell::OnceCell;

use regex::Regex;

use super::lexicon::{LexiconIndex, Symbolized};
use crate::span::Span;

/// A compiled pattern: a regular expression whose `{lexicon}` references
/// are placeholder classes, and the lexicons those placeholders stand for.
#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Regex,
    lexicons: Vec<usize>,
}

impl Pattern {
    pub(crate) fn new(regex: Regex, lexicons: Vec<usize>) -> Self {
        Pattern { regex, lexicons }
    }

    /// The compiled regular expression (lexicons appear as placeholder classes).
    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }
}

/// Matches patterns against one text, finding every lexicon's occurrences
/// in one scan, on first use, however many patterns use them.
#[derive(Debug)]
pub struct TextMatcher<'a> {
    text: &'a str,
    index: &'a LexiconIndex,
    found: OnceCell<Vec<Vec<Span>>>,
}

impl<'a> TextMatcher<'a> {
    /// A matcher over `text`.
    pub fn new(index: &'a LexiconIndex, text: &'a str) -> Self {
        TextMatcher {
            text,
            index,
            found: OnceCell::new(),
        }
    }

    /// Occurrences of list `id`; every list is found in one scan, on first use.
    fn occurrences(&self, id: usize) -> &[Span] {
        &self.found.get_or_init(|| self.index.find_all(self.text))[id]
    }

    /// Every match of `pattern` inside `within`, as spans of the text.
    pub fn find_iter(&self, pattern: &Pattern, within: Span) -> Vec<Span> {
        if pattern.lexicons.is_empty() {
            let slice = &self.text[within.range()];
            return pattern
                .regex
                .find_iter(slice)
                .map(|m| Span::new(m.start(), m.end()).shift(within.start))
                .collect();
        }
        let refs: Vec<&[Span]> = pattern
            .lexicons
            .iter()
            .map(|&id| self.occurrences(id))
            .collect();
        let sym = Symbolized::new(self.text, within, &refs);
        pattern
            .regex
            .find_iter(&sym.text)
            .map(|m| sym.to_original(Span::new(m.start(), m.end())))
            .collect()
    }

    /// Whether `pattern` matches anywhere inside `within`.
    pub fn is_match(&self, pattern: &Pattern, within: Span) -> bool {
        if pattern.lexicons.is_empty() {
            return pattern.regex.is_match(&self.text[within.range()]);
        }
        !self.find_iter(pattern, within).is_empty()
    }
}
