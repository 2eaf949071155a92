//! Errors of the io crate; every variant says where.

use std::path::PathBuf;

use riskcensus_core::Window;

#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("{path}: cannot open: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: gdal::errors::GdalError,
    },
    #[error("{path}: not a raster (no bands)")]
    NoBands { path: PathBuf },
    #[error("{path}: band {band} does not exist (the raster has {count} band(s))")]
    NoSuchBand {
        path: PathBuf,
        band: usize,
        count: usize,
    },
    #[error("{path}: has no CRS; every input must declare one (a CRS is never guessed)")]
    NoCrs { path: PathBuf },
    #[error("{path}: geotransform is missing or rotated ({gt:?}); rasters must be north-up")]
    BadGeotransform { path: PathBuf, gt: [f64; 6] },
    #[error("{path}: CRS {crs:?} is not understood: {source}")]
    BadCrs {
        path: PathBuf,
        crs: String,
        #[source]
        source: gdal::errors::GdalError,
    },
    #[error("{path}: band {band}: cannot read window {window:?}: {source}")]
    Read {
        path: PathBuf,
        band: usize,
        window: Window,
        #[source]
        source: gdal::errors::GdalError,
    },
    #[error("{path}: band {band}: cannot write window {window:?}: {source}")]
    Write {
        path: PathBuf,
        band: usize,
        window: Window,
        #[source]
        source: gdal::errors::GdalError,
    },
    #[error("{path}: {what}: {source}")]
    Gdal {
        path: PathBuf,
        what: String,
        #[source]
        source: gdal::errors::GdalError,
    },
    #[error("{path}: {what}")]
    Invalid { path: PathBuf, what: String },
    #[error("{path}: {source}")]
    Fs {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("CRS {crs:?}: {source}")]
    Crs {
        crs: String,
        #[source]
        source: gdal::errors::GdalError,
    },
    #[error("cannot transform coordinates from {from} to {to}: {msg}")]
    Transform {
        from: String,
        to: String,
        msg: String,
    },
}

impl IoError {
    /// True when the error is the input's fault (a bad, missing or unreadable file,
    /// no CRS, a wrong band): the CLI exits 2 for these, 1 for failures of the
    /// engine or environment (a full disk, a GDAL driver missing).
    pub fn is_input_error(&self) -> bool {
        match self {
            IoError::Open { .. }
            | IoError::NoBands { .. }
            | IoError::NoSuchBand { .. }
            | IoError::NoCrs { .. }
            | IoError::BadGeotransform { .. }
            | IoError::BadCrs { .. }
            | IoError::Read { .. }
            | IoError::Invalid { .. }
            | IoError::Crs { .. }
            | IoError::Transform { .. } => true,
            IoError::Fs { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
            IoError::Write { .. } | IoError::Gdal { .. } => false,
        }
    }

    pub(crate) fn gdal(
        path: impl Into<PathBuf>,
        what: impl Into<String>,
    ) -> impl FnOnce(gdal::errors::GdalError) -> IoError {
        let (path, what) = (path.into(), what.into());
        move |source| IoError::Gdal { path, what, source }
    }

    pub(crate) fn fs(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> IoError {
        let path = path.into();
        move |source| IoError::Fs { path, source }
    }
}
