//! Certainty factor (确定性系数法) of each factor class and their combination.
//!
//! The certainty factor of Shortliffe, E.H. & Buchanan, B.G. (1975) A model of
//! inexact reasoning in medicine. Mathematical Biosciences 23, 351–379, in the
//! favourability form of Chung, C.F. & Fabbri, A.G. (1993) The representation of
//! geoscience information for data integration. Nonrenewable Resources 2, 122–139,
//! as applied to landslides by Lan, H., Zhou, C., Wang, L., Zhang, H. & Li, R. (2004)
//! Engineering Geology 76, 109–128:
//!
//! ```text
//! PP_a = N_i / S_i        (conditional probability of hazard in class i)
//! PP_s = N / S            (prior probability of hazard in the study area)
//! CF_i = (PP_a − PP_s) / (PP_a (1 − PP_s))   if PP_a ≥ PP_s
//!      = (PP_a − PP_s) / (PP_s (1 − PP_a))   if PP_a < PP_s
//! ```
//!
//! CF ∈ [−1, 1]. A class with no hazard cell (N_i = 0, PP_a = 0) gets CF = −1 by
//! the formula (finite). A class with no study-area cell (S_i = 0) gets CF = 0 (no
//! evidence).
//!
//! Factors are combined pairwise in file order by the combination rule of
//! Shortliffe & Buchanan (1975) as given by Lan et al. (2004), eq. 3:
//!
//! ```text
//! z = x + y − x·y                      if x ≥ 0 and y ≥ 0
//! z = x + y + x·y                      if x < 0 and y < 0
//! z = (x + y) / (1 − min(|x|, |y|))    otherwise
//! ```
//!
//! (the mixed-sign form is undefined for x = −y = ±1; z = 0 is taken there).

use super::counts::ClassCounts;

/// Certainty factor of one class from its counts.
#[inline]
pub fn certainty_factor(n_i: u64, n: u64, s_i: u64, s: u64) -> f64 {
    if s_i == 0 || s == 0 {
        return 0.0;
    }
    let ppa = n_i as f64 / s_i as f64;
    let pps = n as f64 / s as f64;
    if ppa >= pps {
        if ppa == 0.0 || pps >= 1.0 {
            return 0.0;
        }
        (ppa - pps) / (ppa * (1.0 - pps))
    } else {
        (ppa - pps) / (pps * (1.0 - ppa))
    }
}

/// Certainty factors per factor and class (`[f][class − 1]`).
pub fn certainty_factors(c: &ClassCounts) -> Vec<Vec<f64>> {
    let (n, s) = (c.total_hazard(), c.total_area());
    c.area
        .iter()
        .zip(&c.hazard)
        .map(|(a, h)| {
            a.iter()
                .zip(h)
                .map(|(&si, &ni)| certainty_factor(ni, n, si, s))
                .collect()
        })
        .collect()
}

/// Combine two certainty factors (Shortliffe & Buchanan 1975).
#[inline]
pub fn combine(x: f64, y: f64) -> f64 {
    if x >= 0.0 && y >= 0.0 {
        x + y - x * y
    } else if x < 0.0 && y < 0.0 {
        x + y + x * y
    } else {
        let d = 1.0 - x.abs().min(y.abs());
        if d == 0.0 {
            0.0
        } else {
            (x + y) / d
        }
    }
}

/// Combine a cell's factor CFs left to right (file order).
pub fn combine_all(cfs: impl IntoIterator<Item = f64>) -> f64 {
    let mut it = cfs.into_iter();
    let Some(first) = it.next() else { return 0.0 };
    it.fold(first, combine)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_calculation() {
        // PPa = 10/100 = 0.1, PPs = 50/10 000 = 0.005:
        // (0.1 − 0.005) / (0.1 × 0.995) = 0.954773869…
        let cf = certainty_factor(10, 50, 100, 10_000);
        assert!((cf - 0.095 / 0.0995).abs() < 1e-14);
        // PPa = 1/1000 < PPs = 0.005: (0.001 − 0.005) / (0.005 × 0.999).
        let cf = certainty_factor(1, 50, 1_000, 10_000);
        assert!((cf - (-0.004 / (0.005 * 0.999))).abs() < 1e-14);
        assert_eq!(certainty_factor(0, 50, 1_000, 10_000), -1.0);
    }

    #[test]
    fn combination_rule() {
        assert!((combine(0.5, 0.5) - 0.75).abs() < 1e-15);
        assert!((combine(-0.5, -0.5) + 0.75).abs() < 1e-15);
        assert!((combine(0.6, -0.2) - 0.4 / 0.8).abs() < 1e-15);
        assert!((combine_all([0.5, 0.5, 0.5]) - 0.875).abs() < 1e-15);
    }
}
