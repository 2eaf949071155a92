//! The trend tests against pymannkendall 1.4.3 (an independent implementation), on the
//! seeded series of `fixtures/trend/series.csv` and the goldens of
//! `fixtures/trend/golden.csv` (written by `validate/trend/run.sh`, tool versions in
//! its `manifest.json`): original Mann–Kendall, Hamed–Rao (all lags and 3 lags),
//! Yue–Wang (all lags and 1 lag) and Sen's slope, alpha 0.05.
//!
//! Tolerances: S and Var(S) exact for the original test (integer arithmetic on both
//! sides); every other quantity within 1e-9 absolute, or 1e-9 relative when larger
//! than 1 (z, Var(S)); the verdict (trend, h) identical. Achieved (printed by
//! `matches_pymannkendall` under `--nocapture`): S, τ, slope and intercept identical;
//! original Var(S) and z identical; p within 1e-15; the corrected Var(S) and z within
//! 3e-14 relative. Where pymannkendall
//! returns NaN (a correction leaving Var(S) < 0), this crate returns
//! `TrendError::NonPositiveVariance`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use riskcensus_models::trend::{
    hamed_rao, mann_kendall, sens_slope, yue_wang, MannKendall, TrendError,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/trend")
        .join(name)
}

/// Rows of a CSV fixture as header → value maps.
fn rows(name: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
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

/// The series in file order; an empty value is a missing year (NaN).
fn series() -> Vec<(String, Vec<f64>)> {
    let mut out: Vec<(String, Vec<f64>)> = Vec::new();
    for r in rows("series.csv") {
        let v = if r["value"].is_empty() {
            f64::NAN
        } else {
            r["value"].parse().unwrap()
        };
        match out.last_mut() {
            Some((name, x)) if *name == r["series"] => x.push(v),
            _ => out.push((r["series"].clone(), vec![v])),
        }
    }
    out
}

fn num(r: &BTreeMap<String, String>, k: &str) -> f64 {
    r[k].parse().unwrap_or_else(|_| panic!("{k} = {:?}", r[k]))
}

/// |a − b|, relative to |b| when |b| > 1.
fn diff(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1.0)
}

/// Runs every golden row; returns the largest difference per quantity.
fn compare() -> BTreeMap<String, f64> {
    let data: BTreeMap<String, Vec<f64>> = series().into_iter().collect();
    let mut max: BTreeMap<String, f64> = BTreeMap::new();
    let mut seen = 0;
    for g in rows("golden.csv") {
        let (name, test) = (g["series"].as_str(), g["test"].as_str());
        let x = &data[name];
        let label = format!("{name}/{test}");
        if test == "sens_slope" {
            let s = sens_slope(x, None).unwrap();
            for (k, a, b) in [
                ("sen slope", s.slope, num(&g, "slope")),
                ("sen intercept", s.intercept, num(&g, "intercept")),
            ] {
                let d = diff(a, b);
                assert!(d <= 1e-9, "{label} {k}: {a} vs {b}");
                let m = max.entry(k.to_string()).or_insert(0.0);
                *m = m.max(d);
            }
            seen += 1;
            continue;
        }
        let (got, prefix): (Result<MannKendall, TrendError>, &str) = match test {
            "original" => (mann_kendall(x, 0.05), "mk"),
            "hamed_rao" => (hamed_rao(x, 0.05, None), "hamed-rao"),
            "hamed_rao_lag3" => (hamed_rao(x, 0.05, Some(3)), "hamed-rao"),
            "yue_wang" => (yue_wang(x, 0.05, None), "yue-wang"),
            "yue_wang_lag1" => (yue_wang(x, 0.05, Some(1)), "yue-wang"),
            other => panic!("unknown test {other}"),
        };
        seen += 1;
        if g["p"] == "nan" {
            // pymannkendall took √ of a negative variance.
            assert!(num(&g, "var_s") < 0.0, "{label}");
            match got {
                Err(TrendError::NonPositiveVariance { var_s, .. }) => {
                    assert!(diff(var_s, num(&g, "var_s")) <= 1e-9, "{label}: {var_s}")
                }
                other => panic!("{label}: expected NonPositiveVariance, got {other:?}"),
            }
            continue;
        }
        let r = got.unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(r.n, num(&g, "n") as usize, "{label}");
        assert_eq!(r.trend.as_str(), g["trend"], "{label}");
        assert_eq!(r.h, g["h"] == "1", "{label}");
        if test == "original" {
            assert_eq!(r.s, num(&g, "s"), "{label}");
            assert_eq!(r.var_s, num(&g, "var_s"), "{label}");
        }
        for (k, a, b) in [
            ("s", r.s, num(&g, "s")),
            ("var_s", r.var_s, num(&g, "var_s")),
            ("z", r.z, num(&g, "z")),
            ("p", r.p, num(&g, "p")),
            ("tau", r.tau, num(&g, "tau")),
            ("slope", r.slope, num(&g, "slope")),
            ("intercept", r.intercept, num(&g, "intercept")),
        ] {
            let d = diff(a, b);
            assert!(d <= 1e-9, "{label} {k}: {a} vs {b} (diff {d:e})");
            let m = max.entry(format!("{prefix} {k}")).or_insert(0.0);
            *m = m.max(d);
        }
    }
    assert_eq!(seen, 76, "golden rows checked");
    max
}

#[test]
fn matches_pymannkendall() {
    let max = compare();
    eprintln!("largest difference vs pymannkendall 1.4.3 (abs, rel above 1):");
    for (k, d) in &max {
        eprintln!("  {k:>22}: {d:.3e}");
    }
}

#[test]
fn fixtures_cover_the_brief() {
    let s = series();
    assert_eq!(s.len(), 13);
    let lens: Vec<usize> = s.iter().map(|(_, x)| x.len()).collect();
    assert!(lens.contains(&3) && lens.iter().any(|&n| n >= 60));
    assert!(s.iter().any(|(_, x)| x.iter().any(|v| v.is_nan())));
}

#[test]
fn the_verdicts_of_the_brief_cases() {
    let data: BTreeMap<String, Vec<f64>> = series().into_iter().collect();
    // Strong lag-1 autocorrelation: Hamed–Rao inflates Var(S) (n/n* > 1).
    let orig = mann_kendall(&data["ar1_pos_60"], 0.05).unwrap();
    let hr = hamed_rao(&data["ar1_pos_60"], 0.05, None).unwrap();
    assert!(hr.correction > 1.0 && hr.p > orig.p);
    // Three lags on the anti-correlated series drive Var(S) below zero.
    assert!(matches!(
        hamed_rao(&data["ar1_neg_50"], 0.05, Some(3)),
        Err(TrendError::NonPositiveVariance { .. })
    ));
}
