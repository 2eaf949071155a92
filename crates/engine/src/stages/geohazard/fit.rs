//! The core both entries share: class columns and inventory points (and given
//! non-hazard points) → `riskcensus_models::geohazard::fit` (samples, model,
//! scores, evaluation) → the spatially blocked cross-validation ([`super::cv`]) →
//! the index normalised to [0, 1] (min–max over valid cells, reported) → four
//! levels → the model report.

use riskcensus_core::GridSpec;
use riskcensus_models::geohazard::fit::{fit, level_shares, FactorColumns, Lattice};
use riskcensus_models::geohazard::levels as index;
use riskcensus_models::geohazard::sampling::SampleSet;
use riskcensus_models::geohazard::{class_table, GeohazardParams, Method};

use super::cv::{blocked_cv, Townships};
use super::inventory::InventoryPoint;
use super::levels::level_breaks;
use super::model_report::ModelReport;
use super::read_layer;
use crate::error::EngineError;
use crate::progress::Progress;
use crate::stack::LayerStack;

/// The fitted grid: normalised susceptibility, levels, report.
pub struct Fitted {
    /// The normalised index per cell (row-major, NaN nodata).
    pub susceptibility: Vec<f32>,
    /// Levels 1 极高 … 4 低 per cell (0 nodata).
    pub levels: Vec<u8>,
    /// Everything the model report holds.
    pub report: ModelReport,
    /// The samples drawn (empty for the expert method).
    pub samples: SampleSet,
}

/// The factors of the parameter file, read from the layer stack and classified
/// (one progress step per factor).
pub fn classify_factors(
    params: &GeohazardParams,
    stack: &LayerStack,
    grid: &GridSpec,
    progress: &dyn Progress,
) -> Result<FactorColumns, EngineError> {
    let mut fg = FactorColumns::new();
    for f in &params.factors {
        let values = read_layer(stack, &f.layer, &f.unit, grid)?;
        fg.push(f.id.clone(), f.classifier.clone(), &values);
        progress.advance(1);
    }
    Ok(fg)
}

/// What a fit samples besides the inventory, and how it is cross-validated.
#[derive(Default)]
pub struct FitExtras<'a> {
    /// Given non-hazard points, replacing the random draw.
    pub negatives: Option<&'a [InventoryPoint]>,
    /// The township polygons, for `[cross_validation] by = "townships"`.
    pub townships: Option<&'a Townships>,
    /// Where the township polygons should come from (named when they are missing).
    pub townships_hint: &'a str,
}

/// Train on class columns and points; score every cell; cross-validate; normalise
/// and draw the levels of the index (layer `index_layer`, named in errors).
/// `method` overrides the parameter file's.
#[allow(clippy::too_many_arguments)]
pub fn fit_grid(
    grid: &GridSpec,
    f: &FactorColumns,
    points: &[InventoryPoint],
    params: &GeohazardParams,
    method: Method,
    expert: Option<Vec<Vec<f64>>>,
    extras: &FitExtras<'_>,
    index_layer: &str,
) -> Result<Fitted, EngineError> {
    let pts: Vec<(f64, f64)> = points.iter().map(|p| p.cell_position(grid)).collect();
    let neg: Option<Vec<(f64, f64)>> = extras
        .negatives
        .map(|n| n.iter().map(|p| p.cell_position(grid)).collect());
    let lattice = Lattice {
        rows: grid.rows,
        cols: grid.cols,
        cell_size: grid.cell_size,
    };
    let model_err = |source| EngineError::GeohazardModel { source };
    let fit = fit(f, &pts, neg.as_deref(), lattice, params, method, expert).map_err(model_err)?;
    let cv = blocked_cv(
        grid,
        &fit,
        params,
        method,
        extras.townships,
        extras.townships_hint,
    )?;
    let mut score = fit.score;
    let (lo, hi) = index::range(&score).ok_or_else(|| EngineError::FactorsDoNotOverlap {
        factors: f.ids.clone(),
    })?;
    index::normalise(&mut score, lo, hi);
    let (breaks, level_method) = level_breaks(&score, &params.levels, index_layer)?;
    let lv: Vec<u8> = score.iter().map(|&v| breaks.classify(v)).collect();
    let samples = fit.samples;
    let hz_cells: Vec<usize> = samples
        .cells
        .iter()
        .zip(&samples.labels)
        .filter(|(_, &l)| l == 1)
        .map(|(&c, _)| c)
        .collect();
    let (area_share, hazard_share) = level_shares(&lv, &hz_cells);
    let eval = fit.evaluation;
    let report = ModelReport {
        method,
        lr_predictors: fit.model.lr_predictors,
        seed: params.sampling.seed,
        negative_ratio: params.sampling.negative_ratio,
        buffer_m: params.sampling.buffer_m,
        test_fraction: params.sampling.test_fraction,
        min_hazard_cells: params.min_hazard_cells,
        hazard_types: params.hazard_types.clone(),
        inventory_points: points.len(),
        points_used: points.len() - samples.points_on_nodata,
        points_on_nodata: samples.points_on_nodata,
        hazard_cells: hz_cells.len(),
        negatives: samples.negatives,
        train_samples: fit.train.len(),
        test_samples: fit.test.len(),
        study_area_cells: fit.area_cells,
        factors: f.ids.clone(),
        roc_samples: eval.roc_samples,
        auc_test: eval.auc_test,
        auc_train: eval.auc_train,
        blocked_cv: cv,
        success_rate_auc: eval.success.as_ref().map_or(f64::NAN, |c| c.auc),
        prediction_rate_auc: eval.prediction.as_ref().map_or(f64::NAN, |c| c.auc),
        index_min: lo as f64,
        index_max: hi as f64,
        level_breaks: breaks.inner().to_vec(),
        level_bounds: breaks.bounds.clone(),
        level_method,
        level_area_share: area_share,
        level_hazard_share: hazard_share,
        logistic: fit.model.logistic.clone(),
        classes: class_table(&f.ids, &f.labels(), &fit.counts),
        roc: eval.roc,
        success: eval.success,
        prediction: eval.prediction,
    };
    Ok(Fitted {
        susceptibility: score,
        levels: lv,
        report,
        samples,
    })
}
