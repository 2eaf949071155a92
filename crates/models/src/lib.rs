//! The RiskCensus model library (DESIGN.md §5): model files (`models/*.toml`) parsed
//! into validated parameters, and the fused per-tile scoring kernel.
//!
//! ```text
//! models/flood.toml ──ModelSpec::read──▶ ModelSpec ──check()──▶ Model ──compile()──▶ Program
//!      (serde + toml, unknown keys refused)   (all problems, with line and key)   (TileScorer)
//! ```
//!
//! - [`spec`]: the unchecked file types ([`ModelSpec`]);
//! - [`model`]: the validated [`Model`] (weights, aggregation, risk composition,
//!   parameter hash, layer-stack check);
//! - [`transform`]: factor transforms and their equations;
//! - [`ahp`]: AHP weights, λmax, CI and CR (Saaty);
//! - [`flood`]: the HAND inundation screen and depth–damage curves (built-in
//!   operators of the flood stage);
//! - [`loss`]: the loss route of risk — AAL and deaths to levels on absolute scales,
//!   the comprehensive loss over hazards;
//! - [`capacity`]: shelter accessibility by the two-step floating catchment area, the
//!   road network and its travel times, shelter allocation, the grassroots capacity
//!   index and the capacity-gap parameters;
//! - [`classify`]: fixed-break classification into level codes (1 = highest);
//! - [`csv_table`]: CSV tables through the csv crate: error cause, record lines;
//! - [`program`]: the compiled, fused, chunked kernel ([`Program`], [`TileScorer`]);
//! - [`reference`](mod@reference): the scalar per-cell evaluator the kernel is proved against;
//! - [`library`]: the shipped model files and a census's own, one override rule;
//! - [`vocabulary`]: the hazards (`hazard.toml`) and level schemes (`levels.toml`)
//!   the library declares;
//! - [`trend`]: trends in yearly records — Mann–Kendall with the Hamed–Rao and
//!   Yue–Wang autocorrelation corrections, Sen's slope.
//!
//! Cells are f32 with NaN = nodata. Input slices follow [`Model::inputs`] order
//! (sorted by layer id).

pub mod ahp;
pub mod capacity;
pub mod classify;
pub mod csv_table;
pub mod earthquake;
pub mod error;
pub mod flood;
pub mod geohazard;
pub mod library;
mod locate;
pub mod loss;
pub mod model;
mod operator_file;
pub mod program;
pub mod reference;
pub mod scenario;
pub mod spec;
pub mod transform;
pub mod trend;
pub mod vocabulary;
pub mod wildfire;

pub use ahp::Ahp;
pub use classify::Classification;
pub use csv_table::CsvCause;
pub use error::{ModelError, Problem, ScoreError};
pub use library::{Library, LibraryError, ModelFile};
pub use model::{Aggregation, Factor, Input, Model, Weighting, DEFAULT_ALPHA};
pub use program::{Program, TileScorer, DEFAULT_CHUNK, MAX_CHUNK};
pub use reference::Reference;
pub use spec::ModelSpec;
pub use transform::{Nodata, Transform, Unknown};
pub use vocabulary::{Vocabulary, VocabularyError};
