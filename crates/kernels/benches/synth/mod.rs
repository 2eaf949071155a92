//! Deterministic synthetic DEMs for the kernel benches and property tests: a sum of
//! sines (ridges and valleys, 100s of m) plus seeded LCG noise (metres), which leaves
//! many small pits for the hydrology kernels. No `rand` dependency; the same seed
//! gives the same DEM on every platform.
//!
//! A helper module, not a bench: it lives in `benches/synth/` so that Cargo's bench
//! auto-discovery (`benches/*.rs`) does not build it as a bench target of its own.
//! `benches/kernels.rs` includes it with `mod synth;`, `tests/properties.rs` by path.

#![allow(dead_code)]

use ndarray::Array2;

/// Knuth's MMIX LCG; returns a value in [0, 1).
pub struct Lcg(u64);

impl Lcg {
    /// A generator seeded with `seed` (mixed with a constant so that seed 0 is usable).
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    /// The next value in [0, 1): the top 24 bits of the state, so every value is exact in f32.
    pub fn next_f32(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// A `rows × cols` DEM in metres (roughly 200–900 m).
pub fn dem(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
    let mut rng = Lcg::new(seed);
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        let (y, x) = (r as f32, c as f32);
        500.0
            + 150.0 * (y / 97.0).sin() * (x / 131.0).cos()
            + 80.0 * ((x + y) / 57.0).sin()
            + 0.03 * (x - y)
            + 6.0 * rng.next_f32()
    })
}
