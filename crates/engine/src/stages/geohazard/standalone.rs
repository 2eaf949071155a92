//! The `riskcensus susceptibility` command: train and score on aligned factor
//! **class rasters** (any integer codes; each distinct value is a class) and an
//! inventory of points, outside any census; optionally with given non-hazard
//! points instead of the random draw, and township polygons for the
//! cross-validation by townships.

use std::path::{Path, PathBuf};

use riskcensus_core::GridSpec;
use riskcensus_io::raster::RasterReader;
use riskcensus_models::geohazard::{Classifier, GeohazardParams, Method};
use serde::Serialize;

use riskcensus_models::geohazard::fit::FactorColumns;

use super::cv::Townships;
use super::fit::{fit_grid, FitExtras};
use super::inventory::{check_inside, filter_types, read_inventory};
use super::join;
use super::model_report::{write_report, ModelReport};
use crate::error::EngineError;
use crate::output::{write_f32, write_levels};
use crate::provenance::{self, tag};

/// What [`train_standalone`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct SusceptibilityOutput {
    /// `susceptibility.tif`.
    pub susceptibility: PathBuf,
    /// `susceptibility_level.tif`.
    pub levels: PathBuf,
    /// `report.json`.
    pub report: PathBuf,
    /// What the report holds.
    pub model: ModelReport,
}

/// Options of the standalone trainer.
#[derive(Debug, Clone)]
pub struct StandaloneOptions {
    /// iv, fr, cf or lr.
    pub method: Method,
    /// Overrides the parameter file's seeds (sampling and fold assignment).
    pub seed: Option<u64>,
    /// Sampling, minimum count, hazard types, logistic-regression predictor,
    /// cross-validation and level rule (the built-in `models/geohazard.toml` by
    /// default; its factor list is not used).
    pub params: GeohazardParams,
    /// Non-hazard points (CSV x,y or a vector file of points in the rasters' CRS)
    /// used as the non-hazard sample instead of the random draw; a point outside the
    /// grid is an error naming the file and record, one on nodata or on a hazard
    /// cell is dropped and counted.
    pub negatives: Option<PathBuf>,
    /// Township polygons (a vector file in the rasters' CRS) for the
    /// cross-validation by townships.
    pub townships: Option<PathBuf>,
}

/// Train and score on aligned factor class rasters and an inventory; write
/// `susceptibility.tif` (f32, normalised index, NaN nodata), `susceptibility_level.tif`
/// (u8 geohazard4), `report.json`, `classes.csv`, `roc.csv`, `success_rate.csv`,
/// `prediction_rate.csv`, (cross-validation) `cv_folds.csv` and (lr)
/// `coefficients.csv` into `out_dir`.
pub fn train_standalone(
    factors: &[PathBuf],
    inventory: &Path,
    opts: &StandaloneOptions,
    out_dir: &Path,
) -> Result<SusceptibilityOutput, EngineError> {
    if factors.is_empty() {
        return Err(EngineError::NoFactorRasters);
    }
    if opts.method == Method::Expert {
        return Err(EngineError::ExpertStandalone);
    }
    let mut params = opts.params.clone();
    if let Some(s) = opts.seed {
        params.sampling.seed = s;
        params.cross_validation.seed = s;
    }
    let (grid, fg) = read_class_rasters(factors)?;
    let points = read_inventory(inventory, &grid)?;
    let points = filter_types(points, &params.hazard_types, inventory)?;
    check_inside(&points, &grid, inventory)?;
    let negatives = match &opts.negatives {
        Some(path) => {
            let n = read_inventory(path, &grid)?;
            check_inside(&n, &grid, path)?;
            Some(n)
        }
        None => None,
    };
    let townships = match &opts.townships {
        Some(path) => Some(Townships::from_file(path, &grid)?),
        None => None,
    };
    let extras = FitExtras {
        negatives: negatives.as_deref(),
        townships: townships.as_ref(),
        townships_hint: "--cv townships:<vector file>",
    };
    let fitted = fit_grid(
        &grid,
        &fg,
        &points,
        &params,
        opts.method,
        None,
        &extras,
        "susceptibility",
    )?;
    std::fs::create_dir_all(out_dir).map_err(EngineError::fs(out_dir))?;
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("susceptibility-{}", opts.method.id()),
    );
    tags.insert(tag::SOURCE.into(), file_name(inventory));
    tags.insert("RISKCENSUS_SEED".into(), params.sampling.seed.to_string());
    tags.insert(
        "RISKCENSUS_CLASS_BREAKS".into(),
        join(&fitted.report.level_breaks),
    );
    let s_path = write_f32(
        out_dir,
        "susceptibility",
        &grid,
        &fitted.susceptibility,
        &tags,
        Some("index"),
    )?;
    let l_path = write_levels(
        out_dir,
        "susceptibility_level",
        &grid,
        &fitted.levels,
        super::params::level_scheme(riskcensus_models::Vocabulary::shipped(), &params)?,
        &tags,
    )?;
    let mut extra = Vec::new();
    if let Some(n) = &opts.negatives {
        extra.push(("negatives_file", serde_json::json!(file_name(n))));
    }
    let report = write_report(out_dir, &fitted.report, &extra)?;
    Ok(SusceptibilityOutput {
        susceptibility: s_path,
        levels: l_path,
        report,
        model: fitted.report,
    })
}

/// The factor class rasters (at least one), checked to share the first one's
/// lattice and to hold integer codes; each factor is named after its file stem.
fn read_class_rasters(factors: &[PathBuf]) -> Result<(GridSpec, FactorColumns), EngineError> {
    let mut grid: Option<GridSpec> = None;
    let mut fg = FactorColumns::new();
    for path in factors {
        let r = RasterReader::open(path, 1)?;
        let g = r.info().grid()?;
        match &grid {
            None => grid = Some(g.clone()),
            Some(g0) => {
                if !g0.same_lattice(&g) || g0.rows != g.rows || g0.cols != g.cols {
                    return Err(EngineError::FactorNotAligned {
                        path: path.clone(),
                        first: factors[0].clone(),
                    });
                }
            }
        }
        let a = r.read_f32(g.full_window())?;
        let values = a.as_standard_layout();
        let values = values.as_slice().expect("standard layout");
        let c = Classifier::Codes {
            codes: class_codes(path, &g, values)?,
        };
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("f{}", fg.ids.len()));
        fg.push(id, c, values);
    }
    Ok((grid.expect("at least one factor"), fg))
}

/// The distinct class codes of a factor class raster (NaN is nodata); a cell that
/// is not an integer, or more than 1000 codes, is an error naming the raster.
fn class_codes(path: &Path, g: &GridSpec, values: &[f32]) -> Result<Vec<i64>, EngineError> {
    let mut codes: Vec<i64> = Vec::new();
    for (i, &v) in values.iter().enumerate() {
        if v.is_nan() {
            continue;
        }
        if v.fract() != 0.0 {
            return Err(EngineError::FactorNotClasses {
                path: path.to_path_buf(),
                row: i / g.cols,
                col: i % g.cols,
                value: v,
            });
        }
        codes.push(v as i64);
    }
    codes.sort_unstable();
    codes.dedup();
    if codes.len() > 1000 {
        return Err(EngineError::FactorTooManyClasses {
            path: path.to_path_buf(),
            count: codes.len(),
        });
    }
    Ok(codes)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
