//! Wildfire (森林火灾): the Canadian Forest Fire Weather Index system, daily weather
//! validation, the fire-danger climatology of a station, interpolation of station
//! values to the census grid, and the raster operators of the fire hazard (issue 8).
//!
//! - [`fwi`]: FFMC, DMC, DC, ISI, BUI, FWI and DSR (Van Wagner & Pickett 1985;
//!   Van Wagner 1987);
//! - [`weather`]: daily records, collect-all validation, gap policy and seasons;
//! - [`climatology`]: per-station fire-season statistics (90th-percentile FWI, days
//!   per danger class);
//! - [`interpolate`]: inverse-distance weighting with a temperature lapse rate;
//! - [`field`]: the fire weather at any point: interpolated daily weather through
//!   the FWI system, a percentile of the season's FWI;
//! - [`lattice`]: the weather lattice the fire-weather grid is computed on;
//! - [`hazard`]: kernel density of fire points and the wildland–urban interface;
//! - [`capacity`]: fire-fighting personnel potential and water-source cells.
//!
//! Method notes, agreement figures and simplifications: `docs/wildfire.md`.

pub mod capacity;
pub mod climatology;
pub mod field;
pub mod fwi;
pub mod hazard;
pub mod interpolate;
pub mod lattice;
pub mod weather;

pub use fwi::{Codes, DayWeather, FwiDay};
pub use weather::{Date, GapPolicy, RawRecord, Record, Season, WeatherError, WeatherProblem};

/// One station-day of FWI outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct StationDay {
    /// Station id (empty for a single-station file).
    pub station: String,
    /// Day of the weather record.
    pub date: Date,
    /// Source row of the weather record.
    pub row: usize,
    /// The day's FWI codes and indices.
    pub fwi: FwiDay,
}

/// Runs every season from the start-up codes ([`Codes::STARTUP`]; the DC is not
/// overwintered), in the order given.
pub fn compute_seasons(seasons: &[Season]) -> Vec<StationDay> {
    let mut out = Vec::new();
    for s in seasons {
        let days: Vec<DayWeather> = s.records.iter().map(|r| r.weather).collect();
        let res = fwi::run_season(Codes::STARTUP, &days);
        out.extend(s.records.iter().zip(res).map(|(r, f)| StationDay {
            station: s.station.clone(),
            date: r.date,
            row: r.row,
            fwi: f,
        }));
    }
    out
}
