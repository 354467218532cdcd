//! Plain text (`.txt`, stdin): the whole content is the statement.
//!
//! Paragraphs are separated by blank lines; a line break inside a paragraph
//! is folded to a space, so a hard-wrapped statement reads as one sentence.

use crate::prose::{BlockKind, Prose};
use crate::span::Span;

/// Extracts the prose of a plain-text statement.
pub fn extract(text: &str) -> Prose {
    let mut prose = Prose::new();
    for (line_start, raw_line) in lines(text) {
        let line = raw_line;
        // A UTF-8 byte order mark is not part of the statement.
        let (line, bom) = match line.strip_prefix('\u{feff}') {
            Some(rest) => (rest, '\u{feff}'.len_utf8()),
            None => (line, 0),
        };
        let content = line.trim();
        if crate::suppress::is_text_directive(content) {
            continue; // a suppression comment, not part of the statement
        }
        if content.is_empty() {
            prose.end_block();
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let start = line_start + bom + lead;
        if prose.in_block() {
            prose.push_space(Span::new(start, start));
        } else {
            prose.start_block(BlockKind::Paragraph);
        }
        prose.push(content, Span::new(start, start + content.len()));
    }
    prose.finish()
}

/// Each line with its start offset, without its ending; a line ends at
/// `\n`, `\r\n` or a lone `\r`.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let at = start;
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |i| at + i);
        start = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        Some((at, &text[at..end]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fold_and_blank_lines_split() {
        let text = "Connecting maths\r\nteachers.\r\n\r\nSecond para.\n";
        let p = extract(text);
        assert_eq!(p.text(), "Connecting maths teachers.\n\nSecond para.");
        assert_eq!(p.blocks().len(), 2);
        let t = p.text().find("teachers").unwrap();
        let orig = p.to_original(Span::new(t, t + 8));
        assert_eq!(&text[orig.range()], "teachers");
    }

    #[test]
    fn bom_and_indentation_are_not_prose() {
        let text = "\u{feff}  Hello there.";
        let p = extract(text);
        assert_eq!(p.text(), "Hello there.");
        let orig = p.to_original(Span::new(0, 5));
        assert_eq!(&text[orig.range()], "Hello");
    }

    #[test]
    fn whitespace_only_gives_no_blocks() {
        assert!(extract(" \n\t\n").blocks().is_empty());
    }
}
