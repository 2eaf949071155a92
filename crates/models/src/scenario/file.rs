//! A scenario file (`<census>/scenarios/<id>.toml`, docs/scenarios.md): a target
//! year; the change of exposure from the census's survey year (growth of
//! population, building value and GDP per year, for the county and per township;
//! new built-up areas from the spatial plan as polygons); the change of hazard
//! (global warming and the scaling of extreme rainfall with it); planned measures,
//! each with its cost; optional uncertain inputs and appraisal settings. Parsed
//! with unknown keys refused and every problem named with its line and key, like a
//! model file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::params::{check_uncertain, Uncertain, UncertainSpec};
use crate::earthquake::fragility::{Fortification, Structure};
use crate::error::ModelError;
use crate::operator_file::{at, k, parse_toml, Checker};

/// The inputs of a scenario file that may be declared uncertain. A draw replaces
/// the value; for a growth rate it replaces the county's rate and shifts every
/// township's own rate by the same amount.
pub const SCENARIO_INPUTS: &[(&str, &str)] = &[
    (
        "warming_c",
        "global warming from the survey year to the target year, °C",
    ),
    (
        "rainfall_pct_per_c",
        "increase of extreme daily rainfall per °C of warming, %",
    ),
    ("value_growth_pct", "growth of building value, % per year"),
    ("population_growth_pct", "growth of population, % per year"),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    name: String,
    survey_year: i32,
    target_year: i32,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    exposure: ExposureSpec,
    #[serde(default)]
    hazard: HazardChange,
    discount_rate: Option<f64>,
    horizon_years: Option<u32>,
    #[serde(default)]
    measure: Vec<MeasureSpec>,
    #[serde(default)]
    uncertain: Vec<UncertainSpec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExposureSpec {
    #[serde(default)]
    population_growth_pct: f64,
    #[serde(default)]
    value_growth_pct: f64,
    #[serde(default)]
    gdp_growth_pct: f64,
    #[serde(default)]
    township: Vec<TownshipGrowth>,
    #[serde(default)]
    new_area: Vec<NewAreaSpec>,
}

/// Growth rates of one township (% per year), replacing the county's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TownshipGrowth {
    /// 9-digit township code.
    pub code: String,
    /// Population growth, % per year (None: the county's).
    pub population_growth_pct: Option<f64>,
    /// Building value growth, % per year (None: the county's).
    pub value_growth_pct: Option<f64>,
    /// GDP growth, % per year (None: the county's).
    pub gdp_growth_pct: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAreaSpec {
    file: String,
    layer: Option<String>,
}

/// New built-up areas: a polygon layer in the census CRS whose features carry
/// `value_wan` (building value, 万元), `population`, `structure` and
/// `fortification` (census codes) and `storeys`; see docs/scenarios.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewArea {
    /// The file, resolved against the scenario file's folder.
    pub file: PathBuf,
    /// The layer (None: the file's only layer).
    pub layer: Option<String>,
}

/// The change of hazard.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardChange {
    /// Global warming from the survey year to the target year, °C.
    #[serde(default)]
    pub warming_c: f64,
    /// Increase of extreme daily rainfall per °C, % (about 7 %: IPCC AR6 WG1 SPM
    /// B.2.2, the Clausius–Clapeyron rate).
    #[serde(default)]
    pub rainfall_pct_per_c: f64,
}

impl HazardChange {
    /// The factor on the design rainfall, (1 + pct/100)^warming.
    pub fn rainfall_factor(&self) -> f64 {
        (1.0 + self.rainfall_pct_per_c / 100.0).powf(self.warming_c)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureSpec {
    id: String,
    name: String,
    kind: String,
    #[serde(default)]
    townships: Vec<String>,
    cost_wan: f64,
    #[serde(default)]
    annual_cost_wan: f64,
    protection_years: Option<u32>,
    structure: Option<String>,
    share: Option<f64>,
    fortification: Option<String>,
    to_structure: Option<String>,
    #[serde(default)]
    points: Vec<String>,
    places: Option<f64>,
}

/// What a measure changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MeasureKind {
    /// Raise the flood-control standard to `protection_years` (dikes, reservoirs).
    FloodStandard {
        /// The new standard, years.
        protection_years: u32,
    },
    /// Retrofit a share of the buildings of one structure type.
    Retrofit {
        /// The structure type retrofitted.
        structure: Structure,
        /// Share of those buildings, (0, 1].
        share: f64,
        /// Fortified to this intensity (None: the intensity the zoning map requires
        /// at the building).
        fortification: Option<Fortification>,
        /// Rebuilt as this type (None: kept).
        to_structure: Option<Structure>,
    },
    /// Relocate the people and property of hidden-danger points (ids of
    /// `hidden_dangers`).
    Relocate {
        /// The points.
        points: Vec<String>,
    },
    /// New emergency shelter places.
    Shelters {
        /// Places added (persons).
        places: f64,
    },
}

/// One planned measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// Id (unique in the file).
    pub id: String,
    /// Name for tables.
    pub name: String,
    /// What it changes.
    pub kind: MeasureKind,
    /// Townships it applies to (9-digit codes; empty: the whole county).
    pub townships: Vec<String>,
    /// Investment, 万元.
    pub cost_wan: f64,
    /// Running cost, 万元 per year.
    pub annual_cost_wan: f64,
}

impl Measure {
    /// Whether the measure applies in `township`.
    pub fn applies_in(&self, township: &str) -> bool {
        self.townships.is_empty() || self.townships.iter().any(|t| t == township)
    }
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Id (the file stem by convention; unique among a run's scenarios).
    pub id: String,
    /// Name for tables.
    pub name: String,
    /// The year of the census's exposure survey.
    pub survey_year: i32,
    /// The year the scenario describes.
    pub target_year: i32,
    /// Where its figures come from (spatial plan, projections).
    pub sources: Vec<String>,
    /// County growth rates, % per year: population, building value, GDP.
    pub population_growth_pct: f64,
    /// … building value.
    pub value_growth_pct: f64,
    /// … GDP.
    pub gdp_growth_pct: f64,
    /// Township rates replacing the county's.
    pub townships: Vec<TownshipGrowth>,
    /// New built-up areas.
    pub new_areas: Vec<NewArea>,
    /// The change of hazard.
    pub hazard: HazardChange,
    /// Discount rate (None: the scenario parameters').
    pub discount_rate: Option<f64>,
    /// Horizon, years (None: the scenario parameters').
    pub horizon_years: Option<u32>,
    /// Planned measures.
    pub measures: Vec<Measure>,
    /// Uncertain inputs of the scenario.
    pub uncertain: Vec<Uncertain>,
    /// The file.
    pub file: PathBuf,
}

/// One township's growth factors over the scenario's years.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growth {
    /// Factor on occupants and population.
    pub population: f64,
    /// Factor on building values (and the record-route losses).
    pub value: f64,
    /// Factor on GDP.
    pub gdp: f64,
}

impl Scenario {
    /// Read and check a scenario file.
    pub fn read(path: &Path) -> Result<Scenario, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|e| ModelError::Syntax {
            file: path.to_path_buf(),
            line: 0,
            msg: format!("cannot read: {e}"),
        })?;
        Self::from_toml(&text, path)
    }

    /// Parse and check a scenario's text; `origin` names the file and resolves the
    /// new areas' files.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Scenario, ModelError> {
        let origin: PathBuf = origin.as_ref().to_path_buf();
        let s: Spec = parse_toml(text, &origin)?;
        let mut c = Checker::new(text);
        if let Err(e) = riskcensus_core::names::check_id("id", &s.id) {
            c.err(&[k("id")], e.to_string());
        }
        if !(1900..=2200).contains(&s.survey_year) {
            c.err(&[k("survey_year")], "a year in 1900..=2200");
        }
        if s.target_year < s.survey_year || s.target_year > s.survey_year + 100 {
            c.err(
                &[k("target_year")],
                "from the survey year to 100 years after it",
            );
        }
        let rate = |c: &mut Checker, path: &[crate::locate::Step], v: f64| {
            if !(v.is_finite() && (-50.0..=50.0).contains(&v)) {
                c.err(path, "a growth rate in % per year, within ±50");
            }
        };
        let e = &s.exposure;
        rate(
            &mut c,
            &[k("exposure"), k("population_growth_pct")],
            e.population_growth_pct,
        );
        rate(
            &mut c,
            &[k("exposure"), k("value_growth_pct")],
            e.value_growth_pct,
        );
        rate(
            &mut c,
            &[k("exposure"), k("gdp_growth_pct")],
            e.gdp_growth_pct,
        );
        for (i, t) in e.township.iter().enumerate() {
            let mut p = vec![k("exposure")];
            p.extend(at("township", i));
            if t.code.len() != 9 || !t.code.bytes().all(|b| b.is_ascii_digit()) {
                let mut q = p.clone();
                q.push(k("code"));
                c.err(&q, "a 9-digit township code");
            }
            for (name, v) in [
                ("population_growth_pct", t.population_growth_pct),
                ("value_growth_pct", t.value_growth_pct),
                ("gdp_growth_pct", t.gdp_growth_pct),
            ] {
                if let Some(v) = v {
                    let mut q = p.clone();
                    q.push(k(name));
                    rate(&mut c, &q, v);
                }
            }
        }
        let base = origin.parent().unwrap_or(Path::new("."));
        let new_areas = e
            .new_area
            .iter()
            .map(|a| NewArea {
                file: base.join(&a.file),
                layer: a.layer.clone(),
            })
            .collect();
        let h = &s.hazard;
        if !(h.warming_c.is_finite() && (-2.0..=6.0).contains(&h.warming_c)) {
            c.err(&[k("hazard"), k("warming_c")], "°C of warming within −2…6");
        }
        if !(h.rainfall_pct_per_c.is_finite() && (0.0..=30.0).contains(&h.rainfall_pct_per_c)) {
            c.err(
                &[k("hazard"), k("rainfall_pct_per_c")],
                "% per °C within 0…30",
            );
        }
        if let Some(r) = s.discount_rate {
            if !(0.0..1.0).contains(&r) {
                c.err(&[k("discount_rate")], "must lie in [0, 1)");
            }
        }
        if let Some(y) = s.horizon_years {
            if !(1..=200).contains(&y) {
                c.err(&[k("horizon_years")], "must lie in 1..=200");
            }
        }
        let mut measures = Vec::new();
        let mut ids = std::collections::BTreeSet::new();
        for (i, m) in s.measure.iter().enumerate() {
            let key = |name: &str| {
                let mut p = at("measure", i);
                p.push(k(name));
                p
            };
            if !ids.insert(m.id.clone()) {
                c.err(&key("id"), format!("`{}` is used twice", m.id));
            }
            if !(m.cost_wan.is_finite() && m.cost_wan >= 0.0) {
                c.err(&key("cost_wan"), "an investment in 万元, ≥ 0");
            }
            if !(m.annual_cost_wan.is_finite() && m.annual_cost_wan >= 0.0) {
                c.err(&key("annual_cost_wan"), "a running cost in 万元/yr, ≥ 0");
            }
            if let Some(kind) = measure_kind(&mut c, m, &key) {
                measures.push(Measure {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    kind,
                    townships: m.townships.clone(),
                    cost_wan: m.cost_wan,
                    annual_cost_wan: m.annual_cost_wan,
                });
            }
        }
        let uncertain = check_uncertain(&mut c, &s.uncertain, SCENARIO_INPUTS);
        c.finish(
            &origin,
            Scenario {
                id: s.id,
                name: s.name,
                survey_year: s.survey_year,
                target_year: s.target_year,
                sources: s.sources,
                population_growth_pct: e.population_growth_pct,
                value_growth_pct: e.value_growth_pct,
                gdp_growth_pct: e.gdp_growth_pct,
                townships: e.township.clone(),
                new_areas,
                hazard: s.hazard.clone(),
                discount_rate: s.discount_rate,
                horizon_years: s.horizon_years,
                measures,
                uncertain,
                file: origin.clone(),
            },
        )
    }

    /// The growth factors of `township` over the scenario's years (the county's
    /// rates where the township has none of its own), with `shift` added to the
    /// value and population rates (percentage points; 0 outside a Monte Carlo
    /// draw).
    pub fn growth(&self, township: &str, shift_value: f64, shift_population: f64) -> Growth {
        let own = self.townships.iter().find(|t| t.code == township);
        let years = f64::from(self.target_year - self.survey_year);
        let f = |pct: f64| (1.0 + pct / 100.0).powf(years);
        let pick = |own: Option<f64>, county: f64| own.unwrap_or(county);
        Growth {
            population: f(pick(
                own.and_then(|t| t.population_growth_pct),
                self.population_growth_pct,
            ) + shift_population),
            value: f(
                pick(own.and_then(|t| t.value_growth_pct), self.value_growth_pct) + shift_value,
            ),
            gdp: f(pick(
                own.and_then(|t| t.gdp_growth_pct),
                self.gdp_growth_pct,
            )),
        }
    }

    /// The scenario without its measures (the "do nothing" of the appraisal).
    pub fn without_measures(&self) -> Scenario {
        Scenario {
            measures: Vec::new(),
            ..self.clone()
        }
    }
}

/// The kind-specific keys of a measure, checked.
fn measure_kind(
    c: &mut Checker,
    m: &MeasureSpec,
    key: &dyn Fn(&str) -> Vec<crate::locate::Step>,
) -> Option<MeasureKind> {
    // Keys that belong to another kind are refused: a key that does nothing is a
    // mistake in the file.
    let used: &[&str] = match m.kind.as_str() {
        "flood_standard" => &["protection_years"],
        "retrofit" => &["structure", "share", "fortification", "to_structure"],
        "relocate" => &["points"],
        "shelters" => &["places"],
        other => {
            c.err(
                &key("kind"),
                format!("`{other}`: one of flood_standard, retrofit, relocate, shelters"),
            );
            return None;
        }
    };
    for (name, set) in [
        ("protection_years", m.protection_years.is_some()),
        ("structure", m.structure.is_some()),
        ("share", m.share.is_some()),
        ("fortification", m.fortification.is_some()),
        ("to_structure", m.to_structure.is_some()),
        ("points", !m.points.is_empty()),
        ("places", m.places.is_some()),
    ] {
        if set && !used.contains(&name) {
            c.err(&key(name), format!("not a key of a `{}` measure", m.kind));
        }
    }
    match m.kind.as_str() {
        "flood_standard" => match m.protection_years {
            Some(y) if (2..=10_000).contains(&y) => Some(MeasureKind::FloodStandard {
                protection_years: y,
            }),
            _ => {
                c.err(
                    &key("protection_years"),
                    "the new standard, years (2…10000)",
                );
                None
            }
        },
        "retrofit" => {
            let structure = m.structure.as_deref().and_then(Structure::parse);
            if structure.is_none() {
                c.err(
                    &key("structure"),
                    "a structure code of the census (brick_wood, …)",
                );
            }
            let share = m.share.filter(|s| *s > 0.0 && *s <= 1.0);
            if share.is_none() {
                c.err(&key("share"), "the share retrofitted, in (0, 1]");
            }
            let fortification = match m.fortification.as_deref() {
                None | Some("required") => Some(None),
                Some(f) => Fortification::parse(f).map(Some),
            };
            if fortification.is_none() {
                c.err(
                    &key("fortification"),
                    "`required` or a fortification code (vi…ix)",
                );
            }
            let to_structure = match m.to_structure.as_deref() {
                None => Some(None),
                Some(s) => Structure::parse(s).map(Some),
            };
            if to_structure.is_none() {
                c.err(&key("to_structure"), "a structure code of the census");
            }
            Some(MeasureKind::Retrofit {
                structure: structure?,
                share: share?,
                fortification: fortification?,
                to_structure: to_structure?,
            })
        }
        "relocate" => {
            if m.points.is_empty() {
                c.err(
                    &key("points"),
                    "the ids of the hidden-danger points relocated",
                );
                return None;
            }
            Some(MeasureKind::Relocate {
                points: m.points.clone(),
            })
        }
        _ => match m.places {
            Some(p) if p > 0.0 && p.is_finite() => Some(MeasureKind::Shelters { places: p }),
            _ => {
                c.err(&key("places"), "the shelter places added, > 0");
                None
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "growth"
name = "2030"
survey_year = 2024
target_year = 2030
sources = ["plan"]
[exposure]
population_growth_pct = 1.0
value_growth_pct = 5.0
gdp_growth_pct = 6.0
[[exposure.township]]
code = "130000001"
value_growth_pct = 10.0
[hazard]
warming_c = 0.5
rainfall_pct_per_c = 7.0
[[measure]]
id = "dike"
name = "dike"
kind = "flood_standard"
protection_years = 50
cost_wan = 100.0
[[measure]]
id = "retro"
name = "retro"
kind = "retrofit"
structure = "brick_wood"
share = 0.5
cost_wan = 10.0
[[uncertain]]
input = "rainfall_pct_per_c"
distribution = "uniform"
low = 5.0
high = 9.0
basis = "range"
"#;

    #[test]
    fn a_scenario_parses_and_grows_by_hand() {
        let s = Scenario::from_toml(GOOD, "sc/growth.toml").unwrap();
        assert_eq!(s.measures.len(), 2);
        // Six years at 5 % and 10 %.
        let g = s.growth("130000009", 0.0, 0.0);
        assert!((g.value - 1.05f64.powi(6)).abs() < 1e-12);
        assert!((s.growth("130000001", 0.0, 0.0).value - 1.1f64.powi(6)).abs() < 1e-12);
        assert!((s.growth("130000001", 1.0, 0.0).value - 1.11f64.powi(6)).abs() < 1e-12);
        assert!((s.hazard.rainfall_factor() - 1.07f64.sqrt()).abs() < 1e-12);
        assert!(s.without_measures().measures.is_empty());
    }

    #[test]
    fn mistakes_are_named_with_their_key() {
        for (from, to, key) in [
            (
                "kind = \"retrofit\"",
                "kind = \"retrofitt\"",
                "measure[1].kind",
            ),
            ("share = 0.5", "share = 1.5", "measure[1].share"),
            (
                "protection_years = 50",
                "protection_years = 50\nshare = 0.2",
                "measure[0].share",
            ),
            (
                "code = \"130000001\"",
                "code = \"13\"",
                "exposure.township[0].code",
            ),
            ("target_year = 2030", "target_year = 2020", "target_year"),
            (
                "input = \"rainfall_pct_per_c\"",
                "input = \"rain\"",
                "uncertain[0].input",
            ),
            ("warming_c = 0.5", "warming_c = 0.5\nwarming = 1", "warming"),
        ] {
            let bad = GOOD.replacen(from, to, 1);
            assert_ne!(bad, GOOD);
            let e = Scenario::from_toml(&bad, "x.toml").unwrap_err().to_string();
            assert!(e.contains(key) && e.contains("x.toml"), "{key}: {e}");
        }
    }
}
