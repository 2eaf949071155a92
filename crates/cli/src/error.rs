//! The command line's errors: its own argument errors beside the library's, each
//! mapped to the exit code the README promises (0 success, 1 failure of the engine
//! or environment, 2 bad input or arguments).

use std::path::PathBuf;

use riskcensus::demo::DemoRunError;
use riskcensus::report::ReportError;
use riskcensus::EngineError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// An argument is wrong (a value out of range, an unknown method name); the
    /// message names the flag.
    #[error("{0}")]
    Args(String),
    /// Validation rejected records of a source; the valid ones were loaded (or, in
    /// a dry run, would be).
    #[error("{0}")]
    Rejected(String),
    /// The engine failed or refused its input.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The demo failed.
    #[error(transparent)]
    Demo(#[from] DemoRunError),
    /// The maps or report of a run failed.
    #[error("{}: report", run_dir.display())]
    Report {
        /// The run folder.
        run_dir: PathBuf,
        /// The cause.
        #[source]
        source: ReportError,
    },
    /// Writing the command's output failed.
    #[error("{}", path.display())]
    Output {
        /// The file (or `<stdout>`).
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl CliError {
    /// The process exit code: 2 for bad input or arguments, 1 for failures.
    pub fn exit_code(&self) -> u8 {
        let input = match self {
            CliError::Args(_) | CliError::Rejected(_) => true,
            CliError::Engine(e) => e.is_input_error(),
            CliError::Demo(e) => e.is_input_error(),
            CliError::Report { source, .. } => source.is_input_error(),
            CliError::Output { .. } => false,
        };
        if input {
            2
        } else {
            1
        }
    }
}
