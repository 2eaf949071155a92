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
//!   `BooreEtAl2014` (global, Δc3 = 0) and `BooreEtAl2014HighQ` (China/Turkey Δc3).
//!
//! Units: magnitude as the model states (Ms or Mw), distances in km, Vs30 in m/s,
//! medians in g (PGA, SA) or cm/s (PGV), sigma as the natural-log standard deviation.

pub mod boore2014;
pub mod yu2013;

use std::fmt;
use std::str::FromStr;

use super::error::EarthquakeError;
pub use boore2014::Boore2014;
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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GmInput {
    /// Magnitude (Ms for `YuEtAl2013Ms*`, Mw otherwise).
    pub mag: f64,
    /// Rake (degrees, Aki–Richards): style of faulting for Boore et al. (2014).
    pub rake: f64,
    /// Joyner–Boore distance (km): to the surface projection of the rupture.
    pub rjb_km: f64,
    /// Time-averaged shear-wave velocity of the top 30 m (m/s).
    pub vs30: f64,
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
            rjb_km: f64::NAN,
            vs30: f64::NAN,
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
}

impl Gmm {
    /// Every implemented OpenQuake class name.
    pub fn names() -> Vec<&'static str> {
        let mut v: Vec<&'static str> = yu2013::NAMES.to_vec();
        v.extend_from_slice(boore2014::NAMES);
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
        }
    }

    /// The [`GmInput`] fields the model reads, as CSV column names of the CLI.
    pub fn required_columns(&self) -> &'static [&'static str] {
        match self {
            Gmm::Yu2013(_) => &["mag", "repi_km", "azimuth_deg"],
            Gmm::Boore2014(_) => &["mag", "rake", "rjb_km", "vs30"],
        }
    }

    /// Accepted magnitude range (inclusive).
    pub fn mag_range(&self) -> (f64, f64) {
        match self {
            Gmm::Yu2013(_) => yu2013::MAG_RANGE,
            Gmm::Boore2014(m) => m.mag_range(),
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
        }
    }
}

/// A finite, non-negative parameter or a named error.
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
