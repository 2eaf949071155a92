//! Exposure grids from the census database: buildings per cell.
//!
//! When `<census>/census.gpkg` holds a `buildings` layer (points in the census CRS,
//! loaded by `riskcensus ingest`), GDAL's rasterizer burns, with `-add`, per cell:
//! the number of buildings (`buildings_count`), their occupants
//! (`buildings_occupants`, persons) and their replacement value (`buildings_value`,
//! 万元 = 10⁴ CNY), and the value density `buildings_value_per_km2` (万元/km²: the
//! value grid over the cell area, so exposure models do not depend on the cell size).
//! Cells without buildings are 0 (a count of nothing, not nodata).
//! The database file changes with every batch (its `_batches` log), so the grids are
//! rasterized on every run (fast) and keyed by the digest of their own cells: an
//! unchanged grid is not rewritten, and the output never depends on load times.

use std::path::{Path, PathBuf};

use riskcensus_io::rasterize::{rasterize, Burn, RasterizeSpec};
use riskcensus_io::{digest, CogOptions};

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::output::{is_cached, write_array as write_cog};
use crate::provenance::{self, tag};

/// The exposure grids: (layer id, burn, unit, divided by the cell area in km²).
/// The ids of the building exposure grids.
pub const LAYER_IDS: [&str; 4] = [GRIDS[0].0, GRIDS[1].0, GRIDS[2].0, GRIDS[3].0];

const GRIDS: [(&str, Option<&str>, &str, bool); 4] = [
    ("buildings_count", None, "buildings", false),
    ("buildings_occupants", Some("occupants"), "persons", false),
    ("buildings_value", Some("value_wan"), "wan_cny", false),
    (
        "buildings_value_per_km2",
        Some("value_wan"),
        "wan_cny/km2",
        true,
    ),
];

/// One exposure grid.
#[derive(Debug, Clone, PartialEq)]
pub struct ExposureLayer {
    /// Layer id: `buildings_count`, `buildings_occupants`, `buildings_value` or
    /// `buildings_value_per_km2`.
    pub id: String,
    /// `<id>.tif` on the census grid (float32; 0 where there is no building).
    pub path: PathBuf,
    /// Its unit: `buildings`, `persons`, `wan_cny` (万元) or `wan_cny/km2`.
    pub unit: String,
    /// True when the grid's cells were unchanged and the file was not rewritten.
    pub cached: bool,
}

/// Build (or reuse) the building exposure grids; none when the census has no
/// database with buildings yet.
pub fn building_grids(
    census: &CensusConfig,
    out: &Path,
) -> Result<Vec<ExposureLayer>, EngineError> {
    let db = census.dir.join("census.gpkg");
    if !db.exists() || !has_buildings(&db) {
        return Ok(Vec::new());
    }
    let grid_text = toml::to_string(&census.grid).expect("grid serialises");
    let mut layers = Vec::new();
    let per_km2 = (1.0e6 / census.grid.cell_area()) as f32;
    for (id, field, unit, density) in GRIDS {
        let spec = RasterizeSpec {
            burn: field
                .map(|f| Burn::Field(f.into()))
                .unwrap_or(Burn::Value(1.0)),
            add: true,
            ..RasterizeSpec::mask(Some("buildings"), false)
        };
        let mut a = rasterize(&db, &census.grid, &spec)?;
        if density {
            a.mapv_inplace(|v| v * per_km2);
        }
        let cells: Vec<u8> = a.iter().flat_map(|v| v.to_le_bytes()).collect();
        let content = digest::bytes_sha256(&cells);
        let key = digest::bytes_sha256(
            format!(
                "engine={}\ngrid={grid_text}\nburn={field:?}\nper_km2={density}\ncells={content}\n",
                crate::ENGINE_VERSION
            )
            .as_bytes(),
        );
        let path = out.join(format!("{id}.tif"));
        let cached = is_cached(&path, &key);
        if !cached {
            let mut tags = provenance::base();
            tags.insert(tag::SOURCE.into(), "census.gpkg:buildings".into());
            tags.insert(tag::CACHE_KEY.into(), key);
            tags.insert(tag::UNITS.into(), unit.into());
            write_cog(
                out,
                id,
                &census.grid,
                a.view(),
                Some(f64::NAN),
                &tags,
                &CogOptions::default(),
            )?;
        }
        layers.push(ExposureLayer {
            id: id.into(),
            path,
            unit: unit.into(),
            cached,
        });
    }
    Ok(layers)
}

fn has_buildings(db: &Path) -> bool {
    riskcensus_io::rasterize::open_vector(db)
        .ok()
        .is_some_and(|ds| ds.layer_by_name("buildings").is_ok())
}
