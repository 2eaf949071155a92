//! The unchecked model file, exactly as written (serde + toml, unknown keys refused).
//! [`ModelSpec::check`] turns it into a validated [`crate::Model`]; nothing else in
//! the crate accepts a `ModelSpec`. The format is documented in `docs/models.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskcensus_core::{Hazard, LevelScheme};
use serde::Deserialize;

use crate::error::ModelError;

/// A parsed, not yet validated model file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    pub id: String,
    pub version: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub hazard: Option<Hazard>,
    /// Layer id the model's score is written as (and later models read it by);
    /// default chosen by the engine (`<id>_hazard` for hazard indices, else `<id>`).
    #[serde(default)]
    pub output: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// References to the method's sources (at least one).
    pub sources: Vec<String>,
    /// Input layers by layer id (as in the census layer stack), with units.
    pub inputs: BTreeMap<String, InputSpec>,
    /// Factors in evaluation order.
    pub factors: Vec<FactorSpec>,
    #[serde(default)]
    pub weights: Option<WeightsSpec>,
    pub aggregation: AggregationSpec,
    #[serde(default)]
    pub risk: Option<RiskSpec>,
    #[serde(default)]
    pub classification: Option<ClassificationSpec>,
    #[serde(skip)]
    pub(crate) origin: PathBuf,
    #[serde(skip)]
    pub(crate) text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Unit string: "m", "deg", "mm", "class", "cells", "index", …
    pub unit: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorSpec {
    pub id: String,
    /// Input layer id (a key of `[inputs]`).
    pub input: String,
    /// The unit the transform parameters are written in; must equal the input's.
    pub unit: String,
    pub transform: TransformSpec,
    /// Defaults to `propagate`.
    #[serde(default)]
    pub nodata: Option<NodataSpec>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TransformSpec {
    Identity,
    Ramp {
        x0: f64,
        x1: f64,
    },
    FuzzyLarge {
        midpoint: f64,
        spread: f64,
    },
    FuzzySmall {
        midpoint: f64,
        spread: f64,
    },
    FuzzyGaussian {
        midpoint: f64,
        spread: f64,
    },
    Sigmoid {
        midpoint: f64,
        slope: f64,
    },
    Piecewise {
        /// `[[x, y], …]`, x strictly ascending.
        points: Vec<Vec<f64>>,
    },
    Lookup {
        classes: Vec<ClassSpec>,
        unknown: UnknownSpec,
    },
    Log {
        max: f64,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    pub code: i64,
    #[serde(default)]
    pub name: Option<String>,
    pub score: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum UnknownSpec {
    Error,
    Nodata,
    Default(f64),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum NodataSpec {
    Propagate,
    Value(f64),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum WeightsSpec {
    /// `[weights.direct]`: factor id → weight; must sum to 1 within 1e-6.
    Direct(BTreeMap<String, f64>),
    /// `[weights.ahp]`: pairwise comparison matrix.
    Ahp(AhpSpec),
}

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
    Number(f64),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregationSpec {
    WeightedSum,
    WeightedProduct,
    Max,
    Risk,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskSpec {
    /// Factor ids of the components.
    pub hazard: String,
    pub exposure: String,
    pub vulnerability: String,
    #[serde(default)]
    pub capacity: Option<String>,
    /// Mitigation effectiveness α in R = H·E·V·(1 − α·C); default
    /// [`crate::DEFAULT_ALPHA`].
    #[serde(default)]
    pub alpha: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClassificationSpec {
    FixedBreaks {
        /// K − 1 ascending breaks (class upper bounds) for K classes.
        breaks: Vec<f64>,
        #[serde(default)]
        scheme: Option<LevelScheme>,
    },
    /// Exact Fisher–Jenks natural breaks on the full population of the score,
    /// quantised to `step` (default [`crate::classify::DEFAULT_STEP`]).
    NaturalBreaks {
        classes: usize,
        #[serde(default)]
        step: Option<f64>,
        #[serde(default)]
        scheme: Option<LevelScheme>,
    },
    /// Quantiles (Hyndman–Fan type 7) of the full population.
    Quantile {
        classes: usize,
        #[serde(default)]
        scheme: Option<LevelScheme>,
    },
    /// Equal intervals between the minimum and the maximum.
    EqualInterval {
        classes: usize,
        #[serde(default)]
        scheme: Option<LevelScheme>,
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
