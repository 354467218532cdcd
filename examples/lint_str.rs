//! Using purpose-lint as a library: `cargo run --example lint_str`.

use purpose_lint::{Linter, SourceKind};

fn main() -> Result<(), purpose_lint::Error> {
    let linter = Linter::builtin()?;
    for text in [
        "Connecting maths teachers.",
        "Connecting maths teachers who teach in schools with higher-than-average pupil premium.",
    ] {
        let report = linter.lint_str("statement.txt", text, SourceKind::Text);
        println!(
            "{:>5.1}  audience {:>5.1}  {text}",
            report.scores.overall, report.scores.audience
        );
        for f in &report.findings {
            println!("       {} {}: {}", f.severity, f.rule, f.message);
        }
    }
    Ok(())
}
