//! The minimum-mapping-unit sieve of the zones, within units: 4-connected regions of
//! one level inside one unit (township) smaller than the minimum mapping unit are
//! merged into their largest neighbouring region **of the same unit**, repeatedly,
//! until every region is at least the unit or has no neighbour in its unit.
//!
//! This is the rule of GDAL's sieve filter (`GDALSieveFilter`: a region below the
//! threshold takes the value of its largest neighbour) with two differences the
//! zones need: neighbours are 4-connected, as the polygonizer's regions are (an
//! 8-connected sieve leaves diagonal chains that polygonize into single cells), and a
//! region only merges within its unit, so cutting by townships after the sieve
//! cannot leave slivers below the unit. Small regions that merge into each other are
//! merged again when the result is still small (GDAL leaves a cluster of small
//! regions whose neighbours are all small as it is).
//!
//! Order (deterministic, independent of threads): regions by size, then by their
//! first cell in row-major order; a region joins the neighbour of the largest size,
//! ties to the one whose first cell comes first.

use ndarray::Array2;

/// What [`sieve_within`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SieveReport {
    /// Regions merged into a neighbour.
    pub merged: usize,
    /// Regions left below the unit because no region of their unit touches them
    /// (an island of levels in nodata, or a whole unit smaller than the unit).
    pub isolated: usize,
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// Sieve `levels` (0 = nodata) within the units of `owner` (0 = none: those cells
/// are left as they are and never merged into): see the module doc. Returns the
/// sieved levels and what was done.
pub fn sieve_within(
    levels: &Array2<u8>,
    owner: &Array2<i32>,
    min_cells: usize,
) -> (Array2<u8>, SieveReport) {
    let (rows, cols) = levels.dim();
    let mut out = levels.clone();
    let mut report = SieveReport::default();
    if min_cells <= 1 {
        return (out, report);
    }
    let n = rows * cols;
    let lv = levels.as_standard_layout();
    let lv = lv.as_slice().expect("standard layout");
    let ow = owner.as_standard_layout();
    let ow = ow.as_slice().expect("standard layout");
    let key =
        |i: usize| -> Option<(i32, u8)> { (lv[i] != 0 && ow[i] != 0).then(|| (ow[i], lv[i])) };
    // 4-connected regions of equal (unit, level).
    const NONE: u32 = u32::MAX;
    let mut label = vec![NONE; n];
    let mut size: Vec<usize> = Vec::new();
    let mut first: Vec<usize> = Vec::new();
    let mut level: Vec<u8> = Vec::new();
    let mut stack = Vec::new();
    for start in 0..n {
        let Some(k) = key(start) else { continue };
        if label[start] != NONE {
            continue;
        }
        let id = size.len() as u32;
        label[start] = id;
        stack.push(start);
        let mut count = 0;
        while let Some(i) = stack.pop() {
            count += 1;
            let (r, c) = (i / cols, i % cols);
            let mut visit = |j: usize| {
                if label[j] == NONE && key(j) == Some(k) {
                    label[j] = id;
                    stack.push(j);
                }
            };
            if r > 0 {
                visit(i - cols);
            }
            if r + 1 < rows {
                visit(i + cols);
            }
            if c > 0 {
                visit(i - 1);
            }
            if c + 1 < cols {
                visit(i + 1);
            }
        }
        size.push(count);
        first.push(start);
        level.push(k.1);
    }
    let regions = size.len();
    // Neighbours within the same unit (each pair once per direction).
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); regions];
    for i in 0..n {
        let a = label[i];
        if a == NONE {
            continue;
        }
        let (r, c) = (i / cols, i % cols);
        for j in [
            (c + 1 < cols).then_some(i + 1),
            (r + 1 < rows).then_some(i + cols),
        ]
        .into_iter()
        .flatten()
        {
            let b = label[j];
            if b != NONE && b != a && ow[i] == ow[j] {
                adj[a as usize].push(b);
                adj[b as usize].push(a);
            }
        }
    }
    for a in &mut adj {
        a.sort_unstable();
        a.dedup();
    }
    let mut parent: Vec<u32> = (0..regions as u32).collect();
    let mut order: Vec<u32> = (0..regions as u32)
        .filter(|&r| size[r as usize] < min_cells)
        .collect();
    order.sort_by_key(|&r| (size[r as usize], first[r as usize]));
    loop {
        let mut changed = false;
        for &r in &order {
            let root = find(&mut parent, r);
            if size[root as usize] >= min_cells {
                continue;
            }
            // The largest neighbour of the merged region.
            let mut best: Option<u32> = None;
            let nbrs = std::mem::take(&mut adj[root as usize]);
            let mut kept = Vec::with_capacity(nbrs.len());
            for b in nbrs {
                let b = find(&mut parent, b);
                if b == root {
                    continue;
                }
                kept.push(b);
                let better = match best {
                    None => true,
                    Some(x) => {
                        (size[b as usize], std::cmp::Reverse(first[b as usize]))
                            > (size[x as usize], std::cmp::Reverse(first[x as usize]))
                    }
                };
                if better {
                    best = Some(b);
                }
            }
            let Some(into) = best else {
                adj[root as usize] = kept;
                continue;
            };
            parent[root as usize] = into;
            size[into as usize] += size[root as usize];
            kept.retain(|&b| b != into);
            adj[into as usize].extend(kept);
            report.merged += 1;
            changed = true;
        }
        if !changed {
            break;
        }
        // The regions still below the unit, by their merged size.
        let mut next: Vec<(usize, usize, u32)> = Vec::with_capacity(order.len());
        for &r in &order {
            let root = find(&mut parent, r);
            if size[root as usize] < min_cells {
                next.push((size[root as usize], first[root as usize], root));
            }
        }
        next.sort_unstable();
        next.dedup_by_key(|x| x.2);
        order = next.into_iter().map(|x| x.2).collect();
    }
    let mut isolated = std::collections::BTreeSet::new();
    for r in 0..regions as u32 {
        let root = find(&mut parent, r);
        if size[root as usize] < min_cells {
            isolated.insert(root);
        }
    }
    report.isolated = isolated.len();
    let out_s = out.as_slice_mut().expect("standard layout");
    for i in 0..n {
        if label[i] != NONE {
            let root = find(&mut parent, label[i]);
            out_s[i] = level[root as usize];
        }
    }
    (out, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn small_regions_merge_into_their_largest_neighbour_within_their_unit() {
        // One unit; a 1-cell region of 2 between a 6-cell region of 1 and a 3-cell
        // region of 3: it joins the 1s.
        let l = array![[1u8, 1, 1, 3], [1, 2, 1, 3], [1, 1, 9, 3]];
        let o = Array2::from_elem((3, 4), 1);
        let (s, r) = sieve_within(&l, &o, 3);
        assert_eq!(s[[1, 1]], 1);
        // The 9 touches the 1s (6+1) and the 3s (3): the 1s are larger.
        assert_eq!(s[[2, 2]], 1);
        assert_eq!(s.column(3).to_vec(), vec![3, 3, 3]);
        assert_eq!(
            r,
            SieveReport {
                merged: 2,
                isolated: 0
            }
        );
    }

    #[test]
    fn diagonal_chains_are_not_one_region_and_units_do_not_merge() {
        // A diagonal of 2s is four 1-cell regions (4-connected): all merge.
        let l = array![[2u8, 1, 1], [1, 2, 1], [1, 1, 2]];
        let o = Array2::from_elem((3, 3), 1);
        let (s, _) = sieve_within(&l, &o, 2);
        assert!(s.iter().all(|&v| v == 1), "{s:?}");
        // The same grid cut into two units by column: the right column's 1s (2
        // cells) and 2 (1 cell) only see each other.
        let o = array![[1, 1, 2], [1, 1, 2], [1, 1, 2]];
        let (s, r) = sieve_within(&l, &o, 3);
        assert_eq!(s.column(2).to_vec(), vec![1, 1, 1]);
        // Unit 2 has 3 cells in all: one region of 3 after the merge.
        assert_eq!(r.isolated, 0);
        // A whole unit below the threshold stays, counted as isolated.
        let (_, r) = sieve_within(&l, &o, 4);
        assert_eq!(r.isolated, 1);
    }

    /// Every 4-connected region of one level in one unit, by (unit, size).
    fn regions(l: &Array2<u8>, o: &Array2<i32>) -> Vec<(i32, usize, bool)> {
        let (rows, cols) = l.dim();
        let mut seen = Array2::from_elem((rows, cols), false);
        let mut out = Vec::new();
        for r0 in 0..rows {
            for c0 in 0..cols {
                if seen[[r0, c0]] || l[[r0, c0]] == 0 || o[[r0, c0]] == 0 {
                    continue;
                }
                let k = (l[[r0, c0]], o[[r0, c0]]);
                let mut stack = vec![(r0, c0)];
                seen[[r0, c0]] = true;
                let (mut n, mut touches) = (0, false);
                while let Some((r, c)) = stack.pop() {
                    n += 1;
                    let nb = [
                        (r.wrapping_sub(1), c),
                        (r + 1, c),
                        (r, c.wrapping_sub(1)),
                        (r, c + 1),
                    ];
                    for (rr, cc) in nb {
                        if rr >= rows || cc >= cols || l[[rr, cc]] == 0 || o[[rr, cc]] != k.1 {
                            continue;
                        }
                        if l[[rr, cc]] != k.0 {
                            touches = true;
                        } else if !seen[[rr, cc]] {
                            seen[[rr, cc]] = true;
                            stack.push((rr, cc));
                        }
                    }
                }
                out.push((k.1, n, touches));
            }
        }
        out
    }

    #[test]
    fn on_noisy_grids_every_region_reaches_the_unit_or_touches_nothing_of_its_unit() {
        // Levels of salt-and-pepper noise over smooth bands, cut by a wavy unit
        // line, as a 10 m hazard grid is: after the sieve every region of a unit is
        // at least the unit, or nothing of its own unit touches it.
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let (rows, cols) = (180, 240);
        let l = Array2::from_shape_fn((rows, cols), |(r, c)| {
            if rng.random::<f64>() < 0.03 {
                0
            } else if rng.random::<f64>() < 0.35 {
                rng.random_range(1..=5)
            } else {
                (1 + (r / 30 + c / 50) % 5) as u8
            }
        });
        let o = Array2::from_shape_fn((rows, cols), |(r, c)| {
            let edge = 120.0 + 20.0 * (r as f64 / 15.0).sin();
            if (c as f64) < edge {
                1
            } else {
                2
            }
        });
        for min in [2, 12, 112] {
            let (s, rep) = sieve_within(&l, &o, min);
            let regs = regions(&s, &o);
            let small: Vec<_> = regs.iter().filter(|r| r.1 < min).collect();
            assert!(small.iter().all(|r| !r.2), "min {min}: {small:?}");
            assert_eq!(small.len(), rep.isolated, "min {min}");
            // Nodata stays nodata; every unit's cells stay in their unit.
            for ((a, b), _) in s.iter().zip(l.iter()).zip(o.iter()) {
                assert_eq!(*a == 0, *b == 0);
            }
        }
    }

    #[test]
    fn a_cluster_of_small_regions_merges_until_it_reaches_the_unit() {
        // A checkerboard of 1s and 2s (every region 1 cell) inside nodata: it ends as
        // one region of 9 cells.
        let l = array![[1u8, 2, 1], [2, 1, 2], [1, 2, 1]];
        let o = Array2::from_elem((3, 3), 1);
        let (s, r) = sieve_within(&l, &o, 9);
        let v = s[[0, 0]];
        assert!(s.iter().all(|&x| x == v), "{s:?}");
        assert_eq!(r.isolated, 0);
        // Nodata and cells without a unit are never touched.
        let l = array![[0u8, 2], [1, 1]];
        let o = array![[1, 0], [1, 1]];
        let (s, _) = sieve_within(&l, &o, 3);
        assert_eq!(s, array![[0u8, 2], [1, 1]]);
    }
}
