//! Training samples from an inventory of hazard points.
//!
//! - **Hazard cells (label 1)**: every valid cell (all factors have a class) holding
//!   at least one inventory point; several points in one cell make one sample (a
//!   cell is the unit the model scores). Points on invalid cells are counted and
//!   dropped.
//! - **Non-hazard cells (label 0)**: `round(negative_ratio × hazard cells)` cells
//!   drawn uniformly without replacement from the valid cells whose centre lies
//!   farther than `buffer_m` metres from every inventory point (the buffer keeps
//!   unmapped parts of a mapped failure and its run-out out of the negatives, a
//!   common rule in the susceptibility literature, e.g. Reichenbach, P. et al. (2018)
//!   A review of statistically-based landslide susceptibility models. Earth-Science
//!   Reviews 180, 60–91, §4). The draw is a partial Fisher–Yates shuffle of the
//!   eligible cells (in row-major order) driven by ChaCha8 seeded with `seed`.
//! - **Given non-hazard cells** (instead of the draw, [`with_negatives`]): the
//!   distinct valid cells holding at least one given non-hazard point, as peers
//!   such as LSAT and SAGA's tools accept an absence sample. A point outside the grid
//!   is an error naming it; a point on a cell where a factor has no class, or on a
//!   cell that holds an inventory point (the cell is a hazard cell), is dropped and
//!   counted. The buffer and `negative_ratio` do not apply: the caller chose the
//!   cells.
//! - **Split**: stratified: the hazard and the non-hazard samples are each shuffled
//!   (ChaCha8, `seed`, stream 1) and the first `round(test_fraction × n)` of each go
//!   to the test set, the rest to training.
//!
//! Same inputs and seed → the same samples on every platform (ChaCha is portable;
//! indices are drawn as u64).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::error::GeohazardError;

/// The sampling rule (from `models/geohazard.toml`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SamplingRule {
    /// Seed of the draw and of the split (ChaCha8).
    pub seed: u64,
    /// Non-hazard cells per hazard cell.
    pub negative_ratio: f64,
    /// Exclusion radius around inventory points, metres.
    pub buffer_m: f64,
    /// Share of each class held out for testing, in [0, 1).
    pub test_fraction: f64,
}

/// The drawn samples. Cell indices are row-major (`row * cols + col`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleSet {
    /// Hazard cells first (ascending), then non-hazard cells (ascending).
    pub cells: Vec<usize>,
    /// One label per cell of `cells`: 1 = hazard, 0 = non-hazard.
    pub labels: Vec<u8>,
    /// Indices into `cells`, ascending.
    pub train: Vec<usize>,
    /// Indices into `cells`, ascending.
    pub test: Vec<usize>,
    /// Inventory points read.
    pub points: usize,
    /// Points on cells where a factor is nodata (not used).
    pub points_on_nodata: usize,
    /// Valid cells outside the buffer (the pool of non-hazard cells); with given
    /// non-hazard points, the distinct cells they give.
    pub eligible_negatives: usize,
    /// Where the non-hazard cells came from.
    pub negatives: NegativeSource,
}

/// Where the non-hazard samples came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NegativeSource {
    /// Drawn at random outside the buffer ([`draw`]).
    Drawn,
    /// Given as points ([`with_negatives`]).
    Given {
        /// Non-hazard points given.
        points: usize,
        /// Of them on cells where a factor is nodata (dropped).
        on_nodata: usize,
        /// Of them on cells that hold an inventory point (dropped).
        on_hazard_cells: usize,
    },
}

impl SampleSet {
    /// Number of hazard samples.
    pub fn hazard_cells(&self) -> usize {
        self.labels.iter().filter(|&&l| l == 1).count()
    }
}

/// Hazard cells of the inventory: `points` in fractional cell coordinates
/// (col, row) — the centre of cell (r, c) is (c + 0.5, r + 0.5) — on a grid of
/// `rows × cols`; `valid[i]` says whether cell i has every factor.
/// Returns (sorted distinct valid cells, points on nodata).
pub fn hazard_cells(
    points: &[(f64, f64)],
    rows: usize,
    cols: usize,
    valid: &[bool],
) -> Result<(Vec<usize>, usize), GeohazardError> {
    points_on_cells(points, rows, cols, valid, "inventory")
}

/// The sorted distinct valid cells of `points` and the number on invalid cells;
/// `set` names the points in the error of one outside the grid.
fn points_on_cells(
    points: &[(f64, f64)],
    rows: usize,
    cols: usize,
    valid: &[bool],
    set: &'static str,
) -> Result<(Vec<usize>, usize), GeohazardError> {
    let mut cells = Vec::with_capacity(points.len());
    let mut on_nodata = 0;
    for (i, &(c, r)) in points.iter().enumerate() {
        if !(c >= 0.0 && r >= 0.0 && c < cols as f64 && r < rows as f64) {
            return Err(GeohazardError::PointOutside {
                set,
                point: i,
                col: c,
                row: r,
                rows,
                cols,
            });
        }
        let idx = r.floor() as usize * cols + c.floor() as usize;
        if valid[idx] {
            cells.push(idx);
        } else {
            on_nodata += 1;
        }
    }
    cells.sort_unstable();
    cells.dedup();
    Ok((cells, on_nodata))
}

/// Mask of cells whose centre lies within `buffer_m` of a point (cell units × `cell_size`).
pub fn buffer_mask(
    points: &[(f64, f64)],
    rows: usize,
    cols: usize,
    cell_size: f64,
    buffer_m: f64,
) -> Vec<bool> {
    let mut m = vec![false; rows * cols];
    let rad = buffer_m / cell_size;
    let r2 = rad * rad;
    for &(pc, pr) in points {
        let r0 = ((pr - rad - 0.5).floor().max(0.0)) as usize;
        let r1 = ((pr + rad - 0.5).ceil().max(0.0) as usize).min(rows.saturating_sub(1));
        let c0 = ((pc - rad - 0.5).floor().max(0.0)) as usize;
        let c1 = ((pc + rad - 0.5).ceil().max(0.0) as usize).min(cols.saturating_sub(1));
        for r in r0..=r1 {
            let dy = r as f64 + 0.5 - pr;
            for c in c0..=c1 {
                let dx = c as f64 + 0.5 - pc;
                if dx * dx + dy * dy <= r2 {
                    m[r * cols + c] = true;
                }
            }
        }
    }
    m
}

/// Draw the samples (see the module doc).
pub fn draw(
    points: &[(f64, f64)],
    rows: usize,
    cols: usize,
    cell_size: f64,
    valid: &[bool],
    rule: &SamplingRule,
) -> Result<SampleSet, GeohazardError> {
    assert_eq!(
        valid.len(),
        rows * cols,
        "valid mask does not match the grid"
    );
    let (pos, on_nodata) = hazard_cells(points, rows, cols, valid)?;
    let excluded = buffer_mask(points, rows, cols, cell_size, rule.buffer_m);
    let mut eligible: Vec<usize> = (0..rows * cols)
        .filter(|&i| valid[i] && !excluded[i])
        .collect();
    let need = (rule.negative_ratio * pos.len() as f64).round() as usize;
    if eligible.len() < need {
        return Err(GeohazardError::TooFewNegatives {
            eligible: eligible.len(),
            need,
            buffer_m: rule.buffer_m,
        });
    }
    let n_eligible = eligible.len();
    let mut rng = ChaCha8Rng::seed_from_u64(rule.seed);
    for i in 0..need {
        let j = rng.random_range(i as u64..n_eligible as u64) as usize;
        eligible.swap(i, j);
    }
    let mut neg: Vec<usize> = eligible[..need].to_vec();
    neg.sort_unstable();
    let np = pos.len();
    let mut cells = pos;
    cells.extend_from_slice(&neg);
    let mut labels = vec![1u8; np];
    labels.resize(cells.len(), 0);
    let (train, test) = split(np, neg.len(), rule);
    Ok(SampleSet {
        cells,
        labels,
        train,
        test,
        points: points.len(),
        points_on_nodata: on_nodata,
        eligible_negatives: n_eligible,
        negatives: NegativeSource::Drawn,
    })
}

/// The samples with given non-hazard points `negatives` instead of the draw (see
/// the module doc); the same split as [`draw`].
pub fn with_negatives(
    points: &[(f64, f64)],
    negatives: &[(f64, f64)],
    rows: usize,
    cols: usize,
    valid: &[bool],
    rule: &SamplingRule,
) -> Result<SampleSet, GeohazardError> {
    assert_eq!(
        valid.len(),
        rows * cols,
        "valid mask does not match the grid"
    );
    let (pos, on_nodata) = hazard_cells(points, rows, cols, valid)?;
    let (given, neg_on_nodata) = points_on_cells(negatives, rows, cols, valid, "non-hazard")?;
    // Points on a hazard cell: count each point, not each cell.
    let mut on_hazard_cells = 0;
    for &(c, r) in negatives {
        let idx = r.floor() as usize * cols + c.floor() as usize;
        if valid[idx] && pos.binary_search(&idx).is_ok() {
            on_hazard_cells += 1;
        }
    }
    let neg: Vec<usize> = given
        .into_iter()
        .filter(|c| pos.binary_search(c).is_err())
        .collect();
    if neg.is_empty() {
        return Err(GeohazardError::NoNegatives {
            points: negatives.len(),
            on_nodata: neg_on_nodata,
            on_hazard_cells,
        });
    }
    let np = pos.len();
    let nn = neg.len();
    let mut cells = pos;
    cells.extend_from_slice(&neg);
    let mut labels = vec![1u8; np];
    labels.resize(cells.len(), 0);
    let (train, test) = split(np, nn, rule);
    Ok(SampleSet {
        cells,
        labels,
        train,
        test,
        points: points.len(),
        points_on_nodata: on_nodata,
        eligible_negatives: nn,
        negatives: NegativeSource::Given {
            points: negatives.len(),
            on_nodata: neg_on_nodata,
            on_hazard_cells,
        },
    })
}

/// Stratified split of `np` hazard samples (indices 0..np) and `nn` non-hazard
/// samples (np..np + nn) into (train, test), each ascending.
pub fn split(np: usize, nn: usize, rule: &SamplingRule) -> (Vec<usize>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(rule.seed);
    rng.set_stream(1);
    let mut train = Vec::new();
    let mut test = Vec::new();
    for (start, n) in [(0, np), (np, nn)] {
        let mut idx: Vec<usize> = (start..start + n).collect();
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i as u64) as usize;
            idx.swap(i, j);
        }
        let n_test = (rule.test_fraction * n as f64).round() as usize;
        test.extend_from_slice(&idx[..n_test]);
        train.extend_from_slice(&idx[n_test..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> SamplingRule {
        SamplingRule {
            seed: 7,
            negative_ratio: 2.0,
            buffer_m: 100.0,
            test_fraction: 0.25,
        }
    }

    #[test]
    fn buffer_counts_cells_whose_centre_is_within_the_radius() {
        // 30 m cells, a point at the centre of cell (5, 5), 45 m buffer = 1.5 cells:
        // centres at distance 0, 1, √2 (≤ 1.5) are in: 1 + 4 + 4 = 9 cells.
        let m = buffer_mask(&[(5.5, 5.5)], 11, 11, 30.0, 45.0);
        assert_eq!(m.iter().filter(|&&b| b).count(), 9);
        // 60 m = 2 cells adds the four at distance 2: 13.
        let m = buffer_mask(&[(5.5, 5.5)], 11, 11, 30.0, 60.0);
        assert_eq!(m.iter().filter(|&&b| b).count(), 13);
    }

    #[test]
    fn draw_is_seeded_stays_outside_the_buffer_and_splits_by_class() {
        let (rows, cols) = (40, 50);
        let valid = vec![true; rows * cols];
        let pts: Vec<(f64, f64)> = (0..8)
            .map(|i| (3.2 + 5.0 * i as f64, 10.7 + i as f64))
            .collect();
        let a = draw(&pts, rows, cols, 30.0, &valid, &rule()).unwrap();
        let b = draw(&pts, rows, cols, 30.0, &valid, &rule()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.hazard_cells(), 8);
        assert_eq!(a.cells.len(), 24);
        let buf = buffer_mask(&pts, rows, cols, 30.0, 100.0);
        for (&c, &l) in a.cells.iter().zip(&a.labels) {
            if l == 0 {
                assert!(!buf[c]);
            }
        }
        // 25 % of 8 hazard and of 16 non-hazard samples.
        assert_eq!(a.test.len(), 2 + 4);
        assert_eq!(a.test.iter().filter(|&&i| a.labels[i] == 1).count(), 2);
        let c = draw(
            &pts,
            rows,
            cols,
            30.0,
            &valid,
            &SamplingRule { seed: 8, ..rule() },
        )
        .unwrap();
        assert_ne!(a.cells, c.cells);
    }

    /// By hand on a 4 × 5 grid with cell 7 invalid: hazard points in cells 0 and 12;
    /// given non-hazard points in cells 3 (twice), 7 (invalid), 12 (a hazard cell)
    /// and 19 → non-hazard cells 3 and 19, one point on nodata, one on a hazard cell.
    #[test]
    fn given_negatives_replace_the_draw() {
        let mut valid = vec![true; 20];
        valid[7] = false;
        let at = |i: usize| ((i % 5) as f64 + 0.5, (i / 5) as f64 + 0.5);
        let pts = [at(0), at(12)];
        let neg = [at(3), at(3), at(7), at(12), at(19)];
        let s = with_negatives(&pts, &neg, 4, 5, &valid, &rule()).unwrap();
        assert_eq!(s.cells, vec![0, 12, 3, 19]);
        assert_eq!(s.labels, vec![1, 1, 0, 0]);
        assert_eq!(
            s.negatives,
            NegativeSource::Given {
                points: 5,
                on_nodata: 1,
                on_hazard_cells: 1
            }
        );
        // 25 % of 2 and of 2 rounds to 1 (0.5 rounds away from zero) of each.
        assert_eq!(s.test.len(), 2);
        let e = with_negatives(&pts, &[at(12), at(7)], 4, 5, &valid, &rule()).unwrap_err();
        assert!(
            matches!(
                e,
                GeohazardError::NoNegatives {
                    points: 2,
                    on_nodata: 1,
                    on_hazard_cells: 1
                }
            ),
            "{e}"
        );
        let e = with_negatives(&pts, &[(5.0, 0.0)], 4, 5, &valid, &rule()).unwrap_err();
        assert!(
            matches!(
                e,
                GeohazardError::PointOutside {
                    set: "non-hazard",
                    point: 0,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn a_point_outside_the_grid_is_named() {
        let valid = vec![true; 100];
        let e = draw(&[(1.0, 1.0), (10.0, 3.0)], 10, 10, 30.0, &valid, &rule()).unwrap_err();
        assert!(
            matches!(e, GeohazardError::PointOutside { point: 1, .. }),
            "{e}"
        );
    }
}
