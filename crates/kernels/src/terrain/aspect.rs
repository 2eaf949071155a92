//! Aspect: the compass direction the slope faces (the downslope direction).
//!
//! Degrees **clockwise from north**, in [0, 360): 0 = facing north, 90 = east,
//! 180 = south, 270 = west. With the window sums `dx = (c + 2f + i) − (a + 2d + g)`
//! (Horn 1981; `f − d` for Zevenbergen & Thorne 1987) and `dy = (g + 2h + i) − (a + 2b + c)`
//! (`h − b`), the trigonometric angle is `θ = atan2(dy, −dx)` and the azimuth is
//! `450° − θ` for θ > 90°, else `90° − θ` (Burrough & McDonnell 1998, eq. 8.4–8.6, as
//! implemented by GDAL 3.6 `GDALAspectAlg`; the arctangent is a polynomial good to
//! 1e-7°). Cell size does not enter (square cells).
//!
//! Flat cells (`dx = dy = 0`) get [`FLAT_ASPECT`] = −1, kept apart from nodata (NaN);
//! `gdaldem` writes its nodata value there instead. Border and NaN handling follow
//! [`Edges`]. Axis order `(row, col)`, row 0 north.

use ndarray::{Array2, ArrayView2};

use super::window::map3x3;
use super::{Edges, GradientAlg};

/// Aspect of a cell with no gradient.
pub const FLAT_ASPECT: f32 = -1.0;

/// Aspect in degrees clockwise from north; −1 where flat, NaN where nodata.
///
/// ```
/// use ndarray::array;
/// use riskcensus_kernels::terrain::{aspect, Edges, GradientAlg};
/// // Rising to the north: the slope faces south.
/// let dem = array![[3.0f32, 3.0, 3.0], [2.0, 2.0, 2.0], [1.0, 1.0, 1.0]];
/// let a = aspect(dem.view(), GradientAlg::Horn, Edges::Nodata);
/// assert_eq!(a[(1, 1)], 180.0);
/// ```
pub fn aspect(dem: ArrayView2<f32>, alg: GradientAlg, edges: Edges) -> Array2<f32> {
    match alg {
        GradientAlg::Horn => map3x3(dem, edges, f32::NAN, |w| {
            let [a, b, c, d, _e, f, g, h, i] = *w;
            azimuth(
                (c + f + f + i) - (a + d + d + g),
                (g + h + h + i) - (a + b + b + c),
            )
        }),
        GradientAlg::ZevenbergenThorne => {
            map3x3(dem, edges, f32::NAN, |w| azimuth(w[5] - w[3], w[7] - w[1]))
        }
    }
}

#[inline(always)]
fn azimuth(dx: f32, dy: f32) -> f32 {
    // Written as selects so the 3×3 loop vectorises.
    let theta =
        (super::fastatan::atan2(dy as f64, -(dx as f64)) / (std::f64::consts::PI / 180.0)) as f32;
    let az = if theta > 90.0 {
        450.0 - theta
    } else {
        90.0 - theta
    };
    let az = if az == 360.0 { 0.0 } else { az };
    if dx == 0.0 && dy == 0.0 {
        FLAT_ASPECT
    } else {
        az
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// Planes tilted towards each compass point face that point.
    #[test]
    fn cardinal_and_diagonal_planes() {
        // (downslope direction as (d_row, d_col), expected azimuth)
        let cases = [
            ((-1.0, 0.0), 0.0),   // lower to the north: faces N
            ((-1.0, 1.0), 45.0),  // NE
            ((0.0, 1.0), 90.0),   // E
            ((1.0, 1.0), 135.0),  // SE
            ((1.0, 0.0), 180.0),  // S
            ((1.0, -1.0), 225.0), // SW
            ((0.0, -1.0), 270.0), // W
            ((-1.0, -1.0), 315.0),
        ];
        for ((dr, dc), want) in cases {
            let dem =
                Array2::from_shape_fn((3, 3), |(r, c)| -(dr * r as f32 + dc * c as f32) + 10.0);
            for alg in [GradientAlg::Horn, GradientAlg::ZevenbergenThorne] {
                let a = aspect(dem.view(), alg, Edges::Nodata)[(1, 1)];
                assert!((a - want).abs() < 1e-4, "{alg:?} {dr},{dc}: {a} != {want}");
            }
        }
    }

    #[test]
    fn flat_is_minus_one_and_nan_is_nodata() {
        let mut dem = Array2::from_elem((4, 4), 5.0f32);
        let a = aspect(dem.view(), GradientAlg::Horn, Edges::Nodata);
        assert_eq!(a[(1, 1)], FLAT_ASPECT);
        assert!(a[(0, 0)].is_nan());
        dem[(1, 2)] = f32::NAN;
        let a = aspect(dem.view(), GradientAlg::Horn, Edges::Nodata);
        assert!(a[(1, 1)].is_nan() && a[(2, 2)].is_nan());
    }
}
