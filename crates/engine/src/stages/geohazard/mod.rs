//! Geological-hazard susceptibility, hazard and hidden-danger candidates (issue 7).
//!
//! Two entries share one core ([`fit_grid`]):
//!
//! - [`train_standalone`] — the `riskcensus susceptibility` command: aligned factor
//!   **class rasters** (any integer codes; each distinct value is a class) and an
//!   inventory of points (CSV with `x`, `y` in the rasters' CRS and an optional
//!   `type` column, or any OGR vector file in that CRS) → `susceptibility.tif`,
//!   `susceptibility_level.tif` and the model report;
//! - [`run_geohazard`] — the census stage: the factors of `models/geohazard.toml`
//!   classified from the prepared layer stack (lithology rasterized from the
//!   `lithology` source's `code` field, I–IV → 1–4), the `hidden_dangers` of the
//!   census database as inventory → `geohazard_susceptibility`, `geohazard_hazard`,
//!   their `_level` grids, the report, and the hidden-danger candidates.
//!
//! Core, in order: class grids → valid mask (every factor has a class) → hazard
//! cells, buffered seeded non-hazard cells and the stratified split
//! (`models::geohazard::sampling`) → the minimum-count check → class counts over
//! the study area (every valid cell) and the training hazard cells → the model
//! (IV/FR/CF/LR/expert) → raw scores per cell → ROC/AUC on the test samples, success
//! rate (training hazard cells) and prediction rate (test hazard cells) → the
//! spatially blocked k-fold cross-validation (`[cross_validation]`: blocks of
//! `block_m` metres or townships; mean and per-fold held-out AUC beside the random
//! split's) → the index normalised to [0, 1] (min–max over valid cells, reported)
//! → four levels (geohazard4: 1 极高 … 4 低, 0 nodata) by natural or fixed breaks.
//!
//! **Hazard** = S_n · (base + (1 − base) · T), T = clamp((R − x0)/(x1 − x0), 0, 1), R the
//! trigger rainfall layer (`[trigger]` of the parameter file); NaN where either is
//! nodata. **Candidates** (隐患点候选): cells of susceptibility level 1 or 2 with at
//! least one building (`buildings_count` > 0) and no registered hidden-danger point
//! (any type) within the sampling buffer — the next field check's list, written as a
//! u8 grid (1 = candidate, 0 = not) and a CSV table per cell with its township and
//! village, plus a per-village summary.
//!
//! Grids: census CRS, (x, y) axis order, north-up; f32 outputs with NaN nodata, u8
//! levels with 0 nodata. Everything is deterministic for a given seed (the seed is
//! in the report).
//!
//! The stage's files, one job each:
//!
//! - [`params`]: the parameter file `geohazard/geohazard.toml` of the model library;
//! - [`fit`]: [`fit_grid`], the core both entries share (the model library's fit,
//!   then the normalised index, its levels and the report);
//! - [`cv`]: the spatially blocked cross-validation of a fit (blocks or townships);
//! - [`levels`]: the four-level breaks of an index (the zoning crate's solver);
//! - [`inventory`]: hazard-point inventories (CSV or vector), type filter, bounds check;
//! - [`hidden_dangers`]: the `hidden_dangers` records of the census database;
//! - [`lithology`]: the `lithology` source rasterized to rock-group classes 1–4;
//! - [`hazard`]: the hazard grids (susceptibility × rainfall trigger) and their levels;
//! - [`candidates`]: the hidden-danger candidate grid and its cell and village tables;
//! - [`threat`]: the threat grids and table of the hidden-danger points;
//! - [`model_report`]: the model report (`report.json` and its CSV tables);
//! - [`standalone`]: [`train_standalone`], the `riskcensus susceptibility` command.

pub mod candidates;
pub mod cv;
pub mod fit;
pub mod hazard;
pub mod hidden_dangers;
pub mod inventory;
pub mod levels;
pub mod lithology;
pub mod model_report;
pub mod params;
pub mod prevention;
pub mod standalone;
pub mod threat;

use std::path::{Path, PathBuf};

use riskcensus_core::{GridSpec, LevelScheme};
pub use riskcensus_models::geohazard::{
    CvBy, GeohazardParams, LrPredictors, Method, NegativeSource,
};
use serde::Serialize;

pub use candidates::Candidates;
pub use cv::{BlockedCv, Townships};
pub use fit::{classify_factors, fit_grid, FitExtras, Fitted};
pub use hazard::HazardGrids;
pub use hidden_dangers::{read_hidden_dangers, HiddenDanger};
pub use inventory::{check_inside, filter_types, read_inventory, InventoryPoint};
pub use model_report::ModelReport;
pub use params::{load_params, params_from, params_of, PATH};
pub use riskcensus_models::geohazard::fit::FactorColumns;
pub use standalone::{train_standalone, StandaloneOptions, SusceptibilityOutput};
pub use threat::{threat_layers, ThreatSummary};

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::output::{write_f32, write_levels};
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::stack::{row_major, LayerStack};

/// What the census stage did.
#[derive(Debug, Clone, Serialize)]
pub struct GeohazardReport {
    /// What training produced.
    pub model: ModelReport,
    /// `geohazard_susceptibility.tif`.
    pub susceptibility: PathBuf,
    /// `geohazard_susceptibility_level.tif`.
    pub susceptibility_level: PathBuf,
    /// `geohazard_hazard.tif` (with a `[trigger]`).
    pub hazard: Option<PathBuf>,
    /// `geohazard_hazard_level.tif` (with a `[trigger]`).
    pub hazard_level: Option<PathBuf>,
    /// Inner upper bounds of the hazard levels (empty without a trigger).
    pub hazard_breaks: Vec<f64>,
    /// `geohazard_candidates.tif` (when the stack has `buildings_count`).
    pub candidates: Option<PathBuf>,
    /// `geohazard_candidates.csv`.
    pub candidate_table: Option<PathBuf>,
    /// Candidate cells.
    pub candidate_cells: usize,
    /// The threat grids of the hidden-danger points (`[threat]` of the parameters).
    pub threat: Option<ThreatSummary>,
    /// `geohazard/report.json`.
    pub report: PathBuf,
}

/// The census stage (see the module doc). Inserts `lithology` (class),
/// `geohazard_susceptibility` and `geohazard_hazard` (index) into `stack`; writes
/// into `out_dir` (the report under `out_dir/geohazard/`).
pub fn run_geohazard(
    census: &CensusConfig,
    stack: &mut LayerStack,
    out_dir: &Path,
    _exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<GeohazardReport, EngineError> {
    // One read of the census's model library for the parameters and the scheme.
    let library = riskcensus_models::Library::for_census(&census.dir)?;
    let params = params_of(&library)?;
    let scheme = params::level_scheme(&library.vocabulary()?, &params)?;
    let grid = &census.grid;
    progress.start("geohazard", params.factors.len() as u64 + 3);
    std::fs::create_dir_all(out_dir).map_err(EngineError::fs(out_dir))?;
    let records = read_hidden_dangers(census)?;
    let fitted = fit_census(census, &params, &records, stack, out_dir, progress)?;
    progress.advance(1);
    let tags = stage_tags(&params);
    let (s_path, sl_path) = write_susceptibility(out_dir, grid, &fitted, &scheme, &tags)?;
    stack.insert("geohazard_susceptibility", &s_path, "index");
    let hazard = match &params.trigger {
        Some(t) => Some(hazard::hazard_grids(
            grid,
            &fitted.susceptibility,
            t,
            hazard::HazardLevels {
                rule: &params.levels,
                scheme: &scheme,
            },
            stack,
            out_dir,
            &tags,
        )?),
        None => None,
    };
    progress.advance(1);
    let candidates = match stack.get("buildings_count") {
        Some(b) => {
            let all: Vec<InventoryPoint> = records.iter().map(|h| h.point.clone()).collect();
            let buffer_m = params.sampling.buffer_m;
            let c =
                candidates::candidates(census, &b.path, &all, &fitted, buffer_m, out_dir, &tags)?;
            Some(c)
        }
        None => None,
    };
    progress.advance(1);
    // What the points threaten (risk inputs).
    let threat = match &params.threat {
        Some(spec) => Some(threat_layers(
            grid,
            &records,
            spec,
            &census.dir.join("census.gpkg"),
            out_dir,
            stack,
            &tags,
        )?),
        None => None,
    };
    let r = GeohazardReport {
        model: fitted.report,
        susceptibility: s_path,
        susceptibility_level: sl_path,
        hazard: hazard.as_ref().map(|h| h.hazard.clone()),
        hazard_level: hazard.as_ref().map(|h| h.level.clone()),
        hazard_breaks: hazard.map_or_else(Vec::new, |h| h.breaks),
        candidates: candidates.as_ref().map(|c| c.grid.clone()),
        candidate_table: candidates.as_ref().map(|c| c.table.clone()),
        candidate_cells: candidates.as_ref().map_or(0, |c| c.cells),
        threat,
        report: out_dir.join("geohazard").join("report.json"),
    };
    write_stage_report(&params, &r)?;
    progress.finish("geohazard");
    Ok(r)
}

/// The susceptibility of the census: the factors classified from the stack
/// (lithology rasterized first when a factor needs it and the stack has none), the
/// hidden-danger points checked to lie on the grid, those of the trained types as
/// inventory, and the fit by the parameter file's method.
fn fit_census(
    census: &CensusConfig,
    params: &GeohazardParams,
    records: &[HiddenDanger],
    stack: &mut LayerStack,
    out_dir: &Path,
    progress: &dyn Progress,
) -> Result<Fitted, EngineError> {
    let grid = &census.grid;
    if params.factors.iter().any(|f| f.layer == "lithology") && stack.get("lithology").is_none() {
        let path = lithology::rasterize_lithology(census, out_dir)?;
        stack.insert("lithology", path, "class");
    }
    let fg = classify_factors(params, stack, grid, progress)?;
    let all: Vec<InventoryPoint> = records.iter().map(|h| h.point.clone()).collect();
    let db = census.dir.join("census.gpkg");
    check_inside(&all, grid, &db)?;
    let training = filter_types(all, &params.hazard_types, &db)?;
    let expert = riskcensus_models::geohazard::expert::expert_tables(params);
    let townships = match params.cross_validation.by {
        riskcensus_models::geohazard::CvBy::Townships if params.method.is_statistical() => {
            Some(Townships::of_census(census)?)
        }
        _ => None,
    };
    let extras = FitExtras {
        negatives: None,
        townships: townships.as_ref(),
        townships_hint: "census.gpkg",
    };
    fit_grid(
        grid,
        &fg,
        &training,
        params,
        params.method,
        expert,
        &extras,
        "geohazard_susceptibility",
    )
}

/// `geohazard/report.json` and its tables: the model report with the stage's
/// hazard breaks, trigger, candidate count, model id and version and threat summary.
fn write_stage_report(params: &GeohazardParams, r: &GeohazardReport) -> Result<(), EngineError> {
    let extra = [
        ("hazard_breaks", serde_json::json!(r.hazard_breaks)),
        (
            "trigger",
            serde_json::to_value(&params.trigger).expect("serialisable"),
        ),
        ("candidate_cells", serde_json::json!(r.candidate_cells)),
        ("model_id", serde_json::json!(params.id)),
        ("model_version", serde_json::json!(params.version)),
        (
            "threat",
            serde_json::to_value(&r.threat).expect("serialisable"),
        ),
    ];
    let dir = r.report.parent().expect("report.json lies in a folder");
    let written = model_report::write_report(dir, &r.model, &extra)?;
    debug_assert_eq!(written, r.report);
    Ok(())
}

/// The provenance tags every output of the stage carries: model id and version,
/// source, seed.
fn stage_tags(params: &GeohazardParams) -> riskcensus_io::Provenance {
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("{}-{}", params.id, params.method.id()),
    );
    tags.insert("RISKCENSUS_MODEL_VERSION".into(), params.version.clone());
    tags.insert(tag::SOURCE.into(), "census.gpkg:hidden_dangers".into());
    tags.insert("RISKCENSUS_SEED".into(), params.sampling.seed.to_string());
    tags
}

/// Write `geohazard_susceptibility` (index) and `geohazard_susceptibility_level`
/// (geohazard4) with their class breaks; returns both paths.
fn write_susceptibility(
    out_dir: &Path,
    grid: &GridSpec,
    fitted: &Fitted,
    scheme: &LevelScheme,
    tags: &riskcensus_io::Provenance,
) -> Result<(PathBuf, PathBuf), EngineError> {
    let mut st = tags.clone();
    st.insert(
        "RISKCENSUS_CLASS_BREAKS".into(),
        join(&fitted.report.level_breaks),
    );
    let s_path = write_f32(
        out_dir,
        "geohazard_susceptibility",
        grid,
        &fitted.susceptibility,
        &st,
        Some("index"),
    )?;
    let sl_path = write_levels(
        out_dir,
        "geohazard_susceptibility_level",
        grid,
        &fitted.levels,
        scheme.clone(),
        &st,
    )?;
    Ok((s_path, sl_path))
}

/// Layer `id` of the stack as a row-major grid, checking its unit.
fn read_layer(
    stack: &LayerStack,
    id: &str,
    unit: &str,
    grid: &GridSpec,
) -> Result<Vec<f32>, EngineError> {
    Ok(row_major(stack.read_grid(
        id,
        Some(unit),
        grid,
        "the geohazard model (models/geohazard.toml)",
    )?))
}

/// Class breaks as a tag value: `b1,b2,b3`.
fn join(v: &[f64]) -> String {
    v.iter()
        .map(|b| format!("{b}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The seed of the blocked cross-validation, when it runs.
fn outcome_cv_seed(params: &GeohazardParams) -> Option<u64> {
    let cv = &params.cross_validation;
    (cv.by != riskcensus_models::geohazard::CvBy::None && params.method.is_statistical())
        .then_some(cv.seed)
}

/// The geological-hazard stage's id.
pub const ID: &str = "geohazard";

/// The geological-hazard stage (see [`run_geohazard`]); it runs when the census has
/// hidden-danger points, and adds its level grids to the stack for zoning.
#[derive(Debug, Default, Clone, Copy)]
pub struct GeohazardStage;

impl crate::stage::Stage for GeohazardStage {
    fn id(&self) -> &str {
        ID
    }

    /// Hidden-danger points, every factor layer of the parameter file (lithology
    /// from its polygons when no raster gives it) and the trigger rainfall.
    fn needs(&self, cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        let params = params::params_of(cx.library)?;
        let mut needs = crate::stage::Needs {
            tables: vec![riskcensus_contracts::tables::census::HIDDEN_DANGERS],
            ..Default::default()
        };
        let lithology_raster = cx.census.rasters.iter().any(|r| r.id == "lithology");
        for f in &params.factors {
            if f.layer == "lithology" && !lithology_raster {
                needs.sources.push((
                    "lithology".into(),
                    "engineering rock group polygons (工程地质岩组) with field code I–IV".into(),
                ));
            } else if !needs.layers.contains(&f.layer) {
                needs.layers.push(f.layer.clone());
            }
        }
        if let Some(t) = &params.trigger {
            if !needs.layers.contains(&t.layer) {
                needs.layers.push(t.layer.clone());
            }
        }
        Ok(needs)
    }

    fn writes(&self) -> crate::stage::Writes {
        crate::stage::Writes {
            layers: vec![
                "lithology",
                "geohazard_susceptibility",
                "geohazard_susceptibility_level",
                "geohazard_hazard",
                "geohazard_hazard_level",
                "geohazard_threat_pop",
                "geohazard_threat_value",
                "geohazard_threat_grade",
                "geohazard_point_capacity",
                "geohazard_candidates",
            ],
            files: vec![
                "geohazard/report.json",
                "geohazard/cv_folds.csv",
                "geohazard_candidates.csv",
                "geohazard_candidate_villages.csv",
            ],
        }
    }

    fn run(
        &self,
        cx: &mut crate::stage::Context<'_>,
    ) -> Result<crate::stage::StageOutcome, EngineError> {
        let out = cx.layout.assess();
        let g = run_geohazard(cx.census, &mut cx.stack, &out, cx.exec, cx.progress)?;
        // Its level grids are zoned like those of assess.
        cx.stack.insert(
            "geohazard_susceptibility_level",
            g.susceptibility_level.clone(),
            "level",
        );
        if let Some(p) = &g.hazard_level {
            cx.stack
                .insert("geohazard_hazard_level", p.clone(), "level");
        }
        let seed = g.model.seed;
        let params = params_of(cx.library)?;
        let file = cx.library.require(PATH)?;
        let entry = riskcensus_contracts::manifest::ModelEntry {
            id: params.id.clone(),
            version: params.version.clone(),
            // The parameter file's text: the stage's parameters are all in it.
            param_hash: riskcensus_io::digest::bytes_sha256(file.text.as_bytes()),
            output: "geohazard_susceptibility, geohazard_hazard, geohazard_threat_*, geohazard_candidates".into(),
            method: Some(params.method.id().to_string()),
            breaks: Some(g.hazard_breaks.clone()),
        };
        let mut outcome = crate::stage::StageOutcome::with_details(g);
        outcome.seeds = vec![("geohazard_sampling".to_string(), seed)];
        if let Some(cv) = &outcome_cv_seed(&params) {
            outcome.seeds.push(("geohazard_cv".to_string(), *cv));
        }
        outcome.operators = vec![entry];
        Ok(outcome)
    }
}
