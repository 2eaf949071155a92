//! The wildfire stage on the small demo county (150 m cells): the daily FWI table
//! from the census database equals the xclim goldens, and the hazard grid relates to
//! fuel and terrain as the model intends.

use std::path::Path;

use ndarray::Array2;
use riskcensus::config::CensusConfig;
use riskcensus::executor::ExecOptions;
use riskcensus::progress::NoProgress;
use riskcensus::score::assess;
use riskcensus::stages::prepare::prepare;
use riskcensus::stages::wildfire::{run_wildfire, run_wildfire_with, WildfireOptions};
use riskcensus_models::Model;
use riskcensus_testkit::{fixtures_dir, read_raster};

#[test]
fn demo_wildfire_stage() {
    let src = tempfile::tempdir().unwrap();
    let census = riskcensus::demo::ingested_demo_census(
        src.path(),
        &riskcensus::demo::DemoOptions {
            resolution_m: 150.0,
            ..Default::default()
        },
    )
    .unwrap();
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
    let gold = std::fs::read_to_string(fixtures_dir().join("wildfire/xclim_demo_fwi.csv")).unwrap();
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
    let lc = read_raster(&layers.join("landcover.tif"));
    let slope = read_raster(&layers.join("slope_deg.tif"));
    let aspect = read_raster(&layers.join("aspect_deg.tif"));
    let h = read_raster(&rep.hazard);
    let level = read_raster(rep.hazard_level.as_ref().unwrap());
    let p90 = read_raster(&wf.join("fwi_p90.tif"));
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
    let e = read_raster(&wf.join("wildfire_exposure.tif"));
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

    fire_weather_lattice_against_cells(&census, &prep.stack(), out.path(), &p90);
    wildfire_capacity_and_risk(&census, &mut stack, &rep, lc, out.path());
}

/// The fire-weather lattice (default 1000 m, levels every 50 m) against the FWI run
/// in every cell, and 1 vs 2 threads bit for bit.
fn fire_weather_lattice_against_cells(
    census: &CensusConfig,
    stack: &riskcensus::stack::LayerStack,
    out: &Path,
    lattice: &Array2<f32>,
) {
    let run = |name: &str, opts: &WildfireOptions, threads: Option<usize>| {
        let mut st = stack.clone();
        let dir = out.join(name);
        let exec = ExecOptions {
            threads,
            ..ExecOptions::default()
        };
        let t = std::time::Instant::now();
        run_wildfire_with(census, &mut st, &dir, &exec, &NoProgress, opts).unwrap();
        let secs = t.elapsed().as_secs_f64();
        (read_raster(&dir.join("fwi_p90.tif")), secs)
    };
    let exact_opts = WildfireOptions {
        weather_cell_m: 0.0,
        ..WildfireOptions::default()
    };
    let (exact, t_exact) = run("wf_cells", &exact_opts, None);
    let (one, t_one) = run("wf_1thread", &WildfireOptions::default(), Some(1));
    let (two, _) = run("wf_2threads", &WildfireOptions::default(), Some(2));
    for ((a, b), c) in one.iter().zip(two.iter()).zip(lattice.iter()) {
        assert_eq!(a.to_bits(), b.to_bits(), "1 vs 2 threads");
        assert_eq!(a.to_bits(), c.to_bits(), "1 thread vs the default pool");
    }
    let (mut max, mut sum, mut n, mut over_half) = (0f64, 0f64, 0usize, 0usize);
    for (a, e) in lattice.iter().zip(exact.iter()) {
        assert_eq!(a.is_nan(), e.is_nan(), "same nodata cells");
        if e.is_nan() {
            continue;
        }
        let d = (*a as f64 - *e as f64).abs();
        max = max.max(d);
        sum += d;
        n += 1;
        if d > 0.5 {
            over_half += 1;
        }
    }
    let (emin, emax) = exact
        .iter()
        .filter(|v| !v.is_nan())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    println!(
        "fwi_p90 lattice 1000 m / 50 m vs per cell: {n} cells, max |Δ| {max:.4}, mean |Δ| {:.5}, cells |Δ| > 0.5: {over_half}; \
         per-cell range {emin:.2}..{emax:.2}; stage (debug) per cell {t_exact:.1} s, lattice 1 thread {t_one:.1} s",
        sum / n as f64
    );
    assert!(n > 1000);
    assert!(max < 0.5, "max |Δ fwi_p90| {max}");
    let mean_d = sum / n as f64;
    assert!(mean_d < 0.05, "mean |Δ fwi_p90| {mean_d}");
    // The grid varies (elevation and stations): the comparison is not between flats.
    assert!(emax - emin > 1.0, "{emin}..{emax}");
}

/// The wildfire capacity: fire-fighting personnel potential falls away from a
/// crew, the capacity index with it, and risk with capacity ≤ risk without.
fn wildfire_capacity_and_risk(
    census: &CensusConfig,
    stack: &mut riskcensus::stack::LayerStack,
    rep: &riskcensus::stages::wildfire::WildfireReport,
    lc: &[f32],
    out: &Path,
) {
    let grid = &census.grid;
    let wf = rep.hazard.parent().unwrap();
    let pot = read_raster(&wf.join("fire_rescue_potential.tif"));
    let dw = read_raster(&wf.join("dist_water.tif"));
    let cap = read_raster(&rep.capacity);
    // The demo has 3 fire stations + one 专职消防队 per town; mine, water rescue and
    // militia teams are not fire crews.
    assert!(rep.fire_crews >= 4, "{}", rep.fire_crews);
    assert!(rep.other_rescue_teams >= 2, "{}", rep.other_rescue_teams);
    // Crews of the census database.
    let db = riskcensus_survey::Census::open(&census.dir).unwrap();
    let crews: Vec<(f64, f64, f64)> = db
        .query("rescue_teams", &riskcensus_survey::Query::default())
        .unwrap()
        .iter()
        // `kind` is a `team_kind` code: the fire crews are `fire` and `forest_fire`.
        .filter(|f| matches!(f.text("kind").as_str(), "fire" | "forest_fire"))
        .filter_map(|f| match &f.geometry {
            Some(geo_types::Geometry::Point(p)) => {
                Some((p.x(), p.y(), f.number("personnel").unwrap()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(crews.len(), rep.fire_crews);
    // The crew farthest from all others; walk away from the others' centroid.
    let nearest_other = |i: usize| {
        crews
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| ((c.0 - crews[i].0).powi(2) + (c.1 - crews[i].1).powi(2)).sqrt())
            .fold(f64::INFINITY, f64::min)
    };
    let k = (0..crews.len())
        .max_by(|a, b| nearest_other(*a).total_cmp(&nearest_other(*b)))
        .unwrap();
    let (cx, cy, pers) = crews[k];
    let others = crews.iter().enumerate().filter(|(j, _)| *j != k);
    let n_o = (crews.len() - 1) as f64;
    let (ox, oy) = others.fold((0.0, 0.0), |a, (_, c)| (a.0 + c.0 / n_o, a.1 + c.1 / n_o));
    let (ux, uy) = {
        let (dx, dy) = (cx - ox, cy - oy);
        let l = (dx * dx + dy * dy).sqrt();
        (dx / l, dy / l)
    };
    let mut ray = Vec::new();
    for step in 0..8 {
        let d = step as f64 * 1000.0;
        if let Some(cell) = grid.cell_of(cx + ux * d, cy + uy * d) {
            if !pot[cell].is_nan() {
                ray.push((d, cell, pot[cell], cap[cell], dw[cell]));
            }
        }
    }
    println!(
        "crew {k} ({pers} persons, nearest other crew {:.0} m): (distance m, potential persons, capacity, dist_water m) {:?}",
        nearest_other(k),
        ray.iter()
            .map(|r| (r.0, (r.2 * 10.0).round() / 10.0, (r.3 * 1000.0).round() / 1000.0, r.4))
            .collect::<Vec<_>>()
    );
    assert!(ray.len() >= 4, "ray leaves the grid early: {}", ray.len());
    assert!(
        ray[0].2 as f64 >= pers * 0.99,
        "{} at the station",
        ray[0].2
    );
    for w in ray.windows(2) {
        assert!(w[1].2 < w[0].2, "potential rises away from the crew: {w:?}");
        // Where water is no nearer, capacity falls too.
        if w[1].4 >= w[0].4 {
            assert!(w[1].3 < w[0].3, "capacity rises away from the crew: {w:?}");
        }
    }
    // Capacity is in [0, 1] and NaN exactly where land cover is NaN.
    for ((c, l), p) in cap.iter().zip(lc.iter()).zip(pot.iter()) {
        assert_eq!(c.is_nan(), l.is_nan());
        assert_eq!(p.is_nan(), l.is_nan());
        assert!(c.is_nan() || (0.0..=1.0).contains(c), "{c}");
    }
    // Water cells are at distance 0.
    for (d, l) in dw.iter().zip(lc.iter()) {
        if *l == 60.0 {
            assert_eq!(*d, 0.0);
        }
    }

    // Risk: with the capacity term vs without it (alpha 0), and with the capacity
    // unknown (NaN) on the western half of the grid, which must mean no reduction.
    let text = include_str!("../models/wildfire/wildfire_risk.toml");
    assert!(text.contains("alpha = 0.5"));
    let with = Model::from_toml(text, Path::new("wildfire_risk.toml")).unwrap();
    let without = Model::from_toml(
        &text
            .replace("alpha = 0.5", "alpha = 0.0")
            .replace("id = \"wildfire_risk\"", "id = \"wildfire_risk_nocap\""),
        Path::new("wildfire_risk_nocap.toml"),
    )
    .unwrap();
    let exec = ExecOptions::default();
    let dir = out.join("risk");
    let r = assess(grid, stack, &[with, without], &dir, &exec, &NoProgress).unwrap();
    assert_eq!(r.runs.len(), 2, "{:?}", r.skipped);
    let rw = read_raster(&r.runs[0].score_path);
    let r0 = read_raster(&r.runs[1].score_path);
    let (mut lower, mut valid) = (0usize, 0usize);
    for ((a, b), c) in rw.iter().zip(r0.iter()).zip(cap.iter()) {
        assert_eq!(a.is_nan(), b.is_nan());
        if a.is_nan() {
            continue;
        }
        valid += 1;
        assert!(a <= b, "risk with capacity {a} > without {b}");
        if *b > 0.0 && *c > 0.0 {
            assert!(a < b);
            lower += 1;
        }
    }
    println!("risk lowered by capacity in {lower} of {valid} cells");
    assert!(lower > 100, "{lower}");
    // NaN capacity on the western half: equal to the risk without capacity there.
    let mut half = cap.clone();
    for ((_, c), v) in half.indexed_iter_mut() {
        if c < grid.cols / 2 {
            *v = f32::NAN;
        }
    }
    let nan_path = out.join("cap_half_nan.tif");
    riskcensus_io::geotiff::write_geotiff(
        &nan_path,
        half.view(),
        grid.geotransform(),
        &grid.crs,
        Some(f64::NAN),
    )
    .unwrap();
    let mut st = stack.clone();
    st.insert("wildfire_capacity", nan_path, "index");
    let m = Model::from_toml(text, Path::new("wildfire_risk.toml")).unwrap();
    let r = assess(
        grid,
        &mut st,
        &[m],
        &out.join("risk_nan"),
        &exec,
        &NoProgress,
    )
    .unwrap();
    let rn = read_raster(&r.runs[0].score_path);
    for (((rc, a), b), w) in rn.indexed_iter().zip(r0.iter()).zip(rw.iter()) {
        if rc.1 < grid.cols / 2 {
            assert_eq!(
                a.to_bits(),
                b.to_bits(),
                "NaN capacity must not reduce risk"
            );
        } else {
            assert_eq!(a.to_bits(), w.to_bits());
        }
    }
}
