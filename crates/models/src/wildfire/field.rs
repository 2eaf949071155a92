//! The fire weather at any point of the census area: the stations' daily noon
//! weather interpolated to the point ([`super::interpolate`]: IDW, temperature with
//! the lapse rate to the point's elevation) and the FWI system ([`super::fwi`]) run
//! on it from the start-up codes through every fire season, giving a percentile of
//! the daily FWI over the season months (docs/wildfire.md, "From stations to the
//! grid").
//!
//! Coordinates are projected metres, (x, y) order; elevations metres.

use std::collections::BTreeMap;

use super::fwi::{self, Codes, DayWeather};
use super::interpolate::{idw_weights, interpolate, interpolate_temperature, Idw};
use super::weather::{Date, GapPolicy, Season};

/// A weather station: id, position (census CRS) and elevation (m).
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// Station id.
    pub id: String,
    /// Easting, metres.
    pub x: f64,
    /// Northing, metres.
    pub y: f64,
    /// Elevation, metres (NaN when unknown).
    pub z: f64,
}

/// The days of a grid run: the union of the stations' dates, split into seasons by
/// the default gap policy ([`GapPolicy`]), with each station's weather per day
/// (NaN where a station did not report that day).
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Per season: per day (month, [temp, rh, wind, rain] per station).
    seasons: Vec<Vec<(u8, Vec<[f64; 4]>)>>,
}

impl Calendar {
    /// The calendar of the validated `seasons` of `stations` (seasons of a station
    /// not in `stations` are left out).
    pub fn new(stations: &[Station], seasons: &[Season]) -> Calendar {
        let mut days: BTreeMap<Date, Vec<[f64; 4]>> = BTreeMap::new();
        for s in seasons {
            let Some(si) = stations.iter().position(|st| st.id == s.station) else {
                continue;
            };
            for r in &s.records {
                let w = &r.weather;
                days.entry(r.date)
                    .or_insert_with(|| vec![[f64::NAN; 4]; stations.len()])[si] =
                    [w.temp_c, w.rh_pct, w.wind_kmh, w.rain_mm];
            }
        }
        let policy = GapPolicy::default();
        let mut out: Vec<Vec<(u8, Vec<[f64; 4]>)>> = Vec::new();
        let mut last: Option<Date> = None;
        for (d, w) in days {
            let new = last.is_none_or(|l| d.days() - l.days() > policy.season_break_days);
            if new {
                out.push(Vec::new());
            }
            out.last_mut().expect("pushed").push((d.month, w));
            last = Some(d);
        }
        Calendar { seasons: out }
    }
}

/// How the weather reaches a point and which FWI statistic is taken.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldParams {
    /// IDW parameters.
    pub idw: Idw,
    /// Temperature lapse rate, °C per metre.
    pub lapse_c_per_m: f64,
    /// Months of the fire season whose daily FWI enter the percentile.
    pub season_months: Vec<u8>,
    /// Percentile of the daily FWI (0–100).
    pub percentile: f64,
}

/// The daily weather of the stations and how it reaches a point.
#[derive(Debug, Clone)]
pub struct WeatherField<'a> {
    xy: Vec<(f64, f64)>,
    zs: Vec<f64>,
    cal: &'a Calendar,
    params: &'a FieldParams,
}

/// Reusable buffers of [`WeatherField::percentile_at`] (one per thread).
#[derive(Debug, Clone)]
pub struct Scratch {
    t: Vec<f64>,
    h: Vec<f64>,
    w: Vec<f64>,
    p: Vec<f64>,
    fwis: Vec<f64>,
}

impl<'a> WeatherField<'a> {
    /// The field of `stations` (elevations known) over the days of `cal`.
    pub fn new(stations: &[Station], cal: &'a Calendar, params: &'a FieldParams) -> Self {
        WeatherField {
            xy: stations.iter().map(|s| (s.x, s.y)).collect(),
            zs: stations.iter().map(|s| s.z).collect(),
            cal,
            params,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &FieldParams {
        self.params
    }

    /// Buffers for [`WeatherField::percentile_at`].
    pub fn scratch(&self) -> Scratch {
        let n = self.xy.len();
        Scratch {
            t: vec![0.0; n],
            h: vec![0.0; n],
            w: vec![0.0; n],
            p: vec![0.0; n],
            fwis: Vec::new(),
        }
    }

    /// The percentile FWI of the fire-season days at (x, y) and elevation `z`: the
    /// FWI system run from the start-up codes through every season on the
    /// interpolated daily weather. NaN when no station reaches the point on some
    /// day (its running balance cannot continue).
    pub fn percentile_at(&self, x: f64, y: f64, z: f64, s: &mut Scratch) -> f32 {
        let params = self.params;
        let weights = idw_weights(&self.xy, x, y, &params.idw);
        if weights.is_empty() {
            return f32::NAN;
        }
        s.fwis.clear();
        for season in &self.cal.seasons {
            let mut codes = Codes::STARTUP;
            for (month, obs) in season {
                for (i, o) in obs.iter().enumerate() {
                    s.t[i] = o[0];
                    s.h[i] = o[1];
                    s.w[i] = o[2];
                    s.p[i] = o[3];
                }
                let day = DayWeather {
                    month: *month,
                    temp_c: interpolate_temperature(
                        &weights,
                        &s.t,
                        &self.zs,
                        z,
                        params.lapse_c_per_m,
                    ),
                    rh_pct: interpolate(&weights, &s.h),
                    wind_kmh: interpolate(&weights, &s.w),
                    rain_mm: interpolate(&weights, &s.p),
                };
                if day.temp_c.is_nan() {
                    return f32::NAN;
                }
                let out = fwi::step(&mut codes, &day);
                if params.season_months.contains(month) {
                    s.fwis.push(out.fwi);
                }
            }
        }
        super::climatology::percentile(&s.fwis, params.percentile) as f32
    }
}
