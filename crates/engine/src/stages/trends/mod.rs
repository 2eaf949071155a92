//! The trends stage (风险变化趋势, first part; docs/trends.md): the Mann–Kendall test
//! with Sen's slope ([`riskcensus_models::trend`]) on the yearly series of the
//! census's record, with the Hamed–Rao variance correction beside the original test:
//!
//! - **disaster events** (`disaster_events`), for the county and every township: the
//!   number of events, the deaths and the direct loss per year (nominal 万元, or in
//!   prices of the base year when `models/trend/trends.toml` gives a price index),
//!   every year from the record's first to its last (a year without an event is 0);
//! - **weather stations** (`weather_daily`), per station: the annual maximum daily
//!   precipitation (Rx1day, mm), the rainstorm days (≥ 50 mm, GB/T 28592-2012) and
//!   the annual precipitation (mm), over the station's complete years (at least
//!   `min_days_per_year` records; other years are missing, not 0).
//!
//! A series with fewer than `min_years` values is listed with its reason and no
//! test. Table `trends` (`assess/trends.csv`, and a table of `zoning.gpkg`): scope,
//! unit, series, unit of measure, years, n, mean, S, Var(S), Z, p, tau, the verdict
//! at alpha, Sen's slope per year and intercept, and the Hamed–Rao Z, p and verdict.

use std::collections::BTreeMap;

use riskcensus_contracts::tables::census as T;
use riskcensus_io::vector::{FieldType, GeometryType};
use riskcensus_models::trend::params::{TrendParams, PATH};
use riskcensus_models::trend::{hamed_rao, mann_kendall};
use serde::Serialize;

use crate::deliverable::{int, real, text, Deliverable};
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::loss::DatedEvent;
use crate::stage::{Context, Needs, Stage, StageOutcome, Writes};

/// The stage's id.
pub const ID: &str = "trends";

/// The table's name (CSV in `assess/`, table of `zoning.gpkg`).
pub const TABLE: &str = "trends";

/// The trend parameters of a census's model library.
pub fn load(library: &riskcensus_models::Library) -> Result<TrendParams, EngineError> {
    let f = library.require(PATH)?;
    Ok(TrendParams::from_toml(&f.text, &f.origin)?)
}

/// One yearly series: (year, value), years ascending (NaN = missing).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// `county`, `township` or `station`.
    pub scope: &'static str,
    /// Unit code or station id.
    pub code: String,
    /// Unit or station name.
    pub name: String,
    /// Series id (`events`, `deaths`, `loss`, `rx1day`, `rainstorm_days`,
    /// `annual_precip`).
    pub series: &'static str,
    /// Unit of the values.
    pub unit: &'static str,
    /// The values by year.
    pub values: Vec<(i32, f64)>,
}

/// What the stage did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TrendsReport {
    /// Series tested.
    pub tested: usize,
    /// Series with a significant trend (Hamed–Rao) at alpha: (scope, code, series,
    /// verdict, Sen's slope per year).
    pub significant: Vec<(String, String, String, String, f64)>,
    /// Series left out, with the reason.
    pub notes: Vec<String>,
}

/// The surveyed building stock by township code: (year built, value 万元) — the
/// exposure of the normalised loss series.
pub type Stock = BTreeMap<String, Vec<(Option<i32>, f64)>>;

/// The value of the buildings of `stock` (of `township`, or all) standing in
/// `year`: built in or before it, or of unknown year.
fn standing(stock: &Stock, township: Option<&str>, year: i32) -> f64 {
    stock
        .iter()
        .filter(|(t, _)| township.is_none_or(|f| f == t.as_str()))
        .flat_map(|(_, b)| b.iter())
        .filter(|(y, _)| y.is_none_or(|y| y <= year))
        .map(|(_, v)| v)
        .sum()
}

/// The yearly event series of the county and every township: events, deaths and
/// (deflated) loss per year from the record's first to its last year, and — with a
/// building stock — the loss normalised by exposure: loss × V(survey) / V(year),
/// V the value of the surveyed buildings standing in that year (Pielke & Landsea
/// 1998's normalisation with the survey's own stock as the exposure).
pub fn event_series(
    events: &[DatedEvent],
    townships: &[(String, String)],
    county: &(String, String),
    p: &TrendParams,
    stock: &Stock,
) -> Vec<Series> {
    let Some(first) = events.iter().map(|e| e.record.year).min() else {
        return Vec::new();
    };
    let last = events.iter().map(|e| e.record.year).max().unwrap_or(first);
    let years: Vec<i32> = (first..=last).collect();
    let mut out = Vec::new();
    let units = std::iter::once(("county", county.clone(), None)).chain(
        townships
            .iter()
            .map(|t| ("township", t.clone(), Some(t.0.as_str()))),
    );
    for (scope, (code, name), filter) in units {
        let mut sums: BTreeMap<i32, [f64; 3]> = years.iter().map(|&y| (y, [0.0; 3])).collect();
        for e in events {
            if filter.is_some_and(|f| f != e.township) {
                continue;
            }
            let r = &e.record;
            let s = sums.get_mut(&r.year).expect("year of the record");
            s[0] += 1.0;
            s[1] += r.deaths.unwrap_or(0.0);
            s[2] += p.real_loss(r.year, r.loss_wan.unwrap_or(0.0));
        }
        for (k, (series, unit)) in [
            ("events", "events/yr"),
            ("deaths", "persons/yr"),
            (
                "loss",
                if p.deflator.is_empty() {
                    "wan_cny/yr nominal"
                } else {
                    "wan_cny/yr base-year prices"
                },
            ),
        ]
        .into_iter()
        .enumerate()
        {
            out.push(Series {
                scope,
                code: code.clone(),
                name: name.clone(),
                series,
                unit,
                values: sums.iter().map(|(&y, v)| (y, v[k])).collect(),
            });
        }
        let now = standing(stock, filter, i32::MAX);
        if now > 0.0 {
            out.push(Series {
                scope,
                code: code.clone(),
                name: name.clone(),
                series: "loss_normalised",
                unit: "wan_cny/yr at the surveyed building stock",
                values: sums
                    .iter()
                    .map(|(&y, v)| {
                        let then = standing(stock, filter, y);
                        (
                            y,
                            if then > 0.0 {
                                v[2] * now / then
                            } else {
                                f64::NAN
                            },
                        )
                    })
                    .collect(),
            });
        }
    }
    out
}

/// The yearly extremes of one station from its daily records (year, rain mm):
/// Rx1day, rainstorm days and the annual total over its complete years.
pub fn station_series(code: &str, days: &[(i32, f64)], p: &TrendParams) -> Vec<Series> {
    let mut by_year: BTreeMap<i32, (usize, f64, f64, f64)> = BTreeMap::new();
    for &(y, rain) in days {
        let e = by_year.entry(y).or_insert((0, f64::NEG_INFINITY, 0.0, 0.0));
        if rain.is_finite() {
            e.0 += 1;
            e.1 = e.1.max(rain);
            e.2 += f64::from(u8::from(rain >= p.rainstorm_mm));
            e.3 += rain;
        }
    }
    let (Some(&first), Some(&last)) = (by_year.keys().next(), by_year.keys().last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, (series, unit)) in [
        ("rx1day", "mm"),
        ("rainstorm_days", "days/yr"),
        ("annual_precip", "mm/yr"),
    ]
    .into_iter()
    .enumerate()
    {
        let values = (first..=last)
            .map(|y| {
                let v = match by_year.get(&y) {
                    Some(e) if e.0 >= p.min_days_per_year => [e.1, e.2, e.3][k],
                    _ => f64::NAN,
                };
                (y, v)
            })
            .collect();
        out.push(Series {
            scope: "station",
            code: code.to_string(),
            name: code.to_string(),
            series,
            unit,
            values,
        });
    }
    out
}

/// The trends stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct TrendsStage;

impl Stage for TrendsStage {
    fn id(&self) -> &str {
        ID
    }

    /// Dated disaster events (the weather stations are used when the census has
    /// them); the parameter file is read here, so a broken one stops the run early.
    fn needs(&self, cx: &Context<'_>) -> Result<Needs, EngineError> {
        load(cx.library)?;
        Ok(Needs {
            tables: vec![T::DISASTER_EVENTS],
            ..Needs::default()
        })
    }

    fn writes(&self) -> Writes {
        Writes {
            layers: Vec::new(),
            files: vec!["trends.csv"],
        }
    }

    fn selected(&self, _filter: &[String]) -> bool {
        true
    }

    fn run(&self, cx: &mut Context<'_>) -> Result<StageOutcome, EngineError> {
        let p = load(cx.library)?;
        let db = Census::open(&cx.census.dir)?;
        let events = crate::loss::read_events(&db)?;
        let townships: Vec<(String, String)> = crate::admin::run_townships(cx)?
            .units
            .iter()
            .map(|u| (u.code.clone(), u.name.clone()))
            .collect();
        let county = (cx.census.census.code.clone(), cx.census.census.name.clone());
        let mut stock = Stock::new();
        if cx.table_rows(T::BUILDINGS)? > 0 {
            for f in db.query(T::BUILDINGS, &Query::default())? {
                let year = f.number("year_built").map(|y| y as i32);
                let value = f.number("value_wan").filter(|v| v.is_finite() && *v > 0.0);
                if let Some(v) = value {
                    stock
                        .entry(f.text("township_code"))
                        .or_default()
                        .push((year, v));
                }
            }
        }
        let mut series = event_series(&events, &townships, &county, &p, &stock);
        if cx.table_rows(T::WEATHER_DAILY)? > 0 {
            let mut days: BTreeMap<String, Vec<(i32, f64)>> = BTreeMap::new();
            for f in db.query(T::WEATHER_DAILY, &Query::default())? {
                let Some(year) = f.text("date").get(..4).and_then(|y| y.parse::<i32>().ok()) else {
                    continue;
                };
                days.entry(f.text("station"))
                    .or_default()
                    .push((year, f.number("rain_mm").unwrap_or(f64::NAN)));
            }
            for (code, d) in &days {
                series.extend(station_series(code, d, &p));
            }
        }
        let mut report = TrendsReport::default();
        let table = test_all(&series, &p, &mut report);
        table.write_csv(&cx.layout.assess())?;
        cx.publish(table);
        let mut outcome = StageOutcome::with_details(report);
        outcome.operators = vec![crate::run::operator_entry(
            p.id.as_str(),
            p.version.as_str(),
            &p,
            "trends",
        )];
        Ok(outcome)
    }
}

/// Test every series; a series too short for the test keeps its row with the
/// reason and no numbers.
pub fn test_all(series: &[Series], p: &TrendParams, report: &mut TrendsReport) -> Deliverable {
    let mut t = Deliverable::new(
        TABLE,
        GeometryType::None,
        &[
            ("scope", FieldType::String),
            ("code", FieldType::String),
            ("name", FieldType::String),
            ("series", FieldType::String),
            ("unit", FieldType::String),
            ("first_year", FieldType::Integer64),
            ("last_year", FieldType::Integer64),
            ("n", FieldType::Integer64),
            ("mean", FieldType::Real),
            ("s", FieldType::Real),
            ("var_s", FieldType::Real),
            ("z", FieldType::Real),
            ("p", FieldType::Real),
            ("tau", FieldType::Real),
            ("trend", FieldType::String),
            ("sen_slope_per_yr", FieldType::Real),
            ("sen_intercept", FieldType::Real),
            ("hr_z", FieldType::Real),
            ("hr_p", FieldType::Real),
            ("hr_trend", FieldType::String),
            ("note", FieldType::String),
        ],
    );
    for s in series {
        let x: Vec<f64> = s.values.iter().map(|v| v.1).collect();
        let n = x.iter().filter(|v| v.is_finite()).count();
        let mean = if n > 0 {
            x.iter().filter(|v| v.is_finite()).sum::<f64>() / n as f64
        } else {
            f64::NAN
        };
        let mut row = vec![
            text(s.scope),
            text(&s.code),
            text(&s.name),
            text(s.series),
            text(s.unit),
            int(i64::from(s.values.first().map_or(0, |v| v.0))),
            int(i64::from(s.values.last().map_or(0, |v| v.0))),
            int(n as i64),
            real(mean),
        ];
        let empty = |row: &mut Vec<_>, why: String| {
            for _ in 0..11 {
                row.push(real(f64::NAN));
            }
            row.push(text(why));
        };
        if n < p.min_years {
            let why = format!("{n} years with a value, fewer than {}", p.min_years);
            report
                .notes
                .push(format!("{} {} {}: {why}", s.scope, s.code, s.series));
            empty(&mut row, why);
            t.push(None, row);
            continue;
        }
        match (mann_kendall(&x, p.alpha), hamed_rao(&x, p.alpha, None)) {
            (Ok(mk), hr) => {
                report.tested += 1;
                row.extend([
                    real(mk.s),
                    real(mk.var_s),
                    real(mk.z),
                    real(mk.p),
                    real(mk.tau),
                    text(mk.trend.as_str()),
                    real(mk.slope),
                    real(mk.intercept),
                ]);
                let note = match hr {
                    Ok(h) => {
                        row.extend([real(h.z), real(h.p), text(h.trend.as_str())]);
                        if h.h {
                            report.significant.push((
                                s.scope.to_string(),
                                s.code.clone(),
                                s.series.to_string(),
                                h.trend.as_str().to_string(),
                                mk.slope,
                            ));
                        }
                        String::new()
                    }
                    Err(e) => {
                        row.extend([real(f64::NAN), real(f64::NAN), text("")]);
                        format!("Hamed–Rao: {e}")
                    }
                };
                row.push(text(note));
            }
            (Err(e), _) => {
                report
                    .notes
                    .push(format!("{} {} {}: {e}", s.scope, s.code, s.series));
                empty(&mut row, e.to_string());
            }
        }
        t.push(None, row);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_series_fill_the_record_years_with_zeros() {
        let p = TrendParams::builtin();
        // Two events in 2001 (T1), one in 2003 (T2): the record is 2001–2003.
        let ev: Vec<DatedEvent> = [
            (2001, "T1", 10.0, 1.0),
            (2001, "T1", 5.0, 0.0),
            (2003, "T2", 7.0, 2.0),
        ]
        .into_iter()
        .map(|(year, town, loss, deaths)| DatedEvent {
            record: riskcensus_models::loss::EventRecord {
                event_type: "flood".into(),
                year,
                loss_wan: Some(loss),
                deaths: Some(deaths),
            },
            township: town.into(),
        })
        .collect();
        let towns = vec![
            ("T1".to_string(), "一".to_string()),
            ("T2".to_string(), "二".to_string()),
        ];
        let s = event_series(&ev, &towns, &("C".into(), "县".into()), &p, &Stock::new());
        assert_eq!(s.len(), 9);
        let county_events = &s[0];
        assert_eq!(
            county_events.values,
            vec![(2001, 2.0), (2002, 0.0), (2003, 1.0)]
        );
        let t1_loss = s
            .iter()
            .find(|x| x.code == "T1" && x.series == "loss")
            .unwrap();
        assert_eq!(t1_loss.values, vec![(2001, 15.0), (2002, 0.0), (2003, 0.0)]);
        // Normalised by the stock standing: T1 has 100 万元 built in 2000, 100 in
        // 2002 and 50 of unknown year; 2001's 15 万元 × 250 / 150 = 25.
        let mut stock = Stock::new();
        stock.insert(
            "T1".into(),
            vec![(Some(2000), 100.0), (Some(2002), 100.0), (None, 50.0)],
        );
        let s = event_series(&ev, &towns, &("C".into(), "县".into()), &p, &stock);
        let n = s
            .iter()
            .find(|x| x.code == "T1" && x.series == "loss_normalised")
            .unwrap();
        assert_eq!(n.values, vec![(2001, 25.0), (2002, 0.0), (2003, 0.0)]);
        // T2 has no stock: no normalised series.
        assert!(!s
            .iter()
            .any(|x| x.code == "T2" && x.series == "loss_normalised"));
    }

    #[test]
    fn station_years_need_enough_days() {
        let mut p = TrendParams::builtin();
        p.min_days_per_year = 3;
        // 2000: 3 days (60, 10, 0 mm) — complete; 2001: 2 days — missing.
        let days = vec![
            (2000, 60.0),
            (2000, 10.0),
            (2000, 0.0),
            (2001, 80.0),
            (2001, 1.0),
        ];
        let s = station_series("S1", &days, &p);
        let get = |id: &str| &s.iter().find(|x| x.series == id).unwrap().values;
        assert_eq!(get("rx1day")[0], (2000, 60.0));
        assert_eq!(get("rainstorm_days")[0], (2000, 1.0));
        assert_eq!(get("annual_precip")[0], (2000, 70.0));
        assert!(get("rx1day")[1].1.is_nan());
    }

    #[test]
    fn a_short_series_keeps_its_row_without_a_test() {
        let p = TrendParams::builtin();
        let s = Series {
            scope: "county",
            code: "C".into(),
            name: "县".into(),
            series: "events",
            unit: "events/yr",
            values: (2000..2005).map(|y| (y, f64::from(y - 2000))).collect(),
        };
        let mut r = TrendsReport::default();
        let t = test_all(&[s], &p, &mut r);
        assert_eq!(r.tested, 0);
        assert!(crate::deliverable::cell(&t.rows[0].1[20]).contains("fewer than 10"));
    }
}
