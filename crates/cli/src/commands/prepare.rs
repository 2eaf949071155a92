//! `riskcensus prepare`: build the census layer stack.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::config::CensusConfig;
use riskcensus::stages::prepare::prepare;

use crate::Global;

/// Warp every raster survey layer onto the census grid as cached COGs.
///
/// Examples:
///   riskcensus prepare out/demo/census
///   riskcensus prepare my-county --out my-county/layers --threads 2
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Census folder (holding census.toml).
    census: PathBuf,
    /// Output folder for the layers (default: <census>/layers).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let census = CensusConfig::load(&a.census)?;
    let out = a.out.unwrap_or_else(|| a.census.join("layers"));
    let progress = crate::progress::for_cli(g.quiet || g.json);
    let r = prepare(&census, &out, &super::exec_options(g), progress.as_ref())?;
    if g.json {
        super::print_json(
            &r.all_layers()
                .iter()
                .map(|(id, p, c)| serde_json::json!({"id": id, "path": p, "cached": c}))
                .collect::<Vec<_>>(),
        );
    } else if !g.quiet {
        for (id, p, cached) in r.all_layers() {
            println!(
                "{:<22} {}{}",
                id,
                p.display(),
                if cached { " (cached)" } else { "" }
            );
        }
    }
    Ok(())
}
