//! RiskCensus for library users: everything a service needs to run a
//! natural-disaster risk census (自然灾害综合风险普查) of a county and read its
//! results, re-exported from the crates that own it.
//!
//! A census is a folder holding `census.toml` (documented key by key in
//! `docs/census-toml.md`) and the survey files it names. [`run()`] loads what the
//! census database lacks, prepares the layer stack, runs every hazard stage, the
//! model library and zoning, and writes `manifest.json`, the maps and
//! `report.html` into `<census>/out/<run-id>/`.
//!
//! ```
//! use riskcensus::{demo, progress::NoProgress, RunOptions};
//!
//! // A census to run: the built-in synthetic demo county, on a coarse 600 m grid.
//! let dir = tempfile::tempdir()?;
//! let census = dir.path().join("census");
//! demo::generate(&census, &demo::DemoOptions { resolution_m: 600.0, ..Default::default() })?;
//!
//! // The whole run, as `riskcensus run` does it.
//! let report = riskcensus::run(&census, &RunOptions::default(), &NoProgress)?;
//! for stage in &report.stages {
//!     match &stage.skipped {
//!         Some(why) => println!("{:<10} skipped: {why}", stage.id),
//!         None => println!("{:<10} {:.1} s", stage.id, stage.seconds),
//!     }
//! }
//! // Township statistics and prevention zoning, as the planners get them.
//! let zoning = report.zoned().expect("the zoning stage always runs");
//! assert_eq!(zoning.units, 12);
//! assert!(report.layout.zoning_gpkg().exists() && report.manifest.exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A hazard of one's own is a [`Stage`] passed in [`RunOptions::extra_stages`]:
//! it reads the layer stack and the census database from its [`Context`], writes
//! its grids, and model files in `<census>/models/` score and classify them.

pub use riskcensus_engine::{
    config, executor, ingest, init, inspect, manifest, output, plan, progress, provenance, score,
    stack, stage, stages, status, tools,
};
pub use riskcensus_engine::{
    plan_census, run, run_in, write_atomic, Context, EngineError, RunOptions, RunReport, Stage,
    StageOutcome, StageRun, ENGINE_VERSION,
};

/// The contracts: `census.toml`, the run layout, `manifest.json`, table names and
/// provenance tags.
pub use riskcensus_contracts as contracts;
/// Grid geometry, tiles and level schemes.
pub use riskcensus_core as core;
/// The built-in synthetic demo county.
pub use riskcensus_demo as demo;
/// The science: model files, hazard models, loss, trends, scenarios.
pub use riskcensus_models as models;
/// Maps and the HTML report of a run.
pub use riskcensus_report as report;
