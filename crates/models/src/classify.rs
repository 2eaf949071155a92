//! Classification of a continuous index into level codes by fixed breaks.
//!
//! With K − 1 strictly ascending breaks b_1 < … < b_{K−1}, a value v falls in
//! ascending class i = #{j : v ≥ b_j} ∈ 0..K (intervals [b_j, b_{j+1}), the lowest
//! open below, the highest open above), and gets the level code K − i, so that level
//! 1 is the highest class as in the census level schemes (risk 1 = I 高 … 5 = V 低).
//! NaN gets code 0 (nodata). Breaks are compared in f32, the type of the scores.

use riskcensus_core::LevelScheme;
use serde::Serialize;

/// A validated classification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    pub method: &'static str,
    /// Ascending breaks (K − 1 of them).
    pub breaks: Vec<f64>,
    /// The level scheme the codes belong to, when the model names one.
    pub scheme: Option<LevelScheme>,
}

impl Classification {
    pub(crate) fn fixed(breaks: Vec<f64>, scheme: Option<LevelScheme>) -> Self {
        Self {
            method: "fixed_breaks",
            breaks,
            scheme,
        }
    }

    /// Number of classes K.
    pub fn classes(&self) -> usize {
        self.breaks.len() + 1
    }

    /// Breaks as f32, the values cells are compared with.
    pub fn breaks_f32(&self) -> Vec<f32> {
        self.breaks.iter().map(|&b| b as f32).collect()
    }

    /// Level code of one value (reference form): 0 for NaN, else K − i where i is
    /// the number of breaks ≤ v.
    pub fn code(&self, v: f32) -> u8 {
        if v.is_nan() {
            return 0;
        }
        let i = self.breaks.iter().take_while(|&&b| v >= b as f32).count();
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
#[inline]
pub(crate) fn classify_into(breaks: &[f32], values: &[f32], levels: &mut [u8]) {
    let k = (breaks.len() + 1) as u8;
    for l in levels.iter_mut() {
        *l = k;
    }
    for &b in breaks {
        for (l, &v) in levels.iter_mut().zip(values) {
            *l -= (v >= b) as u8;
        }
    }
    for (l, &v) in levels.iter_mut().zip(values) {
        if v.is_nan() {
            *l = 0;
        }
    }
}
