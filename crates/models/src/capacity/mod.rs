//! Mitigation capacity (综合减灾能力) computed from the census records, as opposed to
//! the capacity indices that are ordinary model files (`models/common/capacity.toml`).
//!
//! - [`two_step_fca`](mod@two_step_fca): shelter places per person within reach, the two-step
//!   floating catchment area method (2SFCA, Luo & Wang 2003), on the census grid;
//! - [`network`]: the road network as a graph ([`RoadNetwork`]: T-junctions split,
//!   vertices snapped, an R-tree of the nodes) with Dijkstra shortest paths by travel
//!   time (isochrones of rescue stations) and by length, and travel minutes on the
//!   census grid;
//! - [`allocation`]: people to shelter places over the network — candidate pairs within
//!   each shelter's radius and a capacitated nearest-shelter greedy assignment;
//! - [`grassroots`]: the grassroots disaster-reduction capacity index of townships
//!   and villages (GB/T 43981-2024 procedure, `models/capacity/grassroots_capacity.toml`).
//! - [`gaps`]: the parameters of the capacity gaps (shelter types and radii,
//!   displacement scenarios, site safety, relief needs, rescue speeds, 三高一低) and
//!   the relief formulas (`models/capacity/capacity_gaps.toml`).
//!
//! Coordinates are `(x, y)` = (easting, northing) in the census grid's projected CRS,
//! metres; grids are `(row, col)`, row 0 north; speeds are km/h and travel times
//! minutes. Errors ([`CapacityError`]) name the shelter, road line and vertex, point or
//! pair (its index in the slice given) or the mismatched shape.

pub mod allocation;
pub mod error;
pub mod gaps;
pub mod grassroots;
pub mod network;
pub mod two_step_fca;

pub use allocation::{allocate, network_pairs, Allocation, Point};
pub use error::CapacityError;
pub use network::{cell_minutes, entry_nodes, travel_minutes_grid, RoadLine, RoadNetwork, NO_NODE};
pub use two_step_fca::{two_step_fca, two_step_fca_f64, Shelter, SERVICE_RADIUS_M};
