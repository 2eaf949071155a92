//! Reading CSV tables with the csv crate: [`CsvCause`], a CSV syntax or encoding
//! error kept as the cause of the model errors that read CSV tables (the fragility
//! table, daily weather), and [`LineMap`], the true line of a record.

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

/// The 1-based lines of a text's records. The csv crate counts the lines it reads
/// (blank ones too) but not the comment lines it skips, so with a comment byte the
/// record's line is mapped back to the text's (a comment line is one that starts
/// with the comment byte).
#[derive(Debug, Clone, PartialEq)]
pub struct LineMap {
    /// Lines of the text that are not comments, 1-based; `None` without comments.
    read: Option<Vec<u64>>,
}

impl LineMap {
    /// The map of `text` read with the `comment` byte (or none).
    pub fn new(text: &[u8], comment: Option<u8>) -> Self {
        let read = comment.map(|c| {
            text.split(|&b| b == b'\n')
                .enumerate()
                .filter(|(_, l)| l.first() != Some(&c))
                .map(|(i, _)| i as u64 + 1)
                .collect()
        });
        LineMap { read }
    }

    /// The line of the text at which the record at `pos` starts.
    pub fn line(&self, pos: &csv::Position) -> u64 {
        match &self.read {
            None => pos.line(),
            Some(read) => usize::try_from(pos.line())
                .ok()
                .and_then(|l| l.checked_sub(1))
                .and_then(|l| read.get(l))
                .copied()
                .unwrap_or(pos.line()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Comment and blank lines count: the header is on line 2, the record `6,x` on
    /// line 4 (the csv crate says 1 and 3).
    #[test]
    fn lines_count_comments_and_blanks() {
        let text = b"# a table\nmag,repi_km\n\n6,x\n";
        let map = LineMap::new(text, Some(b'#'));
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .comment(Some(b'#'))
            .from_reader(&text[..]);
        let lines: Vec<(u64, u64)> = rdr
            .records()
            .map(|r| {
                let p = r.unwrap().position().unwrap().clone();
                (p.line(), map.line(&p))
            })
            .collect();
        assert_eq!(lines, vec![(1, 2), (3, 4)]);
        assert_eq!(LineMap::new(text, None).line(&csv::Position::new()), 1);
    }
}
