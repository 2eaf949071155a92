//! Abrahamson, Silva & Kamai (2014), the ASK14 NGA-West2 ground-motion model for
//! shallow crustal earthquakes in active regions (RotD50 horizontal component).
//!
//! Source: Abrahamson, N. A., Silva, W. J., Kamai, R. (2014) Summary of the ASK14
//! ground motion relation for active crustal regions. *Earthquake Spectra* 30(3),
//! 1025–1055. Equation and page numbers below are the paper's: eq. (2) the base
//! form (p. 1030), eqs. (5)–(6) style of faulting (p. 1032), the site response
//! model (p. 1033) with eqs. (8)–(9), the hanging-wall model (p. 1038) with the
//! tapers of eqs. (12)–(15), the depth-to-top and soil-depth terms (p. 1042) with
//! eq. (18), the regional terms (p. 1043), and the standard deviation (p. 1046),
//! eqs. (24), (25) and (30). Coefficients (PGA, PGV, 0.2 s, 1.0 s): the paper's
//! period-dependent coefficients as tabulated in the OpenQuake hazard library
//! (openquake-engine 3.26.2, `abrahamson_2014.py`), which validate/earthquake/
//! checks this implementation against, and compared number by number with a
//! second, independent transcription (J. Baker's Matlab `ask_2014_active.m`): all
//! agree except digits OpenQuake rounds — b(0.2 s) = −2.01 there against −2.012,
//! a6 = 2.154/2.224/2.763/2.366 against 2.1541/2.2241/2.7630/2.3657 (PGA, 0.2 s,
//! 1.0 s, PGV). OpenQuake's values are used (the b difference moves ln Sa(0.2) by
//! up to about 0.004 for Vs30 of 150–1500 m/s).
//!
//! ```text
//! ln Sa = f1(M, Rrup) + F_RV·f7(M) + F_N·f8(M) + F_HW·f4(Rx, Ry0, M, Ztor, δ, W)
//!       + f5(Sa1180, Vs30) + f6(Ztor) + f10(Z1.0, Vs30) + a28·Rrup (China only)
//! ```
//!
//! - f1 (eq. 2): a1 + a17·Rrup + magnitude scaling in three segments split at
//!   M2 = 5 and M1, with R = √(Rrup² + c4M²), c4M tapering linearly from c4
//!   (M ≥ 5) to 1 (M ≤ 4);
//! - f7 = a11·min(max(M − 4, 0), 1) for reverse (30° < λ < 150°), f8 likewise with
//!   a12 for normal (−150° < λ < −30°) (eqs. 5–6);
//! - f5 (p. 1033): for Vs30 ≥ Vlin (a10 + b·n)·ln(Vs30*/Vlin); below it
//!   a10·ln(Vs30*/Vlin) − b·ln(Sa1180 + c) + b·ln(Sa1180 + c·(Vs30*/Vlin)ⁿ), with
//!   Vs30* = min(Vs30, V1) (eq. 8) and V1 of eq. (9); Sa1180 is the median on a
//!   Vs30 = 1180 m/s site (same rupture, basin term zero);
//! - f4 (eqs. 12–15): a13·T1(δ)·T2(M)·T3(Rx, W, δ)·T4(Ztor)·T5(Rx, Ry0), for
//!   Rx > 0 and δ < 90° only, with a2HW = 0.2 and Ry1 = Rx·tan 20°;
//! - f6 (p. 1042): a15·min(Ztor/20, 1);
//! - f10 (p. 1042): the Vs30-interpolated coefficient (a43 at ≤ 150 m/s, a44 at 250,
//!   a45 at 400, a46 at ≥ 700, linear between) × ln((Z1 + 0.01)/(Z1ref + 0.01)),
//!   Z1 in km, Z1ref from eq. (18) (California):
//!   ln Z1ref = −7.67/4·ln((Vs30⁴ + 610⁴)/(1360⁴ + 610⁴)) − ln 1000. **A Z1.0 not
//!   given (NaN) takes Z1ref**, so the term vanishes (as OpenQuake does for −999).
//!
//! σ = √(φ² + τ²) (p. 1046) with φ_AL (eq. 24, Vs30 *estimated* — the census's Vs30 comes
//! from slope or site class), τ_AL (eq. 25), the nonlinear-site derivative ∂ln
//! Amp/∂ln Sa1180 (eq. 30), φ_amp = 0.4 (0.99·φ_AL when φ_AL < 0.4), φ_B =
//! √(φ_AL² − φ_amp²), φ = √(φ_B²(1 + ∂)² + φ_amp²), τ = τ_AL(1 + ∂).
//!
//! Left out: the Japan and Taiwan regional terms, aftershock scaling (F_AS = 0,
//! mainshocks only), measured-Vs30 sigma and the USGS/CyberShake basin
//! adjustments of OpenQuake's options.

use super::{check, check_optional, check_source, GmInput, GroundMotion, Imt};
use crate::earthquake::error::EarthquakeError;

/// Class names (OpenQuake): California/global, and with China's anelastic term.
pub const NAMES: &[&str] = &["AbrahamsonEtAl2014", "AbrahamsonEtAl2014RegCHN"];

/// Magnitude range of the paper's abstract (M 3.0–8.5; Rrup 0–300 km, not enforced).
pub const MAG_RANGE: (f64, f64) = (3.0, 8.5);

/// The CLI columns the model needs (Z1.0 is optional).
pub const REQUIRED: &[&str] = &[
    "mag", "rake", "dip", "ztor_km", "width_km", "rrup_km", "rx_km", "ry0_km", "vs30",
];

/// M2 of eq. (2).
const M2: f64 = 5.0;
/// n of the nonlinear site term (p. 1033).
const N: f64 = 1.5;
/// h1, h2, h3 of T3 (eq. 13).
const H1: f64 = 0.25;
const H2: f64 = 1.5;
const H3: f64 = -0.75;
/// a2HW of T2 (eq. 12).
const A2HW: f64 = 0.2;
/// Reference rock Vs30 (m/s).
const V_REF: f64 = 1180.0;

/// One row of the coefficient tables.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// Oscillator period (s), 0 for PGA and PGV: sets V1 (eq. 9).
    period: f64,
    m1: f64,
    vlin: f64,
    b: f64,
    c: f64,
    c4: f64,
    a1: f64,
    a2: f64,
    a3: f64,
    a4: f64,
    a5: f64,
    a6: f64,
    a7: f64,
    a8: f64,
    a10: f64,
    a11: f64,
    a12: f64,
    a13: f64,
    a15: f64,
    a17: f64,
    a43: f64,
    a44: f64,
    a45: f64,
    a46: f64,
    /// Anelastic attenuation of China (per km of Rrup).
    a28: f64,
    s1e: f64,
    s2e: f64,
    s3: f64,
    s4: f64,
}

#[rustfmt::skip]
const PGV: Row = Row { period: 0.0, m1: 6.75, vlin: 330.0, b: -2.02, c: 2400.0, c4: 4.5,
    a1: 5.975, a2: -0.919, a3: 0.275, a4: -0.1, a5: -0.41, a6: 2.366, a7: 0.0, a8: -0.094, a10: 2.36,
    a11: 0.0, a12: -0.1, a13: 0.25, a15: 0.3, a17: -0.0005, a43: 0.28, a44: 0.15, a45: 0.09, a46: 0.07,
    a28: 0.0005, s1e: 0.662, s2e: 0.51, s3: 0.38, s4: 0.38 };
#[rustfmt::skip]
const PGA: Row = Row { period: 0.0, m1: 6.75, vlin: 660.0, b: -1.47, c: 2.4, c4: 4.5,
    a1: 0.587, a2: -0.79, a3: 0.275, a4: -0.1, a5: -0.41, a6: 2.154, a7: 0.0, a8: -0.015, a10: 1.735,
    a11: 0.0, a12: -0.1, a13: 0.6, a15: 1.1, a17: -0.0072, a43: 0.1, a44: 0.05, a45: 0.0, a46: -0.05,
    a28: 0.0025, s1e: 0.754, s2e: 0.52, s3: 0.47, s4: 0.36 };
#[rustfmt::skip]
const SA02: Row = Row { period: 0.2, m1: 6.75, vlin: 590.0, b: -2.01, c: 2.4, c4: 4.5,
    a1: 1.637, a2: -0.79, a3: 0.275, a4: -0.1, a5: -0.41, a6: 2.224, a7: 0.0, a8: -0.03, a10: 2.22,
    a11: 0.0, a12: -0.1, a13: 0.6, a15: 1.1, a17: -0.0086, a43: 0.1, a44: 0.05, a45: 0.0, a46: -0.03,
    a28: 0.0027, s1e: 0.789, s2e: 0.565, s3: 0.47, s4: 0.36 };
#[rustfmt::skip]
const SA10: Row = Row { period: 1.0, m1: 6.75, vlin: 330.0, b: -3.5, c: 2.4, c4: 4.5,
    a1: 1.043, a2: -0.79, a3: 0.275, a4: -0.1, a5: -0.41, a6: 2.763, a7: 0.0, a8: -0.11, a10: 4.3,
    a11: 0.0, a12: -0.1, a13: 0.5, a15: 0.57, a17: -0.0025, a43: 0.17, a44: 0.17, a45: 0.17, a46: 0.14,
    a28: 0.0007, s1e: 0.609, s2e: 0.63, s3: 0.47, s4: 0.36 };

/// Abrahamson et al. (2014), California/global or with China's anelastic term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Abrahamson2014 {
    /// true: `AbrahamsonEtAl2014RegCHN` (adds a28·Rrup); false: California/global.
    pub china: bool,
}

/// The checked inputs of one rupture–site pair.
struct Case {
    m: f64,
    rake: f64,
    dip: f64,
    ztor: f64,
    width: f64,
    rrup: f64,
    rx: f64,
    ry0: f64,
}

impl Abrahamson2014 {
    /// The variant of OpenQuake class `name`.
    pub fn from_name(name: &str) -> Option<Abrahamson2014> {
        match name {
            "AbrahamsonEtAl2014" => Some(Abrahamson2014 { china: false }),
            "AbrahamsonEtAl2014RegCHN" => Some(Abrahamson2014 { china: true }),
            _ => None,
        }
    }

    /// OpenQuake class name.
    pub fn name(&self) -> &'static str {
        NAMES[usize::from(self.china)]
    }

    fn row(&self, imt: Imt) -> Result<&'static Row, EarthquakeError> {
        super::row_of(self.name(), imt, [&PGA, &PGV, &SA02, &SA10])
    }

    /// Median and σ for one rupture–site pair (magnitude range checked by
    /// [`super::Gmm::ground_motion`]).
    pub fn ground_motion(&self, imt: Imt, x: &GmInput) -> Result<GroundMotion, EarthquakeError> {
        let c = self.row(imt)?;
        let what = self.name();
        let (rake, dip, ztor) = check_source(what, x)?;
        let k = Case {
            m: x.mag,
            rake,
            dip,
            ztor,
            width: check(what, "width_km", x.width_km, 0.0, 1000.0)?,
            rrup: check(what, "rrup_km", x.rrup_km, 0.0, 1000.0)?,
            rx: check(what, "rx_km", x.rx_km, -1000.0, 1000.0)?,
            ry0: check(what, "ry0_km", x.ry0_km, 0.0, 1000.0)?,
        };
        let vs30 = check(what, "vs30", x.vs30, 50.0, 5000.0)?;
        let z1 = check_optional(what, "z1pt0_m", x.z1pt0_m, 0.0, 20_000.0)?;
        // Everything but the site and basin terms: the same on rock and on the site.
        let source = self.source_path(c, &k);
        let sa1180 = (source + site(c, V_REF, 0.0)).exp();
        let ln_y = source + site(c, vs30, sa1180) + basin(c, vs30, z1);
        Ok(GroundMotion {
            median: ln_y.exp(),
            sigma_ln: sigma(c, k.m, vs30, sa1180),
        })
    }

    /// f1 + f7 + f8 + f4 + f6 (+ a28·Rrup for China): the terms that do not depend
    /// on the site.
    fn source_path(&self, c: &Row, k: &Case) -> f64 {
        let regional = if self.china { c.a28 * k.rrup } else { 0.0 };
        base(c, k.m, k.rrup)
            + faulting(c, k.m, k.rake)
            + hanging_wall(c, k)
            + ztor_term(c, k.ztor)
            + regional
    }
}

/// f1, eq. (2), with the c4M taper.
fn base(c: &Row, m: f64, rrup: f64) -> f64 {
    let c4m = if m > 5.0 {
        c.c4
    } else if m < 4.0 {
        1.0
    } else {
        c.c4 - (c.c4 - 1.0) * (5.0 - m)
    };
    let ln_r = (rrup * rrup + c4m * c4m).sqrt().ln();
    let mag = if m >= c.m1 {
        c.a5 * (m - c.m1) + c.a8 * (8.5 - m).powi(2) + (c.a2 + c.a3 * (m - c.m1)) * ln_r
    } else if m >= M2 {
        c.a4 * (m - c.m1) + c.a8 * (8.5 - m).powi(2) + (c.a2 + c.a3 * (m - c.m1)) * ln_r
    } else {
        c.a4 * (M2 - c.m1)
            + c.a8 * (8.5 - M2).powi(2)
            + c.a6 * (m - M2)
            + c.a7 * (m - M2).powi(2)
            + (c.a2 + c.a3 * (M2 - c.m1)) * ln_r
    };
    c.a1 + c.a17 * rrup + mag
}

/// F_RV·f7 + F_N·f8, eqs. (5)–(6).
fn faulting(c: &Row, m: f64, rake: f64) -> f64 {
    let w = (m - 4.0).clamp(0.0, 1.0);
    if rake > 30.0 && rake < 150.0 {
        c.a11 * w
    } else if rake > -150.0 && rake < -30.0 {
        c.a12 * w
    } else {
        0.0
    }
}

/// F_HW·f4: T1 (dip), T2–T5 of eqs. (12)–(15).
fn hanging_wall(c: &Row, k: &Case) -> f64 {
    if k.rx <= 0.0 || k.dip >= 90.0 {
        return 0.0;
    }
    let t1 = if k.dip > 30.0 {
        (90.0 - k.dip) / 45.0
    } else {
        60.0 / 45.0
    };
    let dm = k.m - 6.5;
    let t2 = if k.m > 6.5 {
        1.0 + A2HW * dm
    } else if k.m > 5.5 {
        1.0 + A2HW * dm - (1.0 - A2HW) * dm * dm
    } else {
        0.0
    };
    let r1 = k.width * k.dip.to_radians().cos();
    let r2 = 3.0 * r1;
    let t3 = if k.rx < r1 {
        let q = k.rx / r1;
        H1 + H2 * q + H3 * q * q
    } else if k.rx <= r2 {
        1.0 - (k.rx - r1) / (r2 - r1)
    } else {
        0.0
    };
    let t4 = if k.ztor <= 10.0 {
        1.0 - k.ztor * k.ztor / 100.0
    } else {
        0.0
    };
    let ry1 = k.rx * 20f64.to_radians().tan();
    let t5 = if k.ry0 - ry1 <= 0.0 {
        1.0
    } else if k.ry0 - ry1 < 5.0 {
        1.0 - (k.ry0 - ry1) / 5.0
    } else {
        0.0
    };
    c.a13 * t1 * t2 * t3 * t4 * t5
}

/// f6, the depth-to-top term (p. 1042).
fn ztor_term(c: &Row, ztor: f64) -> f64 {
    c.a15 * (ztor / 20.0).min(1.0)
}

/// V1 of eq. (9) (m/s): the Vs30 above which the site term is flat.
fn v1(period: f64) -> f64 {
    if period <= 0.5 {
        1500.0
    } else if period < 3.0 {
        (-0.35 * (period / 0.5).ln() + 1500f64.ln()).exp()
    } else {
        800.0
    }
}

/// f5, the site response (p. 1033) with Vs30* of eq. (8).
fn site(c: &Row, vs30: f64, sa1180: f64) -> f64 {
    let r = vs30.min(v1(c.period)) / c.vlin;
    if vs30 >= c.vlin {
        (c.a10 + c.b * N) * r.ln()
    } else {
        c.a10 * r.ln() - c.b * (sa1180 + c.c).ln() + c.b * (sa1180 + c.c * r.powf(N)).ln()
    }
}

/// Z1ref of eq. (18), California (km).
fn z1_ref_km(vs30: f64) -> f64 {
    let k = (vs30.powi(4) + 610f64.powi(4)) / (1360f64.powi(4) + 610f64.powi(4));
    (-7.67 / 4.0 * k.ln()).exp() / 1000.0
}

/// f10, the soil-depth term (p. 1042): 0 when Z1.0 is not given.
fn basin(c: &Row, vs30: f64, z1_m: Option<f64>) -> f64 {
    let Some(z1_m) = z1_m else {
        return 0.0;
    };
    let knots = [
        (150.0, c.a43),
        (250.0, c.a44),
        (400.0, c.a45),
        (700.0, c.a46),
    ];
    let coef = if vs30 <= knots[0].0 {
        c.a43
    } else if vs30 >= knots[3].0 {
        c.a46
    } else {
        let i = knots.windows(2).position(|w| vs30 <= w[1].0).unwrap_or(2);
        let ((x0, y0), (x1, y1)) = (knots[i], knots[i + 1]);
        y0 + (y1 - y0) * (vs30 - x0) / (x1 - x0)
    };
    coef * ((z1_m / 1000.0 + 0.01) / (z1_ref_km(vs30) + 0.01)).ln()
}

/// ∂ln Amp/∂ln Sa1180, eq. (30).
fn d_amp(c: &Row, vs30: f64, sa1180: f64) -> f64 {
    if vs30 >= c.vlin {
        return 0.0;
    }
    c.b * sa1180 * (-1.0 / (sa1180 + c.c) + 1.0 / (sa1180 + c.c * (vs30 / c.vlin).powf(N)))
}

/// σ = √(φ² + τ²), eqs. (24), (25), (30), Vs30 estimated.
fn sigma(c: &Row, m: f64, vs30: f64, sa1180: f64) -> f64 {
    let phi_al = if m < 4.0 {
        c.s1e
    } else if m < 6.0 {
        c.s1e + (c.s2e - c.s1e) / 2.0 * (m - 4.0)
    } else {
        c.s2e
    };
    let tau_al = if m < 5.0 {
        c.s3
    } else if m < 7.0 {
        c.s3 + (c.s4 - c.s3) / 2.0 * (m - 5.0)
    } else {
        c.s4
    };
    let d = d_amp(c, vs30, sa1180);
    let phi_amp = if phi_al < 0.4 { 0.99 * phi_al } else { 0.4 };
    let phi_b2 = phi_al * phi_al - phi_amp * phi_amp;
    let phi2 = phi_b2 * (1.0 + d).powi(2) + phi_amp * phi_amp;
    let tau = tau_al * (1.0 + d);
    (phi2 + tau * tau).sqrt()
}
