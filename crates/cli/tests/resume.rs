//! `riskcensus run` killed part-way and run again gives the same outputs as an
//! uninterrupted run: stages whose outputs are current (cache keys, parameter hashes
//! and input digests in their tags) are kept, the rest are rebuilt, and atomic writes
//! mean a killed run leaves nothing half-written under a final name.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_riskcensus"))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

#[test]
fn run_killed_then_resumed_equals_an_uninterrupted_run() {
    let d = tempfile::tempdir().unwrap();
    let demo = d.path().join("demo");
    // The uninterrupted reference: the demo's own run.
    let o = bin()
        .args(["demo", "--resolution", "150", "--quiet", "--out"])
        .arg(&demo)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let census = demo.join("census");

    // Kill runs at several points (whatever stage each reaches), then finish.
    for delay_ms in [1500u64, 4000] {
        let mut child = bin()
            .args(["run", "--quiet", "--run-id", "r1"])
            .arg(&census)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
    }
    let o = bin()
        .args(["run", "--quiet", "--run-id", "r1"])
        .arg(&census)
        .output()
        .unwrap();
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
}
