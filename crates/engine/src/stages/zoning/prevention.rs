//! Prevention zoning's I/O: the rules of the census's model library — each
//! hazard's `<hazard>/prevention.toml` and the general `zoning/prevention.toml`
//! for the risk grids of a hazard without its own ([`PreventionSet`]) — and the
//! per-cell prevention grid
//! `<layer>_prevention.tif` (u8, the `prevention3` scheme, 0 = nodata) of a risk
//! grid. The rules themselves — parsing, validation, placement of cells and units
//! with the trace — are [`riskcensus_zoning::prevention`].

use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_core::{GridSpec, LevelScheme};
use riskcensus_io::CogOptions;

use crate::error::EngineError;
use crate::provenance::{self, tag};

pub use riskcensus_zoning::prevention::{
    Condition, Placement, PreventionRules, Rule, RulesError, Scale, CELL_INDICATORS, PATH,
    UNIT_INDICATORS,
};

/// The shipped text of [`PATH`].
pub fn builtin_text() -> &'static str {
    riskcensus_models::library::shipped_text(PATH)
}

/// The shipped rules (`models/zoning/prevention.toml`).
pub fn builtin() -> PreventionRules {
    PreventionRules::from_toml(builtin_text()).expect("the shipped prevention rules are valid")
}

/// The prevention rules of a census: the general file and each hazard's own.
#[derive(Debug, Clone)]
pub struct PreventionSet {
    /// `zoning/prevention.toml`: the risk grids of a hazard without its own file.
    pub general: PreventionRules,
    /// `<hazard>/prevention.toml` by hazard id (its folder, which the file's
    /// `hazard` must name).
    pub hazards: std::collections::BTreeMap<String, PreventionRules>,
}

/// The file name of a hazard's rules in its folder.
pub const HAZARD_FILE: &str = "prevention.toml";

impl PreventionSet {
    /// The hazard of a risk grid: `flood_risk` → `flood`, `comprehensive_risk` →
    /// `comprehensive` (None for a grid that is not `<hazard>_risk`).
    pub fn hazard_of(layer: &str) -> Option<&str> {
        layer.strip_suffix("_risk")
    }

    /// The rules that place the units and cells of the risk grid `layer`.
    pub fn for_layer(&self, layer: &str) -> &PreventionRules {
        Self::hazard_of(layer)
            .and_then(|h| self.hazards.get(h))
            .unwrap_or(&self.general)
    }

    /// Every file of the set: the general one, then the hazards' by id.
    pub fn all(&self) -> impl Iterator<Item = &PreventionRules> {
        std::iter::once(&self.general).chain(self.hazards.values())
    }
}

/// The prevention rules of a census's model library: `zoning/prevention.toml` and
/// every `<folder>/prevention.toml`, each checked, the folder's `hazard` key naming
/// the folder.
pub fn load_rules(library: &riskcensus_models::Library) -> Result<PreventionSet, EngineError> {
    let parse = |f: &riskcensus_models::library::ModelFile| {
        PreventionRules::from_toml(&f.text).map_err(|source| EngineError::PreventionRules {
            path: f.origin.clone(),
            source,
        })
    };
    let general = parse(library.require(PATH)?)?;
    let mut hazards = std::collections::BTreeMap::new();
    for f in library.files() {
        let Some((folder, HAZARD_FILE)) = f.path.split_once('/') else {
            continue;
        };
        if f.path == PATH {
            continue;
        }
        let rules = parse(f)?;
        if rules.hazard() != Some(folder) {
            return Err(EngineError::PreventionHazard {
                path: f.origin.clone(),
                folder: folder.to_string(),
                hazard: rules.hazard().map(str::to_string),
            });
        }
        hazards.insert(folder.to_string(), rules);
    }
    Ok(PreventionSet { general, hazards })
}

/// The parameter hash of the rules, recorded in outputs.
pub fn param_hash(rules: &PreventionRules) -> String {
    provenance::param_hash(rules)
}

/// The per-cell prevention grid of one risk grid.
pub(super) struct CellTiers<'a> {
    /// The level scheme of the tiers.
    pub scheme: &'a LevelScheme,
    /// The exposure index per cell (NaN nodata), when the stack has one.
    pub exposure: Option<&'a Array2<f32>>,
    /// The mitigation capacity index per cell (NaN nodata), when the stack has one.
    pub capacity: Option<&'a Array2<f32>>,
}

impl CellTiers<'_> {
    /// Write `<out>/<layer>_prevention.tif`: each cell's tier by the cell rules from
    /// its risk level, exposure and capacity (a missing grid is NaN everywhere).
    pub fn write(
        &self,
        rules: &PreventionRules,
        out: &Path,
        grid: &GridSpec,
        layer: &str,
        levels: &Array2<u8>,
    ) -> Result<PathBuf, EngineError> {
        let at = |a: Option<&Array2<f32>>, c| a.map(|a| a[c]).unwrap_or(f32::NAN);
        let tiers = Array2::from_shape_fn(levels.dim(), |c| {
            rules.cell_tier(levels[c], at(self.exposure, c), at(self.capacity, c))
        });
        let id = format!("{layer}_prevention");
        let mut tags = provenance::base();
        tags.insert(tag::LAYER.into(), id.clone());
        tags.insert(
            tag::MODEL_ID.into(),
            format!("{}@{}", rules.id(), rules.version()),
        );
        tags.insert(tag::PARAM_HASH.into(), param_hash(rules));
        let p = out.join(format!("{id}.tif"));
        let mut w =
            riskcensus_io::CogWriter::<u8>::create(&p, grid, Some(0.0), CogOptions::default())?;
        w.set_tags(&tags);
        w.set_legend(riskcensus_io::cog::LevelLegend(self.scheme.clone()));
        w.write_window(
            grid.full_window(),
            tiers.as_slice().expect("standard layout"),
        )?;
        w.finish()?;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_census_rules_file_is_an_input_error_naming_the_file() {
        let d = tempfile::tempdir().unwrap();
        let models = d.path().join("models/zoning");
        std::fs::create_dir_all(&models).unwrap();
        std::fs::write(
            models.join("prevention.toml"),
            builtin_text().replace("tier = 2", "tier = 4"),
        )
        .unwrap();
        let lib = riskcensus_models::Library::for_census(d.path()).unwrap();
        let e = load_rules(&lib).unwrap_err();
        assert!(e.is_input_error());
        assert!(e.to_string().contains("prevention.toml"), "{e}");
        let cause = std::error::Error::source(&e).unwrap().to_string();
        assert!(cause.contains("rules[1].tier"), "{cause}");
        assert_eq!(builtin().id(), "prevention");
    }

    #[test]
    fn each_shipped_hazard_has_its_own_rules_and_others_take_the_general_ones() {
        let set = load_rules(&riskcensus_models::Library::shipped()).unwrap();
        let ids: Vec<&str> = set.hazards.keys().map(String::as_str).collect();
        assert_eq!(
            ids,
            [
                "comprehensive",
                "earthquake",
                "flood",
                "geohazard",
                "wildfire"
            ]
        );
        assert_eq!(set.for_layer("flood_risk").id(), "flood_prevention");
        assert_eq!(
            set.for_layer("comprehensive_risk").id(),
            "comprehensive_prevention"
        );
        assert_eq!(set.for_layer("landslide_risk").id(), "prevention");
        // Only the geological hazards' rules test hidden-danger points.
        for r in set.all() {
            let tests_points = r
                .rules()
                .iter()
                .flat_map(|r| &r.all)
                .any(|c| c.indicator == "hidden_danger_density");
            assert_eq!(tests_points, r.hazard() == Some("geohazard"), "{}", r.id());
        }
    }

    #[test]
    fn a_hazard_file_must_name_its_folder_and_test_its_own_indicators() {
        let d = tempfile::tempdir().unwrap();
        let flood = d.path().join("models/flood");
        std::fs::create_dir_all(&flood).unwrap();
        let shipped = riskcensus_models::library::shipped_text("flood/prevention.toml");
        // The general rules (no `hazard`) copied into the flood folder.
        std::fs::write(flood.join("prevention.toml"), builtin_text()).unwrap();
        let lib = riskcensus_models::Library::for_census(d.path()).unwrap();
        let e = load_rules(&lib).unwrap_err();
        assert!(e.is_input_error());
        let e = e.to_string();
        assert!(
            e.contains("models/flood/prevention.toml")
                && e.contains("hazard = \"flood\"")
                && e.contains("they say nothing"),
            "{e}"
        );
        // A flood rule on the geological hazards' indicator is refused.
        std::fs::write(
            flood.join("prevention.toml"),
            shipped.replace("\"population_100yr\", op", "\"hidden_danger_density\", op"),
        )
        .unwrap();
        let lib = riskcensus_models::Library::for_census(d.path()).unwrap();
        let e = load_rules(&lib).unwrap_err();
        let cause = std::error::Error::source(&e).unwrap().to_string();
        assert!(
            cause.contains("hidden_danger_density") && cause.contains("of flood"),
            "{cause}"
        );
    }
}
