//! Exact Euclidean distance transform (EDT) of a feature mask.
//!
//! Felzenszwalb, P.F., Huttenlocher, D.P. (2012) "Distance Transforms of Sampled
//! Functions", Theory of Computing 8, 415–428. Separable: the squared distance
//! `D(p) = min_q ‖p − q‖²` over feature cells q is computed as a 1-D transform down
//! every column (for a binary mask this is the distance to the nearest feature in the
//! column, two sweeps run over whole rows so memory is read contiguously), then the
//! 1-D lower envelope of parabolas `f(q) + (x − q)²` along every row (FH 2012,
//! Algorithm 1). O(n), exact: squared distances are integers in cell units, the
//! envelope breakpoints are compared in f64, and the result is `√D · L`.
//!
//! - Output: metres from the cell centre to the nearest feature cell centre, f32;
//!   0 on feature cells.
//! - `cap` (metres): distances above it are written as `cap` (nearest features farther
//!   than the cap are irrelevant for distance-decay factors).
//! - No feature cell at all: every cell is `+∞` (or `cap`). There is no nodata input:
//!   mask nodata cells after the transform if needed.
//! - Axis order `(row, col)`; square cells of `cell` metres.

use ndarray::{Array2, ArrayView2};

use crate::{contiguous, CellSize, KernelError};

/// Euclidean distance (metres) from every cell to the nearest `true` cell.
pub fn euclidean_distance(
    features: ArrayView2<bool>,
    cell: CellSize,
    cap: Option<f64>,
) -> Result<Array2<f32>, KernelError> {
    if let Some(c) = cap {
        if c.is_nan() || c < 0.0 {
            return Err(KernelError::BadParameter {
                name: "cap",
                value: c,
                reason: "must be ≥ 0 metres",
            });
        }
    }
    let (rows, cols) = features.dim();
    let f = contiguous(&features);
    const INF: u32 = u32::MAX;
    // Column pass: g = distance in cells to the nearest feature in the same column.
    let mut g = vec![INF; rows * cols];
    for r in 0..rows {
        let (prev, cur) = g.split_at_mut(r * cols);
        let cur = &mut cur[..cols];
        let fr = &f[r * cols..(r + 1) * cols];
        if r == 0 {
            for (o, &m) in cur.iter_mut().zip(fr) {
                *o = if m { 0 } else { INF };
            }
        } else {
            let p = &prev[(r - 1) * cols..];
            for ((o, &m), &p) in cur.iter_mut().zip(fr).zip(p) {
                *o = if m { 0 } else { p.saturating_add(1) };
            }
        }
    }
    for r in (0..rows.saturating_sub(1)).rev() {
        let (cur, next) = g.split_at_mut((r + 1) * cols);
        let cur = &mut cur[r * cols..];
        for (o, &nx) in cur.iter_mut().zip(&next[..cols]) {
            *o = (*o).min(nx.saturating_add(1));
        }
    }
    // Row pass: lower envelope of parabolas.
    let l = cell.metres();
    let cap = cap.unwrap_or(f64::INFINITY);
    let mut out = vec![0.0f32; rows * cols];
    let mut v = vec![0usize; cols];
    let mut z = vec![0.0f64; cols + 1];
    let mut fq = vec![0.0f64; cols];
    for r in 0..rows {
        let gr = &g[r * cols..(r + 1) * cols];
        let orow = &mut out[r * cols..(r + 1) * cols];
        for (x, &d) in fq.iter_mut().zip(gr) {
            *x = if d == INF {
                f64::INFINITY
            } else {
                (d as f64) * (d as f64)
            };
        }
        let mut k: isize = -1;
        for q in 0..cols {
            if fq[q].is_infinite() {
                continue;
            }
            let qf = q as f64;
            let mut s = f64::NEG_INFINITY;
            while k >= 0 {
                let p = v[k as usize];
                let pf = p as f64;
                s = ((fq[q] + qf * qf) - (fq[p] + pf * pf)) / (2.0 * (qf - pf));
                if s <= z[k as usize] {
                    k -= 1;
                } else {
                    break;
                }
            }
            if k < 0 {
                s = f64::NEG_INFINITY;
            }
            k += 1;
            v[k as usize] = q;
            z[k as usize] = s;
            z[k as usize + 1] = f64::INFINITY;
        }
        if k < 0 {
            orow.fill(cap.min(f64::INFINITY) as f32);
            continue;
        }
        let mut j = 0usize;
        for (x, o) in orow.iter_mut().enumerate() {
            let xf = x as f64;
            while z[j + 1] < xf {
                j += 1;
            }
            let p = v[j];
            let dx = xf - p as f64;
            let d2 = dx * dx + fq[p];
            *o = (d2.sqrt() * l).min(cap) as f32;
        }
    }
    Ok(Array2::from_shape_vec((rows, cols), out).expect("shape"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(mask: &Array2<bool>, l: f64) -> Array2<f32> {
        let feats: Vec<(usize, usize)> = mask
            .indexed_iter()
            .filter(|(_, &m)| m)
            .map(|(p, _)| p)
            .collect();
        Array2::from_shape_fn(mask.dim(), |(r, c)| {
            let best = feats
                .iter()
                .map(|&(a, b)| {
                    let (dr, dc) = (a as f64 - r as f64, b as f64 - c as f64);
                    dr * dr + dc * dc
                })
                .fold(f64::INFINITY, f64::min);
            (best.sqrt() * l) as f32
        })
    }

    #[test]
    fn exact_against_brute_force() {
        let mut seed = 0x2545F4914F6CDD1Du64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for trial in 0..200 {
            let rows = 1 + (rnd() % 23) as usize;
            let cols = 1 + (rnd() % 23) as usize;
            let density = [2, 5, 20, 100][trial % 4];
            let mask = Array2::from_shape_fn((rows, cols), |_| rnd() % density == 0);
            let l = 12.5;
            let got = euclidean_distance(mask.view(), CellSize::new(l).unwrap(), None).unwrap();
            let want = brute(&mask, l);
            assert_eq!(got, want, "trial {trial} {rows}x{cols}");
        }
    }

    #[test]
    fn cap_and_empty() {
        let mut m = Array2::from_elem((3, 4), false);
        let e = euclidean_distance(m.view(), CellSize::new(1.0).unwrap(), None).unwrap();
        assert!(e.iter().all(|v| v.is_infinite()));
        let e = euclidean_distance(m.view(), CellSize::new(1.0).unwrap(), Some(7.0)).unwrap();
        assert!(e.iter().all(|&v| v == 7.0));
        m[(0, 0)] = true;
        let e = euclidean_distance(m.view(), CellSize::new(30.0).unwrap(), Some(60.0)).unwrap();
        assert_eq!(e[(0, 1)], 30.0);
        assert_eq!(e[(1, 1)], (30.0 * 2f64.sqrt()) as f32);
        assert_eq!(e[(2, 3)], 60.0);
        assert!(euclidean_distance(m.view(), CellSize::new(1.0).unwrap(), Some(-1.0)).is_err());
    }
}
