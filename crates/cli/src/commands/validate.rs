//! `riskcensus validate`: the dry run of `ingest` (same arguments, nothing written).

use crate::CliError;
use riskcensus::ingest::{engine_error, Census};

use crate::Global;

/// Validate a survey source against the census schema without writing anything:
/// every problem of every record is listed (record, field, value, rule). Exit code
/// 2 when any record would be rejected or the source is unreadable.
///
/// Examples:
///   riskcensus validate out/demo/census survey/buildings.csv --layer buildings --source-crs EPSG:4490
///   riskcensus validate out/demo/census survey/hidden_dangers.shp --layer hidden_dangers --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub inner: super::ingest::Args,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let a = a.inner;
    // census.toml is checked as every command checks it (a bad grid CRS is blamed
    // on census.toml, not on the survey file).
    riskcensus::config::CensusConfig::load_lenient(&a.census)?;
    let census = Census::open(&a.census).map_err(engine_error)?;
    let report = census
        .validate(&a.source_path(), &a.options())
        .map_err(engine_error)?;
    super::ingest::finish(&report, g)
}
