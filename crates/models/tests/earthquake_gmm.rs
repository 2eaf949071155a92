//! Ground-motion models against the OpenQuake hazard library goldens
//! (fixtures/earthquake/gmm_golden.csv, written by validate/earthquake/run.sh):
//! Yu et al. (2013) and Boore et al. (2014) medians and total sigmas within 1 %;
//! the other NGA-West2 models (ASK14, CB14, CY14) within 1e-3 in ln median and
//! 1e-3 relative in sigma. Max errors print with `--nocapture`.

use std::collections::BTreeMap;

use riskcensus_models::earthquake::{EarthquakeError, GmInput, Gmm, Imt};

/// One golden row: model, IMT, inputs, OpenQuake's median and sigma.
struct Golden {
    gmm: String,
    imt: String,
    x: GmInput,
    median: f64,
    sigma: f64,
}

fn golden() -> Vec<Golden> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/earthquake/gmm_golden.csv"
    );
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(path)
        .expect("golden file");
    let header = rdr.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let num = |s: &str| {
        if s.is_empty() {
            f64::NAN
        } else {
            s.parse::<f64>().unwrap()
        }
    };
    rdr.records()
        .map(|r| r.unwrap())
        // Rows where OpenQuake's own ellipse search did not converge are kept in the
        // file for the record but are not a reference (see make_goldens.py).
        .filter(|r| &r[col("oq_converged")] == "1")
        .map(|r| {
            let f = |name: &str| num(&r[col(name)]);
            Golden {
                gmm: r[col("gmm")].to_string(),
                imt: r[col("imt")].to_string(),
                x: GmInput {
                    mag: f("mag"),
                    rake: f("rake"),
                    dip: f("dip"),
                    ztor_km: f("ztor_km"),
                    width_km: f("width_km"),
                    zhyp_km: f("zhyp_km"),
                    rjb_km: f("rjb_km"),
                    rrup_km: f("rrup_km"),
                    rx_km: f("rx_km"),
                    ry0_km: f("ry0_km"),
                    vs30: f("vs30"),
                    z1pt0_m: f("z1pt0_m"),
                    z2pt5_km: f("z2pt5_km"),
                    repi_km: f("repi_km"),
                    azimuth_deg: f("azimuth_deg"),
                },
                median: f("median"),
                sigma: f("sigma_ln"),
            }
        })
        .collect()
}

/// The NGA-West2 models held to 1e-3 (ln median, relative sigma).
fn is_tight(name: &str) -> bool {
    ["Abrahamson", "Campbell", "Chiou"]
        .iter()
        .any(|p| name.starts_with(p))
}

#[test]
fn medians_and_sigmas_agree_with_openquake() {
    let rows = golden();
    assert!(rows.len() > 4000, "golden table too small: {}", rows.len());
    // Per model and IMT: max |Δ ln median|, max relative Δ sigma, rows.
    let mut worst: BTreeMap<String, (f64, f64, usize)> = Default::default();
    for g in &rows {
        let gmm = Gmm::from_name(&g.gmm).unwrap();
        let imt: Imt = g.imt.parse().unwrap();
        let gm = gmm.ground_motion(imt, &g.x).unwrap();
        let eln = (gm.median.ln() - g.median.ln()).abs();
        let es = (gm.sigma_ln - g.sigma).abs() / g.sigma;
        let (tol_ln, tol_s) = if is_tight(&g.gmm) {
            (1e-3, 1e-3)
        } else {
            // 1 % relative in the median.
            ((1.01f64).ln(), 0.01)
        };
        assert!(
            eln < tol_ln && es < tol_s,
            "{} {imt} {:?}: median {} vs OpenQuake {} (Δln {eln:.2e}), sigma {} vs {} ({es:.2e})",
            g.gmm,
            g.x,
            gm.median,
            g.median,
            gm.sigma_ln,
            g.sigma
        );
        let w = worst
            .entry(format!("{} {imt}", g.gmm))
            .or_insert((0.0, 0.0, 0));
        w.0 = w.0.max(eln);
        w.1 = w.1.max(es);
        w.2 += 1;
    }
    let mut by_model: BTreeMap<&str, (f64, f64)> = Default::default();
    for (k, (eln, es, n)) in &worst {
        println!("{k:36} n={n:4}  max |Δ ln median| {eln:.2e}  max rel Δ sigma {es:.2e}");
        let m = by_model.entry(k.split(' ').next().unwrap()).or_default();
        m.0 = m.0.max(*eln);
        m.1 = m.1.max(*es);
    }
    for (m, (eln, es)) in &by_model {
        println!("{m:28} max |Δ ln median| {eln:.2e}  max rel Δ sigma {es:.2e}");
    }
    // Every model the library names is in the table.
    for name in Gmm::names() {
        assert!(by_model.contains_key(name), "{name} has no golden rows");
    }
}

#[test]
fn magnitude_outside_range_is_a_named_error() {
    let gmm = Gmm::from_name("BooreEtAl2014").unwrap();
    let x = GmInput {
        mag: 9.0,
        rake: 0.0,
        rjb_km: 10.0,
        vs30: 400.0,
        ..GmInput::nan()
    };
    match gmm.ground_motion(Imt::Pga, &x) {
        Err(EarthquakeError::MagnitudeOutOfRange { gmm, mag, min, max }) => {
            assert_eq!((gmm, mag, min, max), ("BooreEtAl2014", 9.0, 3.0, 8.5));
        }
        other => panic!("expected MagnitudeOutOfRange, got {other:?}"),
    }
    let yu = Gmm::from_name("YuEtAl2013Ms").unwrap();
    let x = GmInput {
        mag: 3.0,
        repi_km: 10.0,
        azimuth_deg: 0.0,
        ..GmInput::nan()
    };
    assert!(matches!(
        yu.ground_motion(Imt::Pga, &x),
        Err(EarthquakeError::MagnitudeOutOfRange { .. })
    ));
}

#[test]
fn unknown_names_and_unsupported_imts_are_named_errors() {
    assert!(matches!(
        Gmm::from_name("AbrahamsonEtAl2014RegJPN"),
        Err(EarthquakeError::UnknownGmm { .. })
    ));
    assert!(matches!(
        "SA(x)".parse::<Imt>(),
        Err(EarthquakeError::UnknownImt(_))
    ));
    assert_eq!("sa(0.2)".parse::<Imt>().unwrap(), Imt::Sa(0.2));
    let yu = Gmm::from_name("YuEtAl2013Mw").unwrap();
    let x = GmInput {
        mag: 6.0,
        repi_km: 10.0,
        azimuth_deg: 0.0,
        ..GmInput::nan()
    };
    assert!(matches!(
        yu.ground_motion(Imt::Sa(0.2), &x),
        Err(EarthquakeError::UnsupportedImt { .. })
    ));
    // Missing site parameter → BadParameter naming the field.
    let b = Gmm::from_name("BooreEtAl2014").unwrap();
    let x = GmInput {
        mag: 6.0,
        rake: 0.0,
        rjb_km: 10.0,
        ..GmInput::nan()
    };
    match b.ground_motion(Imt::Pga, &x) {
        Err(EarthquakeError::BadParameter { field, .. }) => assert_eq!(field, "vs30"),
        other => panic!("{other:?}"),
    }
}

/// Hand check of the Yu et al. (2013) long axis: at θ = 0 the site lies on the long
/// axis, so R_L = R_epi and ln Y = A + B·M + C·ln(√(R² + 15²) + D·e^{E·M}).
#[test]
fn yu_on_long_axis_is_the_long_axis_relation() {
    let yu = Gmm::from_name("YuEtAl2013Ms").unwrap();
    let (m, r) = (6.0f64, 30.0f64);
    let ln_y =
        4.1193 + 1.656 * m - 2.389 * ((r * r + 225.0).sqrt() + 1.772 * (0.424 * m).exp()).ln();
    let expect = ln_y.exp() / 980.665;
    let x = GmInput {
        mag: m,
        repi_km: r,
        azimuth_deg: 0.0,
        ..GmInput::nan()
    };
    let gm = yu.ground_motion(Imt::Pga, &x).unwrap();
    assert!(
        (gm.median - expect).abs() / expect < 1e-9,
        "{} vs {expect}",
        gm.median
    );
}

// --- the ground-motion logic tree of `[scenario]` ---------------------------------

use riskcensus_core::GridSpec;
use riskcensus_models::earthquake::gmm::GmmTree;
use riskcensus_models::earthquake::params::builtin;
use riskcensus_models::earthquake::scenario::pga_row;
use riskcensus_models::earthquake::{EarthquakeParams, PlanarRupture};

const FILE: &str = "models/earthquake/earthquake.toml";

/// The shipped parameters as a scenario, with `gmm = "…"` replaced by `branches`
/// (`[[scenario.gmm_branch]]` tables, placed after the `[scenario]` keys).
fn tree_text(branches: &[(&str, &str)]) -> String {
    let mut tables = String::new();
    for (gmm, weight) in branches {
        tables.push_str(&format!(
            "[[scenario.gmm_branch]]\ngmm = \"{gmm}\"\nweight = {weight}\n\n"
        ));
    }
    builtin()
        .replace("method = \"zoning\"", "method = \"scenario\"")
        .replace("gmm = \"BooreEtAl2014HighQ\"\n", "")
        .replace("\n[site]\n", &format!("\n{tables}[site]\n"))
}

fn single(gmm: &str) -> EarthquakeParams {
    let text = builtin()
        .replace("method = \"zoning\"", "method = \"scenario\"")
        .replace("gmm = \"BooreEtAl2014HighQ\"", &format!("gmm = \"{gmm}\""));
    EarthquakeParams::parse(&text, FILE).unwrap()
}

/// Scenario PGA on a 12 × 16 grid of 2 km cells around a 30 km reverse fault
/// dipping 60°, Vs30 = the file's constant or 400 m/s.
fn scenario_grid(p: &EarthquakeParams) -> Vec<f32> {
    let mut p = p.clone();
    p.site.vs30 = riskcensus_models::earthquake::params::Vs30Source::Constant(400.0);
    let grid = GridSpec::new("EPSG:4548", 0.0, 24_000.0, 2_000.0, 12, 16).unwrap();
    let rup =
        PlanarRupture::new([(4_000.0, 6_000.0), (28_000.0, 20_000.0)], 60.0, 1.0, 18.0).unwrap();
    let mut out = vec![f32::NAN; grid.cell_count()];
    for (r, row) in out.chunks_mut(grid.cols).enumerate() {
        pga_row(&grid, r, &rup, &p, None, row).unwrap();
    }
    out
}

/// A tree of one branch of weight 1 is the model itself, bit for bit: per case on
/// every golden row of the NGA-West2 models, and per cell of a scenario grid.
#[test]
fn gmm_tree_of_one_branch_is_the_model_bit_for_bit() {
    for g in golden().iter().filter(|g| is_tight(&g.gmm)) {
        let gmm = Gmm::from_name(&g.gmm).unwrap();
        let imt: Imt = g.imt.parse().unwrap();
        let tree = GmmTree::new(vec![(gmm, 1.0)]).unwrap();
        let a = gmm.ground_motion(imt, &g.x).unwrap();
        let b = tree.ground_motion(imt, &g.x).unwrap();
        assert_eq!(a.median.to_bits(), b.median.to_bits(), "{} {imt}", g.gmm);
        assert_eq!(
            a.sigma_ln.to_bits(),
            b.sigma_ln.to_bits(),
            "{} {imt}",
            g.gmm
        );
    }
    for name in [
        "BooreEtAl2014HighQ",
        "ChiouYoungs2014",
        "CampbellBozorgnia2014HighQ",
    ] {
        let tree = EarthquakeParams::parse(&tree_text(&[(name, "1.0")]), FILE).unwrap();
        assert_eq!(tree.gmm_tree().label(), name);
        let one = single(name);
        let (a, b) = (scenario_grid(&one), scenario_grid(&tree));
        assert!(a.iter().all(|v| v.is_finite() && *v > 0.0), "{name}");
        assert!(
            a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()),
            "{name}: the one-branch tree differs from the model"
        );
    }
}

/// Two branches (ASK14 0.3, CY14 0.7) equal the hand formula: median
/// exp(0.3·ln m1 + 0.7·ln m2), σ = √(Σ w·(σ_i² + (ln m_i − μ̄)²)); per case and
/// per cell of the scenario grid (f32 medians).
#[test]
fn gmm_tree_of_two_branches_is_the_weighted_log_mean_and_mixture_sigma() {
    let (ask, cy) = (
        Gmm::from_name("AbrahamsonEtAl2014").unwrap(),
        Gmm::from_name("ChiouYoungs2014").unwrap(),
    );
    let tree = GmmTree::new(vec![(ask, 0.3), (cy, 0.7)]).unwrap();
    let rows: Vec<_> = golden()
        .into_iter()
        .filter(|g| g.gmm == "AbrahamsonEtAl2014")
        .collect();
    assert_eq!(rows.len(), 500);
    for g in &rows {
        let imt: Imt = g.imt.parse().unwrap();
        let (a, c) = (
            ask.ground_motion(imt, &g.x).unwrap(),
            cy.ground_motion(imt, &g.x).unwrap(),
        );
        let (la, lc) = (a.median.ln(), c.median.ln());
        let mu = 0.3 * la + 0.7 * lc;
        let var = 0.3 * (a.sigma_ln.powi(2) + (la - mu).powi(2))
            + 0.7 * (c.sigma_ln.powi(2) + (lc - mu).powi(2));
        let t = tree.ground_motion(imt, &g.x).unwrap();
        assert!((t.median.ln() - mu).abs() < 1e-12, "{imt} {:?}", g.x);
        assert!((t.sigma_ln - var.sqrt()).abs() < 1e-12, "{imt} {:?}", g.x);
        // The mixture is at least as wide as its narrowest branch.
        assert!(t.sigma_ln >= a.sigma_ln.min(c.sigma_ln));
    }
    let p = EarthquakeParams::parse(
        &tree_text(&[("AbrahamsonEtAl2014", "0.3"), ("ChiouYoungs2014", "0.7")]),
        FILE,
    )
    .unwrap();
    assert_eq!(p.gmm_tree(), tree);
    let (a, c, t) = (
        scenario_grid(&single("AbrahamsonEtAl2014")),
        scenario_grid(&single("ChiouYoungs2014")),
        scenario_grid(&p),
    );
    for i in 0..t.len() {
        let want = (0.3 * f64::from(a[i]).ln() + 0.7 * f64::from(c[i]).ln()).exp();
        // The grids hold f32: within their rounding.
        assert!(
            (f64::from(t[i]) - want).abs() / want < 2e-7,
            "cell {i}: {} vs {want}",
            t[i]
        );
    }
}

/// A tree whose weights do not sum to 1, an unknown branch model, a weight outside
/// (0, 1], `gmm` together with branches, or neither: a parameter error naming the
/// file and the key.
#[test]
fn bad_gmm_trees_are_refused_naming_the_file_and_key() {
    let msg = |text: &str| match EarthquakeParams::parse(text, FILE) {
        Err(EarthquakeError::Params { file, msg }) => {
            assert_eq!(file, FILE);
            let shown = EarthquakeError::Params {
                file: file.clone(),
                msg: msg.clone(),
            }
            .to_string();
            assert!(shown.starts_with(FILE), "{shown}");
            msg
        }
        other => panic!("expected a parameter error, got {other:?}"),
    };
    let m = msg(&tree_text(&[
        ("BooreEtAl2014HighQ", "0.5"),
        ("ChiouYoungs2014", "0.4"),
    ]));
    assert!(
        m.contains("scenario.gmm_branch") && m.contains("sum to 0.9"),
        "{m}"
    );
    // Within 1e-9 of 1 is accepted.
    EarthquakeParams::parse(
        &tree_text(&[
            ("BooreEtAl2014HighQ", "0.5"),
            ("ChiouYoungs2014", "0.5000000005"),
        ]),
        FILE,
    )
    .unwrap();
    let m = msg(&tree_text(&[
        ("BooreEtAl2014HighQ", "0.5"),
        ("NoSuchModel", "0.5"),
    ]));
    assert!(
        m.contains("scenario.gmm_branch[1].gmm") && m.contains("NoSuchModel"),
        "{m}"
    );
    let m = msg(&tree_text(&[
        ("BooreEtAl2014HighQ", "1.5"),
        ("ChiouYoungs2014", "-0.5"),
    ]));
    assert!(m.contains("scenario.gmm_branch[0].weight"), "{m}");
    let both = tree_text(&[("ChiouYoungs2014", "1.0")])
        .replace("fault = \"F1\"", "fault = \"F1\"\ngmm = \"BooreEtAl2014\"");
    assert!(msg(&both).contains("both `gmm` and [[scenario.gmm_branch]]"));
    assert!(msg(&tree_text(&[])).contains("`gmm` or [[scenario.gmm_branch]] required"));
    // A magnitude outside one branch's range names that model.
    let m = msg(
        &tree_text(&[("BooreEtAl2014", "0.5"), ("ChiouYoungs2014", "0.5")])
            .replace("magnitude = 6.8", "magnitude = 3.2"),
    );
    assert!(m.contains("ChiouYoungs2014's range"), "{m}");
}
