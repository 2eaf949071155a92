//! The scenarios stage (风险变化趋势: scenarios, measures, uncertainty, hindcast;
//! docs/scenarios.md). After the comprehensive stage it re-runs the loss route
//! ([`portfolio`]) under:
//!
//! - the **baseline** (no change: every figure equals `risk_units.csv`, bit for
//!   bit — a test checks it);
//! - every **scenario** of the run (`<census>/scenarios/*.toml`, or the files
//!   given to `riskcensus scenario`): growth of population, building value and GDP
//!   to its target year, new built-up areas, warming, and its measures;
//! - for a scenario with measures: the same without them and with each alone —
//!   the benefit of a measure is the AAL (and deaths) it averts, appraised over a
//!   horizon at a discount rate ([`riskcensus_models::scenario::appraisal`]);
//!
//! then a seeded Monte Carlo over the uncertain inputs ([`montecarlo`]) for the
//! 5/50/95 % bands and a rank-correlation sensitivity table, and the hindcast of
//! the township ranking against the record ([`hindcast`]).
//!
//! Outputs (`assess/`, each table also a layer of `zoning.gpkg` through
//! [`crate::deliverable`]; money 万元, deaths persons/yr): `scenario_units.csv`,
//! `scenario_measures.csv`, `scenario_uncertainty.csv`, `scenario_sensitivity.csv`,
//! `scenario_convergence.csv`, `hindcast.csv`, and per scenario the change map
//! `scenario_<id>_aal_change.tif` (Δ comprehensive AAL density, 万元/km²/yr,
//! census grid, f32, NaN outside the townships).

pub mod hindcast;
pub mod montecarlo;
pub mod portfolio;
mod tables;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use geo::Contains;
use riskcensus_models::earthquake::fragility::Building;
use riskcensus_models::scenario::params::PATH;
use riskcensus_models::scenario::{appraise, Appraisal, Discounting, Growth, Measure, MeasureKind};
use riskcensus_models::scenario::{Scenario, ScenarioParams};
use serde::Serialize;

use crate::error::EngineError;
use crate::loss::{EarthquakeExposure, FloodExposure, HazardLosses, LossFrame};
use crate::provenance::{self, tag};
use crate::stage::{Context, Needs, Stage, StageOutcome, Writes};
use montecarlo::ScenarioDraw;
use portfolio::{Change, Keep, NewBuilding, Outcome, Point, Portfolio};

/// The stage's id.
pub const ID: &str = "scenarios";

/// The census folder of scenario files.
pub const FOLDER: &str = "scenarios";

/// The shared parameters of a census's model library.
pub fn load(library: &riskcensus_models::Library) -> Result<ScenarioParams, EngineError> {
    let f = library.require(PATH)?;
    Ok(ScenarioParams::from_toml(&f.text, &f.origin)?)
}

/// The scenario files of a run: the given ones, else `<census>/scenarios/*.toml`
/// sorted by name; each parsed and checked, ids unique.
pub fn scenarios(cx: &Context<'_>) -> Result<Vec<Scenario>, EngineError> {
    let files = match &cx.scenario_files {
        Some(f) => f.clone(),
        None => {
            let dir = cx.census.dir.join(FOLDER);
            let mut f: Vec<PathBuf> = match std::fs::read_dir(&dir) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect(),
                Err(_) => Vec::new(),
            };
            f.sort();
            f
        }
    };
    let mut out: Vec<Scenario> = Vec::new();
    for f in files {
        let s = Scenario::read(&f)?;
        if s.id == "baseline" || out.iter().any(|o| o.id == s.id) {
            return Err(EngineError::Scenario {
                path: f,
                item: Some("id".into()),
                msg: format!(
                    "`{}` is taken (by `baseline` or another scenario of the run)",
                    s.id
                ),
            });
        }
        out.push(s);
    }
    Ok(out)
}

/// What a case is in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Role {
    /// The census as surveyed.
    Baseline,
    /// A scenario with its measures.
    Scenario,
    /// A scenario without its measures (the appraisal's reference).
    WithoutMeasures,
    /// A scenario without its measures but one.
    OneMeasure,
}

/// One evaluation of the loss route.
#[derive(Debug, Clone)]
pub struct Case {
    /// `baseline`, the scenario id, `<id>:none` or `<id>:<measure>`.
    pub id: String,
    /// Its role.
    pub role: Role,
    /// The scenario (None: the baseline).
    pub scenario: Option<Scenario>,
    /// The measures in force.
    pub measures: Vec<Measure>,
    /// New buildings.
    pub new_buildings: Vec<NewBuilding>,
    /// New residents per township slot.
    pub new_people: Vec<f64>,
}

impl Case {
    /// The growth of township slot `t` (0 = outside every township), with the
    /// growth-rate shifts of a Monte Carlo draw.
    pub fn growth(&self, t: usize, codes: &[String], shift_value: f64, shift_pop: f64) -> Growth {
        match &self.scenario {
            None => Growth {
                population: 1.0,
                value: 1.0,
                gdp: 1.0,
            },
            Some(s) => {
                let code = if t == 0 { "" } else { codes[t - 1].as_str() };
                s.growth(code, shift_value, shift_pop)
            }
        }
    }

    /// The change of this case with the scenario inputs `d`.
    pub fn change<'c>(&'c self, p: &Portfolio<'_>, d: ScenarioDraw) -> Change<'c> {
        let codes = p.township_codes();
        let slots = codes.len() + 1;
        let rain = (1.0 + d.rainfall_pct_per_c / 100.0).powf(d.warming_c);
        Change {
            growth: (0..slots)
                .map(|t| self.growth(t, &codes, d.value_shift, d.population_shift))
                .collect(),
            rainfall_factor: if self.scenario.is_none() { 1.0 } else { rain },
            measures: self.measures.iter().collect(),
            new_buildings: &self.new_buildings,
            new_people: self.new_people.clone(),
        }
    }
}

/// One measure's appraisal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureResult {
    /// Scenario id.
    pub scenario: String,
    /// Measure id (`all` for the measures together).
    pub measure: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Townships (empty: the county).
    pub townships: Vec<String>,
    /// Investment, 万元.
    pub cost_wan: f64,
    /// Running cost, 万元/yr.
    pub annual_cost_wan: f64,
    /// The appraisal.
    pub appraisal: Appraisal,
    /// The discounting.
    pub discounting: Discounting,
    /// What the figures do not count.
    pub note: String,
}

/// What the stage did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScenariosReport {
    /// The scenarios run: (id, name, target year).
    pub scenarios: Vec<(String, String, i32)>,
    /// County comprehensive AAL (万元/yr) and deaths per case id.
    pub county: Vec<(String, f64, f64)>,
    /// The measures, best benefit–cost ratio first.
    pub measures: Vec<MeasureResult>,
    /// Monte Carlo samples run (0: none).
    pub samples: usize,
    /// The seed.
    pub seed: u64,
    /// Wall time of the Monte Carlo run, s.
    pub mc_seconds: f64,
    /// The Monte Carlo evaluation at the nominal inputs against the loss route:
    /// the largest relative deviation of a case's county AAL (a self-check; about
    /// 1e-15, rounding).
    pub mc_nominal_deviation: f64,
    /// The unit rows of the baseline and every scenario (case id, rows).
    #[serde(skip)]
    pub units: Vec<(String, Vec<crate::loss::UnitRisk>)>,
    /// County 5/50/95 % of the comprehensive AAL per case id.
    pub county_bands: Vec<(String, [f64; 3])>,
    /// The hindcast.
    pub hindcast: Option<hindcast::Hindcast>,
    /// What could not be done, and why.
    pub notes: Vec<String>,
    /// Files written.
    pub files: Vec<PathBuf>,
}

/// The scenarios stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScenariosStage;

impl Stage for ScenariosStage {
    fn id(&self) -> &str {
        ID
    }

    /// The comprehensive AAL. The parameters and every scenario file are read and
    /// checked here, so a broken one stops the run before its first stage.
    fn needs(&self, cx: &Context<'_>) -> Result<Needs, EngineError> {
        load(cx.library)?;
        scenarios(cx)?;
        Ok(Needs {
            layers: vec!["comprehensive_aal".into()],
            ..Needs::default()
        })
    }

    fn writes(&self) -> Writes {
        Writes {
            layers: vec!["scenario_<id>_aal_change"],
            files: vec![
                "scenario_units.csv",
                "scenario_measures.csv",
                "scenario_uncertainty.csv",
                "scenario_sensitivity.csv",
                "scenario_convergence.csv",
                "hindcast.csv",
            ],
        }
    }

    fn selected(&self, filter: &[String]) -> bool {
        filter.is_empty() || filter.iter().any(|m| m.starts_with(ID))
    }

    fn run(&self, cx: &mut Context<'_>) -> Result<StageOutcome, EngineError> {
        let params = load(cx.library)?;
        let list = scenarios(cx)?;
        let mut report = ScenariosReport {
            seed: params.seed,
            ..Default::default()
        };
        let Some(frame) = cx.published::<Arc<LossFrame>>().next().cloned() else {
            report
                .notes
                .push("the comprehensive stage published no loss frame".into());
            return Ok(StageOutcome::with_details(report));
        };
        let flood = cx.published::<Arc<FloodExposure>>().next().cloned();
        let quake = cx.published::<Arc<EarthquakeExposure>>().next().cloned();
        let base_losses: Vec<HazardLosses> = cx.published::<HazardLosses>().cloned().collect();
        let grid = cx.census.grid.clone();
        let hand = match &flood {
            Some(f) => Some(
                cx.stack
                    .read_grid(&f.hand_layer, Some("m"), &grid, ID)?
                    .into_raw_vec_and_offset()
                    .0,
            ),
            None => None,
        };
        let db = crate::ingest::Census::open(&cx.census.dir)?;
        let points = read_points(&db, &frame)?;
        let portfolio = Portfolio {
            n: grid.cell_count(),
            frame: &frame,
            flood: flood.as_deref().zip(hand),
            quake: quake.as_deref(),
            base_losses: &base_losses,
            points,
            stage_exponent: params.stage_exponent,
            exec: cx.exec,
        };
        let codes = portfolio.township_codes();
        let slots = codes.len() + 1;
        // The cases: the baseline, the scenarios, then the appraisal's variants.
        let mut cases = vec![Case {
            id: "baseline".into(),
            role: Role::Baseline,
            scenario: None,
            measures: Vec::new(),
            new_buildings: Vec::new(),
            new_people: vec![0.0; slots],
        }];
        for s in &list {
            check_townships(s, &codes)?;
            check_points(s, &portfolio.points)?;
            let (new_buildings, new_people) = new_areas(s, &grid, &portfolio)?;
            report
                .scenarios
                .push((s.id.clone(), s.name.clone(), s.target_year));
            cases.push(Case {
                id: s.id.clone(),
                role: Role::Scenario,
                scenario: Some(s.clone()),
                measures: s.measures.clone(),
                new_buildings,
                new_people,
            });
        }
        let main = cases.len();
        let scenario_cases: Vec<Case> = cases[1..main].to_vec();
        for c in scenario_cases {
            if c.measures.is_empty() {
                continue;
            }
            cases.push(Case {
                id: format!("{}:none", c.id),
                role: Role::WithoutMeasures,
                measures: Vec::new(),
                ..c.clone()
            });
            for m in &c.measures {
                cases.push(Case {
                    id: format!("{}:{}", c.id, m.id),
                    role: Role::OneMeasure,
                    measures: vec![m.clone()],
                    ..c.clone()
                });
            }
        }
        let mut outcomes: Vec<Outcome> = Vec::new();
        let km2 = grid.cell_area() / 1.0e6;
        let mut base_total: Vec<f64> = Vec::new();
        for (k, c) in cases.iter().enumerate() {
            let d = ScenarioDraw::nominal(c.scenario.as_ref());
            // The baseline keeps its total per cell, a scenario its change map, an
            // appraisal variant only its county rows (all the appraisal reads).
            let keep = match k {
                0 => Keep::Total,
                k if k < main => Keep::ChangeFrom(&base_total, km2),
                _ => Keep::CountyOnly,
            };
            let mut o = portfolio.evaluate(&c.change(&portfolio, d), keep)?;
            if k == 0 {
                base_total = std::mem::take(&mut o.total_aal);
            }
            if k >= main {
                o.losses = Vec::new();
            }
            outcomes.push(o);
        }
        drop(base_total);
        let county = frame.groups[0]
            .units
            .first()
            .map(|u| u.code.clone())
            .unwrap_or_default();
        for (c, o) in cases.iter().zip(&outcomes) {
            if let Some(r) = o.row(&county, "comprehensive") {
                report
                    .county
                    .push((c.id.clone(), r.aal_wan, r.deaths_per_year));
            }
        }
        report.measures = appraise_measures(&params, &cases, &outcomes, &county);
        // Change maps.
        let dir = cx.layout.assess();
        let mut tags = provenance::base();
        tags.insert(
            tag::MODEL_ID.into(),
            format!("{}@{}", params.id, params.version),
        );
        tags.insert(tag::PARAM_HASH.into(), provenance::param_hash(&params));
        for (c, o) in cases.iter().zip(&outcomes).take(main).skip(1) {
            let change = &o.change_map;
            let id = format!("scenario_{}_aal_change", c.id);
            let mut t = tags.clone();
            t.insert("RISKCENSUS_SCENARIO".into(), c.id.clone());
            let p = crate::output::write_f32(&dir, &id, &grid, change, &t, Some("wan_cny/km2/yr"))?;
            cx.stack.insert(&id, p.clone(), "wan_cny/km2/yr");
            report.files.push(p);
        }
        // Monte Carlo.
        let t_mc = std::time::Instant::now();
        let mc = if params.samples > 0 {
            let fast = montecarlo::Fast::new(&portfolio, &cases[..main])?;
            let nominal: Vec<ScenarioDraw> = cases[..main]
                .iter()
                .map(|c| ScenarioDraw::nominal(c.scenario.as_ref()))
                .collect();
            for (k, (aal, _)) in fast
                .evaluate(&montecarlo::Factors::nominal(), &nominal)
                .iter()
                .enumerate()
            {
                let exact = report.county.get(k).map_or(f64::NAN, |c| c.1);
                let dev = (aal.last().copied().unwrap_or(f64::NAN) - exact).abs() / exact.abs();
                let m = report.mc_nominal_deviation;
                // A NaN (a county without a figure) is kept, never skipped.
                report.mc_nominal_deviation = if m.is_nan() || dev.is_nan() {
                    f64::NAN
                } else {
                    m.max(dev)
                };
            }
            let inputs = fast.inputs(&params.uncertain);
            Some(fast.run(inputs, params.samples, params.seed, cx.exec)?)
        } else {
            report
                .notes
                .push("samples = 0 in the scenario parameters: no uncertainty run".into());
            None
        };
        report.samples = mc.as_ref().map_or(0, |m| m.draws.len());
        report.mc_seconds = t_mc.elapsed().as_secs_f64();
        // The hindcast.
        let events = crate::loss::read_events(&db)?;
        let year_built: BTreeMap<String, Option<i32>> = quake
            .as_ref()
            .map(|q| {
                q.buildings
                    .iter()
                    .map(|(b, _)| (b.id.clone(), b.year_built))
                    .collect()
            })
            .unwrap_or_default();
        let hc = hindcast::hindcast(&hindcast::Inputs {
            events: &events,
            hazard_types: frame.event_types.clone(),
            frame: &frame,
            losses: &outcomes[0].losses,
            year_built: &year_built,
            split_year: params.hindcast_split_year,
            permutations: params.hindcast_permutations,
            seed: params.seed,
        });
        match hc {
            Ok(h) => report.hindcast = Some(h),
            Err(why) => report.notes.push(format!("hindcast: {why}")),
        }
        report.units = cases[..main]
            .iter()
            .zip(&outcomes)
            .map(|(c, o)| (c.id.clone(), o.units.clone()))
            .collect();
        let deliverables = tables::build(&tables::Inputs {
            cases: &cases[..main],
            outcomes: &outcomes[..main],
            measures: &report.measures,
            mc: mc.as_ref(),
            frame: &frame,
            hindcast: report.hindcast.as_ref(),
        });
        if let Some(m) = &mc {
            for (c, per_sample) in cases.iter().zip(&m.aal) {
                let county: Vec<f64> = per_sample
                    .iter()
                    .map(|u| *u.last().unwrap_or(&0.0))
                    .collect();
                report.county_bands.push((
                    c.id.clone(),
                    [0.05, 0.5, 0.95]
                        .map(|p| riskcensus_models::scenario::stats::percentile(&county, p)),
                ));
            }
        }
        for d in &deliverables {
            report.files.push(d.write_csv(&dir)?);
        }
        for d in deliverables {
            cx.publish(d);
        }
        let mut outcome = StageOutcome::with_details(report);
        outcome.operators = vec![crate::run::operator_entry(
            params.id.as_str(),
            params.version.as_str(),
            &params,
            "scenario tables, scenario_<id>_aal_change",
        )];
        outcome.seeds = vec![("scenarios.monte_carlo".into(), params.seed)];
        Ok(outcome)
    }
}

/// Every township a scenario names is a township of the census.
fn check_townships(s: &Scenario, codes: &[String]) -> Result<(), EngineError> {
    let known = |c: &String| codes.contains(c);
    let named = s
        .townships
        .iter()
        .map(|t| ("exposure.township", &t.code))
        .chain(
            s.measures
                .iter()
                .flat_map(|m| m.townships.iter().map(move |t| (m.id.as_str(), t))),
        );
    for (key, code) in named {
        if !known(code) {
            return Err(EngineError::Scenario {
                path: s.file.clone(),
                item: Some(key.to_string()),
                msg: format!("township {code:?} is not a township of the census"),
            });
        }
    }
    Ok(())
}

/// Every point a relocation names is a hidden-danger point of the census.
fn check_points(s: &Scenario, points: &[Point]) -> Result<(), EngineError> {
    for m in &s.measures {
        if let MeasureKind::Relocate { points: ids } = &m.kind {
            for id in ids {
                if !points.iter().any(|p| &p.id == id) {
                    return Err(EngineError::Scenario {
                        path: s.file.clone(),
                        item: Some(format!("measure {}", m.id)),
                        msg: format!("{id:?} is not a point of hidden_dangers"),
                    });
                }
            }
        }
    }
    Ok(())
}

/// The census's hidden-danger points with what they threaten.
fn read_points(db: &crate::ingest::Census, frame: &LossFrame) -> Result<Vec<Point>, EngineError> {
    let towns = &frame.groups[1].units;
    let mut out = Vec::new();
    for f in db.query(
        riskcensus_contracts::tables::census::HIDDEN_DANGERS,
        &crate::ingest::Query::default(),
    )? {
        let code = f.text("township_code");
        out.push(Point {
            id: f.text("id"),
            township: towns
                .iter()
                .position(|u| u.code == code)
                .map_or(0, |k| k + 1),
            people: f.number("threat_pop").unwrap_or(0.0),
            value_wan: f.number("threat_value_wan").unwrap_or(0.0),
        });
    }
    Ok(out)
}

/// The buildings of a scenario's new built-up areas: one per cell whose centre
/// lies in a polygon, sharing its value and residents equally; the residents per
/// township slot.
fn new_areas(
    s: &Scenario,
    grid: &riskcensus_core::GridSpec,
    p: &Portfolio<'_>,
) -> Result<(Vec<NewBuilding>, Vec<f64>), EngineError> {
    let slots = p.frame.groups[1].units.len() + 1;
    let mut buildings = Vec::new();
    let mut people = vec![0.0; slots];
    for area in &s.new_areas {
        let err = |item: Option<String>, msg: String| EngineError::Scenario {
            path: area.file.clone(),
            item,
            msg,
        };
        if !area.file.exists() {
            return Err(EngineError::Scenario {
                path: s.file.clone(),
                item: Some("exposure.new_area.file".into()),
                msg: format!("{} does not exist", area.file.display()),
            });
        }
        let src = riskcensus_io::vector_read::VectorSource::open(&area.file)?;
        let info = src.info(area.layer.as_deref())?;
        let same_crs = info
            .crs_epsg
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(&grid.crs));
        if !same_crs {
            return Err(err(
                None,
                format!(
                    "the new areas must be in the census CRS {} (found {})",
                    grid.crs,
                    info.crs_epsg.as_deref().unwrap_or("no EPSG code")
                ),
            ));
        }
        let field = |name: &str| info.fields.iter().position(|(n, _)| n == name);
        let need = [
            "value_wan",
            "population",
            "structure",
            "fortification",
            "storeys",
        ];
        let mut idx = Vec::new();
        for n in need {
            idx.push(field(n).ok_or_else(|| {
                err(
                    Some(format!("field {n}")),
                    "missing (docs/scenarios.md lists the fields)".into(),
                )
            })?);
        }
        let stem = area
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        src.read(area.layer.as_deref(), |f| -> Result<(), EngineError> {
            let rec = Some(format!("feature {}", f.index));
            let num = |k: usize| match &f.values[idx[k]] {
                riskcensus_io::vector_read::RawValue::Integer(i) => Some(*i as f64),
                riskcensus_io::vector_read::RawValue::Real(r) => Some(*r),
                riskcensus_io::vector_read::RawValue::Text(t) => {
                    String::from_utf8_lossy(t).trim().parse().ok()
                }
                riskcensus_io::vector_read::RawValue::Null => None,
            };
            let text = |k: usize| match &f.values[idx[k]] {
                riskcensus_io::vector_read::RawValue::Text(t) => {
                    Some(String::from_utf8_lossy(t).trim().to_string())
                }
                _ => None,
            };
            let geom = f
                .geometry
                .clone()
                .map_err(|e| err(rec.clone(), format!("geometry: {e}")))?
                .ok_or_else(|| err(rec.clone(), "no geometry".into()))?;
            let value = num(0).filter(|v| v.is_finite() && *v >= 0.0);
            let pop = num(1).filter(|v| v.is_finite() && *v >= 0.0);
            let (Some(value), Some(pop)) = (value, pop) else {
                return Err(err(
                    rec,
                    "value_wan and population must be numbers ≥ 0".into(),
                ));
            };
            let cells = cells_in(&geom, grid);
            if cells.is_empty() {
                return Err(err(
                    rec,
                    "the polygon holds no cell centre of the census grid".into(),
                ));
            }
            // A new area's buildings are designed: the fortification is required
            // here (a census building without one is unknown, see buildings.rs).
            if text(3).is_none_or(|t| t.is_empty()) {
                return Err(err(rec, "fortification missing".into()));
            }
            let share = 1.0 / cells.len() as f64;
            for cell in cells {
                let b = Building::from_fields(
                    &format!("new:{stem}:{}:{cell}", f.index),
                    text(2).as_deref(),
                    num(4).map(|v| v as i64),
                    Some(i64::from(s.target_year)),
                    text(3).as_deref(),
                    Some(pop * share),
                    Some(value * share),
                )
                .map_err(|e| err(rec.clone(), e.to_string()))?;
                people[p.township_of(cell)] += pop * share;
                buildings.push(NewBuilding {
                    id: b.id.clone(),
                    cell,
                    building: b,
                });
            }
            Ok(())
        })?;
    }
    Ok((buildings, people))
}

/// Row-major cells of `grid` whose centre lies in `g`.
fn cells_in(g: &geo_types::Geometry<f64>, grid: &riskcensus_core::GridSpec) -> Vec<usize> {
    use geo::BoundingRect;
    let Some(r) = g.bounding_rect() else {
        return Vec::new();
    };
    let size = grid.cell_size;
    let c0 = ((r.min().x - grid.x_min) / size).floor().max(0.0) as usize;
    let c1 = (((r.max().x - grid.x_min) / size).ceil().max(0.0) as usize).min(grid.cols);
    let r0 = ((grid.y_max - r.max().y) / size).floor().max(0.0) as usize;
    let r1 = (((grid.y_max - r.min().y) / size).ceil().max(0.0) as usize).min(grid.rows);
    let mut out = Vec::new();
    for row in r0..r1 {
        for col in c0..c1 {
            let x = grid.x_min + (col as f64 + 0.5) * size;
            let y = grid.y_max - (row as f64 + 0.5) * size;
            if g.contains(&geo_types::Point::new(x, y)) {
                out.push(row * grid.cols + col);
            }
        }
    }
    out
}

/// Each measure's benefit: the county's comprehensive AAL and deaths of its
/// scenario without measures minus with it alone; and of all together.
fn appraise_measures(
    params: &ScenarioParams,
    cases: &[Case],
    outcomes: &[Outcome],
    county: &str,
) -> Vec<MeasureResult> {
    let of = |id: &str| -> Option<(f64, f64)> {
        let k = cases.iter().position(|c| c.id == id)?;
        let r = outcomes[k].row(county, "comprehensive")?;
        Some((r.aal_wan, r.deaths_per_year))
    };
    let mut out = Vec::new();
    for c in cases.iter().filter(|c| c.role == Role::Scenario) {
        let Some(s) = &c.scenario else { continue };
        let Some(none) = of(&format!("{}:none", c.id)) else {
            continue;
        };
        let d = Discounting {
            rate: s.discount_rate.unwrap_or(params.discount_rate),
            years: s.horizon_years.unwrap_or(params.horizon_years),
        };
        let mut push = |measure: &str,
                        name: &str,
                        kind: &str,
                        towns: Vec<String>,
                        cost: f64,
                        running: f64,
                        with: (f64, f64),
                        note: String| {
            let mut appraisal = appraise(d, none.0 - with.0, none.1 - with.1, cost, running);
            if kind == "shelters" {
                // The loss models count no benefit of shelters: no ratio.
                appraisal.bcr = f64::NAN;
            }
            out.push(MeasureResult {
                scenario: c.id.clone(),
                measure: measure.into(),
                name: name.into(),
                kind: kind.into(),
                townships: towns,
                cost_wan: cost,
                annual_cost_wan: running,
                appraisal,
                discounting: d,
                note,
            });
        };
        for m in &c.measures {
            let Some(with) = of(&format!("{}:{}", c.id, m.id)) else {
                continue;
            };
            let (kind, note) = match &m.kind {
                MeasureKind::FloodStandard { protection_years } => (
                    "flood_standard",
                    format!("flood-control standard raised to {protection_years} years"),
                ),
                MeasureKind::Retrofit { share, .. } => (
                    "retrofit",
                    format!(
                        "{:.0} % of the type retrofitted (expected-value mixture)",
                        share * 100.0
                    ),
                ),
                MeasureKind::Relocate { points } => (
                    "relocate",
                    format!("{} hidden-danger points relocated", points.len()),
                ),
                MeasureKind::Shelters { places } => (
                    "shelters",
                    format!(
                        "{places:.0} shelter places: the loss models count no benefit of shelters \
                         (not monetised); cost per place {:.3} 万元",
                        m.cost_wan / places
                    ),
                ),
            };
            push(
                &m.id,
                &m.name,
                kind,
                m.townships.clone(),
                m.cost_wan,
                m.annual_cost_wan,
                with,
                note,
            );
        }
        if c.measures.len() > 1 {
            if let Some(with) = of(&c.id) {
                let cost: f64 = c.measures.iter().map(|m| m.cost_wan).sum();
                let running: f64 = c.measures.iter().map(|m| m.annual_cost_wan).sum();
                push(
                    "all",
                    "all measures together",
                    "all",
                    Vec::new(),
                    cost,
                    running,
                    with,
                    "the measures together (their benefits need not add up)".into(),
                );
            }
        }
    }
    // Best benefit–cost ratio first (NaN last), then by id: a stable order.
    out.sort_by(|a, b| {
        let key = |m: &MeasureResult| {
            if m.appraisal.bcr.is_nan() {
                f64::NEG_INFINITY
            } else {
                m.appraisal.bcr
            }
        };
        key(b)
            .total_cmp(&key(a))
            .then_with(|| a.scenario.cmp(&b.scenario))
            .then_with(|| a.measure.cmp(&b.measure))
    });
    out
}

#[cfg(test)]
mod tests;
