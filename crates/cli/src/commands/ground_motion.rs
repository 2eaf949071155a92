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
/// BooreEtAl2014, BooreEtAl2014HighQ — columns mag,rake,rjb_km,vs30;
/// AbrahamsonEtAl2014, AbrahamsonEtAl2014RegCHN — columns
///   mag,rake,dip,ztor_km,width_km,rrup_km,rx_km,ry0_km,vs30 (optional z1pt0_m);
/// CampbellBozorgnia2014, CampbellBozorgnia2014HighQ — columns
///   mag,rake,dip,ztor_km,width_km,zhyp_km,rrup_km,rjb_km,rx_km,vs30 (optional z2pt5_km);
/// ChiouYoungs2014, ChiouYoungs2014Wenchuan — columns
///   mag,rake,dip,ztor_km,rrup_km,rjb_km,rx_km,vs30 (optional z1pt0_m);
/// the NGA-West2 models (Boore, Abrahamson, Campbell, Chiou) give PGA, PGV, SA(0.2)
/// and SA(1.0). Units: km, degrees, m/s; z1pt0_m in m, z2pt5_km in km; an empty
/// z1pt0_m/z2pt5_km takes the model's default from Vs30.
/// Other known columns (id and those of other models) are carried through; an
/// unknown column, a missing required one, or a magnitude outside the model's range
/// is an error naming the line and column (exit code 2).
///
/// Examples:
///   riskcensus ground-motion --gmm BooreEtAl2014 --input cases.csv --imt "SA(0.2)"
///   riskcensus ground-motion --gmm YuEtAl2013Ms --input cases.csv --out out.csv
///   riskcensus ground-motion --gmm ChiouYoungs2014 --input cases.csv --imt PGV
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
