//! Describe a raster or a census folder (for `riskcensus inspect` and services).

use std::path::{Path, PathBuf};

use riskcensus_core::{GridSpec, Window};
use riskcensus_io::RasterReader;
use serde::Serialize;

use crate::config::{CensusConfig, CENSUS_FILE};
use crate::error::EngineError;

/// What [`inspect`] found; serialised with a `type` tag (`"raster"` or `"census"`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inspection {
    /// A raster file (any format GDAL reads).
    Raster(RasterSummary),
    /// A census folder (or its `census.toml`).
    Census(CensusSummary),
}

/// Statistics over valid cells (nodata excluded, counted separately).
#[derive(Debug, Clone, Serialize)]
pub struct BandStats {
    /// All cells of the band (rows × cols).
    pub cells: u64,
    /// Cells that are neither the declared nodata nor NaN.
    pub valid: u64,
    /// Smallest valid value (read as f32, so in f32 precision).
    pub min: f64,
    /// Largest valid value.
    pub max: f64,
    /// Mean of the valid values (summed in f64, row-major order).
    pub mean: f64,
}

/// A raster file: its format, grid, CRS, band 1's type, nodata and statistics, and
/// its metadata tags.
#[derive(Debug, Clone, Serialize)]
pub struct RasterSummary {
    /// The file as opened.
    pub path: PathBuf,
    /// GDAL's short driver name (`GTiff`, `GPKG`, …).
    pub driver: String,
    /// GeoTIFF layout (`COG` for a Cloud-Optimized GeoTIFF), when GDAL reports one.
    pub layout: Option<String>,
    /// Rows (y size, north to south).
    pub rows: usize,
    /// Columns (x size, west to east).
    pub cols: usize,
    /// Number of bands (only band 1 is described below).
    pub bands: usize,
    /// Number of overview levels of band 1.
    pub overviews: usize,
    /// `EPSG:n` when identified, else WKT.
    pub crs: String,
    /// GDAL geotransform `[x_min, cell width, 0, y_max, 0, -cell height]` for a
    /// north-up raster, in CRS units.
    pub geotransform: [f64; 6],
    /// GDAL data type name of band 1 (`Float32`, `Byte`, …).
    pub band_type: String,
    /// Declared nodata; NaN is written as the string "nan" (JSON has no NaN), and a
    /// band without nodata as null.
    #[serde(serialize_with = "nodata_json")]
    pub nodata: Option<f64>,
    /// Exact statistics of band 1; `None` when it has no valid cell.
    pub stats: Option<BandStats>,
    /// `KEY=VALUE` items of the default metadata domain (provenance tags), sorted.
    pub tags: Vec<(String, String)>,
}

/// One survey source named by `census.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    /// `raster`, `vector` or `table`.
    pub kind: &'static str,
    /// The source's layer id.
    pub id: String,
    /// Its file, as given in `census.toml` (relative to the census folder).
    pub path: PathBuf,
}

/// A census folder: its name, code, grid and sources, from a validated `census.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct CensusSummary {
    /// Name of the county or city.
    pub name: String,
    /// Admin code of the county or city (GB/T 2260, 6 digits).
    pub code: String,
    /// The census grid (projected CRS, metres, north-up).
    pub grid: GridSpec,
    /// The raster, then vector, then table sources, each in file order.
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
