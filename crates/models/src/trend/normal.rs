//! The standard normal upper tail Q(x) = 1 − Φ(x) and its inverse, to full f64
//! precision (the p-values are compared with an independent tool to 1e-9; the
//! `erfcc` approximation of `earthquake::fragility`, good to 1.2e-7, is not enough).
//!
//! erfc is evaluated as in Abramowitz & Stegun (1964), *Handbook of Mathematical
//! Functions*:
//!
//! - for 0 ≤ x < 2.5, erfc = 1 − erf with the series of eq. 7.1.6,
//!   erf x = (2/√π) e^(−x²) Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), all terms positive;
//! - for x ≥ 2.5, the continued fraction of eq. 7.1.14 (Laplace),
//!   erfc x = (e^(−x²)/√π) · 1/(x + ½/(x + 1/(x + (3/2)/(x + 2/(x + …))))),
//!   evaluated with the modified Lentz algorithm (Press et al. 2007, *Numerical
//!   Recipes*, 3rd ed., §5.2), kept in logarithms so the far tail does not underflow;
//! - erfc(−x) = 2 − erfc(x).

use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Where the series hands over to the continued fraction.
const SWITCH: f64 = 2.5;

/// ln erfc(x) for x ≥ [`SWITCH`] from the continued fraction (A&S 7.1.14).
fn ln_erfc_cf(x: f64) -> f64 {
    // f = x + a1/(x + a2/(x + …)), a_j = j/2; modified Lentz.
    const TINY: f64 = 1e-300;
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for j in 1..2000 {
        let a = 0.5 * j as f64;
        d = x + a * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = x + a / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    -x * x - (PI.sqrt() * f).ln()
}

/// erf(x) for 0 ≤ x < [`SWITCH`] from the series of A&S 7.1.6.
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    let mut n = 0.0;
    while term > 1e-17 * sum {
        n += 1.0;
        term *= 2.0 * x2 / (2.0 * n + 1.0);
        sum += term;
    }
    2.0 / PI.sqrt() * (-x2).exp() * sum
}

/// The complementary error function erfc(x) = 1 − erf(x): absolute error ≈ 1e-16
/// below the switch (relative < 1e-12 up to it), relative ≈ 1e-15 in the tail.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < SWITCH {
        1.0 - erf_series(x)
    } else {
        ln_erfc_cf(x).exp()
    }
}

/// ln erfc(x) for x ≥ 0, finite far into the tail where erfc underflows.
fn ln_erfc(x: f64) -> f64 {
    if x < SWITCH {
        erfc(x).ln()
    } else {
        ln_erfc_cf(x)
    }
}

/// Upper tail of the standard normal, Q(x) = 1 − Φ(x) = ½ erfc(x/√2).
pub fn norm_sf(x: f64) -> f64 {
    0.5 * erfc(x * FRAC_1_SQRT_2)
}

/// Standard normal CDF Φ(x) = ½ erfc(−x/√2).
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * erfc(-x * FRAC_1_SQRT_2)
}

/// The upper quantile z with Q(z) = q, for q ∈ (0, 1) (so z₁₋α/₂ = `norm_isf(α/2)`).
///
/// Start from A&S eq. 26.2.23 (|error| < 4.5e-4), then Newton steps on
/// ln Q(z) − ln q (derivative −φ(z)/Q(z)) until the step is below 1e-15·(1 + z).
/// NaN outside (0, 1).
pub fn norm_isf(q: f64) -> f64 {
    if !(q > 0.0 && q < 1.0) {
        return f64::NAN;
    }
    if q > 0.5 {
        return -norm_isf(1.0 - q);
    }
    let s = (-2.0 * q.ln()).sqrt();
    let mut z = s
        - (2.515_517 + 0.802_853 * s + 0.010_328 * s * s)
            / (1.0 + 1.432_788 * s + 0.189_269 * s * s + 0.001_308 * s * s * s);
    z = z.max(0.0);
    let ln_q = q.ln();
    for _ in 0..50 {
        let ln_tail = ln_erfc(z * FRAC_1_SQRT_2) - std::f64::consts::LN_2;
        let ln_pdf = -0.5 * z * z - 0.5 * (2.0 * PI).ln();
        // Newton: z ← z + (ln Q − ln q)·Q/φ.
        let step = (ln_tail - ln_q) * (ln_tail - ln_pdf).exp();
        z += step;
        if step.abs() < 1e-15 * (1.0 + z.abs()) {
            break;
        }
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values: A&S Table 7.1 (erf to 15 places) and Table 26.5 / the
    /// usual critical values of the normal.
    #[test]
    fn erfc_matches_tables() {
        // erf(0.5) = 0.520499877813047, erf(1) = 0.842700792949715, erf(2) = 0.995322265018953
        assert!((erfc(0.5) - (1.0 - 0.520_499_877_813_047)).abs() < 1e-15);
        assert!((erfc(1.0) - (1.0 - 0.842_700_792_949_715)).abs() < 1e-15);
        assert!((erfc(2.0) - (1.0 - 0.995_322_265_018_953)).abs() < 1e-15);
        // erfc(3) = 2.209049699858544e-5 (A&S Table 7.1 gives e^{x²}erfc x for large x).
        assert!((erfc(3.0) / 2.209_049_699_858_544e-5 - 1.0).abs() < 1e-12);
        assert!((erfc(-1.0) - (1.0 + 0.842_700_792_949_715)).abs() < 1e-15);
        // Either side of the switch and far out, against scipy 1.15.3's
        // `scipy.special.erfc` (Cephes).
        for (x, want) in [
            (2.4, 0.000_688_513_896_645_078_9),
            (2.5, 0.000_406_952_017_444_958_86),
            (5.0, 1.537_459_794_428_034_7e-12),
            (10.0, 2.088_487_583_762_544_6e-45),
        ] {
            assert!(
                (erfc(x) / want - 1.0).abs() < 1e-12,
                "erfc({x}) = {}",
                erfc(x)
            );
        }
        // Continuity at the switch.
        let (a, b) = (erfc(SWITCH - 1e-12), erfc(SWITCH));
        assert!((a / b - 1.0).abs() < 1e-10);
    }

    #[test]
    fn quantiles_are_the_critical_values() {
        assert!((norm_isf(0.025) - 1.959_963_984_540_054).abs() < 1e-13);
        assert!((norm_isf(0.005) - 2.575_829_303_548_901).abs() < 1e-13);
        assert!((norm_isf(0.05) - 1.644_853_626_951_472_2).abs() < 1e-13);
        assert_eq!(norm_isf(0.5), 0.0);
        assert!((norm_isf(0.975) + 1.959_963_984_540_054).abs() < 1e-13);
        // Round trip deep in the tail.
        let z = norm_isf(1e-200);
        assert!((norm_sf(z) / 1e-200 - 1.0).abs() < 1e-10);
        assert!(norm_isf(0.0).is_nan() && norm_isf(1.0).is_nan());
        assert!((norm_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-15);
    }
}
