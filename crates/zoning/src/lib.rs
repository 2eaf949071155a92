//! Zoning (DESIGN.md §3, issue 9): class breaks, exact cell coverage of polygons,
//! zonal statistics, admin-unit statistics of level grids and prevention rules.
//!
//! - [`breaks`]: [`Breaks`] (K ascending upper bounds; level code 1 = the highest
//!   class) chosen by fixed bounds, equal interval, quantile (Hyndman–Fan type 7) or
//!   exact Fisher–Jenks natural breaks over a streaming [`Histogram`];
//! - [`coverage`]: the exact fraction of each raster cell a polygon covers (as
//!   exactextract computes it);
//! - [`zonal`]: zonal statistics (count, sum, mean, min, max) under the `fraction` or
//!   `center` rule, and level area shares per polygon;
//! - [`units`]: admin-unit (township, village) statistics of a level grid — level
//!   areas and shares, score mean and max, population, buildings and hidden dangers
//!   per level — the unit level rule, and the cells' owning units for zones;
//! - [`prevention`]: prevention zoning (重点 / 次重点 / 一般防治区) by the rule table of
//!   `models/zoning/prevention.toml`, per cell and per unit, with the trace;
//! - [`counts`]: records counted per unit in named classes, as tables of every unit.
//!
//! Coordinates are `(x, y)` in the raster's CRS (easting, northing); grids are
//! north-up with row 0 at the top. Float nodata is NaN, level nodata is 0. This crate
//! links no GDAL: callers read rasters and polygons through `riskcensus_io`.

pub mod breaks;
pub mod counts;
pub mod coverage;
pub mod error;
pub mod prevention;
pub mod sieve;
pub mod units;
pub mod zonal;

pub use breaks::{Breaks, Histogram, Method};
pub use counts::{UnitCountRow, UnitCounts};
pub use error::ZoningError;
pub use prevention::{PreventionRules, RulesError};
pub use units::{Unit, UnitStats};
