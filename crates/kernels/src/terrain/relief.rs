//! Focal relief and terrain ruggedness over a square window of radius r cells.
//!
//! - **Relief** (local relief, "amplitude of relief"): `max − min` of the valid cells in
//!   the `(2r+1)²` window centred on the cell, metres. Computed separably (row pass,
//!   then column pass) with the van Herk (1992) / Gil & Werman (1993) running max/min,
//!   O(1) per cell whatever r.
//! - **TRI** (Riley, DeGloria & Elliot 1999, "A terrain ruggedness index that
//!   quantifies topographic heterogeneity", Intermountain J. Sci. 5, 23–27):
//!   `TRI = √(Σ (z_ij − z_00)²)` over the valid cells of the window, metres. With r = 1
//!   this is `gdaldem TRI -alg Riley`.
//!
//! Nodata: a NaN centre gives NaN; NaN neighbours and cells beyond the grid are left
//! out of the window (so borders are computed from the truncated window; `gdaldem`
//! without `-compute_edges` writes nodata on the outer ring instead). Axis order
//! `(row, col)`, row 0 north.

use ndarray::{Array2, ArrayView2};

use crate::contiguous;

/// Local relief `max − min` (metres) over the `(2·radius+1)²` window.
pub fn relief(dem: ArrayView2<f32>, radius: usize) -> Array2<f32> {
    let (rows, cols) = dem.dim();
    let src = contiguous(&dem);
    let n = rows * cols;
    let mut hi = vec![0.0f32; n];
    let mut lo = vec![0.0f32; n];
    // NaN → ±∞ so it never wins a max or min.
    let mut buf_a = vec![0.0f32; rows.max(cols)];
    let mut buf_b = vec![0.0f32; rows.max(cols)];
    let mut col_in = vec![0.0f32; rows];
    for r in 0..rows {
        let row = &src[r * cols..(r + 1) * cols];
        let (h, l) = (
            &mut hi[r * cols..(r + 1) * cols],
            &mut lo[r * cols..(r + 1) * cols],
        );
        for (o, &v) in h.iter_mut().zip(row) {
            *o = if v.is_nan() { f32::NEG_INFINITY } else { v };
        }
        for (o, &v) in l.iter_mut().zip(row) {
            *o = if v.is_nan() { f32::INFINITY } else { v };
        }
        running(
            h,
            radius,
            f32::max,
            f32::NEG_INFINITY,
            &mut buf_a,
            &mut buf_b,
        );
        running(l, radius, f32::min, f32::INFINITY, &mut buf_a, &mut buf_b);
    }
    for (grid, op, id) in [
        (&mut hi, f32::max as fn(f32, f32) -> f32, f32::NEG_INFINITY),
        (&mut lo, f32::min as fn(f32, f32) -> f32, f32::INFINITY),
    ] {
        for c in 0..cols {
            for r in 0..rows {
                col_in[r] = grid[r * cols + c];
            }
            running(&mut col_in, radius, op, id, &mut buf_a, &mut buf_b);
            for r in 0..rows {
                grid[r * cols + c] = col_in[r];
            }
        }
    }
    let out: Vec<f32> = src
        .iter()
        .zip(hi.iter().zip(&lo))
        .map(|(&z, (&h, &l))| if z.is_nan() { f32::NAN } else { h - l })
        .collect();
    Array2::from_shape_vec((rows, cols), out).expect("shape")
}

/// In place: `x[i] = op(x[i-r ..= i+r])` (truncated at the ends), van Herk / Gil–Werman
/// with blocks of `2r+1`: prefix and suffix scans, then one `op` per element.
fn running(
    x: &mut [f32],
    r: usize,
    op: fn(f32, f32) -> f32,
    id: f32,
    pre: &mut [f32],
    suf: &mut [f32],
) {
    let n = x.len();
    if r == 0 || n == 0 {
        return;
    }
    let k = 2 * r + 1;
    let (pre, suf) = (&mut pre[..n], &mut suf[..n]);
    for s in (0..n).step_by(k) {
        let e = (s + k).min(n);
        let mut acc = id;
        for i in s..e {
            acc = op(acc, x[i]);
            pre[i] = acc;
        }
        let mut acc = id;
        for i in (s..e).rev() {
            acc = op(acc, x[i]);
            suf[i] = acc;
        }
    }
    // Window [i-r, i+r] spans at most two blocks: suffix of the left end's block and
    // prefix of the right end's block.
    for (i, xi) in x.iter_mut().enumerate() {
        let lo = i.saturating_sub(r);
        let hi = (i + r).min(n - 1);
        *xi = if lo / k != hi / k {
            op(suf[lo], pre[hi])
        } else if lo % k == 0 {
            // Same block starting at `lo` (full window or truncated at the start).
            pre[hi]
        } else {
            // Same block ending at `hi` (truncated at the end of the array).
            suf[lo]
        };
    }
}

/// Terrain ruggedness index (Riley et al. 1999), metres, over the `(2·radius+1)²` window.
pub fn tri_riley(dem: ArrayView2<f32>, radius: usize) -> Array2<f32> {
    let (rows, cols) = dem.dim();
    let src = contiguous(&dem);
    let mut out = Array2::from_elem((rows, cols), f32::NAN);
    let r = radius as isize;
    for (i, o) in out.iter_mut().enumerate() {
        let (row, col) = ((i / cols) as isize, (i % cols) as isize);
        let z0 = src[i];
        if z0.is_nan() {
            continue;
        }
        let (r0, r1) = (
            (row - r).max(0) as usize,
            ((row + r) as usize).min(rows - 1),
        );
        let (c0, c1) = (
            (col - r).max(0) as usize,
            ((col + r) as usize).min(cols - 1),
        );
        let mut s = 0.0f64;
        for rr in r0..=r1 {
            for &z in &src[rr * cols + c0..=rr * cols + c1] {
                if !z.is_nan() {
                    let d = (z - z0) as f64;
                    s += d * d;
                }
            }
        }
        *o = s.sqrt() as f32;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn brute_relief(dem: &Array2<f32>, r: usize) -> Array2<f32> {
        let (rows, cols) = dem.dim();
        Array2::from_shape_fn((rows, cols), |(i, j)| {
            if dem[(i, j)].is_nan() {
                return f32::NAN;
            }
            let (mut hi, mut lo) = (f32::NEG_INFINITY, f32::INFINITY);
            for a in i.saturating_sub(r)..=(i + r).min(rows - 1) {
                for b in j.saturating_sub(r)..=(j + r).min(cols - 1) {
                    let v = dem[(a, b)];
                    if !v.is_nan() {
                        hi = hi.max(v);
                        lo = lo.min(v);
                    }
                }
            }
            hi - lo
        })
    }

    #[test]
    fn relief_matches_brute_force() {
        let mut seed = 12345u64;
        for &(rows, cols) in &[(1, 1), (1, 7), (9, 4), (13, 17), (20, 3)] {
            let mut dem = Array2::from_shape_fn((rows, cols), |_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((seed >> 40) % 1000) as f32 / 10.0
            });
            if rows * cols > 10 {
                dem[(rows / 2, cols / 2)] = f32::NAN;
                dem[(0, cols - 1)] = f32::NAN;
            }
            for r in 0..5 {
                let got = relief(dem.view(), r);
                let want = brute_relief(&dem, r);
                for (g, w) in got.iter().zip(want.iter()) {
                    assert!(
                        g == w || (g.is_nan() && w.is_nan()),
                        "{rows}x{cols} r={r}: {g} vs {w}"
                    );
                }
            }
        }
    }

    /// Riley's TRI by hand: centre 5, neighbours differ by 1,−1,2,−2,3,−3,0,0:
    /// √(1+1+4+4+9+9) = √28.
    #[test]
    fn tri_by_hand() {
        let dem = array![[6.0f32, 4.0, 7.0], [3.0, 5.0, 8.0], [2.0, 5.0, 5.0]];
        let t = tri_riley(dem.view(), 1);
        assert!((t[(1, 1)] - 28f32.sqrt()).abs() < 1e-6);
        // Corner (0,0): window {6,4,3,5} → √(4+9+1) = √14.
        assert!((t[(0, 0)] - 14f32.sqrt()).abs() < 1e-6);
    }
}
