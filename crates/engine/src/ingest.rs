//! Survey ingestion facade: the census database (`census.gpkg`) and the census
//! schema, driven by [`riskcensus_survey`]. Re-exports its API and adds
//! [`ingest_census_sources`], which loads every `[[vector]]` and `[[table]]` source a
//! `census.toml` lists into the database (admin units first).

use std::path::Path;

pub use riskcensus_survey::{
    schema, Census, DbFeature, FieldValue, IngestOptions, IngestReport, Problem, Query, Rule,
    SourceCrs, SurveyError,
};

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

/// The census layer (schema table) a `census.toml` source id is loaded into, with
/// the source-layer name when it differs. Ids follow the demo census and the
/// schema's own names; unknown ids are skipped.
pub fn layer_for_source(id: &str) -> Option<&'static str> {
    Some(match id {
        "county" | "townships" | "villages" | "village_boundaries" | "admin_units" => "admin_units",
        "seats" | "admin_seats" => "admin_seats",
        "seismic_pga" | "seismic_zones" => "seismic_zones",
        "rescue_stations" | "rescue_teams" => "rescue_teams",
        "fire_history" | "fire_points" => "fire_points",
        other => schema::layer(other)?.name,
    })
}

/// Ingest every vector and table source of the census (admin units first, so the
/// others get their township and village codes). Returns one report per source;
/// a source that fails as a whole is returned as `Err` in its slot.
pub fn ingest_census_sources(
    config: &CensusConfig,
) -> Result<Vec<(String, Result<IngestReport, SurveyError>)>, EngineError> {
    ingest_sources(config, false)
}

/// Ingest the sources of the census that no committed batch has loaded yet
/// ([`Census::is_loaded`]): what a run does before it prepares, so a census whose
/// load was killed part-way is completed, and a loaded census is left alone.
pub fn ingest_pending_sources(
    config: &CensusConfig,
) -> Result<Vec<(String, Result<IngestReport, SurveyError>)>, EngineError> {
    ingest_sources(config, true)
}

fn ingest_sources(
    config: &CensusConfig,
    pending_only: bool,
) -> Result<Vec<(String, Result<IngestReport, SurveyError>)>, EngineError> {
    let census = Census::from_parts(
        &config.dir,
        &config.census.name,
        &config.census.code,
        config.grid.clone(),
    );
    let mut jobs: Vec<(String, &'static str, &Path, IngestOptions)> = Vec::new();
    for v in &config.vectors {
        if let Some(layer) = layer_for_source(&v.id) {
            jobs.push((
                v.id.clone(),
                layer,
                &v.path,
                IngestOptions {
                    layer: layer.into(),
                    source_layer: v.layer.clone(),
                    encoding: v.encoding.clone(),
                    ..Default::default()
                },
            ));
        }
    }
    for t in &config.tables {
        if let Some(layer) = layer_for_source(&t.id) {
            jobs.push((
                t.id.clone(),
                layer,
                &t.path,
                IngestOptions {
                    layer: layer.into(),
                    source_crs: t.crs.clone(),
                    encoding: t.encoding.clone(),
                    x: t.x.clone(),
                    y: t.y.clone(),
                    ..Default::default()
                },
            ));
        }
    }
    // Admin units first (county, townships, villages in file order).
    jobs.sort_by_key(|(_, layer, _, _)| *layer != "admin_units");
    let mut out = Vec::new();
    for (id, _, path, opts) in jobs {
        let source = config.source_path(path);
        if pending_only {
            match census.is_loaded(&source, &opts) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => {
                    out.push((id, Err(e)));
                    continue;
                }
            }
        }
        let r = census.ingest(&source, &opts);
        out.push((id, r));
    }
    Ok(out)
}
