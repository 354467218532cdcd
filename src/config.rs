//! Configuration files: `purpose-lint.toml` or `.purpose-lint.toml`, found by
//! walking up from each linted file (the closest wins), or named with
//! `--config`. Unknown keys are errors with line and column, like rule packs.
//!
//! ```toml
//! rules = ["packs/house-style.toml"]   # extra packs, relative to this file
//! select = ["audience/", "outcome/"]   # run only these rules (ids or prefixes)
//! ignore = ["clarity/long-sentence"]   # never run these
//! fail-on = "warning"                   # error | warning | info | never
//! min-score = { overall = 50, audience = 40 }
//! headings = ["Purpose", "Mission"]    # purpose section headings
//! include = ["**/*.md"]                 # what a directory walk lints
//! exclude = ["drafts/**"]
//!
//! [severity]
//! "outcome/weak-aim" = "warning"
//!
//! [[overrides]]
//! files = ["archive/**"]
//! fail-on = "never"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::rules::{Dimension, Severity};

/// File names searched for, in order of preference, in each directory.
pub const CONFIG_NAMES: &[&str] = &["purpose-lint.toml", ".purpose-lint.toml"];

/// The least severity that fails a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never fail on findings (scores and errors still can).
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }

    /// The name used in config and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }
}

/// Minimum scores: overall and per dimension; 0 means no minimum.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinScores {
    /// Minimum overall score.
    #[serde(default)]
    pub overall: f64,
    /// Minimum audience score.
    #[serde(default)]
    pub audience: f64,
    /// Minimum outcome score.
    #[serde(default)]
    pub outcome: f64,
    /// Minimum contribution score.
    #[serde(default)]
    pub contribution: f64,
}

impl MinScores {
    /// The dimensions (or `None` for overall) whose score is below its minimum.
    pub fn failures(&self, scores: &crate::Scores) -> Vec<Option<Dimension>> {
        let mut out = Vec::new();
        if scores.overall < self.overall {
            out.push(None);
        }
        for d in Dimension::SCORED {
            let min = match d {
                Dimension::Audience => self.audience,
                Dimension::Outcome => self.outcome,
                _ => self.contribution,
            };
            if scores.get(d) < min {
                out.push(Some(d));
            }
        }
        out
    }
}

/// `min-score = 50` or `min-score = { overall = 50, audience = 40 }`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
enum MinScoreDef {
    Overall(f64),
    Table(MinScores),
}

/// Settings that can be set in the file and in `[[overrides]]`.
#[derive(Debug, Clone, Default)]
struct Common {
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severity: BTreeMap<String, Severity>,
    fail_on: Option<FailOn>,
    min_score: Option<MinScoreDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct OverrideDef {
    files: Vec<String>,
    // The keys of `Common`, spelled out: `serde(flatten)` would lose the
    // position of an unknown key.
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    fail_on: Option<FailOn>,
    min_score: Option<MinScoreDef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigDef {
    #[serde(default)]
    rules: Vec<String>,
    headings: Option<Vec<String>>,
    fallback_headings: Option<Vec<String>>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    max_file_size: Option<u64>,
    #[serde(default)]
    overrides: Vec<OverrideDef>,
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    fail_on: Option<FailOn>,
    min_score: Option<MinScoreDef>,
}

/// `ConfigDef` and `OverrideDef` spell out the same keys (see above); this
/// gathers them into a `Common` for both.
macro_rules! common_from_keys {
    ($($t:ty),*) => {$(
        impl $t {
            fn common(&self) -> Common {
                Common {
                    select: self.select.clone(),
                    ignore: self.ignore.clone(),
                    severity: self.severity.clone(),
                    fail_on: self.fail_on,
                    min_score: self.min_score,
                }
            }
        }
    )*};
}

common_from_keys!(ConfigDef, OverrideDef);

/// A loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it was read from.
    pub path: PathBuf,
    def: ConfigDef,
    include: Option<GlobSet>,
    exclude: GlobSet,
    overrides: Vec<(GlobSet, Common)>,
}

impl Config {
    /// Reads and validates a configuration file.
    ///
    /// # Errors
    /// Unreadable file, TOML errors and unknown keys (with line and column),
    /// bad globs, unknown severities.
    pub fn load(path: &Path) -> Result<Self> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: name.clone(),
            source,
        })?;
        Self::parse(&name, &text, path)
    }

    /// Parses configuration `text` read from `path`.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse(name: &str, text: &str, path: &Path) -> Result<Self> {
        let def: ConfigDef = toml::from_str(text)
            .map_err(|e| config_error(name, text, e.span().map(|s| s.start), e.message().trim()))?;
        let set = |globs: &[String]| -> Result<GlobSet> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g).map_err(|e| {
                    config_error(
                        name,
                        text,
                        text.find(g.as_str()),
                        &format!("bad glob `{g}`: {e}"),
                    )
                })?);
            }
            b.build()
                .map_err(|e| config_error(name, text, None, &e.to_string()))
        };
        let include = if def.include.is_empty() {
            None
        } else {
            Some(set(&def.include)?)
        };
        let exclude = set(&def.exclude)?;
        let overrides = def
            .overrides
            .iter()
            .map(|o| Ok((set(&o.files)?, o.common())))
            .collect::<Result<Vec<_>>>()?;
        Ok(Config {
            path: path.to_path_buf(),
            def,
            include,
            exclude,
            overrides,
        })
    }

    /// The directory paths in this file are relative to.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Extra rule packs, resolved against the config's directory.
    pub fn rule_packs(&self) -> Vec<PathBuf> {
        self.def.rules.iter().map(|r| self.dir().join(r)).collect()
    }

    /// `file` relative to the config's directory, for glob matching. Both
    /// are made absolute first: walked paths are relative (`./docs/a.md`)
    /// while a discovered config's path is canonical.
    fn relative(&self, file: &Path) -> PathBuf {
        let absolute = |p: &Path| {
            std::fs::canonicalize(p)
                .or_else(|_| std::path::absolute(p))
                .unwrap_or_else(|_| p.to_path_buf())
        };
        let dir = absolute(self.dir());
        let file = absolute(file);
        file.strip_prefix(&dir)
            .map_or(file.clone(), Path::to_path_buf)
    }

    /// Whether a directory walk should lint `file`.
    pub fn includes(&self, file: &Path) -> bool {
        let rel = self.relative(file);
        self.include.as_ref().is_none_or(|g| g.is_match(&rel)) && !self.exclude.is_match(&rel)
    }

    /// The `[[overrides]]` that apply to `file`, by index: files with the
    /// same config and the same overrides have the same settings.
    pub fn matching_overrides(&self, file: &Path) -> Vec<usize> {
        let rel = self.relative(file);
        (0..self.overrides.len())
            .filter(|&i| self.overrides[i].0.is_match(&rel))
            .collect()
    }

    /// Whether `file` matches an `exclude` glob.
    pub fn excludes(&self, file: &Path) -> bool {
        self.exclude.is_match(self.relative(file))
    }
}

fn config_error(name: &str, text: &str, offset: Option<usize>, message: &str) -> Error {
    let position = offset.map(|o| {
        let p = crate::span::LineIndex::new(text).position(text, o);
        (p.line, p.column)
    });
    Error::Config {
        at: crate::error::Location {
            path: name.to_string(),
            position,
        },
        message: message.to_string(),
    }
}

/// The closest configuration file at or above `start` (a file or folder).
pub fn discover(start: &Path) -> Option<PathBuf> {
    discover_from(&search_start(start))
}

/// The folder a search for `path`'s configuration starts in: the path itself
/// when it is a folder, else the folder holding it. Files of one folder share
/// it, so a caller linting many can search once per folder.
pub fn search_start(path: &Path) -> PathBuf {
    let start = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new(""))
    };
    if start.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        start.to_path_buf()
    }
}

/// The closest configuration file in `folder` or above it.
pub fn discover_from(folder: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    absolute.ancestors().find_map(|dir| {
        CONFIG_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

/// Where a setting's value came from, for `purpose-lint config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in default.
    Default,
    /// A configuration file (and override, if any).
    File(String),
    /// A command-line flag.
    CommandLine,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File(p) => f.write_str(p),
            Origin::CommandLine => f.write_str("command line"),
        }
    }
}

/// What the command line sets; `None` leaves the config (or default) alone.
#[derive(Debug, Clone, Default)]
pub struct CliSettings {
    /// Extra packs from `--rules`.
    pub rules: Vec<PathBuf>,
    /// `--select`.
    pub select: Option<Vec<String>>,
    /// `--ignore`, added to the config's.
    pub ignore: Vec<String>,
    /// `--fail-on`.
    pub fail_on: Option<FailOn>,
    /// `--min-score` (overall).
    pub min_score: Option<f64>,
    /// `--max-file-size`.
    pub max_file_size: Option<u64>,
}

/// Everything that decides how one file is linted and judged.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Extra rule packs, in load order.
    pub rules: Vec<PathBuf>,
    /// Run only rules matching one of these (ids or prefixes); all if `None`.
    pub select: Option<Vec<String>>,
    /// Never run rules matching these.
    pub ignore: Vec<String>,
    /// Severity overrides by rule id or prefix (longest match wins).
    pub severity: BTreeMap<String, Severity>,
    /// The least severity that fails a run.
    pub fail_on: FailOn,
    /// Minimum scores.
    pub min_score: MinScores,
    /// Purpose headings, primary and fallback.
    pub headings: crate::PurposeHeadings,
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Where each setting came from, by key, for `purpose-lint config`.
    pub origins: BTreeMap<&'static str, Origin>,
}

impl Settings {
    /// Settings for `file` from an optional config and the command line.
    pub fn resolve(config: Option<&Config>, file: Option<&Path>, cli: &CliSettings) -> Self {
        let mut s = Settings {
            rules: Vec::new(),
            select: None,
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            fail_on: FailOn::Warning,
            min_score: MinScores::default(),
            headings: crate::PurposeHeadings::default(),
            max_file_size: crate::input::DEFAULT_MAX_FILE_SIZE,
            origins: BTreeMap::new(),
        };
        for key in [
            "rules",
            "select",
            "ignore",
            "severity",
            "fail-on",
            "min-score",
            "headings",
            "max-file-size",
        ] {
            s.origins.insert(key, Origin::Default);
        }
        if let Some(c) = config {
            let origin = Origin::File(c.path.display().to_string());
            if !c.def.rules.is_empty() {
                s.rules = c.rule_packs();
                s.origins.insert("rules", origin.clone());
            }
            if let Some(h) = &c.def.headings {
                s.headings.primary = h.iter().map(|x| x.to_lowercase()).collect();
                s.origins.insert("headings", origin.clone());
            }
            if let Some(h) = &c.def.fallback_headings {
                s.headings.fallback = h.iter().map(|x| x.to_lowercase()).collect();
                s.origins.insert("headings", origin.clone());
            }
            if let Some(m) = c.def.max_file_size {
                s.max_file_size = m;
                s.origins.insert("max-file-size", origin.clone());
            }
            s.apply(&c.def.common(), &origin);
            if let Some(f) = file {
                let rel = c.relative(f);
                for (i, (globs, common)) in c.overrides.iter().enumerate() {
                    if globs.is_match(&rel) {
                        let o = Origin::File(format!("{} (overrides[{i}])", c.path.display()));
                        s.apply(common, &o);
                    }
                }
            }
        }
        if !cli.rules.is_empty() {
            s.rules.extend(cli.rules.iter().cloned());
            s.origins.insert("rules", Origin::CommandLine);
        }
        if let Some(sel) = &cli.select {
            s.select = Some(sel.clone());
            s.origins.insert("select", Origin::CommandLine);
        }
        if !cli.ignore.is_empty() {
            s.ignore.extend(cli.ignore.iter().cloned());
            s.origins.insert("ignore", Origin::CommandLine);
        }
        if let Some(f) = cli.fail_on {
            s.fail_on = f;
            s.origins.insert("fail-on", Origin::CommandLine);
        }
        if let Some(m) = cli.min_score {
            s.min_score.overall = m;
            s.origins.insert("min-score", Origin::CommandLine);
        }
        if let Some(m) = cli.max_file_size {
            s.max_file_size = m;
            s.origins.insert("max-file-size", Origin::CommandLine);
        }
        s
    }

    fn apply(&mut self, c: &Common, origin: &Origin) {
        if let Some(sel) = &c.select {
            self.select = Some(sel.clone());
            self.origins.insert("select", origin.clone());
        }
        if !c.ignore.is_empty() {
            self.ignore.extend(c.ignore.iter().cloned());
            self.origins.insert("ignore", origin.clone());
        }
        if !c.severity.is_empty() {
            self.severity
                .extend(c.severity.iter().map(|(k, v)| (k.clone(), *v)));
            self.origins.insert("severity", origin.clone());
        }
        if let Some(f) = c.fail_on {
            self.fail_on = f;
            self.origins.insert("fail-on", origin.clone());
        }
        match c.min_score {
            Some(MinScoreDef::Overall(m)) => {
                self.min_score.overall = m;
                self.origins.insert("min-score", origin.clone());
            }
            Some(MinScoreDef::Table(t)) => {
                self.min_score = t;
                self.origins.insert("min-score", origin.clone());
            }
            None => {}
        }
    }

    /// Whether rule `id` runs under `select` and `ignore`.
    pub fn enabled(&self, id: &str) -> bool {
        let matches = |sel: &String| selector_matches(sel, id);
        self.select.as_ref().is_none_or(|s| s.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }

    /// The severity of rule `id`: the longest matching override, or `default`.
    pub fn severity_of(&self, id: &str, default: Severity) -> Severity {
        self.severity
            .iter()
            .filter(|(sel, _)| selector_matches(sel, id))
            .max_by_key(|(sel, _)| sel.len())
            .map_or(default, |(_, s)| *s)
    }

    /// A key identifying everything that shapes the rule set, so files that
    /// share settings share one compiled linter.
    pub fn linter_key(&self) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}",
            self.rules, self.select, self.ignore, self.severity, self.headings
        )
    }
}

/// A selector is a full rule id, a group prefix ending in `/`, a prefix of an
/// id followed by `-` or `/`, or `ALL`.
pub fn selector_matches(selector: &str, id: &str) -> bool {
    selector == "ALL"
        || selector == id
        || (selector.ends_with('/') && id.starts_with(selector))
        || (id.starts_with(selector) && matches!(id.as_bytes().get(selector.len()), Some(b'/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse("c.toml", text, Path::new("proj/c.toml"))
    }

    #[test]
    fn selectors_match_ids_and_prefixes() {
        assert!(selector_matches("audience/", "audience/everyone"));
        assert!(selector_matches("audience", "audience/everyone"));
        assert!(selector_matches("audience/everyone", "audience/everyone"));
        assert!(!selector_matches("audience/every", "audience/everyone"));
        assert!(!selector_matches("outcome/", "audience/everyone"));
    }

    #[test]
    fn unknown_keys_are_errors_with_position() {
        let e = parse("fail-on = \"error\"\nfial-on = 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("c.toml:2:1: invalid configuration: unknown field `fial-on`"),
            "{e}"
        );
    }

    #[test]
    fn overrides_apply_by_glob_and_cli_wins() {
        let c = parse(
            "fail-on = \"info\"\nignore = [\"clarity/\"]\nmin-score = 40\n[[overrides]]\nfiles = [\"drafts/**\"]\nfail-on = \"never\"\nmin-score = { overall = 10, audience = 5 }\n",
        )
        .unwrap();
        let s = Settings::resolve(
            Some(&c),
            Some(Path::new("proj/README.md")),
            &CliSettings::default(),
        );
        assert_eq!(s.fail_on, FailOn::Info);
        assert_eq!(s.min_score.overall, 40.0);
        assert!(!s.enabled("clarity/long-sentence"));
        let s = Settings::resolve(
            Some(&c),
            Some(Path::new("proj/drafts/a.md")),
            &CliSettings::default(),
        );
        assert_eq!(s.fail_on, FailOn::Never);
        assert_eq!(s.min_score.audience, 5.0);
        let cli = CliSettings {
            fail_on: Some(FailOn::Error),
            ..CliSettings::default()
        };
        let s = Settings::resolve(Some(&c), Some(Path::new("proj/drafts/a.md")), &cli);
        assert_eq!(s.fail_on, FailOn::Error);
        assert_eq!(s.origins["fail-on"], Origin::CommandLine);
    }

    #[test]
    fn severity_overrides_take_the_longest_selector() {
        let c = parse("[severity]\n\"outcome/\" = \"info\"\n\"outcome/vague-good\" = \"error\"\n")
            .unwrap();
        let s = Settings::resolve(Some(&c), None, &CliSettings::default());
        assert_eq!(
            s.severity_of("outcome/vague-good", Severity::Warning),
            Severity::Error
        );
        assert_eq!(
            s.severity_of("outcome/missing", Severity::Warning),
            Severity::Info
        );
        assert_eq!(
            s.severity_of("audience/everyone", Severity::Warning),
            Severity::Warning
        );
    }
}
