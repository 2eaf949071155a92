//! Earthquake (issue 6), with the model library's GMMs, fragility and grade
//! (`riskcensus_models::earthquake`):
//!
//! - [`ground_motion_csv`]: the standalone table behind `riskcensus ground-motion`;
//! - [`run_earthquake`]: the census stage — PGA per cell from the zoning map
//!   (GB 18306-2015) or a scenario rupture (Yu et al. 2013 / Boore et al. 2014 with
//!   Vs30 from slope, Wald & Allen 2007), intensity and hazard index grids; damage
//!   probabilities, loss, deaths and the hidden-danger grade per building (CSV and
//!   GeoPackage); expected loss, deaths, weak-building share and vulnerability per
//!   cell. Method and sources: docs/earthquake.md.
//!
//! Grids: census grid and CRS, (x, y) axis order, north-up, f32 with NaN nodata.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use riskcensus_models::earthquake::{
    EarthquakeError, EarthquakeParams, GmInput, Gmm, Imt, PlanarRupture,
};

use ndarray::ArrayView2;
use rayon::prelude::*;
use riskcensus_core::GridSpec;
use riskcensus_io::rasterize::{rasterize, Burn, RasterizeSpec};
use riskcensus_io::vector::{
    FieldDef, FieldType, FieldValue as Out, GeometryType, VectorDriver, VectorLayerSpec,
    VectorWriter, WriteOptions,
};
use riskcensus_io::CogOptions;
use riskcensus_models::earthquake::fragility::{self, Building, FragilityTable, STATE_NAMES};
use riskcensus_models::earthquake::intensity::{instrumental_intensity, zoning_intensity};
use riskcensus_models::earthquake::params::{self as eq_params, Method, Vs30Source};
use riskcensus_models::earthquake::site::{vs30_from_site_class, vs30_from_slope_deg};

use crate::config::CensusConfig;
use crate::executor::ExecOptions;
use crate::ingest::{Census, FieldValue, Query};
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::stack::LayerStack;
use crate::EngineError;
use riskcensus_models::Library;

/// Columns the ground-motion table understands (others are refused by name).
pub const GM_COLUMNS: &[&str] = &[
    "id",
    "mag",
    "rake",
    "dip",
    "ztor_km",
    "rjb_km",
    "rrup_km",
    "rx_km",
    "vs30",
    "repi_km",
    "azimuth_deg",
];

/// Median and σ(ln) of `imt` for every row of a CSV of rupture–site cases.
///
/// The header names the columns (any order); `gmm.required_columns()` must be
/// present; a column outside [`GM_COLUMNS`] is an error naming it, so a typo never
/// silently drops a parameter. Output: the input columns, then `median_g` (or
/// `median_cm_s` for PGV) and `sigma_ln`, one line per input row, numbers with 6
/// significant digits. Errors name the file, line and column (Config, exit 2) or
/// the model and line (Model, exit 2: magnitude outside the model's range).
pub fn ground_motion_csv(gmm_name: &str, imt: &str, input: &Path) -> Result<String, EngineError> {
    let cfg = |msg: String| EngineError::Config {
        path: input.to_path_buf(),
        msg,
    };
    let gmm = Gmm::from_name(gmm_name).map_err(|e| cfg(e.to_string()))?;
    let imt: Imt = imt
        .parse()
        .map_err(|e: EarthquakeError| cfg(e.to_string()))?;
    let text = std::fs::read_to_string(input).map_err(EngineError::fs(input))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let (h, header) = lines
        .next()
        .ok_or_else(|| cfg("empty file: no header".into()))?;
    let hl = h + 1;
    let cols: Vec<String> = header
        .trim_start_matches('\u{feff}')
        .split(',')
        .map(|c| c.trim().to_string())
        .collect();
    for c in &cols {
        if !GM_COLUMNS.contains(&c.as_str()) {
            return Err(cfg(format!(
                "line {hl}: unknown column `{c}` (known: {})",
                GM_COLUMNS.join(", ")
            )));
        }
    }
    for r in gmm.required_columns() {
        if !cols.iter().any(|c| c == r) {
            return Err(cfg(format!(
                "line {hl}: column `{r}` required by {} is missing (needs {})",
                gmm.name(),
                gmm.required_columns().join(", ")
            )));
        }
    }
    let median_col = if imt == Imt::Pgv {
        "median_cm_s"
    } else {
        "median_g"
    };
    let mut out = format!("{},{median_col},sigma_ln\n", cols.join(","));
    for (i, line) in lines {
        let n = i + 1;
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != cols.len() {
            return Err(cfg(format!(
                "line {n}: {} fields, header has {}",
                f.len(),
                cols.len()
            )));
        }
        let mut x = GmInput::nan();
        for (c, v) in cols.iter().zip(&f) {
            let slot = match c.as_str() {
                "mag" => &mut x.mag,
                "rake" => &mut x.rake,
                "rjb_km" => &mut x.rjb_km,
                "vs30" => &mut x.vs30,
                "repi_km" => &mut x.repi_km,
                "azimuth_deg" => &mut x.azimuth_deg,
                _ => continue,
            };
            *slot = v
                .parse::<f64>()
                .map_err(|_| cfg(format!("line {n}: column `{c}`: `{v}` is not a number")))?;
        }
        let gm = gmm.ground_motion(imt, &x).map_err(|e| match e {
            EarthquakeError::MagnitudeOutOfRange { .. } => EngineError::Model {
                model: gmm.name().to_string(),
                msg: format!("{}: line {n}: {e}", input.display()),
            },
            other => cfg(format!("line {n}: {other}")),
        })?;
        let _ = writeln!(out, "{},{:.6e},{:.6}", f.join(","), gm.median, gm.sigma_ln);
    }
    Ok(out)
}

// ---------------------------------------------------------------- census stage
//
// `run_earthquake`: ground motion per cell (zoning map or scenario rupture), seismic
// intensity and the hazard index, per-building damage and hidden-danger grades,
// and per-cell loss, casualty, weak-building and vulnerability grids. See
// docs/earthquake.md for the method and the source of every coefficient.

const MODEL: &str = "earthquake";

/// The parameters of the stage, with the fragility table they name and the hash
/// of both texts (the outputs' `RISKCENSUS_PARAM_HASH`).
#[derive(Debug, Clone)]
pub struct EarthquakeModel {
    pub params: EarthquakeParams,
    pub table: FragilityTable,
    /// SHA-256 of the parameter text, a newline, and the fragility table text.
    pub param_hash: String,
    /// Where the parameters came from (`models/earthquake.toml` when built in).
    pub origin: String,
}

impl EarthquakeModel {
    /// From the parameter text and the fragility table text (`*_origin` name the
    /// files in errors).
    pub fn from_texts(
        params_text: &str,
        params_origin: &str,
        table_text: &str,
        table_origin: &str,
    ) -> Result<EarthquakeModel, EngineError> {
        let params = EarthquakeParams::parse(params_text, params_origin).map_err(model_err)?;
        let table = FragilityTable::parse(table_text, table_origin).map_err(model_err)?;
        let param_hash =
            riskcensus_io::digest::bytes_sha256(format!("{params_text}\n{table_text}").as_bytes());
        Ok(EarthquakeModel {
            params,
            table,
            param_hash,
            origin: params_origin.to_string(),
        })
    }

    /// The shipped parameters and fragility table.
    pub fn builtin() -> Result<EarthquakeModel, EngineError> {
        Self::from_library(&Library::shipped())
    }

    /// The census's parameters and fragility table (the shipped ones unless the
    /// census provides its own, [`Library::for_census`]).
    pub fn load(census_dir: &Path) -> Result<EarthquakeModel, EngineError> {
        Self::from_library(&Library::for_census(census_dir)?)
    }

    /// The parameters `earthquake/earthquake.toml` of a model library and the
    /// fragility table they name (`[fragility] table`, a file of the same folder).
    pub fn from_library(library: &Library) -> Result<EarthquakeModel, EngineError> {
        let f = library.require(eq_params::PATH)?;
        let origin = f.origin.display().to_string();
        let p = EarthquakeParams::parse(&f.text, &origin).map_err(model_err)?;
        let table_path = format!("earthquake/{}", p.fragility.table);
        let t = library.require(&table_path)?;
        Self::from_texts(&f.text, &origin, &t.text, &t.origin.display().to_string())
    }
}

fn model_err(e: EarthquakeError) -> EngineError {
    EngineError::Model {
        model: MODEL.into(),
        msg: e.to_string(),
    }
}

/// A building the stage could not assess, and why (the survey validated the codes
/// at ingest, so a bad record is reported, not fatal).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkippedBuilding {
    pub id: String,
    pub reason: String,
}

/// The scenario rupture actually used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScenarioUsed {
    pub fault: String,
    /// Trace end points (x, y) in the census CRS, ordered so the dip is to the right.
    pub trace: [(f64, f64); 2],
    pub dip_deg: f64,
    /// True when the dip (angle or direction) came from the fault's `dip` field.
    pub dip_from_fault: bool,
    pub gmm: String,
    pub magnitude: f64,
    pub length_km: f64,
    pub width_km: f64,
}

/// What the earthquake stage did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EarthquakeReport {
    /// `zoning` or `scenario`.
    pub method: String,
    pub scenario: Option<ScenarioUsed>,
    pub param_hash: String,
    /// Layer id → file, for every grid written (all are in the stack too).
    pub grids: BTreeMap<String, PathBuf>,
    pub building_csv: PathBuf,
    pub building_gpkg: PathBuf,
    pub township_csv: PathBuf,
    pub buildings_assessed: usize,
    /// Buildings per township code: [重点, 一般, 轻微] (code "" when unassigned).
    pub grades: BTreeMap<String, [usize; 3]>,
    pub skipped: Vec<SkippedBuilding>,
    /// Totals over the assessed buildings.
    pub expected_loss_wan: f64,
    pub expected_deaths: f64,
    /// Range of the PGA over valid cells (g).
    pub pga_min_g: f64,
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
/// | `eq_building_damage.csv` / `.gpkg` | per building, sorted by id | | |
/// | `eq_township_grades.csv` | buildings per grade per township | | |
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
    let zoning = zoning_pga(census, &p.ground_motion.zoning_source)?;
    let (pga, scenario) = match p.ground_motion.method {
        Method::Zoning => {
            let z = zoning.clone().ok_or_else(|| EngineError::Layer {
                layer: p.ground_motion.zoning_source.clone(),
                msg:
                    "method = \"zoning\" needs this [[vector]] source (field pga_g) in census.toml"
                        .into(),
            })?;
            (z, None)
        }
        Method::Scenario => {
            let (rupture, used) = scenario_rupture(census, &db, p)?;
            let vs30 = site_vs30(census, stack, p)?;
            let pga = exec.install(|| scenario_pga(grid, &rupture, p, vs30.as_deref()))??;
            (pga, Some(used))
        }
    };
    progress.advance(1);
    // Zoning PGA → basic intensity (a class); scenario PGA → instrumental intensity.
    let (method, to_intensity): (&str, fn(f64) -> f32) = match p.ground_motion.method {
        Method::Zoning => ("zoning", |g| f32::from(zoning_intensity(g))),
        Method::Scenario => ("scenario", |g| instrumental_intensity(g) as f32),
    };
    let intensity: Vec<f32> = pga
        .iter()
        .map(|&g| {
            if g.is_nan() {
                f32::NAN
            } else {
                to_intensity(g as f64)
            }
        })
        .collect();
    let hazard: Vec<f32> = pga
        .iter()
        .map(|&g| p.hazard_index.index(g as f64) as f32)
        .collect();
    let mut tags = provenance::base();
    tags.insert(tag::MODEL_ID.into(), format!("{}@{}", p.id, p.version));
    tags.insert(tag::PARAM_HASH.into(), model.param_hash.clone());
    tags.insert("RISKCENSUS_EQ_METHOD".into(), method.into());
    if let Some(s) = &scenario {
        tags.insert(
            "RISKCENSUS_EQ_SCENARIO".into(),
            format!(
                "fault={} gmm={} M={} dip={} ztor={} zbot={} rake={}",
                s.fault,
                s.gmm,
                s.magnitude,
                s.dip_deg,
                p.scenario.ztor_km,
                p.scenario.zbot_km,
                p.scenario.rake
            ),
        );
    }
    let mut grids = BTreeMap::new();
    let mut put = |id: &str, data: &[f32], unit: &str, stack: &mut LayerStack| {
        let mut t = tags.clone();
        t.insert(tag::UNITS.into(), unit.into());
        let a = ArrayView2::from_shape((grid.rows, grid.cols), data).expect("grid-sized");
        crate::output::write_array(
            out_dir,
            id,
            grid,
            a,
            Some(f64::NAN),
            &t,
            &CogOptions::default(),
        )?;
        let path = out_dir.join(format!("{id}.tif"));
        stack.insert(id, &path, unit);
        grids.insert(id.to_string(), path);
        Ok::<(), EngineError>(())
    };
    put("eq_pga", &pga, "g", stack)?;
    put("eq_intensity", &intensity, "degree", stack)?;
    put("earthquake_hazard", &hazard, "index", stack)?;
    progress.advance(1);

    // Buildings.
    let feats = db.query("buildings", &Query::default())?;
    let mut skipped = Vec::new();
    let mut located: Vec<(Building, String, (f64, f64), usize)> = Vec::new();
    for f in &feats {
        let id = f.get("id").map(text).unwrap_or_default();
        let id = if id.is_empty() {
            format!("fid {}", f.fid)
        } else {
            id
        };
        let Some(geo_types::Geometry::Point(pt)) = &f.geometry else {
            skipped.push(SkippedBuilding {
                id,
                reason: "no point geometry".into(),
            });
            continue;
        };
        let (x, y) = (pt.x(), pt.y());
        let Some(cell) = grid.cell_of(x, y).map(|(r, c)| r * grid.cols + c) else {
            skipped.push(SkippedBuilding {
                id,
                reason: format!("({x}, {y}) outside the census grid"),
            });
            continue;
        };
        let t = |k: &str| f.get(k).map(text).filter(|s| !s.is_empty());
        let i = |k: &str| f.get(k).and_then(int);
        let r = |k: &str| f.get(k).and_then(real);
        match Building::from_fields(
            &id,
            t("structure").as_deref(),
            i("storeys"),
            i("year_built"),
            t("fortification").as_deref(),
            r("occupants"),
            r("value_wan"),
        ) {
            Ok(b) => located.push((b, t("township_code").unwrap_or_default(), (x, y), cell)),
            Err(e) => skipped.push(SkippedBuilding {
                id,
                reason: e.to_string(),
            }),
        }
    }
    located.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let fp = &p.fragility.params;
    let assessed: Vec<Result<Option<(fragility::BuildingDamage, u8)>, String>> =
        exec.install(|| {
            located
                .par_iter()
                .map(|(b, _, _, cell)| {
                    let g = pga[*cell];
                    if g.is_nan() {
                        return Ok(None);
                    }
                    let required = zoning
                        .as_ref()
                        .map_or(0, |z| zoning_intensity(z[*cell] as f64));
                    fragility::assess(&model.table, fp, b, g as f64, required)
                        .map(|d| Some((d, required)))
                        .map_err(|e| e.to_string())
                })
                .collect()
        })?;
    progress.advance(1);
    let n = grid.cell_count();
    let (mut value, mut loss, mut deaths, mut count, mut weak, mut lr_sum) = (
        vec![0f64; n],
        vec![0f64; n],
        vec![0f64; n],
        vec![0u32; n],
        vec![0u32; n],
        vec![0f64; n],
    );
    let mut grades: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut csv = String::from(
        "id,township_code,x,y,structure,storeys,year_built,fortification,hazus_type,code_level,pga_g,required_intensity,p_none,p_slight,p_moderate,p_extensive,p_complete,loss_ratio,value_wan,loss_wan,deaths,grade,grade_name\n",
    );
    let mut rows_out = Vec::new();
    let (mut total_loss, mut total_deaths) = (0.0, 0.0);
    for ((b, town, (x, y), cell), res) in located.iter().zip(&assessed) {
        let (d, required) = match res {
            Ok(Some(v)) => *v,
            Ok(None) => {
                skipped.push(SkippedBuilding {
                    id: b.id.clone(),
                    reason: "no ground motion at its cell (outside the zoning map or no slope)"
                        .into(),
                });
                continue;
            }
            Err(e) => {
                skipped.push(SkippedBuilding {
                    id: b.id.clone(),
                    reason: e.clone(),
                });
                continue;
            }
        };
        let c = *cell;
        value[c] += b.value;
        loss[c] += d.expected_loss;
        deaths[c] += d.deaths;
        count[c] += 1;
        lr_sum[c] += d.loss_ratio;
        weak[c] += u32::from(d.grade == 1);
        total_loss += d.expected_loss;
        total_deaths += d.deaths;
        grades.entry(town.clone()).or_insert([0; 3])[usize::from(d.grade - 1)] += 1;
        let grade_name = GRADE_NAMES[usize::from(d.grade - 1)];
        let g = pga[c];
        let pr = d.probabilities;
        let _ = writeln!(
            csv,
            "{},{},{:.2},{:.2},{},{},{},{},{},{},{:.6},{},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{},{:.6},{:.6e},{},{}",
            csv_text(&b.id),
            town,
            x,
            y,
            b.structure.code(),
            b.storeys,
            b.year_built.map(|y| y.to_string()).unwrap_or_default(),
            b.fortification.code(),
            b.structure.hazus_type(b.storeys),
            d.level.name(),
            g,
            required,
            pr[0],
            pr[1],
            pr[2],
            pr[3],
            pr[4],
            d.loss_ratio,
            b.value,
            d.expected_loss,
            d.deaths,
            d.grade,
            grade_name
        );
        rows_out.push((
            geo_types::Geometry::Point(geo_types::Point::new(*x, *y)),
            vec![
                Out::String(b.id.clone()),
                Out::String(town.clone()),
                Out::String(b.structure.code().into()),
                Out::Integer(b.storeys as i32),
                b.year_built.into(),
                Out::String(b.fortification.code().into()),
                Out::Real(g as f64),
                Out::Integer(i32::from(required)),
                Out::Real(pr[0]),
                Out::Real(pr[1]),
                Out::Real(pr[2]),
                Out::Real(pr[3]),
                Out::Real(pr[4]),
                Out::Real(d.loss_ratio),
                Out::Real(d.expected_loss),
                Out::Real(d.deaths),
                Out::Integer(i32::from(d.grade)),
                Out::String(grade_name.into()),
            ],
        ));
    }
    skipped.sort_by(|a, b| a.id.cmp(&b.id));
    let building_csv = out_dir.join("eq_building_damage.csv");
    riskcensus_io::files::write_atomic(&building_csv, csv.as_bytes())?;
    let building_gpkg = out_dir.join("eq_building_damage.gpkg");
    // The same rows go into the census database as this run's result table.
    let run = run_label(out_dir);
    db.store_results(
        RESULT_TABLE,
        &run,
        riskcensus_io::gpkg::DbGeometry::Point,
        &building_fields(),
        rows_out.iter().map(|(g, v)| (Some(g.clone()), v.clone())),
    )?;
    write_building_gpkg(&building_gpkg, &grid.crs, rows_out)?;
    let mut tc = String::from("township_code,grade1_key,grade2_general,grade3_minor,buildings\n");
    for (t, g) in &grades {
        let _ = writeln!(tc, "{t},{},{},{},{}", g[0], g[1], g[2], g[0] + g[1] + g[2]);
    }
    let township_csv = out_dir.join("eq_township_grades.csv");
    riskcensus_io::files::write_atomic(&township_csv, tc.as_bytes())?;

    // Per-cell grids.
    let vuln: Vec<f32> = (0..n)
        .map(|i| {
            if count[i] == 0 {
                f32::NAN
            } else if value[i] > 0.0 {
                (loss[i] / value[i]) as f32
            } else {
                (lr_sum[i] / f64::from(count[i])) as f32
            }
        })
        .collect();
    let share: Vec<f32> = (0..n)
        .map(|i| {
            if count[i] == 0 {
                f32::NAN
            } else {
                (f64::from(weak[i]) / f64::from(count[i])) as f32
            }
        })
        .collect();
    let loss32: Vec<f32> = loss.iter().map(|&v| v as f32).collect();
    let deaths32: Vec<f32> = deaths.iter().map(|&v| v as f32).collect();
    put("earthquake_vulnerability", &vuln, "index", stack)?;
    put("eq_expected_loss", &loss32, "wan_cny", stack)?;
    put("eq_deaths", &deaths32, "persons", stack)?;
    put("eq_weak_share", &share, "fraction", stack)?;
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
        grids,
        building_csv,
        building_gpkg,
        township_csv,
        buildings_assessed: grades.values().map(|g| g[0] + g[1] + g[2]).sum(),
        grades,
        skipped,
        expected_loss_wan: total_loss,
        expected_deaths: total_deaths,
        pga_min_g,
        pga_max_g,
    })
}

/// Grade names of codes 1, 2, 3.
pub const GRADE_NAMES: [&str; 3] = ["重点", "一般", "轻微"];

fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Name of the per-building result table in the census database
/// (`result_eq_buildings`, rows of every run keyed by `run`).
pub const RESULT_TABLE: &str = "eq_buildings";

/// The label a run's results carry in the census database: the name of the run
/// folder (`out/<run-id>/assess` → `<run-id>`), else of `out_dir` itself.
pub fn run_label(out_dir: &Path) -> String {
    let dir = if out_dir.file_name().is_some_and(|n| n == "assess") {
        out_dir.parent().unwrap_or(out_dir)
    } else {
        out_dir
    };
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into())
}

/// Fields of the per-building damage layer (after the geometry).
fn building_fields() -> Vec<FieldDef> {
    let mut fields = vec![
        FieldDef::new("id", FieldType::String),
        FieldDef::new("township_code", FieldType::String),
        FieldDef::new("structure", FieldType::String),
        FieldDef::new("storeys", FieldType::Integer),
        FieldDef::new("year_built", FieldType::Integer),
        FieldDef::new("fortification", FieldType::String),
        FieldDef::new("pga_g", FieldType::Real),
        FieldDef::new("required_intensity", FieldType::Integer),
    ];
    for s in STATE_NAMES {
        fields.push(FieldDef::new(format!("p_{s}"), FieldType::Real));
    }
    fields.extend([
        FieldDef::new("loss_ratio", FieldType::Real),
        FieldDef::new("loss_wan", FieldType::Real),
        FieldDef::new("deaths", FieldType::Real),
        FieldDef::new("grade", FieldType::Integer),
        FieldDef::new("grade_name", FieldType::String),
    ]);
    fields
}

fn write_building_gpkg(
    path: &Path,
    crs: &str,
    rows: Vec<(geo_types::Geometry<f64>, Vec<Out>)>,
) -> Result<(), EngineError> {
    let fields = building_fields();
    let spec = VectorLayerSpec::new(
        VectorDriver::GeoPackage,
        "eq_building_damage",
        crs,
        GeometryType::Point,
    )
    .fields(fields);
    let mut w = VectorWriter::create(
        path,
        VectorDriver::GeoPackage,
        &WriteOptions {
            fixed_timestamp: Some(crate::output::FIXED_TIMESTAMP.into()),
        },
    )?;
    w.add_layer(&spec, rows)?;
    w.finish()?;
    Ok(())
}

fn text(v: &FieldValue) -> String {
    match v {
        FieldValue::String(s) => s.trim().to_string(),
        FieldValue::Integer(i) => i.to_string(),
        FieldValue::Integer64(i) => i.to_string(),
        FieldValue::Real(r) => r.to_string(),
        FieldValue::Null => String::new(),
        FieldValue::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
    }
}

fn int(v: &FieldValue) -> Option<i64> {
    match v {
        FieldValue::Integer(i) => Some(i64::from(*i)),
        FieldValue::Integer64(i) => Some(*i),
        FieldValue::Real(r) if r.is_finite() => Some(r.round() as i64),
        FieldValue::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn real(v: &FieldValue) -> Option<f64> {
    match v {
        FieldValue::Integer(i) => Some(f64::from(*i)),
        FieldValue::Integer64(i) => Some(*i as f64),
        FieldValue::Real(r) if r.is_finite() => Some(*r),
        FieldValue::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The zoning PGA (g) per cell from the `source` vector's `pga_g` field (cell-centre
/// rule, NaN outside every polygon); `None` when census.toml lists no such source.
fn zoning_pga(census: &CensusConfig, source: &str) -> Result<Option<Vec<f32>>, EngineError> {
    let Some(v) = census.vectors.iter().find(|v| v.id == source) else {
        return Ok(None);
    };
    let spec = RasterizeSpec {
        burn: Burn::Field("pga_g".into()),
        init: f32::NAN,
        ..RasterizeSpec::mask(v.layer.as_deref(), false)
    };
    let a = rasterize(&census.source_path(&v.path), &census.grid, &spec)?;
    Ok(Some(a.iter().copied().collect()))
}

/// Vs30 per cell (m/s, NaN where unknown) for `vs30 = "slope"` or `"site_class"`;
/// `None` for a constant. A site-class map (NEHRP A–E, [`vs30_from_site_class`])
/// covers its polygons by the cell-centre rule; cells no polygon covers take the
/// slope proxy (Wald & Allen 2007). A class outside A–E, or a polygon without a
/// class, is an error naming the source, feature and value.
fn site_vs30(
    census: &CensusConfig,
    stack: &LayerStack,
    p: &EarthquakeParams,
) -> Result<Option<Vec<f64>>, EngineError> {
    let grid = &census.grid;
    let from_slope = || -> Result<Vec<f64>, EngineError> {
        let slope = stack.read_grid(
            "slope_deg",
            Some("deg"),
            grid,
            "Vs30 from slope (the earthquake scenario)",
        )?;
        Ok(slope
            .iter()
            .map(|&s| vs30_from_slope_deg(s as f64))
            .collect())
    };
    match &p.site.vs30 {
        Vs30Source::Constant(_) => Ok(None),
        Vs30Source::Layer(l) if l == "slope" => Ok(Some(from_slope()?)),
        Vs30Source::Layer(_) => {
            let site = &p.site;
            let v = census
                .vectors
                .iter()
                .find(|v| v.id == site.site_class_source)
                .ok_or_else(|| EngineError::Layer {
                    layer: site.site_class_source.clone(),
                    msg: "site.vs30 = \"site_class\" needs this [[vector]] source of site-class polygons in census.toml".into(),
                })?;
            let path = census.source_path(&v.path);
            let src = riskcensus_io::vector_read::VectorSource::open(&path)?;
            let info = src.info(v.layer.as_deref())?;
            let field = info
                .fields
                .iter()
                .position(|(n, _)| *n == site.site_class_field)
                .ok_or_else(|| EngineError::Layer {
                    layer: site.site_class_source.clone(),
                    msg: format!(
                        "{}: no field `{}` (fields: {})",
                        path.display(),
                        site.site_class_field,
                        info.fields
                            .iter()
                            .map(|f| f.0.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
            // The distinct class texts as stored, each checked and mapped to its Vs30.
            let mut classes: BTreeMap<String, f64> = BTreeMap::new();
            src.read(v.layer.as_deref(), |f| -> Result<(), EngineError> {
                let text = match &f.values[field] {
                    riskcensus_io::vector_read::RawValue::Text(b) => {
                        String::from_utf8_lossy(b).into_owned()
                    }
                    _ => String::new(),
                };
                if !classes.contains_key(&text) {
                    let vs30 = vs30_from_site_class(&text).map_err(|e| EngineError::Layer {
                        layer: site.site_class_source.clone(),
                        msg: format!(
                            "{} feature {} field `{}` = {text:?}: {e}",
                            path.display(),
                            f.index + 1,
                            site.site_class_field
                        ),
                    })?;
                    classes.insert(text, vs30);
                }
                Ok(())
            })?;
            // Burn each class's index (exact in f32) and map it to its f64 Vs30.
            let mut vs30 = from_slope()?;
            for (k, (class, value)) in classes.iter().enumerate() {
                let spec = RasterizeSpec {
                    burn: Burn::Value(k as f64),
                    init: f32::NAN,
                    where_clause: Some(format!(
                        "\"{}\" = '{}'",
                        site.site_class_field.replace('"', "\"\""),
                        class.replace('\'', "''")
                    )),
                    ..RasterizeSpec::mask(v.layer.as_deref(), false)
                };
                let a = rasterize(&path, grid, &spec)?;
                for (o, &b) in vs30.iter_mut().zip(a.iter()) {
                    if !b.is_nan() {
                        *o = *value;
                    }
                }
            }
            Ok(Some(vs30))
        }
    }
}

/// The fault's rupture: trace end points of its longest part, dip from its `dip`
/// text (`南倾 70°`: the angle, and the dip direction orienting the trace) or the
/// parameters.
fn scenario_rupture(
    census: &CensusConfig,
    db: &Census,
    p: &EarthquakeParams,
) -> Result<(PlanarRupture, ScenarioUsed), EngineError> {
    let s = &p.scenario;
    let layer = crate::ingest::layer_for_source(census, &s.fault_source).unwrap_or("faults");
    let feats = db.query(layer, &Query::default())?;
    let f = feats
        .iter()
        .find(|f| {
            ["id", "code"]
                .iter()
                .any(|k| f.get(k).map(text).is_some_and(|t| t == s.fault))
        })
        .ok_or_else(|| EngineError::Layer {
            layer: s.fault_source.clone(),
            msg: format!("no fault with id/code `{}` in the census database", s.fault),
        })?;
    let lines: Vec<&geo_types::LineString<f64>> = match &f.geometry {
        Some(geo_types::Geometry::LineString(l)) => vec![l],
        Some(geo_types::Geometry::MultiLineString(m)) => m.0.iter().collect(),
        _ => Vec::new(),
    };
    let longest = lines
        .iter()
        .filter(|l| l.0.len() >= 2)
        .max_by(|a, b| span(a).total_cmp(&span(b)))
        .ok_or_else(|| EngineError::Layer {
            layer: s.fault_source.clone(),
            msg: format!("fault `{}` has no line geometry", s.fault),
        })?;
    let (a, b) = (longest.0[0], longest.0[longest.0.len() - 1]);
    let mut trace = [(a.x, a.y), (b.x, b.y)];
    let dip_text = f.get("dip").map(text).unwrap_or_default();
    let (angle, dir) = parse_dip(&dip_text);
    let dip_deg = angle.unwrap_or(s.dip);
    if let Some((dx, dy)) = dir {
        // Right of the trace direction (tx, ty) is (ty, −tx).
        let (tx, ty) = (trace[1].0 - trace[0].0, trace[1].1 - trace[0].1);
        if ty * dx - tx * dy < 0.0 {
            trace.swap(0, 1);
        }
    }
    let rupture = PlanarRupture::new(trace, dip_deg, s.ztor_km, s.zbot_km).map_err(model_err)?;
    Ok((
        rupture,
        ScenarioUsed {
            fault: s.fault.clone(),
            trace,
            dip_deg,
            dip_from_fault: angle.is_some() || dir.is_some(),
            gmm: s.gmm.clone(),
            magnitude: s.magnitude,
            length_km: rupture.length_km(),
            width_km: rupture.width_km(),
        },
    ))
}

fn span(l: &geo_types::LineString<f64>) -> f64 {
    let (a, b) = (l.0[0], l.0[l.0.len() - 1]);
    (b.x - a.x).hypot(b.y - a.y)
}

/// Dip angle (the number before `°`/`度`, or the last number) and the horizontal
/// dip direction (unit (x, y)) from Chinese compass words (东 E, 南 S, 西 W, 北 N,
/// e.g. `北西倾 65°` → north-west) in a fault's `dip` text.
pub fn parse_dip(s: &str) -> (Option<f64>, Option<(f64, f64)>) {
    let mut num = String::new();
    let mut angle = None;
    for ch in s.chars() {
        if ch.is_ascii_digit() || ch == '.' {
            num.push(ch);
        } else if !num.is_empty() {
            angle = num.parse::<f64>().ok().or(angle);
            num.clear();
        }
    }
    if !num.is_empty() {
        angle = num.parse::<f64>().ok().or(angle);
    }
    let angle = angle.filter(|a| *a > 0.0 && *a <= 90.0);
    let head: String = s.chars().take_while(|c| *c != '倾').collect();
    let (mut x, mut y) = (0.0f64, 0.0f64);
    for ch in head.chars() {
        match ch {
            '东' => x += 1.0,
            '西' => x -= 1.0,
            '南' => y -= 1.0,
            '北' => y += 1.0,
            _ => {}
        }
    }
    let dir = if s.contains('倾') && (x != 0.0 || y != 0.0) {
        let n = x.hypot(y);
        Some((x / n, y / n))
    } else {
        None
    };
    (angle, dir)
}

/// Median PGA (g) per cell of the scenario: distances from the rupture at the cell
/// centre, Vs30 from slope (Wald & Allen 2007) or the constant; NaN where slope is
/// nodata. Rows in parallel, each cell independent: identical for any thread count.
fn scenario_pga(
    grid: &GridSpec,
    rupture: &PlanarRupture,
    p: &EarthquakeParams,
    vs30: Option<&[f64]>,
) -> Result<Vec<f32>, EngineError> {
    let gmm = p.gmm();
    let s = &p.scenario;
    let mut out = vec![f32::NAN; grid.cell_count()];
    let errs: Vec<Option<EarthquakeError>> = out
        .par_chunks_mut(grid.cols)
        .enumerate()
        .map(|(r, row)| {
            for (c, o) in row.iter_mut().enumerate() {
                let vs30 = match (&p.site.vs30, vs30) {
                    (Vs30Source::Constant(v), _) => *v,
                    (_, Some(v)) => v[r * grid.cols + c],
                    (_, None) => f64::NAN,
                };
                if vs30.is_nan() {
                    continue;
                }
                let (x, y) = grid.cell_center(r, c);
                let d = rupture.distances(x, y);
                let input = GmInput {
                    mag: s.magnitude,
                    rake: s.rake,
                    rjb_km: d.rjb_km,
                    vs30,
                    repi_km: d.repi_km,
                    azimuth_deg: d.azimuth_deg,
                };
                match gmm.ground_motion(Imt::Pga, &input) {
                    Ok(g) => *o = g.median as f32,
                    Err(e) => return Some(e),
                }
            }
            None
        })
        .collect();
    match errs.into_iter().flatten().next() {
        Some(e) => Err(model_err(e)),
        None => Ok(out),
    }
}

/// The earthquake stage's id.
pub const ID: &str = "earthquake";

/// The buildings per hidden-danger grade (重点 / 一般 / 轻微) per township of a
/// stage run, as the zoning stage tabulates them (`unit_seismic_grades`).
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
    }
}

/// The earthquake stage (see [`run_earthquake_with`]); it runs when the census has
/// buildings, and publishes the buildings per hidden-danger grade per township
/// ([`riskcensus_zoning::UnitCounts`], table `unit_seismic_grades`) for the zoning
/// stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct EarthquakeStage;

impl crate::stage::Stage for EarthquakeStage {
    fn id(&self) -> &str {
        ID
    }

    fn needs(&self, _cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        Ok(crate::stage::Needs {
            tables: vec![riskcensus_contracts::tables::census::BUILDINGS],
            layers: Vec::new(),
        })
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
            ],
            files: vec![
                "eq_building_damage.csv",
                "eq_building_damage.gpkg",
                "eq_township_grades.csv",
            ],
        }
    }

    fn run(
        &self,
        cx: &mut crate::stage::Context<'_>,
    ) -> Result<crate::stage::StageOutcome, EngineError> {
        let out = cx.layout.assess();
        let model = EarthquakeModel::from_library(cx.library)?;
        let r = run_earthquake_with(cx.census, &model, &mut cx.stack, &out, cx.exec, cx.progress)?;
        cx.publish(grade_counts(&r));
        let entry = crate::run::operator_entry(
            &model.params.id,
            &model.params.version,
            &(),
            "eq_pga, eq_intensity, earthquake_hazard, earthquake_vulnerability, eq_expected_loss, eq_deaths, eq_weak_share",
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
