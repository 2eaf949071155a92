//! Per-factor transforms: each maps a raw input value (in the factor's unit) to a
//! score in [0, 1], 1 = most hazardous / most exposed / most vulnerable.
//!
//! Arithmetic is float32 on the cell value, with parameters rounded to f32 once; the
//! expressions below are the exact operation order used by both the fused kernel
//! ([`crate::program`]) and the scalar reference ([`crate::reference`](mod@crate::reference)), so the two
//! agree bit for bit. NaN inputs never reach a transform's result: the factor's
//! nodata policy replaces them (see [`Nodata`]).
//!
//! | kind | score s(x) | source |
//! |---|---|---|
//! | `identity` | x | — (inputs that already are indices in [0, 1]) |
//! | `ramp` | clamp((x − x0)·r, 0, 1), r = 1/(x1 − x0) | Esri *Fuzzy Linear*; Malczewski (1999) linear scale transformation |
//! | `fuzzy_large` | 1 / (1 + (x/m)^(−k)), 0 for x ≤ 0 | Esri *Fuzzy Large* |
//! | `fuzzy_small` | 1 / (1 + (x/m)^k), 1 for x ≤ 0 | Esri *Fuzzy Small* |
//! | `fuzzy_gaussian` | exp(−k·(x − m)²) | Esri *Fuzzy Gaussian* |
//! | `sigmoid` | 1 / (1 + exp(−a·(x − m))) | logistic function; Malczewski (1999) |
//! | `piecewise` | linear between (x_i, y_i), clamped outside | — |
//! | `lookup` | score of class code x | — |
//! | `log` | min(ln(1 + max(x, 0)) / ln(1 + M), 1) | log scaling of quantities spanning orders of magnitude (flow accumulation) |
//!
//! References: Esri, *ArcGIS Pro Spatial Analyst: How Fuzzy Membership works*
//! (FuzzyLarge, FuzzySmall, FuzzyGaussian, FuzzyLinear, with midpoint f2 and spread
//! f1); Malczewski, J. (1999) *GIS and Multicriteria Decision Analysis*, Wiley.

use serde::Serialize;

/// How an input cell that holds nodata (NaN) is scored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Nodata {
    /// The factor's score is NaN, and so is the aggregate (weighted sums, products and
    /// maxima of NaN are NaN): the output cell is nodata.
    Propagate,
    /// A NaN input scores this value (in [0, 1]), stated in the model file.
    Value(f64),
}

impl Nodata {
    /// The score a NaN input gets, as f32 (NaN for `propagate`).
    pub fn fill(self) -> f32 {
        match self {
            Nodata::Propagate => f32::NAN,
            Nodata::Value(v) => v as f32,
        }
    }
}

/// What a categorical lookup does with a class code that is not in its table (or a
/// value that is not an integer code).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unknown {
    /// Scoring fails with [`crate::ScoreError::UnknownClass`] naming the cell.
    Error,
    /// The score is NaN (the output cell becomes nodata).
    Nodata,
    /// The score is this value, stated in the model file.
    Default(f64),
}

/// One class of a categorical lookup.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookupClass {
    /// Integer class code as stored in the layer (0..=65535).
    pub code: u16,
    /// Human name, e.g. "built-up".
    pub name: Option<String>,
    /// Score of the class, in [0, 1].
    pub score: f64,
}

/// A validated transform (parameters checked, see the module table for equations).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Transform {
    /// s = x. For inputs that are already indices in [0, 1] (e.g. per-hazard risk in
    /// a comprehensive model, H/E/V/C in a risk model). Not clamped.
    Identity,
    /// Linear ramp: s = clamp((x − x0)·r, 0, 1) with r = 1/(x1 − x0) (computed in
    /// f64 from the file's values, then rounded to f32; a multiply rather than a
    /// divide per cell); x0 ↦ 0, x1 ↦ 1. Decreasing when x0 > x1 (e.g. HAND:
    /// x0 = 15 m ↦ 0, x1 = 0 m ↦ 1). x0 ≠ x1.
    Ramp {
        /// x0, the value that scores 0 (factor unit).
        x0: f64,
        /// x1, the value that scores 1 (factor unit).
        x1: f64,
    },
    /// Esri Fuzzy Large: s = 1 / (1 + (x/m)^(−k)), increasing, s(m) = 0.5; m > 0,
    /// k > 0 (Esri's default spread is 5). Defined as 0 for x ≤ 0.
    FuzzyLarge {
        /// m, the value that scores 0.5 (factor unit).
        midpoint: f64,
        /// k, the exponent; larger is steeper.
        spread: f64,
    },
    /// Esri Fuzzy Small: s = 1 / (1 + (x/m)^k), decreasing, s(m) = 0.5; m > 0, k > 0.
    /// Defined as 1 for x ≤ 0.
    FuzzySmall {
        /// m, the value that scores 0.5 (factor unit).
        midpoint: f64,
        /// k, the exponent; larger is steeper.
        spread: f64,
    },
    /// Esri Fuzzy Gaussian: s = exp(−k·(x − m)²), 1 at m; k > 0 (Esri default 0.1).
    FuzzyGaussian {
        /// m, the value that scores 1 (factor unit).
        midpoint: f64,
        /// k, per squared factor unit; larger is narrower.
        spread: f64,
    },
    /// Logistic: s = 1 / (1 + exp(−a·(x − m))); s(m) = 0.5, increasing for a > 0,
    /// decreasing for a < 0; a ≠ 0.
    Sigmoid {
        /// m, the value that scores 0.5 (factor unit).
        midpoint: f64,
        /// a, per factor unit; negative for a decreasing curve.
        slope: f64,
    },
    /// Piecewise-linear table through (x_i, y_i), x strictly ascending, y in [0, 1];
    /// y_0 below x_0 and y_{n−1} above x_{n−1}. Between x_i ≤ x < x_{i+1}:
    /// t = (x − x_i)/(x_{i+1} − x_i), s = y_i + t·(y_{i+1} − y_i).
    Piecewise {
        /// (x_i, y_i), x strictly ascending, y in [0, 1].
        points: Vec<(f64, f64)>,
    },
    /// Categorical lookup: class code → score; other values per `unknown`.
    Lookup {
        /// The classes, each code once.
        classes: Vec<LookupClass>,
        /// What a value outside the table scores.
        unknown: Unknown,
    },
    /// Log scaling: s = min(ln(1 + max(x, 0)) / ln(1 + M), 1), M = `max` > 0 the value
    /// that scores 1 (e.g. the largest flow accumulation, in cells).
    Log {
        /// M, the value that scores 1 (factor unit, > 0).
        max: f64,
    },
}

impl Transform {
    /// The `kind` name used in model files (`ramp`, `fuzzy_large`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Transform::Identity => "identity",
            Transform::Ramp { .. } => "ramp",
            Transform::FuzzyLarge { .. } => "fuzzy_large",
            Transform::FuzzySmall { .. } => "fuzzy_small",
            Transform::FuzzyGaussian { .. } => "fuzzy_gaussian",
            Transform::Sigmoid { .. } => "sigmoid",
            Transform::Piecewise { .. } => "piecewise",
            Transform::Lookup { .. } => "lookup",
            Transform::Log { .. } => "log",
        }
    }

    /// Score of one non-NaN value, straight from the equations (the scalar reference;
    /// f64 parameters are rounded to f32 at the point of use). `None` for a lookup
    /// miss with `unknown = "error"`.
    pub fn eval_reference(&self, x: f32) -> Option<f32> {
        Some(match self {
            Transform::Identity => x,
            Transform::Ramp { x0, x1 } => {
                let r = (1.0 / (x1 - x0)) as f32;
                ((x - *x0 as f32) * r).clamp(0.0, 1.0)
            }
            Transform::FuzzyLarge { midpoint, spread } => {
                let (m, k) = (*midpoint as f32, *spread as f32);
                if x <= 0.0 {
                    0.0
                } else {
                    1.0 / (1.0 + (x / m).powf(-k))
                }
            }
            Transform::FuzzySmall { midpoint, spread } => {
                let (m, k) = (*midpoint as f32, *spread as f32);
                if x <= 0.0 {
                    1.0
                } else {
                    1.0 / (1.0 + (x / m).powf(k))
                }
            }
            Transform::FuzzyGaussian { midpoint, spread } => {
                let (m, k) = (*midpoint as f32, *spread as f32);
                (-k * ((x - m) * (x - m))).exp()
            }
            Transform::Sigmoid { midpoint, slope } => {
                let (m, a) = (*midpoint as f32, *slope as f32);
                1.0 / (1.0 + (-a * (x - m)).exp())
            }
            Transform::Piecewise { points } => {
                let p: Vec<(f32, f32)> =
                    points.iter().map(|&(a, b)| (a as f32, b as f32)).collect();
                let n = p.len();
                if x <= p[0].0 {
                    p[0].1
                } else if x >= p[n - 1].0 {
                    p[n - 1].1
                } else {
                    let i = (0..n - 1)
                        .find(|&i| x < p[i + 1].0)
                        .expect("x inside the table");
                    let t = (x - p[i].0) / (p[i + 1].0 - p[i].0);
                    p[i].1 + t * (p[i + 1].1 - p[i].1)
                }
            }
            Transform::Lookup { classes, unknown } => {
                match classes.iter().find(|c| c.code as f32 == x) {
                    Some(c) => c.score as f32,
                    None => match unknown {
                        Unknown::Error => return None,
                        Unknown::Nodata => f32::NAN,
                        Unknown::Default(v) => *v as f32,
                    },
                }
            }
            Transform::Log { max } => {
                let m = *max as f32;
                (x.max(0.0).ln_1p() / m.ln_1p()).min(1.0)
            }
        })
    }
}

/// A compiled transform: f32 parameters, evaluated in a monomorphic loop over a chunk.
/// `eval` must use the same operations, in the same order, as
/// [`Transform::eval_reference`].
pub(crate) trait Xf: Copy {
    fn eval(&self, x: f32) -> f32;
}

#[derive(Clone, Copy)]
pub(crate) struct IdentityXf;
impl Xf for IdentityXf {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        x
    }
}

#[derive(Clone, Copy)]
pub(crate) struct RampXf {
    pub x0: f32,
    /// 1/(x1 − x0), rounded to f32.
    pub r: f32,
}
impl Xf for RampXf {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        let t = (x - self.x0) * self.r;
        // Same result as clamp(t, 0, 1) for every non-NaN t; written as selects so
        // LLVM emits packed compares and blends.
        let t = if t < 0.0 { 0.0 } else { t };
        if t > 1.0 {
            1.0
        } else {
            t
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct FuzzyLargeXf {
    pub m: f32,
    pub neg_k: f32,
}
impl Xf for FuzzyLargeXf {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        if x <= 0.0 {
            0.0
        } else {
            1.0 / (1.0 + (x / self.m).powf(self.neg_k))
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct FuzzySmallXf {
    pub m: f32,
    pub k: f32,
}
impl Xf for FuzzySmallXf {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        if x <= 0.0 {
            1.0
        } else {
            1.0 / (1.0 + (x / self.m).powf(self.k))
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct GaussianXf {
    pub m: f32,
    pub neg_k: f32,
}
impl Xf for GaussianXf {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        (self.neg_k * ((x - self.m) * (x - self.m))).exp()
    }
}

#[derive(Clone, Copy)]
pub(crate) struct SigmoidXf {
    pub m: f32,
    pub neg_a: f32,
}
impl Xf for SigmoidXf {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        1.0 / (1.0 + (self.neg_a * (x - self.m)).exp())
    }
}

#[derive(Clone, Copy)]
pub(crate) struct PiecewiseXf<'a> {
    pub x: &'a [f32],
    pub y: &'a [f32],
}
impl Xf for PiecewiseXf<'_> {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        let (xs, ys) = (self.x, self.y);
        let n = xs.len();
        if x <= xs[0] {
            return ys[0];
        }
        if x >= xs[n - 1] {
            return ys[n - 1];
        }
        // Tables are short (a handful of breakpoints): a linear scan beats bisection.
        let mut i = 0;
        while x >= xs[i + 1] {
            i += 1;
        }
        let t = (x - xs[i]) / (xs[i + 1] - xs[i]);
        ys[i] + t * (ys[i + 1] - ys[i])
    }
}

/// Dense table indexed by class code; codes not in the model hold the `unknown`
/// score (NaN for `nodata` and `error`; errors are detected by a scan before).
#[derive(Clone, Copy)]
pub(crate) struct LookupXf<'a> {
    pub table: &'a [f32],
    pub unknown: f32,
}
impl Xf for LookupXf<'_> {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        // `x as u32` saturates (NaN → 0); the round trip keeps only exact codes.
        let c = x as u32;
        if c as f32 == x && (c as usize) < self.table.len() {
            self.table[c as usize]
        } else {
            self.unknown
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct LogXf {
    /// ln(1 + M) in f32.
    pub denom: f32,
}
impl Xf for LogXf {
    #[inline(always)]
    fn eval(&self, x: f32) -> f32 {
        (x.max(0.0).ln_1p() / self.denom).min(1.0)
    }
}
