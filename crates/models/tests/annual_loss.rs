//! The annual loss against independent implementations, on the inputs and goldens
//! of `fixtures/annual_loss/` (written by `validate/annual_loss/run.sh`, tool
//! versions in its `manifest.json`):
//!
//! - earthquake: damage-state rates and AAL of HAZUS fragility curves over the
//!   four-level GB 18306-2015 hazard curve, against OpenQuake 3.26.2's
//!   `classical_damage` (rates within 1e-3 absolute — in fact within 0.1 %
//!   relative) and `classical_risk` (AAL within 2 %), and against an exact scipy
//!   quadrature (0.1 %). OpenQuake integrates the rates between the frequent and the
//!   very rare level only, so the comparison takes the engine's body without the
//!   rare tail; the tail is checked by hand.
//! - flood: expected annual damage per building and in total against CLIMADA
//!   6.1.0's impact calculation with the trapezoid's event weights (1 %), per-event
//!   losses too;
//! - Jonkman's flood mortality against scipy's normal CDF;
//! - properties: doubling every value doubles the AAL; zero intensity, zero loss.

use std::collections::BTreeMap;
use std::path::PathBuf;

use riskcensus_models::earthquake::fragility::{consequences, CodeLevel, FragilityTable};
use riskcensus_models::earthquake::hazard_curve::{state_rates, HazardCurve};
use riskcensus_models::earthquake::EarthquakeParams;
use riskcensus_models::flood::depth_damage::{expected_annual_damage, DepthDamage};
use riskcensus_models::flood::Mortality;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/annual_loss")
        .join(name)
}

/// Rows of a CSV fixture (`#` comments skipped) as header → value maps.
fn rows(name: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(fixture(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            h.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn num(r: &BTreeMap<String, String>, k: &str) -> f64 {
    r[k].parse().unwrap_or_else(|_| panic!("{k} = {:?}", r[k]))
}

/// The 4-point hazard curve of the fixture, 64 nodes per segment (the shipped
/// file's).
fn curve() -> HazardCurve {
    let pts = rows("eq_hazard_curve.csv")
        .iter()
        .map(|r| (num(r, "pga_g"), num(r, "annual_rate")))
        .collect();
    HazardCurve::new(pts, 64).expect("valid curve")
}

/// Per taxonomy: (rates of exceeding slight … complete over the body, AAL per 万元
/// over the body) with the shipped loss ratios.
fn engine_rates(taxonomy: &str, c: &HazardCurve) -> ([f64; 4], f64) {
    let table = FragilityTable::builtin();
    let p = EarthquakeParams::parse(
        riskcensus_models::earthquake::params::builtin(),
        "models/earthquake/earthquake.toml",
    )
    .unwrap();
    let (ht, level) = taxonomy.split_once('_').unwrap();
    let (frag, used) = table.curve(ht, CodeLevel::parse(level).unwrap()).unwrap();
    assert_eq!(
        used,
        CodeLevel::parse(level).unwrap(),
        "{taxonomy} has its own row"
    );
    let a = c.damage_state_rates(&frag);
    let body = a.map(|x| x.body);
    let (lr, _) = consequences(&p.fragility.params, ht, &state_rates(&body));
    (body, lr)
}

#[test]
fn earthquake_damage_state_rates_and_aal_match_openquake() {
    let c = curve();
    let quad: BTreeMap<String, BTreeMap<String, String>> = rows("eq_quad_golden.csv")
        .into_iter()
        .map(|r| (r["taxonomy"].clone(), r))
        .collect();
    let mut worst = (0.0f64, 0.0f64, 0.0f64);
    for g in rows("eq_oq_golden.csv") {
        let t = g["taxonomy"].clone();
        if t == "portfolio" {
            continue;
        }
        let (rates, aal) = engine_rates(&t, &c);
        for (i, ds) in ["slight", "moderate", "extensive", "complete"]
            .iter()
            .enumerate()
        {
            let oq = num(&g, &format!("rate_{ds}"));
            let q = num(&quad[&t], &format!("rate_{ds}"));
            assert!(
                (rates[i] - oq).abs() < 1e-3,
                "{t} {ds}: {} vs OpenQuake {oq}",
                rates[i]
            );
            worst.0 = worst.0.max(((rates[i] - oq) / oq).abs());
            worst.2 = worst.2.max(((rates[i] - q) / q).abs());
            assert!(
                ((rates[i] - q) / q).abs() < 1e-3,
                "{t} {ds}: {} vs quadrature {q}",
                rates[i]
            );
        }
        let oq = num(&g, "aal_per_wan");
        let q = num(&quad[&t], "aal_per_wan");
        assert!(
            ((aal - oq) / oq).abs() < 0.02,
            "{t} AAL: {aal} vs OpenQuake {oq}"
        );
        assert!(
            ((aal - q) / q).abs() < 1e-3,
            "{t} AAL: {aal} vs quadrature {q}"
        );
        worst.1 = worst.1.max(((aal - oq) / oq).abs());
    }
    // The portfolio: Σ value × AAL per 万元.
    let portfolio: f64 = rows("eq_exposure.csv")
        .iter()
        .map(|b| num(b, "value_wan") * engine_rates(&b["taxonomy"], &c).1)
        .sum();
    let oq = rows("eq_oq_golden.csv")
        .into_iter()
        .find(|r| r["taxonomy"] == "portfolio")
        .map(|r| num(&r, "aal_per_wan"))
        .unwrap();
    let rel = (portfolio - oq) / oq;
    assert!(
        rel.abs() < 0.02,
        "portfolio AAL {portfolio} vs OpenQuake {oq}"
    );
    println!(
        "max relative deviation from OpenQuake: damage-state rates {:.2e}, AAL {:.2e}; from the quadrature: rates {:.2e}; portfolio AAL {portfolio:.3} vs {oq:.3} 万元/yr ({:+.3} %)",
        worst.0,
        worst.1,
        worst.2,
        rel * 100.0
    );
}

#[test]
fn the_rare_tail_by_hand() {
    // Beyond the very rare level the curve holds its PGA: tail = λ₄ · P[≥ ds | a₄].
    let c = curve();
    let table = FragilityTable::builtin();
    let (frag, _) = table.curve("URML", CodeLevel::Low).unwrap();
    let a = c.damage_state_rates(&frag);
    let (a4, l4) = *c.points().last().unwrap();
    let want = frag.exceedance(a4);
    for i in 0..4 {
        assert!((a[i].tail - l4 * want[i]).abs() < 1e-18, "{i}");
        assert!(a[i].total() > a[i].body);
    }
}

#[test]
fn doubling_values_doubles_the_aal_and_zero_intensity_loses_nothing() {
    let table = FragilityTable::builtin();
    let p = EarthquakeParams::parse(
        riskcensus_models::earthquake::params::builtin(),
        "models/earthquake/earthquake.toml",
    )
    .unwrap();
    let fp = &p.fragility.params;
    let b = riskcensus_models::earthquake::fragility::Building::from_fields(
        "b",
        Some("砖混"),
        Some(3),
        Some(1985),
        Some("VII"),
        Some(30.0),
        Some(400.0),
    )
    .unwrap();
    let mut b2 = b.clone();
    b2.value *= 2.0;
    let c = p.hazard_curve.curve(0.2);
    let one = riskcensus_models::earthquake::fragility::assess_annual(&table, fp, &b, &c).unwrap();
    let two = riskcensus_models::earthquake::fragility::assess_annual(&table, fp, &b2, &c).unwrap();
    assert!(one.aal > 0.0);
    assert!((two.aal - 2.0 * one.aal).abs() < 1e-12 * one.aal.max(1.0));
    assert_eq!(
        two.deaths_per_year, one.deaths_per_year,
        "value does not kill"
    );
    // A site with (almost) no ground motion: no loss, no deaths.
    let quiet = p.hazard_curve.curve(1.0e-9);
    let z =
        riskcensus_models::earthquake::fragility::assess_annual(&table, fp, &b, &quiet).unwrap();
    assert!(z.aal < 1e-12 && z.deaths_per_year < 1e-15, "{z:?}");

    // Flood: doubling values doubles the EAD; zero depth loses nothing.
    let dd = DepthDamage::builtin();
    let (depths, buildings) = flood_fixture();
    let ead = |scale: f64, zero: bool| -> f64 {
        buildings
            .iter()
            .map(|(cell, s, v)| building_ead(&dd, &depths[cell], s, v * scale, zero))
            .sum()
    };
    let base = ead(1.0, false);
    assert!(base > 0.0);
    assert!((ead(2.0, false) - 2.0 * base).abs() < 1e-9 * base);
    assert_eq!(ead(1.0, true), 0.0);
}

/// Depths per cell for the 10, 20, 50, 100 and 200-year events, m.
type Depths = BTreeMap<String, [f64; 5]>;

/// Buildings as (cell, structure, value 万元).
type Buildings = Vec<(String, String, f64)>;

/// The flood fixture: depths per cell and buildings.
fn flood_fixture() -> (Depths, Buildings) {
    let depths = rows("flood_depths.csv")
        .iter()
        .map(|r| {
            (
                r["cell"].clone(),
                [10, 20, 50, 100, 200].map(|t| num(r, &format!("depth_{t}y"))),
            )
        })
        .collect();
    let buildings = rows("flood_buildings.csv")
        .iter()
        .map(|r| {
            (
                r["cell"].clone(),
                r["structure"].clone(),
                num(r, "value_wan"),
            )
        })
        .collect();
    (depths, buildings)
}

/// One building's EAD by the engine's curves and trapezoid.
fn building_ead(dd: &DepthDamage, d: &[f64; 5], structure: &str, value: f64, zero: bool) -> f64 {
    let curve = dd.curve(structure).unwrap();
    let ev: Vec<(u32, f64)> = [10, 20, 50, 100, 200]
        .iter()
        .zip(d)
        .map(|(&t, &h)| (t, curve.ratio(if zero { 0.0 } else { h }) * value))
        .collect();
    expected_annual_damage(&ev)
}

#[test]
fn flood_ead_matches_climada() {
    let dd = DepthDamage::builtin();
    let (depths, buildings) = flood_fixture();
    let ids: Vec<String> = rows("flood_buildings.csv")
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    let golden: BTreeMap<String, f64> = rows("flood_ead_golden.csv")
        .iter()
        .map(|r| (r["id"].clone(), num(r, "ead_wan_per_yr")))
        .collect();
    let mut total = 0.0;
    let mut worst = 0.0f64;
    for (id, (cell, s, v)) in ids.iter().zip(&buildings) {
        let e = building_ead(&dd, &depths[cell], s, *v, false);
        let g = golden[id];
        if g > 0.0 {
            worst = worst.max(((e - g) / g).abs());
            assert!(((e - g) / g).abs() < 0.01, "{id}: {e} vs CLIMADA {g}");
        } else {
            assert!(e.abs() < 1e-9, "{id}: {e} vs CLIMADA 0");
        }
        total += e;
    }
    let g = golden["total"];
    assert!(
        ((total - g) / g).abs() < 0.01,
        "total {total} vs CLIMADA {g}"
    );
    // Per event (CLIMADA's at_event).
    for r in rows("flood_event_golden.csv") {
        let t: u32 = r["return_period"].parse().unwrap();
        let k = [10, 20, 50, 100, 200].iter().position(|&x| x == t).unwrap();
        let l: f64 = buildings
            .iter()
            .map(|(cell, s, v)| dd.curve(s).unwrap().ratio(depths[cell][k]) * v)
            .sum();
        let g = num(&r, "loss_wan");
        assert!(((l - g) / g).abs() < 0.01, "{t} years: {l} vs CLIMADA {g}");
    }
    println!("flood EAD {total:.4} vs CLIMADA {g:.4} 万元/yr; worst building {worst:.2e}");
}

#[test]
fn flood_mortality_matches_scipy() {
    let m = Mortality::builtin();
    for r in rows("flood_mortality_golden.csv") {
        let (h, g) = (num(&r, "depth_m"), num(&r, "mortality"));
        let v = m.fraction(h);
        assert!(((v - g) / g).abs() < 1e-6, "{h} m: {v} vs {g}");
    }
}
