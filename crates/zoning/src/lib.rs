//! Zoning (DESIGN.md §3, issue 9): class breaks, exact cell coverage of polygons and
//! zonal statistics for admin-unit aggregation.
//!
//! - [`breaks`]: [`Breaks`] (K ascending upper bounds; level code 1 = the highest
//!   class) chosen by fixed bounds, equal interval, quantile (Hyndman–Fan type 7) or
//!   exact Fisher–Jenks natural breaks over a streaming [`Histogram`];
//! - [`coverage`]: the exact fraction of each raster cell a polygon covers (as
//!   exactextract computes it);
//! - [`zonal`]: zonal statistics (count, sum, mean, min, max) under the `fraction` or
//!   `center` rule, and level area shares per polygon.
//!
//! Coordinates are `(x, y)` in the raster's CRS (easting, northing); grids are
//! north-up with row 0 at the top. Float nodata is NaN, level nodata is 0. This crate
//! links no GDAL: callers read rasters and polygons through `riskcensus_io`.

pub mod breaks;
pub mod counts;
pub mod coverage;
pub mod error;
pub mod zonal;

pub use breaks::{Breaks, Histogram, Method};
pub use counts::{UnitCountRow, UnitCounts};
pub use error::ZoningError;
