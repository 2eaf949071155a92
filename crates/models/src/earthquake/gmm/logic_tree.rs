//! A ground-motion logic tree: weighted branches of ground-motion models, combined
//! into one median and one σ per rupture–site pair.
//!
//! Combination rule: the branches' normal distributions of ln IM are mixed with
//! the branch weights, and the mixture is summarised by its first two moments —
//! the weighted mean of the ln-medians, and the mixture variance by the law of
//! total variance (within-branch variance plus the spread of the branch means),
//! the convention for collapsing weighted GMM branches into one log-normal
//! distribution:
//!
//! ```text
//! μ_i = ln median_i,   μ̄ = Σ w_i·μ_i
//! median = exp(μ̄)                                   (weighted geometric mean)
//! σ = √(Σ w_i·(σ_i² + (μ_i − μ̄)²))                  (mixture variance)
//! ```
//!
//! with weights w_i > 0 summing to 1 (within 1e-9, renormalised to sum exactly to
//! 1). A tree of one branch returns that model's own result, bit for bit.

use super::{GmInput, Gmm, GroundMotion, Imt};
use crate::earthquake::error::EarthquakeError;

/// Tolerance on the sum of the branch weights.
pub const WEIGHT_SUM_TOLERANCE: f64 = 1e-9;

/// Validated branches: known models, positive weights summing to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct GmmTree {
    branches: Vec<(Gmm, f64)>,
}

impl GmmTree {
    /// One model with weight 1.
    pub fn single(gmm: Gmm) -> GmmTree {
        GmmTree {
            branches: vec![(gmm, 1.0)],
        }
    }

    /// Branches `(model, weight)`; `Err` with the reason (naming the offending
    /// branch by its 0-based index) when a weight is not finite and positive or the
    /// weights do not sum to 1 within [`WEIGHT_SUM_TOLERANCE`].
    pub fn new(branches: Vec<(Gmm, f64)>) -> Result<GmmTree, String> {
        if branches.is_empty() {
            return Err("no branch".into());
        }
        for (i, (_, w)) in branches.iter().enumerate() {
            if !(w.is_finite() && *w > 0.0 && *w <= 1.0) {
                return Err(format!("branch {i}: weight {w} not in (0, 1]"));
            }
        }
        let sum: f64 = branches.iter().map(|b| b.1).sum();
        if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
            return Err(format!(
                "weights sum to {sum}, not 1 (tolerance {WEIGHT_SUM_TOLERANCE:e})"
            ));
        }
        let branches = branches.into_iter().map(|(g, w)| (g, w / sum)).collect();
        Ok(GmmTree { branches })
    }

    /// The branches (weights renormalised to sum to 1).
    pub fn branches(&self) -> &[(Gmm, f64)] {
        &self.branches
    }

    /// The model name of a one-branch tree; else `name (w), name (w), …`.
    pub fn label(&self) -> String {
        match self.branches.as_slice() {
            [(g, _)] => g.name().to_string(),
            b => b
                .iter()
                .map(|(g, w)| format!("{} ({w})", g.name()))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The intersection of the branches' magnitude ranges (inclusive); `None` when
    /// empty.
    pub fn mag_range(&self) -> Option<(f64, f64)> {
        let lo = self
            .branches
            .iter()
            .map(|b| b.0.mag_range().0)
            .fold(f64::MIN, f64::max);
        let hi = self
            .branches
            .iter()
            .map(|b| b.0.mag_range().1)
            .fold(f64::MAX, f64::min);
        (lo <= hi).then_some((lo, hi))
    }

    /// The combined median and σ of `imt` (module doc); the first branch that
    /// refuses the case stops it with that model's error.
    pub fn ground_motion(&self, imt: Imt, x: &GmInput) -> Result<GroundMotion, EarthquakeError> {
        if let [(g, _)] = self.branches.as_slice() {
            return g.ground_motion(imt, x);
        }
        let mut parts = Vec::with_capacity(self.branches.len());
        for (g, w) in &self.branches {
            let gm = g.ground_motion(imt, x)?;
            parts.push((*w, gm.median.ln(), gm.sigma_ln));
        }
        Ok(combine(&parts))
    }
}

/// The mixture of `(weight, μ, σ)` branches (weights summing to 1): median
/// exp(Σ w·μ) and σ = √(Σ w·(σ² + (μ − μ̄)²)), in the order given.
pub fn combine(parts: &[(f64, f64, f64)]) -> GroundMotion {
    let mean: f64 = parts.iter().map(|(w, mu, _)| w * mu).sum();
    let var: f64 = parts
        .iter()
        .map(|(w, mu, s)| w * (s * s + (mu - mean) * (mu - mean)))
        .sum();
    GroundMotion {
        median: mean.exp(),
        sigma_ln: var.sqrt(),
    }
}
