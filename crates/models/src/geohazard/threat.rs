//! What the hidden-danger points threaten (险情): the danger grade of each point, the
//! monitoring capacity of the point, and per-cell grids of the people and property
//! threatened spread over each point's threat zone.
//!
//! **Danger grade** (地质灾害险情分级) after the State Council's 国家突发地质灾害应急预案
//! (National Contingency Plan for Sudden Geological Disasters, 国务院办公厅 2006-01-13,
//! "突发地质灾害灾情和险情分级"): a danger threatening
//!
//! | grade | code | people to be relocated (需搬迁转移人数) | potential loss (潜在经济损失) |
//! |---|---|---|---|
//! | 特大型 huge | 1 | ≥ 1000 | ≥ 1 亿元 = 10 000 万元 |
//! | 大型 large | 2 | 500 – < 1000 | 5000 万元 – < 1 亿元 |
//! | 中型 medium | 3 | 100 – < 500 | 500 万元 – < 5000 万元 |
//! | 小型 small | 4 | < 100 | < 500 万元 |
//!
//! The plan joins the two criteria with "or", so a point takes the more severe of its
//! people class and its property class; "以上" includes the bound (the usual reading
//! of Chinese regulations). The census field `threat_pop` (威胁人数, persons) stands for
//! the people to be relocated and `threat_value_wan` (威胁财产, 万元) for the potential
//! loss. A point threatening nobody and nothing (both 0 or missing) has no grade (0).
//!
//! **Threat zone**: a disc of radius r around the point, r by the point's scale
//! (规模等级) from `[threat.radius_m]` of `models/geohazard.toml` (a stated RiskCensus
//! convention: the runout of a slope failure grows with its volume, Corominas 1996,
//! but the census records no fall height to compute a reach angle). The zone's cells
//! are those whose centre lies within r (cell-centre rule); when no centre does (r
//! below half a cell), the point's own cell. The point's people and property are
//! spread evenly over its zone's cells, so the grids conserve the inventory totals
//! (Σ cells × cell area = Σ points).
//!
//! **Point capacity**: the monitoring of the point (监测: 专业监测 professional, 群测群防
//! mass monitoring by trained residents, 未监测 none) as an index in [0, 1] from
//! `[threat.monitoring]`; in a cell covered by several zones, the mean of their
//! capacities weighted by the people each spreads into the cell (unweighted when
//! nobody is threatened there). NaN where no zone reaches.
//!
//! Units: persons per km², 万元 per km² (cell area = cell_size² / 10⁶). Grids are
//! row-major on the census grid; points are given as fractional cell positions
//! (col, row) from the top-left corner, as `sampling` takes them.

use serde::Serialize;

/// Danger grade code of a point (1 特大型 … 4 小型, 0 = nothing threatened), from the
/// people (persons) and the property (万元) it threatens; see the module docs.
pub fn danger_grade(people: f64, property_wan: f64) -> u8 {
    let by_people = if people >= 1000.0 {
        1
    } else if people >= 500.0 {
        2
    } else if people >= 100.0 {
        3
    } else {
        4
    };
    let by_property = if property_wan >= 10_000.0 {
        1
    } else if property_wan >= 5_000.0 {
        2
    } else if property_wan >= 500.0 {
        3
    } else {
        4
    };
    if people <= 0.0 && property_wan <= 0.0 {
        0
    } else {
        by_people.min(by_property)
    }
}

/// Chinese and English names of a danger grade code.
pub fn grade_name(code: u8) -> &'static str {
    match code {
        1 => "特大型 huge",
        2 => "大型 large",
        3 => "中型 medium",
        4 => "小型 small",
        _ => "无 none",
    }
}

/// One hidden-danger point as the threat grids need it.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatPoint {
    /// Fractional cell position (col, row) from the grid's top-left corner.
    pub col: f64,
    /// Fractional row from the grid's top-left corner.
    pub row: f64,
    /// Threat-zone radius, metres.
    pub radius_m: f64,
    /// People threatened, persons (≥ 0).
    pub people: f64,
    /// Property threatened, 万元 (≥ 0).
    pub property_wan: f64,
    /// Monitoring capacity in [0, 1].
    pub capacity: f64,
}

/// The per-cell threat grids and, per point, its zone size and grade.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatGrids {
    /// People threatened, persons per km² (0 outside every zone).
    pub people_per_km2: Vec<f32>,
    /// Property threatened, 万元 per km² (0 outside every zone).
    pub property_per_km2: Vec<f32>,
    /// Most severe danger grade of the zones covering the cell (1 … 4, 0 = none).
    pub grade: Vec<u8>,
    /// People-weighted monitoring capacity of the covering zones (NaN = none).
    pub capacity: Vec<f32>,
    /// Per point: (cells in its zone, grade).
    pub points: Vec<PointZone>,
}

/// A point's zone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PointZone {
    /// Cells in the point's threat zone.
    pub cells: usize,
    /// Danger grade of the point (1 特大型 … 4 小型, 0 = nothing threatened).
    pub grade: u8,
}

/// Spread the points over their threat zones (see the module docs). Points are
/// visited in order and every per-cell sum runs in that order, so the result does not
/// depend on threads. Points outside the grid must be rejected before (their zone is
/// clipped to the grid; a zone with no cell inside is empty).
pub fn threat_grids(
    points: &[ThreatPoint],
    rows: usize,
    cols: usize,
    cell_size: f64,
) -> ThreatGrids {
    let n = rows * cols;
    let km2 = cell_size * cell_size / 1.0e6;
    let mut people = vec![0.0f64; n];
    let mut property = vec![0.0f64; n];
    let mut grade = vec![0u8; n];
    // Σ w·c and Σ w with w = people spread into the cell; Σ c and count for the
    // unweighted fallback.
    let mut wc = vec![0.0f64; n];
    let mut w = vec![0.0f64; n];
    let mut c_sum = vec![0.0f64; n];
    let mut c_n = vec![0u32; n];
    let mut zones = Vec::with_capacity(points.len());
    let mut cells: Vec<usize> = Vec::new();
    for p in points {
        zone_cells(p, rows, cols, cell_size, &mut cells);
        let g = danger_grade(p.people, p.property_wan);
        zones.push(PointZone {
            cells: cells.len(),
            grade: g,
        });
        if cells.is_empty() {
            continue;
        }
        let share = 1.0 / cells.len() as f64;
        let (pp, pv) = (p.people * share, p.property_wan * share);
        for &i in &cells {
            people[i] += pp;
            property[i] += pv;
            if g > 0 && (grade[i] == 0 || g < grade[i]) {
                grade[i] = g;
            }
            wc[i] += pp * p.capacity;
            w[i] += pp;
            c_sum[i] += p.capacity;
            c_n[i] += 1;
        }
    }
    let capacity = (0..n)
        .map(|i| {
            if c_n[i] == 0 {
                f32::NAN
            } else if w[i] > 0.0 {
                (wc[i] / w[i]) as f32
            } else {
                (c_sum[i] / c_n[i] as f64) as f32
            }
        })
        .collect();
    ThreatGrids {
        people_per_km2: people.iter().map(|&v| (v / km2) as f32).collect(),
        property_per_km2: property.iter().map(|&v| (v / km2) as f32).collect(),
        grade,
        capacity,
        points: zones,
    }
}

/// Row-major indices of the cells of a point's zone (centre within the radius, else
/// the point's own cell), ascending.
fn zone_cells(p: &ThreatPoint, rows: usize, cols: usize, cell_size: f64, out: &mut Vec<usize>) {
    out.clear();
    let r = p.radius_m / cell_size; // in cells
    let r0 = ((p.row - r).floor().max(0.0)) as usize;
    let r1 = ((p.row + r).ceil().max(0.0) as usize).min(rows);
    let c0 = ((p.col - r).floor().max(0.0)) as usize;
    let c1 = ((p.col + r).ceil().max(0.0) as usize).min(cols);
    for row in r0..r1 {
        let dy = row as f64 + 0.5 - p.row;
        for col in c0..c1 {
            let dx = col as f64 + 0.5 - p.col;
            if dx * dx + dy * dy <= r * r {
                out.push(row * cols + col);
            }
        }
    }
    if out.is_empty() && p.row >= 0.0 && p.col >= 0.0 {
        let (row, col) = (p.row.floor() as usize, p.col.floor() as usize);
        if row < rows && col < cols {
            out.push(row * cols + col);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_contingency_plan_bounds() {
        assert_eq!(danger_grade(0.0, 0.0), 0);
        assert_eq!(danger_grade(99.0, 499.9), 4);
        assert_eq!(danger_grade(100.0, 0.0), 3); // 100 人以上 includes 100
        assert_eq!(danger_grade(499.0, 0.0), 3);
        assert_eq!(danger_grade(500.0, 0.0), 2);
        assert_eq!(danger_grade(1000.0, 0.0), 1);
        // Property decides when it is the more severe criterion ("or").
        assert_eq!(danger_grade(10.0, 500.0), 3);
        assert_eq!(danger_grade(10.0, 5_000.0), 2);
        assert_eq!(danger_grade(10.0, 10_000.0), 1);
        assert_eq!(danger_grade(600.0, 100.0), 2);
    }

    #[test]
    fn spreading_conserves_totals_and_weights_capacity_by_people() {
        // 10 × 10 grid of 30 m cells; point A at the centre of cell (5, 5) with
        // r = 45 m = 1.5 cells: the cells whose centres lie within 1.5 cells are the
        // 3 × 3 block (corner distance √2 ≈ 1.414) — 9 cells, 90 persons → 10 each.
        let a = ThreatPoint {
            col: 5.5,
            row: 5.5,
            radius_m: 45.0,
            people: 90.0,
            property_wan: 900.0,
            capacity: 0.8,
        };
        // Point B in cell (5, 6), r = 10 m < half a cell: its own cell only.
        let b = ThreatPoint {
            col: 6.5,
            row: 5.5,
            radius_m: 10.0,
            people: 30.0,
            property_wan: 0.0,
            capacity: 0.0,
        };
        let g = threat_grids(&[a, b], 10, 10, 30.0);
        assert_eq!(g.points[0].cells, 9);
        assert_eq!(g.points[1].cells, 1);
        let km2 = 30.0 * 30.0 / 1e6;
        let total: f64 = g.people_per_km2.iter().map(|&v| v as f64 * km2).sum();
        assert!((total - 120.0).abs() < 1e-3, "{total}");
        let i = 5 * 10 + 6;
        assert!((g.people_per_km2[i] as f64 * km2 - 40.0).abs() < 1e-3);
        // (10 · 0.8 + 30 · 0) / 40 = 0.2.
        assert!((g.capacity[i] - 0.2).abs() < 1e-6);
        assert!((g.capacity[5 * 10 + 5] - 0.8).abs() < 1e-6);
        assert!(g.capacity[0].is_nan());
        // A: 900 万元 → 中型 (3); B: 30 persons → 小型 (4); the cell both cover: 3.
        assert_eq!(g.grade[i], 3);
        assert_eq!(g.grade[5 * 10 + 5], 3);
        assert_eq!(g.grade[0], 0);
    }
}
