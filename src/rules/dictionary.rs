//! A set of lowercase strings to find in lowercased text, found either by
//! looking up what starts at a position or by one Aho-Corasick pass.
//!
//! Lexicon forms and the literals patterns require are both found this
//! way. The automaton finds everything in one pass but costs more to build
//! (for the 5,357 built-in lexicon forms, a third of a one-file run) than a
//! few documents' lookups; a run over many documents builds it on first
//! use, and a run over a few never does (see [`Scan`]).

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// How occurrences are found. Both ways find the same ones; what differs
/// is what they cost to set up and to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// Each position that matters is looked up among the sorted strings:
    /// nothing to build, so right for a run over a few documents.
    Lookup,
    /// One pass of an automaton over the text, built on first use and
    /// repaid over many documents.
    Automaton,
}

/// Strings, each known by its index in the list it was made from.
#[derive(Debug, Clone)]
pub struct Dictionary {
    /// The strings, in the caller's order: their indices are their ids.
    /// Borrowed where they can be: the 5,357 built-in lexicon forms are
    /// slices of the cache, not an allocation each.
    strings: Vec<Cow<'static, str>>,
    /// Ids in the strings' byte order, so that the strings sharing a prefix
    /// are neighbours.
    sorted: Vec<u32>,
    /// Per first byte, the range of `sorted` whose strings start with it.
    first: Vec<(u32, u32)>,
    /// The strings as one automaton; `None` when the builder refused them,
    /// and lookups stand in.
    automaton: OnceLock<Option<AhoCorasick>>,
}

impl Dictionary {
    /// A dictionary of `strings`, lowercase (they are compared with text
    /// lowercased by [`str::to_ascii_lowercase`]). Empty strings are never
    /// found.
    pub fn new(strings: Vec<Cow<'static, str>>) -> Self {
        let mut sorted: Vec<u32> = Vec::with_capacity(strings.len());
        sorted.extend(
            (0..strings.len())
                .filter(|&i| !strings[i].is_empty())
                .map(|i| u32::try_from(i).expect("fewer strings than u32::MAX")),
        );
        sorted.sort_unstable_by(|&a, &b| strings[a as usize].cmp(&strings[b as usize]));
        let mut first = vec![(0, 0); 256];
        for (at, &id) in sorted.iter().enumerate() {
            let at = u32::try_from(at).expect("fewer strings than u32::MAX");
            let range = &mut first[usize::from(strings[id as usize].as_bytes()[0])];
            if range.1 == 0 {
                range.0 = at;
            }
            range.1 = at + 1;
        }
        Dictionary {
            strings,
            sorted,
            first,
            automaton: OnceLock::new(),
        }
    }

    /// The strings, by id.
    #[cfg(test)]
    pub fn strings(&self) -> &[Cow<'static, str>] {
        &self.strings
    }

    /// Calls `found(id, len)` for every string that `lowered[start..]`
    /// starts with, shortest first.
    ///
    /// The strings sharing the bytes read so far are one run of `sorted`:
    /// the first byte picks it from a table, each further byte narrows it
    /// with two binary searches, and the walk ends as soon as no string
    /// continues the text.
    pub fn starting_at(&self, lowered: &[u8], start: usize, mut found: impl FnMut(usize, usize)) {
        let Some(&byte) = lowered.get(start) else {
            return;
        };
        let (lo, hi) = self.first[usize::from(byte)];
        let (mut lo, mut hi) = (lo as usize, hi as usize);
        let mut len = 1;
        while lo < hi {
            let string = |at: usize| self.strings[self.sorted[at] as usize].as_bytes();
            // All of sorted[lo..hi] share `len` bytes with the text; one of
            // exactly that length sorts first.
            if string(lo).len() == len {
                found(self.sorted[lo] as usize, len);
            }
            let Some(&next) = lowered.get(start + len) else {
                return;
            };
            let run = &self.sorted[lo..hi];
            lo += run.partition_point(|&id| {
                let s = self.strings[id as usize].as_bytes();
                s.len() <= len || s[len] < next
            });
            hi = lo
                + self.sorted[lo..hi]
                    .partition_point(|&id| self.strings[id as usize].as_bytes()[len] == next);
            len += 1;
        }
    }

    /// Calls `found(id, start, end)` for every occurrence in `lowered`, in
    /// order of their ends, with one pass of the automaton. Returns false,
    /// having found nothing, when the automaton could not be built.
    pub fn scan(&self, lowered: &str, mut found: impl FnMut(usize, usize, usize)) -> bool {
        let Some(automaton) = self.automaton() else {
            return false;
        };
        for m in automaton.find_overlapping_iter(lowered) {
            if !m.is_empty() {
                found(m.pattern().as_usize(), m.start(), m.end());
            }
        }
        true
    }

    /// The automaton, built on first use. A contiguous NFA builds in a
    /// fraction of a DFA's time and searches short prose about as fast;
    /// searching lowercased text builds in half the time of an
    /// ASCII-case-insensitive automaton.
    fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                AhoCorasickBuilder::new()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .match_kind(MatchKind::Standard)
                    .build(self.strings.iter().map(|s| s.as_bytes()))
                    .ok()
            })
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (id, start, end), found both ways at every position.
    fn both_ways(d: &Dictionary, text: &str) -> Vec<(usize, usize, usize)> {
        let lowered = text.to_ascii_lowercase();
        let mut scanned = Vec::new();
        assert!(d.scan(&lowered, |id, s, e| scanned.push((id, s, e))));
        scanned.sort_unstable();
        let mut looked_up = Vec::new();
        for start in 0..lowered.len() {
            d.starting_at(lowered.as_bytes(), start, |id, len| {
                looked_up.push((id, start, start + len));
            });
        }
        looked_up.sort_unstable();
        assert_eq!(scanned, looked_up, "{text:?}");
        scanned
    }

    #[test]
    fn lookups_find_what_the_automaton_finds() {
        let words = [
            "teach", "teacher", "teachers", "tea", "each", "é", "héad", "a b", "",
        ];
        let d = Dictionary::new(words.map(Cow::Borrowed).to_vec());
        let found = both_ways(&d, "Teachers teach; head HÉAD héad a b-é tea");
        let ids: Vec<usize> = found.iter().map(|f| f.0).collect();
        for id in [0, 1, 2, 3, 4, 5, 6, 7] {
            assert!(ids.contains(&id), "{} was not found", words[id]);
        }
        assert!(!ids.contains(&8), "the empty string is never found");
        for text in ["", "t", "te", "zzz", "teacherss", "ééé"] {
            both_ways(&d, text);
        }
    }

    #[test]
    fn an_empty_dictionary_finds_nothing() {
        let d = Dictionary::new(Vec::new());
        assert!(both_ways(&d, "anything").is_empty());
    }
}
