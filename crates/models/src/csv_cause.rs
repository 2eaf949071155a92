//! [`CsvCause`]: a CSV syntax or encoding error of the csv crate, kept as the cause
//! of the model errors that read CSV tables (the fragility table, daily weather).

use std::fmt;
use std::sync::Arc;

/// A csv crate error, shared so that the error enums carrying it stay
/// `Clone + PartialEq` (two causes are equal when they are the same error).
#[derive(Debug, Clone)]
pub struct CsvCause(Arc<csv::Error>);

impl CsvCause {
    /// The 1-based line of the record where the error occurred, when known.
    pub fn line(&self) -> Option<u64> {
        self.0.position().map(csv::Position::line)
    }

    /// The csv crate's error.
    pub fn error(&self) -> &csv::Error {
        &self.0
    }
}

impl From<csv::Error> for CsvCause {
    fn from(e: csv::Error) -> Self {
        CsvCause(Arc::new(e))
    }
}

impl PartialEq for CsvCause {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Display for CsvCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for CsvCause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&*self.0)
    }
}
