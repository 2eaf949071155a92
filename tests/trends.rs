//! The trends stage on the demo county (docs/trends.md): the county's yearly event
//! counts rebuilt here from the census database (every year of the record, 0 for a
//! year without an event) give exactly the Mann–Kendall and Sen figures of
//! `trends.csv` (the test itself is validated against pymannkendall in
//! crates/models/tests/trend.rs); the demo's weather stations hold one season, too
//! short for a test, and say so; the table is in `zoning.gpkg`.

use std::collections::BTreeMap;

use riskcensus::progress::NoProgress;
use riskcensus::RunOptions;

#[test]
fn demo_trends_follow_the_record() {
    use riskcensus::demo::{run_demo, DemoOptions};
    let d = tempfile::tempdir().unwrap();
    let opts = DemoOptions {
        resolution_m: 300.0,
        ..DemoOptions::default()
    };
    let r = run_demo(d.path(), &opts, &RunOptions::default(), &NoProgress).unwrap();
    let db = riskcensus::ingest::Census::open(&r.run.census.dir).unwrap();
    let years: Vec<i32> = db
        .query("disaster_events", &Default::default())
        .unwrap()
        .iter()
        .filter_map(|f| f.text("date").get(..4).and_then(|y| y.parse().ok()))
        .collect();
    let (first, last) = (*years.iter().min().unwrap(), *years.iter().max().unwrap());
    let mut counts: BTreeMap<i32, f64> = (first..=last).map(|y| (y, 0.0)).collect();
    for y in &years {
        *counts.get_mut(y).unwrap() += 1.0;
    }
    let x: Vec<f64> = counts.values().copied().collect();
    let mk = riskcensus_models::trend::mann_kendall(&x, 0.05).unwrap();

    let mut rd = csv::Reader::from_path(r.assess_dir().join("trends.csv")).unwrap();
    let h = rd.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let county = rows
        .iter()
        .find(|r| &r[col("scope")] == "county" && &r[col("series")] == "events")
        .unwrap();
    assert_eq!(county[col("first_year")].parse::<i32>().unwrap(), first);
    assert_eq!(county[col("n")].parse::<usize>().unwrap(), x.len());
    for (c, want) in [
        ("s", mk.s),
        ("z", mk.z),
        ("p", mk.p),
        ("sen_slope_per_yr", mk.slope),
    ] {
        let got: f64 = county[col(c)].parse().unwrap();
        assert_eq!(got, want, "{c}");
    }
    assert_eq!(&county[col("trend")], mk.trend.as_str());
    // Every township has its three series; the stations are too short to test.
    let townships = rows
        .iter()
        .filter(|r| &r[col("scope")] == "township")
        .count();
    // Events, deaths, loss and the loss normalised by the surveyed stock.
    assert_eq!(townships, 12 * 4);
    // The county's normalised loss: its yearly loss × V(survey) / V(year), V the
    // value of the buildings standing (year_built ≤ year or unknown).
    let mut stock: Vec<(Option<i32>, f64)> = Vec::new();
    for f in db.query("buildings", &Default::default()).unwrap() {
        if let Some(v) = f.number("value_wan").filter(|v| *v > 0.0) {
            stock.push((f.number("year_built").map(|y| y as i32), v));
        }
    }
    let v = |y: i32| -> f64 {
        stock
            .iter()
            .filter(|(b, _)| b.is_none_or(|b| b <= y))
            .map(|(_, v)| v)
            .sum()
    };
    let mut loss: BTreeMap<i32, f64> = (first..=last).map(|y| (y, 0.0)).collect();
    for f in db.query("disaster_events", &Default::default()).unwrap() {
        if let Some(y) = f.text("date").get(..4).and_then(|y| y.parse::<i32>().ok()) {
            *loss.get_mut(&y).unwrap() += f.number("direct_loss_wan").unwrap_or(0.0);
        }
    }
    let norm: Vec<f64> = loss.iter().map(|(&y, &l)| l * v(i32::MAX) / v(y)).collect();
    let mk = riskcensus_models::trend::mann_kendall(&norm, 0.05).unwrap();
    let row = rows
        .iter()
        .find(|r| &r[col("scope")] == "county" && &r[col("series")] == "loss_normalised")
        .unwrap();
    assert_eq!(row[col("s")].parse::<f64>().unwrap(), mk.s);
    // (The stock is summed in another order here: within rounding.)
    let slope: f64 = row[col("sen_slope_per_yr")].parse().unwrap();
    assert!(
        (slope - mk.slope).abs() <= 1e-9 * mk.slope.abs(),
        "{slope} vs {}",
        mk.slope
    );
    for s in rows.iter().filter(|r| &r[col("scope")] == "station") {
        assert!(s[col("note")].contains("fewer than"), "{s:?}");
        assert!(s[col("z")].is_empty());
    }
    let z = riskcensus_io::gpkg::GpkgDb::open_read(&r.assess_dir().join("zoning.gpkg")).unwrap();
    assert!(z.has_table("trends"));
}
