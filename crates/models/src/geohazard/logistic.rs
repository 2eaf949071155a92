//! Unpenalised binary logistic regression fitted by iteratively reweighted least
//! squares (IRLS, i.e. Newton–Raphson on the log-likelihood).
//!
//! McCullagh, P. & Nelder, J.A. (1989) *Generalized Linear Models*, 2nd ed., Chapman
//! & Hall, §4.4 (the IRLS algorithm) and §4.5 (standard errors from the inverse
//! Fisher information); for landslide susceptibility e.g. Ohlmacher, G.C. & Davis,
//! J.C. (2003) Using multiple logistic regression and GIS technology to predict
//! landslide hazard in northeast Kansas, USA. Engineering Geology 69, 331–343.
//!
//! Model: P(y = 1 | x) = 1 / (1 + exp(−η)), η = β₀ + Σ_j β_j x_j. From β = 0, each
//! step solves (XᵀWX) δ = Xᵀ(y − p) with W = diag(p(1 − p)) by Cholesky and sets
//! β ← β + δ, until max_j |δ_j| ≤ 10⁻¹¹ · (1 + max_j |β_j|). Standard errors are
//! √diag((XᵀWX)⁻¹) at the estimate; z = β / SE. Sums run over the samples in order,
//! so the fit is deterministic.
//!
//! Failure is named: a singular information matrix (collinear or constant
//! covariates), (quasi-)complete separation (the estimate runs off to infinity, seen
//! as |η| > 30 while still moving), or no convergence in 100 iterations.

use serde::Serialize;

use super::error::GeohazardError;

/// Relative step tolerance.
pub const TOLERANCE: f64 = 1e-11;
/// Iteration limit.
pub const MAX_ITER: usize = 100;
/// |η| beyond which a still-moving fit is declared separated (p within e⁻³⁰ of 0/1).
pub const SEPARATION_ETA: f64 = 30.0;

/// A fitted model. Index 0 of the vectors is the intercept, then the covariates in
/// column order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogisticFit {
    /// Coefficient names: `(intercept)`, then the covariates.
    pub names: Vec<String>,
    /// Estimates β (log-odds per unit of the covariate).
    pub coefficients: Vec<f64>,
    /// Standard errors √diag((XᵀWX)⁻¹) at the estimate.
    pub std_errors: Vec<f64>,
    /// Wald z = β / SE.
    pub z: Vec<f64>,
    /// IRLS iterations to convergence.
    pub iterations: usize,
    /// Residual deviance −2 log L.
    pub deviance: f64,
    /// Deviance of the intercept-only model.
    pub null_deviance: f64,
    /// Samples n the model was fitted on.
    pub samples: usize,
}

impl LogisticFit {
    /// Linear predictor of one covariate row (without the intercept column).
    #[inline]
    pub fn eta(&self, x: &[f64]) -> f64 {
        let b = &self.coefficients;
        let mut e = b[0];
        for (bj, xj) in b[1..].iter().zip(x) {
            e += bj * xj;
        }
        e
    }

    /// Fitted probability of one covariate row.
    #[inline]
    pub fn probability(&self, x: &[f64]) -> f64 {
        sigmoid(self.eta(x))
    }
}

/// Logistic function, stable for large |η|.
#[inline]
pub fn sigmoid(eta: f64) -> f64 {
    if eta >= 0.0 {
        1.0 / (1.0 + (-eta).exp())
    } else {
        let e = eta.exp();
        e / (1.0 + e)
    }
}

/// −log P(y | η), stable: log(1 + e^{−η}) for y = 1, log(1 + e^{η}) for y = 0.
#[inline]
fn neg_log_lik(y: u8, eta: f64) -> f64 {
    let m = if y == 1 { -eta } else { eta };
    if m > 0.0 {
        m + (-m).exp().ln_1p()
    } else {
        m.exp().ln_1p()
    }
}

/// Fit y ~ x by IRLS. `x` is row-major n × p (covariates only; the intercept is
/// added), `names` the p covariate names, `y` 0/1 labels.
pub fn fit(x: &[f64], y: &[u8], names: &[String]) -> Result<LogisticFit, GeohazardError> {
    let n = y.len();
    let p = names.len();
    if x.len() != n * p {
        return Err(GeohazardError::Samples(format!(
            "{} covariate values for {n} samples × {p} covariates",
            x.len()
        )));
    }
    let pos = y.iter().filter(|&&v| v == 1).count();
    if pos == 0 || pos == n {
        return Err(GeohazardError::OneClass {
            what: "logistic regression".into(),
            positives: pos,
            negatives: n - pos,
        });
    }
    let q = p + 1;
    let mut all_names = Vec::with_capacity(q);
    all_names.push("(intercept)".to_string());
    all_names.extend(names.iter().cloned());
    let row = |i: usize| &x[i * p..(i + 1) * p];
    let mut beta = vec![0.0; q];
    let mut h = vec![0.0; q * q];
    let mut g = vec![0.0; q];
    let mut xi = vec![0.0; q];
    let mut iterations = 0;
    let mut last_step = f64::INFINITY;
    loop {
        if iterations == MAX_ITER {
            let max_eta = max_abs_eta(&beta, x, p, n);
            return Err(if max_eta > SEPARATION_ETA {
                GeohazardError::Separation {
                    iterations,
                    max_eta,
                }
            } else {
                GeohazardError::NotConverged {
                    iterations,
                    last_step,
                }
            });
        }
        information(&beta, &mut h, &mut g, &mut xi, |i| row(i), y, p);
        let l = cholesky(&h, q).map_err(|col| GeohazardError::Singular {
            iteration: iterations,
            column: all_names[col].clone(),
        })?;
        let delta = chol_solve(&l, q, &g);
        for (b, d) in beta.iter_mut().zip(&delta) {
            *b += d;
        }
        iterations += 1;
        let scale = 1.0 + beta.iter().fold(0.0f64, |m, b| m.max(b.abs()));
        last_step = delta.iter().fold(0.0f64, |m, d| m.max(d.abs()));
        if !last_step.is_finite() {
            return Err(GeohazardError::Separation {
                iterations,
                max_eta: f64::INFINITY,
            });
        }
        if last_step <= TOLERANCE * scale {
            break;
        }
        if iterations >= 25 {
            let max_eta = max_abs_eta(&beta, x, p, n);
            if max_eta > SEPARATION_ETA {
                return Err(GeohazardError::Separation {
                    iterations,
                    max_eta,
                });
            }
        }
    }
    // Standard errors from the information at the estimate.
    information(&beta, &mut h, &mut g, &mut xi, |i| row(i), y, p);
    let l = cholesky(&h, q).map_err(|col| GeohazardError::Singular {
        iteration: iterations,
        column: all_names[col].clone(),
    })?;
    let mut std_errors = vec![0.0; q];
    let mut e = vec![0.0; q];
    for j in 0..q {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        let col = chol_solve(&l, q, &e);
        std_errors[j] = col[j].sqrt();
    }
    let z = beta.iter().zip(&std_errors).map(|(b, s)| b / s).collect();
    let mut deviance = 0.0;
    for (i, &yi) in y.iter().enumerate() {
        let mut eta = beta[0];
        for (bj, xj) in beta[1..].iter().zip(row(i)) {
            eta += bj * xj;
        }
        deviance += 2.0 * neg_log_lik(yi, eta);
    }
    let pbar = pos as f64 / n as f64;
    let null_deviance = -2.0 * (pos as f64 * pbar.ln() + (n - pos) as f64 * (1.0 - pbar).ln());
    Ok(LogisticFit {
        names: all_names,
        coefficients: beta,
        std_errors,
        z,
        iterations,
        deviance,
        null_deviance,
        samples: n,
    })
}

fn max_abs_eta(beta: &[f64], x: &[f64], p: usize, n: usize) -> f64 {
    (0..n).fold(0.0f64, |m, i| {
        let mut eta = beta[0];
        for (bj, xj) in beta[1..].iter().zip(&x[i * p..(i + 1) * p]) {
            eta += bj * xj;
        }
        m.max(eta.abs())
    })
}

/// XᵀWX (full, row-major q × q) and Xᵀ(y − p) at β.
fn information<'a>(
    beta: &[f64],
    h: &mut [f64],
    g: &mut [f64],
    xi: &mut [f64],
    row: impl Fn(usize) -> &'a [f64],
    y: &[u8],
    p: usize,
) {
    let q = p + 1;
    h.iter_mut().for_each(|v| *v = 0.0);
    g.iter_mut().for_each(|v| *v = 0.0);
    for (i, &yi) in y.iter().enumerate() {
        xi[0] = 1.0;
        xi[1..].copy_from_slice(row(i));
        let mut eta = 0.0;
        for (b, v) in beta.iter().zip(xi.iter()) {
            eta += b * v;
        }
        let pi = sigmoid(eta);
        let w = pi * (1.0 - pi);
        let r = yi as f64 - pi;
        for a in 0..q {
            g[a] += xi[a] * r;
            let wa = w * xi[a];
            for b in 0..=a {
                h[a * q + b] += wa * xi[b];
            }
        }
    }
    for a in 0..q {
        for b in 0..a {
            h[b * q + a] = h[a * q + b];
        }
    }
}

/// Cholesky factor L (row-major lower) of a symmetric positive definite matrix;
/// `Err(column)` where a pivot is not positive (relative to the diagonal).
fn cholesky(a: &[f64], q: usize) -> Result<Vec<f64>, usize> {
    let mut l = vec![0.0; q * q];
    for j in 0..q {
        let mut d = a[j * q + j];
        for k in 0..j {
            d -= l[j * q + k] * l[j * q + k];
        }
        if d.is_nan() || d <= 1e-13 * a[j * q + j].abs().max(f64::MIN_POSITIVE) {
            return Err(j);
        }
        let d = d.sqrt();
        l[j * q + j] = d;
        for i in j + 1..q {
            let mut s = a[i * q + j];
            for k in 0..j {
                s -= l[i * q + k] * l[j * q + k];
            }
            l[i * q + j] = s / d;
        }
    }
    Ok(l)
}

/// Solve L Lᵀ x = b.
fn chol_solve(l: &[f64], q: usize, b: &[f64]) -> Vec<f64> {
    let mut z = vec![0.0; q];
    for i in 0..q {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * q + k] * z[k];
        }
        z[i] = s / l[i * q + i];
    }
    let mut x = vec![0.0; q];
    for i in (0..q).rev() {
        let mut s = z[i];
        for k in i + 1..q {
            s -= l[k * q + i] * x[k];
        }
        x[i] = s / l[i * q + i];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_binary_covariate_matches_the_closed_form() {
        // With one 0/1 covariate the MLE is the log odds of each group:
        // x = 0: 3 of 10 positive → β₀ = ln(3/7);
        // x = 1: 8 of 10 positive → β₀ + β₁ = ln(8/2);
        // SE(β₁)² = 1/3 + 1/7 + 1/8 + 1/2 (Woolf's variance of a log odds ratio).
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..10 {
            x.push(0.0);
            y.push(u8::from(i < 3));
        }
        for i in 0..10 {
            x.push(1.0);
            y.push(u8::from(i < 8));
        }
        let f = fit(&x, &y, &["x".into()]).unwrap();
        let b0 = (3.0f64 / 7.0).ln();
        let b1 = 4.0f64.ln() - b0;
        assert!(
            (f.coefficients[0] - b0).abs() < 1e-12,
            "{:?}",
            f.coefficients
        );
        assert!((f.coefficients[1] - b1).abs() < 1e-12);
        let se1 = (1.0 / 3.0 + 1.0 / 7.0 + 1.0 / 8.0 + 1.0 / 2.0f64).sqrt();
        assert!((f.std_errors[1] - se1).abs() < 1e-12);
        let se0 = (1.0 / 3.0 + 1.0 / 7.0f64).sqrt();
        assert!((f.std_errors[0] - se0).abs() < 1e-12);
    }

    #[test]
    fn complete_separation_is_named() {
        let x: Vec<f64> = (0..20).map(|i| i as f64).collect();
        let y: Vec<u8> = (0..20).map(|i| u8::from(i >= 10)).collect();
        let e = fit(&x, &y, &["x".into()]).unwrap_err();
        assert!(matches!(e, GeohazardError::Separation { .. }), "{e}");
    }

    #[test]
    fn a_constant_covariate_is_singular() {
        let x = vec![1.0; 10];
        let y: Vec<u8> = (0..10).map(|i| u8::from(i % 2 == 0)).collect();
        let e = fit(&x, &y, &["c".into()]).unwrap_err();
        assert!(matches!(e, GeohazardError::Singular { .. }), "{e}");
    }
}
