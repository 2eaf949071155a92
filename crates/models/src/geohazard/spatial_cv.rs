//! Spatially blocked k-fold cross-validation of the susceptibility model.
//!
//! Landslide inventories and the factors that explain them are spatially
//! autocorrelated. A random split puts near neighbours of every test cell in the
//! training set, so its AUC measures how well the model interpolates between them
//! rather than how well it predicts where it was not trained. Holding out whole
//! blocks, larger than the range of the autocorrelation, removes most of that
//! leakage: Roberts, D.R. et al. (2017) Cross-validation strategies for data with
//! temporal, spatial, hierarchical, or phylogenetic structure. Ecography 40,
//! 913–929 (§"Blocking", fig. 2); the blocks and folds of Valavi, R., Elith, J.,
//! Lahoz-Monfort, J.J. & Guillera-Arroita, G. (2019) blockCV: an R package for
//! generating spatially or environmentally separated folds for k-fold
//! cross-validation of species distribution models. Methods in Ecology and
//! Evolution 10, 225–232.
//!
//! **Groups.** Every sample (hazard or non-hazard cell, [`super::sampling`]) belongs
//! to one group, and a group goes whole into one fold:
//!
//! - *blocks* ([`block_groups`]): square blocks of side L metres anchored at the
//!   grid's north-west corner; cell (r, c) of size a belongs to block
//!   (⌊(r + ½)·a / L⌋, ⌊(c + ½)·a / L⌋), the block holding its centre;
//! - *townships* (or any admin unit): the caller gives each sample's unit; samples
//!   without one take no part;
//! - *single samples*: each sample its own group — ordinary (class-stratified)
//!   random k-fold, the reference the blocked figure is compared with.
//!
//! **Fold assignment** ([`assign_folds`], this project's rule): the groups holding
//! samples, in ascending id, are shuffled by a Fisher–Yates shuffle driven by
//! ChaCha8 seeded with the rule's seed; then, in order of hazard samples
//! descending, non-hazard samples descending and shuffled rank, each group goes to
//! the fold with the fewest hazard samples so far (a group without hazard samples:
//! the fewest non-hazard samples), ties to the fold with fewer samples of the other
//! label, then the lowest fold index. This greedy balance (largest first) keeps
//! hazard samples in every fold when at least k groups hold one — blockCV aims at the
//! same even class split by repeating random assignments; the seed decides among
//! groups of equal counts. Fewer groups than folds is an error.
//!
//! **Per fold** ([`cross_validate`]): the model is trained, exactly as the main fit,
//! on the samples of the other folds (study-area class counts S_i over the whole
//! study area, hazard counts N_i from the training hazard samples) and scores the
//! held-out samples; the fold's AUC is the Mann–Whitney AUC ([`super::roc`]). A fold
//! without both hazard and non-hazard samples, or whose training fails (e.g. a
//! separated logistic regression), has no AUC (NaN, JSON `null`, with the reason);
//! the mean is the arithmetic mean over the folds with an AUC, summed in fold order.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::counts::{ClassCounts, SampleTable};
use super::error::GeohazardError;
use super::model::TrainedModel;
use super::params::{LrPredictors, Method};
use super::roc::roc_curve;

/// How samples are grouped into folds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum CvBy {
    /// No cross-validation.
    None,
    /// Square blocks of side `size_m` metres.
    Blocks {
        /// Block side, metres.
        size_m: f64,
    },
    /// Townships: the admin unit of each sample, given by the caller.
    Townships,
}

impl CvBy {
    /// `none`, `blocks` or `townships`.
    pub fn id(self) -> &'static str {
        match self {
            CvBy::None => "none",
            CvBy::Blocks { .. } => "blocks",
            CvBy::Townships => "townships",
        }
    }
}

/// The cross-validation rule (`[cross_validation]` of the parameter file).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CvRule {
    /// How samples are grouped.
    #[serde(flatten)]
    pub by: CvBy,
    /// Number of folds k (≥ 2).
    pub folds: usize,
    /// Seed of the fold assignment (ChaCha8).
    pub seed: u64,
}

impl CvRule {
    /// No cross-validation.
    pub fn none() -> Self {
        Self {
            by: CvBy::None,
            folds: 0,
            seed: 0,
        }
    }
}

/// The block of each cell of `cells` (row-major indices on a grid of `cols`
/// columns and `cell_size` metres) for blocks of side `size_m` metres (see the
/// module doc); the id is `block_row << 32 | block_col`.
pub fn block_groups(cells: &[usize], cols: usize, cell_size: f64, size_m: f64) -> Vec<Option<u64>> {
    let per = cell_size / size_m;
    cells
        .iter()
        .map(|&i| {
            let (r, c) = (i / cols, i % cols);
            let br = ((r as f64 + 0.5) * per).floor() as u64;
            let bc = ((c as f64 + 0.5) * per).floor() as u64;
            Some(br << 32 | bc)
        })
        .collect()
}

/// The folds of the samples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Folds {
    /// Number of folds k.
    pub k: usize,
    /// Fold of each sample (`None`: the sample has no group and takes no part).
    pub of_sample: Vec<Option<usize>>,
    /// Fold of each group id.
    pub of_group: BTreeMap<u64, usize>,
}

impl Folds {
    /// Groups per fold.
    pub fn groups_per_fold(&self) -> Vec<usize> {
        let mut n = vec![0; self.k];
        for &f in self.of_group.values() {
            n[f] += 1;
        }
        n
    }
}

/// Assign the groups of the samples (`groups[s]`, `labels[s]` 1 = hazard) to `k`
/// folds (see the module doc); `by` names the groups in the error when fewer than
/// `k` hold samples.
pub fn assign_folds(
    groups: &[Option<u64>],
    labels: &[u8],
    k: usize,
    seed: u64,
    by: &str,
) -> Result<Folds, GeohazardError> {
    assert_eq!(groups.len(), labels.len(), "one group per sample");
    // (hazard, non-hazard) samples per group, ascending id.
    let mut tally: BTreeMap<u64, (usize, usize)> = BTreeMap::new();
    for (g, &l) in groups.iter().zip(labels) {
        if let Some(g) = g {
            let e = tally.entry(*g).or_default();
            if l == 1 {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    if k < 2 || tally.len() < k {
        return Err(GeohazardError::CvGroups {
            by: by.into(),
            groups: tally.len(),
            folds: k,
        });
    }
    let mut order: Vec<(u64, usize, usize)> = tally.iter().map(|(&g, &(h, n))| (g, h, n)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for i in (1..order.len()).rev() {
        let j = rng.random_range(0..=i as u64) as usize;
        order.swap(i, j);
    }
    let mut ranked: Vec<(usize, (u64, usize, usize))> = order.into_iter().enumerate().collect();
    ranked.sort_by_key(|&(rank, (_, h, n))| (Reverse(h), Reverse(n), rank));
    let mut load = vec![(0usize, 0usize); k];
    let mut of_group = BTreeMap::new();
    for (_, (g, h, n)) in ranked {
        let f = (0..k)
            .min_by_key(|&f| {
                let (fh, fn_) = load[f];
                if h > 0 {
                    (fh, fn_, f)
                } else {
                    (fn_, fh, f)
                }
            })
            .expect("k ≥ 2");
        load[f].0 += h;
        load[f].1 += n;
        of_group.insert(g, f);
    }
    let of_sample = groups.iter().map(|g| g.map(|g| of_group[&g])).collect();
    Ok(Folds {
        k,
        of_sample,
        of_group,
    })
}

/// One fold's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoldScore {
    /// Fold index, 0-based.
    pub fold: usize,
    /// Groups (blocks, townships or samples) in the fold.
    pub groups: usize,
    /// Samples trained on (the other folds).
    pub train_samples: usize,
    /// Hazard samples held out.
    pub test_hazard: usize,
    /// Non-hazard samples held out.
    pub test_non_hazard: usize,
    /// AUC of the held-out samples; NaN (JSON `null`) when the fold lacks a class
    /// or its training failed.
    pub auc: f64,
    /// Why the fold has no AUC.
    pub note: Option<String>,
}

/// The folds' figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CvOutcome {
    /// One entry per fold.
    pub folds: Vec<FoldScore>,
    /// Mean AUC over the folds with an AUC (NaN when none has one).
    pub auc_mean: f64,
    /// Folds with an AUC.
    pub folds_scored: usize,
    /// Samples without a group (no township), not used.
    pub unassigned_samples: usize,
}

impl CvOutcome {
    /// The AUC of each fold, in fold order.
    pub fn auc_per_fold(&self) -> Vec<f64> {
        self.folds.iter().map(|f| f.auc).collect()
    }
}

/// Train `method` on all folds but one and score the held-out fold, for every fold.
/// `area` holds the study-area class counts (its hazard counts are ignored),
/// `samples` every sample in the order of `folds.of_sample`.
pub fn cross_validate(
    area: &ClassCounts,
    samples: &SampleTable,
    folds: &Folds,
    method: Method,
    lr: LrPredictors,
) -> Result<CvOutcome, GeohazardError> {
    if folds.of_sample.len() != samples.len() {
        return Err(GeohazardError::Samples(format!(
            "{} fold assignments for {} samples",
            folds.of_sample.len(),
            samples.len()
        )));
    }
    let groups = folds.groups_per_fold();
    let zero = ClassCounts::zeros(&samples.classes);
    let mut out = Vec::with_capacity(folds.k);
    for (k, &fold_groups) in groups.iter().enumerate() {
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for (s, f) in folds.of_sample.iter().enumerate() {
            match f {
                Some(f) if *f == k => test.push(s),
                Some(_) => train.push(s),
                None => {}
            }
        }
        let train_t = samples.subset(&train);
        let test_t = samples.subset(&test);
        let test_hazard = test_t.labels.iter().filter(|&&l| l == 1).count();
        let mut counts = ClassCounts {
            area: area.area.clone(),
            hazard: zero.hazard.clone(),
        };
        for r in 0..train_t.len() {
            if train_t.labels[r] == 1 {
                counts.add_hazard(train_t.row(r));
            }
        }
        let (auc, note) = if test_hazard == 0 || test_hazard == test_t.len() {
            (
                f64::NAN,
                Some(format!(
                    "the fold holds {test_hazard} hazard and {} non-hazard samples; an AUC needs both",
                    test_t.len() - test_hazard
                )),
            )
        } else {
            match TrainedModel::train_with(method, &samples.factors, &counts, &train_t, None, lr) {
                Ok(m) => (
                    roc_curve(&m.score_table(&test_t), &test_t.labels)?.auc,
                    None,
                ),
                Err(e) => (f64::NAN, Some(format!("training failed: {e}"))),
            }
        };
        out.push(FoldScore {
            fold: k,
            groups: fold_groups,
            train_samples: train.len(),
            test_hazard,
            test_non_hazard: test_t.len() - test_hazard,
            auc,
            note,
        });
    }
    let scored: Vec<f64> = out.iter().map(|f| f.auc).filter(|a| !a.is_nan()).collect();
    let auc_mean = if scored.is_empty() {
        f64::NAN
    } else {
        scored.iter().sum::<f64>() / scored.len() as f64
    };
    Ok(CvOutcome {
        folds_scored: scored.len(),
        auc_mean,
        folds: out,
        unassigned_samples: folds.of_sample.iter().filter(|f| f.is_none()).count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 m blocks on 30 m cells: centres at 15, 45, 75 m lie in block 0, 105 m in
    /// block 1 (by hand).
    #[test]
    fn a_cell_belongs_to_the_block_of_its_centre() {
        let cols = 10;
        let g = block_groups(&[0, 2, 3, 3 * cols + 4], cols, 30.0, 100.0);
        assert_eq!(g, vec![Some(0), Some(0), Some(1), Some(1 << 32 | 1)]);
    }

    /// Fewer groups than folds is named.
    #[test]
    fn too_few_groups_are_refused() {
        let e = assign_folds(&[Some(1), Some(1), Some(2)], &[1, 0, 1], 3, 1, "blocks").unwrap_err();
        assert!(
            matches!(
                e,
                GeohazardError::CvGroups {
                    groups: 2,
                    folds: 3,
                    ..
                }
            ),
            "{e}"
        );
    }

    /// Largest groups first, each to the fold with the fewest hazard samples: groups
    /// with 3, 2, 2, 1 hazard samples in 2 folds → {3, 1} and {2, 2}, whatever the
    /// seed (no ties in the counts decide differently).
    #[test]
    fn greedy_balance_by_hand() {
        let mut groups = Vec::new();
        let mut labels = Vec::new();
        for (g, h) in [(10u64, 3usize), (20, 2), (30, 2), (40, 1)] {
            for _ in 0..h {
                groups.push(Some(g));
                labels.push(1);
            }
            groups.push(Some(g));
            labels.push(0);
        }
        for seed in [1, 2, 3] {
            let f = assign_folds(&groups, &labels, 2, seed, "blocks").unwrap();
            assert_eq!(f.of_group[&10], f.of_group[&40]);
            assert_eq!(f.of_group[&20], f.of_group[&30]);
            assert_ne!(f.of_group[&10], f.of_group[&20]);
        }
    }
}
