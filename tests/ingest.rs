//! `riskcensus ingest` / `validate` as processes: exit codes, two concurrent
//! loaders, and a loader killed inside its transaction. Database checks go through
//! GDAL's own `ogrinfo`, independently of the engine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_riskcensus");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bad")
}

fn census() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("census.toml"), d.path().join("census.toml")).unwrap();
    d
}

/// A buildings CSV of `n` valid rows with ids from `first`, inside the study area.
fn buildings(path: &Path, first: u64, n: u64) {
    let mut s = String::from("id,lon,lat,structure,storeys\n");
    for i in 0..n {
        let k = first + i;
        s += &format!(
            "{},{:.7},{:.7},砖混,{}\n",
            // Township 370999001, then a 5-digit serial.
            370999001u64 * 100_000 + k,
            116.90 + (k % 200) as f64 * 0.001,
            36.15 + (k / 200 % 100) as f64 * 0.001,
            1 + k % 5
        );
    }
    std::fs::write(path, s).unwrap();
}

fn ingest(dir: &Path, src: &Path, extra: &[&str]) -> Command {
    let mut c = crate::util::ingest_buildings(dir, src);
    c.args(extra);
    c
}

/// `ogrinfo -sql` → the first value printed for the first column.
fn sql(db: &Path, q: &str) -> String {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-q", "-sql", q])
        .arg(db)
        .output()
        .expect("ogrinfo runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "ogrinfo {q}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .find_map(|l| l.split_once(" = ").map(|(_, v)| v.trim().to_string()))
        .unwrap_or_default()
}

#[test]
fn exit_codes_0_ok_2_rejects_or_bad_input() {
    let d = census();
    let db = d.path().join("census.gpkg");
    let ok = ingest(d.path(), &fixtures().join("good_utf8.csv"), &[])
        .status()
        .unwrap();
    assert_eq!(ok.code(), Some(0));
    let out = ingest(d.path(), &fixtures().join("swapped.csv"), &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 of 1 records rejected") && err.contains("lonlat_swapped"),
        "{err}"
    );
    let out = Command::new(BIN)
        .args(["ingest"])
        .arg(d.path())
        .arg(fixtures().join("no_crs.shp"))
        .args(["--layer", "hidden_dangers"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no CRS"));
    // validate = dry run: exit 2, JSON on stdout, nothing written.
    let out = Command::new(BIN)
        .args(["--json", "validate"])
        .arg(d.path())
        .arg(fixtures().join("out_of_range.csv"))
        .args(["--layer", "buildings", "--source-crs", "EPSG:4490"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rejected"], 1);
    assert_eq!(v["problems"][0]["rule"], "range");
    assert_eq!(sql(&db, "SELECT COUNT(*) FROM buildings"), "2");
    assert_eq!(sql(&db, "SELECT COUNT(*) FROM _batches"), "2");
    assert_eq!(sql(&db, "SELECT COUNT(*) FROM _rejects"), "1");
}

#[test]
fn two_processes_loading_at_once_both_succeed_and_nothing_is_lost() {
    let d = census();
    let db = d.path().join("census.gpkg");
    let (a, b) = (d.path().join("a.csv"), d.path().join("b.csv"));
    buildings(&a, 0, 3000);
    buildings(&b, 3000, 3000);
    for round in 0..2 {
        let mut pa = ingest(d.path(), &a, &[])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut pb = ingest(d.path(), &b, &[])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (sa, sb) = (pa.wait().unwrap(), pb.wait().unwrap());
        assert!(sa.success() && sb.success(), "round {round}: {sa:?} {sb:?}");
        assert_eq!(
            sql(&db, "SELECT COUNT(*) FROM buildings"),
            "6000",
            "round {round}"
        );
        assert_eq!(sql(&db, "SELECT COUNT(DISTINCT id) FROM buildings"), "6000");
        assert_eq!(sql(&db, "PRAGMA integrity_check"), "ok");
    }
    // Four batches; the second round found everything unchanged.
    assert_eq!(sql(&db, "SELECT COUNT(*) FROM _batches"), "4");
    assert_eq!(sql(&db, "SELECT SUM(inserted) FROM _batches"), "6000");
    assert_eq!(sql(&db, "SELECT SUM(unchanged) FROM _batches"), "6000");
}

#[test]
fn a_loader_killed_inside_its_transaction_leaves_the_database_as_before() {
    let d = census();
    let db = d.path().join("census.gpkg");
    assert!(ingest(d.path(), &fixtures().join("good_utf8.csv"), &[])
        .status()
        .unwrap()
        .success());
    let before = std::fs::read(&db).unwrap();
    let big = d.path().join("big.csv");
    buildings(&big, 100, 5000);
    let mut child = ingest(d.path(), &big, &[])
        .env("RISKCENSUS_TEST_PAUSE_IN_TXN_MS", "60000")
        .spawn()
        .unwrap();
    // Wait until the loader is inside its transaction with pages written (SQLite's
    // rollback journal exists), then SIGKILL it.
    let journal = d.path().join("census.gpkg-journal");
    let wal = d.path().join("census.gpkg-wal");
    let t0 = Instant::now();
    while !(journal.exists() || wal.exists()) {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the loader never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    // GDAL (ogrinfo) sees the database as it was: 2 buildings, 1 batch, intact.
    assert_eq!(sql(&db, "SELECT COUNT(*) FROM buildings"), "2");
    assert_eq!(sql(&db, "SELECT COUNT(*) FROM _batches"), "1");
    assert_eq!(sql(&db, "PRAGMA integrity_check"), "ok");
    let _ = before;
    // The next load succeeds and loads everything.
    assert!(ingest(d.path(), &big, &[]).status().unwrap().success());
    assert_eq!(sql(&db, "SELECT COUNT(*) FROM buildings"), "5002");
}

/// Every fault point of a sequence of loads (`riskcensus_io::fault`: the creation of
/// census.gpkg, before and after each transaction's commit) is a kill point: each
/// load is started again and again, dying one point further each time, until it
/// completes. After every kill the database passes its integrity check; at the end
/// it holds exactly what the same loads without kills put in — records, batches and
/// rejects.
#[test]
fn loads_killed_at_every_point_lose_nothing_and_load_nothing_twice() {
    let reference = census();
    let swept = census();
    let big = reference.path().join("big.csv");
    buildings(&big, 100, 3000);
    let sources = [
        fixtures().join("good_utf8.csv"),
        fixtures().join("wrong_type.csv"),
        big.clone(),
        // Again: an idempotent reload (a batch of unchanged records).
        big.clone(),
    ];
    for s in &sources {
        let st = ingest(reference.path(), s, &[]).status().unwrap();
        assert!(st.code().is_some_and(|c| c == 0 || c == 2), "{st:?}");
    }
    let db = swept.path().join("census.gpkg");
    let scratch = tempfile::tempdir().unwrap();
    let mut kills = 0;
    for (i, s) in sources.iter().enumerate() {
        let journal = swept.path().join(format!("sweep-{i}.journal"));
        let (n, o) = crate::util::kill_sweep(
            &journal,
            None,
            || {
                let mut c = ingest(swept.path(), s, &[]);
                c.stdout(Stdio::null());
                c
            },
            |point| {
                assert!(
                    crate::util::db_copy_intact(&db, scratch.path()),
                    "census.gpkg fails its integrity check after a kill at {point}"
                );
            },
        );
        // Completed: 0, or 2 for a source with rejected records.
        assert!(
            matches!(o.status.code(), Some(0 | 2)),
            "{}: the load after {n} kills failed: {}",
            s.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        kills += n;
    }
    eprintln!("loads killed at {kills} points, each then resumed");
    assert!(kills >= 8, "only {kills} kill points");
    // A load killed after its commit and started again records a second batch, of
    // unchanged records (and its rejects again): the batch table is the audit trail
    // of every completed load. Records, insertions and the rejected records
    // themselves are what one load of each source gives.
    let reference = reference.path().join("census.gpkg");
    for q in [
        "SELECT COUNT(*) FROM buildings",
        "SELECT SUM(inserted) FROM _batches",
        "SELECT SUM(updated) FROM _batches",
        "SELECT COUNT(*) FROM (SELECT DISTINCT source, record, field, rule FROM _rejects)",
        "PRAGMA integrity_check",
    ] {
        assert_eq!(sql(&db, q), sql(&reference, q), "{q}");
    }
    // Every batch, first loads and reloads alike, adds up.
    assert_eq!(
        sql(
            &db,
            "SELECT COUNT(*) FROM _batches WHERE loaded + rejected != read \
             OR inserted + updated + unchanged != loaded"
        ),
        "0"
    );
}
