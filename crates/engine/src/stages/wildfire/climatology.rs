//! The fire-danger climatology per station (`riskcensus_models::wildfire::climatology`)
//! as a report row and as `wildfire_fwi_climatology.csv`.

use std::path::Path;

use riskcensus_models::wildfire::climatology::StationClimate;

use crate::error::EngineError;
use crate::output::CsvOut;

/// Per-station climatology, as the stage reports it (the models crate's
/// [`StationClimate`]).
pub type ClimateRow = StationClimate;

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
