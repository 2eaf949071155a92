//! `census.toml`: the census workspace file — who the census is for, the census
//! grid, the survey sources and the options of the stages. Every key is documented
//! in `docs/census-toml.md` (type, unit, default, example); a test checks that the
//! document and these types name the same keys.
//!
//! Paths are relative to the census folder. Unknown keys are errors that name the
//! file, line and key. This module checks what needs no GDAL (well-formed and unique
//! ids, files present, option ranges, the grid's shape); the engine adds the checks
//! that do (the grid's CRS is projected, a resampling method suits its layer).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use riskcensus_core::GridSpec;
use serde::{Deserialize, Serialize};

use crate::layout::CENSUS_FILE;

/// An error reading `census.toml`: the file, and what is wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum CensusTomlError {
    /// The file cannot be read.
    #[error("{path}: cannot read the census configuration")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not fit the schema (the message names the
    /// line and key).
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// TOML's message, with line, column and key.
        message: String,
        /// The cause.
        #[source]
        source: toml::de::Error,
    },
    /// The file parses but its values are wrong; every problem is listed.
    #[error("{path}: {}", problems.join("; "))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// One message per problem, each naming its section and key.
        problems: Vec<String>,
    },
}

/// `census.toml` as typed data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensusFile {
    /// `[census]`: who the census is for.
    pub census: CensusInfo,
    /// `[grid]`: the census grid (projected CRS in metres, north-up, square cells).
    pub grid: GridSpec,
    /// `[[raster]]`: raster survey layers, warped onto the census grid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub raster: Vec<RasterSource>,
    /// `[[vector]]`: vector survey layers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vector: Vec<VectorSource>,
    /// `[[table]]`: CSV survey tables, optionally with point coordinates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub table: Vec<TableSource>,
    /// `[zoning]`: how level grids are cleaned into mappable zones.
    #[serde(default, skip_serializing_if = "ZoningOptions::is_default")]
    pub zoning: ZoningOptions,
}

/// `[census]`: who the census is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensusInfo {
    /// Name of the county or city, e.g. `演示县 Demo County`.
    pub name: String,
    /// Admin code of the county or city (GB/T 2260, 6 digits).
    pub code: String,
    /// Seed of the generator that made the data, when synthetic (the demo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Date of the survey data (`YYYY-MM-DD`), printed on the maps; default: the
    /// day of the last batch loaded into the census database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// How a raster layer's values behave under resampling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RasterKind {
    /// Measured quantities (elevation, rainfall): bilinear, cubic or average.
    Continuous,
    /// Class codes (land cover, lithology): nearest or mode.
    Categorical,
    /// Counts per cell (population): sum.
    Count,
}

/// `[[raster]]`: a raster survey layer; its `id` is its layer id in the stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterSource {
    /// Layer id (1 to 64 ASCII letters, digits, `_`, `-`: it names files), the name models use for it.
    pub id: String,
    /// File, relative to the census folder.
    pub path: PathBuf,
    /// How values resample.
    pub kind: RasterKind,
    /// GDAL warp method; default by kind (bilinear, nearest, sum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resampling: Option<String>,
    /// Unit of the values (`m`, `mm`, `persons`, `class` …), checked against the
    /// models that read the layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<String>,
    /// What the layer is, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Geometry type of a vector survey layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeometryKind {
    /// Points.
    Point,
    /// Lines.
    Line,
    /// Polygons.
    Polygon,
}

/// `[[vector]]`: a GeoPackage / Shapefile / GeoJSON survey layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorSource {
    /// Source id (1 to 64 ASCII letters, digits, `_`, `-`: it names files).
    pub id: String,
    /// File, relative to the census folder.
    pub path: PathBuf,
    /// What the layer holds: the census table it is loaded into (one of
    /// [`SOURCE_KINDS`]), or [`REFERENCE_KIND`] for a layer a stage reads from its
    /// file without loading it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Layer inside a multi-layer file (GeoPackage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Geometry type.
    pub geometry: GeometryKind,
    /// Text encoding of the attributes (`GBK`, `UTF-8`); a Shapefile's `.cpg` wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// What the layer is, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `[[table]]`: a CSV survey table, optionally with point coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSource {
    /// Source id (1 to 64 ASCII letters, digits, `_`, `-`: it names files).
    pub id: String,
    /// File, relative to the census folder.
    pub path: PathBuf,
    /// What the table holds: the census table it is loaded into (one of
    /// [`SOURCE_KINDS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Column of the x coordinate (easting or longitude).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// Column of the y coordinate (northing or latitude).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// CRS of the coordinates (`EPSG:4490`, `GCJ02`, `BD09` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// Text encoding (`GBK`, `UTF-8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// What the table is, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The kind of a vector source that is read by a stage from its file and not
/// loaded into the census database (e.g. site-class polygons for Vs30).
pub const REFERENCE_KIND: &str = "reference";

/// The kinds a `[[vector]]` or `[[table]]` source may declare: every census table
/// (`riskcensus_contracts::tables::census::ALL`); vectors may also be
/// [`REFERENCE_KIND`].
pub const SOURCE_KINDS: &[&str] = crate::tables::census::ALL;

/// `[zoning]`: how level grids are cleaned into mappable zones.
///
/// ```toml
/// [zoning]
/// mmu_m2 = 100000          # minimum mapping unit, m² (GDAL sieve; default 10 ha)
/// majority_filter = true   # one 8-neighbour majority pass before the sieve (default false)
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ZoningOptions {
    /// Minimum mapping unit, m² (default 0.1 km² = 10 ha): regions smaller than
    /// this merge into their largest neighbour.
    pub mmu_m2: f64,
    /// Apply one pass of the 8-neighbour strict-majority filter before the sieve.
    pub majority_filter: bool,
}

impl Default for ZoningOptions {
    fn default() -> Self {
        Self {
            mmu_m2: 1.0e5,
            majority_filter: false,
        }
    }
}

impl ZoningOptions {
    /// True for the defaults (the section is then not written).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl CensusFile {
    /// Read and check `<dir>/census.toml` ([`CensusFile::parse`], then
    /// [`CensusFile::problems`]).
    pub fn load(dir: &Path) -> Result<Self, CensusTomlError> {
        let path = dir.join(CENSUS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| CensusTomlError::Read {
            path: path.clone(),
            source,
        })?;
        let file = Self::parse(&text, &path)?;
        let problems = file.problems(dir);
        if !problems.is_empty() {
            return Err(CensusTomlError::Invalid { path, problems });
        }
        Ok(file)
    }

    /// Parse `census.toml` text (`path` names the file in errors). Unknown keys and
    /// wrong types are errors naming the line and key.
    pub fn parse(text: &str, path: &Path) -> Result<Self, CensusTomlError> {
        toml::from_str(text).map_err(|source: toml::de::Error| CensusTomlError::Parse {
            path: path.to_path_buf(),
            message: source.to_string().trim_end().to_string(),
            source,
        })
    }

    /// Every problem of the parsed file that needs no GDAL, each naming its section
    /// and key: the grid's shape, ids (well-formed, unique), source files present
    /// (relative to `dir`), option ranges.
    pub fn problems(&self, dir: &Path) -> Vec<String> {
        let mut problems = Vec::new();
        if let Err(e) = self.grid.validate() {
            problems.push(format!("[grid]: {e}"));
        }
        let mut ids = BTreeSet::new();
        for (kind, id, p) in self.sources() {
            if let Err(e) = riskcensus_core::names::check_id(&format!("[[{kind}]] id"), id) {
                problems.push(e.to_string());
            }
            if !ids.insert(id) {
                problems.push(format!("[[{kind}]] id {id:?} is used twice"));
            }
            if !dir.join(p).exists() {
                problems.push(format!(
                    "[[{kind}]] {id}: file {} does not exist",
                    p.display()
                ));
            }
        }
        let kinds = || format!("{}, or {REFERENCE_KIND} (vectors)", SOURCE_KINDS.join(", "));
        let sources = self
            .vector
            .iter()
            .map(|v| ("vector", &v.id, &v.kind))
            .chain(self.table.iter().map(|t| ("table", &t.id, &t.kind)));
        for (section, id, kind) in sources {
            match kind.as_deref() {
                None => problems.push(format!(
                    "[[{section}]] {id}: no kind: name what it holds, one of {}",
                    kinds()
                )),
                Some(k) if SOURCE_KINDS.contains(&k) => {}
                Some(k) if k == REFERENCE_KIND && section == "vector" => {}
                Some(k) => problems.push(format!(
                    "[[{section}]] {id}: unknown kind {k:?}: expected one of {}",
                    kinds()
                )),
            }
        }
        if !(self.zoning.mmu_m2.is_finite() && self.zoning.mmu_m2 >= 0.0) {
            problems.push(format!(
                "[zoning] mmu_m2 = {}: must be a finite area ≥ 0 m²",
                self.zoning.mmu_m2
            ));
        }
        problems
    }

    /// The census table a vector or table source is loaded into (its `kind`), `None`
    /// for a reference layer, a raster or an unknown id.
    pub fn table_of(&self, source_id: &str) -> Option<&str> {
        self.vector
            .iter()
            .filter(|v| v.id == source_id)
            .map(|v| &v.kind)
            .chain(
                self.table
                    .iter()
                    .filter(|t| t.id == source_id)
                    .map(|t| &t.kind),
            )
            .flatten()
            .map(String::as_str)
            .find(|k| SOURCE_KINDS.contains(k))
    }

    /// Every source as (section, id, path), rasters, vectors, then tables.
    pub fn sources(&self) -> impl Iterator<Item = (&'static str, &str, &Path)> {
        self.raster
            .iter()
            .map(|r| ("raster", r.id.as_str(), r.path.as_path()))
            .chain(
                self.vector
                    .iter()
                    .map(|v| ("vector", v.id.as_str(), v.path.as_path())),
            )
            .chain(
                self.table
                    .iter()
                    .map(|t| ("table", t.id.as_str(), t.path.as_path())),
            )
    }

    /// The file as TOML text (keys in schema order, optional keys left out when
    /// unset), after `header` (comment lines, each starting with `#`).
    pub fn to_toml(&self, header: &str) -> Result<String, toml::ser::Error> {
        Ok(format!("{header}{}", toml::to_string(self)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const GOOD: &str = r#"
[census]
name = "演示县"
code = "370999"
[grid]
crs = "EPSG:4548"
x_min = 484000.0
y_max = 4020000.0
cell_size = 30.0
rows = 10
cols = 10
[[vector]]
id = "rivers"
path = "rivers.shp"
kind = "rivers"
geometry = "line"
[[table]]
id = "houses"
path = "houses.csv"
kind = "buildings"
"#;

    fn dir_with(files: &[&str]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for f in files {
            std::fs::write(d.path().join(f), b"x").unwrap();
        }
        d
    }

    /// A file with every key of the schema set (the compiler makes this literal
    /// follow the types: a new field cannot be forgotten here).
    fn every_key() -> CensusFile {
        CensusFile {
            census: CensusInfo {
                name: "n".into(),
                code: "370999".into(),
                seed: Some(1),
                date: Some("2026-06-30".into()),
            },
            grid: GridSpec::new("EPSG:4548", 0.0, 100.0, 10.0, 10, 10).unwrap(),
            raster: vec![RasterSource {
                id: "dem".into(),
                path: "dem.tif".into(),
                kind: RasterKind::Continuous,
                resampling: Some("bilinear".into()),
                units: Some("m".into()),
                description: Some("d".into()),
            }],
            vector: vec![VectorSource {
                id: "rivers".into(),
                path: "rivers.shp".into(),
                kind: Some("rivers".into()),
                layer: Some("l".into()),
                geometry: GeometryKind::Line,
                encoding: Some("GBK".into()),
                description: Some("d".into()),
            }],
            table: vec![TableSource {
                id: "houses".into(),
                path: "houses.csv".into(),
                kind: Some("buildings".into()),
                x: Some("lon".into()),
                y: Some("lat".into()),
                crs: Some("EPSG:4490".into()),
                encoding: Some("UTF-8".into()),
                description: Some("d".into()),
            }],
            zoning: ZoningOptions {
                mmu_m2: 5.0e4,
                majority_filter: true,
            },
        }
    }

    /// Keys per section of `docs/census-toml.md`: the first column of the tables under
    /// the headings ``## `[section]` ``.
    fn documented() -> BTreeMap<String, Vec<String>> {
        let doc = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/census-toml.md"),
        )
        .unwrap();
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut section: Option<String> = None;
        for line in doc.lines() {
            if let Some(h) = line.strip_prefix("## ") {
                section = h
                    .strip_prefix('`')
                    .and_then(|h| h.strip_suffix('`'))
                    .map(|s| s.trim_matches(['[', ']']).to_string());
                continue;
            }
            let (Some(s), Some(cell)) = (&section, line.strip_prefix("| `")) else {
                continue;
            };
            if let Some(key) = cell.split('`').next() {
                out.entry(s.clone()).or_default().push(key.to_string());
            }
        }
        out
    }

    #[test]
    fn the_document_names_exactly_the_keys_of_the_schema() {
        let v: toml::Table = toml::from_str(&every_key().to_toml("").unwrap()).unwrap();
        let mut schema: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (section, value) in &v {
            let table = match value {
                toml::Value::Table(t) => t,
                toml::Value::Array(a) => a[0].as_table().unwrap(),
                _ => panic!("{section} is not a section"),
            };
            schema.insert(section.clone(), table.keys().cloned().collect());
        }
        let mut doc = documented();
        for keys in doc.values_mut() {
            keys.sort();
        }
        assert_eq!(doc, schema, "docs/census-toml.md and the schema disagree");
    }

    #[test]
    fn parses_a_good_file_and_routes_sources_by_kind() {
        let d = dir_with(&["rivers.shp", "houses.csv"]);
        let f = CensusFile::parse(GOOD, Path::new("census.toml")).unwrap();
        assert!(
            f.problems(d.path()).is_empty(),
            "{:?}",
            f.problems(d.path())
        );
        assert_eq!(f.table_of("houses"), Some("buildings"));
        assert_eq!(f.table_of("rivers"), Some("rivers"));
        assert_eq!(f.table_of("dem"), None);
    }

    #[test]
    fn a_source_without_or_with_an_unknown_kind_names_it_and_the_kinds() {
        let d = dir_with(&["rivers.shp", "houses.csv"]);
        let text = GOOD
            .replace("kind = \"rivers\"\n", "")
            .replace("kind = \"buildings\"", "kind = \"houses\"");
        let f = CensusFile::parse(&text, Path::new("census.toml")).unwrap();
        let p = f.problems(d.path()).join("\n");
        assert!(p.contains("[[vector]] rivers: no kind"), "{p}");
        assert!(
            p.contains("[[table]] houses: unknown kind \"houses\""),
            "{p}"
        );
        assert!(
            p.contains("hidden_dangers") && p.contains("reference"),
            "{p}"
        );
        // A table cannot be a reference layer.
        let text = GOOD.replace("kind = \"buildings\"", "kind = \"reference\"");
        let p = CensusFile::parse(&text, Path::new("census.toml"))
            .unwrap()
            .problems(d.path())
            .join("\n");
        assert!(
            p.contains("[[table]] houses: unknown kind \"reference\""),
            "{p}"
        );
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let text = GOOD.replace(
            "geometry = \"line\"",
            "geometry = \"line\"\ncolour = \"red\"",
        );
        let e = CensusFile::parse(&text, Path::new("census.toml")).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("census.toml") && msg.contains("colour") && msg.contains("line 17"),
            "{msg}"
        );
    }

    #[test]
    fn missing_files_duplicate_ids_and_bad_options_are_all_reported() {
        let d = dir_with(&[]);
        let text = format!(
            "{GOOD}\n[[raster]]\nid = \"rivers\"\npath = \"x.tif\"\nkind = \"count\"\n[zoning]\nmmu_m2 = -1.0\n"
        );
        let f = CensusFile::parse(&text, Path::new("census.toml")).unwrap();
        let p = f.problems(d.path()).join("\n");
        for want in [
            "rivers.shp does not exist",
            "x.tif does not exist",
            "\"rivers\" is used twice",
            "mmu_m2 = -1",
        ] {
            assert!(p.contains(want), "{want}: {p}");
        }
    }
}
