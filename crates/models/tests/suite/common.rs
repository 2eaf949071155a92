//! Shared helpers: fixture paths, one-factor models, seeded random stacks.

use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use riskcensus_models::{Model, TileScorer};

pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn repo_model(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../models")
        .join(name)
}

/// A model with one factor reading input `x` (unit "u") through `transform` (an
/// inline TOML table) with nodata policy `nodata` (a TOML value).
pub fn one_factor(transform: &str, nodata: &str) -> Model {
    let text = format!(
        r#"
id = "one"
version = "0"
sources = ["test"]
aggregation = "max"
[inputs]
x = {{ unit = "u" }}
[[factors]]
id = "f"
input = "x"
unit = "u"
transform = {transform}
nodata = {nodata}
"#
    );
    Model::from_toml(&text, "one.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// Score values through the compiled program, checking the reference agrees.
pub fn score(model: &Model, xs: &[f32]) -> Vec<f32> {
    let p = model.compile();
    let mut out = vec![0f32; xs.len()];
    p.score_tile(&[xs], &mut out).unwrap();
    let mut reference = vec![0f32; xs.len()];
    riskcensus_models::Reference(model)
        .score_tile(&[xs], &mut reference)
        .unwrap();
    for (a, b) in out.iter().zip(&reference) {
        assert_eq!(a.to_bits(), b.to_bits(), "kernel {a} vs reference {b}");
    }
    out
}

/// A seeded random stack for `model`: per input, a mix of NaN (~10 %), class codes
/// 0..=80, exact round values, values in [0, 1] and a wide uniform range including
/// negatives, so every branch of every transform is hit.
pub fn random_stack(model: &Model, n: usize, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    model
        .inputs()
        .iter()
        .map(|_| {
            (0..n)
                .map(|_| match rng.random_range(0..10) {
                    0 => f32::NAN,
                    1 => rng.random_range(0..=80) as f32,
                    2 => [
                        0.0, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 40.0, 50.0, 100.0, -0.0,
                    ][rng.random_range(0..11)],
                    3 | 4 => rng.random::<f32>(),
                    _ => rng.random_range(-20.0f32..1200.0),
                })
                .collect()
        })
        .collect()
}
