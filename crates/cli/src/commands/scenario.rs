//! `riskcensus scenario`: the census run with the given scenario files
//! (docs/scenarios.md).

use std::path::PathBuf;

use riskcensus::RunOptions;

use crate::{CliError, Global};

/// Run the annual-loss pipeline of a census under scenarios: the baseline and each
/// scenario file (target year, exposure growth, new built-up areas, warming,
/// measures with their costs). Writes, beside the run's other outputs,
/// assess/scenario_units.csv (AAL, deaths and levels per township and county),
/// scenario_measures.csv (benefit–cost ratios), scenario_uncertainty.csv
/// (5/50/95 % bands), scenario_sensitivity.csv, scenario_convergence.csv,
/// hindcast.csv and a change map per scenario. Stages whose inputs did not change
/// keep their outputs.
///
/// Example:
///   riskcensus scenario out/demo/census scenarios/2030_growth.toml
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Census folder (holding census.toml).
    census: PathBuf,
    /// Scenario files (TOML); none: the census's scenarios/*.toml.
    scenarios: Vec<PathBuf>,
    /// Name of the run; outputs go to <census>/out/<run-id>/.
    #[arg(long, default_value = riskcensus::contracts::layout::DEFAULT_RUN_ID)]
    run_id: String,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    riskcensus::contracts::layout::check_run_id(&a.run_id).map_err(CliError::Args)?;
    for f in &a.scenarios {
        if !f.is_file() {
            return Err(CliError::Args(format!(
                "scenario file {} does not exist",
                f.display()
            )));
        }
    }
    let progress = crate::progress::for_cli(g.quiet || g.json);
    let opts = RunOptions {
        run_id: a.run_id.clone(),
        exec: super::exec_options(g),
        scenarios: (!a.scenarios.is_empty()).then(|| a.scenarios.clone()),
        ..RunOptions::default()
    };
    let r = riskcensus::run(&a.census, &opts, progress.as_ref())?;
    if g.json {
        super::print_json(&r.summary());
    } else if !g.quiet {
        println!("run {} → {}", a.run_id, r.layout.dir.display());
        match r.scenarios() {
            Some(s) => super::run::print_scenarios(s),
            None => {
                let why = r
                    .stage(riskcensus::stages::scenarios::ID)
                    .and_then(|s| s.skipped.clone())
                    .unwrap_or_else(|| "not run".into());
                println!("scenarios stage skipped: {why}");
            }
        }
        if let Some(rep) = &r.report {
            println!("report: {}", rep.html.display());
        }
    }
    Ok(())
}
