//! Byte spans into a source text, and the conversion from byte offsets to the
//! 1-based line and character column that users see.
//!
//! Spans are `start..end`, end-exclusive, in bytes: `regex` and
//! `unicode-segmentation` both report bytes, so nothing is converted until a
//! finding is printed.

use std::ops::Range;

/// A half-open byte range `start..end` into some text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; an inverted pair is clamped to empty so a
    /// bad computation can never panic later when slicing.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// The span's length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The span as a range, for slicing.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The same span moved `by` bytes to the right.
    pub fn shift(&self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// Whether `other` lies wholly inside this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A position as users count it: 1-based line, 1-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values (characters).
    pub column: usize,
}

/// Maps byte offsets of one text to lines and columns.
///
/// A line ends at `\n`, at `\r\n`, or at a lone `\r` (old Mac files), so
/// positions stay right whatever the file's line endings.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    starts: Vec<usize>,
    len: usize,
    /// `(byte offset, characters since its line start)` about every
    /// [`CHECKPOINT`] bytes, so a column in a very long line costs at most
    /// that much counting.
    checkpoints: Vec<(usize, usize)>,
}

/// Distance between column checkpoints, in bytes.
const CHECKPOINT: usize = 1024;

/// Whether `b` continues a UTF-8 character rather than starting one.
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// How many characters start in `bytes`.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| !is_continuation(b)).count()
}

impl LineIndex {
    /// Indexes the line starts of `text`. Built for every document, so
    /// line ends are found with `memchr` rather than byte by byte, and
    /// characters are counted only in lines long enough for checkpoints.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // In "\r\n" the "\n" ends the line.
            if !(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n')) {
                starts.push(at + 1);
            }
        }
        let mut checkpoints = Vec::new();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(bytes.len());
            let (mut at, mut chars) = (start, 0);
            while end - at > CHECKPOINT {
                let mut next = at + CHECKPOINT;
                while next < end && is_continuation(bytes[next]) {
                    next += 1;
                }
                if next >= end {
                    break;
                }
                chars += count_chars(&bytes[at..next]);
                checkpoints.push((next, chars));
                at = next;
            }
        }
        LineIndex {
            starts,
            len: text.len(),
            checkpoints,
        }
    }

    /// The 0-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The 1-based line and character column of byte `offset` in `text`,
    /// which must be the text this index was built from. An offset inside a
    /// multi-byte character counts as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let line_start = self.starts[line];
        // Count from the last checkpoint in this line at or before `offset`.
        let k = self.checkpoints.partition_point(|&(at, _)| at <= offset);
        let (start, before) = match k.checked_sub(1).map(|i| self.checkpoints[i]) {
            Some((at, chars)) if at >= line_start => (at, chars),
            _ => (line_start, 0),
        };
        // Characters starting before `offset`: one inside a character
        // counts that character.
        let column = before + count_chars(&text.as_bytes()[start..offset]) + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// The byte span of 0-based `line`, without its line ending.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.starts.get(line).copied().unwrap_or(self.len);
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        Span::new(start, end)
    }

    /// How many lines the text has.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "héllo wörld\nsecond";
        let idx = LineIndex::new(text);
        let w = text.find('w').unwrap();
        assert_eq!(idx.position(text, w), Position { line: 1, column: 7 });
        let s = text.find("second").unwrap();
        assert_eq!(idx.position(text, s), Position { line: 2, column: 1 });
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a\r\nb\rc\nd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.position(text, text.find('c').unwrap()).line, 3);
        assert_eq!(idx.position(text, text.find('d').unwrap()).line, 4);
        assert_eq!(idx.line_span(text, 0), Span::new(0, 1));
    }

    #[test]
    fn columns_in_long_lines_use_checkpoints_correctly() {
        let text = format!("x\n{}é{}end", "a".repeat(5000), "b".repeat(3000));
        let idx = LineIndex::new(&text);
        let at = text.find("end").unwrap();
        assert_eq!(
            idx.position(&text, at),
            Position {
                line: 2,
                column: 8002
            }
        );
        let e = text.find('é').unwrap();
        assert_eq!(
            idx.position(&text, e + 'é'.len_utf8()),
            Position {
                line: 2,
                column: 5002
            }
        );
    }

    /// The position of every offset of `text` (and one past its end), the
    /// plain way: walking the characters.
    fn walked(text: &str) -> Vec<Position> {
        let (mut line, mut column) = (1, 1);
        let mut out = Vec::with_capacity(text.len() + 1);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            // An offset inside a character counts it: only its first byte
            // has the position before it.
            out.push(Position { line, column });
            let crlf = c == '\r' && chars.peek() == Some(&'\n');
            if (c == '\n' || c == '\r') && !crlf {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
            out.extend(std::iter::repeat_n(
                Position { line, column },
                c.len_utf8() - 1,
            ));
        }
        out.push(Position { line, column });
        out
    }

    proptest::proptest! {
        #[test]
        fn positions_are_those_of_a_walk(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "é", "😀", "\n", "\r", "\r\n", " ", "long"]),
                0..60,
            )
        ) {
            let text: String = pieces
                .iter()
                .map(|&p| if p == "long" { "xé".repeat(400) } else { p.to_string() })
                .collect();
            let idx = LineIndex::new(&text);
            let walked = walked(&text);
            for offset in 0..=text.len() + 1 {
                proptest::prop_assert_eq!(
                    idx.position(&text, offset),
                    walked[offset.min(text.len())],
                    "offset {}", offset
                );
            }
        }
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let text = "ab";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 99), Position { line: 1, column: 3 });
    }
}
