//! Reading what the user named: files, directories (walked for charter-like
//! files, honouring `.gitignore`), and standard input.
//!
//! Text must be UTF-8 (a UTF-8 byte order mark is dropped; UTF-16 with a BOM
//! is decoded). Byte offsets in reports are offsets into this decoded text.
//! Binary files (a NUL byte) and files over the size limit are refused with
//! an error naming the file; nothing is ever written.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::span::LineIndex;

/// Extensions a directory walk picks up.
pub const WALK_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Default limit on one file's size, in bytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// One thing to lint, as named or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file path.
    File(PathBuf),
    /// Standard input.
    Stdin,
}

impl Input {
    /// The name shown in output.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
}

/// Expands the paths a user named into inputs: `-` is stdin, a directory is
/// walked (sorted, `.gitignore`/`.ignore` honoured, hidden files skipped) for
/// `*.md`, `*.markdown` and `*.txt`, anything else is taken as a file.
///
/// # Errors
/// A directory that cannot be walked.
pub fn expand(paths: &[PathBuf]) -> Vec<Result<Input>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Ok(Input::Stdin));
        } else if p.is_dir() {
            let walker = ignore::WalkBuilder::new(p)
                .sort_by_file_name(|a, b| a.cmp(b))
                .require_git(false)
                .build();
            for entry in walker {
                match entry {
                    Ok(e) => {
                        let is_file = e.file_type().is_some_and(|t| t.is_file());
                        if is_file && has_walk_extension(e.path()) {
                            out.push(Ok(Input::File(e.into_path())));
                        }
                    }
                    Err(err) => out.push(Err(Error::Input {
                        at: Location {
                            path: p.display().to_string(),
                            position: None,
                        },
                        message: one_line(&err.to_string()),
                    })),
                }
            }
        } else {
            out.push(Ok(Input::File(p.clone())));
        }
    }
    out
}

fn has_walk_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| WALK_EXTENSIONS.iter().any(|w| w.eq_ignore_ascii_case(e)))
}

/// Reads one input as text.
///
/// # Errors
/// The file is missing, unreadable, larger than `max_size`, binary, or not
/// valid UTF-8 (the error gives the byte offset and line:column).
pub fn read(input: &Input, max_size: u64) -> Result<String> {
    let name = input.display();
    let io_err = |source| Error::Io {
        path: name.clone(),
        source,
    };
    let mut bytes = Vec::new();
    match input {
        Input::Stdin => {
            std::io::stdin()
                .lock()
                .take(max_size + 1)
                .read_to_end(&mut bytes)
                .map_err(io_err)?;
        }
        Input::File(path) => {
            // Look before opening: opening a FIFO blocks until a writer
            // comes, and a device could stream forever.
            let meta = std::fs::metadata(path).map_err(io_err)?;
            if meta.is_dir() {
                return Err(input_err(&name, None, "is a directory".into()));
            }
            if !meta.is_file() {
                return Err(input_err(
                    &name,
                    None,
                    "is not a regular file (a FIFO, socket or device); not linted".into(),
                ));
            }
            if meta.len() > max_size {
                return Err(too_large(&name, max_size));
            }
            let file = File::open(path).map_err(io_err)?;
            // Room for the whole file (and the byte that would say it grew):
            // grown from empty, a 3 KB file took nine reads.
            bytes.reserve_exact(usize::try_from(meta.len()).map_or(0, |n| n.saturating_add(1)));
            // `take` bounds the read even if the file grows while we read it.
            file.take(max_size + 1)
                .read_to_end(&mut bytes)
                .map_err(io_err)?;
        }
    }
    if bytes.len() as u64 > max_size {
        return Err(too_large(&name, max_size));
    }
    decode(&name, bytes)
}

/// Turns bytes into text: drops a UTF-8 BOM, decodes UTF-16 with a BOM,
/// refuses binary data and invalid UTF-8.
///
/// # Errors
/// As [`read`].
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode(name, rest.to_vec());
    }
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(word) = utf16 {
        let body = &bytes[2..];
        if !body.len().is_multiple_of(2) {
            return Err(input_err(
                name,
                None,
                "UTF-16 file has an odd number of bytes".into(),
            ));
        }
        let units = body.chunks_exact(2).map(|c| word([c[0], c[1]]));
        return char::decode_utf16(units)
            .enumerate()
            .map(|(i, c)| {
                c.map_err(|_| {
                    input_err(
                        name,
                        None,
                        format!("invalid UTF-16 at byte offset {}", 2 + 2 * i),
                    )
                })
            })
            .collect();
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(input_err(
            name,
            None,
            format!("binary file (NUL byte at byte offset {nul}); not linted"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let good = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let pos = LineIndex::new(&good).position(&good, valid);
        input_err(
            name,
            Some((pos.line, pos.column)),
            format!("invalid UTF-8 at byte offset {valid}; not linted"),
        )
    })
}

fn too_large(name: &str, max_size: u64) -> Error {
    input_err(
        name,
        None,
        format!("file is larger than the {max_size}-byte limit (set --max-file-size to raise it)"),
    )
}

/// Whether an error says the input is binary: a directory walk skips such
/// files with a note instead of failing the run.
pub fn is_binary(error: &Error) -> bool {
    matches!(error, Error::Input { message, .. } if message.starts_with("binary file"))
}

fn input_err(name: &str, position: Option<(usize, usize)>, message: String) -> Error {
    Error::Input {
        at: Location {
            path: name.to_string(),
            position,
        },
        message,
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_utf16() {
        assert_eq!(decode("f", b"\xEF\xBB\xBFhi".to_vec()).unwrap(), "hi");
        let utf16le: Vec<u8> = [0xFF, 0xFE, b'h', 0, b'i', 0].to_vec();
        assert_eq!(decode("f", utf16le).unwrap(), "hi");
    }

    #[test]
    fn refuses_binary_and_bad_utf8_with_offsets() {
        let e = decode("f", b"ab\0c".to_vec()).unwrap_err().to_string();
        assert_eq!(e, "f: binary file (NUL byte at byte offset 2); not linted");
        let e = decode("f", b"ok\nab\xFFc".to_vec())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "f:2:3: invalid UTF-8 at byte offset 5; not linted");
    }
}
