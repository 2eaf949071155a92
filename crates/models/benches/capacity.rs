//! Road-network isochrones and the travel-time grid on a generated road network of
//! about 100,000 edges (a jittered 224 × 224 lattice, 250 m spacing, cut into lines of
//! one speed each; seed 42): building the graph, `travel_minutes` from 50 stations (one
//! multi-source call, and 50 single-station calls = one isochrone each), and
//! `travel_minutes_grid` on a 1000 × 1000 grid over the network (56 m cells), on the
//! global rayon pool and on one thread. Throughput is edges (graph and isochrones)
//! and cells (grid).
//!
//! `CARGO_TARGET_DIR=… cargo bench -p riskcensus-models --bench capacity`

// `criterion_group!` expands to an undocumented `pub fn`; nothing else here is public.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use riskcensus_core::GridSpec;
use riskcensus_models::capacity::{travel_minutes_grid, RoadLine, RoadNetwork};

const SEED: u64 = 42;
const SIDE: usize = 224;
const SPACING: f64 = 250.0;
const STATIONS: usize = 50;
const SPEEDS: [f64; 5] = [20.0, 30.0, 40.0, 60.0, 80.0];

/// Rows and columns of a jittered lattice as lines, cut at random vertices.
fn lines() -> Vec<RoadLine> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let xy: Vec<(f64, f64)> = (0..SIDE * SIDE)
        .map(|k| {
            let (i, j) = ((k % SIDE) as f64, (k / SIDE) as f64);
            (
                i * SPACING + rng.random_range(-60.0..60.0),
                j * SPACING + rng.random_range(-60.0..60.0),
            )
        })
        .collect();
    let mut out = Vec::new();
    let chain = |out: &mut Vec<RoadLine>, rng: &mut ChaCha8Rng, ids: Vec<usize>| {
        let mut cur = vec![xy[ids[0]]];
        for (k, &id) in ids.iter().enumerate().skip(1) {
            cur.push(xy[id]);
            if k + 1 < ids.len() && rng.random::<f64>() < 0.2 {
                let speed = SPEEDS[rng.random_range(0..SPEEDS.len())];
                out.push(RoadLine {
                    points: std::mem::replace(&mut cur, vec![xy[id]]),
                    speed_kmh: speed,
                });
            }
        }
        let speed = SPEEDS[rng.random_range(0..SPEEDS.len())];
        out.push(RoadLine {
            points: cur,
            speed_kmh: speed,
        });
    };
    for j in 0..SIDE {
        chain(
            &mut out,
            &mut rng,
            (0..SIDE).map(|i| j * SIDE + i).collect(),
        );
    }
    for i in 0..SIDE {
        chain(
            &mut out,
            &mut rng,
            (0..SIDE).map(|j| j * SIDE + i).collect(),
        );
    }
    out
}

fn isochrones(c: &mut Criterion) {
    let lines = lines();
    let net = RoadNetwork::build(&lines, 0.5).unwrap();
    let edges = net.edge_count();
    let mut rng = ChaCha8Rng::seed_from_u64(SEED + 1);
    let stations: Vec<(usize, f64)> = (0..STATIONS)
        .map(|_| {
            (
                rng.random_range(0..net.node_count()),
                rng.random_range(0.0..3.0),
            )
        })
        .collect();
    let mut g = c.benchmark_group("road_network");
    g.sample_size(10)
        .measurement_time(std::time::Duration::from_secs(3));
    g.throughput(Throughput::Elements(edges as u64));
    g.bench_with_input(
        BenchmarkId::new("build_snap_0.5m", edges),
        &lines,
        |b, l| b.iter(|| RoadNetwork::build(l, 0.5).unwrap()),
    );
    g.bench_with_input(
        BenchmarkId::new("travel_minutes_50_stations_multi_source", edges),
        &stations,
        |b, s| b.iter(|| net.travel_minutes(s)),
    );
    g.bench_with_input(
        BenchmarkId::new("travel_minutes_50_stations_one_by_one", edges),
        &stations,
        |b, s| {
            b.iter(|| {
                s.iter()
                    .map(|&st| net.travel_minutes(&[st]))
                    .collect::<Vec<_>>()
            })
        },
    );
    g.finish();

    let minutes = net.travel_minutes(&stations);
    let (x0, y0) = (-100.0, (SIDE as f64 - 1.0) * SPACING + 100.0);
    let cell = (y0 + 100.0) / 1000.0;
    let grid = GridSpec::new("EPSG:4548", x0, y0, cell, 1000, 1000).unwrap();
    let mut g = c.benchmark_group("travel_minutes_grid");
    g.sample_size(10)
        .measurement_time(std::time::Duration::from_secs(5));
    g.throughput(Throughput::Elements(grid.cell_count() as u64));
    g.bench_function(BenchmarkId::new("global_pool", grid.cell_count()), |b| {
        b.iter(|| travel_minutes_grid(&grid, &net, &minutes, 5.0).unwrap())
    });
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    g.bench_function(BenchmarkId::new("one_thread", grid.cell_count()), |b| {
        b.iter(|| one.install(|| travel_minutes_grid(&grid, &net, &minutes, 5.0).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, isochrones);
criterion_main!(benches);
