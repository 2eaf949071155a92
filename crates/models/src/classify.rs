//! Classification of a continuous index into level codes by fixed breaks.
//!
//! Breaks are class upper bounds: with K − 1 ascending inner breaks
//! b_1 < … < b_{K−1} (the K-th bound is the maximum of the data; quantile breaks of
//! tied data may repeat a bound, leaving the classes between empty), a value belongs to
//! the first class whose bound it does not exceed, i.e. ascending class
//! i = #{j : v > b_j} ∈ 0..K (intervals (b_{j}, b_{j+1}]: a value equal to a break
//! stays in the lower class — the convention of Jenks, mapclassify and the zoning
//! stage). It gets the level code K − i, so that level 1 is the highest class as in
//! the census level schemes (risk 1 = I 高 … 5 = V 低). NaN gets code 0 (nodata).
//! Breaks are compared in f32, the type of the scores.

use riskcensus_core::LevelScheme;
use serde::Serialize;

/// Default quantisation step of natural breaks: 10⁻⁴ of an index in [0, 1].
pub const DEFAULT_STEP: f64 = 1.0e-4;

/// A validated classification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// `fixed_breaks`, `natural_breaks`, `quantile` or `equal_interval`.
    pub method: &'static str,
    /// Ascending inner breaks (K − 1 class upper bounds; the K-th is the maximum).
    /// Empty for a data-driven method until [`Classification::with_breaks`].
    pub breaks: Vec<f64>,
    /// Number of classes K.
    pub classes: usize,
    /// Quantisation step of natural breaks.
    pub step: Option<f64>,
    /// The level scheme the codes belong to, when the model names one (resolved from
    /// the library's `levels.toml` files).
    pub scheme: Option<LevelScheme>,
}

impl Classification {
    pub(crate) fn fixed(breaks: Vec<f64>, scheme: Option<LevelScheme>) -> Self {
        Self {
            method: "fixed_breaks",
            classes: breaks.len() + 1,
            breaks,
            step: None,
            scheme,
        }
    }

    pub(crate) fn data_driven(
        method: &'static str,
        classes: usize,
        step: Option<f64>,
        scheme: Option<LevelScheme>,
    ) -> Self {
        Self {
            method,
            breaks: Vec::new(),
            classes,
            step,
            scheme,
        }
    }

    /// True when the breaks are known (fixed, or resolved from the data).
    pub fn has_breaks(&self) -> bool {
        self.breaks.len() + 1 == self.classes
    }

    /// The same classification with the inner breaks computed from the data (K − 1
    /// ascending values; the method name is kept for the record).
    pub fn with_breaks(&self, breaks: Vec<f64>) -> Self {
        Self {
            breaks,
            ..self.clone()
        }
    }

    /// Number of classes K.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Breaks as f32, the values cells are compared with.
    pub fn breaks_f32(&self) -> Vec<f32> {
        self.breaks.iter().map(|&b| b as f32).collect()
    }

    /// Level code of one value (reference form): 0 for NaN, else K − i where i is
    /// the number of breaks < v.
    pub fn code(&self, v: f32) -> u8 {
        if v.is_nan() {
            return 0;
        }
        let i = self.breaks.iter().take_while(|&&b| v > b as f32).count();
        (self.classes() - i) as u8
    }

    /// Classify a slice of values into level codes (vectorised: one pass per break).
    pub fn classify(&self, values: &[f32], levels: &mut [u8]) {
        assert_eq!(
            values.len(),
            levels.len(),
            "values and levels differ in length"
        );
        classify_into(&self.breaks_f32(), values, levels);
    }
}

/// Level codes for `values` with ascending f32 `breaks` (K = breaks + 1 classes).
/// Up to 8 breaks the break count is a const generic, so the per-cell loop over the
/// breaks unrolls and the loop over cells vectorises (compares in f32 lanes, one
/// narrowing store per cell).
#[inline(always)]
pub(crate) fn classify_into(breaks: &[f32], values: &[f32], levels: &mut [u8]) {
    match breaks.len() {
        1 => classify_n::<1>(breaks, values, levels),
        2 => classify_n::<2>(breaks, values, levels),
        3 => classify_n::<3>(breaks, values, levels),
        4 => classify_n::<4>(breaks, values, levels),
        5 => classify_n::<5>(breaks, values, levels),
        6 => classify_n::<6>(breaks, values, levels),
        7 => classify_n::<7>(breaks, values, levels),
        8 => classify_n::<8>(breaks, values, levels),
        _ => classify_any(breaks, values, levels),
    }
}

#[inline(always)]
fn classify_n<const N: usize>(breaks: &[f32], values: &[f32], levels: &mut [u8]) {
    let b: [f32; N] = breaks.try_into().expect("N breaks");
    let k = (N + 1) as u32;
    for (l, &v) in levels.iter_mut().zip(values) {
        let mut c = k;
        for bj in b {
            c -= (v > bj) as u32;
        }
        *l = if v.is_nan() { 0 } else { c as u8 };
    }
}

fn classify_any(breaks: &[f32], values: &[f32], levels: &mut [u8]) {
    let k = (breaks.len() + 1) as u8;
    for (l, &v) in levels.iter_mut().zip(values) {
        let i = breaks.iter().filter(|&&b| v > b).count() as u8;
        *l = if v.is_nan() { 0 } else { k - i };
    }
}
