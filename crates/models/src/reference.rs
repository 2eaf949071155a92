//! The scalar reference evaluator: per-cell code written directly from the
//! equations of [`crate::transform`] and [`crate::Aggregation`], from the validated
//! [`Model`] (not the compiled program). It fixes the order of operations that the
//! fused kernel must reproduce bit for bit:
//!
//! 1. each factor i in [`Model::factors`] order: s_i = fill_i if x is NaN, else
//!    T_i(x) (f32 arithmetic, parameters rounded to f32);
//! 2. weighted sum r = w_0·s_0 + w_1·s_1 + … (left to right); weighted product
//!    r = s_0^{w_0} · s_1^{w_1} · …; max r = nan_max(…nan_max(s_0, s_1)…);
//!    risk R = ((H·E)·V)·(1 − α·C);
//! 3. level = K − #{breaks ≤ r}, 0 for NaN.
//!
//! Slow on purpose (it re-derives parameters per cell): use it to check kernels.

use crate::error::ScoreError;
use crate::model::{Aggregation, Model};
use crate::program::{nan_max, TileScorer};

/// Score one cell from its input values (in [`Model::inputs`] order).
pub fn score_cell(model: &Model, values: &[f32]) -> Result<f32, ScoreError> {
    let mut s = Vec::with_capacity(model.factors().len());
    for f in model.factors() {
        let x = values[f.input_index];
        let v = if x.is_nan() {
            f.nodata.fill()
        } else {
            match f.transform.eval_reference(x) {
                Some(v) => v,
                None => {
                    return Err(ScoreError::UnknownClass {
                        model: model.id().to_string(),
                        factor: f.id.clone(),
                        value: x,
                        cell: 0,
                    })
                }
            }
        };
        s.push(v);
    }
    Ok(match model.aggregation() {
        Aggregation::WeightedSum { weights } => {
            let mut r = weights[0] as f32 * s[0];
            for i in 1..s.len() {
                r += weights[i] as f32 * s[i];
            }
            r
        }
        Aggregation::WeightedProduct { weights } => {
            let mut r = s[0].powf(weights[0] as f32);
            for i in 1..s.len() {
                r *= s[i].powf(weights[i] as f32);
            }
            r
        }
        Aggregation::Max => s[1..].iter().fold(s[0], |r, &v| nan_max(r, v)),
        Aggregation::Risk { alpha, capacity } => {
            let (h, e, v) = (s[0], s[1], s[2]);
            if *capacity {
                h * e * v * (1.0 - *alpha as f32 * s[3])
            } else {
                h * e * v
            }
        }
    })
}

/// The reference evaluator as a [`TileScorer`], cell by cell.
pub struct Reference<'a>(pub &'a Model);

impl Reference<'_> {
    fn cells(
        &self,
        inputs: &[&[f32]],
        n: usize,
        mut f: impl FnMut(usize, f32),
    ) -> Result<(), ScoreError> {
        let m = self.0;
        if inputs.len() != m.inputs().len() {
            return Err(ScoreError::InputCount {
                model: m.id().into(),
                expected: m.inputs().len(),
                got: inputs.len(),
            });
        }
        for (x, i) in inputs.iter().zip(m.inputs()) {
            if x.len() != n {
                return Err(ScoreError::InputLength {
                    model: m.id().into(),
                    input: i.id.clone(),
                    expected: n,
                    got: x.len(),
                });
            }
        }
        let mut vals = vec![0f32; inputs.len()];
        for c in 0..n {
            for (v, x) in vals.iter_mut().zip(inputs) {
                *v = x[c];
            }
            let r = score_cell(m, &vals).map_err(|e| match e {
                ScoreError::UnknownClass {
                    model,
                    factor,
                    value,
                    ..
                } => ScoreError::UnknownClass {
                    model,
                    factor,
                    value,
                    cell: c,
                },
                e => e,
            })?;
            f(c, r);
        }
        Ok(())
    }
}

impl TileScorer for Reference<'_> {
    fn input_count(&self) -> usize {
        self.0.inputs().len()
    }

    fn score_tile(&self, inputs: &[&[f32]], out: &mut [f32]) -> Result<(), ScoreError> {
        self.cells(inputs, out.len(), |c, r| out[c] = r)
    }

    fn score_classify_tile(
        &self,
        inputs: &[&[f32]],
        mut score: Option<&mut [f32]>,
        levels: &mut [u8],
    ) -> Result<(), ScoreError> {
        let Some(cl) = self.0.classification().filter(|c| c.has_breaks()) else {
            return Err(ScoreError::NoClassification {
                model: self.0.id().into(),
            });
        };
        self.cells(inputs, levels.len(), |c, r| {
            if let Some(s) = score.as_deref_mut() {
                s[c] = r;
            }
            levels[c] = cl.code(r);
        })
    }
}
