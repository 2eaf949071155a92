//! The hazards and level schemes of a model library, read from its files:
//!
//! - `<folder>/hazard.toml` declares one hazard ([`HazardInfo`]: id, Chinese and
//!   English names, order; `combined = true` for the comprehensive risk);
//! - `<folder>/levels.toml` declares level schemes (`[[scheme]]`, [`LevelScheme`]: id,
//!   what it measures, classes with names in both languages and colours).
//!
//! Model files name a scheme by id (`[classification] scheme`) and a hazard by id
//! (`hazard`); [`crate::ModelSpec::check_with`] resolves both against a
//! [`Vocabulary`]. Adding a hazard or a scheme is adding a file: nothing here names one.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use riskcensus_core::{HazardInfo, LevelScheme, SchemeError};
use serde::Deserialize;

/// File name of a hazard declaration.
pub const HAZARD_FILE: &str = "hazard.toml";
/// File name of a level-scheme file.
pub const LEVELS_FILE: &str = "levels.toml";

/// True for a library path that declares a hazard or level schemes (neither a
/// scoring model nor an operator's parameters).
pub fn is_declaration(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == HAZARD_FILE || name == LEVELS_FILE
}

/// A declaration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    /// The file is not valid TOML of its kind.
    #[error("{}: {source}", origin.display())]
    Parse {
        /// The file.
        origin: PathBuf,
        /// The parser's message (line, key).
        #[source]
        source: toml::de::Error,
    },
    /// A scheme is malformed.
    #[error("{}: {source}", origin.display())]
    Scheme {
        /// The file.
        origin: PathBuf,
        /// What is wrong with the scheme.
        #[source]
        source: SchemeError,
    },
    /// A hazard declaration is malformed (id not snake_case, names empty).
    #[error("{}: hazard {id:?}: {problem}", origin.display())]
    Hazard {
        /// The file.
        origin: PathBuf,
        /// The hazard's id.
        id: String,
        /// What is wrong.
        problem: String,
    },
    /// Two files declare the same hazard or scheme id.
    #[error("{what} {id:?} is declared twice: in {} and in {}", first.display(), second.display())]
    Duplicate {
        /// `hazard` or `level scheme`.
        what: &'static str,
        /// The id.
        id: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelsFile {
    scheme: Vec<LevelScheme>,
}

/// The hazards and level schemes of a library.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Vocabulary {
    hazards: Vec<(HazardInfo, PathBuf)>,
    schemes: Vec<(LevelScheme, PathBuf)>,
}

impl Vocabulary {
    /// Read the declarations among `files` (library path, text, origin for messages):
    /// every `hazard.toml` and `levels.toml`; other files are ignored. Hazards are
    /// sorted by order, then id.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str, &'a Path)>,
    ) -> Result<Self, VocabularyError> {
        let mut v = Vocabulary::default();
        for (path, text, origin) in files {
            let name = path.rsplit('/').next().unwrap_or(path);
            if name == HAZARD_FILE {
                let h: HazardInfo =
                    toml::from_str(text).map_err(|source| VocabularyError::Parse {
                        origin: origin.to_path_buf(),
                        source,
                    })?;
                check_hazard(&h, origin)?;
                if let Some((_, first)) = v.hazards.iter().find(|(x, _)| x.id == h.id) {
                    return Err(VocabularyError::Duplicate {
                        what: "hazard",
                        id: h.id,
                        first: first.clone(),
                        second: origin.to_path_buf(),
                    });
                }
                v.hazards.push((h, origin.to_path_buf()));
            } else if name == LEVELS_FILE {
                let f: LevelsFile =
                    toml::from_str(text).map_err(|source| VocabularyError::Parse {
                        origin: origin.to_path_buf(),
                        source,
                    })?;
                for s in f.scheme {
                    s.validate().map_err(|source| VocabularyError::Scheme {
                        origin: origin.to_path_buf(),
                        source,
                    })?;
                    if let Some((_, first)) = v.schemes.iter().find(|(x, _)| x.id == s.id) {
                        return Err(VocabularyError::Duplicate {
                            what: "level scheme",
                            id: s.id,
                            first: first.clone(),
                            second: origin.to_path_buf(),
                        });
                    }
                    v.schemes.push((s, origin.to_path_buf()));
                }
            }
        }
        v.hazards
            .sort_by(|(a, _), (b, _)| a.order.cmp(&b.order).then(a.id.cmp(&b.id)));
        Ok(v)
    }

    /// The vocabulary of the shipped library (read once; the shipped files are
    /// checked by this crate's tests, so this cannot fail at run time).
    pub fn shipped() -> &'static Vocabulary {
        static V: OnceLock<Vocabulary> = OnceLock::new();
        V.get_or_init(|| {
            let origins: Vec<(&str, &str, PathBuf)> = crate::library::SHIPPED
                .iter()
                .map(|(p, t)| (*p, *t, Path::new("models").join(p)))
                .collect();
            Vocabulary::from_files(origins.iter().map(|(p, t, o)| (*p, *t, o.as_path())))
                .expect("the shipped hazard and level-scheme files are valid")
        })
    }

    /// The hazards, in order (single hazards in the plan's order, combined last).
    pub fn hazards(&self) -> impl Iterator<Item = &HazardInfo> {
        self.hazards.iter().map(|(h, _)| h)
    }

    /// The hazard with this id.
    pub fn hazard(&self, id: &str) -> Option<&HazardInfo> {
        self.hazards().find(|h| h.id == id)
    }

    /// The level schemes, in file order.
    pub fn schemes(&self) -> impl Iterator<Item = &LevelScheme> {
        self.schemes.iter().map(|(s, _)| s)
    }

    /// The scheme with this id.
    pub fn scheme(&self, id: &str) -> Option<&LevelScheme> {
        self.schemes().find(|s| s.id == id)
    }

    /// The hazard a layer id belongs to: the declared hazard whose id is the layer id
    /// or its prefix before `_` (longest id first: `geohazard_risk` → `geohazard`).
    pub fn hazard_of_layer(&self, layer: &str) -> Option<&HazardInfo> {
        riskcensus_core::hazard_of_layer(self.hazards(), layer)
    }
}

fn check_hazard(h: &HazardInfo, origin: &Path) -> Result<(), VocabularyError> {
    let problem = if h.id.is_empty()
        || !h
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Some("the id must be non-empty snake_case [a-z0-9_]")
    } else if h.name_zh.trim().is_empty() || h.name_en.trim().is_empty() {
        Some("both names (name_zh, name_en) are required")
    } else {
        None
    };
    match problem {
        Some(p) => Err(VocabularyError::Hazard {
            origin: origin.to_path_buf(),
            id: h.id.clone(),
            problem: p.into(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use riskcensus_core::Measure;

    #[test]
    fn shipped_vocabulary_declares_the_census_hazards_and_schemes() {
        let v = Vocabulary::shipped();
        let ids: Vec<&str> = v.hazards().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "flood",
                "earthquake",
                "geohazard",
                "wildfire",
                "comprehensive"
            ]
        );
        assert!(v.hazard("comprehensive").unwrap().combined);
        assert_eq!(v.hazard("flood").unwrap().name_zh, "洪涝");
        let risk = v.scheme("risk5").unwrap();
        assert_eq!((risk.count(), risk.measures), (5, Measure::Risk));
        assert_eq!(risk.class(1).unwrap().name_zh, "高风险");
        assert_eq!(risk.class(5).unwrap().rgb, [0x1A, 0x96, 0x41]);
        let hazard = v.scheme("hazard5").unwrap();
        assert_eq!(hazard.measures, Measure::Hazard);
        assert!(hazard.classes().iter().all(|c| c.name_zh.ends_with("危险")));
        assert_eq!(v.scheme("geohazard4").unwrap().count(), 4);
        assert_eq!(v.scheme("prevention3").unwrap().count(), 3);
        assert_eq!(v.hazard_of_layer("geohazard_risk").unwrap().id, "geohazard");
        assert_eq!(v.hazard_of_layer("flood_hazard").unwrap().id, "flood");
        assert!(v.hazard_of_layer("exposure").is_none());
    }

    #[test]
    fn duplicate_and_malformed_declarations_name_their_files() {
        let a = Path::new("a/hazard.toml");
        let b = Path::new("b/hazard.toml");
        let h = "id = \"hail\"\nname_zh = \"冰雹\"\nname_en = \"Hail\"\norder = 3\n";
        let e = Vocabulary::from_files([("a/hazard.toml", h, a), ("b/hazard.toml", h, b)])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"hail\" is declared twice") && e.contains("a/hazard.toml"),
            "{e}"
        );
        let e = Vocabulary::from_files([("a/hazard.toml", &*h.replace("hail", "Hail!"), a)])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("snake_case") && e.contains("a/hazard.toml"),
            "{e}"
        );
        let l = Path::new("x/levels.toml");
        let bad = "[[scheme]]\nid = \"two\"\nmeasures = \"risk\"\nclass = [{ code = 2, name_zh = \"高\", name_en = \"h\", colour = \"#000000\" }, { code = 1, name_zh = \"低\", name_en = \"l\", colour = \"#FFFFFF\" }]\n";
        let e = Vocabulary::from_files([("x/levels.toml", bad, l)])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("x/levels.toml") && e.contains("codes run"),
            "{e}"
        );
    }
}
