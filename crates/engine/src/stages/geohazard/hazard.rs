//! The hazard grids (危险性): the normalised susceptibility modulated by the trigger
//! rainfall (`riskcensus_models::geohazard::hazard`), and their four levels.

use std::path::{Path, PathBuf};

use riskcensus_core::{GridSpec, LevelScheme};
use riskcensus_models::geohazard::hazard::hazard_grid;
use riskcensus_models::geohazard::params::TriggerSpec;
use riskcensus_models::geohazard::LevelRule;

use super::levels::level_breaks;
use super::{join, read_layer};
use crate::error::EngineError;
use crate::output::{write_f32, write_levels};
use crate::stack::LayerStack;

/// What [`hazard_grids`] wrote.
#[derive(Debug, Clone)]
pub struct HazardGrids {
    /// `geohazard_hazard.tif` (index, NaN nodata).
    pub hazard: PathBuf,
    /// `geohazard_hazard_level.tif` (geohazard4, 0 nodata).
    pub level: PathBuf,
    /// The three inner upper bounds of the levels.
    pub breaks: Vec<f64>,
}

/// How [`hazard_grids`] cuts the hazard index into levels.
#[derive(Debug, Clone, Copy)]
pub struct HazardLevels<'a> {
    /// How the breaks are drawn (the parameters' `[classification]`).
    pub rule: &'a LevelRule,
    /// The level scheme whose codes, names and colours the level grid carries.
    pub scheme: &'a LevelScheme,
}

/// `geohazard_hazard` = S_n · (base + (1 − base) · T) of the trigger layer of
/// `stack`, and its levels by `levels.rule`; inserts `geohazard_hazard` into `stack`.
pub fn hazard_grids(
    grid: &GridSpec,
    susceptibility: &[f32],
    t: &TriggerSpec,
    levels: HazardLevels<'_>,
    stack: &mut LayerStack,
    out_dir: &Path,
    tags: &riskcensus_io::Provenance,
) -> Result<HazardGrids, EngineError> {
    let rain = read_layer(stack, &t.layer, &t.unit, grid)?;
    let h = hazard_grid(t, susceptibility, &rain);
    let (breaks, _) = level_breaks(&h, levels.rule, "geohazard_hazard")?;
    let hl: Vec<u8> = h.iter().map(|&v| breaks.classify(v)).collect();
    let mut ht = tags.clone();
    ht.insert("RISKCENSUS_CLASS_BREAKS".into(), join(breaks.inner()));
    ht.insert("RISKCENSUS_CLASS_BOUNDS".into(), join(&breaks.bounds));
    ht.insert(
        "RISKCENSUS_TRIGGER".into(),
        format!("{} x0={} x1={} base={}", t.layer, t.x0, t.x1, t.base),
    );
    let hazard = write_f32(out_dir, "geohazard_hazard", grid, &h, &ht, Some("index"))?;
    let level = write_levels(
        out_dir,
        "geohazard_hazard_level",
        grid,
        &hl,
        levels.scheme.clone(),
        &ht,
    )?;
    stack.insert("geohazard_hazard", &hazard, "index");
    Ok(HazardGrids {
        hazard,
        level,
        breaks: breaks.inner().to_vec(),
    })
}
