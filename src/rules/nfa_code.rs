//! A written form of a compiled pattern (regex-automata's Thompson `NFA`),
//! so that the built-in patterns' automata for ASCII documents can be
//! compiled ahead of time.
//!
//! A one-file run compiles the fifty-odd patterns its document can need,
//! cut to the document's alphabet (see [`super::alphabet`]). For a
//! document in plain ASCII that alphabet is always the same, and so is each
//! pattern's automaton: reading its cached translation and compiling it
//! was a third of the run's instructions. Read back from this form through
//! regex-automata's own [`Builder`], the same automaton costs a fraction of
//! that, and [`Builder::build`] keeps its invariants (byte classes,
//! look-around sets, capture slots) regex-automata's business.
//!
//! A written automaton is a line: the number of states, the anchored
//! start, the unanchored start and the pattern's start, as decimal numbers
//! separated by commas, then one space-separated token per state, in state
//! order:
//!
//! | token | state |
//! |---|---|
//! | `r97,122,4` | bytes 97 to 122 go to state 4 |
//! | `s97,122,4,65,90,5` | a sparse state: several such ranges |
//! | `k16,4` | the look-around with regex-automata's representation 16, then 4 |
//! | `u3,7,9` | a union, in order of preference (`u3,7`: the binary one) |
//! | `c0,4`, `e0,4` | start or end of capture group 0, then 4 |
//! | `f`, `m` | fail, match |
//!
//! Only automata of one pattern with UTF-8 and the default look-around
//! settings are written; the builder never leaves an empty state or a
//! one-way union in a built automaton, so every token becomes exactly the
//! state of its position and the state numbers need no remapping.

#[cfg(test)]
use regex_automata::nfa::thompson::State;
use regex_automata::nfa::thompson::{Builder, NFA, Transition};
use regex_automata::util::look::Look;
#[cfg(test)]
use regex_automata::util::look::LookMatcher;
#[cfg(test)]
use regex_automata::util::primitives::PatternID;
use regex_automata::util::primitives::StateID;

/// Writes `nfa`, or `None` for an automaton this form does not cover.
#[cfg(test)]
pub(crate) fn encode(nfa: &NFA) -> Option<String> {
    use std::fmt::Write as _;

    let default_look = LookMatcher::new();
    if nfa.pattern_len() != 1
        || !nfa.is_utf8()
        || nfa.is_reverse()
        || nfa.look_matcher().get_line_terminator() != default_look.get_line_terminator()
    {
        return None;
    }
    let start = nfa.start_pattern(PatternID::ZERO)?;
    let mut out = format!(
        "{},{},{},{}",
        nfa.states().len(),
        nfa.start_anchored().as_usize(),
        nfa.start_unanchored().as_usize(),
        start.as_usize()
    );
    let numbers = |kind: char, values: &[usize]| {
        let values: Vec<String> = values.iter().map(usize::to_string).collect();
        format!(" {kind}{}", values.join(","))
    };
    for state in nfa.states() {
        let token = match state {
            State::ByteRange { trans } => numbers('r', &transition(trans)),
            State::Sparse(sparse) => {
                let values: Vec<usize> = sparse.transitions.iter().flat_map(transition).collect();
                numbers('s', &values)
            }
            State::Dense(_) => return None,
            State::Look { look, next } => numbers(
                'k',
                &[usize::try_from(look.as_repr()).ok()?, next.as_usize()],
            ),
            State::Union { alternates } => numbers(
                'u',
                &alternates.iter().map(|s| s.as_usize()).collect::<Vec<_>>(),
            ),
            State::BinaryUnion { alt1, alt2 } => numbers('u', &[alt1.as_usize(), alt2.as_usize()]),
            State::Capture {
                next,
                pattern_id,
                group_index,
                slot,
            } => {
                if *pattern_id != PatternID::ZERO || group_index.as_usize() != 0 {
                    return None;
                }
                let kind = if slot.as_usize() % 2 == 0 { 'c' } else { 'e' };
                numbers(kind, &[0, next.as_usize()])
            }
            State::Fail => " f".to_string(),
            State::Match { pattern_id } if *pattern_id == PatternID::ZERO => " m".to_string(),
            State::Match { .. } => return None,
        };
        write!(out, "{token}").expect("writing to a String");
    }
    Some(out)
}

#[cfg(test)]
fn transition(trans: &Transition) -> [usize; 3] {
    [
        usize::from(trans.start),
        usize::from(trans.end),
        trans.next.as_usize(),
    ]
}

/// Reads what [`encode`] (test-only) writes; `None` for text it does not
/// write, never a panic: every state number is checked to name a state.
///
/// Read a byte at a time: splitting the states' numbers with the standard
/// library's string searches cost more than compiling the pattern did.
pub(crate) fn decode(text: &str) -> Option<NFA> {
    let mut tokens = Tokens {
        bytes: text.as_bytes(),
        values: Vec::with_capacity(16),
    };
    let header = tokens.next_numbers()?;
    let &[count, anchored, unanchored, start] = header else {
        return None;
    };
    let id = |n: u32| (n < count).then(|| StateID::new(n as usize).ok()).flatten();
    let mut builder = Builder::new();
    builder.start_pattern().ok()?;
    // The builder panics on the end of a group that never started.
    let mut group_started = false;
    for _ in 0..count {
        let (kind, values) = tokens.next_token()?;
        let transition = |t: &[u32]| {
            Some(Transition {
                start: u8::try_from(t[0]).ok()?,
                end: u8::try_from(t[1]).ok()?,
                next: id(t[2])?,
            })
        };
        let added = match (kind, values) {
            (b'r', &[start, end, next]) => builder.add_range(transition(&[start, end, next])?),
            (b's', values) if values.len() >= 6 && values.len() % 3 == 0 => builder.add_sparse(
                values
                    .chunks_exact(3)
                    .map(transition)
                    .collect::<Option<Vec<_>>>()?,
            ),
            (b'k', &[look, next]) => builder.add_look(id(next)?, Look::from_repr(look)?),
            (b'u', alternates) if alternates.len() >= 2 => builder.add_union(
                alternates
                    .iter()
                    .map(|&n| id(n))
                    .collect::<Option<Vec<_>>>()?,
            ),
            (b'c', &[0, next]) if !group_started => {
                group_started = true;
                builder.add_capture_start(id(next)?, 0, None)
            }
            (b'e', &[0, next]) if group_started => builder.add_capture_end(id(next)?, 0),
            (b'f', []) => builder.add_fail(),
            (b'm', []) => builder.add_match(),
            _ => return None,
        };
        added.ok()?;
    }
    if !tokens.bytes.is_empty() {
        return None;
    }
    builder.finish_pattern(id(start)?).ok()?;
    builder.build(id(anchored)?, id(unanchored)?).ok()
}

/// The space-separated tokens of a written automaton, each a letter and
/// comma-separated decimal numbers (the header has no letter).
struct Tokens<'t> {
    bytes: &'t [u8],
    /// The numbers of the token last read.
    values: Vec<u32>,
}

impl Tokens<'_> {
    /// The next token's letter and numbers.
    fn next_token(&mut self) -> Option<(u8, &[u32])> {
        let (&kind, rest) = self.bytes.split_first()?;
        if !kind.is_ascii_lowercase() {
            return None;
        }
        self.bytes = rest;
        Some((kind, self.next_numbers()?))
    }

    /// The numbers up to the next space (which is passed) or the end, in
    /// one pass over the bytes.
    fn next_numbers(&mut self) -> Option<&[u32]> {
        self.values.clear();
        let (mut number, mut digits) = (0u32, 0usize);
        let mut at = 0;
        loop {
            match self.bytes.get(at) {
                Some(&digit @ b'0'..=b'9') => {
                    number = number
                        .checked_mul(10)?
                        .checked_add(u32::from(digit - b'0'))?;
                    digits += 1;
                }
                Some(b',') if digits > 0 => {
                    self.values.push(number);
                    (number, digits) = (0, 0);
                }
                end @ (Some(b' ') | None) => {
                    if digits > 0 {
                        self.values.push(number);
                    } else if !self.values.is_empty() {
                        return None;
                    }
                    if end.is_some() {
                        at += 1;
                        if at == self.bytes.len() {
                            return None;
                        }
                    }
                    break;
                }
                Some(_) => return None,
            }
            at += 1;
        }
        self.bytes = &self.bytes[at..];
        Some(&self.values)
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};

    fn compile(pattern: &str) -> NFA {
        Compiler::new()
            .configure(Config::new().which_captures(WhichCaptures::Implicit))
            .build(pattern)
            .unwrap()
    }

    #[test]
    fn automata_read_back_state_for_state() {
        for pattern in [
            r"(?i)\bteachers?\b",
            r"(?i)[a-z]+ (?:who|that) (?:teach|work)",
            r"\d{1,3}(?:,\d{3})*\+?",
            r"(?m)^\s*[-*]\s+\w+$",
            r"a|b|c|[x-z]{2,}?",
            r"[^\n]",
            "\u{12001}|\u{12003}",
            "",
        ] {
            let nfa = compile(pattern);
            let written = encode(&nfa).unwrap();
            let read = decode(&written).unwrap_or_else(|| panic!("{pattern}: {written}"));
            assert_eq!(format!("{read:?}"), format!("{nfa:?}"), "{pattern}");
        }
    }

    #[test]
    fn what_it_does_not_write_is_refused() {
        let reverse = Compiler::new()
            .configure(
                Config::new()
                    .reverse(true)
                    .which_captures(WhichCaptures::None),
            )
            .build("ab")
            .unwrap();
        assert_eq!(encode(&reverse), None);
        let two = Compiler::new().build_many(&["a", "b"]).unwrap();
        assert_eq!(encode(&two), None);
        let named = Compiler::new()
            .configure(Config::new().which_captures(WhichCaptures::All))
            .build("(?<x>a)")
            .unwrap();
        assert_eq!(encode(&named), None);
    }

    #[test]
    fn bad_text_is_refused_not_panicked_on() {
        let good = encode(&compile(r"\bab+\b")).unwrap();
        assert!(decode(&good).is_some());
        for bad in [
            "",
            "1,0,0",
            "1,0,0,0",
            "1,0,0,0 x",
            "1,0,0,9 m",
            "1,9,0,0 m",
            "1,0,0,0 r97,122,5",
            "1,0,0,0 r300,301,0",
            "1,0,0,0 s97,98,0",
            "1,0,0,0 u0",
            "1,0,0,0 k99999,0",
            "2,0,0,0 c1,0 m",
            "2,0,1,1 e0,1 m",
            "3,0,1,1 c0,1 c0,1 m",
            "1,0,0,0 m,",
            "1,0,0,0 m ",
            "1,0,0,0 m1",
            "2,0,0,0 m",
            "1,0,0,0 m m",
            "2,0,0,0 r,1 m",
            "2,0,0,0 r1,,2 m",
            "1,0,0,0 M",
        ] {
            assert!(decode(bad).is_none(), "{bad:?}");
        }
        // Cut anywhere, the good text is either refused or still an automaton.
        for end in 0..good.len() {
            let _ = decode(&good[..end]);
        }
    }
}
