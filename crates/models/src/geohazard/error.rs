//! Errors of the geological-hazard susceptibility models. Each names where: the
//! parameter file and key, the factor and class, the inventory point, the sample.

use std::path::PathBuf;

/// Why a susceptibility model cannot be read, trained or scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeohazardError {
    /// `models/geohazard.toml` (or another parameter file) is malformed.
    #[error("{}: {key}: {msg}", file.display())]
    Params {
        file: PathBuf,
        key: String,
        msg: String,
    },
    /// Too few hazard cells for statistical training.
    #[error(
        "method `{method}` needs at least {need} hazard cells in the inventory to train, \
         but only {have} distinct cells hold a hazard point: below this the class \
         statistics are dominated by chance ({reason}); use `method = \"expert\"` (AHP \
         weights and expert class scores) until the inventory grows"
    )]
    TooFewPoints {
        method: String,
        have: usize,
        need: usize,
        reason: String,
    },
    /// Not enough eligible non-hazard cells outside the buffer.
    #[error(
        "only {eligible} valid cells lie farther than {buffer_m} m from every inventory \
         point, but {need} non-hazard samples are needed"
    )]
    TooFewNegatives {
        eligible: usize,
        need: usize,
        buffer_m: f64,
    },
    /// A sample's class code is outside its factor's classes.
    #[error("sample {sample}: factor `{factor}` has class {class}, but the factor has {classes} classes (1..={classes})")]
    BadClass {
        sample: usize,
        factor: String,
        class: u16,
        classes: usize,
    },
    /// An inventory point outside the grid (fractional cell coordinates).
    #[error("inventory point {point}: at column {col:.2}, row {row:.2} (cell units), outside the {rows}×{cols} grid")]
    PointOutside {
        point: usize,
        col: f64,
        row: f64,
        rows: usize,
        cols: usize,
    },
    /// Sample table shape problems.
    #[error("sample table: {0}")]
    Samples(String),
    /// Logistic regression: X'WX is not positive definite (collinear covariates).
    #[error("logistic regression: the information matrix is singular at iteration {iteration} (covariate {column} is collinear with the others or constant)")]
    Singular { iteration: usize, column: String },
    /// Logistic regression: (quasi-)complete separation, the MLE does not exist.
    #[error(
        "logistic regression: the classes are (quasi-)completely separated (|linear \
         predictor| reached {max_eta:.1} after {iterations} iterations); the maximum-\
         likelihood estimate does not exist — merge sparse classes or use method iv/fr/cf"
    )]
    Separation { iterations: usize, max_eta: f64 },
    /// Logistic regression did not converge.
    #[error("logistic regression did not converge in {iterations} iterations (last max |Δβ| = {last_step:e})")]
    NotConverged { iterations: usize, last_step: f64 },
    /// AHP matrix problems in expert mode.
    #[error("expert mode: {0}")]
    Expert(String),
    /// ROC / rate curves need both classes.
    #[error("{what}: needs at least one positive and one negative sample (positives {positives}, negatives {negatives})")]
    OneClass {
        what: String,
        positives: usize,
        negatives: usize,
    },
}
