//! The built-in demo census run: generate the synthetic county, then run it through
//! the engine's library run ([`riskcensus_engine::run_in`]: ingest with the reject
//! report of the deliberately bad records, every stage, manifest, maps and report).
//!
//! Layout under the output folder: `census/` (census.toml and survey files, see
//! `docs/demo-census.md`), and the run beside it: `layers/` (the prepared COG layer
//! stack), `assess/` (hazard, risk, level and depth grids, tables, zoning.gpkg),
//! `maps/`, `report.html`, `manifest.json`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use riskcensus_contracts::layout::RunLayout;
use riskcensus_engine::config::CensusConfig;
use riskcensus_engine::progress::Progress;
use riskcensus_engine::{EngineError, RunOptions, RunReport};

use crate::{generate, DemoError, DemoOptions};

/// The folder of the demo census inside the demo's output folder.
pub const CENSUS_DIR: &str = "census";

/// What the demo run produced.
#[derive(Debug, Clone)]
pub struct DemoReport {
    /// The generated census folder (`<out>/census`).
    pub census_dir: PathBuf,
    /// Survey files written: (source id, path, records or cells).
    pub files: Vec<(String, PathBuf, u64)>,
    /// Seconds to generate the survey files.
    pub generate_seconds: f64,
    /// The run (ingest included).
    pub run: RunReport,
    /// Seconds of the run.
    pub run_seconds: f64,
}

impl DemoReport {
    /// The census that ran.
    pub fn census(&self) -> &CensusConfig {
        &self.run.census
    }

    /// The prepared layer stack's folder (`<out>/layers`).
    pub fn layers_dir(&self) -> PathBuf {
        self.run.layout.layers()
    }

    /// The assessment folder (`<out>/assess`).
    pub fn assess_dir(&self) -> PathBuf {
        self.run.layout.assess()
    }
}

/// An error of the demo: generating the county or running it.
#[derive(Debug, thiserror::Error)]
pub enum DemoRunError {
    /// The survey files could not be generated.
    #[error("demo census")]
    Generate(#[from] DemoError),
    /// The engine failed on the demo census.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl DemoRunError {
    /// True when the user's input (options) is at fault: exit code 2.
    pub fn is_input_error(&self) -> bool {
        match self {
            DemoRunError::Generate(_) => false,
            DemoRunError::Engine(e) => e.is_input_error(),
        }
    }
}

/// Generate the demo census into `dir` and load every survey source into its
/// database, without running the stages (for tests and services that run them
/// themselves). A source that cannot be loaded is an error naming it; rejected
/// records stay in `_rejects` as with `riskcensus ingest`.
pub fn ingested_demo_census(dir: &Path, demo: &DemoOptions) -> Result<CensusConfig, DemoRunError> {
    generate(dir, demo)?;
    let census = CensusConfig::load(dir)?;
    for (_, r) in riskcensus_engine::ingest::ingest_census_sources(&census)? {
        r.map_err(riskcensus_engine::ingest::engine_error)?;
    }
    Ok(census)
}

/// Generate the demo census under `out/census` and run it into `out`.
pub fn run_demo(
    out: &Path,
    demo: &DemoOptions,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<DemoReport, DemoRunError> {
    let census_dir = out.join(CENSUS_DIR);
    let t0 = Instant::now();
    progress.start("demo: generate census", 1);
    let summary = generate(&census_dir, demo)?;
    progress.advance(1);
    progress.finish("demo: generate census");
    let generate_seconds = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let run = riskcensus_engine::run_in(&census_dir, &RunLayout::new(out), opts, progress)?;
    Ok(DemoReport {
        census_dir,
        files: summary.files,
        generate_seconds,
        run,
        run_seconds: t1.elapsed().as_secs_f64(),
    })
}
