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
use riskcensus_models::earthquake::intensity::ZoneLevel;
use riskcensus_models::flood::depth_damage::{building_ead, expected_annual_damage};
use riskcensus_models::flood::inundation::depth as flood_depth;
use riskcensus_models::scenario::{Growth, Measure, MeasureKind};

use crate::executor::ExecOptions;
use crate::loss::{
    unit_risk, BuildingLoss, EarthquakeExposure, FloodExposure, HazardCells, HazardLosses,
    LossEvent, LossFrame, UnitRisk, UnitRow,
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
    /// The comprehensive AAL per cell, 万元/yr (row-major, NaN nodata), when
    /// [`Keep::Total`] asked for it.
    pub total_aal: Vec<f64>,
    /// The change of the comprehensive AAL density against a baseline, 万元/km²/yr
    /// (row-major, NaN nodata), when [`Keep::ChangeFrom`] asked for it.
    pub change_map: Vec<f32>,
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

/// What [`Portfolio::evaluate`] keeps per cell besides the unit rows.
#[derive(Debug, Clone, Copy)]
pub enum Keep<'a> {
    /// Nothing.
    Nothing,
    /// Nothing, and only the county's rows (an appraisal variant).
    CountyOnly,
    /// The comprehensive AAL.
    Total,
    /// The change of the comprehensive AAL density from the baseline's total
    /// (万元/yr per cell) over cells of the given area (km²).
    ChangeFrom(&'a [f64], f64),
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

    /// The loss route under `change`; `cells` says what to keep per cell.
    ///
    /// The cells are streamed in order, so no grid-sized array is held per hazard:
    /// a loss hazard's cell is the sum of its buildings' figures in building order
    /// from 0 (`HazardLosses::cell_totals`), a record hazard's the frame's cell
    /// scaled, the total the sum over the hazards in order from 0 (NaN outside the
    /// townships), and every unit sums its cells in cell order where the AAL is
    /// finite — the comprehensive stage's arithmetic, operation for operation.
    pub fn evaluate(&self, change: &Change<'_>, cells: Keep<'_>) -> Result<Outcome, EngineError> {
        let codes = self.township_codes();
        let mut losses = Vec::new();
        if let Some((f, hand)) = &self.flood {
            losses.push(self.flood_losses(f, hand, change, &codes));
        }
        if let Some(q) = self.quake {
            losses.push(self.quake_losses(q, change, &codes)?);
        }
        enum Part<'p> {
            Loss(&'p HazardLosses, Vec<(usize, usize)>),
            Record(&'p HazardCells, Vec<(f64, f64)>),
        }
        let mut parts: Vec<(&str, &str, Part<'_>)> = Vec::new();
        for h in &self.frame.hazards {
            if h.route == "loss" {
                if let Some(l) = losses.iter().find(|l| l.hazard == h.hazard) {
                    let mut order: Vec<(usize, usize)> = l
                        .buildings
                        .iter()
                        .enumerate()
                        .map(|(i, b)| (b.cell, i))
                        .collect();
                    order.sort_unstable();
                    parts.push((&h.hazard, &h.route, Part::Loss(l, order)));
                }
                continue;
            }
            let kept = self.record_kept(h, change, &codes);
            parts.push((&h.hazard, &h.route, Part::Record(h, kept)));
        }
        let groups = &self.frame.groups;
        let zero = || {
            groups
                .clone()
                .map(|g| vec![(0.0f64, 0.0f64); g.units.len()])
        };
        // Per part, then the comprehensive sum: per group and unit (AAL, deaths).
        let mut sums: Vec<[Vec<(f64, f64)>; 3]> = (0..=parts.len()).map(|_| zero()).collect();
        let mut next = vec![0usize; parts.len()];
        let mut kept_cells: Vec<f64> = Vec::new();
        let mut change_map: Vec<f32> = Vec::new();
        // The groups summed: all, or the county alone.
        let used = if matches!(cells, Keep::CountyOnly) {
            1
        } else {
            groups.len()
        };
        match cells {
            Keep::Nothing | Keep::CountyOnly => {}
            Keep::Total => kept_cells.reserve(self.n),
            Keep::ChangeFrom(..) => change_map.reserve(self.n),
        }
        let add = |sums: &mut [Vec<(f64, f64)>; 3], c: usize, a: f64, d: f64| {
            if a.is_finite() {
                for (g, s) in groups.iter().zip(sums.iter_mut()).take(used) {
                    let o = g.owner[c];
                    if o > 0 {
                        s[o - 1].0 += a;
                        s[o - 1].1 += d;
                    }
                }
            }
        };
        for c in 0..self.n {
            let (mut ta, mut td) = (0.0, 0.0);
            for (k, (_, _, part)) in parts.iter().enumerate() {
                let (a, d) = match part {
                    Part::Loss(l, order) => {
                        let (mut a, mut d) = (0.0, 0.0);
                        while next[k] < order.len() && order[next[k]].0 == c {
                            let b = &l.buildings[order[next[k]].1];
                            a += b.aal_wan;
                            d += b.deaths_per_year;
                            next[k] += 1;
                        }
                        (a, d)
                    }
                    Part::Record(h, kept) => {
                        let t = self.township_of(c);
                        let g = change.growth[t];
                        (
                            h.aal[c] * g.value * kept[t].0,
                            h.deaths[c] * g.population * kept[t].1,
                        )
                    }
                };
                ta += a;
                td += d;
                add(&mut sums[k], c, a, d);
            }
            if self.frame.mask.as_ref().is_some_and(|m| !m[c]) {
                ta = f64::NAN;
                td = f64::NAN;
            }
            let last = parts.len();
            add(&mut sums[last], c, ta, td);
            match cells {
                Keep::Nothing | Keep::CountyOnly => {}
                Keep::Total => kept_cells.push(ta),
                Keep::ChangeFrom(base, km2) => change_map.push(((ta - base[c]) / km2) as f32),
            }
        }
        let rows = self.unit_rows(change);
        let mut units = Vec::new();
        let names = parts
            .iter()
            .map(|(h, r, _)| (*h, *r))
            .chain(std::iter::once(("comprehensive", "sum")));
        for ((hazard, route), s) in names.zip(&sums) {
            for ((g, rows), s) in groups.iter().zip(&rows).zip(s).take(used) {
                debug_assert_eq!(g.units.len(), rows.len());
                for (u, &(a, d)) in rows.iter().zip(s) {
                    units.push(unit_risk(&self.frame.levels, u, hazard, route, a, d));
                }
            }
        }
        Ok(Outcome {
            losses,
            total_aal: kept_cells,
            change_map,
            units,
        })
    }

    /// Per township slot, the share of a record-route hazard's loss and deaths
    /// left after the relocations of `change` (1 for a hazard other than the
    /// geological hazards, or a township none of whose points is relocated).
    pub fn record_kept(
        &self,
        h: &HazardCells,
        change: &Change<'_>,
        codes: &[String],
    ) -> Vec<(f64, f64)> {
        let k = change.growth.len();
        let mut kept = vec![(1.0, 1.0); k];
        let relocates = change
            .measures
            .iter()
            .any(|m| matches!(m.kind, MeasureKind::Relocate { .. }));
        if h.hazard != GEOHAZARD || !relocates {
            return kept;
        }
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
        let left = |gone: f64, all: f64| {
            if all > 0.0 {
                1.0 - (gone / all).min(1.0)
            } else {
                1.0
            }
        };
        for t in 0..k {
            kept[t] = (left(gone[t].0, all[t].0), left(gone[t].1, all[t].1));
        }
        kept
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
        let protection =
            |t: usize| protection_years(&change.measures, code(codes, t), f.protection_years);
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
                let (_, mix) =
                    retrofitted(b, g, code(codes, self.township_of(*cell)), &retrofits, fp);
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
}

/// The retrofitted variants of building `b` on basic PGA `pga` (g) in township
/// `township` under the `retrofit` measures among `measures`, in order: each takes
/// its share of what the ones before left as built. Returns the share left as
/// built and (weight, retrofitted building) per variant; a retrofitted building is
/// fortified to the measure's intensity or the one the zoning map requires at the
/// building, designed after the code era, and rebuilt as `to_structure` if given.
pub fn retrofitted(
    b: &Building,
    pga: f64,
    township: &str,
    measures: &[&Measure],
    fp: &fragility::FragilityParams,
) -> (f64, Vec<(f64, Building)>) {
    let mut remaining = 1.0;
    let mut mix = Vec::new();
    for m in measures {
        let MeasureKind::Retrofit {
            structure,
            share,
            fortification,
            to_structure,
        } = m.kind
        else {
            continue;
        };
        if b.structure != structure || !m.applies_in(township) {
            continue;
        }
        let mut r = b.clone();
        // The requirement of the zoning map with its PGA sub-zone (0.15 g, 0.30 g).
        r.fortification = Some(fortification.unwrap_or_else(|| {
            ZoneLevel::of_pga(pga).map_or(Fortification::None, Fortification::of_level)
        }));
        r.year_built = Some(fp.pre_code_year.max(r.year_built.unwrap_or(0)));
        r.retrofitted = Some(true);
        if let Some(s) = to_structure {
            r.structure = s;
        }
        let w = remaining * share;
        remaining -= w;
        mix.push((w, r));
    }
    (remaining, mix)
}

/// The flood-control standard (years) in `township`: the census's `standard`,
/// raised by the `flood_standard` measures among `measures` that apply there.
pub fn protection_years(measures: &[&Measure], township: &str, standard: u32) -> u32 {
    measures
        .iter()
        .filter(|m| m.applies_in(township))
        .filter_map(|m| match m.kind {
            MeasureKind::FloodStandard { protection_years } => Some(protection_years),
            _ => None,
        })
        .fold(standard, u32::max)
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
pub(crate) fn ratio(a: f64, b: f64) -> f64 {
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
