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
    // flood, prepare, zoning
    /// A CSV table could not be written.
    #[error("{}: cannot write the CSV table", path.display())]
    Csv {
        /// The table's file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// A stage needs a layer that the layer stack does not hold, or holds in
    /// another unit.
    #[error("{needed_by} needs the layer {layer:?}{} in the layer stack{}", in_unit(.unit), hint_text(.hint))]
    NeedsLayer {
        /// The stage or model that needs it, e.g. `flood depth screen flood_depth`.
        needed_by: String,
        /// The layer id.
        layer: String,
        /// The unit the layer must have, when it matters.
        unit: Option<&'static str>,
        /// What produces the layer, when the user can do something about it.
        hint: Option<&'static str>,
    },
    /// A raster source's resampling does not suit it (`census.toml`).
    #[error("raster source {layer:?}: resampling")]
    Resampling {
        /// The source's id.
        layer: String,
        /// What is wrong.
        #[source]
        source: crate::config::ResamplingError,
    },
    /// Terrain was asked of a DEM in a geographic CRS.
    #[error("{}: the DEM is in a geographic CRS (degrees); terrain needs metres: warp it to a projected CRS first (riskcensus prepare does)", path.display())]
    GeographicDem {
        /// The DEM.
        path: PathBuf,
    },
    /// The DEM's cells cannot be used for terrain (a cell size that is not a finite
    /// number of metres > 0).
    #[error("{}: the DEM's grid cannot be used for terrain", path.display())]
    DemGrid {
        /// The DEM.
        path: PathBuf,
        /// The kernel's refusal.
        #[source]
        source: riskcensus_kernels::KernelError,
    },
    /// A terrain option outside its range.
    #[error("terrain option {option} = {value} is outside {allowed}")]
    TerrainOption {
        /// The option, as [`crate::stages::prepare::terrain::TerrainOptions`] names it.
        option: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range.
        allowed: &'static str,
    },
    /// A kernel failed computing a layer.
    #[error("layer {layer}: cannot compute it")]
    Kernel {
        /// The layer being computed.
        layer: String,
        /// The kernel's error (cell, parameter or shape).
        #[source]
        source: riskcensus_kernels::KernelError,
    },
    /// The shelter accessibility grid (2SFCA) could not be computed.
    #[error("census database, shelters{}: shelter accessibility (2SFCA)", .record.as_ref().map(|r| format!(" record {r:?}")).unwrap_or_default())]
    Shelters {
        /// The shelter record at fault (its `id`), when one is.
        record: Option<String>,
        /// The cause.
        #[source]
        source: riskcensus_models::capacity::CapacityError,
    },
    /// An admin unit's polygon cannot be laid on the census grid.
    #[error("census database, admin_units {code:?}: cell coverage of the polygon")]
    UnitCoverage {
        /// The unit's code.
        code: String,
        /// The cause (a vertex that is not finite, with its polygon, ring and index).
        #[source]
        source: riskcensus_zoning::ZoningError,
    },
    /// The prevention rules file is invalid.
    #[error("{}: invalid prevention rules", path.display())]
    PreventionRules {
        /// The rules file (`models/zoning/prevention.toml` or the census's own).
        path: PathBuf,
        /// Every problem found.
        #[source]
        source: riskcensus_zoning::prevention::RulesError,
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
            // flood, prepare, zoning
            EngineError::Csv { .. } => false,
            EngineError::NeedsLayer { .. }
            | EngineError::Resampling { .. }
            | EngineError::GeographicDem { .. }
            | EngineError::DemGrid { .. }
            | EngineError::TerrainOption { .. }
            | EngineError::PreventionRules { .. } => true,
            EngineError::Kernel { source, .. } => matches!(
                source,
                riskcensus_kernels::KernelError::BadCellSize(_)
                    | riskcensus_kernels::KernelError::BadParameter { .. }
            ),
            EngineError::Shelters { source, .. } => matches!(
                source,
                riskcensus_models::capacity::CapacityError::BadShelter { .. }
            ),
            EngineError::UnitCoverage { source, .. } => {
                matches!(source, riskcensus_zoning::ZoningError::BadCoordinate { .. })
            }
        }
    }

    pub(crate) fn fs(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> EngineError {
        let path = path.into();
        move |source| EngineError::Fs { path, source }
    }
}

fn in_unit(unit: &Option<&'static str>) -> String {
    unit.map(|u| format!(" (unit {u})")).unwrap_or_default()
}

fn hint_text(hint: &Option<&'static str>) -> String {
    hint.map(|h| format!(" ({h})")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flood_prepare_zoning_errors_say_where_and_classify_by_cause() {
        let e = EngineError::NeedsLayer {
            needed_by: "flood depth screen flood_depth".into(),
            layer: "hand".into(),
            unit: Some("m"),
            hint: Some("run prepare with a DEM"),
        };
        assert_eq!(
            e.to_string(),
            "flood depth screen flood_depth needs the layer \"hand\" (unit m) in the layer stack (run prepare with a DEM)"
        );
        assert!(e.is_input_error());
        // A kernel refusing a parameter is bad input; a D8 cycle is the engine's fault.
        let k = |source| EngineError::Kernel {
            layer: "hand".into(),
            source,
        };
        assert!(k(riskcensus_kernels::KernelError::BadCellSize(0.0)).is_input_error());
        let cycle = k(riskcensus_kernels::KernelError::D8Cycle { row: 1, col: 2 });
        assert!(!cycle.is_input_error());
        let cause = std::error::Error::source(&cycle).unwrap().to_string();
        assert!(cause.contains("(1, 2)"), "{cause}");
        let s = EngineError::Shelters {
            record: Some("S7".into()),
            source: riskcensus_models::capacity::CapacityError::BadShelter {
                index: 3,
                x: 0.0,
                y: 0.0,
                capacity: -1.0,
            },
        };
        assert!(
            s.is_input_error() && s.to_string().contains("\"S7\""),
            "{s}"
        );
    }
}
