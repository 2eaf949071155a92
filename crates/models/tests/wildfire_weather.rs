//! Bad daily weather rows give named errors (station, date, row, field); a short gap
//! is an error, a long one splits the fire season (logged by the caller through the
//! returned seasons). Nothing is filled in.

use riskcensus_models::wildfire::weather::{parse_csv, validate, GapPolicy, WeatherProblem};

const HEADER: &str = "station,date,month,lat,temp_c,rh_pct,wind_kmh,rain_mm\n";

fn check(body: &str) -> Result<Vec<riskcensus_models::wildfire::Season>, Vec<WeatherProblem>> {
    let raw = parse_csv(&format!("{HEADER}{body}"), "w.csv").map_err(|e| e.problems)?;
    validate(&raw, GapPolicy::default(), "w.csv").map_err(|e| e.problems)
}

#[test]
fn rh_above_100_negative_rain_and_missing_value_are_named() {
    let body = "A,2024-03-01,3,36.2,10,45,12,0\n\
                A,2024-03-02,3,36.2,10,101,12,0\n\
                A,2024-03-03,3,36.2,10,45,12,-0.5\n\
                A,2024-03-04,3,36.2,,45,12,0\n";
    let p = check(body).unwrap_err();
    // Three field problems; the dropped rows do not also report gaps (rows 3–5 are
    // invalid, so only row 2 is a valid day).
    let fields: Vec<(usize, &str)> = p
        .iter()
        .filter_map(|x| match x {
            WeatherProblem::Field { row, field, .. } => Some((*row, *field)),
            _ => None,
        })
        .collect();
    assert_eq!(fields, vec![(3, "rh_pct"), (4, "rain_mm"), (5, "temp_c")]);
    let msg = p[0].to_string();
    assert!(
        msg.contains("row 3")
            && msg.contains("\"A\"")
            && msg.contains("2024-03-02")
            && msg.contains("rh_pct"),
        "{msg}"
    );
    assert!(p[1].to_string().contains("outside 0..=2000 mm"), "{}", p[1]);
    assert!(p[2].to_string().contains("missing"), "{}", p[2]);
}

#[test]
fn missing_day_duplicate_and_out_of_order() {
    let body = "A,2024-03-01,3,36.2,10,45,12,0\n\
                A,2024-03-02,3,36.2,10,45,12,0\n\
                A,2024-03-05,3,36.2,10,45,12,0\n\
                A,2024-03-05,3,36.2,11,45,12,0\n\
                A,2024-03-04,3,36.2,10,45,12,0\n";
    let p = check(body).unwrap_err();
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        matches!(&p[0], WeatherProblem::MissingDays { row: 4, missing: 2, station, .. } if station == "A")
    );
    assert!(matches!(
        &p[1],
        WeatherProblem::Duplicate {
            row: 5,
            first_row: 4,
            ..
        }
    ));
    assert!(matches!(
        &p[2],
        WeatherProblem::OutOfOrder {
            row: 6,
            previous_row: 4,
            ..
        }
    ));
    assert!(
        p[0].to_string()
            .contains("2 missing day(s) after 2024-03-02"),
        "{}",
        p[0]
    );
}

#[test]
fn month_mismatch_and_header() {
    let p = check("A,2024-03-01,4,36.2,10,45,12,0\n").unwrap_err();
    assert!(
        matches!(
            &p[0],
            WeatherProblem::Field {
                field: "month",
                row: 2,
                ..
            }
        ),
        "{p:?}"
    );
    let e = parse_csv("date,temp_c\n2024-01-01,3\n", "x.csv").unwrap_err();
    assert!(
        e.to_string()
            .contains("month, lat, rh_pct, wind_kmh, rain_mm"),
        "{e}"
    );
}

#[test]
fn long_gap_starts_a_new_season_and_stations_are_separate() {
    let body = "A,2024-05-30,5,36.2,10,45,12,0\n\
                B,2024-05-30,5,36.3,10,45,12,0\n\
                A,2024-05-31,5,36.2,10,45,12,0\n\
                A,2025-02-01,2,36.2,10,45,12,0\n";
    let s = check(body).unwrap();
    let spans: Vec<(String, String, String, usize)> = s
        .iter()
        .map(|x| {
            (
                x.station.clone(),
                x.first.to_string(),
                x.last.to_string(),
                x.records.len(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            ("A".into(), "2024-05-30".into(), "2024-05-31".into(), 2),
            ("A".into(), "2025-02-01".into(), "2025-02-01".into(), 1),
            ("B".into(), "2024-05-30".into(), "2024-05-30".into(), 1),
        ]
    );
    // Exactly at the policy's limit (60 days) is still a gap error, not a new season.
    let body = "A,2024-03-01,3,36.2,10,45,12,0\nA,2024-04-30,4,36.2,10,45,12,0\n";
    let p = check(body).unwrap_err();
    assert!(
        matches!(&p[0], WeatherProblem::MissingDays { missing: 59, .. }),
        "{p:?}"
    );
}
