//! Scenarios on the demo county (docs/scenarios.md): the baseline of the
//! scenarios stage and a scenario that changes nothing reproduce the comprehensive
//! stage's risk of every unit bit for bit; the demo's measures are appraised by the
//! formula of the appraisal (checked here from the table's own figures); the Monte
//! Carlo's fast path gives the loss route at the nominal inputs; the change maps
//! add up to the change of the county; `riskcensus scenario` names a scenario
//! file's mistake with its line and key, and an unknown township with its file.

use riskcensus::progress::NoProgress;
use riskcensus::RunOptions;

use crate::util::{run, stderr};

const NO_CHANGE: &str = r#"
id = "no_change"
name = "nothing changes"
survey_year = 2024
target_year = 2024
"#;

#[test]
fn demo_scenarios_reproduce_the_baseline_and_appraise_the_measures() {
    use riskcensus::demo::{run_demo, DemoOptions};
    let d = tempfile::tempdir().unwrap();
    let none = d.path().join("no_change.toml");
    std::fs::write(&none, NO_CHANGE).unwrap();
    let census = d.path().join("demo").join("census");
    let opts = DemoOptions {
        resolution_m: 300.0,
        ..DemoOptions::default()
    };
    let run_opts = RunOptions {
        scenarios: Some(vec![
            none,
            census.join("scenarios").join("2030_growth_measures.toml"),
        ]),
        ..RunOptions::default()
    };
    let r = run_demo(&d.path().join("demo"), &opts, &run_opts, &NoProgress).unwrap();
    let comprehensive = r.run.comprehensive().unwrap();
    let s = r.run.scenarios().expect("the scenarios stage ran");
    // Bit for bit: every unit and hazard of risk_units, in the baseline and in the
    // scenario that changes nothing.
    for case in ["baseline", "no_change"] {
        let rows = &s.units.iter().find(|(id, _)| id == case).unwrap().1;
        assert_eq!(rows.len(), comprehensive.units.len(), "{case}");
        for want in &comprehensive.units {
            let got = rows
                .iter()
                .find(|g| g.unit_code == want.unit_code && g.hazard == want.hazard)
                .unwrap_or_else(|| panic!("{case}: no row {} {}", want.unit_code, want.hazard));
            assert_eq!(
                got.aal_wan.to_bits(),
                want.aal_wan.to_bits(),
                "{case} {got:?}"
            );
            assert_eq!(
                got.deaths_per_year.to_bits(),
                want.deaths_per_year.to_bits()
            );
            assert_eq!(got.risk_level, want.risk_level);
            assert_eq!(got.population.to_bits(), want.population.to_bits());
        }
    }
    // The growth scenario raises the county's AAL; its measures lower it.
    let county = |id: &str| s.county.iter().find(|c| c.0 == id).unwrap().1;
    assert!(county("2030_growth_measures:none") > county("baseline"));
    assert!(county("2030_growth_measures") < county("2030_growth_measures:none"));
    // Each measure's benefit is its scenario without measures minus with it alone,
    // appraised as PV(benefit)/PV(cost) with the annuity factor.
    assert!(!s.measures.is_empty());
    for m in &s.measures {
        let with = if m.measure == "all" {
            county(&m.scenario)
        } else {
            county(&format!("{}:{}", m.scenario, m.measure))
        };
        let averted = county(&format!("{}:none", m.scenario)) - with;
        assert_eq!(m.appraisal.averted_aal_wan, averted, "{}", m.measure);
        let (r_, n) = (m.discounting.rate, f64::from(m.discounting.years));
        let a = (1.0 - (1.0 + r_).powf(-n)) / r_;
        let bcr = averted * a / (m.cost_wan + m.annual_cost_wan * a);
        if m.kind == "shelters" {
            assert!(
                m.appraisal.bcr.is_nan(),
                "shelters have no monetised benefit"
            );
        } else {
            assert!(
                (m.appraisal.bcr - bcr).abs() <= 1e-9 * bcr.abs(),
                "{}",
                m.measure
            );
        }
    }
    let dikes = s
        .measures
        .iter()
        .find(|m| m.kind == "flood_standard")
        .unwrap();
    assert!(dikes.appraisal.averted_aal_wan > 0.0);
    // The Monte Carlo's evaluation at the nominal inputs is the loss route's.
    assert!(s.samples >= 1000);
    assert!(s.mc_nominal_deviation < 1e-9, "{}", s.mc_nominal_deviation);
    let (_, band) = s.county_bands.iter().find(|b| b.0 == "baseline").unwrap();
    assert!(
        band[0] < county("baseline") && county("baseline") < band[2],
        "{band:?}"
    );
    // The change map of the scenario adds up to the county's change (f32 cells).
    let assess = r.assess_dir();
    let map = assess.join("scenario_2030_growth_measures_aal_change.tif");
    let v = riskcensus_testkit::read_raster(&map);
    let km2 = 0.3 * 0.3;
    let sum: f64 = v
        .iter()
        .filter(|x| x.is_finite())
        .map(|&x| f64::from(x) * km2)
        .sum();
    let change = county("2030_growth_measures") - county("baseline");
    assert!(
        (sum - change).abs() <= 1e-4 * change.abs().max(1.0),
        "{sum} vs {change}"
    );
    // The tables.
    for t in [
        "scenario_units.csv",
        "scenario_measures.csv",
        "scenario_uncertainty.csv",
        "scenario_sensitivity.csv",
        "scenario_convergence.csv",
        "hindcast.csv",
    ] {
        assert!(assess.join(t).exists(), "{t}");
    }
    let h = s
        .hindcast
        .as_ref()
        .expect("the demo's record carries a hindcast");
    assert_eq!(h.rows.len(), 12);
    assert!((-1.0..=1.0).contains(&h.rho) && h.p > 0.0 && h.p <= 1.0);
}

#[test]
fn a_bad_scenario_file_is_named_with_its_line_and_key() {
    let d = tempfile::tempdir().unwrap();
    let census = crate::util::demo_census(&d.path().join("census"), 600.0);
    let bad = d.path().join("bad.toml");
    std::fs::write(
        &bad,
        NO_CHANGE.replace("target_year = 2024", "target_year = 2024\nwarming = 1.0"),
    )
    .unwrap();
    let out = run(&["scenario", census.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("bad.toml") && e.contains("warming"), "{e}");
    // A township the census does not have.
    let unknown = d.path().join("unknown.toml");
    std::fs::write(
        &unknown,
        format!(
            "{NO_CHANGE}\n[[exposure.township]]\ncode = \"370999777\"\nvalue_growth_pct = 3.0\n"
        ),
    )
    .unwrap();
    let out = run(&[
        "scenario",
        census.to_str().unwrap(),
        unknown.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("unknown.toml") && e.contains("370999777"), "{e}");
    // A missing file is named before anything runs.
    let out = run(&["scenario", census.to_str().unwrap(), "nowhere.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nowhere.toml"));
}
