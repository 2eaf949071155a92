//! The hazard-specific unit indicators of prevention zoning
//! ([`riskcensus_zoning::prevention::HAZARD_INDICATORS`]): what the zoning stage
//! hands each hazard ([`IndicatorSources`]: the units with their cell coverage, the
//! layer stack, the census database, what earlier stages published) and the
//! dispatch to the hazard's own function in its stage folder
//! (`stages/<hazard>/prevention.rs`). The comprehensive risk's indicator (hazards
//! at level I–II) is the zoning stage's own, from the other risk grids' unit levels.
//!
//! Sums over a unit weight each cell by the unit's covered fraction of it (the
//! exact coverage the unit statistics use); point records count in the township and
//! village whose codes ingest gave them, and test the cell they stand on.

use std::collections::BTreeMap;

use ndarray::Array2;
use riskcensus_core::GridSpec;
use riskcensus_io::gpkg::DbFeature;
use riskcensus_io::RasterReader;
use riskcensus_zoning::counts::UnitCounts;
use riskcensus_zoning::prevention::UnitValues;
use riskcensus_zoning::units::Unit;

use crate::admin::AdminLevel;
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::stack::LayerStack;
use crate::stages::zoning::units::PointRecords;

/// What a hazard's indicator function reads.
pub struct IndicatorSources<'a> {
    /// The census grid.
    pub grid: &'a GridSpec,
    /// The run's layer stack.
    pub stack: &'a LayerStack,
    /// The census database.
    pub db: &'a Census,
    /// The townships and then the villages, each with its cell coverage.
    pub units: Vec<&'a Unit>,
    /// The population grid (persons per cell), when the stack has one.
    pub population: Option<&'a Array2<f32>>,
    /// Records per class per township that earlier stages published.
    pub counts: &'a [&'a UnitCounts],
    /// The surveyed buildings with their units and cells, as the zoning stage read
    /// them.
    pub buildings: &'a PointRecords,
}

impl IndicatorSources<'_> {
    /// The whole grid of the stack's layer `id`, if the stack has it.
    pub fn layer(&self, id: &str) -> Result<Option<Array2<f32>>, EngineError> {
        match self.stack.get(id) {
            Some(l) => Ok(Some(
                RasterReader::open(&l.path, 1)?.read_f32(self.grid.full_window())?,
            )),
            None => Ok(None),
        }
    }

    /// Σ covered fraction × `f(row, col)` over each unit's cells (`f` NaN counts 0),
    /// by unit code.
    pub fn sum(&self, f: impl Fn(usize, usize) -> f64) -> BTreeMap<String, f64> {
        self.units
            .iter()
            .map(|u| {
                let s: f64 = u
                    .cells
                    .iter()
                    .map(|&(r, c, w)| {
                        let x = f(r, c);
                        if x.is_nan() {
                            0.0
                        } else {
                            w * x
                        }
                    })
                    .sum();
                (u.code.clone(), s)
            })
            .collect()
    }

    /// Each unit's area inside the grid, km², by unit code.
    pub fn area_km2(&self) -> BTreeMap<String, f64> {
        self.units
            .iter()
            .map(|u| (u.code.clone(), u.area_m2 / 1.0e6))
            .collect()
    }

    /// The records of a census layer (empty when the census has none).
    pub fn records(&self, layer: &str) -> Result<Vec<DbFeature>, EngineError> {
        Ok(self.db.query(layer, &Query::default())?)
    }

    /// Σ `weight(record, cell)` over `records` in each unit (by the township and
    /// village codes ingest gave them; the cell is None off the grid or for a
    /// record without a point), by unit code; every unit present, 0 without records.
    pub fn per_unit(
        &self,
        records: &[DbFeature],
        weight: impl Fn(&DbFeature, Option<(usize, usize)>) -> f64,
    ) -> BTreeMap<String, f64> {
        let mut out: BTreeMap<String, f64> =
            self.units.iter().map(|u| (u.code.clone(), 0.0)).collect();
        for f in records {
            let cell = match &f.geometry {
                Some(geo_types::Geometry::Point(p)) => self.grid.cell_of(p.x(), p.y()),
                _ => None,
            };
            let w = weight(f, cell);
            if w == 0.0 {
                continue;
            }
            for level in [AdminLevel::Township, AdminLevel::Village] {
                if let Some(s) = out.get_mut(&f.text(level.record_field())) {
                    *s += w;
                }
            }
        }
        out
    }
}

/// Gathers indicator columns into [`UnitValues`].
#[derive(Debug, Default)]
pub struct ValuesBuilder(UnitValues);

impl ValuesBuilder {
    /// Add the indicator `name` with each unit's value.
    pub fn put(&mut self, name: &'static str, values: &BTreeMap<String, f64>) -> &mut Self {
        for (code, v) in values {
            self.0.entry(code.clone()).or_default().insert(name, *v);
        }
        self
    }

    /// The indicator `name`, NaN for every unit of `units` (the census cannot give
    /// it).
    pub fn missing(&mut self, name: &'static str, units: &[&Unit]) -> &mut Self {
        for u in units {
            self.0
                .entry(u.code.clone())
                .or_default()
                .insert(name, f64::NAN);
        }
        self
    }

    /// The values gathered.
    pub fn build(self) -> UnitValues {
        self.0
    }
}

/// `a / b` per unit code (NaN where `b` is 0 or absent).
pub fn ratio(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    a.iter()
        .map(|(k, x)| {
            let d = b.get(k).copied().unwrap_or(0.0);
            (k.clone(), if d > 0.0 { x / d } else { f64::NAN })
        })
        .collect()
}

/// The indicators of the hazard `hazard` for `src`'s units (empty for a hazard
/// without its own; the comprehensive risk's are the zoning stage's, see
/// [`hazards_top2`]).
pub fn hazard_indicators(
    hazard: &str,
    src: &IndicatorSources<'_>,
) -> Result<UnitValues, EngineError> {
    use crate::stages::{earthquake, flood, geohazard, wildfire};
    match hazard {
        flood::ID => flood::prevention::indicators(src),
        earthquake::ID => earthquake::prevention::indicators(src),
        geohazard::ID => geohazard::prevention::indicators(src),
        wildfire::ID => wildfire::prevention::indicators(src),
        _ => Ok(UnitValues::new()),
    }
}

/// The comprehensive indicator `hazards_top2`: per unit code, how many of the
/// single-hazard risk grids' unit levels (`levels`: one map per grid, code →
/// level, 0 unclassified) are I or II.
pub fn hazards_top2(levels: &[BTreeMap<String, u8>], units: &[&Unit]) -> UnitValues {
    let mut b = ValuesBuilder::default();
    let counts: BTreeMap<String, f64> = units
        .iter()
        .map(|u| {
            let n = levels
                .iter()
                .filter(|m| m.get(&u.code).is_some_and(|&l| (1..=2).contains(&l)))
                .count();
            (u.code.clone(), n as f64)
        })
        .collect();
    b.put("hazards_top2", &counts);
    b.build()
}
