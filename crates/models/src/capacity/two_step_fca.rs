//! Shelter capacity against the population it serves: the two-step floating
//! catchment area method (2SFCA) of Luo & Wang (2003).
//!
//! Luo, W. & Wang, F. (2003) Measures of spatial accessibility to health care in a
//! GIS environment: synthesis and a case study in the Chicago region. Environment and
//! Planning B 30(6), 865–884 (equations 1 and 2).
//!
//! 1. For every shelter *j* with capacity *Sⱼ* (persons), the population within the
//!    service radius d₀ is *Pⱼ* = Σ *Pₖ* over the cells *k* whose centre lies within
//!    d₀ of the shelter; its supply ratio is *Rⱼ* = *Sⱼ* / *Pⱼ* (places per person).
//!    A shelter with nobody within reach (*Pⱼ* = 0) serves nobody and gets *Rⱼ* = 0.
//! 2. For every cell *i*, *Aᵢ* = Σ *Rⱼ* over the shelters within d₀ of the cell
//!    centre: shelter places per resident of the cell's neighbourhood. *Aᵢ* ≥ 1 means
//!    every resident who would go to the reachable shelters has a place.
//!
//! d₀ = [`SERVICE_RADIUS_M`] by default (2 km, about half an hour on foot; the service
//! radius of fixed shelters in GB 51143-2015 is of the same order). Population is
//! persons per cell, NaN nodata counted as 0 people (an unknown count adds no
//! demand). The result (places/person, f32) is defined on every cell (0 where no
//! shelter is within reach). Sums run in a fixed order (shelters in the order given,
//! cells row-major) in f64, so the grid does not depend on threads;
//! [`two_step_fca_f64`] returns those f64 sums before the rounding to f32 (PySAL
//! access's `two_stage_fca` agrees with them to 1e-15 relative: validate/capacity).

use ndarray::{Array2, ArrayView2};
use riskcensus_core::GridSpec;

use super::CapacityError;

/// The default 2SFCA service radius d₀, metres.
pub const SERVICE_RADIUS_M: f64 = 2000.0;

/// A shelter: position in the census CRS (x = easting, y = northing, metres) and
/// capacity (persons).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shelter {
    /// Easting, metres.
    pub x: f64,
    /// Northing, metres.
    pub y: f64,
    /// Places, persons (finite, ≥ 0).
    pub capacity: f64,
}

/// The 2SFCA accessibility *Aᵢ* (places per person) on `grid` from a population
/// grid (persons per cell, the grid's shape, NaN = unknown = 0) and shelters, with
/// service radius `d0_m` metres.
pub fn two_step_fca(
    grid: &GridSpec,
    population: ArrayView2<f32>,
    shelters: &[Shelter],
    d0_m: f64,
) -> Result<Array2<f32>, CapacityError> {
    Ok(two_step_fca_f64(grid, population, shelters, d0_m)?.mapv(|v| v as f32))
}

/// [`two_step_fca()`] before its rounding to f32: the same sums, in the same order,
/// kept in f64 (for comparison with independent f64 implementations, and for callers
/// that aggregate the accessibility further).
pub fn two_step_fca_f64(
    grid: &GridSpec,
    population: ArrayView2<f32>,
    shelters: &[Shelter],
    d0_m: f64,
) -> Result<Array2<f64>, CapacityError> {
    check(grid, population, shelters, d0_m)?;
    let reach = Reach::new(grid, d0_m);
    let mut acc = Array2::<f64>::zeros((grid.rows, grid.cols));
    for s in shelters {
        // Step 1: Rⱼ = Sⱼ / Pⱼ.
        let mut demand = 0.0f64;
        reach.cells(s.x, s.y, |row, col| {
            let p = population[(row, col)];
            if p.is_finite() {
                demand += p as f64;
            }
        });
        let ratio = if demand > 0.0 {
            s.capacity / demand
        } else {
            0.0
        };
        // Step 2: Aᵢ = Σ Rⱼ over the shelters within reach.
        reach.cells(s.x, s.y, |row, col| acc[(row, col)] += ratio);
    }
    Ok(acc)
}

fn check(
    grid: &GridSpec,
    population: ArrayView2<f32>,
    shelters: &[Shelter],
    d0_m: f64,
) -> Result<(), CapacityError> {
    if !(d0_m.is_finite() && d0_m > 0.0) {
        return Err(CapacityError::BadRadius { d0_m });
    }
    if population.dim() != (grid.rows, grid.cols) {
        return Err(CapacityError::ShapeMismatch {
            expected: (grid.rows, grid.cols),
            got: population.dim(),
        });
    }
    let bad = |s: &Shelter| {
        !(s.x.is_finite() && s.y.is_finite() && s.capacity.is_finite() && s.capacity >= 0.0)
    };
    match shelters.iter().position(bad) {
        Some(index) => {
            let s = shelters[index];
            Err(CapacityError::BadShelter {
                index,
                x: s.x,
                y: s.y,
                capacity: s.capacity,
            })
        }
        None => Ok(()),
    }
}

/// The cells whose centre lies within d₀ of a point.
struct Reach<'g> {
    grid: &'g GridSpec,
    /// Search half-width, cells.
    r: isize,
    /// d₀², m².
    d2: f64,
}

impl<'g> Reach<'g> {
    fn new(grid: &'g GridSpec, d0_m: f64) -> Self {
        Self {
            grid,
            r: (d0_m / grid.cell_size).ceil() as isize + 1,
            d2: d0_m * d0_m,
        }
    }

    /// Call `f(row, col)` for every cell with centre distance ≤ d₀ from (x, y),
    /// row-major.
    fn cells(&self, x: f64, y: f64, mut f: impl FnMut(usize, usize)) {
        let (g, r) = (self.grid, self.r);
        let c0 = ((x - g.x_min) / g.cell_size).floor() as isize;
        let r0 = ((g.y_max - y) / g.cell_size).floor() as isize;
        for row in (r0 - r).max(0)..(r0 + r + 1).min(g.rows as isize) {
            for col in (c0 - r).max(0)..(c0 + r + 1).min(g.cols as isize) {
                let (cx, cy) = g.cell_center(row as usize, col as usize);
                if (cx - x).powi(2) + (cy - y).powi(2) <= self.d2 {
                    f(row as usize, col as usize);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: usize, cols: usize, cs: f64) -> GridSpec {
        GridSpec::new("EPSG:4548", 0.0, rows as f64 * cs, cs, rows, cols).unwrap()
    }

    fn shelter(x: f64, y: f64, capacity: f64) -> Shelter {
        Shelter { x, y, capacity }
    }

    #[test]
    fn two_shelters_hand_computed() {
        // 1 × 5 cells of 1 km, centres at x = 0.5 … 4.5 km; d0 = 1.2 km.
        // Shelter A at x = 1.0 km (cap 30) reaches centres 0.5, 1.5 → P = 10 + 20, R = 1.
        // Shelter B at x = 4.0 km (cap 10) reaches centres 3.5, 4.5 → P = 0 + 40, R = 0.25.
        let g = grid(1, 5, 1000.0);
        let pop = ndarray::arr2(&[[10.0f32, 20.0, 5.0, f32::NAN, 40.0]]);
        let s = [shelter(1000.0, 500.0, 30.0), shelter(4000.0, 500.0, 10.0)];
        let a = two_step_fca(&g, pop.view(), &s, 1200.0).unwrap();
        assert_eq!(a.row(0).to_vec(), vec![1.0, 1.0, 0.0, 0.25, 0.25]);
    }

    #[test]
    fn overlapping_catchments_add_up() {
        // 1 × 3 cells of 1 km; d0 = 1.6 km. A at x = 1.0 km (cap 60) reaches centres
        // 0.5, 1.5 (2.5 is 1.5 km away: also in) → P = 10 + 20 + 30, R = 1;
        // B at x = 2.5 km (cap 25) reaches 1.5, 2.5 (0.5 is 2 km away: out) → P = 50,
        // R = 0.5. A = [1, 1.5, 1.5].
        let g = grid(1, 3, 1000.0);
        let pop = ndarray::arr2(&[[10.0f32, 20.0, 30.0]]);
        let s = [shelter(1000.0, 500.0, 60.0), shelter(2500.0, 500.0, 25.0)];
        let a = two_step_fca(&g, pop.view(), &s, 1600.0).unwrap();
        assert_eq!(a.row(0).to_vec(), vec![1.0, 1.5, 1.5]);
    }

    #[test]
    fn shelter_without_people_in_reach_adds_nothing() {
        let g = grid(3, 3, 100.0);
        let pop = Array2::<f32>::zeros((3, 3));
        let a = two_step_fca(&g, pop.view(), &[shelter(150.0, 150.0, 500.0)], 1000.0).unwrap();
        assert!(a.iter().all(|&v| v == 0.0));
    }

    #[test]
    fn bad_inputs_are_named() {
        let g = grid(2, 2, 100.0);
        let pop = Array2::<f32>::zeros((2, 2));
        let ok = shelter(50.0, 50.0, 10.0);
        assert_eq!(
            two_step_fca(&g, pop.view(), &[ok], 0.0),
            Err(CapacityError::BadRadius { d0_m: 0.0 })
        );
        assert_eq!(
            two_step_fca(&g, Array2::<f32>::zeros((2, 3)).view(), &[ok], 100.0),
            Err(CapacityError::ShapeMismatch {
                expected: (2, 2),
                got: (2, 3)
            })
        );
        let e = two_step_fca(&g, pop.view(), &[ok, shelter(50.0, 50.0, -1.0)], 100.0);
        assert!(
            matches!(e, Err(CapacityError::BadShelter { index: 1, .. })),
            "{e:?}"
        );
    }
}
