//! The census workspace: a folder holding `census.toml` (study area, grid, survey
//! sources) beside the survey files it names. Parsed once into validated types;
//! unknown keys are errors that name the file, line and key.
//!
//! Paths in `census.toml` are relative to the census folder. The grid is north-up in
//! a projected CRS (metres); see [`riskcensus_core::GridSpec`].

use std::path::{Path, PathBuf};

use riskcensus_contracts::census_toml::CensusFile;
pub use riskcensus_contracts::census_toml::{
    CensusInfo, GeometryKind, RasterKind, RasterSource, TableSource, VectorSource, ZoningOptions,
};
pub use riskcensus_contracts::layout::CENSUS_FILE;
use riskcensus_core::GridSpec;
use riskcensus_io::Resampling;

use crate::error::EngineError;

/// The validated resampling method for warping a raster source onto the census
/// grid: its `resampling`, or the default of its kind (bilinear, nearest, sum); an
/// error when the method does not suit the kind (a mode of rainfall, a bilinear
/// land-cover class).
pub fn resampling_of(r: &RasterSource) -> Result<Resampling, ResamplingError> {
    let m = match &r.resampling {
        None => match r.kind {
            RasterKind::Continuous => Resampling::Bilinear,
            RasterKind::Categorical => Resampling::Nearest,
            RasterKind::Count => Resampling::Sum,
        },
        Some(name) => Resampling::parse(name)
            .ok_or_else(|| ResamplingError::Unknown { name: name.clone() })?,
    };
    let fits = match r.kind {
        RasterKind::Categorical => matches!(m, Resampling::Nearest | Resampling::Mode),
        RasterKind::Count => matches!(m, Resampling::Sum | Resampling::Nearest),
        RasterKind::Continuous => !matches!(m, Resampling::Mode | Resampling::Sum),
    };
    if !fits {
        return Err(ResamplingError::Unsuited {
            method: m.name(),
            kind: r.kind,
        });
    }
    Ok(m)
}

/// Why [`resampling_of`] refused a raster source's resampling.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResamplingError {
    /// A method GDAL's warper does not know.
    #[error("unknown resampling {name:?}")]
    Unknown {
        /// The name given.
        name: String,
    },
    /// A method that does not suit the layer's kind.
    #[error("resampling {method:?} does not suit a {kind:?} layer")]
    Unsuited {
        /// The method.
        method: &'static str,
        /// The layer's kind.
        kind: RasterKind,
    },
}

/// A validated census workspace: `census.toml` ([`CensusFile`]) checked, with the
/// folder it lives in.
#[derive(Debug, Clone, PartialEq)]
pub struct CensusConfig {
    /// The census folder (paths below are relative to it).
    pub dir: PathBuf,
    /// `[census]`.
    pub census: CensusInfo,
    /// `[grid]`.
    pub grid: GridSpec,
    /// `[[raster]]` sources.
    pub rasters: Vec<RasterSource>,
    /// `[[vector]]` sources.
    pub vectors: Vec<VectorSource>,
    /// `[[table]]` sources.
    pub tables: Vec<TableSource>,
    /// `[zoning]`.
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
        let (config, problems) = Self::parse_lenient(dir, path, text)?;
        if !problems.is_empty() {
            return Err(EngineError::Config {
                path: path.to_path_buf(),
                msg: problems.join("; "),
            });
        }
        Ok(config)
    }

    /// Load `<dir>/census.toml` for a report on the census (`riskcensus status`):
    /// syntax, schema and grid errors are errors; the other problems (a source file
    /// missing, a duplicate id, a bad resampling) are returned beside the
    /// configuration.
    pub fn load_lenient(dir: &Path) -> Result<(Self, Vec<String>), EngineError> {
        let path = dir.join(CENSUS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| EngineError::Config {
            path: path.clone(),
            msg: format!("cannot read the census configuration: {e}"),
        })?;
        Self::parse_lenient(dir, &path, &text)
    }

    fn parse_lenient(
        dir: &Path,
        path: &Path,
        text: &str,
    ) -> Result<(Self, Vec<String>), EngineError> {
        let err = |msg: String| EngineError::Config {
            path: path.to_path_buf(),
            msg,
        };
        let file = CensusFile::parse(text, path).map_err(|e| match e {
            riskcensus_contracts::CensusTomlError::Parse { message, .. } => err(message),
            e => err(e.to_string()),
        })?;
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
        let mut problems = file.problems(dir);
        for r in &file.raster {
            if let Err(e) = resampling_of(r) {
                problems.push(format!("[[raster]] {}: {e}", r.id));
            }
        }
        let config = Self {
            dir: dir.to_path_buf(),
            census: file.census,
            grid: file.grid,
            rasters: file.raster,
            vectors: file.vector,
            tables: file.table,
            zoning: file.zoning,
        };
        Ok((config, problems))
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
        assert_eq!(resampling_of(&c.rasters[0]).unwrap(), Resampling::Bilinear);
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
