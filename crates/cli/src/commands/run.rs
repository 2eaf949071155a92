//! `riskcensus run`: the whole census run (the library's `riskcensus::run`).

use std::path::PathBuf;

use riskcensus::{RunOptions, RunReport};

use crate::{CliError, Global};

/// Run a census: load the survey sources the census database lacks, prepare the
/// layer stack, run every hazard stage whose data the census has, the model library
/// and zoning, and write manifest.json, the maps and report.html.
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
    #[arg(long, default_value = riskcensus::contracts::layout::DEFAULT_RUN_ID)]
    run_id: String,
    /// Run only these models (ids, repeatable); default: all.
    #[arg(long = "model", value_name = "ID")]
    models: Vec<String>,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    execute(&a.target, g)
}

/// Run the target census into `<census>/out/<run_id>/`.
pub fn execute(t: &Target, g: &Global) -> Result<(), CliError> {
    riskcensus::contracts::layout::check_run_id(&t.run_id).map_err(CliError::Args)?;
    let t0 = std::time::Instant::now();
    let progress = crate::progress::for_cli(g.quiet || g.json);
    let opts = RunOptions {
        run_id: t.run_id.clone(),
        models: t.models.clone(),
        exec: super::exec_options(g),
        ..RunOptions::default()
    };
    let r = riskcensus::run(&t.census, &opts, progress.as_ref())?;
    if g.json {
        super::print_json(&r.summary());
    } else if !g.quiet {
        println!("run {} → {}", t.run_id, r.layout.dir.display());
        print_ingested(&r);
        print_run(&r);
        print_summary(&r, t0.elapsed().as_secs_f64());
    }
    Ok(())
}

/// Print the sources a run loaded into the census database.
pub fn print_ingested(r: &RunReport) {
    for (id, rep) in &r.ingested {
        match rep {
            Ok(rep) => println!(
                "ingested {id}: {} read, {} loaded, {} rejected",
                rep.read, rep.loaded, rep.rejected
            ),
            Err(e) => println!("ingest of {id} failed: {e}"),
        }
    }
}

/// Print what a run produced.
pub fn print_run(r: &RunReport) {
    println!("layer stack in {}:", r.layout.layers().display());
    for (id, p, cached) in r.prepared().map(|p| p.all_layers()).unwrap_or_default() {
        println!(
            "  {:<22} {}{}",
            id,
            p.display(),
            if cached { " (cached)" } else { "" }
        );
    }
    println!("assessment in {}:", r.layout.assess().display());
    for (id, p) in r.flood().map(|f| f.depths.as_slice()).unwrap_or_default() {
        println!("  {:<22} {}", id, p.display());
    }
    let assessed = r.assessed().cloned().unwrap_or_default();
    for m in &assessed.runs {
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
    for (id, why) in &assessed.skipped {
        println!("  skipped {id}: {why}");
    }
    for s in &r.stages {
        if let Some(why) = &s.skipped {
            println!("  stage {} skipped: {why}", s.id);
        }
    }
    if let Some(t) = r.trends() {
        println!(
            "trends ({} yearly series tested, {} too short; assess/trends.csv):",
            t.tested,
            t.notes.len()
        );
        for (scope, code, series, trend, slope) in &t.significant {
            println!(
                "  {scope} {code} {series}: {trend} (Hamed–Rao), Sen's slope {slope:.3} per year"
            );
        }
    }
    if let Some(c) = r.capacity_gaps() {
        print_capacity(c);
    }
    if let Some(s) = r.scenarios() {
        print_scenarios(s);
    }
    let zoned = r.zoned().cloned().unwrap_or_default();
    if !zoned.layers.is_empty() {
        let z = &zoned;
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
        for z in &zoned.layers {
            println!(
                "  {:<22} {:>6} zones  scheme {:<12}{}{}",
                z.layer,
                z.zones,
                z.scheme,
                if z.prevention.is_some() {
                    "  + prevention zoning"
                } else {
                    ""
                },
                if z.below_mmu > 0 {
                    format!(
                        "  ({} isolated regions below the minimum mapping unit left out)",
                        z.below_mmu
                    )
                } else {
                    String::new()
                }
            );
        }
        if let Some(g) = &zoned.gpkg {
            println!("  {}", g.display());
        }
    }
    println!("manifest: {}", r.manifest.display());
    if let Some(rep) = &r.report {
        println!("report: {} ({} maps)", rep.html.display(), rep.maps.len());
    }
}

/// The scenarios in a few lines: the county's comprehensive AAL and deaths per
/// case with their Monte Carlo bands, the best measures, the hindcast
/// (docs/scenarios.md).
pub fn print_scenarios(s: &riskcensus::stages::scenarios::ScenariosReport) {
    println!(
        "scenarios ({} scenario files, {} Monte Carlo samples in {:.1} s, seed {}):",
        s.scenarios.len(),
        s.samples,
        s.mc_seconds,
        s.seed
    );
    for (id, aal, deaths) in &s.county {
        if id.contains(':') {
            continue;
        }
        let band = s
            .county_bands
            .iter()
            .find(|(c, _)| c == id)
            .map(|(_, b)| format!("  5–95 %: {:.0}–{:.0}", b[0], b[2]))
            .unwrap_or_default();
        println!("  {id:<22} AAL {aal:>12.1} 万元/yr  deaths {deaths:>8.4}/yr{band}");
    }
    for m in s.measures.iter().take(5) {
        let bcr = if m.appraisal.bcr.is_nan() {
            "no ratio (benefit not monetised)".to_string()
        } else {
            format!("benefit–cost ratio {:.2}", m.appraisal.bcr)
        };
        println!(
            "  measure {}/{}: averts {:.1} 万元/yr and {:.4} deaths/yr, {bcr}",
            m.scenario, m.measure, m.appraisal.averted_aal_wan, m.appraisal.averted_deaths
        );
    }
    if let Some(h) = &s.hindcast {
        println!(
            "  hindcast (split {}): Spearman ρ {:.2} (p {:.3}); the record alone ρ {:.2} (p {:.3})",
            h.split_year, h.rho, h.p, h.rho_naive, h.p_naive
        );
    }
    for n in &s.notes {
        println!("  note: {n}");
    }
}

/// The capacity gaps in a few lines: people without a shelter place per scenario,
/// unsafe shelters, reserve days for the plan's target, population beyond the
/// isochrones, capacity grades and the 三高一低 townships (docs/capacity.md).
fn print_capacity(c: &riskcensus::stages::capacity_gaps::CapacityReport) {
    println!(
        "capacity gaps ({} shelters, {} fail the site screen):",
        c.shelters, c.unsafe_shelters
    );
    for s in &c.scenarios {
        println!(
            "  {:<22} {:>10.0} displaced  {:>10.0} without a shelter place",
            s.id, s.displaced, s.unplaced
        );
    }
    if !c.plan_days.is_empty() {
        let days: Vec<String> = c
            .plan_days
            .iter()
            .map(|(item, d)| format!("{item} {d:.1} d"))
            .collect();
        println!("  reserves for the plan's target: {}", days.join(", "));
    }
    if !c.beyond.is_empty() {
        let b: Vec<String> = c
            .beyond
            .iter()
            .map(|(t, p)| format!("> {t} min {p:.0}"))
            .collect();
        println!(
            "  population beyond the rescue isochrones: {}",
            b.join(", ")
        );
    }
    println!(
        "  township capacity grades 1–5 (弱…强): {:?}, not graded {}; 三高一低: {}",
        &c.township_grades[1..],
        c.township_grades[0],
        if c.three_high_one_low.is_empty() {
            "none".to_string()
        } else {
            c.three_high_one_low.join(", ")
        }
    );
    for n in &c.notes {
        println!("  note: {n}");
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
pub fn print_summary(r: &RunReport, seconds: f64) {
    let grid = &r.census.grid;
    let zoned = r.zoned().cloned().unwrap_or_default();
    let hazards: std::collections::BTreeSet<&str> = zoned
        .layers
        .iter()
        .filter_map(|z| z.layer.split('_').next())
        .collect();
    let levels = zoned.layers.len();
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
        "units", zoned.units, zoned.villages
    );
    for (stage, s) in &r.timings {
        println!("  {:<24} {s:.1} s", stage);
    }
    println!("  {:<24} {seconds:.1} s", "run time");
    if let Some(m) = peak_rss_mib() {
        println!("  {:<24} {m:.0} MiB", "peak memory");
    }
}
