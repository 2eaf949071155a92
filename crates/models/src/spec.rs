//! The unchecked model file, exactly as written (serde + toml, unknown keys refused).
//! [`ModelSpec::check`] turns it into a validated [`crate::Model`]; nothing else in
//! the crate accepts a `ModelSpec`. The format is documented in `docs/models.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::ModelError;

/// A parsed, not yet validated model file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// `id`: the model id, 1 to 64 of `[A-Za-z0-9_-]` (`riskcensus_core::names::check_id`).
    pub id: String,
    /// `version`: the model version, non-empty; recorded with every output.
    pub version: String,
    /// `name`: a human-readable name.
    #[serde(default)]
    pub name: Option<String>,
    /// `hazard`: the id of the hazard the model scores (`flood`, `earthquake`, …), if
    /// any: a hazard declared by a `hazard.toml` of the library.
    #[serde(default)]
    pub hazard: Option<String>,
    /// Layer id the model's score is written as (and later models read it by);
    /// default chosen by the engine (`<id>_hazard` for hazard indices, else `<id>`).
    #[serde(default)]
    pub output: Option<String>,
    /// `description`: free text.
    #[serde(default)]
    pub description: Option<String>,
    /// References to the method's sources (at least one).
    pub sources: Vec<String>,
    /// Input layers by layer id (as in the census layer stack), with units.
    pub inputs: BTreeMap<String, InputSpec>,
    /// Factors in evaluation order.
    pub factors: Vec<FactorSpec>,
    /// `[weights]`: required by the weighted aggregations, refused by the others.
    #[serde(default)]
    pub weights: Option<WeightsSpec>,
    /// `aggregation`: how factor scores combine.
    pub aggregation: AggregationSpec,
    /// `[risk]`: the H, E, V[, C] factors of `aggregation = "risk"`.
    #[serde(default)]
    pub risk: Option<RiskSpec>,
    /// `[classification]`: how the score is cut into level codes, if it is.
    #[serde(default)]
    pub classification: Option<ClassificationSpec>,
    #[serde(skip)]
    pub(crate) origin: PathBuf,
    #[serde(skip)]
    pub(crate) text: String,
}

/// An `[inputs.<layer id>]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Unit string: "m", "deg", "mm", "class", "cells", "index", …
    pub unit: String,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
}

/// A `[[factors]]` entry; validated into [`crate::Factor`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorSpec {
    /// Factor id, unique in the model.
    pub id: String,
    /// Input layer id (a key of `[inputs]`).
    pub input: String,
    /// The unit the transform parameters are written in; must equal the input's.
    pub unit: String,
    /// `transform`: raw value → score, tagged by `kind`.
    pub transform: TransformSpec,
    /// Defaults to `propagate`.
    #[serde(default)]
    pub nodata: Option<NodataSpec>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
}

/// A factor's `transform` table, tagged by `kind`; validated into
/// [`crate::Transform`], whose variants give the equations.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TransformSpec {
    /// `kind = "identity"`: s = x.
    Identity,
    /// `kind = "ramp"`: linear from x0 ↦ 0 to x1 ↦ 1.
    Ramp {
        /// Value that scores 0 (factor unit).
        x0: f64,
        /// Value that scores 1 (factor unit); ≠ x0.
        x1: f64,
    },
    /// `kind = "fuzzy_large"`: Esri Fuzzy Large.
    FuzzyLarge {
        /// Value that scores 0.5 (factor unit); > 0.
        midpoint: f64,
        /// Exponent k; > 0.
        spread: f64,
    },
    /// `kind = "fuzzy_small"`: Esri Fuzzy Small.
    FuzzySmall {
        /// Value that scores 0.5 (factor unit); > 0.
        midpoint: f64,
        /// Exponent k; > 0.
        spread: f64,
    },
    /// `kind = "fuzzy_gaussian"`: Esri Fuzzy Gaussian.
    FuzzyGaussian {
        /// Value that scores 1 (factor unit).
        midpoint: f64,
        /// k, per squared factor unit; > 0.
        spread: f64,
    },
    /// `kind = "sigmoid"`: the logistic curve.
    Sigmoid {
        /// Value that scores 0.5 (factor unit).
        midpoint: f64,
        /// a, per factor unit; ≠ 0, negative for a decreasing curve.
        slope: f64,
    },
    /// `kind = "piecewise"`: linear between table points, clamped outside.
    Piecewise {
        /// `[[x, y], …]`, x strictly ascending.
        points: Vec<Vec<f64>>,
    },
    /// `kind = "lookup"`: a score per class code.
    Lookup {
        /// `[[factors.transform.classes]]`: one entry per code.
        classes: Vec<ClassSpec>,
        /// What a value outside the table does: `"error"`, `"nodata"` or `{ default = s }`.
        unknown: UnknownSpec,
    },
    /// `kind = "log"`: ln(1 + x) scaled so that `max` scores 1.
    Log {
        /// Value that scores 1 (factor unit); > 0.
        max: f64,
    },
}

/// One class of a lookup transform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    /// Class code as stored in the layer; must be in 0..=65535.
    pub code: i64,
    /// Human name of the class, e.g. "built-up".
    #[serde(default)]
    pub name: Option<String>,
    /// Score in [0, 1].
    pub score: f64,
}

/// A lookup's `unknown` policy; validated into [`crate::Unknown`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum UnknownSpec {
    /// `"error"`: scoring fails, naming the cell.
    Error,
    /// `"nodata"`: the cell becomes nodata.
    Nodata,
    /// `{ default = s }`: the score s, in [0, 1].
    Default(f64),
}

/// A factor's `nodata` policy; validated into [`crate::Nodata`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NodataSpec {
    /// `"propagate"`: a NaN input makes the output cell nodata.
    Propagate,
    /// `{ value = s }`: a NaN input scores s, in [0, 1].
    Value(f64),
}

/// The `[weights]` table: direct weights or an AHP matrix.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum WeightsSpec {
    /// `[weights.direct]`: factor id → weight; must sum to 1 within 1e-6.
    Direct(BTreeMap<String, f64>),
    /// `[weights.ahp]`: pairwise comparison matrix.
    Ahp(AhpSpec),
}

/// `[weights.ahp]`: a pairwise comparison matrix on Saaty's 1/9…9 scale.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AhpSpec {
    /// Factor ids in matrix row/column order.
    pub factors: Vec<String>,
    /// Rows of the matrix; entries are numbers or fractions written as strings ("1/3").
    pub matrix: Vec<Vec<Entry>>,
}

/// A matrix entry: a number, or an exact fraction `"p/q"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    /// A plain number (`3`, `0.333`).
    Number(f64),
    /// A fraction or number as text (`"1/3"`).
    Text(String),
}

impl Entry {
    pub(crate) fn value(&self) -> Option<f64> {
        match self {
            Entry::Number(v) => Some(*v),
            Entry::Text(s) => match s.split_once('/') {
                Some((p, q)) => {
                    let p: f64 = p.trim().parse().ok()?;
                    let q: f64 = q.trim().parse().ok()?;
                    Some(p / q)
                }
                None => s.trim().parse().ok(),
            },
        }
    }
}

/// The `aggregation` key; see [`crate::Aggregation`] for the formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregationSpec {
    /// `"weighted_sum"`: weighted linear combination.
    WeightedSum,
    /// `"weighted_product"`: weighted product.
    WeightedProduct,
    /// `"max"`: the largest factor score.
    Max,
    /// `"risk"`: R = H·E·V·(1 − α·C), factors named in `[risk]`.
    Risk,
}

/// The `[risk]` table of `aggregation = "risk"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskSpec {
    /// Factor ids of the components.
    pub hazard: String,
    /// Factor id of exposure E.
    pub exposure: String,
    /// Factor id of vulnerability V.
    pub vulnerability: String,
    /// Factor id of mitigation capacity C; without it R = H·E·V.
    #[serde(default)]
    pub capacity: Option<String>,
    /// Mitigation effectiveness α in R = H·E·V·(1 − α·C); default
    /// [`crate::DEFAULT_ALPHA`].
    #[serde(default)]
    pub alpha: Option<f64>,
}

/// The `[classification]` table, tagged by `method`; validated into
/// [`crate::Classification`].
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClassificationSpec {
    /// `method = "fixed_breaks"`: given class upper bounds.
    FixedBreaks {
        /// K − 1 ascending breaks (class upper bounds) for K classes.
        breaks: Vec<f64>,
        /// Id of the level scheme of the codes (a `levels.toml` scheme); its level count must equal the class count.
        #[serde(default)]
        scheme: Option<String>,
    },
    /// Exact Fisher–Jenks natural breaks on the full population of the score,
    /// quantised to `step` (default [`crate::classify::DEFAULT_STEP`]).
    NaturalBreaks {
        /// Number of classes K, 2..=255.
        classes: usize,
        /// Quantisation step, > 0.
        #[serde(default)]
        step: Option<f64>,
        /// Id of the level scheme of the codes (a `levels.toml` scheme); its level count must equal `classes`.
        #[serde(default)]
        scheme: Option<String>,
    },
    /// Quantiles (Hyndman–Fan type 7) of the full population.
    Quantile {
        /// Number of classes K, 2..=255.
        classes: usize,
        /// Id of the level scheme of the codes (a `levels.toml` scheme); its level count must equal `classes`.
        #[serde(default)]
        scheme: Option<String>,
    },
    /// Equal intervals between the minimum and the maximum.
    EqualInterval {
        /// Number of classes K, 2..=255.
        classes: usize,
        /// Id of the level scheme of the codes (a `levels.toml` scheme); its level count must equal `classes`.
        #[serde(default)]
        scheme: Option<String>,
    },
}

impl ModelSpec {
    /// Parse model text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin = origin.as_ref().to_path_buf();
        match toml::from_str::<ModelSpec>(text) {
            Ok(mut spec) => {
                spec.origin = origin;
                spec.text = text.to_string();
                Ok(spec)
            }
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| crate::locate::Locator::new(text).line_of(s.start))
                    .unwrap_or(0);
                Err(ModelError::Syntax {
                    file: origin,
                    line,
                    msg: e.message().trim().to_string(),
                })
            }
        }
    }

    /// Read and parse a model file.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, ModelError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// The file this spec was read from.
    pub fn origin(&self) -> &Path {
        &self.origin
    }
}
