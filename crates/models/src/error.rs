//! Errors of the model library. Every error says where: the model file, the line and
//! the dotted key (`factors[2].transform.x1`, `weights.ahp.matrix`), or the tile cell.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a model file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// 1-based line of the offending key (0 when the file has no such key, e.g. a
    /// missing one; the line of its parent table is used where known).
    pub line: usize,
    /// Dotted key path, array indices in brackets: `factors[0].transform.x0`.
    pub key: String,
    pub msg: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: `{}`: {}", self.line, self.key, self.msg)
    }
}

/// Errors loading or validating a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{}: cannot read model file: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax or shape errors (unknown key, missing key, wrong type), as reported
    /// by the TOML parser with its span turned into a line.
    #[error("{}:{line}: {msg}", file.display())]
    Syntax {
        file: PathBuf,
        line: usize,
        msg: String,
    },
    /// Semantic validation: every problem found, not only the first.
    #[error("{}: invalid model:{}", file.display(), list(problems))]
    Invalid {
        file: PathBuf,
        problems: Vec<Problem>,
    },
    /// The census layer stack does not provide what the model declares.
    #[error("model `{model}`: {}", list_plain(problems))]
    Stack {
        model: String,
        problems: Vec<String>,
    },
}

fn list(p: &[Problem]) -> String {
    p.iter().map(|p| format!("\n  {p}")).collect()
}

fn list_plain(p: &[String]) -> String {
    p.join("; ")
}

impl ModelError {
    /// The problems of an [`ModelError::Invalid`] error (empty otherwise).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ModelError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

/// Errors scoring a tile.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreError {
    #[error("model `{model}` takes {expected} input layers, got {got}")]
    InputCount {
        model: String,
        expected: usize,
        got: usize,
    },
    #[error("model `{model}`: input `{input}` has {got} cells, output has {expected}")]
    InputLength {
        model: String,
        input: String,
        expected: usize,
        got: usize,
    },
    #[error("model `{model}`: chunk size {chunk} is outside 1..={max}")]
    Chunk {
        model: String,
        chunk: usize,
        max: usize,
    },
    #[error("model `{model}` has no [classification]: levels cannot be produced")]
    NoClassification { model: String },
    #[error("model `{model}`: factor `{factor}`: class code {value} at cell {cell} is not in the lookup table (unknown = \"error\")")]
    UnknownClass {
        model: String,
        factor: String,
        value: f32,
        /// Index of the cell in the slices handed to the scorer.
        cell: usize,
    },
}
