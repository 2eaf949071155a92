//! `riskcensus susceptibility` through the binary: outputs, report figures, exit
//! codes (0 on success, 2 on a bad inventory or too few points), and each option:
//! `--negatives`, `--test-fraction 0`, `--lr-predictors`, `--cv` and `--folds`.

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
        // The grid is 1.8 × 2.4 km: the default 2 km blocks would make 2.
        "--cv",
        "blocks:600",
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
        "cv_folds.csv",
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

/// Run the command on `f` and `inv` with `extra` flags into `out`; its output.
fn susceptibility(f: &Path, inv: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "susceptibility",
        "--factors",
        f.to_str().unwrap(),
        "--inventory",
        inv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// `report.json` of an output folder.
fn report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap()
}

/// `--negatives`: the given points are the non-hazard sample. All hazard points lie
/// in band 4, all given points in band 1, so every held-out hazard cell outranks
/// every held-out non-hazard cell: AUC exactly 1. Two points in one cell make one
/// sample; a point on a hazard cell is dropped and counted; `negative_ratio` applies
/// to the random draw only (40 drawn for 40 hazard cells, 36 given).
#[test]
fn given_negatives_replace_the_random_draw() {
    let d = tempfile::tempdir().unwrap();
    let (f, inv) = inputs(d.path(), 40);
    let grid = GridSpec::new("EPSG:4548", 500_000.0, 4_000_000.0, 30.0, 60, 80).unwrap();
    let mut s = String::from("x,y\n");
    // 36 distinct band-1 cells (columns 0–19), the first one twice.
    for r in 0..6 {
        for c in 0..6 {
            let (x, y) = grid.cell_center(5 + 8 * r, 1 + 3 * c);
            s.push_str(&format!("{x},{y}\n"));
        }
    }
    let (x, y) = grid.cell_center(5, 1);
    s.push_str(&format!("{x},{y}\n"));
    // The first inventory point's cell (row 1, col 62).
    let (x, y) = grid.cell_center(1, 62);
    s.push_str(&format!("{x},{y}\n"));
    let neg = d.path().join("stable.csv");
    std::fs::write(&neg, s).unwrap();
    let out = d.path().join("given");
    let o = susceptibility(
        &f,
        &inv,
        &out,
        &[
            "--method",
            "fr",
            "--cv",
            "none",
            "--negatives",
            neg.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = report(&out);
    assert_eq!(r["negatives"]["kind"], "given");
    assert_eq!(r["negatives"]["points"], 38);
    assert_eq!(r["negatives"]["on_hazard_cells"], 1);
    assert_eq!(r["negatives"]["on_nodata"], 0);
    // 40 hazard cells + 36 distinct non-hazard cells, 30 % of each held out:
    // round(12) + round(10.8) = 12 + 11.
    assert_eq!(r["hazard_cells"], 40);
    assert_eq!(r["test_samples"], 23);
    assert_eq!(r["train_samples"], 76 - 23);
    assert_eq!(r["negatives_file"], "stable.csv");
    assert_eq!(r["auc_test"].as_f64().unwrap(), 1.0);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("non-hazard given (38 points"), "{stdout}");
    // The same run with the random draw: one non-hazard cell per hazard cell.
    let drawn = d.path().join("drawn");
    let o = susceptibility(&f, &inv, &drawn, &["--method", "fr", "--cv", "none"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = report(&drawn);
    assert_eq!(r["negatives"]["kind"], "drawn");
    assert_eq!(r["test_samples"], 24);
    assert_eq!(r["train_samples"], 80 - 24);
}

/// A given non-hazard point outside the grid, or a file that cannot be read, is an
/// input error (exit 2) naming the file (and the record).
#[test]
fn bad_negatives_exit_2_naming_the_file() {
    let d = tempfile::tempdir().unwrap();
    let (f, inv) = inputs(d.path(), 40);
    let neg = d.path().join("far.csv");
    std::fs::write(&neg, "x,y\n500015,3999985\n900000,3999985\n").unwrap();
    let o = susceptibility(
        &f,
        &inv,
        &d.path().join("o"),
        &["--method", "iv", "--negatives", neg.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("far.csv") && err.contains("record 2") && err.contains("outside the grid"),
        "{err}"
    );
    let missing = d.path().join("no_such_points.csv");
    let o = susceptibility(
        &f,
        &inv,
        &d.path().join("o"),
        &["--method", "iv", "--negatives", missing.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no_such_points.csv"), "{err}");
}

/// `--test-fraction 0`: every inventory cell trains (all 40 count in FR and IV,
/// against 28 with the default 30 % hold-out), no test samples, and the ROC is the
/// training set's — said in report.json (`roc_samples`), by a null `auc_test`, and
/// on the console.
#[test]
fn test_fraction_0_trains_on_every_cell_and_says_the_auc_is_the_training_sets() {
    let d = tempfile::tempdir().unwrap();
    let (f, inv) = inputs(d.path(), 40);
    let out = d.path().join("all");
    let o = susceptibility(
        &f,
        &inv,
        &out,
        &[
            "--method",
            "iv",
            "--cv",
            "blocks:600",
            "--test-fraction",
            "0",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = report(&out);
    assert_eq!(r["test_fraction"], 0.0);
    assert_eq!(r["test_samples"], 0);
    assert_eq!(r["roc_samples"], "training");
    assert!(r["auc_test"].is_null());
    assert!(r["prediction_rate_auc"].is_null());
    let auc_train = r["auc_train"].as_f64().unwrap();
    assert!(auc_train > 0.5, "{auc_train}");
    let classes = std::fs::read_to_string(out.join("classes.csv")).unwrap();
    let band4 = classes.lines().find(|l| l.starts_with("band,4,")).unwrap();
    let hazard: u64 = band4.split(',').nth(4).unwrap().parse().unwrap();
    assert_eq!(hazard, 40, "{band4}");
    // roc.csv holds the training ROC: its last point is (1, 1) and it has points.
    let roc = std::fs::read_to_string(out.join("roc.csv")).unwrap();
    assert!(
        roc.lines().count() > 2 && roc.trim_end().ends_with(",1,1"),
        "{roc}"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("training-set AUC"), "{stdout}");
    // The default holds 30 % out: 28 training hazard cells.
    let held = d.path().join("held");
    let o = susceptibility(&f, &inv, &held, &["--method", "iv", "--cv", "none"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(report(&held)["roc_samples"], "test");
    let classes = std::fs::read_to_string(held.join("classes.csv")).unwrap();
    let band4 = classes.lines().find(|l| l.starts_with("band,4,")).unwrap();
    assert_eq!(band4.split(',').nth(4).unwrap(), "28", "{band4}");
    // Out of range.
    let o = susceptibility(&f, &inv, &held, &["--method", "iv", "--test-fraction", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--test-fraction"));
}

/// Two classes (columns 0–49 and 50–99 of a 100 × 100 grid, 30 m), 12 hazard
/// points in class 1 and 28 in class 2, and 20 given non-hazard points in each,
/// spread over the rows. Returns the raster, the inventory, the non-hazard points
/// and the (row, col) of every point.
fn two_classes(dir: &Path) -> (PathBuf, PathBuf, PathBuf, Vec<(usize, usize)>) {
    let grid = GridSpec::new("EPSG:4548", 500_000.0, 4_000_000.0, 30.0, 100, 100).unwrap();
    let v: Vec<f32> = (0..grid.cell_count())
        .map(|i| (1 + (i % grid.cols) / 50) as f32)
        .collect();
    let f = dir.join("half.tif");
    let mut w = CogWriter::<f32>::create(&f, &grid, Some(f64::NAN), CogOptions::default()).unwrap();
    w.write_window(grid.full_window(), &v).unwrap();
    w.finish().unwrap();
    let mut cells = Vec::new();
    // n cells spread evenly over a lattice (rows `row0`, `row0` + 8, …; columns
    // `cols` every 4th).
    let mut points = |cols: std::ops::Range<usize>, n: usize, row0: usize| -> String {
        let lattice: Vec<(usize, usize)> = (row0..100)
            .step_by(8)
            .flat_map(|r| cols.clone().step_by(4).map(move |c| (r, c)))
            .collect();
        let mut s = String::new();
        for i in 0..n {
            let (r, c) = lattice[i * lattice.len() / n];
            let (x, y) = grid.cell_center(r, c);
            s.push_str(&format!("{x},{y}\n"));
            cells.push((r, c));
        }
        s
    };
    let hz = format!("x,y\n{}{}", points(1..50, 12, 1), points(51..100, 28, 1));
    let ng = format!("x,y\n{}{}", points(3..50, 20, 5), points(53..100, 20, 5));
    let inv = dir.join("inv.csv");
    std::fs::write(&inv, hz).unwrap();
    let neg = dir.join("neg.csv");
    std::fs::write(&neg, ng).unwrap();
    (f, inv, neg, cells)
}

/// `--lr-predictors fr|iv`: with one two-class factor the regression is saturated
/// (two parameters, two covariate values), so its fitted log-odds of each class are
/// the observed ones whatever the predictor: β₁(fr)·(FR₂ − FR₁) = β₁(iv)·(I₂ − I₁),
/// the difference of the two classes' training log-odds (by hand from the
/// closed form of a saturated logit). The AUCs agree (one factor, a monotone
/// transform), and the default is the information value.
#[test]
fn lr_predictors_fr_and_iv_fit_the_same_saturated_log_odds() {
    let d = tempfile::tempdir().unwrap();
    let (f, inv, neg, _) = two_classes(d.path());
    let neg = neg.to_str().unwrap();
    let mut fits = Vec::new();
    for (name, extra) in [
        ("default", vec![]),
        ("iv", vec!["--lr-predictors", "iv"]),
        ("fr", vec!["--lr-predictors", "fr"]),
    ] {
        let out = d.path().join(name);
        let mut args = vec!["--method", "lr", "--negatives", neg, "--cv", "none"];
        args.extend(extra);
        let o = susceptibility(&f, &inv, &out, &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let r = report(&out);
        let coef = std::fs::read_to_string(out.join("coefficients.csv")).unwrap();
        let b1: f64 = coef
            .lines()
            .find(|l| l.starts_with("half,"))
            .unwrap()
            .split(',')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let classes = std::fs::read_to_string(out.join("classes.csv")).unwrap();
        let col = |k: usize, n: usize| -> f64 {
            classes
                .lines()
                .find(|l| l.starts_with(&format!("half,{k},")))
                .unwrap()
                .split(',')
                .nth(n)
                .unwrap()
                .parse()
                .unwrap()
        };
        let (iv1, iv2, fr1, fr2) = (col(1, 5), col(2, 5), col(1, 6), col(2, 6));
        fits.push((
            r["lr_predictors"].as_str().unwrap().to_string(),
            b1,
            iv2 - iv1,
            fr2 - fr1,
            r["auc_test"].as_f64().unwrap(),
        ));
    }
    assert_eq!(fits[0].0, "iv", "the default predictor");
    assert_eq!(fits[1].0, "iv");
    assert_eq!(fits[2].0, "fr");
    assert_eq!(fits[0].1.to_bits(), fits[1].1.to_bits());
    let (iv, fr) = (&fits[1], &fits[2]);
    assert_ne!(iv.1, fr.1, "another predictor, another coefficient");
    let via_iv = iv.1 * iv.2;
    let via_fr = fr.1 * fr.3;
    assert!((via_iv - via_fr).abs() < 1e-8, "{via_iv} vs {via_fr}");
    assert_eq!(iv.4, fr.4);
}

/// `--cv blocks:<m>` and `--folds`: k folds of whole blocks, their AUCs in
/// report.json and cv_folds.csv beside the random split's; bad values exit 2.
#[test]
fn cv_blocks_and_folds_are_reported_per_fold() {
    let d = tempfile::tempdir().unwrap();
    let (f, inv, neg, cells) = two_classes(d.path());
    let out = d.path().join("cv");
    let o = susceptibility(
        &f,
        &inv,
        &out,
        &[
            "--method",
            "fr",
            "--negatives",
            neg.to_str().unwrap(),
            "--cv",
            "blocks:600",
            "--folds",
            "4",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r = report(&out);
    let cv = &r["blocked_cv"];
    assert_eq!(cv["by"], "blocks");
    assert_eq!(cv["block_m"], 600.0);
    assert_eq!(cv["folds"], 4);
    // 600 m blocks of 20 × 20 cells: the distinct blocks of the 80 points' cells
    // (none shares a cell) are the groups.
    let blocks: std::collections::BTreeSet<(usize, usize)> =
        cells.iter().map(|&(r, c)| (r / 20, c / 20)).collect();
    assert_eq!(cells.len(), 80);
    assert!(blocks.len() >= 10, "{blocks:?}");
    assert_eq!(cv["groups"], blocks.len());
    assert_eq!(cv["auc_per_fold"].as_array().unwrap().len(), 4);
    let held: u64 = (0..4)
        .map(|k| {
            cv["fold_test_hazard"][k].as_u64().unwrap()
                + cv["fold_test_non_hazard"][k].as_u64().unwrap()
        })
        .sum();
    assert_eq!(held, 80, "every sample held out once");
    assert!(cv["auc_mean"].as_f64().is_some() && cv["random_folds_auc_mean"].as_f64().is_some());
    let rows = std::fs::read_to_string(out.join("cv_folds.csv")).unwrap();
    assert_eq!(rows.lines().filter(|l| l.starts_with("blocks,")).count(), 4);
    assert_eq!(rows.lines().filter(|l| l.starts_with("random,")).count(), 4);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let line = format!("blocked 4-fold CV (600 m blocks, {} groups)", blocks.len());
    assert!(stdout.contains(&line), "{stdout}");
    // Too big blocks for the folds, a bad block size, one fold, a bad scheme.
    for (bad, needle) in [
        (vec!["--cv", "blocks:5000"], "only 1 blocks hold samples"),
        (vec!["--cv", "blocks:-3"], "--cv"),
        (vec!["--folds", "1"], "--folds"),
        (vec!["--cv", "rings:5"], "--cv"),
    ] {
        let mut args = vec!["--method", "fr", "--negatives", neg.to_str().unwrap()];
        args.extend(bad);
        let o = susceptibility(&f, &inv, &d.path().join("bad"), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{needle:?} not in {err}");
    }
}

/// `--cv townships:<vector file>`: each township polygon (GeoJSON here, in the
/// rasters' CRS) is a group; the left and right halves of the grid make two
/// townships, so 2 folds hold one each — hazard and non-hazard samples of one half
/// are scored by a model trained on the other. Samples outside every township take
/// no part; a missing file or a file in another CRS is named.
#[test]
fn cv_townships_groups_by_the_polygons() {
    let d = tempfile::tempdir().unwrap();
    let (f, inv, neg, _) = two_classes(d.path());
    // Two townships: x from the west edge to 1500 m east of it (columns 0–49) and
    // from there to the east edge (columns 50–99), the grid's full height.
    let (x0, y0, y1) = (500_000.0, 3_997_000.0, 4_000_000.0);
    let feature = |code: &str, a: f64, b: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{a},{y0}],[{b},{y0}],[{b},{y1}],[{a},{y1}],[{a},{y0}]]]}}}}"#
        )
    };
    let geojson = |epsg: u32| {
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::{epsg}"}}}},"features":[{},{}]}}"#,
            feature("370101001", x0, x0 + 1500.0),
            feature("370101002", x0 + 1500.0, x0 + 3000.0)
        )
    };
    let towns = d.path().join("townships.geojson");
    std::fs::write(&towns, geojson(4548)).unwrap();
    let out = d.path().join("towns");
    let cv_arg = format!("townships:{}", towns.display());
    let o = susceptibility(
        &f,
        &inv,
        &out,
        &[
            "--method",
            "fr",
            "--negatives",
            neg.to_str().unwrap(),
            "--cv",
            &cv_arg,
            "--folds",
            "2",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let cv = &report(&out)["blocked_cv"];
    assert_eq!(cv["by"], "townships");
    assert_eq!(cv["groups"], 2);
    assert_eq!(cv["unassigned_samples"], 0);
    assert!(cv["townships"]
        .as_str()
        .unwrap()
        .ends_with("townships.geojson"));
    // Township 1 (columns 0–49) holds 12 hazard and 20 non-hazard samples, township
    // 2 the other 28 and 20.
    let mut held: Vec<(u64, u64)> = (0..2)
        .map(|k| {
            (
                cv["fold_test_hazard"][k].as_u64().unwrap(),
                cv["fold_test_non_hazard"][k].as_u64().unwrap(),
            )
        })
        .collect();
    held.sort_unstable();
    assert_eq!(held, vec![(12, 20), (28, 20)]);
    // Each held-out township holds one class of the factor only, so all its
    // samples tie: AUC ½ in both folds.
    for k in 0..2 {
        assert_eq!(cv["auc_per_fold"][k].as_f64().unwrap(), 0.5);
    }
    // Another CRS, and a file that is not there.
    let wgs = d.path().join("wgs.geojson");
    std::fs::write(&wgs, geojson(4326)).unwrap();
    for (file, needle) in [
        (wgs, "reproject"),
        (d.path().join("none.gpkg"), "none.gpkg"),
    ] {
        let arg = format!("townships:{}", file.display());
        let o = susceptibility(
            &f,
            &inv,
            &d.path().join("bad"),
            &[
                "--method",
                "fr",
                "--negatives",
                neg.to_str().unwrap(),
                "--cv",
                &arg,
            ],
        );
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{needle:?} not in {err}");
    }
}
