//! Rule packs: loading, validating and compiling the TOML packs in `rules/`
//! (embedded in the binary) and any the user adds.
//!
//! Every pattern is parsed when the set is built, and user packs' patterns
//! are compiled then too, so that errors name the pack file, line and
//! column before anything is linted. Built-in patterns (tested to compile)
//! compile on first use, once per distinct source, with the engines worth
//! building for the number of documents to lint.

mod alphabet;
mod ascii_view;
mod builtin_cache;
mod dictionary;
pub mod examples;
mod expression;
mod hir_code;
mod lexicon;
mod matching;
mod model;
mod nfa_code;
mod pack;
mod parallel;
mod prefilter;
mod units;

use std::borrow::Cow;
use std::collections::HashMap;

pub use lexicon::{Inflect, LexiconIndex, Lexicons};
use matching::SharedExpression;
pub use matching::{Pattern, TextMatcher};
pub use model::{Dimension, DocumentCheck, Metric, RuleKind, Scope, Severity};
pub use pack::{ExampleFormat, Examples, Overlap};
pub(crate) use units::Units;

use crate::error::{Error, Result};
pub use expression::FEW_DOCUMENTS;

/// What stands for the start of a match in the context a rule's
/// `not-after` patterns see (see [`Rule::not_after`]).
pub const NOT_AFTER_MARK: char = '\u{E000}';
use expression::{EngineChoice, Engines};
use pack::{CurveDef, PackFile, RuleDef};
use prefilter::Prefilter;

/// The packs built into the binary, in load order.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "rules/scoring.toml",
        include_str!("../../rules/scoring.toml"),
    ),
    (
        "rules/lexicons.toml",
        include_str!("../../rules/lexicons.toml"),
    ),
    (
        "rules/audience.toml",
        include_str!("../../rules/audience.toml"),
    ),
    (
        "rules/outcome.toml",
        include_str!("../../rules/outcome.toml"),
    ),
    (
        "rules/contribution.toml",
        include_str!("../../rules/contribution.toml"),
    ),
    (
        "rules/clarity.toml",
        include_str!("../../rules/clarity.toml"),
    ),
    (
        "rules/document.toml",
        include_str!("../../rules/document.toml"),
    ),
];

/// Largest rule pack file read, in bytes.
const MAX_PACK_BYTES: u64 = 8 * 1024 * 1024;
/// Most rules one set may hold.
const MAX_RULES: usize = 20_000;

/// A pack's text and the name errors give it.
#[derive(Debug, Clone)]
pub struct PackSource {
    /// The file name shown in errors.
    pub path: String,
    /// The TOML text.
    pub text: String,
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id, `dimension/kebab-name`.
    pub id: String,
    /// What it does with matches.
    pub kind: RuleKind,
    /// What it judges.
    pub dimension: Dimension,
    /// Default severity of its findings.
    pub severity: Severity,
    /// The unit its patterns see.
    pub scope: Scope,
    /// Points per counted match (or per firing, for require/metric/document).
    pub weight: f64,
    /// How many matches count towards the score.
    pub max_count: u32,
    /// How many findings one document reports: a question worth asking
    /// once ("by how much?") need not be asked of every phrase.
    pub max_findings: u32,
    /// Compiled patterns.
    pub patterns: Vec<Pattern>,
    /// A match is dropped when its unit matches one of these.
    pub unless: Vec<Pattern>,
    /// A match is dropped when the matched text matches one of these.
    pub except: Vec<Pattern>,
    /// A match is dropped when one of these matches its context: up to 64
    /// bytes of the unit's text before the match, U+E000, then the start of
    /// the matched text. Says
    /// what may not come just before a match ("one certified ...")
    /// without making every pattern start with an optional lead-in,
    /// which cost a fifth of lint time.
    pub not_after: Vec<Pattern>,
    /// Run only when one of these rules has given positive points.
    pub requires: Vec<String>,
    /// Run only when none of these rules has given positive points.
    pub unless_rules: Vec<String>,
    /// Whether matches inside masked text count.
    pub in_masks: bool,
    /// How its evidence combines with overlapping evidence.
    pub overlap: Overlap,
    /// Message template.
    pub message: String,
    /// Suggestion template.
    pub suggestion: String,
    /// Alternatives for `{example}` in the suggestion.
    pub suggestion_examples: Vec<String>,
    /// Why the rule exists.
    pub explanation: String,
    /// Texts it must and must not fire on.
    pub examples: Examples,
    /// The pack it came from.
    pub pack: String,
}

impl Rule {
    /// Every pattern the rule matches with: its own, `unless` and `except`.
    pub fn all_patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.patterns.iter().chain(&self.unless).chain(&self.except)
    }

    /// Whether the rule waits for other rules' evidence before it runs.
    pub fn gated(&self) -> bool {
        !self.requires.is_empty() || !self.unless_rules.is_empty()
    }

    /// The first paragraph of the explanation on one line: what listings
    /// (`purpose-lint rules`, SARIF short descriptions) show.
    pub fn summary(&self) -> String {
        self.explanation
            .trim()
            .split("\n\n")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How one dimension's points become a 0-100 score:
/// `100 * (1 - exp(-(base + points) / scale))`, and 0 for no points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Curve {
    /// Points every statement starts with.
    pub base: f64,
    /// Points at which the score reaches about 63.
    pub scale: f64,
    /// Weight of each further piece of positive evidence relative to the
    /// one before, strongest first: readers judge a statement by the best
    /// it offers more than by how much it piles up.
    pub decay: f64,
}

impl Curve {
    /// The 0-100 score for `points` of evidence.
    pub fn score(&self, points: f64) -> f64 {
        let x = self.base + points;
        if x <= 0.0 || self.scale <= 0.0 {
            return 0.0;
        }
        (100.0 * (1.0 - (-x / self.scale).exp())).clamp(0.0, 100.0)
    }
}

/// The scoring model, read from the packs' `[scoring]` tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    /// Curve per scored dimension, in [`Dimension::SCORED`] order.
    pub curves: [Curve; 3],
    /// Weight of each scored dimension in the overall score.
    pub weights: [f64; 3],
    /// Multiplier on clarity points added to the overall score.
    pub clarity_factor: f64,
}

impl Default for Scoring {
    fn default() -> Self {
        let c = Curve {
            base: 0.0,
            scale: 40.0,
            decay: 1.0,
        };
        Scoring {
            curves: [c; 3],
            weights: [1.0; 3],
            clarity_factor: 1.0,
        }
    }
}

/// A pack's name and description, for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackInfo {
    /// The file it was read from.
    pub path: String,
    /// Its `[pack] name`.
    pub name: String,
    /// Its `[pack] description`.
    pub description: String,
}

/// A validated, compiled set of rules and the scoring model.
#[derive(Debug, Clone)]
pub struct RuleSet {
    packs: Vec<PackInfo>,
    rules: Vec<Rule>,
    scoring: Scoring,
    lexicons: Lexicons,
    index: LexiconIndex,
    prefilter: Prefilter,
    /// How patterns compile on first use, by how many documents the set
    /// expects to lint (see [`RuleSet::expect_documents`]).
    engines: EngineChoice,
    /// Whether patterns are compiled for each document's alphabet (see
    /// `alphabet`); only tests turn it off.
    cut_to_alphabets: bool,
}

impl RuleSet {
    /// The built-in packs alone.
    ///
    /// # Errors
    /// Only if a built-in pack is broken, which the test suite rules out.
    pub fn builtin() -> Result<Self> {
        Self::load(&[])
    }

    /// The built-in packs plus `extra` user packs, in order; a user rule with
    /// the id of an earlier rule replaces it.
    ///
    /// # Errors
    /// The first invalid pack: TOML syntax, unknown key, wrong type, bad or
    /// oversized pattern, unknown lexicon, duplicate id, missing field.
    pub fn load(extra: &[PackSource]) -> Result<Self> {
        let builtin = BUILTIN_PACKS.iter().map(|(path, text)| PackSource {
            path: path.to_string(),
            text: text.to_string(),
        });
        let sources: Vec<PackSource> = builtin.chain(extra.iter().cloned()).collect();
        Self::from_sources(&sources, BUILTIN_PACKS.len())
    }

    /// Builds a set from exactly these packs; the first `builtin_count` may
    /// not repeat each other's ids, later ones may replace them.
    ///
    /// # Errors
    /// As [`RuleSet::load`].
    pub fn from_sources(sources: &[PackSource], builtin_count: usize) -> Result<Self> {
        let mut files = Vec::with_capacity(sources.len());
        // Whether the packs are exactly the built-in ones, in order, each as
        // cached: then so are their lexicons.
        let mut builtin_as_cached = sources.len() == BUILTIN_PACKS.len();
        for (i, src) in sources.iter().enumerate() {
            if i < builtin_count
                && let Some(file) = builtin_cache::pack(&src.path, &src.text)
            {
                builtin_as_cached &= BUILTIN_PACKS.get(i).is_some_and(|b| b.0 == src.path);
                files.push(file);
                continue;
            }
            builtin_as_cached = false;
            let file: PackFile = toml::from_str(&src.text).map_err(|e| {
                Error::pack_at(
                    &src.path,
                    &src.text,
                    e.span().map(|s| s.start),
                    e.message().trim().to_string(),
                )
            })?;
            files.push(file);
        }

        let mut lexicons = Lexicons::default();
        let mut scoring = Scoring::default();
        for (src, file) in sources.iter().zip(&mut files) {
            for (name, def) in std::mem::take(&mut file.lexicon) {
                let at = def.span().start;
                if name == "word" {
                    return Err(Error::pack_at(
                        &src.path,
                        &src.text,
                        Some(at),
                        "`word` is reserved: `{word}` matches any one word".into(),
                    ));
                }
                let (words, inflect) = match def.into_inner() {
                    pack::LexiconDef::Words(w) => (w, lexicon::Inflect::Noun),
                    pack::LexiconDef::Table(t) => (t.words, t.inflect),
                };
                if words.len() > lexicon::MAX_ENTRIES {
                    return Err(Error::pack_at(
                        &src.path,
                        &src.text,
                        Some(at),
                        format!(
                            "lexicon `{name}` has {} entries; the limit is {}",
                            words.len(),
                            lexicon::MAX_ENTRIES
                        ),
                    ));
                }
                lexicons.define_inflected(&name, words, inflect);
            }
            for (name, words) in std::mem::take(&mut file.extend_lexicon) {
                let at = words.span().start;
                if !lexicons.extend(&name, words.into_inner()) {
                    return Err(Error::pack_at(
                        &src.path,
                        &src.text,
                        Some(at),
                        format!(
                            "`extend-lexicon.{name}` extends a lexicon no earlier pack defines"
                        ),
                    ));
                }
            }
            if let Some(def) = file.scoring.take() {
                apply_scoring(&mut scoring, def)
                    .map_err(|m| Error::pack_at(&src.path, &src.text, None, m))?;
            }
        }

        let packs = sources
            .iter()
            .zip(&files)
            .map(|(src, file)| PackInfo {
                path: src.path.clone(),
                name: file.pack.name.clone(),
                description: file.pack.description.clone(),
            })
            .collect();
        let mut references: Vec<(String, usize, usize)> = Vec::new();
        let defs: Vec<(usize, RuleDef)> = files
            .into_iter()
            .enumerate()
            .flat_map(|(pack_no, file)| file.rule.into_iter().map(move |d| (pack_no, d)))
            .collect();
        if defs.len() > MAX_RULES * 2 {
            let (pack_no, def) = &defs[MAX_RULES * 2];
            let src = &sources[*pack_no];
            return Err(Error::pack_at(
                &src.path,
                &src.text,
                Some(def.id.span().start),
                format!("too many rules: the limit is {MAX_RULES}"),
            ));
        }
        let heads: Vec<(String, usize, usize)> = defs
            .iter()
            .map(|(p, d)| (d.id.get_ref().clone(), d.id.span().start, *p))
            .collect();
        for (pack_no, def) in &defs {
            for r in def.requires.iter().chain(&def.unless_rules) {
                references.push((r.get_ref().clone(), r.span().start, *pack_no));
            }
        }
        // The lexicon forms, the longest job at start-up, are put together on
        // their own thread while the rules compile and are put together.
        let (assembled, lexicon_index) = std::thread::scope(|scope| {
            let building = scope.spawn(|| {
                if builtin_as_cached {
                    lexicons.compile_builtin()
                } else {
                    lexicons.compile()
                }
            });
            let compiled = compile_all(defs, &lexicons, sources, builtin_count);
            let assembled = assemble(compiled, heads, references, sources, builtin_count);
            let index = building.join().expect("building lexicons does not panic");
            (assembled, index)
        });
        let lexicon_index = lexicon_index.map_err(|m| {
            Error::pack_at(
                &sources[sources.len() - 1].path,
                &sources[sources.len() - 1].text,
                None,
                m,
            )
        })?;
        let (rules, prefilter) = assembled?;
        Ok(RuleSet {
            packs,
            rules,
            scoring,
            lexicons,
            index: lexicon_index,
            prefilter,
            engines: EngineChoice::default(),
            cut_to_alphabets: true,
        })
    }

    /// Says how many documents the set is about to lint, so that patterns
    /// compile with the engines worth building for that many: a pre-commit
    /// hook on three charters should not pay for what speeds up ten
    /// thousand.
    pub fn expect_documents(&self, documents: usize) {
        self.engines.expect(documents);
    }

    /// The packs the set was built from, in load order.
    pub fn packs(&self) -> &[PackInfo] {
        &self.packs
    }

    /// The rules, in load order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The scoring model.
    pub fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    /// The merged lexicons.
    pub fn lexicons(&self) -> &Lexicons {
        &self.lexicons
    }

    /// Keeps only the rules `keep` accepts and sets each rule's severity to
    /// `severity(id, default)`: how configuration selects and re-grades rules.
    pub fn configure(
        &mut self,
        keep: impl Fn(&str) -> bool,
        severity: impl Fn(&str, Severity) -> Severity,
    ) {
        self.rules.retain(|r| keep(&r.id));
        for r in &mut self.rules {
            r.severity = severity(&r.id, r.severity);
        }
    }

    /// A matcher for this set's patterns over `text`.
    pub fn matcher<'a>(&'a self, text: &'a str) -> TextMatcher<'a> {
        let mut matcher = TextMatcher::new(&self.index, &self.prefilter, self.engines.get(), text);
        if !self.cut_to_alphabets {
            matcher.compile_in_full();
        }
        matcher
    }

    /// Every distinct pattern source of the set (rules' own, `except`,
    /// `unless` and `not-after` patterns), sorted: for tests that check
    /// each pattern once.
    #[cfg(test)]
    pub(crate) fn distinct_sources(&self) -> Vec<&str> {
        let mut sources: Vec<&str> = self
            .rules()
            .iter()
            .flat_map(|r| r.all_patterns().chain(&r.not_after))
            .map(Pattern::as_str)
            .collect();
        sources.sort_unstable();
        sources.dedup();
        sources
    }

    /// The same set, compiling every pattern in full: for tests that
    /// compare with patterns cut to a document's alphabet.
    #[cfg(test)]
    pub(crate) fn compiled_in_full(mut self) -> Self {
        self.cut_to_alphabets = false;
        self
    }
}

fn apply_scoring(scoring: &mut Scoring, def: pack::ScoringDef) -> std::result::Result<(), String> {
    let curves = [def.audience, def.outcome, def.contribution];
    for (slot, curve) in scoring.curves.iter_mut().zip(curves) {
        if let Some(CurveDef { base, scale, decay }) = curve {
            if !(scale.is_finite() && scale > 0.0 && base.is_finite()) {
                return Err("scoring: `scale` must be a positive number and `base` finite".into());
            }
            if !(decay > 0.0 && decay <= 1.0) {
                return Err("scoring: `decay` must be more than 0 and at most 1".into());
            }
            *slot = Curve { base, scale, decay };
        }
    }
    if let Some(overall) = def.overall {
        for (name, w) in overall.weights {
            let dim: Dimension = name.parse()?;
            let i = Dimension::SCORED
                .iter()
                .position(|d| *d == dim)
                .ok_or_else(|| {
                    "scoring.overall.weights: clarity is not a scored dimension".to_string()
                })?;
            if !(w.is_finite() && w >= 0.0) {
                return Err(format!(
                    "scoring.overall.weights.{name} must be a number >= 0"
                ));
            }
            scoring.weights[i] = w;
        }
        if !overall.clarity_factor.is_finite() {
            return Err("scoring.overall.clarity-factor must be a number".into());
        }
        scoring.clarity_factor = overall.clarity_factor;
    }
    if scoring.weights.iter().sum::<f64>() <= 0.0 {
        return Err("scoring.overall.weights must not all be 0".into());
    }
    Ok(())
}

/// Reads a pack file, or every `*.toml` in a folder (sorted by name).
///
/// # Errors
/// A path that cannot be read.
pub fn read_packs(path: &std::path::Path) -> Result<Vec<PackSource>> {
    let read = |p: &std::path::Path| -> Result<PackSource> {
        let name = p.display().to_string();
        if let Ok(meta) = std::fs::metadata(p)
            && meta.len() > MAX_PACK_BYTES
        {
            return Err(Error::pack_at(
                &name,
                "",
                None,
                format!(
                    "the file is {} bytes; a rule pack may be at most {MAX_PACK_BYTES}",
                    meta.len()
                ),
            ));
        }
        let text = crate::input::read(&crate::input::Input::File(p.to_path_buf()), MAX_PACK_BYTES)?;
        Ok(PackSource { path: name, text })
    };
    if !path.is_dir() {
        return Ok(vec![read(path)?]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files.iter().map(|f| read(f)).collect()
}

/// Compiles every rule, spreading the work over the machine's cores:
/// regex compilation is most of start-up. Results keep the input order, so
/// errors and rule order do not depend on scheduling.
/// Puts compiled rules together in load order, a user rule replacing the
/// built-in one with its id; checks ids and references between rules; and
/// builds the prefilter over every pattern's literals.
fn assemble(
    compiled: Vec<Result<Rule>>,
    heads: Vec<(String, usize, usize)>,
    references: Vec<(String, usize, usize)>,
    sources: &[PackSource],
    builtin_count: usize,
) -> Result<(Vec<Rule>, Prefilter)> {
    let mut rules: Vec<Rule> = Vec::new();
    let mut index: HashMap<String, (usize, usize)> = HashMap::new();
    for ((id, id_at, pack_no), rule) in heads.into_iter().zip(compiled) {
        let src = &sources[pack_no];
        let rule = rule?;
        match index.get(&id) {
            Some(&(slot, earlier_pack)) => {
                let replacing_builtin = earlier_pack < builtin_count && pack_no >= builtin_count;
                if earlier_pack == pack_no || !replacing_builtin {
                    return Err(Error::pack_at(
                        &src.path,
                        &src.text,
                        Some(id_at),
                        format!(
                            "duplicate rule id `{id}` (first defined in {})",
                            rules[slot].pack
                        ),
                    ));
                }
                rules[slot] = rule;
                index.insert(id, (slot, pack_no));
            }
            None => {
                if rules.len() >= MAX_RULES {
                    return Err(Error::pack_at(
                        &src.path,
                        &src.text,
                        Some(id_at),
                        format!("too many rules: the limit is {MAX_RULES}"),
                    ));
                }
                index.insert(id, (rules.len(), pack_no));
                rules.push(rule);
            }
        }
    }
    for (id, at, pack_no) in references {
        if !index.contains_key(&id) {
            let src = &sources[pack_no];
            return Err(Error::pack_at(
                &src.path,
                &src.text,
                Some(at),
                format!("`requires`/`unless-rules` names rule `{id}`, which no pack defines"),
            ));
        }
    }
    share_compiled(&mut rules);
    let prefilter = intern_literals(&mut rules);
    Ok((rules, prefilter))
}

fn compile_all(
    defs: Vec<(usize, RuleDef)>,
    lexicons: &Lexicons,
    sources: &[PackSource],
    builtin_count: usize,
) -> Vec<Result<Rule>> {
    let compile =
        |(p, d): (usize, RuleDef)| compile_rule(d, lexicons, &sources[p], p >= builtin_count);
    // Built-in rules only read caches (1.9M instructions in all), while the
    // lexicons are put together on the other core: a helper thread here
    // cost more than it saved (one file 6.3 -> 5.8 ms without it). A user
    // pack's patterns compile now, which is worth every core.
    if defs.iter().all(|&(p, _)| p < builtin_count) {
        return defs.into_iter().map(compile).collect();
    }
    parallel::map_in_order(defs, compile)
}

fn compile_rule(def: RuleDef, lexicons: &Lexicons, src: &PackSource, eager: bool) -> Result<Rule> {
    let err = |at: usize, message: String| Error::pack_at(&src.path, &src.text, Some(at), message);
    let id_at = def.id.span().start;
    let id = def.id.into_inner();
    if !is_rule_id(&id) {
        return Err(err(
            id_at,
            format!(
                "rule id `{id}` must be `group/name` in lowercase kebab-case, e.g. `audience/everyone`"
            ),
        ));
    }
    let parse =
        |v: &pack::Spanned<String>| -> Result<_> { Ok((v.get_ref().clone(), v.span().start)) };
    let (dimension_s, at) = parse(&def.dimension)?;
    let dimension: Dimension = dimension_s.parse().map_err(|m| err(at, m))?;
    let severity = match &def.severity {
        Some(s) => s.get_ref().parse().map_err(|m| err(s.span().start, m))?,
        None => Severity::Warning,
    };
    let scope = match &def.scope {
        Some(s) => s.get_ref().parse().map_err(|m| err(s.span().start, m))?,
        None => Scope::Clause,
    };
    if !def.weight.is_finite() {
        return Err(err(
            id_at,
            format!("rule `{id}`: weight must be a finite number"),
        ));
    }

    let compile = |p: &pack::Spanned<String>| -> Result<Pattern> {
        let at = p.span().start;
        let (expanded, used) = lexicons
            .expand(p.get_ref())
            .map_err(|(_, m)| err(at, format!("rule `{id}`: {m}")))?;
        let ids = used
            .iter()
            .map(|name| lexicons.id(name).expect("expand checked the name"))
            .collect();
        let pattern =
            Pattern::parse(expanded, ids).map_err(|m| err(at, format!("rule `{id}`: {m}")))?;
        if eager {
            pattern
                .compile(Engines::Fast)
                .map_err(|m| err(at, format!("rule `{id}`: {m}")))?;
        }
        Ok(pattern)
    };
    let mut patterns = def
        .patterns
        .iter()
        .map(&compile)
        .collect::<Result<Vec<_>>>()?;
    let unless = def
        .unless
        .iter()
        .map(&compile)
        .collect::<Result<Vec<_>>>()?;
    let except = def
        .except
        .iter()
        .map(&compile)
        .collect::<Result<Vec<_>>>()?;
    // Matched against a built string, not the document: no lexicons.
    let not_after = def
        .not_after
        .iter()
        .map(|p| {
            let at = p.span().start;
            if lexicon::has_references(p.get_ref()) {
                return Err(err(
                    at,
                    format!("rule `{id}`: `not-after` patterns cannot use lexicons"),
                ));
            }
            let pattern = Pattern::parse(p.get_ref().clone(), Vec::new())
                .map_err(|m| err(at, format!("rule `{id}`: {m}")))?;
            if eager {
                pattern
                    .compile(Engines::Fast)
                    .map_err(|m| err(at, format!("rule `{id}`: {m}")))?;
            }
            Ok(pattern)
        })
        .collect::<Result<Vec<_>>>()?;

    let (kind_s, kind_at) = parse(&def.kind)?;
    let need = |field: &str, ok: bool| -> Result<()> {
        if ok {
            Ok(())
        } else {
            Err(err(
                kind_at,
                format!("rule `{id}`: a {kind_s} rule needs `{field}`"),
            ))
        }
    };
    let kind = match kind_s.as_str() {
        "existence" => {
            need("patterns", !patterns.is_empty())?;
            RuleKind::Existence
        }
        "signal" => {
            need("patterns", !patterns.is_empty())?;
            RuleKind::Signal
        }
        "mask" => {
            need("patterns", !patterns.is_empty())?;
            RuleKind::Mask
        }
        "substitution" => {
            need("replace", !def.replace.is_empty())?;
            need(
                "patterns absent (a substitution matches its `replace` keys)",
                patterns.is_empty(),
            )?;
            let mut replacements = Vec::new();
            for (from, to) in &def.replace {
                let pattern = Pattern::parse(lexicon::phrase_pattern(from), Vec::new())
                    .map_err(|m| err(kind_at, format!("rule `{id}`: {m}")))?;
                if eager {
                    pattern
                        .compile(Engines::Fast)
                        .map_err(|m| err(kind_at, format!("rule `{id}`: {m}")))?;
                }
                patterns.push(pattern);
                replacements.push(to.clone());
            }
            RuleKind::Substitution { replacements }
        }
        "require" => RuleKind::Require {
            min: def.min.unwrap_or(f64::MIN_POSITIVE),
        },
        "metric" => {
            let m = def.metric.as_ref();
            need("metric", m.is_some())?;
            let m = m.expect("checked above");
            let metric: Metric = m.get_ref().parse().map_err(|e| err(m.span().start, e))?;
            need("min or max", def.min.is_some() || def.max.is_some())?;
            if metric == Metric::Matches {
                need("patterns", !patterns.is_empty())?;
            }
            RuleKind::Metric {
                metric,
                min: def.min,
                max: def.max,
            }
        }
        "document" => {
            let c = def.check.as_ref();
            need("check", c.is_some())?;
            let c = c.expect("checked above");
            RuleKind::Document(c.get_ref().parse().map_err(|e| err(c.span().start, e))?)
        }
        other => {
            return Err(err(
                kind_at,
                format!(
                    "rule `{id}`: unknown kind `{other}`, expected existence, substitution, signal, require, metric or document"
                ),
            ));
        }
    };
    let gated = !def.requires.is_empty() || !def.unless_rules.is_empty();
    let matching = matches!(
        kind,
        RuleKind::Signal | RuleKind::Existence | RuleKind::Substitution { .. }
    );
    if gated && !matching {
        return Err(err(
            kind_at,
            format!(
                "rule `{id}`: only existence, substitution and signal rules can have `requires` or `unless-rules`"
            ),
        ));
    }
    if !matches!(kind, RuleKind::Signal | RuleKind::Mask) {
        need("message", !def.message.trim().is_empty())?;
        need("suggestion", !def.suggestion.trim().is_empty())?;
    }
    if def.suggestion.contains("{example}") == def.suggestion_examples.is_empty() {
        return Err(err(
            id_at,
            format!(
                "rule `{id}`: `{{example}}` in the suggestion and `suggestion-examples` go together"
            ),
        ));
    }
    if def.explanation.trim().is_empty() {
        return Err(err(
            id_at,
            format!("rule `{id}`: `explanation` must not be empty"),
        ));
    }
    let examples_at = def.examples.span().start;
    let examples = def.examples.into_inner();
    if examples.hit.is_empty() || examples.miss.is_empty() {
        return Err(err(
            examples_at,
            format!("rule `{id}`: examples need at least one `hit` and one `miss`"),
        ));
    }
    Ok(Rule {
        id,
        kind,
        dimension,
        severity,
        scope,
        weight: def.weight,
        max_count: def.max_count.unwrap_or(1),
        max_findings: def.max_findings.unwrap_or(u32::MAX),
        patterns,
        unless,
        except,
        not_after,
        requires: def.requires.iter().map(|r| r.get_ref().clone()).collect(),
        unless_rules: def
            .unless_rules
            .iter()
            .map(|r| r.get_ref().clone())
            .collect(),
        in_masks: def.in_masks,
        overlap: def.overlap,
        message: def.message,
        suggestion: def.suggestion,
        suggestion_examples: def.suggestion_examples,
        explanation: def.explanation,
        examples,
        pack: src.path.clone(),
    })
}

/// Makes patterns with the same source share one compiled expression,
/// preferring one already compiled (user packs compile when they load).
fn share_compiled(rules: &mut [Rule]) {
    // Sources to the expression kept for each, with whether it is
    // compiled; cloning whole patterns here (their requirements too) was a
    // sixth of assembling the set.
    let mut first: HashMap<String, (SharedExpression, bool), foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(256, Default::default());
    for pattern in rules
        .iter()
        .flat_map(|r| r.all_patterns().chain(&r.not_after))
    {
        let compiled = pattern.is_compiled();
        match first.get(pattern.as_str()) {
            Some(&(_, kept_compiled)) if kept_compiled || !compiled => {}
            _ => {
                first.insert(pattern.as_str().to_string(), (pattern.shared(), compiled));
            }
        }
    }
    for rule in rules {
        let patterns = rule
            .patterns
            .iter_mut()
            .chain(&mut rule.unless)
            .chain(&mut rule.except)
            .chain(&mut rule.not_after);
        for pattern in patterns {
            pattern.share_compiled(&first[pattern.as_str()].0);
        }
    }
}

/// Gives every pattern's required literals ids in one shared table and
/// builds the filter that finds them in a document.
fn intern_literals(rules: &mut [Rule]) -> Prefilter {
    // Sized for the built-in packs' 1,900 literals: growing rehashed them
    // a dozen times.
    let mut ids: HashMap<Cow<'static, str>, u32, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(2048, Default::default());
    let mut literals: Vec<Cow<'static, str>> = Vec::with_capacity(2048);
    for rule in rules {
        let patterns = rule
            .patterns
            .iter_mut()
            .chain(&mut rule.unless)
            .chain(&mut rule.except);
        for pattern in patterns {
            pattern.intern_required(|literal| {
                *ids.entry(literal).or_insert_with_key(|literal| {
                    literals.push(literal.clone());
                    u32::try_from(literals.len() - 1).expect("fewer literals than u32::MAX")
                })
            });
        }
    }
    Prefilter::new(literals)
}

/// `group/name`, lowercase kebab-case on both sides.
fn is_rule_id(id: &str) -> bool {
    let kebab = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && !s.ends_with('-')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    match id.split_once('/') {
        Some((group, name)) => kebab(group) && kebab(name),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(text: &str) -> Result<RuleSet> {
        RuleSet::from_sources(
            &[PackSource {
                path: "p.toml".into(),
                text: text.into(),
            }],
            0,
        )
    }

    #[test]
    fn a_pattern_that_cannot_be_cut_to_an_alphabet_is_compiled_in_full() {
        let pattern = Pattern::parse(r"\b(?-u:\w)+".into(), Vec::new()).unwrap();
        assert!(pattern.is_match_str("plain text"));
        assert!(!pattern.is_match_str(", ;"));
    }

    #[test]
    fn patterns_with_one_source_compile_once() {
        let rule = |id: &str, list: &str| {
            format!(
                "[[rule]]\nid = \"audience/{id}\"\nkind = \"existence\"\ndimension = \"audience\"\n\
                 patterns = ['{{{list}}}']\nmessage = \"m\"\nsuggestion = \"s\"\nexplanation = \"e\"\n\
                 examples = {{ hit = [\"x\"], miss = [\"y\"] }}\n"
            )
        };
        let text = format!(
            "[pack]\nname = \"t\"\n[lexicon]\nwho = [\"nurse\"]\nwhat = [\"cat\"]\n{}{}",
            rule("a", "who"),
            rule("b", "what")
        );
        // As a built-in pack: compiled lazily, on first use.
        let set = RuleSet::from_sources(
            &[PackSource {
                path: "p.toml".into(),
                text,
            }],
            1,
        )
        .unwrap();
        let [a, b] = [&set.rules()[0].patterns[0], &set.rules()[1].patterns[0]];
        assert_eq!(a.as_str(), b.as_str(), "both are one placeholder class");
        assert!(!b.is_compiled());
        let doc = "a nurse and a cat";
        let matcher = set.matcher(doc);
        let whole = crate::span::Span::new(0, doc.len());
        assert_eq!(matcher.find_iter(a, whole), [crate::span::Span::new(2, 7)]);
        assert!(b.is_compiled());
        // Sharing the expression does not share the lexicon it stands for.
        assert_eq!(
            matcher.find_iter(b, whole),
            [crate::span::Span::new(14, 17)]
        );
    }

    #[test]
    fn a_pattern_needing_a_lexicon_is_ruled_out_where_it_does_not_occur() {
        let set = pack(&RULE.replace("'{who}'", r"'{who}\s+\w+'")).unwrap();
        let p = &set.rules()[0].patterns[0];
        let may = |text: &str, from: usize| {
            set.matcher(text)
                .may_match(p, crate::span::Span::new(from, text.len()))
        };
        assert!(may("a nurse helps", 0));
        assert!(!may("a cat helps", 0));
        // Only occurrences wholly inside the unit count.
        assert!(!may("a nurse helps", 4));
        // A text with placeholder letters of its own rules nothing out.
        assert!(may("a cat \u{12001} helps", 0));
    }

    const RULE: &str = r#"
[pack]
name = "t"
[lexicon]
who = ["nurse"]
[[rule]]
id = "audience/x"
kind = "existence"
dimension = "audience"
patterns = ['{who}']
message = "m"
suggestion = "s"
explanation = "e"
examples = { hit = ["a nurse"], miss = ["a cat"] }
"#;

    #[test]
    fn a_valid_pack_loads() {
        let set = pack(RULE).unwrap();
        assert_eq!(set.rules().len(), 1);
        let text = "Nurses";
        let m = set.matcher(text);
        assert!(m.is_match(
            &set.rules()[0].patterns[0],
            crate::span::Span::new(0, text.len())
        ));
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = pack(&RULE.replace("{who}", "{whom}"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "p.toml:10:13: invalid rule pack: rule `audience/x`: pattern uses unknown lexicon `{whom}`"
        );
        let e = pack(&RULE.replace("kind =", "knd ="))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("p.toml:8:1: invalid rule pack: unknown field `knd`"),
            "{e}"
        );
        let e = pack(&RULE.replace("'{who}'", "'(unclosed'"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "p.toml:10:13: invalid rule pack: rule `audience/x`: bad regular expression"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_lexicon_of_the_wrong_shape_is_named_where_it_goes_wrong() {
        let nurse = r#"who = ["nurse"]"#;
        for (written, error) in [
            (
                "who = 3",
                "p.toml:5:7: invalid rule pack: invalid type: integer `3`, \
                 expected a list of words, or a table with `words` and `inflect`",
            ),
            (
                r#"who = ["nurse", 4]"#,
                "p.toml:5:17: invalid rule pack: invalid type: integer `4`, expected a string",
            ),
            (
                r#"who = { inflect = "verb" }"#,
                "p.toml:5:7: invalid rule pack: missing field `words`",
            ),
            (
                r#"who = { words = ["nurse"], size = 1 }"#,
                "p.toml:5:28: invalid rule pack: unknown field `size`, expected `words` or `inflect`",
            ),
        ] {
            let e = pack(&RULE.replace(nurse, written)).unwrap_err().to_string();
            assert_eq!(e, error, "{written}");
        }
        let table = r#"who = { words = ["nurse"], inflect = "none" }"#;
        assert!(pack(&RULE.replace(nurse, table)).is_ok());
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let body = RULE.split_once("[[rule]]").unwrap().1;
        let e = pack(&format!("{RULE}[[rule]]{body}"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("duplicate rule id `audience/x`"), "{e}");
    }

    #[test]
    fn a_user_rule_replaces_the_builtin_with_its_id() {
        let user = PackSource {
            path: "user.toml".into(),
            text: RULE
                .replace("audience/x", "audience/everyone")
                .replace("{who}", "anyone at all"),
        };
        let set = RuleSet::load(&[user]).unwrap();
        let rule = set.get("audience/everyone").unwrap();
        assert_eq!(rule.pack, "user.toml");
        assert_eq!(
            set.rules()
                .iter()
                .filter(|r| r.id == "audience/everyone")
                .count(),
            1
        );
        assert_eq!(set.rules().len(), RuleSet::builtin().unwrap().rules().len());
    }

    #[test]
    fn example_placeholders_need_examples_and_the_other_way_round() {
        let without = RULE.replace("suggestion = \"s\"", "suggestion = \"e.g. {example}\"");
        let e = pack(&without).unwrap_err().to_string();
        assert!(e.contains("`suggestion-examples` go together"), "{e}");
        let unused = RULE.replace(
            "suggestion = \"s\"",
            "suggestion = \"s\"\nsuggestion-examples = [\"'x'\"]",
        );
        assert!(pack(&unused).is_err());
        let both = RULE.replace(
            "suggestion = \"s\"",
            "suggestion = \"e.g. {example}\"\nsuggestion-examples = [\"'x'\"]",
        );
        pack(&both).unwrap();
    }

    #[test]
    fn missing_fields_are_named() {
        let e = pack(&RULE.replace("explanation = \"e\"\n", ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing field `explanation`"), "{e}");
        assert!(e.starts_with("p.toml:"), "{e}");
    }

    #[test]
    fn ids_must_be_grouped_kebab_case() {
        assert!(is_rule_id("audience/everyone"));
        assert!(!is_rule_id("Audience/Everyone"));
        assert!(!is_rule_id("everyone"));
    }

    #[test]
    fn every_builtin_pattern_compiles() {
        // Built-in patterns compile on first use, so check them all here,
        // `not-after` ones included.
        let set = RuleSet::builtin().unwrap();
        for rule in set.rules() {
            for p in rule.all_patterns().chain(&rule.not_after) {
                p.compile(Engines::Fast)
                    .unwrap_or_else(|e| panic!("{}: {}: {e}", rule.id, p.as_str()));
            }
        }
    }

    #[test]
    fn the_prefilter_never_changes_a_match() {
        let set = RuleSet::builtin().unwrap();
        let mut unfiltered = set.clone();
        unfiltered.prefilter = set.prefilter.disabled();
        let texts: Vec<&String> = set
            .rules()
            .iter()
            .flat_map(|r| r.examples.hit.iter().chain(&r.examples.miss))
            .collect();
        let mut ruled_out = 0;
        for text in texts {
            let (filtered, all) = (set.matcher(text), unfiltered.matcher(text));
            let whole = crate::span::Span::new(0, text.len());
            for rule in set.rules() {
                for p in rule.all_patterns() {
                    let found = filtered.find_iter(p, whole);
                    assert_eq!(found, all.find_iter(p, whole), "{} on {text:?}", rule.id);
                    ruled_out += usize::from(!filtered.may_match(p, whole));
                }
            }
        }
        // The filter is doing something, not passing everything.
        assert!(ruled_out > 1000, "only {ruled_out} pattern runs ruled out");
    }

    #[test]
    fn candidate_units_are_those_the_one_unit_test_allows() {
        use crate::document::{Document, SourceKind};
        let set = RuleSet::builtin().unwrap();
        let headings = crate::markdown::PurposeHeadings::default();
        // Every example, and all of them as one text: units of one sentence
        // and of dozens, some with more than 64 clauses.
        let examples: Vec<String> = set
            .rules()
            .iter()
            .flat_map(|r| r.examples.hit.iter().chain(&r.examples.miss))
            .cloned()
            .collect();
        let texts = examples.iter().cloned().chain([examples.join(" ")]);
        let (mut searched, mut units_seen) = (0, 0);
        for text in texts {
            let doc = Document::parse("t", text, SourceKind::Text, &headings);
            let matcher = set.matcher(doc.text());
            let layouts = [
                doc.clauses().iter().map(|c| c.span).collect::<Vec<_>>(),
                doc.sentences().iter().map(|s| s.span).collect(),
            ];
            for layout in layouts {
                units_seen = units_seen.max(layout.len());
                let units = Units::new(layout);
                let patterns: Vec<&Pattern> =
                    set.rules().iter().flat_map(Rule::all_patterns).collect();
                let candidates = matcher.candidates(patterns.iter().copied(), &units);
                for (i, p) in patterns.iter().enumerate() {
                    for (u, &unit) in units.spans().iter().enumerate() {
                        let allowed = matcher.may_match(p, unit);
                        assert_eq!(
                            candidates.contains(i, u),
                            allowed,
                            "{} in {unit:?}",
                            p.as_str()
                        );
                        searched += usize::from(allowed);
                    }
                }
            }
        }
        assert!(
            units_seen > 128,
            "only {units_seen} units in the longest text"
        );
        assert!(searched > 1000, "only {searched} pattern runs allowed");
    }

    #[test]
    fn curve_saturates() {
        let c = Curve {
            base: 0.0,
            scale: 10.0,
            decay: 1.0,
        };
        assert_eq!(c.score(0.0), 0.0);
        assert!((c.score(10.0) - 63.2).abs() < 0.1);
        assert!(c.score(1000.0) <= 100.0);
    }
}
