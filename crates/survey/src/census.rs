//! The census: open a census folder, validate or ingest a survey source into
//! `census.gpkg`, and query layers by admin unit or bounding box.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use geo::{Area, BoundingRect, MapCoordsInPlace};
use riskcensus_core::GridSpec;
use riskcensus_io::gpkg::{DbFeature, DbGeometry, GpkgDb, TableSpec, Txn};
use riskcensus_io::vector::{FieldDef, FieldType, FieldValue};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::admin::AdminIndex;
use crate::error::SurveyError;
use crate::mapping::Mapping;
use crate::schema::{self, Geom, Kind, Layer};
use crate::source::{ReadOptions, Source, SrcGeom, SrcRecord};
use crate::validate::{problem, FieldPlan, Problem, Rule};

use riskcensus_contracts::census_toml::{CensusFile, CensusTomlError};
/// File name of the census database inside a census folder.
pub use riskcensus_contracts::layout::CENSUS_DB as DB_FILE;
use riskcensus_contracts::layout::CENSUS_FILE;
/// Table of batches (one row per ingest).
pub use riskcensus_contracts::tables::census::BATCHES;
/// Table of rejected records (one row per problem).
pub use riskcensus_contracts::tables::census::REJECTS;
/// Prefix of the result tables: assessment outputs kept in the census database
/// beside the survey layers ([`Census::store_results`]).
pub use riskcensus_contracts::tables::census::RESULT_PREFIX;
use riskcensus_contracts::tables::census::{ADMIN_UNITS, COMMUNITY_CAPACITY};
/// Test hook: sleep this many milliseconds inside the transaction before commit
/// (used by the kill-mid-load test; never set in production).
pub const TEST_PAUSE_ENV: &str = "RISKCENSUS_TEST_PAUSE_IN_TXN_MS";

const CHUNK: usize = 4096;
/// Text bytes of the records validated at once, at most (plus one record).
const CHUNK_BYTES: usize = 64 << 20;

/// An offset web-map coordinate system converted to WGS 84 before projection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Offset {
    /// No offset: coordinates are in `crs` as they stand.
    None,
    /// GCJ-02 (火星坐标, the obfuscated lon/lat of Chinese web maps): converted to
    /// WGS 84 with [`crate::offset::gcj02_to_wgs84`].
    Gcj02,
    /// BD-09 (Baidu's lon/lat, GCJ-02 offset again): converted to WGS 84 with
    /// [`crate::offset::bd09_to_wgs84`].
    Bd09,
}

/// A source CRS as given by the user: an OSR definition plus an optional offset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCrs {
    /// The CRS the coordinates are in after the offset is removed: `EPSG:n`, WKT or
    /// PROJ string (`EPSG:4326` for GCJ-02 and BD-09).
    pub crs: String,
    /// The web-map offset to remove first.
    pub offset: Offset,
}

impl SourceCrs {
    /// `EPSG:n`, WKT or PROJ string; `GCJ02`/`GCJ-02` and `BD09`/`BD-09` (→ WGS 84);
    /// the names `CGCS2000` (EPSG:4490), `XIAN1980`/`XIAN80` (EPSG:4610),
    /// `BEIJING1954`/`BEIJING54` (EPSG:4214) and `WGS84` (EPSG:4326).
    pub fn parse(s: &str) -> Self {
        let up = s.trim().to_ascii_uppercase().replace(['-', '_', ' '], "");
        let (crs, offset) = match up.as_str() {
            "GCJ02" => ("EPSG:4326", Offset::Gcj02),
            "BD09" | "BD09LL" => ("EPSG:4326", Offset::Bd09),
            "CGCS2000" => ("EPSG:4490", Offset::None),
            "XIAN1980" | "XIAN80" => ("EPSG:4610", Offset::None),
            "BEIJING1954" | "BEIJING54" => ("EPSG:4214", Offset::None),
            "WGS84" => ("EPSG:4326", Offset::None),
            _ => (s.trim(), Offset::None),
        };
        Self {
            crs: crs.to_string(),
            offset,
        }
    }
}

/// What to ingest and how.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Census layer kind (table name), e.g. `buildings`.
    pub layer: String,
    /// Layer inside a multi-layer source (GeoPackage); required when the source
    /// has more than one.
    pub source_layer: Option<String>,
    /// Mapping file (TOML: field renames, value codes, encoding, CRS, coordinate
    /// columns; see [`crate::mapping`]). Options given here win over the file's.
    pub mapping: Option<PathBuf>,
    /// Overrides the source's CRS (`EPSG:4490`, `GCJ02`, `BD09`, …).
    pub source_crs: Option<String>,
    /// Text encoding (`GBK`, `UTF-8`); a Shapefile's `.cpg` wins.
    pub encoding: Option<String>,
    /// CSV column of x (easting or longitude); with `y`, replaces the detection of
    /// the usual pairs (lon/lat, x/y, 经度/纬度 …).
    pub x: Option<String>,
    /// CSV column of y (northing or latitude); see `x`.
    pub y: Option<String>,
    /// Admin units and `community_capacity`: load records whose admin code lies
    /// outside the census area (rule `foreign_code` otherwise), e.g. the
    /// neighbouring townships of a boundary file.
    pub allow_foreign: bool,
}

/// The outcome of a validation or an ingest. `loaded + rejected = read`, and
/// `inserted + updated + unchanged = loaded`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IngestReport {
    /// The source file, as given.
    pub source: String,
    /// The layer read inside a multi-layer source, when one was named.
    pub source_layer: Option<String>,
    /// The census layer (table name) loaded into.
    pub layer: String,
    /// `CSV`, or the OGR driver that read the source (`GPKG`, `ESRI Shapefile`,
    /// `GeoJSON`).
    pub format: String,
    /// SHA-256 (hex) of the source file; of `.shp`, `.shx`, `.dbf`, `.prj` and
    /// `.cpg` together for a Shapefile.
    pub sha256: String,
    /// Empty for a dry run.
    pub batch_id: String,
    /// True for a validation without writing ([`Census::validate`]).
    pub dry_run: bool,
    /// The text encoding and how it was chosen, e.g. `GBK (detected: not valid
    /// UTF-8, decoded as GBK)`.
    pub encoding: Option<String>,
    /// The source CRS used (`GCJ-02 → WGS 84` or `BD-09 → WGS 84` for offset
    /// coordinates); `None` when none was given or declared, which is allowed only
    /// when the records carry no location.
    pub crs: Option<String>,
    /// Records read.
    pub read: u64,
    /// Records that passed every check.
    pub loaded: u64,
    /// Records with at least one problem (none of them is loaded).
    pub rejected: u64,
    /// Loaded records new to the census (by the layer's key).
    pub inserted: u64,
    /// Loaded records whose key existed with other values or geometry.
    pub updated: u64,
    /// Loaded records identical to the stored ones (same record hash).
    pub unchanged: u64,
    /// Field resolution `schema ← source`.
    pub fields: Vec<(String, String)>,
    /// Source columns that match no schema field (not loaded).
    pub ignored_fields: Vec<String>,
    /// Every problem of every rejected record.
    pub problems: Vec<Problem>,
    /// Remarks for the user: encoding detected, CRS overridden, fields ignored,
    /// polygons repaired, how admin codes were assigned.
    pub notes: Vec<String>,
}

/// Which features a query returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// An admin code: 6 digits = the county (everything), 9 = a township, 12 = a
    /// village.
    pub admin: Option<String>,
    /// `[x_min, y_min, x_max, y_max]` in the census CRS (metres).
    pub bbox: Option<[f64; 4]>,
}

/// An open census folder.
#[derive(Debug, Clone)]
pub struct Census {
    /// The census folder (holds `census.toml` and `census.gpkg`).
    pub dir: PathBuf,
    /// Name of the county or city (`[census] name`).
    pub name: String,
    /// Admin code of the county or city (GB/T 2260, 6 digits; `[census] code`).
    pub code: String,
    /// The census grid; its CRS (projected, metres) is the CRS of every stored
    /// geometry.
    pub grid: GridSpec,
}

struct Valid {
    key: String,
    values: Vec<FieldValue>,
    geom: Option<geo::Geometry<f64>>,
}

struct Prepared {
    layer: &'static Layer,
    src: Source,
    /// The layer read inside a multi-layer source (GeoPackage), as resolved.
    source_layer: Option<String>,
    plan: FieldPlan,
    crs: Option<SourceCrs>,
    notes: Vec<String>,
    allow_foreign: bool,
}

fn db_geometry(g: Geom) -> DbGeometry {
    match g {
        Geom::Point => DbGeometry::Point,
        Geom::Line => DbGeometry::MultiLineString,
        Geom::Polygon => DbGeometry::MultiPolygon,
        Geom::Any => DbGeometry::Any,
        Geom::None => DbGeometry::None,
    }
}

fn field_type(k: Kind) -> FieldType {
    match k {
        Kind::Integer => FieldType::Integer64,
        Kind::Real => FieldType::Real,
        Kind::Date => FieldType::Date,
        Kind::Text | Kind::Code(_) => FieldType::String,
    }
}

/// The database table of a census layer.
pub fn table_spec(layer: &Layer, crs: &str) -> TableSpec {
    let mut fields: Vec<FieldDef> = layer
        .fields
        .iter()
        .map(|f| FieldDef::new(f.name, field_type(f.kind)))
        .collect();
    if layer.geometry != Geom::None {
        fields.push(FieldDef::new("township_code", FieldType::String));
        fields.push(FieldDef::new("village_code", FieldType::String));
    }
    fields.push(FieldDef::new("record_hash", FieldType::String));
    fields.push(FieldDef::new("batch_id", FieldType::String));
    TableSpec {
        name: layer.name.into(),
        geometry: db_geometry(layer.geometry),
        crs: Some(crs.into()),
        fields,
        unique: layer.key.iter().map(|k| k.to_string()).collect(),
    }
}

fn rejects_spec() -> TableSpec {
    let s = |n: &str| FieldDef::new(n, FieldType::String);
    TableSpec {
        name: REJECTS.into(),
        geometry: DbGeometry::None,
        crs: None,
        fields: vec![
            s("batch_id"),
            s("source"),
            s("layer"),
            s("record"),
            FieldDef::new("row", FieldType::Integer64),
            FieldDef::new("source_fid", FieldType::Integer64),
            s("record_key"),
            s("field"),
            s("value"),
            s("rule"),
            s("message"),
        ],
        unique: vec![],
    }
}

fn batches_spec() -> TableSpec {
    let s = |n: &str| FieldDef::new(n, FieldType::String);
    let i = |n: &str| FieldDef::new(n, FieldType::Integer64);
    TableSpec {
        name: BATCHES.into(),
        geometry: DbGeometry::None,
        crs: None,
        fields: vec![
            s("batch_id"),
            s("source"),
            s("source_sha256"),
            s("layer"),
            s("format"),
            s("encoding"),
            s("source_crs"),
            s("started_at"),
            s("finished_at"),
            i("read"),
            i("loaded"),
            i("rejected"),
            i("inserted"),
            i("updated"),
            i("unchanged"),
            s("engine_version"),
            s("notes"),
            s("source_layer"),
        ],
        unique: vec!["batch_id".into()],
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl Census {
    /// Open a census folder: reads `[census]` and `[grid]` of `census.toml` (the
    /// whole file is parsed through the one schema of `riskcensus-contracts`).
    pub fn open(dir: &Path) -> Result<Self, SurveyError> {
        let path = dir.join(CENSUS_FILE);
        let text = std::fs::read_to_string(&path).map_err(SurveyError::fs(&path))?;
        let t = CensusFile::parse(&text, &path).map_err(|e| SurveyError::Census {
            path: path.clone(),
            msg: match e {
                CensusTomlError::Parse { message, .. } => message,
                e => e.to_string(),
            },
        })?;
        t.grid.validate().map_err(|e| SurveyError::Census {
            path: path.clone(),
            msg: format!("[grid]: {e}"),
        })?;
        Ok(Self {
            dir: dir.to_path_buf(),
            name: t.census.name,
            code: t.census.code,
            grid: t.grid,
        })
    }

    /// A census from its parts (for services that hold the configuration already).
    pub fn from_parts(dir: &Path, name: &str, code: &str, grid: GridSpec) -> Self {
        Self {
            dir: dir.to_path_buf(),
            name: name.into(),
            code: code.into(),
            grid,
        }
    }

    /// Path of the census database (`census.gpkg` in the census folder).
    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    /// The study area `[x_min, y_min, x_max, y_max]` (census grid bounds, census CRS).
    pub fn study_area(&self) -> [f64; 4] {
        let g = &self.grid;
        [
            g.x_min,
            g.y_max - g.rows as f64 * g.cell_size,
            g.x_min + g.cols as f64 * g.cell_size,
            g.y_max,
        ]
    }

    /// Validate a source without touching the database (the dry run).
    pub fn validate(
        &self,
        source: &Path,
        opts: &IngestOptions,
    ) -> Result<IngestReport, SurveyError> {
        let p = self.prepare(source, opts)?;
        let mut report = self.report(&p, true);
        let loaded = self.loaded_units(&p)?;
        self.run(&p, None, loaded.as_ref(), &mut report, &mut |_| Ok(()))?;
        Ok(report)
    }

    /// Ingest a source: validate every record, reproject the valid ones to the census
    /// CRS, assign township and village codes, and write them, the rejects and a
    /// `_batches` row in ONE transaction. Writers of the same census are serialised
    /// by a lock file (`census.gpkg.lock`); SQLite's busy timeout and a retry with
    /// backoff cover other processes.
    pub fn ingest(&self, source: &Path, opts: &IngestOptions) -> Result<IngestReport, SurveyError> {
        // Where the load writes is checked before the source is read and validated.
        check_writable(&self.dir)?;
        let p = self.prepare(source, opts)?;
        let lock_path = self.dir.join(format!("{DB_FILE}.lock"));
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(SurveyError::fs(&lock_path))?;
        lock.lock().map_err(SurveyError::fs(&lock_path))?;
        let admin = if p.layer.name == "admin_units" || p.layer.geometry == Geom::None {
            AdminIndex::default()
        } else {
            self.admin_index()?
        };
        let loaded = self.loaded_units(&p)?;
        let mut wait = std::time::Duration::from_millis(50);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let r = loop {
            match self.ingest_once(&p, &admin, loaded.as_ref()) {
                Err(SurveyError::Io(e) | SurveyError::Database { source: e, .. })
                    if {
                        let m = e.to_string().to_ascii_lowercase();
                        (m.contains("locked") || m.contains("busy"))
                            && std::time::Instant::now() < deadline
                    } =>
                {
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(std::time::Duration::from_secs(2));
                }
                r => break r,
            }
        };
        let _ = lock.unlock();
        r
    }

    fn ingest_once(
        &self,
        p: &Prepared,
        admin: &AdminIndex,
        loaded: Option<&LoadedUnits>,
    ) -> Result<IngestReport, SurveyError> {
        let mut report = self.report(p, false);
        let started = crate::text::now_iso();
        // Unique across processes (pid) and within one (a counter), readable (time).
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        report.batch_id = format!(
            "{}-{}-{}-{}",
            started.replace([':', '-'], ""),
            std::process::id(),
            SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            &p.src.sha256[..8]
        );
        if p.layer.name != "admin_units" && p.layer.geometry != Geom::None {
            if admin.is_empty() {
                report.notes.push(
                    "no admin units are loaded yet: township_code and village_code are left empty (ingest admin_units first, then re-ingest this source to fill them)".into(),
                );
            } else {
                let (t, v, s) = admin.counts();
                report.notes.push(format!(
                    "admin codes assigned by point-in-polygon on {t} townships{}",
                    if v > 0 {
                        format!(" and {v} village polygons")
                    } else {
                        format!(" and the nearest of {s} village seats within the township")
                    }
                ));
            }
        }
        // Every failure of the census database below is the environment's (exit
        // code 1), never the source's: see SurveyError::Database.
        let db_path = self.db_path();
        let w = |e: riskcensus_io::IoError| SurveyError::Database {
            path: db_path.clone(),
            what: "written".into(),
            source: e,
        };
        let _fault = riskcensus_io::fault::context(&format!(
            "{}:{}{}",
            p.layer.name,
            p.src.path.file_name().unwrap_or_default().to_string_lossy(),
            p.source_layer
                .as_deref()
                .map(|l| format!(":{l}"))
                .unwrap_or_default()
        ));
        let mut db = GpkgDb::open(&db_path, true)
            .map_err(SurveyError::db(&db_path, "opened for writing"))?;
        let spec = table_spec(p.layer, &self.grid.crs);
        let cols = spec.column_names();
        db.transaction::<_, SurveyError>(|txn: &mut Txn<'_>| {
            txn.ensure_table(&spec).map_err(w)?;
            txn.ensure_table(&rejects_spec()).map_err(w)?;
            txn.ensure_table(&batches_spec()).map_err(w)?;
            // Existing records: key → (fid, hash).
            // Compact per record (40 bytes): the key's and the record hash's first
            // 16 bytes, not their text.
            let mut existing: HashMap<[u8; 16], (i64, [u8; 16])> = HashMap::new();
            let mut scan_cols: Vec<&str> = p.layer.key.to_vec();
            scan_cols.push("record_hash");
            let nk = p.layer.key.len();
            txn.scan(p.layer.name, &scan_cols, |fid, vals| {
                let key = vals[..nk]
                    .iter()
                    .map(raw_text)
                    .collect::<Vec<_>>()
                    .join("|");
                existing.insert(key_digest(&key), (fid, hash_bytes(&raw_text(&vals[nk]))));
            })
            .map_err(w)?;
            let writer = txn.writer(p.layer.name, &cols).map_err(w)?;
            let (mut ins, mut upd, mut same) = (0u64, 0u64, 0u64);
            let batch_id = report.batch_id.clone();
            let layer = p.layer;
            self.run(p, Some(admin), loaded, &mut report, &mut |v: Valid| {
                let mut values = v.values;
                let hash = record_hash(layer, &values, v.geom.as_ref());
                values.push(FieldValue::String(hash.clone()));
                values.push(FieldValue::String(batch_id.clone()));
                match existing.get(&key_digest(&v.key)) {
                    Some((_, h)) if *h == hash_bytes(&hash) => same += 1,
                    Some((fid, _)) => {
                        writer.update(*fid, v.geom.as_ref(), &values).map_err(w)?;
                        upd += 1;
                    }
                    None => {
                        writer.insert(v.geom.as_ref(), &values).map_err(w)?;
                        ins += 1;
                    }
                }
                Ok(())
            })?;
            report.inserted = ins;
            report.updated = upd;
            report.unchanged = same;
            let rw = txn
                .writer(REJECTS, &rejects_spec().column_names())
                .map_err(w)?;
            for pr in &report.problems {
                rw.insert(
                    None,
                    &[
                        report.batch_id.clone().into(),
                        pr.source.clone().into(),
                        report.layer.clone().into(),
                        pr.record.clone().into(),
                        FieldValue::Integer64(pr.row as i64),
                        pr.fid
                            .map(|f| FieldValue::Integer64(f as i64))
                            .unwrap_or(FieldValue::Null),
                        pr.key.clone().into(),
                        pr.field.clone().into(),
                        pr.value.clone().into(),
                        pr.rule.name().into(),
                        pr.message.clone().into(),
                    ],
                )
                .map_err(w)?;
            }
            let bw = txn
                .writer(BATCHES, &batches_spec().column_names())
                .map_err(w)?;
            let n = |x: u64| FieldValue::Integer64(x as i64);
            bw.insert(
                None,
                &[
                    report.batch_id.clone().into(),
                    report.source.clone().into(),
                    report.sha256.clone().into(),
                    report.layer.clone().into(),
                    report.format.clone().into(),
                    report.encoding.clone().into(),
                    report.crs.clone().into(),
                    started.clone().into(),
                    crate::text::now_iso().into(),
                    n(report.read),
                    n(report.loaded),
                    n(report.rejected),
                    n(report.inserted),
                    n(report.updated),
                    n(report.unchanged),
                    env!("CARGO_PKG_VERSION").into(),
                    report.notes.join("; ").into(),
                    report.source_layer.clone().unwrap_or_default().into(),
                ],
            )
            .map_err(w)?;
            if let Some(ms) = std::env::var(TEST_PAUSE_ENV)
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
            {
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
            Ok(())
        })?;
        Ok(report)
    }

    fn report(&self, p: &Prepared, dry_run: bool) -> IngestReport {
        IngestReport {
            source: riskcensus_core::names::path_text(&p.src.path),
            source_layer: p.source_layer.clone(),
            layer: p.layer.name.into(),
            format: p.src.format.clone(),
            sha256: p.src.sha256.clone(),
            batch_id: String::new(),
            dry_run,
            encoding: p
                .src
                .encoding
                .as_ref()
                .map(|(e, how)| format!("{e} ({how})")),
            crs: p.crs.as_ref().map(|c| match c.offset {
                Offset::None => c.crs.clone(),
                Offset::Gcj02 => "GCJ-02 → WGS 84".into(),
                Offset::Bd09 => "BD-09 → WGS 84".into(),
            }),
            read: 0,
            loaded: 0,
            rejected: 0,
            inserted: 0,
            updated: 0,
            unchanged: 0,
            fields: p.plan.resolved.clone(),
            ignored_fields: p.plan.ignored.clone(),
            problems: Vec::new(),
            notes: p.notes.clone(),
        }
    }

    fn prepare(&self, source: &Path, opts: &IngestOptions) -> Result<Prepared, SurveyError> {
        let layer = schema::layer(&opts.layer).ok_or_else(|| SurveyError::UnknownLayer {
            name: opts.layer.clone(),
            known: schema::layer_names().join(", "),
        })?;
        let mapping = match &opts.mapping {
            Some(m) => Some(Mapping::load(m, layer)?),
            None => None,
        };
        let pick = |cli: &Option<String>, m: Option<&Option<String>>| {
            cli.clone().or_else(|| m.and_then(|o| o.clone()))
        };
        let ropts = ReadOptions {
            encoding: pick(&opts.encoding, mapping.as_ref().map(|m| &m.encoding)),
            source_layer: pick(
                &opts.source_layer,
                mapping.as_ref().map(|m| &m.source_layer),
            ),
            x: pick(&opts.x, mapping.as_ref().map(|m| &m.x)),
            y: pick(&opts.y, mapping.as_ref().map(|m| &m.y)),
            wants_geometry: layer.geometry != Geom::None,
            geometry_required: layer.geometry_required,
        };
        let src = Source::open(source, &ropts)?;
        let source_layer = ropts.source_layer.clone();
        let mut notes = Vec::new();
        if let Some((enc, how)) = &src.encoding {
            if how.starts_with("detected") {
                notes.push(format!("text decoded as {enc} ({how})"));
            }
        }
        // Coordinate columns are not attributes.
        let skip: Vec<usize> = if src.is_csv() {
            let (x, y) = src.xy_names();
            [x, y]
                .iter()
                .filter_map(|n| n.as_ref())
                .filter_map(|n| src.columns.iter().position(|c| c.eq_ignore_ascii_case(n)))
                .collect()
        } else {
            vec![]
        };
        let plan = FieldPlan::resolve(layer, &src.columns, mapping.as_ref(), source, &skip)?;
        let given = pick(&opts.source_crs, mapping.as_ref().map(|m| &m.crs));
        let has_geom_source = !src.is_csv() || self.csv_has_xy(&src);
        let crs = match (given, &src.crs) {
            (Some(g), own) => {
                if let Some(own) = own {
                    notes.push(format!("source CRS {own} overridden by {g}"));
                }
                Some(SourceCrs::parse(&g))
            }
            (None, Some(own)) => Some(SourceCrs::parse(own)),
            (None, None) if layer.geometry != Geom::None && has_geom_source => {
                return Err(SurveyError::NoCrs {
                    path: source.to_path_buf(),
                })
            }
            (None, None) => None,
        };
        // RFC 7946: a GeoJSON without a `crs` member is WGS 84 (OGR reads it so).
        if src.format == "GeoJSON"
            && opts.source_crs.is_none()
            && mapping.as_ref().is_none_or(|m| m.crs.is_none())
            && !crate::source::geojson_declares_crs(source)?
        {
            notes.push(format!(
                "{}: no \"crs\" member: read as WGS 84 (EPSG:4326) as RFC 7946 says; exports of Chinese web maps (Amap, Tencent, Baidu, DataV) are usually GCJ-02 or BD-09 — if so, give --source-crs GCJ02 or BD09",
                source.display()
            ));
        }
        if let Some(c) = &crs {
            if let Some(n) = legacy_datum_note(&c.crs, &self.grid.crs) {
                notes.push(format!("{}: {n}", source.display()));
            }
            riskcensus_io::crs::Transformer::new(&c.crs, &self.grid.crs).map_err(|e| {
                SurveyError::BadCrs {
                    path: source.to_path_buf(),
                    crs: c.crs.clone(),
                    detail: e.to_string(),
                }
            })?;
        }
        if !plan.ignored.is_empty() {
            notes.push(format!(
                "source fields not in the schema (not loaded): {}",
                plan.ignored.join(", ")
            ));
        }
        Ok(Prepared {
            layer,
            src,
            source_layer,
            plan,
            crs,
            notes,
            allow_foreign: opts.allow_foreign,
        })
    }

    fn csv_has_xy(&self, src: &Source) -> bool {
        src.is_csv() && src.has_xy()
    }

    /// Read, validate, reproject and hand valid records to `sink`, collecting every
    /// problem into the report.
    fn run(
        &self,
        p: &Prepared,
        admin: Option<&AdminIndex>,
        loaded: Option<&LoadedUnits>,
        report: &mut IngestReport,
        sink: &mut dyn FnMut(Valid) -> Result<(), SurveyError>,
    ) -> Result<(), SurveyError> {
        let transformer = match &p.crs {
            Some(c) => Some(
                riskcensus_io::crs::Transformer::new(&c.crs, &self.grid.crs)
                    .map_err(SurveyError::Io)?,
            ),
            None => None,
        };
        let mut ctx = RunCtx {
            p,
            admin,
            transformer,
            area: self.study_area(),
            today: crate::text::today(),
            seen: HashMap::new(),
            source: riskcensus_core::names::path_text(&p.src.path),
            census_code: self.code.clone(),
            loaded,
            prefixed: 0,
            prefixed_first: None,
            suffix_flags: 0,
            foreign_loaded: 0,
            zm: 0,
            zm_first: None,
            attached: 0,
            kept: 0,
            unknown_units: 0,
            unknown_first: None,
        };
        let mut buf: Vec<SrcRecord> = Vec::with_capacity(CHUNK);
        // Text bytes held in `buf`: a chunk is also cut at CHUNK_BYTES, so records
        // with long fields are never held by the thousand.
        let mut held = 0usize;
        let read = p.src.for_each(|r| {
            if r.at.row > crate::source::MAX_SOURCE_RECORDS {
                return Err(SurveyError::TooLarge {
                    path: p.src.path.clone(),
                    what: format!(
                        "{}: more than {} records, the most one source may hold (split the file)",
                        r.at,
                        crate::source::MAX_SOURCE_RECORDS
                    ),
                });
            }
            held += r.values.iter().map(|v| v.text_len()).sum::<usize>();
            buf.push(r);
            if buf.len() == CHUNK || held >= CHUNK_BYTES {
                held = 0;
                ctx.chunk(std::mem::take(&mut buf), report, sink)?;
            }
            Ok(())
        })?;
        ctx.chunk(buf, report, sink)?;
        ctx.finish(report);
        report.read = read;
        if read == 0 {
            return Err(SurveyError::Empty {
                path: p.src.path.clone(),
                what: "no records".into(),
            });
        }
        debug_assert_eq!(report.loaded + report.rejected, report.read);
        Ok(())
    }

    /// The admin units already loaded, by code, when `p` loads admin units or
    /// records keyed by an admin code (`community_capacity`).
    fn loaded_units(&self, p: &Prepared) -> Result<Option<LoadedUnits>, SurveyError> {
        let path = self.db_path();
        if !matches!(p.layer.name, ADMIN_UNITS | COMMUNITY_CAPACITY) || !path.exists() {
            return Ok(None);
        }
        let db = GpkgDb::open_read(&path).map_err(SurveyError::db(&path, "read"))?;
        if !db.has_table("admin_units") {
            return Ok(None);
        }
        let rows = db
            .query("admin_units", None, None)
            .map_err(SurveyError::db(&path, "read"))?;
        Ok(Some(
            rows.into_iter()
                .filter_map(|f| Some((text_of(f.get("code")?)?, f.geometry)))
                .collect(),
        ))
    }

    /// The admin index built from the `admin_units` already loaded (empty if none).
    pub fn admin_index(&self) -> Result<AdminIndex, SurveyError> {
        let path = self.db_path();
        if !path.exists() {
            return Ok(AdminIndex::default());
        }
        let db = GpkgDb::open_read(&path).map_err(SurveyError::db(&path, "read"))?;
        if !db.has_table("admin_units") {
            return Ok(AdminIndex::default());
        }
        let rows = db
            .query(
                "admin_units",
                None,
                Some("level IN ('township', 'village')"),
            )
            .map_err(SurveyError::db(&path, "read"))?;
        Ok(AdminIndex::new(rows.into_iter().filter_map(|f| {
            let code = text_of(f.get("code")?)?;
            let level = text_of(f.get("level")?)?;
            Some((code, level, f.geometry?))
        })))
    }

    /// Features of a census layer, filtered by admin unit and/or bounding box (census
    /// CRS), in FID order.
    pub fn query(&self, layer: &str, q: &Query) -> Result<Vec<DbFeature>, SurveyError> {
        let l = schema::layer(layer)
            .map(|l| l.name)
            .or_else(|| [REJECTS, BATCHES].into_iter().find(|t| *t == layer))
            .ok_or_else(|| SurveyError::UnknownLayer {
                name: layer.into(),
                known: schema::layer_names().join(", "),
            })?;
        // A table without geometry is keyed by the unit's own admin code
        // (`community_capacity`): a township holds its villages' records too.
        let unit_keyed =
            schema::layer(l).is_some_and(|s| s.geometry == Geom::None && s.key == ["code"]);
        if unit_keyed && q.bbox.is_some() {
            return Err(SurveyError::Census {
                path: self.db_path(),
                msg: format!("{l} has no geometry: query it by admin code, not by bounding box"),
            });
        }
        let db = GpkgDb::open_read(&self.db_path())?;
        if !db.has_table(l) {
            return Ok(Vec::new());
        }
        let filter = match &q.admin {
            None => None,
            Some(code) => {
                let c = code.trim();
                match c.len() {
                    6 if c == self.code => None,
                    9 | 12 if unit_keyed && c.bytes().all(|b| b.is_ascii_digit()) => {
                        Some(format!("code LIKE '{c}%'"))
                    }
                    9 => Some(format!("township_code = {}", quote(c))),
                    12 => Some(format!("village_code = {}", quote(c))),
                    _ => {
                        return Err(SurveyError::Census {
                            path: self.db_path(),
                            msg: format!("admin code {c:?}: use the county code {}, a 9-digit township or a 12-digit village code", self.code),
                        })
                    }
                }
            }
        };
        Ok(db.query(l, q.bbox, filter.as_deref())?)
    }

    /// Store one run's per-record results as the table `result_<name>` of the census
    /// database — e.g. the earthquake damage and hidden-danger grade of every
    /// building — so the database holds the census's risk beside its survey. Each
    /// row carries `run` (the run's label) first, then `fields`; the run's earlier
    /// rows are replaced in the same transaction, other runs' rows are kept, so a
    /// reader sees the old rows or the new ones, never a mix. `name` is lowercase
    /// ASCII letters, digits and `_`. Returns the rows written.
    pub fn store_results(
        &self,
        name: &str,
        run: &str,
        geometry: DbGeometry,
        fields: &[FieldDef],
        rows: impl IntoIterator<Item = (Option<geo::Geometry<f64>>, Vec<FieldValue>)>,
    ) -> Result<usize, SurveyError> {
        let bad = |msg: String| SurveyError::Census {
            path: self.db_path(),
            msg,
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(bad(format!(
                "result table name {name:?}: use lowercase letters, digits and '_'"
            )));
        }
        let table = format!("{RESULT_PREFIX}{name}");
        let mut all = vec![FieldDef::new("run", FieldType::String)];
        all.extend(fields.iter().cloned());
        let spec = TableSpec {
            name: table.clone(),
            geometry,
            crs: Some(self.grid.crs.clone()),
            fields: all,
            unique: Vec::new(),
        };
        let cols = spec.column_names();
        let _fault = riskcensus_io::fault::context(&table);
        let mut db = GpkgDb::open(&self.db_path(), true)?;
        db.transaction::<_, SurveyError>(|txn: &mut Txn<'_>| {
            txn.ensure_table(&spec)?;
            txn.sql(&format!(
                "DELETE FROM \"{table}\" WHERE run = {}",
                quote(run)
            ))?;
            let w = txn.writer(&table, &cols)?;
            let mut n = 0;
            for (geom, values) in rows {
                if values.len() != fields.len() {
                    return Err(bad(format!(
                        "{table}: row {} has {} values for {} fields",
                        n + 1,
                        values.len(),
                        fields.len()
                    )));
                }
                let mut v = Vec::with_capacity(values.len() + 1);
                v.push(FieldValue::String(run.to_string()));
                v.extend(values);
                w.insert(geom.as_ref(), &v)?;
                n += 1;
            }
            Ok(n)
        })
    }

    /// Rows of the result table `result_<name>` stored by run `run`, in FID order;
    /// empty when there are none.
    pub fn results(&self, name: &str, run: &str) -> Result<Vec<DbFeature>, SurveyError> {
        let table = format!("{RESULT_PREFIX}{name}");
        let db = GpkgDb::open_read(&self.db_path())?;
        if !db.has_table(&table) {
            return Ok(Vec::new());
        }
        Ok(db.query(&table, None, Some(&format!("run = {}", quote(run))))?)
    }

    /// True when this source (same census layer, same source layer, same file
    /// digest) has been loaded by a committed batch: the `_batches` row is written in
    /// the batch's own transaction, so its presence means the records are in. A run
    /// that ingests "if needed" loads exactly the sources for which this is false,
    /// so a load killed part-way is completed by the next run.
    pub fn is_loaded(&self, source: &Path, opts: &IngestOptions) -> Result<bool, SurveyError> {
        if !self.db_path().exists() {
            return Ok(false);
        }
        let p = self.prepare(source, opts)?;
        let db = GpkgDb::open_read(&self.db_path())?;
        // Batches written before the `source_layer` column existed cannot say which
        // layer of a multi-layer file they loaded: load again (reloads are idempotent).
        if !db.columns(BATCHES).iter().any(|c| c == "source_layer") {
            return Ok(false);
        }
        let mut filter = format!(
            "layer = {} AND source_sha256 = {}",
            quote(p.layer.name),
            quote(&p.src.sha256)
        );
        match &p.source_layer {
            Some(l) => filter.push_str(&format!(" AND source_layer = {}", quote(l))),
            None => filter.push_str(" AND (source_layer IS NULL OR source_layer = '')"),
        }
        Ok(!db.query(BATCHES, None, Some(&filter))?.is_empty())
    }

    /// Rows of `_batches`, oldest first.
    pub fn batches(&self) -> Result<Vec<DbFeature>, SurveyError> {
        self.query(BATCHES, &Query::default())
    }

    /// Rows of `_rejects` of one batch.
    pub fn rejects(&self, batch_id: &str) -> Result<Vec<DbFeature>, SurveyError> {
        let db = GpkgDb::open_read(&self.db_path())?;
        if !db.has_table(REJECTS) {
            return Ok(Vec::new());
        }
        Ok(db.query(
            REJECTS,
            None,
            Some(&format!("batch_id = {}", quote(batch_id))),
        )?)
    }
}

/// Xian 1980 and Beijing 1954 (EPSG:4610, 4214 and the Gauss–Krüger zones on them):
/// PROJ has no transformation from them to CGCS2000 or WGS 84 but a *ballpark* one
/// that leaves coordinates unchanged (`projinfo -s EPSG:4610 -t EPSG:4490` lists
/// only "Ballpark geographic offset … +proj=noop"), while the published shifts
/// between these datums and CGCS2000 are tens of metres.
fn legacy_datum_note(source_crs: &str, census_crs: &str) -> Option<String> {
    let id = riskcensus_io::crs::identify(source_crs).ok()?;
    let g = id.geographic_name.to_ascii_lowercase().replace('_', " ");
    let datum = match id.geographic_epsg {
        Some(4610) => "Xian 1980",
        Some(4214) => "Beijing 1954",
        _ if g.contains("xian 1980") || g.contains("xian1980") => "Xian 1980",
        _ if g.contains("beijing 1954") || g.contains("beijing1954") => "Beijing 1954",
        _ => return None,
    };
    let target = riskcensus_io::crs::identify(census_crs)
        .ok()
        .map(|t| match t.geographic_epsg {
            Some(e) => format!("{} (EPSG:{e})", t.geographic_name),
            None => t.geographic_name,
        })
        .unwrap_or_else(|| census_crs.to_string());
    let epsg = id
        .epsg
        .map(|e| format!("EPSG:{e}"))
        .unwrap_or_else(|| "no EPSG code found".into());
    Some(format!(
        "source CRS {} ({epsg}) is on the {datum} datum: PROJ has no transformation from {datum} to {target} (only a ballpark one that changes nothing), so coordinates pass the datum change unchanged; the published shifts between {datum} and CGCS2000 are tens of metres — convert with the surveying authority's parameters first where that matters",
        id.name
    ))
}

/// A source geometry into a target CRS, in place: the web-map `offset` removed
/// (GCJ-02/BD-09 → WGS 84), then transformed with `t` (`None`: already in the
/// target CRS). False when a coordinate does not transform to a finite one.
pub fn reproject(
    g: &mut geo::Geometry<f64>,
    offset: Offset,
    t: Option<&riskcensus_io::crs::Transformer>,
) -> bool {
    if offset != Offset::None {
        g.map_coords_in_place(|c| {
            let (x, y) = match offset {
                Offset::Gcj02 => crate::offset::gcj02_to_wgs84(c.x, c.y),
                Offset::Bd09 => crate::offset::bd09_to_wgs84(c.x, c.y),
                Offset::None => (c.x, c.y),
            };
            geo::coord! { x: x, y: y }
        });
    }
    let Some(t) = t else {
        return true;
    };
    use geo::CoordsIter;
    let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = g.coords_iter().map(|c| (c.x, c.y)).unzip();
    if t.transform(&mut xs, &mut ys).is_err() || xs.iter().chain(&ys).any(|v| !v.is_finite()) {
        return false;
    }
    let k = std::cell::Cell::new(0usize);
    g.map_coords_in_place(|_| {
        let i = k.get();
        k.set(i + 1);
        geo::coord! { x: xs[i], y: ys[i] }
    });
    true
}

fn text_of(v: &FieldValue) -> Option<String> {
    match v {
        FieldValue::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// Check, before any work, that the census folder `census_dir` (census.gpkg, its
/// journal and lock file) and census.gpkg itself can be written: a read-only file
/// system or a missing permission is `IoError::ReadOnly` naming the path. Loads and
/// runs call it first.
pub fn check_writable(census_dir: &Path) -> Result<(), riskcensus_io::IoError> {
    riskcensus_io::files::check_writable_dir(
        census_dir,
        "the census database census.gpkg, its journal and lock file",
    )?;
    riskcensus_io::files::check_writable_file(&census_dir.join(DB_FILE), "the census database")
}

/// The first 16 bytes of the SHA-256 of a record key: what the key maps hold.
fn key_digest(key: &str) -> [u8; 16] {
    let d = Sha256::digest(key.as_bytes());
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[..16]);
    out
}

/// A record hash (hex) as bytes (its first 16; a hash that is not hex is hashed).
fn hash_bytes(hex_text: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    match hex::decode(hex_text) {
        Ok(b) if b.len() >= 16 => out.copy_from_slice(&b[..16]),
        _ => out = key_digest(hex_text),
    }
    out
}

fn raw_text(v: &riskcensus_io::vector_read::RawValue) -> String {
    use riskcensus_io::vector_read::RawValue;
    match v {
        RawValue::Null => String::new(),
        RawValue::Integer(i) => i.to_string(),
        RawValue::Real(r) => value_key(&FieldValue::Real(*r)),
        RawValue::Text(b) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// Canonical text of a value for keys.
fn value_key(v: &FieldValue) -> String {
    match v {
        FieldValue::Null => String::new(),
        FieldValue::Integer(i) => i.to_string(),
        FieldValue::Integer64(i) => i.to_string(),
        FieldValue::Real(r) => format!("{r}"),
        FieldValue::String(s) => s.clone(),
        FieldValue::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
    }
}

/// SHA-256 (first 128 bits, hex) of the layer name, the values and the geometry.
fn record_hash(layer: &Layer, values: &[FieldValue], geom: Option<&geo::Geometry<f64>>) -> String {
    use geo::CoordsIter;
    let mut h = Sha256::new();
    h.update(layer.name.as_bytes());
    for v in values {
        h.update([0u8]);
        h.update(format!("{v:?}").as_bytes());
    }
    if let Some(g) = geom {
        h.update(format!("{:?}", std::mem::discriminant(g)).as_bytes());
        for c in g.coords_iter() {
            h.update(c.x.to_le_bytes());
            h.update(c.y.to_le_bytes());
        }
    }
    hex::encode(&h.finalize()[..16])
}

struct RunCtx<'a> {
    p: &'a Prepared,
    admin: Option<&'a AdminIndex>,
    transformer: Option<riskcensus_io::crs::Transformer>,
    area: [f64; 4],
    today: (i32, u32, u32),
    /// key digest → (row, CSV line or 0) of its first occurrence: 24 bytes per
    /// record, no text (a source of 10 million records holds ≈ 0.5 GB here at most,
    /// with the table's growth).
    seen: HashMap<[u8; 16], (u32, u32)>,
    source: String,
    /// The census's admin code (`[census] code`).
    census_code: String,
    /// Admin units already in the database: code → geometry (census CRS).
    loaded: Option<&'a LoadedUnits>,
    /// Codes stripped of the prefix 156, and the first of them.
    prefixed: u64,
    prefixed_first: Option<String>,
    /// Admin names whose suffix contradicts the level.
    suffix_flags: u64,
    /// Units outside the census area loaded with `allow_foreign`.
    foreign_loaded: u64,
    /// Geometries with Z or M values, and the first of them.
    zm: u64,
    zm_first: Option<String>,
    /// Admin units that got a geometry where the loaded row had none.
    attached: u64,
    /// Admin units delivered without geometry that keep the loaded one.
    kept: u64,
    /// Records keyed by an admin code that is not among the loaded admin units,
    /// and the first of them.
    unknown_units: u64,
    unknown_first: Option<String>,
}

/// Admin units in the census database: code → geometry (census CRS), `None` for
/// rows loaded from a code list.
pub type LoadedUnits = HashMap<String, Option<geo::Geometry<f64>>>;

impl RunCtx<'_> {
    fn to_census(&self, g: &mut geo::Geometry<f64>) -> bool {
        let offset = self
            .p
            .crs
            .as_ref()
            .map(|c| c.offset)
            .unwrap_or(Offset::None);
        reproject(g, offset, self.transformer.as_ref())
    }

    fn inside(&self, g: &geo::Geometry<f64>) -> bool {
        let [x0, y0, x1, y1] = self.area;
        match g.bounding_rect() {
            Some(r) => r.max().x >= x0 && r.min().x <= x1 && r.max().y >= y0 && r.min().y <= y1,
            None => false,
        }
    }

    fn chunk(
        &mut self,
        recs: Vec<SrcRecord>,
        report: &mut IngestReport,
        sink: &mut dyn FnMut(Valid) -> Result<(), SurveyError>,
    ) -> Result<(), SurveyError> {
        let layer = self.p.layer;
        let is_admin = layer.name == ADMIN_UNITS;
        let unit_keyed = layer.name == COMMUNITY_CAPACITY;
        let xy_names = (
            self.p.src.xy_names().0.unwrap_or_else(|| "x".into()),
            self.p.src.xy_names().1.unwrap_or_else(|| "y".into()),
        );
        let source = self.source.clone();
        let src = source.as_str();
        for rec in recs {
            let mut probs = Vec::new();
            if let Some((got, want)) = rec.field_count {
                probs.push(problem(
                    src,
                    rec.at,
                    "*",
                    format!("{got} fields"),
                    Rule::FieldCount,
                    format!(
                        "{got} fields where the header has {want} (truncated or mis-quoted row)"
                    ),
                ));
            }
            let mut values = self.p.plan.check(&rec, src, self.today, &mut probs);
            // Admin units: the national prefix, the census area, level and parent
            // from the code, the name's suffix.
            if is_admin {
                self.admin_derive(&mut values, &rec, report, &mut probs);
            }
            // Records of a township or village, keyed by its admin code.
            let unknown_unit = if unit_keyed {
                self.unit_code(&mut values, &rec, &mut probs)
            } else {
                None
            };
            // Key (the admin code as stripped of its prefix).
            let key = layer
                .key
                .iter()
                .map(|k| {
                    let i = layer
                        .fields
                        .iter()
                        .position(|f| f.name == *k)
                        .expect("key is a field");
                    value_key(&values[i])
                })
                .collect::<Vec<_>>()
                .join("|");
            let key_ok = !key.split('|').any(|k| k.is_empty());
            // "fid 3 (code 370902)": the record and its key, for notes.
            let who = if key_ok {
                format!("{} ({} {key})", rec.at, layer.key.join("+"))
            } else {
                rec.at.to_string()
            };
            // Geometry.
            let mut geom: Option<geo::Geometry<f64>> = None;
            let geom_field = "geometry";
            // A problem of the record's geometry, with the value it names.
            let bad_geometry = |value: String, msg: String| {
                problem(src, rec.at, geom_field, value, Rule::InvalidGeometry, msg)
            };
            match &rec.geom {
                SrcGeom::None => {}
                SrcGeom::Broken(e) => probs.push(bad_geometry(
                    String::new(),
                    format!("unreadable geometry: {e}"),
                )),
                SrcGeom::Xy(xs, ys) => {
                    if xs.is_empty() && ys.is_empty() {
                    } else {
                        // Each coordinate on its own column, with its value: a NaN
                        // or infinite x is the x column's fault, not y's.
                        let parse = |v: &str| v.parse::<f64>().ok().filter(|n| n.is_finite());
                        let (x, y) = (parse(xs), parse(ys));
                        for (ok, f, v) in [
                            (x.is_some(), &xy_names.0, xs),
                            (y.is_some(), &xy_names.1, ys),
                        ] {
                            if !ok {
                                probs.push(problem(
                                    src,
                                    rec.at,
                                    f,
                                    v.clone(),
                                    Rule::Type,
                                    format!("{f} must be a finite number, not {v:?}"),
                                ));
                            }
                        }
                        if let (Some(x), Some(y)) = (x, y) {
                            geom = Some(geo::Point::new(x, y).into());
                        }
                    }
                }
                SrcGeom::Geometry(g) => match check_geometry(layer.geometry, g) {
                    Ok(g) => geom = Some(g),
                    Err(msg) => probs.push(bad_geometry(String::new(), msg)),
                },
            }
            if rec.facts.z || rec.facts.m {
                self.zm += 1;
                if self.zm_first.is_none() {
                    self.zm_first = Some(format!(
                        "{who} has {}",
                        match (rec.facts.z, rec.facts.m) {
                            (true, true) => "Z and M",
                            (true, false) => "Z",
                            _ => "M",
                        }
                    ));
                }
            }
            if rec.facts.unclosed_rings > 0 && geom.is_some() {
                report.notes.push(format!(
                    "{src}: {who}: {} polygon ring(s) not closed (the last point is not the first): closed by repeating the first point",
                    rec.facts.unclosed_rings
                ));
            }
            // Counties and townships are areas: a point (or a line) is not one.
            if is_admin {
                if let (Some(g), FieldValue::String(level)) = (&geom, &values[2]) {
                    let polygonal = matches!(
                        g,
                        geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)
                    );
                    let point = matches!(g, geo::Geometry::Point(_));
                    if !polygonal && (level != "village" || !point) {
                        probs.push(bad_geometry(
                            kind_name(g).into(),
                            format!(
                                "a {} for a {level} unit: counties and townships are polygons (their boundary) and villages polygons or points (their seat); load a code list without geometry if no boundary exists",
                                kind_name(g)
                            ),
                        ));
                        geom = None;
                    }
                }
            }
            if geom.is_none()
                && layer.geometry_required
                && matches!(rec.geom, SrcGeom::None | SrcGeom::Xy(..))
                && !probs
                    .iter()
                    .any(|p| p.field == xy_names.0 || p.field == xy_names.1)
            {
                probs.push(problem(
                    src,
                    rec.at,
                    geom_field,
                    String::new(),
                    Rule::NoGeometry,
                    "the record has no location".into(),
                ));
            }
            if let Some(g) = geom.as_mut() {
                let orig = g.clone();
                let ok = self.to_census(g) && self.inside(g);
                if !ok {
                    let shown = match &orig {
                        geo::Geometry::Point(p) => format!("({}, {})", p.x(), p.y()),
                        other => other
                            .bounding_rect()
                            .map(|r| {
                                format!(
                                    "bbox ({}, {}) – ({}, {})",
                                    r.min().x,
                                    r.min().y,
                                    r.max().x,
                                    r.max().y
                                )
                            })
                            .unwrap_or_default(),
                    };
                    let swapped = match &orig {
                        geo::Geometry::Point(p) => {
                            let mut s: geo::Geometry<f64> = geo::Point::new(p.y(), p.x()).into();
                            self.to_census(&mut s) && self.inside(&s)
                        }
                        _ => false,
                    };
                    if swapped {
                        probs.push(problem(src, rec.at, geom_field, shown, Rule::LonlatSwapped, "x and y (lon and lat) are swapped: the swapped point lies in the study area".into()));
                    } else {
                        probs.push(problem(
                            src,
                            rec.at,
                            geom_field,
                            shown,
                            Rule::OutsideStudyArea,
                            format!(
                                "outside the study area (census grid {:?} in {})",
                                self.area,
                                self.p_grid_crs()
                            ),
                        ));
                    }
                } else {
                    // Validity is judged, and areas compared, in the census CRS
                    // (metres), never in the source's units.
                    match repair_polygon(g) {
                        Ok(None) => {}
                        Ok(Some((fixed, before, after))) => {
                            report.notes.push(format!(
                                "{src}: {who}: invalid polygon (self-intersection) repaired with MakeValid (GEOS; polygonal parts kept): area {:.3} km² → {:.3} km², a change of {}",
                                before / 1e6,
                                after / 1e6,
                                percent(rel_change(before, after))
                            ));
                            *g = fixed;
                        }
                        Err(msg) => probs.push(bad_geometry(String::new(), msg)),
                    }
                }
            }
            // Duplicates.
            if key_ok {
                let kh = key_digest(&key);
                match self.seen.get(&kh).map(|&(row, line)| {
                    // `first` says where, as the record reference does.
                    crate::source::RecordRef {
                        row: u64::from(row),
                        line: (line > 0).then_some(u64::from(line)),
                        fid: None,
                    }
                }) {
                    Some(first) => probs.push(problem(
                        src,
                        rec.at,
                        &layer.key.join("+"),
                        key.clone(),
                        Rule::DuplicateId,
                        format!("duplicate key {key:?}: first at {first}"),
                    )),
                    None => {
                        let small = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
                        self.seen
                            .insert(kh, (small(rec.at.row), small(rec.at.line.unwrap_or(0))));
                    }
                }
            }
            if probs.is_empty() {
                if is_admin {
                    self.against_loaded(&key, &mut geom, &values, &who, report);
                }
                if let Some(code) = unknown_unit {
                    self.unknown_units += 1;
                    if self.unknown_first.is_none() {
                        self.unknown_first = Some(format!("{} {code}", rec.at));
                    }
                }
                if let Some(g) = geom.as_ref() {
                    if layer.geometry != Geom::None {
                        let (t, v) = if is_admin {
                            admin_own_codes(&values)
                        } else {
                            self.admin.map(|a| a.assign(g)).unwrap_or((None, None))
                        };
                        values.push(t.into());
                        values.push(v.into());
                    }
                } else if is_admin {
                    let (t, v) = admin_own_codes(&values);
                    values.push(t.into());
                    values.push(v.into());
                } else if layer.geometry != Geom::None {
                    values.push(FieldValue::Null);
                    values.push(FieldValue::Null);
                }
                let geom = geom.map(|g| promote(layer.geometry, g));
                sink(Valid { key, values, geom })?;
                report.loaded += 1;
            } else {
                report.rejected += 1;
                for mut pr in probs {
                    pr.key = key_ok.then(|| key.clone());
                    report.problems.push(pr);
                }
            }
        }
        Ok(())
    }

    /// Admin units: strip the national prefix `156`, check the code's form and that
    /// it lies in the census's area, default level and parent from it, flag a name
    /// whose suffix contradicts the level.
    fn admin_derive(
        &mut self,
        values: &mut [FieldValue],
        rec: &SrcRecord,
        report: &mut IngestReport,
        probs: &mut Vec<Problem>,
    ) {
        let src = self.source.as_str();
        let FieldValue::String(mut code) = values[0].clone() else {
            return;
        };
        if let Some(rest) = crate::codes::strip_national_prefix(&code) {
            if self.prefixed_first.is_none() {
                self.prefixed_first = Some(format!("{} {code} → {rest}", rec.at));
            }
            self.prefixed += 1;
            code = rest.to_string();
            values[0] = FieldValue::String(code.clone());
        }
        let ok = matches!(code.len(), 6 | 9 | 12) && code.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            probs.push(problem(
                src,
                rec.at,
                "code",
                code,
                Rule::Type,
                "an admin code has 6 (county), 9 (township) or 12 (village) digits".into(),
            ));
            return;
        }
        let census = self.census_code.as_str();
        if !crate::codes::belongs(&code, census) {
            if self.p.allow_foreign {
                self.foreign_loaded += 1;
            } else {
                probs.push(problem(
                    src,
                    rec.at,
                    "code",
                    code.clone(),
                    Rule::ForeignCode,
                    format!(
                        "admin code {code} is not inside the census area {census} (whose codes start with {}); give --allow-foreign to load units of neighbouring areas",
                        crate::codes::area_prefix(census)
                    ),
                ));
            }
        }
        let level = crate::codes::level_of(&code).expect("6, 9 or 12 digits");
        if values[2] == FieldValue::Null {
            values[2] = FieldValue::String(level.into());
        }
        if values[3] == FieldValue::Null && code.len() > 6 {
            values[3] = FieldValue::String(code[..code.len() - 3].to_string());
        }
        if let FieldValue::String(name) = &values[1] {
            if let Some((suffix, belongs_to, expected)) = crate::codes::suffix_conflict(name, level)
            {
                self.suffix_flags += 1;
                if self.suffix_flags <= MAX_RECORD_NOTES {
                    report.notes.push(format!(
                        "{src}: {} (code {code}): the name {name:?} ends in {suffix}, a {belongs_to}-level suffix, but a {}-digit code is a {level} (expected {expected}): check the code or the name (loaded as delivered)",
                        rec.at,
                        code.len()
                    ));
                }
            }
        }
    }

    /// A record keyed by the admin code of a township or village
    /// (`community_capacity`, code first): the national prefix `156` stripped, 9 or
    /// 12 digits (rule `type`), inside the census area (rule `foreign_code` unless
    /// `allow_foreign`). Returns the code when admin units are loaded and it is not
    /// one of them: counted for a note if the record loads, never rejected (nothing
    /// can place the record until its unit is loaded, but the survey holds it).
    fn unit_code(
        &mut self,
        values: &mut [FieldValue],
        rec: &SrcRecord,
        probs: &mut Vec<Problem>,
    ) -> Option<String> {
        let src = self.source.as_str();
        let FieldValue::String(raw) = &values[0] else {
            return None;
        };
        let mut code = raw.trim().to_string();
        if let Some(rest) = crate::codes::strip_national_prefix(&code) {
            if self.prefixed_first.is_none() {
                self.prefixed_first = Some(format!("{} {code} → {rest}", rec.at));
            }
            self.prefixed += 1;
            code = rest.to_string();
        }
        values[0] = FieldValue::String(code.clone());
        let ok = matches!(code.len(), 9 | 12) && code.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            probs.push(problem(
                src,
                rec.at,
                "code",
                code,
                Rule::Type,
                format!(
                    "a {} record is a township (9-digit admin code) or a village (12 digits)",
                    self.p.layer.name
                ),
            ));
            return None;
        }
        let census = self.census_code.as_str();
        if !crate::codes::belongs(&code, census) {
            if self.p.allow_foreign {
                self.foreign_loaded += 1;
            } else {
                probs.push(problem(
                    src,
                    rec.at,
                    "code",
                    code.clone(),
                    Rule::ForeignCode,
                    format!(
                        "admin code {code} is not inside the census area {census} (whose codes start with {}); give --allow-foreign to load records of neighbouring areas",
                        crate::codes::area_prefix(census)
                    ),
                ));
                return None;
            }
        }
        self.loaded
            .filter(|u| !u.is_empty() && !u.contains_key(&code))
            .map(|_| code)
    }

    /// Compare a valid admin unit with the one loaded under the same code: a unit
    /// delivered without geometry keeps the loaded one; a geometry that fills an
    /// empty one is counted; one that moved more than [`MOVE_NOTE_M`] is reported.
    fn against_loaded(
        &mut self,
        key: &str,
        geom: &mut Option<geo::Geometry<f64>>,
        values: &[FieldValue],
        who: &str,
        report: &mut IngestReport,
    ) {
        use geo::{Centroid, Distance, Euclidean};
        let Some(loaded) = self.loaded.as_ref().and_then(|m| m.get(key)) else {
            return;
        };
        match (geom.as_ref(), loaded) {
            (None, Some(old)) => {
                *geom = Some(old.clone());
                self.kept += 1;
            }
            (Some(_), None) => self.attached += 1,
            (Some(new), Some(old)) => {
                if let (Some(a), Some(b)) = (new.centroid(), old.centroid()) {
                    let d = Euclidean.distance(a, b);
                    if d > MOVE_NOTE_M {
                        let name = match &values[1] {
                            FieldValue::String(n) => format!(" {n}"),
                            _ => String::new(),
                        };
                        report.notes.push(format!(
                            "{}: {who}: admin unit {key}{name} moved {d:.0} m against the loaded one (centroid distance in the census CRS, more than {MOVE_NOTE_M:.0} m): check the source CRS (GCJ-02/BD-09 web-map offsets are a few hundred metres); loaded as delivered",
                            self.source
                        ));
                    }
                }
            }
            (None, None) => {}
        }
    }

    /// Notes that sum up the whole source (after the last record).
    fn finish(&self, report: &mut IngestReport) {
        let src = &self.source;
        if let Some(first) = &self.prefixed_first {
            report.notes.push(format!(
                "{src}: {} admin code(s) carried the national prefix 156 of web-map exports and were stripped (first: {first})",
                self.prefixed
            ));
        }
        if self.suffix_flags > MAX_RECORD_NOTES {
            report.notes.push(format!(
                "{src}: {} more admin names whose suffix contradicts the level (not listed)",
                self.suffix_flags - MAX_RECORD_NOTES
            ));
        }
        if self.foreign_loaded > 0 {
            report.notes.push(format!(
                "{src}: {} admin unit(s) outside the census area {} loaded (--allow-foreign)",
                self.foreign_loaded, self.census_code
            ));
        }
        if let Some(first) = &self.zm_first {
            report.notes.push(format!(
                "{src}: {} geometries with Z or M values loaded in 2-D, Z/M dropped (first: {first})",
                self.zm
            ));
        }
        if self.attached > 0 {
            report.notes.push(format!(
                "{src}: {} admin unit(s) loaded earlier without geometry (a code list) got their geometry from this source",
                self.attached
            ));
        }
        if self.kept > 0 {
            report.notes.push(format!(
                "{src}: {} admin unit(s) delivered without geometry keep the geometry already loaded",
                self.kept
            ));
        }
        if self.p.layer.name == COMMUNITY_CAPACITY {
            if self.loaded.is_none_or(|u| u.is_empty()) {
                report.notes.push(format!(
                    "{src}: no admin units are loaded yet: the codes were not checked against them (ingest admin_units first to have them checked)"
                ));
            } else if let Some(first) = &self.unknown_first {
                report.notes.push(format!(
                    "{src}: {} record(s) name an admin code that is not among the loaded admin units (first: {first}): check the code, or load the unit's code list or boundary; loaded as delivered",
                    self.unknown_units
                ));
            }
        }
    }

    fn p_grid_crs(&self) -> &str {
        "the census CRS"
    }
}

/// Notes naming single records stop after this many of a kind; a count follows.
const MAX_RECORD_NOTES: u64 = 20;

/// A re-delivered admin unit whose centroid moved more than this (metres, census
/// CRS) against the loaded one is reported.
pub const MOVE_NOTE_M: f64 = 100.0;

/// The largest relative change of area (0.1 %) a MakeValid repair may make for the
/// repaired polygon to be loaded.
pub const REPAIR_MAX_AREA_CHANGE: f64 = 1e-3;

/// `|after − before|` relative to the larger of the two areas (bounded by 1, and
/// defined for a bow-tie whose signed parts cancel to an area of 0).
fn rel_change(before: f64, after: f64) -> f64 {
    let base = before.max(after);
    if base > 0.0 {
        (after - before).abs() / base
    } else {
        0.0
    }
}

/// A relative change as a percentage for people: `0.0123 %`, or `< 0.0001 %` for the
/// rounding-level changes of a repair of repeated vertices.
fn percent(rel: f64) -> String {
    let p = rel * 100.0;
    if p > 0.0 && p < 1e-4 {
        "< 0.0001 %".into()
    } else {
        format!("{p:.4} %")
    }
}

/// A polygon that GEOS finds invalid, repaired: `Ok(None)` when it is valid (or not
/// a polygon), `Ok(Some((repaired, area before, area after)))` when MakeValid's
/// polygonal parts change the area by at most [`REPAIR_MAX_AREA_CHANGE`], and the
/// reason otherwise. Areas are in the geometry's units squared (m² in the census
/// CRS).
fn repair_polygon(
    g: &geo::Geometry<f64>,
) -> Result<Option<(geo::Geometry<f64>, f64, f64)>, String> {
    use geo::Geometry as G;
    if !matches!(g, G::Polygon(_) | G::MultiPolygon(_)) {
        return Ok(None);
    }
    if riskcensus_io::vector_read::is_valid(g)? {
        return Ok(None);
    }
    let before = g.unsigned_area();
    let Some(fixed) = riskcensus_io::vector_read::make_valid_polygonal(g)? else {
        return Err(format!(
            "invalid polygon (self-intersection): MakeValid (GEOS) leaves no polygon (area {:.3} km² as delivered); fix the boundary in the source",
            before / 1e6
        ));
    };
    let after = fixed.unsigned_area();
    let change = rel_change(before, after);
    if change <= REPAIR_MAX_AREA_CHANGE {
        Ok(Some((fixed, before, after)))
    } else {
        Err(format!(
            "invalid polygon (self-intersection): MakeValid (GEOS; polygonal parts) would change the area by {:.3} km² ({:.2} %), from {:.3} km² to {:.3} km² in the census CRS, more than the {} % a safe repair may; fix the boundary in the source",
            (after - before).abs() / 1e6,
            change * 100.0,
            before / 1e6,
            after / 1e6,
            REPAIR_MAX_AREA_CHANGE * 100.0
        ))
    }
}

/// Single → multi for line and polygon tables.
fn promote(g: Geom, geom: geo::Geometry<f64>) -> geo::Geometry<f64> {
    match (g, geom) {
        (Geom::Line, geo::Geometry::LineString(l)) => geo::MultiLineString(vec![l]).into(),
        (Geom::Polygon, geo::Geometry::Polygon(p)) => geo::MultiPolygon(vec![p]).into(),
        (_, other) => other,
    }
}

/// Check the geometry type, emptiness, finiteness and degenerate lines (validity and
/// repair of polygons come after projection: [`repair_polygon`]).
fn check_geometry(want: Geom, g: &geo::Geometry<f64>) -> Result<geo::Geometry<f64>, String> {
    use geo::Geometry as G;
    let g = match g {
        G::MultiPoint(m) if m.0.len() == 1 => G::Point(m.0[0]),
        other => other.clone(),
    };
    let fits = match want {
        Geom::Point => matches!(g, G::Point(_)),
        Geom::Line => matches!(g, G::LineString(_) | G::MultiLineString(_)),
        Geom::Polygon => matches!(g, G::Polygon(_) | G::MultiPolygon(_)),
        Geom::Any => true,
        Geom::None => true,
    };
    if !fits {
        return Err(format!(
            "a {} geometry where the layer holds {want:?}",
            kind_name(&g)
        ));
    }
    use geo::CoordsIter;
    if g.coords_count() == 0 {
        return Err("empty geometry".into());
    }
    if g.coords_iter()
        .any(|c| !c.x.is_finite() || !c.y.is_finite())
    {
        return Err("non-finite coordinate".into());
    }
    let lines: Vec<&geo::LineString<f64>> = match &g {
        G::LineString(l) => vec![l],
        G::MultiLineString(m) => m.0.iter().collect(),
        _ => vec![],
    };
    for (i, l) in lines.iter().enumerate() {
        let part = if lines.len() > 1 {
            format!(" (part {})", i + 1)
        } else {
            String::new()
        };
        match l.0.as_slice() {
            [] => return Err(format!("invalid line{part}: no points")),
            [c] => {
                return Err(format!(
                    "invalid line{part}: one point ({}, {}); a line needs two distinct points",
                    c.x, c.y
                ))
            }
            [c, rest @ ..] if rest.iter().all(|r| r == c) => {
                return Err(format!(
                    "invalid line{part}: zero length ({} points all at ({}, {}))",
                    rest.len() + 1,
                    c.x,
                    c.y
                ))
            }
            _ => {}
        }
    }
    Ok(g)
}

fn kind_name(g: &geo::Geometry<f64>) -> &'static str {
    use geo::Geometry as G;
    match g {
        G::Point(_) => "point",
        G::MultiPoint(_) => "multipoint",
        G::LineString(_) | G::Line(_) => "line",
        G::MultiLineString(_) => "multiline",
        G::Polygon(_) | G::Rect(_) | G::Triangle(_) => "polygon",
        G::MultiPolygon(_) => "multipolygon",
        G::GeometryCollection(_) => "geometry collection",
    }
}

fn admin_own_codes(values: &[FieldValue]) -> (Option<String>, Option<String>) {
    let FieldValue::String(code) = &values[0] else {
        return (None, None);
    };
    (
        (code.len() >= 9).then(|| code[..9].to_string()),
        (code.len() == 12).then(|| code.clone()),
    )
}
