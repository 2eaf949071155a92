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

use crate::error::EngineError;
use crate::ingest::{Census, Query};

pub use crate::admin::{townships, units, AdminLevel, Units};
pub use riskcensus_zoning::units::{
    unit_level, unit_stats, LevelInput, Records, Unit, UnitStats, UNIT_LEVEL_SHARE,
};

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

    /// Σ `weight(cell)` over the records in each unit of `codes` (by the township
    /// and village codes ingest gave them; the cell None off the grid), by unit
    /// code; every code present, 0 without records.
    pub fn per_unit(
        &self,
        codes: impl IntoIterator<Item = String>,
        weight: impl Fn(Cell) -> f64,
    ) -> std::collections::BTreeMap<String, f64> {
        let mut out: std::collections::BTreeMap<String, f64> =
            codes.into_iter().map(|c| (c, 0.0)).collect();
        for (t, v, cell, _) in &self.items {
            let w = weight(*cell);
            if w == 0.0 {
                continue;
            }
            for code in [t, v] {
                if let Some(s) = out.get_mut(code) {
                    *s += w;
                }
            }
        }
        out
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
