//! Raster operators of the fire hazard and exposure that are not a weighted overlay:
//! kernel density of historical fire points, the farmland–wildland edge, and the
//! wildland–urban interface (WUI).
//!
//! Grids are `(row, col)` arrays on a [`GridSpec`] (north-up, square cells, cell
//! centres); points are projected (x, y) in the grid's CRS, metres. Float outputs use
//! NaN for nodata.

use ndarray::{Array2, ArrayView2};
use riskcensus_core::GridSpec;

/// Quartic (biweight) kernel density of points, in points per km².
///
/// K(d) = 3 / (π h²) · (1 − d²/h²)² for d < h, else 0 (Silverman, B.W. 1986,
/// *Density Estimation for Statistics and Data Analysis*, Chapman & Hall, Table 3.1,
/// the biweight kernel in two dimensions; the kernel of ArcGIS *Kernel Density*).
/// Each point integrates to 1 over the plane, so the grid sums to ≈ the number of
/// points inside the study area (× cell area / 10⁶). `bandwidth_m` = h in metres.
/// Points are summed in the given order (deterministic). Every cell is valid
/// (0 = no fire nearby); the caller masks cells outside the study area.
pub fn kernel_density(grid: &GridSpec, points: &[(f64, f64)], bandwidth_m: f64) -> Array2<f32> {
    let mut acc = Array2::<f64>::zeros((grid.rows, grid.cols));
    let h = bandwidth_m;
    let norm = 3.0 / (std::f64::consts::PI * h * h) * 1e6; // per m² → per km²
    let c = grid.cell_size;
    for &(px, py) in points {
        // Cell index range whose centres can lie within h of the point.
        let c0 = ((px - h - grid.x_min) / c).floor().max(0.0) as usize;
        let c1 =
            (((px + h - grid.x_min) / c).ceil() as isize).clamp(0, grid.cols as isize) as usize;
        let r0 = ((grid.y_max - py - h) / c).floor().max(0.0) as usize;
        let r1 =
            (((grid.y_max - py + h) / c).ceil() as isize).clamp(0, grid.rows as isize) as usize;
        for r in r0..r1 {
            for col in c0..c1 {
                let (x, y) = grid.cell_center(r, col);
                let u2 = ((x - px).powi(2) + (y - py).powi(2)) / (h * h);
                if u2 < 1.0 {
                    acc[(r, col)] += norm * (1.0 - u2).powi(2);
                }
            }
        }
    }
    acc.mapv(|v| v as f32)
}

/// Cells of `class` (e.g. cropland 10) that touch (4-neighbourhood) a cell of any of
/// `wildland` classes: the farmland–wildland edge where field burning escapes into
/// vegetation. Land-cover values are compared as integers; NaN is no class.
pub fn class_edge(landcover: ArrayView2<f32>, class: u16, wildland: &[u16]) -> Array2<bool> {
    let (rows, cols) = landcover.dim();
    let is = |v: f32, c: u16| !v.is_nan() && v.round() as i64 == c as i64;
    let wild = |v: f32| wildland.iter().any(|&w| is(v, w));
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        if !is(landcover[(r, c)], class) {
            return false;
        }
        let n = [
            (r.wrapping_sub(1), c),
            (r + 1, c),
            (r, c.wrapping_sub(1)),
            (r, c + 1),
        ];
        n.iter()
            .any(|&(rr, cc)| rr < rows && cc < cols && wild(landcover[(rr, cc)]))
    })
}

/// Parameters of the wildland–urban interface exposure and vulnerability.
#[derive(Debug, Clone, PartialEq)]
pub struct WuiParams {
    /// Land-cover classes that are wildland fuel (GlobeLand30: 20 forest, 40 shrub).
    pub wildland: Vec<u16>,
    /// Buildings within this distance (m) of wildland are in the interface.
    pub buffer_m: f64,
    /// Building value density (万元 per km²) scored 1 on the log scale of the
    /// exposure index's building term (`models/common/exposure.toml`: 10⁶ 万元/km²,
    /// a dense town block); denser values are capped.
    pub value_full_wan_per_km2: f64,
    /// Exposure score of a wildland cell itself (the forest as exposed element).
    pub wildland_exposure: f32,
    /// Vulnerability of wildland cells that hold no interface building.
    pub wildland_vulnerability: f32,
    /// Vulnerability of cells within `buffer_m` of wildland that hold buildings.
    pub building_vulnerability: f32,
}

impl Default for WuiParams {
    fn default() -> Self {
        WuiParams {
            wildland: vec![20, 40],
            buffer_m: 500.0,
            value_full_wan_per_km2: 1.0e6,
            wildland_exposure: 0.5,
            wildland_vulnerability: 0.6,
            building_vulnerability: 0.8,
        }
    }
}

/// The wildland cells of a land-cover grid (GlobeLand30 codes, NaN nodata): cells
/// whose rounded code is one of `p.wildland` — the sources of the distance that
/// bounds the wildland–urban interface buffer of [`wui`].
pub fn wildland_mask(landcover: ArrayView2<f32>, p: &WuiParams) -> Array2<bool> {
    landcover.mapv(|v| !v.is_nan() && p.wildland.iter().any(|&w| v.round() as i64 == w as i64))
}

/// The building value density (万元 per km²) around each cell: the value of the
/// buildings within the square window of half-width `radius_m` (rounded to whole
/// cells, at least the cell itself), over the window's area inside the grid — a
/// moving-window density, as housing density over areas defines the interface
/// (Radeloff et al. 2005), so the same buildings give about the same density at any
/// cell size (a density of single cells would not: one building's value fills its
/// 30 m cell 25 times as densely as its 150 m cell). `value` is 万元 per cell (NaN
/// = none); sums in f64 over a summed-area table, the same for any thread count.
pub fn value_density(value: ArrayView2<f32>, cell_m: f64, radius_m: f64) -> Array2<f32> {
    let (rows, cols) = value.dim();
    let k = (radius_m / cell_m).round().max(0.0) as usize;
    // sat[(r, c)] = Σ value over rows < r, cols < c.
    let mut sat = Array2::<f64>::zeros((rows + 1, cols + 1));
    for r in 0..rows {
        let mut run = 0.0;
        for c in 0..cols {
            let v = value[(r, c)];
            run += if v.is_nan() { 0.0 } else { f64::from(v) };
            sat[(r + 1, c + 1)] = sat[(r, c + 1)] + run;
        }
    }
    let cell_km2 = cell_m * cell_m / 1.0e6;
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        let (r0, r1) = (r.saturating_sub(k), (r + k + 1).min(rows));
        let (c0, c1) = (c.saturating_sub(k), (c + k + 1).min(cols));
        let sum = sat[(r1, c1)] - sat[(r0, c1)] - sat[(r1, c0)] + sat[(r0, c0)];
        let area = ((r1 - r0) * (c1 - c0)) as f64 * cell_km2;
        (sum / area) as f32
    })
}

/// Wildfire exposure and vulnerability indices in [0, 1] per cell.
///
/// - Exposure E: wildland cells expose their forest (`wildland_exposure`); cells within
///   `buffer_m` of wildland expose their buildings by their value DENSITY v (万元 per
///   km², [`value_density`] over the buffer's radius), min(1, ln(1 + v) / ln(1 +
///   `value_full_wan_per_km2`)) — the scale of the exposure index's building term,
///   so the score of a village does not depend on the cell size (it was min(1,
///   value per cell / 2000 万元) before, which a coarser cell fills sooner); a cell
///   takes the larger. Elsewhere E = 0 (nothing exposed to wildfire). A cell counts
///   as holding interface buildings where the density is above 0.
/// - Vulnerability V: `building_vulnerability` where interface buildings stand,
///   `wildland_vulnerability` on wildland, 0 elsewhere.
///
/// `dist_wildland` is the distance (m) to the nearest wildland cell,
/// `buildings_value_per_km2` the replacement value density (万元/km², the prepare
/// stage's `buildings_value_per_km2`; NaN = no data, treated as no buildings). Cells
/// where land cover is NaN are NaN in both outputs.
pub fn wui(
    landcover: ArrayView2<f32>,
    dist_wildland: ArrayView2<f32>,
    buildings_value_per_km2: ArrayView2<f32>,
    p: &WuiParams,
) -> (Array2<f32>, Array2<f32>) {
    let full = p.value_full_wan_per_km2.ln_1p();
    let dim = landcover.dim();
    let mut e = Array2::<f32>::zeros(dim);
    let mut v = Array2::<f32>::zeros(dim);
    for ((r, c), lc) in landcover.indexed_iter() {
        if lc.is_nan() {
            e[(r, c)] = f32::NAN;
            v[(r, c)] = f32::NAN;
            continue;
        }
        let wild = p.wildland.iter().any(|&w| lc.round() as i64 == w as i64);
        let bv = buildings_value_per_km2[(r, c)];
        let in_buffer = (dist_wildland[(r, c)] as f64) <= p.buffer_m;
        let be = if in_buffer && bv > 0.0 {
            ((bv as f64).ln_1p() / full).min(1.0) as f32
        } else {
            0.0
        };
        let we = if wild { p.wildland_exposure } else { 0.0 };
        e[(r, c)] = be.max(we);
        v[(r, c)] = if be > 0.0 {
            p.building_vulnerability
        } else if wild {
            p.wildland_vulnerability
        } else {
            0.0
        };
    }
    (e, v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn grid(rows: usize, cols: usize, cell: f64) -> GridSpec {
        GridSpec {
            crs: "EPSG:4548".into(),
            x_min: 0.0,
            y_max: rows as f64 * cell,
            cell_size: cell,
            rows,
            cols,
        }
    }

    #[test]
    fn kde_integrates_to_one_and_peaks_at_the_point() {
        // One point at the centre of a 101 × 101 grid of 10 m cells, h = 200 m.
        let g = grid(101, 101, 10.0);
        let k = kernel_density(&g, &[(505.0, 505.0)], 200.0);
        // Peak: 3/(π·200²) per m² = 23.873 per km².
        assert!((k[(50, 50)] as f64 - 3.0 / (std::f64::consts::PI * 4e4) * 1e6).abs() < 1e-3);
        // Riemann sum over the grid ≈ 1 point (cell area 1e-4 km²).
        let total: f64 = k.iter().map(|&v| v as f64 * 1e-4).sum();
        assert!((total - 1.0).abs() < 2e-3, "{total}");
    }

    #[test]
    fn value_density_is_about_the_same_at_any_cell_size() {
        // 4 buildings of 100 万元 in a 300 m × 300 m block: at 30 m, one per cell in
        // the corners; at 150 m, all in two cells. A 150 m radius window around the
        // block's centre holds all four: 400 万元 over (0.3 km)² ≈ 4 444 万元/km².
        let mut fine = Array2::<f32>::zeros((10, 10));
        for (r, c) in [(0, 0), (0, 9), (9, 0), (9, 9)] {
            fine[(r, c)] = 100.0;
        }
        let d = value_density(fine.view(), 30.0, 150.0);
        // Centre cell (4, 4): window rows 0..=9 → the whole block.
        assert!((d[(4, 4)] - 400.0 / 0.09).abs() < 1e-2, "{}", d[(4, 4)]);
        let coarse = ndarray::array![[200.0f32, 0.0], [0.0, 200.0]];
        let d = value_density(coarse.view(), 150.0, 150.0);
        assert!((d[(0, 0)] - 400.0 / 0.09).abs() < 1e-2, "{}", d[(0, 0)]);
        // Radius 0: the cell's own density; NaN counts as no building.
        let one = ndarray::array![[f32::NAN, 9.0]];
        assert_eq!(value_density(one.view(), 30.0, 0.0)[(0, 1)], 9.0 / 0.0009);
        assert_eq!(value_density(one.view(), 30.0, 0.0)[(0, 0)], 0.0);
    }

    #[test]
    fn edge_and_wui() {
        let lc = array![[10.0f32, 20.0, 60.0], [10.0, 10.0, 80.0]];
        let edge = class_edge(lc.view(), 10, &[20, 40]);
        assert_eq!(edge, array![[true, false, false], [false, true, false]]);
        let dist = array![[150.0f32, 0.0, 150.0], [212.0, 150.0, 1000.0]];
        // 万元 per km²: 10³ scores ln(1001)/ln(1 000 001) = 0.5000 on the 10⁶ scale.
        let val = array![[0.0f32, 0.0, 0.0], [0.0, 1000.0, 5000.0]];
        let (e, v) = wui(lc.view(), dist.view(), val.view(), &WuiParams::default());
        let by_hand = (1001.0f64.ln() / 1_000_001.0f64.ln()) as f32;
        assert_eq!(e, array![[0.0f32, 0.5, 0.0], [0.0, by_hand, 0.0]]);
        assert!((by_hand - 0.5).abs() < 1e-4);
        assert_eq!(v, array![[0.0f32, 0.6, 0.0], [0.0, 0.8, 0.0]]);
    }
}
