//! `riskcensus run`: the whole pipeline on a census, as far as the engine goes.

use std::path::PathBuf;

use riskcensus_engine::config::CensusConfig;
use riskcensus_engine::prepare::prepare;
use riskcensus_engine::EngineError;

use crate::Global;

/// Run the pipeline on a census folder: today the `prepare` stage (the layer stack);
/// assessment, zoning and reports join as they are built.
///
/// Example:
///   riskcensus run out/demo/census --run-id 2026-spring
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Census folder (holding census.toml).
    census: PathBuf,
    /// Name of the run; outputs go to <census>/out/<run-id>/.
    #[arg(long, default_value = "latest")]
    run_id: String,
}

pub fn run(a: Args, g: &Global) -> Result<(), EngineError> {
    if a.run_id.is_empty() || a.run_id.contains(['/', '\\']) || a.run_id.starts_with('.') {
        return Err(EngineError::Layer {
            layer: "run".into(),
            msg: format!("run id {:?} must be a plain folder name", a.run_id),
        });
    }
    let census = CensusConfig::load(&a.census)?;
    let out = a.census.join("out").join(&a.run_id);
    let progress = crate::progress::for_cli(g.quiet || g.json);
    let r = prepare(
        &census,
        &out.join("layers"),
        &super::exec_options(g),
        progress.as_ref(),
    )?;
    if g.json {
        super::print_json(&serde_json::json!({
            "run_dir": out,
            "layers": r.all_layers().iter().map(|(id, p, c)| serde_json::json!({"id": id, "path": p, "cached": c})).collect::<Vec<_>>(),
        }));
    } else if !g.quiet {
        println!("run {} → {}", a.run_id, out.display());
        for (id, p, cached) in r.all_layers() {
            println!(
                "  {:<22} {}{}",
                id,
                p.display(),
                if cached { " (cached)" } else { "" }
            );
        }
    }
    Ok(())
}
