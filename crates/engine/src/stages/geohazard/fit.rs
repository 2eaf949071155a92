//! The core both entries share: class grids and inventory points → samples → the
//! trained model → raw scores per cell → evaluation (ROC/AUC, success and prediction
//! rates) → the index normalised to [0, 1] → four levels (see the module doc of
//! [`super`] for the order and its reasons).

use riskcensus_core::GridSpec;
use riskcensus_models::geohazard::levels as index;
use riskcensus_models::geohazard::roc::{rate_curve, roc_curve, RateCurve, RocCurve};
use riskcensus_models::geohazard::sampling::{draw, hazard_cells, SampleSet};
use riskcensus_models::geohazard::{
    check_count, class_table, ClassCounts, Classifier, GeohazardParams, Method, SampleTable,
    TrainedModel,
};

use super::inventory::InventoryPoint;
use super::levels::level_breaks;
use super::model_report::ModelReport;
use super::{model_err, read_layer, MODEL};
use crate::error::EngineError;
use crate::progress::Progress;
use crate::stack::LayerStack;

/// Class grids of the factors on one grid: `columns[f][cell]` (1-based, 0 nodata).
pub struct FactorGrids {
    /// Factor ids, in the order of the columns.
    pub ids: Vec<String>,
    /// How each factor's values became classes.
    pub classifiers: Vec<Classifier>,
    /// Class code per cell (row-major) per factor.
    pub columns: Vec<Vec<u16>>,
}

impl FactorGrids {
    /// No factor yet.
    pub fn new() -> Self {
        FactorGrids {
            ids: Vec::new(),
            classifiers: Vec::new(),
            columns: Vec::new(),
        }
    }

    /// Add a factor: classify its row-major `values` with `classifier`.
    pub fn push(&mut self, id: String, classifier: Classifier, values: &[f32]) {
        let mut col = vec![0u16; values.len()];
        classifier.classify(values, &mut col);
        self.ids.push(id);
        self.classifiers.push(classifier);
        self.columns.push(col);
    }

    /// The factors of the parameter file, read from the layer stack and classified
    /// (one progress step per factor).
    pub fn classify(
        params: &GeohazardParams,
        stack: &LayerStack,
        grid: &GridSpec,
        progress: &dyn Progress,
    ) -> Result<Self, EngineError> {
        let mut fg = FactorGrids::new();
        for f in &params.factors {
            let values = read_layer(stack, &f.layer, &f.unit, grid)?;
            fg.push(f.id.clone(), f.classifier.clone(), &values);
            progress.advance(1);
        }
        Ok(fg)
    }

    /// The class codes of cell `i`, one per factor.
    fn fill_row(&self, i: usize, row: &mut [u16]) {
        for (k, c) in self.columns.iter().enumerate() {
            row[k] = c[i];
        }
    }
}

impl Default for FactorGrids {
    fn default() -> Self {
        Self::new()
    }
}

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

/// How the model did on its samples (statistical methods only).
struct Evaluation {
    roc: Option<RocCurve>,
    auc_test: f64,
    auc_train: f64,
    success: Option<RateCurve>,
    prediction: Option<RateCurve>,
}

/// Train on class grids and points; score every cell. `method` overrides the
/// parameter file's when given.
pub fn fit_grid(
    grid: &GridSpec,
    f: &FactorGrids,
    points: &[InventoryPoint],
    params: &GeohazardParams,
    method: Method,
    expert: Option<Vec<Vec<f64>>>,
) -> Result<Fitted, EngineError> {
    let n = grid.cell_count();
    let (mut counts, area_cells) = study_area_counts(f, n);
    let samples = draw_samples(grid, f, points, params, method)?;
    let train = sample_table(f, &samples, &samples.train)?;
    let test = sample_table(f, &samples, &samples.test)?;
    for r in 0..train.len() {
        if train.labels[r] == 1 {
            counts.add_hazard(train.row(r));
        }
    }
    let expert = if method == Method::Expert {
        expert
    } else {
        None
    };
    let model = TrainedModel::train(method, &f.ids, &counts, &train, expert).map_err(model_err)?;
    let cols: Vec<&[u16]> = f.columns.iter().map(Vec::as_slice).collect();
    let mut score = vec![f32::NAN; n];
    model.score_columns(&cols, &mut score);
    let eval = evaluate(&model, &score, &train, &test, method)?;
    let (lo, hi) = index::range(&score).ok_or_else(|| EngineError::Model {
        model: MODEL.into(),
        msg: "no cell has a class in every factor: the factor grids do not overlap".into(),
    })?;
    index::normalise(&mut score, lo, hi);
    let (breaks, level_method) = level_breaks(&score, &params.levels)?;
    let lv: Vec<u8> = score.iter().map(|&v| breaks.classify(v)).collect();
    let hz_cells: Vec<usize> = samples
        .cells
        .iter()
        .zip(&samples.labels)
        .filter(|(_, &l)| l == 1)
        .map(|(&c, _)| c)
        .collect();
    let (area_share, hazard_share) = level_shares(&lv, &hz_cells);
    let labels: Vec<Vec<String>> = f
        .classifiers
        .iter()
        .map(|c| (1..=c.classes()).map(|k| c.label(k)).collect())
        .collect();
    let report = ModelReport {
        method,
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
        train_samples: train.len(),
        test_samples: test.len(),
        study_area_cells: area_cells,
        factors: f.ids.clone(),
        auc_test: eval.auc_test,
        auc_train: eval.auc_train,
        success_rate_auc: eval.success.as_ref().map_or(f64::NAN, |c| c.auc),
        prediction_rate_auc: eval.prediction.as_ref().map_or(f64::NAN, |c| c.auc),
        index_min: lo as f64,
        index_max: hi as f64,
        level_breaks: breaks.inner().to_vec(),
        level_bounds: breaks.bounds.clone(),
        level_method,
        level_area_share: area_share,
        level_hazard_share: hazard_share,
        logistic: model.logistic.clone(),
        classes: class_table(&f.ids, &labels, &counts),
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

/// Class counts over the study area (every cell with a class in every factor) and
/// the number of such cells.
fn study_area_counts(f: &FactorGrids, n: usize) -> (ClassCounts, usize) {
    let classes: Vec<usize> = f.classifiers.iter().map(Classifier::classes).collect();
    let mut counts = ClassCounts::zeros(&classes);
    let mut row = vec![0u16; f.ids.len()];
    let mut area_cells = 0usize;
    for i in 0..n {
        f.fill_row(i, &mut row);
        area_cells += counts.add_area(&row) as usize;
    }
    (counts, area_cells)
}

/// Hazard cells, buffered seeded non-hazard cells and the stratified split, after
/// the minimum-count check (statistical methods); no samples for the expert method.
fn draw_samples(
    grid: &GridSpec,
    f: &FactorGrids,
    points: &[InventoryPoint],
    params: &GeohazardParams,
    method: Method,
) -> Result<SampleSet, EngineError> {
    let pts: Vec<(f64, f64)> = points.iter().map(|p| p.cell_position(grid)).collect();
    if !method.is_statistical() {
        return Ok(SampleSet {
            cells: Vec::new(),
            labels: Vec::new(),
            train: Vec::new(),
            test: Vec::new(),
            points: pts.len(),
            points_on_nodata: 0,
            eligible_negatives: 0,
        });
    }
    let valid: Vec<bool> = (0..grid.cell_count())
        .map(|i| f.columns.iter().all(|c| c[i] != 0))
        .collect();
    let (hz, _) = hazard_cells(&pts, grid.rows, grid.cols, &valid).map_err(model_err)?;
    check_count(method, hz.len(), params.min_hazard_cells).map_err(model_err)?;
    draw(
        &pts,
        grid.rows,
        grid.cols,
        grid.cell_size,
        &valid,
        &params.sampling,
    )
    .map_err(model_err)
}

/// The class codes and labels of the samples `idx`.
fn sample_table(
    f: &FactorGrids,
    samples: &SampleSet,
    idx: &[usize],
) -> Result<SampleTable, EngineError> {
    let classes: Vec<usize> = f.classifiers.iter().map(Classifier::classes).collect();
    let mut codes = Vec::with_capacity(idx.len() * f.ids.len());
    for &k in idx {
        codes.extend(f.columns.iter().map(|c| c[samples.cells[k]]));
    }
    let labels = idx.iter().map(|&k| samples.labels[k]).collect();
    SampleTable::new(f.ids.clone(), classes, codes, labels).map_err(model_err)
}

/// ROC and AUC of the test and training samples, success rate (training hazard
/// cells) and prediction rate (test hazard cells) over the raw `score` of every cell.
fn evaluate(
    model: &TrainedModel,
    score: &[f32],
    train: &SampleTable,
    test: &SampleTable,
    method: Method,
) -> Result<Evaluation, EngineError> {
    if !method.is_statistical() {
        return Ok(Evaluation {
            roc: None,
            auc_test: f64::NAN,
            auc_train: f64::NAN,
            success: None,
            prediction: None,
        });
    }
    let roc = roc_curve(&model.score_table(test), &test.labels).map_err(model_err)?;
    let auc_train = roc_curve(&model.score_table(train), &train.labels)
        .map_err(model_err)?
        .auc;
    let haz = |t: &SampleTable| -> Vec<f32> {
        (0..t.len())
            .filter(|&r| t.labels[r] == 1)
            .map(|r| model.score_row(t.row(r)) as f32)
            .collect()
    };
    let success = rate_curve(score, &haz(train)).map_err(model_err)?;
    let prediction = rate_curve(score, &haz(test)).map_err(model_err)?;
    Ok(Evaluation {
        auc_test: roc.auc,
        roc: Some(roc),
        auc_train,
        success: Some(success),
        prediction: Some(prediction),
    })
}

/// Share of the study area per level 1..=4, and of the hazard cells.
fn level_shares(levels: &[u8], hazard_cells: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let mut area_share = vec![0.0; 4];
    let mut hazard_share = vec![0.0; 4];
    for &l in levels {
        if l > 0 {
            area_share[l as usize - 1] += 1.0;
        }
    }
    for &c in hazard_cells {
        if levels[c] > 0 {
            hazard_share[levels[c] as usize - 1] += 1.0;
        }
    }
    let ta: f64 = area_share.iter().sum();
    let th: f64 = hazard_share.iter().sum();
    area_share.iter_mut().for_each(|v| *v /= ta.max(1.0));
    hazard_share.iter_mut().for_each(|v| *v /= th.max(1.0));
    (area_share, hazard_share)
}
