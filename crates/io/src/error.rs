//! Errors of the io crate; every variant says where.

use std::path::PathBuf;

use riskcensus_core::Window;

/// Errors of raster and vector I/O. Each names the file (and band, window, layer or
/// CRS) and keeps GDAL's error as its `source`; [`IoError::is_input_error`] sorts
/// them for the CLI's exit code.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// GDAL cannot open the file (missing driver, corrupt or not a dataset).
    #[error("{path}: cannot open: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// GDAL's error.
        #[source]
        source: gdal::errors::GdalError,
    },
    /// The dataset opened but has no raster band.
    #[error("{path}: not a raster (no bands)")]
    NoBands {
        /// The file.
        path: PathBuf,
    },
    /// A band number (1-based) beyond the raster's band count.
    #[error("{path}: band {band} does not exist (the raster has {count} band(s))")]
    NoSuchBand {
        /// The file.
        path: PathBuf,
        /// The band asked for, 1-based.
        band: usize,
        /// Bands the raster has.
        count: usize,
    },
    /// The dataset declares no CRS; a CRS is never guessed.
    #[error("{path}: has no CRS; every input must declare one (a CRS is never guessed)")]
    NoCrs {
        /// The file.
        path: PathBuf,
    },
    /// The geotransform is missing, rotated or not north-up.
    #[error("{path}: geotransform is missing or rotated ({gt:?}); rasters must be north-up")]
    BadGeotransform {
        /// The file.
        path: PathBuf,
        /// The geotransform GDAL reports.
        gt: [f64; 6],
    },
    /// The dataset's CRS cannot be interpreted by GDAL/PROJ.
    #[error("{path}: CRS {crs:?} is not understood: {source}")]
    BadCrs {
        /// The file.
        path: PathBuf,
        /// The CRS as the file declares it.
        crs: String,
        /// GDAL's error.
        #[source]
        source: gdal::errors::GdalError,
    },
    /// A windowed read failed (a truncated or corrupt block).
    #[error("{path}: band {band}: cannot read window {window:?}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The band, 1-based.
        band: usize,
        /// The window read, in cells of the raster.
        window: Window,
        /// GDAL's error.
        #[source]
        source: gdal::errors::GdalError,
    },
    /// A windowed write failed (disk full, I/O error).
    #[error("{path}: band {band}: cannot write window {window:?}: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The band, 1-based.
        band: usize,
        /// The window written, in cells of the raster.
        window: Window,
        /// GDAL's error.
        #[source]
        source: gdal::errors::GdalError,
    },
    /// Any other GDAL call failed; `what` names the step.
    #[error("{path}: {what}: {source}")]
    Gdal {
        /// The file the call concerned.
        path: PathBuf,
        /// The step, e.g. `"setting geotransform"`.
        what: String,
        /// GDAL's error.
        #[source]
        source: gdal::errors::GdalError,
    },
    /// The file opened but its content breaks a rule of the engine (a grid that is not
    /// square, a window outside the raster, a geometry of the wrong type).
    #[error("{path}: {what}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, for the user.
        what: String,
    },
    /// A file-system operation failed (create, rename, remove, a missing file).
    #[error("{path}: {source}")]
    Fs {
        /// The path operated on.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file system holding `path` is full: a write there failed with no space
    /// left (the OS said so, or GDAL's write failed with the file system out of
    /// space).
    #[error("{path}: no space left on device ({what})")]
    NoSpace {
        /// The file or folder written.
        path: PathBuf,
        /// What was being written, and the underlying message.
        what: String,
    },
    /// A folder or file the command must write is not writable (a read-only file
    /// system or permissions); found before any work is done.
    #[error("{path}: read-only, cannot write {what} ({source})")]
    ReadOnly {
        /// The folder or file.
        path: PathBuf,
        /// What the command writes there.
        what: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// A CRS definition (`EPSG:n` or WKT) that GDAL/PROJ cannot parse.
    #[error("CRS {crs:?}: {source}")]
    Crs {
        /// The definition as given.
        crs: String,
        /// GDAL's error.
        #[source]
        source: gdal::errors::GdalError,
    },
    /// No coordinate transformation between two CRSs, or a point it cannot transform.
    #[error("cannot transform coordinates from {from} to {to}: {msg}")]
    Transform {
        /// Source CRS as given.
        from: String,
        /// Target CRS as given.
        to: String,
        /// GDAL/PROJ's message.
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
            IoError::Write { .. }
            | IoError::Gdal { .. }
            | IoError::NoSpace { .. }
            | IoError::ReadOnly { .. } => false,
        }
    }

    pub(crate) fn gdal(
        path: impl Into<PathBuf>,
        what: impl Into<String>,
    ) -> impl FnOnce(gdal::errors::GdalError) -> IoError {
        let (path, what) = (path.into(), what.into());
        move |source| {
            if crate::files::says_out_of_space(&source.to_string()) {
                IoError::NoSpace {
                    what: format!("{what}: {source}"),
                    path,
                }
            } else {
                IoError::Gdal { path, what, source }
            }
        }
    }

    /// A failed windowed write; a CPL error saying the file system is full (its
    /// message carries the reason) is [`IoError::NoSpace`].
    pub(crate) fn write(
        path: &std::path::Path,
        band: usize,
        window: Window,
        source: gdal::errors::GdalError,
    ) -> IoError {
        if crate::files::says_out_of_space(&source.to_string()) {
            IoError::NoSpace {
                path: path.to_path_buf(),
                what: format!("band {band}: writing window {window:?}: {source}"),
            }
        } else {
            IoError::Write {
                path: path.to_path_buf(),
                band,
                window,
                source,
            }
        }
    }

    pub(crate) fn fs(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> IoError {
        let path = path.into();
        move |source| {
            if source.kind() == std::io::ErrorKind::StorageFull {
                IoError::NoSpace {
                    what: source.to_string(),
                    path,
                }
            } else {
                IoError::Fs { path, source }
            }
        }
    }
}
