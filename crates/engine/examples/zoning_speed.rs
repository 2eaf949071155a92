//! Timing of the zonal stage for benches/zoning/compare.py: exact Jenks breaks
//! (K = 5, step 1e-4) of a raster, and fraction-rule zonal statistics of a raster over
//! a polygon layer, each the best of `reps` runs, printed as JSON.
//!
//!   cargo run --release -p riskcensus-engine --example zoning_speed -- \
//!       <jenks-raster> <zonal-raster> <polygons> <layer> [reps]

use std::path::PathBuf;
use std::time::Instant;

use riskcensus_engine::tools::zonal::{raster_breaks, zonal_stats, Method, PolygonSpec, Rule};

fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = None;
    let mut t_best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        let v = f();
        t_best = t_best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (t_best, out.expect("reps ≥ 1"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() < 4 {
        return Err(
            "usage: zoning_speed <jenks-raster> <zonal-raster> <polygons> <layer> [reps]".into(),
        );
    }
    let reps: usize = a.get(4).map(|s| s.parse()).transpose()?.unwrap_or(3);
    let (tj, b) = best(reps, || {
        raster_breaks(&PathBuf::from(&a[0]), Method::Jenks, 5, 1e-4)
    });
    let b = b?;
    let spec = PolygonSpec {
        path: PathBuf::from(&a[2]),
        layer: Some(a[3].clone()),
        id_field: None,
    };
    let (tz, z) = best(reps, || {
        zonal_stats(&PathBuf::from(&a[1]), &spec, Rule::Fraction)
    });
    let z = z?;
    println!(
        "{}",
        serde_json::json!({
            "jenks_s": tj, "jenks_bounds": b.bounds,
            "zonal_s": tz, "zones": z.len(),
            "zonal": z.iter().map(|r| serde_json::json!({"id": r.id, "sum": r.stats.sum, "count": r.stats.count})).collect::<Vec<_>>(),
        })
    );
    Ok(())
}
