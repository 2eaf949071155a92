//! The model report: `report.json` (the method, samples, evaluation and levels of
//! [`ModelReport`], plus what a caller adds) and its tables `classes.csv`, `roc.csv`,
//! `success_rate.csv`, `prediction_rate.csv` and (logistic regression)
//! `coefficients.csv`.

use std::path::{Path, PathBuf};

use riskcensus_models::geohazard::logistic::LogisticFit;
use riskcensus_models::geohazard::roc::{RateCurve, RocCurve};
use riskcensus_models::geohazard::{ClassRow, Method};
use serde::Serialize;

use crate::error::EngineError;
use crate::output::{write_text, CsvOut, Quote};

/// What training produced (everything the report holds).
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    pub method: Method,
    pub seed: u64,
    pub negative_ratio: f64,
    pub buffer_m: f64,
    pub test_fraction: f64,
    pub min_hazard_cells: usize,
    pub hazard_types: Vec<String>,
    pub inventory_points: usize,
    pub points_used: usize,
    pub points_on_nodata: usize,
    pub hazard_cells: usize,
    pub train_samples: usize,
    pub test_samples: usize,
    pub study_area_cells: usize,
    pub factors: Vec<String>,
    /// AUC of the test samples (ROC, Mann–Whitney, ties ½).
    pub auc_test: f64,
    /// AUC of the training samples.
    pub auc_train: f64,
    /// Area under the success-rate curve (training hazard cells).
    pub success_rate_auc: f64,
    /// Area under the prediction-rate curve (test hazard cells).
    pub prediction_rate_auc: f64,
    pub index_min: f64,
    pub index_max: f64,
    /// Inner upper bounds of the normalised index: the largest value of levels 4, 3
    /// and 2 (a value equal to a bound stays in the lower level).
    pub level_breaks: Vec<f64>,
    /// All four upper bounds (the last is the maximum for natural breaks, +∞ for
    /// fixed breaks).
    pub level_bounds: Vec<f64>,
    pub level_method: &'static str,
    /// Share of the study area per level 1..=4 and of all hazard cells in it.
    pub level_area_share: Vec<f64>,
    pub level_hazard_share: Vec<f64>,
    pub logistic: Option<LogisticFit>,
    #[serde(skip)]
    pub classes: Vec<ClassRow>,
    #[serde(skip)]
    pub roc: Option<RocCurve>,
    #[serde(skip)]
    pub success: Option<RateCurve>,
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
