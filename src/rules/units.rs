//! The units of a document a rule searches (its clauses, its sentences, or
//! the whole statement), and which of them each pattern may match in.
//!
//! A pattern is searched in a unit only when everything each of its
//! matches contains occurs there (see the `prefilter` module). Asked
//! pattern by pattern and unit by unit, that test ran ~900 times a
//! generated charter and was an eighth of a 1,000-charter run. Here each
//! pattern's units are worked out at once, from its atoms' occurrences (a
//! few a document) rather than from the units (dozens): 2,366M -> 2,236M
//! instructions for the 1,000 charters. Remembering each atom's units for
//! the patterns that share it did not pay: of ~610 atoms a charter's
//! patterns asked for, ~430 were distinct.

use crate::span::Span;

/// A document's units of one kind, in order.
#[derive(Debug)]
pub struct Units {
    spans: Vec<Span>,
    /// Whether each unit ends before the next starts, so that an
    /// occurrence can only count for the last unit starting before it.
    disjoint: bool,
    /// For disjoint units, at `k`, how many units start at or before
    /// offset `k * STEP`: where to look for the unit holding an offset, a
    /// step or two from the answer (a binary search over the units was
    /// half the cost of finding a pattern's units).
    by_step: Vec<u32>,
}

/// Bytes of text per entry of [`Units::by_step`]: a unit (a clause) is
/// usually longer, so the answer is at most a unit or two on.
const STEP: usize = 16;

impl Units {
    /// The units `spans` (any order; disjoint and in order, cheaper to
    /// filter).
    pub fn new(spans: Vec<Span>) -> Self {
        let disjoint = spans.windows(2).all(|w| w[0].end <= w[1].start);
        let mut by_step = Vec::new();
        if disjoint && let Some(last) = spans.last() {
            let mut started = 0;
            by_step.reserve(last.start / STEP + 1);
            for k in 0..=last.start / STEP {
                while spans.get(started).is_some_and(|u| u.start <= k * STEP) {
                    started += 1;
                }
                by_step.push(u32::try_from(started).expect("fewer units than u32::MAX"));
            }
        }
        Units {
            disjoint,
            spans,
            by_step,
        }
    }

    /// How many of the (disjoint) units start at or before `offset`.
    fn started_by(&self, offset: usize) -> usize {
        let mut started = self
            .by_step
            .get(offset / STEP)
            .map_or(self.spans.len(), |&n| n as usize);
        while self.spans.get(started).is_some_and(|u| u.start <= offset) {
            started += 1;
        }
        started
    }

    /// The units' spans.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// Adds to `set` (one of [`UnitSets`], as words) the units that wholly
    /// hold the first occurrence of `at` starting in or after them: exactly
    /// the test [`super::TextMatcher::may_match`] makes of one unit.
    ///
    /// An atom occurs a few times in a document of dozens of units, so
    /// disjoint units are found from the occurrences: a non-empty
    /// occurrence inside a unit lies in the last unit starting at or before
    /// it, and is that unit's first when the occurrence before it starts
    /// before the unit.
    pub(crate) fn add_holding(&self, at: &Occurrences<'_>, set: &mut [u64]) {
        let by_occurrence = self.disjoint && (0..at.len()).all(|o| at.start(o) < at.end(o));
        if !by_occurrence {
            for (i, unit) in self.spans.iter().enumerate() {
                let first = partition(at.len(), |o| at.start(o) < unit.start);
                if first < at.len() && at.end(first) <= unit.end {
                    insert(set, i);
                }
            }
            return;
        }
        let mut before = None;
        for o in 0..at.len() {
            let start = at.start(o);
            if let Some(i) = self.started_by(start).checked_sub(1) {
                let unit = self.spans[i];
                if before.is_none_or(|b| b < unit.start) && at.end(o) <= unit.end {
                    insert(set, i);
                }
            }
            before = Some(start);
        }
    }
}

/// The first index in `0..len` for which `before` is false (`before` true
/// for a prefix of the indices).
fn partition(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

fn insert(set: &mut [u64], i: usize) {
    set[i / 64] |= 1 << (i % 64);
}

/// Puts all of `n` units in `set`.
pub(crate) fn fill(set: &mut [u64], n: usize) {
    set.fill(u64::MAX);
    if let Some(last) = set.last_mut()
        && !n.is_multiple_of(64)
    {
        *last = (1 << (n % 64)) - 1;
    }
}

/// An atom's occurrences in ascending order of start: spans, or the
/// starts of one literal (which all have its length).
pub(crate) enum Occurrences<'a> {
    Spans(&'a [Span]),
    Starts(&'a [usize], usize),
}

impl Occurrences<'_> {
    fn len(&self) -> usize {
        match self {
            Occurrences::Spans(s) => s.len(),
            Occurrences::Starts(s, _) => s.len(),
        }
    }

    fn start(&self, i: usize) -> usize {
        match self {
            Occurrences::Spans(s) => s[i].start,
            Occurrences::Starts(s, _) => s[i],
        }
    }

    fn end(&self, i: usize) -> usize {
        match self {
            Occurrences::Spans(s) => s[i].end,
            Occurrences::Starts(s, len) => s[i] + len,
        }
    }
}

/// Sets of units, one per pattern of a rule, in one block of words.
#[derive(Debug)]
pub struct UnitSets {
    words: usize,
    bits: Vec<u64>,
}

impl UnitSets {
    /// `sets` empty sets of `units` units.
    pub(crate) fn new(sets: usize, units: usize) -> Self {
        let words = units.div_ceil(64);
        UnitSets {
            words,
            bits: vec![0; sets * words],
        }
    }

    /// Set `set`'s words.
    pub(crate) fn words_mut(&mut self, set: usize) -> &mut [u64] {
        &mut self.bits[set * self.words..(set + 1) * self.words]
    }

    /// Whether set `set` holds unit `unit`.
    pub fn contains(&self, set: usize, unit: usize) -> bool {
        self.bits[set * self.words + unit / 64] & (1 << (unit % 64)) != 0
    }

    /// Whether set `set` holds no unit.
    pub fn is_empty(&self, set: usize) -> bool {
        self.bits[set * self.words..(set + 1) * self.words]
            .iter()
            .all(|&w| w == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(pairs: &[(usize, usize)]) -> Vec<Span> {
        pairs.iter().map(|&(s, e)| Span::new(s, e)).collect()
    }

    /// The test made of one unit, as `TextMatcher::may_match` makes it.
    fn one_by_one(units: &[Span], at: &[Span]) -> Vec<bool> {
        units
            .iter()
            .map(|u| {
                let i = at.partition_point(|s| s.start < u.start);
                at.get(i).is_some_and(|s| s.end <= u.end)
            })
            .collect()
    }

    #[test]
    fn units_hold_what_the_one_unit_test_finds() {
        let occurrences = [
            spans(&[(2, 5), (9, 12), (11, 20), (30, 31), (40, 45)]),
            // Equal starts: only the first counts for a unit.
            spans(&[(2, 9), (2, 3), (9, 11), (9, 10)]),
            // An empty occurrence.
            spans(&[(1, 3), (9, 9), (10, 11)]),
            spans(&[]),
        ];
        let layouts = [
            spans(&[(0, 8), (8, 12), (12, 25), (25, 41), (41, 50)]),
            spans(&[(0, 50)]),
            spans(&[(3, 4), (10, 30), (30, 31)]),
            // Out of order and overlapping: still the same answers.
            spans(&[(41, 50), (0, 8), (8, 21), (9, 12)]),
            spans(&[]),
            spans(&[(0, 2), (2, 2), (2, 9), (9, 9), (9, 11), (12, 12), (20, 40)]),
            (0..50).map(|i| Span::new(i, i + 1)).collect(),
            (0..25).map(|i| Span::new(2 * i, 2 * i + 2)).collect(),
        ];
        for at in &occurrences {
            for layout in &layouts {
                let units = Units::new(layout.clone());
                let mut set = UnitSets::new(1, layout.len());
                units.add_holding(&Occurrences::Spans(at), set.words_mut(0));
                let got: Vec<bool> = (0..layout.len()).map(|i| set.contains(0, i)).collect();
                assert_eq!(got, one_by_one(layout, at), "{at:?} in {layout:?}");
            }
        }
    }

    #[test]
    fn the_unit_holding_an_offset_is_found_from_the_steps() {
        let layouts = [
            spans(&[(0, 8), (8, 12), (12, 25), (25, 41), (41, 50)]),
            spans(&[(5, 6), (40, 41), (100, 180)]),
            (0..70).map(|i| Span::new(i, i + 1)).collect(),
            (0..20)
                .map(|i| Span::new(30 * i + 3, 30 * i + 20))
                .collect(),
            spans(&[(0, 0), (0, 0), (0, 5)]),
        ];
        for layout in layouts {
            let units = Units::new(layout.clone());
            assert!(units.disjoint, "{layout:?}");
            for offset in 0..700 {
                let expected = layout.partition_point(|u| u.start <= offset);
                assert_eq!(units.started_by(offset), expected, "{offset} in {layout:?}");
            }
        }
    }

    #[test]
    fn literal_starts_take_the_literal_length() {
        let units = Units::new(spans(&[(0, 5), (5, 10)]));
        let mut set = UnitSets::new(1, 2);
        units.add_holding(&Occurrences::Starts(&[3, 6], 3), set.words_mut(0));
        assert!(!set.contains(0, 0), "3..6 crosses into the second unit");
        assert!(set.contains(0, 1));
    }

    #[test]
    fn sets_of_many_units_span_words() {
        let units = Units::new((0..130).map(|i| Span::new(i, i + 1)).collect());
        let mut sets = UnitSets::new(3, 130);
        let at = spans(&[(3, 4), (70, 71), (129, 130)]);
        units.add_holding(&Occurrences::Spans(&at), sets.words_mut(1));
        let held: Vec<usize> = (0..130).filter(|&u| sets.contains(1, u)).collect();
        assert_eq!(held, [3, 70, 129]);
        assert!(sets.is_empty(0) && !sets.is_empty(1) && sets.is_empty(2));
    }
}
