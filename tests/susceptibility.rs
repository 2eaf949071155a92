//! `riskcensus susceptibility` through the binary: outputs, report figures, exit
//! codes (0 on success, 2 on a bad inventory or too few points).

use std::path::{Path, PathBuf};

use crate::util::run;
use riskcensus_core::GridSpec;
use riskcensus_io::{CogOptions, CogWriter};

/// A 60 × 80 grid with one class raster: classes 1–4 by column band. Hazard points
/// in band 4 only; `n` of them.
fn inputs(dir: &Path, n: usize) -> (PathBuf, PathBuf) {
    let grid = GridSpec::new("EPSG:4548", 500_000.0, 4_000_000.0, 30.0, 60, 80).unwrap();
    let v: Vec<f32> = (0..grid.cell_count())
        .map(|i| (1 + (i % grid.cols) * 4 / grid.cols) as f32)
        .collect();
    let f = dir.join("band.tif");
    let mut w = CogWriter::<f32>::create(&f, &grid, Some(f64::NAN), CogOptions::default()).unwrap();
    w.write_window(grid.full_window(), &v).unwrap();
    w.finish().unwrap();
    let mut s = String::from("x,y\n");
    let mut k = 0;
    'o: for r in (1..grid.rows).step_by(3) {
        for c in (62..grid.cols).step_by(3) {
            if k == n {
                break 'o;
            }
            let (x, y) = grid.cell_center(r, c);
            s.push_str(&format!("{x},{y}\n"));
            k += 1;
        }
    }
    let inv = dir.join("inv.csv");
    std::fs::write(&inv, s).unwrap();
    (f, inv)
}

#[test]
fn trains_writes_the_grids_and_the_report() {
    let d = tempfile::tempdir().unwrap();
    let (f, inv) = inputs(d.path(), 40);
    let out = d.path().join("out");
    let o = run(&[
        "susceptibility",
        "--factors",
        f.to_str().unwrap(),
        "--inventory",
        inv.to_str().unwrap(),
        "--method",
        "fr",
        "--seed",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in [
        "susceptibility.tif",
        "susceptibility_level.tif",
        "report.json",
        "classes.csv",
        "roc.csv",
        "success_rate.csv",
        "prediction_rate.csv",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["seed"], 3);
    assert_eq!(report["hazard_cells"], 40);
    // Every hazard cell is in band 4 (a quarter of the area): FR there = 1 / 0.25 = 4,
    // and 0 in the other bands (by hand).
    let classes = std::fs::read_to_string(out.join("classes.csv")).unwrap();
    let band4 = classes.lines().find(|l| l.starts_with("band,4,")).unwrap();
    let fr: f64 = band4.split(',').nth(6).unwrap().parse().unwrap();
    // Training hazard cells are 70 % of 40 = 28, all in band 4: FR = (28/28)/(1/4).
    assert!((fr - 4.0).abs() < 1e-12, "{band4}");
    // A perfect separator: every test hazard cell outranks every band-1..3 cell; test
    // negatives in band 4 tie.
    assert!(report["auc_test"].as_f64().unwrap() > 0.85);
}

#[test]
fn too_few_points_exit_2_and_say_why() {
    let d = tempfile::tempdir().unwrap();
    let (f, inv) = inputs(d.path(), 10);
    let o = run(&[
        "susceptibility",
        "--factors",
        f.to_str().unwrap(),
        "--inventory",
        inv.to_str().unwrap(),
        "--method",
        "iv",
        "--out",
        d.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("at least 30") && err.contains("only 10"),
        "{err}"
    );
}
