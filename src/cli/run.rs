//! `purpose-lint [check]`: find the inputs, resolve each file's settings,
//! lint in parallel, report in input order, decide the exit code.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use anyhow::Result;

use purpose_lint::Report;
use purpose_lint::config::{CliSettings, Config, Settings, discover_from, search_start};
use purpose_lint::document::Document;
use purpose_lint::input;
use purpose_lint::report::{
    Concise, Github, Human, Json, Junit, Reporter, Sarif, Statistics, Summary,
};

use super::args::{CheckArgs, ColorChoice, Format};
use super::inputs::{Inputs, Item};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// Batches waiting for a worker, at most: enough to keep every core busy.
const QUEUE: usize = 8;

/// Inputs handed to a worker at once when there are many.
const BATCH: usize = 16;

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
    let configs = Configs::new(args.config.as_deref(), args.isolated)?;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    let mut inputs = Inputs::new(args, cli, configs, paths);
    // Look far enough ahead to know whether this is a run over a few files,
    // for which patterns compile the cheap way, or one file, linted on this
    // thread while the other cores compile ahead.
    let mut ahead: Vec<Result<Item, String>> = Vec::new();
    let mut exhausted = false;
    while ahead.len() <= purpose_lint::rules::FEW_DOCUMENTS {
        match inputs.next() {
            Some(slot) => ahead.push(slot?),
            None => {
                exhausted = true;
                break;
            }
        }
    }
    inputs.expect_documents(if exhausted { ahead.len() } else { usize::MAX });
    let single = exhausted && ahead.len() == 1 && !args.no_parallel;

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

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = match (args.no_parallel, exhausted) {
        (true, _) => 1,
        (false, true) => cores.min(ahead.len().max(1)),
        (false, false) => cores,
    };
    if exhausted && workers == 1 {
        // One worker and every input known (one file, or a few with
        // `--no-parallel`): linted on this thread, in order. A worker
        // thread cost its start and a heap of its own, touched page by
        // page (a page fault is ~2 µs here), where this thread reuses the
        // memory loading the rules freed.
        for slot in &ahead {
            handle(slot, outcome_of(slot, single), &mut out)?;
        }
    } else {
        // A few inputs go one at a time, so every core gets one; many go in
        // batches, so the threads hand work over (and wake each other) once a
        // batch rather than once a file.
        let batch = if exhausted { 1 } else { BATCH };
        // Inputs stream to the workers through a bounded queue and come back
        // with their outcomes; memory does not grow with the number of files.
        let (work_tx, work_rx) = mpsc::sync_channel::<Vec<(usize, Result<Item, String>)>>(QUEUE);
        let work_rx = Mutex::new(work_rx);
        let (done_tx, done_rx) = mpsc::channel::<Vec<(usize, Result<Item, String>, Outcome)>>();
        std::thread::scope(|scope| -> Result<()> {
            for _ in 0..workers {
                let (done_tx, work_rx) = (done_tx.clone(), &work_rx);
                scope.spawn(move || {
                    loop {
                        let next = work_rx.lock().expect("not poisoned").recv();
                        let Ok(slots) = next else { break };
                        let done = slots
                            .into_iter()
                            .map(|(i, slot)| {
                                let outcome = outcome_of(&slot, single);
                                (i, slot, outcome)
                            })
                            .collect();
                        if done_tx.send(done).is_err() {
                            break; // the reporter stopped (closed pipe)
                        }
                    }
                });
            }
            drop(done_tx);
            // Report in input order, whatever order the workers finish in.
            let work_tx = work_tx;
            let mut pending: BTreeMap<usize, (Result<Item, String>, Outcome)> = BTreeMap::new();
            let mut want = 0;
            let mut report = |done: Vec<_>, out: &mut io::BufWriter<_>| -> Result<()> {
                for (i, slot, outcome) in done {
                    pending.insert(i, (slot, outcome));
                }
                while let Some((slot, outcome)) = pending.remove(&want) {
                    handle(&slot, outcome, out)?;
                    want += 1;
                }
                Ok(())
            };
            let slots = ahead.into_iter().map(Ok).chain(inputs.by_ref());
            let mut filling = Vec::with_capacity(batch);
            for (i, slot) in slots.enumerate() {
                filling.push((i, slot?));
                if filling.len() < batch {
                    continue;
                }
                let full = std::mem::replace(&mut filling, Vec::with_capacity(batch));
                if work_tx.send(full).is_err() {
                    break;
                }
                while let Ok(done) = done_rx.try_recv() {
                    report(done, &mut out)?;
                }
            }
            if !filling.is_empty() {
                // A worker gone means the reporter stopped; nothing to add.
                let _ = work_tx.send(filling);
            }
            drop(work_tx);
            for done in done_rx {
                report(done, &mut out)?;
            }
            Ok(())
        })?;
    }
    reporter.finish(&mut out, &summary)?;
    out.flush()?;
    // Freeing hundreds of compiled automata one allocation at a time costs
    // more than linting a small file, and the process is about to exit.
    std::mem::forget(inputs);

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

/// What linting one slot gives: an input error's slot is its error.
fn outcome_of(slot: &Result<Item, String>, alone: bool) -> Outcome {
    match slot {
        Ok(item) => lint_one(item, alone),
        Err(m) => Outcome::Failed(m.clone()),
    }
}

fn lint_one(item: &Item, alone: bool) -> Outcome {
    let text = match input::read(&item.input, item.settings.max_file_size) {
        Ok(t) => t,
        Err(e) if item.walked && input::is_binary(&e) => return Outcome::Skipped(e.to_string()),
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let doc = Document::parse(&item.name, text, item.kind, &item.linter.headings);
    let report = if alone {
        item.linter.lint_compiling_ahead(&doc)
    } else {
        item.linter.lint(&doc)
    };
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
    /// The file found from each folder searched: a walk of 10,000 files in
    /// one folder searches once, not once per file (each search resolves the
    /// folder and tests two names in every folder above it).
    by_folder: HashMap<PathBuf, Option<PathBuf>>,
    /// The last path asked about and its answer: a walk asks for each file
    /// twice (to filter it, then to lint it), and each ask tests the path.
    last: Option<(PathBuf, Option<Arc<Config>>)>,
}

impl Configs {
    /// `--config FILE` or `--isolated`, else discovery.
    pub fn new(explicit: Option<&Path>, isolated: bool) -> purpose_lint::Result<Self> {
        Ok(Configs {
            explicit: explicit.map(Config::load).transpose()?.map(Arc::new),
            isolated,
            by_file: HashMap::new(),
            by_folder: HashMap::new(),
            last: None,
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
        if let Some((last, config)) = &self.last
            && last == path
        {
            return Ok(config.clone());
        }
        let config = self.discovered(path)?;
        self.last = Some((path.to_path_buf(), config.clone()));
        Ok(config)
    }

    /// The closest configuration above `path`, loaded once per file.
    fn discovered(&mut self, path: &Path) -> purpose_lint::Result<Option<Arc<Config>>> {
        let found = self
            .by_folder
            .entry(search_start(path))
            .or_insert_with_key(|folder| discover_from(folder));
        let Some(found) = found.clone() else {
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
