//! The seeded synthetic demo county of RiskCensus (演示县, code 370999): a census
//! workspace with every survey layer, in the formats survey teams hand over.
//!
//! [`generate`] writes `census.toml` and `survey/…` into a folder. The same
//! [`DemoOptions`] give byte-identical files. See `docs/demo-census.md` for the county,
//! every layer (format, CRS, encoding, fields, units) and the deliberately bad records.
//!
//! Modules:
//! - [`noise`]: seeded gradient noise and fBm;
//! - [`landscape`]: terrain, rivers, faults and reservoir as functions of (x, y);
//! - [`admin`]: county boundary, townships and villages;
//! - `rasters`, `vectors`, `tables`: the writers of each survey layer;
//! - [`config`]: the `census.toml` written for the workspace;
//! - [`run`]: the built-in demo run (generate, then the engine's library run).

use std::path::{Path, PathBuf};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use riskcensus_core::GridSpec;
use riskcensus_io::IoError;

pub mod admin;
pub mod config;
pub mod landscape;
pub mod noise;
mod rasters;
pub mod run;
mod scenarios;
mod tables;
mod vectors;

pub use run::{ingested_demo_census, run_demo, DemoReport, DemoRunError, CENSUS_DIR};

/// Fixed timestamp written where a format records one (GeoPackage, DBF header).
pub const FIXED_TIMESTAMP: &str = "2026-01-01T00:00:00Z";

/// Census cell size of the committed fixture `fixtures/demo-small`.
pub const FIXTURE_RESOLUTION_M: f64 = 150.0;

/// Options of the demo census.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoOptions {
    /// Census cell size in metres (default 30): 30 → 1147 × 880 ≈ 1.0 M cells,
    /// 10 → 3440 × 2640 ≈ 9.1 M. Source rasters scale with it; record counts do not.
    pub resolution_m: f64,
    /// Seed of every random choice (default 20260101).
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            resolution_m: 30.0,
            seed: 20260101,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    /// The census grid written to `census.toml`.
    pub grid: GridSpec,
    /// (layer id, path, records or cells) per layer, in `census.toml` order.
    pub files: Vec<(String, PathBuf, u64)>,
}

/// An error generating the demo census: the option, or the layer and file at fault.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// [`DemoOptions::resolution_m`] is not finite or outside 5–2000 m.
    #[error("resolution_m must be finite and between 5 and 2000 m, got {0}")]
    BadResolution(f64),
    /// Writing a layer through the io crate (GDAL, PROJ) failed.
    #[error("layer {layer}: {path}: {source}")]
    Io {
        /// The layer (source id) being written.
        layer: String,
        /// Its file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: IoError,
    },
    /// A file-system operation failed.
    #[error("layer {layer}: {path}: {source}")]
    Fs {
        /// The layer (source id) being written, or `survey` / `census` for the
        /// folder and `census.toml`.
        layer: String,
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Text of a layer has a character the file's encoding cannot represent.
    #[error("layer {layer}: {path}: text cannot be encoded as {encoding}")]
    Encoding {
        /// The layer (source id) being written.
        layer: String,
        /// Its file.
        path: PathBuf,
        /// The encoding (`GBK`).
        encoding: &'static str,
    },
    /// `census.toml` could not be serialised.
    #[error("{path}: cannot serialise census.toml: {source}")]
    Config {
        /// The `census.toml` being written.
        path: PathBuf,
        /// The cause.
        #[source]
        source: toml::ser::Error,
    },
    /// The census grid covering the study area at the resolution is invalid.
    #[error("grid: {0}")]
    Grid(#[from] riskcensus_core::GridError),
}

/// Everything the layer writers share.
pub(crate) struct Ctx<'a> {
    pub dir: &'a Path,
    pub opts: &'a DemoOptions,
    pub land: landscape::Landscape,
    pub admin: admin::Admin,
    pub cfg: config::CensusConfig,
    pub files: Vec<(String, PathBuf, u64)>,
    /// Hidden-danger points planning relocation (计划搬迁): (id, people).
    pub relocations: Vec<(String, i32)>,
}

impl Ctx<'_> {
    /// A random stream for one layer: independent of how many draws other layers make.
    pub fn rng(&self, stream: u64) -> ChaCha8Rng {
        let mut r = ChaCha8Rng::seed_from_u64(self.opts.seed);
        r.set_stream(stream);
        r
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn io_err(&self, layer: &str, rel: &str) -> impl FnOnce(IoError) -> DemoError {
        let (layer, path) = (layer.to_string(), self.path(rel));
        move |source| DemoError::Io {
            layer,
            path,
            source,
        }
    }

    pub fn fs_err(&self, layer: &str, rel: &str) -> impl FnOnce(std::io::Error) -> DemoError {
        let (layer, path) = (layer.to_string(), self.path(rel));
        move |source| DemoError::Fs {
            layer,
            path,
            source,
        }
    }

    pub fn record(&mut self, id: &str, rel: &str, n: u64) {
        self.files.push((id.to_string(), self.path(rel), n));
    }
}

/// Area of the study area (the census grid extent, m²): 34.4 km × 26.4 km =
/// 908.16 km², the bounding rectangle of the ≈ 815 km² county with a margin.
/// Dividing it by a cell count gives the cell area of a `--cells` request.
pub fn study_area_m2() -> f64 {
    landscape::study_area_m2()
}

/// Write the demo census workspace into `dir` (created if missing): `census.toml`
/// and `survey/…`. Existing files of the same names are replaced.
pub fn generate(dir: &Path, opts: &DemoOptions) -> Result<DemoSummary, DemoError> {
    let res = opts.resolution_m;
    if !(res.is_finite() && (5.0..=2_000.0).contains(&res)) {
        return Err(DemoError::BadResolution(res));
    }
    let survey = dir.join("survey");
    std::fs::create_dir_all(&survey).map_err(|source| DemoError::Fs {
        layer: "survey".into(),
        path: survey.clone(),
        source,
    })?;
    let grid = GridSpec::covering(
        landscape::CRS,
        landscape::X0,
        landscape::Y0,
        landscape::X1,
        landscape::Y1,
        res,
    )?;
    let land = landscape::Landscape::new(opts.seed);
    let mut rng = {
        let mut r = ChaCha8Rng::seed_from_u64(opts.seed);
        r.set_stream(1);
        r
    };
    let admin = admin::build(&land, &mut rng);
    let mut ctx = Ctx {
        dir,
        opts,
        land,
        admin,
        cfg: config::new_config(opts.seed, &grid),
        files: Vec::new(),
        relocations: Vec::new(),
    };
    rasters::write_all(&mut ctx)?;
    vectors::write_all(&mut ctx)?;
    tables::write_all(&mut ctx)?;
    tables::write_readme(&mut ctx)?;
    scenarios::write_all(&mut ctx)?;
    config::write_config(
        &ctx.cfg,
        &dir.join(riskcensus_contracts::layout::CENSUS_FILE),
    )?;
    Ok(DemoSummary {
        grid,
        files: ctx.files,
    })
}
