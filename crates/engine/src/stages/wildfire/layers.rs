//! The stage's grids into the output folder and the layer stack (f32 COGs, NaN
//! nodata, with their sources, unit and the options' hash), and the scoring of the
//! hazard and capacity models of the census's model library on them.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_core::GridSpec;
use riskcensus_io::CogOptions;

use super::options::WildfireOptions;
use super::{CAPACITY_MODEL, HAZARD_MODEL};
use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::score::{assess, ModelRun};
use crate::stack::LayerStack;

/// Where the stage's grids come from (the `RISKCENSUS_SOURCE` tag).
const SOURCES: &str = "census.gpkg:weather_daily,fire_points,rescue_teams; stack:dem,landcover,buildings_value,dist_rivers,dist_reservoirs";

/// Write each (id, grid, unit) as `<id>.tif` and insert it into `stack`; returns
/// (id, path, unit) of each, in order.
pub fn write_layers<const N: usize>(
    out_dir: &Path,
    grid: &GridSpec,
    stack: &mut LayerStack,
    opts: &WildfireOptions,
    grids: [(&str, &Array2<f32>, &str); N],
) -> Result<Vec<(String, PathBuf, String)>, EngineError> {
    let param_hash = riskcensus_io::digest::bytes_sha256(format!("{opts:?}").as_bytes());
    let mut layers = Vec::new();
    for (id, a, unit) in grids {
        let mut tags = provenance::base();
        tags.insert(tag::SOURCE.into(), SOURCES.into());
        tags.insert(tag::UNITS.into(), unit.into());
        tags.insert(tag::PARAM_HASH.into(), param_hash.clone());
        let path = crate::output::write_array(
            out_dir,
            id,
            grid,
            a.view(),
            Some(f64::NAN),
            &tags,
            &CogOptions::default(),
        )?;
        stack.insert(id, path.clone(), unit);
        layers.push((id.to_string(), path, unit.to_string()));
    }
    Ok(layers)
}

/// The runs of the hazard and capacity models.
pub struct Scored {
    /// Every run of `assess`.
    pub runs: Vec<ModelRun>,
    /// The hazard model's.
    pub hazard: ModelRun,
    /// The capacity model's.
    pub capacity: ModelRun,
}

/// Score `wildfire/wildfire.toml` and `wildfire/wildfire_capacity.toml` of the
/// census's model library on the stack; a model `assess` skips is an error with its
/// reason.
pub fn score_models(
    census: &CensusConfig,
    stack: &mut LayerStack,
    out_dir: &Path,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<Scored, EngineError> {
    let library = riskcensus_models::Library::for_census(&census.dir)?;
    let models = [library.model(HAZARD_MODEL)?, library.model(CAPACITY_MODEL)?];
    let rep = assess(&census.grid, stack, &models, out_dir, exec, progress)?;
    let run_of = |id: &str| {
        rep.runs
            .iter()
            .find(|r| r.model == id)
            .cloned()
            .ok_or_else(|| EngineError::ModelNotRun {
                model: id.into(),
                reason: rep
                    .skipped
                    .iter()
                    .find(|s| s.0 == id)
                    .map(|s| s.1.clone())
                    .unwrap_or_else(|| "not run".into()),
            })
    };
    let hazard = run_of(models[0].id())?;
    let capacity = run_of(models[1].id())?;
    Ok(Scored {
        runs: rep.runs.clone(),
        hazard,
        capacity,
    })
}
