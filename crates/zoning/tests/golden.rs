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
