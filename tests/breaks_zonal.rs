//! `riskcensus breaks` and `riskcensus zonal` through the binary, against the goldens
//! of validate/zoning (numpy and mapclassify breaks of the fixture raster, exactextract
//! and GDAL-rasterizer zonal statistics over the demo townships), plus bad arguments
//! exiting 2.

use std::path::Path;

use crate::util::{ok, run};
use riskcensus_testkit::fixtures_dir;
use serde_json::Value;

fn gold() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(fixtures_dir().join("zoning/zonal/zonal.json")).unwrap(),
    )
    .unwrap()
}

/// A JSON array of numbers.
fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn breaks_json_matches_numpy_and_mapclassify() {
    let raster = fixtures_dir().join("zoning/zonal/value.tif");
    let g = gold();
    for (method, key) in [("quantile", "quantile"), ("equal", "equal")] {
        let out = run(&[
            "breaks",
            s(&raster),
            "--method",
            method,
            "--classes",
            "5",
            "--json",
        ]);
        let out = ok(out, "riskcensus breaks");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<f64> = f64s(&v["bounds"]);
        let want: Vec<f64> = f64s(&g["raster_breaks_k5"][key]);
        assert_eq!(got.len(), 5);
        for (a, b) in got.iter().zip(&want) {
            assert!(rel(*a, *b) < 1e-12, "{method}: {got:?} vs {want:?}");
        }
    }
    // Jenks: five ascending bounds ending at the maximum (the equal-interval maximum).
    let out = run(&[
        "breaks",
        s(&raster),
        "--method",
        "jenks",
        "--classes",
        "5",
        "--json",
    ]);
    let out = ok(out, "riskcensus breaks");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b: Vec<f64> = f64s(&v["bounds"]);
    assert!(b.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(b[4], g["raster_breaks_k5"]["equal"][4].as_f64().unwrap());
    assert_eq!(v["step"].as_f64(), Some(1e-4));
    // Table form names level 1 as the top class.
    let out = run(&["breaks", s(&raster), "--method", "jenks", "--classes", "5"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().last().unwrap().starts_with("level 1"),
        "{text}"
    );
}

/// Quantiles of tied data repeat a bound: kept (numpy keeps them), the classes
/// between left empty — not refused. Data: six 1s, a 2 and a 3; numpy.quantile at
/// 1/4, 2/4, 3/4, 1 gives [1, 1, 1.25, 3].
#[test]
fn quantile_breaks_of_tied_data_keep_their_repeated_bounds() {
    use riskcensus_io::{CogOptions, CogWriter};
    let d = tempfile::tempdir().unwrap();
    let grid =
        riskcensus_core::GridSpec::new("EPSG:4548", 500_000.0, 4_000_000.0, 30.0, 2, 4).unwrap();
    let p = d.path().join("tied.tif");
    let mut w = CogWriter::<f32>::create(&p, &grid, Some(f64::NAN), CogOptions::default()).unwrap();
    w.write_window(
        grid.full_window(),
        &[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0],
    )
    .unwrap();
    w.finish().unwrap();
    let out = ok(
        run(&[
            "breaks",
            s(&p),
            "--method",
            "quantile",
            "--classes",
            "4",
            "--json",
        ]),
        "riskcensus breaks of tied data",
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(f64s(&v["bounds"]), vec![1.0, 1.0, 1.25, 3.0]);
}

fn read_csv(p: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn zonal_csv_matches_exactextract_and_gdal_centres() {
    let raster = fixtures_dir().join("zoning/zonal/value.tif");
    let admin = fixtures_dir().join("demo-small/survey/admin.gpkg");
    let dir = tempfile::tempdir().unwrap();
    let g = gold();

    let csv = dir.path().join("fraction.csv");
    let out = run(&[
        "zonal",
        s(&raster),
        s(&admin),
        "--layer",
        "townships",
        "--out",
        s(&csv),
    ]);
    ok(out, "riskcensus zonal");
    let rows = read_csv(&csv);
    assert_eq!(rows[0], ["id", "count", "sum", "mean", "min", "max"]);
    assert_eq!(rows.len(), 13);
    for r in &rows[1..] {
        let e = &g["fraction"][&r[0]];
        for (i, k) in ["count", "sum", "mean", "min", "max"].iter().enumerate() {
            let got: f64 = r[i + 1].parse().unwrap();
            assert!(
                rel(got, e[k].as_f64().unwrap()) < 1e-9,
                "{} {k}: {got} vs {}",
                r[0],
                e[k]
            );
        }
    }

    let csv = dir.path().join("center.csv");
    let out = run(&[
        "zonal",
        s(&raster),
        s(&admin),
        "--layer",
        "townships",
        "--id-field",
        "code",
        "--rule",
        "center",
        "--stats",
        "count,sum",
        "--out",
        s(&csv),
    ]);
    ok(out, "riskcensus zonal");
    let rows = read_csv(&csv);
    assert_eq!(rows[0], ["id", "count", "sum"]);
    for r in &rows[1..] {
        let e = &g["center"][&r[0]];
        assert_eq!(
            r[1].parse::<f64>().unwrap(),
            e["count"].as_f64().unwrap(),
            "{}",
            r[0]
        );
        assert!(rel(r[2].parse().unwrap(), e["sum"].as_f64().unwrap()) < 1e-12);
    }
}

#[test]
fn bad_arguments_exit_2_naming_the_problem() {
    let raster = fixtures_dir().join("zoning/zonal/value.tif");
    let admin = fixtures_dir().join("demo-small/survey/admin.gpkg");
    let out = run(&["breaks", s(&raster), "--method", "kmeans"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kmeans"));
    let out = run(&[
        "zonal",
        s(&raster),
        s(&admin),
        "--layer",
        "townships",
        "--stats",
        "median",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("median"));
    let out = run(&[
        "zonal",
        s(&raster),
        s(&admin),
        "--layer",
        "townships",
        "--id-field",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));
    let out = run(&["breaks", s(&raster), "--classes", "0"]);
    assert_eq!(out.status.code(), Some(2));
}
