//! Mitigation capacity and resource gaps (减灾能力与资源缺口) as the capacity_gaps stage
//! leaves them in `assess/zoning.gpkg` (the same rows are `assess/<table>.csv`):
//!
//! - `capacity_units`: the grassroots capacity index and grade of every township
//!   and village (polygons; grades in the model's scheme, `capacity5`, 1 弱 … 5 强;
//!   PROVISIONAL, as its `status` column says);
//! - `shelter_gaps`: per displacement scenario and township (and the county), the
//!   displaced, those placed in a shelter they reach along the roads, and those left
//!   without a place;
//! - `shelter_safety`: every shelter (points) with its site-safety screen
//!   (`shelter_safety2`: 1 unsafe, 2 safe) and the reasons;
//! - `reserve_days`: the days the material reserves last per scenario (and for the
//!   plan's own target people, scenario `plan_target`) against the target days;
//! - `rescue_access`: travel minutes from the rescue stations, population and key
//!   facilities beyond each isochrone, teams per kind;
//! - `three_high_one_low`: the 三高一低 screening of townships (`screening3`).
//!
//! Plus the grid `assess/rescue_minutes.tif` (f32 minutes, NaN = no value, census
//! grid). A run made before the capacity_gaps stage has none of the tables: [`read`]
//! returns `None` and the report leaves the chapter out. A table missing beside the
//! others reads as empty, and the chapter says so.
//!
//! What varies with the model files is read from the column names, not assumed: the
//! indicators (`<id>` beside `<id>_score`), the isochrones (`pop_beyond_<t>min`), the
//! team kinds (`teams_<kind>`), the consumable items (`<item>_days` beside
//! `<item>_stock`) and the durable ones (`<item>_cover_pct`).
//!
//! Units: persons, minutes, days, per cent where the column ends in `_pct`; index
//! and scores in \[0, 1\]. Null or NaN numbers are `None`; level 0 or null means not
//! classified. Positions and polygons are in the census CRS, `(x, y)` order.

use std::path::PathBuf;

use geo_types::{Geometry, MultiPolygon};
use ndarray::Array2;
use riskcensus_contracts::tables::capacity as names;
use riskcensus_core::LevelScheme;
use riskcensus_io::gpkg::{DbFeature, GpkgDb};
use riskcensus_models::capacity::grassroots::{self, GrassrootsCapacity};

use crate::error::ReportError;
use crate::map::{units_on_grid, Basemap, LegendClass, LevelMap, MarkerSet};
use crate::run::{Fields, Run};

/// Level scheme of the shelter site-safety screen (1 unsafe, 2 safe), as the
/// capacity_gaps stage classifies `shelter_safety.level`.
pub const SHELTER_SCHEME: &str = "shelter_safety2";

/// Level scheme of the 三高一低 screening (1 all four criteria, 2 three, 3 two or
/// fewer), as the capacity_gaps stage classifies `three_high_one_low.level`.
pub const SCREENING_SCHEME: &str = "screening3";

/// The travel-time grid of the capacity_gaps stage in `assess/`.
pub const RESCUE_MINUTES: &str = "rescue_minutes.tif";

/// The `reserve_days` scenario of the plan's own target (its people for its days).
pub const PLAN_TARGET: &str = "plan_target";

/// File stem under `maps/` of the capacity grades with the shelters.
pub const GRADES_MAP: &str = "capacity_grades";

/// File stem under `maps/` of the rescue isochrones.
pub const RESCUE_MAP: &str = "rescue_isochrones";

/// File stem under `maps/` of the 三高一低 screening.
pub const SCREENING_MAP: &str = "three_high_one_low_townships";

/// One indicator of a unit: raw value and score.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    /// Indicator id (the column name).
    pub id: String,
    /// Raw value in the indicator's unit (`None`: not surveyed).
    pub value: Option<f64>,
    /// Score in \[0, 1\].
    pub score: Option<f64>,
}

/// One row of `capacity_units`.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityUnit {
    /// Admin code.
    pub unit_code: String,
    /// Name.
    pub unit_name: String,
    /// `township` or `village`.
    pub unit_level: String,
    /// The township of a village (empty for a township).
    pub township_code: String,
    /// Population, persons.
    pub population: Option<f64>,
    /// Whether the unit has a capacity survey record.
    pub surveyed: bool,
    /// The indicators, in column order.
    pub indicators: Vec<IndicatorValue>,
    /// The capacity index, \[0, 1\].
    pub capacity_index: Option<f64>,
    /// Share of the indicator weight the unit's surveyed indicators carry, \[0, 1\].
    pub weight_covered: Option<f64>,
    /// Grade (scheme of the grassroots model, 1 = weakest); `None` = not graded.
    pub level: Option<u8>,
    /// Chinese name of the grade.
    pub grade_zh: String,
    /// The index's status (`provisional …`).
    pub status: String,
    /// Boundary, census CRS.
    pub area: Option<MultiPolygon<f64>>,
}

impl CapacityUnit {
    /// A township row.
    pub fn is_township(&self) -> bool {
        self.unit_level == "township"
    }

    /// A village row.
    pub fn is_village(&self) -> bool {
        self.unit_level == "village"
    }
}

/// One row of `shelter_gaps`: one scenario and one township or the county.
#[derive(Debug, Clone, PartialEq)]
pub struct ShelterGap {
    /// Scenario id (`flood_100y`).
    pub scenario: String,
    /// Chinese scenario name.
    pub scenario_zh: String,
    /// Admin code.
    pub unit_code: String,
    /// Name.
    pub unit_name: String,
    /// `township` or `county`.
    pub unit_level: String,
    /// Displaced people, persons.
    pub displaced: Option<f64>,
    /// Placed in a shelter they reach, persons.
    pub placed: Option<f64>,
    /// Left without a place, persons.
    pub unplaced: Option<f64>,
    /// Unplaced / displaced, %.
    pub unplaced_pct: Option<f64>,
    /// Unplaced if the unsafe shelters were used too, persons.
    pub unplaced_if_unsafe_used: Option<f64>,
    /// Places in the unit's safe shelters.
    pub safe_places_in_unit: Option<f64>,
    /// Whether the scenario could be assessed (its hazard grids exist).
    pub assessed: bool,
}

impl ShelterGap {
    /// The county row.
    pub fn is_county(&self) -> bool {
        self.unit_level == "county"
    }
}

/// One row of `shelter_safety`: one shelter.
#[derive(Debug, Clone, PartialEq)]
pub struct Shelter {
    /// Record id.
    pub shelter_id: String,
    /// Name.
    pub name: String,
    /// Type code (census `shelter_type` domain).
    pub shelter_type: String,
    /// Service radius, m.
    pub radius_m: Option<f64>,
    /// Places, persons.
    pub capacity: Option<f64>,
    /// The township it lies in.
    pub township_code: String,
    /// Safety class (`shelter_safety2`: 1 unsafe, 2 safe).
    pub level: Option<u8>,
    /// Whether the site passed the screen.
    pub safe: bool,
    /// Why it did not, in Chinese and English.
    pub reasons: String,
    /// Position, census CRS.
    pub position: Option<(f64, f64)>,
}

/// Days a consumable lasts.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDays {
    /// Item (`food_t`).
    pub item: String,
    /// Stock, in the item's unit.
    pub stock: Option<f64>,
    /// Days it lasts the displaced.
    pub days: Option<f64>,
}

/// Share of the displaced a durable item covers.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCover {
    /// Item (`tents`).
    pub item: String,
    /// Stock, pieces.
    pub stock: Option<f64>,
    /// Share of the displaced covered, %.
    pub cover_pct: Option<f64>,
}

/// One row of `reserve_days`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReserveRow {
    /// Scenario id, or [`PLAN_TARGET`].
    pub scenario: String,
    /// `warehouse`, `township` or `county`.
    pub scope: String,
    /// Warehouse id or admin code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The people the reserves are for, persons.
    pub displaced: Option<f64>,
    /// Consumables, in column order.
    pub consumables: Vec<ItemDays>,
    /// Durables, in column order.
    pub durables: Vec<ItemCover>,
    /// The shortest of the consumables' days.
    pub min_days: Option<f64>,
    /// The target days.
    pub target_days: Option<f64>,
    /// Whether `min_days` reaches the target.
    pub meets_target: bool,
}

/// An isochrone of the rescue table, from a column name `pop_beyond_<t>min`.
#[derive(Debug, Clone, PartialEq)]
pub struct Isochrone {
    /// Minutes.
    pub minutes: f64,
    /// `<t>` as the column writes it (`15`), to name the other columns.
    pub key: String,
}

/// Population and key facilities beyond one isochrone.
#[derive(Debug, Clone, PartialEq)]
pub struct Beyond {
    /// The isochrone, minutes.
    pub minutes: f64,
    /// Persons beyond it.
    pub population: Option<f64>,
    /// Their share of the unit's population, %.
    pub pct: Option<f64>,
    /// Key facilities beyond it.
    pub facilities: Option<f64>,
}

/// Rescue teams of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamKind {
    /// Kind code (census `team_kind` domain).
    pub kind: String,
    /// Teams stationed in the unit.
    pub teams: Option<f64>,
    /// Their personnel, persons.
    pub personnel: Option<f64>,
    /// Population-weighted mean minutes to the nearest team of the kind.
    pub minutes: Option<f64>,
}

/// One row of `rescue_access`.
#[derive(Debug, Clone, PartialEq)]
pub struct RescueRow {
    /// Admin code.
    pub unit_code: String,
    /// Name.
    pub unit_name: String,
    /// `township` or `county`.
    pub unit_level: String,
    /// Population, persons.
    pub population: Option<f64>,
    /// Population-weighted mean travel minutes from the nearest station.
    pub mean_minutes: Option<f64>,
    /// Per isochrone, ascending.
    pub beyond: Vec<Beyond>,
    /// Key facilities in the unit.
    pub key_facilities: Option<f64>,
    /// Per team kind, in column order.
    pub teams: Vec<TeamKind>,
}

impl RescueRow {
    /// The county row.
    pub fn is_county(&self) -> bool {
        self.unit_level == "county"
    }

    /// What lies beyond `minutes`, if that is an isochrone of the table.
    pub fn beyond(&self, minutes: f64) -> Option<&Beyond> {
        self.beyond.iter().find(|b| b.minutes == minutes)
    }
}

/// One row of `three_high_one_low`: one township.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningRow {
    /// Township code.
    pub unit_code: String,
    /// Name.
    pub unit_name: String,
    /// Recorded mean annual loss, 万元/yr.
    pub recorded_loss_wan_per_yr: Option<f64>,
    /// The same as % of GDP.
    pub recorded_loss_gdp_pct: Option<f64>,
    /// Its loss level (`risk5`).
    pub recorded_loss_level: Option<u8>,
    /// High loss.
    pub high_loss: bool,
    /// Geological hidden-danger points.
    pub hidden_dangers: Option<f64>,
    /// Per 100 km².
    pub hidden_dangers_per_100km2: Option<f64>,
    /// People they threaten.
    pub threatened: Option<f64>,
    /// Per 1,000 residents.
    pub threatened_per_1k: Option<f64>,
    /// High hidden danger.
    pub high_hidden_danger: bool,
    /// Comprehensive risk level.
    pub risk_level: Option<u8>,
    /// High risk.
    pub high_risk: bool,
    /// Capacity grade.
    pub capacity_grade: Option<u8>,
    /// Low capacity.
    pub low_capacity: bool,
    /// Criteria met, 0–4.
    pub criteria_met: Option<i64>,
    /// Screening class (`screening3`: 1 all four, 2 three, 3 two or fewer).
    pub level: Option<u8>,
    /// Boundary, census CRS.
    pub area: Option<MultiPolygon<f64>>,
}

/// The capacity tables of a run, with their level schemes.
#[derive(Debug, Clone)]
pub struct CapacityTables {
    /// The GeoPackage they were read from, relative to the run folder.
    pub source: String,
    /// The tables of the six that are absent.
    pub missing: Vec<String>,
    /// Indicator ids of `capacity_units`, in column order.
    pub indicators: Vec<String>,
    /// Rows of `capacity_units` (townships, then villages).
    pub units: Vec<CapacityUnit>,
    /// Rows of `shelter_gaps`.
    pub gaps: Vec<ShelterGap>,
    /// Rows of `shelter_safety`.
    pub shelters: Vec<Shelter>,
    /// Consumable items of `reserve_days`.
    pub consumables: Vec<String>,
    /// Durable items of `reserve_days`.
    pub durables: Vec<String>,
    /// Rows of `reserve_days`.
    pub reserves: Vec<ReserveRow>,
    /// Isochrones of `rescue_access`, ascending.
    pub isochrones: Vec<Isochrone>,
    /// Team kinds of `rescue_access`.
    pub team_kinds: Vec<String>,
    /// Rows of `rescue_access`.
    pub rescue: Vec<RescueRow>,
    /// Rows of `three_high_one_low`.
    pub screening: Vec<ScreeningRow>,
    /// Travel minutes from the nearest rescue station (`rescue_minutes.tif`; NaN =
    /// no value), when the run has the grid.
    pub rescue_minutes: Option<Array2<f32>>,
    /// The grades' scheme (the grassroots model's, `capacity5`).
    pub capacity_scheme: LevelScheme,
    /// [`SHELTER_SCHEME`].
    pub shelter_scheme: LevelScheme,
    /// [`SCREENING_SCHEME`].
    pub screening_scheme: LevelScheme,
}

impl CapacityTables {
    /// Scenario ids of `shelter_gaps` in file order, with their Chinese names.
    pub fn scenarios(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = Vec::new();
        for g in &self.gaps {
            if !v.iter().any(|(id, _)| *id == g.scenario) {
                v.push((g.scenario.clone(), g.scenario_zh.clone()));
            }
        }
        v
    }

    /// The county row of `scenario` in `shelter_gaps`.
    pub fn county_gap(&self, scenario: &str) -> Option<&ShelterGap> {
        self.gaps
            .iter()
            .find(|g| g.is_county() && g.scenario == scenario)
    }

    /// The county row of `scenario` in `reserve_days`.
    pub fn county_reserve(&self, scenario: &str) -> Option<&ReserveRow> {
        self.reserves
            .iter()
            .find(|r| r.scope == "county" && r.scenario == scenario)
    }

    /// The county row of `rescue_access`.
    pub fn county_rescue(&self) -> Option<&RescueRow> {
        self.rescue.iter().find(|r| r.is_county())
    }

    /// Shelters the site screen flags unsafe, in file order.
    pub fn unsafe_shelters(&self) -> Vec<&Shelter> {
        self.shelters.iter().filter(|s| !s.safe).collect()
    }

    /// Townships of screening class `level` (1 = 三高一低), in file order.
    pub fn screened(&self, level: u8) -> Vec<&ScreeningRow> {
        self.screening
            .iter()
            .filter(|r| r.level == Some(level))
            .collect()
    }

    /// The name of a township by code, from any of the tables.
    pub fn township_name(&self, code: &str) -> Option<&str> {
        self.units
            .iter()
            .find(|u| u.is_township() && u.unit_code == code)
            .map(|u| u.unit_name.as_str())
            .or_else(|| {
                self.rescue
                    .iter()
                    .find(|r| r.unit_code == code)
                    .map(|r| r.unit_name.as_str())
            })
            .or_else(|| {
                self.screening
                    .iter()
                    .find(|r| r.unit_code == code)
                    .map(|r| r.unit_name.as_str())
            })
    }
}

/// Polygons of a row, `None` for a row without one.
fn polygons(f: &DbFeature) -> Option<MultiPolygon<f64>> {
    match &f.geometry {
        Some(Geometry::MultiPolygon(m)) => Some(m.clone()),
        Some(Geometry::Polygon(p)) => Some(MultiPolygon(vec![p.clone()])),
        _ => None,
    }
}

/// The rows of `table`, `None` when the GeoPackage lacks it.
fn rows_of(db: &GpkgDb, table: &str) -> Result<Option<Vec<DbFeature>>, ReportError> {
    if !db.has_table(table) {
        return Ok(None);
    }
    Ok(Some(db.query(table, None, None)?))
}

/// Prefixes `p` of the columns `p<suffix>` for which `p<partner>` is a column too,
/// in column order (`("_score", "")` → indicator ids).
fn paired(columns: &[String], suffix: &str, partner: &str) -> Vec<String> {
    columns
        .iter()
        .filter_map(|c| c.strip_suffix(suffix))
        .filter(|p| !p.is_empty() && columns.iter().any(|c| *c == format!("{p}{partner}")))
        .map(str::to_string)
        .collect()
}

/// The isochrones named by columns `pop_beyond_<t>min`, ascending.
pub fn isochrones_of(columns: &[String]) -> Vec<Isochrone> {
    let mut v: Vec<Isochrone> = columns
        .iter()
        .filter_map(|c| c.strip_prefix("pop_beyond_")?.strip_suffix("min"))
        .filter_map(|key| {
            let minutes: f64 = key.parse().ok()?;
            (minutes.is_finite() && minutes > 0.0).then(|| Isochrone {
                minutes,
                key: key.to_string(),
            })
        })
        .collect();
    v.sort_by(|a, b| a.minutes.total_cmp(&b.minutes));
    v.dedup_by(|a, b| a.minutes == b.minutes);
    v
}

fn read_units(
    db: &GpkgDb,
    rows: &[DbFeature],
    indicators: &[String],
) -> Result<Vec<CapacityUnit>, ReportError> {
    let path = db.path();
    let table = names::UNITS;
    rows.iter()
        .map(|f| {
            let r = Fields { path, table, f };
            Ok(CapacityUnit {
                unit_code: r.text("unit_code")?,
                unit_name: r.text("unit_name")?,
                unit_level: r.text("unit_level")?,
                township_code: r.text("township_code")?,
                population: r.finite("population")?,
                surveyed: r.flag("surveyed")?,
                indicators: indicators
                    .iter()
                    .map(|id| {
                        Ok(IndicatorValue {
                            id: id.clone(),
                            value: r.finite(id)?,
                            score: r.finite(&format!("{id}_score"))?,
                        })
                    })
                    .collect::<Result<_, ReportError>>()?,
                capacity_index: r.finite("capacity_index")?,
                weight_covered: r.finite("weight_covered")?,
                level: r.opt_level("level")?,
                grade_zh: r.text("grade_zh")?,
                status: r.text("status")?,
                area: polygons(f),
            })
        })
        .collect()
}

fn read_gaps(db: &GpkgDb, rows: &[DbFeature]) -> Result<Vec<ShelterGap>, ReportError> {
    let path = db.path();
    let table = names::SHELTER_GAPS;
    rows.iter()
        .map(|f| {
            let r = Fields { path, table, f };
            Ok(ShelterGap {
                scenario: r.text("scenario")?,
                scenario_zh: r.text("scenario_zh")?,
                unit_code: r.text("unit_code")?,
                unit_name: r.text("unit_name")?,
                unit_level: r.text("unit_level")?,
                displaced: r.finite("displaced")?,
                placed: r.finite("placed")?,
                unplaced: r.finite("unplaced")?,
                unplaced_pct: r.finite("unplaced_pct")?,
                unplaced_if_unsafe_used: r.finite("unplaced_if_unsafe_used")?,
                safe_places_in_unit: r.finite("safe_places_in_unit")?,
                assessed: r.flag("assessed")?,
            })
        })
        .collect()
}

fn read_shelters(db: &GpkgDb, rows: &[DbFeature]) -> Result<Vec<Shelter>, ReportError> {
    let path = db.path();
    let table = names::SHELTER_SAFETY;
    rows.iter()
        .map(|f| {
            let r = Fields { path, table, f };
            Ok(Shelter {
                shelter_id: r.text("shelter_id")?,
                name: r.text("name")?,
                shelter_type: r.text("shelter_type")?,
                radius_m: r.finite("radius_m")?,
                capacity: r.finite("capacity")?,
                township_code: r.text("township_code")?,
                level: r.opt_level("level")?,
                safe: r.flag("safe")?,
                reasons: r.text("reasons")?,
                position: match &f.geometry {
                    Some(Geometry::Point(p)) => Some((p.x(), p.y())),
                    Some(Geometry::MultiPoint(m)) => m.0.first().map(|p| (p.x(), p.y())),
                    _ => None,
                },
            })
        })
        .collect()
}

fn read_reserves(
    db: &GpkgDb,
    rows: &[DbFeature],
    consumables: &[String],
    durables: &[String],
) -> Result<Vec<ReserveRow>, ReportError> {
    let path = db.path();
    let table = names::RESERVE_DAYS;
    rows.iter()
        .map(|f| {
            let r = Fields { path, table, f };
            Ok(ReserveRow {
                scenario: r.text("scenario")?,
                scope: r.text("scope")?,
                code: r.text("code")?,
                name: r.text("name")?,
                displaced: r.finite("displaced")?,
                consumables: consumables
                    .iter()
                    .map(|item| {
                        Ok(ItemDays {
                            item: item.clone(),
                            stock: r.finite(&format!("{item}_stock"))?,
                            days: r.finite(&format!("{item}_days"))?,
                        })
                    })
                    .collect::<Result<_, ReportError>>()?,
                durables: durables
                    .iter()
                    .map(|item| {
                        Ok(ItemCover {
                            item: item.clone(),
                            stock: r.finite(&format!("{item}_stock"))?,
                            cover_pct: r.finite(&format!("{item}_cover_pct"))?,
                        })
                    })
                    .collect::<Result<_, ReportError>>()?,
                min_days: r.finite("min_days")?,
                target_days: r.finite("target_days")?,
                meets_target: r.flag("meets_target")?,
            })
        })
        .collect()
}

fn read_rescue(
    db: &GpkgDb,
    rows: &[DbFeature],
    isochrones: &[Isochrone],
    kinds: &[String],
) -> Result<Vec<RescueRow>, ReportError> {
    let path = db.path();
    let table = names::RESCUE_ACCESS;
    rows.iter()
        .map(|f| {
            let r = Fields { path, table, f };
            Ok(RescueRow {
                unit_code: r.text("unit_code")?,
                unit_name: r.text("unit_name")?,
                unit_level: r.text("unit_level")?,
                population: r.finite("population")?,
                mean_minutes: r.finite("mean_minutes")?,
                beyond: isochrones
                    .iter()
                    .map(|t| {
                        let k = &t.key;
                        Ok(Beyond {
                            minutes: t.minutes,
                            population: r.finite(&format!("pop_beyond_{k}min"))?,
                            pct: r.finite(&format!("pop_beyond_{k}min_pct"))?,
                            facilities: r.finite(&format!("facilities_beyond_{k}min"))?,
                        })
                    })
                    .collect::<Result<_, ReportError>>()?,
                key_facilities: r.finite("key_facilities")?,
                teams: kinds
                    .iter()
                    .map(|k| {
                        Ok(TeamKind {
                            kind: k.clone(),
                            teams: r.finite(&format!("teams_{k}"))?,
                            personnel: r.finite(&format!("personnel_{k}"))?,
                            minutes: r.finite(&format!("minutes_{k}"))?,
                        })
                    })
                    .collect::<Result<_, ReportError>>()?,
            })
        })
        .collect()
}

fn read_screening(db: &GpkgDb, rows: &[DbFeature]) -> Result<Vec<ScreeningRow>, ReportError> {
    let path = db.path();
    let table = names::SCREENING;
    rows.iter()
        .map(|f| {
            let r = Fields { path, table, f };
            Ok(ScreeningRow {
                unit_code: r.text("unit_code")?,
                unit_name: r.text("unit_name")?,
                recorded_loss_wan_per_yr: r.finite("recorded_loss_wan_per_yr")?,
                recorded_loss_gdp_pct: r.finite("recorded_loss_gdp_pct")?,
                recorded_loss_level: r.opt_level("recorded_loss_level")?,
                high_loss: r.flag("high_loss")?,
                hidden_dangers: r.finite("hidden_dangers")?,
                hidden_dangers_per_100km2: r.finite("hidden_dangers_per_100km2")?,
                threatened: r.finite("threatened")?,
                threatened_per_1k: r.finite("threatened_per_1k")?,
                high_hidden_danger: r.flag("high_hidden_danger")?,
                risk_level: r.opt_level("risk_level")?,
                high_risk: r.flag("high_risk")?,
                capacity_grade: r.opt_level("capacity_grade")?,
                low_capacity: r.flag("low_capacity")?,
                criteria_met: r.opt_i64("criteria_met")?,
                level: r.opt_level("level")?,
                area: polygons(f),
            })
        })
        .collect()
}

/// The three level schemes from the census's model library (the shipped library when
/// the census folder is gone): the grades' scheme is the one the grassroots model file
/// names; a scheme the vocabulary lacks falls back to the neutral generic one.
fn schemes_of(run: &Run) -> Result<[LevelScheme; 3], ReportError> {
    let lib = riskcensus_models::Library::for_census(&run.census_dir)
        .unwrap_or_else(|_| riskcensus_models::Library::shipped());
    let grades = match lib.file(grassroots::PATH) {
        Some(f) => GrassrootsCapacity::from_toml(&f.text, &f.origin)
            .map_err(|e| ReportError::invalid(&f.origin, e.to_string()))?
            .scheme()
            .to_string(),
        None => GrassrootsCapacity::builtin().scheme().to_string(),
    };
    let vocabulary = lib.vocabulary().ok();
    let scheme = |id: &str, classes: usize| {
        vocabulary
            .as_ref()
            .and_then(|v| v.scheme(id).cloned())
            .unwrap_or_else(|| LevelScheme::generic(classes))
    };
    Ok([
        scheme(&grades, 5),
        scheme(SHELTER_SCHEME, 2),
        scheme(SCREENING_SCHEME, 3),
    ])
}

/// Read the capacity tables of `run`; `None` when its `zoning.gpkg` has none of the
/// six (a run made before the capacity_gaps stage).
pub fn read(run: &Run) -> Result<Option<CapacityTables>, ReportError> {
    let gpkg = run.zoning_gpkg();
    if !gpkg.exists() {
        return Ok(None);
    }
    let db = GpkgDb::open_read(&gpkg)?;
    let all = [
        names::UNITS,
        names::SHELTER_GAPS,
        names::SHELTER_SAFETY,
        names::RESERVE_DAYS,
        names::RESCUE_ACCESS,
        names::SCREENING,
    ];
    let missing: Vec<String> = all
        .iter()
        .filter(|t| !db.has_table(t))
        .map(|t| t.to_string())
        .collect();
    if missing.len() == all.len() {
        return Ok(None);
    }

    let cols = db.columns(names::UNITS);
    let indicators = paired(&cols, "_score", "");
    let units = match rows_of(&db, names::UNITS)? {
        Some(rows) => read_units(&db, &rows, &indicators)?,
        None => Vec::new(),
    };
    let gaps = match rows_of(&db, names::SHELTER_GAPS)? {
        Some(rows) => read_gaps(&db, &rows)?,
        None => Vec::new(),
    };
    let shelters = match rows_of(&db, names::SHELTER_SAFETY)? {
        Some(rows) => read_shelters(&db, &rows)?,
        None => Vec::new(),
    };
    let cols = db.columns(names::RESERVE_DAYS);
    let consumables = paired(&cols, "_days", "_stock");
    let durables = paired(&cols, "_cover_pct", "_stock");
    let reserves = match rows_of(&db, names::RESERVE_DAYS)? {
        Some(rows) => read_reserves(&db, &rows, &consumables, &durables)?,
        None => Vec::new(),
    };
    let cols = db.columns(names::RESCUE_ACCESS);
    let isochrones = isochrones_of(&cols);
    let team_kinds: Vec<String> = cols
        .iter()
        .filter_map(|c| c.strip_prefix("teams_"))
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect();
    let rescue = match rows_of(&db, names::RESCUE_ACCESS)? {
        Some(rows) => read_rescue(&db, &rows, &isochrones, &team_kinds)?,
        None => Vec::new(),
    };
    let screening = match rows_of(&db, names::SCREENING)? {
        Some(rows) => read_screening(&db, &rows)?,
        None => Vec::new(),
    };

    let minutes_path: PathBuf = run.layout.assess().join(RESCUE_MINUTES);
    let rescue_minutes = if minutes_path.exists() {
        let reader = riskcensus_io::RasterReader::open(&minutes_path, 1)?;
        let grid = reader.info().grid()?;
        if !grid.same_lattice(run.grid()) {
            return Err(ReportError::invalid(
                &minutes_path,
                "travel-time grid is not on the census grid of the manifest",
            ));
        }
        Some(reader.read_f32(grid.full_window())?)
    } else {
        None
    };
    let [capacity_scheme, shelter_scheme, screening_scheme] = schemes_of(run)?;
    Ok(Some(CapacityTables {
        source: format!("assess/{}", riskcensus_contracts::layout::ZONING_GPKG),
        missing,
        indicators,
        units,
        gaps,
        shelters,
        consumables,
        durables,
        reserves,
        isochrones,
        team_kinds,
        rescue,
        screening,
        rescue_minutes,
        capacity_scheme,
        shelter_scheme,
        screening_scheme,
    }))
}

/// The legend of a level scheme.
fn legend(scheme: &LevelScheme) -> Vec<LegendClass> {
    scheme
        .classes()
        .iter()
        .map(|c| LegendClass {
            code: c.code,
            name_zh: c.name_zh.clone(),
            name_en: c.name_en.clone(),
            rgb: c.rgb,
            range: None,
        })
        .collect()
}

/// The shelters as markers, one set per safety class that has shelters: the safe
/// classes first, so the unsafe ones are drawn on top.
pub fn shelter_markers(t: &CapacityTables) -> Vec<MarkerSet> {
    let mut sets: Vec<MarkerSet> = t
        .shelter_scheme
        .classes()
        .iter()
        .rev()
        .map(|c| MarkerSet {
            name_zh: format!("{}避难场所", c.name_zh),
            name_en: format!("shelter, {}", c.name_en),
            rgb: c.rgb,
            points: t
                .shelters
                .iter()
                .filter(|s| s.level == Some(c.code))
                .filter_map(|s| s.position)
                .collect(),
        })
        .collect();
    sets.retain(|s| !s.points.is_empty());
    sets
}

/// The map of capacity grades — of the villages when any is graded, else of the
/// townships — with every shelter as a marker coloured by its safety class. Cells of
/// ungraded units show the bare hillshade. `None` when no unit with a polygon is
/// graded.
pub fn grades_map(base: &Basemap, t: &CapacityTables) -> Option<LevelMap> {
    let graded = |village: bool| -> Vec<(&MultiPolygon<f64>, u8)> {
        t.units
            .iter()
            .filter(|u| {
                if village {
                    u.is_village()
                } else {
                    u.is_township()
                }
            })
            .filter_map(|u| Some((u.area.as_ref()?, u.level?)))
            .collect()
    };
    let villages = graded(true);
    let (units, title_zh, title_en) = if !villages.is_empty() {
        (
            villages,
            "村（社区）基层减灾能力等级与避难场所图",
            "Grassroots capacity grades of villages, with shelters",
        )
    } else {
        (
            graded(false),
            "乡镇基层减灾能力等级与避难场所图",
            "Grassroots capacity grades of townships, with shelters",
        )
    };
    if units.is_empty() {
        return None;
    }
    Some(LevelMap {
        id: GRADES_MAP.to_string(),
        title_zh: title_zh.into(),
        title_en: title_en.into(),
        levels: units_on_grid(&base.grid, units),
        classes: legend(&t.capacity_scheme),
        markers: shelter_markers(t),
    })
}

/// Colours of `n` travel-time classes, quickest first: RdYlGn-5 (DESIGN.md's five
/// level colours) from green to red, picked for up to five classes and interpolated
/// beyond.
fn time_colours(n: usize) -> Vec<[u8; 3]> {
    const RAMP: [[u8; 3]; 5] = [
        [0x1A, 0x96, 0x41],
        [0xA6, 0xD9, 0x6A],
        [0xFF, 0xFF, 0xBF],
        [0xFD, 0xAE, 0x61],
        [0xD7, 0x19, 0x1C],
    ];
    let pick: &[usize] = match n {
        0 => &[],
        1 => &[0],
        2 => &[0, 4],
        3 => &[0, 2, 4],
        4 => &[0, 1, 3, 4],
        5 => &[0, 1, 2, 3, 4],
        _ => {
            return (0..n)
                .map(|i| {
                    let t = i as f64 / (n - 1) as f64 * 4.0;
                    let a = (t.floor() as usize).min(3);
                    let f = t - a as f64;
                    let mut c = [0u8; 3];
                    for (k, v) in c.iter_mut().enumerate() {
                        let (x, y) = (RAMP[a][k] as f64, RAMP[a + 1][k] as f64);
                        *v = (x + (y - x) * f).round() as u8;
                    }
                    c
                })
                .collect()
        }
    };
    pick.iter().map(|&i| RAMP[i]).collect()
}

/// Colour of the cells no road reaches (inside a township, no travel time): neutral
/// purple, apart from the green-to-red time ramp and from the grey hillshade.
pub const UNREACHED_RGB: [u8; 3] = [0x99, 0x8E, 0xC3];

/// The travel-time class codes of `minutes` for the isochrones `t₁ < … < tₙ`:
/// 1 = `≤ t₁`, k = `t_{k−1} < m ≤ t_k`, n + 1 = `> tₙ`, n + 2 = no travel time in a
/// township (`inside`, no road reaches), 0 outside. Codes run in time order, not by
/// severity: this is a map classification, not a level scheme.
pub fn travel_classes(
    minutes: &Array2<f32>,
    inside: &Array2<u8>,
    isochrones: &[f64],
) -> Array2<u8> {
    let n = isochrones.len();
    let mut out = Array2::<u8>::zeros(minutes.dim());
    ndarray::Zip::from(&mut out)
        .and(minutes)
        .and(inside)
        .for_each(|o, &m, &ins| {
            *o = if m.is_finite() {
                let m = f64::from(m);
                (isochrones.iter().take_while(|&&t| m > t).count() + 1) as u8
            } else if ins != 0 {
                (n + 2) as u8
            } else {
                0
            };
        });
    out
}

/// The legend of [`travel_classes`].
pub fn travel_legend(isochrones: &[f64]) -> Vec<LegendClass> {
    let n = isochrones.len();
    let colours = time_colours(n + 1);
    // Shortest form: 15 → `15`, 7.5 → `7.5`.
    let f = |v: f64| format!("{v}");
    let mut v: Vec<LegendClass> = (0..=n)
        .map(|i| {
            let (zh, en) = if i == 0 {
                (
                    format!("≤ {} 分钟", f(isochrones[0])),
                    format!("≤ {} min", f(isochrones[0])),
                )
            } else if i < n {
                let (a, b) = (f(isochrones[i - 1]), f(isochrones[i]));
                (format!("{a}–{b} 分钟"), format!("{a}–{b} min"))
            } else {
                let a = f(isochrones[n - 1]);
                (format!("> {a} 分钟"), format!("> {a} min"))
            };
            LegendClass {
                code: (i + 1) as u8,
                name_zh: zh,
                name_en: en,
                rgb: colours[i],
                range: None,
            }
        })
        .collect();
    v.push(LegendClass {
        code: (n + 2) as u8,
        name_zh: "道路不可达".into(),
        name_en: "no road reaches".into(),
        rgb: UNREACHED_RGB,
        range: None,
    });
    v
}

/// The map of travel minutes from the nearest rescue station in the classes of the
/// table's isochrones, plus the cells of the townships no road reaches. `None`
/// without the grid or without isochrones. The stations themselves are not in the
/// tables and are not drawn.
pub fn rescue_map(base: &Basemap, t: &CapacityTables) -> Option<LevelMap> {
    let minutes = t.rescue_minutes.as_ref()?;
    if t.isochrones.is_empty() || t.isochrones.len() > 250 {
        return None;
    }
    let iso: Vec<f64> = t.isochrones.iter().map(|i| i.minutes).collect();
    let inside = units_on_grid(&base.grid, base.townships.iter().map(|tw| (&tw.area, 1)));
    Some(LevelMap {
        id: RESCUE_MAP.to_string(),
        title_zh: "救援力量到达时间等时线图".into(),
        title_en: "Rescue travel time from the nearest station (isochrones)".into(),
        levels: travel_classes(minutes, &inside, &iso),
        classes: travel_legend(&iso),
        markers: Vec::new(),
    })
}

/// The township map of the 三高一低 screening (the table's polygons, else the
/// basemap's township of the same code). `None` when no township is classified.
pub fn screening_map(base: &Basemap, t: &CapacityTables) -> Option<LevelMap> {
    let units: Vec<(&MultiPolygon<f64>, u8)> = t
        .screening
        .iter()
        .filter_map(|r| {
            let area = r.area.as_ref().or_else(|| {
                base.townships
                    .iter()
                    .find(|tw| tw.code == r.unit_code)
                    .map(|tw| &tw.area)
            })?;
            Some((area, r.level?))
        })
        .collect();
    if units.is_empty() {
        return None;
    }
    Some(LevelMap {
        id: SCREENING_MAP.to_string(),
        title_zh: "乡镇“三高一低”筛查图".into(),
        title_en: "三高一低 screening of townships (high loss, hidden danger, risk; low capacity)"
            .into(),
        levels: units_on_grid(&base.grid, units),
        classes: legend(&t.screening_scheme),
        markers: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn isochrones_indicators_and_items_come_from_the_column_names() {
        let c = cols(&[
            "unit_code",
            "pop_beyond_45min",
            "pop_beyond_45min_pct",
            "pop_beyond_20min",
            "pop_beyond_20min_pct",
            "pop_beyond_xmin",
        ]);
        let iso = isochrones_of(&c);
        assert_eq!(
            iso.iter().map(|i| i.minutes).collect::<Vec<_>>(),
            vec![20.0, 45.0]
        );
        assert_eq!(iso[1].key, "45");
        let c = cols(&["drills", "drills_score", "capacity_index", "x_score"]);
        assert_eq!(paired(&c, "_score", ""), vec!["drills"]);
        let c = cols(&[
            "food_t_stock",
            "food_t_days",
            "tents_stock",
            "tents_cover_pct",
            "min_days",
            "target_days",
        ]);
        assert_eq!(paired(&c, "_days", "_stock"), vec!["food_t"]);
        assert_eq!(paired(&c, "_cover_pct", "_stock"), vec!["tents"]);
    }

    #[test]
    fn travel_classes_follow_the_isochrones_with_the_boundary_in_the_quicker_class() {
        // Minutes of five cells of a township and one outside: a value equal to an
        // isochrone is within it (the table counts people *beyond* t).
        let m = Array2::from_shape_vec((1, 6), vec![3.0, 20.0, 20.5, 61.0, f32::NAN, f32::NAN])
            .unwrap();
        let inside = Array2::from_shape_vec((1, 6), vec![1, 1, 1, 1, 1, 0]).unwrap();
        let c = travel_classes(&m, &inside, &[20.0, 45.0]);
        assert_eq!(c.as_slice().unwrap(), &[1, 1, 2, 3, 4, 0]);
        let l = travel_legend(&[20.0, 45.0]);
        let names: Vec<&str> = l.iter().map(|c| c.name_en.as_str()).collect();
        assert_eq!(
            names,
            vec!["≤ 20 min", "20–45 min", "> 45 min", "no road reaches"]
        );
        assert_eq!(
            l.iter().map(|c| c.code).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        // Three time classes: green, yellow, red of DESIGN.md's five colours.
        assert_eq!(l[0].rgb, [0x1A, 0x96, 0x41]);
        assert_eq!(l[1].rgb, [0xFF, 0xFF, 0xBF]);
        assert_eq!(l[2].rgb, [0xD7, 0x19, 0x1C]);
        assert_eq!(time_colours(7).len(), 7);
        assert_eq!(time_colours(7)[6], [0xD7, 0x19, 0x1C]);
    }
}
