//! `riskcensus breaks`: class breaks of a raster.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::tools::zonal::{raster_breaks, Method, DEFAULT_STEP};

use crate::Global;

/// Print the K class breaks (ascending upper bounds, the last = the maximum) of a
/// raster's band 1 over all its valid cells. Level codes count down from the top:
/// the class above the last inner break is level 1.
///
/// Methods: jenks (exact Fisher–Jenks natural breaks on the values quantised to
/// --step), quantile (Hyndman–Fan type 7, numpy's default, exact), equal (equal
/// interval between the exact minimum and maximum).
///
/// Examples:
///   riskcensus breaks out/demo/assess/flood_risk.tif --method jenks --classes 5
///   riskcensus breaks risk.tif --method quantile --classes 4 --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A raster (band 1 is classified; nodata cells are skipped).
    raster: PathBuf,
    /// jenks, quantile or equal.
    #[arg(long, default_value = "jenks")]
    method: String,
    /// Number of classes K (5 for risk levels, 4 for geological hazards).
    #[arg(long, default_value_t = 5)]
    classes: usize,
    /// Quantisation step of natural breaks, in the raster's unit.
    #[arg(long, default_value_t = DEFAULT_STEP)]
    step: f64,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let bad = |msg: String| CliError::Args(msg);
    let method = match Method::parse(&a.method) {
        Some(Method::Fixed) | None => {
            return Err(bad(format!(
                "--method {:?}: expected jenks, quantile or equal",
                a.method
            )))
        }
        Some(m) => m,
    };
    let b = raster_breaks(&a.raster, method, a.classes, a.step)?;
    if g.json {
        super::print_json(&b);
        return Ok(());
    }
    let k = b.classes();
    println!("method {}  classes {k}", b.method.id());
    let mut lo: Option<f64> = None;
    for (i, &hi) in b.bounds.iter().enumerate() {
        let range = match lo {
            None => format!("≤ {hi}"),
            Some(l) => format!("({l}, {hi}]"),
        };
        println!("level {}  {range}", k - i);
        lo = Some(hi);
    }
    Ok(())
}
