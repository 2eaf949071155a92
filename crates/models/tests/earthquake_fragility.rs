//! Fragility against hand-computed lognormal CDF values, and the adaptation rules.
//!
//! Expected values: Φ(ln(PGA/median)/β) evaluated with Python's `math.erfc`
//! (0.5·erfc(−x/√2)), written out below.

use riskcensus_models::earthquake::fragility::{
    assess, code_level, norm_cdf, Building, CodeLevel, Fortification, FragilityParams,
    FragilityTable, Structure,
};
use riskcensus_models::earthquake::{EarthquakeError, EarthquakeParams};

fn params() -> FragilityParams {
    EarthquakeParams::parse(
        riskcensus_models::earthquake::params::builtin(),
        "models/earthquake/earthquake.toml",
    )
    .unwrap()
    .fragility
    .params
}

fn building(s: Structure, storeys: u32, year: Option<i32>, f: Fortification) -> Building {
    Building {
        id: "b".into(),
        structure: s,
        storeys,
        year_built: year,
        fortification: Some(f),
        occupants: 100.0,
        value: 1000.0,
        deformation: None,
        category: None,
        retrofitted: None,
    }
}

#[test]
fn normal_cdf_matches_reference_values() {
    // Φ(0) = 0.5, Φ(1) = 0.8413447460685429, Φ(−1.96) = 0.024997895148220435.
    assert!((norm_cdf(0.0) - 0.5).abs() < 1e-7);
    assert!((norm_cdf(1.0) - 0.841_344_746_068_542_9).abs() < 2e-7);
    assert!((norm_cdf(-1.96) - 0.024_997_895_148_220_435).abs() < 2e-7);
}

#[test]
fn exceedance_matches_hand_computed_lognormal_cdf() {
    let t = FragilityTable::builtin();
    // C1M High-Code (HAZUS Table 5.16a: 0.15, 0.27, 0.73, 1.61 g; β 0.64) at 0.3 g.
    let (c, l) = t.curve("C1M", CodeLevel::High).unwrap();
    assert_eq!(l, CodeLevel::High);
    let e = c.exceedance(0.3);
    let want = [
        0.8606052136432027,
        0.565380740839586,
        0.082344639631895,
        0.00432833496346984,
    ];
    for k in 0..4 {
        assert!(
            (e[k] - want[k]).abs() < 2e-7,
            "state {k}: {} vs {}",
            e[k],
            want[k]
        );
    }
    // URML Pre-Code (Table 5.16d: 0.13, 0.17, 0.26, 0.37 g) at 0.3 g.
    let (c, _) = t.curve("URML", CodeLevel::Pre).unwrap();
    let e = c.exceedance(0.3);
    let want = [
        0.9043320792299748,
        0.8125884057734234,
        0.5884637992322121,
        0.37157366410263937,
    ];
    for k in 0..4 {
        assert!(
            (e[k] - want[k]).abs() < 2e-7,
            "state {k}: {} vs {}",
            e[k],
            want[k]
        );
    }
    let p = c.state_probabilities(0.3);
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!((p[4] - 0.37157366410263937).abs() < 2e-7);
    assert!((p[0] - (1.0 - 0.9043320792299748)).abs() < 2e-7);
    // At the median of a state, its exceedance is exactly 1/2.
    assert!((c.exceedance(0.26)[2] - 0.5).abs() < 1e-7);
}

#[test]
fn adaptation_rules() {
    let p = params();
    // IX, modern → High; same building before 1990 → Moderate; unknown year → Moderate.
    assert_eq!(
        code_level(
            &building(Structure::RcFrame, 5, Some(2005), Fortification::IX),
            &p
        ),
        CodeLevel::High
    );
    assert_eq!(
        code_level(
            &building(Structure::RcFrame, 5, Some(1985), Fortification::IX),
            &p
        ),
        CodeLevel::Moderate
    );
    assert_eq!(
        code_level(
            &building(Structure::RcFrame, 5, None, Fortification::IX),
            &p
        ),
        CodeLevel::Moderate
    );
    assert_eq!(
        code_level(
            &building(Structure::Steel, 2, Some(2010), Fortification::VII),
            &p
        ),
        CodeLevel::Low
    );
    assert_eq!(
        code_level(
            &building(Structure::EarthStone, 1, Some(2010), Fortification::IX),
            &p
        ),
        CodeLevel::Pre
    );
    // The PGA sub-zones keep their degree's level: 0.15 g → Low, 0.30 g → Moderate;
    // a fortification not recorded is Pre-Code like 未设防.
    let rc = |f| building(Structure::RcFrame, 5, Some(2005), f);
    assert_eq!(code_level(&rc(Fortification::VII15), &p), CodeLevel::Low);
    assert_eq!(
        code_level(&rc(Fortification::VIII30), &p),
        CodeLevel::Moderate
    );
    let mut unknown = rc(Fortification::IX);
    unknown.fortification = None;
    assert_eq!(code_level(&unknown, &p), CodeLevel::Pre);
    assert_eq!(Structure::RcFrame.hazus_type(5), "C1M");
    assert_eq!(Structure::BrickWood.hazus_type(2), "URML");
    assert_eq!(Structure::BrickWood.hazus_type(3), "URMM");
    assert_eq!(Structure::Steel.hazus_type(12), "S1H");
    // URM at Moderate falls back to Low-Code.
    let t = FragilityTable::builtin();
    assert_eq!(
        t.curve("URML", CodeLevel::Moderate).unwrap().1,
        CodeLevel::Low
    );
}

#[test]
fn weak_buildings_are_damaged_more_at_the_same_pga() {
    let (t, p) = (FragilityTable::builtin(), params());
    let weak = building(Structure::EarthStone, 1, Some(1980), Fortification::None);
    let strong = building(Structure::Steel, 2, Some(2015), Fortification::IX);
    let rc = building(Structure::RcFrame, 2, Some(2015), Fortification::IX);
    for pga in [0.05, 0.1, 0.2, 0.4, 0.8] {
        let w = assess(&t, &p, &weak, pga).unwrap();
        for s in [&strong, &rc] {
            let d = assess(&t, &p, s, pga).unwrap();
            assert!(w.probabilities[4] > d.probabilities[4], "pga {pga}");
            assert!(
                w.loss_ratio > d.loss_ratio && w.deaths > d.deaths,
                "pga {pga}"
            );
        }
    }
}

/// Loss and deaths for URML Pre-Code at 0.3 g, by hand from the probabilities above:
/// P = [0.0956679, 0.0917437, 0.2241246, 0.2168901, 0.3715737];
/// LR = 0.02·P1 + 0.10·P2 + 0.50·P3 + 1.0·P4 = 0.5042661;
/// URM death rates (HAZUS MR4 ch. 13): 1e-5·P2 + 2e-5·P3 + (0.85·2e-4 + 0.15·0.10)·P4
/// = 0.0056434 (0.5587 deaths per 100 at night);
/// deaths = 100 occupants × 0.99 (night) × rate.
#[test]
fn loss_and_casualties_by_hand() {
    let (t, p) = (FragilityTable::builtin(), params());
    let b = building(Structure::BrickWood, 1, Some(1980), Fortification::VII);
    let d = assess(&t, &p, &b, 0.3).unwrap();
    assert_eq!(d.level, CodeLevel::Pre);
    let pr = [
        1.0 - 0.9043320792299748,
        0.9043320792299748 - 0.8125884057734234,
        0.8125884057734234 - 0.5884637992322121,
        0.5884637992322121 - 0.37157366410263937,
        0.37157366410263937,
    ];
    let lr = 0.02 * pr[1] + 0.10 * pr[2] + 0.50 * pr[3] + pr[4];
    let rate: f64 = 1e-5 * pr[2] + 2e-5 * pr[3] + (0.85 * 2e-4 + 0.15 * 0.10) * pr[4];
    assert!((rate - 0.0056434).abs() < 1e-7, "{rate}");
    assert!(
        (d.loss_ratio - lr).abs() < 1e-6 && (lr - 0.5042661).abs() < 1e-6,
        "{}",
        d.loss_ratio
    );
    assert!((d.expected_loss - 1000.0 * lr).abs() < 1e-3);
    assert!(
        (d.deaths - 100.0 * 0.99 * rate).abs() < 1e-6,
        "{} vs {}",
        d.deaths,
        99.0 * rate
    );
}

#[test]
fn bad_building_fields_are_named_errors() {
    let e = Building::from_fields(
        "B7",
        Some("木屋"),
        Some(2),
        Some(2000),
        Some("vii"),
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(
        e,
        EarthquakeError::UnknownStructure {
            record: "B7".into(),
            value: "木屋".into()
        }
    );
    // No fortification recorded: unknown, not an error.
    let b =
        Building::from_fields("B8", Some("砖混"), Some(2), Some(2000), None, None, None).unwrap();
    assert_eq!(b.fortification, None);
    let e =
        Building::from_fields("B8", Some("砖混"), None, Some(2000), None, None, None).unwrap_err();
    assert_eq!(
        e,
        EarthquakeError::MissingField {
            record: "B8".into(),
            field: "storeys"
        }
    );
    let e = Building::from_fields("B9", Some("砖混"), Some(2), None, Some("10度"), None, None)
        .unwrap_err();
    assert!(matches!(e, EarthquakeError::UnknownFortification { .. }));
    let b = Building::from_fields(
        "B1",
        Some("钢筋混凝土框架"),
        Some(6),
        Some(2001),
        Some("8度"),
        Some(12.0),
        Some(300.0),
    )
    .unwrap();
    assert_eq!(
        (b.structure, b.fortification, b.storeys),
        (Structure::RcFrame, Some(Fortification::VIII), 6)
    );
    // The PGA sub-zones in their census codes and Chinese forms.
    for (text, f) in [
        ("vii_015g", Fortification::VII15),
        ("7度(0.15g)", Fortification::VII15),
        ("7度（0.15g）", Fortification::VII15),
        ("8度(0.30g)", Fortification::VIII30),
        ("viii_030g", Fortification::VIII30),
    ] {
        assert_eq!(Fortification::parse(text), Some(f), "{text}");
        assert_eq!(Fortification::parse(f.code()), Some(f));
    }
    // The grade's survey fields, and a named error for an unknown value.
    let b = b
        .with_grade_fields(Some("是"), Some("乙类"), Some("no"))
        .unwrap();
    assert_eq!(
        (b.deformation, b.category.map(|c| c.code()), b.retrofitted),
        (Some(true), Some("b"), Some(false))
    );
    let e = b
        .clone()
        .with_grade_fields(None, Some("戊类"), None)
        .unwrap_err();
    assert!(
        matches!(&e, EarthquakeError::UnknownCode { field: "seismic_category", value, .. } if value == "戊类"),
        "{e}"
    );
}

#[test]
fn malformed_table_is_a_named_error() {
    let e = FragilityTable::parse("hazus_type,code,slight_g,moderate_g,extensive_g,complete_g,beta\nC1L,high,0.3,0.2,0.7,1.3,0.64\n", "t.csv")
        .unwrap_err();
    assert!(matches!(e, EarthquakeError::Table { line: 2, .. }), "{e}");
    let e = FragilityTable::parse("a,b\n", "t.csv").unwrap_err();
    assert!(matches!(e, EarthquakeError::Table { line: 1, .. }));
}

#[test]
fn uninhabitable_share_follows_the_hazus_weights() {
    // Hand case: P(DS = none…complete) = 0.4, 0.2, 0.2, 0.1, 0.1.
    let p = params();
    let u = p
        .uninhabitable
        .as_ref()
        .expect("shipped file has [fragility.uninhabitable]");
    let probs = [0.4, 0.2, 0.2, 0.1, 0.1];
    // Single family (3 storeys): complete only, 0.1.
    assert!((u.share(3, &probs) - 0.1).abs() < 1e-15);
    // Multi family (6 storeys): 0.9 · 0.1 + 1.0 · 0.1 = 0.19.
    assert!((u.share(6, &probs) - 0.19).abs() < 1e-15);
}
