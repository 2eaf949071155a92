//! `riskcensus status`: what a census holds and what it can run.

use std::path::PathBuf;

use riskcensus::status::{status, Status};
use riskcensus::RunOptions;

use crate::{CliError, Global};

/// What a census holds and what it can run: per census table the records, batches,
/// last load and rejects; per census.toml source whether its file is present and
/// loaded; and for every hazard what a run would produce, or exactly which inputs it
/// lacks and how to provide them.
///
/// Examples:
///   riskcensus status out/demo/census
///   riskcensus status my-county --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The census folder (holds census.toml).
    pub census: PathBuf,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let s = status(&a.census, &RunOptions::default())?;
    if g.json {
        super::print_json(&s);
    } else if !g.quiet {
        print(&s);
    }
    Ok(())
}

fn print(s: &Status) {
    let g = &s.grid;
    println!("census {} — {} ({})", s.dir.display(), s.name, s.code);
    println!(
        "  grid {} × {} cells of {} m in {}",
        g.cols, g.rows, g.cell_size, g.crs
    );
    println!("database:");
    if s.tables.is_empty() {
        println!("  (no census database yet: `riskcensus ingest` or `riskcensus run` creates it)");
    } else {
        println!(
            "  {:<18} {:>9} {:>8} {:>9}  last load",
            "table", "records", "batches", "rejected"
        );
        for t in &s.tables {
            println!(
                "  {:<18} {:>9} {:>8} {:>9}  {}",
                t.table,
                t.records,
                t.batches,
                t.rejected,
                t.last_load.as_deref().unwrap_or("-")
            );
        }
    }
    println!("sources in census.toml:");
    for src in &s.sources {
        let state = match (src.present, src.loaded) {
            (false, _) => "MISSING FILE",
            (true, Some(true)) => "loaded",
            (true, Some(false)) => "not loaded yet (the next run loads it)",
            (true, None) => "present",
        };
        println!(
            "  [[{}]] {:<16} {:<14} {:<32} {state}",
            src.section,
            src.id,
            src.kind,
            src.path.display()
        );
    }
    for p in &s.problems {
        println!("  problem: {p}");
    }
    println!("plan:");
    for l in s.plan.lines() {
        println!("  {l}");
    }
}
