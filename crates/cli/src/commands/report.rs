//! `riskcensus report`: maps and the HTML report of a finished run folder.

use std::path::PathBuf;
use std::time::Instant;

use crate::CliError;
use riskcensus::report::{render_report, ReportOptions};

use crate::Global;

/// Draw the risk maps (PNG, A4 at 200 dpi and web size) of every level grid of a run
/// and write its report (report.html, self-contained, in Chinese with English
/// headings). Needs a CJK font (Debian fonts-noto-cjk, or RISKCENSUS_CJK_FONT).
///
/// Examples:
///   riskcensus report out/demo
///   riskcensus report out/demo --web-only
///   riskcensus report census/out/run-1 --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A run folder (holding manifest.json, layers/ and assess/).
    run_dir: PathBuf,
    /// Only web-size maps (skip the A4 print pages).
    #[arg(long)]
    web_only: bool,
    /// Font file to use instead of searching the system font folders.
    #[arg(long, value_name = "FILE")]
    font: Option<PathBuf>,
}

/// The report options of the command's flags (every field of [`ReportOptions`] is
/// one).
pub fn options(web_only: bool, font: Option<PathBuf>) -> ReportOptions {
    ReportOptions { web_only, font }
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let t0 = Instant::now();
    let summary = render_report(&a.run_dir, &options(a.web_only, a.font)).map_err(|source| {
        CliError::Report {
            run_dir: a.run_dir.clone(),
            source,
        }
    })?;
    let secs = t0.elapsed().as_secs_f64();
    if g.json {
        super::print_json(&serde_json::json!({
            "html": summary.html,
            "maps": summary.maps,
            "grids": summary.grids,
            "font": summary.font,
            "font_family": summary.font_family,
            "seconds": secs,
        }));
    } else if !g.quiet {
        println!("report    {}", summary.html.display());
        println!(
            "maps      {} PNG for {} level grids in {}",
            summary.maps.len(),
            summary.grids.len(),
            riskcensus::contracts::RunLayout::new(&a.run_dir)
                .maps()
                .display()
        );
        println!(
            "font      {} ({})",
            summary.font.display(),
            summary.font_family
        );
        println!("time      {secs:.2} s");
    }
    Ok(())
}
