//! CLI snapshot tests: every case in `tests/cmd` runs the real binary and
//! compares its exit code, stdout and stderr with the committed snapshot.
//! Refresh after a deliberate change with
//! `TRYCMD=overwrite cargo test --test cli` and review the diff.

#[test]
fn cli() {
    trycmd::TestCases::new()
        .case("tests/cmd/*.trycmd")
        .case("tests/cmd/*.toml");
}
