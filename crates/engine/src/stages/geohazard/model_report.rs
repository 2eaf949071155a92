//! The model report: `report.json` (the method, samples, evaluation and levels of
//! [`ModelReport`], plus what a caller adds) and its tables `classes.csv`, `roc.csv`,
//! `success_rate.csv`, `prediction_rate.csv` and (logistic regression)
//! `coefficients.csv`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use riskcensus_models::geohazard::logistic::LogisticFit;
use riskcensus_models::geohazard::roc::{RateCurve, RocCurve};
use riskcensus_models::geohazard::{ClassRow, Method};
use serde::Serialize;

use crate::error::EngineError;
use crate::output::write_text;

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
    let mut s = String::from(
        "factor,class,label,area_cells,hazard_cells,information_value,frequency_ratio,certainty_factor\n",
    );
    for c in &r.classes {
        let _ = writeln!(
            s,
            "{},{},\"{}\",{},{},{},{},{}",
            c.factor,
            c.class,
            c.label,
            c.area_cells,
            c.hazard_cells,
            num(c.information_value),
            num(c.frequency_ratio),
            num(c.certainty_factor)
        );
    }
    write_text(&dir.join("classes.csv"), &s)?;
    let mut s = String::from("threshold,fpr,tpr\n");
    if let Some(roc) = &r.roc {
        for i in 0..roc.fpr.len() {
            let _ = writeln!(
                s,
                "{},{},{}",
                num(roc.thresholds[i]),
                roc.fpr[i],
                roc.tpr[i]
            );
        }
    }
    write_text(&dir.join("roc.csv"), &s)?;
    for (name, c) in [
        ("success_rate", &r.success),
        ("prediction_rate", &r.prediction),
    ] {
        let mut s = String::from("threshold,area_fraction,hazard_fraction\n");
        if let Some(c) = c {
            for i in 0..c.area_fraction.len() {
                let _ = writeln!(
                    s,
                    "{},{},{}",
                    num(c.thresholds[i]),
                    c.area_fraction[i],
                    c.hazard_fraction[i]
                );
            }
        }
        write_text(&dir.join(format!("{name}.csv")), &s)?;
    }
    if let Some(l) = &r.logistic {
        let mut s = String::from("term,coefficient,std_error,z\n");
        for i in 0..l.names.len() {
            let _ = writeln!(
                s,
                "{},{},{},{}",
                l.names[i], l.coefficients[i], l.std_errors[i], l.z[i]
            );
        }
        write_text(&dir.join("coefficients.csv"), &s)?;
    }
    Ok(path)
}
