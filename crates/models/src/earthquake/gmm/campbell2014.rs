//! Campbell & Bozorgnia (2014), the CB14 NGA-West2 ground-motion model for shallow
//! crustal earthquakes in active regions (RotD50 horizontal component).
//!
//! Source: Campbell, K. W., Bozorgnia, Y. (2014) NGA-West2 ground motion model for
//! the average horizontal components of PGA, PGV, and 5 % damped linear
//! acceleration response spectra. *Earthquake Spectra* 30(3), 1087–1115.
//! Equations (1)–(25) for the median, (27)–(32) for σ, (33) for the default Z2.5.
//! Coefficients (PGA, PGV, 0.2 s, 1.0 s): the paper's median and
//! aleatory-variability coefficients, with Δc20 of the global set (0) for
//! `CampbellBozorgnia2014` and of China/Turkey for `CampbellBozorgnia2014HighQ`,
//! as tabulated in the OpenQuake hazard library (openquake-engine 3.26.2,
//! `campbell_bozorgnia_2014.py`) that validate/earthquake/ checks this
//! implementation against, and compared number by number with a second,
//! independent transcription (J. Baker's Matlab `CB_2014_nga.m`, whose
//! "China or Turkey" Δc20 is OpenQuake's HighQ set): all agree.
//!
//! ```text
//! ln Y = f_mag + f_dis + f_flt + f_hng + f_site + f_sed + f_hyp + f_dip + f_atn
//! ```
//!
//! - f_mag (eq. 2): c0 + c1·M, slopes c2, c3, c4 added above M 4.5, 5.5, 6.5;
//! - f_dis (eq. 3): (c5 + c6·M)·ln √(Rrup² + c7²);
//! - f_flt (eqs. 4–6): (c8·F_RV + c9·F_NM)·min(max(M − 4.5, 0), 1), reverse
//!   30° < λ < 150°, normal −150° < λ < −30°;
//! - f_hng (eqs. 7–16): c10·f(Rx)·f(Rrup)·f(M)·f(Ztor)·f(δ) with R1 = W·cos δ,
//!   R2 = 62·M − 350, h4 = 1; f(Rx) = 0 on the footwall (Rx < 0);
//! - f_site (eqs. 17–19): (c11 + k2·n)·ln(Vs30/k1) above k1, else
//!   c11·ln(Vs30/k1) + k2·\[ln(A1100 + c·(Vs30/k1)ⁿ) − ln(A1100 + c)\], c = 1.88,
//!   n = 1.18; A1100 is the median PGA on a Vs30 = 1100 m/s site with the Z2.5 of
//!   eq. (33) at 1100 m/s (0.397 km);
//! - f_sed (eq. 20): (c14)·(Z2.5 − 1) for Z2.5 ≤ 1 km, 0 to 3 km,
//!   c16·k3·e^−0.75·\[1 − exp(−0.25·(Z2.5 − 3))\] beyond; **a Z2.5 not given (NaN)
//!   takes eq. (33), California: ln Z2.5 = 7.089 − 1.144·ln Vs30** (as OpenQuake
//!   does for −999);
//! - f_hyp (eqs. 21–23): min(max(Zhyp − 7, 0), 13)·(c17 … c18 by M 5.5–6.5);
//! - f_dip (eq. 24): c19·δ for M ≤ 4.5, c19·(5.5 − M)·δ to M 5.5, 0 beyond;
//! - f_atn (eq. 25): (c20 + Δc20)·(Rrup − 80) beyond 80 km.
//!
//! For SA at T < 0.25 s (here SA(0.2)) a median below the site's PGA is raised to
//! it (the paper's rule, as in OpenQuake). σ = √(τ² + φ²) with τ and φ of eqs.
//! (29)–(30): the magnitude-dependent τ_lnY, φ_lnY (eqs. 27–28), φ_lnAF = 0.3, the
//! nonlinear-site α of eq. (31) and the correlation ρ_lnPGA,lnY of the IMT.
//!
//! Left out: the Japan site and basin terms (S_J = 0), the Japan/Italy Δc20
//! (`…LowQ`), the estimation of Ztor, W and Zhyp from M (eqs. 35–39; the caller
//! gives them) and OpenQuake's USGS/CyberShake basin options.

use super::{check, check_optional, check_source, GmInput, GroundMotion, Imt};
use crate::earthquake::error::EarthquakeError;

/// Class names (OpenQuake): global, and with China/Turkey's Δc20.
pub const NAMES: &[&str] = &["CampbellBozorgnia2014", "CampbellBozorgnia2014HighQ"];

/// Magnitude range of the paper (M 3.3–8.5 for strike-slip; 3.3–8.0 reverse and
/// 3.3–7.5 normal are not enforced separately).
pub const MAG_RANGE: (f64, f64) = (3.3, 8.5);

/// The CLI columns the model needs (Z2.5 is optional).
pub const REQUIRED: &[&str] = &[
    "mag", "rake", "dip", "ztor_km", "width_km", "zhyp_km", "rrup_km", "rjb_km", "rx_km", "vs30",
];

/// c and n of the site term (eq. 18).
const C: f64 = 1.88;
const N: f64 = 1.18;
/// h4 of f2(Rx) (eq. 10).
const H4: f64 = 1.0;
/// Reference rock Vs30 of A1100 (m/s).
const V_ROCK: f64 = 1100.0;

/// One row of the coefficient tables.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// True for SA(T) with T < 0.25 s: the median is not below PGA's.
    short: bool,
    c0: f64,
    c1: f64,
    c2: f64,
    c3: f64,
    c4: f64,
    c5: f64,
    c6: f64,
    c7: f64,
    c8: f64,
    c9: f64,
    c10: f64,
    c11: f64,
    c14: f64,
    c16: f64,
    c17: f64,
    c18: f64,
    c19: f64,
    c20: f64,
    /// Δc20: global (0) and China/Turkey.
    dc20: [f64; 2],
    a2: f64,
    h1: f64,
    h2: f64,
    h3: f64,
    h5: f64,
    h6: f64,
    k1: f64,
    k2: f64,
    k3: f64,
    phi1: f64,
    phi2: f64,
    tau1: f64,
    tau2: f64,
    phi_af: f64,
    /// ρ between ln PGA and ln Y (1 for PGA).
    rho: f64,
}

#[rustfmt::skip]
const PGV: Row = Row { short: false, c0: -2.895, c1: 1.51, c2: 0.27, c3: -1.299, c4: -0.453, c5: -2.466,
    c6: 0.204, c7: 5.837, c8: 0.0, c9: -0.168, c10: 0.305, c11: 1.713, c14: 0.106, c16: 0.585,
    c17: 0.0517, c18: 0.0327, c19: 0.00613, c20: -0.0017, dc20: [0.0, 0.0017], a2: 0.596, h1: 0.117,
    h2: 1.616, h3: -0.733, h5: -0.128, h6: -0.756, k1: 400.0, k2: -1.955, k3: 1.929, phi1: 0.655,
    phi2: 0.494, tau1: 0.317, tau2: 0.297, phi_af: 0.3, rho: 0.684 };
#[rustfmt::skip]
const PGA: Row = Row { short: false, c0: -4.416, c1: 0.984, c2: 0.537, c3: -1.499, c4: -0.496, c5: -2.773,
    c6: 0.248, c7: 6.768, c8: 0.0, c9: -0.212, c10: 0.72, c11: 1.09, c14: -0.0064, c16: 0.393,
    c17: 0.0977, c18: 0.0333, c19: 0.00757, c20: -0.0055, dc20: [0.0, 0.0036], a2: 0.167, h1: 0.241,
    h2: 1.474, h3: -0.715, h5: -0.337, h6: -0.27, k1: 865.0, k2: -1.186, k3: 1.839, phi1: 0.734,
    phi2: 0.492, tau1: 0.409, tau2: 0.322, phi_af: 0.3, rho: 1.0 };
#[rustfmt::skip]
const SA02: Row = Row { short: true, c0: -5.411, c1: 1.366, c2: 0.447, c3: -1.75, c4: -0.451, c5: -2.421,
    c6: 0.182, c7: 8.385, c8: 0.0, c9: -0.163, c10: 0.764, c11: 2.069, c14: 0.0968, c16: 0.404,
    c17: 0.0571, c18: 0.0437, c19: 0.00688, c20: -0.006, dc20: [0.0, 0.0041], a2: 0.204, h1: 0.237,
    h2: 1.484, h3: -0.721, h5: -0.393, h6: -0.198, k1: 748.0, k2: -2.188, k3: 1.856, phi1: 0.761,
    phi2: 0.552, tau1: 0.339, tau2: 0.338, phi_af: 0.3, rho: 0.87 };
#[rustfmt::skip]
const SA10: Row = Row { short: false, c0: -11.011, c1: 2.18, c2: -0.069, c3: -1.707, c4: -0.527, c5: -2.158,
    c6: 0.169, c7: 5.65, c8: 0.0, c9: -0.105, c10: 0.556, c11: 1.447, c14: 0.2593, c16: 0.771,
    c17: -0.0131, c18: 0.0426, c19: 0.00409, c20: -0.0006, dc20: [0.0, 0.0006], a2: 0.596, h1: 0.117,
    h2: 1.616, h3: -0.733, h5: -0.128, h6: -0.756, k1: 400.0, k2: -1.955, k3: 1.929, phi1: 0.579,
    phi2: 0.628, tau1: 0.47, tau2: 0.353, phi_af: 0.3, rho: 0.467 };

/// Campbell & Bozorgnia (2014) with the global or the China/Turkey anelastic term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Campbell2014 {
    /// true: Δc20 of China/Turkey (`CampbellBozorgnia2014HighQ`); false: global.
    pub high_q: bool,
}

/// The checked inputs of one rupture–site pair.
struct Case {
    m: f64,
    rake: f64,
    dip: f64,
    ztor: f64,
    width: f64,
    zhyp: f64,
    rrup: f64,
    rjb: f64,
    rx: f64,
}

impl Campbell2014 {
    /// The variant of OpenQuake class `name`.
    pub fn from_name(name: &str) -> Option<Campbell2014> {
        match name {
            "CampbellBozorgnia2014" => Some(Campbell2014 { high_q: false }),
            "CampbellBozorgnia2014HighQ" => Some(Campbell2014 { high_q: true }),
            _ => None,
        }
    }

    /// OpenQuake class name.
    pub fn name(&self) -> &'static str {
        NAMES[usize::from(self.high_q)]
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
            zhyp: check(what, "zhyp_km", x.zhyp_km, 0.0, 100.0)?,
            rrup: check(what, "rrup_km", x.rrup_km, 0.0, 1000.0)?,
            rjb: check(what, "rjb_km", x.rjb_km, 0.0, 1000.0)?,
            rx: check(what, "rx_km", x.rx_km, -1000.0, 1000.0)?,
        };
        let vs30 = check(what, "vs30", x.vs30, 50.0, 5000.0)?;
        let z25 = check_optional(what, "z2pt5_km", x.z2pt5_km, 0.0, 20.0)?
            .unwrap_or_else(|| z25_default_km(vs30));
        let q = usize::from(self.high_q);
        let a1100 = self
            .ln_y(&PGA, &k, q, V_ROCK, z25_default_km(V_ROCK), f64::NAN)
            .exp();
        let mut ln_y = self.ln_y(c, &k, q, vs30, z25, a1100);
        if c.short {
            ln_y = ln_y.max(self.ln_y(&PGA, &k, q, vs30, z25, a1100));
        }
        Ok(GroundMotion {
            median: ln_y.exp(),
            sigma_ln: sigma(c, k.m, vs30, a1100),
        })
    }

    /// ln Y of eq. (1) for `c` on a site of `vs30` and `z25` (km), with A1100 (g;
    /// unused when Vs30 > k1).
    fn ln_y(&self, c: &Row, k: &Case, q: usize, vs30: f64, z25: f64, a1100: f64) -> f64 {
        magnitude(c, k.m)
            + (c.c5 + c.c6 * k.m) * (k.rrup * k.rrup + c.c7 * c.c7).sqrt().ln()
            + faulting(c, k.m, k.rake)
            + hanging_wall(c, k)
            + site(c, vs30, a1100)
            + sediment(c, z25)
            + hypocentre(c, k.m, k.zhyp)
            + dip_term(c, k.m, k.dip)
            + if k.rrup > 80.0 {
                (c.c20 + c.dc20[q]) * (k.rrup - 80.0)
            } else {
                0.0
            }
    }
}

/// Z2.5 (km) from Vs30, eq. (33) (California).
fn z25_default_km(vs30: f64) -> f64 {
    (7.089 - 1.144 * vs30.ln()).exp()
}

/// f_mag, eq. (2).
fn magnitude(c: &Row, m: f64) -> f64 {
    let mut f = c.c0 + c.c1 * m;
    if m > 4.5 {
        f += c.c2 * (m - 4.5);
    }
    if m > 5.5 {
        f += c.c3 * (m - 5.5);
    }
    if m > 6.5 {
        f += c.c4 * (m - 6.5);
    }
    f
}

/// f_flt, eqs. (4)–(6).
fn faulting(c: &Row, m: f64, rake: f64) -> f64 {
    let f_rv = if rake > 30.0 && rake < 150.0 {
        1.0
    } else {
        0.0
    };
    let f_nm = if rake > -150.0 && rake < -30.0 {
        1.0
    } else {
        0.0
    };
    (c.c8 * f_rv + c.c9 * f_nm) * (m - 4.5).clamp(0.0, 1.0)
}

/// f_hng, eqs. (7)–(16).
fn hanging_wall(c: &Row, k: &Case) -> f64 {
    if k.rx < 0.0 {
        return 0.0;
    }
    let r1 = k.width * k.dip.to_radians().cos();
    let r2 = 62.0 * k.m - 350.0;
    let f_rx = if k.rx < r1 {
        let q = k.rx / r1;
        c.h1 + c.h2 * q + c.h3 * q * q
    } else {
        let q = (k.rx - r1) / (r2 - r1);
        (H4 + c.h5 * q + c.h6 * q * q).max(0.0)
    };
    let f_rrup = if k.rrup > 0.0 {
        (k.rrup - k.rjb) / k.rrup
    } else {
        1.0
    };
    let f_m = if k.m <= 5.5 {
        0.0
    } else if k.m <= 6.5 {
        (k.m - 5.5) * (1.0 + c.a2 * (k.m - 6.5))
    } else {
        1.0 + c.a2 * (k.m - 6.5)
    };
    let f_z = if k.ztor <= 16.66 {
        1.0 - 0.06 * k.ztor
    } else {
        0.0
    };
    let f_dip = (90.0 - k.dip) / 45.0;
    c.c10 * f_rx * f_rrup * f_m * f_z * f_dip
}

/// f_site, eqs. (17)–(19), California site (S_J = 0).
fn site(c: &Row, vs30: f64, a1100: f64) -> f64 {
    let r = vs30 / c.k1;
    if vs30 > c.k1 {
        (c.c11 + c.k2 * N) * r.ln()
    } else {
        c.c11 * r.ln() + c.k2 * ((a1100 + C * r.powf(N)).ln() - (a1100 + C).ln())
    }
}

/// f_sed, eq. (20), California (S_J = 0).
fn sediment(c: &Row, z25: f64) -> f64 {
    if z25 <= 1.0 {
        c.c14 * (z25 - 1.0)
    } else if z25 <= 3.0 {
        0.0
    } else {
        c.c16 * c.k3 * (-0.75f64).exp() * (1.0 - (-0.25 * (z25 - 3.0)).exp())
    }
}

/// f_hyp, eqs. (21)–(23).
fn hypocentre(c: &Row, m: f64, zhyp: f64) -> f64 {
    let f_h = (zhyp - 7.0).clamp(0.0, 13.0);
    let f_m = if m <= 5.5 {
        c.c17
    } else if m <= 6.5 {
        c.c17 + (c.c18 - c.c17) * (m - 5.5)
    } else {
        c.c18
    };
    f_h * f_m
}

/// f_dip, eq. (24).
fn dip_term(c: &Row, m: f64, dip: f64) -> f64 {
    if m <= 4.5 {
        c.c19 * dip
    } else if m <= 5.5 {
        c.c19 * (5.5 - m) * dip
    } else {
        0.0
    }
}

/// A magnitude-dependent τ or φ, eqs. (27)–(28): `v1` at M ≤ 4.5, `v2` at M ≥ 5.5.
fn by_mag(v1: f64, v2: f64, m: f64) -> f64 {
    if m <= 4.5 {
        v1
    } else if m >= 5.5 {
        v2
    } else {
        v2 + (v1 - v2) * (5.5 - m)
    }
}

/// α of eq. (31): the slope of the nonlinear site term in ln A1100.
fn alpha(c: &Row, vs30: f64, a1100: f64) -> f64 {
    if vs30 >= c.k1 {
        return 0.0;
    }
    c.k2 * a1100 * (1.0 / (a1100 + C * (vs30 / c.k1).powf(N)) - 1.0 / (a1100 + C))
}

/// σ = √(τ² + φ²), eqs. (27)–(32).
fn sigma(c: &Row, m: f64, vs30: f64, a1100: f64) -> f64 {
    let tau_b = by_mag(c.tau1, c.tau2, m);
    let phi_b = (by_mag(c.phi1, c.phi2, m).powi(2) - c.phi_af * c.phi_af).sqrt();
    let tau_pga = by_mag(PGA.tau1, PGA.tau2, m);
    let phi_pga = (by_mag(PGA.phi1, PGA.phi2, m).powi(2) - PGA.phi_af * PGA.phi_af).sqrt();
    let a = alpha(c, vs30, a1100);
    let tau2 = tau_b * tau_b + a * a * tau_pga * tau_pga + 2.0 * a * c.rho * tau_b * tau_pga;
    let phi2 = phi_b * phi_b
        + c.phi_af * c.phi_af
        + a * a * phi_pga * phi_pga
        + 2.0 * a * c.rho * phi_b * phi_pga;
    (tau2 + phi2).sqrt()
}
