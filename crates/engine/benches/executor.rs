//! Executor throughput: read → trivial per-cell kernel → write COG over a square
//! grid (4096² by default; `RISKCENSUS_BENCH_SIZES=1024,2048,4096` to sweep), for 1
//! and 2 threads. Measures the executor's own overhead: GDAL reads, tile batching,
//! ordered writes and the COG copy (DEFLATE + overviews).

// `criterion_group!` expands to an undocumented `pub fn`; nothing else here is public.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use riskcensus_core::GridSpec;
use riskcensus_engine::executor::{run_tiled, ExecOptions, PerCell};
use riskcensus_engine::progress::NoProgress;
use riskcensus_io::cog::{CogOptions, CogWriter};

fn sizes() -> Vec<usize> {
    std::env::var("RISKCENSUS_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![4096])
}

fn executor(c: &mut Criterion) {
    let mut group = c.benchmark_group("executor_per_cell");
    group.sample_size(10);
    let dir = tempfile::tempdir().unwrap();
    for n in sizes() {
        let grid = GridSpec::new("EPSG:4548", 484_000.0, 4_020_000.0, 10.0, n, n).unwrap();
        let input = dir.path().join(format!("in{n}.tif"));
        riskcensus_testkit::write_synthetic_layer(&input, &grid, 42, 0.01);
        group.throughput(Throughput::Elements((n * n) as u64));
        for threads in [1, 2] {
            group.bench_with_input(
                BenchmarkId::new(format!("threads{threads}"), n),
                &n,
                |b, _| {
                    b.iter(|| {
                        let out = dir.path().join("out.tif");
                        let w = CogWriter::<f32>::create(
                            &out,
                            &grid,
                            Some(f64::NAN),
                            CogOptions::default(),
                        )
                        .unwrap();
                        let opts = ExecOptions {
                            threads: Some(threads),
                            tile_size: 512,
                        };
                        run_tiled(
                            &grid,
                            std::slice::from_ref(&input),
                            &PerCell(|v: &[f32]| v[0] * 0.5 + 1.0),
                            vec![w],
                            &opts,
                            &NoProgress,
                            "bench",
                        )
                        .unwrap()
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, executor);
criterion_main!(benches);
