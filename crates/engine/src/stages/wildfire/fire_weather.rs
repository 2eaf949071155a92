//! The fire-weather grid `fwi_p90`: the percentile FWI of the fire-season days in
//! every cell (`riskcensus_models::wildfire::field`), run in every census cell when
//! `weather_cell_m` ≤ the cell size, else on the weather lattice
//! (`riskcensus_models::wildfire::lattice`) and interpolated to the cells. Cells and
//! lattice jobs are independent and collected in a fixed order: identical for any
//! thread count. NaN where the DEM is.

use ndarray::Array2;
use rayon::prelude::*;
use riskcensus_core::GridSpec;
use riskcensus_models::wildfire::field::WeatherField;
use riskcensus_models::wildfire::lattice::WeatherLattice;

use crate::progress::Progress;

const TASK: &str = "wildfire: fire weather grid";

/// The fire-weather grid (see the module doc); `weather_cell_m` and `weather_dz_m`
/// are the lattice spacing and level step (checked by the options).
pub fn fwi_grid(
    grid: &GridSpec,
    dem: &Array2<f32>,
    field: &WeatherField,
    weather_cell_m: f64,
    weather_dz_m: f64,
    progress: &dyn Progress,
) -> Array2<f32> {
    if weather_cell_m <= grid.cell_size {
        return fwi_grid_cells(grid, dem, field, progress);
    }
    match WeatherLattice::new(grid, dem.view(), weather_cell_m, weather_dz_m) {
        Some(lattice) => fwi_grid_lattice(grid, dem, field, &lattice, progress),
        None => Array2::from_elem((grid.rows, grid.cols), f32::NAN),
    }
}

/// The exact grid: the FWI system run in every census cell (cells × days steps).
fn fwi_grid_cells(
    grid: &GridSpec,
    dem: &Array2<f32>,
    field: &WeatherField,
    progress: &dyn Progress,
) -> Array2<f32> {
    progress.start(TASK, grid.rows as u64);
    let rows: Vec<Vec<f32>> = (0..grid.rows)
        .into_par_iter()
        .map(|r| {
            let mut s = field.scratch();
            let row: Vec<f32> = (0..grid.cols)
                .map(|c| {
                    let z = dem[(r, c)] as f64;
                    if z.is_nan() {
                        return f32::NAN;
                    }
                    let (x, y) = grid.cell_center(r, c);
                    field.percentile_at(x, y, z, &mut s)
                })
                .collect();
            progress.advance(1);
            row
        })
        .collect();
    progress.finish(TASK);
    Array2::from_shape_vec((grid.rows, grid.cols), rows.into_iter().flatten().collect())
        .expect("rows × cols")
}

/// The grid on the weather lattice: every (node, level) job, then every cell
/// interpolated from them.
fn fwi_grid_lattice(
    grid: &GridSpec,
    dem: &Array2<f32>,
    field: &WeatherField,
    lattice: &WeatherLattice,
    progress: &dyn Progress,
) -> Array2<f32> {
    progress.start(TASK, lattice.jobs().len() as u64);
    let values: Vec<f32> = lattice
        .jobs()
        .par_iter()
        .map_init(
            || field.scratch(),
            |s, &job| {
                let (x, y, z) = lattice.job_point(grid, job);
                let v = field.percentile_at(x, y, z, s);
                progress.advance(1);
                v
            },
        )
        .collect();
    progress.finish(TASK);
    let rows: Vec<Vec<f32>> = (0..grid.rows)
        .into_par_iter()
        .map(|r| {
            (0..grid.cols)
                .map(|c| lattice.cell_value(grid, &values, r, c, dem[(r, c)] as f64))
                .collect()
        })
        .collect();
    Array2::from_shape_vec((grid.rows, grid.cols), rows.into_iter().flatten().collect())
        .expect("rows × cols")
}
