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

#[test]
fn parallel_and_sequential_runs_print_the_same() {
    let dir = std::env::temp_dir().join(format!("purpose-lint-par-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let texts = [
        "Connecting maths teachers.",
        "Nurses in Leeds who swap rotas monthly, so that no shift is uncovered.",
        "We empower everyone to make a difference.",
        "## Purpose\n\nHeads of English in Glasgow, each running one book club a term.",
    ];
    for i in 0..60 {
        let ext = if i % 4 == 3 { "md" } else { "txt" };
        std::fs::write(dir.join(format!("f{i:02}.{ext}")), texts[i % 4]).unwrap();
    }
    std::fs::write(dir.join("zz-bad.txt"), b"\xff\xfe\xfd not utf8").unwrap();
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_purpose-lint"))
            .args(["--format", "json"])
            .args(extra)
            .arg(&dir)
            .output()
            .unwrap()
    };
    let parallel = run(&[]);
    let sequential = run(&["--no-parallel"]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(parallel.status.code(), sequential.status.code());
    assert_eq!(parallel.stdout, sequential.stdout);
    assert_eq!(parallel.stderr, sequential.stderr);
    assert!(String::from_utf8_lossy(&parallel.stdout).contains("f59.md"));
}

#[test]
fn a_walk_reports_files_in_path_order_across_directories() {
    // Paths compare by component: "x/1.md" comes before "x.md" because
    // "x" < "x.md", though '/' sorts after '.' as a byte.
    let dir = std::env::temp_dir().join(format!("purpose-lint-order-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = [
        "b.md",
        "x.md",
        "x/1.md",
        "x/a/z.txt",
        "x-y.md",
        "A.md",
        "x/b.md",
        "c/d/e.txt",
    ];
    for f in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, "Connecting maths teachers.").unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_purpose-lint"))
        .args(["--format", "json", "--isolated"])
        .arg(&dir)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reported: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let mut expected: Vec<std::path::PathBuf> = files.iter().map(|f| dir.join(f)).collect();
    expected.sort();
    let expected: Vec<String> = expected.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(reported, expected);
}

#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // no /dev/full on this system
    };
    let out = Command::new(env!("CARGO_BIN_EXE_purpose-lint"))
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/broad.txt"))
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn sigint_ends_the_run_promptly() {
    // A statement on stdin that never ends: the run waits for input, then
    // SIGINT must end it (it writes no files, so there is nothing to undo).
    let mut child = Command::new(env!("CARGO_BIN_EXE_purpose-lint"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(b"Nurses in Leeds")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "still running after SIGINT"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(2), "ended by SIGINT: {status:?}");
}
