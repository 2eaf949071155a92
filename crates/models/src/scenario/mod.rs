//! Scenarios of the risk to come (风险变化趋势, docs/scenarios.md): what the annual
//! loss becomes with the exposure and hazard of a target year, what planned
//! measures avert and what that is worth against their cost, and how uncertain it
//! all is.
//!
//! - [`file`](mod@file): a scenario file (target year, exposure growth, new built-up areas,
//!   warming and rainfall scaling, measures with their costs, uncertain inputs);
//! - [`params`]: the shared parameters (`models/scenario/scenarios.toml`): the
//!   stage–rainfall exponent, the appraisal's defaults, the Monte Carlo run and the
//!   uncertain inputs of the loss models, the hindcast;
//! - [`appraisal`]: present values and the benefit–cost ratio;
//! - [`stats`]: seeded sampling, percentiles, Spearman's ρ and its permutation test.
//!
//! The engine's `scenarios` stage applies them to the census's buildings and loss
//! models (crates/engine/src/stages/scenarios).

pub mod appraisal;
pub mod file;
pub mod params;
pub mod stats;

pub use appraisal::{appraise, Appraisal, Discounting};
pub use file::{Growth, Measure, MeasureKind, Scenario};
pub use params::{ScenarioParams, Uncertain};
pub use stats::Distribution;
