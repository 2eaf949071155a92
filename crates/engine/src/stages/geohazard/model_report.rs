//! The model report: `report.json` (the method, samples, evaluation and levels of
//! [`ModelReport`], plus what a caller adds) and its tables `classes.csv`, `roc.csv`,
//! `success_rate.csv`, `prediction_rate.csv`, (cross-validation) `cv_folds.csv`
//! and (logistic regression) `coefficients.csv`.

use std::path::{Path, PathBuf};

use riskcensus_models::geohazard::fit::RocSamples;
use riskcensus_models::geohazard::logistic::LogisticFit;
use riskcensus_models::geohazard::roc::{RateCurve, RocCurve};
use riskcensus_models::geohazard::{ClassRow, LrPredictors, Method, NegativeSource};

use super::cv::BlockedCv;
use serde::Serialize;

use crate::error::EngineError;
use crate::output::{write_text, CsvOut, Quote};

/// What training produced (everything the report holds).
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    /// The method trained (`iv`, `fr`, `cf`, `lr` or `expert`).
    pub method: Method,
    /// The predictor of logistic regression, `iv` or `fr` (`lr` only; `null`
    /// otherwise).
    pub lr_predictors: Option<LrPredictors>,
    /// Seed of the sample draw and of the train/test split (ChaCha8).
    pub seed: u64,
    /// Non-hazard cells drawn per hazard cell (unused with given non-hazard points).
    pub negative_ratio: f64,
    /// No non-hazard cell within this distance of an inventory point, metres.
    pub buffer_m: f64,
    /// Share of the hazard and of the non-hazard samples held out for testing.
    pub test_fraction: f64,
    /// Fewest hazard cells a statistical method trains on.
    pub min_hazard_cells: usize,
    /// Hidden-danger types of the inventory that train the model.
    pub hazard_types: Vec<String>,
    /// Inventory points given to training (after the type filter).
    pub inventory_points: usize,
    /// Inventory points on cells where every factor has a class.
    pub points_used: usize,
    /// Inventory points on cells where a factor is nodata (not used).
    pub points_on_nodata: usize,
    /// Hazard samples: valid cells holding at least one inventory point (training
    /// and test; 0 for the expert method, which draws no samples).
    pub hazard_cells: usize,
    /// Where the non-hazard samples came from: `{"kind": "drawn"}` (random, outside
    /// the buffer) or `{"kind": "given", "points", "on_nodata", "on_hazard_cells"}`
    /// (the points of `--negatives`, with those dropped).
    pub negatives: NegativeSource,
    /// Samples (hazard and non-hazard) in the training set.
    pub train_samples: usize,
    /// Samples (hazard and non-hazard) in the test set.
    pub test_samples: usize,
    /// Cells of the study area: cells where every factor has a class.
    pub study_area_cells: usize,
    /// Factor ids, in the parameter file's order.
    pub factors: Vec<String>,
    /// The samples of the ROC curve (`roc.csv`): `test` (held out), or `training`
    /// when none were held out (test fraction 0: `roc.csv` and `auc_train` are then
    /// how well the model fits its own samples, not a hold-out estimate); `none` for
    /// the expert method.
    pub roc_samples: RocSamples,
    /// AUC of the test samples (ROC, Mann–Whitney, ties ½) of the random split; NaN
    /// (JSON `null`) for the expert method and without test samples.
    pub auc_test: f64,
    /// AUC of the training samples (the training-set AUC); NaN (JSON `null`) for the
    /// expert method.
    pub auc_train: f64,
    /// The spatially blocked k-fold cross-validation (mean and per-fold held-out
    /// AUC, and the random k-fold reference); `null` when switched off and for the
    /// expert method.
    pub blocked_cv: Option<BlockedCv>,
    /// Area under the success-rate curve (training hazard cells); NaN (JSON
    /// `null`) for the expert method.
    pub success_rate_auc: f64,
    /// Area under the prediction-rate curve (test hazard cells); NaN (JSON `null`)
    /// for the expert method and without test samples.
    pub prediction_rate_auc: f64,
    /// Smallest raw score over the study area (the index is normalised to [0, 1]
    /// by `(v − index_min) / (index_max − index_min)`).
    pub index_min: f64,
    /// Largest raw score over the study area.
    pub index_max: f64,
    /// Inner upper bounds of the normalised index: the largest value of levels 4, 3
    /// and 2 (a value equal to a bound stays in the lower level).
    pub level_breaks: Vec<f64>,
    /// All four upper bounds (the last is the maximum for natural breaks, +∞ for
    /// fixed breaks).
    pub level_bounds: Vec<f64>,
    /// How the levels were drawn: `natural_breaks` or `fixed_breaks`.
    pub level_method: &'static str,
    /// Share of the study area per level 1..=4.
    pub level_area_share: Vec<f64>,
    /// Share of the hazard cells per level 1..=4.
    pub level_hazard_share: Vec<f64>,
    /// The logistic regression's coefficients, standard errors and z values (the
    /// `lr` method only; written to `coefficients.csv` too).
    pub logistic: Option<LogisticFit>,
    /// Per factor class: area and hazard cells and the statistics
    /// (`classes.csv`, not in `report.json`).
    #[serde(skip)]
    pub classes: Vec<ClassRow>,
    /// ROC curve of the test samples (`roc.csv`); `None` for the expert method.
    #[serde(skip)]
    pub roc: Option<RocCurve>,
    /// Success-rate curve, training hazard cells (`success_rate.csv`); `None` for
    /// the expert method.
    #[serde(skip)]
    pub success: Option<RateCurve>,
    /// Prediction-rate curve, test hazard cells (`prediction_rate.csv`); `None` for
    /// the expert method.
    #[serde(skip)]
    pub prediction: Option<RateCurve>,
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// `report.json`, `classes.csv`, `roc.csv`, `success_rate.csv`,
/// `prediction_rate.csv`, `coefficients.csv` (lr). `extra` adds keys to the JSON.
pub fn write_report(
    dir: &Path,
    r: &ModelReport,
    extra: &[(&str, serde_json::Value)],
) -> Result<PathBuf, EngineError> {
    std::fs::create_dir_all(dir).map_err(EngineError::fs(dir))?;
    let mut json = serde_json::to_value(r).expect("serialisable");
    if let serde_json::Value::Object(m) = &mut json {
        m.insert("engine_version".into(), crate::ENGINE_VERSION.into());
        m.insert(
            "files".into(),
            serde_json::json!({
                "classes": "classes.csv", "roc": "roc.csv",
                "success_rate": "success_rate.csv", "prediction_rate": "prediction_rate.csv",
                "coefficients": if r.logistic.is_some() { "coefficients.csv" } else { "" },
                "cv_folds": if r.blocked_cv.is_some() { "cv_folds.csv" } else { "" },
            }),
        );
        for (k, v) in extra {
            m.insert((*k).into(), v.clone());
        }
    }
    let path = dir.join("report.json");
    write_text(
        &path,
        &(serde_json::to_string_pretty(&json).expect("serialisable") + "\n"),
    )?;
    write_classes(&dir.join("classes.csv"), &r.classes)?;
    let mut t = CsvOut::new(dir.join("roc.csv"));
    t.record(["threshold", "fpr", "tpr"])?;
    if let Some(roc) = &r.roc {
        for i in 0..roc.fpr.len() {
            t.record([
                num(roc.thresholds[i]),
                roc.fpr[i].to_string(),
                roc.tpr[i].to_string(),
            ])?;
        }
    }
    t.finish()?;
    for (name, c) in [
        ("success_rate", &r.success),
        ("prediction_rate", &r.prediction),
    ] {
        let mut t = CsvOut::new(dir.join(format!("{name}.csv")));
        t.record(["threshold", "area_fraction", "hazard_fraction"])?;
        if let Some(c) = c {
            for i in 0..c.area_fraction.len() {
                t.record([
                    num(c.thresholds[i]),
                    c.area_fraction[i].to_string(),
                    c.hazard_fraction[i].to_string(),
                ])?;
            }
        }
        t.finish()?;
    }
    if let Some(cv) = &r.blocked_cv {
        write_cv_folds(&dir.join("cv_folds.csv"), cv)?;
    }
    if let Some(l) = &r.logistic {
        let mut t = CsvOut::new(dir.join("coefficients.csv"));
        t.record(["term", "coefficient", "std_error", "z"])?;
        for i in 0..l.names.len() {
            t.record([
                l.names[i].clone(),
                l.coefficients[i].to_string(),
                l.std_errors[i].to_string(),
                l.z[i].to_string(),
            ])?;
        }
        t.finish()?;
    }
    Ok(path)
}

/// `cv_folds.csv`: one row per fold of the blocked cross-validation (groups,
/// held-out samples, AUC, why a fold has none) and one per fold of the random
/// k-fold reference; an empty AUC is a fold without one.
fn write_cv_folds(path: &Path, cv: &BlockedCv) -> Result<(), EngineError> {
    let mut t = CsvOut::new(path);
    t.record([
        "scheme",
        "fold",
        "groups",
        "test_hazard",
        "test_non_hazard",
        "auc",
        "note",
    ])?;
    for k in 0..cv.folds {
        t.record([
            cv.by.to_string(),
            k.to_string(),
            cv.fold_groups[k].to_string(),
            cv.fold_test_hazard[k].to_string(),
            cv.fold_test_non_hazard[k].to_string(),
            num(cv.auc_per_fold[k]),
            cv.fold_notes[k].clone().unwrap_or_default(),
        ])?;
    }
    for f in &cv.random.folds {
        t.record([
            "random".to_string(),
            f.fold.to_string(),
            f.groups.to_string(),
            f.test_hazard.to_string(),
            f.test_non_hazard.to_string(),
            num(f.auc),
            f.note.clone().unwrap_or_default(),
        ])?;
    }
    t.finish()
}

/// `classes.csv`: one row per factor class with its counts and statistics; the
/// label is always quoted (`"code 3"`, `"[5, 10)"`), as the table has always been
/// written.
fn write_classes(path: &Path, classes: &[ClassRow]) -> Result<(), EngineError> {
    let mut t = CsvOut::new(path);
    t.record([
        "factor",
        "class",
        "label",
        "area_cells",
        "hazard_cells",
        "information_value",
        "frequency_ratio",
        "certainty_factor",
    ])?;
    for c in classes {
        let fields = [
            c.factor.clone(),
            c.class.to_string(),
            c.label.clone(),
            c.area_cells.to_string(),
            c.hazard_cells.to_string(),
            num(c.information_value),
            num(c.frequency_ratio),
            num(c.certainty_factor),
        ];
        let quoted: Vec<(&str, Quote)> = fields
            .iter()
            .enumerate()
            .map(|(k, f)| {
                (
                    f.as_str(),
                    if k == 2 { Quote::Always } else { Quote::Needed },
                )
            })
            .collect();
        t.record_quoted(&quoted)?;
    }
    t.finish()
}
