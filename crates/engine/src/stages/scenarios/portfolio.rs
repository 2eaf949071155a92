//! The loss route re-run under a change ([`Portfolio::evaluate`]): the flood and
//! earthquake loss models on the buildings their stages published
//! ([`FloodExposure`], [`EarthquakeExposure`]), with grown values and occupants,
//! new buildings, scaled design stages and the measures' effects; the record-route
//! hazards' cells of the comprehensive sum scaled by growth and relocation; then
//! the comprehensive sum and the unit rows by the comprehensive stage's own rules
//! ([`LossFrame`]). With no change every number is the baseline's, bit for bit:
//! the same functions on the same values in the same order.
//!
//! - **Flood**: depth of event T at a building = max(0, h_T·k − HAND) with
//!   k = f^stage_exponent for a design-rainfall factor f (1 without warming); the
//!   events up to the flood-control standard (raised by a `flood_standard`
//!   measure in its townships) do no damage; loss = d_s(depth)·value; deaths by the
//!   depth mortality; AAL and annual deaths by the trapezoid.
//! - **Earthquake**: the annual damage over the building's hazard curve
//!   (`fragility::assess_annual`); a `retrofit` measure makes the expected building
//!   a mixture: (1 − s)·as built + s·retrofitted (fortified to the required
//!   intensity of its zoning PGA, or the measure's, designed after the code era,
//!   optionally rebuilt as another structure type).
//! - **Record route** (geological hazards, wildfire): the cell's recorded mean
//!   annual loss × the value growth of its township (deaths × the population
//!   growth) — losses in proportion to exposure; a `relocate` measure removes the
//!   threatened property's share (people's share for deaths) of the relocated
//!   points from the geological hazards of their township.

use std::collections::BTreeMap;

use rayon::prelude::*;
use riskcensus_models::earthquake::fragility::{self, Building, Fortification};
use riskcensus_models::earthquake::intensity::zoning_intensity;
use riskcensus_models::flood::depth_damage::{building_ead, expected_annual_damage};
use riskcensus_models::flood::inundation::depth as flood_depth;
use riskcensus_models::scenario::{Growth, Measure, MeasureKind};

use crate::executor::ExecOptions;
use crate::loss::{
    BuildingLoss, EarthquakeExposure, FloodExposure, HazardCells, HazardLosses, LossEvent,
    LossFrame, UnitRisk, UnitRow,
};
use crate::EngineError;

/// The key of a building's annual ratios: HAZUS type, design level, storeys,
/// basic PGA (bits).
type RatioKey = (String, fragility::CodeLevel, u32, u64);

/// A building's basic PGA and its retrofitted variants with their weights (None:
/// no basic PGA).
type Variants = Option<(f64, Vec<(f64, Building)>)>;

/// The hazard whose record a `relocate` measure reduces.
pub const GEOHAZARD: &str = "geohazard";

/// A hidden-danger point (`hidden_dangers`): what it threatens.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Id.
    pub id: String,
    /// Township index (1-based as in the frame's owner; 0 = none).
    pub township: usize,
    /// People threatened.
    pub people: f64,
    /// Property threatened, 万元.
    pub value_wan: f64,
}

/// A building of a new built-up area (one per cell of its polygon).
#[derive(Debug, Clone, PartialEq)]
pub struct NewBuilding {
    /// Id (`new:<file>:<feature>:<cell>`).
    pub id: String,
    /// Row-major cell.
    pub cell: usize,
    /// The building as the earthquake model sees it (value and occupants of its
    /// share of the area).
    pub building: Building,
}

/// A change of the baseline.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// Growth per township index (0 = outside every township; 1… = the frame's
    /// townships).
    pub growth: Vec<Growth>,
    /// Factor on the design rainfall.
    pub rainfall_factor: f64,
    /// The measures in force.
    pub measures: Vec<&'a Measure>,
    /// New buildings.
    pub new_buildings: &'a [NewBuilding],
    /// People of the new areas per township index.
    pub new_people: Vec<f64>,
}

/// What a change gives (the per-hazard cells are summed into the unit rows and
/// dropped: only the comprehensive AAL per cell is kept, for the change maps).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The loss-model hazards' buildings.
    pub losses: Vec<HazardLosses>,
    /// The comprehensive AAL per cell, 万元/yr (row-major, NaN nodata).
    pub total_aal: Vec<f64>,
    /// The unit rows of every hazard and the comprehensive sum.
    pub units: Vec<UnitRisk>,
}

impl Outcome {
    /// The row of `unit` and `hazard`.
    pub fn row(&self, unit: &str, hazard: &str) -> Option<&UnitRisk> {
        self.units
            .iter()
            .find(|r| r.unit_code == unit && r.hazard == hazard)
    }
}

/// Everything the loss route needs, gathered once.
pub struct Portfolio<'a> {
    /// Cells of the grid.
    pub n: usize,
    /// The comprehensive stage's units, cells and levels.
    pub frame: &'a LossFrame,
    /// The flood model's inputs and the HAND grid (row-major).
    pub flood: Option<(&'a FloodExposure, Vec<f32>)>,
    /// The earthquake model's inputs.
    pub quake: Option<&'a EarthquakeExposure>,
    /// The baseline flood and earthquake losses (their events and model names).
    pub base_losses: &'a [HazardLosses],
    /// Hidden-danger points.
    pub points: Vec<Point>,
    /// The stage exponent of a design-rainfall factor.
    pub stage_exponent: f64,
    /// Threads.
    pub exec: &'a ExecOptions,
}

impl Portfolio<'_> {
    /// Township codes (index k − 1 for owner k).
    pub fn township_codes(&self) -> Vec<String> {
        self.frame.groups[1]
            .units
            .iter()
            .map(|u| u.code.clone())
            .collect()
    }

    /// The township index of a cell (0 = none).
    pub fn township_of(&self, cell: usize) -> usize {
        self.frame.groups[1].owner.get(cell).copied().unwrap_or(0)
    }

    /// The change that changes nothing.
    pub fn no_change(&self) -> Change<'static> {
        let k = self.frame.groups[1].units.len() + 1;
        Change {
            growth: vec![
                Growth {
                    population: 1.0,
                    value: 1.0,
                    gdp: 1.0,
                };
                k
            ],
            rainfall_factor: 1.0,
            measures: Vec::new(),
            new_buildings: &[],
            new_people: vec![0.0; k],
        }
    }

    /// The loss route under `change`.
    pub fn evaluate(&self, change: &Change<'_>) -> Result<Outcome, EngineError> {
        let codes = self.township_codes();
        let mut losses = Vec::new();
        if let Some((f, hand)) = &self.flood {
            losses.push(self.flood_losses(f, hand, change, &codes));
        }
        if let Some(q) = self.quake {
            losses.push(self.quake_losses(q, change, &codes)?);
        }
        let mut cells: Vec<HazardCells> = Vec::new();
        for h in &self.frame.hazards {
            if h.route == "loss" {
                if let Some(l) = losses.iter().find(|l| l.hazard == h.hazard) {
                    let t = l.cell_totals(self.n);
                    cells.push(HazardCells {
                        hazard: h.hazard.clone(),
                        route: h.route.clone(),
                        aal: t.aal,
                        deaths: t.deaths,
                    });
                }
                continue;
            }
            cells.push(self.record_cells(h, change, &codes));
        }
        self.finish(cells, losses, change)
    }

    /// The record-route hazards' cells under `change`: (AAL, deaths) per hazard.
    pub fn record_only(&self, change: &Change<'_>) -> Vec<(Vec<f64>, Vec<f64>)> {
        let codes = self.township_codes();
        self.frame
            .hazards
            .iter()
            .filter(|h| h.route != "loss")
            .map(|h| {
                let c = self.record_cells(h, change, &codes);
                (c.aal, c.deaths)
            })
            .collect()
    }

    /// The comprehensive sum and the unit rows of the hazards' cells.
    fn finish(
        &self,
        mut cells: Vec<HazardCells>,
        losses: Vec<HazardLosses>,
        change: &Change<'_>,
    ) -> Result<Outcome, EngineError> {
        let parts: Vec<(&[f64], &[f64])> = cells
            .iter()
            .map(|c| (c.aal.as_slice(), c.deaths.as_slice()))
            .collect();
        let (aal, deaths) = self.frame.sum(&parts, self.n);
        cells.push(HazardCells {
            hazard: "comprehensive".into(),
            route: "sum".into(),
            aal,
            deaths,
        });
        let rows = self.unit_rows(change);
        let mut units = Vec::new();
        for c in &cells {
            units.extend(
                self.frame
                    .rows(&c.hazard, &c.route, &c.aal, &c.deaths, &rows),
            );
        }
        let total_aal = cells.pop().map(|c| c.aal).unwrap_or_default();
        Ok(Outcome {
            losses,
            total_aal,
            units,
        })
    }

    /// The units' population and GDP under the change: each township's grown by
    /// its growth plus its new residents; the county's and a village's by the
    /// ratio of its townships' (a village by its township's code prefix).
    fn unit_rows(&self, change: &Change<'_>) -> [Vec<UnitRow>; 3] {
        let mut rows = self.frame.unit_rows();
        let towns = &mut rows[1];
        let (mut p0, mut p1, mut g0, mut g1) = (0.0, 0.0, 0.0, 0.0);
        let mut by_code: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        for (k, u) in towns.iter_mut().enumerate() {
            let g = change.growth[k + 1];
            let (pop, gdp) = (u.population, u.gdp_wan);
            u.population = pop * g.population + change.new_people[k + 1];
            u.gdp_wan = gdp * g.gdp;
            by_code.insert(
                u.code.clone(),
                (
                    ratio(u.population, pop),
                    if gdp > 0.0 { g.gdp } else { 1.0 },
                ),
            );
            p0 += pop;
            p1 += u.population;
            if gdp.is_finite() {
                g0 += gdp;
                g1 += u.gdp_wan;
            }
        }
        let county_growth = if towns.is_empty() {
            let g = change.growth[0];
            (
                ratio(
                    rows[0].first().map_or(0.0, |c| c.population) * g.population
                        + change.new_people.iter().sum::<f64>(),
                    rows[0].first().map_or(0.0, |c| c.population),
                ),
                g.gdp,
            )
        } else {
            (ratio(p1, p0), ratio(g1, g0))
        };
        for c in &mut rows[0] {
            c.population *= county_growth.0;
            c.gdp_wan *= county_growth.1;
        }
        for v in &mut rows[2] {
            let (p, g) = by_code
                .get(v.code.get(..9).unwrap_or(""))
                .copied()
                .unwrap_or((1.0, 1.0));
            v.population *= p;
            v.gdp_wan *= g;
        }
        rows
    }

    fn flood_losses(
        &self,
        f: &FloodExposure,
        hand: &[f32],
        change: &Change<'_>,
        codes: &[String],
    ) -> HazardLosses {
        let k = change.rainfall_factor.powf(self.stage_exponent);
        let stages: Vec<(u32, f32)> = f
            .stages
            .iter()
            .map(|&(t, h)| (t, if k == 1.0 { h as f32 } else { (h * k) as f32 }))
            .collect();
        let periods: Vec<u32> = stages.iter().map(|s| s.0).collect();
        let protection = |t: usize| {
            change
                .measures
                .iter()
                .filter(|m| m.applies_in(code(codes, t)))
                .filter_map(|m| match m.kind {
                    MeasureKind::FloodStandard { protection_years } => Some(protection_years),
                    _ => None,
                })
                .fold(f.protection_years, u32::max)
        };
        let one = |id: &str, cell: usize, structure: &str, value: Option<f64>, occ: f64| {
            let t = self.township_of(cell);
            let prot = protection(t);
            let mut damage = Vec::with_capacity(stages.len());
            let mut deaths = Vec::with_capacity(stages.len());
            for &(period, stage) in &stages {
                let mut h = flood_depth(stage, hand[cell]);
                if period <= prot && !h.is_nan() {
                    h = 0.0;
                }
                let d = f.curves.damage(structure, value, f64::from(h));
                deaths.push(f.mortality.deaths(occ, d.depth_m));
                damage.push(d);
            }
            let aal = building_ead(&periods, &damage);
            let ev: Vec<(u32, f64)> = periods
                .iter()
                .copied()
                .zip(deaths.iter().copied())
                .collect();
            BuildingLoss {
                id: id.to_string(),
                cell,
                structure: structure.to_string(),
                value_wan: value.unwrap_or(0.0),
                occupants: occ,
                event_loss_wan: damage.iter().map(|d| d.loss_wan).collect(),
                event_deaths: deaths,
                event_displaced: Vec::new(),
                aal_wan: aal,
                deaths_per_year: expected_annual_damage(&ev),
            }
        };
        let mut buildings: Vec<BuildingLoss> = f
            .buildings
            .iter()
            .map(|b| {
                let g = change.growth[self.township_of(b.cell)];
                one(
                    &b.id,
                    b.cell,
                    &b.structure,
                    b.value_wan.map(|v| v * g.value),
                    b.occupants.unwrap_or(0.0) * g.population,
                )
            })
            .collect();
        for nb in change.new_buildings {
            buildings.push(one(
                &nb.id,
                nb.cell,
                nb.building.structure.code(),
                Some(nb.building.value),
                nb.building.occupants,
            ));
        }
        let base = self.base_losses.iter().find(|l| l.hazard == "flood");
        HazardLosses {
            hazard: "flood".into(),
            models: base.map(|b| b.models.clone()).unwrap_or_default(),
            events: periods
                .iter()
                .map(|&t| LossEvent {
                    name: format!("{t}y"),
                    rate: 1.0 / f64::from(t),
                })
                .collect(),
            buildings,
            aal_layer: base.map(|b| b.aal_layer.clone()).unwrap_or_default(),
            deaths_layer: base.map(|b| b.deaths_layer.clone()).unwrap_or_default(),
        }
    }

    fn quake_losses(
        &self,
        q: &EarthquakeExposure,
        change: &Change<'_>,
        codes: &[String],
    ) -> Result<HazardLosses, EngineError> {
        let p = &q.params;
        let fp = &p.fragility.params;
        let mut items: Vec<(String, usize, Building, bool)> = q
            .buildings
            .iter()
            .map(|(b, cell)| {
                let g = change.growth[self.township_of(*cell)];
                let mut b = b.clone();
                b.value *= g.value;
                b.occupants *= g.population;
                (b.id.clone(), *cell, b, false)
            })
            .collect();
        for nb in change.new_buildings {
            items.push((nb.id.clone(), nb.cell, nb.building.clone(), true));
        }
        let retrofits: Vec<&Measure> = change
            .measures
            .iter()
            .copied()
            .filter(|m| matches!(m.kind, MeasureKind::Retrofit { .. }))
            .collect();
        // Each building as built, and its retrofitted variants with their weights.
        let variants: Vec<Variants> = items
            .iter()
            .map(|(_, cell, b, _)| {
                let g = f64::from(q.basic[*cell]);
                if g.is_nan() || g <= 0.0 {
                    return None;
                }
                let mut remaining = 1.0;
                let mut mix = Vec::new();
                for m in &retrofits {
                    let MeasureKind::Retrofit {
                        structure,
                        share,
                        fortification,
                        to_structure,
                    } = m.kind
                    else {
                        continue;
                    };
                    if b.structure != structure
                        || !m.applies_in(code(codes, self.township_of(*cell)))
                    {
                        continue;
                    }
                    let mut r = b.clone();
                    r.fortification = fortification
                        .unwrap_or_else(|| Fortification::of_degree(zoning_intensity(g)));
                    r.year_built = Some(fp.pre_code_year.max(r.year_built.unwrap_or(0)));
                    if let Some(s) = to_structure {
                        r.structure = s;
                    }
                    let w = remaining * share;
                    remaining -= w;
                    mix.push((w, r));
                }
                Some((g, mix))
            })
            .collect();
        // The ratios once per (HAZUS type, design level, storeys, basic PGA): the
        // same numbers as per building, computed once.
        let key = |b: &Building, g: f64| {
            (
                b.structure.hazus_type(b.storeys),
                fragility::code_level(b, fp),
                b.storeys,
                g.to_bits(),
            )
        };
        let mut wanted: BTreeMap<RatioKey, (Building, f64)> = BTreeMap::new();
        for ((_, _, b, _), v) in items.iter().zip(&variants) {
            if let Some((g, mix)) = v {
                wanted.entry(key(b, *g)).or_insert_with(|| (b.clone(), *g));
                for (_, r) in mix {
                    wanted.entry(key(r, *g)).or_insert_with(|| (r.clone(), *g));
                }
            }
        }
        let wanted: Vec<(RatioKey, (Building, f64))> = wanted.into_iter().collect();
        let ratios: BTreeMap<RatioKey, Option<fragility::AnnualRatios>> = self
            .exec
            .install(|| {
                wanted
                    .par_iter()
                    .map(|(k, (b, g))| {
                        let curve = p.hazard_curve.curve(*g);
                        (
                            k.clone(),
                            fragility::annual_ratios(&q.table, fp, b, &curve).ok(),
                        )
                    })
                    .collect::<Vec<_>>()
            })?
            .into_iter()
            .collect();
        let assess = |b: &Building, g: f64| -> Option<fragility::AnnualDamage> {
            ratios
                .get(&key(b, g))
                .and_then(|r| r.as_ref())
                .map(|r| r.apply(b, fp))
        };
        let mut rows: Vec<BuildingLoss> = Vec::with_capacity(items.len());
        for ((id, cell, b, _), v) in items.iter().zip(&variants) {
            let Some((g, mix)) = v else { continue };
            let Some(mut a) = assess(b, *g) else { continue };
            if !mix.is_empty() {
                let mut done = Vec::with_capacity(mix.len());
                for (w, r) in mix {
                    match assess(r, *g) {
                        Some(d) => done.push((*w, d)),
                        None => continue,
                    }
                }
                let rest = 1.0 - done.iter().map(|(w, _)| w).sum::<f64>();
                a = mixture(rest, &a, &done);
            }
            let (event_loss_wan, event_deaths) = a.events.iter().copied().unzip();
            rows.push(BuildingLoss {
                id: id.clone(),
                cell: *cell,
                structure: b.structure.code().to_string(),
                value_wan: b.value,
                occupants: b.occupants,
                event_loss_wan,
                event_deaths,
                event_displaced: a.event_displaced,
                aal_wan: a.aal,
                deaths_per_year: a.deaths_per_year,
            });
        }
        let base = self.base_losses.iter().find(|l| l.hazard == "earthquake");
        Ok(HazardLosses {
            hazard: "earthquake".into(),
            models: base.map(|b| b.models.clone()).unwrap_or_default(),
            events: base.map(|b| b.events.clone()).unwrap_or_default(),
            buildings: rows,
            aal_layer: base.map(|b| b.aal_layer.clone()).unwrap_or_default(),
            deaths_layer: base.map(|b| b.deaths_layer.clone()).unwrap_or_default(),
        })
    }

    /// A record-route hazard's cells under growth and relocation.
    fn record_cells(&self, h: &HazardCells, change: &Change<'_>, codes: &[String]) -> HazardCells {
        // Per township: the share of threatened property (people) left after the
        // relocations.
        let k = change.growth.len();
        let mut kept = vec![(1.0, 1.0); k];
        if h.hazard == GEOHAZARD {
            let moved: Vec<&str> = change
                .measures
                .iter()
                .filter_map(|m| match &m.kind {
                    MeasureKind::Relocate { points } => Some(points.iter().map(String::as_str)),
                    _ => None,
                })
                .flatten()
                .collect();
            if !moved.is_empty() {
                let mut all = vec![(0.0, 0.0); k];
                let mut gone = vec![(0.0, 0.0); k];
                for p in &self.points {
                    all[p.township].0 += p.value_wan;
                    all[p.township].1 += p.people;
                    let applies = change.measures.iter().any(|m| match &m.kind {
                        MeasureKind::Relocate { points } => {
                            points.contains(&p.id) && m.applies_in(code(codes, p.township))
                        }
                        _ => false,
                    });
                    if applies {
                        gone[p.township].0 += p.value_wan;
                        gone[p.township].1 += p.people;
                    }
                }
                for t in 0..k {
                    kept[t] = (
                        1.0 - ratio(gone[t].0, all[t].0).min(1.0),
                        1.0 - ratio(gone[t].1, all[t].1).min(1.0),
                    );
                }
            }
        }
        let mut aal = h.aal.clone();
        let mut deaths = h.deaths.clone();
        for c in 0..self.n {
            let t = self.township_of(c);
            let g = change.growth[t];
            aal[c] = aal[c] * g.value * kept[t].0;
            deaths[c] = deaths[c] * g.population * kept[t].1;
        }
        HazardCells {
            hazard: h.hazard.clone(),
            route: h.route.clone(),
            aal,
            deaths,
        }
    }
}

/// The code of township slot `t` ("" for 0, outside every township).
pub fn code(codes: &[String], t: usize) -> &str {
    if t == 0 {
        ""
    } else {
        codes[t - 1].as_str()
    }
}

/// a / b, or 1 when b is not positive (nothing to scale).
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        1.0
    }
}

/// The expected damage of a building of which `rest` is as built (`a`) and the
/// weights of `mix` retrofitted.
fn mixture(
    rest: f64,
    a: &fragility::AnnualDamage,
    mix: &[(f64, fragility::AnnualDamage)],
) -> fragility::AnnualDamage {
    let mut out = a.clone();
    out.aal = rest * a.aal + mix.iter().map(|(w, m)| w * m.aal).sum::<f64>();
    out.deaths_per_year =
        rest * a.deaths_per_year + mix.iter().map(|(w, m)| w * m.deaths_per_year).sum::<f64>();
    for (i, e) in out.events.iter_mut().enumerate() {
        e.0 = rest * a.events[i].0 + mix.iter().map(|(w, m)| w * m.events[i].0).sum::<f64>();
        e.1 = rest * a.events[i].1 + mix.iter().map(|(w, m)| w * m.events[i].1).sum::<f64>();
    }
    for (i, e) in out.event_displaced.iter_mut().enumerate() {
        *e = rest * a.event_displaced[i]
            + mix
                .iter()
                .map(|(w, m)| w * m.event_displaced.get(i).copied().unwrap_or(0.0))
                .sum::<f64>();
    }
    for (i, r) in out.exceedance_rates.iter_mut().enumerate() {
        *r = rest * a.exceedance_rates[i]
            + mix
                .iter()
                .map(|(w, m)| w * m.exceedance_rates[i])
                .sum::<f64>();
    }
    out
}
