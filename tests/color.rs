//! Colour decisions: `--color always` colours, `never` does not, and `auto`
//! never colours a pipe (which is all a test can give it) or under NO_COLOR.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], no_color: Option<&str>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_purpose-lint"));
    cmd.args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    match no_color {
        Some(v) => cmd.env("NO_COLOR", v),
        None => cmd.env_remove("NO_COLOR"),
    };
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Connecting people.\n")
        .unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
}

const ESC: char = '\u{1b}';

#[test]
fn always_colours_even_in_a_pipe() {
    assert!(run(&["--color", "always"], None).contains(ESC));
    assert!(run(&["--color", "always"], Some("1")).contains(ESC));
}

#[test]
fn never_and_auto_in_a_pipe_do_not() {
    assert!(!run(&["--color", "never"], None).contains(ESC));
    assert!(!run(&[], None).contains(ESC));
    assert!(!run(&["--color", "auto"], Some("1")).contains(ESC));
}
