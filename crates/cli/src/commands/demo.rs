//! `riskcensus demo`: generate the built-in demo census and run the pipeline on it.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::demo::{run_demo, DemoOptions};
use riskcensus::RunOptions;

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

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let resolution_m = match a.cells {
        Some(n) if n > 0 => (riskcensus::demo::study_area_m2() / n as f64).sqrt(),
        Some(_) => return Err(CliError::Args("--cells must be > 0".into())),
        None => a.resolution,
    };
    if !(resolution_m.is_finite() && (5.0..=2000.0).contains(&resolution_m)) {
        return Err(CliError::Args(format!(
            "--resolution {resolution_m} m is outside 5–2000 m"
        )));
    }
    let progress = crate::progress::for_cli(g.quiet || g.json);
    let opts = DemoOptions {
        resolution_m,
        seed: a.seed,
    };
    let run_opts = RunOptions {
        exec: super::exec_options(g),
        ..RunOptions::default()
    };
    let r = run_demo(&a.out, &opts, &run_opts, progress.as_ref())?;
    let report = r.run.report.as_ref().expect("the demo draws its report");
    let report_seconds = r
        .run
        .timings
        .iter()
        .find(|(s, _)| s == "report")
        .map_or(0.0, |t| t.1);
    if g.json {
        super::print_json(&serde_json::json!({
            "census_dir": r.census_dir,
            "layers_dir": r.run.layout.layers(),
            "assess_dir": r.run.layout.assess(),
            "grid": r.run.census.grid,
            "files": r.files.iter().map(|(id, p, n)| serde_json::json!({"id": id, "path": p, "count": n})).collect::<Vec<_>>(),
            "layers": r.run.prepared().map(|p| p.all_layers()).unwrap_or_default().iter().map(|(id, p, c)| serde_json::json!({"id": id, "path": p, "cached": c})).collect::<Vec<_>>(),
            "ingested": r.run.ingested.iter().map(|(id, rep)| match rep {
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
        let grid = &r.run.census.grid;
        println!(
            "demo census {} ({}): {} × {} cells of {} m in {} — {:.2} M cells",
            r.run.census.census.name,
            r.run.census.census.code,
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
            r.census_dir
                .join(riskcensus::contracts::layout::CENSUS_DB)
                .display()
        );
        println!(
            "  {:<20} {:<16} {:>8} {:>8} {:>8}",
            "source", "layer", "read", "loaded", "rejected"
        );
        for (id, rep) in &r.run.ingested {
            match rep {
                Ok(rep) => println!(
                    "  {id:<20} {:<16} {:>8} {:>8} {:>8}",
                    rep.layer, rep.read, rep.loaded, rep.rejected
                ),
                Err(e) => println!("  {id:<20} failed: {e}"),
            }
        }
        let rejects: Vec<_> = r
            .run
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
        super::run::print_run(&r.run);
        println!(
            "generated in {:.1} s, run (ingest, stages, report) in {:.1} s",
            r.generate_seconds, r.run_seconds
        );
        super::run::print_summary(&r.run, r.generate_seconds + r.run_seconds);
    }
    Ok(())
}
