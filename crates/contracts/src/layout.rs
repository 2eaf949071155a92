//! The census folder and the run folder: every folder and file name a census or a
//! run holds, written once.
//!
//! ```text
//! <census>/                      a census workspace
//!   census.toml                  CENSUS_FILE (census_toml)
//!   census.gpkg                  CENSUS_DB, the census database (+ census.gpkg.lock)
//!   models/                      MODELS_DIR, the census's own model files (overrides)
//!   out/<run-id>/                OUT_DIR, one folder per run (a RunLayout)
//!     layers/                    the prepared layer stack (COGs)
//!     assess/                    hazard, risk, level and prevention grids, tables,
//!       zoning.gpkg              the zoning GeoPackage
//!     maps/                      PNG maps
//!     report.html                the report
//!     manifest.json              provenance of the run
//! ```
//!
//! The built-in demo uses the same run layout with the census folder inside it
//! (`out/demo/census`, `out/demo/layers`, …).

use std::path::{Path, PathBuf};

/// The census configuration inside a census folder.
pub const CENSUS_FILE: &str = "census.toml";
/// The census database inside a census folder.
pub const CENSUS_DB: &str = "census.gpkg";
/// The census's own model files (overrides and additions of the shipped library).
pub const MODELS_DIR: &str = "models";
/// The folder of a census that holds its runs (`out/<run-id>`).
pub const OUT_DIR: &str = "out";
/// The run id `riskcensus run` uses when none is given.
pub const DEFAULT_RUN_ID: &str = "latest";

/// Subfolder of a run: the prepared layer stack.
pub const LAYERS: &str = "layers";
/// Subfolder of a run: the assessment outputs (grids, tables, zoning GeoPackage).
pub const ASSESS: &str = "assess";
/// Subfolder of a run: the maps.
pub const MAPS: &str = "maps";
/// The report of a run.
pub const REPORT_HTML: &str = "report.html";
/// The provenance of a run.
pub const MANIFEST: &str = "manifest.json";
/// The zoning GeoPackage, inside [`ASSESS`].
pub const ZONING_GPKG: &str = "zoning.gpkg";

/// The folders and files of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunLayout {
    /// The run folder.
    pub dir: PathBuf,
}

impl RunLayout {
    /// The layout of the run folder `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The run `<census>/out/<run_id>` of a census folder.
    pub fn of_census(census_dir: &Path, run_id: &str) -> Self {
        Self::new(census_dir.join(OUT_DIR).join(run_id))
    }

    /// `<run>/layers`: the prepared layer stack.
    pub fn layers(&self) -> PathBuf {
        self.dir.join(LAYERS)
    }

    /// `<run>/assess`: hazard, risk, level and prevention grids and tables.
    pub fn assess(&self) -> PathBuf {
        self.dir.join(ASSESS)
    }

    /// `<run>/maps`.
    pub fn maps(&self) -> PathBuf {
        self.dir.join(MAPS)
    }

    /// `<run>/report.html`.
    pub fn report_html(&self) -> PathBuf {
        self.dir.join(REPORT_HTML)
    }

    /// `<run>/manifest.json`.
    pub fn manifest(&self) -> PathBuf {
        self.dir.join(MANIFEST)
    }

    /// `<run>/assess/zoning.gpkg`.
    pub fn zoning_gpkg(&self) -> PathBuf {
        self.assess().join(ZONING_GPKG)
    }

    /// The folders whose files the manifest lists as outputs.
    pub fn output_dirs(&self) -> [PathBuf; 2] {
        [self.layers(), self.assess()]
    }
}

/// A run id names the folder `out/<run-id>`: a plain folder name by
/// [`riskcensus_core::names::check_folder_name`] (1 to 100 bytes, no path separator
/// or control character, not starting with `.`); the error names the value and the
/// rule.
pub fn check_run_id(run_id: &str) -> Result<(), String> {
    riskcensus_core::names::check_folder_name("run id", run_id).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_folders() {
        let r = RunLayout::of_census(Path::new("c"), "spring");
        assert_eq!(r.dir, Path::new("c/out/spring"));
        assert_eq!(
            r.zoning_gpkg(),
            Path::new("c/out/spring/assess/zoning.gpkg")
        );
        assert_eq!(r.manifest(), Path::new("c/out/spring/manifest.json"));
        assert!(check_run_id("2026-spring").is_ok());
        for bad in ["", "a/b", ".hidden", "a\\b", "..", "a\nb", &"r".repeat(101)] {
            assert!(check_run_id(bad).is_err(), "{bad}");
        }
    }
}
