//! Frequency ratio (频率比法) of each factor class.
//!
//! Lee, S. & Pradhan, B. (2007) Landslide hazard mapping at Selangor, Malaysia using
//! frequency ratio and logistic regression models. Landslides 4, 33–41:
//!
//! ```text
//! FR_i = (N_i / N) / (S_i / S)
//! ```
//!
//! the share of hazard cells in class i over the share of area in it (> 1: hazard
//! more frequent than the area suggests). The landslide susceptibility index of a
//! cell is LSI = Σ_f FR_f(class_f). A class without hazard cells (N_i = 0) has
//! FR = 0 by the formula (finite: no logarithm is taken). A class without
//! study-area cells (S_i = 0) gets FR = 0 (it holds no cell to score).

use super::counts::ClassCounts;

/// Frequency ratio of one class from its counts.
#[inline]
pub fn frequency_ratio(n_i: u64, n: u64, s_i: u64, s: u64) -> f64 {
    if s_i == 0 || n == 0 || s == 0 {
        return 0.0;
    }
    (n_i as f64 / n as f64) / (s_i as f64 / s as f64)
}

/// Frequency ratios per factor and class (`[f][class − 1]`).
pub fn frequency_ratios(c: &ClassCounts) -> Vec<Vec<f64>> {
    let (n, s) = (c.total_hazard(), c.total_area());
    c.area
        .iter()
        .zip(&c.hazard)
        .map(|(a, h)| {
            a.iter()
                .zip(h)
                .map(|(&si, &ni)| frequency_ratio(ni, n, si, s))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_calculation() {
        // 30 of 120 hazard cells in 500 of 20 000 cells: 0.25 / 0.025 = 10.
        assert!((frequency_ratio(30, 120, 500, 20_000) - 10.0).abs() < 1e-12);
        assert_eq!(frequency_ratio(0, 120, 500, 20_000), 0.0);
    }
}
