//! The one way an operator's parameter file is read and checked: parsed as written
//! with unknown keys refused ([`parse_toml`], syntax and shape errors with the
//! file and line), then every problem collected with its line and dotted key
//! ([`Checker`]) into one [`ModelError::Invalid`].

use std::path::Path;

use crate::error::{ModelError, Problem};
use crate::locate::{dotted, Locator, Step};

/// Parse TOML text into `T`; syntax and shape errors (unknown or missing keys, wrong
/// types) carry `origin` and the line of the parser's span.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    text: &str,
    origin: &Path,
) -> Result<T, ModelError> {
    toml::from_str(text).map_err(|e| ModelError::Syntax {
        file: origin.to_path_buf(),
        line: e
            .span()
            .map(|s| Locator::new(text).line_of(s.start))
            .unwrap_or(0),
        msg: e.message().trim().to_string(),
    })
}

/// Collects the problems of one file, each with the line of its key.
pub(crate) struct Checker {
    loc: Locator,
    problems: Vec<Problem>,
}

impl Checker {
    pub(crate) fn new(text: &str) -> Self {
        Self {
            loc: Locator::new(text),
            problems: Vec::new(),
        }
    }

    pub(crate) fn err(&mut self, path: &[Step], msg: impl Into<String>) {
        self.problems.push(Problem {
            line: self.loc.line(path),
            key: dotted(path),
            msg: msg.into(),
        });
    }

    /// The check every operator file shares: it declares the operator that reads
    /// it (`declared` as written, `expected` the reader's name).
    pub(crate) fn operator(&mut self, declared: &str, expected: &str) {
        if declared != expected {
            self.err(
                &[k("operator")],
                format!("operator {declared:?}: only {expected:?} is known"),
            );
        }
    }

    /// The other check every operator file shares: it cites at least one source.
    pub(crate) fn sources(&mut self, sources: &[String]) {
        if sources.is_empty() {
            self.err(&[k("sources")], "cite at least one");
        }
    }

    /// `Ok(value)` when no problem was found, else every problem of `origin`.
    pub(crate) fn finish<T>(self, origin: &Path, value: T) -> Result<T, ModelError> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(ModelError::Invalid {
                file: origin.to_path_buf(),
                problems: self.problems,
            })
        }
    }
}

pub(crate) fn k(s: &str) -> Step {
    Step::Key(s.to_string())
}

pub(crate) fn at(key: &str, i: usize) -> Vec<Step> {
    vec![k(key), Step::Index(i)]
}
