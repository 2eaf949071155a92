//! Earthquake (issue 6), with the model library's GMMs, fragility and grade
//! (`riskcensus_models::earthquake`):
//!
//! - [`ground_motion_csv`]: the standalone table behind `riskcensus ground-motion`;
//! - [`run_earthquake`]: the census stage — PGA per cell from the zoning map
//!   (GB 18306-2015) or a scenario rupture (a ground-motion model or a logic tree
//!   of them — Yu et al. 2013, the NGA-West2 models — with Vs30 from slope, Wald &
//!   Allen 2007), intensity and hazard index grids; damage
//!   probabilities, loss, deaths and the hidden-danger grade per building (CSV and
//!   GeoPackage; the grade is a provisional rule of this project, labelled so in
//!   every table); grade counts and shares per township and per structure type;
//!   expected loss, deaths, weak-building share and vulnerability per cell. Method
//!   and sources: docs/earthquake.md.
//!
//! Grids: census grid and CRS, (x, y) axis order, north-up, f32 with NaN nodata.
//!
//! The stage's files, one job each:
//!
//! - [`model`]: the parameter file and fragility table of the model library;
//! - [`ground_motion`]: the standalone ground-motion table (CSV in, CSV out);
//! - [`shaking`]: PGA per cell (zoning map or scenario), intensity, hazard index;
//! - [`fault`]: the scenario's fault from the census database, its rupture;
//! - [`site`]: Vs30 per cell from slope or a site-class map;
//! - [`buildings`]: the census buildings on the grid, and the ones skipped;
//! - [`annual`]: AAL and expected annual deaths per building over the site's hazard
//!   curve (the four GB 18306-2015 levels), published for the risk stage;
//! - [`damage`]: fragility per building (in parallel) and the per-cell totals;
//! - [`tables`]: the building, township and structure tables (CSV, GeoPackage,
//!   census results);
//! - [`grids`]: writing the stage's grids into the output folder and the stack.

pub mod annual;
pub mod buildings;
pub mod damage;
pub mod fault;
pub mod grids;
pub mod ground_motion;
pub mod model;
pub mod prevention;
pub mod shaking;
pub mod site;
pub mod tables;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use buildings::{SkipReason, SkippedBuilding};
pub use fault::{scenario_rupture, ScenarioUsed};
pub use ground_motion::{ground_motion_csv, GM_COLUMNS};
pub use model::EarthquakeModel;
pub use riskcensus_models::earthquake::fault::parse_dip;
pub use tables::{run_label, GRADE_BASIS, GRADE_NAMES, RESULT_TABLE, STRUCTURE_TABLE};

use crate::config::CensusConfig;
use crate::executor::ExecOptions;
use crate::ingest::Census;
use crate::progress::Progress;
use crate::stack::LayerStack;
use crate::EngineError;

const MODEL: &str = "earthquake";

/// What the earthquake stage did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EarthquakeReport {
    /// `zoning` or `scenario`.
    pub method: String,
    /// The scenario rupture used (scenario method).
    pub scenario: Option<ScenarioUsed>,
    /// The outputs' `RISKCENSUS_PARAM_HASH`.
    pub param_hash: String,
    /// Layer id → file, for every grid written (all are in the stack too).
    pub grids: BTreeMap<String, PathBuf>,
    /// `eq_building_damage.csv`.
    pub building_csv: PathBuf,
    /// `eq_building_damage.gpkg`.
    pub building_gpkg: PathBuf,
    /// `eq_township_grades.csv`.
    pub township_csv: PathBuf,
    /// `eq_grades_by_structure.csv`.
    pub structure_csv: PathBuf,
    /// Buildings assessed.
    pub buildings_assessed: usize,
    /// What the hidden-danger grade rests on ([`GRADE_BASIS`]: provisional).
    pub grade_basis: String,
    /// Buildings per township code: [重点, 一般, 轻微] (code "" when unassigned).
    pub grades: BTreeMap<String, [usize; 3]>,
    /// Buildings per structure type (census code): [重点, 一般, 轻微].
    pub grades_by_structure: BTreeMap<String, [usize; 3]>,
    /// The table of grades per structure type, for `zoning.gpkg`.
    #[serde(skip)]
    pub structure_table: Option<crate::deliverable::Deliverable>,
    /// Buildings not assessed, by id, with the reason.
    pub skipped: Vec<SkippedBuilding>,
    /// Totals over the assessed buildings: expected loss (万元).
    pub expected_loss_wan: f64,
    /// … and expected deaths.
    pub expected_deaths: f64,
    /// Σ AAL over the buildings (万元/yr), when the zoning map gives the basic PGA.
    pub aal_wan: Option<f64>,
    /// Σ expected annual deaths, likewise.
    pub deaths_per_year: Option<f64>,
    /// The annual losses for the risk stage.
    #[serde(skip)]
    pub losses: Option<crate::loss::HazardLosses>,
    /// Their per-cell totals (the AAL and deaths grids and the risk's input).
    #[serde(skip)]
    pub totals: Option<crate::loss::CellTotals>,
    /// The loss model's inputs, for the scenarios stage.
    #[serde(skip)]
    pub exposure: Option<crate::loss::EarthquakeExposure>,
    /// Range of the PGA over valid cells (g).
    pub pga_min_g: f64,
    /// Range of the PGA over valid cells (g).
    pub pga_max_g: f64,
}

/// The census stage with the census's parameters ([`EarthquakeModel::load`]).
pub fn run_earthquake(
    census: &CensusConfig,
    stack: &mut LayerStack,
    out_dir: &Path,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<EarthquakeReport, EngineError> {
    let model = EarthquakeModel::load(&census.dir)?;
    run_earthquake_with(census, &model, stack, out_dir, exec, progress)
}

/// The census stage with given parameters. Writes into `out_dir`:
///
/// | file | content | unit | nodata |
/// |---|---|---|---|
/// | `eq_pga.tif` | PGA per cell | g | NaN |
/// | `eq_intensity.tif` | basic intensity (zoning) or instrumental intensity (scenario) | degree | NaN |
/// | `earthquake_hazard.tif` | hazard index (`[hazard_index]`) | index | NaN |
/// | `earthquake_vulnerability.tif` | value-weighted expected loss ratio of the cell's buildings | index | NaN (no building) |
/// | `eq_expected_loss.tif` | expected loss | 万元 (`wan_cny`) | 0 = no building |
/// | `eq_deaths.tif` | expected deaths | persons | 0 = no building |
/// | `eq_weak_share.tif` | share of buildings graded 重点 | fraction | NaN (no building) |
/// | `earthquake_aal.tif` | average annual loss over the hazard curve (zoning PGA needed) | 万元/yr | 0 = no building |
/// | `earthquake_deaths_annual.tif` | expected annual deaths, likewise | persons/yr | 0 = no building |
/// | `eq_building_damage.csv` / `.gpkg` | per building, sorted by id | | |
/// | `eq_township_grades.csv` | buildings and shares per grade per township | | |
/// | `eq_grades_by_structure.csv` | buildings and shares per grade per structure type, and all | | |
///
/// and inserts every grid into `stack` under its file stem. Buildings outside the
/// grid, on a cell without ground motion, or with a field the fragility model
/// refuses are listed in [`EarthquakeReport::skipped`].
pub fn run_earthquake_with(
    census: &CensusConfig,
    model: &EarthquakeModel,
    stack: &mut LayerStack,
    out_dir: &Path,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<EarthquakeReport, EngineError> {
    let p = &model.params;
    let grid = &census.grid;
    progress.start(MODEL, 4);
    std::fs::create_dir_all(out_dir).map_err(EngineError::fs(out_dir))?;
    let db = Census::open(&census.dir)?;
    // Zoning PGA: the ground motion (zoning method) and, always when available, the
    // required (basic) intensity of the hidden-danger grade.
    let zoning = shaking::zoning_pga(census, &p.ground_motion.zoning_source)?;
    let (pga, scenario) = shaking::ground_motion(census, &db, stack, p, zoning.as_deref(), exec)?;
    progress.advance(1);
    let method = shaking::method_name(p.ground_motion.method);
    let mut grids = grids::GridOut::new(out_dir, grid, model, method, scenario.as_ref());
    let (intensity, hazard) = shaking::intensity_and_hazard(p, &pga);
    grids.put("eq_pga", &pga, "g", stack)?;
    grids.put("eq_intensity", &intensity, "degree", stack)?;
    grids.put("earthquake_hazard", &hazard, "index", stack)?;
    progress.advance(1);
    let (located, mut skipped) = buildings::read_buildings(&db, grid)?;
    let assessed = damage::assess(&located, &pga, zoning.as_deref(), model, exec)?;
    progress.advance(1);
    let d = damage::tally(&located, assessed, &pga, &mut skipped);
    skipped.sort_by(|a, b| a.id.cmp(&b.id));
    let files = tables::write_tables(out_dir, &db, &grid.crs, &d)?;
    grids.put(
        "earthquake_vulnerability",
        &d.cells.vulnerability(),
        "index",
        stack,
    )?;
    grids.put("eq_expected_loss", &d.cells.loss(), "wan_cny", stack)?;
    grids.put("eq_deaths", &d.cells.deaths(), "persons", stack)?;
    grids.put("eq_weak_share", &d.cells.weak_share(), "fraction", stack)?;
    let (losses, totals, exposure) = match zoning.as_deref() {
        Some(basic) => {
            let (l, e) = annual::annual_losses(&located, basic, model, exec)?;
            let t = l.cell_totals(grid.cell_count());
            let f32s = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
            grids.put(annual::AAL_LAYER, &f32s(&t.aal), "wan_cny/yr", stack)?;
            grids.put(annual::DEATHS_LAYER, &f32s(&t.deaths), "persons/yr", stack)?;
            (Some(l), Some(t), Some(e))
        }
        None => (None, None, None),
    };
    progress.advance(1);
    progress.finish(MODEL);
    let (pga_min_g, pga_max_g) = pga
        .iter()
        .filter(|v| !v.is_nan())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v as f64), b.max(v as f64))
        });
    Ok(EarthquakeReport {
        method: method.into(),
        scenario,
        param_hash: model.param_hash.clone(),
        grids: grids.written,
        building_csv: files.building_csv,
        building_gpkg: files.building_gpkg,
        township_csv: files.township_csv,
        structure_csv: files.structure_csv,
        buildings_assessed: d.grades.values().map(|g| g[0] + g[1] + g[2]).sum(),
        grade_basis: GRADE_BASIS.into(),
        grades: d.grades,
        grades_by_structure: d
            .grades_by_structure
            .iter()
            .map(|(s, g)| (s.code().to_string(), *g))
            .collect(),
        structure_table: Some(files.structure_table),
        skipped,
        expected_loss_wan: d.total_loss,
        expected_deaths: d.total_deaths,
        aal_wan: losses.as_ref().map(crate::loss::HazardLosses::aal_wan),
        deaths_per_year: losses
            .as_ref()
            .map(crate::loss::HazardLosses::deaths_per_year),
        losses,
        totals,
        exposure,
        pga_min_g,
        pga_max_g,
    })
}

/// The earthquake stage's id.
pub const ID: &str = "earthquake";

/// The buildings per hidden-danger grade (重点 / 一般 / 轻微) per township of a
/// stage run, as the zoning stage tabulates them (`unit_seismic_grades`), with
/// each grade's share and the column `grade_basis` (provisional).
pub fn grade_counts(r: &EarthquakeReport) -> riskcensus_zoning::UnitCounts {
    riskcensus_zoning::UnitCounts {
        table: riskcensus_contracts::tables::zoning::UNIT_SEISMIC_GRADES.into(),
        classes: vec![
            "grade1_key".into(),
            "grade2_general".into(),
            "grade3_minor".into(),
        ],
        total: "buildings".into(),
        by_unit: r
            .grades
            .iter()
            .map(|(t, g)| (t.clone(), g.iter().map(|&n| n as u64).collect()))
            .collect(),
        shares: true,
        notes: vec![("grade_basis".into(), r.grade_basis.clone())],
    }
}

/// The earthquake stage (see [`run_earthquake_with`]); it runs when the census has
/// buildings, and publishes the buildings per hidden-danger grade per township
/// ([`riskcensus_zoning::UnitCounts`], table `unit_seismic_grades`) and per
/// structure type (a [`crate::deliverable::Deliverable`], `eq_grades_by_structure`)
/// for the zoning stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct EarthquakeStage;

impl crate::stage::Stage for EarthquakeStage {
    fn id(&self) -> &str {
        ID
    }

    /// Buildings; with the zoning method the seismic zoning polygons; with a
    /// scenario the fault and, for Vs30 from slope, the slope layer (from a DEM).
    fn needs(&self, cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        use riskcensus_models::earthquake::params::{Method, Vs30Source};
        let p = EarthquakeModel::from_library(cx.library)?.params;
        let mut needs = crate::stage::Needs {
            tables: vec![riskcensus_contracts::tables::census::BUILDINGS],
            ..Default::default()
        };
        match p.ground_motion.method {
            Method::Zoning => needs.sources.push((
                p.ground_motion.zoning_source.clone(),
                "seismic ground-motion zoning polygons (GB 18306-2015) with field pga_g (g)".into(),
            )),
            Method::Scenario => {
                needs.sources.push((
                    p.scenario.fault_source.clone(),
                    format!(
                        "fault traces (lines) holding the scenario's fault {:?} in field id or code",
                        p.scenario.fault
                    ),
                ));
                match &p.site.vs30 {
                    Vs30Source::Layer(l) if l == "slope" => needs.layers.push("slope_deg".into()),
                    Vs30Source::Layer(_) => needs.sources.push((
                        p.site.site_class_source.clone(),
                        format!(
                            "site-class polygons with field {} (NEHRP A–E)",
                            p.site.site_class_field
                        ),
                    )),
                    Vs30Source::Constant(_) => {}
                }
            }
        }
        Ok(needs)
    }

    /// The grids of [`Stage::writes`](crate::stage::Stage::writes); the annual
    /// loss and the risk only when the census declares the zoning source (the basic
    /// PGA of the hazard curve).
    fn plans(&self, cx: &crate::stage::Context<'_>) -> Result<Vec<String>, EngineError> {
        let p = EarthquakeModel::from_library(cx.library)?.params;
        let zoning = cx
            .census
            .vectors
            .iter()
            .any(|v| v.id == p.ground_motion.zoning_source);
        let annual = [
            annual::AAL_LAYER,
            annual::DEATHS_LAYER,
            "earthquake_risk",
            "earthquake_risk_level",
        ];
        Ok(self
            .writes()
            .layers
            .into_iter()
            .filter(|l| zoning || !annual.contains(l))
            .map(String::from)
            .collect())
    }

    fn writes(&self) -> crate::stage::Writes {
        crate::stage::Writes {
            layers: vec![
                "eq_pga",
                "eq_intensity",
                "earthquake_hazard",
                "earthquake_vulnerability",
                "eq_expected_loss",
                "eq_deaths",
                "eq_weak_share",
                annual::AAL_LAYER,
                annual::DEATHS_LAYER,
                "earthquake_risk",
                "earthquake_risk_level",
            ],
            files: vec![
                "eq_building_damage.csv",
                "eq_building_damage.gpkg",
                "eq_township_grades.csv",
                "eq_grades_by_structure.csv",
            ],
        }
    }

    fn run(
        &self,
        cx: &mut crate::stage::Context<'_>,
    ) -> Result<crate::stage::StageOutcome, EngineError> {
        let out = cx.layout.assess();
        let model = EarthquakeModel::from_library(cx.library)?;
        let mut r =
            run_earthquake_with(cx.census, &model, &mut cx.stack, &out, cx.exec, cx.progress)?;
        cx.publish(grade_counts(&r));
        if let Some(t) = r.structure_table.take() {
            cx.publish(t);
        }
        // As in the flood stage: the totals feed the risk and are dropped, the
        // losses go to the comprehensive stage.
        if let (Some(l), Some(totals)) = (r.losses.take(), r.totals.take()) {
            crate::loss::write_risk(cx, ID, &totals)?;
            cx.publish(l);
        }
        if let Some(e) = r.exposure.take() {
            cx.publish(std::sync::Arc::new(e));
        }
        let entry = crate::run::operator_entry(
            &model.params.id,
            &model.params.version,
            &(),
            "eq_pga, eq_intensity, earthquake_hazard, earthquake_vulnerability, eq_expected_loss, eq_deaths, eq_weak_share, earthquake_aal, earthquake_deaths_annual, earthquake_risk, earthquake_risk_level",
        );
        // The stage's parameter hash covers its parameter file and fragility table.
        let entry = riskcensus_contracts::manifest::ModelEntry {
            param_hash: model.param_hash.clone(),
            method: Some(r.method.clone()),
            ..entry
        };
        let mut outcome = crate::stage::StageOutcome::with_details(r);
        outcome.operators = vec![entry];
        Ok(outcome)
    }
}
