//! One run: load packs, read each input, lint, report, decide the exit code.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use purpose_lint::document::{Document, SourceKind};
use purpose_lint::input::{self, Input};
use purpose_lint::report::{Human, Json, Reporter, Summary};
use purpose_lint::{Linter, PackSource, PurposeHeadings, RuleSet, Severity};

use super::args::{Args, ColorChoice, FailOn, Format};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// Runs the linter; returns the exit code, or an error for a setup failure
/// (bad pack, unwritable output).
pub fn run(args: &Args) -> Result<u8> {
    let packs = read_packs(&args.rules)?;
    let rules = RuleSet::load(&packs)?;
    let linter = Linter {
        rules,
        headings: PurposeHeadings::default(),
    };

    let stdout = io::stdout();
    let color = use_color(args.color, stdout.is_terminal());
    let mut out = io::BufWriter::new(stdout.lock());
    let mut reporter: Box<dyn Reporter> = match args.format {
        Format::Human => Box::new(Human::new(color).with_explain(args.explain_score)),
        Format::Json => Box::new(Json::new()),
    };

    let mut summary = Summary::default();
    let mut below_min = false;
    let mut stderr = io::stderr();
    for item in input::expand(&args.paths) {
        let lint_one = |inp: Input| -> purpose_lint::Result<(Document, purpose_lint::Report)> {
            let text = input::read(&inp, args.max_file_size)?;
            let name = inp.display();
            let kind = match inp {
                Input::Stdin if args.stdin_markdown => SourceKind::Markdown,
                Input::Stdin => SourceKind::Text,
                Input::File(_) => SourceKind::from_path(&name),
            };
            let doc = Document::parse(&name, text, kind, &linter.headings);
            let report = linter.lint(&doc);
            Ok((doc, report))
        };
        match item.and_then(lint_one) {
            Ok((doc, report)) => {
                summary.add(&report);
                if args.min_score > 0.0 && report.scores.overall < args.min_score {
                    below_min = true;
                }
                reporter.file(&mut out, &doc, &report)?;
            }
            Err(e) => {
                summary.errors += 1;
                out.flush()?;
                writeln!(stderr, "purpose-lint: error: {e}")?;
            }
        }
    }
    reporter.finish(&mut out, &summary)?;
    out.flush()?;

    if summary.errors > 0 {
        return Ok(EXIT_ERROR);
    }
    let failing = match args.fail_on {
        FailOn::Error => summary.at_or_above(Severity::Error),
        FailOn::Warning => summary.at_or_above(Severity::Warning),
        FailOn::Info => summary.at_or_above(Severity::Info),
        FailOn::Never => 0,
    };
    Ok(if failing > 0 || below_min {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
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

/// Reads `--rules` paths: a file, or every `*.toml` in a folder (sorted).
fn read_packs(paths: &[PathBuf]) -> Result<Vec<PackSource>> {
    let mut packs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("{}: cannot read rule folder", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            files.sort();
            for f in files {
                packs.push(read_pack(&f)?);
            }
        } else {
            packs.push(read_pack(path)?);
        }
    }
    Ok(packs)
}

fn read_pack(path: &Path) -> Result<PackSource> {
    let name = path.display().to_string();
    let text = input::read(
        &Input::File(path.to_path_buf()),
        input::DEFAULT_MAX_FILE_SIZE,
    )?;
    Ok(PackSource { path: name, text })
}
