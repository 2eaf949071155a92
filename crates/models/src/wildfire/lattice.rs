//! The weather lattice on which the fire-weather grid is computed when the census
//! cells are finer than the weather varies (docs/wildfire.md, "From stations to the
//! grid").
//!
//! Lattice nodes stand every W metres from the grid's upper-left corner
//! (x_min + i·W, y_max − j·W) until they enclose the grid, so every cell centre
//! lies inside a lattice square (no extrapolation). At each node the FWI system runs
//! at the elevation levels z₀ + k·Δz (z₀ the DEM minimum) that bracket the DEM
//! elevations of the cells the node serves; a cell takes the linear interpolation
//! between its two levels at each of its four nodes, then the bilinear
//! interpolation of the four: trilinear in (x, y, z). The IDW weights vary smoothly
//! between stations and the lapse rate is the only elevation term, so (x, y) is
//! sampled at W and elevation at Δz instead of every cell — with the same
//! elevation effect as the per-cell run (a mean elevation per coarse cell would
//! flatten the ridges and valleys that the lapse rate resolves).
//!
//! Every (node, level) is a job the caller computes independently (in any order);
//! [`WeatherLattice::cell_value`] then reads the results. A cell is NaN where its
//! DEM is NaN or a node level it uses is NaN.

use ndarray::ArrayView2;
use riskcensus_core::GridSpec;

/// The lattice of a grid and DEM: its nodes, the elevation levels each node needs
/// and the jobs (node, level) in node order.
#[derive(Debug, Clone, PartialEq)]
pub struct WeatherLattice {
    w: f64,
    dz: f64,
    nx: usize,
    ny: usize,
    z0: f64,
    /// (node, level k), node by node.
    jobs: Vec<(usize, i64)>,
    /// Per node: (first level, index of its first job); `usize::MAX` for a node no
    /// cell uses.
    first: Vec<(i64, usize)>,
}

impl WeatherLattice {
    /// The lattice of spacing `w` metres and level step `dz` metres over `grid` and
    /// its `dem` (m, NaN nodata); `None` when the DEM has no valid cell. `w` must
    /// exceed the cell size and `dz` be > 0 (the caller checks).
    pub fn new(grid: &GridSpec, dem: ArrayView2<f32>, w: f64, dz: f64) -> Option<Self> {
        let nx = ((grid.cols as f64 * grid.cell_size) / w).ceil() as usize + 1;
        let ny = ((grid.rows as f64 * grid.cell_size) / w).ceil() as usize + 1;
        // Elevation range each node serves.
        let mut zlo = vec![f64::INFINITY; nx * ny];
        let mut zhi = vec![f64::NEG_INFINITY; nx * ny];
        let mut z0 = f64::INFINITY;
        let mut lattice = WeatherLattice {
            w,
            dz,
            nx,
            ny,
            z0,
            jobs: Vec::new(),
            first: vec![(0, usize::MAX); nx * ny],
        };
        for ((r, c), z) in dem.indexed_iter() {
            let z = *z as f64;
            if z.is_nan() {
                continue;
            }
            z0 = z0.min(z);
            let (j0, i0, _, _) = lattice.locate(grid, r, c);
            for n in [
                j0 * nx + i0,
                j0 * nx + i0 + 1,
                (j0 + 1) * nx + i0,
                (j0 + 1) * nx + i0 + 1,
            ] {
                zlo[n] = zlo[n].min(z);
                zhi[n] = zhi[n].max(z);
            }
        }
        if !z0.is_finite() {
            return None;
        }
        lattice.z0 = z0;
        for n in 0..nx * ny {
            if zlo[n] > zhi[n] {
                continue;
            }
            let k0 = ((zlo[n] - z0) / dz).floor() as i64;
            let k1 = ((zhi[n] - z0) / dz).ceil() as i64;
            lattice.first[n] = (k0, lattice.jobs.len());
            lattice.jobs.extend((k0..=k1).map(|k| (n, k)));
        }
        Some(lattice)
    }

    /// The jobs: (node, level), node by node.
    pub fn jobs(&self) -> &[(usize, i64)] {
        &self.jobs
    }

    /// Where a job runs: (x, y, z) of node `n` at level `k`.
    pub fn job_point(&self, grid: &GridSpec, (n, k): (usize, i64)) -> (f64, f64, f64) {
        let (j, i) = (n / self.nx, n % self.nx);
        let x = grid.x_min + i as f64 * self.w;
        let y = grid.y_max - j as f64 * self.w;
        (x, y, self.z0 + k as f64 * self.dz)
    }

    /// Where a census cell lies on the lattice: the node above-left (j0, i0) and the
    /// fractions (ty, tx) towards the next node, in [0, 1].
    fn locate(&self, grid: &GridSpec, r: usize, c: usize) -> (usize, usize, f64, f64) {
        let (x, y) = grid.cell_center(r, c);
        let fx = (x - grid.x_min) / self.w;
        let fy = (grid.y_max - y) / self.w;
        let i0 = (fx.floor().max(0.0) as usize).min(self.nx - 2);
        let j0 = (fy.floor().max(0.0) as usize).min(self.ny - 2);
        (j0, i0, fy - j0 as f64, fx - i0 as f64)
    }

    /// The value at node `n` and elevation `z`: linear between its two levels.
    fn node_value(&self, values: &[f32], n: usize, z: f64) -> f64 {
        let (k0, base) = self.first[n];
        let kz = (z - self.z0) / self.dz;
        let kf = kz.floor();
        let tz = kz - kf;
        let idx = base + (kf as i64 - k0) as usize;
        let v0 = values[idx] as f64;
        if tz > 0.0 {
            v0 + tz * (values[idx + 1] as f64 - v0)
        } else {
            v0
        }
    }

    /// The value of cell (r, c) at its elevation `z` (m, NaN → NaN) from the job
    /// results `values` (in [`WeatherLattice::jobs`] order): trilinear.
    pub fn cell_value(&self, grid: &GridSpec, values: &[f32], r: usize, c: usize, z: f64) -> f32 {
        if z.is_nan() {
            return f32::NAN;
        }
        let nx = self.nx;
        let (j0, i0, ty, tx) = self.locate(grid, r, c);
        let mut v = 0.0;
        for (n, wt) in [
            (j0 * nx + i0, (1.0 - ty) * (1.0 - tx)),
            (j0 * nx + i0 + 1, (1.0 - ty) * tx),
            ((j0 + 1) * nx + i0, ty * (1.0 - tx)),
            ((j0 + 1) * nx + i0 + 1, ty * tx),
        ] {
            if wt > 0.0 {
                v += wt * self.node_value(values, n, z);
            }
        }
        v as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// A 4 × 4 grid of 100 m cells under a 200 m lattice: 3 × 3 nodes. With a DEM of
    /// 0 m and 10 m and Δz = 10 m every used node runs levels 0 and 1; a job value
    /// equal to its level's elevation makes every cell return its own elevation
    /// (the interpolation reproduces a field linear in z).
    #[test]
    fn a_field_linear_in_elevation_is_reproduced() {
        let grid = GridSpec::new("EPSG:4548", 0.0, 400.0, 100.0, 4, 4).unwrap();
        let dem = Array2::from_shape_fn((4, 4), |(r, c)| if (r + c) % 2 == 0 { 0.0 } else { 10.0 });
        let l = WeatherLattice::new(&grid, dem.view(), 200.0, 10.0).unwrap();
        let values: Vec<f32> = l
            .jobs()
            .iter()
            .map(|&j| l.job_point(&grid, j).2 as f32)
            .collect();
        for ((r, c), z) in dem.indexed_iter() {
            assert_eq!(l.cell_value(&grid, &values, r, c, *z as f64), *z);
        }
        // A cell at 5 m lies halfway between the levels.
        assert_eq!(l.cell_value(&grid, &values, 1, 1, 5.0), 5.0);
        assert!(l.cell_value(&grid, &values, 0, 0, f64::NAN).is_nan());
        assert!(WeatherLattice::new(
            &grid,
            Array2::from_elem((4, 4), f32::NAN).view(),
            200.0,
            10.0
        )
        .is_none());
    }
}
