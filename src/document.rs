//! A linted document: the source file, the purpose prose taken from it, and
//! that prose cut into sentences, clauses and words with exact spans.

use unicode_segmentation::UnicodeSegmentation;

use crate::clause::{self, Link};
use crate::markdown::{self, PurposeHeadings};
use crate::plaintext;
use crate::prose::{BlockKind, Prose};
use crate::span::{LineIndex, Position, Span};

/// How a source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// The whole content is the statement.
    Text,
    /// A charter: the purpose section(s) are the statement.
    Markdown,
}

impl SourceKind {
    /// The kind a file name implies: Markdown for `.md`, `.markdown`,
    /// `.mdown`, `.mkd`; text otherwise.
    pub fn from_path(path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        if [".md", ".markdown", ".mdown", ".mkd"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            SourceKind::Markdown
        } else {
            SourceKind::Text
        }
    }
}

/// A sentence of the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Span in the prose text.
    pub span: Span,
    /// Indexes into [`Document::clauses`].
    pub clauses: std::ops::Range<usize>,
    /// Indexes into [`Document::words`].
    pub words: std::ops::Range<usize>,
}

/// A clause of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Span in the prose text.
    pub span: Span,
    /// How it is joined to the text before it.
    pub link: Link,
    /// Index into [`Document::sentences`].
    pub sentence: usize,
}

/// One document, parsed and segmented; the engine reads only this.
#[derive(Debug, Clone)]
pub struct Document {
    path: String,
    source: String,
    kind: SourceKind,
    prose: Prose,
    found_section: bool,
    words: Vec<Span>,
    sentences: Vec<Sentence>,
    clauses: Vec<Clause>,
    lines: LineIndex,
}

impl Document {
    /// Parses `source` (named `path` in output) as `kind`.
    pub fn parse(path: &str, source: String, kind: SourceKind, headings: &PurposeHeadings) -> Self {
        let (prose, found_section) = match kind {
            SourceKind::Text => (plaintext::extract(&source), true),
            SourceKind::Markdown => match crate::frontmatter::purpose(&source) {
                Some(prose) => (prose, true),
                None => {
                    let e = markdown::extract(&source, headings);
                    (e.prose, e.found_section)
                }
            },
        };
        let lines = LineIndex::new(&source);
        let mut doc = Document {
            path: path.to_string(),
            source,
            kind,
            prose,
            found_section,
            words: Vec::new(),
            sentences: Vec::new(),
            clauses: Vec::new(),
            lines,
        };
        doc.segment();
        doc
    }

    fn segment(&mut self) {
        let text = self.prose.text();
        for block in self.prose.blocks() {
            let mut first_in_block = true;
            let block_text = &text[block.span.range()];
            for (at, raw) in block_text.split_sentence_bound_indices() {
                let trimmed = raw.trim_end();
                let lead = trimmed.len() - trimmed.trim_start().len();
                let span = Span::new(
                    block.span.start + at + lead,
                    block.span.start + at + trimmed.len(),
                );
                if span.is_empty() {
                    continue;
                }
                let first = if first_in_block && block.kind == BlockKind::ListItem {
                    Link::ListItem
                } else {
                    Link::Start
                };
                first_in_block = false;
                let sentence_no = self.sentences.len();
                let clause_start = self.clauses.len();
                for c in clause::split(text, span, first) {
                    self.clauses.push(Clause {
                        span: c.span,
                        link: c.link,
                        sentence: sentence_no,
                    });
                }
                let word_start = self.words.len();
                self.words.extend(
                    text[span.range()]
                        .unicode_word_indices()
                        .map(|(i, w)| Span::new(span.start + i, span.start + i + w.len())),
                );
                if self.clauses.len() == clause_start && self.words.len() == word_start {
                    continue; // punctuation or symbols only: not a sentence
                }
                self.sentences.push(Sentence {
                    span,
                    clauses: clause_start..self.clauses.len(),
                    words: word_start..self.words.len(),
                });
            }
        }
    }

    /// The name shown in output.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The original file content.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// How the source was read.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// The purpose prose the rules read.
    pub fn text(&self) -> &str {
        self.prose.text()
    }

    /// Whether a purpose section was found (always true for plain text).
    pub fn found_section(&self) -> bool {
        self.found_section
    }

    /// The sentences, in order.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// The clauses, in order; they never overlap.
    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// The words, in order.
    pub fn words(&self) -> &[Span] {
        &self.words
    }

    /// The text of a prose span.
    pub fn slice(&self, span: Span) -> &str {
        &self.prose.text()[span.range()]
    }

    /// Maps a prose span to the original file.
    pub fn to_original(&self, span: Span) -> Span {
        self.prose.to_original(span)
    }

    /// The 1-based position of an original byte offset.
    pub fn position(&self, original_offset: usize) -> Position {
        self.lines.position(&self.source, original_offset)
    }

    /// The line index of the original source.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The statement's span in the original file (first to last prose byte).
    pub fn statement_span(&self) -> Span {
        match (self.sentences.first(), self.sentences.last()) {
            (Some(a), Some(b)) => self.to_original(Span::new(a.span.start, b.span.end)),
            _ => Span::new(0, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, kind: SourceKind) -> Document {
        Document::parse("t", text.to_string(), kind, &PurposeHeadings::default())
    }

    #[test]
    fn sentences_clauses_and_words() {
        let d = doc(
            "Connecting maths teachers who teach in schools. Members share plans.",
            SourceKind::Text,
        );
        assert_eq!(d.sentences().len(), 2);
        assert_eq!(d.clauses().len(), 3);
        assert_eq!(d.slice(d.clauses()[1].span), "who teach in schools");
        assert_eq!(d.words().len(), 10);
    }

    #[test]
    fn positions_in_a_markdown_charter_point_into_the_file() {
        let md = "# Net\r\n\r\n## Purpose\r\n\r\nWe help **nurses** in Leeds.\r\n";
        let d = doc(md, SourceKind::Markdown);
        let at = d.text().find("nurses").unwrap();
        let orig = d.to_original(Span::new(at, at + 6));
        assert_eq!(&md[orig.range()], "nurses");
        assert_eq!(
            d.position(orig.start),
            Position {
                line: 5,
                column: 11
            }
        );
    }

    #[test]
    fn kind_from_path() {
        assert_eq!(SourceKind::from_path("CHARTER.MD"), SourceKind::Markdown);
        assert_eq!(SourceKind::from_path("a.txt"), SourceKind::Text);
    }
}
