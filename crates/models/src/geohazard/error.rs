//! Errors of the geological-hazard susceptibility models. Each names where: the
//! parameter file and key, the factor and class, the inventory point, the sample.

use std::path::PathBuf;

/// Why a susceptibility model cannot be read, trained or scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeohazardError {
    /// `models/geohazard.toml` (or another parameter file) is malformed.
    #[error("{}: {key}: {msg}", file.display())]
    Params {
        /// The parameter file.
        file: PathBuf,
        /// Dotted key of the problem (`sampling.buffer_m`, `factors[2]`), `-` for the whole
        /// file.
        key: String,
        /// What is wrong.
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
        /// Method id (`iv`, `fr`, `cf`, `lr`).
        method: String,
        /// Distinct grid cells that hold a hazard point.
        have: usize,
        /// `sampling.min_hazard_cells`.
        need: usize,
        /// Why a minimum is needed.
        reason: String,
    },
    /// Not enough eligible non-hazard cells outside the buffer.
    #[error(
        "only {eligible} valid cells lie farther than {buffer_m} m from every inventory \
         point, but {need} non-hazard samples are needed"
    )]
    TooFewNegatives {
        /// Valid cells outside the buffer.
        eligible: usize,
        /// Non-hazard samples needed (hazard cells × `negative_ratio`).
        need: usize,
        /// Exclusion radius around inventory points, metres.
        buffer_m: f64,
    },
    /// Given non-hazard points of which none can be a sample.
    #[error(
        "none of the {points} given non-hazard points can be a sample: {on_nodata} lie on \
         cells where a factor has no class and {on_hazard_cells} on cells that hold an \
         inventory point"
    )]
    NoNegatives {
        /// Non-hazard points given.
        points: usize,
        /// Of them on cells where a factor is nodata.
        on_nodata: usize,
        /// Of them on cells that hold an inventory point.
        on_hazard_cells: usize,
    },
    /// Fewer groups (blocks or townships) hold samples than there are folds.
    #[error(
        "cross-validation by {by}: only {groups} {by} hold samples, but {folds} folds need \
         at least {folds} (a fold is a set of whole {by}): use smaller blocks, fewer folds \
         or no cross-validation"
    )]
    CvGroups {
        /// `blocks` or `townships`.
        by: String,
        /// Groups holding at least one sample.
        groups: usize,
        /// Folds asked for.
        folds: usize,
    },
    /// A sample's class code is outside its factor's classes.
    #[error("sample {sample}: factor `{factor}` has class {class}, but the factor has {classes} classes (1..={classes})")]
    BadClass {
        /// Index of the sample (row of the table).
        sample: usize,
        /// Factor id.
        factor: String,
        /// The class code found (0 = nodata).
        class: u16,
        /// Classes of the factor K.
        classes: usize,
    },
    /// An inventory (or given non-hazard) point outside the grid (fractional cell
    /// coordinates).
    #[error("{set} point {point}: at column {col:.2}, row {row:.2} (cell units), outside the {rows}×{cols} grid")]
    PointOutside {
        /// Which points: `inventory` or `non-hazard`.
        set: &'static str,
        /// Index of the point in its list.
        point: usize,
        /// Fractional column from the grid's west edge.
        col: f64,
        /// Fractional row from the grid's north edge.
        row: f64,
        /// Grid rows.
        rows: usize,
        /// Grid columns.
        cols: usize,
    },
    /// Sample table shape problems.
    #[error("sample table: {0}")]
    Samples(String),
    /// Logistic regression: X'WX is not positive definite (collinear covariates).
    #[error("logistic regression: the information matrix is singular at iteration {iteration} (covariate {column} is collinear with the others or constant)")]
    Singular {
        /// IRLS iteration at which the Cholesky factorisation failed.
        iteration: usize,
        /// Name of the column whose pivot vanished.
        column: String,
    },
    /// Logistic regression: (quasi-)complete separation, the MLE does not exist.
    #[error(
        "logistic regression: the classes are (quasi-)completely separated (|linear \
         predictor| reached {max_eta:.1} after {iterations} iterations); the maximum-\
         likelihood estimate does not exist — merge sparse classes or use method iv/fr/cf"
    )]
    Separation {
        /// IRLS iterations run.
        iterations: usize,
        /// Largest |η| over the samples.
        max_eta: f64,
    },
    /// Logistic regression did not converge.
    #[error("logistic regression did not converge in {iterations} iterations (last max |Δβ| = {last_step:e})")]
    NotConverged {
        /// IRLS iterations run ([`crate::geohazard::logistic::MAX_ITER`]).
        iterations: usize,
        /// max_j |δ_j| of the last step.
        last_step: f64,
    },
    /// AHP matrix problems in expert mode.
    #[error("expert mode: {0}")]
    Expert(String),
    /// ROC / rate curves need both classes.
    #[error("{what}: needs at least one positive and one negative sample (positives {positives}, negatives {negatives})")]
    OneClass {
        /// What needs both classes (`ROC`, `rate curve`, `logistic regression`).
        what: String,
        /// Samples labelled 1.
        positives: usize,
        /// Samples labelled 0.
        negatives: usize,
    },
}
