//! `riskcensus run`: the whole pipeline on a census, as far as the engine goes.

use std::path::{Path, PathBuf};

use riskcensus_engine::config::CensusConfig;
use riskcensus_engine::pipeline::{run_pipeline, RunReport};
use riskcensus_engine::EngineError;

use crate::Global;

/// Run the pipeline on a census folder: prepare the layer stack, run the flood depth
/// screen and every model of the library whose inputs the stack has. Zoning,
/// statistics and reports join as they are built.
///
/// Example:
///   riskcensus run out/demo/census --run-id 2026-spring
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    target: Target,
}

/// What a pipeline run works on (shared by `run` and `assess`).
#[derive(Debug, clap::Args)]
pub struct Target {
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
    execute(&a.target, g)
}

/// Run the pipeline on the target census into `<census>/out/<run_id>/`.
pub fn execute(t: &Target, g: &Global) -> Result<(), EngineError> {
    let (census_dir, run_id, models): (&Path, &str, &[String]) = (&t.census, &t.run_id, &t.models);
    if run_id.is_empty() || run_id.contains(['/', '\\']) || run_id.starts_with('.') {
        return Err(EngineError::Layer {
            layer: "run".into(),
            msg: format!("run id {run_id:?} must be a plain folder name"),
        });
    }
    let t0 = std::time::Instant::now();
    let census = CensusConfig::load(census_dir)?;
    let out = census_dir.join("out").join(run_id);
    // Ingest if needed: every source no committed batch has loaded (all of them for
    // a census without its database; the rest of a load that was killed).
    {
        for (id, r) in riskcensus_engine::ingest::ingest_pending_sources(&census)? {
            match r {
                Ok(rep) if !g.quiet && !g.json => println!(
                    "ingested {id}: {} read, {} loaded, {} rejected",
                    rep.read, rep.loaded, rep.rejected
                ),
                Ok(_) => {}
                Err(e) => return Err(riskcensus_engine::ingest::engine_error(e)),
            }
        }
    }
    let progress = crate::progress::for_cli(g.quiet || g.json);
    let (layers, assess) = (out.join("layers"), out.join("assess"));
    let r = run_pipeline(
        &census,
        &layers,
        &assess,
        models,
        &super::exec_options(g),
        progress.as_ref(),
    )?;
    let manifest = riskcensus_engine::manifest::write(&census, &r, &out, &[&layers, &assess])?;
    let report = riskcensus_report::render_report(&out, &super::report::options(false, None))
        .map_err(|e| super::report::to_engine_error(&out, e))?;
    if g.json {
        super::print_json(
            &serde_json::json!({"run_dir": out, "run": r.summary(), "report": report.html}),
        );
    } else if !g.quiet {
        println!("run {run_id} → {}", out.display());
        print_run(&r, &layers, &assess);
        println!("manifest: {}", manifest.display());
        println!(
            "report: {} ({} maps)",
            report.html.display(),
            report.maps.len()
        );
        print_summary(&r, &census.grid, t0.elapsed().as_secs_f64());
    }
    Ok(())
}

/// Print what a run produced.
pub fn print_run(r: &RunReport, layers: &Path, assess: &Path) {
    println!("layer stack in {}:", layers.display());
    for (id, p, cached) in r.prepared.all_layers() {
        println!(
            "  {:<22} {}{}",
            id,
            p.display(),
            if cached { " (cached)" } else { "" }
        );
    }
    println!("assessment in {}:", assess.display());
    for (id, p) in &r.depths {
        println!("  {:<22} {}", id, p.display());
    }
    for m in &r.assessed.runs {
        println!(
            "  {:<22} {}  (model {}@{}, params {})",
            m.output,
            m.score_path.display(),
            m.model,
            m.version,
            &m.param_hash[..12]
        );
        if let Some(l) = &m.level_path {
            println!(
                "  {:<22} {}  breaks {:?}",
                format!("{}_level", m.output),
                l.display(),
                m.breaks.as_deref().unwrap_or(&[])
            );
        }
    }
    for (id, why) in &r.assessed.skipped {
        println!("  skipped {id}: {why}");
    }
    if !r.zoned.layers.is_empty() {
        let z = &r.zoned;
        println!(
            "zoning ({} townships, {} villages, minimum mapping unit {} cells):",
            z.units, z.villages, z.mmu_cells
        );
        // Villages the village tables leave out or flag: say so, never silently.
        if !z.villages_without_polygon.is_empty() {
            println!(
                "  note: {} villages have no boundary polygon (seats only) and no village rows",
                z.villages_without_polygon.len()
            );
        }
        if !z.villages_outside_townships.is_empty() {
            println!(
                "  note: villages whose township is not mapped (rows kept, flagged): {}",
                z.villages_outside_townships.join(", ")
            );
        }
        if z.buildings_without_village + z.hidden_dangers_without_village > 0 {
            println!(
                "  note: {} buildings and {} hidden-danger points lie in no village polygon (counted in their township only)",
                z.buildings_without_village, z.hidden_dangers_without_village
            );
        }
        for z in &r.zoned.layers {
            println!(
                "  {:<22} {:>6} zones  scheme {:<12}{}",
                z.layer,
                z.zones,
                z.scheme,
                if z.prevention.is_some() {
                    "  + prevention zoning"
                } else {
                    ""
                }
            );
        }
        if let Some(g) = &r.zoned.gpkg {
            println!("  {}", g.display());
        }
    }
}

/// Peak resident memory of this process (Linux `VmHWM`), MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The final summary table of a run.
pub fn print_summary(r: &RunReport, grid: &riskcensus_core::GridSpec, seconds: f64) {
    let hazards: std::collections::BTreeSet<&str> = r
        .zoned
        .layers
        .iter()
        .filter_map(|z| z.layer.split('_').next())
        .collect();
    let levels = r.zoned.layers.len();
    println!("summary:");
    println!("  {:<24} {}", "cells", grid.cell_count());
    println!(
        "  {:<24} {}",
        "hazards",
        hazards.into_iter().collect::<Vec<_>>().join(", ")
    );
    println!("  {:<24} {levels} level grids", "levels");
    println!(
        "  {:<24} {} townships, {} villages",
        "units", r.zoned.units, r.zoned.villages
    );
    for (stage, s) in &r.timings {
        println!("  {:<24} {s:.1} s", stage);
    }
    println!("  {:<24} {seconds:.1} s", "run time");
    if let Some(m) = peak_rss_mib() {
        println!("  {:<24} {m:.0} MiB", "peak memory");
    }
}
