//! The model library of a census: the shipped model files (the repository's
//! `models/` folder, embedded at build time) and the census's own, under ONE rule
//! for every file:
//!
//! > A file `<census>/models/<path>` replaces the shipped `models/<path>`; any other
//! > file under `<census>/models/` is added to the library.
//!
//! Paths are relative to the library root, `/`-separated (`flood/flood_depth.toml`,
//! `earthquake/seismic_fragility.csv`). The folders hold one hazard each (`flood/`,
//! `earthquake/`, `geohazard/`, `wildfire/`), the indices several hazards share
//! (`common/`), the comprehensive risk (`comprehensive/`), the prevention rules
//! (`zoning/`), the capacity gaps (`capacity/`), the trends of the record
//! (`trend/`) and the scenarios (`scenario/`). A `.toml` file is one of:
//!
//! - a **scoring model** (a weighted overlay, docs/models.md), run by the assess stage
//!   unless a stage scores it itself;
//! - the **parameters of a built-in operator**: it names its `operator` (HAND
//!   inundation, depth–damage, earthquake, geological hazards, prevention rules);
//! - a **declaration**: `hazard.toml` (one hazard: id, names, order) or `levels.toml`
//!   (level schemes), read into a [`Vocabulary`].
//!
//! Every stage reads its files through a [`Library`], so an override behaves the
//! same for every file; `docs/models.md` documents the rule.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::ModelError;
use crate::model::Model;
use crate::spec::ModelSpec;
use crate::vocabulary::Vocabulary;

include!(concat!(env!("OUT_DIR"), "/shipped_models.rs"));

/// The text of a shipped file. Panics when `path` is not shipped: call it with the
/// path constants of the modules that own the files (a test checks each).
pub fn shipped_text(path: &str) -> &'static str {
    SHIPPED
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
        .unwrap_or_else(|| panic!("models/{path} is not a shipped model file"))
}

/// The folder of a census that holds its own model files.
pub const CENSUS_MODELS_DIR: &str = "models";

/// One file of the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFile {
    /// Path relative to the library root, `/`-separated.
    pub path: String,
    /// The file's text.
    pub text: String,
    /// Where it came from, for messages: `models/<path>` when shipped, the census
    /// file's path when the census provides it.
    pub origin: PathBuf,
    /// True when the census provides the file (an override or an addition).
    pub from_census: bool,
}

impl ModelFile {
    /// True for the parameter file of a built-in operator (it declares `operator`).
    pub fn is_operator(&self) -> bool {
        self.path.ends_with(".toml")
            && !self.is_declaration()
            && self
                .text
                .parse::<toml::Table>()
                .is_ok_and(|t| t.contains_key("operator"))
    }

    /// True for a scoring model (a `.toml` file that is neither an operator's
    /// parameters nor a declaration).
    pub fn is_scoring_model(&self) -> bool {
        self.path.ends_with(".toml") && !self.is_operator() && !self.is_declaration()
    }

    /// True for a hazard declaration (`hazard.toml`) or a level-scheme file
    /// (`levels.toml`), see [`crate::vocabulary`].
    pub fn is_declaration(&self) -> bool {
        crate::vocabulary::is_declaration(&self.path)
    }
}

/// An error reading a census's model files.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// A file or folder under `<census>/models/` cannot be read.
    #[error("{}: cannot read the census's model file", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A file the engine needs is in neither the census nor the shipped library.
    #[error("model file {path} is neither in the census's models/ folder nor shipped")]
    Missing {
        /// Its path relative to the library root.
        path: String,
    },
    /// A scoring model is invalid.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A hazard declaration or level-scheme file is invalid.
    #[error(transparent)]
    Vocabulary(#[from] crate::vocabulary::VocabularyError),
}

/// The model files of a census (or the shipped ones alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    files: BTreeMap<String, ModelFile>,
}

impl Library {
    /// The shipped model files only.
    pub fn shipped() -> Self {
        let files = SHIPPED
            .iter()
            .map(|(path, text)| {
                (
                    path.to_string(),
                    ModelFile {
                        path: path.to_string(),
                        text: text.to_string(),
                        origin: Path::new("models").join(path),
                        from_census: false,
                    },
                )
            })
            .collect();
        Self { files }
    }

    /// The shipped files with the census's own (`<census_dir>/models/**`) over them.
    pub fn for_census(census_dir: &Path) -> Result<Self, LibraryError> {
        let mut lib = Self::shipped();
        let root = census_dir.join(CENSUS_MODELS_DIR);
        if root.is_dir() {
            let mut found = Vec::new();
            walk(&root, &mut found)?;
            for p in found {
                let rel = p
                    .strip_prefix(&root)
                    .expect("under the census's models/")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                let text = std::fs::read_to_string(&p).map_err(|source| LibraryError::Read {
                    path: p.clone(),
                    source,
                })?;
                lib.files.insert(
                    rel.clone(),
                    ModelFile {
                        path: rel,
                        text,
                        origin: p,
                        from_census: true,
                    },
                );
            }
        }
        Ok(lib)
    }

    /// The file at `path` (relative to the library root), if any.
    pub fn file(&self, path: &str) -> Option<&ModelFile> {
        self.files.get(path)
    }

    /// The file at `path`, or an error naming it.
    pub fn require(&self, path: &str) -> Result<&ModelFile, LibraryError> {
        self.file(path).ok_or_else(|| LibraryError::Missing {
            path: path.to_string(),
        })
    }

    /// Every file, by path.
    pub fn files(&self) -> impl Iterator<Item = &ModelFile> {
        self.files.values()
    }

    /// The hazards and level schemes the library's `hazard.toml` and `levels.toml`
    /// files declare (the census's own among them).
    pub fn vocabulary(&self) -> Result<Vocabulary, LibraryError> {
        Ok(Vocabulary::from_files(self.files.values().map(|f| {
            (f.path.as_str(), f.text.as_str(), f.origin.as_path())
        }))?)
    }

    /// The scoring model at `path`, parsed and validated against the library's
    /// hazards and level schemes.
    pub fn model(&self, path: &str) -> Result<Model, LibraryError> {
        let f = self.require(path)?;
        let v = self.vocabulary()?;
        Ok(ModelSpec::parse(&f.text, &f.origin)?.check_with(&v)?)
    }

    /// Every scoring model of the library, parsed and validated, in path order,
    /// except those at `except` (files a stage scores itself).
    pub fn scoring_models(&self, except: &[&str]) -> Result<Vec<Model>, LibraryError> {
        let v = self.vocabulary()?;
        self.files
            .values()
            .filter(|f| f.is_scoring_model() && !except.contains(&f.path.as_str()))
            .map(|f| Ok(ModelSpec::parse(&f.text, &f.origin)?.check_with(&v)?))
            .collect()
    }

    /// The scoring model whose id is `id`, if any.
    pub fn model_by_id(&self, id: &str) -> Option<&ModelFile> {
        self.files.values().find(|f| {
            f.is_scoring_model()
                && f.text
                    .parse::<toml::Table>()
                    .ok()
                    .and_then(|t| t.get("id").and_then(|v| v.as_str().map(str::to_string)))
                    .as_deref()
                    == Some(id)
        })
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LibraryError> {
    let rd = std::fs::read_dir(dir).map_err(|source| LibraryError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut entries = Vec::new();
    for e in rd {
        let e = e.map_err(|source| LibraryError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        entries.push(e.path());
    }
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_are_embedded_by_path() {
        let lib = Library::shipped();
        let f = lib.require("flood/flood_depth.toml").unwrap();
        assert!(f.is_operator() && !f.from_census);
        assert!(lib.require("flood/flood.toml").unwrap().is_scoring_model());
        assert!(lib.file("earthquake/seismic_fragility.csv").is_some());
        assert!(matches!(
            lib.require("flood/none.toml"),
            Err(LibraryError::Missing { .. })
        ));
    }

    #[test]
    fn a_census_file_replaces_the_shipped_one_of_the_same_path_and_others_add() {
        let d = tempfile::tempdir().unwrap();
        let m = d.path().join("models/flood");
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(
            m.join("flood_depth.toml"),
            "id = \"mine\"\noperator = \"x\"\n",
        )
        .unwrap();
        std::fs::write(d.path().join("models/extra.csv"), "a,b\n").unwrap();
        let lib = Library::for_census(d.path()).unwrap();
        let f = lib.require("flood/flood_depth.toml").unwrap();
        assert!(f.from_census && f.text.contains("mine"));
        assert!(lib.require("extra.csv").unwrap().from_census);
        assert_eq!(lib.files().count(), Library::shipped().files().count() + 1);
    }
}
