//! Errors that stop a whole source (as opposed to record problems, which are
//! collected: see [`crate::Problem`]). Every variant names the source.

use std::path::PathBuf;

use riskcensus_io::IoError;

/// An error that stops a whole source or census operation; each variant names the
/// file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    /// An error of the io crate (GDAL/OGR, PROJ, the census database), which carries
    /// its own path, layer or window.
    #[error(transparent)]
    Io(#[from] IoError),
    /// The source holds nothing to load: a 0-byte file, a CSV without a header row,
    /// or no records.
    #[error("{path}: empty source: {what}")]
    Empty {
        /// The source file.
        path: PathBuf,
        /// What is empty (`the file has 0 bytes`, `no header row`, `no records`).
        what: String,
    },
    /// Text does not decode in the given or detected encoding, or the encoding name
    /// (argument, mapping file or `.cpg`) is unknown.
    #[error("{path}: text is not valid {encoding}: {detail}")]
    Encoding {
        /// The source file, or the Shapefile's `.cpg` when that names an unknown
        /// code page.
        path: PathBuf,
        /// The encoding tried (`GBK`, `UTF-8`, `UTF-8 or GBK`) or the unknown name.
        encoding: String,
        /// Where decoding failed (line, feature and field) or why the name is
        /// rejected.
        detail: String,
    },
    /// A source with locations declares no CRS and none was given.
    #[error("{path}: the source declares no CRS (a CRS is never guessed): give --source-crs, e.g. EPSG:4490")]
    NoCrs {
        /// The source file.
        path: PathBuf,
    },
    /// The source CRS (declared or given) cannot be transformed to the census CRS.
    #[error("{path}: CRS {crs:?} is not understood: {detail}")]
    BadCrs {
        /// The source file.
        path: PathBuf,
        /// The CRS as declared or given (`EPSG:n`, WKT or PROJ string).
        crs: String,
        /// PROJ's message.
        detail: String,
    },
    /// Required schema fields have no source column (neither mapped, nor by name,
    /// nor by alias); every missing field is listed.
    #[error("{path}: layer {layer}: required field(s) missing from the source: {}; source fields: {}", .missing.join(", "), .available.join(", "))]
    MissingFields {
        /// The source file.
        path: PathBuf,
        /// The census layer (table name).
        layer: String,
        /// The missing fields as `name (中文)`.
        missing: Vec<String>,
        /// Every column of the source, as decoded.
        available: Vec<String>,
    },
    /// A CSV for a layer with locations has no coordinate columns: the named ones
    /// are absent, or none of the usual pairs is present where a location is
    /// required.
    #[error("{path}: no coordinate columns (looked for {looked}); give --x and --y")]
    NoCoordinates {
        /// The CSV file.
        path: PathBuf,
        /// The `x/y` column pairs looked for, comma-separated.
        looked: String,
    },
    /// A mapping file is not valid TOML, names a field the layer does not have, or
    /// maps a source field the source does not have.
    #[error("{path}: {msg}")]
    Mapping {
        /// The mapping file (the source file when the mapping has no path).
        path: PathBuf,
        /// TOML's message, or the problems (`; `-separated), each naming its
        /// `[fields]` or `[values.*]` key.
        msg: String,
    },
    /// The census layer asked for is not in the census schema.
    #[error("unknown census layer {name:?}; census layers: {known}")]
    UnknownLayer {
        /// The name asked for.
        name: String,
        /// The census layers, comma-separated.
        known: String,
    },
    /// The CSV reader failed on the header or a record.
    #[error("{path}: cannot read CSV: {msg}")]
    Csv {
        /// The CSV file.
        path: PathBuf,
        /// The `csv` crate's message.
        msg: String,
    },
    /// A source exceeds a stated resource bound (a field longer than
    /// `source::MAX_FIELD_BYTES`, a record longer than `source::MAX_RECORD_BYTES`):
    /// refused before it is held in memory, naming the record and field.
    #[error("{path}: {what}")]
    TooLarge {
        /// The source file.
        path: PathBuf,
        /// Which record and field, how large, and the bound.
        what: String,
    },
    /// The file extension is not a supported source format.
    #[error("{path}: unsupported source format (use .gpkg, .shp, .geojson/.json or .csv)")]
    Format {
        /// The source file.
        path: PathBuf,
    },
    /// The census itself is wrong or misused: `census.toml` does not parse or has a
    /// bad `[grid]`, an admin code of the wrong length, a bad result table name or
    /// row.
    #[error("{path}: {msg}")]
    Census {
        /// `census.toml` or the census database.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// The census database cannot be opened, read or written (a `census.gpkg` that
    /// is a directory, a read-only or full disk, a corrupt database): a failure of
    /// the environment, never of the survey source (exit code 1).
    #[error("{path}: the census database cannot be {what}: {source}")]
    Database {
        /// The census database (`census.gpkg`).
        path: PathBuf,
        /// The step: `opened for writing`, `written`, `read`.
        what: String,
        /// The io crate's error (GDAL/SQLite's message).
        #[source]
        source: IoError,
    },
    /// A file-system operation failed.
    #[error("{path}: {source}")]
    Fs {
        /// The file read, opened or locked.
        path: PathBuf,
        /// The cause.
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
            SurveyError::Database { .. } => false,
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
            SurveyError::TooLarge { .. } => "too_large",
            SurveyError::Format { .. } => "format",
            SurveyError::Census { .. } => "census",
            SurveyError::Database { .. } => "database",
            SurveyError::Fs { .. } => "fs",
        }
    }

    pub(crate) fn db(
        path: impl Into<PathBuf>,
        what: &'static str,
    ) -> impl FnOnce(IoError) -> SurveyError {
        let path = path.into();
        move |source| {
            // GDAL says nothing useful ("returned a NULL pointer") about a directory.
            let source = if path.is_dir() {
                IoError::Fs {
                    path: path.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::IsADirectory,
                        "a directory, not a GeoPackage file",
                    ),
                }
            } else {
                source
            };
            SurveyError::Database {
                path,
                what: what.into(),
                source,
            }
        }
    }

    pub(crate) fn fs(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> SurveyError {
        let path = path.into();
        move |source| SurveyError::Fs { path, source }
    }
}
