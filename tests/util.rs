//! Running the `riskcensus` binary from the suite.

use std::path::Path;
use std::process::{Command, Output};

use riskcensus_testkit::files;

/// The `riskcensus` binary built for this test run.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_riskcensus"))
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
