//! The TOML form of a rule pack, exactly as written in `rules/*.toml`.
//! `rules/README.md` documents every key; unknown keys are errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value and where its pack wrote it: toml's `Spanned`, which also
/// serializes its span, so that the built-in packs, parsed ahead of time
/// into JSON (see `super::builtin_cache`), read back with the spans their
/// errors would name.
#[derive(Debug, Clone)]
pub struct Spanned<T>(toml::Spanned<T>);

impl<T> Spanned<T> {
    /// The byte range of the value in its pack.
    pub fn span(&self) -> std::ops::Range<usize> {
        self.0.span()
    }

    /// The value.
    pub fn get_ref(&self) -> &T {
        self.0.get_ref()
    }

    /// The value, without its span.
    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}

/// The names serde_spanned's protocol gives a spanned value: toml hands
/// one to a `deserialize_struct` of this name as a map of these fields.
const SPANNED: &str = "$__serde_spanned_private_Spanned";
const START: &str = "$__serde_spanned_private_start";
const END: &str = "$__serde_spanned_private_end";
const VALUE: &str = "$__serde_spanned_private_value";

/// Read as toml's own `Spanned` is from TOML (the protocol's map), and
/// from the cache's JSON as `[start, end, value]`: written as the map, the
/// 1,359 spans' field names were a third of the cache's 133 KB, all of it
/// parsed before anything else could start.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct(
            SPANNED,
            &[START, END, VALUE],
            SpannedVisitor(std::marker::PhantomData),
        )
    }
}

struct SpannedVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for SpannedVisitor<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value with its span")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
        use serde::de::Error;
        let (mut start, mut end, mut value) = (None, None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                START => start = Some(map.next_value()?),
                END => end = Some(map.next_value()?),
                VALUE => value = Some(map.next_value()?),
                other => return Err(A::Error::unknown_field(other, &[START, END, VALUE])),
            }
        }
        let start = start.ok_or_else(|| A::Error::missing_field(START))?;
        let end = end.ok_or_else(|| A::Error::missing_field(END))?;
        let value = value.ok_or_else(|| A::Error::missing_field(VALUE))?;
        Ok(Spanned(toml::Spanned::new(start..end, value)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Spanned<T>, A::Error> {
        use serde::de::Error;
        let start = seq
            .next_element()?
            .ok_or_else(|| A::Error::invalid_length(0, &self))?;
        let end = seq
            .next_element()?
            .ok_or_else(|| A::Error::invalid_length(1, &self))?;
        let value = seq
            .next_element()?
            .ok_or_else(|| A::Error::invalid_length(2, &self))?;
        Ok(Spanned(toml::Spanned::new(start..end, value)))
    }
}

/// Written as `[start, end, value]` (see its `Deserialize`): serde_spanned's
/// own `Serialize` writes the value alone.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let span = self.span();
        (span.start, span.end, self.get_ref()).serialize(serializer)
    }
}

/// A whole pack file.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// Name and description.
    pub pack: PackMeta,
    /// Named word lists, replacing any earlier list of the same name.
    #[serde(default)]
    pub lexicon: BTreeMap<String, Spanned<LexiconDef>>,
    /// Words added to lists defined by earlier packs.
    #[serde(default, rename = "extend-lexicon")]
    pub extend_lexicon: BTreeMap<String, Spanned<Vec<String>>>,
    /// How evidence becomes scores; the last pack that sets a key wins.
    #[serde(default)]
    pub scoring: Option<ScoringDef>,
    /// The rules.
    #[serde(default)]
    pub rule: Vec<RuleDef>,
}

/// A lexicon: a plain list of nouns, or a table saying how to inflect.
///
/// Read by the shape of the value (see its `Deserialize`), not as an
/// untagged enum: serde buffers an untagged value whole before trying each
/// variant, which was a tenth of reading the built-in packs, and its error
/// names neither form.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum LexiconDef {
    /// `name = ["word", ...]`: nouns (plurals and possessives match).
    Words(Vec<String>),
    /// `name = { inflect = "verb", words = [...] }`.
    Table(LexiconTable),
}

impl<'de> Deserialize<'de> for LexiconDef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> serde::de::Visitor<'de> for Shape {
            type Value = LexiconDef;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of words, or a table with `words` and `inflect`")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<LexiconDef, A::Error> {
                Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(LexiconDef::Words)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<LexiconDef, A::Error> {
                LexiconTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(LexiconDef::Table)
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

/// The table form of a lexicon.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconTable {
    /// The entries.
    pub words: Vec<String>,
    /// `noun` (default), `verb` or `none`.
    #[serde(default)]
    pub inflect: crate::rules::lexicon::Inflect,
}

/// `[pack]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    /// Short name, shown by `purpose-lint rules`.
    pub name: String,
    /// One line on what the pack checks.
    #[serde(default)]
    pub description: String,
}

/// `[scoring]`: per-dimension curves and the overall blend.
#[derive(Debug, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ScoringDef {
    /// Audience curve.
    pub audience: Option<CurveDef>,
    /// Outcome curve.
    pub outcome: Option<CurveDef>,
    /// Contribution curve.
    pub contribution: Option<CurveDef>,
    /// Overall blend.
    pub overall: Option<OverallDef>,
}

/// How one dimension's points become a 0-100 score.
#[derive(Debug, Deserialize, Serialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct CurveDef {
    /// Points every statement starts with.
    #[serde(default)]
    pub base: f64,
    /// The points at which the score reaches about 63 (1 - 1/e) of 100; the
    /// curve saturates so that piling up evidence has diminishing returns.
    pub scale: f64,
    /// Each further piece of positive evidence, strongest first, counts this
    /// much of the one before (1 = all count in full).
    #[serde(default = "full")]
    pub decay: f64,
}

fn full() -> f64 {
    1.0
}

/// How the overall score is blended.
#[derive(Debug, Deserialize, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct OverallDef {
    /// Weight of each dimension score in the overall score.
    pub weights: BTreeMap<String, f64>,
    /// Scale applied to clarity points, which add to or take from the blend.
    #[serde(default = "one", rename = "clarity-factor")]
    pub clarity_factor: f64,
}

fn one() -> f64 {
    1.0
}

/// One `[[rule]]`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleDef {
    /// Stable id, `dimension/kebab-name`.
    pub id: Spanned<String>,
    /// existence | substitution | signal | require | metric | document | mask.
    pub kind: Spanned<String>,
    /// audience | outcome | contribution | clarity.
    pub dimension: Spanned<String>,
    /// error | warning | info; defaults to warning (signals report nothing).
    pub severity: Option<Spanned<String>>,
    /// clause | sentence | statement; defaults to clause.
    pub scope: Option<Spanned<String>>,
    /// Points added to the dimension for each counted match (negative for a problem).
    #[serde(default)]
    pub weight: f64,
    /// How many matches count towards the score (findings are reported for all).
    pub max_count: Option<u32>,
    /// How many findings one document reports (default: all).
    pub max_findings: Option<u32>,
    /// Regular expressions; `{name}` stands for a lexicon.
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    /// A match is ignored when its unit (clause, sentence) also matches one of these.
    #[serde(default)]
    pub unless: Vec<Spanned<String>>,
    /// A match is ignored when the matched text itself matches one of these.
    #[serde(default)]
    pub except: Vec<Spanned<String>>,
    /// A match is ignored when one of these matches its context: up to 64
    /// bytes of the unit's text before it, U+E000, then the start of the
    /// matched text.
    #[serde(default)]
    pub not_after: Vec<Spanned<String>>,
    /// Run only when one of these rules has given positive points.
    #[serde(default)]
    pub requires: Vec<Spanned<String>>,
    /// Run only when none of these rules has given positive points.
    #[serde(default)]
    pub unless_rules: Vec<Spanned<String>>,
    /// Whether matches inside masked text (e.g. a group's own name) count.
    #[serde(default)]
    pub in_masks: bool,
    /// `stack` (default): every counted match adds its points. `max`: where
    /// this rule's evidence overlaps evidence of another `max` rule of the
    /// same dimension, only the larger counts, so rules that see the same
    /// phrase from different angles credit it once.
    #[serde(default)]
    pub overlap: Overlap,
    /// Substitution: phrase to flag -> replacement.
    #[serde(default)]
    pub replace: BTreeMap<String, String>,
    /// Metric name, for `kind = "metric"`.
    pub metric: Option<Spanned<String>>,
    /// Upper bound for a metric.
    pub max: Option<f64>,
    /// Lower bound for a metric, or the points a `require` rule needs.
    pub min: Option<f64>,
    /// Document check, for `kind = "document"`.
    pub check: Option<Spanned<String>>,
    /// Finding message; `{match}` quotes the matched text.
    #[serde(default)]
    pub message: String,
    /// How to make the statement more precise; `{match}`, `{replacement}`
    /// and `{example}` may appear.
    #[serde(default)]
    pub suggestion: String,
    /// What `{example}` in the suggestion may be: the first whose words the
    /// statement does not already use is shown.
    #[serde(default)]
    pub suggestion_examples: Vec<String>,
    /// Why the rule exists (Markdown).
    pub explanation: String,
    /// Texts the rule must fire on and texts it must not.
    pub examples: Spanned<Examples>,
}

/// `[rule.examples]`.
#[derive(Debug, Deserialize, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Texts the rule must fire on (a finding, or for a signal, credit).
    pub hit: Vec<String>,
    /// Texts it must not fire on.
    pub miss: Vec<String>,
    /// How the examples are read: `text` (default) or `markdown`.
    #[serde(default)]
    pub format: ExampleFormat,
}

/// How a rule's evidence combines with overlapping evidence.
#[derive(Debug, Deserialize, Serialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Overlap {
    /// Every counted match adds its points.
    #[default]
    Stack,
    /// Overlapping evidence of `max` rules counts once, at the larger value.
    Max,
}

/// How a rule's examples are read.
#[derive(Debug, Deserialize, Serialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExampleFormat {
    /// As a plain-text statement.
    #[default]
    Text,
    /// As a Markdown charter.
    Markdown,
}
