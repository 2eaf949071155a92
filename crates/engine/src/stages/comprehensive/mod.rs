//! The comprehensive stage (综合风险, loss route; docs/risk.md): after the hazard
//! stages and the model library, it sums the hazards' expected annual loss and
//! deaths by the rule of `models/comprehensive/comprehensive.toml`
//! ([`riskcensus_models::loss::comprehensive`]) and tabulates the risk of every
//! township and of the county.
//!
//! - **Grids** (census grid, f32 NaN nodata): `comprehensive_aal` (万元/yr per
//!   cell), `comprehensive_deaths_annual` (persons/yr per cell), and by
//!   [`crate::loss::write_risk`] `comprehensive_risk` (万元/km²/yr) with
//!   `comprehensive_risk_level` (risk5, absolute thresholds). A loss-route hazard
//!   adds its `<hazard>_aal` grid (NaN propagates: a cell whose loss is unknown for
//!   one hazard has no total); a record-route hazard adds its recorded mean annual
//!   loss spread by its risk index over the townships' cells.
//! - **Tables** (`assess/`, [`tables`]): `risk_units.csv` (per township and county
//!   and hazard: AAL, deaths, area, GDP, population, AAL density, AAL/GDP, deaths
//!   per 10⁵, their levels and the risk level), `loss_exceedance.csv` (per township,
//!   county, loss-model hazard and event: annual rate, loss, deaths),
//!   `aal_by_structure.csv` (per hazard and structure type) and `risk_record.csv`
//!   (per hazard: the record's mean annual loss and deaths beside the model's).
//!
//! Every cell and building belongs to the township that covers most of its cell
//! (the zoning stage's rule), so the township rows add up to the county's.

pub mod tables;

use std::collections::BTreeMap;
use std::path::PathBuf;

use riskcensus_models::loss::comprehensive::{spread, HazardEntry, Route, PATH};
use riskcensus_models::loss::{Comprehensive, Recorded, RecordedRates};
use serde::Serialize;

use crate::error::EngineError;
use crate::ingest::Census;
use crate::loss::{CellTotals, HazardLosses, UnitRisk};
use crate::provenance::{self, tag};
use crate::stage::{Context, Needs, Stage, StageOutcome, Writes};

/// The stage's id (also the comprehensive "hazard" of the vocabulary).
pub const ID: &str = "comprehensive";

/// The combination of a census's model library.
pub fn load(library: &riskcensus_models::Library) -> Result<Comprehensive, EngineError> {
    let f = library.require(PATH)?;
    Ok(Comprehensive::from_toml(&f.text, &f.origin)?)
}

/// How one hazard entered the sum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// Hazard id.
    pub hazard: String,
    /// `loss` or `record`.
    pub route: String,
    /// True when it added to the sum.
    pub included: bool,
    /// Why not, or what was used.
    pub note: String,
    /// County AAL it added, 万元/yr.
    pub aal_wan: f64,
    /// County deaths per year it added.
    pub deaths_per_year: f64,
    /// The record of its event types (mean annual loss and deaths).
    pub recorded: Option<Recorded>,
}

/// What the stage did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ComprehensiveReport {
    /// The hazards in the combination's order.
    pub parts: Vec<Part>,
    /// The record's first and last year, when the census has events.
    pub record_years: Option<(i32, i32)>,
    /// County comprehensive AAL, 万元/yr, and deaths per year.
    pub aal_wan: f64,
    /// County comprehensive deaths per year.
    pub deaths_per_year: f64,
    /// (layer id, path) of the grids written.
    pub layers: Vec<(String, PathBuf)>,
    /// The tables written.
    pub tables: Vec<PathBuf>,
    /// The county and township rows (also in `risk_units.csv`).
    pub units: Vec<UnitRisk>,
}

/// One hazard's per-cell loss and deaths (row-major).
pub(crate) struct Cells {
    pub hazard: String,
    pub route: Route,
    pub aal: Vec<f64>,
    pub deaths: Vec<f64>,
}

/// The comprehensive stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct ComprehensiveStage;

impl Stage for ComprehensiveStage {
    fn id(&self) -> &str {
        ID
    }

    /// At least one hazard of the combination: a loss-route hazard's
    /// `<hazard>_aal` or a record-route hazard's risk index.
    fn needs(&self, cx: &Context<'_>) -> Result<Needs, EngineError> {
        let model = load(cx.library)?;
        Ok(Needs {
            any_layer: model
                .hazards()
                .iter()
                .map(|h| match (&h.route, &h.risk_layer) {
                    (Route::Record, Some(l)) => l.clone(),
                    _ => format!("{}_aal", h.hazard),
                })
                .collect(),
            ..Needs::default()
        })
    }

    fn writes(&self) -> Writes {
        Writes {
            layers: vec![
                "comprehensive_aal",
                "comprehensive_deaths_annual",
                "comprehensive_risk",
                "comprehensive_risk_level",
            ],
            files: vec![
                tables::UNITS_CSV,
                tables::EXCEEDANCE_CSV,
                tables::STRUCTURE_CSV,
                tables::RECORD_CSV,
            ],
        }
    }

    fn run(&self, cx: &mut Context<'_>) -> Result<StageOutcome, EngineError> {
        let model = load(cx.library)?;
        let losses: Vec<HazardLosses> = cx.published::<HazardLosses>().cloned().collect();
        let db_path = cx.census.dir.join(riskcensus_contracts::layout::CENSUS_DB);
        let db = if db_path.exists() {
            Some(Census::open(&cx.census.dir)?)
        } else {
            None
        };
        let events = match &db {
            Some(db) => crate::loss::read_events(db)?
                .into_iter()
                .map(|e| e.record)
                .collect(),
            None => Vec::new(),
        };
        let record = RecordedRates::from_events(&events);
        let townships = crate::admin::run_townships(cx)?;
        let mask = townships.mask();
        let n = cx.census.grid.cell_count();
        let mut report = ComprehensiveReport {
            record_years: record.as_ref().map(|r| (r.first_year, r.last_year)),
            ..Default::default()
        };
        let mut cells: Vec<Cells> = Vec::new();
        for h in model.hazards() {
            let (part, got) = enter(cx, h, &losses, record.as_ref(), mask.as_deref())?;
            if let Some(c) = got {
                cells.push(c);
            }
            report.parts.push(part);
        }
        if cells.is_empty() {
            return Ok(StageOutcome::with_details(report));
        }
        // The sums per cell (NaN propagates), in the combination's order, nodata
        // outside the townships.
        let mut total = CellTotals {
            aal: vec![0.0; n],
            deaths: vec![0.0; n],
            occupants: occupants(&losses, n),
        };
        for c in &cells {
            for i in 0..n {
                total.aal[i] += c.aal[i];
                total.deaths[i] += c.deaths[i];
            }
        }
        if let Some(m) = &mask {
            for (i, _) in m.iter().enumerate().filter(|(_, &inside)| !inside) {
                total.aal[i] = f64::NAN;
                total.deaths[i] = f64::NAN;
            }
        }
        report.aal_wan = total.aal.iter().filter(|v| v.is_finite()).sum();
        report.deaths_per_year = total.deaths.iter().filter(|v| v.is_finite()).sum();
        let mut tags = provenance::base();
        tags.insert(
            tag::MODEL_ID.into(),
            format!("{}@{}", model.id(), model.version()),
        );
        tags.insert(tag::PARAM_HASH.into(), provenance::param_hash(&model));
        let dir = cx.layout.assess();
        for (id, data, unit) in [
            ("comprehensive_aal", &total.aal, "wan_cny/yr"),
            ("comprehensive_deaths_annual", &total.deaths, "persons/yr"),
        ] {
            let f: Vec<f32> = data.iter().map(|&v| v as f32).collect();
            let p = crate::output::write_f32(&dir, id, &cx.census.grid, &f, &tags, Some(unit))?;
            cx.stack.insert(id, p.clone(), unit);
            report.layers.push((id.to_string(), p));
        }
        report
            .layers
            .extend(crate::loss::write_risk(cx, ID, &total)?);
        cells.push(Cells {
            hazard: ID.into(),
            route: Route::Loss,
            aal: total.aal,
            deaths: total.deaths,
        });
        let levels = crate::loss::load_levels(cx.library)?;
        let t = tables::write(
            cx,
            &tables::Inputs {
                townships: &townships,
                db: db.as_ref(),
                levels: &levels,
                cells: &cells,
                occupants: &total.occupants,
                losses: &losses,
                parts: &report.parts,
                record: record.as_ref(),
            },
        )?;
        report.tables = t.paths;
        report.units = t.units.clone();
        cx.publish(t.units);
        cx.publish(std::sync::Arc::new(crate::loss::LossFrame {
            groups: t.groups,
            hazards: cells
                .into_iter()
                .filter(|c| c.hazard != ID)
                .map(|c| crate::loss::HazardCells {
                    hazard: c.hazard,
                    route: route_name(c.route).into(),
                    aal: c.aal,
                    deaths: c.deaths,
                })
                .collect(),
            mask,
            levels: levels.clone(),
            event_types: model
                .hazards()
                .iter()
                .map(|h| {
                    (
                        h.hazard.clone(),
                        route_name(h.route).to_string(),
                        h.event_types.clone(),
                    )
                })
                .collect(),
        }));
        let mut outcome = StageOutcome::with_details(report);
        outcome.operators = vec![
            crate::run::operator_entry(
                model.id(),
                model.version(),
                &model,
                "comprehensive_aal, comprehensive_deaths_annual",
            ),
            crate::run::operator_entry(
                levels.id(),
                levels.version(),
                &levels,
                "<hazard>_risk_level",
            ),
        ];
        Ok(outcome)
    }
}

/// How hazard `h` enters the sum: its part of the report and, when it is
/// assessed, its per-cell AAL and deaths — the loss model's building totals, or the
/// record spread by the risk index over the cells inside `mask`.
fn enter(
    cx: &Context<'_>,
    h: &HazardEntry,
    losses: &[HazardLosses],
    record: Option<&RecordedRates>,
    mask: Option<&[bool]>,
) -> Result<(Part, Option<Cells>), EngineError> {
    let recorded = record.map(|r| r.of(&h.event_types));
    let mut part = Part {
        hazard: h.hazard.clone(),
        route: route_name(h.route).into(),
        included: false,
        note: String::new(),
        aal_wan: 0.0,
        deaths_per_year: 0.0,
        recorded,
    };
    let got = match (h.route, losses.iter().find(|l| l.hazard == h.hazard)) {
        (Route::Loss, Some(l)) => {
            part.note = format!("loss model {}", l.models.join(", "));
            let t = l.cell_totals(cx.census.grid.cell_count());
            Some((t.aal, t.deaths))
        }
        (Route::Loss, None) => {
            part.note = format!(
                "not assessed: the {} stage wrote no annual loss in this run",
                h.hazard
            );
            None
        }
        (Route::Record, _) => {
            let layer = h.risk_layer.clone().unwrap_or_default();
            match (cx.stack.get(&layer).is_some(), recorded) {
                (false, _) => {
                    part.note = format!("not assessed: no {layer} in this run");
                    None
                }
                (true, None) => {
                    part.note =
                        "no disaster_events in the census: no recorded loss to spread".into();
                    None
                }
                (true, Some(rec)) => {
                    let mut w = cx.stack.read_grid(&layer, None, &cx.census.grid, ID)?;
                    if let Some(m) = mask {
                        for (v, &inside) in w.iter_mut().zip(m) {
                            if !inside {
                                *v = f32::NAN;
                            }
                        }
                    }
                    let w = w.as_slice().expect("standard layout");
                    part.note = format!(
                        "{} recorded events of {} over {} years, spread by {layer}",
                        rec.events,
                        h.event_types.join("/"),
                        record.map_or(0, RecordedRates::years)
                    );
                    Some((spread(rec.loss_per_year, w), spread(rec.deaths_per_year, w)))
                }
            }
        }
    };
    let cells = got.map(|(aal, deaths)| {
        part.included = true;
        part.aal_wan = aal.iter().filter(|v| v.is_finite()).sum();
        part.deaths_per_year = deaths.iter().filter(|v| v.is_finite()).sum();
        Cells {
            hazard: h.hazard.clone(),
            route: h.route,
            aal,
            deaths,
        }
    });
    Ok((part, cells))
}

fn route_name(r: Route) -> &'static str {
    match r {
        Route::Loss => "loss",
        Route::Record => "record",
    }
}

/// Occupants per cell over the buildings of every loss hazard (each building once,
/// by id).
fn occupants(losses: &[HazardLosses], n: usize) -> Vec<f64> {
    let mut seen: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for l in losses {
        for b in &l.buildings {
            seen.entry(b.id.as_str()).or_insert((b.cell, b.occupants));
        }
    }
    let mut o = vec![0.0; n];
    for (cell, occ) in seen.into_values() {
        o[cell] += occ;
    }
    o
}
