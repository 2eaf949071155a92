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
    if pga_g.is_nan() {
        return 0;
    }
    match pga_g {
        p if p < 0.04 => 5,
        p if p < 0.09 => 6,
        p if p < 0.19 => 7,
        p if p < 0.38 => 8,
        p if p < 0.75 => 9,
        _ => 10,
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
