//! Describe a raster or a census folder (for `riskcensus inspect` and services).

use std::path::{Path, PathBuf};

use riskcensus_core::{GridSpec, Window};
use riskcensus_io::RasterReader;
use serde::Serialize;

use crate::config::{CensusConfig, CENSUS_FILE};
use crate::error::EngineError;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inspection {
    Raster(RasterSummary),
    Census(CensusSummary),
}

/// Statistics over valid cells (nodata excluded, counted separately).
#[derive(Debug, Clone, Serialize)]
pub struct BandStats {
    pub cells: u64,
    pub valid: u64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RasterSummary {
    pub path: PathBuf,
    pub driver: String,
    pub layout: Option<String>,
    pub rows: usize,
    pub cols: usize,
    pub bands: usize,
    pub overviews: usize,
    /// `EPSG:n` when identified, else WKT.
    pub crs: String,
    pub geotransform: [f64; 6],
    pub band_type: String,
    /// Declared nodata; NaN is written as the string "nan" (JSON has no NaN), and a
    /// band without nodata as null.
    #[serde(serialize_with = "nodata_json")]
    pub nodata: Option<f64>,
    pub stats: Option<BandStats>,
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    pub kind: &'static str,
    pub id: String,
    pub path: PathBuf,
}

#[derive(Debug, Clone, Serialize)]
pub struct CensusSummary {
    pub name: String,
    pub code: String,
    pub grid: GridSpec,
    pub sources: Vec<SourceSummary>,
}

fn nodata_json<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if x.is_nan() => s.serialize_str("nan"),
        Some(x) => s.serialize_f64(*x),
        None => s.serialize_none(),
    }
}

/// Inspect a raster file or a census folder.
pub fn inspect(path: &Path) -> Result<Inspection, EngineError> {
    if path.is_dir() || path.file_name().is_some_and(|n| n == CENSUS_FILE) {
        let dir = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(Path::new("."))
        };
        let c = CensusConfig::load(dir)?;
        let mut sources = Vec::new();
        sources.extend(c.rasters.iter().map(|r| SourceSummary {
            kind: "raster",
            id: r.id.clone(),
            path: r.path.clone(),
        }));
        sources.extend(c.vectors.iter().map(|v| SourceSummary {
            kind: "vector",
            id: v.id.clone(),
            path: v.path.clone(),
        }));
        sources.extend(c.tables.iter().map(|t| SourceSummary {
            kind: "table",
            id: t.id.clone(),
            path: t.path.clone(),
        }));
        return Ok(Inspection::Census(CensusSummary {
            name: c.census.name,
            code: c.census.code,
            grid: c.grid,
            sources,
        }));
    }
    let r = RasterReader::open(path, 1)?;
    let info = r.info().clone();
    let stats = band_stats(&r)?;
    Ok(Inspection::Raster(RasterSummary {
        path: info.path.clone(),
        driver: info.driver.clone(),
        layout: info.layout.clone(),
        rows: info.rows,
        cols: info.cols,
        bands: info.bands,
        overviews: info.overviews,
        crs: info
            .crs_code
            .clone()
            .unwrap_or_else(|| info.crs_wkt.clone()),
        geotransform: info.geotransform,
        band_type: info.band_types[0].clone(),
        nodata: info.nodata[0],
        stats,
        tags: r.metadata_all(),
    }))
}

/// Exact statistics of band 1, streamed in row strips (memory bounded by the strip).
fn band_stats(r: &RasterReader) -> Result<Option<BandStats>, EngineError> {
    let (rows, cols) = (r.info().rows, r.info().cols);
    let strip = (1 << 20) / cols.max(1) + 1;
    let (mut valid, mut min, mut max, mut sum) = (0u64, f64::INFINITY, f64::NEG_INFINITY, 0f64);
    let mut r0 = 0;
    while r0 < rows {
        let n = strip.min(rows - r0);
        let a = r.read_f32(Window::new(r0, 0, n, cols))?;
        for &v in a.iter().filter(|v| !v.is_nan()) {
            let v = v as f64;
            valid += 1;
            min = min.min(v);
            max = max.max(v);
            sum += v;
        }
        r0 += n;
    }
    Ok((valid > 0).then(|| BandStats {
        cells: (rows * cols) as u64,
        valid,
        min,
        max,
        mean: sum / valid as f64,
    }))
}
