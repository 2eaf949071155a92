//! Invariants of the kernels on seeded synthetic DEMs (with pits and NaN holes).

// ndarray's `s![1..-1]` counts from the end; the range is not empty.
#![allow(clippy::reversed_empty_ranges)]

#[path = "../benches/synth/mod.rs"]
mod synth;

use ndarray::{s, Array2};
use riskcensus_kernels::hydro::{self, D8_CODES, D8_NODATA, NO_FLOW};
use riskcensus_kernels::terrain::{self, Edges, GradientAlg, SlopeUnits};
use riskcensus_kernels::CellSize;

fn dems() -> Vec<Array2<f32>> {
    let mut out = Vec::new();
    for (i, &(r, c)) in [(1, 1), (2, 9), (17, 23), (64, 48), (120, 130)]
        .iter()
        .enumerate()
    {
        let d = synth::dem(r, c, i as u64);
        out.push(d.clone());
        // Same DEM with NaN holes (single cells and a block).
        let mut h = d;
        let mut rng = synth::Lcg::new(99 + i as u64);
        for _ in 0..(r * c / 50) {
            let (a, b) = (
                (rng.next_f32() * r as f32) as usize,
                (rng.next_f32() * c as f32) as usize,
            );
            h[(a.min(r - 1), b.min(c - 1))] = f32::NAN;
        }
        if r > 20 && c > 20 {
            h.slice_mut(s![5..9, 10..15]).fill(f32::NAN);
        }
        out.push(h);
    }
    out
}

fn step(dirs: &Array2<u8>, r: usize, c: usize) -> Option<(usize, usize)> {
    let code = dirs[(r, c)];
    let &(_, dr, dc) = D8_CODES.iter().find(|(k, _, _)| *k == code)?;
    Some(((r as isize + dr) as usize, (c as isize + dc) as usize))
}

#[test]
fn filled_is_never_lower_and_nan_stays_nan() {
    for dem in dems() {
        let f = hydro::fill_depressions(dem.view());
        for (a, b) in f.iter().zip(dem.iter()) {
            assert!(a >= b || (a.is_nan() && b.is_nan()), "{a} < {b}");
        }
    }
}

#[test]
fn every_cell_drains_to_an_outlet_without_cycles() {
    for dem in dems() {
        let (rows, cols) = dem.dim();
        let f = hydro::fill_depressions(dem.view());
        let dirs = hydro::d8(f.view());
        let outlet_ok = |r: usize, c: usize| {
            let border = r == 0 || c == 0 || r == rows - 1 || c == cols - 1;
            let by_nan = (r.saturating_sub(1)..=(r + 1).min(rows - 1))
                .any(|a| (c.saturating_sub(1)..=(c + 1).min(cols - 1)).any(|b| f[(a, b)].is_nan()));
            border || by_nan
        };
        for ((r0, c0), &d) in dirs.indexed_iter() {
            if d == D8_NODATA {
                assert!(dem[(r0, c0)].is_nan());
                continue;
            }
            let (mut r, mut c) = (r0, c0);
            let mut n = 0;
            while let Some((rr, cc)) = step(&dirs, r, c) {
                assert!(f[(rr, cc)] < f[(r, c)], "D8 must step strictly down");
                (r, c) = (rr, cc);
                n += 1;
                assert!(n <= rows * cols, "cycle from ({r0},{c0})");
            }
            assert_eq!(dirs[(r, c)], NO_FLOW);
            assert!(
                outlet_ok(r, c),
                "path from ({r0},{c0}) ends inside at ({r},{c})"
            );
        }
        // Border cells are all outlets.
        for c in 0..cols {
            assert!(matches!(dirs[(0, c)], NO_FLOW | D8_NODATA));
            assert!(matches!(dirs[(rows - 1, c)], NO_FLOW | D8_NODATA));
        }
    }
}

#[test]
fn accumulation_is_one_plus_donors() {
    for dem in dems() {
        let f = hydro::fill_depressions(dem.view());
        for rule in [hydro::D8Rule::SteepestSlope, hydro::D8Rule::LowestNeighbour] {
            let dirs = hydro::d8_with_rule(f.view(), rule);
            let acc = hydro::accumulation(dirs.view()).unwrap();
            let mut want = dirs.mapv(|d| if d == D8_NODATA { 0u64 } else { 1 });
            let mut donors = Array2::<u64>::zeros(dirs.dim());
            for ((r, c), _) in dirs.indexed_iter() {
                if let Some(rc) = step(&dirs, r, c) {
                    donors[rc] += acc[(r, c)] as u64;
                }
            }
            want += &donors;
            assert_eq!(acc.mapv(|a| a as u64), want);
            let valid = dem.iter().filter(|v| !v.is_nan()).count() as u64;
            let at_outlets: u64 = dirs
                .iter()
                .zip(acc.iter())
                .filter(|(&d, _)| d == NO_FLOW)
                .map(|(_, &a)| a as u64)
                .sum();
            assert_eq!(
                at_outlets, valid,
                "every valid cell reaches exactly one outlet"
            );
        }
    }
}

#[test]
fn hand_is_non_negative_and_zero_on_streams() {
    for dem in dems() {
        let f = hydro::fill_depressions(dem.view());
        let dirs = hydro::d8(f.view());
        let acc = hydro::accumulation(dirs.view()).unwrap();
        let st = hydro::streams(acc.view(), 20).unwrap();
        let h = hydro::hand(f.view(), dirs.view(), st.view()).unwrap();
        for ((rc, &v), &s) in h.indexed_iter().zip(st.iter()) {
            if s {
                assert_eq!(v, 0.0, "{rc:?}");
            } else if !v.is_nan() {
                assert!(v >= 0.0, "{rc:?} {v}");
            }
            if f[rc].is_nan() {
                assert!(v.is_nan());
            }
        }
        // TWI from the same chain is finite on every valid cell.
        let twi = hydro::twi(
            hydro::upstream_area(acc.view(), CellSize::new(30.0).unwrap()).view(),
            terrain::slope(
                dem.view(),
                CellSize::new(30.0).unwrap(),
                GradientAlg::Horn,
                SlopeUnits::Degrees,
                Edges::Compute,
            )
            .view(),
            CellSize::new(30.0).unwrap(),
            hydro::DEFAULT_MIN_TAN_SLOPE,
        )
        .unwrap();
        assert!(twi
            .iter()
            .zip(dem.iter())
            .all(|(t, d)| d.is_nan() || t.is_finite()));
    }
}

/// DESIGN §6: a 3×3 stage with halo 1 gives the same cells tile by tile as on the
/// whole grid, and a strided (non-contiguous) view gives the same result as a copy.
#[test]
fn tiles_with_halo_match_the_whole_grid() {
    let dem = synth::dem(90, 70, 7);
    let cell = CellSize::new(30.0).unwrap();
    let whole = terrain::slope(
        dem.view(),
        cell,
        GradientAlg::Horn,
        SlopeUnits::Degrees,
        Edges::Nodata,
    );
    let whole_hs = terrain::hillshade(
        dem.view(),
        cell,
        GradientAlg::Horn,
        Default::default(),
        Edges::Nodata,
    );
    let whole_rel = terrain::relief(dem.view(), 3);
    for (r0, r1, c0, c1) in [(1, 40, 1, 30), (40, 89, 30, 69), (17, 18, 5, 60)] {
        let tile = dem.slice(s![r0 - 1..r1 + 1, c0 - 1..c1 + 1]); // strided view
        let t = terrain::slope(
            tile,
            cell,
            GradientAlg::Horn,
            SlopeUnits::Degrees,
            Edges::Nodata,
        );
        assert_eq!(t.slice(s![1..-1, 1..-1]), whole.slice(s![r0..r1, c0..c1]));
        let t = terrain::hillshade(
            tile,
            cell,
            GradientAlg::Horn,
            Default::default(),
            Edges::Nodata,
        );
        assert_eq!(
            t.slice(s![1..-1, 1..-1]),
            whole_hs.slice(s![r0..r1, c0..c1])
        );
    }
    let (r0, r1, c0, c1) = (10, 50, 12, 60);
    let tile = dem.slice(s![r0 - 3..r1 + 3, c0 - 3..c1 + 3]);
    let t = terrain::relief(tile, 3);
    assert_eq!(
        t.slice(s![3..-3, 3..-3]),
        whole_rel.slice(s![r0..r1, c0..c1])
    );
}

#[test]
fn distance_transform_is_symmetric_under_transpose() {
    let mut rng = synth::Lcg::new(5);
    let mask = Array2::from_shape_fn((37, 53), |_| rng.next_f32() < 0.01);
    let cell = CellSize::new(10.0).unwrap();
    let a = riskcensus_kernels::distance::euclidean_distance(mask.view(), cell, None).unwrap();
    let b = riskcensus_kernels::distance::euclidean_distance(mask.t(), cell, None).unwrap();
    assert_eq!(a.t(), b);
}
