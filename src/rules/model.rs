//! The vocabulary of rules: dimensions, severities, scopes and kinds.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What a rule judges. The first three are scored; clarity adjusts overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    /// Who is it for?
    Audience,
    /// What will members gain; what changes?
    Outcome,
    /// How can members contribute?
    Contribution,
    /// Is it readable and focused (length, number of aims, jargon)?
    Clarity,
}

impl Dimension {
    /// The three scored dimensions, in report order.
    pub const SCORED: [Dimension; 3] = [
        Dimension::Audience,
        Dimension::Outcome,
        Dimension::Contribution,
    ];

    /// The lowercase name used in packs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Audience => "audience",
            Dimension::Outcome => "outcome",
            Dimension::Contribution => "contribution",
            Dimension::Clarity => "clarity",
        }
    }

    /// The reader's question a weak score in this dimension leaves open.
    pub fn question(self) -> &'static str {
        match self {
            Dimension::Audience => "who is it for?",
            Dimension::Outcome => "what will members gain, what changes?",
            Dimension::Contribution => "how can members contribute?",
            Dimension::Clarity => "is it focused and readable?",
        }
    }
}

impl FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "audience" => Dimension::Audience,
            "outcome" => Dimension::Outcome,
            "contribution" => Dimension::Contribution,
            "clarity" => Dimension::Clarity,
            _ => {
                return Err(format!(
                    "unknown dimension `{s}`, expected audience, outcome, contribution or clarity"
                ));
            }
        })
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is; ordered so `Info < Warning < Error`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; never fails a run unless `--fail-on info`.
    Info,
    /// Makes the purpose less precise; fails a run by default.
    Warning,
    /// Leaves a question unanswered.
    Error,
}

impl Severity {
    /// The lowercase name used in packs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "info" => Severity::Info,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            _ => {
                return Err(format!(
                    "unknown severity `{s}`, expected error, warning or info"
                ));
            }
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The unit a rule's patterns are matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Each clause alone: a match cannot span a clause boundary.
    Clause,
    /// Each sentence.
    Sentence,
    /// The whole statement.
    Statement,
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "clause" => Scope::Clause,
            "sentence" => Scope::Sentence,
            "statement" => Scope::Statement,
            _ => {
                return Err(format!(
                    "unknown scope `{s}`, expected clause, sentence or statement"
                ));
            }
        })
    }
}

/// A measurement a metric rule bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Words in the longest sentence.
    WordsPerSentence,
    /// Words in the statement.
    Words,
    /// Sentences in the statement.
    Sentences,
    /// Matches of the rule's patterns across the statement (e.g. separate aims).
    Matches,
}

impl FromStr for Metric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "words-per-sentence" => Metric::WordsPerSentence,
            "words" => Metric::Words,
            "sentences" => Metric::Sentences,
            "matches" => Metric::Matches,
            _ => {
                return Err(format!(
                    "unknown metric `{s}`, expected words-per-sentence, words, sentences or matches"
                ));
            }
        })
    }
}

/// A whole-document check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentCheck {
    /// A Markdown charter has no section naming its purpose.
    NoPurposeSection,
    /// The statement holds no sentence at all.
    EmptyStatement,
    /// An inline suppression hides no finding.
    UnusedSuppression,
}

impl FromStr for DocumentCheck {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "no-purpose-section" => DocumentCheck::NoPurposeSection,
            "empty-statement" => DocumentCheck::EmptyStatement,
            "unused-suppression" => DocumentCheck::UnusedSuppression,
            _ => {
                return Err(format!(
                    "unknown check `{s}`, expected no-purpose-section, empty-statement or unused-suppression"
                ));
            }
        })
    }
}

/// What a rule does with its matches.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// Each match is a finding (and its weight, usually negative, is scored).
    Existence,
    /// Each match is a finding that proposes a replacement.
    Substitution {
        /// Replacement for each pattern, by pattern index.
        replacements: Vec<String>,
    },
    /// Each match is evidence of precision: points, no finding.
    Signal,
    /// A finding when the statement lacks evidence: no match of the rule's
    /// patterns or, without patterns, fewer than `min` points in its dimension.
    Require {
        /// Points the dimension needs when the rule has no patterns.
        min: f64,
    },
    /// A finding when a measurement is out of bounds.
    Metric {
        /// What is measured.
        metric: Metric,
        /// Lower bound, inclusive.
        min: Option<f64>,
        /// Upper bound, inclusive.
        max: Option<f64>,
    },
    /// A finding about the document as a whole.
    Document(DocumentCheck),
    /// Its matches are hidden from every other rule (unless that rule sets
    /// `in-masks`): a group's own name is not its audience.
    Mask,
}

impl RuleKind {
    /// The kind's name as written in packs.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Existence => "existence",
            RuleKind::Substitution { .. } => "substitution",
            RuleKind::Signal => "signal",
            RuleKind::Require { .. } => "require",
            RuleKind::Metric { .. } => "metric",
            RuleKind::Document(_) => "document",
            RuleKind::Mask => "mask",
        }
    }
}
