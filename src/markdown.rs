//! Markdown charters: find the section(s) that state the purpose and extract
//! their prose with exact source offsets.
//!
//! The parser is pulldown-cmark, whose offset iterator gives each event's byte
//! range in the original file. Code blocks, HTML, tables and front matter are
//! never prose. A document with no headings at all is a statement written in
//! Markdown and is read whole; a document with headings is read under the
//! headings that name its purpose (see [`PurposeHeadings`]).

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::prose::{BlockKind, Prose};
use crate::span::Span;

/// The heading names that mark a purpose section, matched case-insensitively
/// after numbering, emoji and punctuation are removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposeHeadings {
    /// Sections linted wherever they occur.
    pub primary: Vec<String>,
    /// Sections linted only when no primary section exists.
    pub fallback: Vec<String>,
}

impl Default for PurposeHeadings {
    fn default() -> Self {
        let names = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        PurposeHeadings {
            primary: names(&[
                "purpose",
                "our purpose",
                "mission",
                "mission statement",
                "why we exist",
                "why this network exists",
                "aims",
                "goals",
                "objectives",
                "vision",
                "scope",
                "about",
                "why",
            ]),
            fallback: names(&["introduction", "overview"]),
        }
    }
}

/// Headings under which nothing is purpose, even inside a purpose section.
const EXCLUDED: &[&str] = &["out of scope", "non goals", "not in scope", "anti goals"];

/// What extraction found in a Markdown document.
#[derive(Debug, Clone)]
pub struct Extraction {
    /// The purpose prose, mapped back to the file.
    pub prose: Prose,
    /// Whether a purpose section (or a whole-document statement) was found.
    pub found_section: bool,
}

/// Extracts the purpose prose from a Markdown document.
pub fn extract(text: &str, headings: &PurposeHeadings) -> Extraction {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(text, options).into_offset_iter().collect();

    let marks = heading_marks(&events);
    let primary = name_words(&headings.primary);
    let has_primary = marks.iter().any(|m| matches_any(&m.title, &primary));
    let fallback;
    let selected_names: &[Vec<String>] = if has_primary {
        &primary
    } else {
        fallback = name_words(&headings.fallback);
        &fallback
    };

    let mut walker = Walker::new(text);
    if marks.iter().all(|m| m.level == PSEUDO_LEVEL) && !has_primary {
        // No real headings: the document is a statement written in Markdown.
        walker.select_all();
    }
    let mut next_mark = marks.iter().peekable();
    let mut i = 0;
    while i < events.len() {
        if let Some(mark) = next_mark.next_if(|m| m.start == i) {
            walker.heading(mark.level, &mark.title, selected_names);
            i = mark.end + 1;
            continue;
        }
        let (event, range) = &events[i];
        walker.event(event, range.clone(), &primary);
        i += 1;
    }
    let found_section = walker.found;
    Extraction {
        prose: walker.prose.finish(),
        found_section,
    }
}

/// The level given to a bold-only paragraph used as a heading: below every
/// real heading, so it ends at the next heading of any kind.
const PSEUDO_LEVEL: usize = 7;

/// A heading, real or a bold-only paragraph ("**Objective**"), as a range
/// of event indexes.
#[derive(Debug)]
struct HeadingMark {
    start: usize,
    end: usize,
    level: usize,
    title: String,
}

/// Finds every heading, and every paragraph that is nothing but a short
/// bold label, which charters often use in place of a heading.
fn heading_marks(events: &[(Event<'_>, Range<usize>)]) -> Vec<HeadingMark> {
    let mut marks = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(Tag::Heading { level, .. }) => {
                let end = (i..events.len())
                    .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
                    .unwrap_or(events.len() - 1);
                marks.push(HeadingMark {
                    start: i,
                    end,
                    level: *level as usize,
                    title: normalise_title(&inline_text(&events[i..=end])),
                });
                i = end + 1;
            }
            Event::Start(Tag::Paragraph) => match bold_label_paragraph(events, i) {
                Some(end) => {
                    let title = normalise_title(&inline_text(&events[i..=end]));
                    if title.split(' ').count() <= MAX_SEGMENT_WORDS {
                        marks.push(HeadingMark {
                            start: i,
                            end,
                            level: PSEUDO_LEVEL,
                            title,
                        });
                    }
                    i = end + 1;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    marks
}

/// If the paragraph starting at `start` is only bold text (plus an optional
/// colon), the index of its end event.
fn bold_label_paragraph(events: &[(Event<'_>, Range<usize>)], start: usize) -> Option<usize> {
    let mut j = start + 1;
    if !matches!(events.get(j)?.0, Event::Start(Tag::Strong)) {
        return None;
    }
    j += 1;
    while !matches!(events.get(j)?.0, Event::End(TagEnd::Strong)) {
        if !matches!(events[j].0, Event::Text(_) | Event::Code(_)) {
            return None;
        }
        j += 1;
    }
    j += 1;
    if let Event::Text(t) = &events.get(j)?.0 {
        if !t.trim().trim_end_matches(':').is_empty() {
            return None;
        }
        j += 1;
    }
    matches!(events.get(j)?.0, Event::End(TagEnd::Paragraph)).then_some(j)
}

fn inline_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

/// Lowercases a heading and keeps only its words: numbering ("1.", "2.3",
/// "Article 2", "Section IV"), emoji and punctuation go.
pub fn normalise_title(raw: &str) -> String {
    let lowered = raw.to_lowercase();
    let segments = lowered.split(|c: char| {
        matches!(
            c,
            ':' | '/' | '(' | ')' | '|' | '—' | '–' | '&' | '[' | ']' | '·'
        )
    });
    let mut out: Vec<String> = Vec::new();
    for segment in segments {
        let mut words: Vec<&str> = segment
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        // Leading numbering, possibly after "article"/"section"/"part".
        while let Some(first) = words.first() {
            let numbering =
                is_numbering(first) || matches!(*first, "article" | "section" | "part" | "chapter");
            if numbering && words.len() > 1 {
                words.remove(0);
            } else {
                break;
            }
        }
        let only_numbering = words.len() == 1 && is_numbering(words[0]);
        if !words.is_empty() && !only_numbering {
            out.push(words.join(" "));
        }
    }
    out.join(" | ")
}

fn is_numbering(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_digit())
        || (word.len() <= 4 && word.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
        || (word.len() == 1 && word.chars().all(|c| c.is_ascii_lowercase()))
}

/// Whether a heading names one of `names`. The heading is cut into segments
/// at separators ("WHY: Purpose", "Mission / Areas of Responsibility",
/// "Purpose (The Anchor Circle)"); a segment matches when it is a name, or
/// a short phrase that starts or ends with one ("mission statement",
/// "purpose of the group", "organizational purpose", "our core mission").
/// Singular and plural forms are the same name.
/// Each heading name as the words a title must hold: normalised as titles
/// are ("Raison d'être" -> "raison d être") and singular.
fn name_words(names: &[String]) -> Vec<Vec<String>> {
    names
        .iter()
        .map(|name| {
            normalise_title(name)
                .split_whitespace()
                .map(|w| singular(w).to_string())
                .collect()
        })
        .collect()
}

fn matches_any(title: &str, names: &[Vec<String>]) -> bool {
    if is_excluded(title) {
        return false;
    }
    title.split(" | ").any(|segment| {
        let words: Vec<&str> = segment.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() || words.len() > MAX_SEGMENT_WORDS {
            return false;
        }
        names.iter().any(|name| {
            let n = name.len();
            let eq =
                |ws: &[&str]| ws.len() == n && ws.iter().zip(name).all(|(w, x)| singular(w) == x);
            words.len() >= n && (eq(&words[..n]) || eq(&words[words.len() - n..]))
        })
    })
}

/// Longest heading segment (in words) that can still name a purpose section.
const MAX_SEGMENT_WORDS: usize = 6;

fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if stem.len() > 3 && !stem.ends_with('s') => stem,
        _ => word,
    }
}

fn is_excluded(title: &str) -> bool {
    EXCLUDED.iter().any(|x| title.contains(x))
}

/// Walks the events once, copying prose from selected sections.
struct Walker<'t> {
    text: &'t str,
    prose: Prose,
    /// Level of the selected section we are in, if any.
    section: Option<usize>,
    /// Level of an excluded subsection we are in, if any.
    excluded: Option<usize>,
    /// The whole document is the statement.
    all: bool,
    found: bool,
    /// Inside something that is never prose (code, HTML, table, metadata, heading, image).
    depth_skip: usize,
    /// Inside a paragraph that opened with a bold lead-in naming the purpose.
    lead_in: LeadIn,
    list_depth: usize,
}

#[derive(Debug, PartialEq, Eq)]
enum LeadIn {
    None,
    /// At the start of a paragraph: the next event may open a lead-in.
    ParagraphStart,
    /// Collecting the text of a bold run at a paragraph start.
    InStrong(String),
    /// The paragraph is purpose prose; skip a leading colon.
    Selected,
}

impl<'t> Walker<'t> {
    fn new(text: &'t str) -> Self {
        Walker {
            text,
            prose: Prose::new(),
            section: None,
            excluded: None,
            all: false,
            found: false,
            depth_skip: 0,
            lead_in: LeadIn::None,
            list_depth: 0,
        }
    }

    fn select_all(&mut self) {
        self.all = true;
        self.found = true;
    }

    fn selecting(&self) -> bool {
        (self.all || self.section.is_some() || self.lead_in == LeadIn::Selected)
            && self.excluded.is_none()
            && self.depth_skip == 0
    }

    fn heading(&mut self, level: usize, title: &str, names: &[Vec<String>]) {
        self.prose.end_block();
        if self.excluded.is_some_and(|l| level <= l) {
            self.excluded = None;
        }
        if self.section.is_some_and(|l| level <= l) {
            self.section = None;
        }
        if self.section.is_some() && is_excluded(title) {
            self.excluded = Some(level);
        } else if self.section.is_none() && matches_any(title, names) {
            self.section = Some(level);
            self.found = true;
        }
    }

    fn event(&mut self, event: &Event<'_>, range: Range<usize>, lead_names: &[Vec<String>]) {
        match event {
            Event::Start(
                Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::Table(_)
                | Tag::MetadataBlock(_)
                | Tag::Image { .. }
                | Tag::FootnoteDefinition(_),
            ) => self.depth_skip += 1,
            Event::End(
                TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::Table
                | TagEnd::MetadataBlock(_)
                | TagEnd::Image
                | TagEnd::FootnoteDefinition,
            ) => self.depth_skip = self.depth_skip.saturating_sub(1),
            Event::Start(Tag::List(_)) => {
                self.list_depth += 1;
                self.prose.end_block();
            }
            Event::End(TagEnd::List(_)) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.prose.end_block();
            }
            Event::Start(Tag::Item) => self.open(BlockKind::ListItem),
            Event::End(TagEnd::Item) => self.prose.end_block(),
            Event::Start(Tag::Paragraph) => {
                self.lead_in = LeadIn::ParagraphStart;
                if self.list_depth == 0 || !self.prose.in_block() {
                    self.open(BlockKind::Paragraph);
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if self.lead_in == LeadIn::Selected {
                    self.prose.end_block();
                }
                self.lead_in = LeadIn::None;
                if self.list_depth == 0 {
                    self.prose.end_block();
                }
            }
            Event::Start(Tag::Strong) if self.lead_in == LeadIn::ParagraphStart => {
                self.lead_in = LeadIn::InStrong(String::new());
            }
            Event::End(TagEnd::Strong) => {
                if let LeadIn::InStrong(label) = &self.lead_in {
                    let title = normalise_title(label);
                    let names_purpose = label.trim_end().ends_with(':') || !title.contains(' ');
                    self.lead_in = if names_purpose && matches_any(&title, lead_names) {
                        if !self.selecting_without_lead_in() {
                            self.found = true;
                            self.open(BlockKind::Paragraph);
                            LeadIn::Selected
                        } else {
                            LeadIn::None
                        }
                    } else {
                        LeadIn::None
                    };
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let LeadIn::InStrong(label) = &mut self.lead_in {
                    label.push_str(t);
                    // Also keep the bold text as prose when it is not a lead-in;
                    // it is dropped below if the run turns out to be one.
                    if self.selecting() {
                        self.push_text(t, range);
                    }
                    return;
                }
                if self.lead_in == LeadIn::ParagraphStart {
                    self.lead_in = LeadIn::None;
                }
                if self.selecting() {
                    if self.lead_in == LeadIn::Selected && !self.prose_has_text_in_block() {
                        let trimmed = t.trim_start_matches([':', ' ', '\u{2014}', '-']);
                        let skip = t.len() - trimmed.len();
                        self.push_text(trimmed, range.start + skip..range.end);
                    } else {
                        self.push_text(t, range);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.selecting() {
                    self.prose.push_space(Span::new(range.start, range.end));
                }
            }
            _ => {
                if self.lead_in == LeadIn::ParagraphStart && !matches!(event, Event::Start(_)) {
                    self.lead_in = LeadIn::None;
                }
            }
        }
    }

    fn selecting_without_lead_in(&self) -> bool {
        (self.all || self.section.is_some()) && self.excluded.is_none() && self.depth_skip == 0
    }

    fn prose_has_text_in_block(&self) -> bool {
        let text = self.prose.text();
        !(text.is_empty() || text.ends_with("\n\n"))
    }

    fn open(&mut self, kind: BlockKind) {
        self.prose.end_block();
        self.prose.start_block(kind);
    }

    /// Copies a text event. The event's text equals its source range unless
    /// the source held escapes or entities; the prose map handles both.
    fn push_text(&mut self, t: &str, range: Range<usize>) {
        if !self.prose.in_block() {
            self.open(BlockKind::Paragraph);
        }
        let original = Span::new(range.start, range.end.min(self.text.len()));
        self.prose.push(t, original);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose_of(md: &str) -> (String, bool) {
        let e = extract(md, &PurposeHeadings::default());
        (e.prose.text().to_string(), e.found_section)
    }

    #[test]
    fn reads_only_the_purpose_section() {
        let md = "# Maths Network\n\nWelcome.\n\n## Purpose\n\nConnecting **maths** teachers.\n\n## Meetings\n\nMonthly.\n";
        assert_eq!(prose_of(md), ("Connecting maths teachers.".into(), true));
    }

    #[test]
    fn numbered_and_decorated_headings_match() {
        for h in [
            "## 1. Purpose",
            "## 🎯 Mission",
            "### Our Mission:",
            "## Article 2 — Mission",
            "## Purpose and Scope",
        ] {
            let md = format!("# T\n\n{h}\n\nText here.\n");
            assert_eq!(prose_of(&md).0, "Text here.", "heading {h}");
        }
    }

    #[test]
    fn code_tables_html_and_front_matter_are_not_prose() {
        let md = "---\ntitle: x\n---\n\n## Purpose\n\nReal prose.\n\n```\ncode code\n```\n\n| a | b |\n|---|---|\n| c | d |\n\n<!-- hidden -->\n";
        assert_eq!(prose_of(md).0, "Real prose.");
    }

    #[test]
    fn list_items_are_their_own_blocks() {
        let md = "## Goals\n\n- Publish a guide\n- Run a workshop\n";
        let e = extract(md, &PurposeHeadings::default());
        assert_eq!(e.prose.text(), "Publish a guide\n\nRun a workshop");
        assert!(
            e.prose
                .blocks()
                .iter()
                .all(|b| b.kind == BlockKind::ListItem)
        );
    }

    #[test]
    fn fallback_only_without_primary() {
        let md = "## Introduction\n\nIntro text.\n\n## Mission\n\nMission text.\n";
        assert_eq!(prose_of(md).0, "Mission text.");
        let md = "## Introduction\n\nIntro text.\n\n## Meetings\n\nMonthly.\n";
        assert_eq!(prose_of(md).0, "Intro text.");
    }

    #[test]
    fn no_purpose_section_is_reported() {
        let md = "# Title\n\n## Meetings\n\nMonthly.\n";
        assert_eq!(prose_of(md), (String::new(), false));
    }

    #[test]
    fn bold_lead_in_names_the_purpose() {
        let md = "# Network\n\n**Mission:** Helping rural nurses share rotas.\n\nOther text.\n";
        assert_eq!(
            prose_of(md),
            ("Helping rural nurses share rotas.".into(), true)
        );
    }

    #[test]
    fn out_of_scope_subsections_are_skipped() {
        let md = "## Scope\n\nIn scope text.\n\n### Out of scope\n\nNot this.\n";
        assert_eq!(prose_of(md).0, "In scope text.");
    }

    #[test]
    fn spans_map_back_through_markup() {
        let md = "## Purpose\n\nConnecting **maths** teachers.\n";
        let e = extract(md, &PurposeHeadings::default());
        let at = e.prose.text().find("maths").unwrap();
        let orig = e.prose.to_original(Span::new(at, at + 5));
        assert_eq!(&md[orig.range()], "maths");
    }

    #[test]
    fn real_charter_heading_styles_match() {
        for h in [
            "## WHY: Purpose",
            "## 1. Organizational Purpose (The Anchor Circle)",
            "## WHAT: Mission/Areas of Responsibility",
            "## Objective",
            "## Purpose of the group",
        ] {
            let md = format!("# T\n\n{h}\n\nText here.\n\n## Meetings\n\nMondays.\n");
            assert_eq!(prose_of(&md).0, "Text here.", "heading {h}");
        }
        for h in [
            "## Meetings about scope creep and other things",
            "## Out of scope",
        ] {
            let md = format!("# T\n\n{h}\n\nText here.\n");
            assert_eq!(prose_of(&md), (String::new(), false), "heading {h}");
        }
    }

    #[test]
    fn configured_names_are_normalised_like_titles() {
        let headings = PurposeHeadings {
            primary: vec!["Raison d'être".into()],
            fallback: vec![],
        };
        let e = extract("# C\n\n## Raison d’être\n\nText.\n", &headings);
        assert_eq!(e.prose.text(), "Text.");
    }

    #[test]
    fn bold_only_paragraph_acts_as_a_heading() {
        let md = "# WG\n\n## \n**Motivation**\n\nBackground.\n\n## \n**Objective**\n\nShip a policy guide.\n\n**Scope**\n\nEU law.\n\n## Meetings\n\nTBD.\n";
        assert_eq!(prose_of(md).0, "Ship a policy guide.\n\nEU law.");
    }

    #[test]
    fn document_without_headings_is_read_whole() {
        assert_eq!(
            prose_of("Just a statement.\n"),
            ("Just a statement.".into(), true)
        );
    }
}
