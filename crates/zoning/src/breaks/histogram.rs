//! A weighted histogram of quantised values, accumulated tile by tile.
//!
//! A value v (f32, NaN = nodata skipped) is quantised to the integer
//! q = ⌊v/step + ½⌋ (computed in f64: `(v as f64 / step + 0.5).floor()`), i.e. to the
//! nearest multiple of `step`, halves rounded up. Each distinct q is one [`Bin`]
//! holding the number of cells and the smallest and largest raw value that fell in
//! it. Bins are kept sorted by q, so two histograms merge by a sorted merge of
//! integer counts and f32 minima/maxima: the result does not depend on the order in
//! which tiles are added or merged (bit-identical for any tile size or thread count).
//!
//! The default step, [`DEFAULT_STEP`] = 1e-4, suits an index in [0, 1] (at most
//! 10 001 bins); use a step of about 1e-4 of the value range for other units.

use crate::breaks::{fisher_jenks, quantile, Breaks, Method};
use crate::error::ZoningError;

/// Default quantisation step: 1e-4 of an index in [0, 1].
pub const DEFAULT_STEP: f64 = 1e-4;

/// One distinct quantised value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    /// The quantised value in steps: the bin stands for `q · step`.
    pub q: i64,
    /// Number of cells.
    pub count: u64,
    /// Smallest raw value in the bin.
    pub min: f32,
    /// Largest raw value in the bin.
    pub max: f32,
}

/// Streaming histogram; see the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    step: f64,
    bins: Vec<Bin>,
    count: u64,
}

/// Largest |v/step| accepted (so q and q·count sums stay exact).
const Q_LIMIT: f64 = 9.007_199_254_740_992e15; // 2^53

impl Histogram {
    /// An empty histogram with quantisation `step` (finite, > 0).
    pub fn new(step: f64) -> Result<Self, ZoningError> {
        if !(step.is_finite() && step > 0.0) {
            return Err(ZoningError::BadStep { step });
        }
        Ok(Self {
            step,
            bins: Vec::new(),
            count: 0,
        })
    }

    /// The quantisation step.
    pub fn step(&self) -> f64 {
        self.step
    }

    /// The distinct quantised values, ascending.
    pub fn bins(&self) -> &[Bin] {
        &self.bins
    }

    /// Number of valid (non-NaN) values added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact minimum and maximum of the raw values, `None` when empty.
    pub fn min_max(&self) -> Option<(f32, f32)> {
        Some((self.bins.first()?.min, self.bins.last()?.max))
    }

    /// The quantised value a bin stands for, `q · step`.
    pub fn value_of(&self, q: i64) -> f64 {
        q as f64 * self.step
    }

    /// The bin index of a value (quantising it), `None` when the value is NaN or no
    /// bin holds its quantum.
    pub fn quantise(&self, v: f32) -> Option<i64> {
        if v.is_nan() {
            return None;
        }
        let x = (v as f64 / self.step + 0.5).floor();
        (x.abs() < Q_LIMIT).then_some(x as i64)
    }

    /// Add one tile of values (NaN skipped). Errors name the index of an infinite or
    /// unquantisable value; the histogram is then unchanged.
    pub fn add(&mut self, values: &[f32]) -> Result<(), ZoningError> {
        let tile = self.tile_bins(values)?;
        if !tile.is_empty() {
            let n: u64 = tile.iter().map(|b| b.count).sum();
            self.bins = merge_bins(&self.bins, &tile);
            self.count += n;
        }
        Ok(())
    }

    /// Merge another histogram with the same step (any order gives the same result).
    pub fn merge(&mut self, other: &Histogram) -> Result<(), ZoningError> {
        if other.step != self.step {
            return Err(ZoningError::BadStep { step: other.step });
        }
        self.bins = merge_bins(&self.bins, &other.bins);
        self.count += other.count;
        Ok(())
    }

    /// Sorted bins of one tile: a dense counting pass when the tile's quantum span is
    /// small, else a sort.
    fn tile_bins(&self, values: &[f32]) -> Result<Vec<Bin>, ZoningError> {
        let step = self.step;
        let mut lo = i64::MAX;
        let mut hi = i64::MIN;
        let mut n = 0usize;
        for (i, &v) in values.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            let x = (v as f64 / step + 0.5).floor();
            if x.is_nan() || x.abs() >= Q_LIMIT {
                return Err(ZoningError::Unquantisable {
                    index: i,
                    value: v,
                    step: self.step,
                });
            }
            let q = x as i64;
            lo = lo.min(q);
            hi = hi.max(q);
            n += 1;
        }
        if n == 0 {
            return Ok(Vec::new());
        }
        let span = (hi - lo) as u64 + 1;
        if span <= (4 * n as u64).max(1 << 16) {
            let span = span as usize;
            let mut counts = vec![0u64; span];
            let mut mins = vec![f32::INFINITY; span];
            let mut maxs = vec![f32::NEG_INFINITY; span];
            for &v in values {
                if v.is_nan() {
                    continue;
                }
                let q = (v as f64 / step + 0.5).floor() as i64;
                let j = (q - lo) as usize;
                counts[j] += 1;
                mins[j] = mins[j].min(v);
                maxs[j] = maxs[j].max(v);
            }
            Ok((0..span)
                .filter(|&j| counts[j] > 0)
                .map(|j| Bin {
                    q: lo + j as i64,
                    count: counts[j],
                    min: mins[j],
                    max: maxs[j],
                })
                .collect())
        } else {
            let mut qv: Vec<(i64, f32)> = values
                .iter()
                .filter(|v| !v.is_nan())
                .map(|&v| ((v as f64 / step + 0.5).floor() as i64, v))
                .collect();
            qv.sort_unstable_by_key(|p| p.0);
            let mut out: Vec<Bin> = Vec::new();
            for (q, v) in qv {
                match out.last_mut() {
                    Some(b) if b.q == q => {
                        b.count += 1;
                        b.min = b.min.min(v);
                        b.max = b.max.max(v);
                    }
                    _ => out.push(Bin {
                        q,
                        count: 1,
                        min: v,
                        max: v,
                    }),
                }
            }
            Ok(out)
        }
    }

    fn check_k(&self, k: usize) -> Result<(), ZoningError> {
        if k == 0 || k > 255 {
            return Err(ZoningError::BadClassCount { classes: k });
        }
        if self.count == 0 {
            return Err(ZoningError::NoValues);
        }
        Ok(())
    }

    /// Equal-interval breaks: b_i = min + i·(max − min)/K for i < K, b_K = max, from
    /// the exact raw minimum and maximum (as mapclassify's `EqualInterval`). All
    /// values equal gives an error (the bounds would not ascend).
    pub fn equal(&self, k: usize) -> Result<Breaks, ZoningError> {
        self.check_k(k)?;
        let (lo, hi) = self.min_max().ok_or(ZoningError::NoValues)?;
        let (lo, hi) = (lo as f64, hi as f64);
        let width = (hi - lo) / k as f64;
        let mut bounds: Vec<f64> = (1..k).map(|i| lo + i as f64 * width).collect();
        bounds.push(hi);
        Breaks::checked(Method::EqualInterval, bounds, None)
    }

    /// Quantile breaks over the **quantised** population (each value replaced by its
    /// bin's `q · step`): Hyndman–Fan type 7 at p = i/K, b_K = the quantised maximum.
    /// Exact for values already on the step lattice; for exact quantiles of the raw
    /// values use [`Histogram::quantile_plan`] and a second pass.
    pub fn quantile(&self, k: usize) -> Result<Breaks, ZoningError> {
        self.check_k(k)?;
        let n = self.count;
        let mut cum = Vec::with_capacity(self.bins.len());
        let mut c = 0u64;
        for b in &self.bins {
            c += b.count;
            cum.push(c);
        }
        let at = |rank: u64| -> f64 {
            let j = cum.partition_point(|&c| c <= rank);
            self.value_of(self.bins[j].q)
        };
        let mut bounds = Vec::with_capacity(k);
        for i in 1..k {
            let (lo, hi, t) = quantile::type7_position(n, i as f64 / k as f64);
            bounds.push(quantile::lerp(at(lo), at(hi), t));
        }
        bounds.push(self.value_of(self.bins.last().expect("non-empty").q));
        Breaks::checked(Method::Quantile, bounds, None)
    }

    /// The two-pass exact quantile: which ranks to collect (see [`quantile::QuantilePlan`]).
    pub fn quantile_plan(&self, k: usize) -> Result<quantile::QuantilePlan, ZoningError> {
        self.check_k(k)?;
        Ok(quantile::QuantilePlan::new(self, k))
    }

    /// Exact Fisher–Jenks natural breaks on the quantised population (see
    /// [`fisher_jenks`]). Each bound is the largest **raw** value of its class, so
    /// classifying the raw values with the breaks reproduces the optimal partition of
    /// the quantised values exactly; the last bound is the maximum.
    pub fn jenks(&self, k: usize) -> Result<Breaks, ZoningError> {
        let ends = self.jenks_partition(k)?;
        let bounds = ends.iter().map(|&e| self.bins[e - 1].max as f64).collect();
        Breaks::checked(Method::Jenks, bounds, Some(self.step))
    }

    /// The optimal partition of the bins into `k` classes as exclusive end indices
    /// into [`Histogram::bins`] (the last = the number of bins).
    pub fn jenks_partition(&self, k: usize) -> Result<Vec<usize>, ZoningError> {
        self.check_k(k)?;
        if self.bins.len() < k {
            return Err(ZoningError::TooFewDistinct {
                distinct: self.bins.len(),
                classes: k,
                step: self.step,
            });
        }
        let q: Vec<i64> = self.bins.iter().map(|b| b.q).collect();
        let w: Vec<u64> = self.bins.iter().map(|b| b.count).collect();
        Ok(fisher_jenks::partition(&q, &w, k))
    }
}

fn merge_bins(a: &[Bin], b: &[Bin]) -> Vec<Bin> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.q < y.q {
            out.push(x);
            i += 1;
        } else if y.q < x.q {
            out.push(y);
            j += 1;
        } else {
            out.push(Bin {
                q: x.q,
                count: x.count + y.count,
                min: x.min.min(y.min),
                max: x.max.max(y.max),
            });
            i += 1;
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_do_not_depend_on_tiling() {
        // 10 000 pseudo-random values with ties, added whole vs in ragged tiles in
        // reverse order vs merged from two halves.
        let mut s = 12345u64;
        let vals: Vec<f32> = (0..10_000)
            .map(|i| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                if i % 97 == 0 {
                    f32::NAN
                } else {
                    ((s >> 40) as f32 / (1u64 << 24) as f32).powi(3)
                }
            })
            .collect();
        let mut whole = Histogram::new(1e-3).unwrap();
        whole.add(&vals).unwrap();
        let mut tiled = Histogram::new(1e-3).unwrap();
        for c in vals.rchunks(333) {
            tiled.add(c).unwrap();
        }
        let (a, b) = vals.split_at(4321);
        let mut h1 = Histogram::new(1e-3).unwrap();
        h1.add(b).unwrap();
        let mut h2 = Histogram::new(1e-3).unwrap();
        h2.add(a).unwrap();
        h1.merge(&h2).unwrap();
        assert_eq!(whole, tiled);
        assert_eq!(whole, h1);
        assert_eq!(whole.count(), 10_000 - 104);
    }

    #[test]
    fn quantisation_rounds_to_nearest_step() {
        let mut h = Histogram::new(0.5).unwrap();
        // 0.24 → 0, 0.25 → 1 (half up), 0.74 → 1, -0.25 → 0 (⌊−0.5 + 0.5⌋ = 0), -0.26 → −1
        h.add(&[0.24, 0.25, 0.74, -0.25, -0.26, f32::NAN]).unwrap();
        let qs: Vec<(i64, u64)> = h.bins().iter().map(|b| (b.q, b.count)).collect();
        assert_eq!(qs, vec![(-1, 1), (0, 2), (1, 2)]);
        assert_eq!(h.bins()[2].min, 0.25);
        assert_eq!(h.bins()[2].max, 0.74);
        // sparse path (span > 4n and > 2^16): same bins as dense
        let mut s = Histogram::new(1e-6).unwrap();
        s.add(&[0.0, 1.0, 1.0, 0.5]).unwrap();
        assert_eq!(
            s.bins().iter().map(|b| (b.q, b.count)).collect::<Vec<_>>(),
            vec![(0, 1), (500_000, 1), (1_000_000, 2)]
        );
    }

    #[test]
    fn infinite_values_are_errors_naming_the_index() {
        let mut h = Histogram::new(1e-4).unwrap();
        assert_eq!(
            h.add(&[0.1, f32::INFINITY]),
            Err(ZoningError::Unquantisable {
                index: 1,
                value: f32::INFINITY,
                step: 1e-4
            })
        );
        assert_eq!(h.count(), 0);
        assert!(Histogram::new(0.0).is_err());
    }

    #[test]
    fn equal_interval_by_hand() {
        let mut h = Histogram::new(1e-4).unwrap();
        h.add(&[1.0, 3.0, 2.0, 11.0]).unwrap();
        // width (11 − 1)/5 = 2
        assert_eq!(h.equal(5).unwrap().bounds, vec![3.0, 5.0, 7.0, 9.0, 11.0]);
    }
}
