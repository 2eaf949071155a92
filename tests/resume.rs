//! `riskcensus run` killed at any point and run again gives the same outputs as an
//! uninterrupted run: sources no committed batch has loaded are loaded, stages whose
//! outputs are current (cache keys, parameter hashes and input digests in their tags)
//! are kept, the rest are rebuilt, atomic writes mean a killed run leaves nothing
//! half-written under a final name, and a census database left with a hot journal by
//! a kill inside a write transaction is recovered by the next run.
//!
//! The kill points are the engine's fault points (`riskcensus_io::fault`): the run is
//! started again and again, each time dying at the next point no earlier run died at
//! — before and after every transaction on census.gpkg and its creation, at the start
//! and end of every stage — and after every kill the database must pass its
//! integrity check. `make sweep` widens the sweep to every output file's rename.

use std::path::{Path, PathBuf};

use crate::util::{bin, copy_census, db_copy_intact, kill_sweep};
use riskcensus_io::gpkg::GpkgDb;
use riskcensus_testkit::files;

/// The fault points the sweep kills at: all of them when `RISKCENSUS_SWEEP_ALL` is
/// set (`make sweep`: every output's rename too, about 490 points, hours), else the
/// census database's creation and transactions, the stage boundaries, and both
/// sides of the rename of one output of each kind (a COG, a CSV table, the zoning
/// GeoPackage, the manifest).
fn kinds() -> Option<String> {
    if std::env::var_os("RISKCENSUS_SWEEP_ALL").is_some() {
        return None;
    }
    let mut k = vec!["stage-".to_string()];
    for name in [
        "census.gpkg",
        "flood_depth_100y.tif",
        "eq_building_damage.csv",
        "zoning.gpkg",
        "manifest.json",
    ] {
        for side in ["rename", "renamed"] {
            k.push(format!("{side}:{name}"));
        }
    }
    k.push("commit:census.gpkg".into());
    k.push("committed:census.gpkg".into());
    Some(k.join(","))
}

/// Rows per table of a census database (every table, system tables included).
fn table_counts(db: &Path) -> Vec<(String, u64)> {
    let db = GpkgDb::open_read(db).unwrap();
    assert!(
        db.integrity_ok().unwrap(),
        "{}: integrity check",
        db.path().display()
    );
    let mut v: Vec<(String, u64)> = db
        .tables()
        .into_iter()
        .filter(|t| t != "_batches" && !t.starts_with("result_"))
        .map(|t| {
            let n = db.count(&t);
            (t, n)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn run_killed_at_every_point_then_resumed_equals_an_uninterrupted_run() {
    let d = tempfile::tempdir().unwrap();
    let demo = d.path().join("demo");
    // The uninterrupted reference: the demo's own run.
    let o = bin()
        .args(["demo", "--resolution", "150", "--quiet", "--out"])
        .arg(&demo)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // A fresh census (no database), run until a run completes, each run killed at
    // the next fault point.
    let census = d.path().join("census");
    copy_census(&demo.join("census"), &census);
    let db = census.join("census.gpkg");
    let scratch = d.path().join("scratch");
    let mut points = Vec::new();
    let (kills, o) = kill_sweep(
        &d.path().join("sweep.journal"),
        kinds().as_deref(),
        || {
            let mut c = bin();
            c.args(["run", "--quiet", "--run-id", "r1"]).arg(&census);
            c
        },
        |point| {
            assert!(
                db_copy_intact(&db, &scratch),
                "census.gpkg fails its integrity check after a kill at {point}"
            );
            points.push(point.to_string());
        },
    );
    assert!(
        o.status.success(),
        "the run after {kills} kills failed instead of resuming: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    eprintln!("run killed at {kills} points, then completed");
    // Every stage boundary and every transaction on census.gpkg was a kill point:
    // the survey's batches, the creation of the database, each stage.
    for want in [
        "renamed:census.gpkg[",
        "commit:census.gpkg[buildings:",
        "committed:census.gpkg[buildings:",
        "commit:census.gpkg[earthquake/result_",
        "stage-start:prepare#",
        "stage-done:zoning#",
        "rename:flood_depth_100y.tif",
        "renamed:zoning.gpkg",
    ] {
        assert!(
            points.iter().any(|p| p.starts_with(want)),
            "never killed at {want}…"
        );
    }
    // Each source's batch and each stage boundary once: 2 × 22 + 2 × 11 + more.
    assert!(
        kills >= 76,
        "only {kills} kill points: the sweep proves little"
    );

    let resumed = census.join("out/r1");
    for sub in ["layers", "assess", "maps"] {
        let want = files(&demo.join(sub));
        let got = files(&resumed.join(sub));
        let names = |v: &[PathBuf]| -> Vec<String> {
            v.iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names(&want), names(&got), "{sub}: different files");
        for (a, b) in want.iter().zip(&got) {
            assert!(
                std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
                "{} differs after resume",
                b.display()
            );
        }
    }
    // Nothing lost and nothing loaded twice: every survey table holds what the
    // demo's single load put in, and the database is intact.
    assert_eq!(
        table_counts(&census.join("census.gpkg")),
        table_counts(&demo.join("census/census.gpkg"))
    );
}
