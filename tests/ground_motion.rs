//! `riskcensus ground-motion`: OpenQuake golden rows through the binary (within 1 %;
//! the NGA-West2 models ASK14, CB14, CY14 within 1e-3), the model list of `--help`,
//! and bad input exiting 2 with named errors.

use crate::util::run;
use std::path::{Path, PathBuf};

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/earthquake/gmm_golden.csv")
}

/// Golden rows of one model and IMT: (input fields by column, median, sigma).
fn rows(gmm: &str, imt: &str, cols: &[&str]) -> Vec<(Vec<String>, f64, f64)> {
    let text = std::fs::read_to_string(golden()).unwrap();
    let mut it = text.lines().filter(|l| !l.starts_with('#'));
    let head: Vec<&str> = it.next().unwrap().split(',').collect();
    let at = |n: &str| head.iter().position(|h| *h == n).unwrap();
    it.map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[at("gmm")] == gmm && f[at("imt")] == imt && f[at("oq_converged")] == "1")
        .map(|f| {
            (
                cols.iter().map(|c| f[at(c)].to_string()).collect(),
                f[at("median")].parse().unwrap(),
                f[at("sigma_ln")].parse().unwrap(),
            )
        })
        .collect()
}

fn check(gmm: &str, imt: &str, cols: &[&str], median_col: &str) {
    check_within(gmm, imt, cols, median_col, 0.01);
}

/// As [`check`], with the relative tolerance `tol` on median and sigma.
fn check_within(gmm: &str, imt: &str, cols: &[&str], median_col: &str, tol: f64) {
    let dir = tempfile::tempdir().unwrap();
    let want = rows(gmm, imt, cols);
    assert!(want.len() >= 40);
    let mut csv = format!("id,{}\n", cols.join(","));
    for (i, (f, _, _)) in want.iter().enumerate() {
        csv.push_str(&format!("c{i},{}\n", f.join(",")));
    }
    let input = dir.path().join("cases.csv");
    std::fs::write(&input, csv).unwrap();
    let out = dir.path().join("out.csv");
    let o = run(&[
        "--quiet",
        "ground-motion",
        "--gmm",
        gmm,
        "--imt",
        imt,
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(head[head.len() - 2..], [median_col, "sigma_ln"]);
    let mut worst = 0.0f64;
    for (line, (_, med, sig)) in lines.zip(&want) {
        let f: Vec<&str> = line.split(',').collect();
        let m: f64 = f[f.len() - 2].parse().unwrap();
        let s: f64 = f[f.len() - 1].parse().unwrap();
        worst = worst.max((m - med).abs() / med).max((s - sig).abs() / sig);
    }
    println!("{gmm} {imt}: max relative error {worst:.2e}");
    assert!(worst < tol, "{gmm} {imt}: {worst}");
}

#[test]
fn boore_2014_rows_match_openquake() {
    check(
        "BooreEtAl2014",
        "SA(0.2)",
        &["mag", "rake", "rjb_km", "vs30"],
        "median_g",
    );
    check(
        "BooreEtAl2014HighQ",
        "PGV",
        &["mag", "rake", "rjb_km", "vs30"],
        "median_cm_s",
    );
}

/// Campbell & Bozorgnia (2014), China/Turkey Δc20: every golden row, with the
/// optional Z2.5 column (empty in most rows: the model's default from Vs30).
#[test]
fn campbell_bozorgnia_2014_rows_match_openquake() {
    check_within(
        "CampbellBozorgnia2014HighQ",
        "SA(0.2)",
        &[
            "mag", "rake", "dip", "ztor_km", "width_km", "zhyp_km", "rrup_km", "rjb_km", "rx_km",
            "vs30", "z2pt5_km",
        ],
        "median_g",
        1e-3,
    );
}

/// `--help` lists every model the library implements.
#[test]
fn help_lists_every_model() {
    let o = run(&["ground-motion", "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for name in riskcensus_models::earthquake::Gmm::names() {
        let base = name
            .trim_end_matches("Tibet")
            .trim_end_matches("Eastern")
            .trim_end_matches("Stable");
        assert!(help.contains(base), "--help lacks {name}:\n{help}");
    }
    for name in [
        "AbrahamsonEtAl2014RegCHN",
        "CampbellBozorgnia2014HighQ",
        "ChiouYoungs2014Wenchuan",
    ] {
        assert!(help.contains(name), "--help lacks {name}");
    }
}

#[test]
fn yu_2013_rows_match_openquake() {
    check(
        "YuEtAl2013Ms",
        "PGA",
        &["mag", "repi_km", "azimuth_deg"],
        "median_g",
    );
}

fn fails_with(csv: &str, gmm: &str, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.csv");
    std::fs::write(&input, csv).unwrap();
    let o = run(&[
        "ground-motion",
        "--gmm",
        gmm,
        "--input",
        input.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(needle), "stderr lacks `{needle}`: {err}");
}

#[test]
fn bad_input_exits_2_with_named_errors() {
    fails_with(
        "mag,rake,rjb,vs30\n6,0,10,400\n",
        "BooreEtAl2014",
        "unknown column `rjb`",
    );
    fails_with(
        "mag,rake,vs30\n6,0,400\n",
        "BooreEtAl2014",
        "column `rjb_km` required",
    );
    fails_with(
        "mag,rake,rjb_km,vs30\n6,0,10,400\n9.1,0,10,400\n",
        "BooreEtAl2014",
        "line 3",
    );
    fails_with(
        "mag,rake,rjb_km,vs30\n9.1,0,10,400\n",
        "BooreEtAl2014",
        "outside the model's range",
    );
    fails_with(
        "mag,repi_km,azimuth_deg\n6,x,0\n",
        "YuEtAl2013Ms",
        "column `repi_km`",
    );
    fails_with(
        "mag,repi_km,azimuth_deg\n6,10,0\n",
        "NoSuchModel",
        "unknown ground-motion model",
    );
    // A model that needs Ry0 refuses a table without it, naming the column…
    fails_with(
        "mag,rake,dip,ztor_km,width_km,rrup_km,rx_km,vs30\n6,0,90,0,10,5,5,400\n",
        "AbrahamsonEtAl2014",
        "column `ry0_km` required",
    );
    // …and an empty required field, naming the field.
    fails_with(
        "mag,rake,dip,ztor_km,rrup_km,rjb_km,rx_km,vs30\n6,0,90,0,5,5,,400\n",
        "ChiouYoungs2014",
        "`rx_km`",
    );
}
