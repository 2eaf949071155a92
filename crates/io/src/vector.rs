//! Vector layer writing through GDAL/OGR: GeoPackage (several layers per file, one
//! transaction per layer), ESRI Shapefile (with a chosen code page, `.cpg` optional)
//! and GeoJSON.
//!
//! Geometries are [`geo_types::Geometry<f64>`] with coordinates in `(x, y)` order in
//! the layer CRS (easting/northing, or longitude/latitude for geographic CRSs).
//!
//! Writes are atomic: a dataset is built under a temporary sibling name and renamed
//! into place by [`VectorWriter::finish`]; for a Shapefile every sidecar file
//! (`.shp .shx .dbf .prj .cpg`) is built in a temporary sibling folder and renamed.
//! A writer dropped without `finish` removes its temporary files.
//!
//! ```no_run
//! # use riskcensus_io::vector::*;
//! # use std::path::Path;
//! let spec = VectorLayerSpec::new(VectorDriver::GeoPackage, "villages", "EPSG:4548", GeometryType::Point)
//!     .field(FieldDef::new("code", FieldType::String).width(12))
//!     .field(FieldDef::new("name", FieldType::String));
//! let features = vec![(
//!     geo_types::Point::new(500_000.0, 4_007_000.0).into(),
//!     vec![FieldValue::from("370999001201"), FieldValue::from("王家庄")],
//! )];
//! write_layer(Path::new("villages.gpkg"), &spec, &WriteOptions::default(), features)?;
//! # Ok::<(), riskcensus_io::IoError>(())
//! ```

use std::path::{Path, PathBuf};

use gdal::vector::{FieldDefn, LayerAccess, LayerOptions, ToGdal};
use gdal::{Dataset, DriverManager};
use gdal_sys::{OGRFieldType, OGRwkbGeometryType};

use crate::error::IoError;

/// Output format of a vector dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorDriver {
    /// OGC GeoPackage; may hold several layers.
    GeoPackage,
    /// ESRI Shapefile (`.shp` + `.shx` + `.dbf` + `.prj` [+ `.cpg`]); one layer, named
    /// after the file stem.
    Shapefile,
    /// GeoJSON; one layer.
    GeoJson,
}

impl VectorDriver {
    /// GDAL's short driver name.
    pub fn gdal_name(self) -> &'static str {
        match self {
            VectorDriver::GeoPackage => "GPKG",
            VectorDriver::Shapefile => "ESRI Shapefile",
            VectorDriver::GeoJson => "GeoJSON",
        }
    }

    /// Parse GDAL's short name (`GPKG`, `ESRI Shapefile`, `GeoJSON`).
    pub fn from_gdal_name(name: &str) -> Option<Self> {
        match name {
            "GPKG" => Some(VectorDriver::GeoPackage),
            "ESRI Shapefile" => Some(VectorDriver::Shapefile),
            "GeoJSON" => Some(VectorDriver::GeoJson),
            _ => None,
        }
    }
}

/// Declared geometry type of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryType {
    /// An attribute table without geometry (GeoPackage `attributes`); see
    /// [`VectorWriter::add_table`].
    None,
    /// Single points.
    Point,
    /// Single lines (geo `Line`s are accepted).
    LineString,
    /// Single polygons (geo `Rect`s and `Triangle`s are accepted).
    Polygon,
    /// Multi-points; single points are accepted too.
    MultiPoint,
    /// Multi-lines; single lines are accepted too.
    MultiLineString,
    /// Multi-polygons; single polygons are accepted too.
    MultiPolygon,
}

impl GeometryType {
    fn ogr(self) -> OGRwkbGeometryType::Type {
        match self {
            GeometryType::None => OGRwkbGeometryType::wkbNone,
            GeometryType::Point => OGRwkbGeometryType::wkbPoint,
            GeometryType::LineString => OGRwkbGeometryType::wkbLineString,
            GeometryType::Polygon => OGRwkbGeometryType::wkbPolygon,
            GeometryType::MultiPoint => OGRwkbGeometryType::wkbMultiPoint,
            GeometryType::MultiLineString => OGRwkbGeometryType::wkbMultiLineString,
            GeometryType::MultiPolygon => OGRwkbGeometryType::wkbMultiPolygon,
        }
    }

    /// True if `g` may be stored in a layer of this type.
    fn accepts(self, g: &geo_types::Geometry<f64>) -> bool {
        use geo_types::Geometry as G;
        matches!(
            (self, g),
            (GeometryType::None, G::GeometryCollection(c)) if c.0.is_empty()
        ) || matches!(
            (self, g),
            (GeometryType::Point, G::Point(_))
                | (GeometryType::LineString, G::LineString(_) | G::Line(_))
                | (
                    GeometryType::Polygon,
                    G::Polygon(_) | G::Rect(_) | G::Triangle(_)
                )
                | (GeometryType::MultiPoint, G::MultiPoint(_) | G::Point(_))
                | (
                    GeometryType::MultiLineString,
                    G::MultiLineString(_) | G::LineString(_) | G::Line(_)
                )
                | (
                    GeometryType::MultiPolygon,
                    G::MultiPolygon(_) | G::Polygon(_) | G::Rect(_) | G::Triangle(_)
                )
        )
    }
}

/// Attribute field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// 32-bit signed integer (OGR `OFTInteger`).
    Integer,
    /// 64-bit signed integer (OGR `OFTInteger64`).
    Integer64,
    /// Double-precision float (OGR `OFTReal`).
    Real,
    /// UTF-8 text (OGR `OFTString`), recoded to the Shapefile code page on write.
    String,
    /// A calendar date (no time), written from [`FieldValue::Date`].
    Date,
}

/// An attribute field of a layer.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// Field name as written to the layer.
    pub name: String,
    /// Field type.
    pub ty: FieldType,
    /// Field width (characters or digits); `None` leaves the driver default.
    pub width: Option<i32>,
    /// Decimals of a `Real` field; `None` leaves the driver default.
    pub precision: Option<i32>,
}

impl FieldDef {
    /// A field with the driver's default width and precision.
    pub fn new(name: impl Into<String>, ty: FieldType) -> Self {
        Self {
            name: name.into(),
            ty,
            width: None,
            precision: None,
        }
    }

    /// Set the width (characters or digits).
    pub fn width(mut self, width: i32) -> Self {
        self.width = Some(width);
        self
    }

    /// Set the decimals of a `Real` field.
    pub fn precision(mut self, precision: i32) -> Self {
        self.precision = Some(precision);
        self
    }
}

/// One attribute value; its variant must match the field's [`FieldType`]
/// (`Integer` values are also accepted by `Integer64` and `Real` fields).
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// No value (SQL NULL; an empty DBF cell).
    Null,
    /// For `Integer`, `Integer64` and `Real` fields.
    Integer(i32),
    /// For `Integer64` fields.
    Integer64(i64),
    /// For `Real` fields.
    Real(f64),
    /// For `String` fields, in UTF-8.
    String(String),
    /// For `Date` fields; a calendar date without time.
    Date {
        /// Year, e.g. 2024.
        year: i32,
        /// Month, 1–12.
        month: u32,
        /// Day of the month, 1–31.
        day: u32,
    },
}

impl FieldValue {
    /// The value as text: strings as they are, numbers in Rust's shortest form,
    /// dates as ISO `YYYY-MM-DD`, null as the empty string.
    pub fn text(&self) -> String {
        match self {
            FieldValue::Null => String::new(),
            FieldValue::Integer(i) => i.to_string(),
            FieldValue::Integer64(i) => i.to_string(),
            FieldValue::Real(r) => r.to_string(),
            FieldValue::String(s) => s.clone(),
            FieldValue::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
        }
    }

    /// The value as a number: integers and reals; `None` for text, dates and null.
    pub fn number(&self) -> Option<f64> {
        match self {
            FieldValue::Integer(i) => Some(f64::from(*i)),
            FieldValue::Integer64(i) => Some(*i as f64),
            FieldValue::Real(r) => Some(*r),
            _ => None,
        }
    }
}

impl From<i32> for FieldValue {
    fn from(v: i32) -> Self {
        FieldValue::Integer(v)
    }
}
impl From<i64> for FieldValue {
    fn from(v: i64) -> Self {
        FieldValue::Integer64(v)
    }
}
impl From<f64> for FieldValue {
    fn from(v: f64) -> Self {
        FieldValue::Real(v)
    }
}
impl From<&str> for FieldValue {
    fn from(v: &str) -> Self {
        FieldValue::String(v.to_string())
    }
}
impl From<String> for FieldValue {
    fn from(v: String) -> Self {
        FieldValue::String(v)
    }
}
impl<T: Into<FieldValue>> From<Option<T>> for FieldValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(FieldValue::Null, Into::into)
    }
}

/// What a layer holds and how it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorLayerSpec {
    /// Output format.
    pub driver: VectorDriver,
    /// Layer name (for a Shapefile the file stem is used instead).
    pub layer: String,
    /// CRS of the geometries (`EPSG:n` or WKT); required.
    pub crs: String,
    /// Declared geometry type; each geometry written must fit it.
    pub geometry: GeometryType,
    /// Attribute fields, in column order.
    pub fields: Vec<FieldDef>,
    /// Code page of a Shapefile's DBF as GDAL names it (`CP936` for GBK, `UTF-8`);
    /// `None` = UTF-8. Strings are given in UTF-8 and recoded by OGR. Ignored by
    /// other drivers (GeoPackage and GeoJSON are always UTF-8).
    pub encoding: Option<String>,
    /// Keep the Shapefile's `.cpg` sidecar naming the code page. `false` reproduces
    /// what many survey teams hand over: a DBF in a local code page with nothing
    /// declaring it (GDAL leaves the DBF's language-driver byte at 0 for CP936).
    pub write_cpg: bool,
    /// Extra GDAL layer creation options (`KEY=VALUE`), e.g. `COORDINATE_PRECISION=7`.
    pub options: Vec<String>,
}

impl VectorLayerSpec {
    /// A layer spec with no fields, UTF-8 text (a `.cpg` written for Shapefiles) and no
    /// extra options.
    pub fn new(
        driver: VectorDriver,
        layer: impl Into<String>,
        crs: impl Into<String>,
        geometry: GeometryType,
    ) -> Self {
        Self {
            driver,
            layer: layer.into(),
            crs: crs.into(),
            geometry,
            fields: Vec::new(),
            encoding: None,
            write_cpg: true,
            options: Vec::new(),
        }
    }

    /// Add one field.
    pub fn field(mut self, f: FieldDef) -> Self {
        self.fields.push(f);
        self
    }

    /// Add fields in order.
    pub fn fields(mut self, f: impl IntoIterator<Item = FieldDef>) -> Self {
        self.fields.extend(f);
        self
    }

    /// Shapefile code page (see [`VectorLayerSpec::encoding`]) and whether a `.cpg`
    /// declares it.
    pub fn encoding(mut self, encoding: impl Into<String>, write_cpg: bool) -> Self {
        self.encoding = Some(encoding.into());
        self.write_cpg = write_cpg;
        self
    }

    /// Add a GDAL layer creation option (`KEY=VALUE`).
    pub fn option(mut self, kv: impl Into<String>) -> Self {
        self.options.push(kv.into());
        self
    }
}

/// Dataset-level write options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteOptions {
    /// A fixed timestamp (`YYYY-MM-DDTHH:MM:SSZ`) written instead of "now" where a
    /// format records one (GeoPackage `gpkg_contents.last_change`, DBF header date),
    /// so the same features give byte-identical files.
    pub fixed_timestamp: Option<String>,
}

/// A vector dataset being written. Add layers, then [`finish`](Self::finish).
pub struct VectorWriter {
    path: PathBuf,
    /// The temporary file (GPKG, GeoJSON) or folder (Shapefile) being built.
    tmp: PathBuf,
    driver: VectorDriver,
    ds: Option<Dataset>,
    opts: WriteOptions,
    layers: usize,
    remove_cpg: bool,
}

impl VectorWriter {
    /// Start a new dataset at `path` (replaced on `finish` if it exists).
    pub fn create(path: &Path, driver: VectorDriver, opts: &WriteOptions) -> Result<Self, IoError> {
        crate::init();
        let drv = DriverManager::get_driver_by_name(driver.gdal_name()).map_err(IoError::gdal(
            path,
            format!("{} driver", driver.gdal_name()),
        ))?;
        let tmp = crate::cog::temp_sibling(path, "partial");
        let target = match driver {
            VectorDriver::Shapefile => {
                std::fs::create_dir(&tmp).map_err(IoError::fs(&tmp))?;
                tmp.clone()
            }
            _ => tmp.clone(),
        };
        let mut w = Self {
            path: path.to_path_buf(),
            tmp,
            driver,
            ds: None,
            opts: opts.clone(),
            layers: 0,
            remove_cpg: false,
        };
        let ds = w.with_timestamp(|| {
            drv.create_vector_only(&target)
                .map_err(IoError::gdal(path, "creating dataset"))
        });
        match ds {
            Ok(ds) => w.ds = Some(ds),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&w.tmp);
                return Err(e);
            }
        }
        Ok(w)
    }

    /// Run `f` with GDAL's `OGR_CURRENT_DATE` pinned (this thread only), if asked.
    fn with_timestamp<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.opts.fixed_timestamp {
            Some(ts) => {
                let _ = gdal::config::set_thread_local_config_option("OGR_CURRENT_DATE", ts);
                let r = f();
                let _ = gdal::config::clear_thread_local_config_option("OGR_CURRENT_DATE");
                r
            }
            None => f(),
        }
    }

    /// Write one layer with all its features; returns the number of features.
    /// GeoPackage layers are written in one transaction each. A full file system is
    /// [`IoError::NoSpace`] naming the file.
    pub fn add_layer<I>(&mut self, spec: &VectorLayerSpec, features: I) -> Result<u64, IoError>
    where
        I: IntoIterator<Item = (geo_types::Geometry<f64>, Vec<FieldValue>)>,
    {
        let path = self.path.clone();
        let (r, messages) =
            crate::gdal_util::with_gdal_messages(|| self.write_layer(spec, features));
        r.map_err(|e| crate::gdal_util::no_space(&path, &messages).unwrap_or(e))
    }

    fn write_layer<I>(&mut self, spec: &VectorLayerSpec, features: I) -> Result<u64, IoError>
    where
        I: IntoIterator<Item = (geo_types::Geometry<f64>, Vec<FieldValue>)>,
    {
        let path = self.path.clone();
        let lname = spec.layer.clone();
        let invalid = |what: String| IoError::Invalid {
            path: path.clone(),
            what: format!("layer {lname}: {what}"),
        };
        if spec.driver != self.driver {
            return Err(invalid(format!(
                "layer is for {} but the dataset is {}",
                spec.driver.gdal_name(),
                self.driver.gdal_name()
            )));
        }
        if self.driver != VectorDriver::GeoPackage && self.layers > 0 {
            return Err(invalid(format!(
                "{} holds one layer only",
                self.driver.gdal_name()
            )));
        }
        let srs = crate::crs::spatial_ref(&spec.crs).map_err(|e| invalid(format!("CRS: {e}")))?;
        let mut lco: Vec<String> = spec.options.clone();
        let mut layer_name = spec.layer.clone();
        if self.driver == VectorDriver::Shapefile {
            lco.push(format!(
                "ENCODING={}",
                spec.encoding.as_deref().unwrap_or("UTF-8")
            ));
            if let Some(ts) = &self.opts.fixed_timestamp {
                lco.push(format!(
                    "DBF_DATE_LAST_UPDATE={}",
                    ts.get(..10).unwrap_or(ts)
                ));
            }
            self.remove_cpg = !spec.write_cpg;
            layer_name = self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| spec.layer.clone());
        }
        let lco_refs: Vec<&str> = lco.iter().map(String::as_str).collect();
        let driver = self.driver;
        let ds = self.ds.as_mut().expect("dataset is open until finish");
        let gdal_err = |what: String| IoError::gdal(&path, format!("layer {lname}: {what}"));

        let write = |ds: &mut Dataset| -> Result<u64, IoError> {
            let mut layer = ds
                .create_layer(LayerOptions {
                    name: &layer_name,
                    srs: (spec.geometry != GeometryType::None).then_some(&srs),
                    ty: spec.geometry.ogr(),
                    options: Some(&lco_refs),
                })
                .map_err(gdal_err("creating layer".into()))?;
            for f in &spec.fields {
                let ty = match f.ty {
                    FieldType::Integer => OGRFieldType::OFTInteger,
                    FieldType::Integer64 => OGRFieldType::OFTInteger64,
                    FieldType::Real => OGRFieldType::OFTReal,
                    FieldType::String => OGRFieldType::OFTString,
                    FieldType::Date => OGRFieldType::OFTDate,
                };
                let d =
                    FieldDefn::new(&f.name, ty).map_err(gdal_err(format!("field {}", f.name)))?;
                if let Some(w) = f.width {
                    d.set_width(w);
                }
                if let Some(p) = f.precision {
                    d.set_precision(p);
                }
                d.add_to_layer(&layer)
                    .map_err(gdal_err(format!("adding field {}", f.name)))?;
            }
            let mut n = 0u64;
            for (i, (geom, values)) in features.into_iter().enumerate() {
                let rec = |what: String| invalid(format!("record {i}: {what}"));
                if !spec.geometry.accepts(&geom) {
                    return Err(rec(format!(
                        "geometry does not fit a {:?} layer",
                        spec.geometry
                    )));
                }
                if values.len() != spec.fields.len() {
                    return Err(rec(format!(
                        "{} values for {} fields",
                        values.len(),
                        spec.fields.len()
                    )));
                }
                let mut feat = gdal::vector::Feature::new(layer.defn())
                    .map_err(gdal_err(format!("record {i}: new feature")))?;
                for (j, (f, v)) in spec.fields.iter().zip(&values).enumerate() {
                    let ferr = gdal_err(format!("record {i}: field {}", f.name));
                    let r = match (f.ty, v) {
                        (_, FieldValue::Null) => feat.set_field_null(j),
                        (FieldType::Integer, FieldValue::Integer(x)) => {
                            feat.set_field_integer(j, *x)
                        }
                        (FieldType::Integer64, FieldValue::Integer(x)) => {
                            feat.set_field_integer64(j, *x as i64)
                        }
                        (FieldType::Integer64, FieldValue::Integer64(x)) => {
                            feat.set_field_integer64(j, *x)
                        }
                        (FieldType::Real, FieldValue::Real(x)) => feat.set_field_double(j, *x),
                        (FieldType::Real, FieldValue::Integer(x)) => {
                            feat.set_field_double(j, *x as f64)
                        }
                        (FieldType::String, FieldValue::String(s)) => feat.set_field_string(j, s),
                        (FieldType::Date, FieldValue::Date { year, month, day }) => {
                            // OGR parses ISO dates into OFTDate fields.
                            feat.set_field_string(j, &format!("{year:04}-{month:02}-{day:02}"))
                        }
                        (ty, v) => {
                            return Err(rec(format!(
                                "field {}: value {v:?} does not fit a {ty:?} field",
                                f.name
                            )))
                        }
                    };
                    r.map_err(ferr)?;
                }
                if spec.geometry != GeometryType::None {
                    let g = geom
                        .to_gdal()
                        .map_err(gdal_err(format!("record {i}: geometry")))?;
                    feat.set_geometry(g)
                        .map_err(gdal_err(format!("record {i}: geometry")))?;
                }
                feat.create(&layer)
                    .map_err(gdal_err(format!("record {i}: writing feature")))?;
                n += 1;
            }
            let _ = &mut layer;
            Ok(n)
        };

        let ts = self.opts.fixed_timestamp.clone();
        let run = || -> Result<u64, IoError> {
            if driver == VectorDriver::GeoPackage {
                let mut txn = ds.start_transaction().map_err(IoError::gdal(
                    &path,
                    format!("layer {lname}: starting transaction"),
                ))?;
                let n = write(&mut txn)?;
                crate::fault::point("commit", &lname);
                txn.commit()
                    .map_err(IoError::gdal(&path, format!("layer {lname}: commit")))?;
                Ok(n)
            } else {
                write(ds)
            }
        };
        let n = match ts {
            Some(ts) => {
                let _ = gdal::config::set_thread_local_config_option("OGR_CURRENT_DATE", &ts);
                let r = run();
                let _ = gdal::config::clear_thread_local_config_option("OGR_CURRENT_DATE");
                r
            }
            None => run(),
        }?;
        self.layers += 1;
        Ok(n)
    }

    /// Write an attribute table (a layer of [`GeometryType::None`]): one row of
    /// values per record, in the order of the spec's fields.
    pub fn add_table<I>(&mut self, spec: &VectorLayerSpec, rows: I) -> Result<u64, IoError>
    where
        I: IntoIterator<Item = Vec<FieldValue>>,
    {
        if spec.geometry != GeometryType::None {
            return Err(IoError::Invalid {
                path: self.path.clone(),
                what: format!("layer {}: add_table needs GeometryType::None", spec.layer),
            });
        }
        let empty =
            || geo_types::Geometry::GeometryCollection(geo_types::GeometryCollection::default());
        self.add_layer(spec, rows.into_iter().map(|r| (empty(), r)))
    }

    /// Close the dataset and move it into place (a full file system is
    /// [`IoError::NoSpace`] naming the file).
    pub fn finish(self) -> Result<(), IoError> {
        let path = self.path.clone();
        let (r, messages) = crate::gdal_util::with_gdal_messages(move || self.close_and_move());
        r.map_err(|e| crate::gdal_util::no_space(&path, &messages).unwrap_or(e))
    }

    fn close_and_move(mut self) -> Result<(), IoError> {
        let ds = self.ds.take().expect("dataset is open until finish");
        let path = self.path.clone();
        self.with_timestamp(|| ds.close().map_err(IoError::gdal(&path, "closing")))?;
        match self.driver {
            VectorDriver::Shapefile => {
                let stem = self
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if self.remove_cpg {
                    let cpg = self.tmp.join(format!("{stem}.cpg"));
                    if cpg.exists() {
                        std::fs::remove_file(&cpg).map_err(IoError::fs(&cpg))?;
                    }
                }
                // Remove stale sidecars of an older file of the same name.
                for ext in ["shp", "shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx"] {
                    let old = self.path.with_extension(ext);
                    if old.exists() {
                        std::fs::remove_file(&old).map_err(IoError::fs(&old))?;
                    }
                }
                let mut entries: Vec<_> = std::fs::read_dir(&self.tmp)
                    .map_err(IoError::fs(&self.tmp))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .collect();
                // The .shp last, so a reader never sees a .shp without its sidecars.
                entries.sort_by_key(|p| p.extension().is_some_and(|e| e == "shp"));
                for src in entries {
                    let ext = src.extension().map(|e| e.to_string_lossy().into_owned());
                    let dst = match ext {
                        Some(ext) => self.path.with_extension(ext),
                        None => continue,
                    };
                    crate::files::rename_into_place(&src, &dst)?;
                }
                std::fs::remove_dir(&self.tmp).map_err(IoError::fs(&self.tmp))?;
            }
            _ => {
                crate::files::rename_into_place(&self.tmp, &self.path)?;
            }
        }
        Ok(())
    }
}

impl Drop for VectorWriter {
    fn drop(&mut self) {
        if let Some(ds) = self.ds.take() {
            drop(ds);
            if self.tmp.is_dir() {
                let _ = std::fs::remove_dir_all(&self.tmp);
            } else {
                let _ = std::fs::remove_file(&self.tmp);
            }
        }
    }
}

/// Write a single-layer dataset (or a GeoPackage with one layer) in one call;
/// returns the number of features written.
pub fn write_layer<I>(
    path: &Path,
    spec: &VectorLayerSpec,
    opts: &WriteOptions,
    features: I,
) -> Result<u64, IoError>
where
    I: IntoIterator<Item = (geo_types::Geometry<f64>, Vec<FieldValue>)>,
{
    let mut w = VectorWriter::create(path, spec.driver, opts)?;
    let n = w.add_layer(spec, features)?;
    w.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{line_string, point, polygon};

    fn ts() -> WriteOptions {
        WriteOptions {
            fixed_timestamp: Some("2026-01-01T00:00:00Z".into()),
        }
    }

    #[test]
    fn field_values_as_text_and_number() {
        assert_eq!(FieldValue::Integer64(370999001).text(), "370999001");
        assert_eq!(FieldValue::Real(2.5).text(), "2.5");
        assert_eq!(FieldValue::Null.text(), "");
        let d = FieldValue::Date {
            year: 2024,
            month: 3,
            day: 5,
        };
        assert_eq!(d.text(), "2024-03-05");
        assert_eq!(FieldValue::Integer(7).number(), Some(7.0));
        assert_eq!(FieldValue::Real(0.25).number(), Some(0.25));
        assert_eq!(FieldValue::from("7").number(), None);
        assert_eq!(d.number(), None);
    }

    #[test]
    fn gpkg_two_layers_round_trip_and_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let write = |p: &Path| {
            let mut w = VectorWriter::create(p, VectorDriver::GeoPackage, &ts()).unwrap();
            let a = VectorLayerSpec::new(
                VectorDriver::GeoPackage,
                "pts",
                "EPSG:4548",
                GeometryType::Point,
            )
            .field(FieldDef::new("name", FieldType::String))
            .field(FieldDef::new("n", FieldType::Integer))
            .field(FieldDef::new("d", FieldType::Date));
            let feats = vec![
                (
                    point!(x: 500_000.0, y: 4_007_000.0).into(),
                    vec![
                        "泰山".into(),
                        3.into(),
                        FieldValue::Date {
                            year: 2024,
                            month: 4,
                            day: 5,
                        },
                    ],
                ),
                (
                    point!(x: 501_000.0, y: 4_008_000.0).into(),
                    vec![FieldValue::Null, 4.into(), FieldValue::Null],
                ),
            ];
            assert_eq!(w.add_layer(&a, feats).unwrap(), 2);
            let b = VectorLayerSpec::new(
                VectorDriver::GeoPackage,
                "polys",
                "EPSG:4548",
                GeometryType::Polygon,
            )
            .field(FieldDef::new("v", FieldType::Real));
            let poly = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0)];
            assert_eq!(
                w.add_layer(&b, [(poly.into(), vec![1.5.into()])]).unwrap(),
                1
            );
            w.finish().unwrap();
        };
        let (p1, p2) = (dir.path().join("a.gpkg"), dir.path().join("b.gpkg"));
        write(&p1);
        write(&p2);
        assert_eq!(std::fs::read(&p1).unwrap(), std::fs::read(&p2).unwrap());
        let ds = Dataset::open(&p1).unwrap();
        assert_eq!(ds.layer_count(), 2);
        let mut l = ds.layer_by_name("pts").unwrap();
        assert_eq!(l.feature_count(), 2);
        let f = l.features().next().unwrap();
        let i = f.field_index("name").unwrap();
        assert_eq!(f.field_as_string(i).unwrap().as_deref(), Some("泰山"));
        // Only the final file remains: no temporary siblings.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn shapefile_in_gbk_without_cpg() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("rivers.shp");
        let spec = VectorLayerSpec::new(
            VectorDriver::Shapefile,
            "rivers",
            "EPSG:4548",
            GeometryType::LineString,
        )
        .field(FieldDef::new("NAME", FieldType::String).width(20))
        .encoding("CP936", false);
        let line = line_string![(x: 0.0, y: 0.0), (x: 100.0, y: 50.0)];
        write_layer(&p, &spec, &ts(), [(line.into(), vec!["汶河".into()])]).unwrap();
        assert!(!p.with_extension("cpg").exists());
        for ext in ["shp", "shx", "dbf", "prj"] {
            assert!(p.with_extension(ext).exists(), "{ext}");
        }
        let dbf = std::fs::read(p.with_extension("dbf")).unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode("汶河");
        assert!(dbf.windows(gbk.len()).any(|w| w == &gbk[..]));
        assert!(!dbf.windows(6).any(|w| w == "汶河".as_bytes()));
        // Only the sidecars remain: the temporary folder is gone.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
    }

    #[test]
    fn wrong_value_type_names_layer_record_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.geojson");
        let spec =
            VectorLayerSpec::new(VectorDriver::GeoJson, "x", "EPSG:4490", GeometryType::Point)
                .field(FieldDef::new("cap", FieldType::Integer));
        let e = write_layer(
            &p,
            &spec,
            &WriteOptions::default(),
            [
                (point!(x: 117.0, y: 36.0).into(), vec![1.into()]),
                (point!(x: 117.0, y: 36.0).into(), vec!["many".into()]),
            ],
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("layer x") && e.contains("record 1") && e.contains("cap"),
            "{e}"
        );
        assert!(!p.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
