//! Prevention zoning's I/O: the rules of the census's model library
//! (`zoning/prevention.toml`) and the per-cell prevention grid
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

/// The prevention rules of a census's model library (`zoning/prevention.toml`).
pub fn load_rules(library: &riskcensus_models::Library) -> Result<PreventionRules, EngineError> {
    let f = library.require(PATH)?;
    PreventionRules::from_toml(&f.text).map_err(|source| EngineError::PreventionRules {
        path: f.origin.clone(),
        source,
    })
}

/// The parameter hash of the rules, recorded in outputs.
pub fn param_hash(rules: &PreventionRules) -> String {
    provenance::param_hash(rules)
}

/// The per-cell prevention grid of one risk grid.
pub(super) struct CellTiers<'a> {
    /// The rules.
    pub rules: &'a PreventionRules,
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
        out: &Path,
        grid: &GridSpec,
        layer: &str,
        levels: &Array2<u8>,
    ) -> Result<PathBuf, EngineError> {
        let at = |a: Option<&Array2<f32>>, c| a.map(|a| a[c]).unwrap_or(f32::NAN);
        let tiers = Array2::from_shape_fn(levels.dim(), |c| {
            self.rules
                .cell_tier(levels[c], at(self.exposure, c), at(self.capacity, c))
        });
        let id = format!("{layer}_prevention");
        let mut tags = provenance::base();
        tags.insert(tag::LAYER.into(), id.clone());
        tags.insert(
            tag::MODEL_ID.into(),
            format!("{}@{}", self.rules.id(), self.rules.version()),
        );
        tags.insert(tag::PARAM_HASH.into(), param_hash(self.rules));
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
        assert!(cause.contains("rules[2].tier"), "{cause}");
        assert_eq!(builtin().id(), "prevention");
    }
}
