//! Prevention zoning (防治区划) by the ordered rule table of `models/prevention.toml`:
//! tier 1 重点防治区, 2 次重点防治区, 3 一般防治区 (the `prevention3` level scheme),
//! evaluated per cell and per admin unit. The first rule of the scale whose
//! conditions all hold places the cell or unit; each scale ends with a rule without
//! conditions. A placement keeps its trace: the rule id, its description and the
//! values of the indicators it tested.
//!
//! Indicators are named numbers (see the model file); a rule naming an indicator the
//! scale does not provide is refused when the file is read. A NaN indicator (e.g. a
//! cell whose risk is nodata) fails every comparison, so such a cell falls through
//! to the default rule — except that cells with no risk level at all are left
//! unzoned (code 0) by the caller.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// The prevention rules' file in the model library.
pub const PATH: &str = "zoning/prevention.toml";

/// The shipped text of [`PATH`].
pub fn builtin_text() -> &'static str {
    riskcensus_models::library::shipped_text(PATH)
}

/// Indicators each scale provides.
pub const UNIT_INDICATORS: [&str; 5] = [
    "risk_level",
    "top2_share",
    "population_top2_share",
    "hidden_danger_density",
    "capacity_mean",
];
pub const CELL_INDICATORS: [&str; 3] = ["risk_level", "exposure", "capacity"];

/// `models/prevention.toml`, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreventionRules {
    pub id: String,
    pub version: String,
    pub operator: String,
    pub sources: Vec<String>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub scale: Scale,
    pub tier: u8,
    pub description: String,
    pub all: Vec<Condition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    Unit,
    Cell,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub indicator: String,
    pub op: String,
    pub value: f64,
}

impl Condition {
    fn holds(&self, x: f64) -> bool {
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
    pub tier: u8,
    pub rule: String,
    /// "U1 (description): risk_level = 2 ≤ 2; population_top2_share = 0.41 ≥ 0.3".
    pub trace: String,
}

impl PreventionRules {
    /// Parse and validate (`origin` names the file): known operator and indicators,
    /// known comparison operators, tiers 1–3, unique rule ids, each scale ending with
    /// exactly one unconditional rule.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, EngineError> {
        let err = |msg: String| EngineError::Config {
            path: origin.to_path_buf(),
            msg,
        };
        let s: PreventionRules =
            toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
        if s.operator != "prevention_rules" {
            return Err(err(format!(
                "operator {:?}: only \"prevention_rules\" is known",
                s.operator
            )));
        }
        for (i, r) in s.rules.iter().enumerate() {
            let at = format!("rules[{i}] ({})", r.id);
            if s.rules[..i].iter().any(|o| o.id == r.id) {
                return Err(err(format!("{at}: duplicate rule id")));
            }
            if !(1..=3).contains(&r.tier) {
                return Err(err(format!(
                    "{at}.tier = {}: give 1 (重点), 2 (次重点) or 3 (一般)",
                    r.tier
                )));
            }
            let known: &[&str] = match r.scale {
                Scale::Unit => &UNIT_INDICATORS,
                Scale::Cell => &CELL_INDICATORS,
            };
            for (j, c) in r.all.iter().enumerate() {
                if !known.contains(&c.indicator.as_str()) {
                    return Err(err(format!(
                        "{at}.all[{j}].indicator {:?}: not a {:?}-scale indicator (known: {})",
                        c.indicator,
                        r.scale,
                        known.join(", ")
                    )));
                }
                if !["<", "<=", ">", ">=", "=="].contains(&c.op.as_str()) {
                    return Err(err(format!(
                        "{at}.all[{j}].op {:?}: use <, <=, >, >= or ==",
                        c.op
                    )));
                }
            }
        }
        for scale in [Scale::Unit, Scale::Cell] {
            let rules: Vec<&Rule> = s.rules.iter().filter(|r| r.scale == scale).collect();
            match rules.last() {
                Some(last) if last.all.is_empty() => {}
                _ => {
                    return Err(err(format!(
                        "rules: the {scale:?}-scale rules must end with a default rule (all = [])"
                    )))
                }
            }
            if rules[..rules.len() - 1].iter().any(|r| r.all.is_empty()) {
                return Err(err(format!(
                    "rules: only the last {scale:?}-scale rule may have no condition (the rules after it could never apply)"
                )));
            }
        }
        Ok(s)
    }

    /// The built-in rules.
    pub fn builtin() -> Self {
        Self::parse(builtin_text(), Path::new("models/zoning/prevention.toml")).expect("valid")
    }

    /// The parameter hash recorded in outputs.
    pub fn param_hash(&self) -> String {
        crate::provenance::param_hash(self)
    }

    /// Place one unit or cell. `indicators` must hold every indicator of the scale.
    pub fn place(&self, scale: Scale, indicators: &BTreeMap<&str, f64>) -> Placement {
        for r in self.rules.iter().filter(|r| r.scale == scale) {
            let ok = r
                .all
                .iter()
                .all(|c| c.holds(*indicators.get(c.indicator.as_str()).unwrap_or(&f64::NAN)));
            if ok {
                let parts: Vec<String> = r
                    .all
                    .iter()
                    .map(|c| {
                        let v = indicators
                            .get(c.indicator.as_str())
                            .copied()
                            .unwrap_or(f64::NAN);
                        let op = match c.op.as_str() {
                            "<=" => "≤",
                            ">=" => "≥",
                            "==" => "=",
                            o => o,
                        };
                        format!("{} = {} {op} {}", c.indicator, fmt(v), fmt(c.value))
                    })
                    .collect();
                let trace = if parts.is_empty() {
                    format!("{} ({}): no other rule applies", r.id, r.description)
                } else {
                    format!("{} ({}): {}", r.id, r.description, parts.join("; "))
                };
                return Placement {
                    tier: r.tier,
                    rule: r.id.clone(),
                    trace,
                };
            }
        }
        unreachable!("validated: every scale ends with a default rule")
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

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_place_units_with_a_trace() {
        let p = PreventionRules::builtin();
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
    fn bad_rule_files_are_named() {
        let o = Path::new("models/prevention.toml");
        let e = PreventionRules::parse(
            &builtin_text().replace("\"top2_share\", op", "\"gdp\", op"),
            o,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("gdp") && e.contains("prevention.toml"), "{e}");
        let e = PreventionRules::parse(&builtin_text().replace("tier = 2", "tier = 4"), o)
            .unwrap_err()
            .to_string();
        assert!(e.contains("tier = 4"), "{e}");
        let e = PreventionRules::parse(&builtin_text().replace("op = \"<\"", "op = \"~\""), o)
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"~\""), "{e}");
        let no_default = builtin_text().replace(
            "id = \"C4\"\nscale = \"cell\"\ntier = 3\ndescription = \"default: general prevention\"\nall = []",
            "id = \"C4\"\nscale = \"cell\"\ntier = 3\ndescription = \"x\"\nall = [{ indicator = \"exposure\", op = \">\", value = 0.0 }]",
        );
        let e = PreventionRules::parse(&no_default, o)
            .unwrap_err()
            .to_string();
        assert!(e.contains("default rule"), "{e}");
    }
}
