//! Class breaks: the K upper bounds that cut a continuous index into K classes, and
//! the four ways of choosing them (DESIGN.md §5, issue 9 item 1).
//!
//! # Convention
//!
//! [`Breaks`] holds K ascending **upper bounds** b₁ < … < b_K (b₁ ≤ … ≤ b_K for
//! quantiles of tied data: a repeated bound leaves the classes between empty); for breaks
//! computed from data, b_K is the maximum. A value v belongs to the first ascending
//! class i (0-based) whose bound it does not exceed, v ≤ b_i (classes are
//! (b_{i−1}, b_i], the lowest closed below, as in mapclassify and jenkspy). A value
//! above b_K (fixed breaks, or a raster that changed) falls in the top class.
//! Values are f32 and are compared with the bounds rounded to f32 (as
//! `riskcensus_models` compares fixed breaks), so a bound of 0.2 holds the cell value
//! 0.2f32; bounds computed from the data (Jenks class maxima, minima and maxima) are
//! f32 values already.
//!
//! **Level codes**: the census level schemes number levels from the highest class
//! (`riskcensus_core::LevelScheme`: risk 1 = I 高 … 5 = V 低; geohazard 1 = 极高 … 4
//! = 低), so ascending class i gets the level code **K − i**: the top class (highest
//! values) is level 1, the bottom class is level K. NaN (nodata) gets code 0.
//!
//! `riskcensus_models::Classification` follows the same convention and stores the
//! K − 1 inner bounds ([`Breaks::inner`], [`Breaks::from_inner`]).
//!
//! # Methods
//!
//! - [`Method::Fixed`]: given bounds ([`Breaks::fixed`]);
//! - [`Method::EqualInterval`]: b_i = min + i·(max − min)/K ([`Histogram::equal`]);
//! - [`Method::Quantile`]: b_i = Q(i/K) with Hyndman & Fan (1996) definition 7
//!   (numpy's default linear interpolation), ties kept ([`quantile`]);
//! - [`Method::Jenks`]: Fisher's (1958) exact optimal partition — Jenks's (1977)
//!   natural breaks — on the full population quantised to a step
//!   ([`Histogram::jenks`], [`fisher_jenks`]).
//!
//! All four stream: tiles are added to a [`Histogram`] (and, for exact quantiles, a
//! second pass through a [`QuantilePlan`]), so breaks never need the raster in memory
//! and are identical for any tile size, tile order or thread count.

pub mod fisher_jenks;
pub mod histogram;
pub mod quantile;

use serde::Serialize;

use crate::error::ZoningError;

pub use histogram::{Bin, Histogram, DEFAULT_STEP};
pub use quantile::{quantile_type7, QuantilePlan};

/// How breaks were chosen (recorded with the breaks in every output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Bounds given by the model or the user ([`Breaks::fixed`]).
    Fixed,
    /// K equal intervals between the minimum and the maximum ([`Histogram::equal`]).
    EqualInterval,
    /// Quantiles at i/K, Hyndman & Fan (1996) definition 7 ([`quantile`]).
    Quantile,
    /// Fisher–Jenks natural breaks on the quantised full population ([`Histogram::jenks`]).
    Jenks,
}

impl Method {
    /// The identifier used on the command line and in manifests.
    pub fn id(self) -> &'static str {
        match self {
            Method::Fixed => "fixed",
            Method::EqualInterval => "equal",
            Method::Quantile => "quantile",
            Method::Jenks => "jenks",
        }
    }

    /// Parse `fixed`, `equal`, `quantile` or `jenks` (also `equal_interval`,
    /// `natural_breaks`, `fisher_jenks`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "fixed" | "fixed_breaks" => Some(Method::Fixed),
            "equal" | "equal_interval" => Some(Method::EqualInterval),
            "quantile" | "quantiles" => Some(Method::Quantile),
            "jenks" | "natural_breaks" | "fisher_jenks" => Some(Method::Jenks),
            _ => None,
        }
    }
}

/// K ascending upper bounds (see the module docs for the class and level-code
/// convention).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breaks {
    /// How the bounds were chosen.
    pub method: Method,
    /// Upper bounds b₁ < … < b_K (quantiles: b₁ ≤ … ≤ b_K), in the unit of the
    /// classified values.
    pub bounds: Vec<f64>,
    /// The quantisation step the breaks were computed with (Jenks only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
}

impl Breaks {
    /// Given upper bounds (K ≥ 1, finite, strictly ascending).
    pub fn fixed(bounds: Vec<f64>) -> Result<Self, ZoningError> {
        Self::checked(Method::Fixed, bounds, None)
    }

    /// From K − 1 ascending inner upper bounds as model files give them
    /// (`riskcensus_models::Classification::breaks`, same convention): the top class
    /// is unbounded (+∞), so a value above the data maximum still gets level 1.
    pub fn from_inner(inner: &[f64]) -> Result<Self, ZoningError> {
        let mut bounds = inner.to_vec();
        bounds.push(f64::INFINITY);
        Self::checked(Method::Fixed, bounds, None)
    }

    /// The K − 1 inner bounds (all but the maximum), the form model classifications
    /// store (`riskcensus_models::Classification::with_breaks`).
    pub fn inner(&self) -> &[f64] {
        &self.bounds[..self.bounds.len() - 1]
    }

    pub(crate) fn checked(
        method: Method,
        bounds: Vec<f64>,
        step: Option<f64>,
    ) -> Result<Self, ZoningError> {
        if bounds.is_empty() || bounds.len() > 255 {
            return Err(ZoningError::BadClassCount {
                classes: bounds.len(),
            });
        }
        // Quantiles of tied data repeat a bound (the classes between are empty):
        // kept, as numpy and the docs keep them; every other method needs strictly
        // ascending bounds.
        check_ascending(&bounds, &bounds, method != Method::Quantile)?;
        Ok(Self {
            method,
            bounds,
            step,
        })
    }

    /// Number of classes K.
    pub fn classes(&self) -> usize {
        self.bounds.len()
    }

    /// Ascending class index (0 = lowest) of a valid value: the first class whose
    /// bound the value does not exceed; values above the last bound fall in the top
    /// class. `None` for NaN.
    #[inline]
    pub fn class_of(&self, v: f32) -> Option<usize> {
        if v.is_nan() {
            return None;
        }
        let k = self.bounds.len();
        Some(self.bounds.partition_point(|&b| (b as f32) < v).min(k - 1))
    }

    /// Level code of a value: K − class (1 = the highest class), 0 for NaN.
    #[inline]
    pub fn classify(&self, v: f32) -> u8 {
        match self.class_of(v) {
            Some(i) => (self.bounds.len() - i) as u8,
            None => 0,
        }
    }

    /// Level codes of a slice (same convention as [`Breaks::classify`]).
    pub fn classify_slice(&self, values: &[f32], levels: &mut [u8]) -> Result<(), ZoningError> {
        if values.len() != levels.len() {
            return Err(ZoningError::ShapeMismatch {
                what: "level buffer",
                got: levels.len(),
                expected: values.len(),
            });
        }
        for (l, &v) in levels.iter_mut().zip(values) {
            *l = self.classify(v);
        }
        Ok(())
    }
}

fn check_ascending(bounds: &[f64], shown: &[f64], strict: bool) -> Result<(), ZoningError> {
    for (i, &b) in bounds.iter().enumerate() {
        let descends = i > 0 && (b < bounds[i - 1] || (strict && b == bounds[i - 1]));
        if b.is_nan() || descends || (b.is_infinite() && i + 1 < bounds.len()) {
            return Err(ZoningError::BadBreaks {
                breaks: shown.to_vec(),
                index: i,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_codes_count_down_from_the_top_class() {
        // Hand example: bounds 0.2, 0.4, 0.6, 0.8, 1.0 (risk, K = 5).
        let b = Breaks::fixed(vec![0.2, 0.4, 0.6, 0.8, 1.0]).unwrap();
        assert_eq!(b.classify(0.0), 5); // V 低
        assert_eq!(b.classify(0.2), 5); // a value on a bound belongs to that class
        assert_eq!(b.classify(0.2000001), 4);
        assert_eq!(b.classify(0.5), 3);
        assert_eq!(b.classify(0.95), 1); // I 高
        assert_eq!(b.classify(7.0), 1); // above the maximum: top class
        assert_eq!(b.classify(-3.0), 5);
        assert_eq!(b.classify(f32::NAN), 0);
    }

    #[test]
    fn inner_bounds_as_models_store_them() {
        // Inner bounds [0.3, 0.6]: v > 0.6 → 1, 0.3 < v ≤ 0.6 → 2, v ≤ 0.3 → 3.
        let b = Breaks::from_inner(&[0.3, 0.6]).unwrap();
        assert_eq!(b.classify(0.6), 2);
        assert_eq!(b.classify(0.6000001), 1);
        assert_eq!(b.classify(0.3), 3);
        assert_eq!(b.classify(5.0), 1);
        assert_eq!(b.inner(), &[0.3, 0.6]);
    }

    #[test]
    fn rejects_unordered_or_empty_breaks() {
        assert!(matches!(
            Breaks::fixed(vec![0.5, 0.5]),
            Err(ZoningError::BadBreaks { index: 1, .. })
        ));
        assert!(matches!(
            Breaks::fixed(vec![]),
            Err(ZoningError::BadClassCount { classes: 0 })
        ));
        assert!(Breaks::fixed(vec![f64::NAN]).is_err());
    }
}
