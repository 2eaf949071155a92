//! Daily FWI tables: every station-day of validated weather records through the FWI
//! system from the start-up codes (`riskcensus_models::wildfire`), read from a CSV
//! (the standalone `riskcensus fwi`) or from the census records, and written as CSV.

use std::path::Path;

use riskcensus_models::wildfire::weather::{self, parse_csv, GapPolicy, RawRecord};
use riskcensus_models::wildfire::{compute_seasons, StationDay};
use serde::Serialize;

use crate::error::EngineError;
use crate::output::CsvOut;

/// A daily FWI table: every station-day in source-row order.
#[derive(Debug, Clone, PartialEq)]
pub struct FwiTable {
    /// True when the source had a station column (written back out).
    pub has_station: bool,
    /// The station-days.
    pub days: Vec<StationDay>,
    /// Where each station's series starts again from the start-up codes.
    pub seasons: Vec<SeasonSpan>,
}

/// One fire season of one station (a continuous run of days).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeasonSpan {
    /// Station id (empty for a single-station file).
    pub station: String,
    /// First day.
    pub first: String,
    /// Last day.
    pub last: String,
    /// Days in the season.
    pub days: usize,
}

/// The FWI table of raw weather records (validated first: every bad row is
/// reported, none is filled in; see `riskcensus_models::wildfire::weather`).
pub fn fwi_from_records(
    raw: &[RawRecord],
    has_station: bool,
    source: &Path,
) -> Result<(FwiTable, Vec<weather::Season>), EngineError> {
    let name = source.display().to_string();
    let seasons =
        weather::validate(raw, GapPolicy::default(), &name).map_err(|e| EngineError::Weather {
            path: source.to_path_buf(),
            source: e,
        })?;
    let mut days = compute_seasons(&seasons);
    days.sort_by_key(|d| d.row);
    let spans = seasons
        .iter()
        .map(|s| SeasonSpan {
            station: s.station.clone(),
            first: s.first.to_string(),
            last: s.last.to_string(),
            days: s.records.len(),
        })
        .collect();
    Ok((
        FwiTable {
            has_station,
            days,
            seasons: spans,
        },
        seasons,
    ))
}

/// The FWI table of a weather CSV (`date,month,lat,temp_c,rh_pct,wind_kmh,rain_mm`,
/// optional `station`; other columns ignored).
pub fn fwi_from_csv(path: &Path) -> Result<FwiTable, EngineError> {
    let text = std::fs::read_to_string(path).map_err(EngineError::fs(path))?;
    let raw = parse_csv(&text, &path.display().to_string()).map_err(|e| EngineError::Weather {
        path: path.to_path_buf(),
        source: e,
    })?;
    let has_station = csv::Reader::from_reader(text.as_bytes())
        .headers()
        .map_err(|source| EngineError::Csv {
            path: path.to_path_buf(),
            source,
        })?
        .iter()
        .any(|c| c.trim().eq_ignore_ascii_case("station"));
    Ok(fwi_from_records(&raw, has_station, path)?.0)
}

/// Writes [`format_fwi_csv`] atomically (temporary file, then rename).
pub fn write_fwi_csv(table: &FwiTable, path: &Path, decimals: usize) -> Result<(), EngineError> {
    fwi_csv(table, path, decimals)?.finish()
}

/// The table as CSV text: `[station,]date,ffmc,dmc,dc,isi,bui,fwi,dsr`, values with
/// `decimals` decimals (rounded only here; the codes are carried unrounded).
pub fn format_fwi_csv(table: &FwiTable, decimals: usize) -> String {
    let bytes = fwi_csv(table, Path::new("<fwi table>"), decimals)
        .and_then(CsvOut::into_bytes)
        .expect("a table of equal-length records encodes into memory");
    String::from_utf8(bytes).expect("UTF-8 fields give UTF-8 CSV")
}

/// The table's records, to be written to `path`.
fn fwi_csv(table: &FwiTable, path: &Path, decimals: usize) -> Result<CsvOut, EngineError> {
    let mut t = CsvOut::new(path);
    let station = table.has_station.then_some("station");
    t.record(
        station
            .into_iter()
            .chain(["date", "ffmc", "dmc", "dc", "isi", "bui", "fwi", "dsr"]),
    )?;
    for d in &table.days {
        let f = &d.fwi;
        let station = table.has_station.then(|| d.station.clone());
        t.record(
            station.into_iter().chain([d.date.to_string()]).chain(
                [f.ffmc, f.dmc, f.dc, f.isi, f.bui, f.fwi, f.dsr]
                    .iter()
                    .map(|v| format!("{v:.decimals$}")),
            ),
        )?;
    }
    Ok(t)
}
