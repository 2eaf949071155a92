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

/// The repository's root folder.
pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The repository's `fixtures/` folder.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Band 1 of a raster, whole, as `f32` (nodata → NaN for float bands).
pub fn read_raster(path: &std::path::Path) -> ndarray::Array2<f32> {
    let r = riskcensus_io::RasterReader::open(path, 1)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let g = r.info().grid().expect("a north-up raster");
    r.read_f32(g.full_window())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The files directly inside `dir` (not its folders), sorted by path.
pub fn files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}
