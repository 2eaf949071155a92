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
//! d₀ = [`SERVICE_RADIUS_M`] (2 km, about half an hour on foot; the service radius of
//! fixed shelters in GB 51143-2015 is of the same order). Population is the prepared
//! `population` layer (persons per cell, NaN nodata counted as 0 people: an unknown
//! count adds no demand); shelters are the census database's `shelters` layer
//! (points in the census CRS, `capacity` persons). The output
//! `shelter_places_per_person.tif` (places/person, f32) is defined on every cell (0
//! where no shelter is within reach). Sums run in a fixed order (shelters by
//! database id, cells row-major) in f64, so the grid does not depend on threads.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_core::GridSpec;
use riskcensus_io::{digest, CogOptions, RasterReader};

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::output::{is_cached, write_array as write_cog};
use crate::provenance::{self, tag};

/// The 2SFCA service radius d₀, metres.
pub const SERVICE_RADIUS_M: f64 = 2000.0;

/// Layer id of the 2SFCA accessibility grid.
pub const LAYER_ID: &str = "shelter_places_per_person";

/// A shelter: position in the census CRS (x, y metres) and capacity (persons).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shelter {
    pub x: f64,
    pub y: f64,
    pub capacity: f64,
}

/// The 2SFCA accessibility *Aᵢ* (places per person) on `grid` from a population
/// grid (persons per cell, NaN = unknown = 0) and shelters, with radius `d0` metres.
pub fn two_step_fca(
    grid: &GridSpec,
    population: &Array2<f32>,
    shelters: &[Shelter],
    d0: f64,
) -> Array2<f32> {
    let cs = grid.cell_size;
    let r = (d0 / cs).ceil() as isize + 1;
    let d2 = d0 * d0;
    // Cells within reach of a point: (row, col) with centre distance ≤ d0.
    let reach = |x: f64, y: f64, f: &mut dyn FnMut(usize, usize)| {
        let c0 = ((x - grid.x_min) / cs).floor() as isize;
        let r0 = ((grid.y_max - y) / cs).floor() as isize;
        for row in (r0 - r).max(0)..(r0 + r + 1).min(grid.rows as isize) {
            for col in (c0 - r).max(0)..(c0 + r + 1).min(grid.cols as isize) {
                let (cx, cy) = grid.cell_center(row as usize, col as usize);
                if (cx - x).powi(2) + (cy - y).powi(2) <= d2 {
                    f(row as usize, col as usize);
                }
            }
        }
    };
    let mut acc = Array2::<f64>::zeros((grid.rows, grid.cols));
    for s in shelters {
        let mut demand = 0.0f64;
        reach(s.x, s.y, &mut |row, col| {
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
        reach(s.x, s.y, &mut |row, col| acc[(row, col)] += ratio);
    }
    acc.mapv(|v| v as f32)
}

/// Build (or reuse) `shelter_places_per_person.tif` in `out`; `None` when the census
/// has no population layer or no shelters loaded.
pub fn shelter_grid(
    census: &CensusConfig,
    population: &Path,
    out: &Path,
) -> Result<Option<(String, PathBuf, bool)>, EngineError> {
    if !census.dir.join("census.gpkg").exists() {
        return Ok(None);
    }
    let db = Census::open(&census.dir)?;
    let mut shelters = Vec::new();
    for f in db.query("shelters", &Query::default())? {
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            continue;
        };
        let Some(capacity) = f.number("capacity") else {
            continue;
        };
        shelters.push(Shelter {
            x: p.x(),
            y: p.y(),
            capacity,
        });
    }
    if shelters.is_empty() {
        return Ok(None);
    }
    let pop = RasterReader::open(population, 1)?.read_f32(census.grid.full_window())?;
    let a = two_step_fca(&census.grid, &pop, &shelters, SERVICE_RADIUS_M);
    let cells: Vec<u8> = a.iter().flat_map(|v| v.to_le_bytes()).collect();
    let key = digest::bytes_sha256(
        format!(
            "engine={}\nd0={SERVICE_RADIUS_M}\ncells={}\n",
            crate::ENGINE_VERSION,
            digest::bytes_sha256(&cells)
        )
        .as_bytes(),
    );
    let path = out.join(format!("{LAYER_ID}.tif"));
    let cached = is_cached(&path, &key);
    if !cached {
        let mut tags = provenance::base();
        tags.insert(tag::LAYER.into(), LAYER_ID.into());
        tags.insert(tag::SOURCE.into(), "census.gpkg:shelters;population".into());
        tags.insert(tag::CACHE_KEY.into(), key);
        tags.insert(tag::UNITS.into(), "places/person".into());
        tags.insert(
            "RISKCENSUS_METHOD".into(),
            format!("2SFCA d0={SERVICE_RADIUS_M} m (Luo & Wang 2003)"),
        );
        write_cog(
            out,
            LAYER_ID,
            &census.grid,
            a.view(),
            Some(f64::NAN),
            &tags,
            &CogOptions::default(),
        )?;
    }
    Ok(Some((LAYER_ID.to_string(), path, cached)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: usize, cols: usize, cs: f64) -> GridSpec {
        GridSpec::new("EPSG:4548", 0.0, rows as f64 * cs, cs, rows, cols).unwrap()
    }

    #[test]
    fn two_shelters_hand_computed() {
        // 1 × 5 cells of 1 km, centres at x = 0.5 … 4.5 km; d0 = 1.2 km.
        // Shelter A at x = 1.0 km (cap 30) reaches centres 0.5, 1.5 → P = 10 + 20, R = 1.
        // Shelter B at x = 4.0 km (cap 10) reaches centres 3.5, 4.5 → P = 0 + 40, R = 0.25.
        let g = grid(1, 5, 1000.0);
        let pop = ndarray::arr2(&[[10.0f32, 20.0, 5.0, f32::NAN, 40.0]]);
        let s = [
            Shelter {
                x: 1000.0,
                y: 500.0,
                capacity: 30.0,
            },
            Shelter {
                x: 4000.0,
                y: 500.0,
                capacity: 10.0,
            },
        ];
        let a = two_step_fca(&g, &pop, &s, 1200.0);
        assert_eq!(a.row(0).to_vec(), vec![1.0, 1.0, 0.0, 0.25, 0.25]);
    }

    #[test]
    fn shelter_without_people_in_reach_adds_nothing() {
        let g = grid(3, 3, 100.0);
        let pop = Array2::<f32>::zeros((3, 3));
        let s = [Shelter {
            x: 150.0,
            y: 150.0,
            capacity: 500.0,
        }];
        let a = two_step_fca(&g, &pop, &s, 1000.0);
        assert!(a.iter().all(|&v| v == 0.0));
    }
}
