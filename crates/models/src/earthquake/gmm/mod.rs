//! Ground-motion models (GMMs): median and total standard deviation of ln IM for
//! one rupture–site pair.
//!
//! Model names follow the OpenQuake hazard library (`openquake.hazardlib.gsim`), so
//! a result can be checked against it class by class (validate/earthquake/):
//!
//! - [`yu2013`]: Yu, Li, Xiao (2013), the ellipse attenuation relations of China's
//!   zoning map GB 18306-2015: `YuEtAl2013Ms`, `YuEtAl2013MsTibet`,
//!   `YuEtAl2013MsEastern`, `YuEtAl2013MsStable` and the `…Mw` variants;
//! - [`boore2014`]: Boore, Stewart, Seyhan, Atkinson (2014), NGA-West2:
//!   `BooreEtAl2014` (global, Δc3 = 0) and `BooreEtAl2014HighQ` (China/Turkey Δc3);
//! - [`abrahamson2014`]: Abrahamson, Silva, Kamai (2014), NGA-West2 (ASK14):
//!   `AbrahamsonEtAl2014` (California/global) and `AbrahamsonEtAl2014RegCHN`
//!   (China's anelastic term);
//! - [`campbell2014`]: Campbell & Bozorgnia (2014), NGA-West2 (CB14):
//!   `CampbellBozorgnia2014` (global, Δc20 = 0) and `CampbellBozorgnia2014HighQ`
//!   (China/Turkey Δc20);
//! - [`chiou2014`]: Chiou & Youngs (2014), NGA-West2 (CY14): `ChiouYoungs2014`
//!   (California/global) and `ChiouYoungs2014Wenchuan` (the far-field factor the
//!   paper fitted to the 2008 Wenchuan earthquake);
//! - [`logic_tree`]: weighted branches of these models combined into one median
//!   and σ (weighted mean of ln-medians, mixture variance).
//!
//! Every NGA-West2 model here has coefficients for PGA, PGV, SA(0.2) and SA(1.0)
//! only (the periods the engine uses; the papers' tables have 21 periods).
//!
//! Units: magnitude as the model states (Ms or Mw), distances in km, Vs30 in m/s,
//! Z1.0 in m, Z2.5 in km, medians in g (PGA, SA) or cm/s (PGV), sigma as the
//! natural-log standard deviation.

pub mod abrahamson2014;
pub mod boore2014;
pub mod campbell2014;
pub mod chiou2014;
pub mod logic_tree;
pub mod yu2013;

use std::fmt;
use std::str::FromStr;

use super::error::EarthquakeError;
pub use abrahamson2014::Abrahamson2014;
pub use boore2014::Boore2014;
pub use campbell2014::Campbell2014;
pub use chiou2014::Chiou2014;
pub use logic_tree::GmmTree;
pub use yu2013::Yu2013;

/// Standard gravity (m/s²), as in CODATA and `scipy.constants.g`.
pub const G: f64 = 9.80665;

/// Intensity measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Imt {
    /// Peak ground acceleration (g).
    Pga,
    /// Peak ground velocity (cm/s).
    Pgv,
    /// 5 %-damped pseudo-spectral acceleration at period T seconds (g).
    Sa(f64),
}

impl Imt {
    /// Unit of the median: `g` or `cm/s`.
    pub fn unit(&self) -> &'static str {
        match self {
            Imt::Pgv => "cm/s",
            _ => "g",
        }
    }
}

impl fmt::Display for Imt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Imt::Pga => f.write_str("PGA"),
            Imt::Pgv => f.write_str("PGV"),
            Imt::Sa(t) => write!(f, "SA({t})"),
        }
    }
}

impl Imt {
    /// True for `SA(t)` with `t` within 1e-9 s of `period`.
    pub(crate) fn is_sa(&self, period: f64) -> bool {
        matches!(self, Imt::Sa(t) if (t - period).abs() < 1e-9)
    }
}

/// The coefficient row of `imt` among the four intensity measures the NGA-West2
/// models here carry — `rows` holds PGA, PGV, SA(0.2) and SA(1.0) in that order —
/// or the error naming `gmm` and what it supports.
pub(crate) fn row_of<R>(
    gmm: &'static str,
    imt: Imt,
    rows: [&'static R; 4],
) -> Result<&'static R, EarthquakeError> {
    match imt {
        Imt::Pga => Ok(rows[0]),
        Imt::Pgv => Ok(rows[1]),
        _ if imt.is_sa(0.2) => Ok(rows[2]),
        _ if imt.is_sa(1.0) => Ok(rows[3]),
        _ => Err(EarthquakeError::UnsupportedImt {
            gmm,
            imt: imt.to_string(),
            supported: "PGA, PGV, SA(0.2), SA(1.0)".into(),
        }),
    }
}

impl FromStr for Imt {
    type Err = EarthquakeError;
    /// `PGA`, `PGV`, `SA(0.2)` (case-insensitive, spaces ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let u = t.to_ascii_uppercase();
        match u.as_str() {
            "PGA" => return Ok(Imt::Pga),
            "PGV" => return Ok(Imt::Pgv),
            _ => {}
        }
        if let Some(inner) = u.strip_prefix("SA(").and_then(|r| r.strip_suffix(')')) {
            if let Ok(p) = inner.parse::<f64>() {
                if p.is_finite() && p > 0.0 {
                    return Ok(Imt::Sa(p));
                }
            }
        }
        Err(EarthquakeError::UnknownImt(s.to_string()))
    }
}

/// One rupture–site pair. Fields a model does not use are ignored (set them NaN).
///
/// Geometry follows the NGA-West2 flat-file definitions (Ancheta et al. 2014,
/// *Earthquake Spectra* 30(3), 989–1005) as [`super::rupture`] computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GmInput {
    /// Magnitude (Ms for `YuEtAl2013Ms*`, Mw otherwise).
    pub mag: f64,
    /// Rake (degrees, Aki–Richards): style of faulting for the NGA-West2 models.
    pub rake: f64,
    /// Dip of the rupture (degrees, 0 < δ ≤ 90).
    pub dip: f64,
    /// Depth to the top of the rupture (km).
    pub ztor_km: f64,
    /// Down-dip width of the rupture (km).
    pub width_km: f64,
    /// Hypocentral depth (km), for Campbell & Bozorgnia (2014).
    pub zhyp_km: f64,
    /// Joyner–Boore distance (km): to the surface projection of the rupture.
    pub rjb_km: f64,
    /// Rupture distance (km): to the closest point of the rupture plane.
    pub rrup_km: f64,
    /// Rx (km): horizontal, perpendicular to strike from the top edge, positive on
    /// the hanging wall.
    pub rx_km: f64,
    /// Ry0 (km): horizontal, parallel to strike, off the end of the rupture (0
    /// beside it).
    pub ry0_km: f64,
    /// Time-averaged shear-wave velocity of the top 30 m (m/s).
    pub vs30: f64,
    /// Depth to the 1.0 km/s shear-wave horizon (m); NaN: the model's Vs30-based
    /// default (Abrahamson et al. 2014 eq. 18, Chiou & Youngs 2014 eq. 1).
    pub z1pt0_m: f64,
    /// Depth to the 2.5 km/s shear-wave horizon (km); NaN: the Vs30-based default of
    /// Campbell & Bozorgnia (2014) eq. 33.
    pub z2pt5_km: f64,
    /// Epicentral distance (km), for Yu et al. (2013).
    pub repi_km: f64,
    /// Angle between the ellipse's long axis (the fault strike) and the
    /// epicentre→site direction (degrees), for Yu et al. (2013).
    pub azimuth_deg: f64,
}

impl GmInput {
    /// All fields NaN: fill in what the model needs.
    pub fn nan() -> Self {
        GmInput {
            mag: f64::NAN,
            rake: f64::NAN,
            dip: f64::NAN,
            ztor_km: f64::NAN,
            width_km: f64::NAN,
            zhyp_km: f64::NAN,
            rjb_km: f64::NAN,
            rrup_km: f64::NAN,
            rx_km: f64::NAN,
            ry0_km: f64::NAN,
            vs30: f64::NAN,
            z1pt0_m: f64::NAN,
            z2pt5_km: f64::NAN,
            repi_km: f64::NAN,
            azimuth_deg: f64::NAN,
        }
    }
}

/// Median and total standard deviation of ln IM.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroundMotion {
    /// Median, in g (PGA, SA) or cm/s (PGV).
    pub median: f64,
    /// Total standard deviation of the natural log of the IM.
    pub sigma_ln: f64,
}

/// A ground-motion model chosen by its OpenQuake class name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gmm {
    /// Yu, Li & Xiao (2013), the attenuation relations of the fifth-generation Chinese
    /// zoning map.
    Yu2013(Yu2013),
    /// Boore, Stewart, Seyhan & Atkinson (2014), NGA-West2.
    Boore2014(Boore2014),
    /// Abrahamson, Silva & Kamai (2014), NGA-West2.
    Abrahamson2014(Abrahamson2014),
    /// Campbell & Bozorgnia (2014), NGA-West2.
    Campbell2014(Campbell2014),
    /// Chiou & Youngs (2014), NGA-West2.
    Chiou2014(Chiou2014),
}

impl Gmm {
    /// Every implemented OpenQuake class name.
    pub fn names() -> Vec<&'static str> {
        let mut v: Vec<&'static str> = yu2013::NAMES.to_vec();
        v.extend_from_slice(boore2014::NAMES);
        v.extend_from_slice(abrahamson2014::NAMES);
        v.extend_from_slice(campbell2014::NAMES);
        v.extend_from_slice(chiou2014::NAMES);
        v
    }

    /// The model of OpenQuake class `name` (exact spelling).
    pub fn from_name(name: &str) -> Result<Gmm, EarthquakeError> {
        if let Some(m) = Yu2013::from_name(name) {
            return Ok(Gmm::Yu2013(m));
        }
        if let Some(m) = Boore2014::from_name(name) {
            return Ok(Gmm::Boore2014(m));
        }
        if let Some(m) = Abrahamson2014::from_name(name) {
            return Ok(Gmm::Abrahamson2014(m));
        }
        if let Some(m) = Campbell2014::from_name(name) {
            return Ok(Gmm::Campbell2014(m));
        }
        if let Some(m) = Chiou2014::from_name(name) {
            return Ok(Gmm::Chiou2014(m));
        }
        Err(EarthquakeError::UnknownGmm {
            name: name.to_string(),
            known: Gmm::names().join(", "),
        })
    }

    /// OpenQuake class name.
    pub fn name(&self) -> &'static str {
        match self {
            Gmm::Yu2013(m) => m.name(),
            Gmm::Boore2014(m) => m.name(),
            Gmm::Abrahamson2014(m) => m.name(),
            Gmm::Campbell2014(m) => m.name(),
            Gmm::Chiou2014(m) => m.name(),
        }
    }

    /// The [`GmInput`] fields the model needs, as CSV column names of the CLI.
    pub fn required_columns(&self) -> &'static [&'static str] {
        match self {
            Gmm::Yu2013(_) => &["mag", "repi_km", "azimuth_deg"],
            Gmm::Boore2014(_) => &["mag", "rake", "rjb_km", "vs30"],
            Gmm::Abrahamson2014(_) => abrahamson2014::REQUIRED,
            Gmm::Campbell2014(_) => campbell2014::REQUIRED,
            Gmm::Chiou2014(_) => chiou2014::REQUIRED,
        }
    }

    /// The optional [`GmInput`] fields the model reads when given (a default from
    /// Vs30 otherwise), as CSV column names of the CLI.
    pub fn optional_columns(&self) -> &'static [&'static str] {
        match self {
            Gmm::Abrahamson2014(_) | Gmm::Chiou2014(_) => &["z1pt0_m"],
            Gmm::Campbell2014(_) => &["z2pt5_km"],
            Gmm::Yu2013(_) | Gmm::Boore2014(_) => &[],
        }
    }

    /// Accepted magnitude range (inclusive).
    pub fn mag_range(&self) -> (f64, f64) {
        match self {
            Gmm::Yu2013(_) => yu2013::MAG_RANGE,
            Gmm::Boore2014(m) => m.mag_range(),
            Gmm::Abrahamson2014(_) => abrahamson2014::MAG_RANGE,
            Gmm::Campbell2014(_) => campbell2014::MAG_RANGE,
            Gmm::Chiou2014(_) => chiou2014::MAG_RANGE,
        }
    }

    /// Median and sigma of `imt` for one rupture–site pair.
    pub fn ground_motion(&self, imt: Imt, x: &GmInput) -> Result<GroundMotion, EarthquakeError> {
        let (lo, hi) = self.mag_range();
        if !(x.mag >= lo && x.mag <= hi) {
            return Err(EarthquakeError::MagnitudeOutOfRange {
                gmm: self.name(),
                mag: x.mag,
                min: lo,
                max: hi,
            });
        }
        match self {
            Gmm::Yu2013(m) => m.ground_motion(imt, x),
            Gmm::Boore2014(m) => m.ground_motion(imt, x),
            Gmm::Abrahamson2014(m) => m.ground_motion(imt, x),
            Gmm::Campbell2014(m) => m.ground_motion(imt, x),
            Gmm::Chiou2014(m) => m.ground_motion(imt, x),
        }
    }
}

/// An optional parameter: NaN (not given) passes as `None`, otherwise as
/// [`check`] does.
pub(crate) fn check_optional(
    what: &str,
    field: &'static str,
    value: f64,
    min: f64,
    max: f64,
) -> Result<Option<f64>, EarthquakeError> {
    if value.is_nan() {
        Ok(None)
    } else {
        check(what, field, value, min, max).map(Some)
    }
}

/// The NGA-West2 rupture geometry every model of the family checks the same way:
/// (rake, dip, ztor) in degrees, degrees, km.
pub(crate) fn check_source(what: &str, x: &GmInput) -> Result<(f64, f64, f64), EarthquakeError> {
    let rake = check(what, "rake", x.rake, -180.0, 180.0)?;
    let dip = check(what, "dip", x.dip, 0.0, 90.0)?;
    if dip == 0.0 {
        return Err(EarthquakeError::BadParameter {
            what: what.to_string(),
            field: "dip",
            value: dip,
            reason: "outside the model's range",
        });
    }
    let ztor = check(what, "ztor_km", x.ztor_km, 0.0, 100.0)?;
    Ok((rake, dip, ztor))
}

/// A finite parameter within \[min, max\] or a named error.
pub(crate) fn check(
    what: &str,
    field: &'static str,
    value: f64,
    min: f64,
    max: f64,
) -> Result<f64, EarthquakeError> {
    if value.is_finite() && value >= min && value <= max {
        Ok(value)
    } else {
        Err(EarthquakeError::BadParameter {
            what: what.to_string(),
            field,
            value,
            reason: if value.is_finite() {
                "outside the model's range"
            } else {
                "missing or not a finite number"
            },
        })
    }
}
