//! Geological-hazard susceptibility (地质灾害易发性), issue 7: factor classes, the
//! bivariate statistics trained on the hidden-danger inventory, logistic
//! regression, expert AHP mode, sampling, ROC and success/prediction rates, and the
//! four-level zoning.
//!
//! - [`classes`]: factor values → class indices (documented bounds or codes);
//! - [`counts`]: per-class study-area and hazard counts, the sample table;
//! - [`information_value`]: I = ln[(N_i/N)/(S_i/S)] (Yin & Yan 1988);
//! - [`frequency_ratio`]: FR = (N_i/N)/(S_i/S) (Lee & Pradhan 2007);
//! - [`certainty_factor`]: CF and its combination rule (Shortliffe & Buchanan 1975);
//! - [`logistic`]: unpenalised logistic regression by IRLS with standard errors;
//! - [`expert`]: AHP weights × expert class scores (no inventory needed);
//! - [`fit`]: training, scoring and evaluation on factor class columns;
//! - [`hazard`]: hazard = susceptibility × the rainfall trigger;
//! - [`candidates`]: hidden-danger candidate cells (level, buildings, no point near);
//! - [`sampling`]: hazard cells, buffered seeded non-hazard cells, stratified split;
//! - [`roc`]: ROC, AUC (Mann–Whitney, ties ½), success/prediction-rate curves;
//! - [`spatial_cv`]: spatially blocked k-fold cross-validation (blocks or townships);
//! - [`model`]: the trained model (lookup tables + combination) and the class table;
//! - [`threat`]: danger grade (险情分级), threat zones, point monitoring capacity;
//! - [`levels`]: normalisation of the index to [0, 1] (the engine draws the levels);
//! - [`params`]: `models/geohazard.toml` → validated [`GeohazardParams`].
//!
//! Class codes are u16, 1-based per factor, 0 = nodata. Cell indices are row-major
//! on the census grid; coordinates are (x, y) and fractional cell positions
//! (col, row).

pub mod candidates;
pub mod certainty_factor;
pub mod classes;
pub mod counts;
pub mod error;
pub mod expert;
pub mod fit;
pub mod frequency_ratio;
pub mod hazard;
pub mod information_value;
pub mod levels;
pub mod logistic;
pub mod model;
pub mod params;
pub mod roc;
pub mod sampling;
pub mod spatial_cv;
pub mod threat;

pub use classes::Classifier;
pub use counts::{ClassCounts, SampleTable};
pub use error::GeohazardError;
pub use model::{check_count, class_table, ClassRow, TrainedModel};
pub use params::{GeohazardParams, LevelRule, LrPredictors, Method};
pub use sampling::{NegativeSource, SampleSet, SamplingRule};
pub use spatial_cv::{CvBy, CvRule};
