//! `riskcensus run` killed at any point and run again gives the same outputs as an
//! uninterrupted run: sources no committed batch has loaded are loaded, stages whose
//! outputs are current (cache keys, parameter hashes and input digests in their tags)
//! are kept, the rest are rebuilt, atomic writes mean a killed run leaves nothing
//! half-written under a final name, and a census database left with a hot journal by
//! a kill inside a write transaction is recovered by the next run.
//!
//! The kill points are spread over the whole length of an uninterrupted run measured
//! in the same test (and three in its first second, where the survey is loaded), so
//! the test does not depend on where two fixed delays happen to land.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::util::{bin, copy_census};
use riskcensus_io::gpkg::GpkgDb;
use riskcensus_testkit::files;

fn run(census: &Path) -> std::process::Output {
    bin()
        .args(["run", "--quiet", "--run-id", "r1"])
        .arg(census)
        .output()
        .unwrap()
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
fn run_killed_at_many_points_then_resumed_equals_an_uninterrupted_run() {
    let d = tempfile::tempdir().unwrap();
    let demo = d.path().join("demo");
    // The uninterrupted reference: the demo's own run.
    let o = bin()
        .args(["demo", "--resolution", "150", "--quiet", "--out"])
        .arg(&demo)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // How long a whole run takes here, survey load included.
    let timed = d.path().join("timed");
    copy_census(&demo.join("census"), &timed);
    let t0 = Instant::now();
    let o = run(&timed);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let whole = t0.elapsed();

    // Kill runs of a fresh census at points spread over that length: three in the
    // first second (the survey load, whose batches are write transactions on
    // census.gpkg), then every tenth of a run. Each run resumes what the killed ones
    // left, so the later kills land in later stages.
    let census = d.path().join("census");
    copy_census(&demo.join("census"), &census);
    let mut delays: Vec<Duration> = [150u64, 400, 800]
        .iter()
        .map(|&ms| Duration::from_millis(ms))
        .collect();
    delays.extend((1..10u32).map(|i| whole * i / 10));
    let mut killed = 0;
    for delay in &delays {
        let mut child = bin()
            .args(["run", "--quiet", "--run-id", "r1"])
            .arg(&census)
            .spawn()
            .unwrap();
        std::thread::sleep(*delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        let _ = child.wait();
    }
    assert!(
        killed >= delays.len() / 2,
        "only {killed} of {} runs were still running when killed: the kill points prove little",
        delays.len()
    );
    let o = run(&census);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let resumed = census.join("out/r1");
    for sub in ["layers", "assess"] {
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
