//! Expert mode: susceptibility without an inventory, as an AHP-weighted sum of
//! expert class scores (the analytic hierarchy process of Saaty, T.L. (1980) *The
//! Analytic Hierarchy Process*, McGraw-Hill, through [`crate::ahp`]):
//!
//! ```text
//! S = Σ_f w_f · e_f(class_f),   w = principal eigenvector of the pairwise matrix (CR < 0.1)
//! ```
//!
//! with e_f(k) ∈ [0, 1] the expert score of class k of factor f, stated per class in
//! `models/geohazard.toml`. Used when the inventory is below the minimum count for
//! statistical training (the refusal names it).

use super::params::GeohazardParams;

/// Per-factor lookup tables w_f · e_f(k) (`[f][k − 1]`); `None` without an AHP
/// matrix or without expert scores on every factor.
pub fn expert_tables(p: &GeohazardParams) -> Option<Vec<Vec<f64>>> {
    let ahp = p.expert.as_ref()?;
    p.factors
        .iter()
        .zip(&ahp.weights)
        .map(|(f, &w)| f.expert.as_ref().map(|e| e.iter().map(|s| w * s).collect()))
        .collect()
}
