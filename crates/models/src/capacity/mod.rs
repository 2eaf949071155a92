//! Mitigation capacity (综合减灾能力) computed from the census records, as opposed to
//! the capacity indices that are ordinary model files (`models/common/capacity.toml`).
//!
//! - [`two_step_fca`](mod@two_step_fca): shelter places per person within reach, the two-step
//!   floating catchment area method (2SFCA, Luo & Wang 2003), on the census grid.
//!
//! Coordinates are `(x, y)` = (easting, northing) in the census grid's projected CRS,
//! metres; grids are `(row, col)`, row 0 north. Errors ([`CapacityError`]) name the
//! shelter (its index in the slice given) or the mismatched shape.

pub mod error;
pub mod two_step_fca;

pub use error::CapacityError;
pub use two_step_fca::{two_step_fca, Shelter, SERVICE_RADIUS_M};
