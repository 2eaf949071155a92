//! Analytic Hierarchy Process weights from a pairwise comparison matrix.
//!
//! Saaty's eigenvector method (Saaty 1977, 1980): for a positive reciprocal matrix A
//! (a_ii = 1, a_ji = 1/a_ij, entries on the 1/9…9 scale), the weights are the
//! principal right eigenvector w of A, A·w = λmax·w, normalised to Σ w_i = 1. It is
//! found here by power iteration, w ← A·w / Σ(A·w), until max_i |Δw_i| < 1e-12
//! (Perron–Frobenius: A > 0 has a unique positive dominant eigenvalue, so the
//! iteration converges from the uniform start). Then
//!
//! - λmax = (1/n) Σ_i (A·w)_i / w_i,
//! - consistency index CI = (λmax − n)/(n − 1),
//! - consistency ratio CR = CI / RI(n), with Saaty's random index RI(n) below,
//!
//! and a matrix with CR ≥ 0.1 is too inconsistent to use (Saaty 1980). For n ≤ 2 a
//! reciprocal matrix is always consistent and CR = 0.
//!
//! References: Saaty, T.L. (1977) A scaling method for priorities in hierarchical
//! structures, *J. Math. Psychol.* 15, 234–281; Saaty, T.L. (1980) *The Analytic
//! Hierarchy Process*, McGraw-Hill; Saaty, T.L. (1987) The analytic hierarchy
//! process—what it is and how it is used, *Math. Modelling* 9, 161–176 (RI table);
//! Saaty, T.L. (2008) Decision making with the analytic hierarchy process, *Int. J.
//! Services Sciences* 1, 83–98 (worked examples; the test suite reproduces its
//! drinks example).

use serde::Serialize;

/// Saaty's random consistency index RI(n) for n = 1..=15 (Saaty 1980, 1987: the mean
/// CI of randomly generated reciprocal matrices of order n).
pub const RANDOM_INDEX: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// The consistency ratio at or above which a matrix is refused.
pub const CR_LIMIT: f64 = 0.1;

/// Convergence tolerance of the power iteration (max change of a weight).
pub const TOLERANCE: f64 = 1e-12;

/// The outcome of an AHP analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ahp {
    /// Normalised principal eigenvector (Σ = 1), in matrix row order.
    pub weights: Vec<f64>,
    /// Principal eigenvalue λmax = (1/n) Σ_i (A·w)_i / w_i; n for a consistent matrix.
    pub lambda_max: f64,
    /// CI = (λmax − n)/(n − 1); 0 for n ≤ 2.
    pub ci: f64,
    /// CR = CI / RI(n); 0 for n ≤ 2.
    pub cr: f64,
    /// Power iterations used.
    pub iterations: usize,
}

/// Why a matrix cannot be analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AhpError {
    /// The matrix has no rows.
    #[error("matrix is empty")]
    Empty,
    /// A row's length differs from the number of rows.
    #[error("matrix has {n} rows but row {row} has {len} entries")]
    NotSquare {
        /// Number of rows.
        n: usize,
        /// The offending row, 0-based.
        row: usize,
        /// Its number of entries.
        len: usize,
    },
    /// The order n exceeds 15, the largest with a random index in [`RANDOM_INDEX`].
    #[error("order {0} is larger than 15, the largest with a published random index")]
    TooLarge(usize),
    /// An entry is not finite or not positive.
    #[error("entry [{row}][{col}] = {value} must be finite and > 0")]
    NotPositive {
        /// Row of the entry, 0-based.
        row: usize,
        /// Column of the entry, 0-based.
        col: usize,
        /// The entry.
        value: f64,
    },
    /// Diagonal entry `(i, a_ii)` is not 1.
    #[error("diagonal entry [{0}][{0}] = {1} must be 1")]
    Diagonal(usize, f64),
    /// a_ji differs from 1/a_ij by more than [`RECIPROCAL_RTOL`].
    #[error("not reciprocal: a[{row}][{col}] = {a_ij} but a[{col}][{row}] = {a_ji} (expected 1/{a_ij} = {expected})")]
    NotReciprocal {
        /// Row i, 0-based.
        row: usize,
        /// Column j, 0-based.
        col: usize,
        /// The entry a_ij.
        a_ij: f64,
        /// The entry a_ji.
        a_ji: f64,
        /// 1/a_ij.
        expected: f64,
    },
    /// The power iteration did not reach [`TOLERANCE`] within this many iterations.
    #[error("power iteration did not converge in {0} iterations")]
    NoConvergence(usize),
}

/// Relative tolerance for a_ji = 1/a_ij: files write 1/3 as 0.333 or 0.3333, so a
/// reciprocal is accepted within 0.5 % (three significant digits).
pub const RECIPROCAL_RTOL: f64 = 5e-3;

/// Check that `a` is a positive reciprocal square matrix of order 1..=15.
#[allow(clippy::needless_range_loop)] // a[i][j] / a[j][i] read as in the equations
pub fn check_matrix(a: &[Vec<f64>]) -> Result<(), AhpError> {
    let n = a.len();
    if n == 0 {
        return Err(AhpError::Empty);
    }
    if n > RANDOM_INDEX.len() {
        return Err(AhpError::TooLarge(n));
    }
    for (row, r) in a.iter().enumerate() {
        if r.len() != n {
            return Err(AhpError::NotSquare {
                n,
                row,
                len: r.len(),
            });
        }
        for (col, &v) in r.iter().enumerate() {
            if !(v.is_finite() && v > 0.0) {
                return Err(AhpError::NotPositive { row, col, value: v });
            }
        }
    }
    for i in 0..n {
        if a[i][i] != 1.0 {
            return Err(AhpError::Diagonal(i, a[i][i]));
        }
        for j in i + 1..n {
            let expected = 1.0 / a[i][j];
            if ((a[j][i] - expected) / expected).abs() > RECIPROCAL_RTOL {
                return Err(AhpError::NotReciprocal {
                    row: i,
                    col: j,
                    a_ij: a[i][j],
                    a_ji: a[j][i],
                    expected,
                });
            }
        }
    }
    Ok(())
}

/// Principal eigenvector, λmax, CI and CR of a positive reciprocal matrix (rows of
/// `a`). Fails on a malformed matrix; does not judge the CR (see [`CR_LIMIT`]).
pub fn analyse(a: &[Vec<f64>]) -> Result<Ahp, AhpError> {
    check_matrix(a)?;
    let n = a.len();
    let mut w = vec![1.0 / n as f64; n];
    let mut aw = vec![0.0; n];
    const MAX_ITER: usize = 10_000;
    let mut iterations = 0;
    loop {
        if iterations == MAX_ITER {
            return Err(AhpError::NoConvergence(MAX_ITER));
        }
        iterations += 1;
        mat_vec(a, &w, &mut aw);
        let s: f64 = aw.iter().sum();
        let mut delta: f64 = 0.0;
        for (wi, &v) in w.iter_mut().zip(&aw) {
            let next = v / s;
            delta = delta.max((next - *wi).abs());
            *wi = next;
        }
        if delta < TOLERANCE {
            break;
        }
    }
    mat_vec(a, &w, &mut aw);
    let lambda_max = aw.iter().zip(&w).map(|(v, wi)| v / wi).sum::<f64>() / n as f64;
    let (ci, cr) = if n <= 2 {
        (0.0, 0.0)
    } else {
        let ci = (lambda_max - n as f64) / (n as f64 - 1.0);
        (ci, ci / RANDOM_INDEX[n - 1])
    };
    Ok(Ahp {
        weights: w,
        lambda_max,
        ci,
        cr,
        iterations,
    })
}

fn mat_vec(a: &[Vec<f64>], w: &[f64], out: &mut [f64]) {
    for (o, row) in out.iter_mut().zip(a) {
        *o = row.iter().zip(w).map(|(x, y)| x * y).sum();
    }
}
