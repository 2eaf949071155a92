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
    let err = |source| IoError::Crs {
        crs: crs.to_string(),
        source,
    };
    // Not `SpatialRef::from_definition`: gdal 0.19 leaks its OGRSpatialReference when
    // the text has a NUL byte or OSR refuses it (found by fuzzing, docs/fuzzing.md).
    // Here `srs` owns the handle before the call and frees it on every path.
    let text = std::ffi::CString::new(crs).map_err(|e| err(e.into()))?;
    let mut srs = SpatialRef::new().map_err(err)?;
    // SAFETY: `srs` holds a valid OGRSpatialReferenceH for the whole call and `text`
    // is a NUL-terminated string that outlives it; OSR copies what it keeps.
    let rv = unsafe { gdal_sys::OSRSetFromUserInput(srs.to_c_hsrs(), text.as_ptr()) };
    if rv != gdal_sys::OGRErr::OGRERR_NONE {
        return Err(err(gdal::errors::GdalError::OgrError {
            err: rv,
            method_name: "OSRSetFromUserInput",
        }));
    }
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

/// A CRS as OSR identifies it: its EPSG code and name, and those of its geographic
/// base CRS (the datum), e.g. `EPSG:2384` "Xian 1980 / 3-degree Gauss-Kruger CM
/// 117E" on `EPSG:4610` "Xian 1980".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrsIdentity {
    /// The EPSG code: declared by the definition, else found by OSR's
    /// `AutoIdentifyEPSG`, else the best of OSR's `FindMatches` at 90 % confidence
    /// or more (what GDAL's Shapefile driver and `gdalsrsinfo -e` accept); `None`
    /// when none is found.
    pub epsg: Option<u32>,
    /// The CRS's name (`Xian 1980 / 3-degree Gauss-Kruger CM 117E`, or the name an
    /// ESRI `.prj` gives).
    pub name: String,
    /// The EPSG code of the geographic base CRS (`4610` Xian 1980, `4214` Beijing
    /// 1954, `4490` CGCS2000), found the same way.
    pub geographic_epsg: Option<u32>,
    /// The name of the geographic base CRS.
    pub geographic_name: String,
}

/// Identify a CRS definition (`EPSG:n`, WKT in OGC or ESRI dialect, PROJ string):
/// see [`CrsIdentity`].
pub fn identify(crs: &str) -> Result<CrsIdentity, IoError> {
    Ok(identify_srs(&spatial_ref(crs)?))
}

/// [`identify`] for a parsed [`SpatialRef`] (e.g. a layer's).
pub fn identify_srs(srs: &SpatialRef) -> CrsIdentity {
    let geog = srs.geog_cs().ok();
    CrsIdentity {
        epsg: epsg_of(srs),
        name: srs.name().unwrap_or_default(),
        geographic_epsg: geog.as_ref().and_then(epsg_of),
        geographic_name: geog.and_then(|g| g.name()).unwrap_or_default(),
    }
}

fn declared_epsg(srs: &SpatialRef) -> Option<u32> {
    match srs.auth_name().as_deref() {
        Some("EPSG") => srs.auth_code().ok().and_then(|c| u32::try_from(c).ok()),
        _ => None,
    }
}

fn epsg_of(srs: &SpatialRef) -> Option<u32> {
    if let Some(c) = declared_epsg(srs) {
        return Some(c);
    }
    // AutoIdentifyEPSG adds authority nodes in place: work on a copy.
    let mut copy = srs.clone();
    if copy.auto_identify_epsg().is_ok() {
        if let Some(c) = declared_epsg(&copy) {
            return Some(c);
        }
    }
    // SAFETY: valid SRS handle; OSRFindMatches returns an array of `n` handles and
    // `n` confidences (or null), both freed below; the authority strings are read
    // before the array is freed.
    unsafe {
        let mut n = 0;
        let mut conf: *mut std::ffi::c_int = std::ptr::null_mut();
        let matches =
            gdal_sys::OSRFindMatches(srs.to_c_hsrs(), std::ptr::null_mut(), &mut n, &mut conf);
        let mut found = None;
        if !matches.is_null() && !conf.is_null() && n > 0 && *conf >= 90 {
            let h = *matches;
            let name = gdal_sys::OSRGetAuthorityName(h, std::ptr::null());
            let code = gdal_sys::OSRGetAuthorityCode(h, std::ptr::null());
            if !name.is_null()
                && !code.is_null()
                && std::ffi::CStr::from_ptr(name).to_bytes() == b"EPSG"
            {
                found = std::ffi::CStr::from_ptr(code)
                    .to_str()
                    .ok()
                    .and_then(|c| c.parse().ok());
            }
        }
        if !matches.is_null() {
            gdal_sys::OSRFreeSRSArray(matches);
        }
        if !conf.is_null() {
            gdal_sys::VSIFree(conf.cast());
        }
        found
    }
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

    /// Refused definitions (unknown, malformed, with a NUL byte) are errors naming
    /// the text; a good one still parses after them.
    #[test]
    fn refused_crs_definitions_are_errors() {
        crate::init();
        for bad in ["EPSG:9096", "CGC}}}S2000", "EPSG:4326\0tail", ""] {
            let e = spatial_ref(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("{bad:?}")), "{bad:?}: {e}");
        }
        assert!(is_projected("EPSG:4548").unwrap());
    }

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

    /// The `.prj` ArcGIS writes for Xian 1980 / 3-degree GK CM 117E names no
    /// authority; OSR identifies it as EPSG:2384 on the Xian 1980 datum (4610).
    #[test]
    fn esri_prj_of_xian_1980_is_identified() {
        crate::init();
        let prj = r#"PROJCS["Xian_1980_3_Degree_GK_CM_117E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let id = identify(prj).unwrap();
        assert_eq!(
            (id.epsg, id.geographic_epsg),
            (Some(2384), Some(4610)),
            "{id:?}"
        );
        let id = identify(r#"GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#).unwrap();
        assert_eq!(
            (id.epsg, id.geographic_epsg),
            (Some(4214), Some(4214)),
            "{id:?}"
        );
        assert_eq!(identify("EPSG:4548").unwrap().geographic_epsg, Some(4490));
    }

    #[test]
    fn bad_crs_is_named() {
        let e = spatial_ref("EPSG:999999").err().unwrap();
        assert!(e.to_string().contains("EPSG:999999"), "{e}");
    }
}
