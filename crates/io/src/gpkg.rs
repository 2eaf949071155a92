//! The census database: a GeoPackage opened for update through GDAL/OGR's GPKG driver
//! (SQLite underneath), written in explicit transactions.
//!
//! - [`GpkgDb::open`] opens (or creates) the file with a SQLite busy timeout, so a
//!   reader or writer that meets another process's write lock waits instead of
//!   failing at once;
//! - [`GpkgDb::transaction`] runs a closure inside ONE transaction: all its table
//!   creations, inserts and updates are committed together, or — on an error, a
//!   panic or a killed process — none is (SQLite's rollback journal);
//! - [`Txn::writer`] prepares inserts/updates into one table with the field indices
//!   resolved once;
//! - [`GpkgDb::query`] reads features by bounding box and/or attribute filter.
//!
//! Geometries are [`geo_types::Geometry<f64>`] in the table CRS, `(x, y)` order.

use std::ffi::CString;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::time::Duration;

use gdal::spatial_ref::SpatialRef;
use gdal::vector::{LayerAccess, LayerOptions, ToGdal};
use gdal::{Dataset, DatasetOptions, DriverManager, GdalOpenFlags};
use gdal_sys::{OGRErr, OGRFieldType, OGRwkbGeometryType};

use crate::error::IoError;
use crate::vector::{FieldDef, FieldType, FieldValue};
use crate::vector_read::RawValue;

/// SQLite busy timeout set on every connection (milliseconds).
pub const BUSY_TIMEOUT_MS: u32 = 60_000;

/// Geometry of a database table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbGeometry {
    /// An attribute table (no geometry column).
    None,
    /// Any geometry type (e.g. admin units: polygons and points).
    Any,
    /// Points (survey point layers).
    Point,
    /// Single lines.
    LineString,
    /// Single polygons.
    Polygon,
    /// Multi-lines (survey line layers are stored as these).
    MultiLineString,
    /// Multi-polygons (survey polygon layers are stored as these).
    MultiPolygon,
}

impl DbGeometry {
    fn ogr(self) -> OGRwkbGeometryType::Type {
        match self {
            DbGeometry::None => OGRwkbGeometryType::wkbNone,
            DbGeometry::Any => OGRwkbGeometryType::wkbUnknown,
            DbGeometry::Point => OGRwkbGeometryType::wkbPoint,
            DbGeometry::LineString => OGRwkbGeometryType::wkbLineString,
            DbGeometry::Polygon => OGRwkbGeometryType::wkbPolygon,
            DbGeometry::MultiLineString => OGRwkbGeometryType::wkbMultiLineString,
            DbGeometry::MultiPolygon => OGRwkbGeometryType::wkbMultiPolygon,
        }
    }
}

/// A table of the database: name, geometry, CRS and fields, plus columns that get a
/// UNIQUE index (the record key: a second row with the same key is refused by
/// SQLite itself, whatever the writer does).
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    /// Table name in the GeoPackage.
    pub name: String,
    /// Geometry type of the table, or [`DbGeometry::None`] for an attribute table.
    pub geometry: DbGeometry,
    /// CRS of a spatial table (`EPSG:n` or WKT).
    pub crs: Option<String>,
    /// Attribute fields, in column order.
    pub fields: Vec<FieldDef>,
    /// Columns that each get a UNIQUE index.
    pub unique: Vec<String>,
}

impl TableSpec {
    /// The attribute columns' names, in column order (what a writer of every
    /// column takes).
    pub fn column_names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }
}

/// One feature read back from the database.
#[derive(Debug, Clone, PartialEq)]
pub struct DbFeature {
    /// GeoPackage feature id (the table's primary key).
    pub fid: i64,
    /// Geometry in the table CRS, `(x, y)` order; `None` for attribute tables and null
    /// geometries.
    pub geometry: Option<geo_types::Geometry<f64>>,
    /// `(field name, value)` in table order; text as UTF-8.
    pub values: Vec<(String, FieldValue)>,
}

impl DbFeature {
    /// The value of a field by name.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// A field as text ([`FieldValue::text`]); empty when absent or null.
    pub fn text(&self, name: &str) -> String {
        self.get(name).map(FieldValue::text).unwrap_or_default()
    }

    /// A field as a number ([`FieldValue::number`]); `None` when absent, null or text.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.get(name).and_then(FieldValue::number)
    }
}

/// An open census GeoPackage.
pub struct GpkgDb {
    path: PathBuf,
    ds: Dataset,
}

fn is_busy(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    m.contains("locked") || m.contains("busy")
}

impl GpkgDb {
    /// Open `path` for update, creating an empty GeoPackage when it does not exist and
    /// `create` is true. Opening is retried with backoff while another process holds
    /// the database locked.
    pub fn open(path: &Path, create: bool) -> Result<Self, IoError> {
        crate::init();
        let ds = if path.exists() {
            retry_busy(|| {
                Dataset::open_ex(
                    path,
                    DatasetOptions {
                        open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_UPDATE,
                        allowed_drivers: Some(&["GPKG"]),
                        ..Default::default()
                    },
                )
                .map_err(|source| IoError::Open {
                    path: path.to_path_buf(),
                    source,
                })
            })?
        } else if create {
            // Created beside its final name and renamed into place, so a process
            // killed while GDAL writes the GeoPackage's own tables never leaves a
            // file that does not open (the next creation replaces the leftover).
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tmp = path.with_file_name(format!(".{name}.creating.gpkg"));
            if tmp.exists() {
                std::fs::remove_file(&tmp).map_err(IoError::fs(&tmp))?;
            }
            let drv = DriverManager::get_driver_by_name("GPKG")
                .map_err(IoError::gdal(path, "GPKG driver"))?;
            drop(
                drv.create_vector_only(&tmp)
                    .map_err(IoError::gdal(path, "creating the census database"))?,
            );
            crate::files::rename_into_place(&tmp, path)?;
            return Self::open(path, false);
        } else {
            return Err(IoError::Fs {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no census database"),
            });
        };
        let db = Self {
            path: path.to_path_buf(),
            ds,
        };
        db.sql(&format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"))?;
        Ok(db)
    }

    /// Open read-only (queries).
    ///
    /// A process killed inside a write transaction leaves a *hot journal*
    /// (`<db>-journal`) that SQLite must roll back before anyone reads the file; a
    /// read-only connection cannot, and fails with "attempt to write a readonly
    /// database". So when a journal lies beside the file, the database is first opened
    /// for update and read once, which makes SQLite roll a hot journal back (and does
    /// nothing when the journal belongs to a live writer, whose lock SQLite honours).
    pub fn open_read(path: &Path) -> Result<Self, IoError> {
        crate::init();
        if journal_path(path).exists() {
            recover_hot_journal(path)?;
        }
        let open = |update: bool| {
            retry_busy(|| {
                Dataset::open_ex(
                    path,
                    DatasetOptions {
                        open_flags: GdalOpenFlags::GDAL_OF_VECTOR
                            | if update {
                                GdalOpenFlags::GDAL_OF_UPDATE
                            } else {
                                GdalOpenFlags::GDAL_OF_READONLY
                            },
                        allowed_drivers: Some(&["GPKG"]),
                        ..Default::default()
                    },
                )
                .map_err(|source| IoError::Open {
                    path: path.to_path_buf(),
                    source,
                })
            })
        };
        let ds = match open(false) {
            Ok(ds) => ds,
            // GDAL opens a GeoPackage that holds no table yet only for update ("no
            // vector content"): the census database of a run killed between its
            // creation and its first table. Open it so; nothing is written through
            // this handle. Any other failure keeps the read-only open's error.
            Err(e) => open(true).map_err(|_| e)?,
        };
        let db = Self {
            path: path.to_path_buf(),
            ds,
        };
        db.sql(&format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"))?;
        Ok(db)
    }

    /// Path of the GeoPackage file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run one SQL statement (SQLite dialect) and discard any result.
    pub fn sql(&self, sql: &str) -> Result<(), IoError> {
        run_sql(&self.ds, &self.path, sql)
    }

    /// True if the table exists.
    pub fn has_table(&self, name: &str) -> bool {
        self.ds.layer_by_name(name).is_ok()
    }

    /// Table names.
    pub fn tables(&self) -> Vec<String> {
        self.ds.layers().map(|l| l.name()).collect()
    }

    /// Field names of a table, in table order (empty when it does not exist).
    pub fn columns(&self, table: &str) -> Vec<String> {
        self.ds
            .layer_by_name(table)
            .map(|l| l.defn().fields().map(|f| f.name()).collect())
            .unwrap_or_default()
    }

    /// Number of rows in a table (0 when it does not exist).
    pub fn count(&self, table: &str) -> u64 {
        self.ds
            .layer_by_name(table)
            .map(|l| l.feature_count())
            .unwrap_or(0)
    }

    /// Run `f` in one transaction: committed if `f` returns `Ok`, rolled back
    /// otherwise (and by SQLite on the next open if the process dies inside).
    pub fn transaction<R, E: From<IoError>>(
        &mut self,
        f: impl FnOnce(&mut Txn<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        let path = self.path.clone();
        let (r, messages) = crate::gdal_util::with_gdal_messages(|| -> Result<R, E> {
            let mut t = self
                .ds
                .start_transaction()
                .map_err(IoError::gdal(&path, "starting a transaction"))?;
            let mut txn = Txn {
                ds: &mut t,
                path: path.clone(),
            };
            let r = f(&mut txn)?;
            crate::fault::point_at("commit", &path);
            t.commit()
                .map_err(IoError::gdal(&path, "committing the transaction"))?;
            crate::fault::point_at("committed", &path);
            Ok(r)
        });
        // A full file system shows in GDAL's messages only (SQLite's "database or
        // disk is full"); say so, naming the database.
        r.map_err(|e| {
            crate::gdal_util::no_space(&path, &messages)
                .map(E::from)
                .unwrap_or(e)
        })
    }

    /// Features of `table` whose envelope intersects `bbox` (`[x_min, y_min, x_max,
    /// y_max]` in the table CRS) and that match the OGR SQL `filter`, in FID order.
    pub fn query(
        &self,
        table: &str,
        bbox: Option<[f64; 4]>,
        filter: Option<&str>,
    ) -> Result<Vec<DbFeature>, IoError> {
        let mut l = self.ds.layer_by_name(table).map_err(|_| IoError::Invalid {
            path: self.path.clone(),
            what: format!("no table {table:?}"),
        })?;
        if let Some([x0, y0, x1, y1]) = bbox {
            l.set_spatial_filter_rect(x0, y0, x1, y1);
        }
        if let Some(f) = filter {
            l.set_attribute_filter(f).map_err(IoError::gdal(
                &self.path,
                format!("table {table}: filter {f:?}"),
            ))?;
        }
        let names: Vec<String> = l.defn().fields().map(|f| f.name()).collect();
        let mut out = Vec::new();
        for feat in l.features() {
            let fid = feat.fid().map(|f| f as i64).unwrap_or(-1);
            // The gdal crate wraps a NULL geometry (a record loaded without one,
            // e.g. an admin unit from a code list) as a geometry of type 0 whose
            // conversion fails: ask OGR first.
            // SAFETY: valid feature handle; the geometry is only tested for null.
            let null_geom = unsafe { gdal_sys::OGR_F_GetGeometryRef(feat.c_feature()).is_null() };
            let geometry = match feat.geometry().filter(|_| !null_geom) {
                Some(g) => Some(g.to_geo().map_err(IoError::gdal(
                    &self.path,
                    format!("table {table}: fid {fid}"),
                ))?),
                None => None,
            };
            let mut values = Vec::with_capacity(names.len());
            for (i, n) in names.iter().enumerate() {
                let v = match feat.field(i).ok().flatten() {
                    None => FieldValue::Null,
                    Some(gdal::vector::FieldValue::IntegerValue(x)) => FieldValue::Integer(x),
                    Some(gdal::vector::FieldValue::Integer64Value(x)) => FieldValue::Integer64(x),
                    Some(gdal::vector::FieldValue::RealValue(x)) => FieldValue::Real(x),
                    Some(gdal::vector::FieldValue::StringValue(s)) => FieldValue::String(s),
                    Some(gdal::vector::FieldValue::DateValue(d)) => parse_date(&d.to_string()),
                    Some(other) => FieldValue::String(format!("{other:?}")),
                };
                values.push((n.clone(), v));
            }
            out.push(DbFeature {
                fid,
                geometry,
                values,
            });
        }
        l.clear_spatial_filter();
        l.clear_attribute_filter();
        Ok(out)
    }

    /// `PRAGMA integrity_check` = "ok".
    pub fn integrity_ok(&self) -> Result<bool, IoError> {
        let rs = self
            .ds
            .execute_sql(
                "PRAGMA integrity_check",
                None,
                gdal::vector::sql::Dialect::DEFAULT,
            )
            .map_err(IoError::gdal(&self.path, "integrity_check"))?;
        let Some(mut rs) = rs else { return Ok(false) };
        let ok = rs
            .features()
            .next()
            .and_then(|f| f.field_as_string(0).ok().flatten())
            .is_some_and(|s| s == "ok");
        Ok(ok)
    }
}

/// The rollback journal SQLite keeps beside a database during a write transaction.
pub fn journal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push("-journal");
    PathBuf::from(name)
}

/// Open `path` for update and read from it, so that SQLite rolls back a hot journal
/// left by a killed writer (see [`GpkgDb::open_read`]).
fn recover_hot_journal(path: &Path) -> Result<(), IoError> {
    let db = GpkgDb::open(path, false)?;
    // Any read takes the shared lock, at which point SQLite checks for a hot journal
    // and rolls it back.
    db.sql("SELECT count(*) FROM sqlite_master")?;
    Ok(())
}

/// `YYYY-MM-DD` → [`FieldValue::Date`] (else the text).
fn parse_date(s: &str) -> FieldValue {
    let p: Vec<&str> = s.split('-').collect();
    match p.as_slice() {
        [y, m, d] => match (y.parse(), m.parse(), d.parse()) {
            (Ok(year), Ok(month), Ok(day)) => FieldValue::Date { year, month, day },
            _ => FieldValue::String(s.to_string()),
        },
        _ => FieldValue::String(s.to_string()),
    }
}

/// Retry `f` with exponential backoff while it fails because the database is locked
/// or busy (up to about a minute), so a census being written by another process is
/// waited for, never failed or corrupted.
pub fn retry_busy<R>(mut f: impl FnMut() -> Result<R, IoError>) -> Result<R, IoError> {
    let mut wait = Duration::from_millis(20);
    let deadline = std::time::Instant::now() + Duration::from_millis(BUSY_TIMEOUT_MS as u64);
    loop {
        match f() {
            Err(e) if is_busy(&e.to_string()) && std::time::Instant::now() < deadline => {
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(2));
            }
            r => return r,
        }
    }
}

fn run_sql(ds: &Dataset, path: &Path, sql: &str) -> Result<(), IoError> {
    // SAFETY: CPLErrorReset only clears the thread's error state.
    unsafe { gdal_sys::CPLErrorReset() };
    let r = ds.execute_sql(sql, None, gdal::vector::sql::Dialect::DEFAULT);
    drop(r.map_err(IoError::gdal(path, format!("SQL {sql:?}")))?);
    // SAFETY: plain query of the thread's last error.
    if unsafe { gdal_sys::CPLGetLastErrorType() } >= gdal_sys::CPLErr::CE_Failure {
        return Err(IoError::Invalid {
            path: path.to_path_buf(),
            what: format!("SQL {sql:?}: {}", crate::gdal_util::last_error()),
        });
    }
    Ok(())
}

/// An open transaction (see [`GpkgDb::transaction`]).
pub struct Txn<'a> {
    ds: &'a mut Dataset,
    path: PathBuf,
}

impl Txn<'_> {
    /// Run one SQL statement inside the transaction.
    pub fn sql(&self, sql: &str) -> Result<(), IoError> {
        run_sql(self.ds, &self.path, sql)
    }

    /// Create the table if it does not exist and add any of `spec.fields` it lacks
    /// (the schema only grows). Returns true if the table was created.
    pub fn ensure_table(&mut self, spec: &TableSpec) -> Result<bool, IoError> {
        let path = self.path.clone();
        let created = if self.ds.layer_by_name(&spec.name).is_err() {
            let srs = match &spec.crs {
                Some(c) if spec.geometry != DbGeometry::None => Some(crate::crs::spatial_ref(c)?),
                _ => None,
            };
            let srs_ref: Option<&SpatialRef> = srs.as_ref();
            let opts = ["GEOMETRY_NAME=geom", "FID=fid"];
            self.ds
                .create_layer(LayerOptions {
                    name: &spec.name,
                    srs: srs_ref,
                    ty: spec.geometry.ogr(),
                    options: Some(&opts),
                })
                .map_err(IoError::gdal(
                    &path,
                    format!("creating table {}", spec.name),
                ))?;
            true
        } else {
            false
        };
        let layer = self
            .ds
            .layer_by_name(&spec.name)
            .map_err(IoError::gdal(&path, format!("table {}", spec.name)))?;
        let have: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
        for f in &spec.fields {
            if have.iter().any(|h| h.eq_ignore_ascii_case(&f.name)) {
                continue;
            }
            let ty = match f.ty {
                FieldType::Integer => OGRFieldType::OFTInteger,
                FieldType::Integer64 => OGRFieldType::OFTInteger64,
                FieldType::Real => OGRFieldType::OFTReal,
                FieldType::String => OGRFieldType::OFTString,
                FieldType::Date => OGRFieldType::OFTDate,
            };
            let d = gdal::vector::FieldDefn::new(&f.name, ty)
                .map_err(IoError::gdal(&path, format!("field {}", f.name)))?;
            if let Some(w) = f.width {
                d.set_width(w);
            }
            d.add_to_layer(&layer).map_err(IoError::gdal(
                &path,
                format!("table {}: adding field {}", spec.name, f.name),
            ))?;
        }
        if !spec.unique.is_empty() {
            let cols = spec
                .unique
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            self.sql(&format!(
                "CREATE UNIQUE INDEX IF NOT EXISTS \"{0}_key\" ON \"{0}\" ({cols})",
                spec.name
            ))?;
        }
        Ok(created)
    }

    /// Prepare inserts and updates into `table` with values in the order of `cols`.
    pub fn writer(&self, table: &str, cols: &[&str]) -> Result<TableWriter<'_>, IoError> {
        let layer = self.ds.layer_by_name(table).map_err(|_| IoError::Invalid {
            path: self.path.clone(),
            what: format!("no table {table:?}"),
        })?;
        // SAFETY: the layer handle stays valid while the dataset is open, which the
        // writer's lifetime (tied to `self`) guarantees.
        let h = unsafe { layer.c_layer() };
        let defn = unsafe { gdal_sys::OGR_L_GetLayerDefn(h) };
        let mut idx = Vec::with_capacity(cols.len());
        let mut types = Vec::with_capacity(cols.len());
        for c in cols {
            let cname = CString::new(*c).map_err(|_| IoError::Invalid {
                path: self.path.clone(),
                what: format!("field name {c:?}"),
            })?;
            // SAFETY: valid definition handle and NUL-terminated name.
            let i = unsafe { gdal_sys::OGR_FD_GetFieldIndex(defn, cname.as_ptr()) };
            if i < 0 {
                return Err(IoError::Invalid {
                    path: self.path.clone(),
                    what: format!("table {table}: no field {c:?}"),
                });
            }
            idx.push(i);
            // SAFETY: `i` is a valid field index.
            types
                .push(unsafe { gdal_sys::OGR_Fld_GetType(gdal_sys::OGR_FD_GetFieldDefn(defn, i)) });
        }
        Ok(TableWriter {
            layer: h,
            defn,
            idx,
            types,
            table: table.to_string(),
            path: self.path.clone(),
            _txn: PhantomData,
        })
    }

    /// Read columns `cols` of every row of `table` (geometry skipped), calling
    /// `f(fid, values)`. Nothing is read when the table does not exist.
    pub fn scan(
        &self,
        table: &str,
        cols: &[&str],
        mut f: impl FnMut(i64, &[RawValue]),
    ) -> Result<(), IoError> {
        let Ok(layer) = self.ds.layer_by_name(table) else {
            return Ok(());
        };
        let w = self.writer(table, cols)?;
        // SAFETY: valid layer handle; features are destroyed after use; ignored-field
        // names are NUL-terminated strings kept alive for the call.
        unsafe {
            let h = layer.c_layer();
            let all: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
            let mut ignored: Vec<CString> = all
                .iter()
                .filter(|n| !cols.iter().any(|c| c.eq_ignore_ascii_case(n)))
                .filter_map(|n| CString::new(n.as_str()).ok())
                .collect();
            ignored.push(CString::new("OGR_GEOMETRY").expect("no NUL"));
            let mut ptrs: Vec<*const std::ffi::c_char> =
                ignored.iter().map(|c| c.as_ptr()).collect();
            ptrs.push(std::ptr::null());
            gdal_sys::OGR_L_SetIgnoredFields(h, ptrs.as_mut_ptr());
            gdal_sys::OGR_L_ResetReading(h);
            let mut vals = Vec::with_capacity(cols.len());
            loop {
                let feat = gdal_sys::OGR_L_GetNextFeature(h);
                if feat.is_null() {
                    break;
                }
                vals.clear();
                for (&i, &ty) in w.idx.iter().zip(&w.types) {
                    vals.push(crate::vector_read::raw_value(feat, i, ty));
                }
                f(gdal_sys::OGR_F_GetFID(feat), &vals);
                gdal_sys::OGR_F_Destroy(feat);
            }
            gdal_sys::OGR_L_SetIgnoredFields(h, std::ptr::null_mut());
        }
        Ok(())
    }
}

/// Inserts and updates into one table inside a transaction.
pub struct TableWriter<'t> {
    layer: gdal_sys::OGRLayerH,
    defn: gdal_sys::OGRFeatureDefnH,
    idx: Vec<i32>,
    types: Vec<OGRFieldType::Type>,
    table: String,
    path: PathBuf,
    _txn: PhantomData<&'t ()>,
}

impl TableWriter<'_> {
    fn fail(&self, what: String) -> IoError {
        let msg = crate::gdal_util::last_error();
        IoError::Invalid {
            path: self.path.clone(),
            what: format!("table {}: {what}: {msg}", self.table),
        }
    }

    fn feature(
        &self,
        geom: Option<&geo_types::Geometry<f64>>,
        values: &[FieldValue],
    ) -> Result<gdal_sys::OGRFeatureH, IoError> {
        if values.len() != self.idx.len() {
            return Err(IoError::Invalid {
                path: self.path.clone(),
                what: format!(
                    "table {}: {} values for {} fields",
                    self.table,
                    values.len(),
                    self.idx.len()
                ),
            });
        }
        // SAFETY: valid definition; the feature is destroyed by the caller.
        let h = unsafe { gdal_sys::OGR_F_Create(self.defn) };
        for ((&i, &ty), v) in self.idx.iter().zip(&self.types).zip(values) {
            // SAFETY: valid feature and field index; strings are NUL-terminated copies.
            unsafe {
                match (v, ty) {
                    (FieldValue::Null, _) => gdal_sys::OGR_F_SetFieldNull(h, i),
                    (FieldValue::Integer(x), _) => {
                        gdal_sys::OGR_F_SetFieldInteger64(h, i, *x as i64)
                    }
                    (FieldValue::Integer64(x), _) => gdal_sys::OGR_F_SetFieldInteger64(h, i, *x),
                    (FieldValue::Real(x), _) => gdal_sys::OGR_F_SetFieldDouble(h, i, *x),
                    (FieldValue::String(s), _) => {
                        let c = CString::new(s.replace('\0', "")).expect("NULs removed");
                        gdal_sys::OGR_F_SetFieldString(h, i, c.as_ptr())
                    }
                    (FieldValue::Date { year, month, day }, _) => gdal_sys::OGR_F_SetFieldDateTime(
                        h,
                        i,
                        *year,
                        *month as i32,
                        *day as i32,
                        0,
                        0,
                        0,
                        0,
                    ),
                }
            }
        }
        if let Some(g) = geom {
            match g.to_gdal() {
                // SAFETY: valid feature and geometry; SetGeometry copies it.
                Ok(og) => unsafe {
                    gdal_sys::OGR_F_SetGeometry(h, og.c_geometry());
                },
                Err(e) => {
                    // SAFETY: `h` was created above and is destroyed once.
                    unsafe { gdal_sys::OGR_F_Destroy(h) };
                    return Err(IoError::Invalid {
                        path: self.path.clone(),
                        what: format!("table {}: geometry: {e}", self.table),
                    });
                }
            }
        }
        Ok(h)
    }

    /// Insert a row; returns its FID.
    pub fn insert(
        &self,
        geom: Option<&geo_types::Geometry<f64>>,
        values: &[FieldValue],
    ) -> Result<i64, IoError> {
        let h = self.feature(geom, values)?;
        // SAFETY: valid layer and feature; the feature is destroyed once.
        unsafe {
            let e = gdal_sys::OGR_L_CreateFeature(self.layer, h);
            let fid = gdal_sys::OGR_F_GetFID(h);
            gdal_sys::OGR_F_Destroy(h);
            if e != OGRErr::OGRERR_NONE {
                return Err(self.fail("insert".into()));
            }
            Ok(fid)
        }
    }

    /// Replace the row with FID `fid` (all prepared columns and the geometry).
    pub fn update(
        &self,
        fid: i64,
        geom: Option<&geo_types::Geometry<f64>>,
        values: &[FieldValue],
    ) -> Result<(), IoError> {
        // Rewrite the whole row: fields not prepared keep their values because the
        // row is read first.
        // SAFETY: valid layer; the fetched and created features are destroyed once.
        unsafe {
            let old = gdal_sys::OGR_L_GetFeature(self.layer, fid);
            if old.is_null() {
                return Err(self.fail(format!("update: no row with fid {fid}")));
            }
            let new = self.feature(geom, values)?;
            for (&i, _) in self.idx.iter().zip(&self.types) {
                gdal_sys::OGR_F_SetFieldNull(old, i);
            }
            // Copy the prepared values onto the old row.
            let n = gdal_sys::OGR_F_GetFieldCount(new);
            let mut map: Vec<i32> = (0..n).collect();
            gdal_sys::OGR_F_SetFromWithMap(old, new, 1, map.as_mut_ptr());
            if geom.is_none() {
                gdal_sys::OGR_F_SetGeometry(old, std::ptr::null_mut());
            }
            gdal_sys::OGR_F_SetFID(old, fid);
            gdal_sys::OGR_F_Destroy(new);
            let e = gdal_sys::OGR_L_SetFeature(self.layer, old);
            gdal_sys::OGR_F_Destroy(old);
            if e != OGRErr::OGRERR_NONE {
                return Err(self.fail(format!("update of fid {fid}")));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TableSpec {
        TableSpec {
            name: "pts".into(),
            geometry: DbGeometry::Point,
            crs: Some("EPSG:4548".into()),
            fields: vec![
                FieldDef::new("id", FieldType::String),
                FieldDef::new("n", FieldType::Integer),
            ],
            unique: vec!["id".into()],
        }
    }

    /// A run killed between creating the census database and writing its first
    /// table leaves a GeoPackage without vector content, which GDAL opens only for
    /// update: readers still open it (and find no tables) instead of failing every
    /// later run with "cannot open".
    #[test]
    fn a_database_without_tables_opens_for_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.gpkg");
        drop(GpkgDb::open(&p, true).unwrap());
        let db = GpkgDb::open_read(&p).unwrap();
        assert!(!db.has_table("pts"));
        assert!(db.tables().iter().all(|t| t != "pts"));
        // A file that is no GeoPackage still fails, with the read-only open's error.
        let bad = dir.path().join("bad.gpkg");
        std::fs::write(&bad, b"not a database").unwrap();
        assert!(matches!(GpkgDb::open_read(&bad), Err(IoError::Open { .. })));
    }

    #[test]
    fn insert_update_query_and_rollback() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.gpkg");
        let mut db = GpkgDb::open(&p, true).unwrap();
        let fid = db
            .transaction::<_, IoError>(|t| {
                t.ensure_table(&spec())?;
                let w = t.writer("pts", &["id", "n"])?;
                w.insert(
                    Some(&geo_types::Point::new(500_000.0, 4_000_000.0).into()),
                    &["a".into(), 1.into()],
                )?;
                w.insert(
                    Some(&geo_types::Point::new(501_000.0, 4_001_000.0).into()),
                    &["b".into(), 2.into()],
                )
            })
            .unwrap();
        // A failing transaction leaves nothing behind.
        let e = db.transaction::<(), IoError>(|t| {
            let w = t.writer("pts", &["id", "n"])?;
            w.insert(None, &["c".into(), 3.into()])?;
            // The unique key refuses a second "a".
            w.insert(None, &["a".into(), 9.into()])?;
            Ok(())
        });
        assert!(e.is_err());
        assert_eq!(db.count("pts"), 2);
        db.transaction::<_, IoError>(|t| {
            let w = t.writer("pts", &["id", "n"])?;
            w.update(
                fid,
                Some(&geo_types::Point::new(1.0, 2.0).into()),
                &["b".into(), 20.into()],
            )
        })
        .unwrap();
        let rows = db.query("pts", None, Some("id = 'b'")).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get("n"), Some(&FieldValue::Integer(20)));
        let rows = db
            .query(
                "pts",
                Some([499_000.0, 3_999_000.0, 500_500.0, 4_000_500.0]),
                None,
            )
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].get("id"), Some(&FieldValue::String("a".into())));
        let mut seen = Vec::new();
        db.transaction::<_, IoError>(|t| {
            t.scan("pts", &["id"], |fid, v| seen.push((fid, v.to_vec())))
        })
        .unwrap();
        assert_eq!(seen.len(), 2);
        assert!(db.integrity_ok().unwrap());
    }
}
