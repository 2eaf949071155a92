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
    /// What is wrong and, where it helps, what is allowed.
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
    /// The model file cannot be read.
    #[error("{}: cannot read model file: {source}", file.display())]
    Io {
        /// The model file.
        file: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax or shape errors (unknown key, missing key, wrong type), as reported
    /// by the TOML parser with its span turned into a line.
    #[error("{}:{line}: {msg}", file.display())]
    Syntax {
        /// The model file (or the origin given to [`crate::Model::from_toml`]).
        file: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// The parser's message.
        msg: String,
    },
    /// Semantic validation: every problem found, not only the first.
    #[error("{}: invalid model:{}", file.display(), list(problems))]
    Invalid {
        /// The model file.
        file: PathBuf,
        /// Every problem, in file order.
        problems: Vec<Problem>,
    },
    /// The census layer stack does not provide what the model declares.
    #[error("model `{model}`: {}", list_plain(problems))]
    Stack {
        /// Model id.
        model: String,
        /// Every missing or mismatched layer.
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
    /// The scorer got a different number of input slices than the model has inputs.
    #[error("model `{model}` takes {expected} input layers, got {got}")]
    InputCount {
        /// Model id.
        model: String,
        /// Inputs the model declares ([`crate::Model::inputs`]).
        expected: usize,
        /// Slices given.
        got: usize,
    },
    /// An input slice and the output differ in length.
    #[error("model `{model}`: input `{input}` has {got} cells, output has {expected}")]
    InputLength {
        /// Model id.
        model: String,
        /// Input layer id.
        input: String,
        /// Cells of the output.
        expected: usize,
        /// Cells of the input slice.
        got: usize,
    },
    /// A chunk size outside `1..=MAX_CHUNK` ([`crate::Program::with_chunk`]).
    #[error("model `{model}`: chunk size {chunk} is outside 1..={max}")]
    Chunk {
        /// Model id.
        model: String,
        /// The chunk size asked for, in cells.
        chunk: usize,
        /// [`crate::MAX_CHUNK`].
        max: usize,
    },
    /// Levels were asked of a model without a `[classification]`.
    #[error("model `{model}` has no [classification]: levels cannot be produced")]
    NoClassification {
        /// Model id.
        model: String,
    },
    /// A lookup factor with `unknown = "error"` met a value outside its table.
    #[error("model `{model}`: factor `{factor}`: class code {value} at cell {cell} is not in the lookup table (unknown = \"error\")")]
    UnknownClass {
        /// Model id.
        model: String,
        /// Factor id.
        factor: String,
        /// The input value (not an integer code, or a code not in the table).
        value: f32,
        /// Index of the cell in the slices handed to the scorer.
        cell: usize,
    },
}
