//! The default output, in the style of rustc and ruff: a header line per
//! finding, the source line with the match underlined, a `help:` line, then a
//! score card per file with a bar per dimension and, for a weak dimension,
//! the question the statement leaves open.

use std::io::{self, Write};

use owo_colors::{OwoColorize, Style};
use unicode_width::UnicodeWidthStr;

use super::{Reporter, Summary};
use crate::document::Document;
use crate::finding::{Finding, Report};
use crate::rules::{Dimension, Severity};

/// Scores below this are weak: the score card asks the dimension's question.
pub const WEAK: f64 = 50.0;
const BAR_WIDTH: usize = 20;
const TAB: &str = "    ";

/// The human reporter.
#[derive(Debug)]
pub struct Human {
    color: bool,
    scores: bool,
    explain: bool,
}

impl Human {
    /// A reporter; `color` turns ANSI colours on.
    pub fn new(color: bool) -> Self {
        Human {
            color,
            scores: true,
            explain: false,
        }
    }

    /// Whether to print the score cards and the closing summary (default: yes).
    pub fn with_scores(mut self, yes: bool) -> Self {
        self.scores = yes;
        self
    }

    /// Whether to list the evidence behind each score (default: no).
    pub fn with_explain(mut self, yes: bool) -> Self {
        self.explain = yes;
        self
    }

    fn paint(&self, text: &str, style: Style) -> String {
        if self.color {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }

    fn severity_style(s: Severity) -> Style {
        match s {
            Severity::Error => Style::new().red().bold(),
            Severity::Warning => Style::new().yellow().bold(),
            Severity::Info => Style::new().cyan().bold(),
        }
    }

    fn finding(&self, out: &mut dyn Write, doc: &Document, f: &Finding) -> io::Result<()> {
        let style = Self::severity_style(f.severity);
        writeln!(
            out,
            "{}:{}:{}: {}{} {}",
            self.paint(doc.path(), Style::new().bold()),
            f.start.line,
            f.start.column,
            self.paint(f.severity.as_str(), style),
            self.paint(&format!("[{}]", f.rule), Style::new().dimmed()),
            f.message
        )?;
        let source = doc.source();
        let line0 = f.start.line - 1;
        let line_span = doc.lines().line_span(source, line0);
        // Very long lines are shown as a window around the finding.
        let clamp = |o: usize| o.clamp(line_span.start, line_span.end);
        let (from, to) = window(source, line_span, clamp(f.span.start), clamp(f.span.end));
        let gutter = f.start.line.to_string();
        let pad = " ".repeat(gutter.len());
        let bar = self.paint("|", Style::new().blue().bold());
        let ellipsis = |yes: bool| if yes { "…" } else { "" };
        let (lead, tail) = (
            ellipsis(from > line_span.start),
            ellipsis(to < line_span.end),
        );
        // Display columns: tabs become four spaces, wide characters count two.
        let shown = source[from..to].replace('\t', TAB);
        let before = &source[from..clamp(f.span.start).max(from)];
        let under = &source[clamp(f.span.start).max(from)..clamp(f.span.end).min(to).max(from)];
        let indent = lead.width() + before.replace('\t', TAB).width();
        let carets = under.replace('\t', TAB).width().max(1);
        writeln!(out, "{pad} {bar}")?;
        writeln!(
            out,
            "{} {bar} {lead}{shown}{tail}",
            self.paint(&gutter, Style::new().blue().bold()),
        )?;
        writeln!(
            out,
            "{pad} {bar} {}{}",
            " ".repeat(indent),
            self.paint(&"^".repeat(carets), style)
        )?;
        if !f.suggestion.is_empty() {
            writeln!(
                out,
                "{pad} {} {} {}",
                self.paint("=", Style::new().blue().bold()),
                self.paint("help:", Style::new().bold()),
                f.suggestion
            )?;
        }
        writeln!(out)
    }

    fn score_card(&self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        writeln!(
            out,
            "{}: precision {}/100",
            self.paint(&r.path, Style::new().bold()),
            self.paint(
                &format!("{:.0}", r.scores.overall),
                score_style(r.scores.overall)
            )
        )?;
        for d in Dimension::SCORED {
            let s = r.scores.get(d);
            let filled = ((s / 100.0) * BAR_WIDTH as f64).round() as usize;
            let bar = format!(
                "{}{}",
                self.paint(&"█".repeat(filled), score_style(s)),
                self.paint(&"░".repeat(BAR_WIDTH - filled), Style::new().dimmed())
            );
            let question = if s < WEAK {
                self.paint(d.question(), Style::new().dimmed())
            } else {
                String::new()
            };
            writeln!(out, "  {:<13}{bar} {:>3.0}  {question}", d.as_str(), s).map(|_| ())?;
            if self.explain {
                for e in r.evidence.iter().filter(|e| e.dimension == d) {
                    writeln!(
                        out,
                        "      {:+5.1}  {}  \"{}\" ({}:{})",
                        e.points, e.rule, e.text, e.line, e.column
                    )?;
                }
            }
        }
        if self.explain {
            for e in r
                .evidence
                .iter()
                .filter(|e| e.dimension == Dimension::Clarity)
            {
                writeln!(
                    out,
                    "  clarity {:+5.1}  {}  \"{}\" ({}:{})",
                    e.points, e.rule, e.text, e.line, e.column
                )?;
            }
        }
        writeln!(out)
    }
}

/// Bytes of a line shown before and after a finding when the line is long.
const WINDOW_BEFORE: usize = 60;
const WINDOW_AFTER: usize = 100;

/// The part of `line` to print for a finding at `start..end`: the whole line
/// when it is short, else a window around the finding on char boundaries.
fn window(source: &str, line: crate::span::Span, start: usize, end: usize) -> (usize, usize) {
    if line.len() <= WINDOW_BEFORE + WINDOW_AFTER + 40 {
        return (line.start, line.end);
    }
    let mut from = start.saturating_sub(WINDOW_BEFORE).max(line.start);
    while !source.is_char_boundary(from) {
        from -= 1;
    }
    // Show up to WINDOW_AFTER bytes from the start: a finding may span the line.
    let mut to = (start + WINDOW_AFTER)
        .min(end.max(start) + WINDOW_AFTER / 2)
        .min(line.end)
        .max(from);
    while !source.is_char_boundary(to) {
        to += 1;
    }
    (from, to)
}

fn score_style(s: f64) -> Style {
    if s >= 70.0 {
        Style::new().green()
    } else if s >= WEAK {
        Style::new().yellow()
    } else {
        Style::new().red()
    }
}

impl Reporter for Human {
    fn file(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        r: &Report,
        _linter: &crate::Linter,
    ) -> io::Result<()> {
        for f in &r.findings {
            self.finding(out, doc, f)?;
        }
        if self.scores {
            self.score_card(out, r)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if !self.scores {
            return out.flush();
        }
        let total: usize = s.by_severity.iter().sum();
        let files = if s.files == 1 { "file" } else { "files" };
        let mut line = format!(
            "{} {files} checked: {} error(s), {} warning(s), {} info",
            s.files, s.by_severity[2], s.by_severity[1], s.by_severity[0]
        );
        if s.below_min > 0 {
            line.push_str(&format!(
                "; {} file(s) below the minimum score",
                s.below_min
            ));
        }
        if s.errors > 0 {
            line.push_str(&format!("; {} file(s) could not be linted", s.errors));
        }
        let style = if total == 0 && s.errors == 0 {
            Style::new().green().bold()
        } else {
            Style::new().bold()
        };
        writeln!(out, "{}", self.paint(&line, style))?;
        out.flush()
    }
}
