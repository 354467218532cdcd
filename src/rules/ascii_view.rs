//! An all-ASCII view of a document's texts and patterns, so that regex's
//! lazy DFA can search them to the end.
//!
//! Patterns use Unicode `\b`, and the lazy DFA handles a Unicode word
//! boundary only in ASCII text: at the first byte beyond ASCII it gives up
//! and the search starts again in the bounded backtracker. Every text with a
//! lexicon occurrence holds a placeholder letter (beyond ASCII), so in a
//! run over many documents that was a sixth of all instructions.
//!
//! A document in ASCII and the common punctuation of [`PUNCTUATION`] (curly
//! quotes, dashes, `€`, a no-break space), without `_` or the control
//! characters the view uses (nearly every charter written in English), is
//! viewed instead in ASCII: each placeholder is four bytes, `_`, two code
//! characters naming its bit set, `_`; each punctuation character is
//! [`LEAD`], its code character, and `LEAD` again to its length. Each
//! character is as long in the view as in UTF-8, so offsets are unchanged.
//! Each pattern is rewritten to match that view ([`view`]):
//!
//! - a class keeps its ASCII characters other than `_`, `LEAD` and the
//!   code characters, and each placeholder or punctuation character it
//!   holds becomes its bytes in the view;
//! - so do placeholders and punctuation in literals; a literal the view
//!   cannot hold (`_`, a control it uses, any other character beyond
//!   ASCII) can never match;
//! - Unicode word boundaries become ASCII ones.
//!
//! Why matches are the same: the view's texts hold `_`, `LEAD` and code
//! characters only inside the characters written with them, and the
//! rewritten pattern consumes those only whole (each starts with `_` or
//! `LEAD`, and no code character starts one), so a match starts and ends
//! where characters of the original start, and consumes what the original
//! match consumes. Where a boundary is tested, each side is an ASCII
//! character (the same in both), a placeholder (a letter in Unicode, with
//! `_`, a word character in ASCII, at its edges) or punctuation (no word
//! character in either). Patterns that can match the empty string are not
//! viewed: they could match inside a written character.

use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

use super::NOT_AFTER_MARK;
use super::lexicon::{placeholder_mask, placeholder_range};

/// Characters that spell a placeholder's bit set, four bits each: control
/// characters that are not white space.
pub(crate) const CODE: [u8; 16] = [
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
];

/// What opens and closes a placeholder in the view: an ASCII word
/// character, as the placeholder letter is a Unicode one.
const EDGE: u8 = b'_';

/// The characters beyond ASCII a viewable text may hold: punctuation,
/// symbols and spaces that English charters use, none of them a word
/// character (`\w`).
pub(crate) const PUNCTUATION: &[char] = WRITTEN.split_at(15).0;

/// The characters beyond ASCII written in the view as [`LEAD`], their code
/// character, then `LEAD` again to their length in UTF-8: the punctuation,
/// and the not-after mark that starts a match in a rule's not-after
/// context (see [`NOT_AFTER_MARK`]), which a document may not hold.
const WRITTEN: [char; 16] = [
    '\u{2019}',
    '\u{2018}',
    '\u{201C}',
    '\u{201D}',
    '\u{2014}',
    '\u{2013}',
    '\u{2026}',
    '\u{2022}',
    '\u{B7}',
    '\u{AB}',
    '\u{BB}',
    '\u{20AC}',
    '\u{A3}',
    '\u{A0}',
    '\u{A7}',
    NOT_AFTER_MARK,
];

/// Where `c` is in [`WRITTEN`].
fn written(c: char) -> Option<usize> {
    WRITTEN.iter().position(|&w| w == c)
}

/// What opens a punctuation character in the view: a control character
/// that is neither a code nor white space, and not a word character.
const LEAD: u8 = 0x16;

/// Whether ASCII byte `b` can stand for itself in the view: looked up,
/// as every byte of every document is asked (searching `CODE` for each
/// was 1% of a many-document run).
fn plain(b: u8) -> bool {
    PLAIN[usize::from(b)]
}

/// [`plain`], by byte.
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = b as u8 != EDGE && b as u8 != LEAD;
        b += 1;
    }
    let mut i = 0;
    while i < CODE.len() {
        table[CODE[i] as usize] = false;
        i += 1;
    }
    table
};

/// Whether `text` can be viewed: ASCII other than `_`, [`LEAD`] and the
/// code characters, and [`PUNCTUATION`].
pub(crate) fn viewable(text: &str) -> bool {
    if text.is_ascii() {
        return text.bytes().all(plain);
    }
    text.chars().all(|c| {
        if c.is_ascii() {
            plain(c as u8)
        } else {
            PUNCTUATION.contains(&c)
        }
    })
}

/// The view of a viewable `text`, or of a not-after context built from
/// one, as long in bytes, character for character.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // ASCII stands for itself: no search of `WRITTEN` for it.
        match (!c.is_ascii()).then(|| written(c)).flatten() {
            Some(i) => out.extend(
                punctuation_bytes(i)[..c.len_utf8()]
                    .iter()
                    .map(|&b| char::from(b)),
            ),
            None => out.push(c),
        }
    }
    out
}

/// The view's bytes for `WRITTEN[i]`: as many of them as it has in UTF-8.
fn punctuation_bytes(i: usize) -> [u8; 4] {
    [LEAD, CODE[i], LEAD, LEAD]
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
        } else if let Some(i) = written(c) {
            out.extend(&punctuation_bytes(i)[..c.len_utf8()]);
        } else if c.is_ascii() && plain(c as u8) {
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
    for (i, &c) in WRITTEN.iter().enumerate() {
        if class
            .ranges()
            .iter()
            .any(|r| (r.start()..=r.end()).contains(&c))
        {
            branches.push(Hir::literal(&punctuation_bytes(i)[..c.len_utf8()]));
        }
    }
    // An alternation of nothing never matches.
    Hir::alternation(branches)
}

/// The ASCII characters a viewable text may hold.
fn viewable_ascii() -> ClassUnicode {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]);
    let mut taken = ClassUnicode::new(
        CODE.iter()
            .chain([&EDGE, &LEAD])
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

    #[test]
    fn plain_bytes_are_ascii_other_than_the_edge_lead_and_codes() {
        for b in 0..=255u8 {
            let expected = b.is_ascii() && b != EDGE && b != LEAD && !CODE.contains(&b);
            assert_eq!(plain(b), expected, "{b:#04x}");
        }
    }

    /// A text as patterns see it, and its ASCII view.
    fn with_view(text: &str) -> (String, String) {
        let mut viewed = String::new();
        for c in text.chars() {
            match placeholder_mask(c) {
                Some(mask) => viewed.extend(placeholder_bytes(mask).map(char::from)),
                None => viewed.push(c),
            }
        }
        (text.to_string(), encode(&viewed))
    }

    /// Viewable texts from every built-in rule example: as written, in
    /// capitals, with curly quotes, dashes and other punctuation of
    /// [`PUNCTUATION`], with words replaced by placeholders of every bit
    /// set (one, some, all eight lists; two in a row; at the ends), and as
    /// not-after contexts.
    fn texts(set: &crate::RuleSet) -> Vec<(String, String)> {
        let (first, last) = placeholder_range();
        let mut texts = Vec::new();
        for rule in set.rules() {
            for text in rule.examples.hit.iter().chain(&rule.examples.miss) {
                let words: Vec<&str> = text.split(' ').collect();
                let placeholder =
                    char::from_u32(u32::from(first) + text.len() as u32 % 200).unwrap();
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
                let punctuated: String = text
                    .chars()
                    .enumerate()
                    .map(|(i, c)| match c {
                        '\'' => ['\u{2019}', '\u{2018}'][i % 2],
                        '"' => ['\u{201C}', '\u{201D}'][i % 2],
                        '-' => ['\u{2014}', '\u{2013}'][i % 2],
                        '$' => '\u{20AC}',
                        ' ' if i % 7 == 0 => PUNCTUATION[i % PUNCTUATION.len()],
                        c => c,
                    })
                    .collect();
                let both = punctuated.replacen(' ', &placeholder.to_string(), 1);
                let middle = text.floor_char_boundary(text.len() / 2);
                let context = format!("{}{NOT_AFTER_MARK}{}", &text[..middle], &text[middle..]);
                for variant in [
                    text.clone(),
                    text.to_uppercase(),
                    symbolized.join(" "),
                    punctuated,
                    both,
                    context,
                ] {
                    let unplaced: String = variant
                        .chars()
                        .filter(|&c| placeholder_mask(c).is_none() && c != NOT_AFTER_MARK)
                        .collect();
                    if !viewable(&unplaced) {
                        continue;
                    }
                    texts.push(with_view(&variant));
                }
            }
        }
        texts
    }

    #[test]
    fn viewed_patterns_find_in_the_view_what_patterns_find_in_the_text() {
        let set = crate::RuleSet::builtin().unwrap();
        let sources = set.distinct_sources();
        let texts = texts(&set);
        assert!(texts.len() > 300, "{} texts", texts.len());
        let punctuated = texts
            .iter()
            .filter(|(t, _)| t.chars().any(|c| PUNCTUATION.contains(&c)))
            .count();
        assert!(punctuated > 100, "{punctuated} texts with punctuation");
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
    fn ascii_and_common_punctuation_without_the_view_s_own_are_viewable() {
        assert!(viewable("Nurses in Leeds, 5% more; \"quoted\" (x)\t\r\n"));
        assert!(viewable("it’s — “fine” – €5\u{A0}£3 … • · « » §"));
        for text in [
            "snake_case",
            "\u{16}",
            "\u{1}",
            "é",
            "\u{12001}",
            "🙂",
            "\u{E000}",
        ] {
            assert!(!viewable(text), "{text:?}");
        }
    }

    #[test]
    fn punctuation_is_no_word_character_and_keeps_its_length_in_the_view() {
        let word = regex::Regex::new(r"\w").unwrap();
        for (i, &c) in WRITTEN.iter().enumerate() {
            assert!(!word.is_match(c.encode_utf8(&mut [0; 4])), "{c:?}");
            assert!(WRITTEN[..i].iter().all(|&p| p != c), "{c:?} twice");
            let text = format!("a{c}b");
            let viewed = encode(&text);
            assert_eq!(viewed.len(), text.len(), "{c:?}");
            assert!(viewed.is_ascii());
        }
    }
}
