//! `manifest.json`: what a run used and produced — engine and GDAL versions, the
//! census and its grid, every input source with its SHA-256, the models and
//! operators with their versions, parameter hashes and class breaks, seeds, the
//! zoning report, every output file with its SHA-256, and the stage timings.
//!
//! Paths are relative to the census folder (inputs) or the run folder (outputs), `/`
//! separated, so a manifest does not depend on where the census lives. Everything but
//! `timings` is a function of the inputs: two runs on the same inputs give manifests
//! equal after removing `timings`. The engine writes it; the report reads it.

use std::collections::BTreeMap;

use riskcensus_core::GridSpec;
use serde::{Deserialize, Serialize};

/// The provenance of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of the engine that made the run.
    pub engine_version: String,
    /// Version of the GDAL library the engine was linked against.
    #[serde(default)]
    pub gdal_version: String,
    /// The census the run is of.
    pub census: CensusEntry,
    /// Survey sources of `census.toml`, by id.
    #[serde(default)]
    pub inputs: Vec<FileEntry>,
    /// Models and built-in operators, with versions, parameter hashes and breaks.
    #[serde(default)]
    pub models: Vec<ModelEntry>,
    /// The hazards of the run's model library (its `hazard.toml` files) in map and
    /// report order: ids, names, order.
    #[serde(default)]
    pub hazards: Vec<riskcensus_core::HazardInfo>,
    /// Seeds of the seeded steps (`census` is the demo generator's, 0 for a real census).
    #[serde(default)]
    pub seeds: BTreeMap<String, u64>,
    /// The zoning stage's report (options, zoned layers, unit counts, notes).
    #[serde(default)]
    pub zoning: serde_json::Value,
    /// Every output file of the run, with its SHA-256.
    #[serde(default)]
    pub outputs: Vec<FileEntry>,
    /// Wall time per stage, seconds (the only part that is not reproducible).
    #[serde(default)]
    pub timings: BTreeMap<String, f64>,
}

/// The census a run is of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CensusEntry {
    /// The census folder relative to the run folder (`census` for the demo,
    /// `../..` for `<census>/out/<run-id>`), `/`-separated.
    pub dir: String,
    /// `[census] name`.
    pub name: String,
    /// `[census] code` (GB/T 2260).
    pub code: String,
    /// The census grid.
    pub grid: GridSpec,
}

/// A file with its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Source id (inputs) or file stem (outputs).
    pub id: String,
    /// Path relative to the census folder (inputs) or the run folder (outputs).
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// A model or built-in operator that ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelEntry {
    /// Model id.
    pub id: String,
    /// Model version.
    pub version: String,
    /// SHA-256 of the validated parameters.
    pub param_hash: String,
    /// The output layer (or a pattern of outputs for operators).
    pub output: String,
    /// Classification method, when the model classifies.
    pub method: Option<String>,
    /// Inner class breaks, when the model classifies.
    pub breaks: Option<Vec<f64>>,
}

impl Manifest {
    /// Parse the text of a `manifest.json`.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The model entry that wrote `output`.
    pub fn model_for(&self, output: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.output == output)
    }
}
