//! Criterion benches (issue 9 item 9): exact Jenks on 10 M cells (histogram of tiles,
//! then the Fisher DP), and zonal statistics over the demo's 12 townships on a ~1 M-cell
//! 30 m grid. Synthetic values from fixed formulas / seeds.
//!
//!   cargo bench -p riskcensus-zoning --bench zoning

// `criterion_group!` expands to an undocumented `pub fn`; nothing else here is public.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndarray::Array2;
use riskcensus_core::{GridSpec, Window};
use riskcensus_zoning::coverage::Rings;
use riskcensus_zoning::zonal::{zonal_stats, zone_cells, Rule};
use riskcensus_zoning::Histogram;

/// Skewed values in [0, 1) from a fixed-seed LCG (a cubed uniform), 1 % NaN.
fn skewed(n: usize, seed: u64) -> Vec<f32> {
    let mut s = seed;
    (0..n)
        .map(|i| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if i % 100 == 0 {
                f32::NAN
            } else {
                ((s >> 40) as f32 / (1u64 << 24) as f32).powi(3)
            }
        })
        .collect()
}

fn jenks(c: &mut Criterion) {
    let mut g = c.benchmark_group("jenks");
    g.sample_size(10);
    for &n in &[1_000_000usize, 10_000_000] {
        let v = skewed(n, 42);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("histogram+dp_k5", n), &v, |b, v| {
            b.iter(|| {
                let mut h = Histogram::new(1e-4).unwrap();
                for t in v.chunks(65_536) {
                    h.add(t).unwrap();
                }
                h.jenks(5).unwrap()
            })
        });
    }
    g.finish();
}

fn townships() -> Vec<Rings> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/zoning/zonal/townships.json");
    let t: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    t["townships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Rings {
            polygons: serde_json::from_value::<Vec<Vec<Vec<(f64, f64)>>>>(f["rings"].clone())
                .unwrap(),
        })
        .collect()
}

fn zonal(c: &mut Criterion) {
    // The demo county's extent at 30 m: 1 147 × 880 ≈ 1.0 M cells.
    let grid = GridSpec {
        crs: "EPSG:4548".into(),
        x_min: 484_400.0,
        y_max: 4_019_800.0,
        cell_size: 30.0,
        rows: 880,
        cols: 1147,
    };
    let v = Array2::from_shape_fn((grid.rows, grid.cols), |(r, c)| {
        if (7 * r + 13 * c) % 97 == 0 {
            f32::NAN
        } else {
            ((3 * r * r + 7 * c + r * c) % 1009) as f32 / 1009.0
        }
    });
    let towns = townships();
    let full = Window::new(0, 0, grid.rows, grid.cols);
    let mut g = c.benchmark_group("zonal_townships_30m");
    g.sample_size(10);
    g.throughput(Throughput::Elements(grid.cell_count() as u64));
    for rule in [Rule::Fraction, Rule::Center] {
        g.bench_with_input(
            BenchmarkId::new(rule.id(), grid.cell_count()),
            &v,
            |b, v| {
                b.iter(|| {
                    towns
                        .iter()
                        .map(|t| {
                            let cov = zone_cells(t, &grid, rule).unwrap();
                            zonal_stats(&cov, v.view(), full).unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, jenks, zonal);
criterion_main!(benches);
