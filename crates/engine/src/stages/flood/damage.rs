//! Flood damage and deaths per building and per cell, the stage's I/O: the
//! buildings of the census database, the depth grids of the screen, and the loss
//! grids and building table it writes. The science — damage ratio curves, the loss
//! per event and the expected annual damage (EAD = the flood AAL), checked from
//! `models/flood/flood_depth_damage.toml`, is
//! [`riskcensus_models::flood::depth_damage`]; deaths per event by the depth
//! mortality of `models/flood/flood_mortality.toml`
//! ([`riskcensus_models::flood::mortality`]), their annual expectation by the same
//! trapezoid as the EAD.
//!
//! Outputs (census grid, f32, NaN nodata):
//! - `flood_loss_<T>y.tif` (万元 per cell): the sum over the cell's buildings; 0 where
//!   the cell has no building; NaN where a building stands on a cell whose depth is
//!   nodata (a sum over nodata is nodata);
//! - `flood_aal.tif` (万元/yr per cell), the sum of the cell's buildings' EAD, same
//!   rules;
//! - `flood_deaths_annual.tif` (persons/yr per cell), the sum of the cell's
//!   buildings' expected annual deaths, same rules;
//! - `flood_damage_ratio_<T>y.tif` (0–1): the value-weighted mean damage ratio of the
//!   cell's buildings; where the cell has no valued building, the reference (`other`)
//!   curve at the cell's depth; NaN where the depth is nodata;
//! - `flood_building_damage.csv`: one row per building (id, township, structure,
//!   value, occupants, depth, ratio, loss and deaths per event, AAL and annual
//!   deaths), sorted by id, written with the
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
    building_ead, expected_annual_damage, Building, BuildingDamage, DepthDamage,
};
use riskcensus_models::flood::Mortality;
use serde::Serialize;

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::loss::{BuildingLoss, CellTotals, FloodBuilding, HazardLosses, LossEvent};
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

/// The mortality function of a census's model library (`flood/flood_mortality.toml`).
pub fn load_mortality(library: &riskcensus_models::Library) -> Result<Mortality, EngineError> {
    let f = library.require(riskcensus_models::flood::mortality::PATH)?;
    Ok(Mortality::from_toml(&f.text, &f.origin)?)
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
    /// County expected annual damage = flood AAL (万元/yr).
    pub ead: f64,
    /// County expected annual deaths.
    pub deaths_per_year: f64,
    /// The losses for the risk stage (absent without buildings).
    #[serde(skip)]
    pub losses: Option<HazardLosses>,
    /// Their per-cell totals (the AAL and deaths grids and the risk's input).
    #[serde(skip)]
    pub totals: Option<CellTotals>,
    /// The buildings as the loss model took them (in the order of `losses`).
    #[serde(skip)]
    pub inputs: Vec<FloodBuilding>,
}

/// A building of the census database on the census grid.
struct Surveyed {
    id: String,
    township: String,
    occupants: Option<f64>,
    building: Building,
}

/// Run the damage stage for the depth layers `depths` ((return period, layer id) of
/// the stack), writing into `out` and adding the grids to `stack`. Events up to the
/// flood-control standard `protection_years` are held by the defences: their damage
/// runs at depth 0 (the depth grids keep the unprotected screen as the hazard).
pub fn flood_damage(
    census: &CensusConfig,
    stack: &mut LayerStack,
    depths: &[(u32, String)],
    curves: &DepthDamage,
    mortality: &Mortality,
    protection_years: u32,
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
    let mut deaths: Vec<Vec<f64>> = vec![Vec::new(); stock.len()];
    for (t, depth_layer) in depths {
        let mut depth = read_depth(stack_path(stack, depth_layer)?, grid)?;
        if *t <= protection_years {
            // The defences hold this event: no water reaches the buildings.
            depth.mapv_inplace(|d| if d.is_nan() { d } else { 0.0 });
        }
        let event = curves.event(&stock, depth.view());
        report.loss_by_period.insert(*t, event.total_loss_wan());
        for (((rec, dr), d), s) in per_building
            .iter_mut()
            .zip(deaths.iter_mut())
            .zip(&event.buildings)
            .zip(&surveyed)
        {
            rec.push(*d);
            dr.push(mortality.deaths(s.occupants.unwrap_or(0.0), d.depth_m));
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
    if surveyed.is_empty() {
        // Without surveyed buildings there is nothing whose loss the census can
        // state: no annual loss, no risk (the plan says buildings are needed).
        report.buildings = 0;
        return Ok(report);
    }
    let annual_deaths: Vec<f64> = deaths
        .iter()
        .map(|d| {
            let ev: Vec<(u32, f64)> = periods.iter().copied().zip(d.iter().copied()).collect();
            expected_annual_damage(&ev)
        })
        .collect();
    let losses = HazardLosses {
        hazard: "flood".into(),
        models: vec![
            format!("{}@{}", curves.id(), curves.version()),
            format!("{}@{}", mortality.id(), mortality.version()),
        ],
        events: periods
            .iter()
            .map(|&t| LossEvent {
                name: format!("{t}y"),
                rate: 1.0 / f64::from(t),
            })
            .collect(),
        buildings: surveyed
            .iter()
            .zip(&per_building)
            .zip(&deaths)
            .zip(eads.iter().zip(&annual_deaths))
            .map(|(((s, rec), d), (&aal, &dy))| BuildingLoss {
                id: s.id.clone(),
                cell: s.building.cell.0 * grid.cols + s.building.cell.1,
                structure: s.building.structure.clone(),
                value_wan: s.building.value_wan.unwrap_or(0.0),
                occupants: s.occupants.unwrap_or(0.0),
                event_loss_wan: rec.iter().map(|b| b.loss_wan).collect(),
                event_deaths: d.clone(),
                // Flood displacement is the capacity_gaps stage's depth rule on the
                // population grid, not a building consequence.
                event_displaced: Vec::new(),
                aal_wan: aal,
                deaths_per_year: dy,
            })
            .collect(),
        aal_layer: AAL_LAYER.into(),
        deaths_layer: DEATHS_LAYER.into(),
    };
    // The cell grids are the buildings' sums (the risk stage reads the same totals).
    let totals = losses.cell_totals(grid.cell_count());
    let shape = (grid.rows, grid.cols);
    let as_grid = |v: &[f64]| Array2::from_shape_vec(shape, v.to_vec()).expect("grid-sized");
    report.ead = totals.aal.iter().filter(|v| v.is_finite()).sum();
    report.deaths_per_year = totals.deaths.iter().filter(|v| v.is_finite()).sum();
    grids.write(
        stack,
        &mut report,
        AAL_LAYER,
        as_grid(&totals.aal),
        "wan_cny/yr",
    )?;
    grids.write(
        stack,
        &mut report,
        DEATHS_LAYER,
        as_grid(&totals.deaths),
        "persons/yr",
    )?;
    report.losses = Some(losses);
    report.totals = Some(totals);
    report.inputs = surveyed
        .iter()
        .map(|s| FloodBuilding {
            id: s.id.clone(),
            cell: s.building.cell.0 * grid.cols + s.building.cell.1,
            structure: s.building.structure.clone(),
            value_wan: s.building.value_wan,
            occupants: s.occupants,
        })
        .collect();

    {
        let csv = out.join(BUILDINGS_CSV);
        let table = Table {
            buildings: &surveyed,
            periods: &periods,
            damage: &per_building,
            deaths: &deaths,
            eads: &eads,
            annual_deaths: &annual_deaths,
        };
        write_bytes(
            &csv,
            &table.csv().map_err(|source| EngineError::CsvWrite {
                path: csv.clone(),
                source,
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
            occupants: f.number("occupants"),
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

/// The layer of the flood AAL (万元/yr per cell).
pub const AAL_LAYER: &str = "flood_aal";

/// The layer of the expected annual flood deaths (persons/yr per cell).
pub const DEATHS_LAYER: &str = "flood_deaths_annual";

/// The building table's rows, one slice entry per building.
struct Table<'a> {
    buildings: &'a [Surveyed],
    periods: &'a [u32],
    damage: &'a [Vec<BuildingDamage>],
    deaths: &'a [Vec<f64>],
    eads: &'a [f64],
    annual_deaths: &'a [f64],
}

impl Table<'_> {
    /// id, township, structure, value, occupants, then depth, ratio, loss and deaths
    /// per event (`periods` order), then the AAL and the annual deaths; numbers with
    /// 6 decimals (deaths 8), nodata empty.
    fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let f = |v: f64, d: usize| {
            if v.is_nan() {
                String::new()
            } else {
                format!("{v:.d$}")
            }
        };
        let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> =
            ["id", "township_code", "structure", "value_wan", "occupants"]
                .map(String::from)
                .to_vec();
        for t in self.periods {
            header.extend([
                format!("depth_{t}y_m"),
                format!("ratio_{t}y"),
                format!("loss_{t}y_wan"),
                format!("deaths_{t}y"),
            ]);
        }
        header.extend(["aal_wan_per_yr".into(), "deaths_per_yr".into()]);
        w.write_record(&header)?;
        for (i, s) in self.buildings.iter().enumerate() {
            let mut row = vec![
                s.id.clone(),
                s.township.clone(),
                s.building.structure.clone(),
                opt(s.building.value_wan),
                opt(s.occupants),
            ];
            for (d, dead) in self.damage[i].iter().zip(&self.deaths[i]) {
                row.extend([
                    f(d.depth_m, 6),
                    f(d.ratio, 6),
                    f(d.loss_wan, 6),
                    f(*dead, 8),
                ]);
            }
            row.extend([f(self.eads[i], 6), f(self.annual_deaths[i], 8)]);
            w.write_record(&row)?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
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
            occupants: Some(4.0),
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
        let bytes = Table {
            buildings: &[s],
            periods: &[100],
            damage: &[vec![d]],
            deaths: &[vec![0.0114]],
            eads: &[0.04125],
            annual_deaths: &[0.000114],
        }
        .csv()
        .unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header[5..9],
            ["depth_100y_m", "ratio_100y", "loss_100y_wan", "deaths_100y"]
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][0], odd);
        assert_eq!(&rows[0][3], "12.5");
        assert_eq!(&rows[0][7], "4.125000");
        assert_eq!(&rows[0][8], "0.01140000");
        // A plain field is not quoted.
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(",370999001,rc_frame,12.5,4,"), "{text}");
    }
}
