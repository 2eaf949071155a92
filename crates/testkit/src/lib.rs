//! Test kit (dev-only): seeded synthetic grids, raster comparison with explicit
//! tolerances, and the pipeline tester that runs one stage through every execution
//! path and demands identical bytes.

pub mod compare;
pub mod pipeline;
pub mod synthetic;

pub use compare::{assert_rasters_close, RasterDiff};
pub use pipeline::PipelineTester;
pub use synthetic::{synthetic_surface, write_synthetic_layer};

use std::path::PathBuf;

/// The repository's `fixtures/` folder.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}
