//! Chiou & Youngs (2014), the CY14 NGA-West2 ground-motion model for shallow
//! crustal earthquakes in active regions (RotD50 horizontal component).
//!
//! Source: Chiou, B. S.-J., Youngs, R. R. (2014) Update of the Chiou and Youngs NGA
//! model for the average horizontal component of peak ground motion and response
//! spectra. *Earthquake Spectra* 30(3), 1117–1153. Equation (11) for the median on
//! the reference rock (Vs30 = 1130 m/s), (12) for the site and basin terms, (13)
//! for σ, (1) for the default Z1.0 and (4)–(5) for the mean Ztor. Coefficients
//! (PGA, PGV, 0.2 s, 1.0 s): the paper's period-independent and period-dependent
//! coefficients, with the Wenchuan far-field factor γ_Wn for
//! `ChiouYoungs2014Wenchuan`, as tabulated in the OpenQuake hazard library
//! (openquake-engine 3.26.2, `chiou_youngs_2014.py`) that validate/earthquake/
//! checks this implementation against, and compared number by number with a
//! second, independent transcription (J. Baker's Matlab `cy_2014_active.m`): all
//! agree.
//!
//! ```text
//! ln y_ref = c1 + [c1a + c1c/cosh(2·max(M − 4.5, 0))]·F_RV
//!          + [c1b + c1d/cosh(2·max(M − 4.5, 0))]·F_NM
//!          + [c7 + c7b/cosh(2·max(M − 4.5, 0))]·ΔZtor
//!          + [c11 + c11b/cosh(2·max(M − 4.5, 0))]·cos²δ
//!          + c2·(M − 6) + (c2 − c3)/cn·ln(1 + e^{cn·(cM − M)})
//!          + c4·ln(Rrup + c5·cosh(c6·max(M − cHM, 0)))
//!          + (c4a − c4)·ln √(Rrup² + cRB²)
//!          + γ·[cγ1 + cγ2/cosh(max(M − cγ3, 0))]·Rrup
//!          + c9·F_HW·cos δ·[c9a + (1 − c9a)·tanh(Rx/c9b)]·[1 − √(Rjb² + Ztor²)/(Rrup + 1)]
//! ln y = ln y_ref + φ1·min(ln(Vs30/1130), 0)
//!      + φ2·(e^{φ3·(min(Vs30, 1130) − 360)} − e^{φ3·(1130 − 360)})·ln((y_ref + φ4)/φ4)
//!      + φ5·(1 − e^{−ΔZ1.0/φ6})
//! ```
//!
//! c2 = 1.06, c4 = −2.1, c4a = −0.5, cRB = 50 km, c11 = 0, φ6 = 300 m; γ = 1
//! (California/global) or γ_Wn (Wenchuan); F_RV for 30° ≤ λ ≤ 150°, F_NM for
//! −120° ≤ λ ≤ −60°; F_HW = 1 for Rx ≥ 0. ΔZtor = Ztor − E\[Ztor\](M) with
//! E\[Ztor\] = max(2.704 − 1.226·max(M − 5.849, 0), 0)² for reverse faulting and
//! max(2.673 − 1.136·max(M − 4.970, 0), 0)² otherwise (eqs. 4–5). ΔZ1.0 = Z1.0 −
//! E\[Z1.0\](Vs30) in m, ln E\[Z1.0\] = −7.15/4·ln((Vs30⁴ + 570.94⁴)/(1360⁴ +
//! 570.94⁴)) (eq. 1, California); **a Z1.0 not given (NaN) gives ΔZ1.0 = 0** (as
//! OpenQuake does for −999); Z1.0 = 0 also gives 0. The directivity term is off
//! (ΔDPP = 0, as in OpenQuake's default class). For SA at T ≤ 0.3 s (here SA(0.2))
//! a median below the site's PGA is raised to it (p. 1144, as in OpenQuake).
//!
//! σ (eq. 13, Vs30 *inferred*): NL0 = φ2·(e^{φ3·(min(Vs30, 1130) − 360)} −
//! e^{φ3·770})·y_ref/(y_ref + φ4), τ = τ1 + (τ2 − τ1)/1.5·(min(max(M − 5, 0), 1.5)),
//! φ_NL0 = \[σ1 + (σ2 − σ1)/1.5·(min(max(M − 5, 0), 1.5))\]·√(σ3 + (1 + NL0)²),
//! σ = √((1 + NL0)²·τ² + φ_NL0²).
//!
//! Left out: the Japan and Italy regional terms, measured-Vs30 sigma, the
//! directivity term, and OpenQuake's Boore et al. (2022) backbone adjustments.

use super::{check, check_optional, check_source, GmInput, GroundMotion, Imt};
use crate::earthquake::error::EarthquakeError;

/// Class names (OpenQuake): California/global and Wenchuan.
pub const NAMES: &[&str] = &["ChiouYoungs2014", "ChiouYoungs2014Wenchuan"];

/// Magnitude range of the paper (M 3.5–8.5 for strike-slip; 3.5–8.0 for reverse
/// and normal faulting is not enforced separately).
pub const MAG_RANGE: (f64, f64) = (3.5, 8.5);

/// The CLI columns the model needs (Z1.0 is optional).
pub const REQUIRED: &[&str] = &[
    "mag", "rake", "dip", "ztor_km", "rrup_km", "rjb_km", "rx_km", "vs30",
];

const C2: f64 = 1.06;
const C4: f64 = -2.1;
const C4A: f64 = -0.5;
const CRB: f64 = 50.0;
const C11: f64 = 0.0;
const PHI6: f64 = 300.0;
/// Reference rock Vs30 (m/s).
const V_REF: f64 = 1130.0;

/// One row of the coefficient tables.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// True for SA(T) with T ≤ 0.3 s: the median is not below PGA's.
    short: bool,
    c1: f64,
    c1a: f64,
    c1b: f64,
    c1c: f64,
    c1d: f64,
    cn: f64,
    cm: f64,
    c3: f64,
    c5: f64,
    chm: f64,
    c6: f64,
    c7: f64,
    c7b: f64,
    c9: f64,
    c9a: f64,
    c9b: f64,
    c11b: f64,
    cg1: f64,
    cg2: f64,
    cg3: f64,
    phi1: f64,
    phi2: f64,
    phi3: f64,
    phi4: f64,
    phi5: f64,
    /// γ_Wn: the Wenchuan factor of the far-field attenuation.
    gwn: f64,
    tau1: f64,
    tau2: f64,
    sig1: f64,
    sig2: f64,
    sig3: f64,
}

#[rustfmt::skip]
const PGV: Row = Row { short: false, c1: 2.3549, c1a: 0.165, c1b: -0.0626, c1c: -0.165, c1d: 0.0626,
    cn: 3.3024, cm: 5.423, c3: 2.3152, c5: 5.8096, chm: 3.0514, c6: 0.4407, c7: 0.0324, c7b: 0.0097,
    c9: 0.3079, c9a: 0.1, c9b: 6.5, c11b: -0.3834, cg1: -0.001852, cg2: -0.007403, cg3: 4.3439,
    phi1: -0.7936, phi2: -0.0699, phi3: -0.008444, phi4: 5.41, phi5: 0.0202, gwn: 0.335,
    tau1: 0.3894, tau2: 0.2578, sig1: 0.4785, sig2: 0.3629, sig3: 0.7504 };
#[rustfmt::skip]
const PGA: Row = Row { short: false, c1: -1.5065, c1a: 0.165, c1b: -0.255, c1c: -0.165, c1d: 0.255,
    cn: 16.0875, cm: 4.9993, c3: 1.9636, c5: 6.4551, chm: 3.0956, c6: 0.4908, c7: 0.0352, c7b: 0.0462,
    c9: 0.9228, c9a: 0.1202, c9b: 6.8607, c11b: -0.4536, cg1: -0.007146, cg2: -0.006758, cg3: 4.2542,
    phi1: -0.521, phi2: -0.1417, phi3: -0.00701, phi4: 0.102151, phi5: 0.0, gwn: 0.7594,
    tau1: 0.4, tau2: 0.26, sig1: 0.4912, sig2: 0.3762, sig3: 0.8 };
#[rustfmt::skip]
const SA02: Row = Row { short: true, c1: -0.6798, c1a: 0.165, c1b: -0.2449, c1c: -0.165, c1d: 0.2449,
    cn: 13.7012, cm: 5.0939, c3: 2.1521, c5: 7.4972, chm: 3.5146, c6: 0.5016, c7: 0.0352, c7b: 0.0202,
    c9: 0.9459, c9a: 0.1208, c9b: 7.2988, c11b: -0.444, cg1: -0.009505, cg2: -0.00269, cg3: 5.188,
    phi1: -0.6693, phi2: -0.2927, phi3: -0.006141, phi4: 0.255253, phi5: 0.0, gwn: 0.6922,
    tau1: 0.4313, tau2: 0.3047, sig1: 0.5351, sig2: 0.4252, sig3: 0.8 };
#[rustfmt::skip]
const SA10: Row = Row { short: false, c1: -2.5365, c1a: 0.165, c1b: -0.14, c1c: -0.165, c1d: 0.14,
    cn: 3.3024, cm: 5.5106, c3: 2.7474, c5: 7.5814, chm: 3.8144, c6: 0.4522, c7: 0.0352, c7b: -0.0559,
    c9: 0.6196, c9a: 0.1, c9b: 6.5, c11b: -0.1062, cg1: -0.004277, cg2: -0.001197, cg3: 4.1667,
    phi1: -1.0941, phi2: -0.0699, phi3: -0.008444, phi4: 0.058595, phi5: 0.067, gwn: 0.2003,
    tau1: 0.4484, tau2: 0.3291, sig1: 0.5105, sig2: 0.4594, sig3: 0.7504 };

/// Chiou & Youngs (2014), California/global or with the Wenchuan far-field factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chiou2014 {
    /// true: `ChiouYoungs2014Wenchuan` (far-field term × γ_Wn, calibrated on the
    /// M 7.9 Wenchuan earthquake alone); false: California/global.
    pub wenchuan: bool,
}

/// The checked inputs of one rupture–site pair.
struct Case {
    m: f64,
    rake: f64,
    dip: f64,
    ztor: f64,
    rrup: f64,
    rjb: f64,
    rx: f64,
}

impl Chiou2014 {
    /// The variant of OpenQuake class `name`.
    pub fn from_name(name: &str) -> Option<Chiou2014> {
        match name {
            "ChiouYoungs2014" => Some(Chiou2014 { wenchuan: false }),
            "ChiouYoungs2014Wenchuan" => Some(Chiou2014 { wenchuan: true }),
            _ => None,
        }
    }

    /// OpenQuake class name.
    pub fn name(&self) -> &'static str {
        NAMES[usize::from(self.wenchuan)]
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
            rrup: check(what, "rrup_km", x.rrup_km, 0.0, 1000.0)?,
            rjb: check(what, "rjb_km", x.rjb_km, 0.0, 1000.0)?,
            rx: check(what, "rx_km", x.rx_km, -1000.0, 1000.0)?,
        };
        let vs30 = check(what, "vs30", x.vs30, 50.0, 5000.0)?;
        let z1 = check_optional(what, "z1pt0_m", x.z1pt0_m, 0.0, 20_000.0)?;
        let (mut ln_y, sigma_ln) = self.on_site(c, &k, vs30, z1);
        if c.short {
            ln_y = ln_y.max(self.on_site(&PGA, &k, vs30, z1).0);
        }
        Ok(GroundMotion {
            median: ln_y.exp(),
            sigma_ln,
        })
    }

    /// ln y and σ of eqs. (12)–(13) for the row `c`.
    fn on_site(&self, c: &Row, k: &Case, vs30: f64, z1: Option<f64>) -> (f64, f64) {
        let ln_ref = self.ln_y_ref(c, k);
        let y_ref = ln_ref.exp();
        let f_lin = c.phi1 * (vs30 / V_REF).ln().min(0.0);
        let b = c.phi2
            * ((c.phi3 * (vs30.min(V_REF) - 360.0)).exp() - (c.phi3 * (V_REF - 360.0)).exp());
        let f_nl = b * ((y_ref + c.phi4) / c.phi4).ln();
        let ln_y = ln_ref + f_lin + f_nl + basin(c, vs30, z1);
        let nl0 = b * y_ref / (y_ref + c.phi4);
        let w = (k.m - 5.0).clamp(0.0, 1.5) / 1.5;
        let tau = c.tau1 + (c.tau2 - c.tau1) * w;
        let phi = (c.sig1 + (c.sig2 - c.sig1) * w) * (c.sig3 + (1.0 + nl0).powi(2)).sqrt();
        (ln_y, ((1.0 + nl0).powi(2) * tau * tau + phi * phi).sqrt())
    }

    /// ln y_ref, eq. (11), on the Vs30 = 1130 m/s reference rock.
    fn ln_y_ref(&self, c: &Row, k: &Case) -> f64 {
        let m = k.m;
        let coshm = (2.0 * (m - 4.5).max(0.0)).cosh();
        let reverse = (30.0..=150.0).contains(&k.rake);
        let normal = (-120.0..=-60.0).contains(&k.rake);
        let mut f = c.c1;
        if reverse {
            f += c.c1a + c.c1c / coshm;
        }
        if normal {
            f += c.c1b + c.c1d / coshm;
        }
        f += (c.c7 + c.c7b / coshm) * (k.ztor - mean_ztor(m, reverse));
        f += (C11 + c.c11b / coshm) * k.dip.to_radians().cos().powi(2);
        f += C2 * (m - 6.0) + (C2 - c.c3) / c.cn * (1.0 + (c.cn * (c.cm - m)).exp()).ln();
        f += C4 * (k.rrup + c.c5 * (c.c6 * (m - c.chm).max(0.0)).cosh()).ln();
        f += (C4A - C4) * (k.rrup * k.rrup + CRB * CRB).sqrt().ln();
        let gamma = if self.wenchuan { c.gwn } else { 1.0 };
        f += gamma * (c.cg1 + c.cg2 / (m - c.cg3).max(0.0).cosh()) * k.rrup;
        if k.rx >= 0.0 {
            f += c.c9
                * k.dip.to_radians().cos()
                * (c.c9a + (1.0 - c.c9a) * (k.rx / c.c9b).tanh())
                * (1.0 - (k.rjb * k.rjb + k.ztor * k.ztor).sqrt() / (k.rrup + 1.0));
        }
        f
    }
}

/// E\[Ztor\](M) (km), eqs. (4)–(5).
fn mean_ztor(m: f64, reverse: bool) -> f64 {
    if reverse {
        (2.704 - 1.226 * (m - 5.849).max(0.0)).max(0.0).powi(2)
    } else {
        (2.673 - 1.136 * (m - 4.970).max(0.0)).max(0.0).powi(2)
    }
}

/// E\[Z1.0\](Vs30) (m), eq. (1), California.
fn mean_z1_m(vs30: f64) -> f64 {
    let k = (vs30.powi(4) + 570.94f64.powi(4)) / (1360f64.powi(4) + 570.94f64.powi(4));
    (-7.15 / 4.0 * k.ln()).exp()
}

/// φ5·(1 − exp(−ΔZ1.0/φ6)), the basin term of eq. (12); 0 without Z1.0.
fn basin(c: &Row, vs30: f64, z1_m: Option<f64>) -> f64 {
    let dz = match z1_m {
        Some(z) if z > 0.0 => z - mean_z1_m(vs30),
        _ => 0.0,
    };
    c.phi5 * (1.0 - (-dz / PHI6).exp())
}
