//! Factor classification: a raw factor value (slope in degrees, a land-cover code…)
//! becomes a class index 1..=K, 0 = nodata.
//!
//! Two kinds, both stated in `models/geohazard.toml`:
//!
//! - **bounds** of a continuous factor: K − 1 strictly ascending bounds
//!   b_1 < … < b_{K−1}; v falls in class 1 + #{j : v ≥ b_j} (intervals [b_j, b_{j+1}),
//!   a value equal to a bound goes up, the lowest class open below, the highest open
//!   above). Values are compared in f64 after widening the f32 cell.
//! - **codes** of a categorical factor (engineering rock group, GlobeLand30 land
//!   cover): class i is the i-th listed code. A code not listed is nodata (0): a
//!   legend mismatch must not silently fall into some class.
//!
//! NaN is nodata (0) for both.

use serde::Serialize;

/// How a factor's raw values map to classes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Classifier {
    /// K − 1 strictly ascending bounds → K classes.
    Bounds {
        /// b_1 < … < b_{K−1}, in the factor's unit.
        bounds: Vec<f64>,
    },
    /// One class per listed integer code, in list order.
    Codes {
        /// The codes of classes 1..=K, in order.
        codes: Vec<i64>,
    },
}

impl Classifier {
    /// Number of classes K.
    pub fn classes(&self) -> usize {
        match self {
            Classifier::Bounds { bounds } => bounds.len() + 1,
            Classifier::Codes { codes } => codes.len(),
        }
    }

    /// Class index (1..=K) of a raw value; 0 for nodata (NaN, or an unlisted code).
    #[inline]
    pub fn class_of(&self, v: f32) -> u16 {
        if v.is_nan() {
            return 0;
        }
        match self {
            Classifier::Bounds { bounds } => {
                let v = v as f64;
                1 + bounds.iter().take_while(|&&b| v >= b).count() as u16
            }
            Classifier::Codes { codes } => {
                if v.fract() != 0.0 {
                    return 0;
                }
                let c = v as i64;
                codes
                    .iter()
                    .position(|&k| k == c)
                    .map_or(0, |i| i as u16 + 1)
            }
        }
    }

    /// Classify a slice of raw values.
    pub fn classify(&self, values: &[f32], out: &mut [u16]) {
        assert_eq!(
            values.len(),
            out.len(),
            "values and classes differ in length"
        );
        for (o, &v) in out.iter_mut().zip(values) {
            *o = self.class_of(v);
        }
    }

    /// Human-readable label of class `k` (1-based): `[5, 10)` or `code 20`.
    pub fn label(&self, k: usize) -> String {
        match self {
            Classifier::Bounds { bounds } => {
                let lo = if k == 1 {
                    "-inf".to_string()
                } else {
                    fmt(bounds[k - 2])
                };
                let hi = if k == bounds.len() + 1 {
                    "inf".to_string()
                } else {
                    fmt(bounds[k - 1])
                };
                format!("[{lo}, {hi})")
            }
            Classifier::Codes { codes } => format!("code {}", codes[k - 1]),
        }
    }

    /// Check the classifier; a message for the first problem.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Classifier::Bounds { bounds } => {
                if bounds.is_empty() {
                    return Err("needs at least one class bound".into());
                }
                if bounds.iter().any(|b| !b.is_finite()) {
                    return Err("class bounds must be finite".into());
                }
                if bounds.windows(2).any(|w| w[0] >= w[1]) {
                    return Err(format!(
                        "class bounds must be strictly ascending: {bounds:?}"
                    ));
                }
            }
            Classifier::Codes { codes } => {
                if codes.is_empty() {
                    return Err("needs at least one class code".into());
                }
                let mut s = codes.clone();
                s.sort_unstable();
                if s.windows(2).any(|w| w[0] == w[1]) {
                    return Err(format!("class codes must be distinct: {codes:?}"));
                }
            }
        }
        if self.classes() > u16::MAX as usize - 1 {
            return Err("too many classes".into());
        }
        Ok(())
    }
}

fn fmt(v: f64) -> String {
    format!("{v}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_put_a_value_equal_to_a_bound_in_the_upper_class() {
        let c = Classifier::Bounds {
            bounds: vec![5.0, 15.0, 25.0],
        };
        assert_eq!(c.classes(), 4);
        let got: Vec<u16> = [-1.0f32, 4.99, 5.0, 14.0, 15.0, 30.0, f32::NAN]
            .iter()
            .map(|&v| c.class_of(v))
            .collect();
        assert_eq!(got, vec![1, 1, 2, 2, 3, 4, 0]);
        assert_eq!(c.label(1), "[-inf, 5)");
        assert_eq!(c.label(4), "[25, inf)");
    }

    #[test]
    fn codes_map_in_list_order_and_unlisted_codes_are_nodata() {
        let c = Classifier::Codes {
            codes: vec![10, 20, 30, 80],
        };
        let got: Vec<u16> = [10.0f32, 80.0, 20.0, 60.0, 20.5, f32::NAN]
            .iter()
            .map(|&v| c.class_of(v))
            .collect();
        assert_eq!(got, vec![1, 4, 2, 0, 0, 0]);
    }

    #[test]
    fn malformed_classifiers_are_refused() {
        assert!(Classifier::Bounds {
            bounds: vec![5.0, 5.0]
        }
        .check()
        .is_err());
        assert!(Classifier::Codes { codes: vec![1, 1] }.check().is_err());
        assert!(Classifier::Codes { codes: vec![] }.check().is_err());
    }
}
