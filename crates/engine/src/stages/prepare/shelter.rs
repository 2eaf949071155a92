//! The shelter accessibility grid, the stage's I/O: the census database's shelters
//! and the prepared population layer in, `shelter_places_per_person.tif` out. The
//! science — the two-step floating catchment area (2SFCA, Luo & Wang 2003) — is
//! [`riskcensus_models::capacity::two_step_fca`](mod@riskcensus_models::capacity::two_step_fca).
//!
//! Shelters are the census database's `shelters` layer (points in the census CRS,
//! `capacity` persons; a record without a point or a capacity is left out), sorted
//! as the database returns them (by id). Population is the prepared `population`
//! layer (persons per cell). The output (places/person, f32) is defined on every
//! cell, keyed by the digest of its own cells: an unchanged grid is not rewritten.

use std::path::{Path, PathBuf};

use riskcensus_io::{digest, CogOptions, RasterReader};
use riskcensus_models::capacity::{two_step_fca, CapacityError, Shelter};

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::output::{is_cached, write_array as write_cog};
use crate::provenance::{self, tag};

pub use riskcensus_models::capacity::SERVICE_RADIUS_M;

/// Layer id of the 2SFCA accessibility grid.
pub const LAYER_ID: &str = "shelter_places_per_person";

/// Build (or reuse) `shelter_places_per_person.tif` in `out`; `None` when the census
/// has no population layer or no shelters loaded.
pub fn shelter_grid(
    census: &CensusConfig,
    population: &Path,
    out: &Path,
) -> Result<Option<(String, PathBuf, bool)>, EngineError> {
    if !census.dir.join("census.gpkg").exists() {
        return Ok(None);
    }
    let (ids, shelters) = read_shelters(census)?;
    if shelters.is_empty() {
        return Ok(None);
    }
    let pop = RasterReader::open(population, 1)?.read_f32(census.grid.full_window())?;
    let a =
        two_step_fca(&census.grid, pop.view(), &shelters, SERVICE_RADIUS_M).map_err(|source| {
            let record = match &source {
                CapacityError::BadShelter { index, .. } => Some(ids[*index].clone()),
                _ => None,
            };
            EngineError::Shelters { record, source }
        })?;
    let cells: Vec<u8> = a.iter().flat_map(|v| v.to_le_bytes()).collect();
    let key = digest::bytes_sha256(
        format!(
            "engine={}\nd0={SERVICE_RADIUS_M}\ncells={}\n",
            crate::ENGINE_VERSION,
            digest::bytes_sha256(&cells)
        )
        .as_bytes(),
    );
    let path = out.join(format!("{LAYER_ID}.tif"));
    let cached = is_cached(&path, &key);
    if !cached {
        let mut tags = provenance::base();
        tags.insert(tag::LAYER.into(), LAYER_ID.into());
        tags.insert(tag::SOURCE.into(), "census.gpkg:shelters;population".into());
        tags.insert(tag::CACHE_KEY.into(), key);
        tags.insert(tag::UNITS.into(), "places/person".into());
        tags.insert(
            "RISKCENSUS_METHOD".into(),
            format!("2SFCA d0={SERVICE_RADIUS_M} m (Luo & Wang 2003)"),
        );
        write_cog(
            out,
            LAYER_ID,
            &census.grid,
            a.view(),
            Some(f64::NAN),
            &tags,
            &CogOptions::default(),
        )?;
    }
    Ok(Some((LAYER_ID.to_string(), path, cached)))
}

/// The census database's shelters with a point and a capacity: (record ids,
/// shelters), in database order.
fn read_shelters(census: &CensusConfig) -> Result<(Vec<String>, Vec<Shelter>), EngineError> {
    let db = Census::open(&census.dir)?;
    let mut ids = Vec::new();
    let mut shelters = Vec::new();
    for f in db.query("shelters", &Query::default())? {
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            continue;
        };
        let Some(capacity) = f.number("capacity") else {
            continue;
        };
        ids.push(f.text("id"));
        shelters.push(Shelter {
            x: p.x(),
            y: p.y(),
            capacity,
        });
    }
    Ok((ids, shelters))
}
