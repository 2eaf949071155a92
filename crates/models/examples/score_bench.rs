//! Throughput of the fused scoring kernel against the machine's memory bandwidth.
//!
//! Scores the 8-factor benchmark model (`tests/data/bench8.toml`: ramps, weights,
//! 5-class breaks) over an 8 × rows × cols float32 stack, serially and with
//! `--threads` threads over row bands (std::thread::scope; the parallel levels must
//! equal the serial ones bit for bit), then runs a STREAM-style triad
//! a[i] = b[i] + s·c[i] (f64, 3 × 256 MiB, same threads) for the bandwidth reference.
//!
//! ```text
//! cargo run --release -p riskcensus-models --example score_bench -- \
//!     [--input stack.f32 --rows 4096 --cols 4096] [--threads 2] [--reps 5] \
//!     [--levels-out levels.u8] [--seed 42] [--chunk 1024]
//! ```
//! Without `--input`, a seeded stack (ChaCha8, 1 % NaN) is generated. `--input` is
//! raw little-endian f32, the 8 layers one after the other (as compare.py writes).
//! Output: `key = value` lines, parsed by benches/scoring/compare.py.

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use riskcensus_models::{Model, Program, TileScorer};

const MODEL: &str = include_str!("../tests/data/bench8.toml");

struct Args {
    input: Option<String>,
    rows: usize,
    cols: usize,
    threads: usize,
    reps: usize,
    seed: u64,
    levels_out: Option<String>,
    chunk: usize,
}

fn args() -> Args {
    let mut a = Args {
        input: None,
        rows: 4096,
        cols: 4096,
        threads: 2,
        reps: 5,
        seed: 42,
        levels_out: None,
        chunk: riskcensus_models::DEFAULT_CHUNK,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        let val = v.get(i + 1).cloned().unwrap_or_default();
        match v[i].as_str() {
            "--input" => a.input = Some(val),
            "--rows" => a.rows = val.parse().expect("--rows N"),
            "--cols" => a.cols = val.parse().expect("--cols N"),
            "--threads" => a.threads = val.parse().expect("--threads N"),
            "--reps" => a.reps = val.parse().expect("--reps N"),
            "--seed" => a.seed = val.parse().expect("--seed N"),
            "--levels-out" => a.levels_out = Some(val),
            "--chunk" => a.chunk = val.parse().expect("--chunk N"),
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    a
}

fn stack(a: &Args, layers: usize) -> Vec<Vec<f32>> {
    let n = a.rows * a.cols;
    match &a.input {
        Some(path) => {
            let bytes = std::fs::read(path).expect("read --input");
            assert_eq!(bytes.len(), layers * n * 4, "input size");
            bytes
                .chunks_exact(n * 4)
                .map(|b| {
                    b.chunks_exact(4)
                        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
                        .collect()
                })
                .collect()
        }
        None => {
            let mut rng = ChaCha8Rng::seed_from_u64(a.seed);
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
    }
}

/// Score `rows × cols` cells with `threads` threads over contiguous row bands.
fn score_levels(p: &Program, layers: &[Vec<f32>], cols: usize, threads: usize, out: &mut [u8]) {
    let rows = out.len() / cols;
    let band = rows.div_ceil(threads) * cols;
    std::thread::scope(|s| {
        for (k, lv) in out.chunks_mut(band).enumerate() {
            let start = k * band;
            let ins: Vec<&[f32]> = layers.iter().map(|l| &l[start..start + lv.len()]).collect();
            s.spawn(move || p.score_classify_tile(&ins, None, lv).expect("score"));
        }
    });
}

fn score_f32(p: &Program, layers: &[Vec<f32>], cols: usize, threads: usize, out: &mut [f32]) {
    let rows = out.len() / cols;
    let band = rows.div_ceil(threads) * cols;
    std::thread::scope(|s| {
        for (k, o) in out.chunks_mut(band).enumerate() {
            let start = k * band;
            let ins: Vec<&[f32]> = layers.iter().map(|l| &l[start..start + o.len()]).collect();
            s.spawn(move || p.score_tile(&ins, o).expect("score"));
        }
    });
}

fn best(reps: usize, mut f: impl FnMut()) -> f64 {
    (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// STREAM triad a = b + s·c over f64 arrays split in `threads` contiguous parts;
/// bytes moved per element = 24 (read b, read c, write a; STREAM's convention, not
/// counting write-allocate). Returns GB/s (10⁹ B/s), best of `reps`.
fn triad(threads: usize, reps: usize) -> (f64, usize) {
    let n = 1usize << 25; // 256 MiB per array, 8× the 32 MiB L3 of the test machine
    let mut a = vec![0f64; n];
    let b = vec![1.5f64; n];
    let c = vec![2.5f64; n];
    let s = 3.0f64;
    let part = n.div_ceil(threads);
    let t = best(reps, || {
        std::thread::scope(|sc| {
            for ((a, b), c) in a.chunks_mut(part).zip(b.chunks(part)).zip(c.chunks(part)) {
                sc.spawn(move || {
                    for ((x, y), z) in a.iter_mut().zip(b).zip(c) {
                        *x = y + s * z;
                    }
                });
            }
        });
    });
    assert!(a.iter().all(|&x| x == 1.5 + 3.0 * 2.5));
    (24.0 * n as f64 / t / 1e9, n)
}

fn main() {
    let a = args();
    let model = Model::from_toml(MODEL, "bench8.toml").expect("bench model");
    let p = model.compile().with_chunk(a.chunk).expect("--chunk");
    let n = a.rows * a.cols;
    let layers = stack(&a, model.inputs().len());
    println!("model = {} ({})", model.id(), model.param_hash());
    println!("cells = {n}");
    println!("threads = {}", a.threads);
    println!("chunk = {}", p.chunk());

    let mut serial = vec![0u8; n];
    let t1 = best(a.reps, || score_levels(&p, &layers, a.cols, 1, &mut serial));
    let mut par = vec![0u8; n];
    let tp = best(a.reps, || {
        score_levels(&p, &layers, a.cols, a.threads, &mut par)
    });
    assert!(serial == par, "parallel levels differ from serial");
    let mut s1 = vec![0f32; n];
    score_f32(&p, &layers, a.cols, 1, &mut s1);
    let mut sp = vec![0f32; n];
    let tf = best(a.reps, || {
        score_f32(&p, &layers, a.cols, a.threads, &mut sp)
    });
    assert!(
        s1.iter().zip(&sp).all(|(x, y)| x.to_bits() == y.to_bits()),
        "parallel scores differ from serial"
    );
    println!("parallel_equals_serial = true");
    println!("levels_serial_s = {t1:.4}");
    println!("levels_serial_cells_per_s = {:.4e}", n as f64 / t1);
    println!("levels_parallel_s = {tp:.4}");
    println!("levels_parallel_cells_per_s = {:.4e}", n as f64 / tp);
    let bytes_lv = (model.inputs().len() * 4 + 1) as f64;
    println!(
        "levels_parallel_gb_per_s = {:.3}",
        n as f64 * bytes_lv / tp / 1e9
    );
    println!("score_f32_parallel_s = {tf:.4}");
    println!("score_f32_parallel_cells_per_s = {:.4e}", n as f64 / tf);
    let bytes_f = (model.inputs().len() * 4 + 4) as f64;
    println!(
        "score_f32_parallel_gb_per_s = {:.3}",
        n as f64 * bytes_f / tf / 1e9
    );
    let (bw, tn) = triad(a.threads, a.reps);
    println!("triad_elements = {tn}");
    println!("triad_gb_per_s = {bw:.3}");
    println!(
        "levels_fraction_of_triad = {:.3}",
        n as f64 * bytes_lv / tp / 1e9 / bw
    );
    println!(
        "score_f32_fraction_of_triad = {:.3}",
        n as f64 * bytes_f / tf / 1e9 / bw
    );
    if let Some(path) = &a.levels_out {
        std::fs::write(path, &par).expect("write --levels-out");
    }
}
