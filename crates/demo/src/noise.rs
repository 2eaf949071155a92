//! Seeded 2-D gradient noise (Perlin's improved noise, Perlin 2002, with hashed
//! lattice gradients) and fractal sums of it (fBm and ridged fBm, Musgrave 1994).
//!
//! Pure arithmetic on `f64` with no transcendental functions, so the same seed gives
//! the same values on every run.

/// 16 unit gradient directions (angles k·22.5°), precomputed so evaluation uses no trig.
// Every entry is rounded to 10 decimals; the exact constant would change the seeded demo's bits.
#[allow(clippy::approx_constant)]
const GRAD: [(f64, f64); 16] = [
    (1.0, 0.0),
    (0.923_879_532_5, 0.382_683_432_4),
    (0.707_106_781_2, 0.707_106_781_2),
    (0.382_683_432_4, 0.923_879_532_5),
    (0.0, 1.0),
    (-0.382_683_432_4, 0.923_879_532_5),
    (-0.707_106_781_2, 0.707_106_781_2),
    (-0.923_879_532_5, 0.382_683_432_4),
    (-1.0, 0.0),
    (-0.923_879_532_5, -0.382_683_432_4),
    (-0.707_106_781_2, -0.707_106_781_2),
    (-0.382_683_432_4, -0.923_879_532_5),
    (0.0, -1.0),
    (0.382_683_432_4, -0.923_879_532_5),
    (0.707_106_781_2, -0.707_106_781_2),
    (0.923_879_532_5, -0.382_683_432_4),
];

/// SplitMix64 finaliser: a well-mixed 64-bit hash.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A seeded noise field; `scale_m` is the feature size of the first octave in metres.
#[derive(Debug, Clone, Copy)]
pub struct Noise {
    seed: u64,
}

impl Noise {
    /// The noise field of `seed` (the seed is hashed, so nearby seeds give unrelated
    /// fields).
    pub fn new(seed: u64) -> Self {
        Self { seed: mix64(seed) }
    }

    /// A different, independent field derived from this one.
    pub fn derive(&self, k: u64) -> Self {
        Self {
            seed: mix64(self.seed ^ mix64(k.wrapping_add(0x51ED))),
        }
    }

    #[inline]
    fn grad(&self, ix: i64, iy: i64) -> (f64, f64) {
        let h = mix64(
            self.seed
                ^ (ix as u64).wrapping_mul(0x9E37_79B1)
                ^ (iy as u64).wrapping_mul(0x85EB_CA77_C2B2_AE63),
        );
        GRAD[(h >> 60) as usize]
    }

    /// Gradient noise at lattice coordinates, roughly in [-1, 1].
    #[inline]
    pub fn gradient(&self, x: f64, y: f64) -> f64 {
        let (fx, fy) = (x.floor(), y.floor());
        let (ix, iy) = (fx as i64, fy as i64);
        let (dx, dy) = (x - fx, y - fy);
        let fade = |t: f64| t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
        let (u, v) = (fade(dx), fade(dy));
        let dot = |gx: i64, gy: i64, ox: f64, oy: f64| {
            let g = self.grad(gx, gy);
            g.0 * ox + g.1 * oy
        };
        let n00 = dot(ix, iy, dx, dy);
        let n10 = dot(ix + 1, iy, dx - 1.0, dy);
        let n01 = dot(ix, iy + 1, dx, dy - 1.0);
        let n11 = dot(ix + 1, iy + 1, dx - 1.0, dy - 1.0);
        let a = n00 + u * (n10 - n00);
        let b = n01 + u * (n11 - n01);
        (a + v * (b - a)) * 1.41
    }

    /// Fractal Brownian motion: `octaves` octaves, lacunarity 2, gain 0.5, first
    /// octave of wavelength `scale_m` metres. Roughly in [-1, 1].
    pub fn fbm(&self, x: f64, y: f64, scale_m: f64, octaves: u32) -> f64 {
        let (mut sum, mut amp, mut norm, mut f) = (0.0, 1.0, 0.0, 1.0 / scale_m);
        for o in 0..octaves {
            // Offsets per octave avoid the lattice origin lining up across octaves.
            let off = 17.31 * o as f64;
            sum += amp * self.gradient(x * f + off, y * f - off);
            norm += amp;
            amp *= 0.5;
            f *= 2.0;
        }
        sum / norm
    }

    /// Ridged multifractal-style sum in [0, 1]: sharp crests, as in mountain ridges.
    pub fn ridged(&self, x: f64, y: f64, scale_m: f64, octaves: u32) -> f64 {
        let (mut sum, mut amp, mut norm, mut f, mut w) = (0.0, 1.0, 0.0, 1.0 / scale_m, 1.0);
        for o in 0..octaves {
            let off = 31.7 * o as f64;
            let n = 1.0 - self.gradient(x * f - off, y * f + off).abs();
            let n = n * n * w;
            w = n.clamp(0.0, 1.0);
            sum += amp * n;
            norm += amp;
            amp *= 0.5;
            f *= 2.0;
        }
        (sum / norm).clamp(0.0, 1.0)
    }

    /// 1-D noise along a line, for wiggling boundaries and river courses.
    pub fn line(&self, t: f64, scale_m: f64, octaves: u32) -> f64 {
        self.fbm(t, 0.5 * scale_m, scale_m, octaves)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_and_bounded() {
        let (a, b) = (Noise::new(1), Noise::new(2));
        let mut differ = false;
        for i in 0..500 {
            let (x, y) = (i as f64 * 37.3, i as f64 * 11.9);
            let v = a.fbm(x, y, 2000.0, 6);
            assert!((-1.0..=1.0).contains(&v), "{v}");
            assert_eq!(v, Noise::new(1).fbm(x, y, 2000.0, 6));
            differ |= v != b.fbm(x, y, 2000.0, 6);
            let r = a.ridged(x, y, 3000.0, 5);
            assert!((0.0..=1.0).contains(&r));
        }
        assert!(differ);
        // Gradient noise is zero on lattice points.
        assert_eq!(a.gradient(3.0, -7.0), 0.0);
    }
}
