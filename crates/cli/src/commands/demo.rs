//! `riskcensus demo`: generate the built-in demo census and run the pipeline on it.

use std::path::PathBuf;

use riskcensus_engine::demo::{run_demo, DemoOptions};
use riskcensus_engine::EngineError;

use crate::Global;

/// Generate the demo census (a synthetic ~815 km² county) and run it.
///
/// Examples:
///   riskcensus demo                         # 30 m grid, ≈ 1 M cells, into out/demo
///   riskcensus demo --resolution 10         # ≈ 9 M cells
///   riskcensus demo --cells 4000000 --out out/demo4m
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Output folder (census/, layers/ and assess/ are written inside).
    #[arg(long, default_value = "out/demo")]
    out: PathBuf,
    /// Census cell size in metres.
    #[arg(long, conflicts_with = "cells", default_value_t = 30.0)]
    resolution: f64,
    /// Approximate number of grid cells instead of a resolution.
    #[arg(long)]
    cells: Option<u64>,
    /// Seed of the generator.
    #[arg(long, default_value_t = DemoOptions::default().seed)]
    seed: u64,
}

pub fn run(a: Args, g: &Global) -> Result<(), EngineError> {
    let resolution_m = match a.cells {
        Some(n) if n > 0 => (riskcensus_engine::demo::study_area_m2() / n as f64).sqrt(),
        Some(_) => {
            return Err(EngineError::Layer {
                layer: "demo".into(),
                msg: "--cells must be > 0".into(),
            })
        }
        None => a.resolution,
    };
    if !(resolution_m.is_finite() && (5.0..=2000.0).contains(&resolution_m)) {
        return Err(EngineError::Layer {
            layer: "demo".into(),
            msg: format!("resolution {resolution_m} m is outside 5–2000 m"),
        });
    }
    let progress = crate::progress::for_cli(g.quiet || g.json);
    let opts = DemoOptions {
        resolution_m,
        seed: a.seed,
    };
    let r = run_demo(&a.out, &opts, &super::exec_options(g), progress.as_ref())?;
    // Every run ends with its maps and report (issue: planners look before they read).
    let t_report = std::time::Instant::now();
    let report = riskcensus_report::render_report(&a.out, &super::report::options(false, None))
        .map_err(|e| super::report::to_engine_error(&a.out, e))?;
    let report_seconds = t_report.elapsed().as_secs_f64();
    if g.json {
        super::print_json(&serde_json::json!({
            "census_dir": r.census_dir,
            "layers_dir": r.layers_dir,
            "assess_dir": r.assess_dir,
            "grid": r.census.grid,
            "files": r.files.iter().map(|(id, p, n)| serde_json::json!({"id": id, "path": p, "count": n})).collect::<Vec<_>>(),
            "layers": r.run.prepared.all_layers().iter().map(|(id, p, c)| serde_json::json!({"id": id, "path": p, "cached": c})).collect::<Vec<_>>(),
            "ingested": r.ingested.iter().map(|(id, rep)| match rep {
                Ok(rep) => serde_json::json!({"id": id, "layer": rep.layer, "read": rep.read, "loaded": rep.loaded, "rejected": rep.rejected,
                    "problems": rep.problems.iter().map(|p| serde_json::json!({"source": p.source, "record": p.record, "field": p.field, "value": p.value, "rule": p.rule.name(), "message": p.message})).collect::<Vec<_>>()}),
                Err(e) => serde_json::json!({"id": id, "error": e}),
            }).collect::<Vec<_>>(),
            "run": r.run.summary(),
            "generate_seconds": r.generate_seconds,
            "run_seconds": r.run_seconds,
            "report": report.html,
            "maps": report.maps,
            "report_seconds": report_seconds,
        }));
    } else if !g.quiet {
        let grid = &r.census.grid;
        println!(
            "demo census {} ({}): {} × {} cells of {} m in {} — {:.2} M cells",
            r.census.census.name,
            r.census.census.code,
            grid.rows,
            grid.cols,
            grid.cell_size,
            grid.crs,
            grid.cell_count() as f64 / 1e6
        );
        println!("survey files in {}:", r.census_dir.display());
        for (id, p, n) in &r.files {
            println!("  {id:<22} {n:>10}  {}", p.display());
        }
        println!(
            "census database {}:",
            r.census_dir.join("census.gpkg").display()
        );
        println!(
            "  {:<20} {:<16} {:>8} {:>8} {:>8}",
            "source", "layer", "read", "loaded", "rejected"
        );
        for (id, rep) in &r.ingested {
            match rep {
                Ok(rep) => println!(
                    "  {id:<20} {:<16} {:>8} {:>8} {:>8}",
                    rep.layer, rep.read, rep.loaded, rep.rejected
                ),
                Err(e) => println!("  {id:<20} failed: {e}"),
            }
        }
        let rejects: Vec<_> = r
            .ingested
            .iter()
            .filter_map(|(_, rep)| rep.as_ref().ok())
            .flat_map(|rep| rep.problems.iter())
            .collect();
        if !rejects.is_empty() {
            println!("rejected records ({}):", rejects.len());
            for p in rejects {
                println!(
                    "  {} {} field {} = {:?}: {} ({})",
                    p.source,
                    p.record,
                    p.field,
                    p.value,
                    p.message,
                    p.rule.name()
                );
            }
        }
        super::run::print_run(&r.run, &r.layers_dir, &r.assess_dir);
        println!(
            "generated in {:.1} s, ingested in {:.1} s, prepared and assessed in {:.1} s",
            r.generate_seconds, r.ingest_seconds, r.run_seconds
        );
        super::run::print_summary(
            &r.run,
            grid,
            r.generate_seconds + r.ingest_seconds + r.run_seconds,
        );
    }
    Ok(())
}
