//! Vector layer reading through GDAL/OGR for survey ingestion: GeoPackage, Shapefile,
//! GeoJSON (any OGR vector format).
//!
//! Attribute text is returned as **raw bytes**, never recoded: a Shapefile is opened
//! with the open option `ENCODING=` (empty), which tells OGR's Shapefile driver not to
//! recode DBF text, so the caller decides the encoding (`.cpg`, a user override or
//! detection) and decodes with `encoding_rs`. GeoPackage and GeoJSON text is UTF-8 by
//! specification and is passed through as its bytes.
//!
//! Geometries are [`geo_types::Geometry<f64>`] in the layer CRS, `(x, y)` order.
//! A read error in the middle of a layer (a truncated `.shp`, a corrupt GeoPackage
//! page) is reported as an error, never as a short layer.

use std::ffi::CStr;
use std::path::{Path, PathBuf};

use gdal::vector::{LayerAccess, ToGdal};
use gdal::{Dataset, GdalOpenFlags};
use gdal_sys::OGRFieldType;

use crate::error::IoError;

/// Type of a source attribute field, as OGR declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawFieldType {
    /// OGR `Integer` or `Integer64`, read as [`RawValue::Integer`].
    Integer,
    /// OGR `Real`, read as [`RawValue::Real`].
    Real,
    /// OGR `String`, read as undecoded [`RawValue::Text`].
    Text,
    /// OGR `Date` or `DateTime`, read as ISO text (`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS`).
    Date,
    /// Any other OGR type (time, lists, binary), read as OGR's text form.
    Other,
}

/// One attribute value as stored in the source.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// The field is null or unset.
    Null,
    /// An integer field's value.
    Integer(i64),
    /// A real field's value.
    Real(f64),
    /// Undecoded text bytes (dates and other types are given as OGR's text form).
    Text(Vec<u8>),
}

/// A source layer's description.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLayerInfo {
    /// Layer name.
    pub name: String,
    /// Field names (bytes decoded lossily as UTF-8; DBF names are ASCII in practice)
    /// and types, in source order.
    pub fields: Vec<(String, RawFieldType)>,
    /// Field names as raw bytes (for DBF headers in a local code page).
    pub raw_field_names: Vec<Vec<u8>>,
    /// The layer CRS as WKT, `None` when the source declares none.
    pub crs_wkt: Option<String>,
    /// `EPSG:n` when the CRS has an EPSG authority code.
    pub crs_epsg: Option<String>,
    /// Feature count as the driver reports it (the `.shx` count for a Shapefile).
    pub feature_count: u64,
    /// OGR's geometry type name (`Point`, `Multi Polygon`, `None`, …).
    pub geometry_type: String,
}

/// What OGR's geometry held that a 2-D [`geo_types::Geometry`] does not show: the
/// dimensions dropped in the conversion and the polygon rings that were not closed
/// (OGR accepts unclosed rings from GeoJSON and WKT with a warning; `geo` closes
/// them silently when it builds a polygon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GeomFacts {
    /// The geometry had Z values (dropped: geometries are read in 2-D).
    pub z: bool,
    /// The geometry had M (measure) values (dropped).
    pub m: bool,
    /// Polygon rings whose last point differs from their first (closed by the
    /// conversion).
    pub unclosed_rings: usize,
}

/// One feature as read.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFeature {
    /// 0-based position in the layer.
    pub index: u64,
    /// The source's feature id (`FID`), when it has one.
    pub fid: Option<u64>,
    /// One value per field of [`RawLayerInfo::fields`], in the same order.
    pub values: Vec<RawValue>,
    /// `Ok(None)` for a feature without geometry, `Err` when the geometry cannot be
    /// converted (an unsupported curve type, a corrupt blob).
    pub geometry: Result<Option<geo_types::Geometry<f64>>, String>,
    /// Dimensions dropped and rings closed in reading the geometry.
    pub facts: GeomFacts,
}

/// An open vector source (read-only).
pub struct VectorSource {
    path: PathBuf,
    ds: Dataset,
    driver: String,
}

impl VectorSource {
    /// Open a vector dataset read-only. Shapefiles are opened without recoding (see
    /// the module docs).
    pub fn open(path: &Path) -> Result<Self, IoError> {
        crate::init();
        if !path.exists() {
            return Err(IoError::Fs {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        let is_shp = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("shp") || e.eq_ignore_ascii_case("dbf"));
        // Without its .dbf, OGR opens a Shapefile as geometries without attributes,
        // which would surface later as "required fields missing": name the file.
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("shp"))
            && !["dbf", "DBF"]
                .iter()
                .any(|e| path.with_extension(e).exists())
        {
            return Err(IoError::Invalid {
                path: path.with_extension("dbf"),
                what: format!(
                    "missing: the attribute table (.dbf) of the Shapefile {} is not beside it; deliver the .shp, .shx, .dbf and .prj (and .cpg) together",
                    path.display()
                ),
            });
        }
        let open_options: &[&str] = if is_shp { &["ENCODING="] } else { &[] };
        let ds = crate::gdal_util::open_ex(
            path,
            GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
            &[],
            open_options,
        )?;
        let driver = ds.driver().short_name();
        Ok(Self {
            path: path.to_path_buf(),
            ds,
            driver,
        })
    }

    /// GDAL's short driver name (`GPKG`, `ESRI Shapefile`, `GeoJSON`, …).
    pub fn driver(&self) -> &str {
        &self.driver
    }

    /// Path of the source as opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Names of the layers in the dataset.
    pub fn layer_names(&self) -> Vec<String> {
        self.ds.layers().map(|l| l.name()).collect()
    }

    fn layer(&self, name: Option<&str>) -> Result<gdal::vector::Layer<'_>, IoError> {
        match name {
            Some(n) => self.ds.layer_by_name(n).map_err(|_| IoError::Invalid {
                path: self.path.clone(),
                what: format!("no layer {n:?} (layers: {})", self.layer_names().join(", ")),
            }),
            None => {
                let count = self.ds.layer_count();
                if count != 1 {
                    return Err(IoError::Invalid {
                        path: self.path.clone(),
                        what: format!(
                            "{count} layers ({}): say which one to read",
                            self.layer_names().join(", ")
                        ),
                    });
                }
                self.ds
                    .layer(0)
                    .map_err(IoError::gdal(&self.path, "layer 0"))
            }
        }
    }

    /// Describe a layer (`None` = the only layer).
    pub fn info(&self, layer: Option<&str>) -> Result<RawLayerInfo, IoError> {
        let l = self.layer(layer)?;
        let mut fields = Vec::new();
        let mut raw_field_names = Vec::new();
        // SAFETY: the layer handle is valid while `l` lives; the definition and field
        // definitions it returns are owned by the layer.
        unsafe {
            let defn = gdal_sys::OGR_L_GetLayerDefn(l.c_layer());
            for i in 0..gdal_sys::OGR_FD_GetFieldCount(defn) {
                let fd = gdal_sys::OGR_FD_GetFieldDefn(defn, i);
                let raw = CStr::from_ptr(gdal_sys::OGR_Fld_GetNameRef(fd))
                    .to_bytes()
                    .to_vec();
                let ty = match gdal_sys::OGR_Fld_GetType(fd) {
                    OGRFieldType::OFTInteger | OGRFieldType::OFTInteger64 => RawFieldType::Integer,
                    OGRFieldType::OFTReal => RawFieldType::Real,
                    OGRFieldType::OFTString => RawFieldType::Text,
                    OGRFieldType::OFTDate | OGRFieldType::OFTDateTime => RawFieldType::Date,
                    _ => RawFieldType::Other,
                };
                fields.push((String::from_utf8_lossy(&raw).into_owned(), ty));
                raw_field_names.push(raw);
            }
        }
        // GeoPackage srs_id 0 and -1 ("Undefined geographic SRS", "Undefined
        // Cartesian SRS") declare that the CRS is unknown: no CRS, like a missing .prj.
        let srs = l.spatial_ref().filter(|s| {
            !matches!(
                s.name().as_deref(),
                Some("Undefined geographic SRS") | Some("Undefined Cartesian SRS")
            )
        });
        let crs_wkt = srs.as_ref().and_then(|s| s.to_wkt().ok());
        // An EPSG code the file declares, else one OSR identifies (an ESRI .prj
        // names no authority): see [`crate::crs::identify`].
        let crs_epsg = srs
            .as_ref()
            .and_then(|s| crate::crs::identify_srs(s).epsg)
            .map(|code| format!("EPSG:{code}"));
        // SAFETY: valid layer handle; force = 1 counts by scanning when needed.
        let feature_count =
            unsafe { gdal_sys::OGR_L_GetFeatureCount(l.c_layer(), 1) }.max(0) as u64;
        // SAFETY: OGRGeometryTypeToName returns a static string.
        let geometry_type = unsafe {
            let defn = gdal_sys::OGR_L_GetLayerDefn(l.c_layer());
            CStr::from_ptr(gdal_sys::OGRGeometryTypeToName(
                gdal_sys::OGR_FD_GetGeomType(defn),
            ))
            .to_string_lossy()
            .into_owned()
        };
        Ok(RawLayerInfo {
            name: l.name(),
            fields,
            raw_field_names,
            crs_wkt,
            crs_epsg,
            feature_count,
            geometry_type,
        })
    }

    /// Read every feature of a layer in order, calling `f` for each. Stops at the
    /// first error `f` returns. A read failure inside the layer (OGR stops early) is
    /// an [`IoError::Read`]-like [`IoError::Invalid`] naming the feature index.
    pub fn read<E: From<IoError>>(
        &self,
        layer: Option<&str>,
        mut f: impl FnMut(RawFeature) -> Result<(), E>,
    ) -> Result<u64, E> {
        let l = self.layer(layer)?;
        let expected = self.info(layer)?.feature_count;
        let nfields = l.defn().fields().count();
        let mut types = Vec::with_capacity(nfields);
        // SAFETY: valid layer handle and field indices below the field count.
        unsafe {
            let defn = gdal_sys::OGR_L_GetLayerDefn(l.c_layer());
            for i in 0..nfields {
                types.push(gdal_sys::OGR_Fld_GetType(gdal_sys::OGR_FD_GetFieldDefn(
                    defn, i as i32,
                )));
            }
            gdal_sys::OGR_L_ResetReading(l.c_layer());
            gdal_sys::CPLErrorReset();
        }
        let mut index = 0u64;
        loop {
            // SAFETY: valid layer handle; the returned feature is owned by us and
            // destroyed below.
            let h = unsafe { gdal_sys::OGR_L_GetNextFeature(l.c_layer()) };
            if h.is_null() {
                break;
            }
            let feat = read_feature(h, index, &types);
            // SAFETY: `h` came from OGR_L_GetNextFeature and is destroyed once.
            unsafe { gdal_sys::OGR_F_Destroy(h) };
            f(feat)?;
            index += 1;
        }
        // SAFETY: plain query of the thread's last error.
        let failed = unsafe { gdal_sys::CPLGetLastErrorType() } >= gdal_sys::CPLErr::CE_Failure;
        if failed || index < expected {
            let msg = crate::gdal_util::last_error();
            return Err(IoError::Invalid {
                path: self.path.clone(),
                what: format!(
                    "layer {}: reading stopped at feature {index} of {expected} (truncated or corrupt file){}",
                    l.name(),
                    if msg.is_empty() { String::new() } else { format!(": {msg}") }
                ),
            }
            .into());
        }
        Ok(index)
    }
}

/// Read one field of a feature as a [`RawValue`]. Dates come back as ISO text
/// `YYYY-MM-DD` (date-times as `YYYY-MM-DDTHH:MM:SS`), not OGR's `YYYY/MM/DD`, so keys
/// and comparisons built from them match the values written.
///
/// # Safety
/// `feat` must be a valid feature handle and `i` a valid field index of its type `ty`.
pub(crate) unsafe fn raw_value(
    feat: gdal_sys::OGRFeatureH,
    i: i32,
    ty: OGRFieldType::Type,
) -> RawValue {
    if gdal_sys::OGR_F_IsFieldSetAndNotNull(feat, i) == 0 {
        return RawValue::Null;
    }
    match ty {
        OGRFieldType::OFTInteger | OGRFieldType::OFTInteger64 => {
            RawValue::Integer(gdal_sys::OGR_F_GetFieldAsInteger64(feat, i))
        }
        OGRFieldType::OFTReal => RawValue::Real(gdal_sys::OGR_F_GetFieldAsDouble(feat, i)),
        OGRFieldType::OFTDate | OGRFieldType::OFTDateTime => {
            let (mut y, mut mo, mut d, mut h, mut mi, mut sec, mut tz) = (0, 0, 0, 0, 0, 0f32, 0);
            let ok = gdal_sys::OGR_F_GetFieldAsDateTimeEx(
                feat, i, &mut y, &mut mo, &mut d, &mut h, &mut mi, &mut sec, &mut tz,
            );
            let text = if ok == 0 {
                CStr::from_ptr(gdal_sys::OGR_F_GetFieldAsString(feat, i))
                    .to_string_lossy()
                    .into_owned()
            } else if ty == OGRFieldType::OFTDate {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{:02}", sec as u32)
            };
            RawValue::Text(text.into_bytes())
        }
        _ => RawValue::Text(
            CStr::from_ptr(gdal_sys::OGR_F_GetFieldAsString(feat, i))
                .to_bytes()
                .to_vec(),
        ),
    }
}

fn read_feature(h: gdal_sys::OGRFeatureH, index: u64, types: &[OGRFieldType::Type]) -> RawFeature {
    let mut values = Vec::with_capacity(types.len());
    // SAFETY: `h` is a valid feature whose definition has `types.len()` fields; the
    // strings OGR returns are valid until the next call on the feature, and are
    // copied at once.
    unsafe {
        let fid = gdal_sys::OGR_F_GetFID(h);
        for (i, ty) in types.iter().enumerate() {
            values.push(raw_value(h, i as i32, *ty));
        }
        let g = gdal_sys::OGR_F_GetGeometryRef(h);
        let mut facts = GeomFacts::default();
        let geometry = if g.is_null() {
            Ok(None)
        } else {
            facts.z = gdal_sys::OGR_G_Is3D(g) != 0;
            facts.m = gdal_sys::OGR_G_IsMeasured(g) != 0;
            facts.unclosed_rings = unclosed_rings(g);
            // Z/M types are not converted by the gdal crate: convert a 2-D copy.
            let (c, owned) = if facts.z || facts.m {
                let c = gdal_sys::OGR_G_Clone(g);
                gdal_sys::OGR_G_FlattenTo2D(c);
                (c, true)
            } else {
                (g, false)
            };
            // Borrow the geometry without taking ownership (the feature, or the copy
            // destroyed below, owns it); a non-owned geometry is not destroyed when
            // dropped.
            let geom = gdal::vector::Geometry::lazy_feature_geometry();
            geom.set_c_geometry(c);
            let r = geom.to_geo().map(Some).map_err(|e| e.to_string());
            drop(geom);
            if owned {
                gdal_sys::OGR_G_DestroyGeometry(c);
            }
            r
        };
        RawFeature {
            index,
            fid: (fid >= 0).then_some(fid as u64),
            values,
            geometry,
            facts,
        }
    }
}

/// Polygon rings of `g` (at any depth of a multi-polygon or collection) whose last
/// point is not their first.
///
/// # Safety
/// `g` must be a valid geometry handle.
unsafe fn unclosed_rings(g: gdal_sys::OGRGeometryH) -> usize {
    use gdal_sys::OGRwkbGeometryType as T;
    let ty = gdal_sys::OGR_GT_Flatten(gdal_sys::OGR_G_GetGeometryType(g));
    let n = gdal_sys::OGR_G_GetGeometryCount(g);
    match ty {
        T::wkbPolygon => (0..n)
            .filter(|&i| {
                let r = gdal_sys::OGR_G_GetGeometryRef(g, i);
                let k = gdal_sys::OGR_G_GetPointCount(r);
                k > 1 && {
                    let (x0, y0) = (gdal_sys::OGR_G_GetX(r, 0), gdal_sys::OGR_G_GetY(r, 0));
                    let (x1, y1) = (
                        gdal_sys::OGR_G_GetX(r, k - 1),
                        gdal_sys::OGR_G_GetY(r, k - 1),
                    );
                    x0 != x1 || y0 != y1
                }
            })
            .count(),
        T::wkbMultiPolygon | T::wkbGeometryCollection => (0..n)
            .map(|i| unclosed_rings(gdal_sys::OGR_G_GetGeometryRef(g, i)))
            .sum(),
        _ => 0,
    }
}

/// Repair a geometry with GEOS's MakeValid (through OGR, GEOS's default `LINEWORK`
/// method). Returns the repaired geometry, which may be a collection mixing polygons
/// with the lines and points that collapsed.
pub fn make_valid(g: &geo_types::Geometry<f64>) -> Result<geo_types::Geometry<f64>, String> {
    crate::init();
    let og = g.to_gdal().map_err(|e| e.to_string())?;
    let fixed = og
        .make_valid(&gdal::cpl::CslStringList::new())
        .map_err(|e| format!("MakeValid failed: {e}"))?;
    fixed.to_geo().map_err(|e| e.to_string())
}

/// [`make_valid`], keeping only the polygonal parts of the result: a polygon when one
/// remains, a multi-polygon when several do, `None` when nothing polygonal remains.
/// The lines and points of a collection result are edges and spikes of zero area.
pub fn make_valid_polygonal(
    g: &geo_types::Geometry<f64>,
) -> Result<Option<geo_types::Geometry<f64>>, String> {
    use geo_types::Geometry as G;
    fn collect(g: G<f64>, out: &mut Vec<geo_types::Polygon<f64>>) {
        match g {
            G::Polygon(p) => out.push(p),
            G::MultiPolygon(m) => out.extend(m.0),
            G::GeometryCollection(c) => c.0.into_iter().for_each(|g| collect(g, out)),
            _ => {}
        }
    }
    let mut parts = Vec::new();
    collect(make_valid(g)?, &mut parts);
    Ok(match parts.len() {
        0 => None,
        1 => parts.pop().map(G::Polygon),
        _ => Some(G::MultiPolygon(geo_types::MultiPolygon(parts))),
    })
}

/// GEOS validity check through OGR (`OGR_G_IsValid`).
pub fn is_valid(g: &geo_types::Geometry<f64>) -> Result<bool, String> {
    crate::init();
    let og = g.to_gdal().map_err(|e| e.to_string())?;
    Ok(og.is_valid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vector::*;

    #[test]
    fn gbk_shapefile_text_is_returned_raw() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pts.shp");
        let spec = VectorLayerSpec::new(
            VectorDriver::Shapefile,
            "pts",
            "EPSG:4548",
            GeometryType::Point,
        )
        .field(FieldDef::new("NAME", FieldType::String).width(20))
        .field(FieldDef::new("N", FieldType::Integer))
        .encoding("CP936", false);
        write_layer(
            &p,
            &spec,
            &WriteOptions::default(),
            [
                (
                    geo_types::Point::new(1.0, 2.0).into(),
                    vec!["滑坡".into(), 3.into()],
                ),
                (
                    geo_types::Point::new(3.0, 4.0).into(),
                    vec![FieldValue::Null, 4.into()],
                ),
            ],
        )
        .unwrap();
        let src = VectorSource::open(&p).unwrap();
        let info = src.info(None).unwrap();
        assert_eq!(info.feature_count, 2);
        assert_eq!(info.crs_epsg.as_deref(), Some("EPSG:4548"));
        let mut got = Vec::new();
        src.read::<IoError>(None, |f| {
            got.push(f);
            Ok(())
        })
        .unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode("滑坡");
        assert_eq!(got[0].values[0], RawValue::Text(gbk.into_owned()));
        assert_eq!(got[0].values[1], RawValue::Integer(3));
        assert_eq!(
            got[1].geometry,
            Ok(Some(geo_types::Point::new(3.0, 4.0).into()))
        );
    }

    #[test]
    fn bowtie_is_invalid_and_make_valid_splits_it() {
        let bowtie: geo_types::Geometry<f64> = geo_types::Polygon::new(
            geo_types::LineString::from(vec![(0.0, 0.0), (10.0, 10.0), (0.0, 10.0), (10.0, 0.0)]),
            vec![],
        )
        .into();
        assert!(!is_valid(&bowtie).unwrap());
        let fixed = make_valid(&bowtie).unwrap();
        assert!(matches!(fixed, geo_types::Geometry::MultiPolygon(ref m) if m.0.len() == 2));
    }
}
