//! RiskCensus as a library: the facade other services call.
//!
//! - [`config`]: the census workspace (`census.toml`) as validated types;
//! - [`executor`]: the tiled executor — plan tiles with halo, read → score with
//!   rayon → write in tile order through one writer;
//! - [`progress`]: the small trait through which stages report progress (the
//!   library never prints);
//! - [`prepare`]: the stage that builds the census layer stack: rasters warped onto
//!   the census grid, [`terrain`] derivatives of the DEM and [`distance`] layers, all
//!   cached COGs;
//! - [`demo`]: the built-in demo census, generated and prepared.
//!
//! The library never builds the global rayon pool: pass a thread count in
//! [`executor::ExecOptions`] and a local pool is used.
//!
//! ```no_run
//! use riskcensus_engine::{config::CensusConfig, prepare, progress::NoProgress, executor::ExecOptions};
//! let census = CensusConfig::load(std::path::Path::new("out/demo/census"))?;
//! let report = prepare::prepare(&census, std::path::Path::new("out/demo/layers"), &ExecOptions::default(), &NoProgress)?;
//! for layer in &report.layers {
//!     println!("{} -> {} ({})", layer.id, layer.path.display(), if layer.cached { "cached" } else { "built" });
//! }
//! # Ok::<(), riskcensus_engine::EngineError>(())
//! ```

pub mod assess;
pub mod config;
pub mod demo;
pub mod distance;
pub mod earthquake;
pub mod error;
pub mod executor;
pub mod exposure;
pub mod flood_damage;
pub mod geohazard;
pub mod ingest;
pub mod inspect;
pub mod inundation;
pub mod manifest;
pub mod pipeline;
pub mod prepare;
pub mod prevention;
pub mod progress;
pub mod provenance;
pub mod shelter;
pub mod terrain;
pub mod units;
pub mod wildfire;
pub mod zonal;
pub mod zoning;

pub use error::EngineError;
/// Atomic whole-file writes, for library users and the CLI.
pub use riskcensus_io::files::write_atomic;

/// The engine's version, written into every output's provenance.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
