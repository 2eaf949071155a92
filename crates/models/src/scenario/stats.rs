//! The statistics of the scenario runs: seeded sampling of the uncertain inputs,
//! percentiles of the Monte Carlo results, and rank correlation (Spearman's ρ) for
//! the sensitivity table and the hindcast.
//!
//! - **Sampling**: sample *i* of a run with seed *s* draws its inputs from its own
//!   ChaCha8 stream (seed `s`, stream `i`), so a sample is the same whichever thread
//!   computes it and in whatever order (results are bit-identical for any thread
//!   count). A lognormal factor is `exp(σ·Φ⁻¹(u))` (median 1), Φ⁻¹ the normal
//!   quantile of [`crate::trend::normal`].
//! - **Percentiles**: linear interpolation between order statistics at
//!   h = (n − 1)·p (Hyndman & Fan 1996, definition 7 — numpy's and R's default).
//! - **Spearman's ρ**: Pearson's correlation of the ranks, ties taking their mean
//!   rank (Spearman 1904; the definition of `scipy.stats.spearmanr`). Its p-value
//!   here is a permutation test (two-sided, seeded), exact in distribution for any
//!   n, so no t approximation is needed for the dozen townships of a county.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// The distribution of one uncertain input.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "distribution", rename_all = "lowercase")]
pub enum Distribution {
    /// A multiplicative factor exp(σ·Z), Z standard normal: median 1.
    Lognormal {
        /// σ of ln(factor), > 0.
        sigma: f64,
    },
    /// Uniform on [low, high].
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound (> low).
        high: f64,
    },
    /// Triangular on [low, high] with its mode.
    Triangular {
        /// Lower bound.
        low: f64,
        /// Mode, in [low, high].
        mode: f64,
        /// Upper bound (> low).
        high: f64,
    },
}

impl Distribution {
    /// What is wrong with the parameters, if anything.
    pub fn problem(&self) -> Option<&'static str> {
        let fin = |v: f64| v.is_finite();
        match *self {
            Distribution::Lognormal { sigma } => {
                (!(sigma > 0.0 && fin(sigma))).then_some("sigma must be positive")
            }
            Distribution::Uniform { low, high } => {
                (!(fin(low) && fin(high) && high > low)).then_some("needs low < high")
            }
            Distribution::Triangular { low, mode, high } => {
                (!(fin(low) && fin(high) && high > low && (low..=high).contains(&mode)))
                    .then_some("needs low ≤ mode ≤ high and low < high")
            }
        }
    }

    /// The value at probability `u` in (0, 1) (the inverse CDF).
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Distribution::Lognormal { sigma } => (sigma * -crate::trend::normal::norm_isf(u)).exp(),
            Distribution::Uniform { low, high } => low + u * (high - low),
            Distribution::Triangular { low, mode, high } => {
                let f = (mode - low) / (high - low);
                if u < f {
                    low + (u * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
                }
            }
        }
    }

    /// The value with no uncertainty: the lognormal's median (1), the uniform's
    /// mid-point, the triangular's mode.
    pub fn central(&self) -> f64 {
        match *self {
            Distribution::Lognormal { .. } => 1.0,
            Distribution::Uniform { low, high } => 0.5 * (low + high),
            Distribution::Triangular { mode, .. } => mode,
        }
    }
}

impl std::fmt::Display for Distribution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Distribution::Lognormal { sigma } => write!(f, "lognormal(median 1, σ {sigma})"),
            Distribution::Uniform { low, high } => write!(f, "uniform({low}, {high})"),
            Distribution::Triangular { low, mode, high } => {
                write!(f, "triangular({low}, {mode}, {high})")
            }
        }
    }
}

/// The draws of sample `index` of a run seeded `seed`: one value per distribution,
/// in order, from the sample's own stream.
pub fn draw(seed: u64, index: u64, inputs: &[Distribution]) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    inputs
        .iter()
        .map(|d| {
            // u in the open interval (0, 1): 53 random bits, offset by half a step.
            let u = ((rng.random::<u64>() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
            d.quantile(u)
        })
        .collect()
}

/// The p-quantile (p in [0, 1]) of `values` by linear interpolation between order
/// statistics (Hyndman & Fan definition 7); NaN values are left out; NaN when none
/// is left.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Ranks 1..=n of `values`, ties taking their mean rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut r = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

/// Pearson's correlation; NaN when either side is constant or n < 2.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    if n < 2 {
        return f64::NAN;
    }
    let mx = x[..n].iter().sum::<f64>() / n as f64;
    let my = y[..n].iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mx, y[i] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        f64::NAN
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Spearman's rank correlation of the pairs (x, y); NaN when a side is constant.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

/// Two-sided permutation p-value of Spearman's ρ: the share of `permutations`
/// random orderings of y (seeded) whose |ρ| reaches the observed |ρ|, counting the
/// observed ordering ((1 + hits)/(1 + permutations), Phipson & Smyth 2010). NaN
/// when ρ is.
pub fn spearman_p(x: &[f64], y: &[f64], permutations: u32, seed: u64) -> f64 {
    let rx = ranks(x);
    let ry = ranks(y);
    let rho = pearson(&rx, &ry);
    if rho.is_nan() {
        return f64::NAN;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut perm = ry.clone();
    let mut hits = 0u32;
    for _ in 0..permutations {
        // Fisher–Yates.
        for i in (1..perm.len()).rev() {
            let j = rng.random_range(0..=i);
            perm.swap(i, j);
        }
        if pearson(&rx, &perm).abs() >= rho.abs() - 1e-12 {
            hits += 1;
        }
    }
    f64::from(1 + hits) / f64::from(1 + permutations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_follow_numpy_default() {
        // numpy.percentile([1, 2, 3, 4, 10], [5, 50, 95]) = [1.2, 3.0, 8.8]
        let v = [4.0, 1.0, 10.0, 3.0, 2.0];
        assert!((percentile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert!((percentile(&v, 0.95) - 8.8).abs() < 1e-12);
        assert!(percentile(&[], 0.5).is_nan());
    }

    #[test]
    fn spearman_matches_scipy_with_ties() {
        // scipy.stats.spearmanr([1, 2, 2, 4, 5], [5, 6, 7, 8, 7]).statistic
        //   = 0.7631578947368421
        let r = spearman(&[1.0, 2.0, 2.0, 4.0, 5.0], &[5.0, 6.0, 7.0, 8.0, 7.0]);
        assert!((r - 0.763_157_894_736_842_1).abs() < 1e-12, "{r}");
        assert_eq!(ranks(&[3.0, 1.0, 3.0]), vec![2.5, 1.0, 2.5]);
        // A perfect ranking is significant, a constant side is not defined.
        let x: Vec<f64> = (0..12).map(f64::from).collect();
        let p = spearman_p(&x, &x, 2000, 1);
        assert!(p < 0.002, "{p}");
        assert!(spearman(&x, &[1.0; 12]).is_nan());
    }

    #[test]
    fn draws_are_the_same_for_a_sample_whatever_else_is_drawn() {
        let d = [
            Distribution::Lognormal { sigma: 0.3 },
            Distribution::Uniform {
                low: 5.0,
                high: 9.0,
            },
            Distribution::Triangular {
                low: 0.0,
                mode: 1.0,
                high: 4.0,
            },
        ];
        assert_eq!(draw(7, 42, &d), draw(7, 42, &d));
        assert_ne!(draw(7, 42, &d), draw(7, 43, &d));
        // The lognormal factor's median is 1 and its spread σ: over many samples the
        // mean of ln f is near 0 and its standard deviation near σ.
        let ln: Vec<f64> = (0..20_000).map(|i| draw(3, i, &d)[0].ln()).collect();
        let m = ln.iter().sum::<f64>() / ln.len() as f64;
        let s = (ln.iter().map(|x| (x - m).powi(2)).sum::<f64>() / ln.len() as f64).sqrt();
        assert!(m.abs() < 0.01 && (s - 0.3).abs() < 0.01, "{m} {s}");
        // The triangular's quantile at the mode's probability is the mode.
        assert!((d[2].quantile(0.25) - 1.0).abs() < 1e-12);
        assert!(Distribution::Uniform {
            low: 1.0,
            high: 1.0
        }
        .problem()
        .is_some());
    }
}
