//! The fire-danger climatology per station (`riskcensus_models::wildfire::climatology`)
//! as a report row and as `wildfire_fwi_climatology.csv`.

use std::path::Path;

use riskcensus_models::wildfire::climatology::StationClimate;
use serde::Serialize;

use crate::error::EngineError;
use crate::output::CsvOut;

/// Per-station climatology row (serialisable).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClimateRow {
    /// Station id.
    pub station: String,
    /// Fire-season days.
    pub days: usize,
    /// 90th-percentile FWI of the season.
    pub fwi_p90: f64,
    /// Mean FWI.
    pub fwi_mean: f64,
    /// Highest FWI.
    pub fwi_max: f64,
    /// Seasonal severity rating.
    pub ssr: f64,
    /// Days per EFFIS danger class, very low … extreme.
    pub days_in_class: [usize; 6],
}

impl From<&StationClimate> for ClimateRow {
    fn from(c: &StationClimate) -> Self {
        ClimateRow {
            station: c.station.clone(),
            days: c.days,
            fwi_p90: c.fwi_p90,
            fwi_mean: c.fwi_mean,
            fwi_max: c.fwi_max,
            ssr: c.ssr,
            days_in_class: c.days_in_class,
        }
    }
}

/// `wildfire_fwi_climatology.csv`: one row per station, FWI statistics with 4
/// decimals, then the days per EFFIS class (bounds in
/// `riskcensus_models::wildfire::climatology`).
pub fn write_climatology(c: &[StationClimate], path: &Path) -> Result<(), EngineError> {
    let mut t = CsvOut::new(path);
    t.record([
        "station",
        "days",
        "fwi_p90",
        "fwi_mean",
        "fwi_max",
        "ssr",
        "days_very_low",
        "days_low",
        "days_moderate",
        "days_high",
        "days_very_high",
        "days_extreme",
    ])?;
    for r in c {
        let stats = [
            r.station.clone(),
            r.days.to_string(),
            format!("{:.4}", r.fwi_p90),
            format!("{:.4}", r.fwi_mean),
            format!("{:.4}", r.fwi_max),
            format!("{:.4}", r.ssr),
        ];
        t.record(
            stats
                .into_iter()
                .chain(r.days_in_class.iter().map(|n| n.to_string())),
        )?;
    }
    t.finish()
}
