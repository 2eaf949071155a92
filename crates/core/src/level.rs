//! Hazards and level schemes as data: the types a hazard declaration
//! (`models/<hazard>/hazard.toml`) and a level-scheme file (`models/common/levels.toml`)
//! are read into. No hazard and no scheme is named in code: the model library
//! (`riskcensus_models::library`) reads them from its files, so a new hazard or a new
//! scheme is a new file, not a new variant.
//!
//! Level rasters are u8 with 0 = nodata/outside and codes 1..=K, 1 the most severe
//! class (e.g. 1 = 高风险 … 5 = 低风险; 1 = 重点防治区 … 3 = 一般防治区).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A hazard of the census, as declared by `models/<hazard>/hazard.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardInfo {
    /// Identifier, snake_case: the prefix of the hazard's layer ids (`flood` →
    /// `flood_hazard`, `flood_risk`) and its folder in the model library.
    pub id: String,
    /// Chinese name for maps and reports (`"洪涝"`).
    pub name_zh: String,
    /// English name for maps and reports (`"Flood"`).
    pub name_en: String,
    /// Position in maps, tables and the report: the hazards of the plan in its order
    /// (drought, flood, wind and hail, typhoon, earthquake, geological, forest fire),
    /// the comprehensive risk last.
    pub order: u32,
    /// True for the comprehensive risk, which combines the single hazards.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub combined: bool,
}

/// The hazard a layer id belongs to among `hazards`: the one whose id is the layer
/// id or its prefix before `_`, the longest id first (`geohazard_risk` → geohazard,
/// not a hazard `geo`).
pub fn hazard_of_layer<'a>(
    hazards: impl IntoIterator<Item = &'a HazardInfo>,
    layer: &str,
) -> Option<&'a HazardInfo> {
    hazards
        .into_iter()
        .filter(|h| {
            layer
                .strip_prefix(h.id.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('_'))
        })
        .max_by_key(|h| h.id.len())
}

/// What the levels of a scheme measure. A hazard or susceptibility grid must never
/// carry a [`Measure::Risk`] scheme (nor a risk grid a hazard scheme).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Hazard (危险性) or susceptibility (易发性) levels.
    Hazard,
    /// Risk levels (风险).
    Risk,
    /// Prevention tiers (防治区).
    Prevention,
    /// Any other graded quantity (exposure, capacity …).
    Other,
}

/// One class of a level scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelClass {
    /// u8 code in level rasters (1-based, 1 most severe; 0 is nodata).
    pub code: u8,
    /// Chinese name shown on maps and in tables (`"高风险"`).
    pub name_zh: String,
    /// English name shown beside the Chinese one (`"I high"`).
    pub name_en: String,
    /// Colour for maps and GeoTIFF colour tables, written `"#RRGGBB"`.
    #[serde(
        rename = "colour",
        serialize_with = "hex_out",
        deserialize_with = "hex_in"
    )]
    pub rgb: [u8; 3],
}

/// A level scheme: the classes a level raster's codes stand for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelScheme {
    /// Identifier used by model files (`classification.scheme`), in raster metadata
    /// (`RISKCENSUS_LEVEL_SCHEME`) and in tables (`"risk5"`).
    pub id: String,
    /// What the levels measure.
    pub measures: Measure,
    /// Where the class names come from (a standard's clause, or this project's
    /// convention).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The classes in code order, code 1 first.
    #[serde(rename = "class")]
    pub classes: Vec<LevelClass>,
}

/// A scheme that is not well-formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("level scheme {id:?}: {problem}")]
pub struct SchemeError {
    /// The scheme's id.
    pub id: String,
    /// What is wrong.
    pub problem: String,
}

impl LevelScheme {
    /// The classes of the scheme in code order, 1 first.
    pub fn classes(&self) -> &[LevelClass] {
        &self.classes
    }

    /// Identifier used in metadata and manifests.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Number of classes, excluding the nodata code 0.
    pub fn count(&self) -> usize {
        self.classes.len()
    }

    /// The class of a code, `None` for 0 (nodata) or out of range.
    pub fn class(&self, code: u8) -> Option<&LevelClass> {
        self.classes.iter().find(|c| c.code == code)
    }

    /// Check the scheme: a non-empty snake_case id, 2..=254 classes coded 1..=K in
    /// order, non-empty names.
    pub fn validate(&self) -> Result<(), SchemeError> {
        let err = |problem: String| SchemeError {
            id: self.id.clone(),
            problem,
        };
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(err("the id must be non-empty [A-Za-z0-9_]".into()));
        }
        if !(2..=254).contains(&self.classes.len()) {
            return Err(err(format!(
                "{} classes: a scheme has 2 to 254",
                self.classes.len()
            )));
        }
        for (i, c) in self.classes.iter().enumerate() {
            if c.code as usize != i + 1 {
                return Err(err(format!(
                    "class {} has code {}: codes run 1, 2, … in order",
                    i + 1,
                    c.code
                )));
            }
            if c.name_zh.trim().is_empty() || c.name_en.trim().is_empty() {
                return Err(err(format!("class {} has an empty name", c.code)));
            }
        }
        Ok(())
    }

    /// A neutral scheme of `k` classes (`1级 level 1` …, red to green), for a
    /// classification whose model names no scheme: it labels nothing as hazard or
    /// risk. Its id is `levels<k>`.
    pub fn generic(k: usize) -> LevelScheme {
        let k = k.clamp(2, 254);
        let (hi, lo) = ([0xD7u8, 0x19, 0x1C], [0x1Au8, 0x96, 0x41]);
        let classes = (0..k)
            .map(|i| {
                let t = i as f64 / (k - 1) as f64;
                let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
                LevelClass {
                    code: (i + 1) as u8,
                    name_zh: format!("{}级", i + 1),
                    name_en: format!("level {}", i + 1),
                    rgb: [mix(hi[0], lo[0]), mix(hi[1], lo[1]), mix(hi[2], lo[2])],
                }
            })
            .collect();
        LevelScheme {
            id: format!("levels{k}"),
            measures: Measure::Other,
            source: None,
            classes,
        }
    }
}

fn hex_out<S: Serializer>(rgb: &[u8; 3], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("#{:02X}{:02X}{:02X}", rgb[0], rgb[1], rgb[2]))
}

fn hex_in<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 3], D::Error> {
    let s = String::deserialize(d)?;
    let bad = || serde::de::Error::custom(format!("colour {s:?}: expected \"#RRGGBB\""));
    let hex = s
        .strip_prefix('#')
        .filter(|h| h.len() == 6)
        .ok_or_else(bad)?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
    Ok([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_scheme_is_valid_and_neutral() {
        for k in [2, 3, 5, 9] {
            let s = LevelScheme::generic(k);
            s.validate().unwrap();
            assert_eq!(s.count(), k);
            assert_eq!(s.measures, Measure::Other);
            assert_eq!(s.class(1).unwrap().rgb, [0xD7, 0x19, 0x1C]);
            assert_eq!(s.class(k as u8).unwrap().rgb, [0x1A, 0x96, 0x41]);
            assert!(s.class(0).is_none());
        }
    }

    #[test]
    fn validation_names_the_problem() {
        let mut s = LevelScheme::generic(3);
        s.classes[1].code = 3;
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .contains("codes run 1, 2"));
        let mut s = LevelScheme::generic(3);
        s.id = "risk 5".into();
        assert!(s.validate().is_err());
        let mut s = LevelScheme::generic(3);
        s.classes.truncate(1);
        assert!(s.validate().unwrap_err().to_string().contains("1 classes"));
    }

    #[test]
    fn schemes_read_and_write_colours_as_hex() {
        let text = r##"
id = "t3"
measures = "hazard"
[[class]]
code = 1
name_zh = "高"
name_en = "high"
colour = "#D7191C"
[[class]]
code = 2
name_zh = "低"
name_en = "low"
colour = "#0a0B0c"
"##;
        let s: LevelScheme = toml::from_str(text).unwrap();
        s.validate().unwrap();
        assert_eq!(s.class(2).unwrap().rgb, [10, 11, 12]);
        assert!(toml::to_string(&s)
            .unwrap()
            .contains("colour = \"#0A0B0C\""));
        let e = toml::from_str::<LevelScheme>(&text.replace("#D7191C", "D7191C")).unwrap_err();
        assert!(e.to_string().contains("expected \"#RRGGBB\""), "{e}");
    }
}
