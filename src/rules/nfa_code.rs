//! A written form of a compiled pattern (regex-automata's Thompson `NFA`),
//! so that the built-in patterns' automata for most documents can be
//! compiled ahead of time.
//!
//! A one-file run compiles the fifty-odd patterns its document can need,
//! cut to the document's alphabet (see [`super::alphabet`]). A pattern
//! compiled for an alphabet serves every text within it, and most charters
//! are within one of two: plain ASCII, or ASCII with curly quotes, dashes
//! and the like (see [`super::alphabet::cached`]). For those, each
//! pattern's automaton is always the same: reading its cached translation
//! and compiling it was a third of the run's instructions. Read back from
//! this form through regex-automata's own [`Builder`], the same automaton
//! costs a fraction of that, and [`Builder::build`] keeps its invariants
//! (byte classes, look-around sets, capture slots) regex-automata's
//! business.
//!
//! A written automaton is a line: the number of states, the anchored
//! start, the unanchored start and the pattern's start, then one token per
//! state, in state order, each a letter and numbers:
//!
//! | token | state |
//! |---|---|
//! | `r` 97 122 +4 | bytes 97 to 122 go to the state 4 ahead |
//! | `s` 97 122 +4 65 90 +5 | a sparse state: several such ranges |
//! | `p` +1 65 97 | a sparse state of single bytes (here `A` and `a`) to one state |
//! | `k` 16 +1 | the look-around with regex-automata's representation 16, then the next state |
//! | `u` +1 -3 | a union, in order of preference (two states: the binary one) |
//! | `c` +1, `e` +1 | start or end of capture group 0, then the next state |
//! | `f`, `m` | fail, match |
//!
//! A token names states relative to its own (see [`Tokens::state`]): a sparse
//! state of a case-insensitive letter, the most common state, is 6 bytes
//! instead of 13. Numbers are written in base 42 without separators: the
//! digits of a number are printable characters, its last digit from one
//! set of 42 and the others from another (see [`DIGITS`]). Written in
//! decimal with commas, reading the numbers cost more than building the
//! automaton.
//!
//! Only automata of one pattern with UTF-8 and the default look-around
//! settings are written; the builder never leaves an empty state or a
//! one-way union in a built automaton, so every token becomes exactly the
//! state of its position and the state numbers need no remapping.

use std::cell::RefCell;

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
    let mut out = String::new();
    for n in [
        nfa.states().len(),
        nfa.start_anchored().as_usize(),
        nfa.start_unanchored().as_usize(),
        start.as_usize(),
    ] {
        write_number(n, &mut out);
    }
    let numbers = |kind: char, values: &[usize]| {
        let mut token = kind.to_string();
        for &n in values {
            write_number(n, &mut token);
        }
        token
    };
    for (own, state) in nfa.states().iter().enumerate() {
        let to = |next: &StateID| relative(next.as_usize(), own);
        let token = match state {
            State::ByteRange { trans } => numbers(
                'r',
                &[trans.start.into(), trans.end.into(), to(&trans.next)],
            ),
            State::Sparse(sparse) => {
                let first = sparse.transitions[0].next;
                let points = sparse
                    .transitions
                    .iter()
                    .all(|t| t.start == t.end && t.next == first);
                let values: Vec<usize> = if points {
                    let bytes = sparse.transitions.iter().map(|t| usize::from(t.start));
                    std::iter::once(to(&first)).chain(bytes).collect()
                } else {
                    let ranges = sparse.transitions.iter();
                    ranges
                        .flat_map(|t| [t.start.into(), t.end.into(), to(&t.next)])
                        .collect()
                };
                numbers(if points { 'p' } else { 's' }, &values)
            }
            State::Dense(_) => return None,
            State::Look { look, next } => {
                numbers('k', &[usize::try_from(look.as_repr()).ok()?, to(next)])
            }
            State::Union { alternates } => {
                numbers('u', &alternates.iter().map(to).collect::<Vec<_>>())
            }
            State::BinaryUnion { alt1, alt2 } => numbers('u', &[to(alt1), to(alt2)]),
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
                numbers(kind, &[to(next)])
            }
            State::Fail => "f".to_string(),
            State::Match { pattern_id } if *pattern_id == PatternID::ZERO => "m".to_string(),
            State::Match { .. } => return None,
        };
        write!(out, "{token}").expect("writing to a String");
    }
    Some(out)
}

/// State `next` as state `own` refers to it: the difference, zigzag
/// encoded (0, -1, 1, -2, ... as 0, 1, 2, 3, ...). Automata mostly point
/// a few states ahead or back, so most references take one digit.
#[cfg(test)]
fn relative(next: usize, own: usize) -> usize {
    if next >= own {
        (next - own) * 2
    } else {
        (own - next) * 2 - 1
    }
}

/// The letters that start a state's token.
const KINDS: &[u8] = b"cefkmprsu";
/// The base numbers are written in.
const BASE: u32 = 42;
/// What each byte is in a written automaton: `LAST + d` for a number's
/// last digit `d`, `MORE + d` for any other digit `d`, [`KIND`] for a
/// state's letter, [`NOT`] for anything else. The digits are the printable
/// characters other than a space and the letters, in order: the first 42
/// end a number, the next 42 do not.
static DIGITS: [u8; 256] = {
    let mut table = [NOT; 256];
    let mut byte = b'!';
    let mut digit = 0;
    while byte <= b'~' {
        let mut is_kind = false;
        let mut k = 0;
        while k < KINDS.len() {
            is_kind |= KINDS[k] == byte;
            k += 1;
        }
        if is_kind {
            table[byte as usize] = KIND;
        } else if digit < 2 * BASE as u8 {
            table[byte as usize] = if digit < BASE as u8 {
                LAST + digit
            } else {
                MORE + digit - BASE as u8
            };
            digit += 1;
        }
        byte += 1;
    }
    assert!(digit == 2 * BASE as u8, "two full sets of digits");
    table
};
const LAST: u8 = 0;
const MORE: u8 = 64;
const KIND: u8 = 128;
const NOT: u8 = 255;

/// Writes `n` as [`DIGITS`] reads it.
#[cfg(test)]
fn write_number(mut n: usize, out: &mut String) {
    let base = BASE as usize;
    let mut digits = vec![LAST + (n % base) as u8];
    n /= base;
    while n > 0 {
        digits.push(MORE + (n % base) as u8);
        n /= base;
    }
    for digit in digits.into_iter().rev() {
        let byte = DIGITS
            .iter()
            .position(|&d| d == digit)
            .expect("every digit has a character");
        out.push(char::from(u8::try_from(byte).expect("a byte")));
    }
}

/// Reads what `encode` (test-only) writes; `None` for text it does not
/// write, never a panic: every state number is checked to name a state.
pub(crate) fn decode(text: &str) -> Option<NFA> {
    BUILDER.with(|builder| {
        let mut builder = builder.borrow_mut();
        builder.clear();
        decode_with(text, &mut builder)
    })
}

thread_local! {
    /// This thread's builder, cleared for each automaton: its state list
    /// keeps its room, where a fresh builder grew it a doubling at a time
    /// for every pattern (0.6 MB of a one-file run's 4.4 MB allocated).
    static BUILDER: RefCell<Builder> = RefCell::new(Builder::new());
}

/// [`decode`] with a cleared builder.
fn decode_with(text: &str, builder: &mut Builder) -> Option<NFA> {
    let mut tokens = Tokens {
        bytes: text.as_bytes(),
        at: 0,
    };
    let count = tokens.number()?;
    let [anchored, unanchored, start] = [tokens.number()?, tokens.number()?, tokens.number()?];
    let id = |n: u32| (n < count).then(|| StateID::new(n as usize).ok()).flatten();
    builder.start_pattern().ok()?;
    // The builder panics on the end of a group that never started.
    let mut group_started = false;
    for own in 0..count {
        let next = |tokens: &mut Tokens<'_>| tokens.state(own, count);
        let added = match tokens.kind()? {
            b'r' => builder.add_range(tokens.transition(own, count)?),
            b's' => {
                let mut transitions = Vec::with_capacity(4);
                while !tokens.at_token_end() {
                    transitions.push(tokens.transition(own, count)?);
                }
                if transitions.len() < 2 {
                    return None;
                }
                builder.add_sparse(transitions)
            }
            b'p' => {
                let next = next(&mut tokens)?;
                let mut transitions = Vec::with_capacity(2);
                while !tokens.at_token_end() {
                    let byte = u8::try_from(tokens.number()?).ok()?;
                    transitions.push(Transition {
                        start: byte,
                        end: byte,
                        next,
                    });
                }
                if transitions.len() < 2 {
                    return None;
                }
                builder.add_sparse(transitions)
            }
            b'k' => {
                let look = Look::from_repr(tokens.number()?)?;
                builder.add_look(next(&mut tokens)?, look)
            }
            b'u' => {
                let mut alternates = Vec::with_capacity(4);
                while !tokens.at_token_end() {
                    alternates.push(next(&mut tokens)?);
                }
                if alternates.len() < 2 {
                    return None;
                }
                builder.add_union(alternates)
            }
            b'c' if !group_started => {
                group_started = true;
                builder.add_capture_start(next(&mut tokens)?, 0, None)
            }
            b'e' if group_started => builder.add_capture_end(next(&mut tokens)?, 0),
            b'f' => builder.add_fail(),
            b'm' => builder.add_match(),
            _ => return None,
        };
        added.ok()?;
        if !tokens.at_token_end() {
            return None;
        }
    }
    if tokens.at != tokens.bytes.len() {
        return None;
    }
    builder.finish_pattern(id(start)?).ok()?;
    builder.build(id(anchored)?, id(unanchored)?).ok()
}

/// A cursor over a written automaton.
struct Tokens<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Tokens<'_> {
    /// The letter starting the next token.
    fn kind(&mut self) -> Option<u8> {
        let kind = *self.bytes.get(self.at)?;
        self.at += 1;
        (DIGITS[usize::from(kind)] == KIND).then_some(kind)
    }

    /// Whether the token read ends here: at a letter or at the end.
    fn at_token_end(&self) -> bool {
        self.bytes
            .get(self.at)
            .is_none_or(|&b| DIGITS[usize::from(b)] == KIND)
    }

    /// The next number.
    fn number(&mut self) -> Option<u32> {
        let mut number = 0u64;
        loop {
            let digit = DIGITS[usize::from(*self.bytes.get(self.at)?)];
            self.at += 1;
            // Refused past u32::MAX: no overflow in a u64.
            if digit < MORE {
                return u32::try_from(number * u64::from(BASE) + u64::from(digit)).ok();
            }
            if digit >= KIND || number > u64::from(u32::MAX) {
                return None;
            }
            number = number * u64::from(BASE) + u64::from(digit - MORE);
        }
    }

    /// The next number, as a state referred to by state `own` of
    /// `count`: the difference between the two, zigzag encoded (0, -1, 1,
    /// -2, ... written as 0, 1, 2, 3, ...). Automata mostly point a few
    /// states ahead or back, so most references take one digit.
    fn state(&mut self, own: u32, count: u32) -> Option<StateID> {
        let zigzag = self.number()?;
        let distance = zigzag / 2 + zigzag % 2;
        let state = if zigzag % 2 == 0 {
            own.checked_add(distance)?
        } else {
            own.checked_sub(distance)?
        };
        (state < count)
            .then(|| StateID::new(state as usize).ok())
            .flatten()
    }

    /// The next three numbers, as a transition over bytes to a state.
    fn transition(&mut self, own: u32, count: u32) -> Option<Transition> {
        Some(Transition {
            start: u8::try_from(self.number()?).ok()?,
            end: u8::try_from(self.number()?).ok()?,
            next: self.state(own, count)?,
        })
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

    /// The form of an automaton written as in the module's table: tokens
    /// separated by spaces, numbers by commas.
    fn written(readable: &str) -> String {
        let mut out = String::new();
        for token in readable.split(' ') {
            let numbers = token.trim_start_matches(|c: char| c.is_ascii_lowercase());
            out.push_str(&token[..token.len() - numbers.len()]);
            for n in numbers.split(',').filter(|n| !n.is_empty()) {
                write_number(n.parse().unwrap(), &mut out);
            }
        }
        out
    }

    #[test]
    fn numbers_read_back_without_separators() {
        let values: Vec<u32> = (0..2000)
            .chain([42 * 42 * 42, 99_999_999, u32::MAX])
            .collect();
        let mut text = String::new();
        for &n in &values {
            write_number(n as usize, &mut text);
        }
        let mut tokens = Tokens {
            bytes: text.as_bytes(),
            at: 0,
        };
        let read: Vec<u32> = std::iter::from_fn(|| tokens.number()).collect();
        assert_eq!(read, values);
        assert_eq!(tokens.at, text.len());
        // One more than u32::MAX, a number without its last digit, and
        // many leading zeros.
        let mut over = String::new();
        write_number(u32::MAX as usize + 1, &mut over);
        let mut zeros = String::new();
        write_number(42, &mut zeros);
        let zero = DIGITS.iter().position(|&d| d == MORE).unwrap();
        let zeros = char::from(u8::try_from(zero).unwrap())
            .to_string()
            .repeat(100)
            + &zeros;
        for bad in [over.as_str(), &over[..over.len() - 1]] {
            let mut tokens = Tokens {
                bytes: bad.as_bytes(),
                at: 0,
            };
            assert_eq!(tokens.number(), None, "{bad:?}");
        }
        let mut tokens = Tokens {
            bytes: zeros.as_bytes(),
            at: 0,
        };
        assert_eq!(tokens.number(), Some(42), "{zeros:?}");
    }

    #[test]
    fn bad_text_is_refused_not_panicked_on() {
        let good = encode(&compile(r"\bab+\b")).unwrap();
        assert!(decode(&good).is_some());
        // State 0 takes `a` to the state after it, the match.
        assert!(decode(&written("2,0,1,1 r97,97,2 m")).is_some());
        for bad in [
            "",
            "1,0,0",
            "1,0,0,0",
            "1,0,0,9 m",
            "1,9,0,0 m",
            "1,0,0,0 r97,122,4",
            "1,0,0,0 r97,122,1",
            "1,0,0,0 r300,301,0",
            "1,0,0,0 s97,98,0",
            "1,0,0,0 p0,97",
            "1,0,0,0 p0,300,301",
            "1,0,0,0 u0",
            "1,0,0,0 k99999,0",
            "2,0,0,0 c2,0 m",
            "2,0,1,1 e2 m",
            "3,0,1,1 c2 c2 m",
            "1,0,0,0 m1",
            "2,0,0,0 m",
            "1,0,0,0 m m",
            "2,0,0,0 r1 m",
        ] {
            assert!(decode(&written(bad)).is_none(), "{bad:?}");
        }
        let one_state = written("1,0,0,0");
        for after in ["m ", "m\t", "mé", "M", "m\u{7f}"] {
            let bad = format!("{one_state}{after}");
            assert!(decode(&bad).is_none(), "{bad:?}");
        }
        // Cut anywhere, the good text is either refused or still an automaton.
        for end in 0..good.len() {
            let _ = decode(&good[..end]);
        }
    }
}
