//! CRS parsing and coordinate transformation through GDAL/OSR (PROJ underneath).
//!
//! Axis order: every function here takes and returns `(x, y)` = (easting, northing)
//! or (longitude, latitude), whatever the authority's declared axis order
//! (OSR's "traditional GIS order").

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};

use crate::error::IoError;

/// Parse a CRS given as `EPSG:n`, WKT, PROJ string or anything OSR's
/// `SetFromUserInput` takes, with (x, y) axis order.
pub fn spatial_ref(crs: &str) -> Result<SpatialRef, IoError> {
    let mut srs = SpatialRef::from_definition(crs).map_err(|source| IoError::Crs {
        crs: crs.to_string(),
        source,
    })?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// WKT of a CRS definition (for writing datasets).
pub fn to_wkt(crs: &str) -> Result<String, IoError> {
    spatial_ref(crs)?.to_wkt().map_err(|source| IoError::Crs {
        crs: crs.to_string(),
        source,
    })
}

/// True if the CRS is projected (metres expected for a census grid).
pub fn is_projected(crs: &str) -> Result<bool, IoError> {
    Ok(spatial_ref(crs)?.is_projected())
}

/// A coordinate transformation between two CRSs. Not `Sync`: one per thread.
pub struct Transformer {
    inner: CoordTransform,
    from: String,
    to: String,
}

impl Transformer {
    /// A transformation from CRS `from` to CRS `to` (`EPSG:n`, WKT or anything
    /// [`spatial_ref`] takes), both with `(x, y)` axis order.
    pub fn new(from: &str, to: &str) -> Result<Self, IoError> {
        let src = spatial_ref(from)?;
        let dst = spatial_ref(to)?;
        let inner = CoordTransform::new(&src, &dst).map_err(|e| IoError::Transform {
            from: from.into(),
            to: to.into(),
            msg: e.to_string(),
        })?;
        Ok(Self {
            inner,
            from: from.into(),
            to: to.into(),
        })
    }

    /// Transform points in place, `(x, y)` order.
    pub fn transform(&self, xs: &mut [f64], ys: &mut [f64]) -> Result<(), IoError> {
        if xs.len() != ys.len() {
            return Err(IoError::Transform {
                from: self.from.clone(),
                to: self.to.clone(),
                msg: format!("{} x values but {} y values", xs.len(), ys.len()),
            });
        }
        if xs.is_empty() {
            return Ok(());
        }
        self.inner
            .transform_coords(xs, ys, &mut [])
            .map_err(|e| IoError::Transform {
                from: self.from.clone(),
                to: self.to.clone(),
                msg: e.to_string(),
            })
    }

    /// Transform one point.
    pub fn point(&self, x: f64, y: f64) -> Result<(f64, f64), IoError> {
        let (mut xs, mut ys) = ([x], [y]);
        self.transform(&mut xs, &mut ys)?;
        Ok((xs[0], ys[0]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgcs2000_gk_cm117_round_trip() {
        crate::init();
        // On the central meridian 117°E the easting is the false easting, 500 000 m.
        let t = Transformer::new("EPSG:4490", "EPSG:4548").unwrap();
        let (x, y) = t.point(117.0, 36.2).unwrap();
        assert!((x - 500_000.0).abs() < 1e-6, "{x}");
        // Meridian arc length to 36.2° on CGCS2000 ≈ 4 007 xxx m.
        assert!((4_000_000.0..4_020_000.0).contains(&y), "{y}");
        let back = Transformer::new("EPSG:4548", "EPSG:4490").unwrap();
        let (lon, lat) = back.point(x, y).unwrap();
        assert!((lon - 117.0).abs() < 1e-9 && (lat - 36.2).abs() < 1e-9);
    }

    #[test]
    fn bad_crs_is_named() {
        let e = spatial_ref("EPSG:999999").err().unwrap();
        assert!(e.to_string().contains("EPSG:999999"), "{e}");
    }
}
