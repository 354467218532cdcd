//! The characters a run's texts are made of, and patterns compiled for
//! texts made of them only.
//!
//! Compiling patterns is most of a run over a few documents, and most of
//! that is the size of Unicode classes: `\w` is 322 NFA states and 86 µs to
//! compile, `[\w’'.-]` another 119 µs to case-fold. A document in ASCII,
//! with a handful of other characters (a curly quote, a dash, an é), only
//! ever shows its patterns those characters, lexicon placeholders and the
//! not-after mark. Cut down to that alphabet, every class is a few states,
//! and in texts made of the alphabet a pattern finds exactly what it finds
//! compiled in full.
//!
//! Under the fast engines, a document in ASCII and common punctuation is
//! searched in its ASCII view instead (see [`super::ascii_view`]), where the
//! lazy DFA need not give up at a placeholder; the alphabets serve the rest.

use std::sync::{Arc, OnceLock};

use regex_syntax::ast::{
    Ast, ClassBracketed, ClassPerl, ClassPerlKind, ClassSet, ClassSetBinaryOp,
    ClassSetBinaryOpKind, ClassSetItem, ClassSetRange, ClassSetUnion, Literal, LiteralKind,
    Span as AstSpan,
};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

use super::NOT_AFTER_MARK;
use super::lexicon::placeholder_range;

/// The most characters beyond ASCII an alphabet takes. A text with more
/// (a charter in Greek, say) is matched by patterns compiled in full: each
/// further character widens every class it is cut to.
///
/// Measured on the real charters, and worse than compiling in full: a
/// fixed alphabet of whole blocks (Latin-1's and General Punctuation's
/// signs made ASCII charters 5-10% dearer, every cut class growing
/// multi-byte branches; with the Latin letters, every charter was dearer
/// than in full, the alphabet being case-folded at every class).
pub(crate) const MAX_EXTRA_CHARACTERS: usize = 16;

/// ASCII, the lexicon placeholders, the not-after mark, and the other
/// characters of one text.
#[derive(Debug)]
pub(crate) struct Alphabet {
    /// The characters beyond ASCII, placeholders and the mark, sorted.
    extra: Vec<char>,
    /// `\w`, `\s` and `\d` within the alphabet, worked out on first use.
    perl: OnceLock<[Vec<(char, char)>; 3]>,
    /// The whole alphabet as a class, worked out on first use.
    class: OnceLock<ClassUnicode>,
    /// See [`Alphabet::cut_classes`].
    cut_table: OnceLock<Vec<Hir>>,
}

/// The alphabets the built-in patterns' automata are compiled for ahead
/// of time (see [`super::nfa_code`]), smallest first: the one of every
/// ASCII text, and ASCII with the common punctuation of English charters
/// (curly quotes, dashes, the bullet: the punctuation of the ASCII view,
/// see [`super::ascii_view::PUNCTUATION`]). Of 13 real charters, 6 are in
/// the first and 5 more in the second.
pub(crate) fn cached() -> &'static [Arc<Alphabet>; 2] {
    static CACHED: OnceLock<[Arc<Alphabet>; 2]> = OnceLock::new();
    CACHED.get_or_init(|| {
        let punctuation: String = super::ascii_view::PUNCTUATION.iter().collect();
        [&String::new(), &punctuation]
            .map(|text| Arc::new(Alphabet::of(text).expect("few characters")))
    })
}

impl Alphabet {
    /// The alphabet of `text`, or `None` when it has more than
    /// [`MAX_EXTRA_CHARACTERS`] characters beyond the usual ones.
    pub(crate) fn of(text: &str) -> Option<Alphabet> {
        let mut extra = Vec::new();
        if !text.is_ascii() {
            let (first, last) = placeholder_range();
            for c in text.chars() {
                if c.is_ascii() || c == NOT_AFTER_MARK || (first..=last).contains(&c) {
                    continue;
                }
                if let Err(at) = extra.binary_search(&c) {
                    if extra.len() == MAX_EXTRA_CHARACTERS {
                        return None;
                    }
                    extra.insert(at, c);
                }
            }
        }
        Some(Alphabet {
            extra,
            perl: OnceLock::new(),
            class: OnceLock::new(),
            cut_table: OnceLock::new(),
        })
    }

    /// Whether every character of `other` is in this alphabet: then a
    /// pattern compiled for this one serves texts of that one.
    pub(crate) fn covers(&self, other: &Alphabet) -> bool {
        other
            .extra
            .iter()
            .all(|c| self.extra.binary_search(c).is_ok())
    }

    /// Every range of the alphabet.
    fn ranges(&self) -> Vec<(char, char)> {
        let (first, last) = placeholder_range();
        let mut ranges = vec![
            ('\0', '\x7F'),
            (NOT_AFTER_MARK, NOT_AFTER_MARK),
            (first, last),
        ];
        ranges.extend(self.extra.iter().map(|&c| (c, c)));
        ranges
    }

    /// The alphabet as a class.
    fn class(&self) -> &ClassUnicode {
        self.class.get_or_init(|| {
            ClassUnicode::new(
                self.ranges()
                    .into_iter()
                    .map(|(start, end)| ClassUnicodeRange::new(start, end)),
            )
        })
    }

    /// `\w`, `\s` and `\d` within the alphabet, as ranges: Unicode's own
    /// classes intersected with it, so exact by construction.
    fn perl_classes(&self) -> &[Vec<(char, char)>; 3] {
        self.perl.get_or_init(|| {
            let alphabet = self.class();
            [r"\w", r"\s", r"\d"].map(|perl| {
                let hir = regex_syntax::parse(perl).expect("Perl classes parse");
                let HirKind::Class(Class::Unicode(class)) = hir.kind() else {
                    unreachable!("a Perl class translates to a Unicode class")
                };
                let mut class = class.clone();
                class.intersect(alphabet);
                class.iter().map(|r| (r.start(), r.end())).collect()
            })
        })
    }

    /// Rewrites `ast` so that every class is cut down to the alphabet: the
    /// same matches in a text made only of its characters, since a class
    /// there matches a character exactly when the cut class does, and
    /// literals and look-arounds are untouched (`\b` still asks Unicode
    /// about the text's characters).
    ///
    /// `\w`, `\s` and `\d` become the alphabet's word characters (the
    /// placeholders among them: they are letters), white space and digits;
    /// every other class is intersected with the alphabet (`[A&&[^,]]`),
    /// after its own case folding, which is cheap for small classes.
    pub(crate) fn cut(&self, ast: &mut Ast) {
        match ast {
            Ast::ClassPerl(perl) => {
                let class = self.perl_class(perl);
                *ast = Ast::class_bracketed(class);
            }
            Ast::ClassUnicode(unicode) => {
                let span = unicode.span;
                let class = ClassBracketed {
                    span,
                    negated: false,
                    kind: ClassSet::Item(ClassSetItem::Unicode((**unicode).clone())),
                };
                *ast = Ast::class_bracketed(self.intersect(class));
            }
            Ast::ClassBracketed(class) => {
                self.cut_items(&mut class.kind);
                if !could_be_large(class) {
                    return;
                }
                let span = class.span;
                let empty = ClassBracketed {
                    span,
                    negated: false,
                    kind: ClassSet::Item(ClassSetItem::Empty(span)),
                };
                let original = std::mem::replace(&mut **class, empty);
                **class = self.intersect(original);
            }
            Ast::Repetition(rep) => self.cut(&mut rep.ast),
            Ast::Group(group) => self.cut(&mut group.ast),
            Ast::Alternation(alt) => alt.asts.iter_mut().for_each(|a| self.cut(a)),
            Ast::Concat(concat) => concat.asts.iter_mut().for_each(|a| self.cut(a)),
            Ast::Empty(_) | Ast::Flags(_) | Ast::Literal(_) | Ast::Dot(_) | Ast::Assertion(_) => {}
        }
    }

    /// The classes of the built-in patterns' cached translations (see
    /// [`super::hir_code`]), each cut down to the alphabet as
    /// [`Alphabet::cut`] cuts a class before translating: a translation
    /// read over these is the pattern cut to the alphabet. Worked out on
    /// the first call, for the one table there is.
    ///
    /// Classes within ASCII, all of which is in the alphabet, are as they
    /// were; a case-folded letter keeps its non-ASCII fold (`k` and the
    /// Kelvin sign) only if the alphabet has it.
    pub(crate) fn cut_classes(&self, classes: &[Hir]) -> &[Hir] {
        self.cut_table.get_or_init(|| {
            classes
                .iter()
                .map(|hir| match hir.kind() {
                    HirKind::Class(Class::Unicode(class))
                        if !class.iter().last().is_some_and(|r| r.end().is_ascii()) =>
                    {
                        let mut class = class.clone();
                        class.intersect(self.class());
                        Hir::class(Class::Unicode(class))
                    }
                    _ => hir.clone(),
                })
                .collect()
        })
    }

    /// `[A&&class]`, where `A` is the alphabet.
    fn intersect(&self, class: ClassBracketed) -> ClassBracketed {
        let span = class.span;
        ClassBracketed {
            span,
            negated: false,
            kind: ClassSet::BinaryOp(ClassSetBinaryOp {
                span,
                kind: ClassSetBinaryOpKind::Intersection,
                lhs: Box::new(ranges_set(span, &self.ranges())),
                rhs: Box::new(ClassSet::Item(ClassSetItem::Bracketed(Box::new(class)))),
            }),
        }
    }

    /// Replaces the Perl classes inside a bracketed class.
    fn cut_items(&self, set: &mut ClassSet) {
        match set {
            ClassSet::Item(item) => self.cut_item(item),
            ClassSet::BinaryOp(op) => {
                self.cut_items(&mut op.lhs);
                self.cut_items(&mut op.rhs);
            }
        }
    }

    fn cut_item(&self, item: &mut ClassSetItem) {
        match item {
            ClassSetItem::Perl(perl) => {
                let class = self.perl_class(perl);
                *item = ClassSetItem::Bracketed(Box::new(class));
            }
            ClassSetItem::Bracketed(inner) => self.cut_items(&mut inner.kind),
            ClassSetItem::Union(union) => union.items.iter_mut().for_each(|i| self.cut_item(i)),
            _ => {}
        }
    }

    /// `\w`, `\s` or `\d` (or their negations) within the alphabet.
    fn perl_class(&self, perl: &ClassPerl) -> ClassBracketed {
        let [word, space, digit] = self.perl_classes();
        let ranges = match perl.kind {
            ClassPerlKind::Digit => digit,
            ClassPerlKind::Space => space,
            ClassPerlKind::Word => word,
        };
        ClassBracketed {
            span: perl.span,
            negated: perl.negated,
            kind: ranges_set(perl.span, ranges),
        }
    }
}

/// Whether a bracketed class, its Perl classes cut, may hold characters
/// far beyond the alphabet: negated, with a Unicode class, a set
/// operation or a wide range in it. A small one (`[0-9]`, `[$£€]`, a
/// placeholder class) is left as it is: intersecting it with the alphabet
/// would cost more, folding the alphabet's case, than it saves.
fn could_be_large(class: &ClassBracketed) -> bool {
    fn set(set: &ClassSet) -> bool {
        match set {
            ClassSet::Item(item) => item_could_be_large(item),
            ClassSet::BinaryOp(_) => true,
        }
    }
    fn item_could_be_large(item: &ClassSetItem) -> bool {
        match item {
            ClassSetItem::Unicode(_) => true,
            ClassSetItem::Range(range) => u32::from(range.end.c) - u32::from(range.start.c) > 255,
            ClassSetItem::Bracketed(inner) => could_be_large(inner),
            ClassSetItem::Union(union) => union.items.iter().any(item_could_be_large),
            ClassSetItem::Empty(_)
            | ClassSetItem::Literal(_)
            | ClassSetItem::Ascii(_)
            | ClassSetItem::Perl(_) => false,
        }
    }
    class.negated || set(&class.kind)
}

/// A class of `ranges`, as the parser would have read it.
fn ranges_set(span: AstSpan, ranges: &[(char, char)]) -> ClassSet {
    let literal = |c| Literal {
        span,
        kind: LiteralKind::Verbatim,
        c,
    };
    ClassSet::Item(ClassSetItem::Union(ClassSetUnion {
        span,
        items: ranges
            .iter()
            .map(|&(start, end)| {
                ClassSetItem::Range(ClassSetRange {
                    span,
                    start: literal(start),
                    end: literal(end),
                })
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alphabet_is_ascii_placeholders_the_mark_and_a_few_more() {
        let ascii = Alphabet::of("the \u{E000}\u{12001} and \u{120FF}").unwrap();
        assert!(ascii.extra.is_empty());
        let quoted = Alphabet::of("nurses’ “pay” — café").unwrap();
        assert_eq!(quoted.extra, ['é', '—', '’', '“', '”']);
        assert!(quoted.covers(&ascii) && quoted.covers(&quoted));
        assert!(!ascii.covers(&quoted));
        let greek = "αβγδεζηθικλμνξοπρστυφχψω";
        assert!(Alphabet::of(&greek[..2 * MAX_EXTRA_CHARACTERS]).is_some());
        assert!(Alphabet::of(greek).is_none());
    }
}
