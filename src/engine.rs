//! Runs a [`RuleSet`] over a [`Document`]: matches every rule in its scope,
//! turns matches into findings and evidence, and scores the statement.
//!
//! Stateless and deterministic: the same document and rules give the same
//! report, whichever thread runs it.

use crate::document::{Document, SourceKind};
use crate::finding::{Evidence, Finding, Report, Scores};
use crate::rules::{
    Dimension, DocumentCheck, Metric, NOT_AFTER_MARK, Overlap, Pattern, Rule, RuleKind, RuleSet,
    Scope, Scoring, TextMatcher, Units,
};
use crate::span::Span;
use crate::suggest;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Bytes of context `not-after` patterns see on each side of a match start.
const NOT_AFTER_WINDOW: usize = 64;

/// A match of a rule in the prose: its span and, for substitutions, which
/// replacement applies.
#[derive(Debug, Clone, Copy)]
struct Hit {
    span: Span,
    unit: Span,
    pattern: usize,
}

/// Lints one document.
pub fn lint(doc: &Document, rules: &RuleSet) -> Report {
    lint_with(collector(doc, rules), rules)
}

/// Lints one document while the machine's other cores compile the patterns
/// it is likely to search. Patterns otherwise compile on first use, on the
/// one thread that lints: with one document to lint, compiling them is
/// most of the work, and that thread would do it all in turn.
///
/// The helpers take the likely patterns last first while the lint, going
/// through the rules in order, compiles what it meets first; whatever is
/// left when the lint ends is not compiled.
///
/// For a document in ASCII, or ASCII with common punctuation, the built-in
/// patterns' automata are read from a cache rather than compiled; there
/// the helpers neither gained nor cost measurably on two cores (5.85 vs
/// 5.77 ms), while a document beyond those alphabets still gained (9.25 vs
/// 9.93 ms).
pub fn lint_compiling_ahead(doc: &Document, rules: &RuleSet) -> Report {
    let helpers = std::thread::available_parallelism().map_or(1, usize::from) - 1;
    if helpers == 0 || doc.sentences().is_empty() {
        return lint(doc, rules);
    }
    let out = collector(doc, rules);
    let likely = out.likely_patterns(rules);
    let alphabet = out.matcher.alphabet().cloned();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..helpers.min(likely.len()) {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    let taken = next.fetch_add(1, Ordering::Relaxed);
                    let Some(at) = likely.len().checked_sub(taken + 1) else {
                        break;
                    };
                    likely[at].compile_ahead(alphabet.as_ref());
                }
            });
        }
        let report = lint_with(out, rules);
        stop.store(true, Ordering::Relaxed);
        report
    })
}

fn collector<'d>(doc: &'d Document, rules: &'d RuleSet) -> Collector<'d> {
    Collector {
        doc,
        matcher: rules.matcher(doc.text()),
        units: Default::default(),
        used_words: OnceCell::new(),
        picked: RefCell::new(HashMap::new()),
        findings: Vec::new(),
        evidence: Vec::new(),
        masks: Vec::new(),
    }
}

fn lint_with(mut out: Collector<'_>, rules: &RuleSet) -> Report {
    let doc = out.doc;
    let empty = doc.sentences().is_empty();
    out.masks = mask_spans(&out, rules);
    for rule in rules.rules() {
        match &rule.kind {
            _ if rule.gated() => {}
            RuleKind::Existence | RuleKind::Substitution { .. } | RuleKind::Signal => {
                if !empty {
                    out.matches(rule);
                }
            }
            RuleKind::Mask => {}
            RuleKind::Metric { metric, min, max } => {
                if !empty {
                    out.metric(rule, *metric, *min, *max);
                }
            }
            RuleKind::Document(check) => out.document(rule, *check),
            RuleKind::Require { .. } => {}
        }
    }
    // Gated rules run once the rules they depend on have given (or not given)
    // credit: gated signals first, then the findings that depend on them.
    let credited = |out: &Collector<'_>, id: &String| {
        out.evidence.iter().any(|e| &e.rule == id && e.points > 0.0)
    };
    for signals in [true, false] {
        for rule in rules.rules() {
            if !rule.gated() || (rule.kind == RuleKind::Signal) != signals || empty {
                continue;
            }
            let required =
                rule.requires.is_empty() || rule.requires.iter().any(|id| credited(&out, id));
            let vetoed = rule.unless_rules.iter().any(|id| credited(&out, id));
            if required && !vetoed {
                out.matches(rule);
            }
        }
    }
    // Requirements look at the evidence everything else produced.
    for rule in rules.rules() {
        if let RuleKind::Require { min } = rule.kind
            && doc.found_section()
            && !empty
        {
            out.require(rule, min);
        }
    }
    share_overlapping_credit(&mut out.evidence);
    diminish_further_evidence(&mut out.evidence, rules.scoring());
    let scores = score(&out.evidence, rules, empty);
    apply_suppressions(&mut out, rules);
    let Collector {
        mut findings,
        mut evidence,
        ..
    } = out;
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    evidence.sort_by_key(|e| (e.line, e.column));
    let statement_line = doc
        .sentences()
        .first()
        .map_or(1, |s| doc.position(doc.to_original(s.span).start).line);
    Report {
        path: doc.path().to_string(),
        statement: doc.text().to_string(),
        statement_line,
        findings,
        evidence,
        scores,
    }
}

/// Hides the findings inline directives suppress, and reports directives
/// that hid nothing through the `unused-suppression` document rule.
fn apply_suppressions(out: &mut Collector<'_>, rules: &RuleSet) {
    let doc = out.doc;
    let directives = crate::suppress::parse(doc.source(), doc.kind(), doc.lines());
    if directives.is_empty() {
        return;
    }
    let (kept, unused) = crate::suppress::apply(std::mem::take(&mut out.findings), &directives);
    out.findings = kept;
    let rule = rules
        .rules()
        .iter()
        .find(|r| r.kind == RuleKind::Document(DocumentCheck::UnusedSuppression));
    if let Some(rule) = rule {
        for d in unused {
            let fill = |t: &str| t.replace("{match}", &d.describe());
            out.find_original(
                rule,
                d.span,
                fill(&rule.message),
                fill(&out.suggestion(rule)),
            );
        }
    }
}

/// Where positive evidence of `overlap = "max"` rules of one dimension
/// overlaps, keeps the largest credit and sets the others to zero points
/// (they stay listed, so `--explain-score` shows why they did not count).
fn share_overlapping_credit(evidence: &mut [Evidence]) {
    let mut order: Vec<usize> = (0..evidence.len())
        .filter(|&i| evidence[i].shared && evidence[i].points > 0.0)
        .collect();
    // Largest first; ties by position so the result never depends on rule order.
    order.sort_by(|&a, &b| {
        let (x, y) = (&evidence[a], &evidence[b]);
        y.points
            .total_cmp(&x.points)
            .then(x.span.start.cmp(&y.span.start))
            .then(x.rule.cmp(&y.rule))
    });
    let mut kept: Vec<usize> = Vec::new();
    for i in order {
        let e = &evidence[i];
        let overlaps = kept.iter().any(|&k| {
            let o = &evidence[k];
            o.dimension == e.dimension && o.span.start < e.span.end && e.span.start < o.span.end
        });
        if overlaps {
            evidence[i].points = 0.0;
        } else {
            kept.push(i);
        }
    }
}

/// Scales each dimension's positive evidence by its curve's `decay`: the
/// strongest piece counts in full, the next `decay` times as much, and so
/// on. The points are rewritten in place so that `--explain-score` shows
/// what each piece actually adds.
fn diminish_further_evidence(evidence: &mut [Evidence], scoring: &Scoring) {
    for (d, curve) in Dimension::SCORED.iter().zip(&scoring.curves) {
        if curve.decay >= 1.0 {
            continue;
        }
        let mut positive: Vec<usize> = (0..evidence.len())
            .filter(|&i| evidence[i].dimension == *d && evidence[i].points > 0.0)
            .collect();
        positive.sort_by(|&a, &b| {
            evidence[b]
                .points
                .total_cmp(&evidence[a].points)
                .then(evidence[a].span.start.cmp(&evidence[b].span.start))
        });
        let mut factor = 1.0;
        for i in positive {
            // Hundredths: what reports show, without float noise.
            evidence[i].points = (evidence[i].points * factor * 100.0).round() / 100.0;
            factor *= curve.decay;
        }
    }
}

/// Turns evidence into 0-100 scores with the pack's curves and weights.
fn score(evidence: &[Evidence], rules: &RuleSet, empty: bool) -> Scores {
    if empty {
        return Scores::default();
    }
    let scoring = rules.scoring();
    let points = |d: Dimension| -> f64 {
        evidence
            .iter()
            .filter(|e| e.dimension == d)
            .map(|e| e.points)
            .sum()
    };
    let dims: Vec<f64> = Dimension::SCORED
        .iter()
        .zip(&scoring.curves)
        .map(|(d, curve)| round1(curve.score(points(*d))))
        .collect();
    let total_weight: f64 = scoring.weights.iter().sum();
    let blend: f64 = dims
        .iter()
        .zip(&scoring.weights)
        .map(|(s, w)| s * w)
        .sum::<f64>()
        / total_weight;
    let overall = (blend + scoring.clarity_factor * points(Dimension::Clarity)).clamp(0.0, 100.0);
    Scores {
        audience: dims[0],
        outcome: dims[1],
        contribution: dims[2],
        overall: round1(overall),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The spans every mask rule matches in `doc`: text other rules do not see.
pub fn masks(doc: &Document, rules: &RuleSet) -> Vec<Span> {
    let out = Collector {
        doc,
        matcher: rules.matcher(doc.text()),
        units: Default::default(),
        used_words: OnceCell::new(),
        picked: RefCell::new(HashMap::new()),
        findings: Vec::new(),
        evidence: Vec::new(),
        masks: Vec::new(),
    };
    mask_spans(&out, rules)
}

fn mask_spans(out: &Collector<'_>, rules: &RuleSet) -> Vec<Span> {
    let mut spans: Vec<Span> = rules
        .rules()
        .iter()
        .filter(|r| r.kind == RuleKind::Mask)
        .flat_map(|r| out.hits(r).into_iter().map(|h| h.span))
        .collect();
    spans.sort();
    spans
}

struct Collector<'d> {
    doc: &'d Document,
    matcher: TextMatcher<'d>,
    /// The document's clauses, sentences and statement, by [`Scope`].
    units: [OnceCell<Units>; 3],
    /// The statement's words, for choosing suggestion examples.
    used_words: OnceCell<suggest::UsedWords>,
    /// The example chosen for each rule's suggestion, by rule id.
    picked: RefCell<HashMap<String, String>>,
    findings: Vec<Finding>,
    evidence: Vec<Evidence>,
    masks: Vec<Span>,
}

impl Collector<'_> {
    /// The rule's suggestion with `{example}` resolved to an example that
    /// does not repeat the statement's own words.
    fn suggestion(&self, rule: &Rule) -> String {
        if rule.suggestion_examples.is_empty() {
            return rule.suggestion.clone();
        }
        let mut picked = self.picked.borrow_mut();
        let example = picked.entry(rule.id.clone()).or_insert_with(|| {
            let used = self.used_words.get_or_init(|| {
                suggest::used_words(self.doc.words().iter().map(|&w| self.doc.slice(w)))
            });
            suggest::pick(&rule.suggestion_examples, used).to_string()
        });
        rule.suggestion.replace("{example}", example)
    }

    /// The units a rule of `scope` searches, worked out once a document.
    fn units(&self, scope: Scope) -> &Units {
        let slot = match scope {
            Scope::Clause => 0,
            Scope::Sentence => 1,
            Scope::Statement => 2,
        };
        self.units[slot].get_or_init(|| {
            Units::new(match scope {
                Scope::Clause => self.doc.clauses().iter().map(|c| c.span).collect(),
                Scope::Sentence => self.doc.sentences().iter().map(|s| s.span).collect(),
                Scope::Statement => vec![Span::new(0, self.doc.text().len())],
            })
        })
    }

    /// The patterns linting this document is likely to compile, in about
    /// the order it would: mask rules first, then ungated rules, then gated
    /// ones. A rule's own patterns are listed when they pass, in some unit,
    /// the test that decides whether they are searched there
    /// ([`Collector::hits`]); its `except`, `not-after` and `unless`
    /// patterns when one of its own is listed.
    fn likely_patterns<'r>(&self, rules: &'r RuleSet) -> Vec<&'r Pattern> {
        let mut ordered: Vec<&Rule> = rules.rules().iter().collect();
        ordered.sort_by_key(|r| (r.kind != RuleKind::Mask, r.gated()));
        let mut likely = Vec::new();
        for rule in ordered {
            let units = self.units(rule.scope);
            let before = likely.len();
            let candidates = self.matcher.candidates(rule.patterns.iter(), units);
            likely.extend(
                rule.patterns
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| !candidates.is_empty(i))
                    .map(|(_, p)| p),
            );
            if likely.len() > before {
                likely.extend(
                    rule.except
                        .iter()
                        .chain(&rule.not_after)
                        .chain(&rule.unless),
                );
            }
        }
        likely
    }

    fn hits(&self, rule: &Rule) -> Vec<Hit> {
        let mut hits = Vec::new();
        // A pattern that cannot match in the document cannot match in any
        // of its units: ask once, not once per unit.
        let whole = Span::new(0, self.doc.text().len());
        let units = self.units(rule.scope);
        let live: Vec<(usize, &Pattern)> = rule
            .patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| self.matcher.may_match(p, whole))
            .collect();
        if live.is_empty() {
            return hits;
        }
        let unless: Vec<&Pattern> = rule
            .unless
            .iter()
            .filter(|p| self.matcher.may_match(p, whole))
            .collect();
        let candidates = self.matcher.candidates(live.iter().map(|&(_, p)| p), units);
        for (at, &unit) in units.spans().iter().enumerate() {
            // `unless` can only take matches away: ask it once a unit has some.
            let found = hits.len();
            let searched = live
                .iter()
                .enumerate()
                .filter(|&(i, _)| candidates.contains(i, at));
            for (_, &(pattern, p)) in searched {
                for span in self.matcher.find_candidate(p, unit) {
                    if self.doc.slice(span).trim().is_empty()
                        || rule.except.iter().any(|p| self.matcher.is_match(p, span))
                    {
                        continue;
                    }
                    if !rule.in_masks && self.masks.iter().any(|k| k.contains(span)) {
                        continue;
                    }
                    if !rule.not_after.is_empty() {
                        let text = self.doc.text();
                        // A bounded window: what comes just before, and the
                        // start of the match. Unbounded, a long clause made
                        // this quadratic.
                        let from = text.floor_char_boundary(
                            span.start.saturating_sub(NOT_AFTER_WINDOW).max(unit.start),
                        );
                        let to =
                            text.ceil_char_boundary((span.start + NOT_AFTER_WINDOW).min(span.end));
                        let context = format!(
                            "{}{NOT_AFTER_MARK}{}",
                            &text[from..span.start],
                            &text[span.start..to]
                        );
                        if rule
                            .not_after
                            .iter()
                            .any(|r| self.matcher.is_match_str(r, &context))
                        {
                            continue;
                        }
                    }
                    hits.push(Hit {
                        span,
                        unit,
                        pattern,
                    });
                }
            }
            if hits.len() > found && unless.iter().any(|p| self.matcher.is_match(p, unit)) {
                hits.truncate(found);
            }
        }
        hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
        // Overlapping matches of one rule are one match.
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            if kept.last().is_some_and(|k| h.span.start < k.span.end) {
                continue;
            }
            kept.push(h);
        }
        kept
    }

    fn matches(&mut self, rule: &Rule) {
        for (n, hit) in self.hits(rule).into_iter().enumerate() {
            let matched = collapse(self.doc.slice(hit.span));
            let points = if (n as u32) < rule.max_count {
                rule.weight
            } else {
                0.0
            };
            self.credit(rule, hit.span, hit.unit, points);
            let replacement = match &rule.kind {
                RuleKind::Substitution { replacements } => replacements[hit.pattern].as_str(),
                RuleKind::Signal => continue,
                _ => "",
            };
            if n as u64 >= u64::from(rule.max_findings) {
                continue;
            }
            let fill = |t: &str| {
                t.replace("{match}", &matched)
                    .replace("{replacement}", replacement)
            };
            self.find(
                rule,
                hit.span,
                fill(&rule.message),
                fill(&self.suggestion(rule)),
            );
        }
    }

    fn metric(&mut self, rule: &Rule, metric: Metric, min: Option<f64>, max: Option<f64>) {
        let doc = self.doc;
        let (value, span) = match metric {
            Metric::WordsPerSentence => doc
                .sentences()
                .iter()
                .map(|s| (s.words.len() as f64, s.span))
                .fold((0.0, Span::default()), |a, b| if b.0 > a.0 { b } else { a }),
            Metric::Words => (doc.words().len() as f64, self.statement()),
            Metric::Sentences => (doc.sentences().len() as f64, self.statement()),
            Metric::Matches => {
                let hits = self.hits(rule);
                let span = hits.get(1).map_or(self.statement(), |h| h.span);
                (hits.len() as f64, span)
            }
        };
        let below = min.is_some_and(|m| value < m);
        let above = max.is_some_and(|m| value > m);
        if !(below || above) {
            return;
        }
        let fill = |t: &str| {
            t.replace("{value}", &format!("{value}"))
                .replace("{max}", &max.map_or(String::new(), |m| m.to_string()))
                .replace("{min}", &min.map_or(String::new(), |m| m.to_string()))
        };
        self.credit(rule, span, span, rule.weight);
        self.find(
            rule,
            span,
            fill(&rule.message),
            fill(&self.suggestion(rule)),
        );
    }

    fn document(&mut self, rule: &Rule, check: DocumentCheck) {
        let doc = self.doc;
        let fires = match check {
            DocumentCheck::NoPurposeSection => {
                doc.kind() == SourceKind::Markdown && !doc.found_section()
            }
            DocumentCheck::EmptyStatement => doc.found_section() && doc.sentences().is_empty(),
            // Reported after suppressions are applied, in `lint`.
            DocumentCheck::UnusedSuppression => false,
        };
        if fires {
            self.find_original(
                rule,
                Span::new(0, 0),
                rule.message.clone(),
                self.suggestion(rule),
            );
        }
    }

    fn require(&mut self, rule: &Rule, min: f64) {
        let satisfied = if rule.patterns.is_empty() {
            let points: f64 = self
                .evidence
                .iter()
                .filter(|e| e.dimension == rule.dimension && e.points > 0.0)
                .map(|e| e.points)
                .sum();
            points >= min
        } else {
            !self.hits(rule).is_empty()
        };
        if satisfied {
            return;
        }
        let span = self.statement();
        self.credit(rule, span, span, rule.weight);
        self.find(rule, span, rule.message.clone(), self.suggestion(rule));
    }

    /// The prose span of the first sentence: where statement-level findings point.
    fn statement(&self) -> Span {
        self.doc
            .sentences()
            .first()
            .map_or(Span::default(), |s| s.span)
    }

    fn credit(&mut self, rule: &Rule, span: Span, unit: Span, points: f64) {
        if points == 0.0 {
            return;
        }
        let original = self.doc.to_original(span);
        let pos = self.doc.position(original.start);
        self.evidence.push(Evidence {
            rule: rule.id.clone(),
            dimension: rule.dimension,
            points,
            text: collapse(self.doc.slice(span)),
            context: collapse(self.doc.slice(unit)),
            line: pos.line,
            column: pos.column,
            span: original,
            shared: rule.overlap == Overlap::Max,
        });
    }

    fn find(&mut self, rule: &Rule, prose_span: Span, message: String, suggestion: String) {
        let original = self.doc.to_original(prose_span);
        self.find_original(rule, original, message, suggestion);
    }

    fn find_original(&mut self, rule: &Rule, span: Span, message: String, suggestion: String) {
        let start = self.doc.position(span.start);
        let end = self.doc.position(span.end);
        self.findings.push(Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            dimension: rule.dimension,
            message,
            suggestion,
            span,
            start,
            end,
        });
    }
}

/// Folds runs of white space to single spaces, for quoting in messages.
/// `s` with its white space runs as single spaces and none at the ends.
/// Called for every match and its unit, which are usually collapsed
/// already: ASCII words with single spaces are copied as they are.
fn collapse(s: &str) -> String {
    let bytes = s.as_bytes();
    let plain = bytes
        .iter()
        .all(|&b| b.is_ascii() && (b == b' ' || !char::from(b).is_whitespace()))
        && bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && memchr::memmem::find(bytes, b"  ").is_none();
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn collapse_joins_the_words_with_single_spaces(
            s in "[a b\t\n\x0B\r\u{a0}\u{2003}é.]{0,12}"
        ) {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse(&s), words.join(" "));
        }
    }
    use crate::markdown::PurposeHeadings;
    use crate::rules::PackSource;

    /// A tiny pack: `head` is prepended to a `[pack]` table.
    fn set(rules: &str) -> RuleSet {
        let text = format!(
            "[pack]\nname = \"t\"\n[scoring.audience]\nscale = 10\n[scoring.outcome]\nscale = 10\n{rules}"
        );
        RuleSet::from_sources(
            &[PackSource {
                path: "t.toml".into(),
                text,
            }],
            0,
        )
        .unwrap()
    }

    fn rule(id: &str, kind: &str, dim: &str, extra: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\nkind = \"{kind}\"\ndimension = \"{dim}\"\nmessage = \"m\"\nsuggestion = \"s\"\nexplanation = \"e\"\nexamples = {{ hit = [\"a\"], miss = [\"b\"] }}\n{extra}\n"
        )
    }

    fn run(set: &RuleSet, text: &str) -> Report {
        let doc = Document::parse(
            "t.txt",
            text.into(),
            SourceKind::Text,
            &PurposeHeadings::default(),
        );
        lint(&doc, set)
    }

    fn points(r: &Report, id: &str) -> f64 {
        r.evidence
            .iter()
            .filter(|e| e.rule == id)
            .map(|e| e.points)
            .sum()
    }

    #[test]
    fn decay_scales_each_further_piece_strongest_first() {
        let rules = rule(
            "outcome/big",
            "signal",
            "outcome",
            "weight = 10\nmax-count = 5\npatterns = ['halve']",
        ) + &rule(
            "outcome/small",
            "signal",
            "outcome",
            "weight = 4\npatterns = ['publish']",
        );
        let text =
            format!("[pack]\nname = \"t\"\n[scoring.outcome]\nscale = 10\ndecay = 0.5\n{rules}");
        let s = RuleSet::from_sources(
            &[PackSource {
                path: "t.toml".into(),
                text,
            }],
            0,
        )
        .unwrap();
        let r = run(&s, "We publish, then halve, then halve.");
        // 10, then 10 * 0.5, then the weaker 4 * 0.25, whatever the order in the text.
        assert_eq!(points(&r, "outcome/big"), 15.0);
        assert_eq!(points(&r, "outcome/small"), 1.0);
        let bad = "[pack]\nname = \"t\"\n[scoring.outcome]\nscale = 10\ndecay = 0\n";
        assert!(
            RuleSet::from_sources(
                &[PackSource {
                    path: "t.toml".into(),
                    text: bad.into()
                }],
                0
            )
            .is_err()
        );
    }

    #[test]
    fn masks_hide_text_from_other_rules() {
        let s = set(&(rule(
            "document/name",
            "mask",
            "clarity",
            "patterns = ['Nurses Society']",
        ) + &rule(
            "audience/nurse",
            "signal",
            "audience",
            "weight = 5\npatterns = ['nurses']",
        )));
        assert_eq!(
            points(&run(&s, "The Nurses Society."), "audience/nurse"),
            0.0
        );
        assert_eq!(points(&run(&s, "For nurses."), "audience/nurse"), 5.0);
    }

    #[test]
    fn gated_signals_need_the_rule_they_require() {
        let s = set(&(rule(
            "audience/who",
            "signal",
            "audience",
            "weight = 5\npatterns = ['nurses']",
        ) + &rule(
            "audience/where",
            "signal",
            "audience",
            "weight = 3\npatterns = ['in Leeds']\nrequires = ['audience/who']",
        )));
        assert_eq!(
            points(&run(&s, "Everyone in Leeds."), "audience/where"),
            0.0
        );
        assert_eq!(points(&run(&s, "Nurses in Leeds."), "audience/where"), 3.0);
    }

    #[test]
    fn unless_rules_veto_a_finding() {
        let s = set(&(rule(
            "audience/who",
            "signal",
            "audience",
            "weight = 5\npatterns = ['nurses']",
        ) + &rule(
            "audience/narrow",
            "signal",
            "audience",
            "weight = 3\npatterns = ['night nurses']",
        ) + &rule(
            "audience/which",
            "existence",
            "audience",
            "patterns = ['nurses']\nrequires = ['audience/who']\nunless-rules = ['audience/narrow']",
        )));
        let which = |t: &str| {
            run(&s, t)
                .findings
                .iter()
                .filter(|f| f.rule == "audience/which")
                .count()
        };
        assert_eq!(which("For nurses."), 1);
        assert_eq!(which("For night nurses."), 0);
        assert_eq!(which("For everyone."), 0);
    }

    #[test]
    fn overlapping_max_rules_credit_a_phrase_once() {
        let s = set(&(rule(
            "outcome/a",
            "signal",
            "outcome",
            "weight = 5\noverlap = 'max'\npatterns = ['cut waiting']",
        ) + &rule(
            "outcome/b",
            "signal",
            "outcome",
            "weight = 8\noverlap = 'max'\npatterns = ['waiting times']",
        ) + &rule(
            "outcome/c",
            "signal",
            "outcome",
            "weight = 2\npatterns = ['times']",
        )));
        let r = run(&s, "We cut waiting times.");
        assert_eq!(points(&r, "outcome/b"), 8.0);
        assert_eq!(points(&r, "outcome/a"), 0.0);
        assert_eq!(
            points(&r, "outcome/c"),
            2.0,
            "stacking rules are unaffected"
        );
    }

    #[test]
    fn max_count_limits_credit_but_not_findings() {
        let s = set(&rule(
            "audience/everyone",
            "existence",
            "audience",
            "weight = -1\nmax-count = 1\npatterns = ['everyone']",
        ));
        let r = run(&s, "Everyone, everyone, everyone.");
        assert_eq!(r.findings.len(), 3);
        assert_eq!(points(&r, "audience/everyone"), -1.0);
    }

    #[test]
    fn max_findings_limits_findings_but_not_credit() {
        let s = set(&rule(
            "audience/everyone",
            "existence",
            "audience",
            "weight = -1\nmax-count = 3\nmax-findings = 1\npatterns = ['everyone']",
        ));
        let r = run(&s, "Everyone, everyone, everyone.");
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].span.start, 0);
        assert_eq!(points(&r, "audience/everyone"), -3.0);
    }

    #[test]
    fn not_after_drops_matches_by_what_comes_just_before() {
        let s = set(&rule(
            "outcome/cut",
            "signal",
            "outcome",
            "weight = 1\nmax-count = 9\npatterns = ['cut\\w*\\s+\\w+']\nnot-after = ['\\bthe\\s+\\x{E000}', '\\bfor\\s+\\x{E000}\\w+ed\\s']",
        ));
        // Kept: a verb; dropped: a noun after "the", a participle after "for".
        assert_eq!(
            points(&run(&s, "We cut waiting times."), "outcome/cut"),
            1.0
        );
        assert_eq!(
            points(&run(&s, "We saw the cut prices."), "outcome/cut"),
            0.0
        );
        assert_eq!(
            points(&run(&s, "A club for cutted hedges."), "outcome/cut"),
            0.0
        );
        assert_eq!(
            points(&run(&s, "We are for cutting costs."), "outcome/cut"),
            1.0
        );
        let with_lexicon = RuleSet::from_sources(
            &[PackSource {
                path: "t.toml".into(),
                text: format!(
                    "[pack]\nname = \"t\"\n{}",
                    rule(
                        "outcome/x",
                        "signal",
                        "outcome",
                        "patterns = ['x']\nnot-after = ['{word}\\x{E000}']"
                    )
                ),
            }],
            0,
        );
        assert!(
            with_lexicon
                .unwrap_err()
                .to_string()
                .contains("cannot use lexicons")
        );
    }

    #[test]
    fn require_fires_only_without_evidence() {
        let s = set(&(rule(
            "audience/who",
            "signal",
            "audience",
            "weight = 5\npatterns = ['nurses']",
        ) + &rule("audience/missing", "require", "audience", "weight = -2")));
        assert_eq!(run(&s, "For everyone.").findings.len(), 1);
        assert!(run(&s, "For nurses.").findings.is_empty());
    }

    #[test]
    fn compiling_ahead_reports_what_linting_reports() {
        let text = "Connecting maths teachers in Leeds so that each member \
                    reviews two lesson plans a month. We foster collaboration \
                    and reduce marking time from 6 to 4 hours by July.";
        let doc = Document::parse(
            "s.txt",
            text.into(),
            crate::SourceKind::Text,
            &PurposeHeadings::default(),
        );
        let (ahead, lazily) = (RuleSet::builtin().unwrap(), RuleSet::builtin().unwrap());
        ahead.expect_documents(1);
        lazily.expect_documents(1);
        let report = lint_compiling_ahead(&doc, &ahead);
        assert!(!report.findings.is_empty() && !report.evidence.is_empty());
        assert_eq!(report, lint(&doc, &lazily));
    }

    #[test]
    fn documents_of_different_alphabets_report_what_patterns_in_full_report() {
        // Each pattern is compiled for the first few alphabets it meets,
        // then in full, and the fast engines search ASCII documents in
        // their ASCII view: every document must still get what patterns
        // compiled in full find, under either set of engines.
        let texts = [
            "Connecting maths teachers in Leeds so that each member reviews two lesson plans a month.",
            "Connecting nurses’ unions — and café owners — to cut waiting times by half by 2027.",
            "For parents of children with “special needs”: we meet monthly; you bring one question.",
            "Un réseau pour les infirmières: each member mentors one newcomer a term.",
            "A vibrant, global ecosystem empowering changemakers – everyone is welcome!",
            "Ωmega volunteers in Āotearoa: we cut food waste by 30% by March.",
            "Connecting maths teachers in Leeds so that each member reviews two lesson plans a month.",
            "For nurses and midwives in Leeds: members share rota tips weekly, so that new staff stay.",
            "Everyone is welcome! We empower changemakers to connect, share and grow together.",
        ];
        let (cheap, fast) = (RuleSet::builtin().unwrap(), RuleSet::builtin().unwrap());
        let full = RuleSet::builtin().unwrap().compiled_in_full();
        cheap.expect_documents(texts.len());
        fast.expect_documents(crate::rules::FEW_DOCUMENTS + 1);
        for text in texts {
            let doc = Document::parse(
                "s.txt",
                text.into(),
                crate::SourceKind::Text,
                &PurposeHeadings::default(),
            );
            let report = lint(&doc, &full);
            assert!(
                !report.evidence.is_empty() || !report.findings.is_empty(),
                "{text}"
            );
            assert_eq!(report, lint(&doc, &cheap), "cheap engines: {text}");
            assert_eq!(report, lint(&doc, &fast), "fast engines: {text}");
        }
    }

    #[test]
    fn an_empty_statement_scores_zero_and_reports_no_matches() {
        let s = set(&rule(
            "audience/who",
            "signal",
            "audience",
            "weight = 5\npatterns = ['nurses']",
        ));
        let r = run(&s, "  \n ");
        assert_eq!(r.scores, Scores::default());
        assert!(r.evidence.is_empty());
    }
}
