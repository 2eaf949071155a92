//! The 3×3 moving window shared by slope, aspect, hillshade and curvature.
//!
//! Interior rows run over three contiguous row slices with no per-cell bounds checks
//! or allocation; only the outer ring takes the slow path that rebuilds the window
//! with `gdaldem -compute_edges` extrapolation.

use ndarray::{Array2, ArrayView2};

use super::Edges;
use crate::contiguous;

/// Apply `f` to the 3×3 window of every cell. `f` only ever sees NaN-free windows;
/// cells whose window cannot be completed under `edges` get `nodata`.
#[inline]
pub(crate) fn map3x3<O, F>(dem: ArrayView2<f32>, edges: Edges, nodata: O, f: F) -> Array2<O>
where
    O: Copy,
    F: Fn(&[f32; 9]) -> O,
{
    let (rows, cols) = dem.dim();
    let mut out = Array2::from_elem((rows, cols), nodata);
    if rows == 0 || cols == 0 {
        return out;
    }
    let src = contiguous(&dem);
    let src: &[f32] = &src;
    let dst = out.as_slice_mut().expect("fresh array is contiguous");
    let compute = edges == Edges::Compute;

    // Interior rows: fast path for columns 1..cols-1. Rows are checked for NaN once,
    // so windows of NaN-free rows run a branch-free loop that LLVM can vectorise.
    if rows >= 3 && cols >= 3 {
        let row_nan: Vec<bool> = src
            .chunks_exact(cols)
            .map(|r| r.iter().any(|v| v.is_nan()))
            .collect();
        for r in 1..rows - 1 {
            let up = &src[(r - 1) * cols..r * cols];
            let mid = &src[r * cols..(r + 1) * cols];
            let dn = &src[(r + 1) * cols..(r + 2) * cols];
            let n = cols - 2;
            let o = &mut dst[r * cols + 1..r * cols + 1 + n];
            // Nine equal-length shifted slices: indexing by `c < n` needs no bounds
            // checks, and without NaN in the three rows the loop is branch-free.
            let (u0, u1, u2) = (&up[..n], &up[1..n + 1], &up[2..n + 2]);
            let (m0, m1, m2) = (&mid[..n], &mid[1..n + 1], &mid[2..n + 2]);
            let (d0, d1, d2) = (&dn[..n], &dn[1..n + 1], &dn[2..n + 2]);
            if !(row_nan[r - 1] || row_nan[r] || row_nan[r + 1]) {
                for c in 0..n {
                    o[c] = f(&[
                        u0[c], u1[c], u2[c], m0[c], m1[c], m2[c], d0[c], d1[c], d2[c],
                    ]);
                }
                continue;
            }
            for c in 0..n {
                let mut w = [
                    u0[c], u1[c], u2[c], m0[c], m1[c], m2[c], d0[c], d1[c], d2[c],
                ];
                if w.iter().any(|v| v.is_nan()) {
                    if fix_nodata(&mut w, compute) {
                        o[c] = f(&w);
                    }
                } else {
                    o[c] = f(&w);
                }
            }
        }
    }

    if !compute || rows < 2 || cols < 2 {
        return out;
    }
    // Outer ring, GDAL -compute_edges style.
    let at = |r: usize, c: usize| src[r * cols + c];
    let interp = |edge: f32, next: f32| 2.0 * edge - next;
    let ring = |r: usize, c: usize| {
        let mut w = [0.0f32; 9];
        if r == 0 || r == rows - 1 {
            let cmin = if c == 0 { c } else { c - 1 };
            let cmax = if c == cols - 1 { c } else { c + 1 };
            let cs = [cmin, c, cmax];
            for (k, &cc) in cs.iter().enumerate() {
                if r == 0 {
                    let (e, n) = (at(0, cc), at(1, cc));
                    w[k] = interp(e, n);
                    w[3 + k] = e;
                    w[6 + k] = n;
                } else {
                    let (p, e) = (at(rows - 2, cc), at(rows - 1, cc));
                    w[k] = p;
                    w[3 + k] = e;
                    w[6 + k] = interp(e, p);
                }
            }
        } else {
            for (k, rr) in [r - 1, r, r + 1].into_iter().enumerate() {
                if c == 0 {
                    let (e, n) = (at(rr, 0), at(rr, 1));
                    w[3 * k] = interp(e, n);
                    w[3 * k + 1] = e;
                    w[3 * k + 2] = n;
                } else {
                    let (p, e) = (at(rr, cols - 2), at(rr, cols - 1));
                    w[3 * k] = p;
                    w[3 * k + 1] = e;
                    w[3 * k + 2] = interp(e, p);
                }
            }
        }
        w
    };
    let eval = |r: usize, c: usize, out: &mut Array2<O>| {
        let mut w = ring(r, c);
        if fix_nodata(&mut w, true) {
            out[(r, c)] = f(&w);
        }
    };
    for c in 0..cols {
        eval(0, c, &mut out);
        eval(rows - 1, c, &mut out);
    }
    for r in 1..rows - 1 {
        eval(r, 0, &mut out);
        eval(r, cols - 1, &mut out);
    }
    out
}

/// GDAL's `ComputeVal`: NaN centre → nodata (false); otherwise NaN neighbours take the
/// centre value when computing edges, else the cell is nodata.
#[inline(never)]
fn fix_nodata(w: &mut [f32; 9], compute: bool) -> bool {
    let e = w[4];
    if e.is_nan() || !compute {
        return false;
    }
    for v in w.iter_mut() {
        if v.is_nan() {
            *v = e;
        }
    }
    true
}
