//! The census workspace configuration (`census.toml`) as the demo writes it.
//!
//! The engine parses the same shape with `deny_unknown_fields`; optional keys are
//! omitted, never written empty.

use std::path::Path;

use riskcensus_core::GridSpec;
use serde::{Deserialize, Serialize};

use crate::DemoError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensusConfig {
    pub census: CensusSection,
    pub grid: GridSpec,
    #[serde(default)]
    pub raster: Vec<RasterSource>,
    #[serde(default)]
    pub vector: Vec<VectorSource>,
    #[serde(default)]
    pub table: Vec<TableSource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensusSection {
    pub name: String,
    /// County code (GB/T 2260 style, 6 digits).
    pub code: String,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterSource {
    pub id: String,
    /// Relative to the census folder.
    pub path: String,
    /// continuous | categorical | count
    pub kind: String,
    /// GDAL warp method: near | mode | bilinear | cubic | average | sum
    pub resampling: String,
    pub units: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorSource {
    pub id: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// point | line | polygon
    pub geometry: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSource {
    pub id: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    pub encoding: String,
    pub description: String,
}

impl CensusConfig {
    pub fn new(seed: u64, grid: &GridSpec) -> Self {
        Self {
            census: CensusSection {
                name: "演示县 Demo County".into(),
                code: crate::admin::COUNTY_CODE.into(),
                seed,
            },
            grid: grid.clone(),
            raster: Vec::new(),
            vector: Vec::new(),
            table: Vec::new(),
        }
    }

    /// Write atomically (temporary name, then rename).
    pub fn write(&self, path: &Path) -> Result<(), DemoError> {
        let text = toml::to_string(self).map_err(|source| DemoError::Config {
            path: path.to_path_buf(),
            source,
        })?;
        let text = format!(
            "# RiskCensus census workspace: the synthetic demo county (riskcensus-demo).\n\
             # Paths are relative to this file's folder; coordinates are (x, y).\n\n{text}"
        );
        crate::tables::write_atomic(path, text.as_bytes()).map_err(|source| DemoError::Fs {
            layer: "census".into(),
            path: path.to_path_buf(),
            source,
        })
    }
}
