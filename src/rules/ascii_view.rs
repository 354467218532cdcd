//! An all-ASCII view of a document's texts and patterns, so that regex's
//! lazy DFA can search them to the end.
//!
//! Patterns use Unicode `\b`, and the lazy DFA handles a Unicode word
//! boundary only in ASCII text: at the first byte beyond ASCII it gives up
//! and the search starts again in the bounded backtracker. Every text with a
//! lexicon occurrence holds a placeholder letter (beyond ASCII), so in a
//! run over many documents that was a sixth of all instructions.
//!
//! A document in ASCII that uses neither `_` nor the control characters of
//! [`CODE`] (nearly every charter written in English with straight quotes)
//! is viewed instead with each placeholder written as four ASCII bytes,
//! `_`, two code characters naming its bit set, `_`: as long as the
//! placeholder letter is in UTF-8, so offsets are unchanged. Each pattern
//! is rewritten to match that view ([`view`]):
//!
//! - a class keeps its ASCII characters other than `_` and the code
//!   characters, and each placeholder it holds becomes that placeholder's
//!   four bytes;
//! - a literal placeholder becomes its four bytes; a literal the view
//!   cannot hold (`_`, a code character, anything else beyond ASCII) can
//!   never match;
//! - Unicode word boundaries become ASCII ones.
//!
//! Why matches are the same: the view's texts hold `_` and code characters
//! only inside placeholders, and the rewritten pattern consumes them only as
//! whole placeholders, so a match starts and ends where characters of the
//! original start, and consumes what the original match consumes. Where a
//! boundary is tested, each side is an ASCII character (the same in both)
//! or a placeholder, a letter in Unicode whose edge bytes in the view are
//! `_`, a word character in ASCII. Patterns that can match the empty string
//! are not viewed: they could match inside a placeholder.

use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

use super::lexicon::{placeholder_mask, placeholder_range};

/// Characters that spell a placeholder's bit set, four bits each: control
/// characters that are not white space.
pub(crate) const CODE: [u8; 16] = [
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
];

/// What opens and closes a placeholder in the view: an ASCII word
/// character, as the placeholder letter is a Unicode one.
const EDGE: u8 = b'_';

/// Whether `text` can be viewed: it is ASCII, without `_` or a code
/// character.
pub(crate) fn viewable(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii() && b != EDGE && !CODE.contains(&b))
}

/// The view's four bytes for the placeholder with bit set `mask`.
pub(crate) fn placeholder_bytes(mask: u32) -> [u8; 4] {
    let (high, low) = ((mask >> 4) & 0xF, mask & 0xF);
    [EDGE, CODE[high as usize], CODE[low as usize], EDGE]
}

/// `hir` rewritten to find, in the view of a viewable text, exactly what it
/// finds in the text; `None` for a pattern that cannot be viewed (it can
/// match the empty string, or has a byte class beyond ASCII).
pub(crate) fn view(hir: &Hir) -> Option<Hir> {
    if hir.properties().minimum_len().is_none_or(|n| n == 0) {
        return None;
    }
    rewrite(hir)
}

fn rewrite(hir: &Hir) -> Option<Hir> {
    Some(match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => literal_view(&literal.0),
        HirKind::Class(Class::Unicode(class)) => class_view(class),
        HirKind::Class(Class::Bytes(class)) => {
            // `(?-u)` classes: fine while they stay within ASCII, where the
            // view's `_` and code bytes are taken out of them.
            if class.ranges().iter().any(|r| r.end() >= 0x80) {
                return None;
            }
            let ranges = class
                .ranges()
                .iter()
                .map(|r| ClassUnicodeRange::new(char::from(r.start()), char::from(r.end())));
            class_view(&ClassUnicode::new(ranges))
        }
        HirKind::Look(look) => Hir::look(ascii_look(*look)),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(rewrite(&r.sub)?),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(rewrite(&c.sub)?),
            ..c.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(rewrite).collect::<Option<_>>()?),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(rewrite).collect::<Option<_>>()?)
        }
    })
}

/// A literal in the view: placeholders as their bytes; a character the
/// view never holds makes it one that never matches.
fn literal_view(bytes: &[u8]) -> Hir {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Hir::fail();
    };
    let mut out = Vec::with_capacity(bytes.len());
    for c in text.chars() {
        if let Some(mask) = placeholder_mask(c) {
            out.extend(placeholder_bytes(mask));
        } else if c.is_ascii() && viewable(c.encode_utf8(&mut [0; 4])) {
            out.push(c as u8);
        } else {
            return Hir::fail();
        }
    }
    Hir::literal(out)
}

/// A class in the view: its viewable ASCII characters, or one of its
/// placeholders' four bytes.
fn class_view(class: &ClassUnicode) -> Hir {
    let mut ascii = class.clone();
    ascii.intersect(&viewable_ascii());
    let (first, last) = placeholder_range();
    let mut placeholders = class.clone();
    placeholders.intersect(&ClassUnicode::new([ClassUnicodeRange::new(first, last)]));
    let mut branches = Vec::new();
    if !ascii.ranges().is_empty() {
        branches.push(Hir::class(Class::Unicode(ascii)));
    }
    // The low code characters present after each high one. `\w` holds all
    // 255 placeholders: as two classes of code characters that is a few
    // NFA states, where 255 literals made every compiled pattern twice as
    // large.
    let mut lows = [0u16; 16];
    for range in placeholders.ranges() {
        for c in range.start()..=range.end() {
            let mask = placeholder_mask(c).expect("within the placeholder range");
            lows[(mask >> 4) as usize] |= 1 << (mask & 0xF);
        }
    }
    // No text holds bit set 0: taking it in joins high 0 to the others.
    if lows[0] != 0 {
        lows[0] |= 1;
    }
    let mut groups: Vec<(u16, u16)> = Vec::new(); // (highs, lows)
    for (high, &low) in lows.iter().enumerate().filter(|(_, l)| **l != 0) {
        match groups.iter_mut().find(|(_, l)| *l == low) {
            Some((highs, _)) => *highs |= 1 << high,
            None => groups.push((1 << high, low)),
        }
    }
    let code_class = |set: u16| {
        let chosen = (0..16).filter(|i| set & (1 << i) != 0).map(|i| {
            let c = char::from(CODE[i]);
            ClassUnicodeRange::new(c, c)
        });
        Hir::class(Class::Unicode(ClassUnicode::new(chosen)))
    };
    for (highs, low) in groups {
        branches.push(Hir::concat(vec![
            Hir::literal([EDGE]),
            code_class(highs),
            code_class(low),
            Hir::literal([EDGE]),
        ]));
    }
    // An alternation of nothing never matches.
    Hir::alternation(branches)
}

/// The ASCII characters a viewable text may hold.
fn viewable_ascii() -> ClassUnicode {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]);
    let mut taken = ClassUnicode::new(
        CODE.iter()
            .chain([&EDGE])
            .map(|&b| ClassUnicodeRange::new(char::from(b), char::from(b))),
    );
    taken.negate();
    class.intersect(&taken);
    class
}

/// The ASCII form of a word-boundary assertion; others as they are.
fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::expression::{Engines, compile_ascii_view, compile_pattern};
    use crate::span::Span;

    /// A text as patterns see it, and its ASCII view.
    fn with_view(text: &str) -> (String, String) {
        let mut viewed = String::new();
        for c in text.chars() {
            match placeholder_mask(c) {
                Some(mask) => viewed.extend(placeholder_bytes(mask).map(char::from)),
                None => viewed.push(c),
            }
        }
        (text.to_string(), viewed)
    }

    /// Viewable texts from every built-in rule example: as written, in
    /// capitals, and with words replaced by placeholders of every bit set
    /// (one, some, all eight lists; two in a row; at the ends).
    fn texts(set: &crate::RuleSet) -> Vec<(String, String)> {
        let (first, last) = placeholder_range();
        let mut texts = Vec::new();
        for rule in set.rules() {
            for text in rule.examples.hit.iter().chain(&rule.examples.miss) {
                if !viewable(text) {
                    continue;
                }
                let words: Vec<&str> = text.split(' ').collect();
                let mut symbolized = Vec::new();
                for (i, w) in words.iter().enumerate() {
                    let mask = 1 + (i as u32 * 37 + text.len() as u32) % 255;
                    let placeholder = char::from_u32(u32::from(first) - 1 + mask).unwrap();
                    symbolized.push(match i % 4 {
                        0 => placeholder.to_string(),
                        2 if i % 3 == 0 => format!("{placeholder}{last}"),
                        _ => (*w).to_string(),
                    });
                }
                for variant in [text.clone(), text.to_uppercase(), symbolized.join(" ")] {
                    texts.push(with_view(&variant));
                }
            }
        }
        texts
    }

    #[test]
    fn viewed_patterns_find_in_the_view_what_patterns_find_in_the_text() {
        let set = crate::RuleSet::builtin().unwrap();
        let mut sources: Vec<&str> = set
            .rules()
            .iter()
            .flat_map(|r| r.all_patterns())
            .map(crate::rules::Pattern::as_str)
            .collect();
        sources.sort_unstable();
        sources.dedup();
        let texts = texts(&set);
        assert!(texts.len() > 300, "{} texts", texts.len());
        let (mut viewed_patterns, mut found) = (0, 0);
        for &source in &sources {
            let Some(view) = compile_ascii_view(source).unwrap() else {
                continue;
            };
            viewed_patterns += 1;
            let full = compile_pattern(source, Engines::Cheap).unwrap();
            for (text, viewed) in &texts {
                let spans: Vec<Span> = full.find_spans(text);
                assert_eq!(spans, view.find_spans(viewed), "{source} on {text:?}");
                assert_eq!(!spans.is_empty(), view.is_match(viewed), "{source}");
                found += spans.len();
            }
        }
        // Each built-in pattern has a view: none matches the empty string.
        assert_eq!(viewed_patterns, sources.len());
        assert!(found > 500, "only {found} matches");
    }

    #[test]
    fn a_placeholder_is_as_long_in_the_view_as_in_utf8() {
        let (first, last) = placeholder_range();
        for c in [first, last] {
            let mask = placeholder_mask(c).unwrap();
            assert_eq!(placeholder_bytes(mask).len(), c.len_utf8());
            assert!(std::str::from_utf8(&placeholder_bytes(mask)).is_ok());
        }
    }

    #[test]
    fn only_ascii_without_the_edge_or_code_is_viewable() {
        assert!(viewable("Nurses in Leeds, 5% more; \"quoted\" (x)\t\r\n"));
        for text in ["snake_case", "curly ’", "\u{1}", "é", "\u{12001}"] {
            assert!(!viewable(text), "{text:?}");
        }
    }
}
