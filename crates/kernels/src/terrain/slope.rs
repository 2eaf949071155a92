//! Slope: the angle between the tangent plane and the horizontal.
//!
//! With `p = ∂z/∂x` and `q = ∂z/∂y` from [`GradientAlg`] (Horn 1981 or
//! Zevenbergen & Thorne 1987), slope is `atan(√(p² + q²))` in **degrees** or
//! `100·√(p² + q²)` in **percent** (Burrough & McDonnell 1998, eq. 8.3).
//! Elevation and cell size are in metres (a z-factor is not applied: reproject or
//! scale the DEM first). Axis order `(row, col)`, row 0 north. Nodata (NaN) and the
//! grid border follow [`Edges`]; output nodata is NaN.
//!
//! The arithmetic follows GDAL 3.6 `GDALSlopeHornAlg` / `GDALSlopeZevenbergenThorneAlg`
//! (window sums in f32, the rest in f64, with a polynomial arctangent good to 1e-7°) so
//! results agree with `gdaldem slope` to a few f32 ulps; `validate/terrain` checks this on a real DEM.

use ndarray::{Array2, ArrayView2};

use super::window::map3x3;
use super::{Edges, GradientAlg};
use crate::CellSize;

/// Units of [`slope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlopeUnits {
    /// Degrees, 0–90.
    #[default]
    Degrees,
    /// Percent rise, 100·tan(slope), unbounded.
    Percent,
}

/// Gradient `(∂z/∂x east, ∂z/∂y south)` in m/m; the sign of y does not matter to slope.
#[inline(always)]
pub(crate) fn gradient(w: &[f32; 9], alg: GradientAlg, inv_l: f64) -> (f64, f64) {
    let [a, b, c, d, _e, f, g, h, i] = *w;
    match alg {
        GradientAlg::Horn => {
            let dx = ((c + f + f + i) - (a + d + d + g)) as f64 * (inv_l * 0.125);
            let dy = ((g + h + h + i) - (a + b + b + c)) as f64 * (inv_l * 0.125);
            (dx, dy)
        }
        GradientAlg::ZevenbergenThorne => {
            let dx = (f - d) as f64 * (inv_l * 0.5);
            let dy = (h - b) as f64 * (inv_l * 0.5);
            (dx, dy)
        }
    }
}

/// Slope of every cell of `dem` (metres) with square cells of `cell` metres.
///
/// ```
/// use ndarray::Array2;
/// use riskcensus_kernels::{CellSize, terrain::{slope, Edges, GradientAlg, SlopeUnits}};
/// // A plane rising 1 m per 10 m cell eastwards: tan β = 0.1.
/// let dem = Array2::from_shape_fn((3, 3), |(_, c)| c as f32);
/// let s = slope(dem.view(), CellSize::new(10.0).unwrap(), GradientAlg::Horn,
///               SlopeUnits::Percent, Edges::Nodata);
/// assert!((s[(1, 1)] - 10.0).abs() < 1e-5);
/// assert!(s[(0, 0)].is_nan());
/// ```
pub fn slope(
    dem: ArrayView2<f32>,
    cell: CellSize,
    alg: GradientAlg,
    units: SlopeUnits,
    edges: Edges,
) -> Array2<f32> {
    let inv_l = 1.0 / cell.metres();
    match (alg, units) {
        // Four monomorphised loops so the inner loop carries no branches.
        (GradientAlg::Horn, SlopeUnits::Degrees) => map3x3(dem, edges, f32::NAN, |w| {
            deg(gradient(w, GradientAlg::Horn, inv_l))
        }),
        (GradientAlg::Horn, SlopeUnits::Percent) => map3x3(dem, edges, f32::NAN, |w| {
            pct(gradient(w, GradientAlg::Horn, inv_l))
        }),
        (GradientAlg::ZevenbergenThorne, SlopeUnits::Degrees) => {
            map3x3(dem, edges, f32::NAN, |w| {
                deg(gradient(w, GradientAlg::ZevenbergenThorne, inv_l))
            })
        }
        (GradientAlg::ZevenbergenThorne, SlopeUnits::Percent) => {
            map3x3(dem, edges, f32::NAN, |w| {
                pct(gradient(w, GradientAlg::ZevenbergenThorne, inv_l))
            })
        }
    }
}

#[inline(always)]
fn deg((dx, dy): (f64, f64)) -> f32 {
    (super::fastatan::atan_pos((dx * dx + dy * dy).sqrt()) * (180.0 / std::f64::consts::PI)) as f32
}

#[inline(always)]
fn pct((dx, dy): (f64, f64)) -> f32 {
    (100.0 * (dx * dx + dy * dy).sqrt()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// A plane z = 0.3·x − 0.4·y (x east, y north, metres) has |∇z| = 0.5 exactly,
    /// so slope = atan(0.5) = 26.565051177°, 50 %, for both algorithms.
    #[test]
    fn plane_with_known_gradient() {
        let l = 25.0;
        let dem = Array2::from_shape_fn((5, 6), |(r, c)| {
            let x = c as f64 * l;
            let y = -(r as f64) * l; // row 0 north: y decreases with row
            (0.3 * x - 0.4 * y + 100.0) as f32
        });
        let cell = CellSize::new(l).unwrap();
        for alg in [GradientAlg::Horn, GradientAlg::ZevenbergenThorne] {
            let d = slope(dem.view(), cell, alg, SlopeUnits::Degrees, Edges::Nodata);
            let p = slope(dem.view(), cell, alg, SlopeUnits::Percent, Edges::Nodata);
            for r in 1..4 {
                for c in 1..5 {
                    assert!(
                        (d[(r, c)] - 26.565_05).abs() < 1e-4,
                        "{alg:?} {}",
                        d[(r, c)]
                    );
                    assert!((p[(r, c)] - 50.0).abs() < 1e-3);
                }
            }
            assert!(d[(0, 2)].is_nan() && d[(4, 5)].is_nan());
            // -compute_edges extrapolation is exact on a plane except at GDAL's
            // corners, where the clamped column halves the x difference.
            let e = slope(dem.view(), cell, alg, SlopeUnits::Degrees, Edges::Compute);
            assert!((e[(0, 2)] - 26.565_05).abs() < 1e-4);
            assert!((e[(2, 0)] - 26.565_05).abs() < 1e-4);
            assert!((e[(4, 3)] - 26.565_05).abs() < 1e-4);
        }
    }

    #[test]
    fn nan_in_window() {
        let mut dem = Array2::from_shape_fn((5, 5), |(r, c)| (r * 2 + c) as f32);
        dem[(2, 2)] = f32::NAN;
        let cell = CellSize::new(1.0).unwrap();
        let s = slope(
            dem.view(),
            cell,
            GradientAlg::Horn,
            SlopeUnits::Degrees,
            Edges::Nodata,
        );
        assert!(s[(1, 1)].is_nan() && s[(2, 2)].is_nan() && s[(3, 3)].is_nan());
        let s = slope(
            dem.view(),
            cell,
            GradientAlg::Horn,
            SlopeUnits::Degrees,
            Edges::Compute,
        );
        assert!(s[(2, 2)].is_nan());
        assert!(s[(1, 1)].is_finite());
    }
}
