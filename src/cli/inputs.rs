//! The files to lint, found one at a time: named files, stdin, and
//! directories walked in sorted order, each with its settings and linter.
//!
//! Nothing is listed ahead: a run over 100,000 charters holds a few
//! directory handles, not 100,000 paths.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use purpose_lint::Linter;
use purpose_lint::config::{CliSettings, Settings};
use purpose_lint::document::SourceKind;
use purpose_lint::input::{Input, WALK_EXTENSIONS};

use super::args::CheckArgs;
use super::run::Configs;

/// One file (or stdin) to lint, with everything needed to lint it.
pub struct Item {
    pub input: Input,
    /// Found by a directory walk rather than named by the user.
    pub walked: bool,
    pub name: String,
    pub kind: SourceKind,
    pub settings: Arc<Settings>,
    pub linter: Arc<Linter>,
}

/// The inputs in order: each a file to lint or why an input cannot be
/// linted; `Err` from `next` is a setup failure (a bad config or pack).
pub struct Inputs<'a> {
    args: &'a CheckArgs,
    cli: CliSettings,
    configs: Configs,
    paths: std::vec::IntoIter<PathBuf>,
    /// The directory being walked, and the path it was named by.
    walk: Option<(ignore::Walk, PathBuf)>,
    /// Walk errors come after the directory's files, in message order.
    walk_errors: VecDeque<String>,
    /// Files with the same config and overrides share one `Settings`.
    shared: HashMap<(Option<PathBuf>, Vec<usize>), Arc<Settings>>,
    linters: HashMap<String, Arc<Linter>>,
    /// How many documents the linters were told to expect.
    expected: Option<usize>,
}

impl<'a> Inputs<'a> {
    pub fn new(
        args: &'a CheckArgs,
        cli: CliSettings,
        configs: Configs,
        paths: Vec<PathBuf>,
    ) -> Self {
        Inputs {
            args,
            cli,
            configs,
            paths: paths.into_iter(),
            walk: None,
            walk_errors: VecDeque::new(),
            shared: HashMap::new(),
            linters: HashMap::new(),
            expected: None,
        }
    }

    /// Tells every linter, and every one made later, how many documents
    /// the run will lint, so that patterns compile with the engines worth
    /// building for that many.
    pub fn expect_documents(&mut self, documents: usize) {
        self.expected = Some(documents);
        for linter in self.linters.values() {
            linter.rules.expect_documents(documents);
        }
    }

    /// The next file a directory walk finds that the config includes; an
    /// error for a walk error (kept until the walk ends) or a bad config.
    fn next_walked(&mut self) -> Option<purpose_lint::Result<PathBuf>> {
        let (walk, root) = self.walk.as_mut()?;
        loop {
            let entry = match walk.next() {
                None => {
                    let mut errors: Vec<String> = self.walk_errors.drain(..).collect();
                    errors.sort();
                    self.walk_errors.extend(errors);
                    self.walk = None;
                    return None;
                }
                Some(Ok(entry)) => entry,
                Some(Err(err)) => {
                    let error = purpose_lint::Error::Input {
                        at: purpose_lint::error::Location {
                            path: root.display().to_string(),
                            position: None,
                        },
                        message: err
                            .to_string()
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                    };
                    self.walk_errors.push_back(error.to_string());
                    continue;
                }
            };
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            let ext_ok = entry
                .path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| WALK_EXTENSIONS.iter().any(|w| w.eq_ignore_ascii_case(x)));
            if !(is_file && ext_ok) {
                continue;
            }
            let path = entry.into_path();
            let included = match self.configs.for_path(&path) {
                Ok(Some(c)) => c.includes(&path),
                Ok(None) => true,
                Err(e) => return Some(Err(e)),
            };
            if included {
                return Some(Ok(path));
            }
        }
    }

    /// The next input named or found, with whether a walk found it.
    fn next_input(&mut self) -> Option<purpose_lint::Result<Result<(Input, bool), String>>> {
        loop {
            if let Some(found) = self.next_walked() {
                return Some(found.map(|p| Ok((Input::File(p), true))));
            }
            if let Some(error) = self.walk_errors.pop_front() {
                return Some(Ok(Err(error)));
            }
            let p = self.paths.next()?;
            if p.as_os_str() == "-" {
                return Some(Ok(Ok((Input::Stdin, false))));
            } else if p.is_dir() {
                // Sorted by path at every level: the order of a sort of
                // every path found, since paths compare by component.
                let walk = ignore::WalkBuilder::new(&p)
                    .require_git(false)
                    .sort_by_file_path(|a, b| a.cmp(b))
                    .build();
                self.walk = Some((walk, p));
            } else {
                let excluded = self.args.force_exclude
                    && match self.configs.for_path(&p) {
                        Ok(c) => c.is_some_and(|c| c.excludes(&p)),
                        Err(e) => return Some(Err(e)),
                    };
                if !excluded {
                    return Some(Ok(Ok((Input::File(p), false))));
                }
            }
        }
    }

    /// The item for an input: its name, kind, settings and linter.
    fn item(&mut self, input: Input, walked: bool) -> purpose_lint::Result<Item> {
        let args = self.args;
        let (name, kind, config_path) = match &input {
            Input::Stdin => {
                let name = args
                    .stdin_filename
                    .as_ref()
                    .map_or("<stdin>".to_string(), |p| p.display().to_string());
                let md =
                    args.stdin_markdown || SourceKind::from_path(&name) == SourceKind::Markdown;
                let kind = if md {
                    SourceKind::Markdown
                } else {
                    SourceKind::Text
                };
                let at = args
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("."));
                (name, kind, at)
            }
            Input::File(p) => {
                let name = p.display().to_string();
                (name.clone(), SourceKind::from_path(&name), p.clone())
            }
        };
        let config = self.configs.for_path(&config_path)?;
        let settings_key = (
            config.as_ref().map(|c| c.path.clone()),
            config
                .as_ref()
                .map_or(Vec::new(), |c| c.matching_overrides(&config_path)),
        );
        let cli = &self.cli;
        let settings = self
            .shared
            .entry(settings_key)
            .or_insert_with(|| {
                Arc::new(Settings::resolve(
                    config.as_deref(),
                    Some(&config_path),
                    cli,
                ))
            })
            .clone();
        let key = settings.linter_key();
        let linter = match self.linters.get(&key) {
            Some(l) => l.clone(),
            None => {
                let l = Arc::new(Linter::from_settings(&settings)?);
                if let Some(n) = self.expected {
                    l.rules.expect_documents(n);
                }
                self.linters.insert(key, l.clone());
                l
            }
        };
        Ok(Item {
            input,
            walked,
            name,
            kind,
            settings,
            linter,
        })
    }
}

impl Iterator for Inputs<'_> {
    type Item = purpose_lint::Result<Result<Item, String>>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(match self.next_input()? {
            Err(setup) => Err(setup),
            Ok(Err(message)) => Ok(Err(message)),
            Ok(Ok((input, walked))) => self.item(input, walked).map(Ok),
        })
    }
}
