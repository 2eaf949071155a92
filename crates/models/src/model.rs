//! The validated model: what [`ModelSpec::check`] returns and the only thing kernels
//! accept (the unchecked → `check()` → validated pattern of linfa's `param_guard`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::ahp::{self, Ahp, CR_LIMIT};
use crate::classify::Classification;
use crate::error::{ModelError, Problem};
use crate::locate::{dotted, Locator, Step};
use crate::spec::*;
use crate::transform::{LookupClass, Nodata, Transform, Unknown};
use crate::vocabulary::Vocabulary;
use riskcensus_core::Measure;

/// Default mitigation effectiveness α in R = H·E·V·(1 − α·C).
///
/// C is a relative index (1 = the best-equipped cell of the county), not a guarantee
/// that losses vanish, so the default lets full capacity halve the risk; α = 1 gives
/// the common R = H·E·V·(1 − C) form and α = 0 ignores capacity. This is a stated
/// convention of RiskCensus, not a published constant: set `alpha` in the model file.
pub const DEFAULT_ALPHA: f64 = 0.5;

/// Tolerance for direct weights summing to 1.
pub const WEIGHT_SUM_TOL: f64 = 1e-6;

/// A declared input layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// Layer id in the census layer stack.
    pub id: String,
    /// Unit of the layer values as the file states it (`m`, `mm`, `deg`, `index`, …).
    pub unit: String,
    /// Free text from the model file.
    pub description: Option<String>,
}

/// A validated factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Factor id, unique in the model (the key of `weights.direct` and the AHP matrix).
    pub id: String,
    /// Input layer id.
    pub input: String,
    /// Position of the input in [`Model::inputs`] (the order of the scorer's slices).
    pub input_index: usize,
    /// Unit of the input values the transform reads.
    pub unit: String,
    /// Raw value → score in [0, 1] (see [`crate::transform`]).
    pub transform: Transform,
    /// What a NaN input scores.
    pub nodata: Nodata,
    /// Free text from the model file.
    pub description: Option<String>,
}

/// How factor scores s_i (in [`Model::factors`] order) combine, per cell, in f32.
/// The formulas fix the order of operations (left to right over the factors).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Aggregation {
    /// Weighted linear combination (WLC; Malczewski 1999, Voogd 1983):
    /// r = w_0·s_0 + w_1·s_1 + … (sum taken left to right).
    WeightedSum {
        /// w_i > 0, one per factor in [`Model::factors`] order, summing to 1 (direct weights
        /// within [`WEIGHT_SUM_TOL`]).
        weights: Vec<f64>,
    },
    /// Weighted product (multiplicative model, Malczewski 1999):
    /// r = s_0^{w_0} · s_1^{w_1} · … (product taken left to right).
    WeightedProduct {
        /// w_i > 0, one per factor in [`Model::factors`] order, summing to 1 (direct weights
        /// within [`WEIGHT_SUM_TOL`]).
        weights: Vec<f64>,
    },
    /// r = max_i s_i (NaN if any propagating factor is NaN).
    Max,
    /// Risk composition R = H·E·V·(1 − α·C), evaluated as ((H·E)·V)·(1 − α·C);
    /// without a capacity factor R = (H·E)·V. The factors are ordered H, E, V[, C].
    Risk {
        /// Mitigation effectiveness α in [0, 1] ([`DEFAULT_ALPHA`] unless the file sets
        /// it).
        alpha: f64,
        /// True when a capacity factor C is the fourth factor.
        capacity: bool,
    },
}

impl Aggregation {
    /// The weights of a weighted sum or product, `None` for `Max` and `Risk`.
    pub fn weights(&self) -> Option<&[f64]> {
        match self {
            Aggregation::WeightedSum { weights } | Aggregation::WeightedProduct { weights } => {
                Some(weights)
            }
            _ => None,
        }
    }
}

/// Where the weights came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Weighting {
    /// The aggregation takes no weights (`max`, `risk`).
    None,
    /// Weights given in `[weights.direct]`.
    Direct,
    /// Weights derived from `[weights.ahp]` by Saaty's eigenvector method.
    Ahp {
        /// Factor ids in matrix order.
        factors: Vec<String>,
        /// The pairwise comparison matrix as given.
        matrix: Vec<Vec<f64>>,
        /// Weights, λmax, CI and CR (CR < [`crate::ahp::CR_LIMIT`]).
        result: Ahp,
    },
}

/// A validated model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    id: String,
    version: String,
    name: Option<String>,
    hazard: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    description: Option<String>,
    sources: Vec<String>,
    inputs: Vec<Input>,
    factors: Vec<Factor>,
    aggregation: Aggregation,
    weighting: Weighting,
    classification: Option<Classification>,
    #[serde(skip)]
    origin: PathBuf,
}

impl Model {
    /// Read, parse and validate a model file.
    pub fn load(path: impl AsRef<Path>) -> Result<Model, ModelError> {
        ModelSpec::read(path)?.check()
    }

    /// Parse and validate model text; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Model, ModelError> {
        ModelSpec::parse(text, origin)?.check()
    }

    /// The same risk model with the mitigation effectiveness α set to `alpha` (for a
    /// sensitivity table); `None` for a model that is not a risk composition with a
    /// capacity factor, or an `alpha` outside \[0, 1\].
    pub fn with_alpha(&self, alpha: f64) -> Option<Model> {
        match self.aggregation {
            Aggregation::Risk { capacity: true, .. } if (0.0..=1.0).contains(&alpha) => {
                let mut m = self.clone();
                m.aggregation = Aggregation::Risk {
                    alpha,
                    capacity: true,
                };
                Some(m)
            }
            _ => None,
        }
    }

    /// Model id from the file, as recorded in the manifest.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Model version from the file, as recorded in the manifest.
    pub fn version(&self) -> &str {
        &self.version
    }
    /// Human-readable name, if the file gives one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// The hazard the model scores, if the file declares one (none for exposure or
    /// capacity indices).
    pub fn hazard(&self) -> Option<&str> {
        self.hazard.as_deref()
    }
    /// The output layer id the file declares, if any.
    pub fn output(&self) -> Option<&str> {
        self.output.as_deref()
    }
    /// References to the method's sources, as listed in the file.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }
    /// Input layers, sorted by id: the order of the slices handed to the scorer.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }
    /// Factors in evaluation order.
    pub fn factors(&self) -> &[Factor] {
        &self.factors
    }
    /// How factor scores combine per cell.
    pub fn aggregation(&self) -> &Aggregation {
        &self.aggregation
    }
    /// Where the weights came from (direct or AHP, with the AHP result).
    pub fn weighting(&self) -> &Weighting {
        &self.weighting
    }
    /// The classification into level codes, if the file has a `[classification]`.
    pub fn classification(&self) -> Option<&Classification> {
        self.classification.as_ref()
    }
    /// The file the model was read from.
    pub fn origin(&self) -> &Path {
        &self.origin
    }

    /// The canonical serialisation hashed by [`Model::param_hash`]: compact JSON of
    /// the validated model (fields in declaration order, maps sorted, numbers in
    /// shortest round-trip form). The file path is not part of it.
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("a validated model serialises")
    }

    /// SHA-256 (hex) of [`Model::canonical_json`]: the parameter hash recorded in
    /// output provenance. Comments, key order and spelling of numbers in the file do
    /// not change it; any change of a parameter does.
    pub fn param_hash(&self) -> String {
        hex::encode(Sha256::digest(self.canonical_json().as_bytes()))
    }

    /// Check the model against the census layer stack, given as `(layer id, unit)`:
    /// every input must be present with the same unit. Reports all problems.
    pub fn check_stack<'a>(
        &self,
        layers: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), ModelError> {
        let have: BTreeMap<&str, &str> = layers.into_iter().collect();
        let mut problems = Vec::new();
        for i in &self.inputs {
            match have.get(i.id.as_str()) {
                None => problems.push(format!("input layer `{}` is not in the layer stack", i.id)),
                Some(u) if *u != i.unit => problems.push(format!(
                    "input layer `{}` is in `{u}` in the layer stack but the model declares `{}`",
                    i.id, i.unit
                )),
                _ => {}
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ModelError::Stack {
                model: self.id.clone(),
                problems,
            })
        }
    }
}

fn k(s: &str) -> Step {
    Step::Key(s.to_string())
}

struct Checker {
    loc: Locator,
    problems: Vec<Problem>,
}

impl Checker {
    fn err(&mut self, path: &[Step], msg: impl Into<String>) {
        self.problems.push(Problem {
            line: self.loc.line(path),
            key: dotted(path),
            msg: msg.into(),
        });
    }

    fn score(&mut self, path: &[Step], v: f64) {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            self.err(path, format!("score {v} must be in [0, 1]"));
        }
    }

    fn finite(&mut self, path: &[Step], v: f64) -> bool {
        if v.is_finite() {
            true
        } else {
            self.err(path, format!("{v} is not a finite number"));
            false
        }
    }

    fn transform(&mut self, base: &[Step], t: &TransformSpec) -> Transform {
        let p = |name: &str| {
            let mut v = base.to_vec();
            v.push(k(name));
            v
        };
        match t {
            TransformSpec::Identity => Transform::Identity,
            TransformSpec::Ramp { x0, x1 } => {
                if self.finite(&p("x0"), *x0) && self.finite(&p("x1"), *x1) {
                    let r = (1.0 / (x1 - x0)) as f32;
                    if !(r.is_finite() && r != 0.0) {
                        self.err(
                            &p("x1"),
                            format!("ramp needs x0 ≠ x1 (x0 = {x0}, x1 = {x1})"),
                        );
                    }
                }
                Transform::Ramp { x0: *x0, x1: *x1 }
            }
            TransformSpec::FuzzyLarge { midpoint, spread }
            | TransformSpec::FuzzySmall { midpoint, spread } => {
                if !(midpoint.is_finite() && *midpoint > 0.0) {
                    self.err(
                        &p("midpoint"),
                        format!("midpoint {midpoint} must be finite and > 0"),
                    );
                }
                if !(spread.is_finite() && *spread > 0.0) {
                    self.err(
                        &p("spread"),
                        format!("spread {spread} must be finite and > 0"),
                    );
                }
                let (midpoint, spread) = (*midpoint, *spread);
                if matches!(t, TransformSpec::FuzzyLarge { .. }) {
                    Transform::FuzzyLarge { midpoint, spread }
                } else {
                    Transform::FuzzySmall { midpoint, spread }
                }
            }
            TransformSpec::FuzzyGaussian { midpoint, spread } => {
                self.finite(&p("midpoint"), *midpoint);
                if !(spread.is_finite() && *spread > 0.0) {
                    self.err(
                        &p("spread"),
                        format!("spread {spread} must be finite and > 0"),
                    );
                }
                Transform::FuzzyGaussian {
                    midpoint: *midpoint,
                    spread: *spread,
                }
            }
            TransformSpec::Sigmoid { midpoint, slope } => {
                self.finite(&p("midpoint"), *midpoint);
                if !(slope.is_finite() && *slope != 0.0) {
                    self.err(&p("slope"), format!("slope {slope} must be finite and ≠ 0"));
                }
                Transform::Sigmoid {
                    midpoint: *midpoint,
                    slope: *slope,
                }
            }
            TransformSpec::Piecewise { points } => {
                let mut out = Vec::new();
                if points.len() < 2 {
                    self.err(
                        &p("points"),
                        "a piecewise table needs at least 2 points [x, y]",
                    );
                }
                for (i, pt) in points.iter().enumerate() {
                    let mut path = p("points");
                    path.push(Step::Index(i));
                    if pt.len() != 2 {
                        self.err(
                            &path,
                            format!("a point is [x, y], got {} numbers", pt.len()),
                        );
                        continue;
                    }
                    self.finite(&path, pt[0]);
                    self.score(&path, pt[1]);
                    if let Some(&(px, _)) = out.last() {
                        if pt[0] as f32 <= px as f32 {
                            self.err(
                                &path,
                                format!("x = {} must be greater than the previous x = {px}", pt[0]),
                            );
                        }
                    }
                    out.push((pt[0], pt[1]));
                }
                Transform::Piecewise { points: out }
            }
            TransformSpec::Lookup { classes, unknown } => {
                let mut seen = BTreeSet::new();
                let mut out = Vec::new();
                if classes.is_empty() {
                    self.err(&p("classes"), "a lookup needs at least one class");
                }
                for (i, c) in classes.iter().enumerate() {
                    let mut path = p("classes");
                    path.push(Step::Index(i));
                    if !(0..=u16::MAX as i64).contains(&c.code) {
                        let mut q = path.clone();
                        q.push(k("code"));
                        self.err(&q, format!("class code {} must be in 0..=65535", c.code));
                        continue;
                    }
                    if !seen.insert(c.code) {
                        let mut q = path.clone();
                        q.push(k("code"));
                        self.err(&q, format!("class code {} is listed twice", c.code));
                    }
                    let mut q = path.clone();
                    q.push(k("score"));
                    self.score(&q, c.score);
                    out.push(LookupClass {
                        code: c.code as u16,
                        name: c.name.clone(),
                        score: c.score,
                    });
                }
                let unknown = match unknown {
                    UnknownSpec::Error => Unknown::Error,
                    UnknownSpec::Nodata => Unknown::Nodata,
                    UnknownSpec::Default(v) => {
                        self.score(&p("unknown"), *v);
                        Unknown::Default(*v)
                    }
                };
                Transform::Lookup {
                    classes: out,
                    unknown,
                }
            }
            TransformSpec::Log { max } => {
                if !(max.is_finite() && *max > 0.0) {
                    self.err(&p("max"), format!("max {max} must be finite and > 0"));
                }
                Transform::Log { max: *max }
            }
        }
    }
}

impl ModelSpec {
    /// Validate everything and build the [`Model`] against the shipped hazards and
    /// level schemes ([`Vocabulary::shipped`]); all problems are reported at once,
    /// each with its line and dotted key.
    pub fn check(&self) -> Result<Model, ModelError> {
        self.check_with(Vocabulary::shipped())
    }

    /// [`ModelSpec::check`] against the hazards and level schemes of a library
    /// (a census may declare its own): `hazard` must name a declared hazard and
    /// `classification.scheme` a declared scheme with as many levels as classes. A
    /// hazard index (a model of a single hazard that is not a risk composition) never
    /// gets a scheme measuring risk, and a risk composition or the combined risk only
    /// a scheme measuring risk.
    pub fn check_with(&self, vocabulary: &Vocabulary) -> Result<Model, ModelError> {
        let mut c = Checker {
            loc: Locator::new(&self.text),
            problems: Vec::new(),
        };
        if let Err(e) = riskcensus_core::names::check_id("id", &self.id) {
            c.err(&[k("id")], e.to_string());
        }
        if let Some(o) = &self.output {
            if let Err(e) = riskcensus_core::names::check_id("output", o) {
                c.err(&[k("output")], e.to_string());
            }
        }
        if self.version.trim().is_empty() {
            c.err(&[k("version")], "version must not be empty");
        }
        if self.sources.iter().all(|s| s.trim().is_empty()) {
            c.err(&[k("sources")], "cite at least one source of the method");
        }

        // Inputs, sorted by id (BTreeMap order).
        if self.inputs.is_empty() {
            c.err(&[k("inputs")], "declare at least one input layer");
        }
        let inputs: Vec<Input> = self
            .inputs
            .iter()
            .map(|(id, s)| {
                if s.unit.trim().is_empty() {
                    c.err(&[k("inputs"), k(id), k("unit")], "unit must not be empty");
                }
                Input {
                    id: id.clone(),
                    unit: s.unit.clone(),
                    description: s.description.clone(),
                }
            })
            .collect();
        let input_index: BTreeMap<&str, usize> = inputs
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();

        // Factors.
        if self.factors.is_empty() {
            c.err(&[k("factors")], "declare at least one factor");
        }
        let mut factors = Vec::new();
        let mut ids = BTreeSet::new();
        let mut used = BTreeSet::new();
        for (i, f) in self.factors.iter().enumerate() {
            let base = vec![k("factors"), Step::Index(i)];
            let at = |name: &str| {
                let mut v = base.clone();
                v.push(k(name));
                v
            };
            if !ids.insert(f.id.as_str()) {
                c.err(&at("id"), format!("factor id `{}` is used twice", f.id));
            }
            let idx = match input_index.get(f.input.as_str()) {
                Some(&j) => {
                    used.insert(f.input.as_str());
                    if inputs[j].unit != f.unit {
                        c.err(
                            &at("unit"),
                            format!(
                                "factor `{}` is written in `{}` but input `{}` is declared in `{}`",
                                f.id, f.unit, f.input, inputs[j].unit
                            ),
                        );
                    }
                    j
                }
                None => {
                    c.err(
                        &at("input"),
                        format!(
                            "factor `{}` reads input `{}`, which [inputs] does not declare",
                            f.id, f.input
                        ),
                    );
                    usize::MAX
                }
            };
            let transform = c.transform(&at("transform"), &f.transform);
            let nodata = match f.nodata {
                None | Some(NodataSpec::Propagate) => Nodata::Propagate,
                Some(NodataSpec::Value(v)) => {
                    c.score(&at("nodata"), v);
                    Nodata::Value(v)
                }
            };
            factors.push(Factor {
                id: f.id.clone(),
                input: f.input.clone(),
                input_index: idx,
                unit: f.unit.clone(),
                transform,
                nodata,
                description: f.description.clone(),
            });
        }
        for x in &inputs {
            if !used.contains(x.id.as_str()) {
                c.err(
                    &[k("inputs"), k(&x.id)],
                    format!("input `{}` is declared but no factor reads it", x.id),
                );
            }
        }

        // Weights and aggregation.
        let fids: Vec<&str> = self.factors.iter().map(|f| f.id.as_str()).collect();
        let mut weighting = Weighting::None;
        let mut weights = Vec::new();
        let needs_weights = matches!(
            self.aggregation,
            AggregationSpec::WeightedSum | AggregationSpec::WeightedProduct
        );
        match (&self.weights, needs_weights) {
            (None, true) => c.err(
                &[k("weights")],
                "weighted aggregation needs [weights.direct] or [weights.ahp]",
            ),
            (Some(_), false) => c.err(
                &[k("weights")],
                format!("aggregation `{:?}` takes no weights", self.aggregation).to_lowercase(),
            ),
            (Some(WeightsSpec::Direct(map)), true) => {
                let base = [k("weights"), k("direct")];
                let mut ok = true;
                for id in map.keys() {
                    if !fids.contains(&id.as_str()) {
                        c.err(
                            &[k("weights"), k("direct"), k(id)],
                            format!("`{id}` is not a factor"),
                        );
                        ok = false;
                    }
                }
                for id in &fids {
                    match map.get(*id) {
                        None => {
                            c.err(&base, format!("no weight for factor `{id}`"));
                            ok = false;
                        }
                        Some(&w) if !(w.is_finite() && w > 0.0) => {
                            c.err(
                                &[k("weights"), k("direct"), k(id)],
                                format!("weight {w} must be finite and > 0"),
                            );
                            ok = false;
                        }
                        Some(&w) => weights.push(w),
                    }
                }
                if ok {
                    let sum: f64 = weights.iter().sum();
                    if (sum - 1.0).abs() > WEIGHT_SUM_TOL {
                        c.err(
                            &base,
                            format!("weights sum to {sum}, not 1 (tolerance {WEIGHT_SUM_TOL})"),
                        );
                    }
                }
                weighting = Weighting::Direct;
            }
            (Some(WeightsSpec::Ahp(a)), true) => {
                let mpath = [k("weights"), k("ahp"), k("matrix")];
                let fpath = [k("weights"), k("ahp"), k("factors")];
                let mut order_ok = true;
                let mut seen = BTreeSet::new();
                for id in &a.factors {
                    if !fids.contains(&id.as_str()) {
                        c.err(&fpath, format!("`{id}` is not a factor"));
                        order_ok = false;
                    }
                    if !seen.insert(id.as_str()) {
                        c.err(&fpath, format!("`{id}` is listed twice"));
                        order_ok = false;
                    }
                }
                for id in &fids {
                    if !seen.contains(id) {
                        c.err(
                            &fpath,
                            format!("factor `{id}` is missing from the AHP matrix"),
                        );
                        order_ok = false;
                    }
                }
                let mut matrix = Vec::new();
                let mut parsed = true;
                for (i, row) in a.matrix.iter().enumerate() {
                    let mut r = Vec::new();
                    for (j, e) in row.iter().enumerate() {
                        match e.value() {
                            Some(v) => r.push(v),
                            None => {
                                let mut p = mpath.to_vec();
                                p.extend([Step::Index(i), Step::Index(j)]);
                                c.err(
                                    &p,
                                    format!("entry {e:?} is not a number or a fraction \"p/q\""),
                                );
                                parsed = false;
                            }
                        }
                    }
                    matrix.push(r);
                }
                if parsed && matrix.len() != a.factors.len() {
                    c.err(
                        &mpath,
                        format!(
                            "matrix has {} rows for {} factors",
                            matrix.len(),
                            a.factors.len()
                        ),
                    );
                    parsed = false;
                }
                if parsed {
                    match ahp::analyse(&matrix) {
                        Err(e) => c.err(&mpath, format!("AHP matrix: {e}")),
                        Ok(res) if res.cr >= CR_LIMIT => c.err(
                            &mpath,
                            format!(
                                "AHP matrix is inconsistent: CR = {:.4} ≥ {CR_LIMIT} (λmax = {:.4}, CI = {:.4}); revise the judgements",
                                res.cr, res.lambda_max, res.ci
                            ),
                        ),
                        Ok(res) => {
                            if order_ok {
                                weights = fids
                                    .iter()
                                    .map(|id| {
                                        let j = a.factors.iter().position(|x| x == id).expect("checked");
                                        res.weights[j]
                                    })
                                    .collect();
                            }
                            weighting = Weighting::Ahp {
                                factors: a.factors.clone(),
                                matrix,
                                result: res,
                            };
                        }
                    }
                }
            }
            (None, false) => {}
        }
        let mut order: Vec<usize> = (0..factors.len()).collect();
        let aggregation = match self.aggregation {
            AggregationSpec::WeightedSum => Aggregation::WeightedSum { weights },
            AggregationSpec::WeightedProduct => Aggregation::WeightedProduct { weights },
            AggregationSpec::Max => Aggregation::Max,
            AggregationSpec::Risk => match &self.risk {
                None => {
                    c.err(
                        &[k("aggregation")],
                        "aggregation = \"risk\" needs a [risk] table",
                    );
                    Aggregation::Risk {
                        alpha: DEFAULT_ALPHA,
                        capacity: false,
                    }
                }
                Some(r) => {
                    let mut roles = vec![
                        ("hazard", Some(&r.hazard)),
                        ("exposure", Some(&r.exposure)),
                        ("vulnerability", Some(&r.vulnerability)),
                    ];
                    roles.push(("capacity", r.capacity.as_ref()));
                    order.clear();
                    for (role, id) in roles {
                        let Some(id) = id else { continue };
                        match fids.iter().position(|f| f == id) {
                            Some(j) if order.contains(&j) => c.err(
                                &[k("risk"), k(role)],
                                format!("factor `{id}` already has another role"),
                            ),
                            Some(j) => order.push(j),
                            None => c.err(&[k("risk"), k(role)], format!("`{id}` is not a factor")),
                        }
                    }
                    for (j, f) in fids.iter().enumerate() {
                        if !order.contains(&j) {
                            c.err(
                                &[k("factors"), Step::Index(j), k("id")],
                                format!("factor `{f}` has no role in [risk]"),
                            );
                        }
                    }
                    let alpha = r.alpha.unwrap_or(DEFAULT_ALPHA);
                    if !(alpha.is_finite() && (0.0..=1.0).contains(&alpha)) {
                        c.err(
                            &[k("risk"), k("alpha")],
                            format!("alpha {alpha} must be in [0, 1]"),
                        );
                    }
                    Aggregation::Risk {
                        alpha,
                        capacity: r.capacity.is_some(),
                    }
                }
            },
        };
        if self.risk.is_some() && self.aggregation != AggregationSpec::Risk {
            c.err(
                &[k("risk")],
                "[risk] is only used with aggregation = \"risk\"",
            );
        }

        let hazard = self.hazard.as_deref().and_then(|h| {
            let found = vocabulary.hazard(h);
            if found.is_none() {
                c.err(
                    &[k("hazard")],
                    format!(
                        "hazard `{h}` is declared by no hazard.toml; declared: {}",
                        vocabulary
                            .hazards()
                            .map(|h| h.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            found
        });
        // What the levels must measure: risk for a risk composition or the combined
        // risk, anything but risk for a single hazard's index.
        let is_risk =
            self.aggregation == AggregationSpec::Risk || hazard.is_some_and(|h| h.combined);
        let is_hazard_index = hazard.is_some_and(|h| !h.combined) && !is_risk;
        let classification = self.classification.as_ref().map(|cl| {
            let check_scheme = |c: &mut Checker, scheme: &Option<String>, classes: usize| {
                let path = [k("classification"), k("scheme")];
                let id = scheme.as_deref()?;
                let Some(s) = vocabulary.scheme(id) else {
                    c.err(
                        &path,
                        format!(
                            "scheme `{id}` is declared by no levels.toml; declared: {}",
                            vocabulary
                                .schemes()
                                .map(|s| s.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    return None;
                };
                if s.count() != classes {
                    c.err(
                        &path,
                        format!(
                            "scheme `{}` has {} levels but the classification makes {} classes",
                            s.id(),
                            s.count(),
                            classes
                        ),
                    );
                }
                if is_hazard_index && s.measures == Measure::Risk {
                    c.err(
                        &path,
                        format!(
                            "scheme `{id}` measures risk, but this model scores a hazard: a hazard map is never labelled as risk (use a hazard scheme, e.g. hazard5)"
                        ),
                    );
                }
                if is_risk && s.measures != Measure::Risk {
                    c.err(
                        &path,
                        format!("scheme `{id}` does not measure risk, but this model scores risk"),
                    );
                }
                Some(s.clone())
            };
            let check_classes = |c: &mut Checker, classes: usize| {
                if !(2..=255).contains(&classes) {
                    c.err(
                        &[k("classification"), k("classes")],
                        format!("{classes} classes: give 2..=255"),
                    );
                }
            };
            match cl {
                ClassificationSpec::FixedBreaks { breaks, scheme } => {
                    let path = [k("classification"), k("breaks")];
                    if breaks.is_empty() || breaks.len() > 254 {
                        c.err(
                            &path,
                            format!(
                                "{} breaks: give 1..=254 (K − 1 for K classes)",
                                breaks.len()
                            ),
                        );
                    }
                    for (i, b) in breaks.iter().enumerate() {
                        if !b.is_finite() {
                            c.err(&path, format!("break {b} is not finite"));
                        } else if i > 0 && breaks[i - 1] as f32 >= *b as f32 {
                            c.err(
                                &path,
                                format!(
                                    "breaks must be strictly ascending: {} then {b}",
                                    breaks[i - 1]
                                ),
                            );
                        }
                    }
                    let scheme = check_scheme(&mut c, scheme, breaks.len() + 1);
                    Classification::fixed(breaks.clone(), scheme)
                }
                ClassificationSpec::NaturalBreaks {
                    classes,
                    step,
                    scheme,
                } => {
                    check_classes(&mut c, *classes);
                    let scheme = check_scheme(&mut c, scheme, *classes);
                    if let Some(st) = step {
                        if !(st.is_finite() && *st > 0.0) {
                            c.err(
                                &[k("classification"), k("step")],
                                format!("step {st}: give a positive quantisation step"),
                            );
                        }
                    }
                    Classification::data_driven("natural_breaks", *classes, *step, scheme)
                }
                ClassificationSpec::Quantile { classes, scheme } => {
                    check_classes(&mut c, *classes);
                    let scheme = check_scheme(&mut c, scheme, *classes);
                    Classification::data_driven("quantile", *classes, None, scheme)
                }
                ClassificationSpec::EqualInterval { classes, scheme } => {
                    check_classes(&mut c, *classes);
                    let scheme = check_scheme(&mut c, scheme, *classes);
                    Classification::data_driven("equal_interval", *classes, None, scheme)
                }
            }
        });

        if !c.problems.is_empty() {
            return Err(ModelError::Invalid {
                file: self.origin.clone(),
                problems: c.problems,
            });
        }
        let factors: Vec<Factor> = order.iter().map(|&j| factors[j].clone()).collect();
        Ok(Model {
            id: self.id.clone(),
            version: self.version.clone(),
            name: self.name.clone(),
            hazard: self.hazard.clone(),
            output: self.output.clone(),
            description: self.description.clone(),
            sources: self.sources.clone(),
            inputs,
            factors,
            aggregation,
            weighting,
            classification,
            origin: self.origin.clone(),
        })
    }
}
