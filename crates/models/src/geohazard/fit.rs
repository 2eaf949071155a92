//! Training and scoring on factor class columns, the core of the susceptibility
//! model, in order: the study area (every cell with a class in every factor) and its
//! class counts → hazard cells, buffered seeded non-hazard cells (or the cells of
//! given non-hazard points) and the stratified split ([`super::sampling`]) after
//! the minimum-count check ([`super::check_count`]) → the hazard counts of the
//! training samples → the model (IV/FR/CF/LR/expert, [`TrainedModel::train_with`])
//! → the raw score of every cell → ROC and AUC of the test and training samples,
//! success rate (training hazard cells) and prediction rate (test hazard cells)
//! ([`super::roc`]). With no test samples (`test_fraction` 0, every hazard cell
//! trains) the ROC is the training samples' and says so ([`RocSamples`]); there is
//! then no prediction rate. The spatially blocked cross-validation
//! ([`cross_validate`]) runs on the same samples once the caller has their groups.
//!
//! The caller reads the class grids and the inventory, normalises the score
//! ([`super::levels`]) and draws the levels. Cells are row-major; inventory points are
//! fractional cell positions (col, row) from the grid's upper-left corner.

use serde::Serialize;

use super::roc::{rate_curve, roc_curve, RateCurve, RocCurve};
use super::sampling::{draw, hazard_cells, with_negatives, NegativeSource, SampleSet};
use super::spatial_cv::{assign_folds, CvOutcome, CvRule};
use super::{
    check_count, ClassCounts, Classifier, GeohazardError, GeohazardParams, LrPredictors, Method,
    SampleTable, TrainedModel,
};

/// The class columns of the factors on one grid: `columns[f][cell]` (1-based class,
/// 0 nodata), row-major.
#[derive(Debug, Clone, Default)]
pub struct FactorColumns {
    /// Factor ids, in the order of the columns.
    pub ids: Vec<String>,
    /// How each factor's values became classes.
    pub classifiers: Vec<Classifier>,
    /// Class code per cell per factor.
    pub columns: Vec<Vec<u16>>,
}

impl FactorColumns {
    /// No factor yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a factor: classify its row-major `values` (NaN nodata) with `classifier`.
    pub fn push(&mut self, id: String, classifier: Classifier, values: &[f32]) {
        let mut col = vec![0u16; values.len()];
        classifier.classify(values, &mut col);
        self.ids.push(id);
        self.classifiers.push(classifier);
        self.columns.push(col);
    }

    /// Classes per factor.
    pub fn classes(&self) -> Vec<usize> {
        self.classifiers.iter().map(Classifier::classes).collect()
    }

    /// The class labels of every factor (`labels[f][class − 1]`).
    pub fn labels(&self) -> Vec<Vec<String>> {
        self.classifiers
            .iter()
            .map(|c| (1..=c.classes()).map(|k| c.label(k)).collect())
            .collect()
    }

    /// The class codes of cell `i`, one per factor, into `row`.
    fn fill_row(&self, i: usize, row: &mut [u16]) {
        for (k, c) in self.columns.iter().enumerate() {
            row[k] = c[i];
        }
    }

    /// True for the cells with a class in every factor (the study area).
    fn valid(&self, cells: usize) -> Vec<bool> {
        (0..cells)
            .map(|i| self.columns.iter().all(|c| c[i] != 0))
            .collect()
    }
}

/// The grid the columns lie on: rows, columns and cell size (metres, for the
/// sampling buffer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lattice {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// Cell size, metres.
    pub cell_size: f64,
}

impl Lattice {
    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.rows * self.cols
    }
}

/// Which samples the ROC curve is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RocSamples {
    /// The held-out test samples (a hold-out estimate).
    Test,
    /// The training samples, because none were held out (`test_fraction` 0): how
    /// well the model fits its own samples, not how it predicts.
    Training,
    /// No ROC (the expert method).
    None,
}

/// How the model did on its samples (statistical methods; NaN and `None` for the
/// expert method).
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// ROC of the test samples, or of the training samples when none were held out
    /// (see `roc_samples`).
    pub roc: Option<RocCurve>,
    /// The samples of `roc`.
    pub roc_samples: RocSamples,
    /// AUC of the test samples (Mann–Whitney, ties ½); NaN without test samples.
    pub auc_test: f64,
    /// AUC of the training samples.
    pub auc_train: f64,
    /// Success-rate curve (training hazard cells).
    pub success: Option<RateCurve>,
    /// Prediction-rate curve (test hazard cells); `None` without them.
    pub prediction: Option<RateCurve>,
}

/// What [`fit`] produced.
#[derive(Debug, Clone)]
pub struct Fit {
    /// Class counts over the study area, and of the training hazard samples.
    pub counts: ClassCounts,
    /// Cells of the study area.
    pub area_cells: usize,
    /// The samples drawn (none for the expert method).
    pub samples: SampleSet,
    /// Every sample's class codes and labels, in the order of `samples.cells`.
    pub all: SampleTable,
    /// The training samples' class codes and labels.
    pub train: SampleTable,
    /// The test samples' class codes and labels.
    pub test: SampleTable,
    /// The trained model.
    pub model: TrainedModel,
    /// The raw score of every cell (NaN outside the study area).
    pub score: Vec<f32>,
    /// ROC, AUC and rate curves.
    pub evaluation: Evaluation,
}

/// Train `method` on the class columns `f` and the inventory points `pts`
/// (fractional (col, row) on `lattice`) with the sampling rule, minimum count and
/// logistic-regression predictor of `params`; score every cell and evaluate.
/// `negatives` (fractional (col, row)) replace the random non-hazard draw when
/// given. `expert` holds the expert class scores (used by the expert method only).
pub fn fit(
    f: &FactorColumns,
    pts: &[(f64, f64)],
    negatives: Option<&[(f64, f64)]>,
    lattice: Lattice,
    params: &GeohazardParams,
    method: Method,
    expert: Option<Vec<Vec<f64>>>,
) -> Result<Fit, GeohazardError> {
    let n = lattice.cells();
    let (mut counts, area_cells) = study_area_counts(f, n);
    let samples = draw_samples(f, pts, negatives, lattice, params, method)?;
    let every: Vec<usize> = (0..samples.cells.len()).collect();
    let all = sample_table(f, &samples, &every)?;
    let train = all.subset(&samples.train);
    let test = all.subset(&samples.test);
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
    let model = TrainedModel::train_with(
        method,
        &f.ids,
        &counts,
        &train,
        expert,
        params.lr_predictors,
    )?;
    let cols: Vec<&[u16]> = f.columns.iter().map(Vec::as_slice).collect();
    let mut score = vec![f32::NAN; n];
    model.score_columns(&cols, &mut score);
    let evaluation = evaluate(&model, &score, &train, &test, method)?;
    Ok(Fit {
        counts,
        area_cells,
        samples,
        all,
        train,
        test,
        model,
        score,
        evaluation,
    })
}

/// Class counts over the study area (every cell with a class in every factor) and
/// the number of such cells.
fn study_area_counts(f: &FactorColumns, n: usize) -> (ClassCounts, usize) {
    let mut counts = ClassCounts::zeros(&f.classes());
    let mut row = vec![0u16; f.ids.len()];
    let mut area_cells = 0usize;
    for i in 0..n {
        f.fill_row(i, &mut row);
        area_cells += counts.add_area(&row) as usize;
    }
    (counts, area_cells)
}

/// Hazard cells, buffered seeded non-hazard cells (or the given ones) and the
/// stratified split, after the minimum-count check (statistical methods); no
/// samples for the expert method.
fn draw_samples(
    f: &FactorColumns,
    pts: &[(f64, f64)],
    negatives: Option<&[(f64, f64)]>,
    lattice: Lattice,
    params: &GeohazardParams,
    method: Method,
) -> Result<SampleSet, GeohazardError> {
    if !method.is_statistical() {
        return Ok(SampleSet {
            cells: Vec::new(),
            labels: Vec::new(),
            train: Vec::new(),
            test: Vec::new(),
            points: pts.len(),
            points_on_nodata: 0,
            eligible_negatives: 0,
            negatives: NegativeSource::Drawn,
        });
    }
    let valid = f.valid(lattice.cells());
    let (hz, _) = hazard_cells(pts, lattice.rows, lattice.cols, &valid)?;
    check_count(method, hz.len(), params.min_hazard_cells)?;
    if let Some(neg) = negatives {
        return with_negatives(
            pts,
            neg,
            lattice.rows,
            lattice.cols,
            &valid,
            &params.sampling,
        );
    }
    draw(
        pts,
        lattice.rows,
        lattice.cols,
        lattice.cell_size,
        &valid,
        &params.sampling,
    )
}

/// The class codes and labels of the samples `idx`.
fn sample_table(
    f: &FactorColumns,
    samples: &SampleSet,
    idx: &[usize],
) -> Result<SampleTable, GeohazardError> {
    let mut codes = Vec::with_capacity(idx.len() * f.ids.len());
    for &k in idx {
        codes.extend(f.columns.iter().map(|c| c[samples.cells[k]]));
    }
    let labels = idx.iter().map(|&k| samples.labels[k]).collect();
    SampleTable::new(f.ids.clone(), f.classes(), codes, labels)
}

/// ROC and AUC of the test and training samples, success rate (training hazard
/// cells) and prediction rate (test hazard cells) over the raw `score` of every cell.
fn evaluate(
    model: &TrainedModel,
    score: &[f32],
    train: &SampleTable,
    test: &SampleTable,
    method: Method,
) -> Result<Evaluation, GeohazardError> {
    if !method.is_statistical() {
        return Ok(Evaluation {
            roc: None,
            roc_samples: RocSamples::None,
            auc_test: f64::NAN,
            auc_train: f64::NAN,
            success: None,
            prediction: None,
        });
    }
    let train_roc = roc_curve(&model.score_table(train), &train.labels)?;
    let auc_train = train_roc.auc;
    let (roc, roc_samples, auc_test) = if test.is_empty() {
        (train_roc, RocSamples::Training, f64::NAN)
    } else {
        let r = roc_curve(&model.score_table(test), &test.labels)?;
        let auc = r.auc;
        (r, RocSamples::Test, auc)
    };
    let haz = |t: &SampleTable| -> Vec<f32> {
        (0..t.len())
            .filter(|&r| t.labels[r] == 1)
            .map(|r| model.score_row(t.row(r)) as f32)
            .collect()
    };
    let success = rate_curve(score, &haz(train))?;
    let test_haz = haz(test);
    let prediction = if test_haz.is_empty() {
        None
    } else {
        Some(rate_curve(score, &test_haz)?)
    };
    Ok(Evaluation {
        auc_test,
        roc: Some(roc),
        roc_samples,
        auc_train,
        success: Some(success),
        prediction,
    })
}

/// The spatially blocked cross-validation of a fit (statistical methods): the
/// samples' `groups` (one per sample of `fit.samples`, e.g. from
/// [`super::spatial_cv::block_groups`]) dealt into `rule.folds` folds, then one
/// training per fold on the others ([`super::spatial_cv`]). `method` and `lr` are
/// the fit's.
pub fn cross_validate(
    fit: &Fit,
    groups: &[Option<u64>],
    rule: &CvRule,
    method: Method,
    lr: LrPredictors,
) -> Result<CvOutcome, GeohazardError> {
    let folds = assign_folds(
        groups,
        &fit.samples.labels,
        rule.folds,
        rule.seed,
        rule.by.id(),
    )?;
    super::spatial_cv::cross_validate(&fit.counts, &fit.all, &folds, method, lr)
}

/// The reference of the blocked figure: the same k-fold cross-validation with each
/// sample its own group (ordinary random k-fold, stratified by label through the
/// balanced assignment), on the same samples with the same seed.
pub fn random_folds(
    fit: &Fit,
    rule: &CvRule,
    method: Method,
    lr: LrPredictors,
) -> Result<CvOutcome, GeohazardError> {
    let groups: Vec<Option<u64>> = (0..fit.samples.cells.len() as u64).map(Some).collect();
    let folds = assign_folds(
        &groups,
        &fit.samples.labels,
        rule.folds,
        rule.seed,
        "samples",
    )?;
    super::spatial_cv::cross_validate(&fit.counts, &fit.all, &folds, method, lr)
}

/// Share of the classified cells per level 1..=4 (`levels`, 0 = nodata), and of the
/// `hazard_cells` (cell indices) among them.
pub fn level_shares(levels: &[u8], hazard_cells: &[usize]) -> (Vec<f64>, Vec<f64>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: levels [1, 1, 2, 0, 4] → 4 classified cells, shares 2/4, 1/4, 0, 1/4;
    /// hazard cells 0 and 2 → 1/2 in level 1, 1/2 in level 2; the nodata cell counts
    /// in neither.
    #[test]
    fn level_shares_by_hand() {
        let (a, h) = level_shares(&[1, 1, 2, 0, 4], &[0, 2, 3]);
        assert_eq!(a, vec![0.5, 0.25, 0.0, 0.25]);
        assert_eq!(h, vec![0.5, 0.5, 0.0, 0.0]);
    }

    /// The study area is the cells with a class in every factor: with a nodata cell
    /// in each of two factors, 2 of 4 cells remain.
    #[test]
    fn study_area_needs_every_factor() {
        let mut f = FactorColumns::new();
        let c = Classifier::Codes { codes: vec![1, 2] };
        f.push("a".into(), c.clone(), &[1.0, f32::NAN, 2.0, 1.0]);
        f.push("b".into(), c, &[2.0, 2.0, 2.0, f32::NAN]);
        let (_, area) = study_area_counts(&f, 4);
        assert_eq!(area, 2);
        assert_eq!(f.valid(4), vec![true, false, true, false]);
    }
}
