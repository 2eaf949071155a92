//! `riskcensus ground-motion`: ground-motion medians and sigmas for a table of
//! rupture–site cases, so an engineer can check the models against their own tools.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::stages::earthquake::ground_motion_csv;

use crate::Global;

/// Median (g for PGA/SA, cm/s for PGV) and total σ of ln IM per row, from a
/// ground-motion model named as in the OpenQuake hazard library.
///
/// Models: YuEtAl2013Ms, YuEtAl2013MsTibet, YuEtAl2013MsEastern, YuEtAl2013MsStable,
/// YuEtAl2013Mw (+Tibet/Eastern/Stable) — columns mag,repi_km,azimuth_deg (azimuth
/// from the fault strike, the ellipse's long axis), PGA and PGV;
/// BooreEtAl2014, BooreEtAl2014HighQ — columns mag,rake,rjb_km,vs30, PGA, PGV,
/// SA(0.2), SA(1.0).
/// Other known columns (id, dip, ztor_km, rrup_km, rx_km) are carried through; an
/// unknown column, a missing required one, or a magnitude outside the model's range
/// is an error naming the line and column (exit code 2).
///
/// Examples:
///   riskcensus ground-motion --gmm BooreEtAl2014 --input cases.csv --imt "SA(0.2)"
///   riskcensus ground-motion --gmm YuEtAl2013Ms --input cases.csv --out out.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Model (OpenQuake class name).
    #[arg(long)]
    gmm: String,
    /// Cases CSV with a header.
    #[arg(long)]
    input: PathBuf,
    /// Intensity measure: PGA, PGV or SA(T).
    #[arg(long, default_value = "PGA")]
    imt: String,
    /// Output CSV (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let text = ground_motion_csv(&a.gmm, &a.imt, &a.input)?;
    match &a.out {
        Some(p) => {
            riskcensus::write_atomic(p, text.as_bytes()).map_err(riskcensus::EngineError::from)?;
            if !g.quiet {
                eprintln!("wrote {} rows to {}", text.lines().count() - 1, p.display());
            }
        }
        None => print!("{text}"),
    }
    Ok(())
}
