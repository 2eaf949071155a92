//! Criterion benches of the fused scoring kernel on the 8-factor benchmark model
//! (`tests/data/bench8.toml`: 8 ramps, direct weights, 5 fixed-break classes),
//! single-threaded, over seeded stacks of swept sizes. Throughput is in cells.
//!
//! `CARGO_TARGET_DIR=… cargo bench -p riskcensus-models --bench scoring`

// `criterion_group!` expands to an undocumented `pub fn`; nothing else here is public.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use riskcensus_models::{Model, Reference, TileScorer};

const MODEL: &str = include_str!("../tests/data/bench8.toml");
const SEED: u64 = 42;

fn stack(layers: usize, n: usize) -> Vec<Vec<f32>> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    (0..layers)
        .map(|_| {
            (0..n)
                .map(|_| {
                    if rng.random::<f32>() < 0.01 {
                        f32::NAN
                    } else {
                        rng.random_range(-0.1f32..1.1)
                    }
                })
                .collect()
        })
        .collect()
}

fn fused(c: &mut Criterion) {
    let model = Model::from_toml(MODEL, "bench8.toml").unwrap();
    let p = model.compile();
    let mut g = c.benchmark_group("score_8_ramps");
    g.sample_size(10)
        .measurement_time(std::time::Duration::from_secs(2));
    for side in [256usize, 1024, 2048] {
        let n = side * side;
        let data = stack(model.inputs().len(), n);
        let ins: Vec<&[f32]> = data.iter().map(|v| v.as_slice()).collect();
        g.throughput(Throughput::Elements(n as u64));
        let mut lv = vec![0u8; n];
        g.bench_with_input(BenchmarkId::new("fused_levels_u8", n), &ins, |b, ins| {
            b.iter(|| p.score_classify_tile(ins, None, &mut lv).unwrap())
        });
        let mut out = vec![0f32; n];
        g.bench_with_input(BenchmarkId::new("fused_score_f32", n), &ins, |b, ins| {
            b.iter(|| p.score_tile(ins, &mut out).unwrap())
        });
        for chunk in [256, 4096] {
            let pc = model.compile().with_chunk(chunk).unwrap();
            g.bench_with_input(
                BenchmarkId::new(format!("fused_levels_u8_chunk{chunk}"), n),
                &ins,
                |b, ins| b.iter(|| pc.score_classify_tile(ins, None, &mut lv).unwrap()),
            );
        }
        if side == 256 {
            g.bench_with_input(
                BenchmarkId::new("reference_levels_u8", n),
                &ins,
                |b, ins| {
                    b.iter(|| {
                        Reference(&model)
                            .score_classify_tile(ins, None, &mut lv)
                            .unwrap()
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group!(benches, fused);
criterion_main!(benches);
