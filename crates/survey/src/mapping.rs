//! Mapping files: rename source fields to schema fields and translate the
//! surveyors' own code values to the schema's.
//!
//! ```toml
//! # all keys optional
//! encoding = "GBK"          # text encoding of the source
//! crs = "EPSG:4490"         # CRS of the source (or GCJ02 / BD09)
//! x = "经度"                 # CSV coordinate columns
//! y = "纬度"
//! source_layer = "房屋"      # layer inside a multi-layer source
//!
//! [fields]                  # source field = schema field
//! JZBH = "id"
//! JGLX = "structure"
//!
//! [values.structure]        # schema field → { source value = schema code or label }
//! "1" = "rc_frame"
//! "2" = "砖混"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::SurveyError;

/// A mapping file as read (the format is shown in the [module docs](self)).
/// Command-line options win over the file's `encoding`, `crs`, `x`, `y` and
/// `source_layer`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Text encoding of the source (`GBK`, `UTF-8`); a Shapefile's `.cpg` wins.
    #[serde(default)]
    pub encoding: Option<String>,
    /// CRS of the source (`EPSG:4490`, WKT, or `GCJ02` / `BD09`); overrides the
    /// source's own.
    #[serde(default)]
    pub crs: Option<String>,
    /// CSV column of x (easting or longitude).
    #[serde(default)]
    pub x: Option<String>,
    /// CSV column of y (northing or latitude).
    #[serde(default)]
    pub y: Option<String>,
    /// Layer to read inside a multi-layer source (GeoPackage); required when the
    /// source has more than one.
    #[serde(default)]
    pub source_layer: Option<String>,
    /// Source field name → schema field name.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Schema field → (source value → schema code or label).
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// Where the mapping was read from (for messages).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Mapping {
    /// Read and check a mapping file against the schema layer.
    pub fn load(path: &Path, layer: &crate::schema::Layer) -> Result<Self, SurveyError> {
        let text = std::fs::read_to_string(path).map_err(SurveyError::fs(path))?;
        let mut m: Mapping = toml::from_str(&text).map_err(|e| SurveyError::Mapping {
            path: path.to_path_buf(),
            msg: e.to_string().trim_end().to_string(),
        })?;
        m.path = Some(path.to_path_buf());
        let mut bad = Vec::new();
        for (src, dst) in &m.fields {
            if !layer.fields.iter().any(|f| f.name == dst) {
                bad.push(format!(
                    "[fields] {src} = {dst:?}: {dst:?} is not a field of {}",
                    layer.name
                ));
            }
        }
        for field in m.values.keys() {
            if !layer.fields.iter().any(|f| f.name == field) {
                bad.push(format!("[values.{field}]: not a field of {}", layer.name));
            }
        }
        if !bad.is_empty() {
            return Err(SurveyError::Mapping {
                path: path.to_path_buf(),
                msg: bad.join("; "),
            });
        }
        Ok(m)
    }
}
