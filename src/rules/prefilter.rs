//! Ruling patterns out of a document before compiling or running them.
//!
//! Most patterns can only match where certain things occur:
//! `{who}\s+provid(?:e|es|ing)` needs "provid" *and* an occurrence of the
//! `who` lexicon. Each pattern's requirements (up to four clauses, each a
//! set of literals and lexicons of which a match contains one) are read
//! from its syntax tree when the pack loads (for built-in patterns, from
//! a cache: see `builtin_cache`); one pass over a document tells which
//! literals occur (see [`super::dictionary`]), the lexicon pass which lists
//! do, and a pattern with an unmet clause in a unit is neither searched
//! nor compiled for it. A generated charter needs about 55 of the 156
//! distinct built-in patterns.
//!
//! The test is exact, never a guess: a pattern is skipped only when it
//! cannot match. Patterns are compiled case-insensitively, so literals are
//! compared ignoring ASCII case, and the two non-ASCII letters that Unicode
//! case folding makes equal to ASCII ones (ſ and the Kelvin sign K) turn the
//! filter off for the document they occur in.

use std::borrow::Cow;

use regex_syntax::ast::{Ast, ClassSet, ClassSetItem, RepetitionKind, RepetitionRange};

use super::dictionary::{Dictionary, Scan};
use crate::span::Span;

/// Characters that match an ASCII letter under case-insensitive matching
/// without being ASCII: U+017F LATIN SMALL LETTER LONG S (s) and U+212A
/// KELVIN SIGN (k).
const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// One thing a match can contain that a document can be searched for
/// before the pattern is compiled.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Atom {
    /// A literal, lowercase: ASCII, and characters without case (see
    /// [`caseless`]). Borrowed from the cache for built-in patterns: their
    /// 1,900 literals were each allocated, then copied into the table.
    Literal(Cow<'static, str>),
    /// An occurrence of the pattern's lexicon with this placeholder bit.
    Lexicon(u32),
}

/// An [`Atom`] resolved against a rule set: a literal's id in the
/// [`Prefilter`], or a lexicon's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// This literal of the prefilter occurs.
    Literal(u32),
    /// An occurrence of this lexicon lies wholly inside the unit.
    Lexicon(u32),
}

/// The most clauses kept per pattern: each costs a lookup per unit.
const MAX_CLAUSES: usize = 4;

/// What every match of `pattern` contains: each clause lists atoms of which
/// a match contains at least one. Empty when nothing is known.
///
/// A pattern such as `{who}\s+(?:provide|offer)` needs an occurrence of
/// its lexicon *and* one of the literals: a document lacking either rules
/// it out.
///
/// # Errors
/// The parser's message when `pattern` is not a valid regular expression.
pub fn requirements(pattern: &str) -> Result<Vec<Vec<Atom>>, String> {
    // The syntax tree as written is enough, and takes half the time of the
    // translated one (no Unicode class tables for `\w`): every start-up
    // reads every pattern's requirements.
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    let mut clauses = clauses(&ast);
    for clause in &mut clauses {
        clause.sort();
        clause.dedup();
    }
    clauses.sort_by_key(|c| std::cmp::Reverse(selectivity(c)));
    clauses.dedup();
    clauses.truncate(MAX_CLAUSES);
    Ok(clauses)
}

/// Every clause `ast` is known to satisfy (a conjunction). Each must hold
/// of every match, whatever the flags: literals are compared ignoring ASCII
/// case, which a case-sensitive part satisfies too.
fn clauses(ast: &Ast) -> Vec<Vec<Atom>> {
    match ast {
        Ast::Literal(lit) => literal_clauses(&lit.c.to_string()),
        Ast::ClassBracketed(class) if !class.negated => {
            let placeholders = placeholder_clauses(&class.kind);
            if placeholders.is_empty() {
                character_clauses(&class.kind)
            } else {
                placeholders
            }
        }
        Ast::Group(group) => clauses(&group.ast),
        Ast::Repetition(rep) if repeats_at_least_once(&rep.op.kind) => clauses(&rep.ast),
        Ast::Concat(concat) => {
            // Runs of literal characters are one literal ("provid" in
            // `provid(?:e|ing)`).
            let mut all = Vec::new();
            let mut run = String::new();
            for part in &concat.asts {
                match part {
                    Ast::Literal(lit) if lit.c.is_ascii() || caseless(lit.c) => run.push(lit.c),
                    _ => {
                        all.extend(literal_clauses(&std::mem::take(&mut run)));
                        all.extend(clauses(part));
                    }
                }
            }
            all.extend(literal_clauses(&run));
            all
        }
        // One clause: each branch's most selective one, together.
        Ast::Alternation(alt) => {
            let mut any = Vec::new();
            for branch in &alt.asts {
                let Some(best) = clauses(branch)
                    .into_iter()
                    .max_by_key(|c| (selectivity(c), std::cmp::Reverse(c.len())))
                else {
                    return Vec::new();
                };
                any.extend(best);
            }
            vec![any]
        }
        _ => Vec::new(),
    }
}

fn repeats_at_least_once(kind: &RepetitionKind) -> bool {
    match kind {
        RepetitionKind::OneOrMore => true,
        RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => false,
        RepetitionKind::Range(
            RepetitionRange::Exactly(min)
            | RepetitionRange::AtLeast(min)
            | RepetitionRange::Bounded(min, _),
        ) => *min >= 1,
    }
}

/// Whether `c` is compared exactly under case-insensitive matching: it is
/// not a letter and has no case mappings (currency signs, dashes, curly
/// quotes). ASCII letters are compared ignoring ASCII case instead.
fn caseless(c: char) -> bool {
    !c.is_alphabetic() && c.to_lowercase().eq([c]) && c.to_uppercase().eq([c])
}

/// The most characters a class may have to become a clause: a match holds
/// one of them. `[0-9]` and `[$£€]` are worth asking about; a class of
/// letters is not.
const MAX_CLASS_CHARACTERS: usize = 16;

/// A small class of ASCII or caseless characters (`[0-9]`, `[$£€]`) needs
/// one of them, each a literal.
fn character_clauses(set: &ClassSet) -> Vec<Vec<Atom>> {
    let mut chars = Vec::new();
    if !class_characters(set, &mut chars) || chars.is_empty() {
        return Vec::new();
    }
    let mut clause: Vec<Atom> = chars
        .iter()
        .map(|c| Atom::Literal(Cow::Owned(c.to_ascii_lowercase().to_string())))
        .collect();
    clause.sort();
    clause.dedup();
    vec![clause]
}

/// Collects a class's characters; false if it can match anything else, or
/// has too many to be worth it.
fn class_characters(set: &ClassSet, chars: &mut Vec<char>) -> bool {
    match set {
        ClassSet::Item(item) => item_characters(item, chars),
        ClassSet::BinaryOp(_) => false,
    }
}

fn item_characters(item: &ClassSetItem, chars: &mut Vec<char>) -> bool {
    match item {
        ClassSetItem::Literal(lit) => chars.push(lit.c),
        ClassSetItem::Range(range) => {
            let (start, end) = (range.start.c, range.end.c);
            if (end as usize).saturating_sub(start as usize) >= MAX_CLASS_CHARACTERS {
                return false;
            }
            chars.extend(start..=end);
        }
        ClassSetItem::Union(union) => {
            return union.items.iter().all(|i| item_characters(i, chars));
        }
        ClassSetItem::Bracketed(inner) => {
            return !inner.negated && class_characters(&inner.kind, chars);
        }
        _ => return false,
    }
    chars.len() <= MAX_CLASS_CHARACTERS && chars.iter().all(|&c| c.is_ascii() || caseless(c))
}

/// A run of ASCII and caseless characters is a literal; a placeholder
/// letter written as a literal needs its lists.
fn literal_clauses(text: &str) -> Vec<Vec<Atom>> {
    if text.is_empty() {
        Vec::new()
    } else if text.chars().all(|c| c.is_ascii() || caseless(c)) {
        vec![vec![Atom::Literal(Cow::Owned(text.to_ascii_lowercase()))]]
    } else {
        text.chars()
            .filter_map(super::lexicon::placeholder_mask)
            .flat_map(mask_bits)
            .map(|b| vec![Atom::Lexicon(b)])
            .collect()
    }
}

/// A class made only of lexicon placeholders needs an occurrence of a list
/// every placeholder in it stands for, or failing that, of any of their
/// lists.
fn placeholder_clauses(set: &ClassSet) -> Vec<Vec<Atom>> {
    let mut masks = Vec::new();
    if !placeholder_masks(set, &mut masks) {
        return Vec::new();
    }
    let common = masks.iter().fold(u32::MAX, |acc, m| acc & m);
    let union = masks.iter().fold(0, |acc, m| acc | m);
    if union == 0 {
        Vec::new()
    } else if common != 0 {
        mask_bits(common).map(|b| vec![Atom::Lexicon(b)]).collect()
    } else {
        vec![mask_bits(union).map(Atom::Lexicon).collect()]
    }
}

/// Collects the masks of a class's placeholders; false if it can match
/// anything else.
fn placeholder_masks(set: &ClassSet, masks: &mut Vec<u32>) -> bool {
    match set {
        ClassSet::Item(item) => item_masks(item, masks),
        ClassSet::BinaryOp(_) => false,
    }
}

fn item_masks(item: &ClassSetItem, masks: &mut Vec<u32>) -> bool {
    let mask = super::lexicon::placeholder_mask;
    match item {
        ClassSetItem::Literal(lit) => mask(lit.c).map(|m| masks.push(m)).is_some(),
        ClassSetItem::Range(range) => {
            if mask(range.start.c).is_none() || mask(range.end.c).is_none() {
                return false;
            }
            masks.extend((range.start.c..=range.end.c).filter_map(mask));
            true
        }
        ClassSetItem::Union(union) => union.items.iter().all(|i| item_masks(i, masks)),
        ClassSetItem::Bracketed(inner) => !inner.negated && placeholder_masks(&inner.kind, masks),
        _ => false,
    }
}

fn mask_bits(mask: u32) -> impl Iterator<Item = u32> {
    (0..u32::BITS).filter(move |b| mask & (1 << b) != 0)
}

/// How rarely a clause holds, roughly: its least selective atom. A lexicon
/// occurrence counts as a literal of six letters.
fn selectivity(clause: &[Atom]) -> usize {
    clause
        .iter()
        .map(|a| match a {
            Atom::Literal(l) => l.len(),
            Atom::Lexicon(_) => 6,
        })
        .min()
        .unwrap_or(0)
}

/// Finds where a rule set's required literals occur in a text.
#[derive(Debug, Clone)]
pub struct Prefilter {
    literals: Dictionary,
    /// Byte length of each literal.
    lengths: Vec<usize>,
    /// Say every literal occurs everywhere: for tests that compare with and without.
    disabled: bool,
}

/// Where each literal occurs in one text.
///
/// Flat: every start in one vector, grouped by literal, and where each
/// literal's group begins. A vector per literal (1,900 of them, most empty)
/// was 45 KB of headers to set up for every document, and the prefilter's
/// per-unit test, a tenth of a many-file run, chased a pointer per literal.
#[derive(Debug)]
pub struct Occurrences {
    /// The start of each occurrence, by literal id, then ascending.
    starts: Vec<usize>,
    /// Where literal `id`'s starts begin in `starts` (`id + 1`: end).
    offsets: Vec<u32>,
    /// Every literal counts as occurring everywhere.
    everywhere: bool,
}

impl Occurrences {
    /// Occurrences of `literals` literals at `found` (id, start) pairs,
    /// each literal's in ascending order: grouped by a counting sort,
    /// which keeps that order (a comparison sort of the pairs cost 4% of
    /// a run).
    fn new(literals: usize, found: &[(u32, usize)]) -> Self {
        let mut offsets = vec![0u32; literals + 1];
        for &(id, _) in found {
            offsets[id as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut next = offsets.clone();
        let mut starts = vec![0; found.len()];
        for &(id, start) in found {
            let at = &mut next[id as usize];
            starts[*at as usize] = start;
            *at += 1;
        }
        Occurrences {
            starts,
            offsets,
            everywhere: false,
        }
    }

    /// The starts of literal `id`'s occurrences, ascending; `None` when
    /// every literal counts as occurring everywhere.
    #[inline]
    pub fn starts(&self, id: u32) -> Option<&[usize]> {
        let id = id as usize;
        (!self.everywhere)
            .then(|| &self.starts[self.offsets[id] as usize..self.offsets[id + 1] as usize])
    }

    /// Whether literal `id` occurs entirely inside `within`.
    ///
    /// Inlined: it runs for every pattern of every rule on every charter
    /// (and ran for every unit too before candidate units), and where the
    /// compiler left it out of line a 1,000-charter run took 6% more
    /// instructions.
    #[inline]
    pub fn within(&self, id: u32, within: Span, lengths: &[usize]) -> bool {
        let Some(starts) = self.starts(id) else {
            return true;
        };
        // The first occurrence at or after the start ends soonest.
        let i = starts.partition_point(|&s| s < within.start);
        starts
            .get(i)
            .is_some_and(|&s| s + lengths[id as usize] <= within.end)
    }
}

impl Prefilter {
    /// A filter for `literals` (lowercase); their indices are the ids
    /// patterns refer to.
    pub fn new(literals: Vec<Cow<'static, str>>) -> Self {
        Prefilter {
            lengths: literals.iter().map(|l| l.len()).collect(),
            literals: Dictionary::new(literals),
            disabled: false,
        }
    }

    /// The same filter, ruling nothing out.
    #[cfg(test)]
    pub fn disabled(&self) -> Self {
        Prefilter {
            disabled: true,
            ..self.clone()
        }
    }

    /// Whether the filter rules nothing out (see [`Prefilter::disabled`]).
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// Byte length of each literal, by id.
    pub fn lengths(&self) -> &[usize] {
        &self.lengths
    }

    /// Where each literal occurs in `text`.
    pub fn occurrences(&self, text: &str, scan: Scan) -> Occurrences {
        if self.disabled || text.contains(FOLDS_TO_ASCII) {
            return Occurrences {
                starts: Vec::new(),
                offsets: Vec::new(),
                everywhere: true,
            };
        }
        // Literals are lowercase; ASCII lowercasing keeps the offsets.
        let lowered = text.to_ascii_lowercase();
        let mut found = Vec::new();
        let id = |id: usize| u32::try_from(id).expect("fewer literals than u32::MAX");
        let scanned = scan == Scan::Automaton
            && self.literals.scan(&lowered, |literal, start, _| {
                found.push((id(literal), start))
            });
        // Overlapping matches come in order of their ends, so each literal's
        // in order of their starts; lookups come in order of position.
        if !scanned {
            // A literal starts where a character does.
            for (start, _) in lowered.char_indices() {
                self.literals
                    .starting_at(lowered.as_bytes(), start, |literal, _| {
                        found.push((id(literal), start));
                    });
            }
        }
        Occurrences::new(self.lengths.len(), &found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(pattern: &str) -> Vec<Vec<Atom>> {
        requirements(pattern).unwrap()
    }

    fn lit(l: &str) -> Atom {
        Atom::Literal(Cow::Owned(l.into()))
    }

    #[test]
    fn alternations_and_concatenations_give_their_literals() {
        assert_eq!(
            req(r"\b(?:provide|offer)s?\s+\w+"),
            [vec![lit("offer"), lit("provide")]]
        );
        assert_eq!(req(r"\w+ing\s+\w+"), [vec![lit("ing")]]);
        assert_eq!(req(r"(?-i:[A-Z])\w*\s+Network"), [vec![lit("network")]]);
        // The ASCII run of a literal with other letters in it.
        assert_eq!(req(r"\bcafé\b"), [vec![lit("caf")]]);
    }

    #[test]
    fn every_part_of_a_sequence_is_required_most_selective_first() {
        assert_eq!(
            req(r"\bhelp\s+(?:[0-9]+|a\s+few)\s+(?:teachers|nurses)"),
            [
                vec![lit("nurses"), lit("teachers")],
                vec![lit("help")],
                "0123456789"
                    .chars()
                    .map(|d| lit(&d.to_string()))
                    .chain([lit("few")])
                    .collect()
            ]
        );
    }

    #[test]
    fn small_classes_and_caseless_characters_are_literals() {
        let digits: Vec<Atom> = ('0'..='9').map(|d| lit(&d.to_string())).collect();
        assert_eq!(
            req(r"[$£€]\s?[0-9]"),
            [vec![lit("$"), lit("£"), lit("€")], digits]
        );
        // Curly quotes and dashes have no case; "’" joins the run.
        assert_eq!(req(r"\bwon’t\s"), [vec![lit("won’t")]]);
        assert_eq!(req(r"[Xy]"), [vec![lit("x"), lit("y")]]);
        // Letters that have case, and classes too large to ask about.
        let nothing = Vec::<Vec<Atom>>::new();
        assert_eq!(req(r"[éa]"), nothing);
        assert_eq!(req(r"[a-z]"), nothing);
        assert_eq!(req(r"[\s,]"), nothing);
        assert_eq!(req(r"[0-9&&[^5]]"), nothing);
    }

    #[test]
    fn placeholder_classes_require_their_lexicon() {
        // Bit 0 of two lists: masks 1 and 3 both hold it.
        assert_eq!(
            req("[\\x{12001}\\x{12003}]\\s+teach"),
            [vec![Atom::Lexicon(0)], vec![lit("teach")]]
        );
        // A placeholder in a class of its own, or written as a literal.
        assert_eq!(req("\\x{12003}"), req("[\\x{12003}]"));
        assert_eq!(
            req("[\\x{12003}]"),
            [vec![Atom::Lexicon(0)], vec![Atom::Lexicon(1)]]
        );
        // Either list will do when the placeholders share no bit.
        assert_eq!(
            req("(?:[\\x{12001}]|[\\x{12002}])x"),
            [vec![Atom::Lexicon(0), Atom::Lexicon(1)], vec![lit("x")]]
        );
        // A class with other letters in it needs nothing.
        assert_eq!(req("[a\\x{12001}]"), Vec::<Vec<Atom>>::new());
        assert_eq!(req(r"\w+"), Vec::<Vec<Atom>>::new());
    }

    #[test]
    fn optional_parts_and_classes_require_nothing() {
        let nothing = Vec::<Vec<Atom>>::new();
        assert_eq!(req(r"(?:goal)?\s*\w+"), nothing);
        assert_eq!(req(r"[0-9]?\s?(?:k|m)?"), nothing);
        assert_eq!(req(r"(?:provide|\w+)"), nothing);
    }

    #[test]
    fn occurrences_ignore_ascii_case_and_give_up_on_letters_that_fold_to_ascii() {
        let f = Prefilter::new(vec!["offer".into(), "network".into()]);
        for scan in [Scan::Lookup, Scan::Automaton] {
            let text = "We OFFER advice. A network.";
            let found = f.occurrences(text, scan);
            let all = Span::new(0, text.len());
            assert!(found.within(0, all, f.lengths()));
            assert!(found.within(1, all, f.lengths()));
            // Only occurrences wholly inside the span count.
            assert!(!found.within(1, Span::new(0, 16), f.lengths()));
            assert!(!found.within(0, Span::new(4, 7), f.lengths()));
            let folded = f.occurrences("We o\u{17F}fer advice.", scan);
            assert!(folded.within(1, Span::new(0, 3), f.lengths()));
        }
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
