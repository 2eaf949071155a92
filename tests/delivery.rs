//! `riskcensus ingest` / `validate` on what survey teams really deliver
//! (fixtures/delivery, study area Tai'an 370900; see its README for where each file
//! comes from): each case checks its exit code (0 all loaded, 2 rejects or a refused
//! source, 1 a failure of the environment) and its message.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::{run, stderr};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/delivery")
}

fn census() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("census.toml"), d.path().join("census.toml")).unwrap();
    d
}

/// `riskcensus ingest <census> <fixture> --layer <layer> extra…`
fn ingest(dir: &Path, file: &str, layer: &str, extra: &[&str]) -> Output {
    let src = fixtures().join(file);
    let mut args = vec![
        "ingest",
        dir.to_str().unwrap(),
        src.to_str().unwrap(),
        "--layer",
        layer,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn code_list_exit_2_on_a_foreign_code_and_0_with_allow_foreign() {
    let d = census();
    let o = ingest(d.path(), "codes.csv", "admin_units", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(
        err.contains("1 of 8 records rejected (1 foreign_code)"),
        "{err}"
    );
    assert!(
        out.contains("admin code 370102001 is not inside the census area 370900"),
        "{out}"
    );
    assert!(
        out.contains("1 admin code(s) carried the national prefix 156"),
        "{out}"
    );
    assert!(out.contains("the name \"岱岳区\" ends in 区"), "{out}");
    let o = ingest(d.path(), "codes.csv", "admin_units", &["--allow-foreign"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o)
            .contains("1 admin unit(s) outside the census area 370900 loaded (--allow-foreign)"),
        "{}",
        stdout(&o)
    );
    // The boundary attaches to the code-list row; its open ring is closed.
    let o = ingest(d.path(), "township_unclosed.geojson", "admin_units", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("updated 1"), "{out}");
    assert!(
        out.contains("fid 0 (code 370902001): 1 polygon ring(s) not closed"),
        "{out}"
    );
    assert!(out.contains("as RFC 7946 says"), "{out}");
}

#[test]
fn web_map_boundaries_exit_0_with_repairs_and_moves_said() {
    let d = census();
    let o = ingest(d.path(), "taian_districts.geojson", "admin_units", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("repaired with MakeValid").count(), 3, "{out}");
    assert!(
        out.contains("fid 0 (code 370902): invalid polygon (self-intersection) repaired"),
        "{out}"
    );
    let o = ingest(
        d.path(),
        "taian_districts.geojson",
        "admin_units",
        &["--source-crs", "GCJ02"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches(" moved ").count(), 6, "{}", stdout(&o));
}

#[test]
fn geometry_rejects_exit_2_naming_the_change_in_km2_and_percent() {
    let d = census();
    let o = ingest(d.path(), "bowtie_lonlat.geojson", "lithology", &[]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains("would change the area by 2.0") && out.contains(" km² (99."),
        "{out}"
    );
    assert!(!out.contains("0.0 to 0.0"), "{out}");
    let o = ingest(d.path(), "roads_degenerate.geojson", "roads", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("2 of 3 records rejected (2 invalid_geometry)"),
        "{}",
        stderr(&o)
    );
    let o = ingest(d.path(), "hidden_dangers_z.geojson", "hidden_dangers", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("loaded in 2-D, Z/M dropped"));
    let o = ingest(d.path(), "admin_points.geojson", "admin_units", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("a point for a township unit"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn sources_refused_exit_2_and_a_nan_longitude_is_named() {
    let d = census();
    let o = ingest(d.path(), "xian80_points.shp", "hidden_dangers", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("(EPSG:2384) is on the Xian 1980 datum: PROJ has no transformation"),
        "{}",
        stdout(&o)
    );
    let o = ingest(d.path(), "undefined_srs.gpkg", "hidden_dangers", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("declares no CRS"), "{}", stderr(&o));
    let o = ingest(d.path(), "no_dbf.shp", "hidden_dangers", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no_dbf.dbf: missing: the attribute table (.dbf)"),
        "{}",
        stderr(&o)
    );
    let src = fixtures().join("nan_lon.csv");
    let o = run(&[
        "--json",
        "validate",
        d.path().to_str().unwrap(),
        src.to_str().unwrap(),
        "--layer",
        "buildings",
        "--source-crs",
        "EPSG:4490",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["problems"][0]["field"], "lon");
    assert_eq!(v["problems"][0]["value"], "NaN");
    assert_eq!(v["problems"][1]["field"], "lat");
    assert_eq!(v["problems"][1]["value"], "inf");
}

#[test]
fn a_census_database_that_cannot_be_opened_exits_1_with_the_cause() {
    let d = census();
    // Tests run as root, which ignores file modes: a directory in the database's
    // place fails for everyone.
    std::fs::create_dir(d.path().join("census.gpkg")).unwrap();
    let o = ingest(d.path(), "codes.csv", "admin_units", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the census database cannot be read")
            && stderr(&o).contains("a directory, not a GeoPackage file"),
        "{}",
        stderr(&o)
    );
}
