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
use crate::zoning::ZoningReport;

/// What a pipeline run produced.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The earthquake stage (when the census has buildings).
    pub earthquake: Option<crate::earthquake::EarthquakeReport>,
    /// The geological-hazard stage (when the census has hidden-danger points).
    pub geohazard: Option<crate::geohazard::GeohazardReport>,
    /// The wildfire stage (when the census has daily weather).
    pub wildfire: Option<crate::wildfire::WildfireReport>,
    /// Built-in operators run (depth screen, damage curves, prevention rules), as
    /// manifest entries.
    pub operators: Vec<crate::manifest::ModelEntry>,
    /// Seeds used by stages (name → seed).
    pub seeds: Vec<(String, u64)>,
    /// Wall time per stage, seconds (the only part of a run that is not reproducible).
    pub timings: Vec<(String, f64)>,
    pub zoned: ZoningReport,
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
    pub zoned: &'a ZoningReport,
    pub assessed: &'a AssessReport,
}

impl RunReport {
    pub fn summary(&self) -> RunSummary<'_> {
        RunSummary {
            layers: self.prepared.all_layers(),
            depths: &self.depths,
            damage: &self.damage,
            zoned: &self.zoned,
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
    let mut timings: Vec<(String, f64)> = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &str| {
        timings.push((name.to_string(), clock.elapsed().as_secs_f64()));
        clock = std::time::Instant::now();
    };
    // Resume after a kill: drop the temporary files the killed process left.
    for d in [layers_dir, out_dir] {
        riskcensus_io::cog::sweep_stale_temps(d)?;
    }
    let prepared = prepare(census, layers_dir, exec, progress)?;
    lap("prepare");
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
    let curves_path = census.dir.join("models/flood_depth_damage.toml");
    let curves = if curves_path.exists() {
        let text = std::fs::read_to_string(&curves_path).map_err(EngineError::fs(&curves_path))?;
        DepthDamage::parse(&text, &curves_path)?
    } else {
        DepthDamage::builtin()
    };
    let damage = if depths.is_empty() {
        DamageReport::default()
    } else {
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
    lap("flood depth and damage");
    let wants = |prefix: &str| models.is_empty() || models.iter().any(|m| m.starts_with(prefix));
    let earthquake = if wants("earthquake") && has_rows(census, "buildings")? {
        let e = crate::earthquake::run_earthquake(census, &mut stack, out_dir, exec, progress)?;
        lap("earthquake");
        Some(e)
    } else {
        None
    };
    let geohazard = if wants("geohazard") && has_rows(census, "hidden_dangers")? {
        let g = crate::geohazard::run_geohazard(census, &mut stack, out_dir, exec, progress)?;
        // Their level grids are zoned like those of assess.
        stack.insert(
            "geohazard_susceptibility_level",
            g.susceptibility_level.clone(),
            "level",
        );
        if let Some(p) = &g.hazard_level {
            stack.insert("geohazard_hazard_level", p.clone(), "level");
        }
        lap("geohazard");
        Some(g)
    } else {
        None
    };
    let wildfire = if wants("wildfire") && has_rows(census, "weather_daily")? {
        let w = crate::wildfire::run_wildfire(census, &mut stack, out_dir, exec, progress)?;
        lap("wildfire");
        Some(w)
    } else {
        None
    };
    let mut operators = Vec::new();
    let seeds: Vec<(String, u64)> = geohazard
        .iter()
        .map(|g| ("geohazard_sampling".to_string(), g.model.seed))
        .collect();
    if !depths.is_empty() {
        operators.push(operator_entry(
            &screen.id,
            &screen.version,
            &screen,
            "flood_depth_<T>y",
        ));
        operators.push(operator_entry(
            &curves.id,
            &curves.version,
            &curves,
            "flood_loss_<T>y, flood_damage_ratio_<T>y, flood_ead",
        ));
    }
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
    lap("assess");
    let rules = crate::zoning::load_rules(census)?;
    let zoned = crate::zoning::zoning(
        census,
        &stack,
        &rules,
        earthquake.as_ref().map(|e| &e.grades),
        out_dir,
    )?;
    lap("zoning");
    if !zoned.layers.is_empty() {
        operators.push(operator_entry(
            &rules.id,
            &rules.version,
            &rules,
            "<risk>_prevention, unit_summary",
        ));
    }
    Ok(RunReport {
        earthquake,
        geohazard,
        wildfire,
        operators,
        seeds,
        timings,
        zoned,
        prepared,
        depths,
        damage,
        assessed,
        stack,
    })
}

/// A manifest entry for a built-in operator's parameter file.
fn operator_entry<T: Serialize>(
    id: &str,
    version: &str,
    params: &T,
    output: &str,
) -> crate::manifest::ModelEntry {
    crate::manifest::ModelEntry {
        id: id.to_string(),
        version: version.to_string(),
        param_hash: crate::provenance::param_hash(params),
        output: output.to_string(),
        method: None,
        breaks: None,
    }
}

/// True when the census database exists and its `layer` holds records (a count,
/// not a read of the records: the stage reads them itself).
fn has_rows(census: &CensusConfig, layer: &str) -> Result<bool, EngineError> {
    let db = census.dir.join("census.gpkg");
    if !db.exists() {
        return Ok(false);
    }
    Ok(riskcensus_io::gpkg::GpkgDb::open_read(&db)?.count(layer) > 0)
}
