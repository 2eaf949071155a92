//! Survey sources: CSV (parsed in Rust with the `csv` crate) and every OGR vector
//! format (GeoPackage, Shapefile, GeoJSON) read through `riskcensus_io::vector_read`
//! with attribute text decoded here.
//!
//! Encodings: a CSV is decoded with the encoding given (`--encoding`, mapping file),
//! else as UTF-8 when it is valid UTF-8, else as GBK. A Shapefile honours its `.cpg`;
//! without one, the given encoding, else UTF-8 when every text value is valid UTF-8,
//! else GBK — and the choice is reported. GeoPackage and GeoJSON text is UTF-8.

//!
//! Resource bounds: a CSV is read as a stream (memory bounded by its largest record,
//! not by the file); a CSV field or a vector text value longer than
//! [`MAX_FIELD_BYTES`] (16 MiB), or a CSV record longer than [`MAX_RECORD_BYTES`]
//! (64 MiB), stops the source with an error naming the file, the record and the field;
//! a source of more than [`MAX_SOURCE_RECORDS`] records is refused when its record
//! after the bound is read.

use std::path::{Path, PathBuf};

use riskcensus_io::vector_read::{GeomFacts, RawValue, VectorSource};

use crate::csv_read::{describe_bad_line, scan, CsvStream};
pub use crate::csv_read::{MAX_FIELD_BYTES, MAX_RECORD_BYTES, MAX_SOURCE_RECORDS};
use crate::error::SurveyError;
use crate::text::{decode_strict, encoding_for};

/// A source value before schema typing.
#[derive(Debug, Clone, PartialEq)]
pub enum SrcVal {
    /// No value: a null, an absent CSV cell, or blank text.
    Null,
    /// An integer field of a vector source.
    Int(i64),
    /// A real field of a vector source.
    Real(f64),
    /// Text, decoded and trimmed (every CSV value is text).
    Text(String),
}

impl SrcVal {
    /// The value as text, for messages and the rejects table.
    pub fn display(&self) -> String {
        match self {
            SrcVal::Null => String::new(),
            SrcVal::Int(i) => i.to_string(),
            SrcVal::Real(r) => r.to_string(),
            SrcVal::Text(s) => s.clone(),
        }
    }

    /// Bytes of text the value holds (0 for numbers and nulls).
    pub fn text_len(&self) -> usize {
        match self {
            SrcVal::Text(s) => s.len(),
            _ => 0,
        }
    }

    /// True for a null or whitespace-only text.
    pub fn is_blank(&self) -> bool {
        match self {
            SrcVal::Null => true,
            SrcVal::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// Where a record sits in its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordRef {
    /// 1-based data row (CSV) or 0-based feature index + 1 (vectors).
    pub row: u64,
    /// File line of a CSV row.
    pub line: Option<u64>,
    /// Feature id of a vector feature.
    pub fid: Option<u64>,
}

impl std::fmt::Display for RecordRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.fid) {
            (Some(l), _) => write!(f, "row {} (line {l})", self.row),
            (None, Some(fid)) => write!(f, "fid {fid}"),
            (None, None) => write!(f, "record {}", self.row),
        }
    }
}

/// A source record's location.
#[derive(Debug, Clone, PartialEq)]
pub enum SrcGeom {
    /// No location: a CSV without coordinate columns, or a feature without geometry.
    None,
    /// A vector feature's geometry, in the source CRS, `(x, y)` = (easting,
    /// northing) or (longitude, latitude).
    Geometry(geo::Geometry<f64>),
    /// The geometry could not be read.
    Broken(String),
    /// CSV coordinate columns `(x, y)` as trimmed text (both empty when the cells
    /// are blank), parsed during validation.
    Xy(String, String),
}

/// One record of a source, before schema typing.
#[derive(Debug, Clone, PartialEq)]
pub struct SrcRecord {
    /// Where the record sits in the source.
    pub at: RecordRef,
    /// One value per source column; [`SrcVal::Null`] for the missing cells of a
    /// short CSV row.
    pub values: Vec<SrcVal>,
    /// The record's location as read.
    pub geom: SrcGeom,
    /// `(fields in the row, fields in the header)` when a CSV row has the wrong
    /// number of fields.
    pub field_count: Option<(usize, usize)>,
    /// Z/M values dropped and rings closed in reading a vector geometry.
    pub facts: GeomFacts,
}

enum Kind {
    Csv {
        encoding: &'static encoding_rs::Encoding,
        x: Option<usize>,
        y: Option<usize>,
    },
    Vector {
        src: VectorSource,
        layer: Option<String>,
        encoding: &'static encoding_rs::Encoding,
    },
}

/// An opened, decoded source.
pub struct Source {
    /// The source file.
    pub path: PathBuf,
    /// Column names (CSV header or vector field names), decoded.
    pub columns: Vec<String>,
    /// The source's own CRS (vector layers), as WKT or `EPSG:n`.
    pub crs: Option<String>,
    /// The encoding text was decoded with, and how it was chosen.
    pub encoding: Option<(String, String)>,
    /// Number of features the source declares (vectors); 0 for CSV, whose rows are
    /// only counted while reading.
    pub declared: u64,
    /// `CSV`, or the OGR driver that opened the source (`GPKG`, `ESRI Shapefile`,
    /// `GeoJSON`).
    pub format: String,
    /// SHA-256 (hex) of the source file; of `.shp`, `.shx`, `.dbf`, `.prj` and
    /// `.cpg` together for a Shapefile.
    pub sha256: String,
    kind: Kind,
}

/// Options that affect how a source is read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Text encoding of a CSV or Shapefile (`GBK`, `UTF-8`); `None` detects it. A
    /// Shapefile's `.cpg` wins over both; GeoPackage and GeoJSON text is UTF-8.
    pub encoding: Option<String>,
    /// Layer to read inside a multi-layer source; `None` reads the only layer (a
    /// source with several layers is then an error that lists them).
    pub source_layer: Option<String>,
    /// CSV column of x (easting or longitude); with `y`, replaces the detection of
    /// the usual pairs.
    pub x: Option<String>,
    /// CSV column of y (northing or latitude).
    pub y: Option<String>,
    /// Whether the target layer can hold a geometry (CSV coordinates are looked for).
    pub wants_geometry: bool,
    /// Whether coordinates are required (missing columns are an error).
    pub geometry_required: bool,
}

const XY_NAMES: &[(&str, &str)] = &[
    ("lon", "lat"),
    ("longitude", "latitude"),
    ("lng", "lat"),
    ("x", "y"),
    ("经度", "纬度"),
    ("东坐标", "北坐标"),
    ("easting", "northing"),
];

fn sidecar_digest(path: &Path) -> Result<String, SurveyError> {
    use sha2::{Digest, Sha256};
    let is_shp = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if !is_shp {
        return Ok(riskcensus_io::digest::file_sha256(path)?);
    }
    let mut h = Sha256::new();
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        let p = path.with_extension(ext);
        if p.exists() {
            h.update(ext.as_bytes());
            h.update(std::fs::read(&p).map_err(SurveyError::fs(&p))?);
        }
    }
    Ok(hex::encode(h.finalize()))
}

impl Source {
    /// Open `path`, decide its encoding and read its header.
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<Self, SurveyError> {
        if !path.exists() {
            return Err(SurveyError::Fs {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let meta = std::fs::metadata(path).map_err(SurveyError::fs(path))?;
        if meta.len() == 0 {
            return Err(SurveyError::Empty {
                path: path.to_path_buf(),
                what: "the file has 0 bytes".into(),
            });
        }
        match ext.as_str() {
            "csv" | "txt" => Self::open_csv(path, opts),
            "gpkg" | "shp" | "geojson" | "json" | "dbf" => Self::open_vector(path, opts),
            _ => Err(SurveyError::Format {
                path: path.to_path_buf(),
            }),
        }
    }

    fn open_csv(path: &Path, opts: &ReadOptions) -> Result<Self, SurveyError> {
        // One streaming pass: the digest, and which encodings decode the file.
        let (sha256, enc, encoding) = match &opts.encoding {
            Some(label) => {
                let enc = encoding_for(label).ok_or_else(|| SurveyError::Encoding {
                    path: path.to_path_buf(),
                    encoding: label.clone(),
                    detail: "unknown encoding name".into(),
                })?;
                let (sha, bad) = scan(path, &[enc])?;
                if let Some(b) = bad[0] {
                    return Err(SurveyError::Encoding {
                        path: path.to_path_buf(),
                        encoding: enc.name().into(),
                        detail: describe_bad_line(path, b),
                    });
                }
                (sha, enc, (enc.name().to_string(), "given".to_string()))
            }
            None => {
                let (sha, bad) = scan(path, &[encoding_rs::UTF_8, encoding_rs::GBK])?;
                match (bad[0], bad[1]) {
                    (None, _) => (
                        sha,
                        encoding_rs::UTF_8,
                        ("UTF-8".into(), "detected: valid UTF-8".into()),
                    ),
                    (Some(_), None) => (
                        sha,
                        encoding_rs::GBK,
                        (
                            "GBK".into(),
                            "detected: not valid UTF-8, decoded as GBK".into(),
                        ),
                    ),
                    (Some(_), Some(b)) => {
                        return Err(SurveyError::Encoding {
                            path: path.to_path_buf(),
                            encoding: "UTF-8 or GBK".into(),
                            detail: describe_bad_line(path, b),
                        })
                    }
                }
            }
        };
        let mut rdr = CsvStream::open(path, enc)?;
        let columns: Vec<String> = match rdr.next_record()? {
            Some(_) => (0..rdr.len())
                .map(|i| rdr.get(i).unwrap_or("").trim().to_string())
                .collect(),
            None => Vec::new(),
        };
        if columns.iter().all(|c| c.is_empty()) {
            return Err(SurveyError::Empty {
                path: path.to_path_buf(),
                what: "no header row".into(),
            });
        }
        let find = |name: &str| columns.iter().position(|c| c.eq_ignore_ascii_case(name));
        let (mut x, mut y) = (None, None);
        if opts.wants_geometry {
            match (&opts.x, &opts.y) {
                (Some(xn), Some(yn)) => {
                    x = find(xn);
                    y = find(yn);
                    if x.is_none() || y.is_none() {
                        return Err(SurveyError::NoCoordinates {
                            path: path.to_path_buf(),
                            looked: format!("{xn}/{yn}"),
                        });
                    }
                }
                _ => {
                    for (xn, yn) in XY_NAMES {
                        if let (Some(i), Some(j)) = (find(xn), find(yn)) {
                            (x, y) = (Some(i), Some(j));
                            break;
                        }
                    }
                    if x.is_none() && opts.geometry_required {
                        return Err(SurveyError::NoCoordinates {
                            path: path.to_path_buf(),
                            looked: XY_NAMES
                                .iter()
                                .map(|(a, b)| format!("{a}/{b}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        });
                    }
                }
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            columns,
            crs: None,
            encoding: Some(encoding),
            declared: 0,
            format: "CSV".into(),
            sha256,
            kind: Kind::Csv {
                encoding: enc,
                x,
                y,
            },
        })
    }

    fn open_vector(path: &Path, opts: &ReadOptions) -> Result<Self, SurveyError> {
        let src = VectorSource::open(path)?;
        let layer = opts.source_layer.clone();
        let info = src.info(layer.as_deref())?;
        let sha256 = sidecar_digest(path)?;
        let is_shp = src.driver() == "ESRI Shapefile";
        let cpg = path.with_extension("cpg");
        let (enc, how): (&'static encoding_rs::Encoding, String) = if !is_shp {
            (
                encoding_rs::UTF_8,
                format!("{} text is UTF-8", src.driver()),
            )
        } else if cpg.exists() {
            let label = std::fs::read_to_string(&cpg).map_err(SurveyError::fs(&cpg))?;
            let enc = encoding_for(&label).ok_or_else(|| SurveyError::Encoding {
                path: cpg.clone(),
                encoding: label.trim().to_string(),
                detail: "the .cpg names an unknown code page".into(),
            })?;
            (enc, format!("from {}", cpg.display()))
        } else if let Some(label) = &opts.encoding {
            let enc = encoding_for(label).ok_or_else(|| SurveyError::Encoding {
                path: path.to_path_buf(),
                encoding: label.clone(),
                detail: "unknown encoding name".into(),
            })?;
            (enc, "given (no .cpg)".into())
        } else {
            // Detect: UTF-8 if every text value (and field name) is valid UTF-8.
            let mut utf8 = info
                .raw_field_names
                .iter()
                .all(|n| std::str::from_utf8(n).is_ok());
            if utf8 {
                src.read::<SurveyError>(layer.as_deref(), |f| {
                    for v in &f.values {
                        if let RawValue::Text(b) = v {
                            if std::str::from_utf8(b).is_err() {
                                utf8 = false;
                            }
                        }
                    }
                    Ok(())
                })?;
            }
            if utf8 {
                (
                    encoding_rs::UTF_8,
                    "detected: no .cpg, all text valid UTF-8".into(),
                )
            } else {
                (
                    encoding_rs::GBK,
                    "detected: no .cpg and text is not valid UTF-8, decoded as GBK".into(),
                )
            }
        };
        let columns = info
            .raw_field_names
            .iter()
            .map(|n| {
                decode_strict(enc, n).ok_or_else(|| SurveyError::Encoding {
                    path: path.to_path_buf(),
                    encoding: enc.name().into(),
                    detail: format!("field name {:?}", String::from_utf8_lossy(n)),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let crs = info.crs_epsg.clone().or(info.crs_wkt.clone());
        Ok(Self {
            path: path.to_path_buf(),
            columns,
            crs,
            encoding: Some((enc.name().to_string(), how)),
            declared: info.feature_count,
            format: src.driver().to_string(),
            sha256,
            kind: Kind::Vector {
                src,
                layer,
                encoding: enc,
            },
        })
    }

    /// True for CSV sources.
    pub fn is_csv(&self) -> bool {
        matches!(self.kind, Kind::Csv { .. })
    }

    /// Read every record in order.
    pub fn for_each(
        &self,
        mut f: impl FnMut(SrcRecord) -> Result<(), SurveyError>,
    ) -> Result<u64, SurveyError> {
        match &self.kind {
            Kind::Csv { encoding, x, y } => {
                let mut rdr = CsvStream::open(&self.path, encoding)?;
                rdr.next_record()?; // the header
                rdr.set_names(self.columns.clone());
                let ncol = self.columns.len();
                let mut row = 0u64;
                while let Some(line) = rdr.next_record()? {
                    // Skip blank lines at the end of a file.
                    if rdr.len() == 1 && rdr.get(0).unwrap_or("").trim().is_empty() {
                        continue;
                    }
                    row += 1;
                    let values: Vec<SrcVal> = (0..ncol)
                        .map(|i| match rdr.get(i) {
                            Some(s) if !s.trim().is_empty() => SrcVal::Text(s.trim().to_string()),
                            _ => SrcVal::Null,
                        })
                        .collect();
                    let geom = match (x, y) {
                        (Some(i), Some(j)) => SrcGeom::Xy(
                            rdr.get(*i).unwrap_or("").trim().to_string(),
                            rdr.get(*j).unwrap_or("").trim().to_string(),
                        ),
                        _ => SrcGeom::None,
                    };
                    let field_count = (rdr.len() != ncol).then_some((rdr.len(), ncol));
                    f(SrcRecord {
                        at: RecordRef {
                            row,
                            line: Some(line),
                            fid: None,
                        },
                        values,
                        geom,
                        field_count,
                        facts: GeomFacts::default(),
                    })?;
                }
                Ok(row)
            }
            Kind::Vector {
                src,
                layer,
                encoding,
            } => src.read::<SurveyError>(layer.as_deref(), |feat| {
                let mut values = Vec::with_capacity(feat.values.len());
                for (i, v) in feat.values.into_iter().enumerate() {
                    values.push(match v {
                        RawValue::Null => SrcVal::Null,
                        RawValue::Integer(i) => SrcVal::Int(i),
                        RawValue::Real(r) => SrcVal::Real(r),
                        RawValue::Text(b) => {
                            if b.len() > MAX_FIELD_BYTES {
                                return Err(SurveyError::TooLarge {
                                    path: self.path.clone(),
                                    what: format!(
                                        "feature {}, field {:?}: the value has {} bytes, more than {MAX_FIELD_BYTES} (16 MiB), the largest field a source may hold",
                                        feat.fid.unwrap_or(feat.index),
                                        self.columns.get(i).cloned().unwrap_or_default(),
                                        b.len()
                                    ),
                                });
                            }
                            let s = decode_strict(encoding, &b).ok_or_else(|| {
                                SurveyError::Encoding {
                                    path: self.path.clone(),
                                    encoding: encoding.name().into(),
                                    detail: format!(
                                        "feature {}, field {}: {:?}",
                                        feat.fid.unwrap_or(feat.index),
                                        self.columns.get(i).cloned().unwrap_or_default(),
                                        String::from_utf8_lossy(&b)
                                    ),
                                }
                            })?;
                            if s.trim().is_empty() {
                                SrcVal::Null
                            } else {
                                SrcVal::Text(s.trim().to_string())
                            }
                        }
                    });
                }
                let geom = match feat.geometry {
                    Ok(Some(g)) => SrcGeom::Geometry(g),
                    Ok(None) => SrcGeom::None,
                    Err(e) => SrcGeom::Broken(e),
                };
                f(SrcRecord {
                    at: RecordRef {
                        row: feat.index + 1,
                        line: None,
                        fid: feat.fid,
                    },
                    values,
                    geom,
                    field_count: None,
                    facts: feat.facts,
                })
            }),
        }
    }
}

/// True when the GeoJSON file at `path` has a (non-null) top-level `crs` member, the
/// pre-RFC 7946 way of declaring a CRS. Without one, RFC 7946 says WGS 84 and OGR
/// reads it so.
pub fn geojson_declares_crs(path: &Path) -> Result<bool, SurveyError> {
    #[derive(serde::Deserialize)]
    struct Top {
        crs: Option<serde::de::IgnoredAny>,
    }
    let f = std::fs::File::open(path).map_err(SurveyError::fs(path))?;
    // A file OGR read but serde cannot (comments, NaN) is treated as declaring none.
    Ok(
        serde_json::from_reader::<_, Top>(std::io::BufReader::new(f))
            .map(|t| t.crs.is_some())
            .unwrap_or(false),
    )
}

impl Source {
    /// True when a CSV has coordinate columns.
    pub fn has_xy(&self) -> bool {
        matches!(
            self.kind,
            Kind::Csv {
                x: Some(_),
                y: Some(_),
                ..
            }
        )
    }

    /// Names of the CSV coordinate columns.
    pub fn xy_names(&self) -> (Option<String>, Option<String>) {
        match &self.kind {
            Kind::Csv { x, y, .. } => (
                x.map(|i| self.columns[i].clone()),
                y.map(|i| self.columns[i].clone()),
            ),
            _ => (None, None),
        }
    }
}
