//! models/wildfire/{wildfire,wildfire_capacity,wildfire_risk}.toml parse, validate and score the
//! cases the hazard is built for (hand-checked with the file's transforms).

use riskcensus_models::{reference::score_cell, Library, Model};

/// A shipped model of the wildfire folder.
fn model(name: &str) -> Model {
    Library::shipped()
        .model(&format!("wildfire/{name}"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Score with named inputs (in any order) mapped onto `Model::inputs` order.
fn score(m: &Model, named: &[(&str, f32)]) -> f32 {
    let v: Vec<f32> = m
        .inputs()
        .iter()
        .map(|i| {
            named
                .iter()
                .find(|(n, _)| *n == i.id)
                .unwrap_or_else(|| panic!("{}", i.id))
                .1
        })
        .collect();
    score_cell(m, &v).unwrap()
}

fn cell(lc: f32, slope: f32, aspect: f32) -> Vec<(&'static str, f32)> {
    vec![
        ("fwi_p90", 21.3),
        ("landcover", lc),
        ("slope_deg", slope),
        ("aspect_deg", aspect),
        ("dist_roads", 500.0),
        ("dist_villages", 1000.0),
        ("dist_farmland_edge", 500.0),
        ("fire_density", 0.05),
    ]
}

#[test]
fn wildfire_hazard_orders_the_cases() {
    let m = model("wildfire.toml");
    assert_eq!(m.id(), "wildfire");
    let forest_steep_south = score(&m, &cell(20.0, 30.0, 180.0));
    let forest_flat = score(&m, &cell(20.0, 0.0, -1.0));
    let crop = score(&m, &cell(10.0, 0.0, -1.0));
    let water = score(&m, &cell(60.0, 0.0, -1.0));
    let built = score(&m, &cell(80.0, 3.0, 90.0));
    // Hand calculation of the steep south forest: scores 0.6 (fwi 21.3), 1 (forest),
    // 0.74 (30°), 0.95 (south), 0.6 (500 m road), 0.6 (1 km village), 0.45 (500 m
    // edge), 0.4 (0.05 /km²); r = ∏ s^w.
    let want: f64 = [
        (0.6f64, 0.2),
        (1.0, 0.3),
        (0.74, 0.1),
        (0.95, 0.05),
        (0.6, 0.1),
        (0.6, 0.05),
        (0.45, 0.05),
        (0.4, 0.15),
    ]
    .iter()
    .map(|(s, w)| s.powf(*w))
    .product();
    assert!(
        (forest_steep_south as f64 - want).abs() < 1e-5,
        "{forest_steep_south} vs {want}"
    );
    assert!(
        forest_steep_south > forest_flat && forest_flat > crop,
        "{forest_steep_south} {forest_flat} {crop}"
    );
    assert_eq!(water, 0.0);
    assert_eq!(built, 0.0);
    // Unknown land-cover code → nodata, never a guess.
    assert!(score(&m, &cell(70.0, 0.0, -1.0)).is_nan());
}

#[test]
fn wildfire_risk_composes_h_e_v_c() {
    let m = model("wildfire_risk.toml");
    let r = score(
        &m,
        &[
            ("wildfire_hazard", 0.8),
            ("wildfire_exposure", 0.5),
            ("wildfire_vulnerability", 0.6),
            ("wildfire_capacity", 0.4),
        ],
    );
    // R = 0.8·0.5·0.6·(1 − 0.5·0.4) = 0.192.
    assert!((r - 0.192).abs() < 1e-6, "{r}");
    // Capacity unknown (NaN) → no reduction: 0.8·0.5·0.6 = 0.24.
    let r = score(
        &m,
        &[
            ("wildfire_hazard", 0.8),
            ("wildfire_exposure", 0.5),
            ("wildfire_vulnerability", 0.6),
            ("wildfire_capacity", f32::NAN),
        ],
    );
    assert!((r - 0.24).abs() < 1e-6, "{r}");
}

#[test]
fn wildfire_capacity_hand_calculation() {
    let m = model("wildfire_capacity.toml");
    assert_eq!(m.id(), "wildfire_capacity");
    // 30 persons within reach → ramp 0.5; water at 1.5 km → FuzzySmall 0.5.
    let c = score(
        &m,
        &[("fire_rescue_potential", 30.0), ("dist_water", 1500.0)],
    );
    assert!((c - 0.5).abs() < 1e-6, "{c}");
    // 90 persons (capped at 1), water at 3 km: 1/(1 + 2³) = 1/9;
    // C = 0.6·1 + 0.4/9.
    let c = score(
        &m,
        &[("fire_rescue_potential", 90.0), ("dist_water", 3000.0)],
    );
    assert!((c as f64 - (0.6 + 0.4 / 9.0)).abs() < 1e-6, "{c}");
    // No crew and no water in the grid (+∞ m): 0. Nodata propagates.
    let c = score(
        &m,
        &[
            ("fire_rescue_potential", 0.0),
            ("dist_water", f32::INFINITY),
        ],
    );
    assert_eq!(c, 0.0);
    let c = score(
        &m,
        &[("fire_rescue_potential", f32::NAN), ("dist_water", 100.0)],
    );
    assert!(c.is_nan());
}
