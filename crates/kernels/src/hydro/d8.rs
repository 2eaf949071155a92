//! D8 flow direction by steepest descent (O'Callaghan & Mark 1984).
//!
//! O'Callaghan, J.F., Mark, D.M. (1984) "The extraction of drainage networks from
//! digital elevation data", Computer Vision, Graphics and Image Processing 28,
//! 323–344. Each cell drains to the 8-neighbour with the largest drop per distance,
//! `(z − z_n) / d` with `d = L` for the four cardinal and `d = √2·L` for the four
//! diagonal neighbours; square cells make L cancel, so no cell size is needed.
//!
//! Codes (ESRI): E=1, SE=2, S=4, SW=8, W=16, NW=32, N=64, NE=128 (row 0 north).
//! - [`NO_FLOW`] = 0: an outlet. **Every valid grid-border cell is 0** (water leaves
//!   the grid there; RichDEM does the same), and so is an interior cell with no lower
//!   valid neighbour (on a filled DEM only cells next to NaN can be such outlets).
//! - [`D8_NODATA`] = 255: the cell is NaN. NaN neighbours are never chosen.
//! - Ties (equal drop per distance, exactly, in f32) go to the first direction in the
//!   order E, SE, S, SW, W, NW, N, NE.
//!
//! [`d8_with_rule`] with [`D8Rule::LowestNeighbour`] instead takes the largest drop
//! regardless of distance, the rule RichDEM and pyflwdir apply; it exists so the
//! whole chain can be checked cell for cell against those tools (and for users who
//! need their convention). Both rules drain every cell of a filled DEM.
//!
//! Run it on a [`super::fill_depressions`] output so that every cell drains. Drops are
//! computed in f32 (exact for neighbouring values within a factor 2, so the ε steps of
//! the filled surface are resolved exactly); the diagonal drop is multiplied by 1/√2.

use ndarray::{Array2, ArrayView2};

use super::D8_CODES;
use crate::contiguous;

/// An outlet: no lower in-grid neighbour, or a grid-border cell.
pub const NO_FLOW: u8 = 0;
/// A NaN (nodata) cell.
pub const D8_NODATA: u8 = 255;

/// Which neighbour a cell drains to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum D8Rule {
    /// Largest drop per distance, diagonals at √2·L (O'Callaghan & Mark 1984).
    #[default]
    SteepestSlope,
    /// Largest drop, i.e. the lowest neighbour (RichDEM's and pyflwdir's D8).
    LowestNeighbour,
}

/// D8 codes of `dem` (metres; normally the filled DEM) by steepest descent.
pub fn d8(dem: ArrayView2<f32>) -> Array2<u8> {
    d8_with_rule(dem, D8Rule::SteepestSlope)
}

/// D8 codes of `dem` under `rule`.
pub fn d8_with_rule(dem: ArrayView2<f32>, rule: D8Rule) -> Array2<u8> {
    match rule {
        D8Rule::SteepestSlope => d8_weighted(dem, std::f32::consts::FRAC_1_SQRT_2),
        D8Rule::LowestNeighbour => d8_weighted(dem, 1.0),
    }
}

/// `k` multiplies diagonal drops; monomorphised per rule through inlining.
#[inline(always)]
fn d8_weighted(dem: ArrayView2<f32>, k: f32) -> Array2<u8> {
    let (rows, cols) = dem.dim();
    let z = contiguous(&dem);
    let z: &[f32] = &z;
    let mut out = vec![NO_FLOW; rows * cols];
    for (o, &v) in out.iter_mut().zip(z) {
        if v.is_nan() {
            *o = D8_NODATA;
        }
    }
    if rows < 3 || cols < 3 {
        return Array2::from_shape_vec((rows, cols), out).expect("shape");
    }
    for r in 1..rows - 1 {
        let up = &z[(r - 1) * cols..r * cols];
        let mid = &z[r * cols..(r + 1) * cols];
        let dn = &z[(r + 1) * cols..(r + 2) * cols];
        let o = &mut out[r * cols + 1..(r + 1) * cols - 1];
        for (((u, m), d), o) in up.windows(3).zip(mid.windows(3)).zip(dn.windows(3)).zip(o) {
            let e = m[1];
            if e.is_nan() {
                continue;
            }
            // E, SE, S, SW, W, NW, N, NE; NaN drops compare false and are skipped.
            let drops = [
                e - m[2],
                (e - d[2]) * k,
                e - d[1],
                (e - d[0]) * k,
                e - m[0],
                (e - u[0]) * k,
                e - u[1],
                (e - u[2]) * k,
            ];
            let mut best = 0.0f32;
            let mut code = NO_FLOW;
            for (k, &s) in drops.iter().enumerate() {
                if s > best {
                    best = s;
                    code = D8_CODES[k].0;
                }
            }
            *o = code;
        }
    }
    Array2::from_shape_vec((rows, cols), out).expect("shape")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn steepest_with_diagonal_distance() {
        // Centre 10: E drops 3 (3/1), SE drops 4 (4/√2 = 2.83): E wins.
        let dem = array![[10.0f32, 10.0, 10.0], [10.0, 10.0, 7.0], [10.0, 10.0, 6.0]];
        assert_eq!(d8(dem.view())[(1, 1)], 1);
        // SE drops 5 (3.54) beats E's 3.
        let dem = array![[10.0f32, 10.0, 10.0], [10.0, 10.0, 7.0], [10.0, 10.0, 5.0]];
        assert_eq!(d8(dem.view())[(1, 1)], 2);
        // Equal drops N and S: the tie goes to S (earlier in E, SE, S, … order).
        let dem = array![[9.0f32, 8.0, 9.0], [9.0, 9.5, 9.0], [9.0, 8.0, 9.0]];
        assert_eq!(d8(dem.view())[(1, 1)], 4);
    }

    #[test]
    fn border_is_outlet_nan_is_nodata() {
        let dem = array![
            [1.0f32, 2.0, 3.0, 4.0],
            [2.0, 3.0, f32::NAN, 5.0],
            [3.0, 4.0, 5.0, 6.0]
        ];
        let d = d8(dem.view());
        assert_eq!(d.row(0).to_vec(), vec![0, 0, 0, 0]);
        assert_eq!(d[(1, 0)], 0);
        assert_eq!(d[(1, 2)], D8_NODATA);
        assert_eq!(d[(1, 1)], 32); // NW drop 2/√2 = 1.41 > N drop 1 = W drop 1
        let dem = array![[10.0f32, 10.0, 10.0], [10.0, 10.0, 7.0], [10.0, 10.0, 6.0]];
        assert_eq!(d8_with_rule(dem.view(), D8Rule::LowestNeighbour)[(1, 1)], 2);
        let pit = array![[5.0f32, 5.0, 5.0], [5.0, 1.0, 5.0], [5.0, 5.0, 5.0]];
        assert_eq!(d8(pit.view())[(1, 1)], NO_FLOW);
    }
}
