//! Writing a stage's outputs, the one way every stage does it: whole-grid arrays as
//! Cloud-Optimized GeoTIFFs carrying their provenance tags, level grids with their
//! scheme's legend, and text files (CSV, JSON) — all written under a temporary name
//! and renamed when complete, so a killed run never leaves a half-written output
//! under a final name.
//!
//! Grids are on the census grid (north-up, `(row, col)` arrays, row 0 north); float
//! grids mark nodata with NaN, level grids with 0.

use std::path::{Path, PathBuf};

use ndarray::ArrayView2;
use riskcensus_core::{GridSpec, LevelScheme};
use riskcensus_io::cog::{CogOptions, CogWriter, LevelLegend, Provenance};
use riskcensus_io::RasterReader;

use crate::error::EngineError;
use crate::provenance::tag;

/// The timestamp written into GeoPackages so that re-runs give identical bytes.
pub const FIXED_TIMESTAMP: &str = "2000-01-01T00:00:00Z";

/// `tags` plus the layer id.
pub fn with_layer(tags: &Provenance, id: &str) -> Provenance {
    let mut t = tags.clone();
    t.insert(tag::LAYER.into(), id.into());
    t
}

/// True when `path` exists and carries the cache key `key` (an output built from
/// the same inputs by the same engine: keep it).
pub fn is_cached(path: &Path, key: &str) -> bool {
    path.exists()
        && RasterReader::open(path, 1)
            .ok()
            .and_then(|r| r.metadata(tag::CACHE_KEY))
            .is_some_and(|k| k == key)
}

/// Write a whole-grid array as the COG `<dir>/<id>.tif` with `tags` and its layer
/// id; `nodata` is declared on the band (NaN for float grids, 0 for level grids).
pub fn write_array<T: riskcensus_io::CellType + Copy>(
    dir: &Path,
    id: &str,
    grid: &GridSpec,
    a: ArrayView2<T>,
    nodata: Option<f64>,
    tags: &Provenance,
    cog: &CogOptions,
) -> Result<PathBuf, EngineError> {
    let path = dir.join(format!("{id}.tif"));
    let mut w = CogWriter::<T>::create(&path, grid, nodata, cog.clone())?;
    let data = a.as_standard_layout();
    w.write_window(
        grid.full_window(),
        data.as_slice().expect("standard layout"),
    )?;
    w.set_tags(&with_layer(tags, id));
    w.finish()?;
    Ok(path)
}

/// Write a row-major float grid as `<dir>/<id>.tif` (NaN nodata) with `tags`, its
/// layer id and, when given, its unit.
pub fn write_f32(
    dir: &Path,
    id: &str,
    grid: &GridSpec,
    data: &[f32],
    tags: &Provenance,
    unit: Option<&str>,
) -> Result<PathBuf, EngineError> {
    let path = dir.join(format!("{id}.tif"));
    let mut w = CogWriter::<f32>::create(&path, grid, Some(f64::NAN), CogOptions::default())?;
    w.write_window(grid.full_window(), data)?;
    let mut t = with_layer(tags, id);
    if let Some(unit) = unit {
        t.insert(tag::UNITS.into(), unit.into());
    }
    w.set_tags(&t);
    w.finish()?;
    Ok(path)
}

/// Write a row-major level grid as `<dir>/<id>.tif` (u8, 0 = nodata) with the
/// scheme's colour table and class names, `tags`, its layer id and the scheme id as
/// its unit.
pub fn write_levels(
    dir: &Path,
    id: &str,
    grid: &GridSpec,
    data: &[u8],
    scheme: LevelScheme,
    tags: &Provenance,
) -> Result<PathBuf, EngineError> {
    let path = dir.join(format!("{id}.tif"));
    let mut w = CogWriter::<u8>::create(&path, grid, Some(0.0), CogOptions::default())?;
    w.write_window(grid.full_window(), data)?;
    let mut t = with_layer(tags, id);
    t.insert(tag::UNITS.into(), scheme.id().into());
    w.set_tags(&t);
    w.set_legend(LevelLegend(scheme));
    w.finish()?;
    Ok(path)
}

/// Write `bytes` to `path` atomically, creating its folder.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(EngineError::fs(dir))?;
    }
    Ok(riskcensus_io::files::write_atomic(path, bytes)?)
}

/// Write `text` to `path` atomically, creating its folder.
pub fn write_text(path: &Path, text: &str) -> Result<(), EngineError> {
    write_bytes(path, text.as_bytes())
}
