//! `manifest.json`: what a run used and produced — engine and GDAL versions, the
//! census and its grid, every input source with its SHA-256, the models and
//! operators with their versions and parameter hashes, seeds, class breaks, the
//! zoning options, every output file with its SHA-256, and the stage timings.
//!
//! Paths are relative to the census folder (inputs) or the run folder (outputs), so
//! the manifest does not depend on where the census lives. Everything but `timings`
//! is a function of the inputs: two runs on the same inputs give manifests equal
//! after removing `timings`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskcensus_contracts::layout::MANIFEST;

use crate::error::EngineError;
use crate::run::RunReport;

pub use riskcensus_contracts::manifest::{CensusEntry, FileEntry, Manifest, ModelEntry};

fn rel(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), EngineError> {
    if !dir.is_dir() {
        return Ok(());
    }
    for e in std::fs::read_dir(dir).map_err(EngineError::fs(dir))? {
        let p = e.map_err(EngineError::fs(dir))?.path();
        if p.is_dir() {
            files_under(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// Build the manifest of a finished run: its outputs are the files of the run's
/// layer and assessment folders, written relative to the run folder.
pub fn build(report: &RunReport) -> Result<Manifest, EngineError> {
    let census = &report.census;
    let run_dir = report.layout.dir.as_path();
    let output_dirs = report.layout.output_dirs();
    let mut inputs = Vec::new();
    let sources = census
        .rasters
        .iter()
        .map(|r| (&r.id, &r.path))
        .chain(census.vectors.iter().map(|v| (&v.id, &v.path)))
        .chain(census.tables.iter().map(|t| (&t.id, &t.path)));
    for (id, path) in sources {
        inputs.push(FileEntry {
            id: id.clone(),
            path: path.display().to_string(),
            sha256: riskcensus_io::digest::file_sha256(&census.source_path(path))?,
        });
    }
    inputs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut models: Vec<ModelEntry> = report
        .assessed()
        .map(|a| a.runs.as_slice())
        .unwrap_or_default()
        .iter()
        .map(crate::score::ModelRun::entry)
        .collect();
    models.extend(report.operators().cloned());
    models.sort_by(|a, b| a.id.cmp(&b.id).then(a.output.cmp(&b.output)));
    let mut seeds = BTreeMap::from([("census".to_string(), census.census.seed.unwrap_or(0))]);
    seeds.extend(report.seeds().map(|(k, v)| (k.clone(), *v)));
    let mut files = Vec::new();
    for d in &output_dirs {
        files_under(d, &mut files)?;
    }
    let mut outputs = Vec::new();
    for f in files {
        let name = rel(run_dir, &f);
        if name == MANIFEST || name.ends_with(".partial") || name.contains("/.") {
            continue;
        }
        outputs.push(FileEntry {
            id: f
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: riskcensus_io::digest::file_sha256(&f)?,
            path: name,
        });
    }
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Manifest {
        engine_version: crate::ENGINE_VERSION.into(),
        gdal_version: riskcensus_io::gdal_version(),
        census: CensusEntry {
            dir: relative_dir(run_dir, &census.dir),
            name: census.census.name.clone(),
            code: census.census.code.clone(),
            grid: census.grid.clone(),
        },
        inputs,
        models,
        hazards: report.hazards.clone(),
        seeds,
        zoning: serde_json::to_value(report.zoned()).expect("serialisable"),
        outputs,
        timings: report.timings.iter().cloned().collect(),
    })
}

/// Write the run's `manifest.json` (atomically) and return its path.
pub fn write(report: &RunReport) -> Result<PathBuf, EngineError> {
    let run_dir = report.layout.dir.as_path();
    let m = build(report)?;
    let mut v = serde_json::to_value(&m).expect("serialisable");
    // Paths inside the zoning report are absolute: keep them relative to the run.
    relativise(&mut v, run_dir);
    let path = run_dir.join(MANIFEST);
    riskcensus_io::files::write_atomic(
        &path,
        serde_json::to_string_pretty(&v)
            .expect("serialisable")
            .as_bytes(),
    )?;
    Ok(path)
}

fn relativise(v: &mut serde_json::Value, base: &Path) {
    match v {
        serde_json::Value::String(s) => {
            let p = Path::new(s.as_str());
            if p.is_absolute() {
                *s = rel(base, p);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| relativise(x, base)),
        serde_json::Value::Object(o) => o.values_mut().for_each(|x| relativise(x, base)),
        _ => {}
    }
}

/// `to` relative to `from` (both folders), `/`-separated; absolute when they share
/// no prefix.
fn relative_dir(from: &Path, to: &Path) -> String {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (f, t) = (canon(from), canon(to));
    let fc: Vec<_> = f.components().collect();
    let tc: Vec<_> = t.components().collect();
    let common = fc.iter().zip(&tc).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return t.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".into(); fc.len() - common];
    parts.extend(
        tc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}
