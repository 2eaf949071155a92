//! Raster comparison with explicit tolerances.

use std::path::Path;

use riskcensus_io::RasterReader;

/// The result of comparing two rasters cell by cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterDiff {
    /// Cells compared (rows × cols).
    pub cells: usize,
    /// Cells valid in one raster and nodata in the other.
    pub nodata_mismatch: usize,
    /// Largest absolute difference over cells valid in both.
    pub max_abs: f64,
    /// Cells whose difference exceeds the tolerance.
    pub over_tolerance: usize,
    /// First cell `(row, col)`, in row-major order, over tolerance or with a nodata
    /// mismatch, if any.
    pub first_bad: Option<(usize, usize)>,
}

/// Compare band 1 of two rasters of the same shape, read as `f32` with nodata as
/// NaN; `tol` is an absolute difference in the rasters' units.
///
/// # Panics
/// When a raster cannot be read or the shapes differ.
pub fn diff_rasters(a: &Path, b: &Path, tol: f64) -> RasterDiff {
    let ra = RasterReader::open(a, 1).expect("open a");
    let rb = RasterReader::open(b, 1).expect("open b");
    let (ia, ib) = (ra.info(), rb.info());
    assert_eq!(
        (ia.rows, ia.cols),
        (ib.rows, ib.cols),
        "{} and {} differ in shape",
        a.display(),
        b.display()
    );
    let w = riskcensus_core::Window::new(0, 0, ia.rows, ia.cols);
    let (xa, xb) = (ra.read_f32(w).unwrap(), rb.read_f32(w).unwrap());
    let mut d = RasterDiff {
        cells: w.len(),
        nodata_mismatch: 0,
        max_abs: 0.0,
        over_tolerance: 0,
        first_bad: None,
    };
    for ((rc, va), vb) in xa.indexed_iter().zip(xb.iter()) {
        match (va.is_nan(), vb.is_nan()) {
            (true, true) => {}
            (false, false) => {
                let e = (*va as f64 - *vb as f64).abs();
                d.max_abs = d.max_abs.max(e);
                if e > tol {
                    d.over_tolerance += 1;
                    d.first_bad.get_or_insert(rc);
                }
            }
            _ => {
                d.nodata_mismatch += 1;
                d.first_bad.get_or_insert(rc);
            }
        }
    }
    d
}

/// Panic with a useful message unless the rasters agree within `tol` everywhere
/// and share their nodata mask.
pub fn assert_rasters_close(a: &Path, b: &Path, tol: f64) {
    let d = diff_rasters(a, b, tol);
    assert!(
        d.nodata_mismatch == 0 && d.over_tolerance == 0,
        "{} vs {}: {d:?}",
        a.display(),
        b.display()
    );
}
