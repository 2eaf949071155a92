//! The pipeline a census run goes through, as far as the engine goes today:
//! `prepare` (layer stack) → flood depth screen → `assess` (the model library).

use std::path::Path;

use serde::Serialize;

use crate::assess::{assess, load_models, AssessReport, LayerStack};
use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::flood_damage::{flood_damage, DamageReport, DepthDamage};
use crate::inundation::{flood_depths, DepthScreen};
use crate::prepare::{prepare, PrepareReport};
use crate::progress::Progress;

/// What a pipeline run produced.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub prepared: PrepareReport,
    pub depths: Vec<(String, std::path::PathBuf)>,
    pub damage: DamageReport,
    pub assessed: AssessReport,
    pub stack: LayerStack,
}

/// Summary for JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary<'a> {
    pub layers: Vec<(String, std::path::PathBuf, bool)>,
    pub depths: &'a [(String, std::path::PathBuf)],
    pub damage: &'a DamageReport,
    pub assessed: &'a AssessReport,
}

impl RunReport {
    pub fn summary(&self) -> RunSummary<'_> {
        RunSummary {
            layers: self.prepared.all_layers(),
            depths: &self.depths,
            damage: &self.damage,
            assessed: &self.assessed,
        }
    }
}

/// Prepare the stack into `layers_dir`, then run the depth screen and the models
/// (all, or those in `models`) into `out_dir`.
pub fn run_pipeline(
    census: &CensusConfig,
    layers_dir: &Path,
    out_dir: &Path,
    models: &[String],
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<RunReport, EngineError> {
    let prepared = prepare(census, layers_dir, exec, progress)?;
    let mut stack = prepared.stack();
    let screen_path = census.dir.join("models/flood_depth.toml");
    let screen = if screen_path.exists() {
        let text = std::fs::read_to_string(&screen_path).map_err(EngineError::fs(&screen_path))?;
        DepthScreen::parse(&text, &screen_path)?
    } else {
        DepthScreen::builtin()
    };
    let depths = if (models.is_empty() || models.iter().any(|m| m == &screen.id))
        && stack.get(&screen.input).is_some()
    {
        flood_depths(&census.grid, &mut stack, &screen, out_dir, exec, progress)?
    } else {
        Vec::new()
    };
    let damage = if depths.is_empty() {
        DamageReport::default()
    } else {
        let curves_path = census.dir.join("models/flood_depth_damage.toml");
        let curves = if curves_path.exists() {
            let text =
                std::fs::read_to_string(&curves_path).map_err(EngineError::fs(&curves_path))?;
            DepthDamage::parse(&text, &curves_path)?
        } else {
            DepthDamage::builtin()
        };
        let events: Vec<(u32, String)> = screen
            .stages
            .iter()
            .map(|s| {
                (
                    s.return_period_years,
                    DepthScreen::layer_id(s.return_period_years),
                )
            })
            .collect();
        flood_damage(census, &mut stack, &events, &curves, out_dir)?
    };
    let library: Vec<String> = models
        .iter()
        .filter(|m| *m != &screen.id)
        .cloned()
        .collect();
    let model_list = if models.is_empty() || !library.is_empty() {
        load_models(&census.dir, &library)?
    } else {
        Vec::new()
    };
    let assessed = assess(
        &census.grid,
        &mut stack,
        &model_list,
        out_dir,
        exec,
        progress,
    )?;
    Ok(RunReport {
        prepared,
        depths,
        damage,
        assessed,
        stack,
    })
}
