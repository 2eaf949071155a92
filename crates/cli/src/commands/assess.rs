//! `riskcensus assess`: score hazards and risk on a census with the model library.

use crate::CliError;

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
    #[command(flatten)]
    target: super::run::Target,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    super::run::execute(&a.target, g)
}
