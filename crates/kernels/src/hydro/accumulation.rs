//! D8 flow accumulation, in cells, and upstream area.
//!
//! Each valid cell counts itself plus every cell whose D8 path passes through it:
//! `A(i) = 1 + Σ_{j → i} A(j)`. Computed topologically in O(n) without recursion or
//! a queue (the indegree / "follow the chain" scheme, e.g. Wallis et al. 2009;
//! Barnes 2017 "Parallel non-divergent flow accumulation"): a row-major scan starts at
//! every cell with no donors left and walks downstream while each receiver's last
//! donor arrives. Sums are integers, so the order cannot change the result.
//!
//! Memory: the output (u32, 4 B/cell) plus one state byte per cell holding the
//! direction index (high nibble) and the remaining donor count (low nibble).
//!
//! Conventions: codes as in [`super::d8`](mod@super::d8); [`super::NO_FLOW`] cells, cells pointing
//! off the grid and cells pointing at a [`super::D8_NODATA`] cell are outlets (their
//! flow leaves the grid there). Nodata cells get 0 (every valid cell is ≥ 1).

use ndarray::{Array2, ArrayView2};

use super::{dir_index, D8_CODES, D8_NODATA};
use crate::{contiguous, CellSize, KernelError};

const DONE: u8 = 0x0F;

/// Flow accumulation (cells, including the cell itself; 0 = nodata).
///
/// Errors: [`KernelError::BadD8Code`] for a code that is not 0, 255 or a power of two,
/// [`KernelError::D8Cycle`] (naming one cell on or below the cycle) if the directions
/// loop, which never happens for [`super::d8`](super::d8()) output.
pub fn accumulation(dirs: ArrayView2<u8>) -> Result<Array2<u32>, KernelError> {
    let (rows, cols) = dirs.dim();
    let d = contiguous(&dirs);
    let n = rows * cols;
    let mut acc = vec![0u32; n];
    let mut state = vec![0u8; n];
    let mut off = [0isize; 9];
    for (k, &(_, dr, dc)) in D8_CODES.iter().enumerate() {
        off[k + 1] = dr * cols as isize + dc;
    }
    // Pass 1: direction index (normalised so that every kept direction lands on a valid
    // in-grid cell) in the high nibble, donor counts in the low nibble.
    for r in 0..rows {
        for c in 0..cols {
            let i = r * cols + c;
            let code = d[i];
            if code == D8_NODATA {
                state[i] |= DONE;
                continue;
            }
            acc[i] = 1;
            let k = dir_index(code).ok_or(KernelError::BadD8Code {
                row: r,
                col: c,
                code,
            })?;
            if k == 0 {
                continue;
            }
            let (_, dr, dc) = D8_CODES[k as usize - 1];
            let (rr, cc) = (r as isize + dr, c as isize + dc);
            if rr < 0 || cc < 0 || rr as usize >= rows || cc as usize >= cols {
                continue;
            }
            let j = rr as usize * cols + cc as usize;
            if d[j] == D8_NODATA {
                continue;
            }
            state[i] |= k << 4;
            state[j] += 1;
        }
    }
    // Pass 2: follow chains from every cell whose donors are all in.
    for start in 0..n {
        if state[start] & 0x0F != 0 {
            continue;
        }
        let mut i = start;
        loop {
            let k = state[i] >> 4;
            state[i] |= DONE;
            if k == 0 {
                break;
            }
            let j = (i as isize + off[k as usize]) as usize;
            acc[j] += acc[i];
            state[j] -= 1;
            if state[j] & 0x0F != 0 {
                break;
            }
            i = j;
        }
    }
    if let Some(i) = state.iter().position(|&s| s & 0x0F != DONE) {
        return Err(KernelError::D8Cycle {
            row: i / cols,
            col: i % cols,
        });
    }
    Ok(Array2::from_shape_vec((rows, cols), acc).expect("shape"))
}

/// Upstream area in m²: `accumulation × cell area` (f32; nodata → NaN).
pub fn upstream_area(acc: ArrayView2<u32>, cell: CellSize) -> Array2<f32> {
    let a = cell.area();
    acc.mapv(|v| {
        if v == 0 {
            f32::NAN
        } else {
            (v as f64 * a) as f32
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn counts_itself_and_donors() {
        // Everything flows east along rows, then the last column flows south.
        let dirs = array![[1u8, 1, 4], [1, 1, 4], [1, 1, 0]];
        let a = accumulation(dirs.view()).unwrap();
        assert_eq!(a, array![[1u32, 2, 3], [1, 2, 6], [1, 2, 9]]);
    }

    #[test]
    fn nodata_and_off_grid() {
        // (0,0) points N off the grid: an outlet. (1,1) is nodata; (1,0) points at it.
        let dirs = array![[64u8, 16], [1, D8_NODATA]];
        let a = accumulation(dirs.view()).unwrap();
        assert_eq!(a, array![[2u32, 1], [1, 0]]);
        assert!(upstream_area(a.view(), CellSize::new(10.0).unwrap())[(1, 1)].is_nan());
        assert_eq!(
            upstream_area(a.view(), CellSize::new(10.0).unwrap())[(0, 0)],
            200.0
        );
    }

    #[test]
    fn cycles_and_bad_codes_are_errors() {
        let dirs = array![[1u8, 16, 0]];
        assert_eq!(
            accumulation(dirs.view()),
            Err(KernelError::D8Cycle { row: 0, col: 0 })
        );
        let dirs = array![[3u8, 0]];
        assert!(matches!(
            accumulation(dirs.view()),
            Err(KernelError::BadD8Code {
                row: 0,
                col: 0,
                code: 3
            })
        ));
    }
}
