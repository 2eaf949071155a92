//! Analytical hillshade (Horn 1981 reflectance map with a Lambertian surface).
//!
//! With `p = ∂z/∂x` (east) and `q = ∂z/∂y` (north) from [`GradientAlg`], sun azimuth
//! `φ` (degrees clockwise from north) and altitude `α` above the horizon, the cosine
//! of the incidence angle is (Horn 1981, eq. 28; Burrough & McDonnell 1998, eq. 8.9)
//!
//! ```text
//! cos i = (sin α − z·cos α·(q·cos φ + p·sin φ)) / √(1 + z²·(p² + q²))
//! ```
//!
//! and the grey level is `1 + 254·max(cos i, 0)` rounded to nearest, as `gdaldem
//! hillshade` (GDAL 3.6 `GDALHillshadeAlg`, default az 315°, alt 45°, z 1) writes it.
//! Output is u8: **0 = nodata**, 1 = full shadow, 255 = facing the sun. Border and NaN
//! handling follow [`Edges`]. Axis order `(row, col)`, row 0 north; cell size in metres.

use ndarray::{Array2, ArrayView2};

use super::window::map3x3;
use super::{Edges, GradientAlg};
use crate::{CellSize, KernelError};

/// Sun position and vertical exaggeration; `Default` is gdaldem's (315°, 45°, 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HillshadeParams {
    azimuth_deg: f64,
    altitude_deg: f64,
    z_factor: f64,
}

impl Default for HillshadeParams {
    fn default() -> Self {
        Self {
            azimuth_deg: 315.0,
            altitude_deg: 45.0,
            z_factor: 1.0,
        }
    }
}

impl HillshadeParams {
    /// Validate: azimuth finite (any value, taken modulo 360), altitude in [0, 90],
    /// z-factor finite and > 0.
    pub fn new(azimuth_deg: f64, altitude_deg: f64, z_factor: f64) -> Result<Self, KernelError> {
        if !azimuth_deg.is_finite() {
            return Err(bad("azimuth_deg", azimuth_deg, "must be finite"));
        }
        if !(0.0..=90.0).contains(&altitude_deg) {
            return Err(bad("altitude_deg", altitude_deg, "must be within [0, 90]"));
        }
        if !(z_factor.is_finite() && z_factor > 0.0) {
            return Err(bad("z_factor", z_factor, "must be finite and > 0"));
        }
        Ok(Self {
            azimuth_deg,
            altitude_deg,
            z_factor,
        })
    }
}

fn bad(name: &'static str, value: f64, reason: &'static str) -> KernelError {
    KernelError::BadParameter {
        name,
        value,
        reason,
    }
}

/// Hillshade grey levels (u8, 0 = nodata).
pub fn hillshade(
    dem: ArrayView2<f32>,
    cell: CellSize,
    alg: GradientAlg,
    params: HillshadeParams,
    edges: Edges,
) -> Array2<u8> {
    let inv_l = 1.0 / cell.metres();
    let (az, alt, z) = (
        params.azimuth_deg.to_radians(),
        params.altitude_deg.to_radians(),
        params.z_factor,
    );
    let sin_alt_254 = 254.0 * alt.sin();
    let cos_az_254 = 254.0 * az.cos() * alt.cos() * z;
    let sin_az_254 = 254.0 * az.sin() * alt.cos() * z;
    let z2 = z * z;
    let shade = move |w: &[f32; 9], alg: GradientAlg| -> u8 {
        // gradient() gives (∂z/∂x east, ∂z/∂y south); q below is northward.
        let (p, q_south) = super::slope::gradient(w, alg, inv_l);
        let q = -q_south;
        let c =
            (sin_alt_254 - (q * cos_az_254 + p * sin_az_254)) / (1.0 + z2 * (p * p + q * q)).sqrt();
        let v = if c <= 0.0 { 1.0 } else { 1.0 + c };
        (v + 0.5) as u8
    };
    match alg {
        GradientAlg::Horn => map3x3(dem, edges, 0u8, |w| shade(w, GradientAlg::Horn)),
        GradientAlg::ZevenbergenThorne => map3x3(dem, edges, 0u8, |w| {
            shade(w, GradientAlg::ZevenbergenThorne)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flat surface under a 45° sun: cos i = sin 45° → 1 + 254·0.70711 = 180.6 → 181.
    /// A 45° slope facing the sun (NW, az 315) is lit head-on: cos i = 1 → 255.
    #[test]
    fn flat_and_sun_facing() {
        let cell = CellSize::new(1.0).unwrap();
        let p = HillshadeParams::default();
        let flat = Array2::from_elem((3, 3), 7.0f32);
        assert_eq!(
            hillshade(flat.view(), cell, GradientAlg::Horn, p, Edges::Nodata)[(1, 1)],
            181
        );
        // Faces NW with slope 45°: z rises to the SE with |∇z| = 1 and the sun at
        // altitude 45° is along the normal.
        let k = std::f32::consts::FRAC_1_SQRT_2;
        let dem = Array2::from_shape_fn((3, 3), |(r, c)| k * (r as f32 + c as f32));
        let h = hillshade(dem.view(), cell, GradientAlg::Horn, p, Edges::Nodata);
        assert_eq!(h[(1, 1)], 255);
        assert_eq!(h[(0, 0)], 0);
        // The opposite aspect is in full shadow.
        let dem = dem.mapv(|v| -v);
        assert_eq!(
            hillshade(dem.view(), cell, GradientAlg::Horn, p, Edges::Nodata)[(1, 1)],
            1
        );
    }

    #[test]
    fn params_are_checked() {
        assert!(HillshadeParams::new(315.0, 95.0, 1.0).is_err());
        assert!(HillshadeParams::new(f64::NAN, 45.0, 1.0).is_err());
        assert!(HillshadeParams::new(315.0, 45.0, 0.0).is_err());
    }
}
