//! Boore, Stewart, Seyhan & Atkinson (2014), NGA-West2 ground-motion model for
//! shallow crustal earthquakes (RotD50 horizontal component).
//!
//! Source: Boore, D. M., Stewart, J. P., Seyhan, E., Atkinson, G. M. (2014)
//! NGA-West2 equations for predicting PGA, PGV, and 5 % damped PSA for shallow
//! crustal earthquakes. *Earthquake Spectra* 30(3), 1057–1085. Equations (1)–(8)
//! for the median, (13)–(17) for σ; coefficients from the paper's electronic
//! supplement (rows PGV, PGA, 0.2 s, 1.0 s), Δc3 of the global set (0) for
//! `BooreEtAl2014` and of China/Turkey for `BooreEtAl2014HighQ`, as in the
//! OpenQuake hazard library (openquake-engine 3.26.2) that validate/earthquake/
//! checks against. The basin-depth term F_δz1 is off (δz1 = 0: no basin model), as
//! in OpenQuake's default `region="nobasin"`.
//!
//! ```text
//! ln Y = F_E(M, mech) + F_P(R_JB, M) + F_S(V_S30, PGA_r)
//! F_E = e_mech + e4(M − Mh) + e5(M − Mh)²        M ≤ Mh
//!     = e_mech + e6(M − Mh)                        M > Mh
//! F_P = [c1 + c2(M − Mref)]·ln(R/Rref) + (c3 + Δc3)(R − Rref),  R = √(R_JB² + h²)
//! F_S = c·ln(min(V_S30, Vc)/Vref) + f1 + f2·ln((PGA_r + f3)/f3)
//! f2  = f4·[exp(f5(min(V_S30, 760) − 360)) − exp(f5(760 − 360))]
//! ```
//!
//! Mref = 4.5, Rref = 1 km, Vref = 760 m/s, f1 = 0, f3 = 0.1 g; PGA_r is the median
//! PGA (g) on the 760 m/s reference site, same M, R_JB and mechanism. Mechanism
//! from rake: strike-slip |rake| ≤ 30° or ≥ 150°, reverse 30° < rake < 150°,
//! normal otherwise. σ = √(τ² + φ²), τ and φ magnitude-dependent (τ1/φ1 for
//! M ≤ 4.5, τ2/φ2 for M ≥ 5.5, linear between), φ raised by ΔφR between R1 and R2
//! (log-linear in R_JB) and lowered by ΔφV for V_S30 below v2 = 300 m/s
//! (full ΔφV at ≤ v1 = 225 m/s).

use super::{check, GmInput, GroundMotion, Imt};
use crate::earthquake::error::EarthquakeError;

/// Class names (OpenQuake).
pub const NAMES: &[&str] = &["BooreEtAl2014", "BooreEtAl2014HighQ"];

const MREF: f64 = 4.5;
const RREF: f64 = 1.0;
const VREF: f64 = 760.0;
const F1: f64 = 0.0;
const F3: f64 = 0.1;
const V1: f64 = 225.0;
const V2: f64 = 300.0;

/// One row of the coefficient table.
#[derive(Debug, Clone, Copy)]
struct Row {
    e0: f64,
    e1: f64,
    e2: f64,
    e3: f64,
    e4: f64,
    e5: f64,
    e6: f64,
    mh: f64,
    c1: f64,
    c2: f64,
    c3: f64,
    h: f64,
    /// Δc3: global (0) and China/Turkey.
    dc3: [f64; 2],
    c: f64,
    vc: f64,
    f4: f64,
    f5: f64,
    r1: f64,
    r2: f64,
    dfr: f64,
    dfv: f64,
    phi1: f64,
    phi2: f64,
    tau1: f64,
    tau2: f64,
}

#[rustfmt::skip]
const PGV: Row = Row { e0: 5.037, e1: 5.078, e2: 4.849, e3: 5.033, e4: 1.073, e5: -0.1536, e6: 0.2252, mh: 6.2,
    c1: -1.243, c2: 0.1489, c3: -0.00344, h: 5.3, dc3: [0.0, 0.004345], c: -0.84, vc: 1300.0, f4: -0.1, f5: -0.00844,
    r1: 105.0, r2: 272.0, dfr: 0.082, dfv: 0.08, phi1: 0.644, phi2: 0.552, tau1: 0.401, tau2: 0.346 };
#[rustfmt::skip]
const PGA: Row = Row { e0: 0.4473, e1: 0.4856, e2: 0.2459, e3: 0.4539, e4: 1.431, e5: 0.05053, e6: -0.1662, mh: 5.5,
    c1: -1.134, c2: 0.1917, c3: -0.008088, h: 4.5, dc3: [0.0, 0.002858], c: -0.6, vc: 1500.0, f4: -0.15, f5: -0.00701,
    r1: 110.0, r2: 270.0, dfr: 0.1, dfv: 0.07, phi1: 0.695, phi2: 0.495, tau1: 0.398, tau2: 0.348 };
#[rustfmt::skip]
const SA02: Row = Row { e0: 1.3255, e1: 1.359, e2: 1.122, e3: 1.3414, e4: 1.1349, e5: -0.11096, e6: -0.15852, mh: 5.92,
    c1: -1.0607, c2: 0.14489, c3: -0.007717, h: 4.61, dc3: [0.0, 0.002612], c: -0.68762, vc: 1392.61, f4: -0.24658, f5: -0.00614,
    r1: 90.91, r2: 270.0, dfr: 0.136, dfv: 0.045, phi1: 0.711, phi2: 0.539, tau1: 0.344, tau2: 0.309 };
#[rustfmt::skip]
const SA10: Row = Row { e0: 0.3932, e1: 0.4218, e2: 0.207, e3: 0.4124, e4: 1.5004, e5: -0.18983, e6: 0.17895, mh: 6.2,
    c1: -1.193, c2: 0.10248, c3: -0.00121, h: 5.74, dc3: [0.0, 0.002921], c: -1.05, vc: 1109.95, f4: -0.10521, f5: -0.00844,
    r1: 116.39, r2: 270.0, dfr: 0.098, dfv: 0.02, phi1: 0.553, phi2: 0.625, tau1: 0.498, tau2: 0.298 };

/// Boore et al. (2014) with the global or the China/Turkey anelastic term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Boore2014 {
    /// true: Δc3 of China/Turkey (`BooreEtAl2014HighQ`); false: global (Δc3 = 0).
    pub high_q: bool,
}

impl Boore2014 {
    /// The variant of OpenQuake class `name`.
    pub fn from_name(name: &str) -> Option<Boore2014> {
        match name {
            "BooreEtAl2014" => Some(Boore2014 { high_q: false }),
            "BooreEtAl2014HighQ" => Some(Boore2014 { high_q: true }),
            _ => None,
        }
    }

    /// OpenQuake class name.
    pub fn name(&self) -> &'static str {
        NAMES[usize::from(self.high_q)]
    }

    /// Magnitude range of the paper (§ "Limits of applicability"): M 3.0–8.5 for
    /// strike-slip and reverse faulting (3.0–7.0 for normal faulting is not
    /// enforced separately).
    pub fn mag_range(&self) -> (f64, f64) {
        (3.0, 8.5)
    }

    fn row(&self, imt: Imt) -> Result<&'static Row, EarthquakeError> {
        super::row_of(self.name(), imt, [&PGA, &PGV, &SA02, &SA10])
    }

    /// Median and σ for one rupture–site pair (magnitude range checked by
    /// [`super::Gmm::ground_motion`]).
    pub fn ground_motion(&self, imt: Imt, x: &GmInput) -> Result<GroundMotion, EarthquakeError> {
        let c = self.row(imt)?;
        let rjb = check(self.name(), "rjb_km", x.rjb_km, 0.0, 1000.0)?;
        let vs30 = check(self.name(), "vs30", x.vs30, 50.0, 5000.0)?;
        let rake = check(self.name(), "rake", x.rake, -180.0, 180.0)?;
        let m = x.mag;
        let q = usize::from(self.high_q);
        let pga_r = (source(&PGA, m, rake) + path(&PGA, m, rjb, q)).exp();
        let ln_y = source(c, m, rake) + path(c, m, rjb, q) + site(c, vs30, pga_r);
        Ok(GroundMotion {
            median: ln_y.exp(),
            sigma_ln: sigma(c, m, rjb, vs30),
        })
    }
}

/// F_E, eq. (2), with the mechanism coefficient from the rake.
fn source(c: &Row, m: f64, rake: f64) -> f64 {
    let a = rake.abs();
    let e_mech = if a <= 30.0 || 180.0 - a <= 30.0 {
        c.e1
    } else if rake > 30.0 && rake < 150.0 {
        c.e3
    } else {
        c.e2
    };
    let _ = c.e0; // unspecified mechanism: not used, the rake is always given
    let dm = m - c.mh;
    if m <= c.mh {
        e_mech + c.e4 * dm + c.e5 * dm * dm
    } else {
        e_mech + c.e6 * dm
    }
}

/// F_P, eqs. (3)–(4).
fn path(c: &Row, m: f64, rjb: f64, q: usize) -> f64 {
    let r = (rjb * rjb + c.h * c.h).sqrt();
    (c.c1 + c.c2 * (m - MREF)) * (r / RREF).ln() + (c.c3 + c.dc3[q]) * (r - RREF)
}

/// F_lin + F_nl, eqs. (5)–(8); basin term off.
fn site(c: &Row, vs30: f64, pga_r: f64) -> f64 {
    let flin = c.c * (vs30.min(c.vc) / VREF).ln();
    let f2 = c.f4 * ((c.f5 * (vs30.min(760.0) - 360.0)).exp() - (c.f5 * (760.0 - 360.0)).exp());
    flin + F1 + f2 * ((pga_r + F3) / F3).ln()
}

/// σ = √(τ² + φ²), eqs. (13)–(17).
fn sigma(c: &Row, m: f64, rjb: f64, vs30: f64) -> f64 {
    let w = ((m - 4.5) / (5.5 - 4.5)).clamp(0.0, 1.0);
    let tau = c.tau1 + (c.tau2 - c.tau1) * w;
    let mut phi = c.phi1 + (c.phi2 - c.phi1) * w;
    if rjb > c.r2 {
        phi += c.dfr;
    } else if rjb > c.r1 {
        phi += c.dfr * (rjb / c.r1).ln() / (c.r2 / c.r1).ln();
    }
    if vs30 <= V1 {
        phi -= c.dfv;
    } else if vs30 < V2 {
        phi -= c.dfv * (V2 / vs30).ln() / (V2 / V1).ln();
    }
    (tau * tau + phi * phi).sqrt()
}
