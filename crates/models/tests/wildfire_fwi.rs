//! FWI system agreement tests:
//!
//! 1. the Van Wagner & Pickett (1985) test table (49 days, printed to one decimal;
//!    `fixtures/wildfire/vanwagner_pickett_1985_test.csv`, citation in its header),
//!    within the table's print tolerance ±0.1;
//! 2. xclim 0.62.0 (`validate/wildfire/run.sh` → `fixtures/wildfire/xclim_*.csv`) on
//!    the demo weather stations: 3 stations × 2 seasons = 723 station-days, full
//!    precision, within 1e-6 (the same equations in f64; differences are operation
//!    order only).

use std::path::PathBuf;

use riskcensus_models::wildfire::{
    compute_seasons,
    fwi::{run_season, Codes, DayWeather},
    weather::{parse_csv, validate, GapPolicy},
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_csv(p: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root().join(p)).expect(p);
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

const NAMES: [&str; 6] = ["ffmc", "dmc", "dc", "isi", "bui", "fwi"];

#[test]
fn van_wagner_pickett_1985_test_table() {
    let rows = read_csv("fixtures/wildfire/vanwagner_pickett_1985_test.csv");
    assert_eq!(rows.len(), 49);
    let f = |r: &Vec<String>, i: usize| r[i].parse::<f64>().unwrap();
    let days: Vec<DayWeather> = rows
        .iter()
        .map(|r| DayWeather {
            month: r[0].parse().unwrap(),
            temp_c: f(r, 2),
            rh_pct: f(r, 3),
            wind_kmh: f(r, 4),
            rain_mm: f(r, 5),
        })
        .collect();
    let out = run_season(Codes::STARTUP, &days);
    let mut max = [0f64; 6];
    let mut off_by_rounding = 0;
    for (r, o) in rows.iter().zip(&out) {
        let ours = [o.ffmc, o.dmc, o.dc, o.isi, o.bui, o.fwi];
        for k in 0..6 {
            let want = f(r, 6 + k);
            let d = (ours[k] - want).abs();
            max[k] = max[k].max(d);
            if ((ours[k] * 10.0).round() / 10.0 - want).abs() > 1e-9 {
                off_by_rounding += 1;
            }
            assert!(
                d <= 0.1 + 1e-9,
                "{}-{}: {} = {} vs table {}",
                r[0],
                r[1],
                NAMES[k],
                ours[k],
                want
            );
        }
    }
    println!("Van Wagner & Pickett (1985) table, 49 days: max |ours − table| per index:");
    for k in 0..6 {
        println!("  {:5} {:.4}", NAMES[k], max[k]);
    }
    println!(
        "  values whose one-decimal rounding differs from the table: {off_by_rounding} of 294"
    );
    assert_eq!(
        off_by_rounding, 0,
        "rounded outputs should reproduce the printed table"
    );
}

#[test]
fn xclim_on_the_vwp1985_weather() {
    let table = read_csv("fixtures/wildfire/vanwagner_pickett_1985_test.csv");
    let gold = read_csv("fixtures/wildfire/xclim_vwp1985.csv");
    let days: Vec<DayWeather> = table
        .iter()
        .map(|r| DayWeather {
            month: r[0].parse().unwrap(),
            temp_c: r[2].parse().unwrap(),
            rh_pct: r[3].parse().unwrap(),
            wind_kmh: r[4].parse().unwrap(),
            rain_mm: r[5].parse().unwrap(),
        })
        .collect();
    let out = run_season(Codes::STARTUP, &days);
    for (g, o) in gold.iter().zip(&out) {
        let ours = [o.ffmc, o.dmc, o.dc, o.isi, o.bui, o.fwi];
        for k in 0..6 {
            let x: f64 = g[2 + k].parse().unwrap();
            assert!(
                (ours[k] - x).abs() < 1e-6,
                "{} {}: {} vs xclim {x}",
                g[1],
                NAMES[k],
                ours[k]
            );
        }
    }
}

#[test]
fn xclim_on_the_demo_stations() {
    let path = root().join("fixtures/demo-small/survey/weather_daily.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let raw = parse_csv(&text, "weather_daily.csv").unwrap();
    let seasons = validate(&raw, GapPolicy::default(), "weather_daily.csv").unwrap();
    // Three stations, each split into the 2024 and 2025 fire seasons by the gap policy.
    assert_eq!(seasons.len(), 6);
    let days = compute_seasons(&seasons);
    let gold = read_csv("fixtures/wildfire/xclim_demo_fwi.csv");
    assert!(gold.len() >= 100);
    assert_eq!(gold.len(), days.len());
    let mut max = [0f64; 6];
    for (g, d) in gold.iter().zip(&days) {
        assert_eq!(
            (g[0].as_str(), g[1].as_str()),
            (d.station.as_str(), &*d.date.to_string())
        );
        let o = &d.fwi;
        let ours = [o.ffmc, o.dmc, o.dc, o.isi, o.bui, o.fwi];
        for k in 0..6 {
            let x: f64 = g[2 + k].parse().unwrap();
            max[k] = max[k].max((ours[k] - x).abs());
        }
    }
    println!(
        "xclim 0.62.0 vs RiskCensus, {} station-days: max |Δ| per index:",
        days.len()
    );
    for k in 0..6 {
        println!("  {:5} {:.3e}", NAMES[k], max[k]);
        assert!(max[k] < 1e-6, "{}: max |Δ| = {}", NAMES[k], max[k]);
    }
}
