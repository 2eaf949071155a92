//! `riskcensus fwi`: the Van Wagner & Pickett (1985) test days through the binary, and
//! bad rows exiting 2 with named errors.

use crate::util::run;
use riskcensus_testkit::fixtures_dir;
use std::path::{Path, PathBuf};

/// The reference table as a weather CSV in the command's format (year 1985, 46°N).
fn vwp_weather(dir: &Path) -> (PathBuf, Vec<Vec<String>>) {
    let text =
        std::fs::read_to_string(fixtures_dir().join("wildfire/vanwagner_pickett_1985_test.csv"))
            .unwrap();
    let rows: Vec<Vec<String>> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let mut csv = String::from("date,month,lat,temp_c,rh_pct,wind_kmh,rain_mm\n");
    for r in &rows {
        csv.push_str(&format!(
            "1985-{:0>2}-{:0>2},{},46.0,{},{},{},{}\n",
            r[0], r[1], r[0], r[2], r[3], r[4], r[5]
        ));
    }
    let p = dir.join("weather.csv");
    std::fs::write(&p, csv).unwrap();
    (p, rows)
}

#[test]
fn reference_days_reproduce_the_published_table() {
    let d = tempfile::tempdir().unwrap();
    let (w, rows) = vwp_weather(d.path());
    let out = d.path().join("fwi.csv");
    let o = run(&["fwi", w.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("date,ffmc,dmc,dc,isi,bui,fwi,dsr"));
    let got: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(got.len(), 49);
    for (g, r) in got.iter().zip(&rows) {
        // One decimal, as printed in the table: FFMC … FWI must match exactly.
        for k in 0..6 {
            let (a, b): (f64, f64) = (g[1 + k].parse().unwrap(), r[6 + k].parse().unwrap());
            assert_eq!(a, b, "{}: column {k}", g[0]);
        }
        // DSR = 0.0272·FWI^1.77 of the unrounded FWI, so within rounding of the table's.
        let fwi: f64 = r[11].parse().unwrap();
        let dsr: f64 = g[7].parse().unwrap();
        assert!(
            (dsr - 0.0272 * fwi.powf(1.77)).abs() <= 0.05 + 0.0272 * 1.77 * fwi.powf(0.77) * 0.05,
            "{}",
            g[0]
        );
    }
}

#[test]
fn bad_rows_exit_2_naming_row_station_date_and_field() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("bad.csv");
    std::fs::write(
        &p,
        "station,date,month,lat,temp_c,rh_pct,wind_kmh,rain_mm\n\
         S1,2024-03-01,3,36.2,12,40,10,0\n\
         S1,2024-03-02,3,36.2,12,104,10,0\n\
         S1,2024-03-03,3,36.2,12,40,10,-1\n\
         S1,2024-03-07,3,36.2,12,40,10,0\n",
    )
    .unwrap();
    let o = run(&["fwi", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("bad.csv") && e.contains("3 weather problem(s)"),
        "{e}"
    );
    assert!(
        e.contains("row 3: station \"S1\", date 2024-03-02: `rh_pct` = \"104\""),
        "{e}"
    );
    assert!(
        e.contains("row 4: station \"S1\", date 2024-03-03: `rain_mm` = \"-1\""),
        "{e}"
    );
    assert!(
        e.contains("row 5: station \"S1\", date 2024-03-07") && e.contains("missing day"),
        "{e}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn station_column_is_written_back_and_missing_file_exits_2() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("two.csv");
    std::fs::write(
        &p,
        "station,date,month,lat,temp_c,rh_pct,wind_kmh,rain_mm\n\
         B,2024-04-13,4,36.2,17,42,25,0\n\
         A,2024-04-13,4,36.2,17,42,25,0\n",
    )
    .unwrap();
    let o = run(&["fwi", p.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // Rows in input order; day 1 of the reference table from start-up.
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "station,date,ffmc,dmc,dc,isi,bui,fwi,dsr\n\
         B,2024-04-13,87.7,8.5,19.0,10.9,8.5,10.1,1.6\n\
         A,2024-04-13,87.7,8.5,19.0,10.9,8.5,10.1,1.6\n"
    );
    let o = run(&["fwi", d.path().join("nope.csv").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}
