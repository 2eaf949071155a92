//! The loss route of risk (docs/risk.md): risk as expected annual loss and deaths,
//! levels from them on absolute scales, and the comprehensive loss over hazards.
//!
//! - [`levels`]: risk levels from AAL density, AAL relative to GDP and expected
//!   deaths per 10⁵ people per year, by the thresholds of
//!   `models/common/loss_levels.toml`;
//! - [`comprehensive`]: the comprehensive loss — the sum of the loss-model hazards'
//!   AAL and deaths, and the index-only hazards' recorded mean annual losses
//!   (`disaster_events`) spread over the cells by their risk index
//!   (`models/comprehensive/comprehensive.toml`);
//! - [`exceedance`]: annual rates of a loss from its values at events of given
//!   annual exceedance rate (the trapezoid of Olsen et al. 2015).

pub mod comprehensive;
pub mod exceedance;
pub mod levels;

pub use comprehensive::{Comprehensive, EventRecord, Recorded, RecordedRates};
pub use exceedance::expected_annual;
pub use levels::{LossLevels, Measure};
