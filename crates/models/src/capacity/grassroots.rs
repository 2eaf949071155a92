//! The grassroots disaster-reduction capacity index (基层减灾能力指数) of townships
//! and villages, after the procedure of GB/T 43981-2024 《基层减灾能力评估技术规范》
//! (indicators per township and per village, §6; normalisation, weighting and the
//! index, §7; grading, §8), with the parameters of
//! `models/capacity/grassroots_capacity.toml`.
//!
//! The standard's tables (its indicator list, weights and grade thresholds) were not
//! in hand: the file says which parts follow the standard's structure and which
//! values are this project's convention. The rule, written once here:
//!
//! 1. Each indicator *i* of a unit has a raw value *vᵢ* in the unit the file states
//!    (computed by the engine from the census records); NaN = not surveyed.
//! 2. Normalisation to a score *sᵢ* ∈ \[0, 1\] on FIXED targets, so two counties
//!    compare on one scale (min–max over a county's own units would not):
//!    `benefit` *s* = min(1, *v* / full); `cost` *s* = 1 at or below `good`, 0 at or
//!    above `bad`, linear between; `flag` *s* = *v* (1 = in place, 0 = not).
//! 3. Index *I* = Σ *wᵢ sᵢ* / Σ *wᵢ* over the indicators with a value (weights
//!    renormalised over what was surveyed); `covered` = that Σ *wᵢ* / Σ all *wᵢ*.
//! 4. Grade: none when `covered` < `min_covered`; else 1 + #{breaks *b* : *I* > *b*}
//!    on the ascending breaks — code 1 = the weakest capacity (the most severe class,
//!    as every level scheme of the census), scheme `capacity5`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::locate::Step;
use crate::operator_file::{k, parse_toml, Checker};

/// The file in the model library.
pub const PATH: &str = "capacity/grassroots_capacity.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "grassroots_capacity";

/// The indicators the engine can compute from the census.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Disaster information officers (灾害信息员) per 1,000 residents.
    InfoOfficers,
    /// An emergency plan (应急预案) in force: 1 or 0.
    EmergencyPlan,
    /// Emergency drills per year (应急演练).
    Drills,
    /// Share of residents reached by warning messages (预警信息覆盖率), %.
    WarningCoverage,
    /// A warning broadcast system (应急广播/大喇叭): 1 or 0.
    WarningBroadcast,
    /// Disaster-reduction volunteers per 1,000 residents.
    Volunteers,
    /// A comprehensive disaster-reduction demonstration community (综合减灾示范社区): 1 or 0.
    DemoCommunity,
    /// A map or list of the unit's risks and hidden dangers (风险隐患图/清单): 1 or 0.
    RiskMap,
    /// Shelter places of the unit's shelters per resident.
    ShelterPlaces,
    /// Rescue-team personnel stationed in the unit's township per 10,000 residents.
    RescuePersonnel,
    /// Population-weighted mean travel time from the nearest rescue station, minutes.
    RescueMinutes,
}

impl Indicator {
    /// The id in the file and tables.
    pub fn id(self) -> &'static str {
        match self {
            Indicator::InfoOfficers => "info_officers",
            Indicator::EmergencyPlan => "emergency_plan",
            Indicator::Drills => "drills",
            Indicator::WarningCoverage => "warning_coverage",
            Indicator::WarningBroadcast => "warning_broadcast",
            Indicator::Volunteers => "volunteers",
            Indicator::DemoCommunity => "demo_community",
            Indicator::RiskMap => "risk_map",
            Indicator::ShelterPlaces => "shelter_places",
            Indicator::RescuePersonnel => "rescue_personnel",
            Indicator::RescueMinutes => "rescue_minutes",
        }
    }

    /// The unit of the raw value (checked against the file's `unit`).
    pub fn unit(self) -> &'static str {
        match self {
            Indicator::InfoOfficers | Indicator::Volunteers => "per_1k_persons",
            Indicator::EmergencyPlan
            | Indicator::WarningBroadcast
            | Indicator::DemoCommunity
            | Indicator::RiskMap => "flag",
            Indicator::Drills => "per_year",
            Indicator::WarningCoverage => "percent",
            Indicator::ShelterPlaces => "places/person",
            Indicator::RescuePersonnel => "per_10k_persons",
            Indicator::RescueMinutes => "min",
        }
    }
}

/// How a raw value becomes a score in \[0, 1\].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Normalise {
    /// More is better: min(1, v / full).
    Benefit {
        /// The value that scores 1.
        full: f64,
    },
    /// Less is better: 1 at or below `good`, 0 at or above `bad`, linear between.
    Cost {
        /// The value (and below) that scores 1.
        good: f64,
        /// The value (and above) that scores 0.
        bad: f64,
    },
    /// A yes/no item: the value itself (1 or 0).
    Flag,
}

impl Normalise {
    /// The score of a raw value; NaN stays NaN.
    pub fn score(self, v: f64) -> f64 {
        if v.is_nan() {
            return f64::NAN;
        }
        match self {
            Normalise::Benefit { full } => (v / full).clamp(0.0, 1.0),
            Normalise::Cost { good, bad } => ((bad - v) / (bad - good)).clamp(0.0, 1.0),
            Normalise::Flag => v.clamp(0.0, 1.0),
        }
    }
}

/// One `[[indicators]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// Which indicator.
    pub id: Indicator,
    /// Its unit, as [`Indicator::unit`] (checked, so the file says it).
    pub unit: String,
    /// Normalisation.
    pub normalise: Normalise,
    /// Weight (> 0; the weights need not sum to 1, the index divides by their sum).
    pub weight: f64,
    /// Where the target and weight come from.
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
    status: String,
    scheme: String,
    min_covered: f64,
    breaks: Vec<f64>,
    indicators: Vec<IndicatorSpec>,
}

/// The validated index; its JSON is the parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrassrootsCapacity {
    id: String,
    version: String,
    sources: Vec<String>,
    status: String,
    scheme: String,
    min_covered: f64,
    breaks: Vec<f64>,
    indicators: Vec<IndicatorSpec>,
}

/// The index of one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    /// Score of every indicator of the file, in file order (NaN = no value).
    pub scores: Vec<(Indicator, f64)>,
    /// The index in \[0, 1\] (NaN when no indicator has a value).
    pub index: f64,
    /// Share of the total weight with a value.
    pub covered: f64,
    /// Grade code of the `capacity5` scheme (1 = weakest), 0 = not graded.
    pub grade: u8,
}

impl GrassrootsCapacity {
    /// Parse and check the file's text; every problem with its line and key.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin: PathBuf = origin.as_ref().to_path_buf();
        let s: Spec = parse_toml(text, &origin)?;
        let mut c = Checker::new(text);
        c.operator(&s.operator, OPERATOR);
        c.sources(&s.sources);
        if !(0.0..=1.0).contains(&s.min_covered) {
            c.err(&[k("min_covered")], "must be in [0, 1]");
        }
        let ascending = s.breaks.windows(2).all(|w| w[1] > w[0]);
        if s.breaks.is_empty() || !ascending || s.breaks.iter().any(|b| !(0.0..=1.0).contains(b)) {
            c.err(
                &[k("breaks")],
                "breaks must lie in [0, 1] and strictly ascend",
            );
        }
        for (i, m) in s.indicators.iter().enumerate() {
            let at = vec![k("indicators"), Step::Index(i)];
            if m.unit != m.id.unit() {
                c.err(
                    &at,
                    format!("{} is in {}, not {:?}", m.id.id(), m.id.unit(), m.unit),
                );
            }
            if !(m.weight > 0.0 && m.weight.is_finite()) {
                c.err(&at, "weight must be positive");
            }
            let ok = match m.normalise {
                Normalise::Benefit { full } => full > 0.0 && full.is_finite(),
                Normalise::Cost { good, bad } => good.is_finite() && bad.is_finite() && bad > good,
                Normalise::Flag => m.id.unit() == "flag",
            };
            if !ok {
                c.err(
                    &at,
                    "normalise: benefit needs full > 0, cost needs bad > good, flag only for yes/no items",
                );
            }
            if m.id.unit() == "flag" && m.normalise != Normalise::Flag {
                c.err(
                    &at,
                    format!("{} is a yes/no item: normalise kind = \"flag\"", m.id.id()),
                );
            }
            if s.indicators[..i].iter().any(|o| o.id == m.id) {
                c.err(&at, format!("{} is given twice", m.id.id()));
            }
        }
        if s.indicators.is_empty() {
            c.err(&[k("indicators")], "at least one indicator");
        }
        c.finish(
            &origin,
            GrassrootsCapacity {
                id: s.id,
                version: s.version,
                sources: s.sources,
                status: s.status,
                scheme: s.scheme,
                min_covered: s.min_covered,
                breaks: s.breaks,
                indicators: s.indicators,
            },
        )
    }

    /// The shipped index.
    pub fn builtin() -> Self {
        Self::from_toml(
            crate::library::shipped_text(PATH),
            Path::new("models").join(PATH),
        )
        .expect("the shipped grassroots capacity index is valid")
    }

    /// Model id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Model version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The level scheme of the grades (`capacity5`).
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// What the file says of its standing (which parts follow the standard).
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The indicators in file order.
    pub fn indicators(&self) -> &[IndicatorSpec] {
        &self.indicators
    }

    /// The grade of an index: 0 for NaN, else 1 + #{breaks < index}.
    pub fn grade(&self, index: f64) -> u8 {
        if index.is_nan() {
            return 0;
        }
        (1 + self.breaks.iter().filter(|&&b| index > b).count()) as u8
    }

    /// The index of one unit from its raw values (an indicator missing from `raw`
    /// counts as not surveyed).
    pub fn score(&self, raw: &BTreeMap<Indicator, f64>) -> UnitScore {
        let total: f64 = self.indicators.iter().map(|m| m.weight).sum();
        let (mut num, mut den) = (0.0, 0.0);
        let scores = self
            .indicators
            .iter()
            .map(|m| {
                let s = m
                    .normalise
                    .score(raw.get(&m.id).copied().unwrap_or(f64::NAN));
                if !s.is_nan() {
                    num += m.weight * s;
                    den += m.weight;
                }
                (m.id, s)
            })
            .collect();
        let index = if den > 0.0 { num / den } else { f64::NAN };
        let covered = den / total;
        let grade = if covered + 1e-12 >= self.min_covered {
            self.grade(index)
        } else {
            0
        };
        UnitScore {
            scores,
            index,
            covered,
            grade,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_parses() {
        let g = GrassrootsCapacity::builtin();
        assert_eq!(g.scheme(), "capacity5");
        assert!(!g.indicators().is_empty());
    }

    #[test]
    fn normalisation_by_hand() {
        assert_eq!(Normalise::Benefit { full: 2.0 }.score(1.0), 0.5);
        assert_eq!(Normalise::Benefit { full: 2.0 }.score(5.0), 1.0);
        let c = Normalise::Cost {
            good: 15.0,
            bad: 60.0,
        };
        assert_eq!(c.score(10.0), 1.0);
        assert_eq!(c.score(37.5), 0.5);
        assert_eq!(c.score(90.0), 0.0);
        assert!(Normalise::Flag.score(f64::NAN).is_nan());
    }

    const FILE: &str = r#"
id = "t"
version = "1"
operator = "grassroots_capacity"
sources = ["s"]
status = "test"
scheme = "capacity5"
min_covered = 0.5
breaks = [0.2, 0.4, 0.6, 0.8]
[[indicators]]
id = "emergency_plan"
unit = "flag"
normalise = { kind = "flag" }
weight = 1.0
basis = "b"
[[indicators]]
id = "drills"
unit = "per_year"
normalise = { kind = "benefit", full = 2.0 }
weight = 3.0
basis = "b"
"#;

    #[test]
    fn index_and_grade_by_hand() {
        let g = GrassrootsCapacity::from_toml(FILE, "t.toml").unwrap();
        // plan yes (1), one drill (0.5): (1·1 + 3·0.5) / 4 = 0.625 → grade 4.
        let raw = BTreeMap::from([(Indicator::EmergencyPlan, 1.0), (Indicator::Drills, 1.0)]);
        let s = g.score(&raw);
        assert!((s.index - 0.625).abs() < 1e-15);
        assert_eq!((s.grade, s.covered), (4, 1.0));
        // Drills not surveyed: covered 0.25 < 0.5 → no grade, index from the plan alone.
        let s = g.score(&BTreeMap::from([(Indicator::EmergencyPlan, 0.0)]));
        assert_eq!((s.index, s.covered, s.grade), (0.0, 0.25, 0));
        // A value on a break stays below it.
        assert_eq!(g.grade(0.4), 2);
    }

    #[test]
    fn bad_files_name_the_key() {
        let bad = FILE.replace("kind = \"flag\"", "kind = \"benefit\", full = 1.0");
        let e = GrassrootsCapacity::from_toml(&bad, "t.toml").unwrap_err();
        assert!(e.to_string().contains("yes/no"), "{e}");
        let bad = FILE.replace("unit = \"per_year\"", "unit = \"per_month\"");
        let e = GrassrootsCapacity::from_toml(&bad, "t.toml").unwrap_err();
        assert!(e.to_string().contains("per_year"), "{e}");
    }
}
