//! Topographic wetness index (Beven & Kirkby 1979).
//!
//! `TWI = ln(a / tan β)` with `a` the specific catchment area (upstream area per unit
//! contour width, m²/m = m; here `upstream_area / L`, the D8 convention of Quinn et
//! al. 1991 with contour width = cell size L) and `β` the local slope.
//! Beven, K.J., Kirkby, M.J. (1979) Hydrol. Sci. Bull. 24(1), 43–69.
//!
//! `tan β` is floored at `min_tan_slope` so flat cells give a finite index
//! ([`DEFAULT_MIN_TAN_SLOPE`] = 0.001, i.e. 0.057°; Sørensen et al. 2006 discuss the
//! choice). Pass the slope of the **unfilled** DEM in degrees (e.g. Horn,
//! [`crate::terrain::slope`](crate::terrain::slope())). NaN in either input gives NaN.

use ndarray::{Array2, ArrayView2, Zip};

use crate::{check_shape, CellSize, KernelError};

/// Default floor on `tan β`.
pub const DEFAULT_MIN_TAN_SLOPE: f64 = 1e-3;

/// TWI (dimensionless, natural log of metres) from upstream area (m²) and slope (°).
pub fn twi(
    upstream_area: ArrayView2<f32>,
    slope_deg: ArrayView2<f32>,
    cell: CellSize,
    min_tan_slope: f64,
) -> Result<Array2<f32>, KernelError> {
    check_shape(
        "slope vs upstream area",
        upstream_area.dim(),
        slope_deg.dim(),
    )?;
    if !(min_tan_slope.is_finite() && min_tan_slope > 0.0) {
        return Err(KernelError::BadParameter {
            name: "min_tan_slope",
            value: min_tan_slope,
            reason: "must be finite and > 0",
        });
    }
    let inv_l = 1.0 / cell.metres();
    Ok(Zip::from(&upstream_area)
        .and(&slope_deg)
        .map_collect(|&a, &s| {
            let t = (s as f64).to_radians().tan().max(min_tan_slope);
            ((a as f64 * inv_l) / t).ln() as f32
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// 10 cells of 10 m: a = 1000 m² / 10 m = 100 m. At 45°: ln(100) = 4.60517.
    /// Flat: ln(100 / 0.001) = ln(1e5) = 11.51293.
    #[test]
    fn twi_by_hand() {
        let a = array![[1000.0f32, 1000.0, f32::NAN]];
        let s = array![[45.0f32, 0.0, 10.0]];
        let t = twi(
            a.view(),
            s.view(),
            CellSize::new(10.0).unwrap(),
            DEFAULT_MIN_TAN_SLOPE,
        )
        .unwrap();
        assert!((t[(0, 0)] - 4.605_17).abs() < 1e-5);
        assert!((t[(0, 1)] - 11.512_93).abs() < 1e-5);
        assert!(t[(0, 2)].is_nan());
    }
}
