//! Sen's (1968) slope estimator (Sen, P. K., 1968, *J. Am. Stat. Assoc.* 63,
//! 1379–1389; Theil 1950), its intercept and its confidence interval (Gilbert 1987,
//! *Statistical Methods for Environmental Pollution Monitoring*, §16.5):
//!
//! ```text
//! slope     = median over pairs i < j of (x_j − x_i)/(t_j − t_i)   (finite x_i, x_j only)
//! intercept = median(x) − median(t) · slope                       (finite values and their times)
//! C_α = z_{1−α/2} √Var(S),  M₁ = (N′ − C_α)/2,  M₂ = (N′ + C_α)/2
//! CI  = [M₁-th, (M₂ + 1)-th] smallest of the N′ ordered slopes
//! ```
//!
//! Times are the indices 0, 1, 2, … unless given, so the intercept is the line's value
//! at the first time step, as pymannkendall 1.4.3 computes it (its `sens_slope`
//! takes median(x) − median(t)·slope with t the positions of the finite values; the
//! intercept of Conover 1980). A missing year (NaN) keeps its place in time: its
//! neighbours' pair spans two steps. The median of an even count is the mean of the
//! two middle values. Gilbert's ranks M₁ and M₂ + 1 are rarely integers; the limits
//! interpolate linearly between the neighbouring order statistics, clamped to the
//! smallest and largest slope.

use serde::{Deserialize, Serialize};

use super::mann_kendall::variance_s;
use super::normal::norm_isf;
use super::{check_alpha, finite_values, TrendError};

/// Sen's slope and the intercept of the Sen line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SensSlope {
    /// Median pairwise slope, units of x per unit of t.
    pub slope: f64,
    /// median(x) − median(t)·slope: the line's value at t = 0.
    pub intercept: f64,
    /// Number of pairwise slopes N′ (pairs of finite values).
    pub n_pairs: usize,
}

/// Median of a non-empty slice (sorted in place).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

/// Checked times (given, or 0, 1, 2, …) for a series of `len` values.
fn times(len: usize, t: Option<&[f64]>) -> Result<Vec<f64>, TrendError> {
    let Some(t) = t else {
        return Ok((0..len).map(|i| i as f64).collect());
    };
    if t.len() != len {
        return Err(TrendError::LengthMismatch {
            values: len,
            times: t.len(),
        });
    }
    if let Some((index, &value)) = t.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(TrendError::NonFiniteTime { index, value });
    }
    if let Some(i) = (1..len).find(|&i| t[i] <= t[i - 1]) {
        return Err(TrendError::TimesNotIncreasing {
            index: i,
            value: t[i],
            previous: t[i - 1],
        });
    }
    Ok(t.to_vec())
}

/// The finite points of a series and their pairwise slopes.
struct Points {
    /// Times of the finite values.
    t: Vec<f64>,
    /// The finite values.
    x: Vec<f64>,
    /// All pairwise slopes, sorted ascending.
    slopes: Vec<f64>,
}

/// The finite (t, x) points and all pairwise slopes, sorted ascending.
fn points_and_slopes(x: &[f64], t: Option<&[f64]>) -> Result<Points, TrendError> {
    finite_values(x)?;
    let t = times(x.len(), t)?;
    let (tt, xx): (Vec<f64>, Vec<f64>) = t
        .iter()
        .zip(x)
        .filter(|(_, v)| !v.is_nan())
        .map(|(&a, &b)| (a, b))
        .unzip();
    let mut d = Vec::with_capacity(xx.len() * (xx.len() - 1) / 2);
    for i in 0..xx.len() {
        for j in i + 1..xx.len() {
            d.push((xx[j] - xx[i]) / (tt[j] - tt[i]));
        }
    }
    d.sort_by(f64::total_cmp);
    Ok(Points {
        t: tt,
        x: xx,
        slopes: d,
    })
}

/// Sen's slope of a series in time order (NaN = missing, skipped), at times `t`
/// (strictly increasing, finite; default 0, 1, 2, …).
///
/// Errors: fewer than 3 finite values, an infinite value, times of another length,
/// non-finite or not increasing.
pub fn sens_slope(x: &[f64], t: Option<&[f64]>) -> Result<SensSlope, TrendError> {
    let mut p = points_and_slopes(x, t)?;
    let slope = median(&mut p.slopes);
    Ok(SensSlope {
        slope,
        intercept: median(&mut p.x) - median(&mut p.t) * slope,
        n_pairs: p.slopes.len(),
    })
}

/// The two-sided (1 − alpha) confidence interval (lower, upper) of Sen's slope
/// (Gilbert 1987, §16.5), with the tie-corrected Var(S) of the finite values.
///
/// Errors: those of [`sens_slope`], and alpha outside (0, 1).
pub fn sens_confidence(x: &[f64], t: Option<&[f64]>, alpha: f64) -> Result<(f64, f64), TrendError> {
    check_alpha(alpha)?;
    let Points {
        x: xx, slopes: d, ..
    } = points_and_slopes(x, t)?;
    let c = norm_isf(alpha / 2.0) * variance_s(&xx).sqrt();
    let np = d.len() as f64;
    // 1-based fractional rank → value, linear between neighbours, clamped.
    let at = |rank: f64| {
        let r = (rank - 1.0).clamp(0.0, np - 1.0);
        let lo = r.floor() as usize;
        let hi = (lo + 1).min(d.len() - 1);
        d[lo] + (r - lo as f64) * (d[hi] - d[lo])
    };
    Ok((at((np - c) / 2.0), at((np + c) / 2.0 + 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_example() {
        // x = 1, 3, 2, 5, 4 at t = 0..4: the ten slopes sorted are
        // −1, −1, 1/3, 1/2, 3/4, 1, 1, 4/3, 2, 3 → median (3/4 + 1)/2 = 0.875;
        // intercept = median(x) − median(t)·slope = 3 − 2·0.875 = 1.25.
        let x = [1.0, 3.0, 2.0, 5.0, 4.0];
        let s = sens_slope(&x, None).unwrap();
        assert_eq!((s.slope, s.intercept, s.n_pairs), (0.875, 1.25, 10));
        // 80 % interval: C = 1.2815516·√(5·4·15/18) = 5.2320; ranks
        // M₁ = (10 − C)/2 = 2.384 and M₂ + 1 = (10 + C)/2 + 1 = 8.616.
        let sorted = [
            -1.0,
            -1.0,
            1.0 / 3.0,
            0.5,
            0.75,
            1.0,
            1.0,
            4.0 / 3.0,
            2.0,
            3.0,
        ];
        let c = 1.281_551_565_544_600_5 * (300.0_f64 / 18.0).sqrt();
        let (r1, r2) = ((10.0 - c) / 2.0, (10.0 + c) / 2.0 + 1.0);
        let interp = |r: f64| {
            let k = r.floor() as usize; // 1-based rank k and k + 1
            sorted[k - 1] + (r - k as f64) * (sorted[k] - sorted[k - 1])
        };
        let (lo, hi) = sens_confidence(&x, None, 0.2).unwrap();
        assert!((lo - interp(r1)).abs() < 1e-12, "{lo}");
        assert!((hi - interp(r2)).abs() < 1e-12, "{hi}");
        assert!((lo + 0.488).abs() < 1e-3 && (hi - 1.744).abs() < 1e-3);
        // A wide level clamps to the extreme slopes.
        assert_eq!(sens_confidence(&x, None, 0.001).unwrap(), (-1.0, 3.0));
    }

    #[test]
    fn gaps_and_times() {
        // A missing year keeps its place: 0, _, 4, 6 at t = 0, 1, 2, 3 has slopes
        // 4/2, 6/3, 2/1 → 2; intercept median(0, 4, 6) − median(0, 2, 3)·2 = 4 − 4 = 0.
        let s = sens_slope(&[0.0, f64::NAN, 4.0, 6.0], None).unwrap();
        assert_eq!((s.slope, s.intercept, s.n_pairs), (2.0, 0.0, 3));
        // Times in years: slope per year.
        let t = [2000.0, 2002.0, 2010.0];
        let s = sens_slope(&[1.0, 2.0, 6.0], Some(&t)).unwrap();
        // slopes 0.5, 0.5, 0.4 → 0.5; intercept 2 − 2002·0.5 = −999.
        assert_eq!((s.slope, s.intercept), (0.5, -999.0));
        assert!(matches!(
            sens_slope(&[1.0, 2.0, 6.0], Some(&[0.0, f64::NAN, 2.0])),
            Err(TrendError::NonFiniteTime { index: 1, .. })
        ));
        assert!(matches!(
            sens_slope(&[1.0, 2.0, 6.0], Some(&[0.0, 2.0, 2.0])),
            Err(TrendError::TimesNotIncreasing { index: 2, .. })
        ));
        assert!(matches!(
            sens_slope(&[1.0, 2.0, 6.0], Some(&[0.0, 2.0])),
            Err(TrendError::LengthMismatch {
                values: 3,
                times: 2
            })
        ));
    }
}
