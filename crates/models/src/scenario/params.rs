//! The parameters of the scenario runs (`models/scenario/scenarios.toml`): how a
//! change of design rainfall moves the flood screen's stages, the appraisal's
//! defaults, the Monte Carlo run and the uncertain inputs of the loss models, and
//! the hindcast's split year.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::stats::Distribution;
use crate::error::ModelError;
use crate::operator_file::{at, k, parse_toml, Checker};

/// The file in the model library.
pub const PATH: &str = "scenario/scenarios.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "scenarios";

/// The inputs of the loss models that may be declared uncertain, with what a draw
/// multiplies or replaces.
pub const MODEL_INPUTS: &[(&str, &str)] = &[
    (
        "flood.damage_ratio",
        "factor on every depth–damage ratio (capped at 1)",
    ),
    (
        "flood.stage",
        "factor on the flood screen's design stages (m above drainage)",
    ),
    (
        "earthquake.fragility_median",
        "factor on every fragility median (g)",
    ),
    (
        "earthquake.loss_ratio",
        "factor on the damage-state loss ratios (capped at 1)",
    ),
    (
        "record.loss",
        "factor on the recorded mean annual loss and deaths of the record-route hazards",
    ),
];

/// One uncertain input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncertain {
    /// Which input ([`MODEL_INPUTS`], or in a scenario file one of
    /// [`super::file::SCENARIO_INPUTS`]).
    pub input: String,
    /// Its distribution.
    pub distribution: Distribution,
    /// Where the spread comes from, or that it is this project's convention.
    pub basis: String,
}

/// An `[[uncertain]]` table as written: `distribution` = `lognormal` (`sigma`),
/// `uniform` (`low`, `high`) or `triangular` (`low`, `mode`, `high`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UncertainSpec {
    input: String,
    distribution: String,
    sigma: Option<f64>,
    low: Option<f64>,
    mode: Option<f64>,
    high: Option<f64>,
    basis: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    version: String,
    operator: String,
    sources: Vec<String>,
    stage_exponent: f64,
    discount_rate: f64,
    horizon_years: u32,
    samples: usize,
    seed: u64,
    #[serde(default)]
    uncertain: Vec<UncertainSpec>,
    hindcast_split_year: Option<i32>,
    hindcast_permutations: u32,
}

/// The validated parameters; their JSON is the parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioParams {
    /// Model id.
    pub id: String,
    /// Model version.
    pub version: String,
    /// Sources.
    pub sources: Vec<String>,
    /// A design-rainfall factor f moves the flood stages by f^stage_exponent.
    pub stage_exponent: f64,
    /// Default discount rate per year.
    pub discount_rate: f64,
    /// Default appraisal horizon, years.
    pub horizon_years: u32,
    /// Monte Carlo samples per scenario (0 = no uncertainty run).
    pub samples: usize,
    /// Monte Carlo seed.
    pub seed: u64,
    /// The loss models' uncertain inputs.
    pub uncertain: Vec<Uncertain>,
    /// Last year of the hindcast's "before" (None: the middle of the record).
    pub hindcast_split_year: Option<i32>,
    /// Permutations of the hindcast's p-value.
    pub hindcast_permutations: u32,
}

impl ScenarioParams {
    /// Parse and check the file's text; every problem with its line and key.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin: PathBuf = origin.as_ref().to_path_buf();
        let s: Spec = parse_toml(text, &origin)?;
        let mut c = Checker::new(text);
        c.operator(&s.operator, OPERATOR);
        c.sources(&s.sources);
        if !(s.stage_exponent > 0.0 && s.stage_exponent <= 2.0) {
            c.err(&[k("stage_exponent")], "must lie in (0, 2]");
        }
        if !(0.0..1.0).contains(&s.discount_rate) {
            c.err(&[k("discount_rate")], "must lie in [0, 1)");
        }
        if !(1..=200).contains(&s.horizon_years) {
            c.err(&[k("horizon_years")], "must lie in 1..=200");
        }
        if s.samples > 100_000 {
            c.err(&[k("samples")], "at most 100000");
        }
        if s.hindcast_permutations == 0 {
            c.err(&[k("hindcast_permutations")], "must be at least 1");
        }
        let uncertain = check_uncertain(&mut c, &s.uncertain, MODEL_INPUTS);
        c.finish(
            &origin,
            ScenarioParams {
                id: s.id,
                version: s.version,
                sources: s.sources,
                stage_exponent: s.stage_exponent,
                discount_rate: s.discount_rate,
                horizon_years: s.horizon_years,
                samples: s.samples,
                seed: s.seed,
                uncertain,
                hindcast_split_year: s.hindcast_split_year,
                hindcast_permutations: s.hindcast_permutations,
            },
        )
    }

    /// The shipped parameters.
    pub fn builtin() -> Self {
        Self::from_toml(
            crate::library::shipped_text(PATH),
            Path::new("models").join(PATH),
        )
        .expect("the shipped scenario parameters are valid")
    }
}

/// Each `[[uncertain]]` names a known input once, with a valid distribution and a
/// basis; the valid ones, converted.
pub(crate) fn check_uncertain(
    c: &mut Checker,
    list: &[UncertainSpec],
    known: &[(&str, &str)],
) -> Vec<Uncertain> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, u) in list.iter().enumerate() {
        let key = |name: &str| {
            let mut p = at("uncertain", i);
            p.push(k(name));
            p
        };
        if !known.iter().any(|(id, _)| *id == u.input) {
            let names: Vec<&str> = known.iter().map(|(id, _)| *id).collect();
            c.err(
                &key("input"),
                format!("`{}` is not one of: {}", u.input, names.join(", ")),
            );
        } else if !seen.insert(u.input.clone()) {
            c.err(&key("input"), format!("`{}` is declared twice", u.input));
        }
        if u.basis.trim().is_empty() {
            c.err(
                &key("basis"),
                "say where the spread comes from (or that it is a convention)",
            );
        }
        let d = match (u.distribution.as_str(), u.sigma, u.low, u.mode, u.high) {
            ("lognormal", Some(sigma), None, None, None) => Distribution::Lognormal { sigma },
            ("uniform", None, Some(low), None, Some(high)) => Distribution::Uniform { low, high },
            ("triangular", None, Some(low), Some(mode), Some(high)) => {
                Distribution::Triangular { low, mode, high }
            }
            (other, ..) => {
                c.err(
                    &key("distribution"),
                    format!(
                        "`{other}` with these keys: give lognormal (sigma), uniform (low, high) \
                         or triangular (low, mode, high)"
                    ),
                );
                continue;
            }
        };
        if let Some(p) = d.problem() {
            c.err(&key("distribution"), p);
            continue;
        }
        out.push(Uncertain {
            input: u.input.clone(),
            distribution: d,
            basis: u.basis.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_parses_and_names_bad_inputs() {
        let p = ScenarioParams::builtin();
        assert_eq!(p.stage_exponent, 0.6);
        assert!(p.samples >= 1000 && !p.uncertain.is_empty());
        let text = crate::library::shipped_text(PATH);
        let bad = text.replacen(
            "input = \"flood.damage_ratio\"",
            "input = \"flood.damage\"",
            1,
        );
        assert_ne!(bad, text);
        let e = ScenarioParams::from_toml(&bad, "s.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("uncertain[0].input") && e.contains("flood.damage"),
            "{e}"
        );
    }
}
