//! Helpers shared by the survey crate's test files: a census on a fixture set's
//! `census.toml`, and ingest options.

use std::path::{Path, PathBuf};

use riskcensus_survey::{Census, IngestOptions};

/// `fixtures/<set>` of the repository.
pub fn fixtures(set: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(set)
}

/// A fresh census (temporary folder) on `fixtures/<set>/census.toml`.
pub fn census(set: &str) -> (tempfile::TempDir, Census) {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures(set).join("census.toml"),
        d.path().join("census.toml"),
    )
    .unwrap();
    let c = Census::open(d.path()).unwrap();
    (d, c)
}

/// Options loading into census layer `layer`, with an optional source CRS.
pub fn opts(layer: &str, crs: Option<&str>) -> IngestOptions {
    IngestOptions {
        layer: layer.into(),
        source_crs: crs.map(Into::into),
        ..Default::default()
    }
}
