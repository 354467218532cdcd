//! The statement's prose: the text the rules read, with markup removed, and a
//! map from every byte of it back to the byte it came from in the original file.
//!
//! Rules match against clean prose (no `**`, no link targets, line breaks
//! inside a paragraph folded to spaces), but a finding must point at the right
//! line and column of the file the user opened. Each piece of prose remembers
//! the original range it was copied from; pieces whose length changed (an
//! entity such as `&amp;`, a folded line break) map to the whole original range.

use crate::span::Span;

/// What kind of block a run of prose came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph, or the whole of a plain-text statement.
    Paragraph,
    /// One item of a bulleted or numbered list: it is its own clause.
    ListItem,
}

/// One block of prose (a paragraph or list item), as a span of [`Prose::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Where the block lies in the prose text.
    pub span: Span,
    /// Where it came from.
    pub kind: BlockKind,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    prose: Span,
    original: Span,
}

/// Prose text with its map back to the original file.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    text: String,
    pieces: Vec<Piece>,
    blocks: Vec<Block>,
    open_block: Option<(usize, BlockKind)>,
}

impl Prose {
    /// An empty prose buffer.
    pub fn new() -> Self {
        Prose::default()
    }

    /// The prose text the rules read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The blocks, in order; they never overlap.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Starts a new block, closing any open one. Blocks are separated in the
    /// prose by a blank line so that sentence segmentation breaks there.
    pub fn start_block(&mut self, kind: BlockKind) {
        self.end_block();
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.open_block = Some((self.text.len(), kind));
    }

    /// Closes the open block, if any; an empty block is dropped.
    pub fn end_block(&mut self) {
        if let Some((start, kind)) = self.open_block.take() {
            let end = self.text.trim_end().len().max(start);
            if end > start {
                self.blocks.push(Block {
                    span: Span::new(start, end),
                    kind,
                });
            } else {
                // Nothing was written: remove the separator we added.
                self.text.truncate(start);
                let trimmed = self.text.trim_end_matches('\n').len();
                self.text.truncate(trimmed);
            }
        }
    }

    /// Whether a block is open to receive text.
    pub fn in_block(&self) -> bool {
        self.open_block.is_some()
    }

    /// Appends `text`, which was read from `original` in the source file. If
    /// `text` is a verbatim copy the map is exact to the byte; otherwise every
    /// byte of it maps to the whole original range.
    pub fn push(&mut self, text: &str, original: Span) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.pieces.push(Piece {
            prose: Span::new(start, self.text.len()),
            original,
        });
    }

    /// Appends a single space standing for a line break at `original`,
    /// unless the prose already ends in white space.
    pub fn push_space(&mut self, original: Span) {
        if self.text.ends_with(|c: char| c.is_whitespace()) || self.text.is_empty() {
            return;
        }
        self.push(" ", original);
    }

    /// Closes the open block and returns the finished prose.
    pub fn finish(mut self) -> Self {
        self.end_block();
        self
    }

    /// Maps a span of the prose text to the span of the original file it
    /// came from.
    pub fn to_original(&self, span: Span) -> Span {
        if self.pieces.is_empty() {
            return Span::new(0, 0);
        }
        let start = self.map_offset(span.start, false);
        let end = if span.is_empty() {
            start
        } else {
            self.map_offset(span.end, true)
        };
        Span::new(start, end.max(start))
    }

    /// Maps one prose offset. `is_end` means the offset is exclusive: it maps
    /// through the byte before it.
    fn map_offset(&self, offset: usize, is_end: bool) -> usize {
        let probe = if is_end {
            offset.saturating_sub(1)
        } else {
            offset
        };
        // The last piece starting at or before `probe`.
        let idx = match self.pieces.binary_search_by(|p| p.prose.start.cmp(&probe)) {
            Ok(i) => i,
            Err(0) => return self.pieces[0].original.start,
            Err(i) => i - 1,
        };
        let piece = self.pieces[idx];
        if probe >= piece.prose.end {
            // In a separator between pieces: snap to the edge of a piece.
            return if is_end {
                piece.original.end
            } else {
                self.pieces
                    .get(idx + 1)
                    .map_or(piece.original.end, |p| p.original.start)
            };
        }
        let exact = piece.prose.len() == piece.original.len();
        if exact {
            let inside = probe - piece.prose.start;
            piece.original.start + inside + usize::from(is_end)
        } else if is_end {
            piece.original.end
        } else {
            piece.original.start
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_pieces_map_byte_for_byte() {
        let mut p = Prose::new();
        p.start_block(BlockKind::Paragraph);
        p.push("Connecting ", Span::new(10, 21));
        p.push("maths", Span::new(23, 28)); // inside **…**
        p.push(" teachers.", Span::new(30, 40));
        let p = p.finish();
        assert_eq!(p.text(), "Connecting maths teachers.");
        let maths = p.text().find("maths").unwrap();
        assert_eq!(
            p.to_original(Span::new(maths, maths + 5)),
            Span::new(23, 28)
        );
        let teachers = p.text().find("teachers").unwrap();
        assert_eq!(
            p.to_original(Span::new(teachers, teachers + 8)),
            Span::new(31, 39)
        );
        // A span across pieces covers the original range between them.
        assert_eq!(
            p.to_original(Span::new(0, p.text().len())),
            Span::new(10, 40)
        );
    }

    #[test]
    fn blocks_are_separated_and_empty_blocks_dropped() {
        let mut p = Prose::new();
        p.start_block(BlockKind::Paragraph);
        p.push("One.", Span::new(0, 4));
        p.start_block(BlockKind::ListItem);
        p.start_block(BlockKind::ListItem);
        p.push("Two.", Span::new(10, 14));
        let p = p.finish();
        assert_eq!(p.text(), "One.\n\nTwo.");
        assert_eq!(p.blocks().len(), 2);
        assert_eq!(p.blocks()[1].kind, BlockKind::ListItem);
    }

    #[test]
    fn changed_pieces_map_to_their_whole_range() {
        let mut p = Prose::new();
        p.start_block(BlockKind::Paragraph);
        p.push("&", Span::new(5, 10)); // from `&amp;`
        let p = p.finish();
        assert_eq!(p.to_original(Span::new(0, 1)), Span::new(5, 10));
    }
}
