//! Lexicons: named word lists that patterns reference as `{name}`.
//!
//! A list is written once in a pack ("teacher", "nurse", "midwife", …) and
//! used by many rules. Entries are inflected as the list declares: nouns
//! match their plural and possessive (midwife, midwives, midwife's), verbs
//! their -s, -ing and past forms (cut, cutting; reduce, reduced; keep, kept).
//! A trailing `*` matches any word ending (`volunteer*` matches
//! "volunteering"); a space inside an entry matches a space or a hyphen.
//! Matching ignores ASCII case and respects word boundaries.
//!
//! Lists are not pasted into the regular expressions that use them: that made
//! every pattern as large as its word lists, and compiling them dominated
//! start-up. Instead all lists' forms are found together in one pass over
//! a document (see [`super::dictionary`]); a pattern's `{name}` becomes a
//! class of placeholder letters, and the text a pattern sees has each
//! occurrence of its lists replaced by one placeholder letter (see
//! [`Symbolized`]). The placeholders
//! are letters, so `\b` and `\w` treat an occurrence as a word.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::builtin_cache::{self, Lists};
use super::dictionary::{Dictionary, Scan};
use crate::span::Span;

/// The most entries one lexicon may hold. Aho-Corasick handles far more,
/// but an untrusted pack should not be able to make start-up take seconds.
pub const MAX_ENTRIES: usize = 200_000;

/// The most distinct lexicons one pattern may reference (its placeholders
/// encode which lists an occurrence belongs to as a bit set).
pub const MAX_LEXICONS_PER_PATTERN: usize = 8;

/// What the reserved reference `{word}` expands to: one word token, a run of
/// anything but white space and clause punctuation ("pupil-premium",
/// "A&E", "nurse's", a lexicon placeholder). Cheaper to compile than a
/// repeated Unicode `[\w'-]+`, which matters inside `(?:{word}\s+){0,6}`.
pub const WORD: &str = r#"[^\s,.;:!?()\[\]{}"“”]+"#;

/// First placeholder letter: the Cuneiform block, letters (`\w`) that purpose
/// statements do not contain.
const PLACEHOLDER_BASE: u32 = 0x12000;

/// How a lexicon's entries are inflected when matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Inflect {
    /// Plural and possessive forms.
    #[default]
    Noun,
    /// Third person, -ing and past forms.
    Verb,
    /// Exactly as written.
    None,
}

/// Every distinct form of every list, in byte order, each with the lists
/// holding it.
#[derive(Debug, Default)]
pub(crate) struct Forms {
    /// The forms, lowercase: borrowed from the cache for the built-in
    /// lexicons.
    pub(crate) forms: Vec<Cow<'static, str>>,
    /// The lists holding each form.
    pub(crate) held: Holders,
}

impl Forms {
    /// Room for `forms` forms, each held by about one list.
    pub(crate) fn with_capacity(forms: usize) -> Self {
        Forms {
            forms: Vec::with_capacity(forms),
            held: Holders {
                pairs: Vec::with_capacity(forms + forms / 8),
                starts: Vec::with_capacity(forms),
            },
        }
    }

    /// Adds a form, held by the lists [`Forms::hold`] then adds.
    pub(crate) fn start(&mut self, form: Cow<'static, str>) {
        self.forms.push(form);
        self.held.starts.push(self.held.pairs.len() as u32);
    }

    /// Says that list `id` holds the last form added.
    pub(crate) fn hold(&mut self, id: u32, wildcard: bool) {
        self.held.pairs.push((id, wildcard));
    }
}

/// The lists holding each form, flat: loading the built-in forms from the
/// cache allocates once per form, not twice.
#[derive(Debug, Clone, Default)]
pub(crate) struct Holders {
    /// Every (list, wildcard) pair: a list (by index among the sorted
    /// names) holding a form, and whether there the form may be followed
    /// by any word ending.
    pairs: Vec<(u32, bool)>,
    /// Where each form's pairs start.
    starts: Vec<u32>,
}

impl Holders {
    /// The lists holding form `i`.
    pub(crate) fn of(&self, i: usize) -> &[(u32, bool)] {
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.pairs.len(), |&e| e as usize);
        &self.pairs[self.starts[i] as usize..end]
    }
}

/// Named word lists, merged across packs, before compilation.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    lists: Lists,
}

impl Lexicons {
    /// Defines (or replaces) a list of nouns.
    pub fn define(&mut self, name: &str, words: Vec<String>) {
        self.define_inflected(name, words, Inflect::Noun);
    }

    /// Defines (or replaces) a list inflected as `inflect`.
    pub fn define_inflected(&mut self, name: &str, words: Vec<String>, inflect: Inflect) {
        self.lists.insert(name.to_string(), (words, inflect));
    }

    /// Adds words to a list; returns false when the list does not exist.
    pub fn extend(&mut self, name: &str, words: Vec<String>) -> bool {
        match self.lists.get_mut(name) {
            Some((list, _)) => {
                list.extend(words);
                true
            }
            None => false,
        }
    }

    /// The words of a list.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.lists.get(name).map(|(w, _)| w.as_slice())
    }

    /// The index of a list by name: its place among the sorted names, which
    /// is also its index in the compiled [`LexiconIndex`].
    pub fn id(&self, name: &str) -> Option<usize> {
        self.lists.keys().position(|n| n == name)
    }

    /// Every list name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.lists.keys().map(String::as_str)
    }

    /// Every list as defined, by name.
    #[cfg(test)]
    pub(crate) fn lists(&self) -> &Lists {
        &self.lists
    }

    /// Puts every list's forms together: a document is then scanned once,
    /// not once per list. The built-in lexicons' forms are cached.
    ///
    /// # Errors
    /// More lists than a `u32` counts.
    pub fn compile(&self) -> Result<LexiconIndex, String> {
        self.index(builtin_cache::forms(&self.lists))
    }

    /// As [`Lexicons::compile`], for the lists the built-in packs define,
    /// loaded from the packs cache (which their texts' hashes vouch for):
    /// the forms come from the cache, which was generated from the same
    /// packs, without comparing the lists with it word for word (0.44M
    /// instructions, on the thread start-up waits for).
    pub(crate) fn compile_builtin(&self) -> Result<LexiconIndex, String> {
        self.index(builtin_cache::builtin_forms())
    }

    /// The index of these lists, from their forms if already known.
    fn index(&self, known: Option<Forms>) -> Result<LexiconIndex, String> {
        let Forms { forms, held } = match known {
            Some(cached) => cached,
            None => self.forms()?,
        };
        Ok(LexiconIndex {
            names: self.lists.keys().cloned().collect(),
            forms: Dictionary::new(forms),
            held,
            possessive: self
                .lists
                .values()
                .map(|(_, i)| *i == Inflect::Noun)
                .collect(),
        })
    }

    /// Every distinct form of every list, in byte order, each with the
    /// lists that hold it.
    pub(crate) fn forms(&self) -> Result<Forms, String> {
        // Every form of every list, then sorted: distinct forms in order,
        // each with the lists that hold it (one sort of a vector is cheaper
        // than inserting each form into a map keyed by String).
        let mut all: Vec<(String, u32, bool)> = Vec::new();
        for (id, (words, inflect)) in self.lists.values().enumerate() {
            let id = u32::try_from(id).map_err(|_| "too many lexicons".to_string())?;
            for_each_form(words, *inflect, |form, wildcard| {
                all.push((form, id, wildcard))
            });
        }
        all.sort_unstable();
        all.dedup();
        let mut forms = Forms::default();
        for (form, id, wildcard) in all {
            if forms.forms.last().map(|f| f.as_ref()) != Some(form.as_str()) {
                forms.start(Cow::Owned(form));
            }
            forms.hold(id, wildcard);
        }
        Ok(forms)
    }

    /// Rewrites each `{name}` in `pattern` as a class of placeholder letters
    /// and returns the rewritten pattern with the lists it uses, in the
    /// order their placeholders' bits are assigned. Regex repetitions such as
    /// `{2}` or `{1,3}` are left alone: a lexicon name starts with a letter.
    ///
    /// # Errors
    /// The byte offset in `pattern` and a message: an unknown lexicon, or
    /// more than `MAX_LEXICONS_PER_PATTERN` (8) of them.
    pub fn expand(&self, pattern: &str) -> Result<(String, Vec<String>), (usize, String)> {
        let refs = references(pattern);
        let mut used: Vec<String> = Vec::new();
        for (at, _, name) in &refs {
            if name == "word" {
                continue;
            }
            if !self.lists.contains_key(name.as_str()) {
                return Err((*at, format!("pattern uses unknown lexicon `{{{name}}}`")));
            }
            if !used.contains(name) {
                used.push(name.clone());
            }
        }
        if used.len() > MAX_LEXICONS_PER_PATTERN {
            return Err((
                0,
                format!(
                    "a pattern may use at most {MAX_LEXICONS_PER_PATTERN} lexicons; this one uses {}",
                    used.len()
                ),
            ));
        }
        let mut out = String::with_capacity(pattern.len() + 64 * refs.len());
        let mut last = 0;
        for (at, len, name) in &refs {
            out.push_str(&pattern[last..*at]);
            match used.iter().position(|u| u == name) {
                Some(bit) => out.push_str(&placeholder_class(bit, used.len())),
                None => out.push_str(WORD), // `{word}`, the only name not collected
            }
            last = at + len;
        }
        out.push_str(&pattern[last..]);
        Ok((out, used))
    }
}

/// Whether `pattern` refers to any lexicon (or `{word}`).
pub fn has_references(pattern: &str) -> bool {
    !references(pattern).is_empty()
}

/// Every `{name}` reference: its offset, length and name.
fn references(pattern: &str) -> Vec<(usize, usize, String)> {
    let bytes = pattern.as_bytes();
    let mut refs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            // `\x{E000}`, `\p{Greek}`: braces that belong to the escape.
            if matches!(bytes.get(i + 1), Some(b'x' | b'p' | b'P'))
                && bytes.get(i + 2) == Some(&b'{')
            {
                i += pattern[i..].find('}').map_or(bytes.len() - i, |j| j + 1);
                continue;
            }
            i += 2; // an escaped character, possibly `\{`
            continue;
        }
        if bytes[i] == b'{' {
            let after = &pattern[i + 1..];
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..len];
            if name.starts_with(|c: char| c.is_ascii_alphabetic()) && after[len..].starts_with('}')
            {
                refs.push((i, len + 2, name.to_string()));
                i += len + 2;
                continue;
            }
        }
        i += 1;
    }
    refs
}

/// A word-bounded regular expression for one phrase and its inflections, for
/// substitution rules (a lexicon of one entry, small enough to inline).
pub fn phrase_pattern(phrase: &str) -> String {
    let forms: Vec<String> = entry_forms(phrase.trim(), Inflect::Noun)
        .iter()
        .map(|f| regex::escape(f))
        .collect();
    format!("\\b(?:{})\\b", forms.join("|"))
}

/// A class of every placeholder whose bit set includes `bit`, among sets
/// over `n` lists.
fn placeholder_class(bit: usize, n: usize) -> String {
    let mut class = String::from("[");
    for mask in 1u32..(1 << n) {
        if mask & (1 << bit) != 0 {
            let _ = write!(class, "\\x{{{:X}}}", PLACEHOLDER_BASE + mask);
        }
    }
    class.push(']');
    class
}

/// The bit set a placeholder letter stands for, or `None` for any other
/// character.
pub(crate) fn placeholder_mask(c: char) -> Option<u32> {
    let mask = u32::from(c).checked_sub(PLACEHOLDER_BASE)?;
    (1..1 << MAX_LEXICONS_PER_PATTERN)
        .contains(&mask)
        .then_some(mask)
}

/// The first and last placeholder letters.
pub(crate) fn placeholder_range() -> (char, char) {
    (
        placeholder(1),
        placeholder((1 << MAX_LEXICONS_PER_PATTERN) - 1),
    )
}

fn placeholder(mask: u32) -> char {
    char::from_u32(PLACEHOLDER_BASE + mask).expect("placeholder code points are valid")
}

/// The compiled lexicons: every list's forms, each with the lists that
/// hold it.
#[derive(Debug, Clone)]
pub struct LexiconIndex {
    names: Vec<String>,
    /// Every distinct form, lowercase.
    forms: Dictionary,
    /// The lists holding each form.
    held: Holders,
    /// Per list: whether a possessive `'s` after a match belongs to it (noun lists).
    possessive: Vec<bool>,
}

impl LexiconIndex {
    /// The index of a list by name.
    pub fn id(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Per list (by index), every word-bounded occurrence in `text`,
    /// leftmost-longest, never overlapping.
    ///
    /// Every form of every list is found first; each list then keeps what
    /// a leftmost-longest search of its own forms would have found, so a
    /// form shared by two lists counts in both.
    pub fn find_all(&self, text: &str, scan: Scan) -> Vec<Vec<Span>> {
        // (start, end of the form, wildcard) per list.
        let mut candidates: Vec<Vec<(usize, usize, bool)>> = vec![Vec::new(); self.names.len()];
        // ASCII lowercasing keeps every byte offset.
        let lowered = text.to_ascii_lowercase();
        let mut found = |form: usize, start: usize, end: usize| {
            for &(list, wildcard) in self.held.of(form) {
                candidates[list as usize].push((start, end, wildcard));
            }
        };
        // Only where a word starts: a form found inside a word is never
        // kept by `select`, and never hides one that would be (it only
        // moves the search on past forms starting where it does, inside
        // the same word). Most forms the scan finds are inside words.
        let at_word_start =
            |start: usize| !text[..start].chars().next_back().is_some_and(is_word_char);
        let scanned = scan == Scan::Automaton
            && self.forms.scan(&lowered, |form, start, end| {
                if at_word_start(start) {
                    found(form, start, end);
                }
            });
        if !scanned {
            let mut after_word = false;
            for (start, c) in text.char_indices() {
                if !after_word {
                    self.forms
                        .starting_at(lowered.as_bytes(), start, |form, len| {
                            found(form, start, start + len);
                        });
                }
                after_word = is_word_char(c);
            }
        }
        candidates
            .into_iter()
            .zip(&self.possessive)
            .map(|(mut found, &possessive)| {
                // Leftmost first, then longest; of two equal forms the exact
                // one before the wildcard one.
                found
                    .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
                select(text, &found, possessive)
            })
            .collect()
    }
}

/// Calls `found` with every form of a list's entries and whether it is a
/// wildcard (`volunteer*`); a form may come more than once.
fn for_each_form(words: &[String], inflect: Inflect, mut found: impl FnMut(String, bool)) {
    for word in words {
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        let (stem, wildcard) = match word.strip_suffix('*') {
            Some(stem) => (stem.trim(), true),
            None => (word, false),
        };
        let inflect = if wildcard { Inflect::None } else { inflect };
        for form in entry_forms(stem, inflect) {
            found(form, wildcard);
        }
    }
}

/// Walks a list's candidate matches (sorted leftmost, longest first) as a
/// leftmost-longest search would: take the first match at or after the
/// current position, extend it by a wildcard ending or a possessive, keep it
/// when it is word-bounded, and otherwise try again from the next character.
fn select(text: &str, found: &[(usize, usize, bool)], possessive: bool) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut at = 0;
    let mut next = 0;
    loop {
        while next < found.len() && found[next].0 < at {
            next += 1;
        }
        let Some(&(start, form_end, wildcard)) = found.get(next) else {
            break;
        };
        let mut end = form_end;
        if wildcard {
            end += text[end..]
                .char_indices()
                .find(|&(_, c)| !(is_word_char(c) || matches!(c, '\'' | '’' | '-')))
                .map_or(text.len() - end, |(i, _)| i);
        }
        if possessive && (text[end..].starts_with("'s") || text[end..].starts_with("’s")) {
            let after = &text[end..];
            let len = after.chars().take(2).map(char::len_utf8).sum::<usize>();
            if !after[len..].chars().next().is_some_and(is_word_char) {
                end += len;
            }
        }
        let bounded = !text[..start].chars().next_back().is_some_and(is_word_char)
            && !text[end..].chars().next().is_some_and(is_word_char);
        if bounded {
            spans.push(Span::new(start, end));
            at = end;
        } else {
            // Try again from the next character: a shorter entry may fit.
            at = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    spans
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The literal forms an entry matches, lowercase. A space inside an entry
/// matches a space or a hyphen.
fn entry_forms(entry: &str, inflect: Inflect) -> Vec<String> {
    let pieces: Vec<String> = entry.split_whitespace().map(str::to_lowercase).collect();
    let Some(last) = pieces.len().checked_sub(1) else {
        return Vec::new();
    };
    if last == 0 {
        // One word, most entries: no combinations to build.
        return match inflect {
            Inflect::Noun => noun_forms(&pieces[0]),
            Inflect::Verb => verb_forms(&pieces[0]),
            Inflect::None => pieces,
        };
    }
    let mut variants: Vec<Vec<String>> = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        variants.push(match inflect {
            Inflect::Noun if i == last => noun_forms(piece),
            Inflect::Verb if i == 0 => verb_forms(piece),
            _ => vec![piece.clone()],
        });
    }
    let mut out = vec![String::new()];
    for (i, forms) in variants.iter().enumerate() {
        let mut next = Vec::with_capacity(out.len() * forms.len() * 2);
        for prefix in &out {
            for form in forms {
                if i == 0 {
                    next.push(form.clone());
                } else if pieces.len() <= 4 {
                    next.push(format!("{prefix} {form}"));
                    next.push(format!("{prefix}-{form}"));
                } else {
                    next.push(format!("{prefix} {form}"));
                }
            }
        }
        out = next;
    }
    out
}

/// A noun with its plural and possessive forms: nurse/nurses/nurse's,
/// midwife/midwives, secondary/secondaries, chairman/chairmen.
fn noun_forms(word: &str) -> Vec<String> {
    if !word.ends_with(|c: char| c.is_alphabetic()) {
        return vec![word.to_string()];
    }
    let consonant_y =
        word.ends_with('y') && !["ay", "ey", "oy", "uy"].iter().any(|e| word.ends_with(e));
    let sibilant = ["s", "x", "z", "ch", "sh", "o"]
        .iter()
        .any(|e| word.ends_with(e));
    let cut = |n: usize| &word[..word.len() - n];
    let mut forms = vec![word.to_string(), format!("{word}s")];
    if sibilant {
        forms.push(format!("{word}es"));
    }
    if consonant_y {
        forms.push(format!("{}ies", cut(1)));
    } else if word.ends_with("fe") {
        forms.push(format!("{}ves", cut(2)));
    } else if word.ends_with("man") {
        forms.push(format!("{}men", cut(3)));
    } else if word.ends_with("child") {
        forms.push(format!("{word}ren"));
    }
    // Possessives ("nurse's", "nurses’") are added at match time.
    forms
}

/// Irregular past forms of verbs common in purpose statements.
const IRREGULAR_PAST: &[(&str, &str)] = &[
    ("bring", "brought"),
    ("build", "built"),
    ("buy", "bought"),
    ("choose", "chose|chosen"),
    ("do", "did|done"),
    ("draw", "drew|drawn"),
    ("drive", "drove|driven"),
    ("feed", "fed"),
    ("find", "found"),
    ("get", "got|gotten"),
    ("give", "gave|given"),
    ("grow", "grew|grown"),
    ("hold", "held"),
    ("keep", "kept"),
    ("lead", "led"),
    ("lend", "lent"),
    ("make", "made"),
    ("meet", "met"),
    ("pay", "paid"),
    ("ride", "rode|ridden"),
    ("run", "ran"),
    ("see", "saw|seen"),
    ("sell", "sold"),
    ("send", "sent"),
    ("shrink", "shrank|shrunk"),
    ("speak", "spoke|spoken"),
    ("spend", "spent"),
    ("swim", "swam|swum"),
    ("take", "took|taken"),
    ("teach", "taught"),
    ("tell", "told"),
    ("think", "thought"),
    ("win", "won"),
    ("write", "wrote|written"),
];

/// A verb with its -s, -ing and past forms: cut/cuts/cutting,
/// reduce/reducing/reduced, apply/applies/applied, keep/kept.
fn verb_forms(word: &str) -> Vec<String> {
    if !word.chars().all(|c| c.is_alphabetic() || c == '-') || word.len() < 2 {
        return vec![word.to_string()];
    }
    let bytes = word.as_bytes();
    let last = bytes[bytes.len() - 1] as char;
    let is_vowel = |c: char| "aeiou".contains(c);
    let mut forms: Vec<String> = vec![word.to_string()];
    if word.ends_with('e') && !word.ends_with("ee") && !word.ends_with("ye") {
        let stem = &word[..word.len() - 1];
        forms.extend([format!("{word}s"), format!("{stem}ing"), format!("{word}d")]);
    } else if word.ends_with("ee") {
        forms.extend([format!("{word}s"), format!("{word}ing"), format!("{word}d")]);
    } else if last == 'y' && !is_vowel(bytes[bytes.len() - 2] as char) {
        let stem = &word[..word.len() - 1];
        forms.extend([
            format!("{stem}ies"),
            format!("{word}ing"),
            format!("{stem}ied"),
        ]);
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        forms.extend([
            format!("{word}es"),
            format!("{word}ing"),
            format!("{word}ed"),
        ]);
    } else {
        forms.extend([
            format!("{word}s"),
            format!("{word}ing"),
            format!("{word}ed"),
        ]);
        // One-syllable consonant-vowel-consonant verbs double: cut -> cutting.
        let vowel_groups = word
            .chars()
            .zip(std::iter::once(' ').chain(word.chars()))
            .filter(|(c, prev)| is_vowel(*c) && !is_vowel(*prev))
            .count();
        let cvc = bytes.len() >= 3
            && !is_vowel(last)
            && !"wxy".contains(last)
            && is_vowel(bytes[bytes.len() - 2] as char)
            && !is_vowel(bytes[bytes.len() - 3] as char);
        if cvc && vowel_groups == 1 {
            forms.extend([format!("{word}{last}ing"), format!("{word}{last}ed")]);
        }
    }
    if let Some((_, past)) = IRREGULAR_PAST.iter().find(|(v, _)| *v == word) {
        forms.extend(past.split('|').map(str::to_string));
    }
    forms
}

/// A piece of text with the occurrences of some lists replaced by one
/// placeholder letter each, and the map back to the original offsets.
#[derive(Debug, Clone)]
pub struct Symbolized {
    /// The text a pattern is matched against.
    pub text: String,
    /// For each placeholder, in order: `(symbolized start, original start,
    /// symbolized len, original len, total length change up to and
    /// including it)`.
    swaps: Vec<(usize, usize, usize, usize, isize)>,
    /// Offset of the piece in the original text.
    base: usize,
}

impl Symbolized {
    /// Replaces, in `original[within]`, each occurrence in `lists` (one
    /// span list per pattern lexicon, in bit order) with a placeholder whose
    /// bits say which lists it belongs to. Where occurrences overlap, the
    /// longest (then leftmost) wins.
    ///
    /// Built for every pattern with lexicons in every unit holding one of
    /// their occurrences (~110 times a charter), so it allocates only the
    /// occurrences, the text and the swaps.
    ///
    /// With `viewed`, placeholders are written as the ASCII view writes them
    /// (see [`super::ascii_view`]), in as many bytes.
    pub fn new<'a>(
        original: &str,
        within: Span,
        lists: impl IntoIterator<Item = &'a [Span]>,
        viewed: bool,
    ) -> Self {
        let mut occurrences: Vec<(Span, u32)> = Vec::new();
        let mut several = false;
        for (bit, spans) in lists.into_iter().enumerate() {
            several |= bit > 0;
            // Spans are sorted and disjoint: take the slice inside `within`.
            let from = spans.partition_point(|s| s.start < within.start);
            let to = spans.partition_point(|s| s.start < within.end);
            occurrences.extend(
                spans[from..to]
                    .iter()
                    .filter(|s| within.contains(**s))
                    .map(|&s| (s, 1u32 << bit)),
            );
        }
        if several {
            occurrences.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
            // An occurrence found by several lists carries all their bits.
            occurrences.dedup_by(|(s, bit), (kept, mask)| {
                let same = s == kept;
                if same {
                    *mask |= *bit;
                }
                same
            });
        }
        let mut text = String::with_capacity(within.len());
        let mut swaps = Vec::with_capacity(occurrences.len());
        let mut at = within.start;
        let mut shift = 0isize;
        for (s, mask) in occurrences {
            if s.start < at {
                continue; // overlaps a longer or earlier occurrence
            }
            text.push_str(&original[at..s.start]);
            let sym_start = text.len();
            if viewed {
                let bytes = super::ascii_view::placeholder_bytes(mask);
                text.extend(bytes.iter().map(|&b| char::from(b)));
            } else {
                text.push(placeholder(mask));
            }
            let sym_len = text.len() - sym_start;
            shift += s.len() as isize - sym_len as isize;
            swaps.push((sym_start, s.start, sym_len, s.len(), shift));
            at = s.end;
        }
        text.push_str(&original[at..within.end]);
        Symbolized {
            text,
            swaps,
            base: within.start,
        }
    }

    /// Maps a span of [`Symbolized::text`] back to the original text.
    pub fn to_original(&self, span: Span) -> Span {
        Span::new(self.map(span.start, false), self.map(span.end, true))
    }

    fn map(&self, offset: usize, is_end: bool) -> usize {
        // Swaps are in order: the ones starting before `offset` shift it.
        let k = self.swaps.partition_point(|&(sym, ..)| sym < offset);
        let Some(&(sym, orig, sym_len, orig_len, shift)) = k.checked_sub(1).map(|i| &self.swaps[i])
        else {
            return self.base + offset;
        };
        if offset < sym + sym_len {
            // Inside a placeholder (cannot happen on char boundaries).
            return if is_end { orig + orig_len } else { orig };
        }
        (self.base as isize + offset as isize + shift) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn lex() -> Lexicons {
        let mut l = Lexicons::default();
        l.define(
            "role",
            [
                "teacher",
                "nurse",
                "head teacher",
                "volunteer*",
                "midwife",
                "secondary",
                "chairman",
            ]
            .map(String::from)
            .to_vec(),
        );
        l.define("place", vec!["leeds".into()]);
        l
    }

    /// Every list's occurrences in `text`, found both ways, which must agree.
    fn find_all(index: &LexiconIndex, text: &str) -> Vec<Vec<Span>> {
        let scanned = index.find_all(text, Scan::Automaton);
        assert_eq!(scanned, index.find_all(text, Scan::Lookup), "{text:?}");
        scanned
    }

    /// All matches of `pattern` in `text`, as original text.
    fn matches(l: &Lexicons, pattern: &str, text: &str) -> Vec<String> {
        let (expanded, used) = l.expand(pattern).unwrap();
        let index = l.compile().unwrap();
        let spans: Vec<Vec<Span>> = used
            .iter()
            .map(|n| find_all(&index, text)[index.id(n).unwrap()].clone())
            .collect();
        let lists: Vec<&[Span]> = spans.iter().map(Vec::as_slice).collect();
        let sym = Symbolized::new(text, Span::new(0, text.len()), lists, false);
        let re = Regex::new(&expanded).unwrap();
        re.find_iter(&sym.text)
            .map(|m| text[sym.to_original(Span::new(m.start(), m.end())).range()].to_string())
            .collect()
    }

    #[test]
    fn lists_sharing_forms_each_keep_their_own_longest_match() {
        let mut l = Lexicons::default();
        l.define("long", vec!["head teacher".into(), "volunteer".into()]);
        l.define("short", vec!["head".into(), "volunteer*".into()]);
        let index = l.compile().unwrap();
        let text = "Head teachers and volunteering heads.";
        let found = find_all(&index, text);
        let words = |list: &str| -> Vec<&str> {
            found[index.id(list).unwrap()]
                .iter()
                .map(|s| &text[s.range()])
                .collect()
        };
        assert_eq!(words("long"), ["Head teachers"]);
        assert_eq!(words("short"), ["Head", "volunteering", "heads"]);
    }

    #[test]
    fn references_match_word_bounded_inflected_entries() {
        let l = lex();
        assert_eq!(
            matches(&l, "{role}", "Nurses and head teachers"),
            ["Nurses", "head teachers"]
        );
        assert_eq!(matches(&l, "{role}", "volunteering"), ["volunteering"]);
        assert_eq!(
            matches(&l, "{role}", "midwives, secondaries, chairmen"),
            ["midwives", "secondaries", "chairmen"]
        );
        assert!(matches(&l, "{role}", "nursery").is_empty());
        assert_eq!(matches(&l, "{role}", "head-teachers"), ["head-teachers"]);
    }

    #[test]
    fn references_combine_with_regex_around_them() {
        let l = lex();
        assert_eq!(
            matches(
                &l,
                r"\w+\s+{role}\s+in\s+{place}",
                "For maths teachers in Leeds."
            ),
            ["maths teachers in Leeds"]
        );
        assert_eq!(matches(&l, r"\b{role}\b", "the nurse’s rota"), ["nurse’s"]);
        assert_eq!(matches(&l, r"{role}", "the nurses' rota"), ["nurses"]);
    }

    #[test]
    fn verbs_match_their_forms() {
        let mut l = Lexicons::default();
        let verbs = [
            "cut", "reduce", "apply", "keep", "fix", "speed up", "open", "agree",
        ];
        l.define_inflected("v", verbs.map(String::from).to_vec(), Inflect::Verb);
        for form in [
            "cutting",
            "cuts",
            "reducing",
            "reduced",
            "applies",
            "applied",
            "kept",
            "fixes",
            "speeding up",
            "opening",
            "agreed",
        ] {
            assert_eq!(matches(&l, "{v}", form), [form], "{form}");
        }
        assert!(matches(&l, "{v}", "cutter").is_empty());
        assert!(matches(&l, "{v}", "openning").is_empty());
    }

    #[test]
    fn word_is_one_token() {
        let l = lex();
        assert_eq!(
            matches(
                &l,
                r"{word}\s+{role}",
                "The pupil-premium nurses, maths teachers"
            ),
            ["pupil-premium nurses", "maths teachers"]
        );
    }

    #[test]
    fn escapes_with_braces_are_not_references() {
        assert!(!has_references(r"\x{E000}\p{Greek}\P{L}"));
        assert!(has_references(r"\x{E000}\s+{role}"));
    }

    #[test]
    fn repetitions_are_not_references() {
        assert_eq!(lex().expand(r"\d{2,3}").unwrap().0, r"\d{2,3}");
        assert_eq!(lex().expand(r"a{2}\{role}").unwrap().0, r"a{2}\{role}");
    }

    #[test]
    fn unknown_lexicon_is_an_error_at_its_offset() {
        assert_eq!(
            lex().expand("x {nope}"),
            Err((2, "pattern uses unknown lexicon `{nope}`".into()))
        );
    }

    #[test]
    fn an_occurrence_of_several_lists_carries_each_bit_and_the_longest_wins() {
        let text = "head teachers head";
        let long = [Span::new(0, 13), Span::new(14, 18)];
        let short = [Span::new(0, 4), Span::new(14, 18)];
        let sym = Symbolized::new(
            text,
            Span::new(0, text.len()),
            [&long[..], &short[..]],
            false,
        );
        let expected: String = [placeholder(0b01), ' ', placeholder(0b11)]
            .into_iter()
            .collect();
        assert_eq!(sym.text, expected);
        let second = sym.text.len() - placeholder(0b11).len_utf8();
        assert_eq!(sym.to_original(Span::new(0, second - 1)), Span::new(0, 13));
        assert_eq!(
            sym.to_original(Span::new(second, sym.text.len())),
            Span::new(14, 18)
        );
    }

    #[test]
    fn spans_map_back_past_placeholders() {
        let text = "é nurses and teachers";
        let l = lex();
        let index = l.compile().unwrap();
        let spans = find_all(&index, text)[index.id("role").unwrap()].clone();
        let sym = Symbolized::new(text, Span::new(0, text.len()), [spans.as_slice()], false);
        let at = sym.text.find("and").unwrap();
        assert_eq!(
            sym.to_original(Span::new(at, at + 3)),
            Span::new(text.find("and").unwrap(), text.find("and").unwrap() + 3)
        );
    }

    #[test]
    fn lookup_and_automaton_agree_at_word_edges() {
        let l = lex();
        let index = l.compile().unwrap();
        for text in [
            "",
            "teacher",
            "Teachers' and nurse’s",
            "xteacher teacherx teacher_s",
            "head head teacher head-teachers headteacher",
            "volunteers volunteering volunteer-led volunteer’s",
            "ÉTeacher éteacher Änurse, 1nurse _nurse",
            "midwives midwifes secondaries chairmen chairmans",
            "leeds-leeds leeds'leeds",
        ] {
            find_all(&index, text);
        }
    }

    proptest::proptest! {
        /// The built-in lexicons over texts made of their own forms, parts
        /// of forms and the characters that decide word edges.
        #[test]
        fn lookup_finds_what_the_automaton_finds(
            pieces in proptest::collection::vec(0usize..1000, 0..40),
            seps in proptest::collection::vec(0usize..12, 40),
        ) {
            let index = builtin_index();
            let separators = [" ", "", "-", "'", "’", "s", "é", ", ", "_", "ing ", "’s ", "\n"];
            let mut text = String::new();
            for (i, piece) in pieces.iter().enumerate() {
                let forms = index.forms.strings();
                let form = &forms[piece * 7919 % forms.len()];
                let cut = if piece % 5 == 0 { form.len() / 2 } else { form.len() };
                let cut = (0..=cut).rev().find(|&c| form.is_char_boundary(c)).unwrap_or(0);
                let form = &form[..cut];
                text.push_str(&if piece % 3 == 0 { form.to_uppercase() } else { form.to_string() });
                text.push_str(separators[seps[i] % separators.len()]);
            }
            find_all(index, &text);
        }
    }

    fn builtin_index() -> &'static LexiconIndex {
        use std::sync::OnceLock;
        static INDEX: OnceLock<LexiconIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            crate::rules::RuleSet::builtin()
                .unwrap()
                .lexicons()
                .compile()
                .unwrap()
        })
    }
}
