//! The susceptibility parameter file (`models/geohazard.toml`): unchecked serde
//! types → checked once by [`GeohazardParams::from_toml`] → validated parameters.
//!
//! Keys (every table refuses unknown keys):
//!
//! ```toml
//! id = "geohazard"            version = "1.0.0"        method = "iv"  # iv|fr|cf|lr|expert
//! lr_predictors = "iv"        # iv|fr: the predictor of lr (optional, default iv)
//! hazard_types = ["landslide", "collapse", "debris_flow"]   # inventory types that train
//! sources = ["…"]
//! [sampling]        seed, negative_ratio, buffer_m, test_fraction, min_hazard_cells
//! [cross_validation] by = "blocks" | "townships" | "none", block_m, folds, seed  # optional
//! [[factors]]       id, layer, unit, bounds = [...] | codes = [...], expert = [score per class], description
//! [expert]          factors = [...], matrix = [[...]]        # AHP over the factors
//! [trigger]         layer, unit, x0, x1, base                 # rainfall modulation of hazard
//! [threat]          radius_m = {small, medium, large, huge}, default_radius_m,
//!                   monitoring = {professional, mass, none}, default_monitoring
//! [classification]  method = "natural_breaks" | "fixed_breaks", breaks = [...]
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::classes::Classifier;
use super::error::GeohazardError;
use super::sampling::SamplingRule;
use super::spatial_cv::{CvBy, CvRule};
use crate::ahp::{self, Ahp, CR_LIMIT};
use crate::spec::AhpSpec;

/// The hidden-danger types of the census schema (`hidden_danger_type` codes).
pub const HAZARD_TYPES: &[&str] = &[
    "landslide",
    "collapse",
    "debris_flow",
    "subsidence",
    "ground_fissure",
];

/// The statistical or expert method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Information value (Yin & Yan 1988).
    Iv,
    /// Frequency ratio (Lee & Pradhan 2007).
    Fr,
    /// Certainty factor (Shortliffe & Buchanan 1975; Chung & Fabbri 1993).
    Cf,
    /// Logistic regression on the factors' information values.
    Lr,
    /// AHP factor weights × expert class scores (no training).
    Expert,
}

impl Method {
    /// The method's name in the parameter file and the report (`iv`, `fr`, `cf`, `lr`,
    /// `expert`).
    pub fn id(self) -> &'static str {
        match self {
            Method::Iv => "iv",
            Method::Fr => "fr",
            Method::Cf => "cf",
            Method::Lr => "lr",
            Method::Expert => "expert",
        }
    }

    /// Parse `iv|fr|cf|lr|expert`.
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "iv" => Method::Iv,
            "fr" => Method::Fr,
            "cf" => Method::Cf,
            "lr" => Method::Lr,
            "expert" => Method::Expert,
            _ => return None,
        })
    }

    /// True for the methods trained on the inventory (all but `expert`).
    pub fn is_statistical(self) -> bool {
        self != Method::Expert
    }
}

/// What logistic regression (`lr`) takes as the predictor of each factor: the
/// information value or the frequency ratio of the cell's class in that factor
/// (one coefficient per factor either way; `super::model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LrPredictors {
    /// The class's information value I = ln[(N_i/N)/(S_i/S)] (the default, and the
    /// only predictor before the option existed).
    #[default]
    Iv,
    /// The class's frequency ratio FR = (N_i/N)/(S_i/S).
    Fr,
}

impl LrPredictors {
    /// `iv` or `fr`.
    pub fn id(self) -> &'static str {
        match self {
            LrPredictors::Iv => "iv",
            LrPredictors::Fr => "fr",
        }
    }

    /// Parse `iv|fr`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "iv" => Some(LrPredictors::Iv),
            "fr" => Some(LrPredictors::Fr),
            _ => None,
        }
    }
}

/// The parameter file as written, not yet validated (see the module docs for the keys).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamsSpec {
    /// Model id, recorded with the outputs.
    pub id: String,
    /// Model version, recorded with the outputs.
    pub version: String,
    /// The built-in operator that reads this file: `"geohazard_susceptibility"` (not
    /// a weighted overlay; DESIGN.md §5).
    #[serde(default)]
    pub operator: Option<String>,
    /// Human-readable name.
    pub name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// `iv`, `fr`, `cf`, `lr` or `expert`.
    pub method: Method,
    /// The predictor of `lr`: `iv` (default) or `fr`.
    #[serde(default)]
    pub lr_predictors: Option<LrPredictors>,
    /// Hidden-danger types of the inventory that train the model (see [`HAZARD_TYPES`]).
    pub hazard_types: Vec<String>,
    /// References to the methods' sources (at least one).
    pub sources: Vec<String>,
    /// `[sampling]`.
    pub sampling: SamplingSpec,
    /// `[cross_validation]`: the spatially blocked k-fold cross-validation (none
    /// when absent).
    #[serde(default)]
    pub cross_validation: Option<CvSpec>,
    /// `[[factors]]`, in column order.
    pub factors: Vec<FactorSpec>,
    /// `[expert]`: an AHP matrix over the factors, in file order.
    pub expert: Option<AhpSpec>,
    /// `[trigger]`: rainfall modulation of the hazard.
    pub trigger: Option<TriggerSpec>,
    /// `[threat]`: threat zones and monitoring capacity of hidden-danger points.
    pub threat: Option<ThreatSpec>,
    /// `[classification]`: how the four levels are drawn.
    pub classification: ClassificationSpec,
}

/// `[threat]`: the threat zone radius by scale and the monitoring capacity
/// (`super::threat`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ThreatSpec {
    /// Radius in metres per `scale` code (small, medium, large, huge).
    pub radius_m: ScaleRadii,
    /// Radius in metres of a point without a scale.
    pub default_radius_m: f64,
    /// Capacity index in [0, 1] per `monitoring` code.
    pub monitoring: MonitoringCapacity,
    /// Capacity of a point whose monitoring is not recorded.
    pub default_monitoring: String,
    /// Free text.
    pub description: Option<String>,
}

/// Threat-zone radius (metres) per `scale` code; must not decrease from small to huge.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScaleRadii {
    /// `small` (小型).
    pub small: f64,
    /// `medium` (中型).
    pub medium: f64,
    /// `large` (大型).
    pub large: f64,
    /// `huge` (特大型).
    pub huge: f64,
}

/// Monitoring capacity in [0, 1] per `monitoring` code; professional ≥ mass ≥ none.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MonitoringCapacity {
    /// Professional (instrumented) monitoring.
    pub professional: f64,
    /// Mass monitoring (群测群防).
    pub mass: f64,
    /// No monitoring.
    pub none: f64,
}

impl ThreatSpec {
    /// The radius of a `scale` code of the census schema (`small` … `huge`); `None`
    /// for an unknown code.
    pub fn radius(&self, scale: Option<&str>) -> Option<f64> {
        Some(match scale {
            None | Some("") => self.default_radius_m,
            Some("small") => self.radius_m.small,
            Some("medium") => self.radius_m.medium,
            Some("large") => self.radius_m.large,
            Some("huge") => self.radius_m.huge,
            Some(_) => return None,
        })
    }

    /// The capacity of a `monitoring` code of the census schema (`professional`,
    /// `mass`, `none`; missing → `default_monitoring`); `None` for an unknown code.
    pub fn capacity(&self, monitoring: Option<&str>) -> Option<f64> {
        let code = match monitoring {
            None | Some("") => self.default_monitoring.as_str(),
            Some(c) => c,
        };
        Some(match code {
            "professional" => self.monitoring.professional,
            "mass" => self.monitoring.mass,
            "none" => self.monitoring.none,
            _ => return None,
        })
    }
}

/// `[sampling]`: validated into [`SamplingRule`] and `min_hazard_cells`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingSpec {
    /// Seed of the sample draw and the train/test split, recorded in the report.
    pub seed: u64,
    /// Non-hazard cells per hazard cell; > 0.
    pub negative_ratio: f64,
    /// No non-hazard cell within this distance (metres) of an inventory point; ≥ 0.
    pub buffer_m: f64,
    /// Stratified hold-out share for ROC/AUC and the prediction rate, in [0, 1).
    pub test_fraction: f64,
    /// Fewest hazard cells a statistical method trains on (≥ 2).
    pub min_hazard_cells: usize,
}

/// `[cross_validation]`: validated into [`CvRule`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CvSpec {
    /// `"blocks"`, `"townships"` or `"none"`.
    pub by: String,
    /// Side of the square blocks, metres (> 0; `by = "blocks"` only).
    pub block_m: Option<f64>,
    /// Number of folds k (≥ 2).
    pub folds: usize,
    /// Seed of the fold assignment (ChaCha8), recorded in the report.
    pub seed: u64,
    /// Free text.
    pub description: Option<String>,
}

/// A `[[factors]]` entry: exactly one of `bounds` and `codes`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorSpec {
    /// Factor id, unique.
    pub id: String,
    /// Layer id in the census layer stack.
    pub layer: String,
    /// Unit of the layer; must equal the stack's.
    pub unit: String,
    /// K − 1 ascending class limits of a continuous factor.
    pub bounds: Option<Vec<f64>>,
    /// Class codes of a categorical factor.
    pub codes: Option<Vec<i64>>,
    /// Expert score per class in [0, 1] (method `expert` only).
    pub expert: Option<Vec<f64>>,
    /// Free text.
    pub description: Option<String>,
}

/// `[trigger]`: hazard = S_n · (base + (1 − base) · T), T = clamp((R − x0)/(x1 − x0), 0, 1)
/// for the rainfall R of `layer`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TriggerSpec {
    /// Layer id of the trigger rainfall.
    pub layer: String,
    /// Unit of the layer (`mm`).
    pub unit: String,
    /// Rainfall at which T = 0; finite, ≠ `x1`.
    pub x0: f64,
    /// Rainfall at which T = 1; finite.
    pub x1: f64,
    /// Share of the susceptibility kept where T = 0, in [0, 1].
    pub base: f64,
    /// Free text.
    pub description: Option<String>,
}

/// `[classification]`: validated into [`LevelRule`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassificationSpec {
    /// `"natural_breaks"` or `"fixed_breaks"`.
    pub method: String,
    /// Three ascending breaks in [0, 1], with `fixed_breaks` only.
    pub breaks: Option<Vec<f64>>,
    /// Id of the level scheme of the four levels (a `levels.toml` scheme; default
    /// `geohazard4`).
    pub scheme: Option<String>,
}

/// A validated factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Factor id.
    pub id: String,
    /// Layer id in the census layer stack.
    pub layer: String,
    /// Unit of the layer.
    pub unit: String,
    /// Raw value → class index 1..=K.
    pub classifier: Classifier,
    /// Expert score per class in [0, 1] (required for the expert method).
    pub expert: Option<Vec<f64>>,
}

/// How the four levels are drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum LevelRule {
    /// Exact Fisher–Jenks natural breaks of the normalised index over the full
    /// population (drawn by the engine with `riskcensus_zoning`).
    NaturalBreaks,
    /// Three ascending inner upper bounds on the normalised index in [0, 1] (a value
    /// equal to a bound stays in the lower level, as `riskcensus_zoning::Breaks`).
    FixedBreaks {
        /// b_1 < b_2 < b_3 in [0, 1].
        breaks: Vec<f64>,
    },
}

/// Validated parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeohazardParams {
    /// Model id, recorded with the outputs.
    pub id: String,
    /// Model version, recorded with the outputs.
    pub version: String,
    /// The statistical or expert method.
    pub method: Method,
    /// The predictor of logistic regression (`lr`).
    pub lr_predictors: LrPredictors,
    /// Hidden-danger types that train the model.
    pub hazard_types: Vec<String>,
    /// References to the methods' sources.
    pub sources: Vec<String>,
    /// How samples are drawn and split.
    pub sampling: SamplingRule,
    /// Fewest hazard cells a statistical method trains on.
    pub min_hazard_cells: usize,
    /// The spatially blocked cross-validation (`by = none` without the section).
    pub cross_validation: CvRule,
    /// Factors in column order.
    pub factors: Vec<Factor>,
    /// AHP over the factors (weights in factor order), when given.
    pub expert: Option<Ahp>,
    /// Rainfall modulation of the hazard, if any (hazard is not drawn without it).
    pub trigger: Option<TriggerSpec>,
    /// Threat zones and monitoring capacity, if given.
    pub threat: Option<ThreatSpec>,
    /// How the four levels are drawn.
    pub levels: LevelRule,
    /// Id of the level scheme of the susceptibility and hazard levels.
    pub level_scheme: String,
}

impl GeohazardParams {
    /// Read and check a parameter file.
    pub fn read(path: &Path) -> Result<Self, GeohazardError> {
        let text = std::fs::read_to_string(path).map_err(|e| GeohazardError::Params {
            file: path.to_path_buf(),
            key: "-".into(),
            msg: format!("cannot read: {e}"),
        })?;
        Self::from_toml(&text, path)
    }

    /// Parse and check parameter text (`origin` names the file in errors).
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, GeohazardError> {
        let file = origin.as_ref().to_path_buf();
        let spec: ParamsSpec = toml::from_str(text).map_err(|e| GeohazardError::Params {
            file: file.clone(),
            key: "-".into(),
            msg: e.to_string().trim_end().to_string(),
        })?;
        check(spec, file)
    }

    /// Factor ids in order.
    pub fn factor_ids(&self) -> Vec<String> {
        self.factors.iter().map(|f| f.id.clone()).collect()
    }

    /// Classes per factor.
    pub fn classes(&self) -> Vec<usize> {
        self.factors
            .iter()
            .map(|f| f.classifier.classes())
            .collect()
    }
}

/// Check a parsed parameter file section by section; the first problem is an
/// error naming the file and key.
fn check(s: ParamsSpec, file: PathBuf) -> Result<GeohazardParams, GeohazardError> {
    let c = Checker { file };
    c.header(&s)?;
    c.sampling(&s.sampling)?;
    let factors = c.factors(&s.factors)?;
    let expert = c.expert(s.expert.as_ref(), &factors)?;
    if s.method == Method::Expert {
        c.expert_method(expert.as_ref(), &factors)?;
    }
    if let Some(t) = &s.trigger {
        c.trigger(t)?;
    }
    if let Some(t) = &s.threat {
        c.threat(t)?;
    }
    let levels = c.levels(&s.classification)?;
    let cross_validation = c.cross_validation(s.cross_validation.as_ref())?;
    let sp = &s.sampling;
    Ok(GeohazardParams {
        id: s.id,
        version: s.version,
        method: s.method,
        lr_predictors: s.lr_predictors.unwrap_or_default(),
        hazard_types: s.hazard_types,
        sources: s.sources,
        sampling: SamplingRule {
            seed: sp.seed,
            negative_ratio: sp.negative_ratio,
            buffer_m: sp.buffer_m,
            test_fraction: sp.test_fraction,
        },
        min_hazard_cells: sp.min_hazard_cells,
        cross_validation,
        factors,
        expert,
        trigger: s.trigger,
        threat: s.threat,
        levels,
        level_scheme: s
            .classification
            .scheme
            .clone()
            .unwrap_or_else(|| "geohazard4".into()),
    })
}

/// The checks of one parameter file.
struct Checker {
    file: PathBuf,
}

impl Checker {
    fn err(&self, key: &str, msg: String) -> GeohazardError {
        GeohazardError::Params {
            file: self.file.clone(),
            key: key.into(),
            msg,
        }
    }

    /// Sources cited, hazard types named and known.
    fn header(&self, s: &ParamsSpec) -> Result<(), GeohazardError> {
        if s.sources.is_empty() {
            return Err(self.err("sources", "cite at least one source".into()));
        }
        if s.hazard_types.is_empty() {
            return Err(self.err(
                "hazard_types",
                "name at least one hidden-danger type".into(),
            ));
        }
        for t in &s.hazard_types {
            if !HAZARD_TYPES.contains(&t.as_str()) {
                return Err(self.err(
                    "hazard_types",
                    format!(
                        "unknown hazard type {t:?}; known: {}",
                        HAZARD_TYPES.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `[sampling]`: ratio > 0, buffer ≥ 0 m, test fraction in [0, 1), at least 2
    /// hazard cells.
    fn sampling(&self, sp: &SamplingSpec) -> Result<(), GeohazardError> {
        if !(sp.negative_ratio > 0.0 && sp.negative_ratio.is_finite()) {
            return Err(self.err("sampling.negative_ratio", "must be > 0".into()));
        }
        if !(sp.buffer_m >= 0.0 && sp.buffer_m.is_finite()) {
            return Err(self.err("sampling.buffer_m", "must be ≥ 0 metres".into()));
        }
        if !(0.0..1.0).contains(&sp.test_fraction) {
            return Err(self.err("sampling.test_fraction", "must be in [0, 1)".into()));
        }
        if sp.min_hazard_cells < 2 {
            return Err(self.err("sampling.min_hazard_cells", "must be at least 2".into()));
        }
        Ok(())
    }

    /// `[cross_validation]`: a known `by`, `block_m` > 0 with blocks only, at least
    /// two folds; no section → no cross-validation.
    fn cross_validation(&self, c: Option<&CvSpec>) -> Result<CvRule, GeohazardError> {
        let Some(c) = c else {
            return Ok(CvRule::none());
        };
        let by = match (c.by.as_str(), c.block_m) {
            ("blocks", Some(m)) if m.is_finite() && m > 0.0 => CvBy::Blocks { size_m: m },
            ("blocks", _) => {
                return Err(self.err(
                    "cross_validation.block_m",
                    "by = \"blocks\" needs block_m, the block side in metres (> 0)".into(),
                ))
            }
            ("townships" | "none", Some(_)) => {
                return Err(self.err(
                    "cross_validation.block_m",
                    format!("block_m applies to by = \"blocks\" only, not {:?}", c.by),
                ))
            }
            ("townships", None) => CvBy::Townships,
            ("none", None) => CvBy::None,
            (other, _) => {
                return Err(self.err(
                    "cross_validation.by",
                    format!("{other:?}: use \"blocks\", \"townships\" or \"none\""),
                ))
            }
        };
        if c.folds < 2 {
            return Err(self.err(
                "cross_validation.folds",
                "k-fold cross-validation needs at least 2 folds".into(),
            ));
        }
        Ok(CvRule {
            by,
            folds: c.folds,
            seed: c.seed,
        })
    }

    /// `[[factors]]`: at least one, unique ids, exactly one of bounds or codes, a
    /// valid classifier, expert scores in [0, 1], one per class.
    fn factors(&self, specs: &[FactorSpec]) -> Result<Vec<Factor>, GeohazardError> {
        if specs.is_empty() {
            return Err(self.err("factors", "at least one factor".into()));
        }
        let mut factors = Vec::new();
        for (i, f) in specs.iter().enumerate() {
            let key = format!("factors[{i}]");
            if factors.iter().any(|g: &Factor| g.id == f.id) {
                return Err(self.err(&key, format!("duplicate factor id {:?}", f.id)));
            }
            let classifier = match (&f.bounds, &f.codes) {
                (Some(b), None) => Classifier::Bounds { bounds: b.clone() },
                (None, Some(c)) => Classifier::Codes { codes: c.clone() },
                _ => return Err(self.err(&key, "give exactly one of `bounds` or `codes`".into())),
            };
            classifier.check().map_err(|m| self.err(&key, m))?;
            if let Some(e) = &f.expert {
                if e.len() != classifier.classes() {
                    return Err(self.err(
                        &format!("{key}.expert"),
                        format!("{} scores for {} classes", e.len(), classifier.classes()),
                    ));
                }
                if e.iter().any(|v| !(0.0..=1.0).contains(v)) {
                    return Err(
                        self.err(&format!("{key}.expert"), "scores must be in [0, 1]".into())
                    );
                }
            }
            factors.push(Factor {
                id: f.id.clone(),
                layer: f.layer.clone(),
                unit: f.unit.clone(),
                classifier,
                expert: f.expert.clone(),
            });
        }
        Ok(factors)
    }

    /// `[expert]`: the AHP matrix over the factors in file order, consistent
    /// (CR < 0.1).
    fn expert(
        &self,
        a: Option<&AhpSpec>,
        factors: &[Factor],
    ) -> Result<Option<Ahp>, GeohazardError> {
        let Some(a) = a else {
            return Ok(None);
        };
        let ids: Vec<String> = factors.iter().map(|f| f.id.clone()).collect();
        if a.factors != ids {
            return Err(self.err(
                "expert.factors",
                format!("must list the factors in file order: {ids:?}"),
            ));
        }
        let m: Option<Vec<Vec<f64>>> = a
            .matrix
            .iter()
            .map(|r| r.iter().map(|e| e.value()).collect())
            .collect();
        let m = m.ok_or_else(|| {
            self.err("expert.matrix", "entries must be numbers or \"p/q\"".into())
        })?;
        let r = ahp::analyse(&m).map_err(|e| self.err("expert.matrix", e.to_string()))?;
        if r.cr >= CR_LIMIT {
            return Err(self.err(
                "expert.matrix",
                format!(
                    "AHP matrix is inconsistent: CR = {:.4} ≥ 0.1 (λmax = {:.4}); revise the judgements",
                    r.cr, r.lambda_max
                ),
            ));
        }
        Ok(Some(r))
    }

    /// Method `expert` needs the AHP matrix and class scores for every factor.
    fn expert_method(
        &self,
        expert: Option<&Ahp>,
        factors: &[Factor],
    ) -> Result<(), GeohazardError> {
        if expert.is_none() {
            return Err(self.err(
                "expert",
                "method `expert` needs an [expert] AHP matrix".into(),
            ));
        }
        if let Some(i) = factors.iter().position(|f| f.expert.is_none()) {
            return Err(self.err(
                &format!("factors[{i}].expert"),
                "method `expert` needs expert class scores for every factor".into(),
            ));
        }
        Ok(())
    }

    /// `[trigger]`: finite, distinct x0 and x1; base in [0, 1].
    fn trigger(&self, t: &TriggerSpec) -> Result<(), GeohazardError> {
        if !(t.x0.is_finite() && t.x1.is_finite() && t.x0 != t.x1) {
            return Err(self.err("trigger", "x0 and x1 must be finite and differ".into()));
        }
        if !(0.0..=1.0).contains(&t.base) {
            return Err(self.err("trigger.base", "must be in [0, 1]".into()));
        }
        Ok(())
    }

    /// `[threat]`: radii finite, ≥ 0 and not decreasing with scale; capacities in
    /// [0, 1] ranking professional ≥ mass ≥ none; a known default monitoring code.
    fn threat(&self, t: &ThreatSpec) -> Result<(), GeohazardError> {
        let r = &t.radius_m;
        let radii = [r.small, r.medium, r.large, r.huge];
        if radii
            .iter()
            .chain([&t.default_radius_m])
            .any(|v| !(v.is_finite() && *v >= 0.0))
        {
            return Err(self.err(
                "threat.radius_m",
                "radii must be finite and ≥ 0 metres".into(),
            ));
        }
        if radii.windows(2).any(|w| w[0] > w[1]) {
            return Err(self.err(
                "threat.radius_m",
                "radii must not decrease from small to huge".into(),
            ));
        }
        let m = &t.monitoring;
        if [m.professional, m.mass, m.none]
            .iter()
            .any(|v| !(0.0..=1.0).contains(v))
        {
            return Err(self.err("threat.monitoring", "capacities must be in [0, 1]".into()));
        }
        if !(m.professional >= m.mass && m.mass >= m.none) {
            return Err(self.err(
                "threat.monitoring",
                "capacities must rank professional ≥ mass ≥ none".into(),
            ));
        }
        if !["professional", "mass", "none"].contains(&t.default_monitoring.as_str()) {
            return Err(self.err(
                "threat.default_monitoring",
                format!("{:?}: use professional, mass or none", t.default_monitoring),
            ));
        }
        Ok(())
    }

    /// `[classification]`: natural breaks, or three strictly ascending fixed breaks
    /// in [0, 1].
    fn levels(&self, c: &ClassificationSpec) -> Result<LevelRule, GeohazardError> {
        match (c.method.as_str(), &c.breaks) {
            ("natural_breaks", None) => Ok(LevelRule::NaturalBreaks),
            ("fixed_breaks", Some(b)) => {
                if b.len() != 3
                    || b.windows(2).any(|w| w[0] >= w[1])
                    || b.iter().any(|v| !(0.0..=1.0).contains(v))
                {
                    return Err(self.err(
                        "classification.breaks",
                        "four levels need three strictly ascending breaks in [0, 1]".into(),
                    ));
                }
                Ok(LevelRule::FixedBreaks { breaks: b.clone() })
            }
            (m, _) => Err(self.err(
                "classification",
                format!("method {m:?}: use \"natural_breaks\" (no breaks) or \"fixed_breaks\" with three breaks"),
            )),
        }
    }
}
