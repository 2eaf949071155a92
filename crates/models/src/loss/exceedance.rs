//! The expected annual value of a loss known at events of given annual exceedance
//! rate: the trapezoidal rule over the rate, events sorted from the most frequent,
//! plus the rarest event's loss for everything rarer (Olsen, A.S., Zhou, Q., Linde,
//! J.J., Arnbjerg-Nielsen, K. 2015, Comparing methods of calculating expected
//! annual damage in urban pluvial flood risk assessments, Water 7(1), 255–270,
//! eq. 2, with the common truncation: nothing more frequent than the most frequent
//! event):
//!
//! ```text
//! E = Σᵢ (λᵢ − λᵢ₊₁)(Lᵢ + Lᵢ₊₁)/2 + λₙ·Lₙ
//! ```
//!
//! For design events of return period T, λ = 1/T (the flood EAD). The same rule
//! gives the expected annual deaths from the deaths per event.

/// E of (annual rate, loss) pairs in any order; 0 without an event, NaN when a
/// loss is NaN.
pub fn expected_annual(events: &[(f64, f64)]) -> f64 {
    let mut ev = events.to_vec();
    ev.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut e = 0.0;
    for w in ev.windows(2) {
        e += (w[0].0 - w[1].0) * (w[0].1 + w[1].1) / 2.0;
    }
    if let Some(&(l, v)) = ev.last() {
        e += l * v;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trapezoid_by_hand() {
        // λ 0.1, 0.02, 0.01 with losses 0, 10, 20:
        // (0.08)(0+10)/2 + (0.01)(10+20)/2 + 0.01·20 = 0.4 + 0.15 + 0.2 = 0.75.
        let e = expected_annual(&[(0.01, 20.0), (0.1, 0.0), (0.02, 10.0)]);
        assert!((e - 0.75).abs() < 1e-12, "{e}");
        assert_eq!(expected_annual(&[]), 0.0);
        assert!(expected_annual(&[(0.1, f64::NAN)]).is_nan());
    }
}
