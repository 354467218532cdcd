//! What the engine produces for one document: findings, the evidence behind
//! each score, and the scores themselves. Plain data; reporters format it.

use serde::Serialize;

use crate::rules::{Dimension, Severity};
use crate::span::{Position, Span};

/// A problem found in the statement, with a way to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule that fired.
    pub rule: String,
    /// How serious it is.
    pub severity: Severity,
    /// The dimension it concerns.
    pub dimension: Dimension,
    /// What is wrong, quoting the statement.
    pub message: String,
    /// How to make the statement more precise.
    pub suggestion: String,
    /// Byte span in the original file.
    #[serde(skip)]
    pub span: Span,
    /// Where the span starts.
    #[serde(skip)]
    pub start: Position,
    /// Where it ends (the column just past the last character).
    #[serde(skip)]
    pub end: Position,
}

/// One piece of evidence behind a score: a rule that matched, where, and the
/// points it gave (negative for a problem).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The rule.
    pub rule: String,
    /// The dimension it scores.
    pub dimension: Dimension,
    /// Points added to that dimension.
    pub points: f64,
    /// The matched text.
    pub text: String,
    /// The clause (or sentence) it was found in.
    pub context: String,
    /// 1-based line in the original file.
    pub line: usize,
    /// 1-based column in the original file.
    pub column: usize,
    /// Byte span of the matched text in the original file.
    #[serde(skip)]
    pub span: Span,
    /// Whether overlapping evidence of other such rules shares this credit.
    #[serde(skip)]
    pub shared: bool,
}

/// Scores from 0 (says nothing) to 100 (as precise as a purpose gets).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Scores {
    /// Who is it for?
    pub audience: f64,
    /// What changes?
    pub outcome: f64,
    /// How do members contribute?
    pub contribution: f64,
    /// Overall precision.
    pub overall: f64,
}

impl Scores {
    /// The score of one dimension; clarity has none and reads as overall.
    pub fn get(&self, d: Dimension) -> f64 {
        match d {
            Dimension::Audience => self.audience,
            Dimension::Outcome => self.outcome,
            Dimension::Contribution => self.contribution,
            Dimension::Clarity => self.overall,
        }
    }
}

/// Everything the engine found in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The document's display path.
    pub path: String,
    /// The statement text that was scored.
    pub statement: String,
    /// 1-based line where the statement starts in the file.
    pub statement_line: usize,
    /// Findings, in file order.
    pub findings: Vec<Finding>,
    /// Evidence, in file order.
    pub evidence: Vec<Evidence>,
    /// The scores.
    pub scores: Scores,
}
