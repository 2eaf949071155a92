//! Information value (信息量法) of each factor class.
//!
//! Yin, K. & Yan, T. (1988) Statistical prediction models for slope instability of
//! metamorphosed rocks. Proc. 5th Int. Symp. on Landslides, Lausanne, vol. 2,
//! 1269–1272; as used in van Westen, C.J. (1997) Statistical landslide hazard
//! analysis, ILWIS 2.1 for Windows application guide, ITC, Enschede:
//!
//! ```text
//! I_i = ln[(N_i / N) / (S_i / S)]
//! ```
//!
//! N_i hazard cells and S_i study-area cells in class i of the factor, N and S their
//! totals. A cell's susceptibility is the sum of the information values of its
//! classes over all factors, I = Σ_f I_f(class_f).
//!
//! Empty classes (a stated convention, not from the source): a class with no
//! hazard cell (N_i = 0) would have I = −∞; its count is taken as ½ (the
//! Haldane–Anscombe correction of a zero cell: Haldane, J.B.S. (1956) The estimation
//! and significance of the logarithm of a ratio of frequencies. Annals of Human
//! Genetics 20, 309–311; Anscombe, F.J. (1956) On estimating binomial response
//! relations. Biometrika 43, 461–464), so I_i = ln[(0.5/N)/(S_i/S)], lower than any
//! observed class. A class with no study-area cell (S_i = 0) holds no cell to score
//! and gets I = 0.

use super::counts::ClassCounts;

/// The count that stands in for a zero hazard count.
pub const ZERO_HAZARD_COUNT: f64 = 0.5;

/// Information value of one class from its counts.
#[inline]
pub fn information_value(n_i: u64, n: u64, s_i: u64, s: u64) -> f64 {
    if s_i == 0 || n == 0 || s == 0 {
        return 0.0;
    }
    let ni = if n_i == 0 {
        ZERO_HAZARD_COUNT
    } else {
        n_i as f64
    };
    ((ni / n as f64) / (s_i as f64 / s as f64)).ln()
}

/// Information values per factor and class (`[f][class − 1]`).
pub fn information_values(c: &ClassCounts) -> Vec<Vec<f64>> {
    let (n, s) = (c.total_hazard(), c.total_area());
    c.area
        .iter()
        .zip(&c.hazard)
        .map(|(a, h)| {
            a.iter()
                .zip(h)
                .map(|(&si, &ni)| information_value(ni, n, si, s))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_calculation() {
        // 20 of 100 hazard cells in a class covering 10 % of 10 000 cells:
        // ln(0.2 / 0.1) = ln 2.
        assert!((information_value(20, 100, 1_000, 10_000) - 2f64.ln()).abs() < 1e-15);
        // Zero hazard cells: ln((0.5/100)/(0.1)) = ln 0.05.
        assert!((information_value(0, 100, 1_000, 10_000) - 0.05f64.ln()).abs() < 1e-15);
        assert_eq!(information_value(0, 100, 0, 10_000), 0.0);
    }
}
