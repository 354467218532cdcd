//! purpose-lint: a linter for the purpose statement of a network or community.
//!
//! A precise purpose answers three questions: who is it for (audience), what
//! will members gain or what changes (outcome), and how can they contribute
//! (contribution). This crate reads a statement, cuts it into sentences and
//! clauses with exact spans, runs TOML rule packs over it, and returns
//! findings with suggestions and 0-100 scores for each question.
//!
//! Data flows one way: input -> [`Document`] -> clauses -> [`engine`] ->
//! [`Report`] -> a reporter in [`report`]. The library never prints.
//!
//! ```
//! use purpose_lint::{Linter, SourceKind};
//!
//! let linter = Linter::builtin().unwrap();
//! let broad = linter.lint_str("a.txt", "Connecting maths teachers.", SourceKind::Text);
//! let precise = linter.lint_str(
//!     "b.txt",
//!     "Connecting maths teachers who teach in schools with higher-than-average pupil premium.",
//!     SourceKind::Text,
//! );
//! assert!(precise.scores.audience > broad.scores.audience);
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod clause;
pub mod config;
pub mod document;
pub mod engine;
pub mod error;
pub mod finding;
pub mod frontmatter;
pub mod input;
pub mod markdown;
pub mod plaintext;
pub mod prose;
pub mod report;
pub mod rules;
pub mod span;
pub mod suggest;
pub mod suppress;

pub use document::{Document, SourceKind};
pub use error::{Error, Result};
pub use finding::{Evidence, Finding, Report, Scores};
pub use markdown::PurposeHeadings;
pub use rules::{Dimension, PackSource, RuleSet, Severity};

/// Rules plus the settings that shape how documents are read: everything
/// needed to lint, built once and shared across files and threads.
#[derive(Debug, Clone)]
pub struct Linter {
    /// The compiled rules and scoring model.
    pub rules: RuleSet,
    /// Headings that mark a purpose section in Markdown.
    pub headings: PurposeHeadings,
}

impl Linter {
    /// A linter with the built-in packs and default headings.
    ///
    /// # Errors
    /// Only if a built-in pack is broken, which the test suite rules out.
    pub fn builtin() -> Result<Self> {
        Ok(Linter {
            rules: RuleSet::builtin()?,
            headings: PurposeHeadings::default(),
        })
    }

    /// Parses and lints one text.
    pub fn lint_str(&self, path: &str, text: &str, kind: SourceKind) -> Report {
        let doc = Document::parse(path, text.to_string(), kind, &self.headings);
        engine::lint(&doc, &self.rules)
    }

    /// A linter for resolved settings: the built-in packs plus the extra
    /// ones, filtered by select/ignore and re-graded by severity overrides.
    ///
    /// # Errors
    /// An extra pack that cannot be read or is invalid.
    pub fn from_settings(settings: &config::Settings) -> Result<Self> {
        let mut packs = Vec::new();
        for path in &settings.rules {
            packs.extend(rules::read_packs(path)?);
        }
        let mut rules = RuleSet::load(&packs)?;
        rules.configure(
            |id| settings.enabled(id),
            |id, s| settings.severity_of(id, s),
        );
        Ok(Linter {
            rules,
            headings: settings.headings.clone(),
        })
    }

    /// Lints a parsed document.
    pub fn lint(&self, doc: &Document) -> Report {
        engine::lint(doc, &self.rules)
    }

    /// Lints a parsed document, first compiling every pattern it can need
    /// on all cores: for a run over one document, where compiling patterns
    /// is most of the work (see [`engine::lint_compiling_ahead`]).
    pub fn lint_compiling_ahead(&self, doc: &Document) -> Report {
        engine::lint_compiling_ahead(doc, &self.rules)
    }
}
