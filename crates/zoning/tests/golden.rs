//! Agreement with independent implementations, from goldens written by
//! `validate/zoning/run.sh` (tool names and versions are recorded in the goldens):
//! jenkspy and mapclassify (natural breaks, equal interval), numpy (quantiles),
//! exactextract (zonal statistics with exact coverage fractions) and GDAL's rasterizer
//! (cell-centre rule).

use std::path::PathBuf;

use riskcensus_zoning::breaks::{quantile::quantile_breaks, Histogram};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/zoning")
}

fn read_f32(path: &std::path::Path) -> Vec<f32> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn assert_close(what: &str, got: &[f64], want: &[f64], rel: f64) {
    assert_eq!(got.len(), want.len(), "{what}: {got:?} vs {want:?}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let tol = rel * w.abs().max(1e-300);
        assert!(
            (g - w).abs() <= tol,
            "{what}[{i}]: {g} vs {w} (diff {:e}, tolerance {tol:e})",
            (g - w).abs()
        );
    }
}

#[test]
fn breaks_agree_with_jenkspy_mapclassify_numpy() {
    let dir = fixtures().join("breaks");
    let gold: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("breaks.json")).unwrap()).unwrap();
    let mut checked = 0;
    for s in gold["samples"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let values = read_f32(&dir.join(s["file"].as_str().unwrap()));
        let step = s["step"].as_f64().unwrap();
        // Tiles of 1000 values in reverse order: the tiling must not matter.
        let mut h = Histogram::new(step).unwrap();
        for c in values.rchunks(1000) {
            h.add(c).unwrap();
        }
        assert_eq!(
            h.count(),
            s["valid"].as_u64().unwrap(),
            "{name}: valid count"
        );
        assert_eq!(
            h.bins().len() as u64,
            s["distinct"].as_u64().unwrap(),
            "{name}: distinct"
        );
        for (k, e) in s["k"].as_object().unwrap() {
            let k: usize = k.parse().unwrap();
            let ends = h.jenks_partition(k).unwrap();
            let jq: Vec<f64> = ends
                .iter()
                .map(|&e| h.value_of(h.bins()[e - 1].q))
                .collect();
            // jenkspy returns values of its input (q·step in float64): exact equality.
            assert_eq!(jq, floats(&e["jenks"]), "{name} k={k}: Jenks vs jenkspy");
            if let Some(m) = e.get("jenks_mapclassify") {
                assert_eq!(
                    jq,
                    floats(m),
                    "{name} k={k}: Jenks vs mapclassify.FisherJenks"
                );
            }
            assert_eq!(
                h.jenks(k).unwrap().bounds,
                floats(&e["jenks_raw"]),
                "{name} k={k}: raw class maxima"
            );
            let q = quantile_breaks(&values, k).unwrap();
            assert_eq!(
                q.bounds,
                floats(&e["quantile"]),
                "{name} k={k}: quantile vs numpy"
            );
            assert_close(
                &format!("{name} k={k}: equal interval vs mapclassify"),
                &h.equal(k).unwrap().bounds,
                &floats(&e["equal"]),
                1e-12,
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 10);
}

mod zonal {
    use super::*;
    use ndarray::Array2;
    use riskcensus_core::{GridSpec, Window};
    use riskcensus_zoning::coverage::Rings;
    use riskcensus_zoning::zonal::{zonal_stats, zone_cells, LevelAreas, Rule};

    /// The fixture raster's values, by the formula make_zonal_goldens.py writes
    /// (same f64 operations, then rounding to f32).
    fn values(rows: usize, cols: usize) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |(r, c)| {
            let (ri, ci) = (r as i64, c as i64);
            if (7 * ri + 13 * ci) % 97 == 0 {
                return f32::NAN;
            }
            let m = (3 * ri * ri + 7 * ci + ri * ci) % 1009;
            (m as f64 / 1009.0 * 0.5 + r as f64 / rows as f64 * 0.5) as f32
        })
    }

    fn townships() -> Vec<(String, Rings)> {
        let t: Value = serde_json::from_str(
            &std::fs::read_to_string(fixtures().join("zonal/townships.json")).unwrap(),
        )
        .unwrap();
        t["townships"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let polygons = f["rings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        p.as_array()
                            .unwrap()
                            .iter()
                            .map(|ring| {
                                ring.as_array()
                                    .unwrap()
                                    .iter()
                                    .map(|xy| (xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap()))
                                    .collect()
                            })
                            .collect()
                    })
                    .collect();
                (f["code"].as_str().unwrap().to_string(), Rings { polygons })
            })
            .collect()
    }

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1e-300)
    }

    #[test]
    fn zonal_stats_agree_with_exactextract_and_gdal() {
        let gold: Value = serde_json::from_str(
            &std::fs::read_to_string(fixtures().join("zonal/zonal.json")).unwrap(),
        )
        .unwrap();
        let g = &gold["grid"];
        let grid = GridSpec {
            crs: g["crs"].as_str().unwrap().into(),
            x_min: g["x_min"].as_f64().unwrap(),
            y_max: g["y_max"].as_f64().unwrap(),
            cell_size: g["cell_size"].as_f64().unwrap(),
            rows: g["rows"].as_u64().unwrap() as usize,
            cols: g["cols"].as_u64().unwrap() as usize,
        };
        let v = values(grid.rows, grid.cols);
        let bounds = riskcensus_zoning::Breaks::from_inner(&floats(&gold["level_bounds"])).unwrap();
        let lv = v.mapv(|x| bounds.classify(x));
        let full = Window::new(0, 0, grid.rows, grid.cols);
        let (mut worst_sum, mut worst_mean, mut worst_share) = (0.0f64, 0.0f64, 0.0f64);
        let towns = townships();
        assert_eq!(towns.len(), 12);
        for (code, rings) in &towns {
            let e = &gold["fraction"][code];
            let cov = zone_cells(rings, &grid, Rule::Fraction).unwrap();
            let s = zonal_stats(&cov, v.view(), full).unwrap();
            worst_sum = worst_sum
                .max(rel(s.count, e["count"].as_f64().unwrap()))
                .max(rel(s.sum, e["sum"].as_f64().unwrap()));
            worst_mean = worst_mean.max(rel(s.mean.unwrap(), e["mean"].as_f64().unwrap()));
            assert_eq!(s.min, e["min"].as_f64(), "{code}: min");
            assert_eq!(s.max, e["max"].as_f64(), "{code}: max");

            let mut la = LevelAreas::new(5);
            la.add(&cov, lv.view(), full, grid.cell_area()).unwrap();
            let fr = gold["level_frac"][code].as_object().unwrap();
            for l in 1..=5u8 {
                let want = fr
                    .get(&l.to_string())
                    .and_then(|x| x.as_f64())
                    .unwrap_or(0.0);
                let got = la.share(l).unwrap();
                worst_share = worst_share.max((got - want).abs());
            }

            let c = &gold["center"][code];
            let cen = zone_cells(rings, &grid, Rule::Center).unwrap();
            let s = zonal_stats(&cen, v.view(), full).unwrap();
            assert_eq!(
                s.count,
                c["count"].as_f64().unwrap(),
                "{code}: centre-rule count vs GDAL"
            );
            assert!(
                rel(s.sum, c["sum"].as_f64().unwrap()) < 1e-12,
                "{code}: centre-rule sum"
            );
            assert_eq!(s.min, c["min"].as_f64(), "{code}: centre-rule min");
            assert_eq!(s.max, c["max"].as_f64(), "{code}: centre-rule max");
        }
        println!(
            "zonal vs exactextract {}: worst relative difference count/sum {worst_sum:.2e}, mean {worst_mean:.2e}; level shares worst absolute {worst_share:.2e}",
            gold["tools"]["exactextract"]
        );
        assert!(
            worst_sum < 1e-9 && worst_mean < 1e-9,
            "{worst_sum} {worst_mean}"
        );
        assert!(worst_share < 1e-9, "{worst_share}");
    }
}
