//! Plan and profile curvature from the Zevenbergen & Thorne (1987) polynomial.
//!
//! The 3×3 window (spacing L metres, Z1…Z9 = a…i, row 0 north) is fitted exactly by
//! `z = Ax²y² + Bx²y + Cxy² + Dx² + Ey² + Fxy + Gx + Hy + I` (x east, y north) with
//! (Zevenbergen & Thorne 1987, eq. 3–11):
//!
//! ```text
//! D = ((d + f)/2 − e) / L²      E = ((b + h)/2 − e) / L²     F = (c + g − a − i) / (4L²)
//! G = (f − d) / (2L)            H = (b − h) / (2L)
//! profile = −2 (D·G² + E·H² + F·G·H) / (G² + H²)       (ZT eq. 16)
//! plan    =  2 (D·H² + E·G² − F·G·H) / (G² + H²)       (ZT eq. 17)
//! ```
//!
//! Units are **1/m** (not ArcGIS's ×100). Sign convention, exactly ZT's:
//! - profile > 0 where the surface is convex along the slope line (flow accelerates,
//!   e.g. a shoulder), < 0 where concave (a footslope): for `z = x² + x`, profile = −2;
//! - plan > 0 where contours are concave, i.e. across-slope the surface bends up and
//!   flow converges (hollows, valleys), < 0 on noses and ridges: for `z = x + y²`,
//!   plan = +2.
//!
//! Where the cell is flat (`G = H = 0`) both are 0. Nodata and borders follow [`Edges`]
//! (only the 4-neighbourhood and corners of the window enter); output nodata is NaN.
//! Zevenbergen, L.W., Thorne, C.R. (1987) Earth Surf. Process. Landforms 12, 47–56.

use ndarray::{Array2, ArrayView2};

use super::window::map3x3;
use super::Edges;
use crate::CellSize;

/// Plan and profile curvature grids, 1/m.
#[derive(Debug, Clone, PartialEq)]
pub struct Curvature {
    /// Plan curvature (ZT eq. 17), 1/m: > 0 where flow converges (hollows), < 0 on ridges.
    pub plan: Array2<f32>,
    /// Profile curvature (ZT eq. 16), 1/m: > 0 where convex along the slope line, < 0 where concave.
    pub profile: Array2<f32>,
}

#[inline(always)]
fn coeffs(w: &[f32; 9], l: f64) -> (f64, f64, f64, f64, f64) {
    let [a, b, c, d, e, f, g, h, i] = w.map(|v| v as f64);
    let l2 = l * l;
    (
        ((d + f) * 0.5 - e) / l2,
        ((b + h) * 0.5 - e) / l2,
        (c + g - a - i) / (4.0 * l2),
        (f - d) / (2.0 * l),
        (b - h) / (2.0 * l),
    )
}

/// Plan and profile curvature (1/m) of `dem` (metres) on `cell`-metre cells.
pub fn curvature(dem: ArrayView2<f32>, cell: CellSize, edges: Edges) -> Curvature {
    let l = cell.metres();
    let profile = map3x3(dem, edges, f32::NAN, |w| {
        let (d, e, f, g, h) = coeffs(w, l);
        let s = g * g + h * h;
        if s == 0.0 {
            0.0
        } else {
            (-2.0 * (d * g * g + e * h * h + f * g * h) / s) as f32
        }
    });
    let plan = map3x3(dem, edges, f32::NAN, |w| {
        let (d, e, f, g, h) = coeffs(w, l);
        let s = g * g + h * h;
        if s == 0.0 {
            0.0
        } else {
            (2.0 * (d * h * h + e * g * g - f * g * h) / s) as f32
        }
    });
    Curvature { plan, profile }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(f: impl Fn(f64, f64) -> f64, l: f64) -> Array2<f32> {
        // x east from column, y north from row (row 0 north).
        Array2::from_shape_fn((3, 3), |(r, c)| {
            f((c as f64 - 1.0) * l, (1.0 - r as f64) * l) as f32
        })
    }

    /// Hand values: for z = k(x² + x) the slope line is x, ∂²z/∂x² = 2k, ∂z/∂x = k at 0.
    /// D = k, G = k, H = 0 → profile = −2·k·k²/k² = −2k, plan = 0.
    #[test]
    fn profile_of_parabola() {
        let l = 10.0;
        let k = 0.01;
        let c = curvature(
            grid(|x, _| k * (x * x + x), l).view(),
            CellSize::new(l).unwrap(),
            Edges::Nodata,
        );
        assert!(
            (c.profile[(1, 1)] as f64 + 2.0 * k).abs() < 1e-7,
            "{}",
            c.profile[(1, 1)]
        );
        assert!(c.plan[(1, 1)].abs() < 1e-7);
    }

    /// z = x + k·y²: valley along x. E = k, G = 1, H = 0 → plan = 2k, profile = 0.
    #[test]
    fn plan_of_valley() {
        let l = 5.0;
        let k = 0.02;
        let c = curvature(
            grid(|x, y| x + k * y * y, l).view(),
            CellSize::new(l).unwrap(),
            Edges::Nodata,
        );
        assert!(
            (c.plan[(1, 1)] as f64 - 2.0 * k).abs() < 1e-6,
            "{}",
            c.plan[(1, 1)]
        );
        assert!(c.profile[(1, 1)].abs() < 1e-7);
    }

    #[test]
    fn plane_and_flat_have_zero_curvature() {
        let cell = CellSize::new(30.0).unwrap();
        let c = curvature(
            grid(|x, y| 3.0 + 0.1 * x - 0.2 * y, 30.0).view(),
            cell,
            Edges::Nodata,
        );
        assert_eq!(c.plan[(1, 1)], 0.0);
        assert_eq!(c.profile[(1, 1)], 0.0);
        let c = curvature(
            Array2::from_elem((3, 3), 1.0f32).view(),
            cell,
            Edges::Nodata,
        );
        assert_eq!(c.plan[(1, 1)], 0.0);
    }
}
