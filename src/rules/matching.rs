//! Matching compiled patterns against text, with lexicon references
//! resolved through the lexicon automata (see [`super::lexicon`]).

use std::cell::OnceCell;
use std::sync::{Arc, OnceLock};

use regex_automata::meta::Regex;

use super::Engines;
use super::lexicon::{LexiconIndex, Symbolized};
use super::prefilter::{Occurrences, Prefilter, required_literals};
use crate::span::Span;

/// A pattern: a regular expression whose `{lexicon}` references are
/// placeholder classes, the lexicons those placeholders stand for, and the
/// literals one of which any match contains.
///
/// The expression is compiled on first use: a document that lacks every
/// required literal never needs it (see [`super::prefilter`]).
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    /// Shared by every pattern of the set with the same source (see
    /// [`Pattern::share_compiled`]), so each distinct expression compiles once.
    regex: Arc<OnceLock<Regex>>,
    lexicons: Vec<usize>,
    /// Literals of which every match contains one; `None` when no such set
    /// is known, or once [`Pattern::intern_required`] has given them ids.
    required: Option<Vec<String>>,
    /// The same literals as ids into the rule set's [`Prefilter`].
    needs: Option<Vec<u32>>,
}

impl Pattern {
    /// A pattern that compiles `source` when first used. Its syntax is
    /// checked here; built-in packs are tested to compile, and user packs
    /// are compiled at once (see [`Pattern::compile`]) so that an error
    /// names its line before anything is linted.
    ///
    /// # Errors
    /// Why `source` is not a valid expression.
    pub(crate) fn parse(source: String, lexicons: Vec<usize>) -> Result<Self, String> {
        super::check_source_len(&source)?;
        let required = match required_literals(&source) {
            Ok(required) => required,
            // The compiler words the error as users see it everywhere else.
            Err(parse_error) => {
                return Err(super::compile_pattern(&source, Engines::Fast)
                    .err()
                    .unwrap_or(parse_error));
            }
        };
        Ok(Pattern {
            source,
            regex: Arc::new(OnceLock::new()),
            lexicons,
            required,
            needs: None,
        })
    }

    /// Compiles the expression now, reporting why it cannot be.
    pub(crate) fn compile(&self, engines: Engines) -> Result<(), String> {
        if self.regex.get().is_none() {
            let regex = super::compile_pattern(&self.source, engines)?;
            let _ = self.regex.set(regex);
        }
        Ok(())
    }

    /// Whether the expression has been compiled.
    pub(crate) fn is_compiled(&self) -> bool {
        self.regex.get().is_some()
    }

    /// Makes this pattern use `other`'s compiled expression, which has the
    /// same source: a placeholder class such as `[\x{12001}]` or a shared
    /// exclusion recurs across rules, standing for different lexicons.
    pub(crate) fn share_compiled(&mut self, other: &Pattern) {
        debug_assert_eq!(self.source, other.source);
        self.regex = Arc::clone(&other.regex);
    }

    /// Trades the required literals for their ids in the rule set's
    /// [`Prefilter`], given by `id_of`.
    pub(crate) fn intern_required(&mut self, mut id_of: impl FnMut(String) -> u32) {
        self.needs = self
            .required
            .take()
            .map(|literals| literals.into_iter().map(&mut id_of).collect());
    }

    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            super::compile_pattern(&self.source, Engines::Fast)
                .expect("patterns are checked to compile when their pack loads")
        })
    }

    /// Whether the expression matches somewhere in `text`, taken as it is:
    /// for patterns without lexicons matched against built strings, such as
    /// a rule's `not-after` context.
    pub fn is_match_str(&self, text: &str) -> bool {
        self.regex().is_match(text)
    }

    /// The expression (lexicons appear as placeholder classes).
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// Matches patterns against one text, finding every lexicon's occurrences
/// in one scan, on first use, however many patterns use them.
#[derive(Debug)]
pub struct TextMatcher<'a> {
    text: &'a str,
    index: &'a LexiconIndex,
    found: OnceCell<Vec<Vec<Span>>>,
    prefilter: &'a Prefilter,
    literals: OnceCell<Occurrences>,
}

impl<'a> TextMatcher<'a> {
    /// A matcher over `text`.
    pub fn new(index: &'a LexiconIndex, prefilter: &'a Prefilter, text: &'a str) -> Self {
        TextMatcher {
            text,
            index,
            found: OnceCell::new(),
            prefilter,
            literals: OnceCell::new(),
        }
    }

    /// Whether `pattern` can match inside `within`: false when none of its
    /// required literals occurs there.
    pub(crate) fn may_match(&self, pattern: &Pattern, within: Span) -> bool {
        pattern.needs.as_ref().is_none_or(|ids| {
            self.literals
                .get_or_init(|| self.prefilter.occurrences(self.text))
                .any_within(ids, within, self.prefilter.lengths())
        })
    }

    /// Occurrences of list `id`; every list is found in one scan, on first use.
    fn occurrences(&self, id: usize) -> &[Span] {
        &self.found.get_or_init(|| self.index.find_all(self.text))[id]
    }

    /// Every match of `pattern` inside `within`, as spans of the text.
    pub fn find_iter(&self, pattern: &Pattern, within: Span) -> Vec<Span> {
        if !self.may_match(pattern, within) {
            return Vec::new();
        }
        // With no occurrence of its lexicons inside `within`, the text the
        // pattern sees is the text itself: no copy to make.
        let occurs = |&id: &usize| {
            let spans = self.occurrences(id);
            let i = spans.partition_point(|s| s.start < within.start);
            spans.get(i).is_some_and(|s| s.end <= within.end)
        };
        if !pattern.lexicons.iter().any(occurs) {
            let slice = &self.text[within.range()];
            return pattern
                .regex()
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
            .regex()
            .find_iter(&sym.text)
            .map(|m| sym.to_original(Span::new(m.start(), m.end())))
            .collect()
    }

    /// Whether `pattern` matches anywhere inside `within`.
    pub fn is_match(&self, pattern: &Pattern, within: Span) -> bool {
        if !self.may_match(pattern, within) {
            return false;
        }
        if pattern.lexicons.is_empty() {
            return pattern.regex().is_match(&self.text[within.range()]);
        }
        !self.find_iter(pattern, within).is_empty()
    }
}
