//! Susceptibility training and scoring throughput on grids of 13 class layers
//! (the factor set of models/geohazard.toml): training = tallying class counts over
//! every cell + the class statistics (+ IRLS for lr on the samples); scoring = the
//! per-cell lookup and combination. `cargo bench -p riskcensus-models --bench geohazard`.

// `criterion_group!` expands to an undocumented `pub fn`; nothing else here is public.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use riskcensus_models::geohazard::{ClassCounts, Method, SampleTable, TrainedModel};

const CLASSES: [usize; 13] = [9, 10, 7, 7, 5, 5, 6, 4, 7, 6, 6, 8, 5];

struct Data {
    columns: Vec<Vec<u16>>,
    hazard: Vec<usize>,
    negatives: Vec<usize>,
}

fn data(cells: usize) -> Data {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let columns: Vec<Vec<u16>> = CLASSES
        .iter()
        .map(|&k| (0..cells).map(|_| rng.random_range(1..=k as u16)).collect())
        .collect();
    let mut hazard = Vec::new();
    for (i, &class) in columns[0].iter().enumerate() {
        // Hazard more likely in high classes of the first factor.
        if rng.random::<f64>() < 2e-5 * class as f64 {
            hazard.push(i);
        }
    }
    let negatives = (0..hazard.len())
        .map(|_| rng.random_range(0..cells))
        .collect();
    Data {
        columns,
        hazard,
        negatives,
    }
}

fn factors() -> Vec<String> {
    (0..CLASSES.len()).map(|f| format!("f{f}")).collect()
}

fn train(d: &Data, method: Method) -> TrainedModel {
    let nf = CLASSES.len();
    let mut counts = ClassCounts::zeros(&CLASSES);
    let mut row = vec![0u16; nf];
    let cells = d.columns[0].len();
    for i in 0..cells {
        for (v, column) in row.iter_mut().zip(&d.columns) {
            *v = column[i];
        }
        counts.add_area(&row);
    }
    let mut codes = Vec::new();
    let mut labels = Vec::new();
    for (&i, l) in d
        .hazard
        .iter()
        .map(|i| (i, 1u8))
        .chain(d.negatives.iter().map(|i| (i, 0u8)))
    {
        for (v, column) in row.iter_mut().zip(&d.columns) {
            *v = column[i];
        }
        if l == 1 {
            counts.add_hazard(&row);
        }
        codes.extend_from_slice(&row);
        labels.push(l);
    }
    let t = SampleTable::new(factors(), CLASSES.to_vec(), codes, labels).unwrap();
    TrainedModel::train(method, &factors(), &counts, &t, None).unwrap()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("geohazard");
    g.sample_size(10);
    for cells in [1_000_000usize, 10_000_000] {
        let d = data(cells);
        g.throughput(Throughput::Elements(cells as u64));
        for method in [Method::Iv, Method::Cf, Method::Lr] {
            g.bench_with_input(
                BenchmarkId::new(format!("train_{}", method.id()), cells),
                &d,
                |b, d| b.iter(|| train(d, method)),
            );
            let m = train(&d, method);
            let cols: Vec<&[u16]> = d.columns.iter().map(|c| c.as_slice()).collect();
            let mut out = vec![0f32; cells];
            g.bench_with_input(
                BenchmarkId::new(format!("score_{}", method.id()), cells),
                &cols,
                |b, cols| b.iter(|| m.score_columns(cols, &mut out)),
            );
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
