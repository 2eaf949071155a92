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
    /// Residents displaced from uninhabitable dwellings per event (same order),
    /// persons; empty when the hazard's loss model does not give them.
    pub event_displaced: Vec<f64>,
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

/// One dated event of the census's record (`disaster_events`) and the township
/// code it names (empty when not recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct DatedEvent {
    /// Type, year, loss and deaths.
    pub record: riskcensus_models::loss::EventRecord,
    /// `disaster_events.township`.
    pub township: String,
}

/// The census's historical events, the one reader of `disaster_events` for the
/// stages (comprehensive, trends, capacity gaps): an event without a readable year
/// is left out.
pub fn read_events(db: &crate::ingest::Census) -> Result<Vec<DatedEvent>, EngineError> {
    let mut out = Vec::new();
    for f in db.query(
        riskcensus_contracts::tables::census::DISASTER_EVENTS,
        &crate::ingest::Query::default(),
    )? {
        let date = f.text("date");
        let Some(year) = date.get(..4).and_then(|y| y.parse::<i32>().ok()) else {
            continue;
        };
        out.push(DatedEvent {
            record: riskcensus_models::loss::EventRecord {
                event_type: f.text("type"),
                year,
                loss_wan: f.number("direct_loss_wan"),
                deaths: f.number("deaths"),
            },
            township: f.text("township"),
        });
    }
    Ok(out)
}

/// Per-cell totals of buildings (row-major): AAL (万元/yr), expected annual deaths
/// and occupants; 0 where no building stands, NaN where a building's AAL or deaths
/// are NaN (a sum over nodata is nodata).
#[derive(Debug, Clone, PartialEq)]
pub struct CellTotals {
    /// AAL per cell, 万元/yr.
    pub aal: Vec<f64>,
    /// Expected annual deaths per cell.
    pub deaths: Vec<f64>,
    /// Occupants of the cell's buildings, persons.
    pub occupants: Vec<f64>,
}

impl HazardLosses {
    /// The buildings' totals per cell of a grid of `cells` cells, summed in building
    /// order (identical for any thread count).
    pub fn cell_totals(&self, cells: usize) -> CellTotals {
        let mut t = CellTotals {
            aal: vec![0.0; cells],
            deaths: vec![0.0; cells],
            occupants: vec![0.0; cells],
        };
        for b in &self.buildings {
            t.aal[b.cell] += b.aal_wan;
            t.deaths[b.cell] += b.deaths_per_year;
            t.occupants[b.cell] += b.occupants;
        }
        t
    }

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
/// `<hazard>_risk_level` (u8, the levels' scheme, 0 nodata) from per-cell totals,
/// into the assessment folder and the stack. Cells outside the census's townships
/// are nodata; a NaN AAL (a building whose hazard is unknown) is nodata. Returns the
/// (layer, path) pairs written.
pub fn write_risk(
    cx: &mut Context<'_>,
    hazard: &str,
    totals: &CellTotals,
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
    let mask = crate::admin::run_townships(cx)?.mask();
    let grid = &cx.census.grid;
    let km2 = grid.cell_area() / 1.0e6;
    let n = grid.cell_count();
    let mut density = vec![f32::NAN; n];
    let mut level = vec![0u8; n];
    for i in 0..n {
        if mask.as_ref().is_some_and(|m| !m[i]) || totals.aal[i].is_nan() {
            continue;
        }
        let (d, l) = cell_risk(
            &levels,
            km2,
            totals.aal[i],
            totals.deaths[i].max(0.0),
            totals.occupants[i],
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

/// A unit of the risk tables: code, name, level (`county`, `township`,
/// `village`), area (km²), population (value, source), GDP (万元, NaN when not
/// surveyed).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    /// Admin code.
    pub code: String,
    /// Name.
    pub name: String,
    /// `county`, `township` or `village`.
    pub level: &'static str,
    /// Area, km².
    pub area_km2: f64,
    /// Population, persons.
    pub population: f64,
    /// `admin_units` or `buildings`.
    pub population_source: &'static str,
    /// GDP, 万元.
    pub gdp_wan: f64,
}

/// One admin level of the risk tables: its units and each cell's unit (row-major;
/// 0 = none, k = `units[k − 1]`).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitGroup {
    /// The units.
    pub units: Vec<UnitRow>,
    /// Each cell's unit.
    pub owner: Vec<usize>,
}

impl UnitGroup {
    /// Per unit, the sum of `values` over its cells where `valid` is finite (in
    /// cell order).
    pub fn sums(&self, values: &[f64], valid: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.units.len()];
        for ((&o, &v), &ok) in self.owner.iter().zip(values).zip(valid) {
            if o > 0 && ok.is_finite() {
                out[o - 1] += v;
            }
        }
        out
    }
}

/// One unit's risk row from its AAL (万元/yr) and deaths (persons/yr): the three
/// measures of docs/risk.md §3, their levels and the most severe.
pub fn unit_risk(
    levels: &LossLevels,
    u: &UnitRow,
    hazard: &str,
    route: &str,
    aal: f64,
    deaths: f64,
) -> UnitRisk {
    let density = if u.area_km2 > 0.0 {
        aal / u.area_km2
    } else {
        f64::NAN
    };
    let gdp_pct = if u.gdp_wan > 0.0 {
        aal / u.gdp_wan * 100.0
    } else {
        f64::NAN
    };
    let rate = if u.population > 0.0 {
        deaths / u.population * 1.0e5
    } else {
        f64::NAN
    };
    UnitRisk {
        unit_code: u.code.clone(),
        unit_name: u.name.clone(),
        unit_level: u.level.into(),
        hazard: hazard.into(),
        route: route.into(),
        aal_wan: aal,
        deaths_per_year: deaths,
        area_km2: u.area_km2,
        gdp_wan: u.gdp_wan,
        population: u.population,
        population_source: u.population_source.into(),
        aal_density: density,
        aal_gdp_pct: gdp_pct,
        death_rate_per_100k: rate,
        level_aal_density: levels.level(Measure::AalDensity, density),
        level_aal_gdp: levels.level(Measure::AalGdpShare, gdp_pct),
        level_death_rate: levels.level(Measure::DeathRate, rate),
        risk_level: levels.combined(&[
            (Measure::AalDensity, density),
            (Measure::AalGdpShare, gdp_pct),
            (Measure::DeathRate, rate),
        ]),
    }
}

/// One hazard's per-cell AAL and deaths as the comprehensive sum took them
/// (row-major; NaN propagates).
#[derive(Debug, Clone, PartialEq)]
pub struct HazardCells {
    /// Hazard id.
    pub hazard: String,
    /// `loss` or `record`.
    pub route: String,
    /// AAL per cell, 万元/yr.
    pub aal: Vec<f64>,
    /// Expected annual deaths per cell.
    pub deaths: Vec<f64>,
}

/// What the comprehensive stage publishes for later stages that re-run the loss
/// route (the scenarios): the units of its tables with their cells, every
/// hazard's cells in the sum's order, the cells inside the townships, and the
/// level thresholds.
#[derive(Debug, Clone)]
pub struct LossFrame {
    /// The county, the townships and the villages (may be empty).
    pub groups: [UnitGroup; 3],
    /// The hazards in the sum's order.
    pub hazards: Vec<HazardCells>,
    /// Cells inside the townships (None: every cell).
    pub mask: Option<Vec<bool>>,
    /// The level thresholds.
    pub levels: LossLevels,
    /// Every hazard of the combination (also those not assessed): (hazard, route
    /// `loss` or `record`, its event types in `disaster_events`).
    pub event_types: Vec<(String, String, Vec<String>)>,
}

impl LossFrame {
    /// The groups' own unit rows.
    pub fn unit_rows(&self) -> [Vec<UnitRow>; 3] {
        self.groups.clone().map(|g| g.units)
    }
}

/// A building as the flood loss model sees it, published by the flood stage for
/// the scenarios stage (which re-runs the model under changed exposure, hazard and
/// measures).
#[derive(Debug, Clone, PartialEq)]
pub struct FloodBuilding {
    /// Building id.
    pub id: String,
    /// Row-major cell.
    pub cell: usize,
    /// Structure code.
    pub structure: String,
    /// Replacement value, 万元 (None: not surveyed, no loss counted).
    pub value_wan: Option<f64>,
    /// Occupants (None: not surveyed, counted as 0).
    pub occupants: Option<f64>,
}

/// The flood loss model's inputs: the buildings (in the order of its
/// [`HazardLosses`]), the screen's design stages (return period, m above
/// drainage), the flood-control standard and the HAND layer.
#[derive(Debug, Clone, PartialEq)]
pub struct FloodExposure {
    /// The buildings.
    pub buildings: Vec<FloodBuilding>,
    /// (return period years, stage m), most frequent first.
    pub stages: Vec<(u32, f64)>,
    /// Events up to this return period do no damage.
    pub protection_years: u32,
    /// The HAND layer of the stack the depths come from.
    pub hand_layer: String,
    /// The depth–damage curves.
    pub curves: riskcensus_models::flood::depth_damage::DepthDamage,
    /// The depth mortality.
    pub mortality: riskcensus_models::flood::Mortality,
}

/// The earthquake loss model's inputs: the buildings with their cells, in the
/// order of its [`HazardLosses`] (buildings without a basic PGA left out, as
/// there), the basic PGA grid of the zoning map and the model.
#[derive(Debug, Clone, PartialEq)]
pub struct EarthquakeExposure {
    /// (building, row-major cell).
    pub buildings: Vec<(riskcensus_models::earthquake::fragility::Building, usize)>,
    /// Basic PGA per cell, g (row-major, NaN nodata).
    pub basic: Vec<f32>,
    /// The model's parameters (`[fragility]`, `[hazard_curve]`).
    pub params: riskcensus_models::earthquake::params::EarthquakeParams,
    /// The fragility curves.
    pub table: riskcensus_models::earthquake::fragility::FragilityTable,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn building(id: &str, cell: usize, aal: f64, deaths: f64, occupants: f64) -> BuildingLoss {
        BuildingLoss {
            id: id.into(),
            cell,
            structure: "other".into(),
            value_wan: 0.0,
            occupants,
            event_loss_wan: Vec::new(),
            event_deaths: Vec::new(),
            event_displaced: Vec::new(),
            aal_wan: aal,
            deaths_per_year: deaths,
        }
    }

    fn losses(buildings: Vec<BuildingLoss>) -> HazardLosses {
        HazardLosses {
            hazard: "flood".into(),
            models: Vec::new(),
            events: Vec::new(),
            buildings,
            aal_layer: "flood_aal".into(),
            deaths_layer: "flood_deaths_annual".into(),
        }
    }

    #[test]
    fn cell_totals_by_hand() {
        // Two buildings in cell 0, one in cell 1; cell 2 empty.
        let t = losses(vec![
            building("a", 0, 1.5, 0.1, 3.0),
            building("b", 0, 2.0, 0.2, 4.0),
            building("c", 1, 4.0, 0.5, 10.0),
        ])
        .cell_totals(3);
        assert_eq!(t.aal, vec![3.5, 4.0, 0.0]);
        assert_eq!(t.occupants, vec![7.0, 10.0, 0.0]);
        assert!((t.deaths[0] - 0.3).abs() < 1e-15 && t.deaths[2] == 0.0);
        // A building whose loss is unknown makes its cell's sum unknown.
        let t = losses(vec![
            building("a", 1, 4.0, 0.1, 1.0),
            building("b", 1, f64::NAN, f64::NAN, 1.0),
        ])
        .cell_totals(2);
        assert!(t.aal[1].is_nan() && t.aal[0] == 0.0);
    }

    #[test]
    fn a_cell_is_as_risky_as_its_worse_measure() {
        let l = LossLevels::builtin();
        // 0.5 万元/yr on 0.0009 km² = 555.6 万元/km²/yr (level II); 1e-4 deaths among
        // 10 people = 1 per 10⁵ (level III): II.
        let (d, lv) = cell_risk(&l, 0.0009, 0.5, 1.0e-4, 10.0);
        assert!((d - 555.555).abs() < 0.01, "{d}");
        assert_eq!(lv, 2);
        // The same loss with 1e-2 deaths among 10 people (1000 per 10⁵): I.
        assert_eq!(cell_risk(&l, 0.0009, 0.5, 1.0e-2, 10.0).1, 1);
        // Nobody in the cell: the density alone.
        assert_eq!(cell_risk(&l, 0.0009, 0.0, 0.0, 0.0).1, 5);
    }
}
