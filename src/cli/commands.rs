//! The listing and tooling subcommands: `rules`, `explain`, `check-pack`,
//! `config`, `completions`, `man`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::CommandFactory;
use serde_json::json;

use purpose_lint::config::{CliSettings, Settings};
use purpose_lint::rules::{self, Rule, RuleKind, RuleSet, examples};
use purpose_lint::{Linter, SourceKind};

use super::args::{Cli, ListFormat};
use super::run::Configs;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

fn load(extra: &[PathBuf]) -> Result<RuleSet> {
    let mut packs = Vec::new();
    for p in extra {
        packs.extend(rules::read_packs(p)?);
    }
    Ok(RuleSet::load(&packs)?)
}

/// The severity shown for a rule: none for rules that never report.
fn shown_severity(r: &Rule) -> Option<&'static str> {
    match r.kind {
        RuleKind::Signal | RuleKind::Mask => None,
        _ => Some(r.severity.as_str()),
    }
}

/// `summary` cut to about `max` characters at a word boundary.
fn one_line(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        if out.chars().count() + word.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

fn rule_json(r: &Rule) -> serde_json::Value {
    json!({
        "id": r.id,
        "dimension": r.dimension,
        "severity": shown_severity(r),
        "kind": r.kind.name(),
        "weight": r.weight,
        "pack": r.pack,
        "summary": r.summary(),
        "explanation": r.explanation.trim(),
        "examples": { "hit": r.examples.hit, "miss": r.examples.miss },
    })
}

/// `purpose-lint rules`.
pub fn list(format: ListFormat, extra: &[PathBuf]) -> Result<u8> {
    let set = load(extra)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        ListFormat::Json => {
            let all: Vec<_> = set.rules().iter().map(rule_json).collect();
            serde_json::to_writer_pretty(&mut out, &json!({ "version": 1, "rules": all }))?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            let width = set.rules().iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in set.rules() {
                writeln!(
                    out,
                    "{:<width$}  {:<12}  {:<7}  {:<12}  {}",
                    r.id,
                    r.dimension.as_str(),
                    shown_severity(r).unwrap_or("-"),
                    r.kind.name(),
                    one_line(&r.summary(), 90)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `purpose-lint explain RULE`.
pub fn explain(id: &str, format: ListFormat, extra: &[PathBuf]) -> Result<u8> {
    let set = load(extra)?;
    let Some(rule) = set.get(id) else {
        let near: Vec<&str> = set
            .rules()
            .iter()
            .map(|r| r.id.as_str())
            .filter(|r| {
                r.contains(id)
                    || id
                        .split('/')
                        .next_back()
                        .is_some_and(|tail| r.contains(tail))
            })
            .collect();
        if near.is_empty() {
            bail!("unknown rule `{id}`; `purpose-lint rules` lists them all");
        }
        bail!("unknown rule `{id}`; did you mean {}?", near.join(", "));
    };
    let linter = Linter {
        rules: set.clone(),
        headings: Default::default(),
    };
    let kind = match rule.examples.format {
        rules::ExampleFormat::Text => SourceKind::Text,
        rules::ExampleFormat::Markdown => SourceKind::Markdown,
    };
    let messages = |text: &str| -> Vec<String> {
        linter
            .lint_str("example", text, kind)
            .findings
            .into_iter()
            .filter(|f| f.rule == rule.id)
            .map(|f| f.message)
            .collect()
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    match format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rule_json(rule))?;
            writeln!(out)?;
        }
        ListFormat::Human => {
            writeln!(out, "# {}\n", rule.id)?;
            writeln!(
                out,
                "dimension: {}    severity: {}    kind: {}    weight: {:+}    pack: {}\n",
                rule.dimension,
                rule.severity,
                rule.kind.name(),
                rule.weight,
                rule.pack
            )?;
            writeln!(out, "{}\n", rule.explanation.trim())?;
            if !rule.message.is_empty() {
                writeln!(
                    out,
                    "Message: {}\nSuggestion: {}",
                    rule.message, rule.suggestion
                )?;
                if !rule.suggestion_examples.is_empty() {
                    // Which one shows depends on the words the statement already uses.
                    writeln!(out, "{{example}}: {}", rule.suggestion_examples.join(" | "))?;
                }
                writeln!(out)?;
            }
            writeln!(out, "## Flagged\n")?;
            for t in &rule.examples.hit {
                writeln!(out, "    {}", t.trim().replace('\n', "\n    "))?;
                for m in messages(t) {
                    writeln!(out, "    -> {m}")?;
                }
            }
            writeln!(out, "\n## Clean\n")?;
            for t in &rule.examples.miss {
                writeln!(out, "    {}", t.trim().replace('\n', "\n    "))?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `purpose-lint check-pack PATH...`: load the packs on top of the built-in
/// ones, then run the examples of every rule they define.
pub fn check_pack(paths: &[PathBuf]) -> Result<u8> {
    let mut out = io::stdout().lock();
    let mut sources = Vec::new();
    for p in paths {
        sources.extend(rules::read_packs(p)?);
    }
    let set = match RuleSet::load(&sources) {
        Ok(s) => s,
        Err(e) => {
            writeln!(io::stderr(), "purpose-lint: error: {e}")?;
            return Ok(EXIT_ERROR);
        }
    };
    let mut failed = 0;
    for src in &sources {
        let own: Vec<&Rule> = set.rules().iter().filter(|r| r.pack == src.path).collect();
        let examples: usize = own
            .iter()
            .map(|r| r.examples.hit.len() + r.examples.miss.len())
            .sum();
        let failures = examples::check(&set, Some(&src.path));
        for f in &failures {
            writeln!(out, "{f}")?;
        }
        failed += failures.len();
        writeln!(
            out,
            "{}: {} rule(s), {} example(s), {} failed",
            src.path,
            own.len(),
            examples,
            failures.len()
        )?;
    }
    Ok(if failed > 0 { EXIT_FINDINGS } else { EXIT_OK })
}

/// `purpose-lint config [PATH]`: the settings for PATH and their origins.
pub fn show_config(path: &Path, config: Option<&Path>, isolated: bool) -> Result<u8> {
    let mut configs = Configs::new(config, isolated)?;
    let found = configs.for_path(path)?;
    let s = Settings::resolve(found.as_deref(), Some(path), &CliSettings::default());
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "# settings for {} (config: {})",
        path.display(),
        found
            .as_ref()
            .map_or("none".to_string(), |c| c.path.display().to_string())
    )?;
    let list = |v: &[String]| {
        format!(
            "[{}]",
            v.iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let rows: Vec<(&str, String)> = vec![
        (
            "rules",
            list(
                &s.rules
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "select",
            s.select.as_deref().map_or("all".to_string(), list),
        ),
        ("ignore", list(&s.ignore)),
        (
            "severity",
            format!(
                "{{{}}}",
                s.severity
                    .iter()
                    .map(|(k, v)| format!("{k:?} = {:?}", v.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        ("fail-on", format!("{:?}", s.fail_on.as_str())),
        (
            "min-score",
            format!(
                "{{ overall = {}, audience = {}, outcome = {}, contribution = {} }}",
                s.min_score.overall,
                s.min_score.audience,
                s.min_score.outcome,
                s.min_score.contribution
            ),
        ),
        ("headings", list(&s.headings.primary)),
        ("max-file-size", s.max_file_size.to_string()),
    ];
    for (key, value) in rows {
        writeln!(out, "{key} = {value}    # {}", s.origins[key])?;
    }
    Ok(EXIT_OK)
}

/// `purpose-lint completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Result<u8> {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "purpose-lint",
        &mut io::stdout(),
    );
    Ok(EXIT_OK)
}

/// `purpose-lint man`.
pub fn man() -> Result<u8> {
    clap_mangen::Man::new(Cli::command()).render(&mut io::stdout())?;
    Ok(EXIT_OK)
}
