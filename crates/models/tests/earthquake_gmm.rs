//! Ground-motion models against the OpenQuake hazard library goldens
//! (fixtures/earthquake/gmm_golden.csv, written by validate/earthquake/run.sh):
//! medians and total sigmas within 1 %.

use riskcensus_models::earthquake::{EarthquakeError, GmInput, Gmm, Imt};

fn golden() -> Vec<(String, String, GmInput, f64, f64)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/earthquake/gmm_golden.csv"
    );
    let text = std::fs::read_to_string(path).expect("golden file");
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let num = |s: &str| {
        if s.is_empty() {
            f64::NAN
        } else {
            s.parse::<f64>().unwrap()
        }
    };
    lines
        // Rows where OpenQuake's own ellipse search did not converge are kept in the
        // file for the record but are not a reference (see make_goldens.py).
        .filter(|l| l.split(',').nth(col("oq_converged")) == Some("1"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let x = GmInput {
                mag: num(f[col("mag")]),
                rake: num(f[col("rake")]),
                rjb_km: num(f[col("rjb_km")]),
                vs30: num(f[col("vs30")]),
                repi_km: num(f[col("repi_km")]),
                azimuth_deg: num(f[col("azimuth_deg")]),
            };
            (
                f[col("gmm")].to_string(),
                f[col("imt")].to_string(),
                x,
                num(f[col("median")]),
                num(f[col("sigma_ln")]),
            )
        })
        .collect()
}

#[test]
fn medians_and_sigmas_agree_with_openquake_within_one_percent() {
    let rows = golden();
    assert!(rows.len() > 1000, "golden table too small: {}", rows.len());
    let mut worst: std::collections::BTreeMap<String, (f64, f64, usize)> = Default::default();
    for (name, imt, x, med, sig) in &rows {
        let gmm = Gmm::from_name(name).unwrap();
        let imt: Imt = imt.parse().unwrap();
        let gm = gmm.ground_motion(imt, x).unwrap();
        let em = (gm.median - med).abs() / med;
        let es = (gm.sigma_ln - sig).abs() / sig;
        assert!(
            em < 0.01 && es < 0.01,
            "{name} {imt} {x:?}: median {} vs OpenQuake {med} ({:.3} %), sigma {} vs {sig}",
            gm.median,
            em * 100.0,
            gm.sigma_ln
        );
        let w = worst
            .entry(format!("{name} {imt}"))
            .or_insert((0.0, 0.0, 0));
        w.0 = w.0.max(em);
        w.1 = w.1.max(es);
        w.2 += 1;
    }
    for (k, (em, es, n)) in &worst {
        println!(
            "{k:28} n={n:4}  max rel err median {:.2e}  sigma {:.2e}",
            em, es
        );
    }
    let all = worst.values().fold(0.0f64, |a, w| a.max(w.0).max(w.1));
    println!("max relative error over {} rows: {:.2e}", rows.len(), all);
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
        Gmm::from_name("AbrahamsonEtAl2014"),
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
