//! The built-in demo census: generate the synthetic county, ingest its survey
//! layers into the census database (`census/census.gpkg`, with the reject report of
//! the deliberately bad records), then run the pipeline as far as the engine goes
//! (prepare → flood depth screen → assess).
//!
//! Layout under the output folder: `census/` (census.toml and survey files, see
//! `docs/demo-census.md`), `layers/` (the prepared COG layer stack) and `assess/`
//! (hazard, level and depth grids).

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use riskcensus_demo::{study_area_m2, DemoOptions};

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::ingest::{ingest_census_sources, IngestReport};
use crate::pipeline::{run_pipeline, RunReport};
use crate::progress::Progress;

/// What the demo run produced.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub census_dir: PathBuf,
    pub layers_dir: PathBuf,
    pub census: CensusConfig,
    pub assess_dir: PathBuf,
    pub files: Vec<(String, PathBuf, u64)>,
    /// Per vector/table source: the ingest report, or the whole-source error.
    pub ingested: Vec<(String, Result<IngestReport, String>)>,
    pub ingest_seconds: f64,
    pub run: RunReport,
    pub generate_seconds: f64,
    /// Wall time of prepare + assess.
    pub run_seconds: f64,
}

/// Generate the demo census into `dir` and load every survey source into its
/// database, without preparing or assessing it (for tests and services that run
/// the stages themselves). A source that cannot be loaded is an error naming it;
/// rejected records stay in `_rejects` as with `riskcensus ingest`.
pub fn ingested_demo_census(dir: &Path, demo: &DemoOptions) -> Result<CensusConfig, EngineError> {
    riskcensus_demo::generate(dir, demo)?;
    let census = CensusConfig::load(dir)?;
    for (_, r) in ingest_census_sources(&census)? {
        r.map_err(crate::ingest::engine_error)?;
    }
    Ok(census)
}

/// Generate the demo census under `out/census`, prepare its layers under
/// `out/layers` and assess it into `out/assess`.
pub fn run_demo(
    out: &Path,
    demo: &DemoOptions,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<DemoReport, EngineError> {
    let census_dir = out.join("census");
    let layers_dir = out.join("layers");
    let t0 = Instant::now();
    progress.start("demo: generate census", 1);
    let summary = riskcensus_demo::generate(&census_dir, demo)?;
    progress.advance(1);
    progress.finish("demo: generate census");
    let generate_seconds = t0.elapsed().as_secs_f64();
    let census = CensusConfig::load(&census_dir)?;
    let ti = Instant::now();
    progress.start("demo: ingest survey layers", 1);
    let ingested = ingest_census_sources(&census)?
        .into_iter()
        .map(|(id, r)| (id, r.map_err(|e| e.to_string())))
        .collect();
    progress.advance(1);
    progress.finish("demo: ingest survey layers");
    let ingest_seconds = ti.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let assess_dir = out.join("assess");
    let run = run_pipeline(&census, &layers_dir, &assess_dir, &[], exec, progress)?;
    crate::manifest::write(&census, &run, out, &[&layers_dir, &assess_dir])?;
    Ok(DemoReport {
        census_dir,
        layers_dir,
        assess_dir,
        census,
        files: summary.files,
        ingested,
        ingest_seconds,
        run,
        generate_seconds,
        run_seconds: t1.elapsed().as_secs_f64(),
    })
}
