//! The census's admin units on the census grid, read once by every stage that
//! works per township or village (zoning, risk): the `admin_units` of one level
//! with their exact cell coverage ([`units`]), and the attributes of every unit —
//! name, population, GDP ([`attributes`]).

use std::collections::BTreeMap;

use riskcensus_core::GridSpec;
use serde::Serialize;

use crate::error::EngineError;
use crate::ingest::{Census, Query};

pub use riskcensus_zoning::units::Unit;

/// The admin level of a unit (the `level` field of the census `admin_units`, which
/// ingest fills from the code length when a source leaves it out: 9 digits =
/// township, 12 = village).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminLevel {
    /// 镇 / 街道, 9-digit codes.
    Township,
    /// 村 / 社区, 12-digit codes.
    Village,
}

impl AdminLevel {
    /// The value of the `level` field (schema domain `admin_level`).
    pub fn id(self) -> &'static str {
        match self {
            AdminLevel::Township => "township",
            AdminLevel::Village => "village",
        }
    }

    /// The field of a point record (buildings, hidden dangers) naming its unit at
    /// this level, assigned at ingest by point in polygon.
    pub fn record_field(self) -> &'static str {
        match self {
            AdminLevel::Township => "township_code",
            AdminLevel::Village => "village_code",
        }
    }

    fn code_len(self) -> usize {
        match self {
            AdminLevel::Township => 9,
            AdminLevel::Village => 12,
        }
    }
}

/// The units of one level of the census database.
#[derive(Debug, Clone, Default)]
pub struct Units {
    /// Units with a polygon, sorted by code, with their exact cell coverage.
    pub units: Vec<Unit>,
    /// Codes of the units of this level that have no polygon (village seats loaded
    /// as points): they get no statistics, and the zoning report names them.
    pub without_polygon: Vec<String>,
}

/// The townships of the census database with their exact cell coverage on `grid`.
pub fn townships(census: &Census, grid: &GridSpec) -> Result<Vec<Unit>, EngineError> {
    Ok(units(census, grid, AdminLevel::Township)?.units)
}

/// The units of `level` of the census database (`admin_units` rows whose `level`
/// field is the level's id, or, where the field is empty, whose code has the level's
/// length) with their exact cell coverage on `grid` ([`Unit::new`]), sorted by code.
/// Units with a polygon geometry are returned in [`Units::units`]; point-only units
/// (village seats) in [`Units::without_polygon`]. A village's parent is its
/// `parent_code`, else the first 9 digits of its code.
pub fn units(census: &Census, grid: &GridSpec, level: AdminLevel) -> Result<Units, EngineError> {
    let mut out = Units::default();
    for f in census.query("admin_units", &Query::default())? {
        let code = f.text("code");
        let l = f.text("level");
        if l != level.id() && !(l.is_empty() && code.len() == level.code_len()) {
            continue;
        }
        let mp = match &f.geometry {
            Some(geo_types::Geometry::Polygon(p)) => geo_types::MultiPolygon(vec![p.clone()]),
            Some(geo_types::Geometry::MultiPolygon(m)) => m.clone(),
            _ => {
                out.without_polygon.push(code);
                continue;
            }
        };
        let parent = match level {
            AdminLevel::Township => String::new(),
            AdminLevel::Village => {
                let p = f.text("parent_code");
                if p.is_empty() {
                    code.get(..9).unwrap_or("").to_string()
                } else {
                    p
                }
            }
        };
        let unit = Unit::new(code.clone(), f.text("name"), parent, mp, grid)
            .map_err(|source| EngineError::UnitCoverage { code, source })?;
        out.units.push(unit);
    }
    out.units.sort_by(|a, b| a.code.cmp(&b.code));
    out.without_polygon.sort();
    Ok(out)
}

/// The attributes of an admin unit (`admin_units`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitAttributes {
    /// Name.
    pub name: String,
    /// `level` field (`county`, `township`, `village`; may be empty).
    pub level: String,
    /// Resident population, persons.
    pub population: Option<f64>,
    /// GDP, 万元 (census base year).
    pub gdp_wan: Option<f64>,
}

/// Every unit of `admin_units` by code, with its name, level, population and GDP
/// (none for a census without the table).
pub fn attributes(census: &Census) -> Result<BTreeMap<String, UnitAttributes>, EngineError> {
    let mut out = BTreeMap::new();
    for f in census.query("admin_units", &Query::default())? {
        out.insert(
            f.text("code"),
            UnitAttributes {
                name: f.text("name"),
                level: f.text("level"),
                population: f.number("population"),
                gdp_wan: f.number("gdp_wan"),
            },
        );
    }
    Ok(out)
}

/// The census's townships with their exact cell coverage and each cell's township
/// (the one covering most of it), computed once per run and shared by the stages
/// that work per township ([`run_townships`]).
#[derive(Debug, Default)]
pub struct Townships {
    /// Townships with a polygon, sorted by code (empty for a census without them),
    /// without their cell lists ([`Townships::owner`] holds the cells).
    pub units: Vec<Unit>,
    /// Row-major: 0 for a cell no township covers, k for `units[k − 1]`.
    pub owner: Vec<usize>,
}

impl Townships {
    /// The cells inside a township, or `None` for a census without township
    /// polygons (every cell counts).
    pub fn mask(&self) -> Option<Vec<bool>> {
        (!self.units.is_empty()).then(|| self.owner.iter().map(|&o| o > 0).collect())
    }
}

/// The townships of the run's census: computed on first use and published in the
/// context, so later stages reuse them instead of covering the polygons again.
pub fn run_townships(
    cx: &mut crate::stage::Context<'_>,
) -> Result<std::sync::Arc<Townships>, EngineError> {
    if let Some(t) = cx.published::<std::sync::Arc<Townships>>().next() {
        return Ok(t.clone());
    }
    let grid = &cx.census.grid;
    let db = cx.census.dir.join(riskcensus_contracts::layout::CENSUS_DB);
    let mut units = if db.exists() {
        townships(&Census::open(&cx.census.dir)?, grid)?
    } else {
        Vec::new()
    };
    let owner = riskcensus_zoning::units::cell_owner(&units, (grid.rows, grid.cols))
        .iter()
        .map(|&o| o.max(0) as usize)
        .collect();
    // The owner holds the cells: the per-unit coverage lists (a grid's worth of
    // entries) are not kept for the rest of the run.
    for u in &mut units {
        u.cells = Vec::new();
    }
    let t = std::sync::Arc::new(Townships { units, owner });
    cx.publish(t.clone());
    Ok(t)
}
