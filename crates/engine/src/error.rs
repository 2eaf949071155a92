//! Engine errors, classified for exit codes: bad input (2) vs failure (1).

use std::path::PathBuf;

use riskcensus_io::IoError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{path}: {msg}")]
    Config { path: PathBuf, msg: String },
    #[error(transparent)]
    Io(#[from] IoError),
    #[error("{path}: {source}")]
    Fs {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("layer {layer}: {msg}")]
    Layer { layer: String, msg: String },
    #[error("census database: {0}")]
    Survey(#[from] riskcensus_survey::SurveyError),
    #[error("model {model}: {msg}")]
    Model { model: String, msg: String },
    /// A census's model files cannot be read, or a file the engine needs is missing.
    #[error(transparent)]
    Library(#[from] riskcensus_models::LibraryError),
    /// A scoring model file is invalid (the error names the file, line and key).
    #[error(transparent)]
    ModelFile(#[from] riskcensus_models::ModelError),
    /// Two model files declare the same model id.
    #[error("model id {id:?} is declared by {} and by {} (a census overrides a shipped model by putting its file at the shipped file's path)", first.display(), second.display())]
    DuplicateModel {
        /// The id.
        id: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    #[error("cannot build a thread pool of {threads} threads: {msg}")]
    Threads { threads: usize, msg: String },
    /// The maps or the report of a run could not be made.
    #[error("{}: report", run_dir.display())]
    Report {
        /// The run folder.
        run_dir: PathBuf,
        /// The cause.
        #[source]
        source: riskcensus_report::ReportError,
    },
}

impl EngineError {
    /// True when the user's input is at fault (exit code 2), false for failures of
    /// the engine or its environment (exit code 1).
    pub fn is_input_error(&self) -> bool {
        match self {
            EngineError::Config { .. }
            | EngineError::Layer { .. }
            | EngineError::Model { .. }
            | EngineError::ModelFile(_)
            | EngineError::DuplicateModel { .. } => true,
            EngineError::Library(e) => !matches!(e, riskcensus_models::LibraryError::Read { .. }),
            EngineError::Survey(e) => e.is_input_error(),
            EngineError::Io(e) => e.is_input_error(),
            EngineError::Report { source, .. } => source.is_input_error(),
            EngineError::Threads { .. } => false,
            EngineError::Fs { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
        }
    }

    pub(crate) fn fs(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> EngineError {
        let path = path.into();
        move |source| EngineError::Fs { path, source }
    }
}
