//! Admin-unit statistics of level grids: per township and per village, the
//! area-weighted share of each level, the mean and maximum score, the population,
//! buildings, building value and hidden-danger points per level, and the unit's own
//! level.
//!
//! - **Area weighting.** Each cell counts with the exact fraction of it the unit's
//!   polygon covers (exactextract's rule, [`crate::coverage`]), so a unit's level
//!   areas sum to its polygon area inside the grid, and units that tile a parent (the
//!   villages of a township) sum to the parent's. Score mean = Σ f·v / Σ f over valid
//!   cells; max over cells with f > 0. Nodata cells (level 0, score NaN) are left out
//!   of every sum.
//! - **Population** (persons per cell) is split the same way: Σ f·p per level.
//! - **Buildings and hidden-danger points** are records, each carrying its unit's
//!   code; a record counts in its unit at the level of the cell it stands on (a record
//!   on a nodata cell, or off the grid, counts under level 0, "unclassified").
//! - **Unit level rule.** A unit takes the highest level *l* (1 = highest) whose
//!   cumulative area share (levels 1..=l) reaches [`UNIT_LEVEL_SHARE`] = 20 %: the
//!   level that at least a fifth of the unit is at or above. A township a fifth of
//!   which is level I or II is a level-II township even when most of it is low — the
//!   reading a prevention plan needs. The rule and its threshold are written into
//!   every row.
//!
//! Grids are `(row, col)` on one [`GridSpec`] (row 0 north); sums run row-major in
//! f64, so results do not depend on threads.

use std::collections::BTreeMap;

use geo_types::MultiPolygon;
use ndarray::Array2;
use riskcensus_core::{GridSpec, LevelScheme};
use serde::Serialize;

use crate::coverage::{bbox_window, coverage, Rings};
use crate::error::ZoningError;

/// The cumulative area share that sets a unit's level.
pub const UNIT_LEVEL_SHARE: f64 = 0.2;

/// An admin unit (township or village): code, name, parent and its cells with their
/// covered fractions.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The unit's code (GB/T 2260 style: 9 digits for a township, 12 for a village).
    pub code: String,
    /// The unit's name.
    pub name: String,
    /// The parent unit's code (a village's township); empty for a township.
    pub parent: String,
    /// Polygon area inside the grid, m² (Σ fractions × cell area).
    pub area_m2: f64,
    /// (row, col, covered fraction), row-major.
    pub cells: Vec<(usize, usize, f64)>,
    /// The unit's polygon, in the grid's CRS.
    pub geometry: MultiPolygon<f64>,
}

impl Unit {
    /// A unit with its exact cell coverage on `grid` ([`crate::coverage::coverage`]).
    /// A unit outside the grid has no cells and area 0, so it does not vanish from
    /// the tables.
    ///
    /// # Errors
    /// [`ZoningError::BadCoordinate`] for a vertex that is not finite.
    pub fn new(
        code: String,
        name: String,
        parent: String,
        geometry: MultiPolygon<f64>,
        grid: &GridSpec,
    ) -> Result<Self, ZoningError> {
        let rings = Rings::from(&geometry);
        rings.validate()?;
        let cells: Vec<(usize, usize, f64)> = match bbox_window(&rings, grid) {
            Some(w) => coverage(&rings, grid, w)?.cells().collect(),
            None => Vec::new(),
        };
        let area_m2 = cells.iter().map(|c| c.2).sum::<f64>() * grid.cell_area();
        Ok(Unit {
            code,
            name,
            parent,
            area_m2,
            cells,
            geometry,
        })
    }
}

/// Point records (buildings, hidden-danger points) grouped by unit code. Each record
/// keeps its cell (None off the grid) and a value (e.g. a building's value in 万元;
/// 0 when the records carry none), in the order given within its unit.
#[derive(Debug, Clone, Default)]
pub struct Records {
    by_unit: BTreeMap<String, Vec<Record>>,
}

/// A record's cell (None off the grid) and value.
type Record = (Option<(usize, usize)>, f64);

impl Records {
    /// Records from (unit code, cell, value) items.
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

/// One unit's statistics for one level grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitStats {
    /// The unit's code.
    pub unit_code: String,
    /// The unit's name.
    pub unit_name: String,
    /// The level grid's layer id (e.g. `flood_risk`).
    pub layer: String,
    /// The level scheme's id (`risk5`, `geohazard4`, `prevention3`).
    pub scheme: String,
    /// The unit's polygon area inside the grid, km².
    pub area_km2: f64,
    /// Area-weighted mean of the score (None when no valid cell).
    pub score_mean: Option<f64>,
    /// Maximum of the score over the unit's cells (None when no valid cell).
    pub score_max: Option<f64>,
    /// Area per level code 1..=K, km².
    pub area_km2_by_level: Vec<f64>,
    /// Share of the classified area per level.
    pub share_by_level: Vec<f64>,
    /// Population per level, persons.
    pub population_by_level: Vec<f64>,
    /// Buildings per level.
    pub buildings_by_level: Vec<f64>,
    /// Building value per level, 万元.
    pub value_wan_by_level: Vec<f64>,
    /// Hidden-danger points per level.
    pub hidden_dangers_by_level: Vec<f64>,
    /// Buildings on unclassified (nodata) cells.
    pub buildings_unclassified: f64,
    /// Hidden-danger points on unclassified (nodata) cells.
    pub hidden_dangers_unclassified: f64,
    /// The unit's level by the cumulative-share rule (0 when nothing is classified).
    pub unit_level: u8,
    /// The rule, in words.
    pub unit_level_rule: String,
}

/// The level grid [`unit_stats`] summarises.
pub struct LevelInput<'a> {
    /// The grid's layer id.
    pub layer: &'a str,
    /// Its level scheme.
    pub scheme: LevelScheme,
    /// Level codes (0 = nodata), the grid's shape.
    pub levels: &'a Array2<u8>,
    /// The score the levels classify (NaN nodata), when there is one.
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

/// Statistics of one level grid for every unit, in unit order. `population`
/// (persons per cell, NaN nodata), `buildings` (valued by 万元) and `dangers` are
/// split by level as the module doc says.
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
            let cells = CellSums::of(u, input, population, k);
            let classified: f64 = cells.area.iter().sum();
            let share: Vec<f64> = cells
                .area
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
                score_mean: (cells.sf > 0.0).then(|| cells.svf / cells.sf),
                score_max: (cells.sf > 0.0).then_some(cells.max),
                area_km2_by_level: cells.area.iter().map(|a| a * cell_km2).collect(),
                unit_level: unit_level(&share),
                share_by_level: share,
                population_by_level: cells.pop,
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

/// The sums over one unit's cells: covered area (cells) and population per level,
/// and Σ f, Σ f·v and max of the score.
struct CellSums {
    area: Vec<f64>,
    pop: Vec<f64>,
    sf: f64,
    svf: f64,
    max: f64,
}

impl CellSums {
    fn of(u: &Unit, input: &LevelInput<'_>, population: Option<&Array2<f32>>, k: usize) -> Self {
        let mut s = CellSums {
            area: vec![0.0f64; k],
            pop: vec![0.0f64; k],
            sf: 0.0,
            svf: 0.0,
            max: f64::NEG_INFINITY,
        };
        for &(r, c, f) in &u.cells {
            let l = input.levels[(r, c)] as usize;
            if (1..=k).contains(&l) {
                s.area[l - 1] += f;
                if let Some(p) = population {
                    let v = p[(r, c)];
                    if v.is_finite() {
                        s.pop[l - 1] += f * v as f64;
                    }
                }
            }
            if let Some(score) = input.score {
                let v = score[(r, c)];
                if v.is_finite() {
                    s.sf += f;
                    s.svf += f * v as f64;
                    s.max = s.max.max(v as f64);
                }
            }
        }
        s
    }
}

/// Area-weighted mean of `layer` per unit (Σ f·v / Σ f over valid cells; NaN
/// without a layer or a valid cell), in unit order.
pub fn mean_per_unit(units: &[Unit], layer: Option<&Array2<f32>>) -> Vec<f64> {
    units
        .iter()
        .map(|u| {
            let Some(c) = layer else {
                return f64::NAN;
            };
            let (mut sf, mut sv) = (0.0, 0.0);
            for &(r, cc, f) in &u.cells {
                let v = c[(r, cc)];
                if v.is_finite() {
                    sf += f;
                    sv += f * v as f64;
                }
            }
            if sf > 0.0 {
                sv / sf
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// Each cell's unit: 1 + the index in `units` of the unit covering most of the cell
/// (ties: the earlier unit), 0 for a cell no unit covers. `shape` is the grid's
/// (rows, cols).
pub fn cell_owner(units: &[Unit], shape: (usize, usize)) -> Array2<i32> {
    let mut owner = Array2::<i32>::zeros(shape);
    let mut best = Array2::<f64>::zeros(shape);
    for (i, u) in units.iter().enumerate() {
        for &(r, c, f) in &u.cells {
            if f > best[(r, c)] {
                best[(r, c)] = f;
                owner[(r, c)] = i as i32 + 1;
            }
        }
    }
    owner
}

/// Region codes of a level grid cut by units: `owner · 16 + level` where the cell
/// has a level and an owner ([`cell_owner`]), else 0. Polygonizing the codes gives
/// one region per connected patch of one level in one unit ([`zone_of_code`]).
/// Levels are at most 15.
pub fn zone_codes(levels: &Array2<u8>, owner: &Array2<i32>) -> Array2<i32> {
    Array2::from_shape_fn(levels.dim(), |c| {
        let l = levels[c] as i32;
        if l == 0 || owner[c] == 0 {
            0
        } else {
            owner[c] * 16 + l
        }
    })
}

/// (index in the units, level) of a region code of [`zone_codes`] (code > 0).
pub fn zone_of_code(code: i32) -> (usize, u8) {
    ((code / 16 - 1) as usize, (code % 16) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str, cells: Vec<(usize, usize, f64)>) -> Unit {
        Unit {
            code: code.into(),
            name: "甲镇".into(),
            area_m2: 0.0,
            cells,
            parent: String::new(),
            geometry: MultiPolygon(vec![]),
        }
    }

    fn polygon(exterior: &[(f64, f64)]) -> geo_types::Polygon<f64> {
        geo_types::Polygon::new(exterior.to_vec().into(), vec![])
    }

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
        let mut u = unit(
            "370999001",
            vec![(0, 0, 1.0), (0, 1, 0.5), (1, 0, 1.0), (1, 1, 0.5)],
        );
        u.area_m2 = 30_000.0;
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
                scheme: LevelScheme {
                    id: "risk5".into(),
                    ..LevelScheme::generic(5)
                },
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

    #[test]
    fn unit_coverage_of_a_square_by_hand() {
        // 2 × 2 grid of 100 m cells (x 0–200, y 0–200); the square x 50–150, y 100–200
        // covers half of each northern cell: 2 × 0.5 cells = 10 000 m².
        let grid = GridSpec::new("EPSG:4548", 0.0, 200.0, 100.0, 2, 2).unwrap();
        let square = [(50.0, 100.0), (150.0, 100.0), (150.0, 200.0), (50.0, 200.0)];
        let u = Unit::new(
            "370999001".into(),
            "甲镇".into(),
            String::new(),
            MultiPolygon(vec![polygon(&square)]),
            &grid,
        )
        .unwrap();
        assert_eq!(u.cells, vec![(0, 0, 0.5), (0, 1, 0.5)]);
        assert_eq!(u.area_m2, 10_000.0);
        let bad = polygon(&[(50.0, 100.0), (f64::NAN, 100.0), (150.0, 200.0)]);
        let e = Unit::new(
            "x".into(),
            String::new(),
            String::new(),
            MultiPolygon(vec![bad]),
            &grid,
        )
        .unwrap_err();
        assert!(matches!(e, ZoningError::BadCoordinate { .. }), "{e}");
    }

    #[test]
    fn owners_means_and_zone_codes() {
        // Cell (0, 0): A covers 0.6, B 0.4 → A. Cell (0, 1): both 0.5 → A (the
        // earlier). Cell (1, 1): only B. Cell (1, 0): nobody.
        let a = unit("A", vec![(0, 0, 0.6), (0, 1, 0.5)]);
        let b = unit("B", vec![(0, 0, 0.4), (0, 1, 0.5), (1, 1, 1.0)]);
        let owner = cell_owner(&[a.clone(), b.clone()], (2, 2));
        assert_eq!(owner, ndarray::arr2(&[[1, 1], [0, 2]]));
        // Mean of [[1, 3], [., NaN]] over A: (0.6·1 + 0.5·3) / 1.1; B: NaN cell left
        // out → (0.4·1 + 0.5·3) / 0.9.
        let v = ndarray::arr2(&[[1.0f32, 3.0], [9.0, f32::NAN]]);
        let m = mean_per_unit(&[a, b.clone()], Some(&v));
        assert!((m[0] - 2.1 / 1.1).abs() < 1e-12 && (m[1] - 1.9 / 0.9).abs() < 1e-12);
        assert!(mean_per_unit(&[b], None)[0].is_nan());
        let levels = ndarray::arr2(&[[3u8, 0], [2, 5]]);
        let codes = zone_codes(&levels, &owner);
        assert_eq!(codes, ndarray::arr2(&[[19, 0], [0, 37]]));
        assert_eq!(zone_of_code(19), (0, 3));
        assert_eq!(zone_of_code(37), (1, 5));
    }
}
