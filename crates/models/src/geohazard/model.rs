//! A trained susceptibility model: per-factor, per-class lookup tables and the rule
//! that combines them, and the per-class report table.
//!
//! | method | class value v_f(k) | cell score |
//! |---|---|---|
//! | `iv` | information value I | Σ_f v_f |
//! | `fr` | frequency ratio FR | Σ_f v_f (LSI) |
//! | `cf` | certainty factor CF | CF combination rule over f in order |
//! | `lr` | the predictor x_f(k): information value I (`lr_predictors = "iv"`, the default) or frequency ratio FR (`"fr"`) | P = σ(β₀ + Σ_f β_f·x_f) |
//! | `expert` | w_f · e_f(k) (AHP weight × expert score) | Σ_f v_f |
//!
//! Logistic regression on the information values (or frequency ratios) of the
//! classes, rather than one dummy per class, keeps one coefficient per factor, so the
//! fit stays identified with a few dozen hazard cells and empty classes cannot
//! separate the data; the coefficients say how much each factor's evidence counts
//! once the others are known. The frequency-ratio predictor is the form of Lee &
//! Pradhan (2007) and of tools such as LSAT that feed bivariate class weights to the
//! regression. Sums run in factor order, so scores are deterministic.
//!
//! A class with no hazard cell (N_i = 0) gets FR = 0, I = ln[(½/N)/(S_i/S)] (the
//! Haldane–Anscombe ½, [`super::information_value`]) and CF = −1; a class with no
//! study-area cell gets 0 in all three. None is NaN or infinite.

use serde::Serialize;

use super::certainty_factor::{certainty_factors, combine};
use super::counts::{ClassCounts, SampleTable};
use super::error::GeohazardError;
use super::expert::expert_tables;
use super::frequency_ratio::frequency_ratios;
use super::information_value::information_values;
use super::logistic::{self, sigmoid, LogisticFit};
use super::params::{GeohazardParams, LrPredictors, Method};

/// Cells per chunk of [`TrainedModel::score_columns`].
pub const SCORE_CHUNK: usize = 1024;

/// A trained (or expert) model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainedModel {
    /// The method that produced the class values.
    pub method: Method,
    /// Factor ids, in column order.
    pub factors: Vec<String>,
    /// Classes per factor K_f.
    pub classes: Vec<usize>,
    /// `values[f][k − 1]`: the method's class value (see the module table).
    pub values: Vec<Vec<f64>>,
    /// Logistic regression fit (`lr`).
    pub logistic: Option<LogisticFit>,
    /// The predictor of the regression (`lr` only).
    pub lr_predictors: Option<LrPredictors>,
    /// Lookup tables actually summed per cell: `values` for iv/fr/cf/expert,
    /// β_f · I_f(k) for lr.
    #[serde(skip)]
    tables: Vec<Vec<f64>>,
}

/// One row of the per-class report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassRow {
    /// Factor id.
    pub factor: String,
    /// Class index, 1-based.
    pub class: usize,
    /// Class label supplied by the caller (e.g. its value range), empty if none.
    pub label: String,
    /// Study-area cells in the class S_i.
    pub area_cells: u64,
    /// Hazard cells in the class N_i.
    pub hazard_cells: u64,
    /// I = ln[(N_i/N)/(S_i/S)] (Yin & Yan 1988).
    pub information_value: f64,
    /// FR = (N_i/N)/(S_i/S) (Lee & Pradhan 2007).
    pub frequency_ratio: f64,
    /// Certainty factor in [−1, 1] (favourability form of Chung & Fabbri 1993).
    pub certainty_factor: f64,
}

/// The minimum-count check: `Err(TooFewPoints)` below `need` hazard cells.
pub fn check_count(method: Method, have: usize, need: usize) -> Result<(), GeohazardError> {
    if method.is_statistical() && have < need {
        return Err(GeohazardError::TooFewPoints {
            method: method.id().into(),
            have,
            need,
            reason: "per-class ratios from a handful of cells swing with every point, and a \
                     logistic regression needs about ten events per covariate (Peduzzi et al. \
                     1996, J. Clin. Epidemiol. 49, 1373–1379)"
                .into(),
        });
    }
    Ok(())
}

impl TrainedModel {
    /// Train `method` from the study-area/training-hazard `counts`; `training` holds
    /// the training samples (hazard and non-hazard, used by `lr`). `expert` tables
    /// come from the parameter file (see [`expert_tables`]). Logistic regression
    /// takes the information values as predictors.
    pub fn train(
        method: Method,
        factors: &[String],
        counts: &ClassCounts,
        training: &SampleTable,
        expert: Option<Vec<Vec<f64>>>,
    ) -> Result<Self, GeohazardError> {
        Self::train_with(method, factors, counts, training, expert, LrPredictors::Iv)
    }

    /// As [`TrainedModel::train`], with logistic regression on the predictor `lr`
    /// (ignored by the other methods).
    pub fn train_with(
        method: Method,
        factors: &[String],
        counts: &ClassCounts,
        training: &SampleTable,
        expert: Option<Vec<Vec<f64>>>,
        lr: LrPredictors,
    ) -> Result<Self, GeohazardError> {
        let classes: Vec<usize> = counts.area.iter().map(Vec::len).collect();
        if training.classes != classes || factors.len() != classes.len() {
            return Err(GeohazardError::Samples(
                "the training table and the counts describe different factors".into(),
            ));
        }
        let (values, logistic, tables) = match method {
            Method::Iv => {
                let v = information_values(counts);
                (v.clone(), None, v)
            }
            Method::Fr => {
                let v = frequency_ratios(counts);
                (v.clone(), None, v)
            }
            Method::Cf => {
                let v = certainty_factors(counts);
                (v.clone(), None, v)
            }
            Method::Lr => {
                let v = match lr {
                    LrPredictors::Iv => information_values(counts),
                    LrPredictors::Fr => frequency_ratios(counts),
                };
                let x = covariates(&v, training);
                let fit = logistic::fit(&x, &training.labels, factors)?;
                let tables = v
                    .iter()
                    .zip(&fit.coefficients[1..])
                    .map(|(t, b)| t.iter().map(|x| b * x).collect())
                    .collect();
                (v, Some(fit), tables)
            }
            Method::Expert => {
                let t = expert.ok_or_else(|| {
                    GeohazardError::Expert("no AHP matrix or expert class scores".into())
                })?;
                (t.clone(), None, t)
            }
        };
        Ok(Self {
            method,
            factors: factors.to_vec(),
            classes,
            values,
            lr_predictors: (method == Method::Lr).then_some(lr),
            logistic,
            tables,
        })
    }

    /// Expert model from validated parameters.
    pub fn expert(p: &GeohazardParams) -> Result<Self, GeohazardError> {
        let t = expert_tables(p)
            .ok_or_else(|| GeohazardError::Expert("no AHP matrix or expert class scores".into()))?;
        Ok(Self {
            method: Method::Expert,
            factors: p.factor_ids(),
            classes: p.classes(),
            values: t.clone(),
            logistic: None,
            lr_predictors: None,
            tables: t,
        })
    }

    /// Score of one row of class codes (1-based); NaN if any is 0 (nodata).
    #[inline]
    pub fn score_row(&self, row: &[u16]) -> f64 {
        if row.contains(&0) {
            return f64::NAN;
        }
        match self.method {
            Method::Cf => {
                let mut z = self.tables[0][row[0] as usize - 1];
                for (t, &c) in self.tables.iter().zip(row).skip(1) {
                    z = combine(z, t[c as usize - 1]);
                }
                z
            }
            Method::Lr => {
                let mut e = self.logistic.as_ref().map_or(0.0, |f| f.coefficients[0]);
                for (t, &c) in self.tables.iter().zip(row) {
                    e += t[c as usize - 1];
                }
                sigmoid(e)
            }
            _ => {
                let mut s = 0.0;
                for (t, &c) in self.tables.iter().zip(row) {
                    s += t[c as usize - 1];
                }
                s
            }
        }
    }

    /// Score cells given one class column per factor (equal lengths); writes f32
    /// scores, NaN where a factor is nodata (0) or a code is out of range.
    ///
    /// Column-wise in chunks of [`SCORE_CHUNK`] cells: each factor's column is read
    /// once per chunk into an f64 accumulator, in factor order, so every cell gets
    /// exactly the operations of [`TrainedModel::score_row`] (bit-identical).
    pub fn score_columns(&self, columns: &[&[u16]], out: &mut [f32]) {
        assert_eq!(columns.len(), self.tables.len(), "one column per factor");
        let n = out.len();
        assert!(
            columns.iter().all(|c| c.len() == n),
            "columns differ in length"
        );
        let mut acc = [0f64; SCORE_CHUNK];
        let mut bad = [false; SCORE_CHUNK];
        let init = match self.method {
            Method::Lr => self.logistic.as_ref().map_or(0.0, |f| f.coefficients[0]),
            _ => 0.0,
        };
        let mut start = 0;
        while start < n {
            let len = SCORE_CHUNK.min(n - start);
            let (acc, bad) = (&mut acc[..len], &mut bad[..len]);
            acc.iter_mut().for_each(|a| *a = init);
            bad.iter_mut().for_each(|b| *b = false);
            for (f, (col, table)) in columns.iter().zip(&self.tables).enumerate() {
                let col = &col[start..start + len];
                let k_max = table.len();
                for ((a, b), &k) in acc.iter_mut().zip(bad.iter_mut()).zip(col) {
                    let k = k as usize;
                    if k == 0 || k > k_max {
                        *b = true;
                        continue;
                    }
                    let v = table[k - 1];
                    *a = if self.method == Method::Cf {
                        if f == 0 {
                            v
                        } else {
                            combine(*a, v)
                        }
                    } else {
                        *a + v
                    };
                }
            }
            let o = &mut out[start..start + len];
            for ((o, &a), &b) in o.iter_mut().zip(acc.iter()).zip(bad.iter()) {
                *o = if b {
                    f32::NAN
                } else if self.method == Method::Lr {
                    sigmoid(a) as f32
                } else {
                    a as f32
                };
            }
            start += len;
        }
    }

    /// Scores of every sample of a table (f64, for ROC).
    pub fn score_table(&self, t: &SampleTable) -> Vec<f64> {
        (0..t.len()).map(|s| self.score_row(t.row(s))).collect()
    }
}

/// Covariate matrix of `lr`: the class value (`values[f][k − 1]`, information
/// value or frequency ratio) of each sample's class, per factor.
pub fn covariates(values: &[Vec<f64>], t: &SampleTable) -> Vec<f64> {
    let nf = values.len();
    let mut x = Vec::with_capacity(t.len() * nf);
    for s in 0..t.len() {
        for (f, &c) in t.row(s).iter().enumerate() {
            x.push(values[f][c as usize - 1]);
        }
    }
    x
}

/// The per-class table (IV, FR and CF for every class whatever the method).
pub fn class_table(
    factors: &[String],
    labels: &[Vec<String>],
    counts: &ClassCounts,
) -> Vec<ClassRow> {
    let iv = information_values(counts);
    let fr = frequency_ratios(counts);
    let cf = certainty_factors(counts);
    let mut rows = Vec::new();
    for (f, id) in factors.iter().enumerate() {
        for k in 0..counts.area[f].len() {
            rows.push(ClassRow {
                factor: id.clone(),
                class: k + 1,
                label: labels
                    .get(f)
                    .and_then(|l| l.get(k))
                    .cloned()
                    .unwrap_or_default(),
                area_cells: counts.area[f][k],
                hazard_cells: counts.hazard[f][k],
                information_value: iv[f][k],
                frequency_ratio: fr[f][k],
                certainty_factor: cf[f][k],
            });
        }
    }
    rows
}
