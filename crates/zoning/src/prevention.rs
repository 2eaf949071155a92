//! Prevention zoning (防治区划) by the ordered rule table of
//! `models/zoning/prevention.toml`: tier 1 重点防治区, 2 次重点防治区, 3 一般防治区
//! (the `prevention3` level scheme), evaluated per cell and per admin unit. The first
//! rule of the scale whose conditions all hold places the cell or unit; each scale
//! ends with a rule without conditions. A placement keeps its trace: the rule id, its
//! description and the values of the indicators it tested.
//!
//! Each hazard has its own rules file (`<hazard>/prevention.toml`, the hazard's
//! folder of the model library; `comprehensive/prevention.toml` for the
//! comprehensive risk); `zoning/prevention.toml` serves the risk grids of a hazard
//! without one. A file names its `hazard`, which decides the indicators its unit
//! rules may test: the general ones every risk grid has ([`UNIT_INDICATORS`]) and the
//! hazard's own ([`HAZARD_INDICATORS`]: people and buildings in the 100-year flood
//! extent for flood, hidden-danger points for geological hazards, …), which the
//! engine computes per unit from the census ([`UnitValues`]). So the density of
//! GEOLOGICAL hidden-danger points can place a township for geological-hazard
//! prevention only, never for flood, earthquake or wildfire prevention.
//!
//! Indicators are named numbers ([`UNIT_INDICATORS`], [`HAZARD_INDICATORS`],
//! [`CELL_INDICATORS`]); a rule naming an indicator its scale (and hazard) does not
//! provide is refused when the file is read.
//! A NaN indicator (e.g. a cell whose exposure is nodata) fails every comparison, so
//! such a cell falls through to a later rule, at worst the default — except that
//! cells with no risk level at all are left unzoned (code 0).
//!
//! The general unit indicators ([`unit_indicators`]) come from a unit's statistics
//! ([`UnitStats`]): its level by the cumulative-share rule
//! ([`crate::units::unit_level`]), the area share of levels I–II, the share of its
//! population living on level I–II land, and the area-weighted mean mitigation
//! capacity. A hazard indicator the census cannot give (nothing surveyed) is NaN:
//! it fails every comparison and the trace says "not surveyed".

use std::collections::BTreeMap;

use riskcensus_core::LevelScheme;
use serde::{Deserialize, Serialize};

use crate::units::UnitStats;

/// The prevention rules' file in the model library (path relative to `models/`).
pub const PATH: &str = "zoning/prevention.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "prevention_rules";

/// Indicators the unit scale provides for every risk grid.
pub const UNIT_INDICATORS: [&str; 4] = [
    "risk_level",
    "top2_share",
    "population_top2_share",
    "capacity_mean",
];

/// A hazard-specific unit indicator: its name in the rules, unit and meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorDef {
    /// Name a rule's condition uses.
    pub name: &'static str,
    /// Unit of the value.
    pub unit: &'static str,
    /// What it counts, and from which census layers.
    pub meaning: &'static str,
}

const fn ind(name: &'static str, unit: &'static str, meaning: &'static str) -> IndicatorDef {
    IndicatorDef {
        name,
        unit,
        meaning,
    }
}

/// The schools, hospitals and chemical plants of `key_facilities` (the protected
/// objects of the flood and earthquake indicators).
pub const PROTECTED_KINDS: [&str; 3] = ["school", "hospital", "chemical_plant"];

/// Design PGA (g) from which a cell counts as a higher-PGA zone for the earthquake
/// indicator `key_facilities_high_pga`: 0.15 g, the upper sub-zone of intensity VII
/// (GB 18306-2015 Table G.1 and GB 50011-2010 Table 3.2.2).
pub const HIGH_PGA_G: f64 = 0.15;

/// The hazard-specific unit indicators, per hazard id (the `hazard` of a rules
/// file; `comprehensive` for the comprehensive risk). The engine computes them per
/// township and village; a value the census cannot give is NaN.
pub const HAZARD_INDICATORS: &[(&str, &[IndicatorDef])] = &[
    (
        "flood",
        &[
            ind("population_100yr", "persons", "people living in the 100-year flood extent (population grid, cells of depth > 0 in flood_depth_100y)"),
            ind("population_100yr_share", "fraction", "population_100yr over the unit's population"),
            ind("buildings_100yr", "buildings", "surveyed buildings standing in the 100-year flood extent"),
            ind("protected_objects_100yr", "facilities", "schools, hospitals and chemical plants (key_facilities) in the 100-year flood extent"),
            ind("works_below_standard", "works", "dikes and reservoirs (key_facilities, reservoirs) surveyed as not meeting their flood-control standard (meets_standard = no); NaN where no work of the census records the field"),
        ],
    ),
    (
        "geohazard",
        &[
            ind("hidden_danger_density", "points/km²", "registered geological hidden-danger points per km² of the unit"),
            ind("threatened_people", "persons", "people the unit's hidden-danger points threaten (threat_pop)"),
            ind("threatened_value_wan", "万元", "property the unit's hidden-danger points threaten (threat_value_wan)"),
            ind("unmonitored_share", "fraction", "share of the unit's hidden-danger points with no monitoring (monitoring = none); NaN without points"),
        ],
    ),
    (
        "earthquake",
        &[
            ind("key_grade_share", "fraction", "share of the unit's graded buildings whose earthquake hidden-danger grade is 1 (重点); townships only (NaN for villages)"),
            ind("key_facilities_high_pga", "facilities", "schools, hospitals and chemical plants (key_facilities) on cells of PGA ≥ 0.15 g (eq_pga)"),
        ],
    ),
    (
        "wildfire",
        &[
            ind("wildland_share", "fraction", "share of the unit's area that is forest or shrub (land cover 20, 40)"),
            ind("fires_per_100km2_yr", "fires/100 km²/yr", "recorded fires (fire_points) per 100 km² of the unit and year of the record (first to last fire year of the census)"),
            ind("protected_wildland_km2", "km²", "forest and shrub inside protected sites (protected_sites: heritage, scenic areas, nature reserves, forest parks)"),
        ],
    ),
    (
        "comprehensive",
        &[ind("hazards_top2", "hazards", "number of single-hazard risk grids on which the unit's risk level is I or II")],
    ),
];

/// The indicators a unit rule of a file for `hazard` may test: the general ones and
/// the hazard's own (none for a hazard without a list, or for the general file).
pub fn unit_indicators_for(hazard: Option<&str>) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = UNIT_INDICATORS.to_vec();
    if let Some((_, defs)) = HAZARD_INDICATORS.iter().find(|(h, _)| Some(*h) == hazard) {
        v.extend(defs.iter().map(|d| d.name));
    }
    v
}

/// Hazard indicator values per unit code (township or village code) → indicator →
/// value; NaN where the census cannot give it.
pub type UnitValues = BTreeMap<String, BTreeMap<&'static str, f64>>;

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
    /// The hazard whose risk grids the file places (`comprehensive` for the
    /// comprehensive risk; absent in the general file): decides the indicators.
    #[serde(default)]
    hazard: Option<String>,
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
            let unit = unit_indicators_for(self.hazard.as_deref());
            let known: &[&str] = match r.scale {
                Scale::Unit => &unit,
                Scale::Cell => &CELL_INDICATORS,
            };
            for (j, c) in r.all.iter().enumerate() {
                if !known.contains(&c.indicator.as_str()) {
                    err(
                        format!("rules[{i}].all[{j}].indicator"),
                        format!(
                            "{:?}: not a {:?}-scale indicator{} (known: {})",
                            c.indicator,
                            r.scale,
                            match (&self.hazard, r.scale) {
                                (Some(h), Scale::Unit) => format!(" of {h}"),
                                _ => String::new(),
                            },
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

    /// The hazard whose risk grids the file places (None: the general file).
    pub fn hazard(&self) -> Option<&str> {
        self.hazard.as_deref()
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

/// A number in a trace: integers without decimals, others with three; NaN (an
/// indicator the census cannot give) as "not surveyed".
fn fmt(v: f64) -> String {
    if v.is_nan() {
        "not surveyed".into()
    } else if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// The general unit-scale indicators of a unit ([`UNIT_INDICATORS`]) from its
/// statistics for one risk grid and its area-weighted mean capacity:
///
/// - `risk_level`: the unit's level (NaN when nothing is classified);
/// - `top2_share`: area share of levels 1–2;
/// - `population_top2_share`: population on levels 1–2 over the classified
///   population (0 without population);
/// - `capacity_mean`: as given.
pub fn unit_indicators(s: &UnitStats, capacity_mean: f64) -> BTreeMap<&'static str, f64> {
    let top2 = s.share_by_level.iter().take(2).sum::<f64>();
    let pop_total: f64 = s.population_by_level.iter().sum();
    let pop_top2 = s.population_by_level.iter().take(2).sum::<f64>();
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
/// by the unit rules from the general indicators and the hazard's own in `values`
/// (by unit code; a unit or indicator missing there is NaN). `stats` and
/// `capacity_mean` are in unit order.
pub fn place_units(
    stats: Vec<UnitStats>,
    capacity_mean: &[f64],
    values: &UnitValues,
    rules: &PreventionRules,
    prevention: &LevelScheme,
    risky: bool,
) -> Vec<UnitSummary> {
    stats
        .into_iter()
        .zip(capacity_mean)
        .map(|(s, cap_mean)| {
            let placement = risky.then(|| {
                let mut ind = unit_indicators(&s, *cap_mean);
                if let Some(v) = values.get(&s.unit_code) {
                    ind.extend(v.iter().map(|(k, x)| (*k, *x)));
                }
                rules.place(Scale::Unit, &ind)
            });
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

    /// The shipped rules files.
    const SHIPPED: &str = include_str!("../../../models/zoning/prevention.toml");
    const FLOOD: &str = include_str!("../../../models/flood/prevention.toml");
    const GEOHAZARD: &str = include_str!("../../../models/geohazard/prevention.toml");

    #[test]
    fn builtin_rules_place_units_with_a_trace() {
        let p = PreventionRules::from_toml(SHIPPED).unwrap();
        assert_eq!(p.hazard(), None);
        let mut ind = BTreeMap::from([
            ("risk_level", 2.0),
            ("top2_share", 0.35),
            ("population_top2_share", 0.41),
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
        assert_eq!(p.place(Scale::Unit, &ind).rule, "U2");
        ind.insert("risk_level", 5.0);
        ind.insert("top2_share", 0.01);
        let d = p.place(Scale::Unit, &ind);
        assert_eq!((d.tier, d.rule.as_str()), (3, "U4"));
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

    /// The township the reviewer found: many landslide points, nobody in the
    /// 100-year flood extent, low flood risk.
    fn landslide_township(risk_level: f64) -> BTreeMap<&'static str, f64> {
        BTreeMap::from([
            ("risk_level", risk_level),
            ("top2_share", 0.0),
            ("population_top2_share", 0.0),
            ("capacity_mean", 0.4),
            ("population_100yr", 0.0),
            ("population_100yr_share", 0.0),
            ("buildings_100yr", 0.0),
            ("protected_objects_100yr", 0.0),
            ("works_below_standard", f64::NAN),
            ("hidden_danger_density", 2.0),
            ("threatened_people", 600.0),
            ("threatened_value_wan", 900.0),
            ("unmonitored_share", 0.1),
        ])
    }

    #[test]
    fn landslide_points_make_a_township_key_for_geohazards_not_for_flood() {
        let flood = PreventionRules::from_toml(FLOOD).unwrap();
        let geo = PreventionRules::from_toml(GEOHAZARD).unwrap();
        assert_eq!(flood.hazard(), Some("flood"));
        let t = landslide_township(3.0);
        let f = flood.place(Scale::Unit, &t);
        assert_eq!((f.tier, f.rule.as_str()), (2, "F4"), "{}", f.trace);
        let f = flood.place(Scale::Unit, &landslide_township(5.0));
        assert_eq!((f.tier, f.rule.as_str()), (3, "F6"), "{}", f.trace);
        let g = geo.place(Scale::Unit, &t);
        assert_eq!((g.tier, g.rule.as_str()), (1, "G1"), "{}", g.trace);
        assert!(
            g.trace.contains("hidden_danger_density = 2 ≥ 0.200"),
            "{}",
            g.trace
        );
        // A work below standard is "not surveyed" in the trace when it tests it.
        let mut w = landslide_township(5.0);
        w.insert("population_100yr", 500.0);
        let p = flood.place(Scale::Unit, &w);
        assert_eq!(p.rule, "F5", "{}", p.trace);
        let f3 = flood.rules().iter().find(|r| r.id == "F3").unwrap();
        assert!(!f3.all[0].holds(f64::NAN));
        assert_eq!(fmt(f64::NAN), "not surveyed");
        // Every shipped hazard indicator list names distinct indicators.
        for (h, defs) in HAZARD_INDICATORS {
            let names = unit_indicators_for(Some(h));
            let distinct: std::collections::BTreeSet<_> = names.iter().collect();
            assert_eq!(distinct.len(), names.len(), "{h}");
            assert_eq!(names.len(), UNIT_INDICATORS.len() + defs.len());
        }
    }

    #[test]
    fn unit_indicators_by_hand() {
        // Shares 0.1 + 0.15 on levels I–II; population 30 of 120 there.
        let s = UnitStats {
            unit_code: "370999001".into(),
            unit_name: "甲镇".into(),
            layer: "geohazard_risk".into(),
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
        assert_eq!(i["capacity_mean"], 0.4);
        assert_eq!(i.len(), UNIT_INDICATORS.len());
        let p = PreventionRules::from_toml(GEOHAZARD).unwrap();
        let mut tiers = LevelScheme::generic(3);
        tiers.classes[0].name_zh = "重点防治区".into();
        // The geohazard indicators come from the engine, by unit code: 2 points/km².
        let values: UnitValues = BTreeMap::from([(
            "370999001".to_string(),
            BTreeMap::from([("hidden_danger_density", 2.0)]),
        )]);
        let placed = place_units(vec![s.clone()], &[0.4], &values, &p, &tiers, true);
        assert_eq!(placed[0].prevention_rule.as_deref(), Some("G1"));
        assert_eq!(placed[0].prevention_name.as_deref(), Some("重点防治区"));
        // Without them the unit falls to the general rules of its level.
        let placed = place_units(
            vec![s.clone()],
            &[0.4],
            &UnitValues::new(),
            &p,
            &tiers,
            true,
        );
        assert_eq!(placed[0].prevention_rule.as_deref(), Some("G4"));
        let not_risk = place_units(vec![s], &[0.4], &values, &p, &tiers, false);
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
        // U2 and U3 were tier 2, C2 and C3 too; U3 tests top2_share.
        assert_eq!(
            keys,
            [
                "rules[1].tier",
                "rules[2].tier",
                "rules[2].all[0].indicator",
                "rules[5].tier",
                "rules[6].tier"
            ],
            "{e}"
        );
        assert!(e.to_string().contains("gdp") && e.to_string().contains("tier = 4"));
        // The general file may not test a hazard's own indicator.
        let e = PreventionRules::from_toml(
            &SHIPPED.replace("\"top2_share\", op", "\"hidden_danger_density\", op"),
        )
        .unwrap_err();
        assert_eq!(e.problems()[0].key, "rules[2].all[0].indicator", "{e}");
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
