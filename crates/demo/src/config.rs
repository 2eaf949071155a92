//! The census workspace configuration (`census.toml`) as the demo writes it: the
//! contract type [`CensusFile`](riskcensus_contracts::census_toml::CensusFile) of
//! `riskcensus-contracts` (re-exported here as [`CensusConfig`]), which the engine
//! reads.
//! Optional keys are omitted, never written empty.

use std::path::Path;

pub use riskcensus_contracts::census_toml::{
    CensusFile as CensusConfig, CensusInfo, GeometryKind, RasterKind, RasterSource, TableSource,
    VectorSource,
};
use riskcensus_core::GridSpec;

use crate::DemoError;

/// The demo county's `census.toml` before its sources are added.
pub fn new_config(seed: u64, grid: &GridSpec) -> CensusConfig {
    CensusConfig {
        census: CensusInfo {
            name: "演示县 Demo County".into(),
            code: crate::admin::COUNTY_CODE.into(),
            seed: Some(seed),
            date: None,
        },
        grid: grid.clone(),
        raster: Vec::new(),
        vector: Vec::new(),
        table: Vec::new(),
        zoning: Default::default(),
    }
}

/// Write `cfg` to `path` atomically (temporary name, then rename).
pub fn write_config(cfg: &CensusConfig, path: &Path) -> Result<(), DemoError> {
    let text = cfg
        .to_toml(
            "# RiskCensus census workspace: the synthetic demo county (riskcensus-demo).\n\
             # Paths are relative to this file's folder; coordinates are (x, y).\n\n",
        )
        .map_err(|source| DemoError::Config {
            path: path.to_path_buf(),
            source,
        })?;
    crate::tables::write_atomic(path, text.as_bytes()).map_err(|source| DemoError::Fs {
        layer: "census".into(),
        path: path.to_path_buf(),
        source,
    })
}
