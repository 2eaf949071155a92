//! Admin-unit statistics of level grids: per township and per village, the
//! area-weighted share of each level, the mean and maximum score, the population,
//! buildings, building value and hidden-danger points per level, and the unit's own
//! level.
//!
//! - **Area weighting.** Each cell counts with the exact fraction of it the unit's
//!   polygon covers (exactextract's rule, [`riskcensus_zoning::coverage`]), so a
//!   unit's level areas sum to its polygon area inside the grid, and units that tile
//!   a parent (the villages of a township) sum to the parent's. Score mean =
//!   Σ f·v / Σ f over valid cells; max over cells with f > 0. Nodata cells (level 0,
//!   score NaN) are left out of every sum.
//! - **Population** (persons per cell, the prepared `population` layer) is split the
//!   same way: Σ f·p per level.
//! - **Buildings and hidden-danger points** are records, each carrying its township
//!   and village codes (assigned at ingest by point in polygon); a record counts in its
//!   township (`township_code`) or village (`village_code`) at
//!   the level of the cell it stands on (a record on a nodata cell counts under level
//!   0, "unclassified").
//! - **Unit level rule.** A unit takes the highest level *l* (1 = highest) whose
//!   cumulative area share (levels 1..=l) reaches [`UNIT_LEVEL_SHARE`] = 20 %: the level
//!   that at least a fifth of the unit is at or above. A township a fifth of which is
//!   level I or II is a level-II township even when most of it is low — the reading
//!   a prevention plan needs. The rule and its threshold are written into every row.
//!
//! Units are the census database's `admin_units` of one level ([`AdminLevel`]:
//! townships, 9-digit codes; villages, 12-digit codes), polygons only, sorted by
//! code; sums run row-major in f64, so results do not depend on threads.

use std::collections::BTreeMap;

use ndarray::Array2;
use riskcensus_core::{GridSpec, LevelScheme};
use riskcensus_zoning::coverage::{bbox_window, coverage, Rings};
use serde::Serialize;

use crate::error::EngineError;
use crate::ingest::{Census, Query};

/// The cumulative area share that sets a unit's level.
pub const UNIT_LEVEL_SHARE: f64 = 0.2;

/// The admin level of a unit (the `level` field of the census `admin_units`, which
/// ingest fills from the code length when a source leaves it out: 9 digits =
/// township, 12 = village).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminLevel {
    Township,
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

/// An admin unit (township or village): code, name, parent and its cells with their
/// covered fractions.
#[derive(Debug, Clone)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// The parent unit's code: a village's township (the `parent_code` field, else
    /// the first 9 digits of its code); empty for a township.
    pub parent: String,
    /// Polygon area inside the grid, m² (Σ fractions × cell area).
    pub area_m2: f64,
    /// (row, col, fraction), row-major.
    pub cells: Vec<(usize, usize, f64)>,
    pub geometry: geo_types::MultiPolygon<f64>,
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

/// Point records with a position, grouped by township: buildings or hidden-danger
/// points. Each record keeps its cell (None outside the grid) and a value (e.g. the
/// building's `value_wan`; 0 when the layer has no value field or the record none),
/// in database order within its township.
#[derive(Debug, Clone, Default)]
pub struct Records {
    by_unit: BTreeMap<String, Vec<(Option<(usize, usize)>, f64)>>,
}

impl Records {
    /// Records from (township code, cell, value) items.
    pub fn from_items(
        items: impl IntoIterator<Item = (String, Option<(usize, usize)>, f64)>,
    ) -> Self {
        let mut r = Records::default();
        for (code, cell, v) in items {
            r.by_unit.entry(code).or_default().push((cell, v));
        }
        r
    }

    /// Per level (index 0 = level 1) of the unit's records: (count, Σ value), and the
    /// count and value of those on unclassified cells.
    fn by_level(&self, unit: &str, levels: &Array2<u8>, k: usize) -> LevelSums {
        let mut s = LevelSums {
            count: vec![0.0; k],
            value: vec![0.0; k],
            ..Default::default()
        };
        for (cell, v) in self.by_unit.get(unit).map(Vec::as_slice).unwrap_or(&[]) {
            match cell.map(|c| levels[c] as usize) {
                Some(l) if (1..=k).contains(&l) => {
                    s.count[l - 1] += 1.0;
                    s.value[l - 1] += v;
                }
                _ => {
                    s.unclassified_count += 1.0;
                    s.unclassified_value += v;
                }
            }
        }
        s
    }
}

#[derive(Debug, Default)]
struct LevelSums {
    count: Vec<f64>,
    value: Vec<f64>,
    unclassified_count: f64,
    unclassified_value: f64,
}

/// The townships of the census database with their exact cell coverage on `grid`.
pub fn townships(census: &Census, grid: &GridSpec) -> Result<Vec<Unit>, EngineError> {
    Ok(units(census, grid, AdminLevel::Township)?.units)
}

/// The units of `level` of the census database (`admin_units` rows whose `level`
/// field is the level's id, or, where the field is empty, whose code has the level's
/// length) with their exact cell coverage on `grid`, sorted by code. Units with a
/// polygon geometry are returned in [`Units::units`]; point-only units (village
/// seats) in [`Units::without_polygon`]. A unit outside the grid keeps its row with
/// no cells and area 0, so it does not vanish from the tables.
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
        let rings = Rings::from(&mp);
        let cells: Vec<(usize, usize, f64)> = match bbox_window(&rings, grid) {
            Some(w) => coverage(&rings, grid, w)
                .map_err(|e| EngineError::Layer {
                    layer: format!("admin_units {code}"),
                    msg: e.to_string(),
                })?
                .cells()
                .collect(),
            None => Vec::new(),
        };
        let area_m2 = cells.iter().map(|c| c.2).sum::<f64>() * grid.cell_area();
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
        out.units.push(Unit {
            code,
            name: f.text("name"),
            parent,
            area_m2,
            cells,
            geometry: mp,
        });
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
    items: Vec<(String, String, Option<(usize, usize)>, f64)>,
}

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

/// One unit's statistics for one level grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitStats {
    pub unit_code: String,
    pub unit_name: String,
    /// The level grid's layer id (e.g. `flood_risk`).
    pub layer: String,
    pub scheme: String,
    pub area_km2: f64,
    /// Area-weighted mean and max of the score (None when no valid cell).
    pub score_mean: Option<f64>,
    pub score_max: Option<f64>,
    /// Per level code 1..=K: area km², share of the classified area, population,
    /// buildings, building value 万元, hidden-danger points.
    pub area_km2_by_level: Vec<f64>,
    pub share_by_level: Vec<f64>,
    pub population_by_level: Vec<f64>,
    pub buildings_by_level: Vec<f64>,
    pub value_wan_by_level: Vec<f64>,
    pub hidden_dangers_by_level: Vec<f64>,
    /// Records on unclassified (nodata) cells.
    pub buildings_unclassified: f64,
    pub hidden_dangers_unclassified: f64,
    /// The unit's level by the rule below (0 when nothing is classified).
    pub unit_level: u8,
    pub unit_level_rule: String,
}

/// The inputs of [`unit_stats`] for one level grid.
pub struct LevelInput<'a> {
    pub layer: &'a str,
    pub scheme: LevelScheme,
    pub levels: &'a Array2<u8>,
    pub score: Option<&'a Array2<f32>>,
}

/// The unit level of a share vector (index 0 = level 1) by the cumulative rule.
pub fn unit_level(shares: &[f64]) -> u8 {
    let mut cum = 0.0;
    for (i, s) in shares.iter().enumerate() {
        cum += s;
        if cum >= UNIT_LEVEL_SHARE - 1e-12 {
            return (i + 1) as u8;
        }
    }
    0
}

/// Statistics of one level grid for every unit.
pub fn unit_stats(
    grid: &GridSpec,
    units: &[Unit],
    input: &LevelInput<'_>,
    population: Option<&Array2<f32>>,
    buildings: &Records,
    dangers: &Records,
) -> Vec<UnitStats> {
    let k = input.scheme.count();
    let cell_km2 = grid.cell_area() / 1.0e6;
    units
        .iter()
        .map(|u| {
            let mut area = vec![0.0f64; k];
            let mut pop = vec![0.0f64; k];
            let (mut sf, mut svf, mut max) = (0.0f64, 0.0f64, f64::NEG_INFINITY);
            for &(r, c, f) in &u.cells {
                let l = input.levels[(r, c)] as usize;
                if (1..=k).contains(&l) {
                    area[l - 1] += f;
                    if let Some(p) = population {
                        let v = p[(r, c)];
                        if v.is_finite() {
                            pop[l - 1] += f * v as f64;
                        }
                    }
                }
                if let Some(s) = input.score {
                    let v = s[(r, c)];
                    if v.is_finite() {
                        sf += f;
                        svf += f * v as f64;
                        max = max.max(v as f64);
                    }
                }
            }
            let classified: f64 = area.iter().sum();
            let share: Vec<f64> = area
                .iter()
                .map(|a| {
                    if classified > 0.0 {
                        a / classified
                    } else {
                        0.0
                    }
                })
                .collect();
            let b = buildings.by_level(&u.code, input.levels, k);
            let h = dangers.by_level(&u.code, input.levels, k);
            UnitStats {
                unit_code: u.code.clone(),
                unit_name: u.name.clone(),
                layer: input.layer.to_string(),
                scheme: input.scheme.id().to_string(),
                area_km2: u.area_m2 / 1.0e6,
                score_mean: (sf > 0.0).then(|| svf / sf),
                score_max: (sf > 0.0).then_some(max),
                area_km2_by_level: area.iter().map(|a| a * cell_km2).collect(),
                unit_level: unit_level(&share),
                share_by_level: share,
                population_by_level: pop,
                buildings_by_level: b.count,
                value_wan_by_level: b.value,
                hidden_dangers_by_level: h.count,
                buildings_unclassified: b.unclassified_count,
                hidden_dangers_unclassified: h.unclassified_count,
                unit_level_rule: format!(
                    "highest level whose cumulative area share reaches {:.0}%",
                    UNIT_LEVEL_SHARE * 100.0
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_level_rule_by_hand() {
        // 10 % I + 15 % II reaches 20 % at II.
        assert_eq!(unit_level(&[0.10, 0.15, 0.25, 0.25, 0.25]), 2);
        assert_eq!(unit_level(&[0.25, 0.0, 0.0, 0.0, 0.75]), 1);
        assert_eq!(unit_level(&[0.0, 0.0, 0.0, 0.1, 0.9]), 5);
        assert_eq!(unit_level(&[0.0; 4]), 0);
    }

    #[test]
    fn stats_on_a_half_covered_grid() {
        // 2 × 2 grid of 100 m cells; the unit covers the west column fully and the
        // east column by half. Levels: [[1, 2], [3, 0]]; scores [[0.9, 0.6], [0.3, NaN]].
        let grid = GridSpec::new("EPSG:4548", 0.0, 200.0, 100.0, 2, 2).unwrap();
        let u = Unit {
            code: "370999001".into(),
            name: "甲镇".into(),
            area_m2: 30_000.0,
            cells: vec![(0, 0, 1.0), (0, 1, 0.5), (1, 0, 1.0), (1, 1, 0.5)],
            parent: String::new(),
            geometry: geo_types::MultiPolygon(vec![]),
        };
        let levels = ndarray::arr2(&[[1u8, 2], [3, 0]]);
        let score = ndarray::arr2(&[[0.9f32, 0.6], [0.3, f32::NAN]]);
        let pop = ndarray::arr2(&[[100.0f32, 40.0], [10.0, 7.0]]);
        let b = Records::from_items([
            ("370999001".into(), Some((0, 0)), 1.0),
            ("370999001".into(), Some((1, 1)), 1.0),
            ("370999002".into(), Some((0, 0)), 1.0),
        ]);
        let s = unit_stats(
            &grid,
            &[u],
            &LevelInput {
                layer: "flood_risk",
                scheme: LevelScheme::Risk,
                levels: &levels,
                score: Some(&score),
            },
            Some(&pop),
            &b,
            &Records::default(),
        );
        let s = &s[0];
        // Classified area 1 + 0.5 + 1 = 2.5 cells = 0.025 km².
        assert_eq!(s.area_km2_by_level[..3], [0.01, 0.005, 0.01]);
        assert_eq!(s.share_by_level[..3], [0.4, 0.2, 0.4]);
        assert_eq!(s.population_by_level[..3], [100.0, 20.0, 10.0]);
        // Mean = (0.9 + 0.5·0.6 + 0.3) / 2.5 = 0.6 (in f32 scores).
        let m = (0.9f32 as f64 + 0.5 * 0.6f32 as f64 + 0.3f32 as f64) / 2.5;
        assert_eq!(s.score_mean, Some(m));
        assert_eq!(s.score_max, Some(0.9f32 as f64));
        assert_eq!(s.buildings_by_level[0], 1.0);
        assert_eq!(s.buildings_unclassified, 1.0);
        assert_eq!(s.unit_level, 1);
    }
}
