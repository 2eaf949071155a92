//! The hazard factor and exposure grids derived from land cover, fire points and
//! building value (`riskcensus_models::wildfire::hazard`): distance to cropland
//! bordering forest, shrub or grass; the kernel density of fire points; the
//! wildland–urban interface exposure and vulnerability. Float grids are NaN where
//! land cover is nodata.

use ndarray::Array2;
use riskcensus_core::GridSpec;
use riskcensus_kernels::{distance::euclidean_distance, CellSize};
use riskcensus_models::wildfire::hazard::{
    class_edge, kernel_density, value_density, wildland_mask, wui,
};
use riskcensus_survey::{Census, Query};

use super::options::WildfireOptions;
use super::read_layer;
use crate::error::EngineError;
use crate::stack::LayerStack;

/// The factor and exposure grids.
pub struct Factors {
    /// `dist_farmland_edge`, m.
    pub dist_edge: Array2<f32>,
    /// `fire_density`, fire points per km².
    pub density: Array2<f32>,
    /// `wildfire_exposure`, index.
    pub exposure: Array2<f32>,
    /// `wildfire_vulnerability`, index.
    pub vulnerability: Array2<f32>,
    /// Fire points used.
    pub fire_points: usize,
}

/// NaN where land cover is nodata.
pub fn mask_nan(mut a: Array2<f32>, lc: &Array2<f32>) -> Array2<f32> {
    a.zip_mut_with(lc, |v, l| {
        if l.is_nan() {
            *v = f32::NAN
        }
    });
    a
}

/// Euclidean distance (m) to the `true` cells of `sources`, up to `max_m`, for layer
/// `layer` (named in errors).
pub fn distance(
    sources: &Array2<bool>,
    grid: &GridSpec,
    max_m: Option<f64>,
    layer: &str,
) -> Result<Array2<f32>, EngineError> {
    let kernel = |source| EngineError::Kernel {
        layer: layer.into(),
        source,
    };
    let cell = CellSize::new(grid.cell_size).map_err(kernel)?;
    euclidean_distance(sources.view(), cell, max_m).map_err(kernel)
}

/// The factor and exposure grids of land cover `lc` (GlobeLand30 codes).
pub fn factors(
    db: &Census,
    stack: &LayerStack,
    grid: &GridSpec,
    lc: &Array2<f32>,
    opts: &WildfireOptions,
) -> Result<Factors, EngineError> {
    // Cropland (10) bordering forest (20), shrub (40) or grass (30).
    let edge = class_edge(lc.view(), 10, &[20, 30, 40]);
    let dist_edge = mask_nan(distance(&edge, grid, None, "dist_farmland_edge")?, lc);
    let fires = db.query("fire_points", &Query::default())?;
    let points: Vec<(f64, f64)> = fires
        .iter()
        .filter_map(|f| match &f.geometry {
            Some(geo_types::Geometry::Point(p)) => Some((p.x(), p.y())),
            _ => None,
        })
        .collect();
    let density = mask_nan(kernel_density(grid, &points, opts.kde_bandwidth_m), lc);
    let wild = wildland_mask(lc.view(), &opts.wui);
    let dist_wild = distance(
        &wild,
        grid,
        Some(opts.wui.buffer_m * 4.0),
        "wildfire_exposure",
    )?;
    // The value DENSITY (万元/km²) over the interface buffer's radius, so the
    // interface exposure does not depend on the cell size.
    let value = match stack.get("buildings_value") {
        Some(_) => value_density(
            read_layer(stack, "buildings_value", grid)?.view(),
            grid.cell_size,
            opts.wui.buffer_m,
        ),
        None => Array2::zeros((grid.rows, grid.cols)),
    };
    let (exposure, vulnerability) = wui(lc.view(), dist_wild.view(), value.view(), &opts.wui);
    Ok(Factors {
        dist_edge,
        density,
        exposure,
        vulnerability,
        fire_points: points.len(),
    })
}
