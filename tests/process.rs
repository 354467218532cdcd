//! How the process behaves around its output: colour decisions (`--color
//! always` colours, `never` does not, `auto` never colours a pipe or under
//! NO_COLOR), and a closed pipe ends the run quietly.

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

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Enough output to fill the pipe buffer, then the reader goes away.
    let dir = std::env::temp_dir().join(format!("purpose-lint-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for i in 0..200 {
        let p = dir.join(format!("s{i:03}.txt"));
        std::fs::write(
            &p,
            "We empower everyone to get involved and make a difference.\n",
        )
        .unwrap();
        paths.push(p);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_purpose-lint"))
        .args(&paths)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
