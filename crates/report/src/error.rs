//! Report errors: each names the file, table, layer or field it concerns.

use std::path::PathBuf;

use riskcensus_io::IoError;

/// An error drawing the maps or the report of a run folder.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file or folder of the run that the report needs does not exist.
    #[error("{path}: missing ({what})")]
    Missing {
        /// The file or folder expected (a glob such as `assess/*_level.tif` when
        /// none of a kind was found).
        path: PathBuf,
        /// What it holds and why the report needs it.
        what: String,
    },
    /// A table or layer the report needs is absent from a GeoPackage.
    #[error("{path}: no table {table:?} ({what})")]
    MissingTable {
        /// The GeoPackage.
        path: PathBuf,
        /// The table or layer name.
        table: String,
        /// What it holds and why the report needs it.
        what: String,
    },
    /// A file is present but its content is not what a run writes.
    #[error("{path}: {msg}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        msg: String,
    },
    /// An error of the io crate (GDAL, the GeoPackage reader, atomic writes), which
    /// carries its own path, layer or window.
    #[error(transparent)]
    Io(#[from] IoError),
    /// A file-system operation failed.
    #[error("{path}: {source}")]
    Fs {
        /// The file or folder read, created or written.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// No usable CJK font on this machine.
    #[error("CJK font: {msg}")]
    Font {
        /// Where fonts were looked for, or which file lacks Chinese glyphs, and how
        /// to install one.
        msg: String,
    },
    /// A drawing could not be made (e.g. a page size of zero).
    #[error("map {map}: {msg}")]
    Render {
        /// Id of the map (the level grid's file stem).
        map: String,
        /// What failed.
        msg: String,
    },
}

impl ReportError {
    /// True when the run folder given by the user is at fault (exit code 2), false for
    /// failures of the machine or environment (exit code 1: no font, disk errors).
    pub fn is_input_error(&self) -> bool {
        match self {
            ReportError::Missing { .. }
            | ReportError::MissingTable { .. }
            | ReportError::Invalid { .. } => true,
            ReportError::Io(e) => e.is_input_error(),
            ReportError::Fs { .. } | ReportError::Font { .. } | ReportError::Render { .. } => false,
        }
    }

    pub(crate) fn fs(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ReportError {
        let path = path.into();
        move |source| ReportError::Fs { path, source }
    }

    pub(crate) fn invalid(path: impl Into<PathBuf>, msg: impl Into<String>) -> ReportError {
        ReportError::Invalid {
            path: path.into(),
            msg: msg.into(),
        }
    }
}
