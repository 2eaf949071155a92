//! `riskcensus fwi`: the Canadian Forest Fire Weather Index system on a daily
//! weather file, for a fire-prevention office as much as for the census.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::stages::wildfire::{format_fwi_csv, fwi_from_csv, write_fwi_csv};

use crate::Global;

/// Daily FFMC, DMC, DC, ISI, BUI, FWI and DSR (Van Wagner & Pickett 1985; Van Wagner
/// 1987) from noon weather. Each station's series starts from FFMC 85, DMC 6, DC 15;
/// a gap of more than 60 days starts a new season (listed on stderr); a shorter gap,
/// a duplicate or out-of-order day, RH outside 0–100 %, negative rain or a missing
/// value is an error naming the row, station, date and field (exit code 2). Nothing
/// is filled in.
///
/// Input columns (header, any order, extra columns ignored):
///   date (YYYY-MM-DD), month (1–12), lat (°N), temp_c (°C), rh_pct (%),
///   wind_kmh (km/h, 10 m), rain_mm (24 h), optional station
/// Output: [station,]date,ffmc,dmc,dc,isi,bui,fwi,dsr, one line per input row.
///
/// Examples:
///   riskcensus fwi weather.csv --out fwi.csv
///   riskcensus fwi weather.csv --decimals 4 > fwi.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Daily weather CSV.
    weather: PathBuf,
    /// Output CSV (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Decimals written (the published tables use 1).
    #[arg(long, default_value_t = 1)]
    decimals: usize,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let table = fwi_from_csv(&a.weather)?;
    if !g.quiet && table.seasons.len() > 1 {
        for s in &table.seasons {
            let who = if s.station.is_empty() {
                String::new()
            } else {
                format!("station {}: ", s.station)
            };
            eprintln!(
                "{who}season {} – {} ({} days) from start-up codes 85/6/15",
                s.first, s.last, s.days
            );
        }
    }
    match &a.out {
        Some(p) => {
            write_fwi_csv(&table, p, a.decimals)?;
            if !g.quiet {
                eprintln!("wrote {} days to {}", table.days.len(), p.display());
            }
        }
        None => print!("{}", format_fwi_csv(&table, a.decimals)),
    }
    Ok(())
}
