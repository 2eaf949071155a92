//! Every committed input of the fuzz targets — the seed corpora (`fuzz/corpus/`) and
//! the inputs that once crashed (`fuzz/regressions/`) — replayed through its
//! target on the stable toolchain: none may panic.

use std::path::{Path, PathBuf};

use riskcensus_fuzzing::{target, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `fuzz/<kind>/<target>/`, per target folder; a folder that names no
/// target is an error.
fn inputs(kind: &str) -> Vec<(String, PathBuf)> {
    let root = fuzz_dir().join(kind);
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return out;
    };
    for d in dirs {
        let d = d.unwrap().path();
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            target(&name).is_some(),
            "fuzz/{kind}/{name} names no fuzz target"
        );
        for f in std::fs::read_dir(&d).unwrap() {
            out.push((name.clone(), f.unwrap().path()));
        }
    }
    out.sort();
    out
}

fn replay(kind: &str) -> usize {
    let mut failed = Vec::new();
    let all = inputs(kind);
    for (name, path) in &all {
        let bytes = std::fs::read(path).unwrap();
        let run = target(name).unwrap().run;
        if let Err(p) = std::panic::catch_unwind(|| run(&bytes)) {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(format!("{}: {msg}", path.display()));
        }
    }
    assert!(failed.is_empty(), "panicked:\n{}", failed.join("\n"));
    all.len()
}

#[test]
fn every_target_has_a_seed_corpus_that_replays_without_panic() {
    let n = replay("corpus");
    for t in TARGETS {
        let dir = fuzz_dir().join("corpus").join(t.name);
        let seeds = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
        assert!(seeds > 0, "fuzz/corpus/{} has no seed", t.name);
    }
    assert!(n >= TARGETS.len());
}

#[test]
fn every_regression_input_replays_without_panic() {
    replay("regressions");
}

/// The selector bytes of the seeds match the parsers: every shipped model file is
/// accepted by the parser its seed selects (a wrong selector table would fuzz the
/// parsers with files they refuse at once).
#[test]
fn model_file_seeds_are_accepted_by_the_parser_they_select() {
    let run = target("model_files").unwrap().run;
    let mut refused = Vec::new();
    for (_, path) in inputs("corpus") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.parent().unwrap().ends_with("model_files") && name.starts_with("seed-") {
            if let Err(e) = run(&std::fs::read(&path).unwrap()) {
                refused.push(format!("{name}: {e}"));
            }
        }
    }
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}

/// The survey seeds of good files validate (the layer byte picks the right layer).
#[test]
fn good_survey_seeds_are_accepted() {
    let run = target("survey_values").unwrap().run;
    let corpus = fuzz_dir().join("corpus/survey_values");
    for seed in [
        "seed-buildings.csv",
        "seed-community_capacity.csv",
        "seed-mapping-buildings",
        "seed-weather_daily.csv",
    ] {
        let bytes = std::fs::read(corpus.join(seed)).unwrap();
        if let Err(e) = run(&bytes) {
            panic!("{seed}: {e}");
        }
    }
}

/// What the fuzzer's 2 KB inputs do not reach: a 16 MB quoted field holding NUL
/// bytes, quotes, CR and LF reads as one value, and the record after it keeps its
/// line number.
#[test]
fn huge_quoted_field_with_nul_bytes_and_line_breaks_reads() {
    use riskcensus_survey::source::{ReadOptions, Source, SrcVal};
    let mut csv = b"id,lon,lat,note\n1,117.0,36.2,\"".to_vec();
    let chunk = b"\0\"\"\r\n\xe6\xbb\x91\xe5\x9d\xa1,";
    let mut breaks = 0;
    while csv.len() < 16 << 20 {
        csv.extend_from_slice(chunk);
        breaks += 1;
    }
    csv.extend_from_slice(b"\"\n2,117.1,36.3,x\n");
    assert!((target("csv_source").unwrap().run)(&csv).is_ok());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    std::fs::write(&path, &csv).unwrap();
    let opts = ReadOptions {
        wants_geometry: true,
        ..Default::default()
    };
    let mut seen = Vec::new();
    Source::open(&path, &opts)
        .unwrap()
        .for_each(|r| {
            let note = match &r.values[3] {
                SrcVal::Text(t) => t.len(),
                _ => 0,
            };
            seen.push((r.at.row, r.at.line, note));
            Ok(())
        })
        .unwrap();
    // The note of row 1 is every chunk with its `""` unquoted to `"` (one byte less
    // per chunk); NUL and `,` are not blanks, so trimming keeps them.
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].2, breaks * (chunk.len() - 1));
    assert_eq!(seen[1].0, 2);
    assert_eq!(seen[1].1, Some(3 + breaks as u64));
}
