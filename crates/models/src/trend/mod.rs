//! Trends in the census's records: is a yearly series (disaster counts, losses,
//! rainfall maxima) rising or falling, and how fast? Part 1 of the risk-trend
//! forecast of the plan.
//!
//! - [`mann_kendall`](mod@mann_kendall): the Mann–Kendall test (Mann 1945; Kendall
//!   1975) with the tie correction of Var(S) and the continuity correction of Z;
//! - [`autocorrelation`]: the variance corrections for serially correlated series of
//!   Hamed & Rao (1998) and Yue & Wang (2004);
//! - [`sen`]: Sen's (1968) slope, its intercept and its confidence interval
//!   (Gilbert 1987);
//! - [`normal`]: the standard normal tail and quantile the tests need, to full f64
//!   precision.
//!
//! # Series, missing years and time
//!
//! A series is one value per time step **in time order** (index 0 = first year). A
//! missing year is NaN and is skipped: S, Var(S), τ and the autocorrelation
//! corrections see only the finite values, in their order, so pairs are formed of
//! finite values only and a gap shortens the series without breaking it (the rule of
//! pymannkendall 1.4.3, the independent implementation the tests are checked
//! against). Sen's slope instead keeps each value's time (its index, or the times
//! given), so a gap lengthens the time between its neighbours. ±∞ is refused, never
//! read as missing. At least 3 finite values are needed.
//!
//! All tests are two-sided; `alpha` is the significance level in (0, 1), conventionally
//! [`DEFAULT_ALPHA`] = 0.05.
//!
//! Checked against pymannkendall 1.4.3 (`validate/trend/run.sh`, goldens in
//! `fixtures/trend/`).

pub mod autocorrelation;
pub mod mann_kendall;
pub mod normal;
pub mod params;
pub mod sen;

use serde::{Deserialize, Serialize};

pub use autocorrelation::{hamed_rao, yue_wang};
pub use mann_kendall::mann_kendall;
pub use sen::{sens_confidence, sens_slope, SensSlope};

/// The conventional significance level of the two-sided tests.
pub const DEFAULT_ALPHA: f64 = 0.05;

/// The verdict of a test at its significance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    /// Z > 0 and significant.
    #[serde(rename = "increasing")]
    Increasing,
    /// Z < 0 and significant.
    #[serde(rename = "decreasing")]
    Decreasing,
    /// Not significant at alpha.
    #[serde(rename = "no trend")]
    NoTrend,
}

impl Trend {
    /// The name pymannkendall and the census tables use: `increasing`,
    /// `decreasing`, `no trend`.
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::Increasing => "increasing",
            Trend::Decreasing => "decreasing",
            Trend::NoTrend => "no trend",
        }
    }
}

impl std::fmt::Display for Trend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which variance of S a test used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Mann–Kendall with the tie-corrected variance (Kendall 1975).
    Original,
    /// Var(S) × n/n* from the significant autocorrelations of the ranks (Hamed & Rao 1998).
    HamedRao,
    /// Var(S) × n/n* from the autocorrelations of the detrended series (Yue & Wang 2004).
    YueWang,
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Method::Original => "original",
            Method::HamedRao => "Hamed–Rao",
            Method::YueWang => "Yue–Wang",
        })
    }
}

/// The result of one Mann–Kendall-family test (the same fields as pymannkendall's
/// result tuple, plus the method, alpha, n and the variance correction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MannKendall {
    /// The variance used.
    pub method: Method,
    /// Significance level of the two-sided test.
    pub alpha: f64,
    /// Number of finite values (NaN skipped).
    pub n: usize,
    /// Verdict at `alpha`.
    pub trend: Trend,
    /// `true` when the null hypothesis of no trend is rejected: |z| > z₁₋α/₂.
    pub h: bool,
    /// Two-sided p-value, 2·(1 − Φ(|z|)).
    pub p: f64,
    /// Standardised statistic with the continuity correction: (S ∓ 1)/√Var(S), 0 at S = 0.
    pub z: f64,
    /// Kendall's τ-a, S / (n(n − 1)/2) (no tie correction in the denominator).
    pub tau: f64,
    /// Mann–Kendall S, Σᵢ<ⱼ sgn(xⱼ − xᵢ) over the finite values.
    pub s: f64,
    /// Var(S) used for z: the tie-corrected variance times `correction`.
    pub var_s: f64,
    /// The variance correction n/n* (1 for [`Method::Original`]).
    pub correction: f64,
    /// Sen's slope per time step ([`sens_slope`] with unit steps).
    pub slope: f64,
    /// Intercept of the Sen line at t = 0 ([`SensSlope::intercept`]).
    pub intercept: f64,
}

/// What is wrong with a series or a parameter of a trend test.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrendError {
    /// Fewer than 3 finite values.
    #[error("the series has {finite} finite values of {len}; a trend test needs at least 3")]
    TooFewValues {
        /// Finite values in the series.
        finite: usize,
        /// Length of the series, NaN included.
        len: usize,
    },
    /// ±∞ in the series (a missing year is NaN, not infinite).
    #[error("value {index} of the series is {value}; a missing year is NaN, infinite values are refused")]
    InfiniteValue {
        /// Index in the series.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A time that is NaN or infinite.
    #[error("time {index} is {value}; times must be finite")]
    NonFiniteTime {
        /// Index in the times.
        index: usize,
        /// The time.
        value: f64,
    },
    /// Times that do not strictly increase.
    #[error("time {index} ({value}) does not come after time {} ({previous}); times must strictly increase", .index - 1)]
    TimesNotIncreasing {
        /// Index of the later time.
        index: usize,
        /// The later time.
        value: f64,
        /// The time before it.
        previous: f64,
    },
    /// Times and values of different lengths.
    #[error("{times} times for {values} values")]
    LengthMismatch {
        /// Length of the series.
        values: usize,
        /// Length of the times.
        times: usize,
    },
    /// A significance level outside (0, 1).
    #[error("alpha = {alpha} is outside (0, 1)")]
    AlphaOutOfRange {
        /// The level given.
        alpha: f64,
    },
    /// A maximum lag outside 1..=n − 1.
    #[error("max_lag = {lag} is outside 1..={} for {n} finite values", .n - 1)]
    LagOutOfRange {
        /// The lag given.
        lag: usize,
        /// Finite values in the series.
        n: usize,
    },
    /// An autocorrelation correction that leaves no positive variance.
    #[error("the {method} correction n/n* = {correction} leaves Var(S) = {var_s}, not positive: the autocorrelation estimate is unusable on this series (try all lags or the original test)")]
    NonPositiveVariance {
        /// The correction.
        method: Method,
        /// n/n*.
        correction: f64,
        /// The corrected Var(S).
        var_s: f64,
    },
}

/// Checks alpha ∈ (0, 1).
fn check_alpha(alpha: f64) -> Result<(), TrendError> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(())
    } else {
        Err(TrendError::AlphaOutOfRange { alpha })
    }
}

/// The finite values of `x` in order; NaN skipped, ±∞ refused, at least 3 kept.
fn finite_values(x: &[f64]) -> Result<Vec<f64>, TrendError> {
    if let Some((index, &value)) = x.iter().enumerate().find(|(_, v)| v.is_infinite()) {
        return Err(TrendError::InfiniteValue { index, value });
    }
    let v: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
    if v.len() < 3 {
        return Err(TrendError::TooFewValues {
            finite: v.len(),
            len: x.len(),
        });
    }
    Ok(v)
}
