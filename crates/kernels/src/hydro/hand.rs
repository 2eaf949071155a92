//! Height Above Nearest Drainage (HAND).
//!
//! Nobre, A.D. et al. (2011) "Height Above the Nearest Drainage – a hydrologically
//! relevant new terrain model", Journal of Hydrology 404, 13–29 (eq. 1–2): follow the
//! D8 path from each cell to the first stream cell it reaches; HAND is the cell's
//! elevation minus that stream cell's elevation.
//!
//! - Input: the filled DEM (metres), its D8 codes ([`super::d8`](super::d8())) and a stream mask
//!   ([`super::streams`](super::streams())). Output metres: **0 on stream cells**; ≥ 0 elsewhere when the
//!   directions come from the same filled DEM (D8 always steps down).
//! - NaN where the cell is nodata, or its path reaches an outlet (code 0, off the
//!   grid, or into nodata) before reaching a stream.
//! - O(n), no recursion: each path is walked once to find its drainage elevation and
//!   once more to memoise it on every cell it crossed, so later walks stop there.
//!
//! Errors: shape mismatch, a bad D8 code, or a D8 cycle (which would never end).

use ndarray::{Array2, ArrayView2};

use super::{dir_index, D8_CODES, D8_NODATA};
use crate::{check_shape, contiguous, KernelError};

/// HAND in metres (see module docs).
pub fn hand(
    filled: ArrayView2<f32>,
    dirs: ArrayView2<u8>,
    streams: ArrayView2<bool>,
) -> Result<Array2<f32>, KernelError> {
    let (rows, cols) = filled.dim();
    check_shape("d8 directions vs filled DEM", (rows, cols), dirs.dim())?;
    check_shape("stream mask vs filled DEM", (rows, cols), streams.dim())?;
    let z = contiguous(&filled);
    let d = contiguous(&dirs);
    let s = contiguous(&streams);
    let n = rows * cols;
    // base[i]: elevation of the stream cell that i drains to; +∞ = not known yet,
    // NaN = drains off the grid without meeting a stream.
    const UNKNOWN: f32 = f32::INFINITY;
    let mut base = vec![UNKNOWN; n];
    for i in 0..n {
        if z[i].is_nan() || d[i] == D8_NODATA {
            base[i] = f32::NAN;
        } else if s[i] {
            base[i] = z[i];
        }
    }
    // The next cell downstream, or None at an outlet.
    let next = |r: usize, c: usize| -> Result<Option<(usize, usize)>, KernelError> {
        let code = d[r * cols + c];
        let k = dir_index(code).ok_or(KernelError::BadD8Code {
            row: r,
            col: c,
            code,
        })?;
        if k == 0 {
            return Ok(None);
        }
        let (_, dr, dc) = D8_CODES[k as usize - 1];
        let (rr, cc) = (r as isize + dr, c as isize + dc);
        if rr < 0 || cc < 0 || rr as usize >= rows || cc as usize >= cols {
            return Ok(None);
        }
        Ok(Some((rr as usize, cc as usize)))
    };
    for r0 in 0..rows {
        for c0 in 0..cols {
            if base[r0 * cols + c0] != UNKNOWN {
                continue;
            }
            // Walk 1: find the drainage elevation.
            let (mut r, mut c) = (r0, c0);
            let mut steps = 0usize;
            let found = loop {
                let b = base[r * cols + c];
                if b != UNKNOWN {
                    break b;
                }
                match next(r, c)? {
                    None => break f32::NAN,
                    Some(rc) => (r, c) = rc,
                }
                steps += 1;
                if steps > n {
                    return Err(KernelError::D8Cycle { row: r0, col: c0 });
                }
            };
            // Walk 2: memoise it along the path.
            let (mut r, mut c) = (r0, c0);
            while base[r * cols + c] == UNKNOWN {
                base[r * cols + c] = found;
                match next(r, c)? {
                    None => break,
                    Some(rc) => (r, c) = rc,
                }
            }
        }
    }
    let out: Vec<f32> = z.iter().zip(&base).map(|(&z, &b)| z - b).collect();
    Ok(Array2::from_shape_vec((rows, cols), out).expect("shape"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn hand_by_hand() {
        // Row flows east into a stream at (0,2); row 2 flows east off the grid with no
        // stream; (1, 0) flows NE onto the stream path.
        let z = array![[5.0f32, 3.0, 1.0], [7.0, 6.0, 9.0], [4.0, 3.0, 2.0]];
        let d = array![[1u8, 1, 0], [128, 0, 0], [1, 1, 0]];
        let s = array![
            [false, false, true],
            [false, false, false],
            [false, false, false]
        ];
        let h = hand(z.view(), d.view(), s.view()).unwrap();
        assert_eq!(h[(0, 0)], 4.0);
        assert_eq!(h[(0, 1)], 2.0);
        assert_eq!(h[(0, 2)], 0.0);
        assert_eq!(h[(1, 0)], 6.0); // 7 − 1 via (0,1) → (0,2)
        assert!(h[(1, 1)].is_nan()); // outlet, not a stream
        assert!(h[(2, 0)].is_nan() && h[(2, 2)].is_nan());
    }

    #[test]
    fn cycle_is_an_error() {
        let z = array![[1.0f32, 1.0]];
        let d = array![[1u8, 16]];
        let s = array![[false, false]];
        assert!(matches!(
            hand(z.view(), d.view(), s.view()),
            Err(KernelError::D8Cycle { .. })
        ));
    }
}
