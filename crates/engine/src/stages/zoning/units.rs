//! The admin units and point records of the census database, as the zoning stage
//! reads them. The statistics computed from them — level areas and shares, score
//! mean and max, population, buildings and hidden dangers per level, the unit level
//! rule — are [`riskcensus_zoning::units`].
//!
//! Units are the census database's `admin_units` of one level ([`AdminLevel`]:
//! townships, 9-digit codes; villages, 12-digit codes), polygons only, sorted by
//! code, each with its exact cell coverage on the census grid. Buildings and
//! hidden-danger points are records carrying their township and village codes
//! (assigned at ingest by point in polygon); each counts in its unit at the level of
//! the cell it stands on.

use riskcensus_core::GridSpec;
use serde::Serialize;

use crate::error::EngineError;
use crate::ingest::{Census, Query};

pub use riskcensus_zoning::units::{
    unit_level, unit_stats, LevelInput, Records, Unit, UnitStats, UNIT_LEVEL_SHARE,
};

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

/// Point records of a census layer with their township and cell (one query);
/// `value_field` gives each record its value (e.g. `value_wan`).
pub fn records(
    census: &Census,
    grid: &GridSpec,
    layer: &str,
    value_field: Option<&str>,
) -> Result<Records, EngineError> {
    Ok(PointRecords::load(census, grid, layer, value_field)?.by(AdminLevel::Township))
}

/// Point records of a census layer with their township and village codes (assigned
/// at ingest; empty when none), cell and value, in database order.
#[derive(Debug, Clone, Default)]
pub struct PointRecords {
    /// (township code, village code, cell, value).
    items: Vec<(String, String, Cell, f64)>,
}

/// A record's cell on the grid (None off the grid).
type Cell = Option<(usize, usize)>;

impl PointRecords {
    /// Read `layer` once; `value_field` gives each record its value (0 without).
    pub fn load(
        census: &Census,
        grid: &GridSpec,
        layer: &str,
        value_field: Option<&str>,
    ) -> Result<Self, EngineError> {
        let feats = census.query(layer, &Query::default())?;
        Ok(PointRecords {
            items: feats
                .iter()
                .map(|f| {
                    let cell = match &f.geometry {
                        Some(geo_types::Geometry::Point(p)) => grid.cell_of(p.x(), p.y()),
                        _ => None,
                    };
                    (
                        f.text(AdminLevel::Township.record_field()),
                        f.text(AdminLevel::Village.record_field()),
                        cell,
                        value_field.and_then(|k| f.number(k)).unwrap_or(0.0),
                    )
                })
                .collect(),
        })
    }

    /// The records grouped by their unit at `level`.
    pub fn by(&self, level: AdminLevel) -> Records {
        Records::from_items(self.items.iter().map(|(t, v, cell, x)| {
            let code = match level {
                AdminLevel::Township => t,
                AdminLevel::Village => v,
            };
            (code.clone(), *cell, *x)
        }))
    }

    /// How many records lie in one of `townships` but carry a village code that is
    /// none of `villages` (both sorted): they count in their township's rows and in
    /// no village's.
    pub fn in_township_without_village(&self, townships: &[&str], villages: &[&str]) -> usize {
        self.items
            .iter()
            .filter(|(t, v, _, _)| {
                townships.binary_search(&t.as_str()).is_ok()
                    && villages.binary_search(&v.as_str()).is_err()
            })
            .count()
    }
}
