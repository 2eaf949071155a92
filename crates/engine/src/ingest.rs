//! Survey ingestion facade: the census database (`census.gpkg`) and the census
//! schema, driven by [`riskcensus_survey`]. Re-exports its API and adds
//! [`ingest_census_sources`], which loads every `[[vector]]` and `[[table]]` source a
//! `census.toml` lists into the census table its `kind` names (admin units first;
//! `kind = "reference"` layers are read by stages from their files and not loaded).

pub use riskcensus_survey::{
    schema, Census, DbFeature, FieldValue, IngestOptions, IngestReport, Problem, Query, Rule,
    SourceCrs, SurveyError,
};

use riskcensus_contracts::census_toml::SOURCE_KINDS;
use riskcensus_contracts::tables::census::ADMIN_UNITS;

use crate::config::CensusConfig;
use crate::error::EngineError;

/// Convert a survey error for the engine's error type, keeping the input/failure
/// classification (exit code 2 vs 1).
pub fn engine_error(e: SurveyError) -> EngineError {
    match e {
        SurveyError::Io(io) => EngineError::Io(io),
        e => EngineError::Survey(e),
    }
}

/// The census table a `census.toml` source is loaded into: its declared `kind`
/// (`riskcensus_contracts::census_toml::SOURCE_KINDS`); `None` for a reference layer
/// (read by a stage from its file) or an unknown id. Sources are routed by the kind
/// the census declares for them, never by their id.
pub fn layer_for_source<'a>(config: &'a CensusConfig, id: &str) -> Option<&'a str> {
    config
        .vectors
        .iter()
        .filter(|v| v.id == id)
        .map(|v| &v.kind)
        .chain(config.tables.iter().filter(|t| t.id == id).map(|t| &t.kind))
        .flatten()
        .map(String::as_str)
        .find(|k| SOURCE_KINDS.contains(k))
}

/// One source's outcome: its id in `census.toml` and its ingest report, or the
/// error that stopped it as a whole.
pub type SourceIngest = (String, Result<IngestReport, SurveyError>);

/// Ingest every vector and table source of the census (admin units first, so the
/// others get their township and village codes). Returns one report per source;
/// a source that fails as a whole is returned as `Err` in its slot.
pub fn ingest_census_sources(config: &CensusConfig) -> Result<Vec<SourceIngest>, EngineError> {
    ingest_sources(config, false)
}

/// Ingest the sources of the census that no committed batch has loaded yet
/// ([`Census::is_loaded`]): what a run does before it prepares, so a census whose
/// load was killed part-way is completed, and a loaded census is left alone.
pub fn ingest_pending_sources(config: &CensusConfig) -> Result<Vec<SourceIngest>, EngineError> {
    ingest_sources(config, true)
}

/// One `[[vector]]` or `[[table]]` source of `census.toml` that loads into a census
/// table: its id, its file (relative to the census folder) and how it is read.
#[derive(Debug, Clone)]
pub struct SourceJob {
    /// Source id.
    pub id: String,
    /// File, relative to the census folder.
    pub path: std::path::PathBuf,
    /// The census table (`opts.layer`) and how the file is read.
    pub opts: IngestOptions,
}

/// Every source of the census that loads into a census table (reference layers
/// left out), admin units first (so the others get their township and village
/// codes), in `census.toml` order otherwise.
pub fn source_jobs(config: &CensusConfig) -> Vec<SourceJob> {
    let mut jobs = Vec::new();
    for v in &config.vectors {
        if let Some(layer) = layer_for_source(config, &v.id) {
            jobs.push(SourceJob {
                id: v.id.clone(),
                path: v.path.clone(),
                opts: IngestOptions {
                    layer: layer.into(),
                    source_layer: v.layer.clone(),
                    encoding: v.encoding.clone(),
                    ..Default::default()
                },
            });
        }
    }
    for t in &config.tables {
        if let Some(layer) = layer_for_source(config, &t.id) {
            jobs.push(SourceJob {
                id: t.id.clone(),
                path: t.path.clone(),
                opts: IngestOptions {
                    layer: layer.into(),
                    source_crs: t.crs.clone(),
                    encoding: t.encoding.clone(),
                    x: t.x.clone(),
                    y: t.y.clone(),
                    ..Default::default()
                },
            });
        }
    }
    jobs.sort_by_key(|j| j.opts.layer != ADMIN_UNITS);
    jobs
}

fn ingest_sources(
    config: &CensusConfig,
    pending_only: bool,
) -> Result<Vec<SourceIngest>, EngineError> {
    let census = Census::from_parts(
        &config.dir,
        &config.census.name,
        &config.census.code,
        config.grid.clone(),
    );
    let mut out = Vec::new();
    for job in source_jobs(config) {
        let source = config.source_path(&job.path);
        if pending_only {
            match census.is_loaded(&source, &job.opts) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => {
                    out.push((job.id, Err(e)));
                    continue;
                }
            }
        }
        let r = census.ingest(&source, &job.opts);
        out.push((job.id, r));
    }
    Ok(out)
}
