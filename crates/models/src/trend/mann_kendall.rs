//! The Mann–Kendall trend test (Mann 1945, *Econometrica* 13, 245–259; Kendall 1975,
//! *Rank Correlation Methods*, 4th ed., Griffin), in the form used in hydrology
//! (e.g. Hamed & Rao 1998, eqs. 1–4; Gilbert 1987, *Statistical Methods for
//! Environmental Pollution Monitoring*, §16.4):
//!
//! ```text
//! S      = Σ_{i<j} sgn(x_j − x_i)                                 (over finite values)
//! Var(S) = [n(n−1)(2n+5) − Σ_p t_p(t_p−1)(2t_p+5)] / 18           (t_p: size of tie group p)
//! Z      = (S − 1)/√Var(S) if S > 0;  0 if S = 0;  (S + 1)/√Var(S) if S < 0
//! p      = 2 (1 − Φ(|Z|)),   H₀ rejected when |Z| > z_{1−α/2}
//! τ      = S / (n(n−1)/2)                                         (Kendall's τ-a)
//! ```
//!
//! The ±1 in Z is the continuity correction (S moves in steps of 2). Ties are exact
//! equality of f64 values.

use super::{check_alpha, finite_values, sens_slope, MannKendall, Method, Trend, TrendError};
use crate::trend::normal::{erfc, norm_isf};

/// Mann–Kendall S = Σ_{i<j} sgn(x_j − x_i).
pub fn s_statistic(x: &[f64]) -> f64 {
    let mut s: i64 = 0;
    for (i, &xi) in x.iter().enumerate() {
        for &xj in &x[i + 1..] {
            s += (xj > xi) as i64 - (xj < xi) as i64;
        }
    }
    s as f64
}

/// Var(S) under H₀ with the tie correction of Kendall (1975):
/// [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18. Exact integer numerator.
pub fn variance_s(x: &[f64]) -> f64 {
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len() as i64;
    let mut ties: i64 = 0;
    let mut start = 0;
    while start < v.len() {
        let mut end = start + 1;
        while end < v.len() && v[end] == v[start] {
            end += 1;
        }
        let t = (end - start) as i64;
        ties += t * (t - 1) * (2 * t + 5);
        start = end;
    }
    (n * (n - 1) * (2 * n + 5) - ties) as f64 / 18.0
}

/// Z with the continuity correction; 0 when S = 0.
pub fn z_score(s: f64, var_s: f64) -> f64 {
    if s > 0.0 {
        (s - 1.0) / var_s.sqrt()
    } else if s < 0.0 {
        (s + 1.0) / var_s.sqrt()
    } else {
        0.0
    }
}

/// Two-sided p-value 2(1 − Φ(|z|)) = erfc(|z|/√2), the decision and the verdict at alpha.
pub(crate) fn decide(z: f64, alpha: f64) -> (f64, bool, Trend) {
    let p = erfc(z.abs() * std::f64::consts::FRAC_1_SQRT_2);
    let h = z.abs() > norm_isf(alpha / 2.0);
    let trend = match (h, z > 0.0) {
        (false, _) => Trend::NoTrend,
        (true, true) => Trend::Increasing,
        (true, false) => Trend::Decreasing,
    };
    (p, h, trend)
}

/// The tie-corrected S, Var(S), τ, Sen's slope and intercept shared by every test of
/// the family, on the finite values `v` of the series `x`.
pub(crate) struct Common {
    pub s: f64,
    pub var_s: f64,
    pub tau: f64,
    pub slope: f64,
    pub intercept: f64,
}

pub(crate) fn common(x: &[f64], v: &[f64]) -> Result<Common, TrendError> {
    let n = v.len() as f64;
    let s = s_statistic(v);
    let sen = sens_slope(x, None)?;
    Ok(Common {
        s,
        var_s: variance_s(v),
        tau: s / (0.5 * n * (n - 1.0)),
        slope: sen.slope,
        intercept: sen.intercept,
    })
}

/// The Mann–Kendall test of a yearly series in time order (NaN = missing year,
/// skipped), two-sided at `alpha`. Slope and intercept are Sen's with unit time steps
/// (gaps kept, see [`sens_slope`]).
///
/// Errors: fewer than 3 finite values, an infinite value, alpha outside (0, 1).
pub fn mann_kendall(x: &[f64], alpha: f64) -> Result<MannKendall, TrendError> {
    check_alpha(alpha)?;
    let v = finite_values(x)?;
    let c = common(x, &v)?;
    let z = z_score(c.s, c.var_s);
    let (p, h, trend) = decide(z, alpha);
    Ok(MannKendall {
        method: Method::Original,
        alpha,
        n: v.len(),
        trend,
        h,
        p,
        z,
        tau: c.tau,
        s: c.s,
        var_s: c.var_s,
        correction: 1.0,
        slope: c.slope,
        intercept: c.intercept,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictly_increasing_five() {
        // x = 1..5: all 10 pairs rise, S = 10; Var = 5·4·15/18 = 300/18 = 16.667;
        // Z = (10 − 1)/√16.667 = 9/4.0825 = 2.2045; p = 2(1 − Φ(2.2045)) = 0.0275;
        // τ = 10/10 = 1; slope 1, intercept median(x) − median(t)·1 = 3 − 2 = 1.
        let r = mann_kendall(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.05).unwrap();
        assert_eq!(r.s, 10.0);
        assert_eq!(r.var_s, 300.0 / 18.0);
        assert!((r.z - 9.0 / (300.0_f64 / 18.0).sqrt()).abs() < 1e-15);
        assert!((r.z - 2.204_540_768_504_859).abs() < 1e-12);
        // 2·norm.sf(2.204540768504859) = 0.027486336111510423 (scipy 1.15.3).
        assert!((r.p - 0.027_486_336_111_510_423).abs() < 1e-15);
        assert_eq!(r.tau, 1.0);
        assert!(r.h);
        assert_eq!(r.trend, Trend::Increasing);
        assert_eq!((r.slope, r.intercept), (1.0, 1.0));
        assert_eq!(r.correction, 1.0);
    }

    #[test]
    fn ties_reduce_the_variance() {
        // x = 1, 2, 2, 3, 3, 3: one tie group of 2 and one of 3.
        // S: from 1: +5; from 2: +3 (the three 3s) twice = 6; the 3s: 0 → S = 11.
        // Var = [6·5·17 − (2·1·9 + 3·2·11)]/18 = (510 − 18 − 66)/18 = 426/18 = 23.667.
        let x = [1.0, 2.0, 2.0, 3.0, 3.0, 3.0];
        assert_eq!(s_statistic(&x), 11.0);
        assert_eq!(variance_s(&x), 426.0 / 18.0);
        // Order does not matter for the variance, only the tie groups.
        assert_eq!(variance_s(&[3.0, 1.0, 3.0, 2.0, 3.0, 2.0]), 426.0 / 18.0);
        // A constant series: S = 0, Var = 0, Z = 0, p = 1.
        let r = mann_kendall(&[4.0; 5], 0.05).unwrap();
        assert_eq!((r.s, r.var_s, r.z, r.p), (0.0, 0.0, 0.0, 1.0));
        assert_eq!(r.trend, Trend::NoTrend);
    }

    #[test]
    fn nan_is_skipped_and_infinity_refused() {
        // NaN years drop out of S: the same S and Var as the compacted series.
        let r = mann_kendall(&[f64::NAN, 1.0, 2.0, f64::NAN, 3.0, 5.0], 0.05).unwrap();
        assert_eq!((r.n, r.s, r.var_s), (4, 6.0, 4.0 * 3.0 * 13.0 / 18.0));
        assert_eq!(
            mann_kendall(&[1.0, f64::INFINITY, 2.0, 3.0], 0.05),
            Err(TrendError::InfiniteValue {
                index: 1,
                value: f64::INFINITY
            })
        );
        assert_eq!(
            mann_kendall(&[1.0, f64::NAN, 2.0], 0.05),
            Err(TrendError::TooFewValues { finite: 2, len: 3 })
        );
        for alpha in [0.0, 1.0, -0.1, f64::NAN] {
            assert!(matches!(
                mann_kendall(&[1.0, 2.0, 3.0], alpha),
                Err(TrendError::AlphaOutOfRange { .. })
            ));
        }
    }

    #[test]
    fn serialises_with_the_verdict_name() {
        let r = mann_kendall(&[3.0, 1.0, 2.0], 0.05).unwrap();
        let j = serde_json::to_value(&r).unwrap();
        assert_eq!(j["trend"], "no trend");
        assert_eq!(j["method"], "original");
    }
}
