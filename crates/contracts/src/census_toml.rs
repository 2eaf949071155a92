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
    /// Layer id (letters, digits, `_`, `-`), the name models use for it.
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
    /// Source id (letters, digits, `_`, `-`).
    pub id: String,
    /// File, relative to the census folder.
    pub path: PathBuf,
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
    /// Source id (letters, digits, `_`, `-`).
    pub id: String,
    /// File, relative to the census folder.
    pub path: PathBuf,
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
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                problems.push(format!(
                    "[[{kind}]] id {id:?}: use letters, digits, '_' or '-'"
                ));
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
        if !(self.zoning.mmu_m2.is_finite() && self.zoning.mmu_m2 >= 0.0) {
            problems.push(format!(
                "[zoning] mmu_m2 = {}: must be a finite area ≥ 0 m²",
                self.zoning.mmu_m2
            ));
        }
        problems
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
