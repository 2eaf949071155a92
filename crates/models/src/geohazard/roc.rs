//! Receiver operating characteristic, AUC, and success-/prediction-rate curves.
//!
//! **ROC and AUC.** Samples are ranked by score, descending; each distinct score is a
//! threshold t and gives the point (FPR, TPR) = (#neg ≥ t / N, #pos ≥ t / P), from
//! (0, 0) to (1, 1) (Fawcett, T. (2006) An introduction to ROC analysis. Pattern
//! Recognition Letters 27, 861–874, algorithm 1, ties grouped). The area under it by
//! the trapezoid rule equals the Mann–Whitney statistic with ties counted ½:
//!
//! ```text
//! AUC = [#{(i, j): s_i > s_j} + ½ #{(i, j): s_i = s_j}] / (P · N),  i positive, j negative
//! ```
//!
//! (Hanley, J.A. & McNeil, B.J. (1982) Radiology 143, 29–36), which is what
//! scikit-learn's `roc_auc_score` returns. It is computed here in integer counts
//! (twice the pair count, exact in u128) and one final division.
//!
//! **Success and prediction rates** (Chung, C.F. & Fabbri, A.G. (2003) Validation of
//! spatial prediction models for landslide hazard mapping. Natural Hazards 30,
//! 451–472): the study-area cells are ranked by susceptibility, descending; the curve
//! gives, for the most susceptible fraction a of the area, the fraction of hazard
//! cells inside it — the training cells (success rate: how well the model fits) or
//! the held-out test cells (prediction rate: how well it predicts). Its area is
//! computed by the trapezoid rule over every distinct score; the curve is reported at
//! the first thresholds reaching each whole percent of the area.

use serde::Serialize;

use super::error::GeohazardError;

/// A ROC curve: one point per distinct score, highest threshold first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RocCurve {
    /// False-positive rate of each point, from 0 to 1.
    pub fpr: Vec<f64>,
    /// True-positive rate of each point, from 0 to 1.
    pub tpr: Vec<f64>,
    /// Threshold of each point (the first is +∞: nothing predicted positive).
    pub thresholds: Vec<f64>,
    /// Area under the curve (Mann–Whitney, ties ½).
    pub auc: f64,
    /// Samples labelled 1.
    pub positives: usize,
    /// Samples labelled 0.
    pub negatives: usize,
}

fn counts(labels: &[u8]) -> (usize, usize) {
    let p = labels.iter().filter(|&&l| l == 1).count();
    (p, labels.len() - p)
}

/// Indices of `scores` sorted by score descending (ties in index order).
fn order_desc(scores: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    idx
}

/// AUC by the Mann–Whitney rule, ties counted ½. Scores must not be NaN.
pub fn auc(scores: &[f64], labels: &[u8]) -> Result<f64, GeohazardError> {
    Ok(roc_curve(scores, labels)?.auc)
}

/// The ROC curve and its AUC. Scores must not be NaN.
pub fn roc_curve(scores: &[f64], labels: &[u8]) -> Result<RocCurve, GeohazardError> {
    if scores.len() != labels.len() {
        return Err(GeohazardError::Samples(format!(
            "{} scores for {} labels",
            scores.len(),
            labels.len()
        )));
    }
    if let Some(i) = scores.iter().position(|s| s.is_nan()) {
        return Err(GeohazardError::Samples(format!("sample {i}: score is NaN")));
    }
    let (pos, neg) = counts(labels);
    if pos == 0 || neg == 0 {
        return Err(GeohazardError::OneClass {
            what: "ROC".into(),
            positives: pos,
            negatives: neg,
        });
    }
    let idx = order_desc(scores);
    let mut fpr = vec![0.0];
    let mut tpr = vec![0.0];
    let mut thresholds = vec![f64::INFINITY];
    // Walking down the ranking, each negative of a tie group is beaten by every
    // positive seen so far (higher score) and ties with the group's positives (½).
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut twice: u128 = 0;
    let mut k = 0;
    while k < idx.len() {
        let s = scores[idx[k]];
        let (mut gp, mut gn) = (0u64, 0u64);
        while k < idx.len() && scores[idx[k]] == s {
            if labels[idx[k]] == 1 {
                gp += 1;
            } else {
                gn += 1;
            }
            k += 1;
        }
        twice += 2 * tp as u128 * gn as u128 + gp as u128 * gn as u128;
        tp += gp;
        fp += gn;
        fpr.push(fp as f64 / neg as f64);
        tpr.push(tp as f64 / pos as f64);
        thresholds.push(s);
    }
    let auc = twice as f64 / (2.0 * pos as f64 * neg as f64);
    Ok(RocCurve {
        fpr,
        tpr,
        thresholds,
        auc,
        positives: pos,
        negatives: neg,
    })
}

/// A success- or prediction-rate curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateCurve {
    /// Cumulative fraction of the study area (most susceptible first).
    pub area_fraction: Vec<f64>,
    /// Fraction of the hazard cells inside that area.
    pub hazard_fraction: Vec<f64>,
    /// Threshold (susceptibility) of each point.
    pub thresholds: Vec<f64>,
    /// Area under the full curve (trapezoid over every distinct score).
    pub auc: f64,
    /// Study-area cells (valid scores).
    pub cells: usize,
    /// Hazard cells.
    pub hazards: usize,
}

/// The rate curve of `hazard_scores` against the study area `area_scores` (NaN
/// cells are outside the study area and skipped; NaN hazard scores are refused).
pub fn rate_curve(area_scores: &[f32], hazard_scores: &[f32]) -> Result<RateCurve, GeohazardError> {
    let mut area: Vec<f32> = area_scores
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .collect();
    let mut haz: Vec<f32> = hazard_scores.to_vec();
    if haz.iter().any(|v| v.is_nan()) {
        return Err(GeohazardError::Samples(
            "a hazard cell has no susceptibility (NaN)".into(),
        ));
    }
    if area.is_empty() || haz.is_empty() {
        return Err(GeohazardError::OneClass {
            what: "rate curve".into(),
            positives: haz.len(),
            negatives: area.len(),
        });
    }
    area.sort_unstable_by(|a, b| b.total_cmp(a));
    haz.sort_unstable_by(|a, b| b.total_cmp(a));
    let (na, nh) = (area.len() as f64, haz.len() as f64);
    let mut out = RateCurve {
        area_fraction: vec![0.0],
        hazard_fraction: vec![0.0],
        thresholds: vec![f64::INFINITY],
        auc: 0.0,
        cells: area.len(),
        hazards: haz.len(),
    };
    let (mut a, mut h) = (0usize, 0usize);
    let (mut px, mut py) = (0.0f64, 0.0f64);
    let mut next_pct = 1usize;
    let mut auc = 0.0;
    while a < area.len() {
        let s = area[a];
        while a < area.len() && area[a] == s {
            a += 1;
        }
        while h < haz.len() && haz[h] >= s {
            h += 1;
        }
        let (x, y) = (a as f64 / na, h as f64 / nh);
        auc += (x - px) * (y + py) * 0.5;
        (px, py) = (x, y);
        if a * 100 >= next_pct * area.len() {
            out.area_fraction.push(x);
            out.hazard_fraction.push(y);
            out.thresholds.push(s as f64);
            next_pct = a * 100 / area.len() + 1;
        }
    }
    // Hazard cells below every area score (outside the area's range) close the curve.
    if py < 1.0 {
        auc += (1.0 - px) * (1.0 + py) * 0.5;
        if *out.area_fraction.last().unwrap() < 1.0 || *out.hazard_fraction.last().unwrap() < 1.0 {
            out.area_fraction.push(1.0);
            out.hazard_fraction.push(1.0);
            out.thresholds.push(f64::NEG_INFINITY);
        }
    }
    out.auc = auc;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_with_ties_by_hand() {
        // positives 0.9, 0.5, 0.5; negatives 0.5, 0.1.
        // pairs: 0.9 beats both (2); each 0.5 positive ties 0.5 (½) and beats 0.1 (1).
        // (2 + 1.5 + 1.5) / 6 = 5/6.
        let s = [0.9, 0.5, 0.5, 0.5, 0.1];
        let l = [1, 1, 1, 0, 0];
        let r = roc_curve(&s, &l).unwrap();
        assert!((r.auc - 5.0 / 6.0).abs() < 1e-15);
        assert_eq!(r.fpr, vec![0.0, 0.0, 0.5, 1.0]);
        assert_eq!(r.tpr, vec![0.0, 1.0 / 3.0, 1.0, 1.0]);
    }

    #[test]
    fn one_class_is_refused() {
        assert!(auc(&[0.1, 0.2], &[1, 1]).is_err());
    }

    #[test]
    fn rate_curve_by_hand() {
        // Area scores 4, 3, 2, 1 (one cell each); hazard cells score 4 and 2.
        // Points: (.25, .5) (.5, .5) (.75, 1) (1, 1).
        // Area: .25·.5/2 + .25·(.5+.5)/2 + .25·(.5+1)/2 + .25·(1+1)/2 = 0.0625+0.125+0.1875+0.25
        let r = rate_curve(&[1.0, 2.0, 3.0, 4.0], &[4.0, 2.0]).unwrap();
        assert!((r.auc - 0.625).abs() < 1e-15, "{}", r.auc);
        assert_eq!(r.area_fraction, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(r.hazard_fraction, vec![0.0, 0.5, 0.5, 1.0, 1.0]);
    }
}
