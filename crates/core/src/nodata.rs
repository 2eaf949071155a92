//! Nodata conventions.
//!
//! Nodata never means 0. Float layers carry NaN in memory and declare
//! [`F32_NODATA`] on disk, so that GDAL, QGIS and numpy all see the same mask; level
//! layers (u8) use [`LEVEL_NODATA`] = 0 for "nodata or outside the study area".

/// The nodata value written to float32 GeoTIFFs. NaN itself is the in-memory marker;
/// GDAL understands `nan` as a nodata value and so does every reader of COGs.
pub const F32_NODATA: f32 = f32::NAN;

/// Level rasters (u8): 0 is nodata / outside.
pub const LEVEL_NODATA: u8 = 0;

/// True when a float cell holds data.
#[inline(always)]
pub fn is_valid(v: f32) -> bool {
    !v.is_nan()
}

/// Map a raw value read from disk to the in-memory convention: the declared nodata
/// value (if any) and NaN both become NaN.
#[inline(always)]
pub fn normalise(v: f32, declared: Option<f64>) -> f32 {
    match declared {
        Some(nd) if !nd.is_nan() && (v as f64 == nd || v == nd as f32) => f32::NAN,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_nodata_becomes_nan() {
        assert!(normalise(-9999.0, Some(-9999.0)).is_nan());
        assert_eq!(normalise(0.0, Some(-9999.0)), 0.0);
        assert!(normalise(f32::NAN, None).is_nan());
        assert_eq!(normalise(3.5, Some(f64::NAN)), 3.5);
    }
}
