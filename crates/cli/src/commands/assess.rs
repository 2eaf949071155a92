//! `riskcensus assess`: score hazards and risk on a census with the model library.

use std::path::PathBuf;

use riskcensus_engine::EngineError;

use crate::Global;

/// Score hazard, exposure, vulnerability, capacity and risk per cell with the model
/// library (models/*.toml, built in; a census may override them in <census>/models/),
/// after preparing the layer stack (cached). Writes COGs with provenance tags:
/// <output>.tif (float32 index, NaN nodata), <output>_level.tif (u8 levels with
/// colour table, 0 nodata) and flood_depth_<T>y.tif (metres).
///
/// Examples:
///   riskcensus assess out/demo/census
///   riskcensus assess out/demo/census --model flood --run-id flood-only
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Census folder (holding census.toml).
    census: PathBuf,
    /// Name of the run; outputs go to <census>/out/<run-id>/.
    #[arg(long, default_value = "latest")]
    run_id: String,
    /// Run only these models (ids, repeatable); default: all.
    #[arg(long = "model", value_name = "ID")]
    models: Vec<String>,
}

pub fn run(a: Args, g: &Global) -> Result<(), EngineError> {
    super::run::execute(&a.census, &a.run_id, &a.models, g)
}
