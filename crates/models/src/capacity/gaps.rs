//! The parameters of the capacity gaps (`models/capacity/capacity_gaps.toml`):
//! shelter types and their service radii (GB 51143-2015), the displacement scenarios
//! whose people need a shelter place, the site-safety screens of shelters
//! (GB 51143-2015 §4.1.2), the relief needs per person and day with the target
//! days, rescue travel speeds and isochrones, and the 三高一低 screening rule — and
//! the two small relief formulas ([`reserve_days`], [`cover_share`]).
//!
//! Units: metres, minutes, km/h, persons; reserve stocks in the units of the census
//! `material_reserves` fields (t for food and water, pieces otherwise).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::locate::Step;
use crate::operator_file::{at, k, parse_toml, Checker};

/// The file in the model library.
pub const PATH: &str = "capacity/capacity_gaps.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "capacity_gaps";

/// One shelter type (a code of the census `shelter_type` domain).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShelterType {
    /// Chinese name.
    pub name_zh: String,
    /// Service radius along the road network, metres.
    pub radius_m: f64,
    /// Where the radius comes from.
    pub basis: String,
}

/// `[shelters]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shelters {
    /// The type of a shelter recorded without one.
    pub default_type: String,
    /// Vertices of the road lines closer than this merge into one node, metres.
    pub snap_m: f64,
    /// The types by code.
    pub types: BTreeMap<String, ShelterType>,
}

/// Who is displaced in a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Displacement {
    /// The population of every cell whose flood depth exceeds `depth_m`.
    Depth {
        /// Depth threshold, metres.
        depth_m: f64,
    },
    /// The residents of uninhabitable dwellings the hazard's loss model gives per
    /// building (the earthquake's Hazus displaced households).
    Uninhabitable,
}

/// One `[[scenarios]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Id in tables (`flood_100y`).
    pub id: String,
    /// Chinese name for tables and the report.
    pub name_zh: String,
    /// Hazard id (`flood`, `earthquake`).
    pub hazard: String,
    /// The hazard's event: a flood return period `100y` (the depth grid
    /// `flood_depth_100y`) or an earthquake probability level (`basic`, `rare`).
    pub event: String,
    /// Who is displaced.
    pub displacement: Displacement,
    /// Source of the rule.
    pub basis: String,
}

/// `[safety]`: the screens of a shelter site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Safety {
    /// Geological-hazard levels (geohazard4 codes) a site must not lie in.
    pub geohazard_levels: Vec<u8>,
    /// A site inside the threat zone of a geological hidden-danger point is unsafe.
    pub hidden_danger_zones: bool,
    /// Minimum distance of a site from a fault trace, metres.
    pub fault_buffer_m: f64,
    /// The flood event whose extent a site must stay out of (`100y`).
    pub flood_event: String,
    /// Depth above which a site counts as flooded, metres.
    pub flood_depth_m: f64,
    /// Sources.
    pub basis: String,
}

/// A consumable relief item: how much one displaced person needs per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consumable {
    /// The `material_reserves` field holding the stock.
    pub item: String,
    /// Need per person and day, in the field's unit.
    pub per_person_day: f64,
    /// The field's unit (`t`).
    pub unit: String,
    /// Source.
    pub basis: String,
}

/// A durable relief item: how many displaced people one piece serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Durable {
    /// The `material_reserves` field holding the stock (pieces).
    pub item: String,
    /// Persons one piece serves.
    pub persons_per_item: f64,
    /// Source.
    pub basis: String,
}

/// `[relief]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relief {
    /// The days the stocks should last (the plan's target).
    pub target_days: f64,
    /// The people the plan's reserves are for (the plan's own scenario).
    pub target_people: f64,
    /// Source of the target.
    pub target_basis: String,
    /// Consumables.
    pub consumables: Vec<Consumable>,
    /// Durables.
    pub durables: Vec<Durable>,
}

/// `[rescue]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rescue {
    /// Travel speed per road class code (`roads.class`), km/h.
    pub speeds_kmh: BTreeMap<String, f64>,
    /// Speed of a road without a class, km/h.
    pub default_speed_kmh: f64,
    /// Speed between a cell centre or a station and its nearest road node, km/h.
    pub offroad_kmh: f64,
    /// The isochrones, minutes, ascending.
    pub isochrones_min: Vec<f64>,
    /// Sources of the speeds.
    pub basis: String,
}

/// `[screening]`: the 三高一低 rule per township.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Screening {
    /// High loss: the recorded mean annual loss / GDP level (risk5 by
    /// `common/loss_levels.toml`) at or above this severity (level code ≤ it).
    pub loss_level_max: u8,
    /// High hidden danger: geological hidden-danger points per 100 km² at or above.
    pub hidden_dangers_per_100km2: f64,
    /// … or people threatened by them per 1,000 residents at or above.
    pub threatened_per_1k: f64,
    /// High risk: the comprehensive risk level code ≤ this.
    pub risk_level_max: u8,
    /// Low capacity: the grassroots capacity grade code ≤ this.
    pub capacity_grade_max: u8,
    /// Sources and conventions.
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
    shelters: Shelters,
    scenarios: Vec<Scenario>,
    safety: Safety,
    relief: Relief,
    rescue: Rescue,
    screening: Screening,
}

/// The validated parameters; their JSON is the parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityGaps {
    /// Model id.
    pub id: String,
    /// Model version.
    pub version: String,
    /// Sources.
    pub sources: Vec<String>,
    /// Shelter types.
    pub shelters: Shelters,
    /// Displacement scenarios.
    pub scenarios: Vec<Scenario>,
    /// Site-safety screens.
    pub safety: Safety,
    /// Relief needs.
    pub relief: Relief,
    /// Rescue travel.
    pub rescue: Rescue,
    /// 三高一低.
    pub screening: Screening,
}

fn positive(v: f64) -> bool {
    v > 0.0 && v.is_finite()
}

impl CapacityGaps {
    /// Parse and check the file's text; every problem with its line and key.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin: PathBuf = origin.as_ref().to_path_buf();
        let s: Spec = parse_toml(text, &origin)?;
        let mut c = Checker::new(text);
        c.operator(&s.operator, OPERATOR);
        c.sources(&s.sources);
        let sh = &s.shelters;
        if !sh.types.contains_key(&sh.default_type) {
            c.err(
                &[k("shelters"), k("default_type")],
                format!("{:?} is not a key of shelters.types", sh.default_type),
            );
        }
        if !(sh.snap_m >= 0.0 && sh.snap_m.is_finite()) {
            c.err(&[k("shelters"), k("snap_m")], "must be ≥ 0");
        }
        for (code, t) in &sh.types {
            if !positive(t.radius_m) {
                c.err(
                    &[k("shelters"), k("types"), k(code)],
                    "radius_m must be positive",
                );
            }
        }
        for (i, sc) in s.scenarios.iter().enumerate() {
            let p = at("scenarios", i);
            if s.scenarios[..i].iter().any(|o| o.id == sc.id) {
                c.err(&p, format!("scenario {} is given twice", sc.id));
            }
            match (sc.hazard.as_str(), sc.displacement) {
                ("flood", Displacement::Depth { depth_m }) if depth_m >= 0.0 => {}
                ("earthquake", Displacement::Uninhabitable) => {}
                (h, d) => c.err(
                    &p,
                    format!("hazard {h:?} with displacement {d:?}: flood takes depth (≥ 0 m), earthquake uninhabitable"),
                ),
            }
        }
        let sf = &s.safety;
        if sf.geohazard_levels.contains(&0) {
            c.err(
                &[k("safety"), k("geohazard_levels")],
                "level codes start at 1",
            );
        }
        if !(sf.fault_buffer_m >= 0.0 && sf.flood_depth_m >= 0.0) {
            c.err(
                &[k("safety")],
                "fault_buffer_m and flood_depth_m must be ≥ 0",
            );
        }
        let r = &s.relief;
        if !positive(r.target_days) || !positive(r.target_people) {
            c.err(
                &[k("relief")],
                "target_days and target_people must be positive",
            );
        }
        for (i, n) in r.consumables.iter().enumerate() {
            if !positive(n.per_person_day) {
                c.err(
                    &[k("relief"), k("consumables"), Step::Index(i)],
                    "per_person_day must be positive",
                );
            }
        }
        for (i, n) in r.durables.iter().enumerate() {
            if !positive(n.persons_per_item) {
                c.err(
                    &[k("relief"), k("durables"), Step::Index(i)],
                    "persons_per_item must be positive",
                );
            }
        }
        let rs = &s.rescue;
        if !rs.speeds_kmh.values().all(|&v| positive(v))
            || !positive(rs.default_speed_kmh)
            || !positive(rs.offroad_kmh)
        {
            c.err(&[k("rescue")], "speeds must be positive");
        }
        if rs.isochrones_min.is_empty()
            || !rs.isochrones_min.iter().all(|&v| positive(v))
            || !rs.isochrones_min.windows(2).all(|w| w[1] > w[0])
        {
            c.err(
                &[k("rescue"), k("isochrones_min")],
                "positive and strictly ascending",
            );
        }
        let sc = &s.screening;
        if sc.loss_level_max == 0 || sc.risk_level_max == 0 || sc.capacity_grade_max == 0 {
            c.err(&[k("screening")], "level and grade codes start at 1");
        }
        c.finish(
            &origin,
            CapacityGaps {
                id: s.id,
                version: s.version,
                sources: s.sources,
                shelters: s.shelters,
                scenarios: s.scenarios,
                safety: s.safety,
                relief: s.relief,
                rescue: s.rescue,
                screening: s.screening,
            },
        )
    }

    /// The shipped parameters.
    pub fn builtin() -> Self {
        Self::from_toml(
            crate::library::shipped_text(PATH),
            Path::new("models").join(PATH),
        )
        .expect("the shipped capacity gaps are valid")
    }

    /// The service radius of a shelter type code (the default type's for an
    /// unknown or missing code), metres.
    pub fn radius_m(&self, shelter_type: Option<&str>) -> f64 {
        let t = shelter_type
            .and_then(|c| self.shelters.types.get(c))
            .unwrap_or(&self.shelters.types[&self.shelters.default_type]);
        t.radius_m
    }

    /// The speed of a road class code, km/h.
    pub fn speed_kmh(&self, class: Option<&str>) -> f64 {
        class
            .and_then(|c| self.rescue.speeds_kmh.get(c))
            .copied()
            .unwrap_or(self.rescue.default_speed_kmh)
    }
}

/// Days a stock lasts for `people` displaced persons needing `per_person_day` each
/// (stock and need in one unit): stock / (people × need); NaN when nobody is
/// displaced (no demand, no duration).
pub fn reserve_days(stock: f64, people: f64, per_person_day: f64) -> f64 {
    if people <= 0.0 {
        f64::NAN
    } else {
        stock / (people * per_person_day)
    }
}

/// Share of `people` displaced persons a stock of durable pieces serves, each piece
/// serving `persons_per_item`: min(1, stock × persons_per_item / people); NaN when
/// nobody is displaced.
pub fn cover_share(stock: f64, people: f64, persons_per_item: f64) -> f64 {
    if people <= 0.0 {
        f64::NAN
    } else {
        (stock * persons_per_item / people).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_parses() {
        let g = CapacityGaps::builtin();
        assert!(g.scenarios.iter().any(|s| s.hazard == "flood"));
        assert!(g.scenarios.iter().any(|s| s.hazard == "earthquake"));
        assert_eq!(g.radius_m(Some("no such type")), g.radius_m(None));
    }

    #[test]
    fn relief_by_hand() {
        // 12 t of rice for 2,000 people at 0.4 kg/person/day: 12 / (2000 · 0.0004) = 15 days.
        assert!((reserve_days(12.0, 2000.0, 0.0004) - 15.0).abs() < 1e-12);
        assert!(reserve_days(12.0, 0.0, 0.0004).is_nan());
        // 300 tents for 4 persons each against 2,000 people: 0.6; 600 tents: capped at 1.
        assert!((cover_share(300.0, 2000.0, 4.0) - 0.6).abs() < 1e-15);
        assert_eq!(cover_share(600.0, 2000.0, 4.0), 1.0);
    }

    #[test]
    fn a_flood_scenario_needs_a_depth_rule() {
        let text = crate::library::shipped_text(PATH).replacen(
            "displacement = { kind = \"depth\", depth_m = 1.0 }",
            "displacement = { kind = \"uninhabitable\" }",
            1,
        );
        let e = CapacityGaps::from_toml(&text, "g.toml").unwrap_err();
        assert!(e.to_string().contains("flood takes depth"), "{e}");
    }
}
