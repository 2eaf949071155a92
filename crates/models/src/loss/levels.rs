//! Risk levels from loss on absolute scales (`models/common/loss_levels.toml`):
//! each measure — AAL density (万元/km²/yr), AAL relative to GDP (%), expected
//! deaths per 10⁵ people per year — has ascending breaks b₁ < … < b₄, a value v gets
//! level K − #{j : v > bⱼ} (level 1 = I, the most severe; a value equal to a break
//! stays in the lower class, the convention of [`crate::classify`]), and the risk
//! level of a cell or unit is the most severe of its measures' levels (the usual
//! rule of a risk matrix with separate economic and life scales). The thresholds
//! are the same for every county, so two censuses compare on one scale; natural
//! breaks remain a display option (`riskcensus breaks`), never a risk level.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::locate::Step;
use crate::operator_file::{k, parse_toml, Checker};

/// The file in the model library.
pub const PATH: &str = "common/loss_levels.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "loss_levels";

/// The measures a level can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// AAL per area, 万元/km²/yr.
    AalDensity,
    /// AAL / GDP of the unit, %.
    AalGdpShare,
    /// Expected deaths per 10⁵ people per year.
    DeathRate,
}

impl Measure {
    /// The measure's id in the file and tables.
    pub fn id(self) -> &'static str {
        match self {
            Measure::AalDensity => "aal_density",
            Measure::AalGdpShare => "aal_gdp_share",
            Measure::DeathRate => "death_rate",
        }
    }

    /// The unit the breaks are in.
    pub fn unit(self) -> &'static str {
        match self {
            Measure::AalDensity => "wan_cny/km2/yr",
            Measure::AalGdpShare => "percent",
            Measure::DeathRate => "per_100k/yr",
        }
    }
}

/// One `[[measures]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureSpec {
    /// Which measure.
    pub id: Measure,
    /// Its unit, as [`Measure::unit`] (checked, so the file says it).
    pub unit: String,
    /// Ascending breaks, one fewer than the scheme's levels.
    pub breaks: Vec<f64>,
    /// Where the breaks come from.
    pub basis: String,
}

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    version: String,
    operator: String,
    sources: Vec<String>,
    scheme: String,
    measures: Vec<MeasureSpec>,
}

/// The validated thresholds; their JSON is the parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossLevels {
    id: String,
    version: String,
    scheme: String,
    sources: Vec<String>,
    measures: Vec<MeasureSpec>,
}

impl LossLevels {
    /// Parse and check the file's text; every problem with its line and key.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin: PathBuf = origin.as_ref().to_path_buf();
        let s: Spec = parse_toml(text, &origin)?;
        let mut c = Checker::new(text);
        c.operator(&s.operator, OPERATOR);
        c.sources(&s.sources);
        let n = s.measures.first().map_or(0, |m| m.breaks.len());
        for (i, m) in s.measures.iter().enumerate() {
            let at = vec![k("measures"), Step::Index(i)];
            if m.unit != m.id.unit() {
                c.err(
                    &at,
                    format!("{} is in {}, not {:?}", m.id.id(), m.id.unit(), m.unit),
                );
            }
            let ascending = m.breaks.windows(2).all(|w| w[1] > w[0]);
            if m.breaks.is_empty() || !ascending || m.breaks.iter().any(|b| !b.is_finite()) {
                c.err(&at, "breaks must be finite and strictly ascending");
            }
            if m.breaks.len() != n {
                c.err(&at, format!("every measure needs {n} breaks"));
            }
            if s.measures[..i].iter().any(|o| o.id == m.id) {
                c.err(&at, format!("{} is given twice", m.id.id()));
            }
        }
        if s.measures.is_empty() {
            c.err(&[k("measures")], "at least one measure");
        }
        c.finish(
            &origin,
            LossLevels {
                id: s.id,
                version: s.version,
                scheme: s.scheme,
                sources: s.sources,
                measures: s.measures,
            },
        )
    }

    /// The shipped thresholds.
    pub fn builtin() -> Self {
        Self::from_toml(
            crate::library::shipped_text(PATH),
            Path::new("models").join(PATH),
        )
        .expect("the shipped loss levels are valid")
    }

    /// Model id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Model version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The level scheme of the codes (`risk5`).
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Number of levels (breaks + 1).
    pub fn classes(&self) -> usize {
        self.measures[0].breaks.len() + 1
    }

    /// The breaks of a measure, when the file has it.
    pub fn breaks(&self, m: Measure) -> Option<&[f64]> {
        self.measures
            .iter()
            .find(|s| s.id == m)
            .map(|s| s.breaks.as_slice())
    }

    /// The level of one value of a measure: 0 for NaN or a measure the file does
    /// not have, else K − #{breaks < v}.
    pub fn level(&self, m: Measure, v: f64) -> u8 {
        match self.breaks(m) {
            Some(b) if !v.is_nan() => (b.len() + 1 - b.iter().filter(|&&x| v > x).count()) as u8,
            _ => 0,
        }
    }

    /// The most severe level of several (measure, value) pairs; 0 when none has a
    /// level.
    pub fn combined(&self, values: &[(Measure, f64)]) -> u8 {
        values
            .iter()
            .map(|&(m, v)| self.level(m, v))
            .filter(|&l| l > 0)
            .min()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_levels_by_hand() {
        let l = LossLevels::builtin();
        assert_eq!(l.classes(), 5);
        assert_eq!(l.scheme(), "risk5");
        // AAL density breaks 1, 10, 100, 1000 万元/km²/yr.
        assert_eq!(l.level(Measure::AalDensity, 0.0), 5);
        assert_eq!(l.level(Measure::AalDensity, 10.0), 4, "a break stays below");
        assert_eq!(l.level(Measure::AalDensity, 10.5), 3);
        assert_eq!(l.level(Measure::AalDensity, 5000.0), 1);
        // 1 % of GDP is the national target: above it is level I.
        assert_eq!(l.level(Measure::AalGdpShare, 1.2), 1);
        assert_eq!(l.level(Measure::AalGdpShare, 0.3), 3);
        // 10⁻⁴ per person-year (10 per 10⁵) and above: level I.
        assert_eq!(l.level(Measure::DeathRate, 12.0), 1);
        assert_eq!(l.level(Measure::AalDensity, f64::NAN), 0);
        assert_eq!(
            l.combined(&[(Measure::AalDensity, 0.5), (Measure::DeathRate, 2.0)]),
            2,
            "the more severe of the two"
        );
        assert_eq!(l.combined(&[(Measure::AalDensity, f64::NAN)]), 0);
    }

    #[test]
    fn bad_files_name_every_problem() {
        let text = r#"id = "x"
version = "1"
operator = "nope"
sources = []
scheme = "risk5"
[[measures]]
id = "aal_density"
unit = "percent"
breaks = [1.0, 0.5]
basis = "b"
[[measures]]
id = "aal_density"
unit = "wan_cny/km2/yr"
breaks = [1.0]
basis = "b"
"#;
        let e = LossLevels::from_toml(text, "l.toml")
            .unwrap_err()
            .to_string();
        for want in [
            "operator",
            "sources",
            "not \"percent\"",
            "strictly ascending",
            "needs 2 breaks",
            "given twice",
        ] {
            assert!(e.contains(want), "{want} in {e}");
        }
    }
}
