//! The census's daily weather (`weather_daily`): the raw records for validation and
//! the FWI system, and the stations with their position (census CRS) and elevation
//! (recorded, else from the DEM).

use ndarray::Array2;
use riskcensus_core::GridSpec;
use riskcensus_models::wildfire::field::Station;
use riskcensus_models::wildfire::weather::RawRecord;
use riskcensus_survey::{Census, FieldValue, Query};

use crate::error::EngineError;

/// The census table of daily weather.
pub const TABLE: &str = "weather_daily";

/// The weather records of the census database (latitude from the point, WGS 84)
/// and their stations (first record of each, elevation NaN when not recorded).
pub fn read_weather(
    db: &Census,
    grid: &GridSpec,
) -> Result<(Vec<RawRecord>, Vec<Station>), EngineError> {
    let rows = db.query(TABLE, &Query::default())?;
    if rows.is_empty() {
        return Err(EngineError::NoWeather {
            layer: TABLE.into(),
        });
    }
    let to_geo = riskcensus_io::crs::Transformer::new(&grid.crs, "EPSG:4326")?;
    let mut stations: Vec<Station> = Vec::new();
    let mut raw = Vec::with_capacity(rows.len());
    for (i, f) in rows.iter().enumerate() {
        let station = text_of(f.get("station"));
        let pos = match &f.geometry {
            Some(geo_types::Geometry::Point(p)) => Some((p.x(), p.y())),
            _ => None,
        };
        let lat = match pos {
            Some((x, y)) => Some(to_geo.point(x, y)?.1.to_string()),
            None => None,
        };
        if let (Some(s), Some((x, y))) = (&station, pos) {
            if !stations.iter().any(|st| &st.id == s) {
                let z = f
                    .get("elevation")
                    .and_then(|v| text_of(Some(v)))
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(f64::NAN);
                stations.push(Station {
                    id: s.clone(),
                    x,
                    y,
                    z,
                });
            }
        }
        raw.push(RawRecord {
            row: i + 1,
            station,
            date: text_of(f.get("date")),
            month: text_of(f.get("month")),
            lat,
            temp_c: text_of(f.get("temp_c")),
            rh_pct: text_of(f.get("rh_pct")),
            wind_kmh: text_of(f.get("wind_kmh")),
            rain_mm: text_of(f.get("rain_mm")),
        });
    }
    Ok((raw, stations))
}

/// The stations by id, each with an elevation: the recorded one, else the DEM's at
/// its cell; a station with neither is an error naming it.
pub fn with_elevations(
    mut stations: Vec<Station>,
    grid: &GridSpec,
    dem: &Array2<f32>,
) -> Result<Vec<Station>, EngineError> {
    stations.sort_by(|a, b| a.id.cmp(&b.id));
    for s in &mut stations {
        if s.z.is_nan() {
            s.z = grid
                .cell_of(s.x, s.y)
                .map(|(r, c)| dem[(r, c)] as f64)
                .unwrap_or(f64::NAN);
        }
        if s.z.is_nan() {
            return Err(EngineError::StationElevation {
                layer: TABLE.into(),
                station: s.id.clone(),
            });
        }
    }
    Ok(stations)
}

/// A field as text (`None` for null or blank).
fn text_of(v: Option<&FieldValue>) -> Option<String> {
    match v? {
        FieldValue::Null => None,
        FieldValue::Integer(i) => Some(i.to_string()),
        FieldValue::Integer64(i) => Some(i.to_string()),
        FieldValue::Real(r) => Some(r.to_string()),
        FieldValue::String(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
        FieldValue::Date { year, month, day } => Some(format!("{year:04}-{month:02}-{day:02}")),
    }
}
