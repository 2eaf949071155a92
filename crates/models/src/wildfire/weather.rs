//! Daily fire-weather records: parsing, validation and splitting into seasons.
//!
//! A record is one station-day of noon weather (`date, month, lat, temp_c, rh_pct,
//! wind_kmh, rain_mm`, optionally `station`). Validation collects **every** problem
//! (DESIGN.md §7), each naming the source, the row (1-based line of the CSV, header =
//! line 1), the station, the date and the field:
//!
//! | problem | rule |
//! |---|---|
//! | missing value | every field above must be present; nothing is filled in |
//! | out of range | temp −70..=60 °C, RH 0..=100 %, wind 0..=400 km/h, rain 0..=2000 mm, lat 0..=90 (the census schema's ranges; the standard day-length factors are northern) |
//! | month mismatch | `month` must equal the month of `date` |
//! | duplicate day | a station-date given twice |
//! | out of order | a station's dates must ascend in file order |
//! | missing days | a gap of 2..=`season_break_days` days inside a station's series |
//!
//! **Gap policy.** The FWI codes are a running balance, so a missing day cannot be
//! skipped or interpolated without inventing weather: a short gap is an error. A gap
//! longer than [`GapPolicy::season_break_days`] (default 60 days) is taken as the
//! end of one fire season and the start of the next: the next season starts again
//! from the start-up codes. Every season is returned as a [`Season`] so the caller
//! logs where the series was split; a split is never silent.

use std::collections::BTreeMap;
use std::fmt;

use thiserror::Error;

use super::fwi::DayWeather;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31 (checked against the month and leap years).
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` or `YYYY/MM/DD` (OGR's date text), optionally followed by a
    /// time (`T…` or ` …`), which is ignored.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let s = s.split(['T', ' ']).next()?;
        let mut it = s.split(['-', '/']);
        let year: i32 = it.next()?.parse().ok()?;
        let month: u8 = it.next()?.parse().ok()?;
        let day: u8 = it.next()?.parse().ok()?;
        if it.next().is_some() || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil` algorithm).
    pub fn days(&self) -> i64 {
        let y = self.year as i64 - (self.month <= 2) as i64;
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// One validated station-day.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Station id; empty when the file has no station column (one station).
    pub station: String,
    /// Day of the record.
    pub date: Date,
    /// Latitude, degrees north (recorded; the day-length factors are the standard ones).
    pub lat: f64,
    /// Noon temperature, humidity, wind and 24 h rain.
    pub weather: DayWeather,
    /// 1-based line of the source (the header is line 1).
    pub row: usize,
}

/// One problem with the weather records.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum WeatherProblem {
    /// Required columns are missing from the header (or the file is empty).
    #[error("row {row}: missing column(s) {columns} in the header")]
    Header {
        /// Line of the header (1-based).
        row: usize,
        /// The missing columns, comma-separated.
        columns: String,
    },
    /// The CSV text cannot be parsed (the csv crate's cause).
    #[error("row {row}: {source}")]
    Csv {
        /// Line of the problem (1-based; 0 when unknown).
        row: usize,
        /// The csv crate's error.
        #[source]
        source: crate::CsvCause,
    },
    /// A row's field count differs from the header's.
    #[error("row {row}: {found} fields, the header has {expected}")]
    FieldCount {
        /// Line of the row (1-based).
        row: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// A value that is missing, unparsable or out of range, or a month that does not
    /// match the date.
    #[error("row {row}: station {station:?}, date {date}: `{field}` = {value:?}: {msg}")]
    Field {
        /// Line of the row (1-based).
        row: usize,
        /// Station id as given.
        station: String,
        /// Date as given.
        date: String,
        /// Column name.
        field: &'static str,
        /// Value as given (empty when missing).
        value: String,
        /// What is wrong, with the allowed range.
        msg: String,
    },
    /// A station-date given twice.
    #[error("row {row}: station {station:?}, date {date}: duplicate day (first given on row {first_row})")]
    Duplicate {
        /// Line of the second occurrence (1-based).
        row: usize,
        /// Station id.
        station: String,
        /// The repeated date.
        date: Date,
        /// Line of the first occurrence.
        first_row: usize,
    },
    /// A station's date precedes the one on its previous row.
    #[error("row {row}: station {station:?}, date {date}: out of order (follows {previous} on row {previous_row})")]
    OutOfOrder {
        /// Line of the row (1-based).
        row: usize,
        /// Station id.
        station: String,
        /// The date of the row.
        date: Date,
        /// The station's date on its previous row.
        previous: Date,
        /// Line of that previous row.
        previous_row: usize,
    },
    /// A gap of 2..=`season_break_days` days inside a station's series.
    #[error("row {row}: station {station:?}, date {date}: {missing} missing day(s) after {previous} (row {previous_row}); the FWI codes are a daily balance and a gap is not filled")]
    MissingDays {
        /// Line of the row after the gap (1-based).
        row: usize,
        /// Station id.
        station: String,
        /// The date after the gap.
        date: Date,
        /// The date before the gap.
        previous: Date,
        /// Line of the row before the gap.
        previous_row: usize,
        /// Days missing between them.
        missing: i64,
    },
}

/// All problems found in a weather source.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{source_name}: {} weather problem(s):\n  {}", problems.len(), problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n  "))]
pub struct WeatherError {
    /// The file or table the records came from.
    pub source_name: String,
    /// Every problem found, in row order.
    pub problems: Vec<WeatherProblem>,
}

/// How gaps between days are treated (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GapPolicy {
    /// A gap of more than this many days ends a season; shorter gaps (≥ 2 days) are
    /// errors. A gap of 1 day means consecutive dates.
    pub season_break_days: i64,
}

impl Default for GapPolicy {
    fn default() -> Self {
        GapPolicy {
            season_break_days: 60,
        }
    }
}

/// A continuous run of days of one station, computed from the start-up codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    /// Station id.
    pub station: String,
    /// First day of the season.
    pub first: Date,
    /// Last day of the season.
    pub last: Date,
    /// The station-days of the season, consecutive dates.
    pub records: Vec<Record>,
}

/// Raw field values of one row, before validation (for the engine, which reads
/// the census table, and for the CSV reader). Missing values are `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawRecord {
    /// Line of the row in a CSV (1-based, header = 1), or the record's 1-based position in
    /// a table.
    pub row: usize,
    /// Station id; `None` when there is no station column.
    pub station: Option<String>,
    /// Date, `YYYY-MM-DD` or `YYYY/MM/DD`.
    pub date: Option<String>,
    /// Month, 1–12; must match `date`.
    pub month: Option<String>,
    /// Latitude, degrees north.
    pub lat: Option<String>,
    /// Noon temperature, °C.
    pub temp_c: Option<String>,
    /// Noon relative humidity, %.
    pub rh_pct: Option<String>,
    /// Noon 10 m wind speed, km/h.
    pub wind_kmh: Option<String>,
    /// Rain of the previous 24 h, mm.
    pub rain_mm: Option<String>,
}

/// Parses a CSV text with a header naming at least `date, month, lat, temp_c,
/// rh_pct, wind_kmh, rain_mm` (any order, any case; `station` optional; other
/// columns ignored), through the csv crate: quoted fields are unquoted, fields are
/// trimmed, blank lines skipped. Empty fields are missing values. Every row whose
/// field count differs from the header's is reported.
pub fn parse_csv(text: &str, source_name: &str) -> Result<Vec<RawRecord>, WeatherError> {
    let err = |p: WeatherProblem| WeatherError {
        source_name: source_name.to_string(),
        problems: vec![p],
    };
    let csv_problem = |e: csv::Error| {
        let source = crate::CsvCause::from(e);
        WeatherProblem::Csv {
            row: source.line().unwrap_or(0) as usize,
            source,
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        None => None,
        Some(h) => Some(h.map_err(|e| err(csv_problem(e)))?),
    };
    let Some(header) = header.filter(|h| !h.iter().all(str::is_empty)) else {
        return Err(err(WeatherProblem::Header {
            row: 1,
            columns: "date, month, lat, temp_c, rh_pct, wind_kmh, rain_mm (empty file)".into(),
        }));
    };
    let cols = Columns::of(&header).map_err(err)?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(csv_problem(e));
                continue;
            }
        };
        // A line of blanks only.
        if rec.len() == 1 && rec[0].is_empty() {
            continue;
        }
        let row = rec.position().map_or(0, |p| p.line() as usize);
        if rec.len() != header.len() {
            problems.push(WeatherProblem::FieldCount {
                row,
                expected: header.len(),
                found: rec.len(),
            });
            continue;
        }
        out.push(cols.record(&rec, row));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(WeatherError {
            source_name: source_name.to_string(),
            problems,
        })
    }
}

/// Where the columns of a weather CSV are.
struct Columns {
    station: Option<usize>,
    date: usize,
    month: usize,
    lat: usize,
    temp_c: usize,
    rh_pct: usize,
    wind_kmh: usize,
    rain_mm: usize,
}

impl Columns {
    /// The columns of a header (any case); every required column missing is named.
    fn of(header: &csv::StringRecord) -> Result<Columns, WeatherProblem> {
        let row = header.position().map_or(1, |p| p.line() as usize);
        let names: Vec<String> = header.iter().map(str::to_ascii_lowercase).collect();
        let col = |name: &str| names.iter().position(|h| h == name);
        let required = [
            "date", "month", "lat", "temp_c", "rh_pct", "wind_kmh", "rain_mm",
        ];
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| col(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(WeatherProblem::Header {
                row,
                columns: missing.join(", "),
            });
        }
        let idx = |n: &str| col(n).expect("checked");
        Ok(Columns {
            station: col("station"),
            date: idx("date"),
            month: idx("month"),
            lat: idx("lat"),
            temp_c: idx("temp_c"),
            rh_pct: idx("rh_pct"),
            wind_kmh: idx("wind_kmh"),
            rain_mm: idx("rain_mm"),
        })
    }

    /// The raw values of a record of the header's length at line `row`.
    fn record(&self, rec: &csv::StringRecord, row: usize) -> RawRecord {
        let get = |i: usize| Some(rec[i].to_string()).filter(|s| !s.is_empty());
        RawRecord {
            row,
            station: self.station.and_then(get),
            date: get(self.date),
            month: get(self.month),
            lat: get(self.lat),
            temp_c: get(self.temp_c),
            rh_pct: get(self.rh_pct),
            wind_kmh: get(self.wind_kmh),
            rain_mm: get(self.rain_mm),
        }
    }
}

/// Validates raw records and splits each station's series into seasons (stations in
/// id order, seasons in date order). Returns every problem at once.
pub fn validate(
    raw: &[RawRecord],
    policy: GapPolicy,
    source_name: &str,
) -> Result<Vec<Season>, WeatherError> {
    let mut problems = Vec::new();
    let mut by_station: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for r in raw {
        if let Some(rec) = validate_one(r, &mut problems) {
            by_station.entry(rec.station.clone()).or_default().push(rec);
        }
    }
    let mut seasons = Vec::new();
    for (station, recs) in by_station {
        let mut first_row: BTreeMap<Date, usize> = BTreeMap::new();
        let mut current: Vec<Record> = Vec::new();
        let mut last: Option<(Date, usize)> = None;
        for rec in recs {
            if let Some(&fr) = first_row.get(&rec.date) {
                problems.push(WeatherProblem::Duplicate {
                    row: rec.row,
                    station: station.clone(),
                    date: rec.date,
                    first_row: fr,
                });
                continue;
            }
            first_row.insert(rec.date, rec.row);
            if let Some((prev, prow)) = last {
                let gap = rec.date.days() - prev.days();
                if gap <= 0 {
                    problems.push(WeatherProblem::OutOfOrder {
                        row: rec.row,
                        station: station.clone(),
                        date: rec.date,
                        previous: prev,
                        previous_row: prow,
                    });
                    continue;
                }
                if gap > policy.season_break_days {
                    push_season(&mut seasons, &station, std::mem::take(&mut current));
                } else if gap > 1 {
                    problems.push(WeatherProblem::MissingDays {
                        row: rec.row,
                        station: station.clone(),
                        date: rec.date,
                        previous: prev,
                        previous_row: prow,
                        missing: gap - 1,
                    });
                }
            }
            last = Some((rec.date, rec.row));
            current.push(rec);
        }
        push_season(&mut seasons, &station, current);
    }
    if problems.is_empty() {
        Ok(seasons)
    } else {
        problems.sort_by_key(problem_row);
        Err(WeatherError {
            source_name: source_name.to_string(),
            problems,
        })
    }
}

fn problem_row(p: &WeatherProblem) -> usize {
    match p {
        WeatherProblem::Header { row, .. }
        | WeatherProblem::Csv { row, .. }
        | WeatherProblem::FieldCount { row, .. }
        | WeatherProblem::Field { row, .. }
        | WeatherProblem::Duplicate { row, .. }
        | WeatherProblem::OutOfOrder { row, .. }
        | WeatherProblem::MissingDays { row, .. } => *row,
    }
}

fn push_season(seasons: &mut Vec<Season>, station: &str, records: Vec<Record>) {
    if let (Some(a), Some(b)) = (records.first(), records.last()) {
        seasons.push(Season {
            station: station.to_string(),
            first: a.date,
            last: b.date,
            records,
        });
    }
}

fn validate_one(r: &RawRecord, problems: &mut Vec<WeatherProblem>) -> Option<Record> {
    let station = r.station.clone().unwrap_or_default();
    let date_text = r.date.clone().unwrap_or_default();
    let n0 = problems.len();
    let mut field_err = |field: &'static str, value: &Option<String>, msg: &str| {
        problems.push(WeatherProblem::Field {
            row: r.row,
            station: station.clone(),
            date: date_text.clone(),
            field,
            value: value.clone().unwrap_or_default(),
            msg: msg.to_string(),
        });
    };
    let date = match r.date.as_deref() {
        None => {
            field_err("date", &r.date, "missing");
            None
        }
        Some(s) => {
            let d = Date::parse(s);
            if d.is_none() {
                field_err("date", &r.date, "not a date (YYYY-MM-DD)");
            }
            d
        }
    };
    let mut num = |field: &'static str, v: &Option<String>, lo: f64, hi: f64, unit: &str| match v
        .as_deref()
    {
        None => {
            field_err(field, v, "missing (not filled in)");
            None
        }
        Some(s) => match s.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= lo && x <= hi => Some(x),
            Ok(x) if x.is_finite() => {
                field_err(field, v, &format!("outside {lo}..={hi} {unit}"));
                None
            }
            _ => {
                field_err(field, v, "not a number");
                None
            }
        },
    };
    let month = num("month", &r.month, 1.0, 12.0, "");
    let lat = num(
        "lat",
        &r.lat,
        0.0,
        90.0,
        "degrees north (standard day-length factors are for the northern hemisphere)",
    );
    let temp_c = num("temp_c", &r.temp_c, -70.0, 60.0, "°C");
    let rh_pct = num("rh_pct", &r.rh_pct, 0.0, 100.0, "%");
    let wind_kmh = num("wind_kmh", &r.wind_kmh, 0.0, 400.0, "km/h");
    let rain_mm = num("rain_mm", &r.rain_mm, 0.0, 2000.0, "mm");
    if let (Some(m), Some(d)) = (month, date) {
        if m.fract() != 0.0 || m as u8 != d.month {
            field_err(
                "month",
                &r.month,
                &format!("does not match the month of {d}"),
            );
        }
    }
    if problems.len() > n0 {
        return None;
    }
    Some(Record {
        station,
        date: date?,
        lat: lat?,
        weather: DayWeather {
            month: month? as u8,
            temp_c: temp_c?,
            rh_pct: rh_pct?,
            wind_kmh: wind_kmh?,
            rain_mm: rain_mm?,
        },
        row: r.row,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_known_values() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().days(), 11_017);
        assert_eq!(Date::parse("2024/02/29").unwrap().days(), 19_782);
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-13-01").is_none());
    }
}
