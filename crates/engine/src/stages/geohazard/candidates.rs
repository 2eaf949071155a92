//! Hidden-danger candidates (隐患点候选, the rule in
//! `riskcensus_models::geohazard::candidates`: susceptibility level 1 or 2, at least
//! one building of `buildings_count`, no registered point within the sampling
//! buffer) — the next field check's list, as a u8 grid (1 = candidate, 0 = not), a
//! table per cell with its township and village (by susceptibility, descending) and
//! a per-village summary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ndarray::ArrayView2;
use riskcensus_core::GridSpec;
use riskcensus_io::CogOptions;
use riskcensus_models::geohazard::candidates::candidate_cells;
use riskcensus_models::geohazard::sampling::buffer_mask;
use serde::Serialize;

use super::fit::Fitted;
use super::inventory::InventoryPoint;
use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::output::CsvOut;
use crate::provenance::tag;
use crate::stack::{read_on_grid, row_major};

/// What [`candidates`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Candidates {
    /// `geohazard_candidates.tif` (u8 flag, 0 = not a candidate).
    pub grid: PathBuf,
    /// `geohazard_candidates.csv` (the per-village summary is written beside it).
    pub table: PathBuf,
    /// Candidate cells.
    pub cells: usize,
}

/// The candidate grid and tables of a fitted susceptibility: `buildings` is the
/// `buildings_count` layer, `points` every registered hidden-danger point, `buffer_m`
/// the sampling buffer.
pub fn candidates(
    census: &CensusConfig,
    buildings: &Path,
    points: &[InventoryPoint],
    fitted: &Fitted,
    buffer_m: f64,
    out_dir: &Path,
    tags: &riskcensus_io::Provenance,
) -> Result<Candidates, EngineError> {
    let grid = &census.grid;
    let buildings = row_major(read_on_grid(buildings, grid)?);
    let pts: Vec<(f64, f64)> = points.iter().map(|p| p.cell_position(grid)).collect();
    let near = buffer_mask(&pts, grid.rows, grid.cols, grid.cell_size, buffer_m);
    let cand = candidate_cells(&fitted.levels, &buildings, &near);
    let cells = cand.iter().filter(|&&c| c == 1).count();
    let mut t = tags.clone();
    t.insert(tag::UNITS.into(), "flag".into());
    let a = ArrayView2::from_shape((grid.rows, grid.cols), &cand[..]).expect("grid-sized");
    let path = crate::output::write_array(
        out_dir,
        "geohazard_candidates",
        grid,
        a,
        Some(0.0),
        &t,
        &CogOptions::default(),
    )?;
    let table = candidate_tables(census, grid, &cand, fitted, &buildings, out_dir)?;
    Ok(Candidates {
        grid: path,
        table,
        cells,
    })
}

/// Candidate cells (CSV, by susceptibility descending) and their villages (CSV).
fn candidate_tables(
    census: &CensusConfig,
    grid: &GridSpec,
    cand: &[u8],
    fitted: &Fitted,
    buildings: &[f32],
    out_dir: &Path,
) -> Result<PathBuf, EngineError> {
    let c = riskcensus_survey::Census::open(&census.dir)?;
    let admin = c.admin_index()?;
    let mut rows: Vec<usize> = (0..cand.len()).filter(|&i| cand[i] == 1).collect();
    rows.sort_by(|&a, &b| {
        fitted.susceptibility[b]
            .total_cmp(&fitted.susceptibility[a])
            .then(a.cmp(&b))
    });
    let path = out_dir.join("geohazard_candidates.csv");
    let mut t = CsvOut::new(&path);
    t.record([
        "row",
        "col",
        "x",
        "y",
        "susceptibility",
        "level",
        "buildings",
        "township_code",
        "village_code",
    ])?;
    // Per village: candidate cells, buildings, highest susceptibility.
    let mut villages: BTreeMap<String, (usize, f64, f32)> = BTreeMap::new();
    for &i in &rows {
        let (r, col) = (i / grid.cols, i % grid.cols);
        let (x, y) = grid.cell_center(r, col);
        let (town, village) =
            admin.assign(&geo_types::Geometry::Point(geo_types::Point::new(x, y)));
        let v = village.unwrap_or_default();
        let e = villages.entry(v.clone()).or_insert((0, 0.0, 0.0));
        e.0 += 1;
        e.1 += buildings[i] as f64;
        e.2 = e.2.max(fitted.susceptibility[i]);
        t.record([
            r.to_string(),
            col.to_string(),
            x.to_string(),
            y.to_string(),
            fitted.susceptibility[i].to_string(),
            fitted.levels[i].to_string(),
            buildings[i].to_string(),
            town.unwrap_or_default(),
            v,
        ])?;
    }
    t.finish()?;
    let mut vs: Vec<(String, (usize, f64, f32))> = villages.into_iter().collect();
    vs.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut t = CsvOut::new(out_dir.join("geohazard_candidate_villages.csv"));
    t.record([
        "village_code",
        "candidate_cells",
        "buildings",
        "max_susceptibility",
    ])?;
    for (v, (n, b, m)) in vs {
        t.record([v, n.to_string(), b.to_string(), m.to_string()])?;
    }
    t.finish()?;
    Ok(path)
}
