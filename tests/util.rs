//! Running the `riskcensus` binary from the suite.

use std::path::Path;
use std::process::{Command, Output};

use riskcensus_testkit::files;

/// The `riskcensus` binary built for this test run.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_riskcensus"))
}

/// `riskcensus ingest <census> <src> --layer buildings --source-crs EPSG:4490
/// --quiet`: the buildings load the ingest, fault and hostile-input tests run.
pub fn ingest_buildings(census: &Path, src: &Path) -> Command {
    let mut c = bin();
    c.arg("ingest").arg(census).arg(src).args([
        "--layer",
        "buildings",
        "--source-crs",
        "EPSG:4490",
        "--quiet",
    ]);
    c
}

/// Run `riskcensus` with `args` and collect its output.
pub fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .output()
        .expect("the riskcensus binary runs")
}

/// Its standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `out` when the command succeeded; else a failure showing its output.
pub fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Copy a census as a survey team hands it over: `census.toml` and the survey
/// files, no database and no runs.
pub fn copy_census(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("survey")).unwrap();
    std::fs::copy(from.join("census.toml"), to.join("census.toml")).unwrap();
    for f in files(&from.join("survey")) {
        std::fs::copy(&f, to.join("survey").join(f.file_name().unwrap())).unwrap();
    }
    // The census's scenario files (and the new areas they name).
    if from.join("scenarios").is_dir() {
        std::fs::create_dir_all(to.join("scenarios")).unwrap();
        for f in files(&from.join("scenarios")) {
            std::fs::copy(&f, to.join("scenarios").join(f.file_name().unwrap())).unwrap();
        }
    }
}

/// The demo census (generated only, not run) at `resolution_m` in `dir`.
pub fn demo_census(dir: &Path, resolution_m: f64) -> std::path::PathBuf {
    riskcensus::demo::generate(
        dir,
        &riskcensus::demo::DemoOptions {
            resolution_m,
            ..Default::default()
        },
    )
    .unwrap();
    dir.to_path_buf()
}

/// The kill sweep (`riskcensus_io::fault`): run the command `cmd()` builds again and
/// again with the sweep journal `journal`, each run dying (SIGKILL) at the first
/// fault point no earlier run died at, until a run ends otherwise. After every kill,
/// `after_kill` checks what the killed run left (given the point's key). Only points
/// whose names start with one of `kinds` count (all when `None`). Returns the number
/// of kills and the output of the run that ended by itself.
pub fn kill_sweep(
    journal: &Path,
    kinds: Option<&str>,
    mut cmd: impl FnMut() -> Command,
    mut after_kill: impl FnMut(&str),
) -> (usize, Output) {
    use std::os::unix::process::ExitStatusExt;
    let mut kills = 0;
    loop {
        let mut c = cmd();
        c.env(riskcensus_io::fault::SWEEP_ENV, journal);
        if let Some(k) = kinds {
            c.env(riskcensus_io::fault::KINDS_ENV, k);
        }
        let o = c.output().expect("the command runs");
        if o.status.signal() != Some(9) {
            return (kills, o);
        }
        kills += 1;
        let text = std::fs::read_to_string(journal).unwrap();
        let point = text.lines().last().unwrap_or_default().to_string();
        after_kill(&point);
        assert!(kills < 5000, "the sweep does not end");
    }
}

/// True when a copy of the census database `db` (with the rollback journal a killed
/// writer may have left, which opening the copy for update rolls back, as the next
/// run does with the original) passes SQLite's integrity check. The original is left
/// untouched for the next run to recover by itself.
pub fn db_copy_intact(db: &Path, scratch: &Path) -> bool {
    if !db.exists() {
        return true;
    }
    let _ = std::fs::remove_dir_all(scratch);
    std::fs::create_dir_all(scratch).unwrap();
    let name = db.file_name().unwrap().to_string_lossy().into_owned();
    for suffix in ["", "-journal", "-wal"] {
        let from = db.with_file_name(format!("{name}{suffix}"));
        if from.exists() {
            std::fs::copy(&from, scratch.join(format!("{name}{suffix}"))).unwrap();
        }
    }
    let copy = riskcensus_io::gpkg::GpkgDb::open(&scratch.join(&name), false);
    copy.is_ok_and(|db| db.integrity_ok().unwrap_or(false))
}
