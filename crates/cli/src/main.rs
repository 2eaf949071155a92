//! `riskcensus`: the command-line face of the RiskCensus engine. The binary only
//! parses arguments, renders progress and prints results; the work is done by
//! `riskcensus-engine`.
//!
//! Exit codes: 0 success, 1 failure of the engine or environment, 2 bad input or
//! arguments.

// Subcommand doc comments are clap's --help text, shown as written (<census>), not Markdown.
#[allow(rustdoc::invalid_html_tags, rustdoc::broken_intra_doc_links)]
mod commands;
mod error;
mod progress;

pub use error::CliError;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Natural-disaster risk census engine: survey data in, hazard and risk grids,
/// zoning, maps and reports out.
#[derive(Debug, Parser)]
#[command(name = "riskcensus", version, about, long_about = None)]
pub struct Cli {
    /// Worker threads (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    /// Print machine-readable JSON on stdout instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// No progress bars or summaries; errors are still printed.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Assess(commands::assess::Args),
    Breaks(commands::breaks::Args),
    Demo(commands::demo::Args),
    Fragility(commands::fragility::Args),
    Fwi(commands::fwi::Args),
    GroundMotion(commands::ground_motion::Args),
    Ingest(commands::ingest::Args),
    Init(commands::init::Args),
    Inspect(commands::inspect::Args),
    Prepare(commands::prepare::Args),
    Report(commands::report::Args),
    Run(commands::run::Args),
    Scenario(commands::scenario::Args),
    Status(commands::status::Args),
    Susceptibility(commands::susceptibility::Args),
    Terrain(commands::terrain::Args),
    Validate(commands::validate::Args),
    Zonal(commands::zonal::Args),
}

/// Options every subcommand sees.
pub struct Global {
    /// `--threads`: worker threads; `None` uses all cores (0 is rejected before any
    /// subcommand runs).
    pub threads: Option<usize>,
    /// `--json`: machine-readable JSON on stdout instead of tables.
    pub json: bool,
    /// `--quiet`: no progress bars or summaries; errors are still printed.
    pub quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let g = Global {
        threads: cli.threads,
        json: cli.json,
        quiet: cli.quiet,
    };
    if g.threads == Some(0) {
        eprintln!("error: --threads must be at least 1");
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Assess(a) => commands::assess::run(a, &g),
        Command::Breaks(a) => commands::breaks::run(a, &g),
        Command::Demo(a) => commands::demo::run(a, &g),
        Command::Fragility(a) => commands::fragility::run(a, &g),
        Command::Fwi(a) => commands::fwi::run(a, &g),
        Command::GroundMotion(a) => commands::ground_motion::run(a, &g),
        Command::Ingest(a) => commands::ingest::run(a, &g),
        Command::Init(a) => commands::init::run(a, &g),
        Command::Inspect(a) => commands::inspect::run(a, &g),
        Command::Prepare(a) => commands::prepare::run(a, &g),
        Command::Report(a) => commands::report::run(a, &g),
        Command::Run(a) => commands::run::run(a, &g),
        Command::Scenario(a) => commands::scenario::run(a, &g),
        Command::Status(a) => commands::status::run(a, &g),
        Command::Susceptibility(a) => commands::susceptibility::run(a, &g),
        Command::Terrain(a) => commands::terrain::run(a, &g),
        Command::Validate(a) => commands::validate::run(a, &g),
        Command::Zonal(a) => commands::zonal::run(a, &g),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Scripts read one JSON object on stdout, error or not (a source with
            // rejected records has printed its report already).
            if g.json && !matches!(e, CliError::Rejected(_)) {
                let mut causes = Vec::new();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    causes.push(s.to_string());
                    src = s.source();
                }
                commands::print_json(&serde_json::json!({
                    "error": {
                        "message": e.to_string(),
                        "causes": causes,
                        "exit_code": e.exit_code(),
                    }
                }));
            }
            let shown = e.to_string();
            eprintln!("error: {shown}");
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                // A cause whose text the message already carries adds nothing.
                let text = s.to_string();
                if !shown.contains(&text) {
                    eprintln!("  caused by: {text}");
                }
                src = s.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
