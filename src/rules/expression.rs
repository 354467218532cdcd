//! Building a pattern's expression: which of regex's engines it carries,
//! chosen by how many documents it will search, within size limits that an
//! untrusted pack cannot push.

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use regex_automata::nfa::thompson::backtrack::{self, BoundedBacktracker};
use regex_automata::nfa::thompson::pikevm::{self, PikeVM};
use regex_automata::nfa::thompson::{self, NFA, WhichCaptures};
use regex_automata::util::iter::Searcher;
use regex_automata::util::pool::Pool;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::{Input, Match, MatchKind, meta};
use regex_syntax::ast;
use regex_syntax::hir::Hir;
use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::translate::TranslatorBuilder;

use super::alphabet::Alphabet;
use super::dictionary::Scan;
use crate::span::Span;

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

/// A compiled pattern, carrying the engines chosen for it.
#[derive(Debug)]
pub(crate) enum Expression {
    /// Regex's meta engine, for [`Engines::Fast`].
    Meta(meta::Regex),
    /// The NFA simulations alone, for [`Engines::Cheap`].
    Nfa(Box<NfaEngines>),
}

/// The two engines regex's meta engine would have used for a pattern
/// without its DFAs, chosen per search as it chooses them. Built apart from
/// the meta engine because its builder takes a fresh NFA compiler for every
/// pattern, and a compiler's first Unicode class allocates and clears a
/// 10,000-entry cache (320 KB): a fifth of the cost of compiling the 60
/// patterns of a one-file run, paid again by each. One compiler per thread
/// keeps its caches.
///
/// Like the meta engine, a pattern that searches many texts is searched
/// with a prefilter on the literals its matches start with, so that the
/// backtracker starts only where a match can: without one it was half of
/// a 200-file run's instructions. Building a prefilter costs about as much
/// as compiling the pattern (340,000 instructions), more than a one-file
/// run's few searches save, so it is built once the pattern has run
/// [`PREFILTER_AFTER`] searches.
pub(crate) struct NfaEngines {
    plain: NfaPair,
    /// The same engines with a prefilter, once built; `None` inside for a
    /// pattern whose matches start with no literal worth searching for.
    filtered: OnceLock<Option<NfaPair>>,
    /// Until then, for a pattern with its prefixes known (see
    /// [`first_byte_prefilter`]): the same engines skipping to the bytes a
    /// match can start with; `None` inside when there are too many.
    first_bytes: OnceLock<Option<NfaPair>>,
    /// What the prefilter is worked out from.
    prefixes: Prefixes,
    searches: AtomicUsize,
    /// Scratch space, shared by both pairs: it depends on the NFA only.
    caches: Pool<NfaCaches, CacheMaker>,
}

/// The searches after which a pattern's prefilter is built. Measured in
/// instructions (one thread) against no prefilter: one file 35.8M ->
/// 35.0M, 20 files 152M -> 149M, 200 files 1,145M -> 957M. Building it
/// after 16 searches cost one file 1M more; after 256, 200 files saved
/// only two thirds as much.
const PREFILTER_AFTER: usize = 64;

/// What a pattern's prefilter is built from: the literals its matches
/// start with, worked out from its translation when first needed, or known
/// ahead (a cached automaton has no translation at hand).
#[derive(Debug)]
pub(crate) enum Prefixes {
    /// The translation the automaton was compiled from.
    Of(Hir),
    /// The literals, as [`prefix_literals`] gives them.
    Known(Option<Vec<Vec<u8>>>),
}

/// The literals every match of `hir` starts with, as regex-automata's
/// `Prefilter::from_hir_prefix` extracts and optimises them for
/// leftmost-first matching; `None` when they cannot be listed. Spelled
/// out here so that the built-in patterns' literals can be cached.
pub(crate) fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    // As regex-automata does it: the union also removes duplicates.
    let mut prefixes = Seq::empty();
    prefixes.union(&mut extractor.extract(hir));
    prefixes.optimize_for_prefix_by_preference();
    prefixes
        .literals()
        .map(|literals| literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// A prefilter for where a match starting with one of `literals` can
/// start: at one of their first bytes, if there are at most three, which
/// memchr finds. Cheap enough to build for a pattern's first search (the
/// literals are cached with its automaton): the backtracker otherwise
/// tries every position of a unit. With more bytes regex-automata builds
/// Teddy, which cost a one-file run more (2.5M instructions) than its
/// searches saved (1.6M).
fn first_byte_prefilter(literals: &[Vec<u8>]) -> Option<Prefilter> {
    let mut bytes: Vec<[u8; 1]> = Vec::with_capacity(3);
    for literal in literals {
        // An empty literal: a match may start anywhere.
        let first = [*literal.first()?];
        if !bytes.contains(&first) {
            if bytes.len() == 3 {
                return None;
            }
            bytes.push(first);
        }
    }
    Prefilter::new(MatchKind::LeftmostFirst, &bytes)
}

/// The backtracker and the PikeVM over one NFA.
#[derive(Clone)]
struct NfaPair {
    pikevm: PikeVM,
    backtrack: BoundedBacktracker,
}

type CacheMaker = Box<dyn Fn() -> NfaCaches + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// One search's scratch space for both engines.
#[derive(Debug)]
struct NfaCaches {
    /// Made on the PikeVM's first search: a unit is almost always short
    /// enough for the backtracker, and the PikeVM's scratch space, sized
    /// to the automaton, was 0.36 MB of fresh memory for a one-file run's
    /// patterns.
    pikevm: Option<pikevm::Cache>,
    backtrack: backtrack::Cache,
}

impl std::fmt::Debug for NfaEngines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NfaEngines")
            .field("states", &self.plain.pikevm.get_nfa().states().len())
            .finish_non_exhaustive()
    }
}

impl NfaPair {
    fn new(nfa: NFA, pre: Option<Prefilter>) -> Result<Self, String> {
        Ok(NfaPair {
            pikevm: PikeVM::builder()
                .configure(PikeVM::config().prefilter(pre.clone()))
                .build_from_nfa(nfa.clone())
                .map_err(|e| e.to_string())?,
            backtrack: BoundedBacktracker::builder()
                .configure(BoundedBacktracker::config().prefilter(pre))
                .build_from_nfa(nfa)
                .map_err(|e| e.to_string())?,
        })
    }
}

impl NfaEngines {
    fn new(nfa: NFA, prefixes: Prefixes) -> Result<Self, String> {
        let plain = NfaPair::new(nfa, None)?;
        let engines = plain.clone();
        let make: CacheMaker = Box::new(move || NfaCaches {
            pikevm: None,
            backtrack: engines.backtrack.create_cache(),
        });
        Ok(NfaEngines {
            plain,
            filtered: OnceLock::new(),
            first_bytes: OnceLock::new(),
            prefixes,
            searches: AtomicUsize::new(0),
            caches: Pool::new(make),
        })
    }

    /// The engines to search with now: with the prefilter once it pays.
    fn engines(&self) -> &NfaPair {
        let filtered = match self.filtered.get() {
            Some(filtered) => filtered,
            None if self.searches.fetch_add(1, Ordering::Relaxed) < PREFILTER_AFTER => {
                let Prefixes::Known(Some(literals)) = &self.prefixes else {
                    return &self.plain;
                };
                let first_bytes = self.first_bytes.get_or_init(|| {
                    let pre = first_byte_prefilter(literals)?;
                    NfaPair::new(self.plain.pikevm.get_nfa().clone(), Some(pre)).ok()
                });
                return first_bytes.as_ref().unwrap_or(&self.plain);
            }
            None => self.filtered.get_or_init(|| {
                let pre = match &self.prefixes {
                    Prefixes::Of(hir) => prefix_literals(hir),
                    Prefixes::Known(literals) => literals.clone(),
                }
                .and_then(|literals| Prefilter::new(MatchKind::LeftmostFirst, &literals))?;
                NfaPair::new(self.plain.pikevm.get_nfa().clone(), Some(pre)).ok()
            }),
        };
        filtered.as_ref().unwrap_or(&self.plain)
    }

    /// The leftmost-first match in `input`, by the backtracker where the
    /// haystack fits its bound, else the PikeVM: as the meta engine picks.
    fn search(&self, caches: &mut NfaCaches, input: &Input<'_>) -> Option<Match> {
        let engines = self.engines();
        let short = input.get_span().len() < engines.backtrack.max_haystack_len()
            && !(input.get_earliest() && input.haystack().len() > 128);
        if short {
            engines
                .backtrack
                .try_find(&mut caches.backtrack, input.clone())
                .expect("the haystack is within the backtracker's bound")
        } else {
            let cache = caches
                .pikevm
                .get_or_insert_with(|| engines.pikevm.create_cache());
            engines.pikevm.find(cache, input.clone())
        }
    }
}

impl Expression {
    /// Every successive non-overlapping match in `haystack`.
    pub(crate) fn find_spans(&self, haystack: &str) -> Vec<Span> {
        match self {
            Expression::Meta(regex) => regex
                .find_iter(haystack)
                .map(|m| Span::new(m.start(), m.end()))
                .collect(),
            Expression::Nfa(engines) => {
                let mut caches = engines.caches.get();
                let mut searcher = Searcher::new(Input::new(haystack));
                let mut spans = Vec::new();
                while let Some(m) = searcher.advance(|input| Ok(engines.search(&mut caches, input)))
                {
                    spans.push(Span::new(m.start(), m.end()));
                }
                spans
            }
        }
    }

    /// Whether `haystack` holds a match.
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        match self {
            Expression::Meta(regex) => regex.is_match(haystack),
            Expression::Nfa(engines) => engines
                .search(
                    &mut engines.caches.get(),
                    &Input::new(haystack).earliest(true),
                )
                .is_some(),
        }
    }
}

thread_local! {
    /// This thread's NFA compiler, reused for its caches.
    static COMPILER: thompson::Compiler = {
        let mut compiler = thompson::Compiler::new();
        compiler.configure(
            thompson::Config::new()
                .which_captures(WhichCaptures::Implicit)
                .nfa_size_limit(Some(PATTERN_SIZE_LIMIT))
                .shrink(false),
        );
        compiler
    };
}

/// Reads a pattern as [`translate`] does: a built-in one from its cached
/// translation (see [`super::hir_code`]), any other by translating it.
fn read(pattern: &str, alphabet: Option<&Alphabet>) -> Result<Hir, String> {
    super::builtin_cache::translation(pattern, alphabet)
        .map_or_else(|| translate(pattern, alphabet), Ok)
}

/// Translates a pattern, case-insensitively as every pattern is read,
/// with its classes cut to `alphabet` if one is given (see
/// [`Alphabet::cut`]).
pub(crate) fn translate(pattern: &str, alphabet: Option<&Alphabet>) -> Result<Hir, String> {
    let bad =
        |e: &dyn std::fmt::Display| format!("bad regular expression: {}", one_line(&e.to_string()));
    let mut ast = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| bad(&e))?;
    if let Some(alphabet) = alphabet {
        alphabet.cut(&mut ast);
    }
    TranslatorBuilder::new()
        .case_insensitive(true)
        .build()
        .translate(pattern, &ast)
        .map_err(|e| bad(&e))
}

/// Builds `hir` with `engines`.
fn build(hir: Hir, engines: Engines) -> Result<Expression, String> {
    match engines {
        Engines::Fast => meta_builder()
            .build_from_hir(&hir)
            .map(Expression::Meta)
            .map_err(|e| meta_error(&e)),
        Engines::Cheap => compile_nfa(hir),
    }
}

/// Compiles one expanded pattern for texts in `alphabet` only (see
/// [`Alphabet`]): with the cheap engines, a run over a few documents
/// compiles in a fraction of the time; with the fast ones, the lazy DFA
/// and the backtracker run on an automaton a fraction of the size.
pub(crate) fn compile_for_alphabet(
    pattern: &str,
    alphabet: &Alphabet,
    engines: Engines,
) -> Result<Expression, String> {
    check_source_len(pattern)?;
    build(read(pattern, Some(alphabet))?, engines)
}

/// The cheap engines of a built-in pattern for texts of `alphabet`, from
/// its automaton compiled ahead for an alphabet that covers it (see
/// [`super::alphabet::cached`]), with that alphabet; `None` for a pattern
/// or alphabet the cache does not hold.
pub(crate) fn cached_for_alphabet(
    pattern: &str,
    alphabet: &Alphabet,
) -> Option<(Arc<Alphabet>, Expression)> {
    let cached = super::builtin_cache::automaton(pattern, alphabet)?;
    let engines = NfaEngines::new(cached.nfa, Prefixes::Known(cached.prefixes)).ok()?;
    Some((
        Arc::clone(cached.compiled_for),
        Expression::Nfa(Box::new(engines)),
    ))
}

/// Compiles one expanded pattern with the fast engines for the ASCII view
/// of viewable texts (see [`super::ascii_view`]); `Ok(None)` for a pattern
/// that cannot be viewed.
pub(crate) fn compile_ascii_view(pattern: &str) -> Result<Option<Expression>, String> {
    check_source_len(pattern)?;
    match super::ascii_view::view(&read(pattern, None)?) {
        Some(hir) => build(hir, Engines::Fast).map(Some),
        None => Ok(None),
    }
}

/// Compiles one expanded pattern, case-insensitively, within size limits.
/// Never the one-pass DFA: it serves capture groups, which are not used.
pub(crate) fn compile_pattern(pattern: &str, engines: Engines) -> Result<Expression, String> {
    check_source_len(pattern)?;
    build(read(pattern, None)?, engines)
}

/// The cheap engines for `hir`.
fn compile_nfa(hir: Hir) -> Result<Expression, String> {
    NfaEngines::new(nfa_of(&hir)?, Prefixes::Of(hir))
        .map(|engines| Expression::Nfa(Box::new(engines)))
}

/// The automaton of `hir` for the cheap engines, from this thread's
/// compiler.
pub(crate) fn nfa_of(hir: &Hir) -> Result<NFA, String> {
    COMPILER.with(|compiler| {
        compiler
            .build_from_hir(hir)
            .map_err(|e| match e.size_limit() {
                Some(limit) => too_large(limit),
                None => format!("bad regular expression: {}", one_line(&e.to_string())),
            })
    })
}

/// The meta engine as [`Engines::Fast`] configures it.
fn meta_builder() -> meta::Builder {
    let mut builder = meta::Builder::new();
    builder.configure(
        meta::Config::new()
            .onepass(false)
            .which_captures(WhichCaptures::Implicit)
            .nfa_size_limit(Some(PATTERN_SIZE_LIMIT))
            .hybrid_cache_capacity(PATTERN_SIZE_LIMIT)
            .dfa_size_limit(Some(PATTERN_SIZE_LIMIT)),
    );
    builder
}

/// Syntax errors are reported by [`read`]; what is left is size.
fn meta_error(e: &meta::BuildError) -> String {
    match e.size_limit() {
        Some(limit) => too_large(limit),
        None => format!("bad regular expression: {}", one_line(&e.to_string())),
    }
}

fn too_large(limit: usize) -> String {
    format!("pattern compiles to more than {limit} bytes; split it or shorten its lexicons")
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
/// patterns compile without the engines that pay off only over many, and
/// lexicons are looked up rather than scanned by an automaton.
///
/// Measured on generated charters, both cores, since patterns compiled
/// for an alphabet made the cheap engines cheap to build: 100 files 56 ms
/// against 74 ms with the fast engines, 200 files 87 ms against 103 ms
/// (CPU 145 against 155 ms), 400 files 168 against 164 ms (CPU 285
/// against 258 ms). In instructions on one thread they break even sooner,
/// near 130 files: 6.1M a file against 3.4M, after 100M of set-up
/// against 450M.
pub const FEW_DOCUMENTS: usize = 200;

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
    use crate::rules::NOT_AFTER_MARK;
    use crate::rules::lexicon::placeholder_range;

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
        // Short texts go to the backtracker, long ones to the PikeVM; empty
        // matches must not split the two-byte "é" or the emoji.
        let short = "Nurses in Leeds, nurses’ pay, NURSE-led clinics, é 🙂 x";
        let long = short.repeat(3_000);
        for text in [short, long.as_str()] {
            for pattern in [
                r"\bnurse\w*",
                r"(?-i:[A-Z])\w+",
                r"\s\w+-\w+\b",
                r"x*",
                r"\b",
                r"zz",
            ] {
                let (fast, cheap) = (
                    compile_pattern(pattern, Engines::Fast).unwrap(),
                    compile_pattern(pattern, Engines::Cheap).unwrap(),
                );
                assert!(matches!(cheap, Expression::Nfa(_)), "{pattern}");
                assert_eq!(fast.find_spans(text), cheap.find_spans(text), "{pattern}");
                assert_eq!(fast.is_match(text), cheap.is_match(text), "{pattern:?}");
                assert_eq!(
                    fast.is_match(text),
                    pattern != "zz",
                    "{pattern:?} {}",
                    text.len()
                );
            }
        }
    }

    #[test]
    fn first_bytes_filter_only_when_memchr_can() {
        let lits = |words: &[&str]| {
            words
                .iter()
                .map(|w| w.as_bytes().to_vec())
                .collect::<Vec<_>>()
        };
        let filter = first_byte_prefilter(&lits(&["goal", "Goal", "gap", "aim"])).unwrap();
        let text = b"xx aim yy goal";
        assert_eq!(
            filter
                .find(text, regex_automata::Span::from(0..text.len()))
                .unwrap()
                .start,
            3
        );
        assert!(first_byte_prefilter(&lits(&["a", "b", "c", "d"])).is_none());
        assert!(first_byte_prefilter(&lits(&["a", ""])).is_none());
        assert!(first_byte_prefilter(&[]).is_none());
    }

    #[test]
    fn a_prefiltered_pattern_finds_what_it_found_before() {
        let text = "Nurses in Leeds, nurses’ pay, NURSE-led clinics: the nurse, é 🙂 x";
        for pattern in [
            r"\bnurse\w*",
            r"(?-i:[A-Z])\w+",
            r"\s\w+-\w+\b",
            r"x*",
            r"zz|pay",
        ] {
            let fresh = || compile_pattern(pattern, Engines::Cheap).unwrap();
            let used = fresh();
            let Expression::Nfa(engines) = &used else {
                unreachable!("the cheap engines")
            };
            for _ in 0..=PREFILTER_AFTER {
                used.find_spans("warming up");
            }
            assert!(engines.filtered.get().is_some(), "{pattern}");
            for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                let (before, after) = (
                    fresh().find_spans(&text[at..]),
                    used.find_spans(&text[at..]),
                );
                assert_eq!(before, after, "{pattern} on {:?}", &text[at..]);
                assert_eq!(fresh().is_match(&text[at..]), used.is_match(&text[at..]));
            }
        }
        let used = compile_pattern(r"\bnurse\w*", Engines::Cheap).unwrap();
        (0..=PREFILTER_AFTER).for_each(|_| _ = used.is_match("x"));
        let Expression::Nfa(engines) = &used else {
            unreachable!("the cheap engines")
        };
        assert!(
            matches!(engines.filtered.get(), Some(Some(_))),
            "a literal prefix"
        );
    }

    /// Texts in `alphabet`: every built-in rule example in it, as written,
    /// in mixed and upper case, with some of its punctuation swapped for
    /// the alphabet's extra characters, with some words turned into
    /// placeholders as a lexicon occurrence would be, and as not-after
    /// contexts.
    fn texts_in(alphabet: &Alphabet, set: &crate::RuleSet) -> Vec<String> {
        let (first, last) = placeholder_range();
        let extra: Vec<char> = "’“”—–é".chars().collect();
        let mut texts = Vec::new();
        for rule in set.rules() {
            for text in rule.examples.hit.iter().chain(&rule.examples.miss) {
                let mixed: String = text
                    .chars()
                    .enumerate()
                    .map(|(i, c)| match c {
                        'a' if i % 3 == 0 => 'A',
                        'S' => 's',
                        '\'' | '"' | '-' | 'e' if i % 2 == 0 => extra[i % extra.len()],
                        c => c,
                    })
                    .collect();
                let symbolized: Vec<String> = text
                    .split(' ')
                    .enumerate()
                    .map(|(i, w)| match i % 3 {
                        0 => char::from_u32(u32::from(first) + (i as u32 % 7))
                            .unwrap()
                            .to_string(),
                        1 if i % 2 == 0 => last.to_string(),
                        _ => w.to_string(),
                    })
                    .collect();
                let middle = text.floor_char_boundary(text.len() / 2);
                let context = format!("{}{NOT_AFTER_MARK}{}", &text[..middle], &text[middle..]);
                for variant in [
                    text.clone(),
                    mixed.to_uppercase(),
                    mixed,
                    symbolized.join(" "),
                    context,
                ] {
                    if Alphabet::of(&variant).is_some_and(|a| alphabet.covers(&a)) {
                        texts.push(variant);
                    }
                }
            }
        }
        texts
    }

    #[test]
    fn patterns_cut_to_an_alphabet_find_what_they_find_in_full() {
        let set = crate::RuleSet::builtin().unwrap();
        let sources = set.distinct_sources();
        // ASCII, common punctuation (both with automata compiled ahead) and
        // letters beyond it (none).
        for (letters, ahead) in [("", true), ("’“”—–·…", true), ("’“”—–éÉ", false)]
        {
            let alphabet = Alphabet::of(letters).unwrap();
            let texts = texts_in(&alphabet, &set);
            assert!(texts.len() > 350, "{letters:?}: {} texts", texts.len());
            let mut found = 0;
            for &source in &sources {
                // In full and cut, each from the cached translation and as
                // translated from the syntax tree.
                let full = build(translate(source, None).unwrap(), Engines::Cheap).unwrap();
                let mut cut: Vec<Expression> = [Engines::Cheap, Engines::Fast]
                    .into_iter()
                    .map(|e| compile_for_alphabet(source, &alphabet, e).unwrap())
                    .collect();
                cut.push(compile_pattern(source, Engines::Cheap).unwrap());
                cut.push(
                    build(translate(source, Some(&alphabet)).unwrap(), Engines::Cheap).unwrap(),
                );
                let cached = cached_for_alphabet(source, &alphabet);
                assert_eq!(cached.is_some(), ahead, "{letters:?}");
                cut.extend(cached.map(|(_, expression)| expression));
                for text in &texts {
                    let spans = full.find_spans(text);
                    for cut in &cut {
                        assert_eq!(spans, cut.find_spans(text), "{source} on {text:?}");
                    }
                    found += spans.len();
                }
            }
            assert!(found > 1000, "{letters:?}: only {found} matches");
        }
    }

    #[test]
    fn cutting_keeps_negated_and_nested_classes_apart() {
        let text = "a-b_c d1\t\u{12003}x,\u{E000} é’É";
        let alphabet = Alphabet::of(text).unwrap();
        for pattern in [
            r"\w+",
            r"\W+",
            r"\S+",
            r"\D+",
            r"[^\s,]+",
            r"[\w-]+",
            r"[^\w\s]",
            r"[a-c&&[^b]]+",
            r"\p{L}+",
            r"\b\w",
            r"É\b",
        ] {
            let (full, cut) = (
                compile_pattern(pattern, Engines::Cheap).unwrap(),
                compile_for_alphabet(pattern, &alphabet, Engines::Cheap).unwrap(),
            );
            assert_eq!(full.find_spans(text), cut.find_spans(text), "{pattern}");
        }
    }

    #[test]
    fn a_pattern_that_cannot_be_cut_is_refused_not_mangled() {
        // Under (?-u) a class may only hold ASCII: `\w` cut to an alphabet
        // with placeholders in it does not translate, where in full it is
        // ASCII's `\w`. Pattern::regex then compiles it in full.
        let alphabet = Alphabet::of("plain").unwrap();
        assert!(compile_for_alphabet(r"(?-u:\w)+", &alphabet, Engines::Cheap).is_err());
        assert!(compile_pattern(r"(?-u:\w)+", Engines::Cheap).is_ok());
    }

    #[test]
    fn oversized_patterns_are_refused_with_a_reason() {
        let huge = format!("(?:{})", vec!["[a-z]{1,50}"; 20_000].join("|"));
        let err = compile_pattern(&huge, Engines::Cheap).unwrap_err();
        assert!(err.contains("compiles to more than"), "{err}");
    }
}
