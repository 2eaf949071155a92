//! Mann–Kendall tests for serially correlated series: Var(S) is multiplied by a
//! correction n/n* estimated from the autocorrelation of the series with its trend
//! removed. Positive autocorrelation inflates S's variance and, left alone, makes the
//! original test find trends that are not there.
//!
//! Both corrections detrend with Sen's slope β of the series (unit time steps, gaps
//! kept): d_i = x_i − i·β, with i = 1, 2, …, n the position among the **finite**
//! values (the convention of pymannkendall 1.4.3, whose `hamed_rao_modification_test`
//! and `yue_wang_modification_test` are the reference: a gap is closed up here). The
//! sample autocorrelation at lag k is
//! ρ_k = Σ_{i=1}^{n−k} (y_i − ȳ)(y_{i+k} − ȳ) / Σ_{i=1}^{n} (y_i − ȳ)²
//! (biased, divided by n at every lag); a series whose y are all equal has ρ_k = 0.
//!
//! - Hamed & Rao (1998), *J. Hydrology* 204, 182–196, eq. 18: on the ranks R of d
//!   (mid-ranks for ties), n/n* = 1 + 2/(n(n−1)(n−2)) Σ_k (n−k)(n−k−1)(n−k−2) ρ_k(R)
//!   over the **significant** lags only: those with |ρ_k| > z_{1−α/2}/√n, at the
//!   test's own alpha (the bound pymannkendall uses; a lag exactly on the bound is
//!   not significant).
//! - Yue & Wang (2004), *Water Resources Management* 18, 201–218, eq. 11 (the
//!   effective sample size): n/n* = 1 + 2 Σ_k (1 − k/n) ρ_k(d), on d itself, every lag.
//!
//! Lags run over k = 1, …, `max_lag` (default n − 1, every lag; Hamed & Rao suggest 3
//! and Yue & Wang 1 as alternatives). A correction that leaves Var(S) ≤ 0 is an error
//! ([`TrendError::NonPositiveVariance`]), never a NaN p-value.

use super::mann_kendall::{common, decide, z_score};
use super::{check_alpha, finite_values, MannKendall, Method, TrendError};
use crate::trend::normal::norm_isf;

/// Mid-ranks (1-based): R_i = (n + 1 + Σ_j sgn(v_i − v_j)) / 2; tied values share
/// the mean of their ranks.
pub fn midranks(v: &[f64]) -> Vec<f64> {
    let n = v.len() as f64;
    v.iter()
        .map(|&a| {
            let s: f64 = v
                .iter()
                .map(|&b| ((a > b) as i8 - (a < b) as i8) as f64)
                .sum();
            (n + 1.0 + s) / 2.0
        })
        .collect()
}

/// Sample autocorrelations ρ_0 … ρ_max_lag (ρ_0 = 1), biased (÷ n) autocovariances;
/// all zeros after ρ_0 when the series has no variance.
pub fn acf(y: &[f64], max_lag: usize) -> Vec<f64> {
    let n = y.len();
    let mean = y.iter().sum::<f64>() / n as f64;
    let c: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let acov = |k: usize| {
        c[..n - k]
            .iter()
            .zip(&c[k..])
            .map(|(a, b)| a * b)
            .sum::<f64>()
    };
    let c0 = acov(0);
    let mut r = vec![0.0; max_lag + 1];
    r[0] = 1.0;
    if c0 > 0.0 {
        for (k, rk) in r.iter_mut().enumerate().skip(1) {
            *rk = acov(k) / c0;
        }
    }
    r
}

/// The common part of both corrections: checks, S, Var(S), Sen's line, the
/// detrended finite values and the lag count.
fn prepare(
    x: &[f64],
    alpha: f64,
    max_lag: Option<usize>,
) -> Result<(super::mann_kendall::Common, Vec<f64>, usize), TrendError> {
    check_alpha(alpha)?;
    let v = finite_values(x)?;
    let n = v.len();
    let lags = max_lag.unwrap_or(n - 1);
    if lags == 0 || lags > n - 1 {
        return Err(TrendError::LagOutOfRange { lag: lags, n });
    }
    let c = common(x, &v)?;
    let d = v
        .iter()
        .enumerate()
        .map(|(i, xi)| xi - (i + 1) as f64 * c.slope)
        .collect();
    Ok((c, d, lags))
}

/// Applies the correction and finishes the test.
fn finish(
    method: Method,
    alpha: f64,
    n: usize,
    c: super::mann_kendall::Common,
    correction: f64,
) -> Result<MannKendall, TrendError> {
    let var_s = c.var_s * correction;
    // A constant series has Var(S) = 0 and S = 0 whatever the correction: Z = 0.
    // Written so that a NaN correction is unusable too.
    let usable = correction > 0.0 && (c.var_s == 0.0 || var_s > 0.0);
    if !usable {
        return Err(TrendError::NonPositiveVariance {
            method,
            correction,
            var_s,
        });
    }
    let z = z_score(c.s, var_s);
    let (p, h, trend) = decide(z, alpha);
    Ok(MannKendall {
        method,
        alpha,
        n,
        trend,
        h,
        p,
        z,
        tau: c.tau,
        s: c.s,
        var_s,
        correction,
        slope: c.slope,
        intercept: c.intercept,
    })
}

/// The Mann–Kendall test with the variance correction of Hamed & Rao (1998) for
/// autocorrelated series; lags 1..=`max_lag` (default n − 1) of the ranks of the
/// detrended series, significant ones only.
///
/// Errors: those of [`mann_kendall`](super::mann_kendall()), `max_lag` outside
/// 1..=n − 1, a correction leaving Var(S) ≤ 0.
pub fn hamed_rao(x: &[f64], alpha: f64, max_lag: Option<usize>) -> Result<MannKendall, TrendError> {
    let (c, d, lags) = prepare(x, alpha, max_lag)?;
    let n = d.len();
    let rho = acf(&midranks(&d), lags);
    let bound = norm_isf(alpha / 2.0) / (n as f64).sqrt();
    let nf = n as f64;
    let sum: f64 = (1..=lags)
        .filter(|&k| rho[k].abs() > bound)
        .map(|k| {
            let m = (n - k) as f64;
            m * (m - 1.0) * (m - 2.0) * rho[k]
        })
        .sum();
    let correction = 1.0 + 2.0 / (nf * (nf - 1.0) * (nf - 2.0)) * sum;
    finish(Method::HamedRao, alpha, n, c, correction)
}

/// The Mann–Kendall test with the variance correction of Yue & Wang (2004):
/// n/n* = 1 + 2 Σ (1 − k/n) ρ_k over lags 1..=`max_lag` (default n − 1) of the
/// detrended series.
///
/// Errors: as [`hamed_rao`].
pub fn yue_wang(x: &[f64], alpha: f64, max_lag: Option<usize>) -> Result<MannKendall, TrendError> {
    let (c, d, lags) = prepare(x, alpha, max_lag)?;
    let n = d.len();
    let rho = acf(&d, lags);
    let nf = n as f64;
    let sum: f64 = (1..=lags).map(|k| (1.0 - k as f64 / nf) * rho[k]).sum();
    finish(Method::YueWang, alpha, n, c, 1.0 + 2.0 * sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_and_acf_by_hand() {
        assert_eq!(midranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        // y = 1, 2, 3, 4: ȳ = 2.5, c = −1.5, −.5, .5, 1.5; Σc² = 5;
        // lag 1: (.75 − .25 + .75) = 1.25 → 0.25; lag 2: (−.75 − .75) = −1.5 → −0.3.
        let r = acf(&[1.0, 2.0, 3.0, 4.0], 2);
        assert_eq!(r[0], 1.0);
        assert!((r[1] - 0.25).abs() < 1e-15 && (r[2] + 0.3).abs() < 1e-15);
        assert_eq!(acf(&[2.0; 4], 2), vec![1.0, 0.0, 0.0]);
    }

    #[test]
    fn three_values_need_no_hamed_rao_correction() {
        // n = 3: (n−k)(n−k−1)(n−k−2) = 0 for k = 1, 2, so n/n* = 1.
        let r = hamed_rao(&[2.5, 1.0, 4.0], 0.05, None).unwrap();
        assert_eq!(r.correction, 1.0);
        assert_eq!(r.var_s, 3.0 * 2.0 * 11.0 / 18.0);
    }

    #[test]
    fn yue_wang_by_hand() {
        // x = 1, 3, 2: Sen slope = median(2, 0.5, −1) = 0.5; d = x − (1, 2, 3)·0.5 =
        // 0.5, 2, 0.5; ȳ = 1, c = −.5, 1, −.5, Σc² = 1.5; ρ1 = (−.5 − .5)/1.5 = −2/3,
        // ρ2 = .25/1.5 = 1/6; n/n* = 1 + 2((2/3)(−2/3) + (1/3)(1/6)) = 1 − 8/9 + 1/9 = 2/9.
        let r = yue_wang(&[1.0, 3.0, 2.0], 0.05, None).unwrap();
        assert!((r.correction - 2.0 / 9.0).abs() < 1e-15);
        assert!((r.var_s - 2.0 / 9.0 * 66.0 / 18.0).abs() < 1e-14);
    }

    #[test]
    fn lag_errors() {
        let x = [1.0, 3.0, 2.0, 5.0];
        assert_eq!(
            hamed_rao(&x, 0.05, Some(4)),
            Err(TrendError::LagOutOfRange { lag: 4, n: 4 })
        );
        assert_eq!(
            yue_wang(&x, 0.05, Some(0)),
            Err(TrendError::LagOutOfRange { lag: 0, n: 4 })
        );
        assert!(yue_wang(&x, 0.05, Some(3)).is_ok());
    }
}
