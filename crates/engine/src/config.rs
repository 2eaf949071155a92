//! The census workspace: a folder holding `census.toml` (study area, grid, survey
//! sources) beside the survey files it names. Parsed once into validated types;
//! unknown keys are errors that name the file, line and key.
//!
//! Paths in `census.toml` are relative to the census folder. The grid is north-up in
//! a projected CRS (metres); see [`riskcensus_core::GridSpec`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use riskcensus_core::GridSpec;
use riskcensus_io::Resampling;
use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// File name of the census configuration inside a census folder.
pub const CENSUS_FILE: &str = "census.toml";

/// `[census]`: who the census is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CensusInfo {
    pub name: String,
    /// Admin code of the county or city (GB/T 2260 style).
    pub code: String,
    /// Seed of the generator that made the data, when synthetic.
    #[serde(default)]
    pub seed: Option<u64>,
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

/// `[[raster]]`: a raster survey layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterSource {
    pub id: String,
    pub path: PathBuf,
    pub kind: RasterKind,
    /// GDAL warp method; defaults by kind (bilinear, nearest, sum).
    #[serde(default)]
    pub resampling: Option<String>,
    #[serde(default)]
    pub units: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

impl RasterSource {
    /// The validated resampling method for warping onto the census grid.
    pub fn resampling(&self) -> Result<Resampling, String> {
        let r = match &self.resampling {
            None => match self.kind {
                RasterKind::Continuous => Resampling::Bilinear,
                RasterKind::Categorical => Resampling::Nearest,
                RasterKind::Count => Resampling::Sum,
            },
            Some(name) => {
                Resampling::parse(name).ok_or_else(|| format!("unknown resampling {name:?}"))?
            }
        };
        let fits = match self.kind {
            RasterKind::Categorical => matches!(r, Resampling::Nearest | Resampling::Mode),
            RasterKind::Count => matches!(r, Resampling::Sum | Resampling::Nearest),
            RasterKind::Continuous => !matches!(r, Resampling::Mode | Resampling::Sum),
        };
        if !fits {
            return Err(format!(
                "resampling {:?} does not suit a {:?} layer",
                r.name(),
                self.kind
            ));
        }
        Ok(r)
    }
}

/// Geometry type of a vector survey layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeometryKind {
    Point,
    Line,
    Polygon,
}

/// `[[vector]]`: a GeoPackage / Shapefile / GeoJSON survey layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorSource {
    pub id: String,
    pub path: PathBuf,
    #[serde(default)]
    pub layer: Option<String>,
    pub geometry: GeometryKind,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `[[table]]`: a CSV survey table, optionally with point coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSource {
    pub id: String,
    pub path: PathBuf,
    #[serde(default)]
    pub x: Option<String>,
    #[serde(default)]
    pub y: Option<String>,
    #[serde(default)]
    pub crs: Option<String>,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CensusFile {
    census: CensusInfo,
    grid: GridSpec,
    #[serde(default)]
    raster: Vec<RasterSource>,
    #[serde(default)]
    vector: Vec<VectorSource>,
    #[serde(default)]
    table: Vec<TableSource>,
    #[serde(default)]
    zoning: ZoningOptions,
}

/// `[zoning]` of `census.toml`: how level grids are cleaned into mappable zones
/// (both optional).
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
    /// Apply one pass of the 8-neighbour strict-majority filter
    /// ([`riskcensus_kernels::majority`]) before the sieve.
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

/// A validated census workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct CensusConfig {
    /// The census folder (paths below are relative to it).
    pub dir: PathBuf,
    pub census: CensusInfo,
    pub grid: GridSpec,
    pub rasters: Vec<RasterSource>,
    pub vectors: Vec<VectorSource>,
    pub tables: Vec<TableSource>,
    pub zoning: ZoningOptions,
}

impl CensusConfig {
    /// Load `<dir>/census.toml` and validate it: known keys only, a valid projected
    /// grid, unique layer ids, valid resampling per raster, and every source file
    /// present.
    pub fn load(dir: &Path) -> Result<Self, EngineError> {
        let path = dir.join(CENSUS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| EngineError::Config {
            path: path.clone(),
            msg: format!("cannot read the census configuration: {e}"),
        })?;
        Self::parse(dir, &path, &text)
    }

    /// Parse configuration text (`path` is used in messages only).
    pub fn parse(dir: &Path, path: &Path, text: &str) -> Result<Self, EngineError> {
        let err = |msg: String| EngineError::Config {
            path: path.to_path_buf(),
            msg,
        };
        let file: CensusFile =
            toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
        file.grid
            .validate()
            .map_err(|e| err(format!("[grid]: {e}")))?;
        match riskcensus_io::crs::is_projected(&file.grid.crs) {
            Ok(true) => {}
            Ok(false) => {
                return Err(err(format!(
                    "[grid] crs {:?} is not projected: the census grid is in metres",
                    file.grid.crs
                )))
            }
            Err(e) => return Err(err(format!("[grid] crs: {e}"))),
        }
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        let all_ids = file
            .raster
            .iter()
            .map(|r| ("raster", &r.id, &r.path))
            .chain(file.vector.iter().map(|v| ("vector", &v.id, &v.path)))
            .chain(file.table.iter().map(|t| ("table", &t.id, &t.path)));
        for (kind, id, p) in all_ids {
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                problems.push(format!(
                    "[[{kind}]] id {id:?}: use letters, digits, '_' or '-'"
                ));
            }
            if !ids.insert(id.clone()) {
                problems.push(format!("[[{kind}]] id {id:?} is used twice"));
            }
            if !dir.join(p).exists() {
                problems.push(format!(
                    "[[{kind}]] {id}: file {} does not exist",
                    p.display()
                ));
            }
        }
        for r in &file.raster {
            if let Err(e) = r.resampling() {
                problems.push(format!("[[raster]] {}: {e}", r.id));
            }
        }
        if !(file.zoning.mmu_m2.is_finite() && file.zoning.mmu_m2 >= 0.0) {
            problems.push(format!(
                "[zoning] mmu_m2 = {}: must be a finite area ≥ 0 m²",
                file.zoning.mmu_m2
            ));
        }
        if !problems.is_empty() {
            return Err(err(problems.join("; ")));
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            census: file.census,
            grid: file.grid,
            rasters: file.raster,
            vectors: file.vector,
            tables: file.table,
            zoning: file.zoning,
        })
    }

    /// Absolute-or-relative path of a source file (joined onto the census folder).
    pub fn source_path(&self, rel: &Path) -> PathBuf {
        self.dir.join(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
[[raster]]
id = "dem"
path = "dem.tif"
kind = "continuous"
"#;

    fn dir_with(files: &[&str]) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for f in files {
            std::fs::write(d.path().join(f), b"x").unwrap();
        }
        d
    }

    #[test]
    fn parses_a_good_file() {
        let d = dir_with(&["dem.tif"]);
        let c = CensusConfig::parse(d.path(), Path::new("census.toml"), GOOD).unwrap();
        assert_eq!(c.grid.rows, 10);
        assert_eq!(c.rasters[0].resampling().unwrap(), Resampling::Bilinear);
    }

    #[test]
    fn zoning_section_is_optional_and_checked() {
        let d = dir_with(&["dem.tif"]);
        let c = CensusConfig::parse(d.path(), Path::new("census.toml"), GOOD).unwrap();
        assert_eq!(c.zoning, ZoningOptions::default());
        let text = format!("{GOOD}\n[zoning]\nmajority_filter = true\n");
        let c = CensusConfig::parse(d.path(), Path::new("census.toml"), &text).unwrap();
        assert!(c.zoning.majority_filter);
        assert_eq!(c.zoning.mmu_m2, 1.0e5);
        let text = format!("{GOOD}\n[zoning]\nmmu_m2 = -5.0\n");
        let msg = CensusConfig::parse(d.path(), Path::new("census.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("[zoning] mmu_m2 = -5"), "{msg}");
        let text = format!("{GOOD}\n[zoning]\nmajority = 3\n");
        let msg = CensusConfig::parse(d.path(), Path::new("census.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("majority"), "{msg}");
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let d = dir_with(&["dem.tif"]);
        let text = GOOD.replace(
            "kind = \"continuous\"",
            "kind = \"continuous\"\ncolour = \"red\"",
        );
        let e = CensusConfig::parse(d.path(), Path::new("census.toml"), &text).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("census.toml") && msg.contains("colour") && msg.contains("line 16"),
            "{msg}"
        );
        assert!(e.is_input_error());
    }

    #[test]
    fn missing_file_duplicate_id_bad_resampling_all_reported() {
        let d = dir_with(&[]);
        let text = format!("{GOOD}\n[[raster]]\nid = \"dem\"\npath = \"lc.tif\"\nkind = \"categorical\"\nresampling = \"bilinear\"\n");
        let msg = CensusConfig::parse(d.path(), Path::new("census.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("dem.tif does not exist"), "{msg}");
        assert!(msg.contains("used twice"), "{msg}");
        assert!(msg.contains("does not suit"), "{msg}");
    }

    #[test]
    fn geographic_grid_is_refused() {
        let d = dir_with(&["dem.tif"]);
        let text = GOOD.replace("EPSG:4548", "EPSG:4490");
        let msg = CensusConfig::parse(d.path(), Path::new("census.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("not projected"), "{msg}");
    }
}
