//! Yu, Li & Xiao (2013): the ellipse attenuation relations of the fifth-generation
//! seismic ground-motion parameter zoning map of China (GB 18306-2015).
//!
//! Source: Yu, Y. X., Li, S. Y., Xiao, L. (2013) Development of ground motion
//! attenuation relations for the new seismic hazard map of China. *Technology for
//! Earthquake Disaster Prevention* 8(1), 24–33 (in Chinese). Coefficients: the
//! paper's tables for the four regions (active/Tibet/eastern/stable), as carried by
//! the OpenQuake hazard library classes `YuEtAl2013Ms*` (openquake-engine 3.26.2),
//! against which validate/earthquake/ checks this implementation.
//!
//! # Model
//!
//! Along each axis of the isoseismal ellipse (long axis = fault strike, short axis
//! across it) the log amplitude follows
//!
//! ```text
//! ln Y_L = A_L + B_L·M + C_L·ln(√(R_L² + h²) + D_L·exp(E_L·M))      (long axis)
//! ln Y_S = A_S + B_S·M + C_S·ln(√(R_S² + h²) + D_S·exp(E_S·M))      (short axis)
//! ```
//!
//! with Y in cm/s² (PGA) or cm/s (PGV), h = 15 km (the fixed focal depth the
//! zoning map assumes), and two magnitude segments (M ≤ 6.5, M > 6.5). For a site at
//! epicentral distance R and angle θ from the long axis, the ellipse through the
//! site has semi-axes (R_L, R_S) tied by equal amplitude on both axes, using the
//! relation without the depth term:
//!
//! ```text
//! R_S(R_L) = exp((A_L + B_L·M + C_L·ln(R_L + D_L·e^{E_L·M}) − A_S − B_S·M) / C_S) − D_S·e^{E_S·M}
//! R = R_L·R_S / √(R_L²·sin²θ + R_S²·cos²θ)        (polar equation of the ellipse)
//! ```
//!
//! R_L is found by bisection (to 1e-9 km; R_S may exceed R_L far out), then the amplitude at the site is the
//! polar-ellipse interpolation of the two axis values:
//! `ln Y = ln Y_L · ln Y_S / √((ln Y_L·sin θ)² + (ln Y_S·cos θ)²)`.
//! PGA is returned in g (÷ 100·g₀), PGV in cm/s. σ(ln Y) is the paper's total
//! standard deviation (0.5428 for PGA, 0.6233 for PGV), independent of M and R.
//!
//! The `Mw` variants first convert Mw to Ms with Cheng, J., Rong, Y., Magistrale,
//! H., Chen, G., Xu, X. (2017) An Mw-based historical earthquake catalog for
//! mainland China, *BSSA* 107(5), 2490–2500: Ms = (Mw − 0.59)/0.86 for Mw < 6.58,
//! Ms = (Mw + 2.42)/1.28 otherwise (the magnitude-conversion uncertainty is not
//! propagated, as in OpenQuake).

use super::{check, GmInput, GroundMotion, Imt, G};
use crate::earthquake::error::EarthquakeError;

/// Accepted magnitude range (inclusive, in the variant's magnitude). The relations
/// were fitted to Chinese isoseismal data of moderate to great earthquakes; the
/// bounds 4.0–8.5 are this engine's guard (the zoning map's source magnitudes), not
/// limits printed in the paper.
pub const MAG_RANGE: (f64, f64) = (4.0, 8.5);

/// Class names (OpenQuake), in [`Region`] × magnitude-type order.
pub const NAMES: &[&str] = &[
    "YuEtAl2013Ms",
    "YuEtAl2013MsTibet",
    "YuEtAl2013MsEastern",
    "YuEtAl2013MsStable",
    "YuEtAl2013Mw",
    "YuEtAl2013MwTibet",
    "YuEtAl2013MwEastern",
    "YuEtAl2013MwStable",
];

/// The paper's four coefficient regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Active shallow crust of mainland China (the default relation).
    Active,
    /// Tibetan plateau (青藏区).
    Tibet,
    /// Eastern China (东部强震区).
    Eastern,
    /// The paper's stable (low-activity) region.
    Stable,
}

/// Coefficients of one axis and magnitude segment: A, B, C, D, E.
type Axis = [f64; 5];

/// Coefficients for one IMT: long axis (M ≤ 6.5, M > 6.5), short axis (same), σ.
struct Coeffs {
    long: [Axis; 2],
    short: [Axis; 2],
    sigma: f64,
}

// Yu et al. (2013), Table of coefficients (PGA in cm/s², PGV in cm/s).
const ACTIVE_PGA: Coeffs = Coeffs {
    long: [
        [4.1193, 1.656, -2.389, 1.772, 0.424],
        [7.8269, 1.0856, -2.389, 1.772, 0.424],
    ],
    short: [
        [2.2609, 1.6399, -2.118, 0.825, 0.465],
        [6.003, 1.0649, -2.118, 0.825, 0.465],
    ],
    sigma: 0.5428,
};
const ACTIVE_PGV: Coeffs = Coeffs {
    long: [
        [-1.2581, 1.932, -2.181, 1.772, 0.424],
        [3.013, 1.2742, -2.181, 1.772, 0.424],
    ],
    short: [
        [-3.1073, 1.9389, -1.945, 0.825, 0.465],
        [1.3087, 1.2627, -1.945, 0.825, 0.465],
    ],
    sigma: 0.6233,
};
const TIBET_PGA: Coeffs = Coeffs {
    long: [
        [5.4901, 1.4835, -2.416, 2.647, 0.366],
        [8.7561, 0.9453, -2.416, 2.647, 0.366],
    ],
    short: [
        [2.3069, 1.4007, -1.854, 0.612, 0.457],
        [5.6511, 0.8924, -1.854, 0.612, 0.457],
    ],
    sigma: 0.5428,
};
const TIBET_PGV: Coeffs = Coeffs {
    long: [
        [-0.1472, 1.7618, -2.205, 2.647, 0.366],
        [3.9422, 1.1293, -2.205, 2.647, 0.366],
    ],
    short: [
        [-2.9923, 1.7043, -1.696, 0.612, 0.457],
        [1.0189, 1.0902, -1.696, 0.612, 0.457],
    ],
    sigma: 0.6233,
};
const EASTERN_PGA: Coeffs = Coeffs {
    long: [
        [4.5517, 1.5433, -2.315, 2.088, 0.399],
        [8.1259, 0.9936, -2.315, 2.088, 0.399],
    ],
    short: [
        [2.7048, 1.518, -2.004, 0.944, 0.447],
        [6.3319, 0.9614, -2.004, 0.944, 0.447],
    ],
    sigma: 0.5428,
};
const EASTERN_PGV: Coeffs = Coeffs {
    long: [
        [-0.8349, 1.8193, -2.103, 2.088, 0.399],
        [3.3051, 1.1799, -2.103, 2.088, 0.399],
    ],
    short: [
        [-2.6381, 1.8124, -1.825, 0.944, 0.447],
        [1.6376, 1.1546, -1.825, 0.944, 0.447],
    ],
    sigma: 0.6233,
};
const STABLE_PGA: Coeffs = Coeffs {
    long: [
        [5.5591, 1.1454, -2.079, 2.802, 0.295],
        [8.5238, 0.6854, -2.079, 2.802, 0.295],
    ],
    short: [
        [3.9445, 1.0833, -1.723, 1.295, 0.331],
        [6.187, 0.7383, -1.723, 1.295, 0.331],
    ],
    sigma: 0.5428,
};
const STABLE_PGV: Coeffs = Coeffs {
    long: [
        [0.2139, 1.4283, -1.889, 2.802, 0.295],
        [3.772, 0.8786, -1.889, 2.802, 0.295],
    ],
    short: [
        [-1.3547, 1.3823, -1.559, 1.295, 0.331],
        [1.5433, 0.9361, -1.559, 1.295, 0.331],
    ],
    sigma: 0.6233,
};

/// Fixed focal depth of the relation (km).
const DEPTH_KM: f64 = 15.0;

/// Yu et al. (2013) for one region and magnitude type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Yu2013 {
    /// The coefficient region.
    pub region: Region,
    /// true: the input magnitude is Mw (converted to Ms with Cheng et al. 2017).
    pub mw: bool,
}

impl Yu2013 {
    /// The variant of OpenQuake class `name`, if it is one of [`NAMES`].
    pub fn from_name(name: &str) -> Option<Yu2013> {
        let i = NAMES.iter().position(|n| *n == name)?;
        let region = [
            Region::Active,
            Region::Tibet,
            Region::Eastern,
            Region::Stable,
        ][i % 4];
        Some(Yu2013 { region, mw: i >= 4 })
    }

    /// OpenQuake class name.
    pub fn name(&self) -> &'static str {
        let r = match self.region {
            Region::Active => 0,
            Region::Tibet => 1,
            Region::Eastern => 2,
            Region::Stable => 3,
        };
        NAMES[r + if self.mw { 4 } else { 0 }]
    }

    fn coeffs(&self, imt: Imt) -> Result<&'static Coeffs, EarthquakeError> {
        Ok(match (self.region, imt) {
            (Region::Active, Imt::Pga) => &ACTIVE_PGA,
            (Region::Active, Imt::Pgv) => &ACTIVE_PGV,
            (Region::Tibet, Imt::Pga) => &TIBET_PGA,
            (Region::Tibet, Imt::Pgv) => &TIBET_PGV,
            (Region::Eastern, Imt::Pga) => &EASTERN_PGA,
            (Region::Eastern, Imt::Pgv) => &EASTERN_PGV,
            (Region::Stable, Imt::Pga) => &STABLE_PGA,
            (Region::Stable, Imt::Pgv) => &STABLE_PGV,
            (_, Imt::Sa(_)) => {
                return Err(EarthquakeError::UnsupportedImt {
                    gmm: self.name(),
                    imt: imt.to_string(),
                    supported: "PGA, PGV".into(),
                })
            }
        })
    }

    /// Surface-wave magnitude used by the relation.
    pub fn ms(&self, mag: f64) -> f64 {
        if !self.mw {
            mag
        } else if mag < 6.58 {
            (mag - 0.59) / 0.86
        } else {
            (mag + 2.42) / 1.28
        }
    }

    /// Median and σ at epicentral distance `repi_km` and angle `azimuth_deg` from the
    /// long axis. The magnitude range is checked by [`super::Gmm::ground_motion`].
    pub fn ground_motion(&self, imt: Imt, x: &GmInput) -> Result<GroundMotion, EarthquakeError> {
        let c = self.coeffs(imt)?;
        let repi = check(self.name(), "repi_km", x.repi_km, 0.0, 1000.0)?;
        let az = check(self.name(), "azimuth_deg", x.azimuth_deg, -360.0, 360.0)?;
        let m = self.ms(x.mag);
        let seg = usize::from(m > 6.5);
        let (l, s) = (&c.long[seg], &c.short[seg]);
        let theta = az.to_radians();
        let (sin_t, cos_t) = theta.sin_cos();
        let ra = solve_long_axis(repi, sin_t, cos_t, m, l, s);
        let rb = short_axis(ra, m, l, s);
        let h2 = DEPTH_KM * DEPTH_KM;
        let ln_l = axis_ln(l, m, (ra * ra + h2).sqrt());
        let ln_s = axis_ln(s, m, (rb * rb + h2).sqrt());
        let ln_y = ln_l * ln_s / ((ln_l * sin_t).powi(2) + (ln_s * cos_t).powi(2)).sqrt();
        let median = match imt {
            Imt::Pga => ln_y.exp() / (G * 100.0),
            _ => ln_y.exp(),
        };
        Ok(GroundMotion {
            median,
            sigma_ln: c.sigma,
        })
    }
}

/// ln Y along one axis at distance `r`: A + B·M + C·ln(r + D·e^{E·M}) (`r` is
/// √(R² + h²) for the amplitude, R itself in the equal-amplitude relation).
fn axis_ln(a: &Axis, m: f64, r: f64) -> f64 {
    a[0] + a[1] * m + a[2] * (r + a[3] * (a[4] * m).exp()).ln()
}

/// Short semi-axis with the same amplitude as long semi-axis `ra` (no depth term).
fn short_axis(ra: f64, m: f64, l: &Axis, s: &Axis) -> f64 {
    ((axis_ln(l, m, ra) - s[0] - s[1] * m) / s[2]).exp() - s[3] * (s[4] * m).exp()
}

/// Radius of the ellipse with long semi-axis `ra` in direction θ (0 when the short
/// axis is not positive, i.e. the ellipse has collapsed).
fn radius(ra: f64, sin_t: f64, cos_t: f64, m: f64, l: &Axis, s: &Axis) -> f64 {
    let rb = short_axis(ra, m, l, s);
    if rb <= 0.0 || ra <= 0.0 {
        return 0.0;
    }
    ra * rb / ((ra * sin_t).powi(2) + (rb * cos_t).powi(2)).sqrt()
}

/// The long semi-axis of the ellipse through a site at `repi` km in direction θ.
/// radius(ra) increases with ra (R_S increases with R_L, and the polar radius with
/// both semi-axes), but R_S may exceed R_L far from the source for some
/// coefficient sets, so the root is bracketed from 0: hi doubles from repi until
/// radius(hi) ≥ repi, then bisection to 1e-9 km.
fn solve_long_axis(repi: f64, sin_t: f64, cos_t: f64, m: f64, l: &Axis, s: &Axis) -> f64 {
    if repi <= 0.0 {
        return 0.0;
    }
    let mut lo = 0.0;
    let mut hi = repi;
    let mut n = 0;
    while radius(hi, sin_t, cos_t, m, l, s) < repi && n < 60 {
        lo = hi;
        hi *= 2.0;
        n += 1;
    }
    for _ in 0..200 {
        if hi - lo <= 1e-9 {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if radius(mid, sin_t, cos_t, m, l, s) < repi {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}
