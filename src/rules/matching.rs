//! Matching compiled patterns against text, with lexicon references
//! resolved through the lexicon index (see [`super::lexicon`]).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::{Arc, OnceLock};

use super::alphabet::Alphabet;
use super::ascii_view;
use super::expression::{
    Engines, Expression, cached_for_alphabet, check_source_len, compile_ascii_view,
    compile_for_alphabet, compile_pattern,
};
use super::lexicon::{LexiconIndex, Symbolized, placeholder_mask};
use super::prefilter::{Atom, Need, Occurrences, Prefilter, requirements};
use super::units::{self, UnitSets, Units};
use crate::span::Span;

/// A pattern's expression, compiled on first use: for any text, or, under
/// the cheap engines, for the texts of an alphabet (see [`Alphabet`]), up
/// to [`ALPHABETS`] of them.
#[derive(Debug, Default)]
struct Compiled {
    any: OnceLock<Expression>,
    cut: [OnceLock<(Arc<Alphabet>, Expression)>; ALPHABETS],
    /// With the fast engines, for the ASCII view of viewable texts (see
    /// [`super::ascii_view`]); `None` inside for a pattern it cannot serve.
    ascii: OnceLock<Option<Expression>>,
}

/// A pattern's compiled expression, as [`Pattern::shared`] hands it out:
/// cheaper to pass around than the pattern, whose requirements it lacks.
#[derive(Debug, Clone)]
pub(crate) struct SharedExpression(Arc<Compiled>);

/// How many alphabets one pattern is compiled for before texts of yet
/// another get it compiled in full. A few charters of one run (a
/// pre-commit hook) differ by a curly quote or an accent; compiling for
/// each costs less than compiling in full once.
const ALPHABETS: usize = 4;

/// A pattern: a regular expression whose `{lexicon}` references are
/// placeholder classes, the lexicons those placeholders stand for, and what
/// any match contains (literals, lexicon occurrences).
///
/// The expression is compiled on first use: a document that lacks what it
/// needs never compiles it (see the `prefilter` module).
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    /// Shared by every pattern of the set with the same source (see
    /// [`Pattern::share_compiled`]), so each distinct expression compiles once.
    regex: Arc<Compiled>,
    lexicons: Vec<usize>,
    /// What every match contains, as clauses of atoms of which a match
    /// contains one; `None` once [`Pattern::intern_required`] has resolved
    /// them into `needs`.
    required: Option<Vec<Vec<Atom>>>,
    /// The same clauses resolved against the rule set; empty when nothing
    /// is known.
    needs: Vec<Vec<Need>>,
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
        check_source_len(&source)?;
        let cached = super::builtin_cache::requirements(&source);
        let required = match cached.map_or_else(|| requirements(&source), Ok) {
            Ok(required) => Some(required),
            // The compiler words the error as users see it everywhere else.
            Err(parse_error) => {
                return Err(compile_pattern(&source, Engines::Fast)
                    .err()
                    .unwrap_or(parse_error));
            }
        };
        Ok(Pattern {
            source,
            regex: Arc::default(),
            lexicons,
            required,
            needs: Vec::new(),
        })
    }

    /// Compiles the expression now, reporting why it cannot be.
    pub(crate) fn compile(&self, engines: Engines) -> Result<(), String> {
        if self.regex.any.get().is_none() {
            let regex = compile_pattern(&self.source, engines)?;
            let _ = self.regex.any.set(regex);
        }
        Ok(())
    }

    /// Compiles the expression with the cheap engines unless it has been
    /// compiled, or waits while another thread compiles it: for compiling
    /// ahead of a lint over one document.
    pub(crate) fn compile_ahead(&self, alphabet: Option<&Arc<Alphabet>>) {
        self.regex(Engines::Cheap, alphabet);
    }

    /// Whether the expression has been compiled.
    pub(crate) fn is_compiled(&self) -> bool {
        self.regex.any.get().is_some()
            || self.regex.cut.iter().any(|c| c.get().is_some())
            || self.regex.ascii.get().is_some_and(Option::is_some)
    }

    /// Makes this pattern use `shared`, the compiled expression of a
    /// pattern with the same source: a placeholder class such as
    /// `[\x{12001}]` or a shared exclusion recurs across rules, standing for
    /// different lexicons.
    pub(crate) fn share_compiled(&mut self, shared: &SharedExpression) {
        self.regex = Arc::clone(&shared.0);
    }

    /// This pattern's compiled expression (compiled or not yet), to share
    /// with patterns of the same source.
    pub(crate) fn shared(&self) -> SharedExpression {
        SharedExpression(Arc::clone(&self.regex))
    }

    /// Resolves what every match contains: literals into their ids in the
    /// rule set's [`Prefilter`], given by `id_of`, and placeholder bits
    /// into the lexicons they stand for.
    pub(crate) fn intern_required(&mut self, mut id_of: impl FnMut(Cow<'static, str>) -> u32) {
        let lexicons = &self.lexicons;
        self.needs = self
            .required
            .take()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|clause| {
                // A placeholder written by hand in a pattern without that
                // many lexicons stands for nothing: the clause tells nothing.
                clause
                    .into_iter()
                    .map(|atom| match atom {
                        Atom::Literal(l) => Some(Need::Literal(id_of(l))),
                        Atom::Lexicon(bit) => lexicons
                            .get(bit as usize)
                            .map(|&id| Need::Lexicon(u32::try_from(id).expect("few lexicons"))),
                    })
                    .collect::<Option<Vec<Need>>>()
            })
            .collect();
    }

    /// The compiled expression for texts of `alphabet`, or for any text;
    /// compiled now, with `engines`, if it has not been yet. The first
    /// alphabets asked for are the ones compiled for; texts of another that
    /// none covers, once [`ALPHABETS`] are taken, get the expression
    /// compiled in full.
    fn regex(&self, engines: Engines, alphabet: Option<&Arc<Alphabet>>) -> &Expression {
        let expect = "patterns are checked to compile when their pack loads";
        if let Some(any) = self.regex.any.get() {
            return any;
        }
        if let Some(alphabet) = alphabet {
            for slot in &self.regex.cut {
                let (compiled_for, cut) = slot.get_or_init(|| {
                    if engines == Engines::Cheap
                        && let Some(cached) = cached_for_alphabet(&self.source, alphabet)
                    {
                        return cached;
                    }
                    // A pattern the cutting cannot rewrite (`\w` under
                    // `(?-u)` would not translate) compiles in full here.
                    let cut = compile_for_alphabet(&self.source, alphabet, engines)
                        .or_else(|_| compile_pattern(&self.source, engines))
                        .expect(expect);
                    (Arc::clone(alphabet), cut)
                });
                if compiled_for.covers(alphabet) {
                    return cut;
                }
            }
        }
        self.regex
            .any
            .get_or_init(|| compile_pattern(&self.source, engines).expect(expect))
    }

    /// The expression for the ASCII view, compiled now with the fast engines
    /// if it has not been; `None` for a pattern that cannot be viewed.
    fn ascii_regex(&self) -> Option<&Expression> {
        self.regex
            .ascii
            // A view over the size limit (a user's pattern repeating a
            // placeholder class thousands of times) is no view: the
            // pattern searches as it would without one.
            .get_or_init(|| compile_ascii_view(&self.source).ok().flatten())
            .as_ref()
    }

    /// Whether the expression matches somewhere in `text`, taken as it is:
    /// for patterns without lexicons matched against built strings, such as
    /// a rule's `not-after` context (a few dozen bytes: the cheap engines).
    pub fn is_match_str(&self, text: &str) -> bool {
        let alphabet = Alphabet::of(text).map(Arc::new);
        self.regex(Engines::Cheap, alphabet.as_ref()).is_match(text)
    }

    /// The expression (lexicons appear as placeholder classes).
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// What a pattern searches: a matcher's text, or its ASCII view (offsets
/// are the same in both).
#[derive(Clone, Copy)]
enum Searched<'t> {
    Text(&'t str),
    View(&'t str),
}

impl std::ops::Deref for Searched<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Searched::Text(t) | Searched::View(t) => t,
        }
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
    own_placeholders: OnceCell<bool>,
    engines: Engines,
    /// The text's alphabet, if small (see [`Alphabet`]).
    alphabet: Option<Arc<Alphabet>>,
    /// The text's ASCII view, which patterns search instead of it (fast
    /// engines, and a text that has one: see [`super::ascii_view`]).
    view: Option<Cow<'a, str>>,
}

impl<'a> TextMatcher<'a> {
    /// A matcher over `text`.
    pub(crate) fn new(
        index: &'a LexiconIndex,
        prefilter: &'a Prefilter,
        engines: Engines,
        text: &'a str,
    ) -> Self {
        TextMatcher {
            engines,
            alphabet: Alphabet::of(text).map(Arc::new),
            view: (engines == Engines::Fast && ascii_view::viewable(text)).then(|| {
                if text.is_ascii() {
                    Cow::Borrowed(text)
                } else {
                    Cow::Owned(ascii_view::encode(text))
                }
            }),
            text,
            index,
            found: OnceCell::new(),
            prefilter,
            literals: OnceCell::new(),
            own_placeholders: OnceCell::new(),
        }
    }

    /// Compiles patterns in full, never for the text's alphabet.
    pub(crate) fn compile_in_full(&mut self) {
        self.alphabet = None;
        self.view = None;
    }

    /// The text's alphabet, if small: patterns compiled for it serve every
    /// text this matcher searches (see [`Alphabet`]).
    pub(crate) fn alphabet(&self) -> Option<&Arc<Alphabet>> {
        self.alphabet.as_ref()
    }

    /// Whether `pattern` matches somewhere in `text`, a text built from
    /// this matcher's (such as a not-after context), taken as it is.
    ///
    /// With the fast engines and a viewable text, the context is searched
    /// in its ASCII view (the mark has one), by the lazy DFA: in the NFA
    /// simulations these searches were a tenth of a 1,000-charter run.
    pub(crate) fn is_match_str(&self, pattern: &Pattern, text: &str) -> bool {
        if self.view.is_some()
            && let Some(viewed) = pattern.ascii_regex()
        {
            return viewed.is_match(&ascii_view::encode(text));
        }
        pattern
            .regex(Engines::Cheap, self.alphabet.as_ref())
            .is_match(text)
    }

    /// Whether `pattern` can match inside `within`: false when one of the
    /// clauses every match satisfies has no atom there.
    pub(crate) fn may_match(&self, pattern: &Pattern, within: Span) -> bool {
        pattern.needs.iter().all(|clause| {
            clause.iter().any(|need| match *need {
                Need::Literal(id) => self.literals().within(id, within, self.prefilter.lengths()),
                Need::Lexicon(id) => {
                    self.prefilter.is_disabled() || self.lexicon_within(id as usize, within)
                }
            })
        })
    }

    /// For each of `patterns`, the units of `units` it may match in: those
    /// where [`TextMatcher::may_match`] holds, worked out from its atoms'
    /// occurrences rather than unit by unit.
    pub(crate) fn candidates<'p>(
        &self,
        patterns: impl ExactSizeIterator<Item = &'p Pattern>,
        units: &Units,
    ) -> UnitSets {
        let n = units.spans().len();
        let mut sets = UnitSets::new(patterns.len(), n);
        let mut any = vec![0; n.div_ceil(64)];
        for (i, pattern) in patterns.enumerate() {
            let set = sets.words_mut(i);
            units::fill(set, n);
            for clause in &pattern.needs {
                any.fill(0);
                for &need in clause {
                    match self.found(need) {
                        None => units::fill(&mut any, n),
                        Some(at) => units.add_holding(&at, &mut any),
                    }
                }
                for (w, a) in set.iter_mut().zip(&any) {
                    *w &= a;
                }
            }
        }
        sets
    }

    /// Where `need` occurs, for [`TextMatcher::candidates`]; `None` when it
    /// counts as occurring everywhere (the prefilter is off, or the text
    /// defeats it).
    fn found(&self, need: Need) -> Option<units::Occurrences<'_>> {
        match need {
            Need::Literal(id) => self.literals().starts(id).map(|starts| {
                units::Occurrences::Starts(starts, self.prefilter.lengths()[id as usize])
            }),
            Need::Lexicon(_) if self.prefilter.is_disabled() || self.own_placeholders() => None,
            Need::Lexicon(id) => Some(units::Occurrences::Spans(self.occurrences(id as usize))),
        }
    }

    /// The literals' occurrences, found in one scan on first use.
    fn literals(&self) -> &Occurrences {
        self.literals
            .get_or_init(|| self.prefilter.occurrences(self.text, self.engines.scan()))
    }

    /// Whether the text holds placeholder letters of its own.
    fn own_placeholders(&self) -> bool {
        *self
            .own_placeholders
            .get_or_init(|| self.text.chars().any(|c| placeholder_mask(c).is_some()))
    }

    /// Whether list `id` occurs wholly inside `within`, as a pattern's
    /// placeholder would: or, in a text that holds placeholder letters of
    /// its own, anywhere.
    fn lexicon_within(&self, id: usize, within: Span) -> bool {
        self.own_placeholders() || self.list_within(id, within)
    }

    /// Whether list `id` has an occurrence wholly inside `within`.
    fn list_within(&self, id: usize, within: Span) -> bool {
        let spans = self.occurrences(id);
        let i = spans.partition_point(|s| s.start < within.start);
        spans.get(i).is_some_and(|s| s.end <= within.end)
    }

    /// Occurrences of list `id`; every list is found in one scan, on first use.
    fn occurrences(&self, id: usize) -> &[Span] {
        &self
            .found
            .get_or_init(|| self.index.find_all(self.text, self.engines.scan()))[id]
    }

    /// Every match of `pattern` inside `within`, as spans of the text.
    pub fn find_iter(&self, pattern: &Pattern, within: Span) -> Vec<Span> {
        if !self.may_match(pattern, within) {
            return Vec::new();
        }
        self.find_candidate(pattern, within)
    }

    /// Every match of `pattern` inside `within`, a unit that
    /// [`TextMatcher::candidates`] gave it.
    pub(crate) fn find_candidate(&self, pattern: &Pattern, within: Span) -> Vec<Span> {
        let (regex, text) = self.expression(pattern);
        match self.symbolized(pattern, within, text) {
            None => regex
                .find_spans(&text[within.range()])
                .into_iter()
                .map(|s| s.shift(within.start))
                .collect(),
            Some(sym) => regex
                .find_spans(&sym.text)
                .into_iter()
                .map(|s| sym.to_original(s))
                .collect(),
        }
    }

    /// Whether `pattern` matches anywhere inside `within`: stops at the
    /// first match.
    pub fn is_match(&self, pattern: &Pattern, within: Span) -> bool {
        if !self.may_match(pattern, within) {
            return false;
        }
        let (regex, text) = self.expression(pattern);
        match self.symbolized(pattern, within, text) {
            None => regex.is_match(&text[within.range()]),
            Some(sym) => regex.is_match(&sym.text),
        }
    }

    /// The expression that searches this matcher's texts for `pattern`, and
    /// the text it searches: the ASCII view, or the text itself.
    fn expression<'p>(&self, pattern: &'p Pattern) -> (&'p Expression, Searched<'_>) {
        if let Some(view) = &self.view
            && let Some(viewed) = pattern.ascii_regex()
        {
            return (viewed, Searched::View(view));
        }
        (
            pattern.regex(self.engines, self.alphabet.as_ref()),
            Searched::Text(self.text),
        )
    }

    /// The text `pattern` sees inside `within`, with its lexicons'
    /// occurrences as placeholders (in the ASCII view if `viewed`); `None`
    /// when none occurs there and the text is the original, with no copy to
    /// make.
    fn symbolized(
        &self,
        pattern: &Pattern,
        within: Span,
        searched: Searched<'_>,
    ) -> Option<Symbolized> {
        if !pattern
            .lexicons
            .iter()
            .any(|&id| self.list_within(id, within))
        {
            return None;
        }
        let lists = pattern.lexicons.iter().map(|&id| self.occurrences(id));
        let viewed = matches!(searched, Searched::View(_));
        Some(Symbolized::new(&searched, within, lists, viewed))
    }
}
