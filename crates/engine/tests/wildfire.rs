//! The wildfire stage on the small demo county (150 m cells): the daily FWI table
//! from the census database equals the xclim goldens, and the hazard grid relates to
//! fuel and terrain as the model intends.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_engine::config::CensusConfig;
use riskcensus_engine::executor::ExecOptions;
use riskcensus_engine::prepare::prepare;
use riskcensus_engine::progress::NoProgress;
use riskcensus_engine::wildfire::run_wildfire;
use riskcensus_io::RasterReader;

fn read(path: &Path) -> Array2<f32> {
    let r = RasterReader::open(path, 1).unwrap();
    let info = r.info().clone();
    r.read_f32(info.grid().unwrap().full_window()).unwrap()
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

#[test]
fn demo_wildfire_stage() {
    let src = tempfile::tempdir().unwrap();
    riskcensus_demo::generate(
        src.path(),
        &riskcensus_demo::DemoOptions {
            resolution_m: 150.0,
            ..Default::default()
        },
    )
    .unwrap();
    let census = CensusConfig::load(src.path()).unwrap();
    for (id, r) in riskcensus_engine::ingest::ingest_census_sources(&census).unwrap() {
        r.unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    let out = tempfile::tempdir().unwrap();
    let exec = ExecOptions::default();
    let prep = prepare(&census, &out.path().join("layers"), &exec, &NoProgress).unwrap();
    let mut stack = prep.stack();
    let wf = out.path().join("wildfire");
    let rep = run_wildfire(&census, &mut stack, &wf, &exec, &NoProgress).unwrap();

    // 1. Daily FWI from census.gpkg = xclim 0.62.0 on the same survey CSV (the
    //    generated survey is the committed fixture's), to the 4 decimals written.
    assert_eq!(rep.seasons.len(), 6, "{:?}", rep.seasons);
    let ours = std::fs::read_to_string(&rep.fwi_daily_csv).unwrap();
    let gold = std::fs::read_to_string(fixtures().join("wildfire/xclim_demo_fwi.csv")).unwrap();
    let key = |l: &str| {
        let f: Vec<String> = l.split(',').map(str::to_string).collect();
        (
            (f[0].clone(), f[1].clone()),
            f[2..8]
                .iter()
                .map(|v| v.parse::<f64>().unwrap())
                .collect::<Vec<_>>(),
        )
    };
    let mut ours: Vec<_> = ours.lines().skip(1).map(key).collect();
    let mut gold: Vec<_> = gold.lines().skip(1).map(key).collect();
    ours.sort_by(|a, b| a.0.cmp(&b.0));
    gold.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(ours.len(), 723);
    assert_eq!(ours.len(), gold.len());
    for (o, g) in ours.iter().zip(&gold) {
        assert_eq!(o.0, g.0);
        for k in 0..6 {
            assert!(
                (o.1[k] - g.1[k]).abs() <= 5.001e-5,
                "{:?} index {k}: {} vs {}",
                o.0,
                o.1[k],
                g.1[k]
            );
        }
    }
    assert_eq!(rep.stations.len(), 3);
    assert!(rep.fire_points > 50, "{}", rep.fire_points);

    // 2. Hazard relations.
    let layers = out.path().join("layers");
    let lc = read(&layers.join("landcover.tif"));
    let slope = read(&layers.join("slope_deg.tif"));
    let aspect = read(&layers.join("aspect_deg.tif"));
    let h = read(&rep.hazard);
    let level = read(rep.hazard_level.as_ref().unwrap());
    let p90 = read(&wf.join("fwi_p90.tif"));
    let mean = |pick: &dyn Fn(usize) -> bool| {
        let (mut s, mut n) = (0f64, 0usize);
        for (i, v) in h.iter().enumerate() {
            if !v.is_nan() && pick(i) {
                s += *v as f64;
                n += 1;
            }
        }
        assert!(n >= 20, "too few cells ({n}) in a comparison group");
        s / n as f64
    };
    let (lc, sl, asp) = (
        lc.as_slice().unwrap(),
        slope.as_slice().unwrap(),
        aspect.as_slice().unwrap(),
    );
    let steep_south_forest =
        mean(&|i| lc[i] == 20.0 && sl[i] > 15.0 && (135.0..=225.0).contains(&asp[i]));
    let north_forest = mean(&|i| {
        lc[i] == 20.0 && sl[i] > 15.0 && (asp[i] >= 315.0 || (0.0..=45.0).contains(&asp[i]))
    });
    let crop = mean(&|i| lc[i] == 10.0);
    let mut hist = [0usize; 6];
    for lv in level.iter() {
        hist[*lv as usize] += 1;
    }
    let (pmin, pmax) = p90
        .iter()
        .filter(|v| !v.is_nan())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    println!(
        "hazard means: steep south forest {steep_south_forest:.3}, steep north forest {north_forest:.3}, cropland {crop:.3}; \
         levels 0..5 {hist:?}; fwi_p90 grid {pmin:.2}..{pmax:.2}; stations {:?}",
        rep.stations.iter().map(|s| (s.station.as_str(), (s.fwi_p90 * 100.0).round() / 100.0)).collect::<Vec<_>>()
    );
    assert!(
        steep_south_forest > crop + 0.1,
        "forest {steep_south_forest:.3} vs cropland {crop:.3}"
    );
    assert!(
        steep_south_forest > north_forest,
        "south {steep_south_forest:.3} vs north {north_forest:.3}"
    );
    // Water and built-up carry no fuel: hazard 0 (the lowest of the grid), level V.
    let min_other = h
        .iter()
        .zip(lc)
        .filter(|(v, l)| !v.is_nan() && **l != 60.0 && **l != 80.0)
        .map(|(v, _)| *v)
        .fold(f32::INFINITY, f32::min);
    for ((v, l), lv) in h.iter().zip(lc).zip(level.iter()) {
        if *l == 60.0 || *l == 80.0 {
            assert_eq!(*v, 0.0);
            assert_eq!(*lv, 5.0);
        }
    }
    assert!(min_other >= 0.0);
    // Some forest reaches the two highest levels.
    assert!(
        level
            .iter()
            .zip(lc)
            .filter(|(lv, l)| **l == 20.0 && **lv <= 2.0)
            .count()
            > 20
    );
    // fwi_p90 is finite on the DEM and lies within the span of plausible spring values
    // spanned by the stations' own p90 ± the lapse-rate effect (checked loosely: all
    // cells within [0.5, 2] × the station range).
    let st: Vec<f64> = rep.stations.iter().map(|s| s.fwi_p90).collect();
    let (lo, hi) = (
        st.iter().cloned().fold(f64::INFINITY, f64::min),
        st.iter().cloned().fold(0.0, f64::max),
    );
    for v in p90.iter().filter(|v| !v.is_nan()) {
        assert!(
            (*v as f64) > 0.5 * lo && (*v as f64) < 2.0 * hi,
            "{v} outside {lo}..{hi}"
        );
    }
    // Exposure: forest cells expose 0.5; cells far from wildland with no buildings 0.
    let e = read(&wf.join("wildfire_exposure.tif"));
    assert!(e
        .iter()
        .zip(lc)
        .filter(|(_, l)| **l == 20.0)
        .all(|(v, _)| *v >= 0.5));
    assert!(
        e.iter().any(|v| *v > 0.5),
        "some interface buildings exposed"
    );
    assert!(stack.get("wildfire_hazard").is_some() && stack.get("wildfire_exposure").is_some());
}
