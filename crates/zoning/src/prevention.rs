//! Prevention zoning (防治区划) by the ordered rule table of
//! `models/zoning/prevention.toml`: tier 1 重点防治区, 2 次重点防治区, 3 一般防治区
//! (the `prevention3` level scheme), evaluated per cell and per admin unit. The first
//! rule of the scale whose conditions all hold places the cell or unit; each scale
//! ends with a rule without conditions. A placement keeps its trace: the rule id, its
//! description and the values of the indicators it tested.
//!
//! Indicators are named numbers ([`UNIT_INDICATORS`], [`CELL_INDICATORS`]); a rule
//! naming an indicator its scale does not provide is refused when the file is read.
//! A NaN indicator (e.g. a cell whose exposure is nodata) fails every comparison, so
//! such a cell falls through to a later rule, at worst the default — except that
//! cells with no risk level at all are left unzoned (code 0).
//!
//! Unit indicators ([`unit_indicators`]) come from a unit's statistics
//! ([`UnitStats`]): its level by the cumulative-share rule
//! ([`crate::units::unit_level`]), the area share of levels I–II, the share of its
//! population living on level I–II land, registered hidden-danger points per km²,
//! and the area-weighted mean mitigation capacity.

use std::collections::BTreeMap;

use riskcensus_core::LevelScheme;
use serde::{Deserialize, Serialize};

use crate::units::UnitStats;

/// The prevention rules' file in the model library (path relative to `models/`).
pub const PATH: &str = "zoning/prevention.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "prevention_rules";

/// Indicators the unit scale provides.
pub const UNIT_INDICATORS: [&str; 5] = [
    "risk_level",
    "top2_share",
    "population_top2_share",
    "hidden_danger_density",
    "capacity_mean",
];

/// Indicators the cell scale provides.
pub const CELL_INDICATORS: [&str; 3] = ["risk_level", "exposure", "capacity"];

/// The comparison operators a condition may use.
const OPS: [&str; 5] = ["<", "<=", ">", ">=", "=="];

/// `models/zoning/prevention.toml`, validated ([`PreventionRules::from_toml`]). Its
/// JSON serialisation is the rules' parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreventionRules {
    id: String,
    version: String,
    operator: String,
    /// The level scheme of the tiers (a `levels.toml` scheme measuring prevention).
    #[serde(default = "default_scheme")]
    scheme: String,
    sources: Vec<String>,
    rules: Vec<Rule>,
}

fn default_scheme() -> String {
    "prevention3".into()
}

/// One rule: where it applies, the tier it gives and the conditions that must all
/// hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Rule id, unique in the file (e.g. `U1`), kept in every placement.
    pub id: String,
    /// Cells or admin units.
    pub scale: Scale,
    /// Prevention tier: 1 重点, 2 次重点, 3 一般.
    pub tier: u8,
    /// Why the rule places where it does, kept in the trace.
    pub description: String,
    /// Conditions that must all hold (empty: the scale's default rule).
    pub all: Vec<Condition>,
}

/// What a rule places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Admin units (townships, villages).
    Unit,
    /// Grid cells.
    Cell,
}

/// One test of an indicator against a threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The indicator's name (one of the scale's indicators).
    pub indicator: String,
    /// `<`, `<=`, `>`, `>=` or `==`.
    pub op: String,
    /// The threshold.
    pub value: f64,
}

impl Condition {
    /// True when `x op value` holds (never for NaN).
    pub fn holds(&self, x: f64) -> bool {
        match self.op.as_str() {
            "<" => x < self.value,
            "<=" => x <= self.value,
            ">" => x > self.value,
            ">=" => x >= self.value,
            "==" => x == self.value,
            _ => false,
        }
    }
}

/// Where a unit or cell was placed and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    /// The tier (1–3).
    pub tier: u8,
    /// The id of the rule that placed it.
    pub rule: String,
    /// "U1 (description): risk_level = 2 ≤ 2; population_top2_share = 0.410 ≥ 0.300".
    pub trace: String,
}

/// One problem of a rules file: the dotted key and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleProblem {
    /// Dotted key path, array indices in brackets: `rules[3].all[0].indicator`.
    pub key: String,
    /// What is wrong and, where it helps, what is allowed.
    pub msg: String,
}

impl std::fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.msg)
    }
}

/// Why a rules file was refused.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// TOML syntax, or a key that is unknown, missing or of the wrong type.
    #[error("cannot read the rules (TOML syntax, unknown or missing key)")]
    Syntax {
        /// The parser's error, with its line and column.
        #[source]
        source: toml::de::Error,
    },
    /// Semantic validation: every problem found, not only the first.
    #[error("{}", problem_list(problems))]
    Invalid {
        /// Every problem, in file order.
        problems: Vec<RuleProblem>,
    },
}

fn problem_list(problems: &[RuleProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl RulesError {
    /// The problems of an [`RulesError::Invalid`] error (empty otherwise).
    pub fn problems(&self) -> &[RuleProblem] {
        match self {
            RulesError::Invalid { problems } => problems,
            RulesError::Syntax { .. } => &[],
        }
    }
}

impl PreventionRules {
    /// The id of the level scheme of the tiers (`scheme`, default `prevention3`).
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Parse and validate the file's text: the known operator, tiers 1–3, unique rule
    /// ids, indicators of the rule's scale, known comparison operators, and each
    /// scale ending with exactly one unconditional rule. Every problem is reported.
    pub fn from_toml(text: &str) -> Result<Self, RulesError> {
        let rules: PreventionRules =
            toml::from_str(text).map_err(|source| RulesError::Syntax { source })?;
        let problems = rules.problems();
        if problems.is_empty() {
            Ok(rules)
        } else {
            Err(RulesError::Invalid { problems })
        }
    }

    fn problems(&self) -> Vec<RuleProblem> {
        let mut p = Vec::new();
        let mut err = |key: String, msg: String| p.push(RuleProblem { key, msg });
        if self.operator != OPERATOR {
            err(
                "operator".into(),
                format!("{:?}: only {OPERATOR:?} is known", self.operator),
            );
        }
        for (i, r) in self.rules.iter().enumerate() {
            if self.rules[..i].iter().any(|o| o.id == r.id) {
                err(
                    format!("rules[{i}].id"),
                    format!("duplicate rule id {:?}", r.id),
                );
            }
            if !(1..=3).contains(&r.tier) {
                err(
                    format!("rules[{i}].tier"),
                    format!("tier = {}: give 1 (重点), 2 (次重点) or 3 (一般)", r.tier),
                );
            }
            let known: &[&str] = match r.scale {
                Scale::Unit => &UNIT_INDICATORS,
                Scale::Cell => &CELL_INDICATORS,
            };
            for (j, c) in r.all.iter().enumerate() {
                if !known.contains(&c.indicator.as_str()) {
                    err(
                        format!("rules[{i}].all[{j}].indicator"),
                        format!(
                            "{:?}: not a {:?}-scale indicator (known: {})",
                            c.indicator,
                            r.scale,
                            known.join(", ")
                        ),
                    );
                }
                if !OPS.contains(&c.op.as_str()) {
                    err(
                        format!("rules[{i}].all[{j}].op"),
                        format!("{:?}: use <, <=, >, >= or ==", c.op),
                    );
                }
            }
        }
        for scale in [Scale::Unit, Scale::Cell] {
            let rules: Vec<&Rule> = self.rules.iter().filter(|r| r.scale == scale).collect();
            if !rules.last().is_some_and(|r| r.all.is_empty()) {
                err(
                    "rules".into(),
                    format!("the {scale:?}-scale rules must end with a default rule (all = [])"),
                );
            } else if rules[..rules.len() - 1].iter().any(|r| r.all.is_empty()) {
                err(
                    "rules".into(),
                    format!("only the last {scale:?}-scale rule may have no condition (the rules after it could never apply)"),
                );
            }
        }
        p
    }

    /// Model id, recorded with the outputs.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Model version, recorded with the outputs.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// References to the rules' sources.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Place one unit or cell. An indicator missing from `indicators` is NaN (it
    /// fails every comparison).
    pub fn place(&self, scale: Scale, indicators: &BTreeMap<&str, f64>) -> Placement {
        let value = |c: &Condition| {
            indicators
                .get(c.indicator.as_str())
                .copied()
                .unwrap_or(f64::NAN)
        };
        let rule = self
            .rules
            .iter()
            .filter(|r| r.scale == scale)
            .find(|r| r.all.iter().all(|c| c.holds(value(c))))
            .expect("validated: every scale ends with a default rule");
        let parts: Vec<String> = rule
            .all
            .iter()
            .map(|c| {
                let op = match c.op.as_str() {
                    "<=" => "≤",
                    ">=" => "≥",
                    "==" => "=",
                    o => o,
                };
                format!("{} = {} {op} {}", c.indicator, fmt(value(c)), fmt(c.value))
            })
            .collect();
        let trace = if parts.is_empty() {
            format!("{} ({}): no other rule applies", rule.id, rule.description)
        } else {
            format!("{} ({}): {}", rule.id, rule.description, parts.join("; "))
        };
        Placement {
            tier: rule.tier,
            rule: rule.id.clone(),
            trace,
        }
    }

    /// The cell rules as a per-cell function of (risk level, exposure, capacity),
    /// returning the tier code (0 when the risk level is 0 = nodata).
    pub fn cell_tier(&self, level: u8, exposure: f32, capacity: f32) -> u8 {
        if level == 0 {
            return 0;
        }
        for r in self.rules.iter().filter(|r| r.scale == Scale::Cell) {
            let ok = r.all.iter().all(|c| {
                let x = match c.indicator.as_str() {
                    "risk_level" => level as f64,
                    "exposure" => exposure as f64,
                    "capacity" => capacity as f64,
                    _ => f64::NAN,
                };
                c.holds(x)
            });
            if ok {
                return r.tier;
            }
        }
        3
    }
}

/// A number in a trace: integers without decimals, others with three.
fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// The unit-scale indicators of a unit ([`UNIT_INDICATORS`]) from its statistics
/// for one risk grid and its area-weighted mean capacity:
///
/// - `risk_level`: the unit's level (NaN when nothing is classified);
/// - `top2_share`: area share of levels 1–2;
/// - `population_top2_share`: population on levels 1–2 over the classified
///   population (0 without population);
/// - `hidden_danger_density`: hidden-danger points (classified or not) per km² of
///   the unit (0 for a unit of no area);
/// - `capacity_mean`: as given.
pub fn unit_indicators(s: &UnitStats, capacity_mean: f64) -> BTreeMap<&'static str, f64> {
    let top2 = s.share_by_level.iter().take(2).sum::<f64>();
    let pop_total: f64 = s.population_by_level.iter().sum();
    let pop_top2 = s.population_by_level.iter().take(2).sum::<f64>();
    let hd: f64 = s.hidden_dangers_by_level.iter().sum::<f64>() + s.hidden_dangers_unclassified;
    BTreeMap::from([
        (
            "risk_level",
            if s.unit_level == 0 {
                f64::NAN
            } else {
                s.unit_level as f64
            },
        ),
        ("top2_share", top2),
        (
            "population_top2_share",
            if pop_total > 0.0 {
                pop_top2 / pop_total
            } else {
                0.0
            },
        ),
        (
            "hidden_danger_density",
            if s.area_km2 > 0.0 {
                hd / s.area_km2
            } else {
                0.0
            },
        ),
        ("capacity_mean", capacity_mean),
    ])
}

/// A unit's statistics and prevention placement for one layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSummary {
    /// The unit's statistics.
    #[serde(flatten)]
    pub stats: UnitStats,
    /// Prevention tier (risk grids only).
    pub prevention_tier: Option<u8>,
    /// The tier's Chinese name (重点 / 次重点 / 一般防治区).
    pub prevention_name: Option<String>,
    /// The id of the rule that placed the unit.
    pub prevention_rule: Option<String>,
    /// The placement's trace.
    pub prevention_trace: Option<String>,
}

/// Each unit's summary: its statistics and, for a risk grid (`risky`), its placement
/// by the unit rules. `stats` and `capacity_mean` are in unit order.
pub fn place_units(
    stats: Vec<UnitStats>,
    capacity_mean: &[f64],
    rules: &PreventionRules,
    prevention: &LevelScheme,
    risky: bool,
) -> Vec<UnitSummary> {
    stats
        .into_iter()
        .zip(capacity_mean)
        .map(|(s, cap_mean)| {
            let placement =
                risky.then(|| rules.place(Scale::Unit, &unit_indicators(&s, *cap_mean)));
            UnitSummary {
                prevention_tier: placement.as_ref().map(|p| p.tier),
                prevention_name: placement.as_ref().map(|p| {
                    prevention
                        .class(p.tier)
                        .map(|c| c.name_zh.to_string())
                        .unwrap_or_default()
                }),
                prevention_rule: placement.as_ref().map(|p| p.rule.clone()),
                prevention_trace: placement.map(|p| p.trace),
                stats: s,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped rules file.
    const SHIPPED: &str = include_str!("../../../models/zoning/prevention.toml");

    #[test]
    fn builtin_rules_place_units_with_a_trace() {
        let p = PreventionRules::from_toml(SHIPPED).unwrap();
        let mut ind = BTreeMap::from([
            ("risk_level", 2.0),
            ("top2_share", 0.35),
            ("population_top2_share", 0.41),
            ("hidden_danger_density", 0.0),
            ("capacity_mean", 0.4),
        ]);
        let a = p.place(Scale::Unit, &ind);
        assert_eq!((a.tier, a.rule.as_str()), (1, "U1"));
        assert!(
            a.trace.contains("population_top2_share = 0.410 ≥ 0.300"),
            "{}",
            a.trace
        );
        ind.insert("population_top2_share", 0.1);
        assert_eq!(p.place(Scale::Unit, &ind).rule, "U3");
        ind.insert("risk_level", 5.0);
        ind.insert("top2_share", 0.01);
        let d = p.place(Scale::Unit, &ind);
        assert_eq!((d.tier, d.rule.as_str()), (3, "U5"));
        assert!(d.trace.ends_with("no other rule applies"), "{}", d.trace);
        // Cells: level II with low capacity is 重点; nodata stays 0.
        assert_eq!(p.cell_tier(2, 0.2, 0.3), 1);
        assert_eq!(p.cell_tier(2, 0.2, 0.7), 2);
        assert_eq!(p.cell_tier(3, 0.6, 0.7), 2);
        assert_eq!(p.cell_tier(4, 0.9, 0.0), 3);
        assert_eq!(p.cell_tier(0, 0.9, 0.0), 0);
        assert_eq!(
            p.cell_tier(2, 0.2, f32::NAN),
            2,
            "NaN capacity fails C1's test"
        );
    }

    #[test]
    fn unit_indicators_by_hand() {
        // Shares 0.1 + 0.15 on levels I–II; population 30 of 120 there; 3 + 1
        // hidden dangers on 2 km².
        let s = UnitStats {
            unit_code: "370999001".into(),
            unit_name: "甲镇".into(),
            layer: "flood_risk".into(),
            scheme: "risk5".into(),
            area_km2: 2.0,
            score_mean: None,
            score_max: None,
            area_km2_by_level: vec![0.2, 0.3, 0.5, 0.5, 0.5],
            share_by_level: vec![0.1, 0.15, 0.25, 0.25, 0.25],
            population_by_level: vec![10.0, 20.0, 30.0, 30.0, 30.0],
            buildings_by_level: vec![0.0; 5],
            value_wan_by_level: vec![0.0; 5],
            hidden_dangers_by_level: vec![1.0, 0.0, 2.0, 0.0, 0.0],
            buildings_unclassified: 0.0,
            hidden_dangers_unclassified: 1.0,
            unit_level: 2,
            unit_level_rule: String::new(),
        };
        let i = unit_indicators(&s, 0.4);
        assert_eq!(i["risk_level"], 2.0);
        assert!((i["top2_share"] - 0.25).abs() < 1e-15);
        assert_eq!(i["population_top2_share"], 0.25);
        assert_eq!(i["hidden_danger_density"], 2.0);
        assert_eq!(i["capacity_mean"], 0.4);
        let p = PreventionRules::from_toml(SHIPPED).unwrap();
        let mut tiers = LevelScheme::generic(3);
        tiers.classes[0].name_zh = "重点防治区".into();
        let placed = place_units(vec![s.clone()], &[0.4], &p, &tiers, true);
        // U1 needs ≥ 30 % of the population on I–II; U2 holds: 2 points/km² ≥ 0.2.
        assert_eq!(placed[0].prevention_rule.as_deref(), Some("U2"));
        assert_eq!(placed[0].prevention_name.as_deref(), Some("重点防治区"));
        let not_risk = place_units(vec![s], &[0.4], &p, &tiers, false);
        assert_eq!(not_risk[0].prevention_tier, None);
    }

    #[test]
    fn bad_rule_files_are_named_with_every_problem() {
        let e = PreventionRules::from_toml(
            &SHIPPED
                .replace("\"top2_share\", op", "\"gdp\", op")
                .replace("tier = 2", "tier = 4"),
        )
        .unwrap_err();
        let keys: Vec<&str> = e.problems().iter().map(|p| p.key.as_str()).collect();
        // U3 and U4 were tier 2, C2 and C3 too; U4 tests top2_share.
        assert_eq!(
            keys,
            [
                "rules[2].tier",
                "rules[3].tier",
                "rules[3].all[0].indicator",
                "rules[6].tier",
                "rules[7].tier"
            ],
            "{e}"
        );
        assert!(e.to_string().contains("gdp") && e.to_string().contains("tier = 4"));
        let e =
            PreventionRules::from_toml(&SHIPPED.replace("op = \"<\"", "op = \"~\"")).unwrap_err();
        assert!(e.to_string().contains("\"~\""), "{e}");
        let no_default = SHIPPED.replace(
            "id = \"C4\"\nscale = \"cell\"\ntier = 3\ndescription = \"default: general prevention\"\nall = []",
            "id = \"C4\"\nscale = \"cell\"\ntier = 3\ndescription = \"x\"\nall = [{ indicator = \"exposure\", op = \">\", value = 0.0 }]",
        );
        let e = PreventionRules::from_toml(&no_default).unwrap_err();
        assert_eq!(e.problems()[0].key, "rules");
        assert!(e.to_string().contains("default rule"), "{e}");
        let e = PreventionRules::from_toml(&SHIPPED.replace("tier = 1", "tier = 1\ncolour = 2"))
            .unwrap_err();
        assert!(matches!(e, RulesError::Syntax { .. }), "{e}");
        let cause = std::error::Error::source(&e).unwrap().to_string();
        assert!(cause.contains("colour"), "{cause}");
    }
}
