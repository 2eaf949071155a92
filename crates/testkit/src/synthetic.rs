//! Seeded synthetic grids for tests and benches.

use std::path::Path;

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use riskcensus_core::GridSpec;

/// A smooth, seeded surface (sum of random-phase waves plus noise), with about
/// `nodata_share` of cells set to NaN. Same seed → same bits.
pub fn synthetic_surface(rows: usize, cols: usize, seed: u64, nodata_share: f64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let waves: Vec<(f64, f64, f64, f64)> = (0..6)
        .map(|_| {
            (
                rng.random_range(0.002..0.05),
                rng.random_range(0.002..0.05),
                rng.random_range(0.0..std::f64::consts::TAU),
                rng.random_range(5.0..80.0),
            )
        })
        .collect();
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        if rng.random_bool(nodata_share.clamp(0.0, 1.0)) {
            return f32::NAN;
        }
        let mut v = 200.0;
        for &(fr, fc, ph, amp) in &waves {
            v += amp * (fr * r as f64 + fc * c as f64 + ph).sin();
        }
        (v + rng.random_range(-0.5..0.5)) as f32
    })
}

/// Write a seeded surface on `grid` as a GeoTIFF (NaN nodata).
pub fn write_synthetic_layer(
    path: &Path,
    grid: &GridSpec,
    seed: u64,
    nodata_share: f64,
) -> Array2<f32> {
    let a = synthetic_surface(grid.rows, grid.cols, seed, nodata_share);
    riskcensus_io::geotiff::write_geotiff(
        path,
        a.view(),
        grid.geotransform(),
        &grid.crs,
        Some(f64::NAN),
    )
    .expect("writing synthetic layer");
    a
}
