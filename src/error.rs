//! The library's error type: every error names the file and, where there is
//! one, the line and column, so a user can go straight to the problem.

use std::fmt;

/// Where in a file an error is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it.
    pub path: String,
    /// 1-based line and column, when the error has a position.
    pub position: Option<(usize, usize)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{}:{}", self.path, line, col),
            None => write!(f, "{}", self.path),
        }
    }
}

/// Everything that can go wrong while loading packs or reading input.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file's content cannot be linted (not UTF-8, binary, too large).
    Input {
        /// Where.
        at: Location,
        /// What is wrong, lowercase, without a full stop.
        message: String,
    },
    /// A configuration file is invalid.
    Config {
        /// Where in the file.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// A rule pack is invalid: TOML syntax, unknown key, bad pattern, unknown
    /// lexicon, duplicate id, missing field.
    Pack {
        /// Where in the pack.
        at: Location,
        /// What is wrong and, where possible, how to fix it.
        message: String,
    },
}

impl Error {
    /// A pack error at a byte offset of `text`.
    pub(crate) fn pack_at(path: &str, text: &str, offset: Option<usize>, message: String) -> Self {
        let position = offset.map(|o| {
            let p = crate::span::LineIndex::new(text).position(text, o);
            (p.line, p.column)
        });
        Error::Pack {
            at: Location {
                path: path.to_string(),
                position,
            },
            message,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{path}: {source}"),
            Error::Input { at, message } => write!(f, "{at}: {message}"),
            Error::Pack { at, message } => write!(f, "{at}: invalid rule pack: {message}"),
            Error::Config { at, message } => write!(f, "{at}: invalid configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
