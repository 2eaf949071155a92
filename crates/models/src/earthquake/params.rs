//! `models/earthquake.toml`: the parameters of the earthquake stage, parsed with
//! unknown keys refused and checked once ([`EarthquakeParams::parse`]).

use serde::Deserialize;

use super::error::EarthquakeError;
use super::fragility::FragilityParams;
use super::gmm::logic_tree::WEIGHT_SUM_TOLERANCE;
use super::gmm::{Gmm, GmmTree};
use super::hazard_curve::HazardCurveSection;
use super::hidden_danger::HiddenDangerParams;

/// Path of the shipped parameter file in the model library.
pub const PATH: &str = "earthquake/earthquake.toml";

/// The shipped parameter text (`models/earthquake/earthquake.toml`).
pub fn builtin() -> &'static str {
    crate::library::shipped_text(PATH)
}

/// How ground motion per cell is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// PGA of the zoning map.
    Zoning,
    /// A scenario rupture with a ground-motion model.
    Scenario,
}

/// `[ground_motion]`: where the PGA per cell comes from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroundMotionSection {
    /// `"zoning"` or `"scenario"`.
    pub method: Method,
    /// Vector source id of the zoning polygons (field `pga_g`).
    pub zoning_source: String,
}

/// One branch of a `[[scenario.gmm_branch]]` logic tree.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GmmBranch {
    /// OpenQuake class name of the branch's ground-motion model.
    pub gmm: String,
    /// The branch weight, in (0, 1]; the weights of all branches sum to 1 within
    /// 1e-9.
    pub weight: f64,
}

/// `[scenario]`: a planar rupture on a surveyed fault, scored with a ground-motion
/// model or a logic tree of them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSection {
    /// Vector source id of the fault traces.
    pub fault_source: String,
    /// The fault: value of the source's `code` (or `id`) field.
    pub fault: String,
    /// OpenQuake class name of the ground-motion model (see [`Gmm::names`]): a
    /// single branch of weight 1. Exactly one of `gmm` and `gmm_branch` is given.
    #[serde(default)]
    pub gmm: Option<String>,
    /// `[[scenario.gmm_branch]]`: a logic tree of weighted models; the scenario's
    /// ground motion combines them by [`super::gmm::logic_tree`] (weighted mean of
    /// the ln-medians; σ the mixture's).
    #[serde(default)]
    pub gmm_branch: Vec<GmmBranch>,
    /// Magnitude: Mw, or Ms for the `YuEtAl2013Ms*` models; within the model's range.
    pub magnitude: f64,
    /// Rake (degrees; 90 = reverse, −90 = normal, 0 or 180 = strike-slip).
    pub rake: f64,
    /// Dip (degrees, 0 < δ ≤ 90) towards the right of the trace direction; a dip
    /// carried by the fault itself takes precedence.
    pub dip: f64,
    /// Depth of the top of the rupture (km).
    pub ztor_km: f64,
    /// Depth of the bottom of the rupture (km), below `ztor_km`.
    pub zbot_km: f64,
}

/// Vs30 from the slope layer (`"slope"`), a site-class map (`"site_class"`) or a
/// constant (m/s).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Vs30Source {
    /// One Vs30 everywhere (m/s, 50–5000).
    Constant(f64),
    /// `"slope"` (Wald & Allen 2007) or `"site_class"` (a NEHRP site-class map).
    Layer(String),
}

/// `[site]`: the site term of scenario ground motion.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSection {
    /// Where Vs30 comes from.
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

/// `[hazard_index]`: the log-linear map from PGA to the hazard index H in [0, 1].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardIndexSection {
    /// PGA (g) that scores 0; > 0 (0.05 g, intensity VI, in the built-in file).
    pub pga_low_g: f64,
    /// PGA (g) that scores 1; > `pga_low_g` (0.40 g, intensity IX, in the built-in file).
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

/// `[fragility]`: the fragility table and the loss, casualty and design-level parameters.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FragilitySection {
    /// File name of the fragility table, relative to the models folder.
    pub table: String,
    /// The other keys of the section.
    #[serde(flatten)]
    pub params: FragilityParams,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarthquakeParams {
    /// Model id, recorded with the outputs.
    pub id: String,
    /// Model version, recorded with the outputs.
    pub version: String,
    /// The built-in operator that reads this file: `"earthquake"` (not a weighted
    /// overlay; DESIGN.md §5).
    #[serde(default)]
    pub operator: Option<String>,
    /// References to the methods' sources.
    pub sources: Vec<String>,
    /// `[ground_motion]`.
    pub ground_motion: GroundMotionSection,
    /// `[scenario]`, used when `ground_motion.method = "scenario"`.
    pub scenario: ScenarioSection,
    /// `[site]`.
    pub site: SiteSection,
    /// `[hazard_index]`.
    pub hazard_index: HazardIndexSection,
    /// `[fragility]`.
    pub fragility: FragilitySection,
    /// `[hazard_curve]`: the probability levels of the zoning map behind the annual
    /// loss ([`super::hazard_curve`]).
    pub hazard_curve: HazardCurveSection,
    /// `[hidden_danger]`: the choices of the provisional hidden-danger grade
    /// ([`super::hidden_danger`]); the shipped values when the file has none (a
    /// census's copy made before issue 18).
    #[serde(default)]
    pub hidden_danger: HiddenDangerParams,
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
            if !(50.0..=5000.0).contains(&v) {
                return Err(bad(format!("site.vs30 = {v} outside [50, 5000] m/s")));
            }
        }
        let h = &p.hazard_index;
        if !(h.pga_low_g > 0.0 && h.pga_high_g > h.pga_low_g) {
            return Err(bad("hazard_index needs 0 < pga_low_g < pga_high_g".into()));
        }
        let tree = scenario_tree(&p.scenario).map_err(bad)?;
        for (g, _) in tree.branches() {
            let (lo, hi) = g.mag_range();
            if !(p.scenario.magnitude >= lo && p.scenario.magnitude <= hi) {
                return Err(bad(format!(
                    "scenario.magnitude {} outside {}'s range [{lo}, {hi}]",
                    p.scenario.magnitude,
                    g.name()
                )));
            }
        }
        p.fragility.params.check(file)?;
        p.hidden_danger.check(file)?;
        if let Some(first) = p.hazard_curve.problems().into_iter().next() {
            return Err(bad(first));
        }
        Ok(p)
    }

    /// The scenario's ground-motion logic tree (one branch for `gmm = "…"`).
    pub fn gmm_tree(&self) -> GmmTree {
        scenario_tree(&self.scenario).expect("checked in parse")
    }
}

/// The logic tree of `[scenario]`, or the problem naming its key.
fn scenario_tree(s: &ScenarioSection) -> Result<GmmTree, String> {
    match (&s.gmm, s.gmm_branch.as_slice()) {
        (Some(_), [_, ..]) => {
            Err("scenario: both `gmm` and [[scenario.gmm_branch]] given; give one of them".into())
        }
        (None, []) => Err("scenario: `gmm` or [[scenario.gmm_branch]] required".into()),
        (Some(name), []) => Gmm::from_name(name)
            .map(GmmTree::single)
            .map_err(|e| format!("scenario.gmm: {e}")),
        (None, branches) => {
            let mut v = Vec::with_capacity(branches.len());
            for (i, b) in branches.iter().enumerate() {
                let g = Gmm::from_name(&b.gmm)
                    .map_err(|e| format!("scenario.gmm_branch[{i}].gmm: {e}"))?;
                if !(b.weight.is_finite() && b.weight > 0.0 && b.weight <= 1.0) {
                    return Err(format!(
                        "scenario.gmm_branch[{i}].weight = {} not in (0, 1]",
                        b.weight
                    ));
                }
                v.push((g, b.weight));
            }
            let sum: f64 = v.iter().map(|b| b.1).sum();
            if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE {
                return Err(format!(
                    "scenario.gmm_branch: weights sum to {sum}, not 1 (within {WEIGHT_SUM_TOLERANCE:e})"
                ));
            }
            GmmTree::new(v).map_err(|e| format!("scenario.gmm_branch: {e}"))
        }
    }
}
