//! The loss route of a run (docs/risk.md), written once here: the loss records a
//! hazard stage with a loss model publishes (the flood and earthquake stages fill
//! them, the comprehensive stage reads them), and the per-cell risk every such
//! stage writes from its AAL and deaths ([`write_risk`]: `<hazard>_risk`, the AAL
//! density, and `<hazard>_risk_level` by the absolute thresholds of
//! `models/common/loss_levels.toml`).
//!
//! Values are per building: 万元 for money, persons for deaths, annual rates per
//! year. Cells are row-major indices of the census grid (row 0 north).

use std::path::PathBuf;

use riskcensus_models::loss::{LossLevels, Measure};
use serde::Serialize;

use crate::error::EngineError;
use crate::provenance::{self, tag};
use crate::stage::Context;

/// One event of a hazard's loss-exceedance curve: a design flood of return period
/// T (rate 1/T), or a probability level of the seismic zoning map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossEvent {
    /// Name in tables (`10y`, `frequent`, …).
    pub name: String,
    /// Annual rate of exceedance of the event, per year.
    pub rate: f64,
}

/// One building's losses under a hazard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuildingLoss {
    /// Building id.
    pub id: String,
    /// Row-major cell index on the census grid.
    pub cell: usize,
    /// Structure code (`buildings.structure`).
    pub structure: String,
    /// Replacement value, 万元 (0 when not surveyed).
    pub value_wan: f64,
    /// Resident occupants, persons (0 when not surveyed).
    pub occupants: f64,
    /// Loss per event (in [`HazardLosses::events`] order), 万元; NaN = unknown.
    pub event_loss_wan: Vec<f64>,
    /// Deaths per event (same order).
    pub event_deaths: Vec<f64>,
    /// Average annual loss, 万元/yr.
    pub aal_wan: f64,
    /// Expected annual deaths.
    pub deaths_per_year: f64,
}

/// What a hazard stage with a loss model publishes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HazardLosses {
    /// Hazard id (`flood`, `earthquake`).
    pub hazard: String,
    /// The loss model(s), `id@version`.
    pub models: Vec<String>,
    /// The events of the loss-exceedance curve, most frequent first.
    pub events: Vec<LossEvent>,
    /// The assessed buildings, sorted by id.
    pub buildings: Vec<BuildingLoss>,
    /// The grids of AAL (万元/yr per cell) and expected annual deaths in the stack.
    pub aal_layer: String,
    /// … and of the deaths.
    pub deaths_layer: String,
}

impl HazardLosses {
    /// Σ AAL over the buildings, 万元/yr (NaN terms skipped).
    pub fn aal_wan(&self) -> f64 {
        self.buildings
            .iter()
            .map(|b| b.aal_wan)
            .filter(|v| v.is_finite())
            .sum()
    }

    /// Σ expected annual deaths.
    pub fn deaths_per_year(&self) -> f64 {
        self.buildings
            .iter()
            .map(|b| b.deaths_per_year)
            .filter(|v| v.is_finite())
            .sum()
    }
}

/// The loss levels of a census's model library (`common/loss_levels.toml`).
pub fn load_levels(
    library: &riskcensus_models::Library,
) -> Result<riskcensus_models::loss::LossLevels, EngineError> {
    let f = library.require(riskcensus_models::loss::levels::PATH)?;
    Ok(riskcensus_models::loss::LossLevels::from_toml(
        &f.text, &f.origin,
    )?)
}

/// The cells inside the census's townships (row-major), or `None` for a census
/// without township polygons (every cell counts).
pub fn township_mask(cx: &Context<'_>) -> Result<Option<Vec<bool>>, EngineError> {
    let db = cx.census.dir.join(riskcensus_contracts::layout::CENSUS_DB);
    if !db.exists() {
        return Ok(None);
    }
    let census = crate::ingest::Census::open(&cx.census.dir)?;
    let towns = crate::admin::townships(&census, &cx.census.grid)?;
    if towns.is_empty() {
        return Ok(None);
    }
    let g = &cx.census.grid;
    let owner = riskcensus_zoning::units::cell_owner(&towns, (g.rows, g.cols));
    Ok(Some(owner.iter().map(|&o| o > 0).collect()))
}

/// The risk of one cell from its AAL (万元/yr), expected annual deaths and the
/// occupants of its buildings: the AAL density (万元/km²/yr) and the level, the
/// more severe of the density's and of the death rate's (deaths per 10⁵ occupants
/// per year; no occupants, no death-rate level).
pub fn cell_risk(
    levels: &LossLevels,
    cell_km2: f64,
    aal: f64,
    deaths: f64,
    occupants: f64,
) -> (f64, u8) {
    let density = aal / cell_km2;
    let rate = if occupants > 0.0 {
        deaths / occupants * 1.0e5
    } else {
        f64::NAN
    };
    (
        density,
        levels.combined(&[(Measure::AalDensity, density), (Measure::DeathRate, rate)]),
    )
}

/// Write `<hazard>_risk` (AAL density, 万元/km²/yr, f32, NaN nodata) and
/// `<hazard>_risk_level` (u8, the levels' scheme, 0 nodata) from per-cell AAL,
/// deaths and occupants (row-major), into the assessment folder and the stack.
/// Cells outside the census's townships are nodata; a NaN AAL (a building whose
/// hazard is unknown) is nodata. Returns the (layer, path) pairs written.
pub fn write_risk(
    cx: &mut Context<'_>,
    hazard: &str,
    aal: &[f32],
    deaths: &[f32],
    occupants: &[f64],
) -> Result<Vec<(String, PathBuf)>, EngineError> {
    let levels = load_levels(cx.library)?;
    let scheme = cx
        .vocabulary
        .scheme(levels.scheme())
        .cloned()
        .ok_or_else(|| EngineError::UnknownScheme {
            path: levels_origin(cx),
            scheme: levels.scheme().to_string(),
        })?;
    let mask = township_mask(cx)?;
    let grid = &cx.census.grid;
    let km2 = grid.cell_area() / 1.0e6;
    let n = grid.cell_count();
    let mut density = vec![f32::NAN; n];
    let mut level = vec![0u8; n];
    for i in 0..n {
        if mask.as_ref().is_some_and(|m| !m[i]) || aal[i].is_nan() {
            continue;
        }
        let (d, l) = cell_risk(
            &levels,
            km2,
            f64::from(aal[i]),
            f64::from(deaths[i]).max(0.0),
            occupants[i],
        );
        density[i] = d as f32;
        level[i] = l;
    }
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("{}@{}", levels.id(), levels.version()),
    );
    tags.insert(tag::PARAM_HASH.into(), provenance::param_hash(&levels));
    let dir = cx.layout.assess();
    let risk_id = format!("{hazard}_risk");
    let level_id = format!("{risk_id}_level");
    let unit = "wan_cny/km2/yr";
    let p = crate::output::write_f32(&dir, &risk_id, grid, &density, &tags, Some(unit))?;
    cx.stack.insert(risk_id.clone(), p.clone(), unit);
    let pl = crate::output::write_levels(&dir, &level_id, grid, &level, scheme, &tags)?;
    cx.stack.insert(level_id.clone(), pl.clone(), "level");
    Ok(vec![(risk_id, p), (level_id, pl)])
}

/// Where the loss levels came from (for messages).
fn levels_origin(cx: &Context<'_>) -> PathBuf {
    cx.library
        .require(riskcensus_models::loss::levels::PATH)
        .map(|f| f.origin.clone())
        .unwrap_or_else(|_| PathBuf::from(riskcensus_models::loss::levels::PATH))
}

/// Per-cell occupants of the buildings of `losses` (row-major).
pub fn occupants_per_cell(losses: &HazardLosses, cells: usize) -> Vec<f64> {
    let mut o = vec![0.0; cells];
    for b in &losses.buildings {
        o[b.cell] += b.occupants;
    }
    o
}

/// The risk of one admin unit (county, township or village) under one hazard or all
/// of them:
/// a row of `risk_units.csv`, published by the comprehensive stage for the zoning
/// stage (`unit_risk` of `zoning.gpkg`) and read by the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRisk {
    /// Admin code (6 digits for the county, 9 for a township, 12 for a village).
    pub unit_code: String,
    /// Name.
    pub unit_name: String,
    /// `county`, `township` or `village`.
    pub unit_level: String,
    /// `flood`, `earthquake`, … or `comprehensive`.
    pub hazard: String,
    /// `loss` (own loss model), `record` (recorded losses spread by the risk index)
    /// or `sum` (the comprehensive).
    pub route: String,
    /// Average annual loss, 万元/yr.
    pub aal_wan: f64,
    /// Expected annual deaths.
    pub deaths_per_year: f64,
    /// Area, km².
    pub area_km2: f64,
    /// GDP, 万元 (NaN when not surveyed).
    pub gdp_wan: f64,
    /// Population, persons.
    pub population: f64,
    /// `admin_units` or `buildings` (Σ occupants, when the unit has no population).
    pub population_source: String,
    /// AAL / area, 万元/km²/yr.
    pub aal_density: f64,
    /// AAL / GDP, % (NaN without GDP).
    pub aal_gdp_pct: f64,
    /// Deaths per 10⁵ people per year (NaN without population).
    pub death_rate_per_100k: f64,
    /// Levels of the three measures (0 = not classified) and the risk level.
    pub level_aal_density: u8,
    /// … AAL / GDP.
    pub level_aal_gdp: u8,
    /// … deaths per 10⁵.
    pub level_death_rate: u8,
    /// The most severe of the three.
    pub risk_level: u8,
}
