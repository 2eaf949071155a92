//! The parameters of the trends stage (`models/trend/trends.toml`): significance
//! level, the minimum record length, the rule of a complete station year, the
//! rainstorm threshold (GB/T 28592-2012) and an optional price index per year for
//! the loss series.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::operator_file::{k, parse_toml, Checker};

/// The file in the model library.
pub const PATH: &str = "trend/trends.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "trends";

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    version: String,
    operator: String,
    sources: Vec<String>,
    alpha: f64,
    min_years: usize,
    min_days_per_year: usize,
    rainstorm_mm: f64,
    #[serde(default)]
    deflator: BTreeMap<String, f64>,
}

/// The validated parameters; their JSON is the parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendParams {
    /// Model id.
    pub id: String,
    /// Model version.
    pub version: String,
    /// Sources.
    pub sources: Vec<String>,
    /// Significance level of the two-sided tests, in (0, 1).
    pub alpha: f64,
    /// Years with a value a series needs (≥ 3).
    pub min_years: usize,
    /// Daily records a station year needs.
    pub min_days_per_year: usize,
    /// Daily precipitation of a rainstorm day, mm.
    pub rainstorm_mm: f64,
    /// Price index per year (base year 1.0); empty = nominal losses.
    pub deflator: BTreeMap<i32, f64>,
}

impl TrendParams {
    /// Parse and check the file's text; every problem with its line and key.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin: PathBuf = origin.as_ref().to_path_buf();
        let s: Spec = parse_toml(text, &origin)?;
        let mut c = Checker::new(text);
        c.operator(&s.operator, OPERATOR);
        c.sources(&s.sources);
        if !(s.alpha > 0.0 && s.alpha < 1.0) {
            c.err(&[k("alpha")], "must lie in (0, 1)");
        }
        if s.min_years < 3 {
            c.err(&[k("min_years")], "the test needs at least 3 years");
        }
        if !(1..=366).contains(&s.min_days_per_year) {
            c.err(&[k("min_days_per_year")], "must lie in 1..=366");
        }
        if !(s.rainstorm_mm > 0.0 && s.rainstorm_mm.is_finite()) {
            c.err(&[k("rainstorm_mm")], "must be positive");
        }
        let mut deflator = BTreeMap::new();
        for (y, &v) in &s.deflator {
            match y.parse::<i32>() {
                Ok(year) if v > 0.0 && v.is_finite() => {
                    deflator.insert(year, v);
                }
                _ => c.err(
                    &[k("deflator"), k(y)],
                    "keys are years, values positive price indices",
                ),
            }
        }
        c.finish(
            &origin,
            TrendParams {
                id: s.id,
                version: s.version,
                sources: s.sources,
                alpha: s.alpha,
                min_years: s.min_years,
                min_days_per_year: s.min_days_per_year,
                rainstorm_mm: s.rainstorm_mm,
                deflator,
            },
        )
    }

    /// The shipped parameters.
    pub fn builtin() -> Self {
        Self::from_toml(
            crate::library::shipped_text(PATH),
            Path::new("models").join(PATH),
        )
        .expect("the shipped trend parameters are valid")
    }

    /// A nominal loss of `year` in prices of the index's base year: loss / index;
    /// the loss itself without an index; NaN when an index is given but not for
    /// this year.
    pub fn real_loss(&self, year: i32, loss: f64) -> f64 {
        if self.deflator.is_empty() {
            loss
        } else {
            self.deflator.get(&year).map_or(f64::NAN, |d| loss / d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_parses_and_deflates_by_hand() {
        let p = TrendParams::builtin();
        assert_eq!((p.alpha, p.min_years), (0.05, 10));
        assert_eq!(p.real_loss(2010, 100.0), 100.0);
        let text = crate::library::shipped_text(PATH)
            .replace("[deflator]\n", "[deflator]\n2010 = 0.8\n2020 = 1.0\n");
        let d = TrendParams::from_toml(&text, "t.toml").unwrap();
        assert_eq!(d.real_loss(2010, 100.0), 125.0);
        assert!(d.real_loss(2015, 100.0).is_nan());
        let bad = text.replace("2010 = 0.8", "twenty = 0.8");
        let e = TrendParams::from_toml(&bad, "t.toml").unwrap_err();
        assert!(e.to_string().contains("deflator"), "{e}");
    }
}
