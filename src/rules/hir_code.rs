//! A written form of a translated pattern (regex-syntax's `Hir`), so that
//! the built-in patterns' translations can be worked out ahead of time.
//!
//! Translating is most of compiling a pattern for one short document: every
//! letter of a case-insensitive pattern is case-folded into a class of its
//! own, and `\w` or `[^\s,.]` into hundreds of folded ranges, about 190,000
//! instructions a pattern, each run, for the same packs. Read back from
//! this form, the same expression costs a fraction of that.
//!
//! The form is a line of space-separated tokens in prefix order, over a
//! table of the distinct classes (a letter's class recurs thousands of
//! times, `\w` dozens):
//!
//! | token | expression |
//! |---|---|
//! | `e` | empty |
//! | `l616263` | the literal bytes, in hex |
//! | `c12` | class 12 of the table |
//! | `k4` | the look-around with regex-syntax's representation 4 |
//! | `r0,3,l` | repeat the next expression 0 to 3 times (`r1,,g`: 1 or more), lazily or greedily |
//! | `p1` | capture group 1 around the next expression |
//! | `t3`, `a3` | the concatenation or alternation of the next three |
//!
//! Byte classes and named groups have no token: a pattern holding one is
//! not written, and is translated as before.

#[cfg(test)]
use std::collections::HashMap;
#[cfg(test)]
use std::fmt::Write as _;

use std::sync::OnceLock;

use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

/// The distinct classes of a set of written expressions. Writing is for
/// the tests that generate and check the cache; a run only reads.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct ClassTable {
    classes: Vec<ClassUnicode>,
    ids: HashMap<Vec<(char, char)>, usize>,
}

#[cfg(test)]
impl ClassTable {
    /// The table's id for `class`, adding it if new.
    fn id(&mut self, class: &ClassUnicode) -> usize {
        let ranges: Vec<(char, char)> = class.iter().map(|r| (r.start(), r.end())).collect();
        let next = self.classes.len();
        *self.ids.entry(ranges).or_insert_with(|| {
            self.classes.push(class.clone());
            next
        })
    }

    /// The table, a line per class: its ranges as hex code points
    /// (`41-5a 61-7a`). A class holding all of Unicode's `\w` (or `\W`)
    /// is written as `w` (`W`) and the ranges it has besides: `\w` alone
    /// is some 800 ranges, 34 KB of the table to read each run.
    pub(crate) fn write(&self) -> String {
        let mut out = String::new();
        for class in &self.classes {
            let mut rest = class.clone();
            for (name, base) in [("w", perl_word(false)), ("W", perl_word(true))] {
                let mut union = class.clone();
                union.union(base);
                let mut besides = class.clone();
                besides.difference(base);
                if union == *class && besides.ranges().len() < rest.ranges().len() {
                    out.push_str(name);
                    rest = besides;
                    break;
                }
            }
            for r in rest.iter() {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push(' ');
                }
                let _ = write!(out, "{:x}-{:x}", u32::from(r.start()), u32::from(r.end()));
            }
            out.push('\n');
        }
        out
    }
}

/// Writes `hir`, adding its classes to `table`; `None` for an expression
/// the form has no token for.
#[cfg(test)]
pub(crate) fn encode(hir: &Hir, table: &mut ClassTable) -> Option<String> {
    let mut out = String::new();
    encode_into(hir, table, &mut out)?;
    Some(out)
}

#[cfg(test)]
fn encode_into(hir: &Hir, table: &mut ClassTable, out: &mut String) -> Option<()> {
    if !out.is_empty() {
        out.push(' ');
    }
    match hir.kind() {
        HirKind::Empty => out.push('e'),
        HirKind::Literal(literal) => {
            out.push('l');
            for byte in literal.0.iter() {
                let _ = write!(out, "{byte:02x}");
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            let _ = write!(out, "c{}", table.id(class));
        }
        HirKind::Class(Class::Bytes(_)) => return None,
        HirKind::Look(look) => {
            let _ = write!(out, "k{}", look.as_repr());
        }
        HirKind::Repetition(rep) => {
            let max = rep.max.map(|m| m.to_string()).unwrap_or_default();
            let greedy = if rep.greedy { 'g' } else { 'l' };
            let _ = write!(out, "r{},{max},{greedy}", rep.min);
            encode_into(&rep.sub, table, out)?;
        }
        HirKind::Capture(capture) => {
            if capture.name.is_some() {
                return None;
            }
            let _ = write!(out, "p{}", capture.index);
            encode_into(&capture.sub, table, out)?;
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            let kind = if matches!(hir.kind(), HirKind::Concat(_)) {
                't'
            } else {
                'a'
            };
            let _ = write!(out, "{kind}{}", subs.len());
            for sub in subs {
                encode_into(sub, table, out)?;
            }
        }
    }
    Some(())
}

/// Unicode's `\w`, or `\W` if `negated`, as regex-syntax's tables give it.
fn perl_word(negated: bool) -> &'static ClassUnicode {
    static WORD: OnceLock<[ClassUnicode; 2]> = OnceLock::new();
    let [word, non_word] = WORD.get_or_init(|| {
        [r"\w", r"\W"].map(|perl| {
            let hir = regex_syntax::parse(perl).expect("Perl classes parse");
            match hir.kind() {
                HirKind::Class(Class::Unicode(class)) => class.clone(),
                _ => unreachable!("a Perl class translates to a Unicode class"),
            }
        })
    });
    if negated { non_word } else { word }
}

/// Reads a class table written by `ClassTable::write` (in the tests that
/// make the cache): one `Hir` per class, to be cloned where a token names
/// it.
pub(crate) fn read_classes(text: &str) -> Option<Vec<Hir>> {
    let mut classes = Vec::new();
    for line in text.split_terminator('\n') {
        let (base, ranges) = match line.as_bytes().first() {
            Some(b'w') => (Some(perl_word(false)), &line[1..]),
            Some(b'W') => (Some(perl_word(true)), &line[1..]),
            _ => (None, line),
        };
        let mut class = ClassUnicode::new(read_ranges(ranges.trim_start_matches(' '))?);
        if let Some(base) = base {
            class.union(base);
        }
        classes.push(Hir::class(Class::Unicode(class)));
    }
    Some(classes)
}

/// Reads ranges written as `41-5a 61-7a`, in one pass over the bytes.
fn read_ranges(text: &str) -> Option<Vec<ClassUnicodeRange>> {
    let mut ranges = Vec::new();
    let (mut value, mut digits, mut start) = (0, 0, None);
    for &byte in text.as_bytes().iter().chain([&b' ']) {
        match byte {
            b'-' if digits > 0 && start.is_none() => {
                start = Some(value);
                (value, digits) = (0, 0);
            }
            b' ' => {
                match start.take() {
                    Some(first) if digits > 0 => {
                        let (first, last) = (char::from_u32(first)?, char::from_u32(value)?);
                        ranges.push(ClassUnicodeRange::new(first, last));
                    }
                    None if digits == 0 && ranges.is_empty() => {} // no ranges at all
                    _ => return None,
                }
                (value, digits) = (0, 0);
            }
            _ if digits < 8 => {
                value = value * 16 + digit(byte)?;
                digits += 1;
            }
            _ => return None,
        }
    }
    Some(ranges)
}

/// Reads an expression written by `encode` over `classes`; `None` if
/// the text is not one (a cache written by another version).
pub(crate) fn decode(text: &str, classes: &[Hir]) -> Option<Hir> {
    let mut tokens = text.as_bytes().split(|&b| b == b' ');
    let hir = decode_next(&mut tokens, classes, 0)?;
    tokens.next().is_none().then_some(hir)
}

/// Deeper than any pattern regex-syntax's parser accepts by default.
const MAX_DEPTH: usize = 300;

/// The value of an ASCII digit in base 16 (and so in base 10 for `0`-`9`).
fn digit(byte: u8) -> Option<u32> {
    match byte {
        b'0'..=b'9' => Some(u32::from(byte - b'0')),
        b'a'..=b'f' => Some(u32::from(byte - b'a' + 10)),
        _ => None,
    }
}

/// The bytes a string of hex digit pairs spells.
pub(crate) fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let mut bytes = Vec::with_capacity(text.len() / 2);
    for pair in text.as_bytes().chunks_exact(2) {
        let value = digit(pair[0])? << 4 | digit(pair[1])?;
        bytes.push(u8::try_from(value).expect("two hex digits make a byte"));
    }
    Some(bytes)
}

/// The number `digits` spell in decimal, at most eight of them: more than
/// the cache ever writes, and no overflow. Parsed by hand: the standard
/// library's general parsing was most of reading the cache's numbers.
pub(crate) fn decimal(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    digits.iter().try_fold(0, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
    })
}

fn decode_next<'t>(
    tokens: &mut impl Iterator<Item = &'t [u8]>,
    classes: &[Hir],
    depth: usize,
) -> Option<Hir> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (&kind, rest) = tokens.next()?.split_first()?;
    Some(match kind {
        b'e' if rest.is_empty() => Hir::empty(),
        b'l' => {
            let bytes = hex_bytes(std::str::from_utf8(rest).ok()?)?;
            std::str::from_utf8(&bytes).ok()?;
            Hir::literal(bytes)
        }
        b'c' => classes.get(decimal(rest)? as usize)?.clone(),
        b'k' => Hir::look(Look::from_repr(decimal(rest)?)?),
        b'r' => {
            let mut parts = rest.split(|&b| b == b',');
            let min = decimal(parts.next()?)?;
            let max = match parts.next()? {
                b"" => None,
                max => Some(decimal(max)?),
            };
            let greedy = match parts.next()? {
                b"g" => true,
                b"l" => false,
                _ => return None,
            };
            if parts.next().is_some() {
                return None;
            }
            let sub = Box::new(decode_next(tokens, classes, depth + 1)?);
            Hir::repetition(Repetition {
                min,
                max,
                greedy,
                sub,
            })
        }
        b'p' => Hir::capture(Capture {
            index: decimal(rest)?,
            name: None,
            sub: Box::new(decode_next(tokens, classes, depth + 1)?),
        }),
        b't' | b'a' => {
            let count = decimal(rest)? as usize;
            let mut subs = Vec::with_capacity(count.min(1024));
            for _ in 0..count {
                subs.push(decode_next(tokens, classes, depth + 1)?);
            }
            if kind == b't' {
                Hir::concat(subs)
            } else {
                Hir::alternation(subs)
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(pattern: &str) -> Option<(Hir, Hir)> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .unwrap();
        let mut table = ClassTable::default();
        let written = encode(&hir, &mut table)?;
        let classes = read_classes(&table.write()).unwrap();
        Some((hir, decode(&written, &classes).unwrap()))
    }

    #[test]
    fn every_kind_of_expression_reads_back_as_it_was_written() {
        for pattern in [
            "",
            "nurses",
            r"\bcafé\b",
            r"(?-i:[A-Z])\w*",
            r"^\W*(?:a|an|the)\s+[^\s,.;]{0,80}?$",
            r"(x)(?:y|z)+?",
            r"(?m)^a$|\B",
            r"[\x{12001}\x{12003}]|it|them",
            r"a{0}|b{2,}|(?:c|){1,3}",
            r"[\w’'.-]+\W[^\w]\w",
        ] {
            let (hir, read) = round_trip(pattern).unwrap();
            assert_eq!(format!("{hir:?}"), format!("{read:?}"), "{pattern}");
        }
    }

    #[test]
    fn what_the_form_cannot_hold_is_not_written() {
        assert!(round_trip(r"(?-u:\w)").is_none());
        assert!(round_trip(r"(?<who>nurses)").is_none());
    }

    #[test]
    fn a_text_that_is_not_the_form_is_no_expression() {
        let classes = read_classes("61-61\n").unwrap();
        for text in [
            "",
            "z",
            "c1",
            "t2 c0",
            "t1 c0 c0",
            "lzz",
            "lff",
            "r1,x,g c0",
            "r1,2,g,g c0",
            "k999",
            "p",
            "l6",
            "ex",
            "c99999999999",
            "c+1",
        ] {
            assert!(decode(text, &classes).is_none(), "{text:?}");
        }
        assert!(decode("t2 c0 l62", &classes).is_some());
        let deep = format!("{}e", "p1 ".repeat(MAX_DEPTH + 2));
        assert!(decode(&deep, &classes).is_none());
        for table in ["61-zz\n", "61\n", "-62\n", "61--62\n", "110000-110001\n"] {
            assert!(read_classes(table).is_none(), "{table:?}");
        }
        assert_eq!(
            read_classes("61-62 64-64\n\n30-39\n").map(|c| c.len()),
            Some(3)
        );
    }
}
