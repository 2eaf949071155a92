//! The only RiskCensus crate that links GDAL.
//!
//! - [`raster`]: open and validate rasters, windowed reads into `f32` arrays with
//!   nodata as NaN (one dataset handle per thread: a [`gdal::Dataset`] is `Send`, not
//!   `Sync`, so each worker opens its own [`RasterReader`]).
//! - [`warp`]: warp any raster onto the census grid with GDAL's warper.
//! - [`cog`]: write Cloud-Optimized GeoTIFFs tile by tile, atomically.
//! - [`geotiff`]: write a plain GeoTIFF in one go (survey-style inputs, test data).
//! - [`crs`]: parse CRS definitions and transform coordinates in `(x, y)` order.
//! - [`vector`]: write vector layers (GeoPackage, Shapefile with a code page, GeoJSON).
//! - [`vector_read`]: read vector layers with raw (undecoded) attribute text.
//! - [`gpkg`]: the census GeoPackage: transactions, inserts/updates, queries.
//! - [`files`]: atomic whole-file writes (tables, reports).
//! - [`fault`]: fault points where the kill tests make the process die.
//! - [`digest`]: content digests of input files for caching and provenance.
//!
//! Every error names the path (and band, window or layer) it concerns.

pub mod cog;
pub mod crs;
pub mod digest;
pub mod error;
pub mod fault;
pub mod files;
mod gdal_util;
pub mod geotiff;
pub mod gpkg;
pub mod raster;
pub mod rasterize;
pub mod vector;
pub mod vector_read;
pub mod warp;
pub mod zones;

pub use cog::{CogOptions, CogWriter, LevelLegend, Provenance};
pub use error::IoError;
/// Cell types a raster can be written in (u8, u32, f32, …), re-exported so no other
/// crate needs to depend on GDAL.
pub use gdal::raster::GdalType as CellType;
pub use raster::{RasterInfo, RasterReader};
pub use warp::{warp_to_grid, Resampling};

/// GDAL's version string, e.g. `3.6.2`, for provenance.
pub fn gdal_version() -> String {
    gdal::version::version_info("RELEASE_NAME")
}

/// Configure GDAL once per process: quiet error handler (errors are returned, not
/// printed) and a bounded block cache. Safe to call more than once.
pub fn init() {
    use std::sync::Once;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Errors reach callers through `Result`; GDAL's own stderr printing is off.
        gdal::config::set_error_handler(|_class, _no, _msg| {});
        // Drivers, for the opens that bypass the gdal crate (`gdal_util::open_ex`).
        gdal::DriverManager::register_all();
        // Bound GDAL's block cache so memory does not grow with raster size.
        let _ = gdal::config::set_config_option("GDAL_CACHEMAX", "256");
    });
}
