//! Wildfire-specific mitigation capacity (森林火灾减灾能力): how much fire-fighting
//! personnel can reach a cell, and how far the nearest water source is.
//!
//! **Rescue potential** (Hansen, W.G. 1959, *How accessibility shapes land use*,
//! Journal of the American Institute of Planners 25(2), 73–76: potential
//! accessibility A = Σⱼ Sⱼ f(dⱼ), the supply Sⱼ of each site discounted by an
//! impedance of the distance). Here Sⱼ = personnel of fire-fighting station j and
//! f(d) = exp(−(d/d₀)²), the Gaussian impedance (one of the impedance functions
//! compared by Kwan, M.-P. 1998, *Space-time and integral measures of individual
//! accessibility*, Geographical Analysis 30(3), 191–216): flat near a station (a
//! crew reaches the next hillside as fast as its own yard), 1/e at d₀, negligible
//! beyond 3·d₀. Unit: persons (personnel-equivalents). Distances are straight-line
//! from cell centre to station in the census CRS (x, y metres); stations are summed
//! in the given order, so the result does not depend on threads.
//!
//! **Water sources** are measured by the caller with the exact Euclidean distance
//! transform (`riskcensus_kernels::distance`) from water cells; see
//! [`water_mask`].
//!
//! Grids are `(row, col)` on a [`GridSpec`]; NaN is nodata.

use ndarray::{Array2, ArrayView2};
use riskcensus_core::GridSpec;

/// A fire-fighting station: position (census CRS, metres) and personnel (persons).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crew {
    /// Easting (m, census CRS).
    pub x: f64,
    /// Northing (m, census CRS).
    pub y: f64,
    /// Fire-fighting personnel (persons, ≥ 0).
    pub personnel: f64,
}

/// Hansen potential of fire-fighting personnel at (x, y) (persons), with the
/// Gaussian impedance exp(−(d/d₀)²), `d0_m` = d₀ in metres (> 0); 0 with no crew.
pub fn rescue_potential_at(crews: &[Crew], d0_m: f64, x: f64, y: f64) -> f64 {
    let inv = 1.0 / (d0_m * d0_m);
    let mut a = 0.0f64;
    for k in crews {
        let d2 = (k.x - x).powi(2) + (k.y - y).powi(2);
        a += k.personnel * (-d2 * inv).exp();
    }
    a
}

/// [`rescue_potential_at`] at every cell centre of rows `rows` (row-major), NaN
/// where `mask` is NaN. Callers may split the rows across threads: every cell is
/// independent.
pub fn rescue_potential_rows(
    grid: &GridSpec,
    crews: &[Crew],
    d0_m: f64,
    mask: ArrayView2<f32>,
    rows: std::ops::Range<usize>,
) -> Vec<f32> {
    let mut out = Vec::with_capacity(rows.len() * grid.cols);
    for r in rows {
        for c in 0..grid.cols {
            out.push(if mask[(r, c)].is_nan() {
                f32::NAN
            } else {
                let (x, y) = grid.cell_center(r, c);
                rescue_potential_at(crews, d0_m, x, y) as f32
            });
        }
    }
    out
}

/// [`rescue_potential_rows`] over the whole grid.
pub fn rescue_potential(
    grid: &GridSpec,
    crews: &[Crew],
    d0_m: f64,
    mask: ArrayView2<f32>,
) -> Array2<f32> {
    let v = rescue_potential_rows(grid, crews, d0_m, mask, 0..grid.rows);
    Array2::from_shape_vec((grid.rows, grid.cols), v).expect("rows × cols")
}

/// Water-source cells: land cover of any of `water_classes` (GlobeLand30 60 water
/// bodies: rivers, lakes, reservoirs, ponds) or a cell burnt by a surveyed water
/// feature (`features`, e.g. the rivers' and reservoirs' distance grids, true where
/// the distance is 0). Land cover NaN is not water.
pub fn water_mask(
    landcover: ArrayView2<f32>,
    water_classes: &[u16],
    features: &[ArrayView2<f32>],
) -> Array2<bool> {
    Array2::from_shape_fn(landcover.dim(), |(r, c)| {
        let v = landcover[(r, c)];
        (!v.is_nan() && water_classes.iter().any(|&w| v.round() as i64 == w as i64))
            || features.iter().any(|f| f[(r, c)] == 0.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hansen_potential_hand_calculation() {
        let grid = GridSpec::new("EPSG:4548", 0.0, 1000.0, 100.0, 1, 10).unwrap();
        let mask = Array2::<f32>::zeros((1, 10));
        // Crew of 40 at the centre of cell 0 (50, 950); d0 = 300 m.
        let crews = [Crew {
            x: 50.0,
            y: 950.0,
            personnel: 40.0,
        }];
        let a = rescue_potential(&grid, &crews, 300.0, mask.view());
        assert!((a[(0, 0)] - 40.0).abs() < 1e-5);
        // Cell 3: d = 300 m → 40/e.
        assert!((a[(0, 3)] as f64 - 40.0 / std::f64::consts::E).abs() < 1e-4);
        for c in 1..10 {
            assert!(a[(0, c)] < a[(0, c - 1)]);
        }
        // A second crew adds its own term; no crew → 0; masked → NaN.
        let two = [
            crews[0],
            Crew {
                x: 950.0,
                y: 950.0,
                personnel: 10.0,
            },
        ];
        let b = rescue_potential(&grid, &two, 300.0, mask.view());
        assert!(
            (b[(0, 9)] - (10.0 + 40.0 * (-(900.0f64 / 300.0).powi(2)).exp()) as f32).abs() < 1e-5
        );
        assert!(rescue_potential(&grid, &[], 300.0, mask.view())
            .iter()
            .all(|v| *v == 0.0));
        let mut m = mask.clone();
        m[(0, 4)] = f32::NAN;
        assert!(rescue_potential(&grid, &crews, 300.0, m.view())[(0, 4)].is_nan());
    }

    #[test]
    fn water_from_landcover_and_features() {
        let lc = Array2::from_shape_vec((1, 4), vec![20.0, 60.0, f32::NAN, 10.0]).unwrap();
        let river = Array2::from_shape_vec((1, 4), vec![150.0, 0.0, 150.0, 0.0]).unwrap();
        let m = water_mask(lc.view(), &[60], &[river.view()]);
        assert_eq!(m.as_slice().unwrap(), &[false, true, false, true]);
    }
}
