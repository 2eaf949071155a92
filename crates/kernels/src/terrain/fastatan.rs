//! Branch-free arctangent for the 3×3 kernels, so their inner loops vectorise (libm
//! `atan`/`atan2` are opaque calls). `atan(x) = x·P(x²)` on [0, 1], P of degree 9
//! fitted by least squares at Chebyshev nodes; |error| ≤ 1.8e-9 rad (1.0e-7°) over
//! the whole range, far below the f32 output resolution of slope and aspect in
//! degrees (≈ 4e-6° at 90°). Outside [0, 1], `atan(x) = π/2 − atan(1/x)`.

// Printed with 17 significant digits by the fit; f64 rounds them as intended.
#[allow(clippy::excessive_precision)]
const P: [f64; 10] = [
    9.999_999_975_458_681e-1,
    -3.333_328_229_535_226e-1,
    1.999_823_063_757_248e-1,
    -1.426_157_365_785_391e-1,
    1.094_019_886_793_106e-1,
    -8.372_063_700_618_312e-2,
    5.746_355_404_254_273e-2,
    -3.071_750_542_543_136e-2,
    1.068_071_770_708_394_6e-2,
    -1.743_700_777_793_105_9e-3,
];

/// atan(x) on [0, 1].
#[inline(always)]
fn atan01(x: f64) -> f64 {
    let u = x * x;
    let mut p = P[9];
    for &c in P[..9].iter().rev() {
        // Plain multiply-add: `mul_add` is a libm call unless the target has FMA.
        p = p * u + c;
    }
    x * p
}

/// atan(t) for t ≥ 0 (t = +∞ gives π/2).
#[inline(always)]
pub(crate) fn atan_pos(t: f64) -> f64 {
    let big = t > 1.0;
    let x = if big { 1.0 / t } else { t };
    let a = atan01(x);
    if big {
        std::f64::consts::FRAC_PI_2 - a
    } else {
        a
    }
}

/// atan2(y, x) in (−π, π]; (0, 0) gives 0 (callers test for flat first).
#[inline(always)]
pub(crate) fn atan2(y: f64, x: f64) -> f64 {
    let (ax, ay) = (x.abs(), y.abs());
    let (lo, hi) = if ax < ay { (ax, ay) } else { (ay, ax) };
    let q = if hi == 0.0 { 0.0 } else { lo / hi };
    let mut a = atan01(q);
    if ay > ax {
        a = std::f64::consts::FRAC_PI_2 - a;
    }
    if x < 0.0 {
        a = std::f64::consts::PI - a;
    }
    if y < 0.0 {
        -a
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_libm() {
        let mut worst = 0.0f64;
        for i in 0..=20000 {
            let t = i as f64 / 1000.0; // 0 … 20
            worst = worst.max((atan_pos(t) - t.atan()).abs());
            for k in 0..16 {
                let th = k as f64 * std::f64::consts::PI / 8.0 + 0.01 * i as f64;
                let (y, x) = (th.sin() * t, th.cos() * t);
                if t > 0.0 {
                    worst = worst.max((atan2(y, x) - y.atan2(x)).abs());
                }
            }
        }
        assert!(worst < 2e-9, "{worst}");
        assert_eq!(atan_pos(f64::INFINITY), std::f64::consts::FRAC_PI_2);
    }
}
