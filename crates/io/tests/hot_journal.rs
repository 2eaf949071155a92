//! A process killed inside a write transaction on the census database leaves a hot
//! journal; the next reader must recover it (regression test of the resume failure
//! "attempt to write a readonly database" after a run killed while it wrote
//! `census.gpkg`).
//!
//! The kill is deterministic: this test binary re-runs itself as a child that commits
//! one row, opens a second transaction, writes into it until the journal is on disk,
//! says so, and waits to be killed with SIGKILL.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use riskcensus_io::gpkg::{journal_path, GpkgDb};
use riskcensus_io::IoError;

const CHILD_ENV: &str = "RISKCENSUS_HOT_JOURNAL_CHILD";

/// The child's part: one committed row, then a transaction that never ends.
fn child(db_path: &Path) {
    let mut db = GpkgDb::open(db_path, true).unwrap();
    db.sql("CREATE TABLE probe (id INTEGER PRIMARY KEY, payload BLOB)")
        .unwrap();
    db.sql("INSERT INTO probe (id, payload) VALUES (1, zeroblob(100))")
        .unwrap();
    let _: Result<(), IoError> = db.transaction(|t| {
        // About 40 MB: more than SQLite's page cache, so pages of the database file
        // itself are overwritten before the commit that never comes.
        t.sql(
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 40001) \
             INSERT INTO probe (id, payload) SELECT i, zeroblob(1000) FROM n",
        )?;
        t.sql("UPDATE probe SET payload = zeroblob(200) WHERE id = 1")?;
        println!("in transaction");
        std::thread::sleep(std::time::Duration::from_secs(120));
        Ok(())
    });
}

#[test]
fn killed_writer_leaves_a_journal_that_the_next_reader_recovers() {
    if let Ok(p) = std::env::var(CHILD_ENV) {
        child(Path::new(&p));
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let db_path = d.path().join("census.gpkg");
    let mut c = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "killed_writer_leaves_a_journal_that_the_next_reader_recovers",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &db_path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = BufReader::new(c.stdout.take().unwrap());
    let mut ready = false;
    for line in out.lines() {
        if line.unwrap().contains("in transaction") {
            ready = true;
            break;
        }
    }
    assert!(ready, "the child never reached its transaction");
    c.kill().unwrap();
    c.wait().unwrap();
    let journal = journal_path(&db_path);
    assert!(
        journal.exists() && std::fs::metadata(&journal).unwrap().len() > 0,
        "the killed writer left no journal: the test would prove nothing"
    );

    // The next run opens the census read-only first: that must work, see only the
    // committed row, and leave an intact database without a journal.
    let db = GpkgDb::open_read(&db_path).expect("read after a killed writer");
    assert_eq!(db.count("probe"), 1);
    assert!(db.integrity_ok().unwrap());
    drop(db);
    assert!(!journal.exists(), "the hot journal was not rolled back");
    // And a writer can go on.
    let db = GpkgDb::open(&db_path, false).unwrap();
    db.sql("INSERT INTO probe (id, payload) VALUES (2, zeroblob(10))")
        .unwrap();
    assert_eq!(db.count("probe"), 2);
}
