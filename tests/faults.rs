//! Faults of the environment, met as a survey team meets them: a census or run
//! folder on a read-only file system, and a disk that fills up part-way. Both need
//! mounts (a read-only bind mount, a small tmpfs), so the tests run as root — as
//! `make test` does in CI — and say so and skip otherwise.
//!
//! - Read-only: `run` and `ingest` name what is read-only with exit 1 before doing
//!   any work (no stage starts and no transaction is opened: the fault-point trace of
//!   `riskcensus_io::fault` shows none).
//! - Full disk: `ingest` and `run` fail with exit 1 and a message naming the path
//!   and "no space"; census.gpkg passes its integrity check; no partial output is
//!   left (no temporary file, and every output present equals the uninterrupted
//!   run's); after space is freed, the same command completes with outputs equal to
//!   the uninterrupted run's, byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{bin, copy_census, db_copy_intact, ingest_buildings};

/// `riskcensus args…`, not yet run.
fn run_cmd(args: &[&str]) -> Command {
    let mut c = bin();
    c.args(args);
    c
}

/// Every file under `dir`, recursively, sorted (none when `dir` does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// A mount made by the test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// A tmpfs of `bytes` at `dir`.
    fn tmpfs(dir: &Path, bytes: u64) -> Option<Self> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(dir.to_path_buf()))
    }

    /// `dir` bind-mounted onto itself, read-only.
    fn read_only(dir: &Path) -> Option<Self> {
        let bind = Command::new("mount")
            .arg("--bind")
            .arg(dir)
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !bind {
            return None;
        }
        let m = Mount(dir.to_path_buf());
        let ro = Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ro.then_some(m)
    }

    /// Change the tmpfs's size (freeing space, as a user would).
    fn resize(&self, bytes: u64) {
        let st = Command::new("mount")
            .args(["-o", &format!("remount,size={bytes}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(st.success(), "resizing the tmpfs at {}", self.0.display());
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// True when this process can mount (root with the capability); else a note.
fn can_mount(scratch: &Path) -> bool {
    let ok = Mount::tmpfs(&scratch.join("probe"), 1 << 20).is_some();
    if !ok {
        eprintln!("note: skipped — mounting a tmpfs needs root (make test in CI runs as root)");
    }
    ok
}

fn bytes_under(dir: &Path) -> u64 {
    files(dir)
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum()
}

/// Hidden temporary files (`.<name>.<tag>-<pid>-<n>`) anywhere under `dir`.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect()
}

/// Every file under `got/<sub>` equals the file of the same name under `want/<sub>`
/// (`complete`: and every file of `want/<sub>` is there).
fn outputs_match(want: &Path, got: &Path, complete: bool) {
    for sub in ["layers", "assess", "maps"] {
        let rel = |root: &Path| -> Vec<PathBuf> {
            files(&root.join(sub))
                .into_iter()
                .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
                .collect()
        };
        let (want_files, got_files) = (rel(want), rel(got));
        if complete {
            assert_eq!(want_files, got_files, "{sub}: different files");
        }
        for f in &got_files {
            assert!(
                want.join(f).exists(),
                "{}: not an output of the run",
                got.join(f).display()
            );
            assert!(
                std::fs::read(want.join(f)).unwrap() == std::fs::read(got.join(f)).unwrap(),
                "{}: differs from the uninterrupted run's (a partial output?)",
                got.join(f).display()
            );
        }
    }
}

#[test]
fn a_read_only_census_or_run_folder_is_named_before_any_work() {
    let d = tempfile::tempdir().unwrap();
    if !can_mount(d.path()) {
        return;
    }
    let demo = crate::util::demo_census(&d.path().join("demo"), 600.0);
    let census = d.path().join("census");
    copy_census(&demo, &census);
    let trace = d.path().join("trace.txt");
    let traced = |mut cmd: Command| {
        let _ = std::fs::remove_file(&trace);
        let o = cmd
            .env(riskcensus_io::fault::TRACE_ENV, &trace)
            .output()
            .unwrap();
        let points = std::fs::read_to_string(&trace).unwrap_or_default();
        (o, points)
    };
    let c = census.to_str().unwrap();

    {
        let _ro = Mount::read_only(&census).expect("a read-only bind mount");
        let (o, points) = traced(run_cmd(&["run", "--quiet", c]));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("read-only") && err.contains(c), "{err}");
        assert!(points.is_empty(), "work done before the check: {points}");

        let (o, points) = traced(ingest_buildings(
            &census,
            &census.join("survey/buildings.csv"),
        ));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("read-only") && err.contains(c), "{err}");
        assert!(points.is_empty(), "work done before the check: {points}");
    }

    // A writable census whose run folder is read-only: named before the survey is
    // loaded.
    let run_dir = census.join("out/r1");
    std::fs::create_dir_all(&run_dir).unwrap();
    let _ro = Mount::read_only(&run_dir).expect("a read-only bind mount");
    let (o, points) = traced(run_cmd(&["run", "--quiet", "--run-id", "r1", c]));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("read-only") && err.contains(run_dir.to_str().unwrap()),
        "{err}"
    );
    assert!(points.is_empty(), "work done before the check: {points}");
    assert!(
        !census.join("census.gpkg").exists(),
        "the survey was loaded"
    );
}

#[test]
fn a_full_disk_fails_cleanly_and_a_rerun_after_freeing_space_completes_identically() {
    let d = tempfile::tempdir().unwrap();
    if !can_mount(d.path()) {
        return;
    }
    // The uninterrupted reference: the demo's own run (census and outputs).
    let reference = d.path().join("reference");
    let o = bin()
        .args(["demo", "--resolution", "600", "--quiet", "--out"])
        .arg(&reference)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sources = bytes_under(&reference.join("census/survey"))
        + bytes_under(&reference.join("census/scenarios"))
        + 64 * 1024;
    let db_bytes = std::fs::metadata(reference.join("census/census.gpkg"))
        .unwrap()
        .len();
    let out_bytes = ["layers", "assess", "maps"]
        .iter()
        .map(|s| bytes_under(&reference.join(s)))
        .sum::<u64>();

    // 1. The survey does not fit: the load fails, census.gpkg stays intact.
    let disk = d.path().join("disk");
    let mount = Mount::tmpfs(&disk, sources + db_bytes / 4).expect("a tmpfs");
    let census = disk.join("census");
    copy_census(&reference.join("census"), &census);
    let c = census.to_str().unwrap();
    let o = ingest_buildings(&census, &census.join("survey/buildings.csv"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "ingest on a full disk: {err}");
    assert!(
        err.contains("no space") && err.contains(&format!("{c}/census.gpkg")),
        "{err}"
    );
    let db = census.join("census.gpkg");
    assert!(db_copy_intact(&db, &d.path().join("scratch")));
    assert_eq!(temporaries(&census), Vec::<PathBuf>::new());

    // 2. The survey fits, half the outputs do not: the run fails naming a path of
    // its run folder; what it wrote is complete, the rest absent.
    mount.resize(sources + db_bytes + db_bytes / 8 + out_bytes / 2);
    let o = crate::util::run(&["run", "--quiet", "--run-id", "r1", c]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "run on a full disk: {err}");
    assert!(
        err.contains("no space") && err.contains(&format!("{c}/out/r1")),
        "{err}"
    );
    assert!(db_copy_intact(&db, &d.path().join("scratch")));
    assert_eq!(temporaries(&census), Vec::<PathBuf>::new());
    outputs_match(&reference, &census.join("out/r1"), false);

    // 3. Space freed: the same command completes, equal to the uninterrupted run.
    mount.resize(4 * (sources + db_bytes + out_bytes) + (64 << 20));
    let o = crate::util::run(&["run", "--quiet", "--run-id", "r1", c]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    outputs_match(&reference, &census.join("out/r1"), true);
    assert_eq!(temporaries(&census), Vec::<PathBuf>::new());
}
