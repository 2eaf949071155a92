//! Every transform against values computed by hand (arithmetic in the comments).
//! Each value goes through both the fused kernel and the scalar reference (which
//! `common::score` asserts agree bit for bit).

use crate::common::{one_factor, score};

fn close(got: &[f32], want: &[f32], tol: f32) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        if w.is_nan() {
            assert!(g.is_nan(), "cell {i}: got {g}, want NaN");
        } else {
            assert!((g - w).abs() <= tol, "cell {i}: got {g}, want {w}");
        }
    }
}

#[test]
fn identity_passes_values_and_fills_nodata() {
    let m = one_factor(r#"{ kind = "identity" }"#, "{ value = 0.5 }");
    close(
        &score(&m, &[0.0, 0.3, 1.0, f32::NAN]),
        &[0.0, 0.3, 1.0, 0.5],
        0.0,
    );
}

#[test]
fn ramp_increasing_and_decreasing() {
    // s = clamp((x − x0)·r, 0, 1), r = f32(1/(x1 − x0)): one rounding of r and one of
    // the product, so within 1e-7 of the exact value.
    // Increasing x0 = 0 → 0, x1 = 15 → 1: s(3) = 3/15 = 0.2; s(-5) clamps to 0;
    // s(20) clamps to 1; s(7.5) = 0.5.
    let up = one_factor(
        r#"{ kind = "ramp", x0 = 0.0, x1 = 15.0 }"#,
        r#""propagate""#,
    );
    close(
        &score(&up, &[3.0, -5.0, 20.0, 7.5, f32::NAN]),
        &[0.2, 0.0, 1.0, 0.5, f32::NAN],
        1e-7,
    );
    // Decreasing (HAND): x0 = 15 → 0, x1 = 0 → 1: s(3) = (3 − 15)/(0 − 15) = 12/15
    // = 0.8; s(0) = 1; s(15) = 0; s(-1) clamps to 1; s(100) clamps to 0.
    let down = one_factor(
        r#"{ kind = "ramp", x0 = 15.0, x1 = 0.0 }"#,
        r#""propagate""#,
    );
    close(
        &score(&down, &[3.0, 0.0, 15.0, -1.0, 100.0]),
        &[0.8, 1.0, 0.0, 1.0, 0.0],
        1e-7,
    );
}

#[test]
fn fuzzy_large_esri() {
    // 1/(1 + (x/m)^-k), m = 10, k = 2: x = 20 → 1/(1 + 2^-2) = 1/1.25 = 0.8;
    // x = 10 → 1/(1 + 1) = 0.5; x = 5 → 1/(1 + 0.5^-2) = 1/(1 + 4) = 0.2;
    // x = 0 → 0 (limit); x = -3 → 0 (defined).
    let m = one_factor(
        r#"{ kind = "fuzzy_large", midpoint = 10.0, spread = 2.0 }"#,
        r#""propagate""#,
    );
    close(
        &score(&m, &[20.0, 10.0, 5.0, 0.0, -3.0]),
        &[0.8, 0.5, 0.2, 0.0, 0.0],
        1e-6,
    );
}

#[test]
fn fuzzy_small_esri() {
    // 1/(1 + (x/m)^k), m = 10, k = 2: x = 20 → 1/(1 + 4) = 0.2; x = 5 → 1/(1 + 0.25)
    // = 0.8; x = 10 → 0.5; x = 0 → 1 (limit); x = -3 → 1 (defined).
    let m = one_factor(
        r#"{ kind = "fuzzy_small", midpoint = 10.0, spread = 2.0 }"#,
        r#""propagate""#,
    );
    close(
        &score(&m, &[20.0, 5.0, 10.0, 0.0, -3.0]),
        &[0.2, 0.8, 0.5, 1.0, 1.0],
        1e-6,
    );
}

#[test]
fn fuzzy_gaussian_esri() {
    // exp(−k (x − m)²), m = 5, k = 0.1: x = 5 → e⁰ = 1; x = 7 → e^(−0.4) =
    // 0.670320046; x = 0 → e^(−2.5) = 0.082084999.
    let m = one_factor(
        r#"{ kind = "fuzzy_gaussian", midpoint = 5.0, spread = 0.1 }"#,
        "{ value = 0.0 }",
    );
    close(
        &score(&m, &[5.0, 7.0, 0.0, f32::NAN]),
        &[1.0, 0.670_320_05, 0.082_085, 0.0],
        1e-6,
    );
}

#[test]
fn sigmoid_logistic() {
    // 1/(1 + e^(−a(x − m))), m = 200, a = 0.05: x = 200 → 0.5; x = 220 → 1/(1 + e^−1)
    // = 0.731058579; x = 180 → 1/(1 + e) = 0.268941421. Decreasing (a = −0.05):
    // x = 220 → 0.268941421.
    let up = one_factor(
        r#"{ kind = "sigmoid", midpoint = 200.0, slope = 0.05 }"#,
        r#""propagate""#,
    );
    close(
        &score(&up, &[200.0, 220.0, 180.0]),
        &[0.5, 0.731_058_6, 0.268_941_4],
        1e-6,
    );
    let down = one_factor(
        r#"{ kind = "sigmoid", midpoint = 200.0, slope = -0.05 }"#,
        r#""propagate""#,
    );
    close(&score(&down, &[220.0]), &[0.268_941_4], 1e-6);
}

#[test]
fn piecewise_table() {
    // Points (0, 1), (2, 0.9), (5, 0.6), (10, 0.3): x = 3.5 → t = 1.5/3 = 0.5,
    // 0.9 + 0.5·(0.6 − 0.9) = 0.75; x = 1 → 1 + 0.5·(0.9 − 1) = 0.95; x = 5 → 0.6
    // (a breakpoint); x = −1 → 1 (clamped); x = 12 → 0.3 (clamped); x = 7.5 →
    // 0.6 + 0.5·(0.3 − 0.6) = 0.45.
    let m = one_factor(
        r#"{ kind = "piecewise", points = [[0.0, 1.0], [2.0, 0.9], [5.0, 0.6], [10.0, 0.3]] }"#,
        r#""propagate""#,
    );
    close(
        &score(&m, &[3.5, 1.0, 5.0, -1.0, 12.0, 7.5]),
        &[0.75, 0.95, 0.6, 1.0, 0.3, 0.45],
        1e-6,
    );
}

#[test]
fn lookup_with_default_and_nodata() {
    // 10 → 0.5, 60 → 1.0, anything else (11, 10.5, 0, −10) → the default 0.25;
    // NaN → nodata value 0.75.
    let m = one_factor(
        r#"{ kind = "lookup", unknown = { default = 0.25 }, classes = [{ code = 10, score = 0.5 }, { code = 60, score = 1.0 }] }"#,
        "{ value = 0.75 }",
    );
    close(
        &score(&m, &[10.0, 60.0, 11.0, 10.5, 0.0, -10.0, f32::NAN]),
        &[0.5, 1.0, 0.25, 0.25, 0.25, 0.25, 0.75],
        0.0,
    );
    // unknown = "nodata": unknown codes score NaN whatever the nodata policy.
    let m = one_factor(
        r#"{ kind = "lookup", unknown = "nodata", classes = [{ code = 1, score = 0.5 }] }"#,
        "{ value = 0.75 }",
    );
    close(
        &score(&m, &[1.0, 2.0, f32::NAN]),
        &[0.5, f32::NAN, 0.75],
        0.0,
    );
}

#[test]
fn lookup_unknown_error_names_the_cell() {
    let m = one_factor(
        r#"{ kind = "lookup", unknown = "error", classes = [{ code = 1, score = 0.5 }] }"#,
        r#""propagate""#,
    );
    use riskcensus_models::{ScoreError, TileScorer};
    let xs = [1.0, f32::NAN, 1.0, 7.0, 1.0];
    let mut out = [0f32; 5];
    for p in [m.compile(), m.compile().with_chunk(2).unwrap()] {
        let e = p.score_tile(&[&xs], &mut out).unwrap_err();
        assert!(
            matches!(
                e,
                ScoreError::UnknownClass {
                    cell: 3,
                    value: 7.0,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("factor `f`"), "{e}");
    }
    let e = riskcensus_models::Reference(&m)
        .score_tile(&[&xs], &mut out)
        .unwrap_err();
    assert!(matches!(e, ScoreError::UnknownClass { cell: 3, .. }), "{e}");
}

#[test]
fn log_scaling() {
    // ln(1 + x)/ln(1 + M), M = 99: x = 9 → ln 10 / ln 100 = 0.5; x = 99 → 1;
    // x = 999 → ln 1000/ln 100 = 1.5, capped at 1; x = 0 → 0; x = −3 → max(x, 0) = 0.
    let m = one_factor(r#"{ kind = "log", max = 99.0 }"#, r#""propagate""#);
    close(
        &score(&m, &[9.0, 99.0, 999.0, 0.0, -3.0]),
        &[0.5, 1.0, 1.0, 0.0, 0.0],
        1e-6,
    );
}
