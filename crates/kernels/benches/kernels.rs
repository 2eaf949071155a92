//! Criterion benches of the terrain, hydrology and distance kernels on fixed-seed
//! synthetic DEMs, 1K² to 4K² cells (8K² with `RISKCENSUS_BENCH_8K=1`).
//!
//! `cargo bench -p riskcensus-kernels --bench kernels`
//! (`-- slope` etc. to filter). Throughput is reported in cells.

// `criterion_group!` expands to an undocumented `pub fn`; nothing else here is public.
#![allow(missing_docs)]

mod synth;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use riskcensus_kernels::terrain::{self, Edges, GradientAlg, SlopeUnits};
use riskcensus_kernels::{distance, hydro, CellSize};
use std::time::Duration;

fn sizes() -> Vec<usize> {
    let mut s = vec![1024, 2048, 4096];
    if std::env::var_os("RISKCENSUS_BENCH_8K").is_some() {
        s.push(8192);
    }
    s
}

/// One shared configuration: few samples, the big grids take seconds per iteration.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
}

fn terrain_benches(c: &mut Criterion) {
    let cell = CellSize::new(30.0).unwrap();
    let mut g = c.benchmark_group("terrain");
    for n in sizes() {
        let dem = synth::dem(n, n, 42);
        g.throughput(Throughput::Elements((n * n) as u64));
        g.bench_with_input(BenchmarkId::new("slope_horn", n), &dem, |b, d| {
            b.iter(|| {
                terrain::slope(
                    d.view(),
                    cell,
                    GradientAlg::Horn,
                    SlopeUnits::Degrees,
                    Edges::Nodata,
                )
            })
        });
        g.bench_with_input(BenchmarkId::new("aspect_horn", n), &dem, |b, d| {
            b.iter(|| terrain::aspect(d.view(), GradientAlg::Horn, Edges::Nodata))
        });
        g.bench_with_input(BenchmarkId::new("hillshade_horn", n), &dem, |b, d| {
            b.iter(|| {
                terrain::hillshade(
                    d.view(),
                    cell,
                    GradientAlg::Horn,
                    Default::default(),
                    Edges::Nodata,
                )
            })
        });
        g.bench_with_input(BenchmarkId::new("curvature", n), &dem, |b, d| {
            b.iter(|| terrain::curvature(d.view(), cell, Edges::Nodata))
        });
        g.bench_with_input(BenchmarkId::new("relief_r5", n), &dem, |b, d| {
            b.iter(|| terrain::relief(d.view(), 5))
        });
    }
    g.finish();
}

fn hydro_benches(c: &mut Criterion) {
    let cell = CellSize::new(30.0).unwrap();
    let mut g = c.benchmark_group("hydro");
    for n in sizes() {
        let dem = synth::dem(n, n, 42);
        let filled = hydro::fill_depressions(dem.view());
        let dirs = hydro::d8(filled.view());
        let acc = hydro::accumulation(dirs.view()).unwrap();
        let st = hydro::streams(acc.view(), 500).unwrap();
        g.throughput(Throughput::Elements((n * n) as u64));
        g.bench_with_input(BenchmarkId::new("fill", n), &dem, |b, d| {
            b.iter(|| hydro::fill_depressions(d.view()))
        });
        g.bench_with_input(BenchmarkId::new("d8", n), &filled, |b, f| {
            b.iter(|| hydro::d8(f.view()))
        });
        g.bench_with_input(BenchmarkId::new("accumulation", n), &dirs, |b, d| {
            b.iter(|| hydro::accumulation(d.view()).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("hand", n), &(), |b, _| {
            b.iter(|| hydro::hand(filled.view(), dirs.view(), st.view()).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("edt_streams", n), &st, |b, s| {
            b.iter(|| distance::euclidean_distance(s.view(), cell, None).unwrap())
        });
    }
    g.finish();
}

criterion_group! { name = benches; config = config(); targets = terrain_benches, hydro_benches }
criterion_main!(benches);
