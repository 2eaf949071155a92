//! The loss route under a change on a synthetic county of four cells and two
//! townships, checked by hand: the benefit of a raised flood standard by the
//! trapezoid written out, a retrofit as the mixture of the two buildings' annual
//! damage, the record scaled by growth, and the Monte Carlo's determinism and
//! convergence.

use riskcensus_models::earthquake::fragility::{self, Building, Fortification, Structure};
use riskcensus_models::earthquake::params::EarthquakeParams;
use riskcensus_models::flood::depth_damage::DepthDamage;
use riskcensus_models::flood::Mortality;
use riskcensus_models::loss::LossLevels;
use riskcensus_models::scenario::{Measure, MeasureKind, Scenario};

use super::montecarlo::{Fast, Input};
use super::portfolio::{Portfolio, GEOHAZARD};
use super::{Case, Role};
use crate::executor::ExecOptions;
use crate::loss::{
    EarthquakeExposure, FloodBuilding, FloodExposure, HazardCells, LossFrame, UnitGroup, UnitRow,
};

const T1: &str = "370999001";
const T2: &str = "370999101";

fn row(code: &str, level: &'static str) -> UnitRow {
    UnitRow {
        code: code.into(),
        name: code.into(),
        level,
        area_km2: 2.0,
        population: 1000.0,
        population_source: "admin_units",
        gdp_wan: 50_000.0,
    }
}

/// Four cells: 0 and 1 in township 1, 2 and 3 in township 2.
fn frame() -> LossFrame {
    LossFrame {
        groups: [
            UnitGroup {
                units: vec![row("370999", "county")],
                owner: vec![1; 4],
            },
            UnitGroup {
                units: vec![row(T1, "township"), row(T2, "township")],
                owner: vec![1, 1, 2, 2],
            },
            UnitGroup {
                units: Vec::new(),
                owner: vec![0; 4],
            },
        ],
        hazards: vec![
            HazardCells {
                hazard: "flood".into(),
                route: "loss".into(),
                aal: Vec::new(),
                deaths: Vec::new(),
            },
            HazardCells {
                hazard: "earthquake".into(),
                route: "loss".into(),
                aal: Vec::new(),
                deaths: Vec::new(),
            },
            HazardCells {
                hazard: GEOHAZARD.into(),
                route: "record".into(),
                aal: vec![1.0, 2.0, 3.0, 4.0],
                deaths: vec![0.001; 4],
            },
        ],
        mask: None,
        levels: LossLevels::builtin(),
        event_types: Vec::new(),
    }
}

fn flood() -> (FloodExposure, Vec<f32>) {
    let f = FloodExposure {
        buildings: vec![FloodBuilding {
            id: "b1".into(),
            cell: 0,
            structure: "brick_concrete".into(),
            value_wan: Some(100.0),
            occupants: Some(10.0),
        }],
        stages: vec![(10, 1.5), (20, 1.9), (50, 2.5), (100, 3.2), (200, 3.8)],
        protection_years: 20,
        hand_layer: "hand".into(),
        curves: DepthDamage::builtin(),
        mortality: Mortality::builtin(),
    };
    (f, vec![0.5, 9.0, 9.0, 9.0])
}

fn quake() -> EarthquakeExposure {
    let b = Building::from_fields(
        "q1",
        Some("brick_wood"),
        Some(2),
        Some(1985),
        Some("none"),
        Some(6.0),
        Some(80.0),
    )
    .unwrap();
    EarthquakeExposure {
        buildings: vec![(b, 2)],
        basic: vec![0.15; 4],
        params: EarthquakeParams::parse(
            riskcensus_models::earthquake::params::builtin(),
            "earthquake.toml",
        )
        .unwrap(),
        table: fragility::FragilityTable::builtin(),
    }
}

fn case(id: &str, scenario: Option<Scenario>, measures: Vec<Measure>) -> Case {
    Case {
        id: id.into(),
        role: Role::Scenario,
        scenario,
        measures,
        new_buildings: Vec::new(),
        new_people: vec![0.0; 3],
    }
}

fn measure(kind: MeasureKind) -> Measure {
    Measure {
        id: "m".into(),
        name: "m".into(),
        kind,
        townships: Vec::new(),
        cost_wan: 1.0,
        annual_cost_wan: 0.0,
    }
}

/// The trapezoid of docs/risk.md §2 written out for the five events.
fn trapezoid(l: [f64; 5]) -> f64 {
    let rate = [0.1, 0.05, 0.02, 0.01, 0.005];
    let mut s = 0.0;
    for i in 0..4 {
        s += (rate[i] - rate[i + 1]) * (l[i] + l[i + 1]) / 2.0;
    }
    s + rate[4] * l[4]
}

#[test]
fn a_raised_flood_standard_averts_the_events_it_now_holds() {
    let fr = frame();
    let (f, hand) = flood();
    let exec = ExecOptions::default();
    let p = Portfolio {
        n: 4,
        frame: &fr,
        flood: Some((&f, hand)),
        quake: None,
        base_losses: &[],
        points: Vec::new(),
        stage_exponent: 0.6,
        exec: &exec,
    };
    // Depths at HAND 0.5 m: 1.0, 1.4, 2.0, 2.7, 3.3 m.
    // (The depth is f32 arithmetic, as on the depth grids.)
    let d = |stage: f32| {
        let h = f64::from(stage - 0.5f32);
        f.curves.curve("brick_concrete").unwrap().ratio(h) * 100.0
    };
    let losses = [d(1.5), d(1.9), d(2.5), d(3.2), d(3.8)];
    let base = trapezoid([0.0, 0.0, losses[2], losses[3], losses[4]]);
    let raised = trapezoid([0.0, 0.0, 0.0, losses[3], losses[4]]);
    let b = p
        .evaluate(&p.no_change(), super::portfolio::Keep::Nothing)
        .unwrap();
    let aal = |o: &super::portfolio::Outcome, u: &str| o.row(u, "flood").unwrap().aal_wan;
    assert!(
        (aal(&b, T1) - base).abs() < 1e-9,
        "{} vs {base}",
        aal(&b, T1)
    );
    let m = measure(MeasureKind::FloodStandard {
        protection_years: 50,
    });
    let mut c = p.no_change();
    c.measures = vec![&m];
    let o = p.evaluate(&c, super::portfolio::Keep::Nothing).unwrap();
    assert!((aal(&o, T1) - raised).abs() < 1e-9);
    assert!(base - raised > 0.0);
    // Only in the townships it names: a dike for township 2 leaves township 1.
    let mut m2 = m.clone();
    m2.townships = vec![T2.into()];
    c.measures = vec![&m2];
    assert_eq!(
        aal(
            &p.evaluate(&c, super::portfolio::Keep::Nothing).unwrap(),
            T1
        ),
        aal(&b, T1)
    );
    // The record route: township 1 holds cells 0 and 1 (1 + 2), and grows with
    // the value: ×1.5.
    assert_eq!(b.row(T1, GEOHAZARD).unwrap().aal_wan, 3.0);
    let mut g = p.no_change();
    g.growth[1].value = 1.5;
    assert_eq!(
        p.evaluate(&g, super::portfolio::Keep::Nothing)
            .unwrap()
            .row(T1, GEOHAZARD)
            .unwrap()
            .aal_wan,
        4.5
    );
}

#[test]
fn a_relocation_removes_its_share_of_the_threatened_property_in_its_township_only() {
    let fr = frame();
    let exec = ExecOptions::default();
    let point = |id: &str, value: f64, people: f64| super::portfolio::Point {
        id: id.into(),
        township: 2,
        people,
        value_wan: value,
    };
    let p = Portfolio {
        n: 4,
        frame: &fr,
        flood: None,
        quake: None,
        base_losses: &[],
        points: vec![point("p1", 30.0, 10.0), point("p2", 10.0, 30.0)],
        stage_exponent: 0.6,
        exec: &exec,
    };
    let m = measure(MeasureKind::Relocate {
        points: vec!["p1".into()],
    });
    let mut c = p.no_change();
    c.measures = vec![&m];
    let o = p.evaluate(&c, super::portfolio::Keep::Nothing).unwrap();
    // Township 2 (cells 3 + 4 = 7): p1 holds 30 of 40 万元 threatened → 7 × 0.25;
    // deaths 0.002 × (1 − 10/40). Township 1 has no point: unchanged.
    let row = |u: &str| o.row(u, GEOHAZARD).unwrap();
    assert_eq!(row(T2).aal_wan, 3.0 * 0.25 + 4.0 * 0.25);
    assert!((row(T2).deaths_per_year - 0.002 * 0.75).abs() < 1e-15);
    assert_eq!(row(T1).aal_wan, 3.0);
}

#[test]
fn a_retrofit_is_the_mixture_of_the_buildings_as_built_and_retrofitted() {
    let fr = frame();
    let q = quake();
    let exec = ExecOptions::default();
    let p = Portfolio {
        n: 4,
        frame: &fr,
        flood: None,
        quake: Some(&q),
        base_losses: &[],
        points: Vec::new(),
        stage_exponent: 0.6,
        exec: &exec,
    };
    let fp = &q.params.fragility.params;
    // The basic PGA grid is f32.
    let curve = q.params.hazard_curve.curve(f64::from(0.15f32));
    let (b, _) = &q.buildings[0];
    let as_built = fragility::assess_annual(&q.table, fp, b, &curve)
        .unwrap()
        .aal;
    let mut r = b.clone();
    r.fortification = Some(Fortification::VII15); // the requirement at 0.15 g
    r.year_built = Some(fp.pre_code_year.max(1985));
    let retro = fragility::assess_annual(&q.table, fp, &r, &curve)
        .unwrap()
        .aal;
    assert!(retro < as_built);
    let m = measure(MeasureKind::Retrofit {
        structure: Structure::BrickWood,
        share: 0.4,
        fortification: None,
        to_structure: None,
    });
    let mut c = p.no_change();
    c.measures = vec![&m];
    let got = p
        .evaluate(&c, super::portfolio::Keep::Nothing)
        .unwrap()
        .row(T2, "earthquake")
        .unwrap()
        .aal_wan;
    let want = 0.6 * as_built + 0.4 * retro;
    assert!(
        (got - want).abs() < 1e-12 * want.max(1.0),
        "{got} vs {want}"
    );
    // No change: the building's own annual loss, bit for bit.
    let base = p
        .evaluate(&p.no_change(), super::portfolio::Keep::Nothing)
        .unwrap();
    assert_eq!(base.row(T2, "earthquake").unwrap().aal_wan, as_built);
}

fn growth_scenario() -> Scenario {
    Scenario::from_toml(
        r#"
id = "g"
name = "g"
survey_year = 2024
target_year = 2030
[exposure]
value_growth_pct = 5.0
population_growth_pct = 1.0
[hazard]
warming_c = 0.5
rainfall_pct_per_c = 7.0
[[uncertain]]
input = "rainfall_pct_per_c"
distribution = "uniform"
low = 5.0
high = 9.0
basis = "test"
"#,
        "g.toml",
    )
    .unwrap()
}

#[test]
fn monte_carlo_is_the_same_for_any_thread_count_and_its_bands_converge() {
    let fr = frame();
    let (f, hand) = flood();
    let q = quake();
    let one = ExecOptions {
        threads: Some(1),
        ..ExecOptions::default()
    };
    let two = ExecOptions {
        threads: Some(2),
        ..ExecOptions::default()
    };
    let p = Portfolio {
        n: 4,
        frame: &fr,
        flood: Some((&f, hand)),
        quake: Some(&q),
        base_losses: &[],
        points: Vec::new(),
        stage_exponent: 0.6,
        exec: &one,
    };
    let cases = vec![
        case("baseline", None, Vec::new()),
        case("g", Some(growth_scenario()), Vec::new()),
    ];
    let fast = Fast::new(&p, &cases).unwrap();
    let params = riskcensus_models::scenario::ScenarioParams::builtin();
    let inputs: Vec<Input> = fast.inputs(&params.uncertain);
    assert_eq!(inputs.len(), params.uncertain.len() + 1);
    let a = fast.run(inputs.clone(), 300, 7, &one).unwrap();
    let b = fast.run(inputs.clone(), 300, 7, &two).unwrap();
    for (x, y) in a
        .aal
        .iter()
        .flatten()
        .flatten()
        .zip(b.aal.iter().flatten().flatten())
    {
        assert_eq!(x.to_bits(), y.to_bits());
    }
    // At the nominal inputs the fast path gives the loss route's county AAL.
    let nominal = fast.evaluate(
        &super::montecarlo::Factors::nominal(),
        &[
            super::montecarlo::ScenarioDraw::nominal(None),
            super::montecarlo::ScenarioDraw::nominal(cases[1].scenario.as_ref()),
        ],
    );
    for (k, c) in cases.iter().enumerate() {
        let exact = p
            .evaluate(
                &c.change(
                    &p,
                    super::montecarlo::ScenarioDraw::nominal(c.scenario.as_ref()),
                ),
                super::portfolio::Keep::Nothing,
            )
            .unwrap()
            .row("370999", "comprehensive")
            .unwrap()
            .aal_wan;
        let fast_county = *nominal[k].0.last().unwrap();
        assert!(
            (fast_county - exact).abs() <= 1e-9 * exact,
            "{}: {fast_county} vs {exact}",
            c.id
        );
    }
    // Bands from 2,000 and 32,000 samples: the 5/50/95 % of the county agree
    // within 3 %.
    let pct = |r: &super::montecarlo::McResult, q: f64| {
        let v: Vec<f64> = r.aal[1].iter().map(|s| *s.last().unwrap()).collect();
        riskcensus_models::scenario::stats::percentile(&v, q)
    };
    let small = fast.run(inputs.clone(), 2_000, 11, &two).unwrap();
    let large = fast.run(inputs, 32_000, 11, &two).unwrap();
    for q in [0.05, 0.5, 0.95] {
        let (s, l) = (pct(&small, q), pct(&large, q));
        assert!((s / l - 1.0).abs() < 0.03, "p{q}: {s} vs {l}");
    }
}
