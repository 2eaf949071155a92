//! Flood damage per building and per cell, the stage's I/O: the buildings of the
//! census database, the depth grids of the screen, and the loss grids and building
//! table it writes. The science — damage ratio curves, the loss per event and the
//! expected annual damage (EAD), checked from `models/flood/flood_depth_damage.toml` —
//! is [`riskcensus_models::flood::depth_damage`].
//!
//! Outputs (census grid, f32, NaN nodata):
//! - `flood_loss_<T>y.tif` (万元 per cell): the sum over the cell's buildings; 0 where
//!   the cell has no building; NaN where a building stands on a cell whose depth is
//!   nodata (a sum over nodata is nodata);
//! - `flood_ead.tif` (万元/yr per cell), the sum of the cell's buildings' EAD, same
//!   rules;
//! - `flood_damage_ratio_<T>y.tif` (0–1): the value-weighted mean damage ratio of the
//!   cell's buildings; where the cell has no valued building, the reference (`other`)
//!   curve at the cell's depth; NaN where the depth is nodata;
//! - `flood_building_damage.csv`: one row per building (id, township, structure,
//!   value, depth, ratio and loss per event, EAD), sorted by id, written with the
//!   `csv` crate (fields quoted only where they hold a comma, quote or line break).
//!
//! Buildings are the census database's `buildings` layer (points in the census CRS);
//! a building outside the grid is reported, not dropped silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_core::GridSpec;
use riskcensus_io::{CogOptions, Provenance, RasterReader};
use riskcensus_models::flood::depth_damage::{
    building_ead, sum_per_cell, Building, BuildingDamage, DepthDamage,
};
use serde::Serialize;

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::output::{write_array as write_cog, write_bytes};
use crate::provenance::{self, tag};
use crate::stack::LayerStack;

pub use riskcensus_models::flood::depth_damage::PATH;

/// The building table's file name.
pub const BUILDINGS_CSV: &str = "flood_building_damage.csv";

/// The curves of a census's model library (`flood/flood_depth_damage.toml`).
pub fn load(library: &riskcensus_models::Library) -> Result<DepthDamage, EngineError> {
    let f = library.require(PATH)?;
    Ok(DepthDamage::from_toml(&f.text, &f.origin)?)
}

/// What the damage stage wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DamageReport {
    /// (layer id, path) of the grids.
    pub layers: Vec<(String, PathBuf)>,
    /// The building table, when the census has buildings on the grid.
    pub buildings_csv: Option<PathBuf>,
    /// Buildings on the grid.
    pub buildings: usize,
    /// Buildings without a point geometry or outside the grid: (id, why).
    pub skipped: Vec<(String, String)>,
    /// County totals per return period (years → 万元).
    pub loss_by_period: BTreeMap<u32, f64>,
    /// County expected annual damage (万元/yr).
    pub ead: f64,
}

/// A building of the census database on the census grid.
struct Surveyed {
    id: String,
    township: String,
    building: Building,
}

/// Run the damage stage for the depth layers `depths` ((return period, layer id) of
/// the stack), writing into `out` and adding the grids to `stack`.
pub fn flood_damage(
    census: &CensusConfig,
    stack: &mut LayerStack,
    depths: &[(u32, String)],
    curves: &DepthDamage,
    out: &Path,
) -> Result<DamageReport, EngineError> {
    let mut report = DamageReport::default();
    if depths.is_empty() {
        return Ok(report);
    }
    let surveyed = read_buildings(census, &mut report.skipped)?;
    let stock: Vec<Building> = surveyed.iter().map(|s| s.building.clone()).collect();
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("{}@{}", curves.id(), curves.version()),
    );
    tags.insert(tag::PARAM_HASH.into(), provenance::param_hash(curves));
    let grid = &census.grid;
    let grids = Grids {
        out,
        grid,
        tags: &tags,
    };
    // Per building, per event (in `depths` order).
    let mut per_building: Vec<Vec<BuildingDamage>> = vec![Vec::new(); stock.len()];
    for (t, depth_layer) in depths {
        let depth = read_depth(stack_path(stack, depth_layer)?, grid)?;
        let event = curves.event(&stock, depth.view());
        report.loss_by_period.insert(*t, event.total_loss_wan());
        for (rec, d) in per_building.iter_mut().zip(&event.buildings) {
            rec.push(*d);
        }
        let loss = format!("flood_loss_{t}y");
        grids.write(stack, &mut report, &loss, event.loss_wan, "wan_cny")?;
        let ratio = format!("flood_damage_ratio_{t}y");
        grids.write(stack, &mut report, &ratio, event.ratio, "ratio")?;
    }
    let periods: Vec<u32> = depths.iter().map(|(t, _)| *t).collect();
    // EAD once per building, used by the grid and the table.
    let eads: Vec<f64> = per_building
        .iter()
        .map(|rec| building_ead(&periods, rec))
        .collect();
    let ead_grid = sum_per_cell(&stock, &eads, (grid.rows, grid.cols));
    report.ead = ead_grid.iter().filter(|v| v.is_finite()).sum();
    grids.write(stack, &mut report, "flood_ead", ead_grid, "wan_cny/yr")?;

    if !surveyed.is_empty() {
        let csv = out.join(BUILDINGS_CSV);
        write_bytes(
            &csv,
            &buildings_csv(&surveyed, &periods, &per_building, &eads).map_err(|source| {
                EngineError::CsvWrite {
                    path: csv.clone(),
                    source,
                }
            })?,
        )?;
        report.buildings_csv = Some(csv);
    }
    report.buildings = surveyed.len();
    Ok(report)
}

/// The census database's buildings on the grid, sorted by id; those without a point
/// or outside the grid go to `skipped` with the reason.
fn read_buildings(
    census: &CensusConfig,
    skipped: &mut Vec<(String, String)>,
) -> Result<Vec<Surveyed>, EngineError> {
    let mut buildings = Vec::new();
    if !census.dir.join("census.gpkg").exists() {
        return Ok(buildings);
    }
    let db = Census::open(&census.dir)?;
    for f in db.query("buildings", &Query::default())? {
        let id = f.text("id");
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            skipped.push((id, "no point geometry".into()));
            continue;
        };
        let Some(cell) = census.grid.cell_of(p.x(), p.y()) else {
            skipped.push((id, "outside the census grid".into()));
            continue;
        };
        buildings.push(Surveyed {
            id,
            township: f.text("township_code"),
            building: Building {
                structure: f.text("structure"),
                value_wan: f.number("value_wan"),
                cell,
            },
        });
    }
    buildings.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(buildings)
}

fn stack_path<'s>(stack: &'s LayerStack, layer: &str) -> Result<&'s Path, EngineError> {
    Ok(&stack
        .get(layer)
        .ok_or_else(|| EngineError::NeedsLayer {
            needed_by: "flood damage".into(),
            layer: layer.to_string(),
            unit: None,
            hint: None,
        })?
        .path)
}

fn read_depth(path: &Path, grid: &GridSpec) -> Result<Array2<f32>, EngineError> {
    Ok(RasterReader::open(path, 1)?.read_f32(grid.full_window())?)
}

/// Where the stage's grids go: f32 COGs in `out`, tagged with the curves' provenance.
struct Grids<'a> {
    out: &'a Path,
    grid: &'a GridSpec,
    tags: &'a Provenance,
}

impl Grids<'_> {
    /// Write an f64 grid as the f32 COG `<out>/<id>.tif` (NaN nodata) with its unit,
    /// add it to the stack and the report.
    fn write(
        &self,
        stack: &mut LayerStack,
        report: &mut DamageReport,
        id: &str,
        a: Array2<f64>,
        unit: &str,
    ) -> Result<(), EngineError> {
        let mut tags = self.tags.clone();
        tags.insert(tag::LAYER.into(), id.into());
        tags.insert(tag::UNITS.into(), unit.into());
        let a32 = a.mapv(|v| v as f32);
        let cog = CogOptions::default();
        let p = write_cog(
            self.out,
            id,
            self.grid,
            a32.view(),
            Some(f64::NAN),
            &tags,
            &cog,
        )?;
        stack.insert(id, p.clone(), unit);
        report.layers.push((id.to_string(), p));
        Ok(())
    }
}

/// The building table: id, township, structure, value, then depth, ratio and loss per
/// event (`periods` order), then the EAD; numbers with 6 decimals, nodata empty.
fn buildings_csv(
    buildings: &[Surveyed],
    periods: &[u32],
    damage: &[Vec<BuildingDamage>],
    eads: &[f64],
) -> Result<Vec<u8>, csv::Error> {
    let f = |v: f64| {
        if v.is_nan() {
            String::new()
        } else {
            format!("{v:.6}")
        }
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["id", "township_code", "structure", "value_wan"]
        .map(String::from)
        .to_vec();
    for t in periods {
        header.extend([
            format!("depth_{t}y_m"),
            format!("ratio_{t}y"),
            format!("loss_{t}y_wan"),
        ]);
    }
    header.push("ead_wan_per_yr".into());
    w.write_record(&header)?;
    for ((s, rec), e) in buildings.iter().zip(damage).zip(eads) {
        let mut row = vec![
            s.id.clone(),
            s.township.clone(),
            s.building.structure.clone(),
            s.building
                .value_wan
                .map(|v| v.to_string())
                .unwrap_or_default(),
        ];
        for d in rec {
            row.extend([f(d.depth_m), f(d.ratio), f(d.loss_wan)]);
        }
        row.push(f(*e));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn building_ids_with_commas_quotes_and_line_breaks_survive_the_table() {
        let odd = "B1,\"东\"\n2";
        let s = Surveyed {
            id: odd.into(),
            township: "370999001".into(),
            building: Building {
                structure: "rc_frame".into(),
                value_wan: Some(12.5),
                cell: (0, 0),
            },
        };
        let d = BuildingDamage {
            depth_m: 0.5,
            ratio: 0.33,
            loss_wan: 4.125,
        };
        let bytes = buildings_csv(&[s], &[100], &[vec![d]], &[0.04125]).unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header[4..7],
            ["depth_100y_m", "ratio_100y", "loss_100y_wan"]
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][0], odd);
        assert_eq!(&rows[0][3], "12.5");
        assert_eq!(&rows[0][6], "4.125000");
        // A plain field is not quoted.
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(",370999001,rc_frame,12.5,"), "{text}");
    }
}
