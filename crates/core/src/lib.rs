//! Core types shared by every RiskCensus crate: the census grid ([`GridSpec`]),
//! raster windows and the tile lattice with halo ([`TilePlan`]), nodata conventions,
//! and the vocabulary of hazards and levels.
//!
//! Conventions (see `docs/architecture.md`):
//! - coordinates are `(x, y)` = (easting or longitude, northing or latitude) everywhere;
//! - arrays are indexed `(row, col)`, row 0 at the top (north-up grids);
//! - cells are sampled at their centres;
//! - float layers mark nodata with NaN, integer level layers with 0.

pub mod grid;
pub mod level;
pub mod names;
pub mod nodata;
pub mod tile;
pub mod window;

pub use grid::{GridError, GridSpec};
pub use level::{hazard_of_layer, HazardInfo, LevelClass, LevelScheme, Measure, SchemeError};
pub use tile::{Tile, TilePlan};
pub use window::Window;
