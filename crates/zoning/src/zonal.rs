//! Zonal statistics of a raster over polygons, and level area shares.
//!
//! Two rules decide how much of a cell belongs to a zone (issue 9 item 8):
//!
//! - [`Rule::Fraction`]: each cell is weighted by the exact fraction f of it the
//!   polygon covers ([`crate::coverage::coverage`]), as exactextract does (Baston,
//!   exactextract): count = Σf, sum = Σv·f, mean = Σv·f / Σf, min and max over the
//!   cells with f > 0;
//! - [`Rule::Center`]: a cell counts (f = 1) iff its centre is inside
//!   ([`crate::coverage::centers`]).
//!
//! Nodata cells (NaN) are left out of every statistic. A zone with no valid cell has
//! count 0, sum 0 and no mean, min or max (`None`).
//!
//! Sums are plain f64 sums in row-major cell order. The accumulators take a raster
//! window at a time (tile or strip); adding the windows in ascending row order keeps
//! the order, so the result is bit-identical however the raster is cut.

use ndarray::ArrayView2;
use riskcensus_core::{GridSpec, Window};
use serde::Serialize;

use crate::coverage::{bbox_window, centers, coverage, Coverage, Rings};
use crate::error::ZoningError;

/// How cells are assigned to a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Each cell weighted by the exact fraction of it the polygon covers (exactextract).
    Fraction,
    /// A cell counts in full iff its centre is inside the polygon.
    Center,
}

impl Rule {
    /// The identifier used on the command line and in manifests (`fraction`, `center`).
    pub fn id(self) -> &'static str {
        match self {
            Rule::Fraction => "fraction",
            Rule::Center => "center",
        }
    }

    /// `fraction` or `center` (also `centre`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "fraction" => Some(Rule::Fraction),
            "center" | "centre" => Some(Rule::Center),
            _ => None,
        }
    }
}

/// The cells of `grid` a polygon holds under `rule` (empty when it misses the grid).
pub fn zone_cells(rings: &Rings, grid: &GridSpec, rule: Rule) -> Result<Coverage, ZoningError> {
    rings.validate()?;
    let Some(w) = bbox_window(rings, grid) else {
        return Ok(Coverage::default());
    };
    match rule {
        Rule::Fraction => coverage(rings, grid, w),
        Rule::Center => centers(rings, grid, w),
    }
}

/// Statistics of one zone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ZoneStats {
    /// Σ f over valid cells (cells, not area: multiply by the cell area for m²).
    pub count: f64,
    /// Σ v·f over valid cells.
    pub sum: f64,
    /// sum / count, `None` when count is 0.
    pub mean: Option<f64>,
    /// Smallest valid value among cells with f > 0.
    pub min: Option<f64>,
    /// Largest valid value among cells with f > 0.
    pub max: Option<f64>,
}

/// Streaming accumulator of [`ZoneStats`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoneAccumulator {
    count: f64,
    sum: f64,
    min: f64,
    max: f64,
    cells: u64,
}

impl Default for ZoneAccumulator {
    fn default() -> Self {
        Self {
            count: 0.0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            cells: 0,
        }
    }
}

/// The part of a coverage row inside `window`: (row in window, first col in window,
/// the fractions of that part).
fn clip<'a>(
    cov: &'a Coverage,
    window: Window,
) -> impl Iterator<Item = (usize, usize, &'a [f64])> + 'a {
    let lo = cov.rows.partition_point(|r| r.row < window.row_off);
    cov.rows[lo..]
        .iter()
        .take_while(move |r| r.row < window.row_end())
        .filter_map(move |r| {
            let c0 = r.col_start.max(window.col_off);
            let c1 = (r.col_start + r.fractions.len()).min(window.col_end());
            (c0 < c1).then(|| {
                (
                    r.row - window.row_off,
                    c0 - window.col_off,
                    &r.fractions[c0 - r.col_start..c1 - r.col_start],
                )
            })
        })
}

fn check_shape(what: &'static str, dim: (usize, usize), window: Window) -> Result<(), ZoningError> {
    if dim != (window.rows, window.cols) {
        return Err(ZoningError::ShapeMismatch {
            what,
            got: dim.0 * dim.1,
            expected: window.len(),
        });
    }
    Ok(())
}

impl ZoneAccumulator {
    /// Add the cells of `cov` inside `window`, whose values are `values` (shape =
    /// the window's; NaN = nodata).
    pub fn add(
        &mut self,
        cov: &Coverage,
        values: ArrayView2<'_, f32>,
        window: Window,
    ) -> Result<(), ZoningError> {
        check_shape("value window", values.dim(), window)?;
        for (r, c0, fr) in clip(cov, window) {
            let row = values.row(r);
            for (i, &f) in fr.iter().enumerate() {
                let v = row[c0 + i];
                if f > 0.0 && !v.is_nan() {
                    let v = v as f64;
                    self.count += f;
                    self.sum += v * f;
                    self.min = self.min.min(v);
                    self.max = self.max.max(v);
                    self.cells += 1;
                }
            }
        }
        Ok(())
    }

    /// The statistics so far.
    pub fn finish(&self) -> ZoneStats {
        let some = self.cells > 0;
        ZoneStats {
            count: self.count,
            sum: self.sum,
            mean: (some && self.count > 0.0).then(|| self.sum / self.count),
            min: some.then_some(self.min),
            max: some.then_some(self.max),
        }
    }
}

/// Zonal statistics of `values` (covering `window` of the grid) over one zone.
pub fn zonal_stats(
    cov: &Coverage,
    values: ArrayView2<'_, f32>,
    window: Window,
) -> Result<ZoneStats, ZoningError> {
    let mut a = ZoneAccumulator::default();
    a.add(cov, values, window)?;
    Ok(a.finish())
}

/// Area of each level inside a zone: Σ f · cell area over the cells of each level
/// code 1..=K of a u8 level grid (0 = nodata, left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelAreas {
    /// `areas[code − 1]` = area of level `code` (m² when the cell area is in m²).
    pub areas: Vec<f64>,
    /// Area of cells with a code above K (should be none; kept so shares stay honest).
    pub other: f64,
}

impl LevelAreas {
    /// An empty tally for level codes 1..=k.
    pub fn new(k: usize) -> Self {
        Self {
            areas: vec![0.0; k],
            other: 0.0,
        }
    }

    /// Add the cells of `cov` inside `window`, whose codes are `levels`.
    pub fn add(
        &mut self,
        cov: &Coverage,
        levels: ArrayView2<'_, u8>,
        window: Window,
        cell_area: f64,
    ) -> Result<(), ZoningError> {
        check_shape("level window", levels.dim(), window)?;
        for (r, c0, fr) in clip(cov, window) {
            let row = levels.row(r);
            for (i, &f) in fr.iter().enumerate() {
                let code = row[c0 + i] as usize;
                if code == 0 || f <= 0.0 {
                    continue;
                }
                match self.areas.get_mut(code - 1) {
                    Some(a) => *a += f * cell_area,
                    None => self.other += f * cell_area,
                }
            }
        }
        Ok(())
    }

    /// Area with a level (codes ≥ 1).
    pub fn total(&self) -> f64 {
        self.areas.iter().sum::<f64>() + self.other
    }

    /// Share of the zone's levelled area that has level `code` (1-based), `None` when
    /// the zone has no levelled cell.
    pub fn share(&self, code: u8) -> Option<f64> {
        let t = self.total();
        let a = *self.areas.get((code as usize).checked_sub(1)?)?;
        (t > 0.0).then(|| a / t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn grid() -> GridSpec {
        GridSpec {
            crs: "EPSG:4548".into(),
            x_min: 0.0,
            y_max: 3.0,
            cell_size: 1.0,
            rows: 3,
            cols: 3,
        }
    }

    #[test]
    fn fraction_and_center_by_hand() {
        // Values 1..9 row-major, the centre cell (value 5) nodata. Square 0.5–2.5:
        // corners ¼, edges ½, centre 1 (nodata). count = 4·¼ + 4·½ = 3,
        // sum = ¼(1+3+7+9) + ½(2+4+6+8) = 5 + 10 = 15, mean 5, min 1, max 9.
        let g = grid();
        let mut v = Array2::from_shape_fn((3, 3), |(r, c)| (r * 3 + c + 1) as f32);
        v[(1, 1)] = f32::NAN;
        let sq = Rings::polygon(vec![(0.5, 0.5), (2.5, 0.5), (2.5, 2.5), (0.5, 2.5)], vec![]);
        let full = Window::new(0, 0, 3, 3);
        let cov = zone_cells(&sq, &g, Rule::Fraction).unwrap();
        let s = zonal_stats(&cov, v.view(), full).unwrap();
        assert!((s.count - 3.0).abs() < 1e-12 && (s.sum - 15.0).abs() < 1e-12);
        assert!((s.mean.unwrap() - 5.0).abs() < 1e-12);
        assert_eq!((s.min, s.max), (Some(1.0), Some(9.0)));
        // Centre rule: centres on the square's north and west sides are in, on its
        // south and east sides out → cells (0,0), (0,1), (1,0), (1,1): values 1, 2,
        // 4 and nodata → count 3, sum 7.
        let cen = zone_cells(&sq, &g, Rule::Center).unwrap();
        let s = zonal_stats(&cen, v.view(), full).unwrap();
        assert_eq!(
            (s.count, s.sum, s.min, s.max),
            (3.0, 7.0, Some(1.0), Some(4.0))
        );
        // A square 0.6–2.4 holds only the centre cell's centre, which is nodata.
        let small = Rings::polygon(vec![(0.6, 0.6), (2.4, 0.6), (2.4, 2.4), (0.6, 2.4)], vec![]);
        let cen = zone_cells(&small, &g, Rule::Center).unwrap();
        assert_eq!(cen.cells().collect::<Vec<_>>(), vec![(1, 1, 1.0)]);
        let s = zonal_stats(&cen, v.view(), full).unwrap();
        assert_eq!(
            s,
            ZoneStats {
                count: 0.0,
                sum: 0.0,
                mean: None,
                min: None,
                max: None
            }
        );
        // Strips added in row order give the same bits as the whole window.
        let mut a = ZoneAccumulator::default();
        for r in 0..3 {
            let w = Window::new(r, 0, 1, 3);
            a.add(&cov, v.slice(ndarray::s![r..r + 1, ..]), w).unwrap();
        }
        assert_eq!(a.finish(), zonal_stats(&cov, v.view(), full).unwrap());
    }

    #[test]
    fn level_shares_by_hand() {
        // Levels by column 1, 2, 0 (nodata); the square 0.5–2.5 covers column 0 by
        // ½+½+¼+¼ … per row: rows 0 and 2 give ¼, ½, ¼; row 1 gives ½, 1, ½.
        // Level 1 (col 0): ¼+½+¼ = 1; level 2 (col 1): ½+1+½ = 2; col 2 nodata.
        let g = grid();
        let lv = Array2::from_shape_fn((3, 3), |(_, c)| [1u8, 2, 0][c]);
        let sq = Rings::polygon(vec![(0.5, 0.5), (2.5, 0.5), (2.5, 2.5), (0.5, 2.5)], vec![]);
        let cov = zone_cells(&sq, &g, Rule::Fraction).unwrap();
        let mut la = LevelAreas::new(5);
        la.add(&cov, lv.view(), Window::new(0, 0, 3, 3), 900.0)
            .unwrap();
        assert!((la.areas[0] - 900.0).abs() < 1e-9 && (la.areas[1] - 1800.0).abs() < 1e-9);
        assert!((la.share(2).unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(la.share(5), Some(0.0));
        assert!(LevelAreas::new(5).share(1).is_none());
    }
}
