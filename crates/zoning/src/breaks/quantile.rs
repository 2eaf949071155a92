//! Quantile breaks: Hyndman & Fan (1996), "Sample quantiles in statistical
//! packages", *The American Statistician* 50(4):361–365, definition 7 — the linear
//! interpolation of order statistics used by R's default and numpy's
//! `quantile(method="linear")`:
//!
//! h = (n − 1)·p, Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)  (0-based order statistics),
//!
//! with ties kept (every cell counts). The interpolation is evaluated as numpy 1.24+
//! does (`a + (b − a)·t` for t < ½, `b − (b − a)·(1 − t)` otherwise), so results agree
//! with numpy bit for bit on the same f64 values.
//!
//! Exact quantiles of a raster stream in two passes: the first builds a
//! [`Histogram`], which tells in which bin each needed order statistic lies
//! ([`QuantilePlan`]); the second collects only the raw values of those few bins, and
//! sorting them gives the order statistics exactly. Memory is bounded by the size of
//! the needed bins, not of the raster.

use crate::breaks::{Breaks, Histogram, Method};
use crate::error::ZoningError;

/// Position of Q(p) among n order statistics: (⌊h⌋, ⌊h⌋ + 1 clamped, h − ⌊h⌋) with
/// h = (n − 1)·p.
pub(crate) fn type7_position(n: u64, p: f64) -> (u64, u64, f64) {
    let h = (n - 1) as f64 * p;
    if h >= (n - 1) as f64 {
        return (n - 1, n - 1, 0.0);
    }
    let lo = h.floor();
    (lo as u64, lo as u64 + 1, h - lo)
}

/// numpy's `_lerp`.
#[inline]
pub(crate) fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let d = b - a;
    if t >= 0.5 {
        b - d * (1.0 - t)
    } else {
        a + d * t
    }
}

/// Q(p) of ascending `sorted` values (definition 7). `None` when empty.
pub fn quantile_type7(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let (lo, hi, t) = type7_position(sorted.len() as u64, p);
    Some(lerp(sorted[lo as usize], sorted[hi as usize], t))
}

/// Exact quantile breaks of an in-memory slice (NaN skipped): b_i = Q(i/K), b_K =
/// max. Heavily tied data whose quantiles repeat give [`ZoningError::BadBreaks`].
pub fn quantile_breaks(values: &[f32], k: usize) -> Result<Breaks, ZoningError> {
    let mut h = Histogram::new(crate::breaks::DEFAULT_STEP)?;
    h.add(values)?;
    let mut plan = h.quantile_plan(k)?;
    plan.add(values);
    plan.finish()
}

/// The second pass of an exact quantile: collects the raw values of the bins that
/// hold the needed order statistics, then [`QuantilePlan::finish`] gives the breaks.
#[derive(Debug, Clone)]
pub struct QuantilePlan {
    step: f64,
    /// (lo rank, hi rank, t) per inner break.
    positions: Vec<(u64, u64, f64)>,
    /// Needed bins, ascending q: (q, first rank in the bin, cells in the bin).
    targets: Vec<(i64, u64, u64)>,
    /// Raw values seen in each target bin.
    collected: Vec<Vec<f32>>,
    max: f32,
}

impl QuantilePlan {
    pub(crate) fn new(h: &Histogram, k: usize) -> Self {
        let n = h.count();
        let positions: Vec<(u64, u64, f64)> = (1..k)
            .map(|i| type7_position(n, i as f64 / k as f64))
            .collect();
        let mut ranks: Vec<u64> = positions.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        ranks.sort_unstable();
        ranks.dedup();
        let mut targets: Vec<(i64, u64, u64)> = Vec::new();
        let mut first = 0u64;
        let mut r = ranks.iter().peekable();
        for b in h.bins() {
            let end = first + b.count;
            let mut hit = false;
            while let Some(&&rank) = r.peek() {
                if rank < end {
                    hit = true;
                    r.next();
                } else {
                    break;
                }
            }
            if hit {
                targets.push((b.q, first, b.count));
            }
            first = end;
        }
        let collected = targets
            .iter()
            .map(|t| Vec::with_capacity(t.2 as usize))
            .collect();
        Self {
            step: h.step(),
            positions,
            targets,
            collected,
            max: h.min_max().map(|m| m.1).unwrap_or(f32::NAN),
        }
    }

    /// Add one tile of the same values as the first pass (any order, any tiling).
    pub fn add(&mut self, values: &[f32]) {
        let (Some(lo), Some(hi)) = (self.targets.first(), self.targets.last()) else {
            return;
        };
        let (lo, hi) = (lo.0, hi.0);
        for &v in values {
            if v.is_nan() {
                continue;
            }
            let x = (v as f64 / self.step + 0.5).floor();
            if x < lo as f64 || x > hi as f64 {
                continue;
            }
            let q = x as i64;
            if let Ok(j) = self.targets.binary_search_by_key(&q, |t| t.0) {
                self.collected[j].push(v);
            }
        }
    }

    /// The breaks, exact order statistics of the raw values.
    pub fn finish(mut self) -> Result<Breaks, ZoningError> {
        for (t, c) in self.targets.iter().zip(self.collected.iter_mut()) {
            if c.len() as u64 != t.2 {
                return Err(ZoningError::PassMismatch {
                    q: t.0,
                    first: t.2,
                    second: c.len() as u64,
                });
            }
            c.sort_unstable_by(f32::total_cmp);
        }
        let at = |rank: u64| -> f64 {
            let j = self.targets.partition_point(|t| t.1 + t.2 <= rank);
            let t = self.targets[j];
            self.collected[j][(rank - t.1) as usize] as f64
        };
        let mut bounds: Vec<f64> = self
            .positions
            .iter()
            .map(|&(lo, hi, t)| lerp(at(lo), at(hi), t))
            .collect();
        bounds.push(self.max as f64);
        Breaks::checked(Method::Quantile, bounds, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_by_hand() {
        // x = 1, 2, 3, 4, 10: h(0.25) = 1 → 2; h(0.5) = 2 → 3; h(0.9) = 3.6 → 4 + 0.6·6 = 7.6
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_type7(&x, 0.25), Some(2.0));
        assert_eq!(quantile_type7(&x, 0.5), Some(3.0));
        assert!((quantile_type7(&x, 0.9).unwrap() - 7.6).abs() < 1e-12);
        assert_eq!(quantile_type7(&x, 1.0), Some(10.0));
    }

    #[test]
    fn two_pass_equals_sorting_for_any_tiling() {
        let mut s = 99u64;
        let vals: Vec<f32> = (0..5000)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) as f32 / (1u64 << 24) as f32).exp()
            })
            .collect();
        let mut sorted: Vec<f64> = vals.iter().map(|&v| v as f64).collect();
        sorted.sort_by(f64::total_cmp);
        let want: Vec<f64> = (1..5)
            .map(|i| quantile_type7(&sorted, i as f64 / 5.0).unwrap())
            .chain([*sorted.last().unwrap()])
            .collect();
        let mut h = Histogram::new(1e-2).unwrap();
        for c in vals.chunks(777) {
            h.add(c).unwrap();
        }
        let mut plan = h.quantile_plan(5).unwrap();
        for c in vals.rchunks(1000) {
            plan.add(c);
        }
        assert_eq!(plan.finish().unwrap().bounds, want);
        assert_eq!(quantile_breaks(&vals, 5).unwrap().bounds, want);
    }
}
