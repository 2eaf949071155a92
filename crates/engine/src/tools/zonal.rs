//! The zonal stage: class breaks of a raster, zonal statistics of a raster over
//! polygons, and level area shares per admin unit (issue 9 items 1, 4, 8).
//!
//! Rasters are read in row strips through [`RasterReader`] (nodata → NaN for float
//! bands, 0 for level bands), so memory is bounded by the strip, not the raster.
//! Polygons are read through [`VectorSource`] and, when their layer CRS differs from
//! the raster's, reprojected vertex by vertex to the raster CRS with PROJ
//! ([`Transformer`], `(x, y)` order; edges are not densified, as `ogr2ogr -t_srs`
//! does not). The computing is `riskcensus_zoning`'s: exact Fisher–Jenks on the full
//! population, Hyndman–Fan quantiles in two exact passes, exact coverage fractions.
//!
//! Results are deterministic: strips are read and accumulated in row order, zones in
//! layer order.

use std::path::{Path, PathBuf};

use riskcensus_core::{GridSpec, Window};
use riskcensus_io::crs::Transformer;
use riskcensus_io::vector_read::{RawValue, VectorSource};
use riskcensus_io::RasterReader;
use riskcensus_zoning::breaks::Histogram;
use riskcensus_zoning::coverage::{Coverage, Rings};
use riskcensus_zoning::zonal::{zone_cells, LevelAreas, ZoneAccumulator};
use serde::Serialize;

use crate::EngineError;

pub use riskcensus_zoning::breaks::{Breaks, Method, DEFAULT_STEP};
pub use riskcensus_zoning::zonal::{LevelAreas as LevelTally, Rule, ZoneStats};

/// Rows per strip read from a raster.
const STRIP_ROWS: usize = 256;

/// Which polygons to aggregate over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolygonSpec {
    /// Any OGR vector dataset (GeoPackage, Shapefile, GeoJSON, …).
    pub path: PathBuf,
    /// The layer (`None`: the dataset's only layer).
    pub layer: Option<String>,
    /// The field whose value keys each polygon (`None`: `code` if the layer has it,
    /// else `id`, else the feature id).
    pub id_field: Option<String>,
}

/// One polygon in the raster's CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// The value of the id field (text; integers and reals as printed).
    pub id: String,
    /// Its polygons (exterior ring, then holes), vertices `(x, y)` in the raster's
    /// CRS; empty for a feature without geometry.
    pub rings: Rings,
}

/// Zonal statistics of one polygon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneStatsRow {
    /// The zone's id ([`Zone::id`]).
    pub id: String,
    /// Its statistics over the raster's valid cells (serialised flat beside `id`).
    #[serde(flatten)]
    pub stats: ZoneStats,
}

/// Level areas of one polygon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneLevels {
    /// The zone's id ([`Zone::id`]).
    pub id: String,
    /// `areas[code − 1]` in m² (square CRS units), codes 1..=K.
    pub areas: Vec<f64>,
    /// Share of the levelled area per code (`None` for a zone without levelled cells).
    pub shares: Vec<Option<f64>>,
}

fn file_of(spec: &PolygonSpec) -> String {
    match &spec.layer {
        Some(l) => format!("{} layer {l}", spec.path.display()),
        None => spec.path.display().to_string(),
    }
}

fn zone_err(
    spec: &PolygonSpec,
    zone: &str,
) -> impl Fn(riskcensus_zoning::ZoningError) -> EngineError {
    let file = file_of(spec);
    let zone = zone.to_string();
    move |source| EngineError::Zone {
        file: file.clone(),
        zone: zone.clone(),
        source,
    }
}

fn layer_err(spec: &PolygonSpec, problem: String) -> EngineError {
    EngineError::Polygons {
        file: file_of(spec),
        problem,
    }
}

/// Read the polygons of `spec` into the CRS `crs` (the raster's).
pub fn read_zones(spec: &PolygonSpec, crs: &str) -> Result<Vec<Zone>, EngineError> {
    let src = VectorSource::open(&spec.path)?;
    let layer = spec.layer.as_deref();
    let info = src.info(layer)?;
    let field_names: Vec<&str> = info.fields.iter().map(|f| f.0.as_str()).collect();
    let id_index = match &spec.id_field {
        Some(f) => Some(field_names.iter().position(|n| n == f).ok_or_else(|| {
            layer_err(
                spec,
                format!("no field {f:?} (fields: {})", field_names.join(", ")),
            )
        })?),
        None => ["code", "id"]
            .iter()
            .find_map(|c| field_names.iter().position(|n| n == c)),
    };
    let layer_crs = info
        .crs_epsg
        .clone()
        .or(info.crs_wkt.clone())
        .ok_or_else(|| layer_err(spec, "the layer has no CRS".into()))?;
    let transform = if same_crs(&layer_crs, crs) {
        None
    } else {
        Some(Transformer::new(&layer_crs, crs)?)
    };
    let mut zones = Vec::new();
    src.read::<EngineError>(layer, |f| {
        let id = match id_index {
            Some(i) => match &f.values[i] {
                RawValue::Null => {
                    return Err(layer_err(
                        spec,
                        format!("feature {}: the id field is empty", f.index),
                    ))
                }
                RawValue::Integer(v) => v.to_string(),
                RawValue::Real(v) => v.to_string(),
                RawValue::Text(b) => String::from_utf8_lossy(b).into_owned(),
            },
            None => f.fid.unwrap_or(f.index).to_string(),
        };
        let geom = f
            .geometry
            .map_err(|e| layer_err(spec, format!("feature {} ({id}): {e}", f.index)))?;
        let mut rings = match geom {
            Some(geo_types::Geometry::Polygon(p)) => Rings::from(&p),
            Some(geo_types::Geometry::MultiPolygon(m)) => Rings::from(&m),
            Some(_) => {
                return Err(layer_err(
                    spec,
                    format!("feature {} ({id}): not a polygon", f.index),
                ))
            }
            None => Rings::default(),
        };
        if let Some(t) = &transform {
            for ring in rings.polygons.iter_mut().flatten() {
                let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = ring.iter().copied().unzip();
                t.transform(&mut xs, &mut ys)?;
                *ring = xs.into_iter().zip(ys).collect();
            }
        }
        zones.push(Zone { id, rings });
        Ok(())
    })?;
    Ok(zones)
}

fn same_crs(a: &str, b: &str) -> bool {
    a == b
        || riskcensus_io::crs::to_wkt(a)
            .ok()
            .zip(riskcensus_io::crs::to_wkt(b).ok())
            .is_some_and(|(x, y)| x == y)
}

fn open(path: &Path) -> Result<(RasterReader, GridSpec), EngineError> {
    let r = RasterReader::open(path, 1)?;
    let grid = r.info().grid()?;
    Ok((r, grid))
}

fn strips(rows: usize, cols: usize) -> impl Iterator<Item = Window> {
    (0..rows)
        .step_by(STRIP_ROWS)
        .map(move |r| Window::new(r, 0, STRIP_ROWS.min(rows - r), cols))
}

/// Class breaks of band 1 of a raster over all its valid cells. `step` is the
/// quantisation step of natural breaks (see [`riskcensus_zoning::breaks::histogram`]);
/// quantile breaks are exact (a second pass), equal interval uses the exact range.
/// `Method::Fixed` is an input error (fixed breaks are given, not computed).
pub fn raster_breaks(
    path: &Path,
    method: Method,
    k: usize,
    step: f64,
) -> Result<Breaks, EngineError> {
    let breaks_err = |source| EngineError::Breaks {
        what: path.display().to_string(),
        method: format!("{method:?}"),
        source,
    };
    let (r, grid) = open(path)?;
    let mut h = Histogram::new(step).map_err(breaks_err)?;
    for w in strips(grid.rows, grid.cols) {
        let v = r.read_f32(w)?;
        h.add(v.as_slice().expect("standard layout"))
            .map_err(breaks_err)?;
    }
    let out = match method {
        Method::Jenks => h.jenks(k),
        Method::EqualInterval => h.equal(k),
        Method::Quantile => {
            let mut plan = h.quantile_plan(k).map_err(breaks_err)?;
            for w in strips(grid.rows, grid.cols) {
                plan.add(r.read_f32(w)?.as_slice().expect("standard layout"));
            }
            plan.finish()
        }
        Method::Fixed => {
            return Err(EngineError::Polygons {
                file: path.display().to_string(),
                problem: "fixed breaks are given, not computed from a raster".into(),
            })
        }
    };
    out.map_err(breaks_err)
}

/// Each zone's cells in the raster grid under `rule`.
fn zone_coverages(
    zones: &[Zone],
    grid: &GridSpec,
    rule: Rule,
    spec: &PolygonSpec,
) -> Result<Vec<Coverage>, EngineError> {
    zones
        .iter()
        .map(|z| zone_cells(&z.rings, grid, rule).map_err(zone_err(spec, &z.id)))
        .collect()
}

/// Zonal statistics (count, sum, mean, min, max) of band 1 of `raster` over each
/// polygon of `polygons`, in layer order. See [`riskcensus_zoning::zonal`] for the
/// rules; count is in cells.
pub fn zonal_stats(
    raster: &Path,
    polygons: &PolygonSpec,
    rule: Rule,
) -> Result<Vec<ZoneStatsRow>, EngineError> {
    let (r, grid) = open(raster)?;
    let zones = read_zones(polygons, &grid.crs)?;
    let covs = zone_coverages(&zones, &grid, rule, polygons)?;
    let mut out = Vec::with_capacity(zones.len());
    for (z, cov) in zones.iter().zip(&covs) {
        let mut acc = ZoneAccumulator::default();
        if let Some(w) = cov.window() {
            for s in strips(w.rows, w.cols) {
                let sw = Window::new(w.row_off + s.row_off, w.col_off, s.rows, s.cols);
                let v = r.read_f32(sw)?;
                acc.add(cov, v.view(), sw)
                    .map_err(zone_err(polygons, &z.id))?;
            }
        }
        out.push(ZoneStatsRow {
            id: z.id.clone(),
            stats: acc.finish(),
        });
    }
    Ok(out)
}

/// Area of each level code 1..=`k` of a u8 level raster (0 = nodata) inside each
/// polygon, weighted by exact coverage fractions, with the shares of the levelled
/// area — the admin-unit level table.
pub fn level_areas(
    level_raster: &Path,
    polygons: &PolygonSpec,
    k: usize,
) -> Result<Vec<ZoneLevels>, EngineError> {
    let (r, grid) = open(level_raster)?;
    let zones = read_zones(polygons, &grid.crs)?;
    let covs = zone_coverages(&zones, &grid, Rule::Fraction, polygons)?;
    let mut out = Vec::with_capacity(zones.len());
    for (z, cov) in zones.iter().zip(&covs) {
        let mut la = LevelAreas::new(k);
        if let Some(w) = cov.window() {
            for s in strips(w.rows, w.cols) {
                let sw = Window::new(w.row_off + s.row_off, w.col_off, s.rows, s.cols);
                let v = r.read_u8(sw)?;
                la.add(cov, v.view(), sw, grid.cell_area())
                    .map_err(zone_err(polygons, &z.id))?;
            }
        }
        out.push(ZoneLevels {
            id: z.id.clone(),
            shares: (1..=k).map(|c| la.share(c as u8)).collect(),
            areas: la.areas,
        });
    }
    Ok(out)
}

/// The statistics a zonal table can hold, in the order they may be asked for.
pub const STATS: [&str; 5] = ["count", "sum", "mean", "min", "max"];

/// A zonal-statistics table as CSV (written with the `csv` crate: ids with commas,
/// quotes or line breaks are quoted): an `id` column, then one column per statistic
/// of `stats` (names of [`STATS`]; an unknown name is an error naming it). Empty
/// cells for a statistic without a value (a zone without valid cells).
pub fn stats_csv(rows: &[ZoneStatsRow], stats: &[&str]) -> Result<String, String> {
    if let Some(s) = stats.iter().find(|s| !STATS.contains(s)) {
        return Err(format!(
            "unknown statistic {s:?} (expected {})",
            STATS.join(", ")
        ));
    }
    let cell = |r: &ZoneStatsRow, stat: &str| -> String {
        let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        match stat {
            "count" => r.stats.count.to_string(),
            "sum" => r.stats.sum.to_string(),
            "mean" => opt(r.stats.mean),
            "min" => opt(r.stats.min),
            _ => opt(r.stats.max),
        }
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["id"];
    header.extend(stats.iter().copied());
    w.write_record(&header).expect("writing to memory");
    for r in rows {
        let mut rec = vec![r.id.clone()];
        rec.extend(stats.iter().map(|s| cell(r, s)));
        w.write_record(&rec).expect("writing to memory");
    }
    Ok(String::from_utf8(w.into_inner().expect("writing to memory")).expect("UTF-8 fields"))
}
