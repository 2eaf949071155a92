//! Errors that stop a whole source (as opposed to record problems, which are
//! collected: see [`crate::Problem`]). Every variant names the source.

use std::path::PathBuf;

use riskcensus_io::IoError;

#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("{path}: empty source: {what}")]
    Empty { path: PathBuf, what: String },
    #[error("{path}: text is not valid {encoding}: {detail}")]
    Encoding {
        path: PathBuf,
        encoding: String,
        detail: String,
    },
    #[error("{path}: the source declares no CRS (a CRS is never guessed): give --source-crs, e.g. EPSG:4490")]
    NoCrs { path: PathBuf },
    #[error("{path}: CRS {crs:?} is not understood: {detail}")]
    BadCrs {
        path: PathBuf,
        crs: String,
        detail: String,
    },
    #[error("{path}: layer {layer}: required field(s) missing from the source: {}; source fields: {}", .missing.join(", "), .available.join(", "))]
    MissingFields {
        path: PathBuf,
        layer: String,
        missing: Vec<String>,
        available: Vec<String>,
    },
    #[error("{path}: no coordinate columns (looked for {looked}); give --x and --y")]
    NoCoordinates { path: PathBuf, looked: String },
    #[error("{path}: {msg}")]
    Mapping { path: PathBuf, msg: String },
    #[error("unknown census layer {name:?}; census layers: {known}")]
    UnknownLayer { name: String, known: String },
    #[error("{path}: cannot read CSV: {msg}")]
    Csv { path: PathBuf, msg: String },
    #[error("{path}: unsupported source format (use .gpkg, .shp, .geojson/.json or .csv)")]
    Format { path: PathBuf },
    #[error("{path}: {msg}")]
    Census { path: PathBuf, msg: String },
    #[error("{path}: {source}")]
    Fs {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl SurveyError {
    /// True when the input is at fault (exit code 2); false for failures of the
    /// engine or its environment (exit code 1).
    pub fn is_input_error(&self) -> bool {
        match self {
            SurveyError::Io(e) => e.is_input_error(),
            SurveyError::Fs { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
            _ => true,
        }
    }

    /// A short stable name of the error kind (`no_crs`, `encoding`, …), for JSON
    /// output and tests.
    pub fn name(&self) -> &'static str {
        match self {
            SurveyError::Io(e) if e.is_input_error() => "unreadable",
            SurveyError::Io(_) => "io",
            SurveyError::Empty { .. } => "empty",
            SurveyError::Encoding { .. } => "encoding",
            SurveyError::NoCrs { .. } => "no_crs",
            SurveyError::BadCrs { .. } => "bad_crs",
            SurveyError::MissingFields { .. } => "missing_fields",
            SurveyError::NoCoordinates { .. } => "no_coordinates",
            SurveyError::Mapping { .. } => "mapping",
            SurveyError::UnknownLayer { .. } => "unknown_layer",
            SurveyError::Csv { .. } => "csv",
            SurveyError::Format { .. } => "format",
            SurveyError::Census { .. } => "census",
            SurveyError::Fs { .. } => "fs",
        }
    }

    pub(crate) fn fs(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> SurveyError {
        let path = path.into();
        move |source| SurveyError::Fs { path, source }
    }
}
