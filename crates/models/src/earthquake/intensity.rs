//! Seismic intensity (烈度) from ground motion.
//!
//! - [`instrumental_intensity`]: the continuous relation of GB/T 17742-2020
//!   *The Chinese seismic intensity scale*, Annex A (instrumental intensity from
//!   PGA): I_A = 3.17·lg(PGA) + 6.59, PGA in m/s² (horizontal, synthesised
//!   component), clamped to [1, 12];
//! - [`zoning_intensity`]: the basic intensity of a zoning PGA on a class II site,
//!   GB 18306-2015 *Seismic ground motion parameters zonation map of China*,
//!   Annex G, Table G.1: PGA < 0.04 g → below VI (5), [0.04, 0.09) → VI,
//!   [0.09, 0.19) → VII, [0.19, 0.38) → VIII, [0.38, 0.75) → IX, ≥ 0.75 g → X.
//!   This is the fortification level a building at that site is required to have
//!   (GB 50011-2010 §1.0.4 takes the basic intensity as the fortification intensity).
//! - [`ZoneLevel`]: the same classes with the PGA sub-zone kept: VII is 0.10 g or
//!   0.15 g and VIII 0.20 g or 0.30 g (the design basic accelerations of
//!   GB 50011-2010 Table 3.2.2), split at 0.14 g and 0.28 g — the bounds of the
//!   0.10/0.15 g and 0.20/0.30 g classes of the zoning map as this project reads
//!   GB 18306-2015 (Annex F value ranges, Table G.1); the two bounds were not
//!   checked against the standard's own pages.

use super::gmm::G;
use super::params::Method;

/// Instrumental intensity (GB/T 17742-2020 Annex A) from PGA in g. NaN → NaN.
pub fn instrumental_intensity(pga_g: f64) -> f64 {
    if pga_g.is_nan() {
        return f64::NAN;
    }
    if pga_g <= 0.0 {
        return 1.0;
    }
    (3.17 * (pga_g * G).log10() + 6.59).clamp(1.0, 12.0)
}

/// Basic intensity (roman degree as a number, 5 = below VI) of a zoning PGA in g
/// (GB 18306-2015 Table G.1). NaN → 0 (nodata).
pub fn zoning_intensity(pga_g: f64) -> u8 {
    ZoneLevel::of_pga(pga_g).map_or(0, |l| l.degree)
}

/// A level of the zoning map (or a requirement derived from one): the basic
/// intensity and whether the PGA is the upper class of that degree — 0.15 g in VII,
/// 0.30 g in VIII (GB 50011-2010 Table 3.2.2). Ordered by [`ZoneLevel::rank`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ZoneLevel {
    /// Intensity degree: 5 = below VI, 6–9, 10 = X and above.
    pub degree: u8,
    /// The upper PGA class of the degree (0.15 g in VII, 0.30 g in VIII); always
    /// false for the other degrees.
    pub upper: bool,
}

impl ZoneLevel {
    /// The level of a degree and sub-zone; `upper` only holds for VII and VIII.
    pub fn new(degree: u8, upper: bool) -> ZoneLevel {
        ZoneLevel {
            degree,
            upper: upper && matches!(degree, 7 | 8),
        }
    }

    /// The level of a zoning PGA in g (see the module doc): < 0.04 → below VI,
    /// [0.04, 0.09) → VI, [0.09, 0.14) → VII, [0.14, 0.19) → VII (0.15 g),
    /// [0.19, 0.28) → VIII, [0.28, 0.38) → VIII (0.30 g), [0.38, 0.75) → IX,
    /// ≥ 0.75 → X. NaN → `None`.
    pub fn of_pga(pga_g: f64) -> Option<ZoneLevel> {
        if pga_g.is_nan() {
            return None;
        }
        let (degree, upper) = match pga_g {
            p if p < 0.04 => (5, false),
            p if p < 0.09 => (6, false),
            p if p < 0.14 => (7, false),
            p if p < 0.19 => (7, true),
            p if p < 0.28 => (8, false),
            p if p < 0.38 => (8, true),
            p if p < 0.75 => (9, false),
            _ => (10, false),
        };
        Some(ZoneLevel::new(degree, upper))
    }

    /// Position on the scale below VI < VI < VII < VII (0.15 g) < VIII <
    /// VIII (0.30 g) < IX < X: `2·degree + upper`.
    pub fn rank(&self) -> u8 {
        2 * self.degree + u8::from(self.upper)
    }

    /// The code of the census's fortification domain for this level (`vi`, `vii`,
    /// `vii_015g`, `viii`, `viii_030g`, `ix`), and `below_vi` / `x` outside it.
    pub fn code(&self) -> &'static str {
        match (self.degree, self.upper) {
            (0..=5, _) => "below_vi",
            (6, _) => "vi",
            (7, false) => "vii",
            (7, true) => "vii_015g",
            (8, false) => "viii",
            (8, true) => "viii_030g",
            (9, _) => "ix",
            _ => "x",
        }
    }
}

/// The intensity of a cell for the ground-motion `method`: the basic intensity
/// ([`zoning_intensity`], a class) of a zoning PGA, the instrumental intensity
/// ([`instrumental_intensity`]) of a scenario PGA; PGA in g, NaN → NaN.
pub fn cell_intensity(method: Method, pga_g: f32) -> f32 {
    if pga_g.is_nan() {
        return f32::NAN;
    }
    match method {
        Method::Zoning => f32::from(zoning_intensity(pga_g as f64)),
        Method::Scenario => instrumental_intensity(pga_g as f64) as f32,
    }
}
