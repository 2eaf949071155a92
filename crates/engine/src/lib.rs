//! RiskCensus as a library: the engine other services call.
//!
//! - [`run()`]: a whole census run — ingest what the database lacks, the stages,
//!   `manifest.json`, maps and report — with [`RunOptions`] and a [`progress`] sink;
//! - [`stage`]: the interface every stage implements and the context it runs in;
//!   [`stages`]: the built-in stages, one folder each (prepare, flood, earthquake,
//!   geohazard, wildfire, assess, comprehensive, capacity, zoning);
//! - [`admin`]: the census's admin units on the grid (townships, villages) and their
//!   attributes;
//! - [`config`]: `census.toml` as validated types; [`ingest`]: the census database;
//! - [`loss`]: the loss records the loss-model stages publish for the risk stage;
//!   [`deliverable`]: a table a stage delivers as CSV and as a `zoning.gpkg` layer;
//! - [`stack`]: the layer stack stages read and extend; [`output`]: how stages write;
//!   [`score`]: scoring model files over the stack (the assess stage's machinery);
//! - [`executor`]: the tiled executor (read → score with rayon → write in tile
//!   order); [`progress`]: the trait through which the library reports progress
//!   (it never prints);
//! - [`tools`]: standalone tools outside a run (class breaks, zonal statistics);
//!   [`inspect`]: describe a raster or a census.
//!
//! The library never builds the global rayon pool: pass a thread count in
//! [`executor::ExecOptions`] and a local pool is used.
//!
//! ```no_run
//! use riskcensus_engine::{run, RunOptions, progress::NoProgress};
//! let report = run(std::path::Path::new("my-county"), &RunOptions::default(), &NoProgress)?;
//! for s in &report.stages {
//!     match &s.skipped {
//!         Some(why) => println!("{}: skipped ({why})", s.id),
//!         None => println!("{}: {:.1} s", s.id, s.seconds),
//!     }
//! }
//! # Ok::<(), riskcensus_engine::EngineError>(())
//! ```

pub mod admin;
pub mod config;
pub mod deliverable;
pub mod error;
pub mod executor;
pub mod ingest;
pub mod init;
pub mod inspect;
pub mod loss;
pub mod manifest;
pub mod output;
pub mod plan;
pub mod progress;
pub mod provenance;
pub mod run;
pub mod score;
pub mod stack;
pub mod stage;
pub mod stages;
pub mod status;
pub mod tools;

pub use error::EngineError;
/// Atomic whole-file writes, for library users and the CLI.
pub use riskcensus_io::files::write_atomic;
pub use run::{plan_census, run, run_in, RunOptions, RunReport, StageRun};
pub use stage::{Context, Stage, StageOutcome};

/// The engine's version, written into every output's provenance.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
