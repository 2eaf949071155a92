//! `models/earthquake.toml`: the parameters of the earthquake stage, parsed with
//! unknown keys refused and checked once ([`EarthquakeParams::parse`]).

use serde::Deserialize;

use super::error::EarthquakeError;
use super::fragility::FragilityParams;
use super::gmm::Gmm;

/// The built-in parameter file.
pub const BUILTIN: &str = include_str!("../../../../models/earthquake.toml");

/// How ground motion per cell is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// PGA of the zoning map.
    Zoning,
    /// A scenario rupture with a ground-motion model.
    Scenario,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroundMotionSection {
    pub method: Method,
    /// Vector source id of the zoning polygons (field `pga_g`).
    pub zoning_source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSection {
    pub fault_source: String,
    pub fault: String,
    pub gmm: String,
    pub magnitude: f64,
    pub rake: f64,
    pub dip: f64,
    pub ztor_km: f64,
    pub zbot_km: f64,
}

/// Vs30 from the slope layer (`"slope"`), a site-class map (`"site_class"`) or a
/// constant (m/s).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Vs30Source {
    Constant(f64),
    Layer(String),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSection {
    pub vs30: Vs30Source,
    /// With `vs30 = "site_class"`: the census `[[vector]]` source of site-class
    /// polygons (default `site_classes`).
    #[serde(default = "default_site_class_source")]
    pub site_class_source: String,
    /// … and its field holding the NEHRP class A–E (default `site_class`).
    #[serde(default = "default_site_class_field")]
    pub site_class_field: String,
}

fn default_site_class_source() -> String {
    "site_classes".into()
}

fn default_site_class_field() -> String {
    "site_class".into()
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardIndexSection {
    pub pga_low_g: f64,
    pub pga_high_g: f64,
}

impl HazardIndexSection {
    /// H = clamp(ln(PGA/low)/ln(high/low), 0, 1); NaN → NaN.
    pub fn index(&self, pga_g: f64) -> f64 {
        if pga_g.is_nan() {
            return f64::NAN;
        }
        if pga_g <= 0.0 {
            return 0.0;
        }
        ((pga_g / self.pga_low_g).ln() / (self.pga_high_g / self.pga_low_g).ln()).clamp(0.0, 1.0)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FragilitySection {
    /// File name of the fragility table, relative to the models folder.
    pub table: String,
    #[serde(flatten)]
    pub params: FragilityParams,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarthquakeParams {
    pub id: String,
    pub version: String,
    /// The built-in operator that reads this file: `"earthquake"` (not a weighted
    /// overlay; DESIGN.md §5).
    #[serde(default)]
    pub operator: Option<String>,
    pub sources: Vec<String>,
    pub ground_motion: GroundMotionSection,
    pub scenario: ScenarioSection,
    pub site: SiteSection,
    pub hazard_index: HazardIndexSection,
    pub fragility: FragilitySection,
}

impl EarthquakeParams {
    /// Parse and check `text`; `file` names the file in errors.
    pub fn parse(text: &str, file: &str) -> Result<EarthquakeParams, EarthquakeError> {
        let bad = |msg: String| EarthquakeError::Params {
            file: file.to_string(),
            msg,
        };
        let p: EarthquakeParams = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        if let Vs30Source::Layer(l) = &p.site.vs30 {
            if l != "slope" && l != "site_class" {
                return Err(bad(format!(
                    "site.vs30 must be \"slope\", \"site_class\" or a number, not `{l}`"
                )));
            }
        }
        if let Vs30Source::Constant(v) = p.site.vs30 {
            if !(v >= 50.0 && v <= 5000.0) {
                return Err(bad(format!("site.vs30 = {v} outside [50, 5000] m/s")));
            }
        }
        let h = &p.hazard_index;
        if !(h.pga_low_g > 0.0 && h.pga_high_g > h.pga_low_g) {
            return Err(bad("hazard_index needs 0 < pga_low_g < pga_high_g".into()));
        }
        let gmm = Gmm::from_name(&p.scenario.gmm).map_err(|e| bad(format!("scenario.gmm: {e}")))?;
        let (lo, hi) = gmm.mag_range();
        if !(p.scenario.magnitude >= lo && p.scenario.magnitude <= hi) {
            return Err(bad(format!(
                "scenario.magnitude {} outside {}'s range [{lo}, {hi}]",
                p.scenario.magnitude,
                gmm.name()
            )));
        }
        p.fragility.params.check(file)?;
        Ok(p)
    }

    /// The scenario's ground-motion model.
    pub fn gmm(&self) -> Gmm {
        Gmm::from_name(&self.scenario.gmm).expect("checked in parse")
    }
}
