//! `purpose-lint [check]`: find the inputs, resolve each file's settings,
//! lint in parallel, report in input order, decide the exit code.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use anyhow::Result;

use purpose_lint::config::{CliSettings, Config, Settings, discover};
use purpose_lint::document::{Document, SourceKind};
use purpose_lint::input::{self, Input, WALK_EXTENSIONS};
use purpose_lint::report::{
    Concise, Github, Human, Json, Junit, Reporter, Sarif, Statistics, Summary,
};
use purpose_lint::{Linter, Report};

use super::args::{CheckArgs, ColorChoice, Format};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// One file (or stdin) to lint, with everything needed to lint it.
struct Item {
    input: Input,
    /// Found by a directory walk rather than named by the user.
    walked: bool,
    name: String,
    kind: SourceKind,
    settings: Arc<Settings>,
    linter: Arc<Linter>,
}

/// What linting one slot produced; messages are one line.
enum Outcome {
    Linted(Box<(Document, Report)>),
    /// Not linted, and not an error: a binary file a directory walk found.
    Skipped(String),
    Failed(String),
}

/// Runs the linter; returns the exit code, or an error for a setup failure
/// (bad config or pack, unwritable output).
pub fn check(args: &CheckArgs) -> Result<u8> {
    let cli = CliSettings {
        rules: args.rules.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on: args.fail_on.map(Into::into),
        min_score: args.min_score,
        max_file_size: args.max_file_size,
    };
    let mut configs = Configs::new(args.config.as_deref(), args.isolated)?;
    let mut linters: HashMap<String, Arc<Linter>> = HashMap::new();
    // Files with the same config and overrides share one `Settings`.
    let mut shared: HashMap<(Option<PathBuf>, Vec<usize>), Arc<Settings>> = HashMap::new();
    // In input order: a file to lint, or why an input cannot be linted.
    let mut items: Vec<Result<Item, String>> = Vec::new();

    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    for found in find_inputs(&paths, &mut configs, args.force_exclude)? {
        let (input, walked) = match found {
            Ok(i) => i,
            Err(e) => {
                items.push(Err(e.to_string()));
                continue;
            }
        };
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
        let config = configs.for_path(&config_path)?;
        let settings_key = (
            config.as_ref().map(|c| c.path.clone()),
            config
                .as_ref()
                .map_or(Vec::new(), |c| c.matching_overrides(&config_path)),
        );
        let settings = shared
            .entry(settings_key)
            .or_insert_with(|| {
                Arc::new(Settings::resolve(
                    config.as_deref(),
                    Some(&config_path),
                    &cli,
                ))
            })
            .clone();
        let key = settings.linter_key();
        let linter = match linters.get(&key) {
            Some(l) => l.clone(),
            None => {
                let l = Arc::new(Linter::from_settings(&settings)?);
                linters.insert(key, l.clone());
                l
            }
        };
        items.push(Ok(Item {
            input,
            walked,
            name,
            kind,
            settings,
            linter,
        }));
    }

    let stdout = io::stdout();
    let color = use_color(args.color, stdout.is_terminal());
    let mut out = io::BufWriter::new(stdout.lock());
    let mut reporter = reporter(args, color);
    let mut summary = Summary::default();
    let mut failing = false;
    let mut stderr = io::stderr();

    let mut handle = |slot: &Result<Item, String>,
                      outcome: Outcome,
                      out: &mut dyn Write|
     -> Result<()> {
        // An input error's slot always carries an error outcome.
        match (slot.as_ref().ok(), outcome) {
            (Some(item), Outcome::Linted(linted)) => {
                let (doc, report) = *linted;
                summary.add(&report);
                if report
                    .findings
                    .iter()
                    .any(|f| item.settings.fail_on.fails(f.severity))
                {
                    failing = true;
                }
                let low = item.settings.min_score.failures(&report.scores);
                if !low.is_empty() {
                    summary.below_min += 1;
                    failing = true;
                    out.flush()?;
                    for d in low {
                        let (what, got, min) = match d {
                            None => (
                                "overall",
                                report.scores.overall,
                                item.settings.min_score.overall,
                            ),
                            Some(d) => {
                                (d.as_str(), report.scores.get(d), min_of(&item.settings, d))
                            }
                        };
                        writeln!(
                            stderr,
                            "purpose-lint: {}: {what} score {got:.0} is below the minimum {min:.0}",
                            item.name
                        )?;
                    }
                }
                reporter.file(out, &doc, &report, &item.linter)?;
            }
            (_, Outcome::Failed(message)) => {
                summary.errors += 1;
                out.flush()?;
                writeln!(stderr, "purpose-lint: error: {message}")?;
            }
            (_, Outcome::Skipped(message)) => {
                out.flush()?;
                writeln!(stderr, "purpose-lint: note: skipped {message}")?;
            }
            (None, Outcome::Linted(_)) => {}
        }
        Ok(())
    };

    let workers = if args.no_parallel {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(items.len().max(1))
    };
    // One file: the rules compile on every core before it is linted.
    let single = items.len() == 1 && !args.no_parallel;
    // Patterns compile with the engines worth building for this many files.
    for linter in linters.values() {
        linter.rules.expect_documents(items.len());
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..workers {
            let tx = tx.clone();
            let (items, next) = (&items, &next);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(slot) = items.get(i) else { break };
                    let outcome = match slot {
                        Ok(item) => lint_one(item, single),
                        Err(m) => Outcome::Failed(m.clone()),
                    };
                    if tx.send((i, outcome)).is_err() {
                        break; // the reporter stopped (closed pipe)
                    }
                }
            });
        }
        drop(tx);
        // Report in input order, whatever order the workers finish in.
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut want = 0;
        for (i, outcome) in rx {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&want) {
                handle(&items[want], outcome, &mut out)?;
                want += 1;
            }
        }
        Ok(())
    })?;
    reporter.finish(&mut out, &summary)?;
    out.flush()?;
    // Freeing hundreds of compiled automata one allocation at a time costs
    // more than linting a small file, and the process is about to exit.
    std::mem::forget(items);
    std::mem::forget(linters);

    Ok(if summary.errors > 0 {
        EXIT_ERROR
    } else if failing && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn min_of(settings: &Settings, d: purpose_lint::Dimension) -> f64 {
    match d {
        purpose_lint::Dimension::Audience => settings.min_score.audience,
        purpose_lint::Dimension::Outcome => settings.min_score.outcome,
        _ => settings.min_score.contribution,
    }
}

fn lint_one(item: &Item, prepare: bool) -> Outcome {
    let text = match input::read(&item.input, item.settings.max_file_size) {
        Ok(t) => t,
        Err(e) if item.walked && input::is_binary(&e) => return Outcome::Skipped(e.to_string()),
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let doc = Document::parse(&item.name, text, item.kind, &item.linter.headings);
    if prepare {
        item.linter.rules.prepare(doc.text());
    }
    let report = item.linter.lint(&doc);
    Outcome::Linted(Box::new((doc, report)))
}

fn reporter(args: &CheckArgs, color: bool) -> Box<dyn Reporter> {
    if args.statistics {
        return Box::new(Statistics::default());
    }
    match args.format {
        Format::Human => Box::new(
            Human::new(color)
                .with_explain(args.explain_score)
                .with_scores(!args.quiet),
        ),
        Format::Concise => Box::new(Concise),
        Format::Json => Box::new(Json::new()),
        Format::Github => Box::new(Github::new(
            std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        )),
        Format::Sarif => Box::new(Sarif::new()),
        Format::Junit => Box::new(Junit::new()),
    }
}

/// `--color`: `always`/`never` as asked; `auto` colours only a terminal and
/// only when NO_COLOR is unset or empty (https://no-color.org).
fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Configuration files, loaded once each: the explicit one, none, or the
/// closest one above each path.
pub struct Configs {
    explicit: Option<Arc<Config>>,
    isolated: bool,
    by_file: HashMap<PathBuf, Arc<Config>>,
}

impl Configs {
    /// `--config FILE` or `--isolated`, else discovery.
    pub fn new(explicit: Option<&Path>, isolated: bool) -> purpose_lint::Result<Self> {
        Ok(Configs {
            explicit: explicit.map(Config::load).transpose()?.map(Arc::new),
            isolated,
            by_file: HashMap::new(),
        })
    }

    /// The configuration that applies to `path`.
    pub fn for_path(&mut self, path: &Path) -> purpose_lint::Result<Option<Arc<Config>>> {
        if self.isolated {
            return Ok(None);
        }
        if let Some(c) = &self.explicit {
            return Ok(Some(c.clone()));
        }
        let Some(found) = discover(path) else {
            return Ok(None);
        };
        if let Some(c) = self.by_file.get(&found) {
            return Ok(Some(c.clone()));
        }
        let c = Arc::new(Config::load(&found)?);
        self.by_file.insert(found, c.clone());
        Ok(Some(c))
    }
}

/// Expands the named paths: `-` is stdin; a directory is walked in
/// parallel (honouring `.gitignore`/`.ignore`, skipping hidden files) for
/// charter-like files that the applicable config includes, in sorted order;
/// a named file is linted even when excluded, unless `force_exclude`.
fn find_inputs(
    paths: &[PathBuf],
    configs: &mut Configs,
    force_exclude: bool,
) -> purpose_lint::Result<Vec<purpose_lint::Result<(Input, bool)>>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Ok((Input::Stdin, false)));
        } else if p.is_dir() {
            let found: Mutex<Vec<purpose_lint::Result<PathBuf>>> = Mutex::new(Vec::new());
            ignore::WalkBuilder::new(p)
                .require_git(false)
                .build_parallel()
                .run(|| {
                    let found = &found;
                    Box::new(move |entry| {
                        let item = match entry {
                            Ok(e) => {
                                let is_file = e.file_type().is_some_and(|t| t.is_file());
                                let ext_ok = e
                                    .path()
                                    .extension()
                                    .and_then(|x| x.to_str())
                                    .is_some_and(|x| {
                                        WALK_EXTENSIONS.iter().any(|w| w.eq_ignore_ascii_case(x))
                                    });
                                if !(is_file && ext_ok) {
                                    return ignore::WalkState::Continue;
                                }
                                Ok(e.into_path())
                            }
                            Err(err) => Err(purpose_lint::Error::Input {
                                at: purpose_lint::error::Location {
                                    path: p.display().to_string(),
                                    position: None,
                                },
                                message: err
                                    .to_string()
                                    .split_whitespace()
                                    .collect::<Vec<_>>()
                                    .join(" "),
                            }),
                        };
                        found.lock().expect("not poisoned").push(item);
                        ignore::WalkState::Continue
                    })
                });
            let mut found = found.into_inner().expect("not poisoned");
            found.sort_by(|a, b| match (a, b) {
                (Ok(x), Ok(y)) => x.cmp(y),
                (Ok(_), Err(_)) => std::cmp::Ordering::Less,
                (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
                (Err(x), Err(y)) => x.to_string().cmp(&y.to_string()),
            });
            for f in found {
                match f {
                    Ok(path) => {
                        let included = match configs.for_path(&path)? {
                            Some(c) => c.includes(&path),
                            None => true,
                        };
                        if included {
                            out.push(Ok((Input::File(path), true)));
                        }
                    }
                    Err(e) => out.push(Err(e)),
                }
            }
        } else {
            let excluded = force_exclude && configs.for_path(p)?.is_some_and(|c| c.excludes(p));
            if !excluded {
                out.push(Ok((Input::File(p.clone()), false)));
            }
        }
    }
    Ok(out)
}
